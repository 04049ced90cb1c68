/**
 * `dce`: erases Pure ops whose results are unused, following operand chains with a worklist so a
 * whole dead chain goes in one O(n) run.
 */
import type { Operation } from '../src/ir/operation.js';
import { walkPostOrder } from '../src/ir/walk.js';
import { definePass } from '../src/pass/pass.js';
import { isTriviallyDead } from '../src/rewrite/fold.js';

/** Erases dead pure ops nested in `root`; returns how many were erased. */
export function eraseDeadOps(root: Operation): number {
  const work = walkPostOrder(root).filter((op) => op !== root && isTriviallyDead(op));
  // flags are flipped, not deleted (deleting and re-adding keys makes V8 tables rehash repeatedly)
  const queued = new Map<Operation, boolean>(work.map((op) => [op, true]));
  let erased = 0;
  while (work.length > 0) {
    const op = work.pop()!;
    queued.set(op, false);
    if (!op.parent || !isTriviallyDead(op)) continue;
    const producers = op.operands.map((o) => o.value.definingOp);
    op.erase();
    erased++;
    for (const p of producers)
      if (p && queued.get(p) !== true && p.parent && isTriviallyDead(p)) {
        queued.set(p, true);
        work.push(p);
      }
  }
  return erased;
}

/** The dead code elimination pass. */
export const dcePass = definePass({
  name: 'dce',
  summary: 'Erase pure ops whose results are unused',
  anchor: 'func.func',
  options: {},
  run(op) {
    return { changed: eraseDeadOps(op) > 0 };
  },
});
