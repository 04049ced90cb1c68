/**
 * Shared pieces of the tfl folders: identity checks on splat constants, re-typing dense constants for
 * shape-only ops, and small constant evaluation of integer (shape-arithmetic) binary ops. Folders
 * return existing values or attributes; they never create ops.
 */
import { type Attribute, type DenseElementsAttr, denseAttr, denseNumElements, elementByteWidth } from '../../src/ir/attribute.js';
import type { FoldResult } from '../../src/ir/op-def.js';
import type { Operation } from '../../src/ir/operation.js';
import { type RankedTensorType, type Type, isStaticShape, tensorType } from '../../src/ir/type.js';
import { elementCodec } from '../../src/syntax/dense-values.js';
import { fusedActivation, splatNumber } from './verify-helpers.js';

/** Constant folding of integer arithmetic stays below this many elements. */
export const MAX_FOLD_ELEMENTS = 1024;

/** A dense constant's bytes under another static type of the same element type and size. */
export function retypeDense(a: DenseElementsAttr, to: Type): DenseElementsAttr | undefined {
  if (to.kind !== 'tensor' || !isStaticShape(to.shape) || to.element !== a.type.element) return undefined;
  let n = 1;
  for (const d of to.shape) n *= d;
  if (n !== denseNumElements(a)) return undefined;
  return denseAttr(to, a.bytes);
}

/**
 * Whether a dense constant of a plain float type is a splat of exactly `v`, sign of zero included
 * (`x + -0.0` is an identity for every x; `x + 0.0` is not, since `-0.0 + 0.0 = 0.0`).
 */
export function isFloatSplatOf(a: DenseElementsAttr | undefined, v: number): boolean {
  if (!a || a.type.element.kind !== 'float') return false;
  const s = splatNumber(a);
  return s !== undefined && Object.is(s, v);
}

/** Whether a dense constant of a plain (non-quantized) integer type is a splat of exactly `v`. */
export function isIntSplatOf(a: DenseElementsAttr | undefined, v: number): boolean {
  if (!a || a.type.element.kind !== 'integer') return false;
  return splatNumber(a) === v;
}

/**
 * Folds `op(x, c)` (and `op(c, x)` when `commutative`) to `x` when `c` is an exact identity element:
 * no fused activation, `c` a splat of `floatIdentity` (float types) or `intIdentity` (integer
 * types), and x already of the result type (so `c` did not broadcast x to a larger shape).
 * Quantized operands never fold: their constants are stored integers, not real values.
 */
export function foldIdentityOperand(
  op: Operation,
  constants: readonly (Attribute | undefined)[],
  floatIdentity: number,
  intIdentity: number,
  commutative: boolean,
): FoldResult | undefined {
  if (fusedActivation(op) !== 'NONE') return undefined;
  const resultType = op.result(0).type;
  const sides: [number, number][] = commutative ? [[0, 1], [1, 0]] : [[0, 1]];
  for (const [keep, cst] of sides) {
    const c = constants[cst];
    if (c?.kind !== 'dense') continue;
    const x = op.operand(keep);
    if (x.type !== resultType) continue;
    // The constant's attribute must describe the operand itself (a pseudo_qconst's value holds
    // stored integers of a quantized type, which are not identity elements).
    if (c.type !== op.operand(cst).type) continue;
    if (isFloatSplatOf(c, floatIdentity) || isIntSplatOf(c, intIdentity)) return [x];
  }
  return undefined;
}

/**
 * Evaluates an elementwise integer binary op on two constants (same shape, or one of them a single
 * element) into a dense attribute of `resultType`; undefined when not cheap or not applicable.
 */
export function foldIntBinary(
  lhs: DenseElementsAttr | undefined,
  rhs: DenseElementsAttr | undefined,
  resultType: Type,
  fn: (a: bigint, b: bigint) => bigint | undefined,
): DenseElementsAttr | undefined {
  if (!lhs || !rhs || lhs.kind !== 'dense' || rhs.kind !== 'dense') return undefined;
  if (resultType.kind !== 'tensor' || !isStaticShape(resultType.shape)) return undefined;
  const el = resultType.element;
  if (el.kind !== 'integer' || (el.width !== 32 && el.width !== 64) || el.signedness === 'unsigned') return undefined;
  if (lhs.type.element !== el || rhs.type.element !== el) return undefined;
  const n = denseNumElements(lhs);
  const m = denseNumElements(rhs);
  const out = Math.max(n, m);
  if (out > MAX_FOLD_ELEMENTS) return undefined;
  if (!(n === m || n === 1 || m === 1)) return undefined;
  if (n !== m && !sameShapeOrScalarBroadcast(lhs.type, rhs.type, resultType)) return undefined;
  let total = 1;
  for (const d of resultType.shape) total *= d;
  if (total !== out) return undefined;
  const codec = elementCodec(el);
  const lv = new DataView(lhs.bytes.buffer, lhs.bytes.byteOffset, lhs.bytes.byteLength);
  const rv = new DataView(rhs.bytes.buffer, rhs.bytes.byteOffset, rhs.bytes.byteLength);
  const width = elementByteWidth(el);
  const bytes = new Uint8Array(out * width);
  const ov = new DataView(bytes.buffer);
  const min = -(1n << BigInt(el.width - 1));
  const max = (1n << BigInt(el.width - 1)) - 1n;
  for (let i = 0; i < out; i++) {
    const a = BigInt(codec.read(lv, (lhs.splat || n === 1 ? 0 : i) * width));
    const b = BigInt(codec.read(rv, (rhs.splat || m === 1 ? 0 : i) * width));
    const r = fn(a, b);
    if (r === undefined || r < min || r > max) return undefined;
    codec.write(ov, i * width, el.width === 64 ? r : Number(r));
  }
  return denseAttr(resultType, bytes);
}

function sameShapeOrScalarBroadcast(a: RankedTensorType, b: RankedTensorType, r: RankedTensorType): boolean {
  const big = denseCount(a) >= denseCount(b) ? a : b;
  return big.shape.length === r.shape.length && big.shape.every((d, i) => d === r.shape[i]);
}

function denseCount(t: RankedTensorType): number {
  let n = 1;
  for (const d of t.shape) n *= d;
  return n;
}

/** A rank-1 dense constant of i32 (or i64) values, for shape-producing folds. */
export function shapeConstant(values: readonly number[], resultType: Type): DenseElementsAttr | undefined {
  if (resultType.kind !== 'tensor' || resultType.shape.length !== 1 || resultType.shape[0] !== values.length) return undefined;
  const el = resultType.element;
  if (el.kind !== 'integer' || (el.width !== 32 && el.width !== 64)) return undefined;
  const width = el.width / 8;
  const bytes = new Uint8Array(Math.max(values.length, 0) * width);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (width === 4) view.setInt32(i * 4, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  });
  return denseAttr(tensorType([values.length], el), bytes);
}
