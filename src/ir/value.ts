/**
 * SSA values and their use lists: an OpResult is defined by an operation, a BlockArgument by a
 * block; every OpOperand registers itself in its value's use set so users are found in O(1).
 */
import type { Block } from './block.js';
import type { Location } from './location.js';
import type { Operation } from './operation.js';
import type { Type } from './type.js';

/** One use of a value: operand `index` of `owner`. */
export class OpOperand {
  private current: Value;
  constructor(
    readonly owner: Operation,
    public index: number,
    value: Value,
  ) {
    this.current = value;
    value.uses.add(this);
  }
  /** The value used. */
  get value(): Value {
    return this.current;
  }
  /** Points this use at another value, keeping both use lists right. */
  set(value: Value): void {
    if (value === this.current) return;
    this.current.uses.delete(this);
    this.current = value;
    value.uses.add(this);
  }
  /** Removes this use from its value's use list (the operand is being destroyed). */
  drop(): void {
    this.current.uses.delete(this);
  }
}

/** An SSA value. */
export abstract class Value {
  /** The uses of this value, in the order they were made. */
  readonly uses = new Set<OpOperand>();
  constructor(public type: Type) {}
  abstract readonly kind: 'result' | 'argument';
  /** The op defining this value, or undefined for block arguments. */
  abstract get definingOp(): Operation | undefined;
  /** The block that holds the definition. */
  abstract get parentBlock(): Block | undefined;
  /** Whether the value has exactly one use. */
  hasOneUse(): boolean {
    return this.uses.size === 1;
  }
  /** Whether the value is unused. */
  get isUnused(): boolean {
    return this.uses.size === 0;
  }
  /** The distinct ops using this value, in use order. */
  users(): Operation[] {
    const seen = new Set<Operation>();
    for (const u of this.uses) seen.add(u.owner);
    return [...seen];
  }
  /** Replaces every use of this value by `other` (direct; passes should go through the rewriter). */
  replaceAllUsesWith(other: Value): void {
    if (other === this) return;
    for (const u of [...this.uses]) u.set(other);
  }
}

/** A result of an operation. */
export class OpResult extends Value {
  readonly kind = 'result' as const;
  constructor(
    readonly owner: Operation,
    readonly index: number,
    type: Type,
  ) {
    super(type);
  }
  get definingOp(): Operation {
    return this.owner;
  }
  get parentBlock(): Block | undefined {
    return this.owner.parent ?? undefined;
  }
}

/** An argument of a block (function arguments are entry-block arguments). */
export class BlockArgument extends Value {
  readonly kind = 'argument' as const;
  constructor(
    readonly owner: Block,
    public index: number,
    type: Type,
    public loc: Location,
  ) {
    super(type);
  }
  get definingOp(): undefined {
    return undefined;
  }
  get parentBlock(): Block {
    return this.owner;
  }
}
