/**
 * The greedy pattern driver: a worklist of ops (array + membership set, lazy deletion) on which it
 * erases trivially dead ops, folds, and applies patterns best-benefit first, re-enqueueing what each
 * change touches until a whole sweep changes nothing. Iterative throughout (no recursion).
 */
import { Builder, type RewriteListener } from '../ir/builder.js';
import type { Operation } from '../ir/operation.js';
import type { Value } from '../ir/value.js';
import { walkPostOrder, walkPreOrder } from '../ir/walk.js';
import { foldOp, isTriviallyDead } from './fold.js';
import type { PatternSet } from './pattern.js';

/** Greedy driver options. */
export interface GreedyOptions {
  /** Sweeps before giving up (default 10). */
  readonly maxIterations?: number;
  /** Try OpDef folds before patterns (default true). */
  readonly useFolds?: boolean;
  /** Seed the worklist in pre-order (default) or post-order. */
  readonly topDown?: boolean;
  /** Rewrites allowed per sweep before it is cut short (default 4 × ops + 64). */
  readonly maxRewritesPerIteration?: number;
  /** Called after each successful rewrite (pattern name, 'fold' or 'dead'). */
  readonly onRewrite?: (kind: string, op: Operation) => void;
}

/** What the driver did. */
export interface GreedyResult {
  readonly changed: boolean;
  /** False when the iteration limit was hit while changes were still happening. */
  readonly converged: boolean;
  readonly iterations: number;
  readonly rewrites: number;
}

/** Applies `patterns` (and folds) to every op nested in `root` (not `root` itself) to a fixed point. */
export function applyPatternsGreedily(root: Operation, patterns: PatternSet, opts: GreedyOptions = {}): GreedyResult {
  const maxIterations = opts.maxIterations ?? 10;
  const useFolds = opts.useFolds ?? true;
  const stack: Operation[] = [];
  // Membership flags are flipped, never deleted: V8 Sets/Maps rehash (shrink, then grow) when a
  // key is deleted and re-added while the table is mostly empty, which made this quadratic.
  const pending = new Map<Operation, boolean>();
  const enqueue = (op: Operation | undefined): void => {
    if (op && op !== root && pending.get(op) !== true) {
      pending.set(op, true);
      stack.push(op);
    }
  };
  const take = (op: Operation): boolean => {
    if (pending.get(op) !== true) return false;
    pending.set(op, false);
    return true;
  };
  const listener: RewriteListener = {
    notifyOpInserted(op) {
      if (op.regions.length === 0) enqueue(op);
      else for (const o of walkPreOrder(op)) enqueue(o);
    },
    notifyOpModified: enqueue,
    notifyOpReplaced(op) {
      for (const r of op.results) for (const u of r.uses) enqueue(u.owner);
    },
    notifyOpErased(op) {
      if (pending.has(op)) pending.set(op, false);
      for (const o of op.operands) enqueue(o.value.definingOp);
    },
  };
  const b = new Builder(listener);
  let rewrites = 0;
  let everChanged = false;
  let iterations = 0;
  let changed = true;
  while (changed && iterations < maxIterations) {
    iterations++;
    changed = false;
    const seed = opts.topDown === false ? walkPostOrder(root) : [...walkPreOrder(root)];
    for (let i = seed.length - 1; i >= 0; i--) enqueue(seed[i]);
    let budget = opts.maxRewritesPerIteration ?? 4 * seed.length + 64;
    while (stack.length > 0) {
      const op = stack.pop()!;
      if (!take(op) || !isLive(op, root)) continue;
      const kind = processOp(op, patterns, b, useFolds);
      if (kind === undefined) continue;
      changed = true;
      rewrites++;
      opts.onRewrite?.(kind, op);
      if (--budget <= 0) break;
    }
    for (const op of stack) pending.set(op, false);
    stack.length = 0;
    if (changed) everChanged = true;
  }
  return { changed: everChanged, converged: !changed, iterations, rewrites };
}

/** Whether `op` is still attached under `root` (erased ops and their contents are detached). */
function isLive(op: Operation, root: Operation): boolean {
  let cur: Operation | undefined = op;
  while (cur && cur !== root) {
    if (!cur.parent) return false;
    cur = cur.parent.parentOp;
  }
  return cur === root;
}

/** One step on one op; returns what changed it, or undefined. */
function processOp(op: Operation, patterns: PatternSet, b: Builder, useFolds: boolean): string | undefined {
  if (isTriviallyDead(op)) {
    b.eraseOp(op);
    return 'dead';
  }
  if (useFolds) {
    const values: Value[] | undefined = foldOp(op, b);
    if (values) {
      b.replaceOp(op, values);
      return 'fold';
    }
  }
  for (const p of patterns.forOp(op)) {
    b.setInsertionPointBefore(op);
    b.changed = false;
    const applied = p.matchAndRewrite(op, b);
    if (applied || b.changed) return p.name;
  }
  return undefined;
}
