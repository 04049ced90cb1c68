/**
 * Small, total helpers the tfl op verifiers and folders share: shapes and ranks of values (none and
 * unranked tolerated), typed attribute getters, constant-operand readers over `tfl.pseudo_const`
 * and broadcast checks. Nothing here throws on malformed IR; it answers `undefined` instead.
 */
import { type Attribute, type DenseElementsAttr, denseNumElements } from '../../src/ir/attribute.js';
import type { Operation } from '../../src/ir/operation.js';
import { type Type, isQuantType, storageType } from '../../src/ir/type.js';
import type { Value } from '../../src/ir/value.js';
import { elementCodec } from '../../src/syntax/dense-values.js';

/** The shape of a ranked tensor type; undefined for unranked tensors, none and scalars. */
export function shapeOfType(t: Type): readonly number[] | undefined {
  return t.kind === 'tensor' ? t.shape : undefined;
}

/** The shape of a value's ranked tensor type, if it has one. */
export function shapeOf(v: Value): readonly number[] | undefined {
  return shapeOfType(v.type);
}

/** The rank of a value, or undefined when unranked or not a tensor. */
export function rankOf(v: Value): number | undefined {
  return shapeOf(v)?.length;
}

/** Whether a value is an absent optional operand (`none`-typed, from `tfl.no_value`). */
export function isNone(v: Value | undefined): boolean {
  return v === undefined || v.type.kind === 'none';
}

/** The element type of a value's tensor type (the type itself otherwise). */
export function elemOf(v: Value): Type {
  const t = v.type;
  return t.kind === 'tensor' || t.kind === 'unranked_tensor' ? t.element : t;
}

/** Whether a value's elements are quantized (uniform, per-axis or calibrated). */
export function isQuantized(v: Value): boolean {
  return isQuantType(elemOf(v));
}

/** Whether a dimension is statically known. */
export function isStaticDim(d: number | undefined): d is number {
  return d !== undefined && d >= 0;
}

/** Element count of a shape, or undefined when any dimension is dynamic. */
export function staticNumElements(shape: readonly number[] | undefined): number | undefined {
  if (!shape) return undefined;
  let n = 1;
  for (const d of shape) {
    if (d < 0) return undefined;
    n *= d;
  }
  return n;
}

/** Dimension `i` of a value's shape (negative `i` counts from the end), if static. */
export function dimOf(v: Value, i: number): number | undefined {
  const s = shapeOf(v);
  if (!s) return undefined;
  const d = s[i < 0 ? s.length + i : i];
  return isStaticDim(d) ? d : undefined;
}

/** Two static dims disagree (dynamic dims agree with anything). */
export function dimsConflict(a: number | undefined, b: number | undefined): boolean {
  return isStaticDim(a) && isStaticDim(b) && a !== b;
}

/** `3d`-style rank text for messages. */
export function rankText(r: number): string {
  return `${r}d`;
}

/**
 * Whether two element types are "the same" for operands that must agree: identical, or both
 * quantized over the same storage type (scales may differ).
 */
export function sameElementKind(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (isQuantType(a) && isQuantType(b)) return storageType(a) === storageType(b);
  return false;
}

/**
 * The broadcast of two shapes (numpy rules; -1 is dynamic), or undefined if incompatible.
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x === 1) out[i] = y;
    else if (y === 1) out[i] = x;
    else if (x < 0) out[i] = y;
    else if (y < 0) out[i] = x;
    else if (x === y) out[i] = x;
    else return undefined;
  }
  return out;
}

/** Checks that the shapes of two operands (and the result) broadcast; returns a message or undefined. */
export function verifyBroadcastable(op: Operation, lhs = 0, rhs = 1): string | undefined {
  const a = shapeOf(op.operand(lhs));
  const b = shapeOf(op.operand(rhs));
  if (!a || !b) return undefined;
  const bc = broadcastShapes(a, b);
  if (!bc) return `operands don't have broadcast-compatible shapes`;
  const r = op.results[0] ? shapeOf(op.result(0)) : undefined;
  if (r) {
    if (r.length !== bc.length) return `result rank ${r.length} does not match broadcast rank ${bc.length}`;
    for (let i = 0; i < r.length; i++)
      if (dimsConflict(r[i], bc[i]))
        return `result shape is not the broadcast of the operand shapes`;
  }
  return undefined;
}

/** Checks that the first two operands have the same element type (same storage when quantized). */
export function verifySameOperandElements(op: Operation, a = 0, b = 1): string | undefined {
  if (!sameElementKind(elemOf(op.operand(a)), elemOf(op.operand(b))))
    return `operands #${a} and #${b} have different element types`;
  return undefined;
}

/** Operand 0 and result 0 are both float or both quantized over the same storage type. */
export function verifySameElementKind(op: Operation): string | undefined {
  return sameElementKind(elemOf(op.operand(0)), elemOf(op.result(0)))
    ? undefined
    : 'operand and result must have the same element type (or the same quantized storage type)';
}

/** Runs checks in order and returns the first failure. */
export function firstError(...checks: (() => string | undefined)[]): string | undefined {
  for (const c of checks) {
    const m = c();
    if (m !== undefined) return m;
  }
  return undefined;
}

/** Checks the rank of operand `i` (skipped when unranked; `none` fails unless `allowNone`). */
export function expectRank(op: Operation, i: number, rank: number, what: string, allowNone = false): string | undefined {
  const v = op.operands[i]?.value;
  if (!v) return undefined;
  if (isNone(v)) return allowNone ? undefined : `${what} must not be none`;
  const r = rankOf(v);
  if (r !== undefined && r !== rank) return `expect ${rankText(rank)} ${what}, got ${rankText(r)}`;
  return undefined;
}

/** Checks that operand `i` has a rank within [lo, hi] when ranked. */
export function expectRankIn(op: Operation, i: number, lo: number, hi: number, what: string): string | undefined {
  const v = op.operands[i]?.value;
  if (!v || isNone(v)) return undefined;
  const r = rankOf(v);
  if (r !== undefined && (r < lo || r > hi))
    return lo === hi
      ? `expect ${rankText(lo)} ${what}, got ${rankText(r)}`
      : `expect ${what} of rank in [${lo}, ${hi}], got ${rankText(r)}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Attributes
// ---------------------------------------------------------------------------------------------

/** An integer attribute's value as a number. */
export function intAttr(op: Operation, name: string): number | undefined {
  const a = op.attr(name);
  return a?.kind === 'integer' ? Number(a.value) : undefined;
}

/** A float attribute's value. */
export function floatAttrOf(op: Operation, name: string): number | undefined {
  const a = op.attr(name);
  return a?.kind === 'float' ? a.value : undefined;
}

/** A bool attribute's value (an i1 integer attribute counts too). */
export function boolAttrOf(op: Operation, name: string): boolean | undefined {
  const a = op.attr(name);
  if (a?.kind === 'bool') return a.value;
  if (a?.kind === 'integer' && a.type.kind === 'integer' && a.type.width === 1) return a.value !== 0;
  return undefined;
}

/** A string attribute's value. */
export function strAttr(op: Operation, name: string): string | undefined {
  const a = op.attr(name);
  return a?.kind === 'string' ? a.value : undefined;
}

/** An array-of-integers attribute (or a dense integer attribute) as numbers. */
export function intArrayAttr(op: Operation, name: string): number[] | undefined {
  return intsOfAttr(op.attr(name));
}

/** Integers held by an array attribute of integers or an integer dense attribute. */
export function intsOfAttr(a: Attribute | undefined): number[] | undefined {
  if (!a) return undefined;
  if (a.kind === 'array') {
    const out: number[] = [];
    for (const e of a.elements) {
      if (e.kind !== 'integer') return undefined;
      out.push(Number(e.value));
    }
    return out;
  }
  if (a.kind === 'dense') return denseInts(a);
  return undefined;
}

/** The fused activation function of an op ("NONE" when absent). */
export function fusedActivation(op: Operation): string {
  return strAttr(op, 'fused_activation_function') ?? 'NONE';
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Names of the ops whose `value` attribute is their (dense) result. */
export const CONSTANT_OPS: ReadonlySet<string> = new Set(['tfl.pseudo_const', 'tfl.pseudo_qconst']);

/** The dense value of a value produced by `tfl.pseudo_const` / `tfl.pseudo_qconst`, if any. */
export function constantAttr(v: Value | undefined): DenseElementsAttr | undefined {
  const d = v?.definingOp;
  if (!d || !CONSTANT_OPS.has(d.name)) return undefined;
  const a = d.attr('value');
  return a?.kind === 'dense' ? a : undefined;
}

/** Every element of an integer (or i1) dense attribute as numbers; undefined for floats. */
export function denseInts(a: DenseElementsAttr): number[] | undefined {
  const st = storageType(a.type.element);
  if (st.kind !== 'integer' && st.kind !== 'index') return undefined;
  return denseNumbers(a);
}

/** Every element of a float dense attribute; undefined for integer ones. */
export function denseFloats(a: DenseElementsAttr): number[] | undefined {
  const st = storageType(a.type.element);
  if (st.kind !== 'float') return undefined;
  return denseNumbers(a);
}

function denseNumbers(a: DenseElementsAttr): number[] {
  const codec = elementCodec(a.type.element);
  const view = new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
  const n = denseNumElements(a);
  const out = new Array<number>(n);
  if (a.splat) {
    const v = Number(codec.read(view, 0));
    out.fill(v);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = Number(codec.read(view, i * codec.width));
  return out;
}

/** The integer contents of a constant operand, if it is one. */
export function constantInts(v: Value | undefined): number[] | undefined {
  const a = constantAttr(v);
  return a ? denseInts(a) : undefined;
}

/** The one value of a splat (or one-element) dense attribute, as a number. */
export function splatNumber(a: DenseElementsAttr): number | undefined {
  if (!a.splat && denseNumElements(a) !== 1) return undefined;
  const codec = elementCodec(a.type.element);
  return Number(codec.read(new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength), 0));
}

/** Normalises an axis into [0, rank), or undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** Whether `perm` is a permutation of 0..n-1. */
export function isPermutation(perm: readonly number[]): boolean {
  const seen = new Array<boolean>(perm.length).fill(false);
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= perm.length || seen[p]) return false;
    seen[p] = true;
  }
  return true;
}
