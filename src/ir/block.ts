/**
 * A basic block: arguments plus a doubly linked list of operations, so inserting and erasing are
 * O(1) even in 100k-op functions. Order queries use lazily recomputed indices.
 */
import type { Location } from './location.js';
import type { Operation } from './operation.js';
import type { Region } from './region.js';
import type { Type } from './type.js';
import { BlockArgument } from './value.js';

/** A block of operations. */
export class Block {
  readonly args: BlockArgument[] = [];
  parent: Region | null = null;
  first: Operation | null = null;
  last: Operation | null = null;
  private count = 0;
  private orderValid = false;

  /** Adds an argument of a type. */
  addArgument(type: Type, loc: Location): BlockArgument {
    const a = new BlockArgument(this, this.args.length, type, loc);
    this.args.push(a);
    return a;
  }
  /** Removes an unused argument. */
  eraseArgument(index: number): void {
    const a = this.args[index];
    if (!a) throw new Error(`no block argument #${index}`);
    if (!a.isUnused) throw new Error(`block argument #${index} still has uses`);
    this.args.splice(index, 1);
    this.args.forEach((x, i) => (x.index = i));
  }
  /** Number of operations. */
  get size(): number {
    return this.count;
  }
  /** The op that owns the region holding this block. */
  get parentOp(): Operation | undefined {
    return this.parent?.parentOp;
  }
  /** The last op, if it is a terminator candidate. */
  get terminator(): Operation | null {
    return this.last;
  }
  /** Iterates ops; safe against erasing the op just returned. */
  *ops(): IterableIterator<Operation> {
    let op = this.first;
    while (op) {
      const next = op.next;
      yield op;
      op = next;
    }
  }
  /** The ops as an array (a snapshot). */
  opsArray(): Operation[] {
    const out: Operation[] = [];
    for (let op = this.first; op; op = op.next) out.push(op);
    return out;
  }
  /** Appends a detached op. */
  append(op: Operation): void {
    this.insertBefore(op, null);
  }
  /** Inserts a detached op before `anchor` (or at the end when null). */
  insertBefore(op: Operation, anchor: Operation | null): void {
    if (op.parent) throw new Error(`'${op.name}' is already in a block`);
    if (anchor && anchor.parent !== this) throw new Error('anchor is not in this block');
    op.parent = this;
    op.next = anchor;
    op.prev = anchor ? anchor.prev : this.last;
    if (op.prev) op.prev.next = op;
    else this.first = op;
    if (anchor) anchor.prev = op;
    else this.last = op;
    this.count++;
    this.orderValid = false;
  }
  /** Inserts a detached op after `anchor`. */
  insertAfter(op: Operation, anchor: Operation): void {
    this.insertBefore(op, anchor.next);
  }
  /** Unlinks an op (keeps its operands and uses). */
  unlink(op: Operation): void {
    if (op.parent !== this) throw new Error('op is not in this block');
    if (op.prev) op.prev.next = op.next;
    else this.first = op.next;
    if (op.next) op.next.prev = op.prev;
    else this.last = op.prev;
    op.prev = op.next = null;
    op.parent = null;
    this.count--;
  }
  /** Whether `a` comes before `b` (both in this block). */
  isBefore(a: Operation, b: Operation): boolean {
    if (!this.orderValid) {
      let i = 0;
      for (let op = this.first; op; op = op.next) op.orderIndex = i++;
      this.orderValid = true;
    }
    return a.orderIndex < b.orderIndex;
  }
}
