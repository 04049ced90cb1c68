/**
 * `tfl-fuse`: the tfl fusion patterns (dialects/tfl/fusion-patterns.ts) applied by the greedy
 * driver to a fixed point: fused activations (relu, relu6, relu_n1_to_1) into fully_connected,
 * conv_2d, depthwise_conv_2d, add, sub, mul and the pools; bias adds and batch-norm mul/add folded
 * into fully_connected / conv weights and biases; consecutive reshapes and transposes; split ->
 * concatenation and unpack -> pack round trips; identity reshapes and transposes. Float32 only,
 * and only where the removed intermediate has a single use. Op folders are not run (that is
 * `canonicalize`'s job); dead ops left behind are erased.
 */
import { definePass, opt } from '../src/pass/pass.js';
import { PatternSet } from '../src/rewrite/pattern.js';
import { applyPatternsGreedily } from '../src/rewrite/greedy.js';
import { TFL_FUSION_PATTERNS } from '../dialects/tfl/fusion-patterns.js';

let patterns: PatternSet | undefined;

/** The fusion patterns as a pattern set (built once). */
export function tflFusionPatterns(): PatternSet {
  patterns ??= new PatternSet(TFL_FUSION_PATTERNS);
  return patterns;
}

/** The fusion pass. */
export const tflFusePass = definePass({
  name: 'tfl-fuse',
  summary: 'Fuse activations, biases, batch norms and shape-op chains into fewer tfl ops (float)',
  description:
    'Applies the tfl fusion patterns to a fixed point: relu/relu6/relu_n1_to_1 into the fused activation of ' +
    'fully_connected, conv_2d, depthwise_conv_2d, add, sub, mul and pools (never tanh or into concatenation: ' +
    "TFLite's kernels do not honour them); add/sub/mul by per-channel constants folded into conv/FC weights " +
    'and biases; reshape and transpose chains composed; split->concatenation and unpack->pack removed; identity ' +
    'reshapes/transposes dropped. Float32 tensors only, and only when the removed intermediate has one use.',
  anchor: 'func.func',
  options: {
    'max-iterations': opt.int(10, 'Maximum number of sweeps over the function'),
  },
  run(op, ctx, o) {
    const r = applyPatternsGreedily(op, tflFusionPatterns(), { maxIterations: o['max-iterations'], useFolds: false });
    if (!r.converged) ctx.emitWarning(op.loc, `tfl-fuse did not converge within ${o['max-iterations']} iterations`);
    return { changed: r.changed };
  },
});
