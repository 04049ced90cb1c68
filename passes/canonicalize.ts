/**
 * `canonicalize`: every registered op's canonicalization patterns plus folds, applied by the greedy
 * driver on each function until nothing changes.
 */
import type { RewritePattern } from '../src/rewrite/pattern.js';
import { PatternSet } from '../src/rewrite/pattern.js';
import { allOpDefs } from '../src/ir/registry.js';
import { applyPatternsGreedily } from '../src/rewrite/greedy.js';
import { definePass, opt } from '../src/pass/pass.js';

let cache: { count: number; set: PatternSet } | undefined;

/** The canonicalization patterns of all registered ops (rebuilt when registrations change). */
export function canonicalizationPatterns(): PatternSet {
  const defs = allOpDefs();
  if (cache?.count !== defs.length) {
    const all: RewritePattern[] = defs.flatMap((d) => d.canonicalize ?? []);
    cache = { count: defs.length, set: new PatternSet(all) };
  }
  return cache.set;
}

/** The canonicalizer pass. */
export const canonicalizePass = definePass({
  name: 'canonicalize',
  summary: 'Fold ops and apply canonicalization patterns to a fixed point',
  description:
    'Runs the greedy pattern driver with every registered op canonicalization pattern, folding ops ' +
    'with constant operands and erasing dead pure ops.',
  anchor: 'func.func',
  options: {
    'max-iterations': opt.int(10, 'Maximum number of sweeps over the function'),
    'test-convergence': opt.bool(false, 'Fail when the rewrites do not converge within max-iterations'),
    'top-down': opt.bool(true, 'Visit ops top-down (pre-order) instead of bottom-up'),
  },
  run(op, ctx, o) {
    const r = applyPatternsGreedily(op, canonicalizationPatterns(), {
      maxIterations: o['max-iterations'],
      topDown: o['top-down'],
    });
    if (o['test-convergence'] && !r.converged)
      ctx.emitError(op.loc, `canonicalizer failed to converge within ${o['max-iterations']} iterations`);
    return { changed: r.changed };
  },
});
