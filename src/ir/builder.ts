/**
 * The builder/rewriter through which all IR mutation goes: creating ops at an insertion point,
 * replacing, erasing and modifying them in place. A listener sees every change, which is how the
 * greedy pattern driver keeps its worklist and how passes report whether they changed anything.
 */
import type { Attribute } from './attribute.js';
import type { Block } from './block.js';
import { type Location, UnknownLoc } from './location.js';
import { Operation, type OperationState } from './operation.js';
import type { Type } from './type.js';
import type { Value } from './value.js';
import { walkPostOrder } from './walk.js';

/** Observes IR changes made through a Builder. */
export interface RewriteListener {
  notifyOpInserted?(op: Operation): void;
  notifyOpErased?(op: Operation): void;
  notifyOpModified?(op: Operation): void;
  notifyOpReplaced?(op: Operation, replacement: readonly Value[]): void;
}

/** Where new ops go: before `before` in `block`, or at its end when `before` is null. */
export interface InsertionPoint {
  readonly block: Block;
  readonly before: Operation | null;
}

/** Creates and mutates IR. */
export class Builder {
  private ip: InsertionPoint | undefined;
  /** Set by every mutation; passes use it to report "changed". */
  changed = false;

  constructor(public listener: RewriteListener = {}) {}

  /** New ops go before `op`. */
  setInsertionPointBefore(op: Operation): void {
    if (!op.parent) throw new Error('op is not in a block');
    this.ip = { block: op.parent, before: op };
  }
  /** New ops go after `op`. */
  setInsertionPointAfter(op: Operation): void {
    if (!op.parent) throw new Error('op is not in a block');
    this.ip = { block: op.parent, before: op.next };
  }
  /** New ops go at the end of `block`. */
  setInsertionPointToEnd(block: Block): void {
    this.ip = { block, before: null };
  }
  /** New ops go at the start of `block`. */
  setInsertionPointToStart(block: Block): void {
    this.ip = { block, before: block.first };
  }
  /** The current insertion point. */
  get insertionPoint(): InsertionPoint | undefined {
    return this.ip;
  }
  /** Restores a saved insertion point. */
  restoreInsertionPoint(ip: InsertionPoint | undefined): void {
    this.ip = ip;
  }

  /** Creates an op at the insertion point (detached when there is none). */
  create(state: OperationState): Operation {
    const op = Operation.create(state);
    this.insert(op);
    return op;
  }
  /** Shorthand: one-result op. */
  createOne(
    name: string,
    operands: readonly Value[],
    resultType: Type,
    attributes: Readonly<Record<string, Attribute>> = {},
    loc: Location = UnknownLoc,
  ): Value {
    return this.create({ name, operands, resultTypes: [resultType], attributes, loc }).result(0);
  }
  /** Inserts a detached op at the insertion point. */
  insert(op: Operation): Operation {
    if (this.ip) {
      this.ip.block.insertBefore(op, this.ip.before);
      this.changed = true;
      this.listener.notifyOpInserted?.(op);
    }
    return op;
  }
  /** Replaces every use of `op`'s results by `values`, then erases `op`. */
  replaceOp(op: Operation, values: readonly Value[]): void {
    if (values.length !== op.results.length)
      throw new Error(`replacing '${op.name}': ${values.length} values for ${op.results.length} results`);
    this.listener.notifyOpReplaced?.(op, values);
    op.results.forEach((r, i) => this.replaceAllUsesWith(r, values[i]!));
    this.eraseOp(op);
  }
  /** Replaces every use of `from` by `to`, notifying the users. */
  replaceAllUsesWith(from: Value, to: Value): void {
    if (from === to) return;
    for (const u of [...from.uses]) {
      u.set(to);
      this.changed = true;
      this.listener.notifyOpModified?.(u.owner);
    }
  }
  /** Erases an op whose results are unused (and everything nested in it). */
  eraseOp(op: Operation): void {
    // Every nested op, innermost first, then the op itself.
    if (this.listener.notifyOpErased) for (const inner of walkPostOrder(op)) this.listener.notifyOpErased(inner);
    op.erase();
    this.changed = true;
  }
  /** Runs `fn` that mutates `op` in place (attributes, operands), then notifies. */
  modifyInPlace(op: Operation, fn: () => void): void {
    fn();
    this.changed = true;
    this.listener.notifyOpModified?.(op);
  }
  /** Moves an op before another (e.g. hoisting constants). */
  moveOpBefore(op: Operation, anchor: Operation): void {
    op.parent?.unlink(op);
    anchor.parent!.insertBefore(op, anchor);
    this.changed = true;
    this.listener.notifyOpModified?.(op);
  }
}
