/**
 * Iterative walks over nested IR (no recursion, so deep nesting and long op lists are safe).
 */
import type { Operation } from './operation.js';

/** Visits `root` and every nested op in pre-order (parents before children, program order). */
export function* walkPreOrder(root: Operation): IterableIterator<Operation> {
  const stack: Operation[] = [root];
  while (stack.length > 0) {
    const op = stack.pop()!;
    yield op;
    const children: Operation[] = [];
    for (const r of op.regions) for (const b of r.blocks) for (let o = b.first; o; o = o.next) children.push(o);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** Visits every op nested in `root` (and `root`) in post-order (children before parents). */
export function walkPostOrder(root: Operation): Operation[] {
  const out: Operation[] = [];
  const stack: { op: Operation; done: boolean }[] = [{ op: root, done: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.done) {
      out.push(top.op);
      continue;
    }
    stack.push({ op: top.op, done: true });
    const children: Operation[] = [];
    for (const r of top.op.regions) for (const b of r.blocks) for (let o = b.first; o; o = o.next) children.push(o);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ op: children[i]!, done: false });
  }
  return out;
}

/** Calls `fn` on every op (pre-order); returns early when `fn` returns `false`. */
export function walk(root: Operation, fn: (op: Operation) => void | boolean): void {
  for (const op of walkPreOrder(root)) if (fn(op) === false) return;
}

/** Every nested op with a given name. */
export function findOps(root: Operation, name: string): Operation[] {
  const out: Operation[] = [];
  for (const op of walkPreOrder(root)) if (op.name === name) out.push(op);
  return out;
}
