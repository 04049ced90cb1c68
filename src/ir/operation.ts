/**
 * Operations: a name, operands (uses of values), results, a mutable attribute map, regions,
 * successors and a location. Ops live in a block's linked list; use the rewriter in passes.
 */
import type { Attribute } from './attribute.js';
import type { Block } from './block.js';
import { type Location, UnknownLoc } from './location.js';
import { Region } from './region.js';
import type { Type } from './type.js';
import { OpOperand, OpResult, type Value } from './value.js';

/** What an operation is made of. */
export interface OperationState {
  readonly name: string;
  readonly operands?: readonly Value[];
  readonly resultTypes?: readonly Type[];
  readonly attributes?: Iterable<readonly [string, Attribute]> | Readonly<Record<string, Attribute>>;
  /** Number of (empty) regions to create, or regions already built to adopt. */
  readonly regions?: number;
  readonly successors?: readonly Block[];
  readonly loc?: Location;
}

/** An operation. */
export class Operation {
  readonly operands: OpOperand[] = [];
  readonly results: OpResult[] = [];
  readonly attributes = new Map<string, Attribute>();
  readonly regions: Region[] = [];
  successors: Block[] = [];
  loc: Location;
  parent: Block | null = null;
  prev: Operation | null = null;
  next: Operation | null = null;
  /** Position in the parent block, valid while the block's order cache is. */
  orderIndex = 0;

  private constructor(readonly name: string, loc: Location) {
    this.loc = loc;
  }

  /** Creates a detached operation. */
  static create(state: OperationState): Operation {
    const op = new Operation(state.name, state.loc ?? UnknownLoc);
    (state.operands ?? []).forEach((v, i) => op.operands.push(new OpOperand(op, i, v)));
    (state.resultTypes ?? []).forEach((t, i) => op.results.push(new OpResult(op, i, t)));
    if (state.attributes) {
      const entries =
        Symbol.iterator in state.attributes
          ? (state.attributes as Iterable<readonly [string, Attribute]>)
          : Object.entries(state.attributes as Record<string, Attribute>);
      for (const [k, v] of entries) op.attributes.set(k, v);
    }
    for (let i = 0; i < (state.regions ?? 0); i++) op.regions.push(new Region(op));
    op.successors = [...(state.successors ?? [])];
    return op;
  }

  /** Appends results of the given types (for builders that learn result types late, like parsers). */
  addResults(types: readonly Type[]): void {
    for (const t of types) this.results.push(new OpResult(this, this.results.length, t));
  }
  /** Appends a new empty region. */
  addRegion(): Region {
    const r = new Region(this);
    this.regions.push(r);
    return r;
  }

  /** The dialect prefix of the name (`tfl` of `tfl.add`). */
  get dialect(): string {
    const i = this.name.indexOf('.');
    return i < 0 ? '' : this.name.slice(0, i);
  }
  /** Operand value `i`. */
  operand(i: number): Value {
    const o = this.operands[i];
    if (!o) throw new Error(`'${this.name}' has no operand #${i}`);
    return o.value;
  }
  /** All operand values. */
  operandValues(): Value[] {
    return this.operands.map((o) => o.value);
  }
  /** Result `i`. */
  result(i = 0): OpResult {
    const r = this.results[i];
    if (!r) throw new Error(`'${this.name}' has no result #${i}`);
    return r;
  }
  /** Attribute by name. */
  attr(name: string): Attribute | undefined {
    return this.attributes.get(name);
  }
  /** Sets an attribute (use inside `rewriter.modifyInPlace`). */
  setAttr(name: string, value: Attribute): void {
    this.attributes.set(name, value);
  }
  /** Removes an attribute. */
  removeAttr(name: string): void {
    this.attributes.delete(name);
  }
  /** Points operand `i` at another value. */
  setOperand(i: number, v: Value): void {
    const o = this.operands[i];
    if (!o) throw new Error(`'${this.name}' has no operand #${i}`);
    o.set(v);
  }
  /** Replaces the whole operand list. */
  setOperands(values: readonly Value[]): void {
    for (const o of this.operands) o.drop();
    this.operands.length = 0;
    values.forEach((v, i) => this.operands.push(new OpOperand(this, i, v)));
  }
  /** The op whose region holds this op. */
  get parentOp(): Operation | undefined {
    return this.parent?.parentOp;
  }
  /** The nearest ancestor op (or this op) with a given name. */
  ancestor(name: string): Operation | undefined {
    let op: Operation | undefined = this;
    while (op && op.name !== name) op = op.parentOp;
    return op;
  }
  /** Whether every result is unused. */
  get isUseEmpty(): boolean {
    return this.results.every((r) => r.isUnused);
  }
  /** Drops this op's operand uses, also inside its regions (before erasing). */
  dropAllReferences(): void {
    for (const o of this.operands) o.drop();
    for (const r of this.regions)
      for (const b of r.blocks) for (const op of b.ops()) op.dropAllReferences();
  }
  /** Unlinks the op from its block and drops its uses; results must be unused. */
  erase(): void {
    for (const r of this.results)
      if (!r.isUnused) throw new Error(`cannot erase '${this.name}': result #${r.index} still has uses`);
    this.dropAllReferences();
    this.parent?.unlink(this);
  }
  /** Whether this op is an ancestor of (or is) `other`. */
  isAncestorOf(other: Operation): boolean {
    let op: Operation | undefined = other;
    while (op) {
      if (op === this) return true;
      op = op.parentOp;
    }
    return false;
  }
  /**
   * Deep-copies this op (and its regions). Operands are remapped through `mapping` (values not in it
   * are kept); the clone's results and block arguments are added to `mapping`.
   */
  clone(mapping: Map<Value, Value> = new Map()): Operation {
    const op = Operation.create({
      name: this.name,
      operands: this.operands.map((o) => mapping.get(o.value) ?? o.value),
      resultTypes: this.results.map((r) => r.type),
      attributes: this.attributes,
      regions: this.regions.length,
      successors: this.successors,
      loc: this.loc,
    });
    this.results.forEach((r, i) => mapping.set(r, op.result(i)));
    this.regions.forEach((region, i) => {
      const target = op.regions[i]!;
      const blockMap = new Map<Block, Block>();
      for (const b of region.blocks) {
        const nb = target.addBlock();
        blockMap.set(b, nb);
        for (const a of b.args) mapping.set(a, nb.addArgument(a.type, a.loc));
      }
      for (const b of region.blocks) {
        const nb = blockMap.get(b)!;
        for (const inner of b.ops()) {
          const c = inner.clone(mapping);
          c.successors = c.successors.map((s) => blockMap.get(s) ?? s);
          nb.append(c);
        }
      }
    });
    return op;
  }
}
