/**
 * Canonicalization patterns of the tfl dialect, as one table of small local rewrites, each with its
 * one-line `before -> after`. Op definitions pick theirs up with `patternsFor(name)`. Identities that
 * need no new op (e.g. `reshape(x) : type(x) -> x`) live in the ops' folders instead.
 */
import { type DenseElementsAttr, denseAttr, denseFullBytes, typeAttr } from '../../src/ir/attribute.js';
import type { Builder } from '../../src/ir/builder.js';
import type { Operation } from '../../src/ir/operation.js';
import { getOpDef } from '../../src/ir/registry.js';
import { type Type, type UniformPerAxisQuantType, type UniformQuantType, tensorType, withElement } from '../../src/ir/type.js';
import { roundHalfAway } from '../../src/interp/fixedpoint.js';
import { type RewritePattern, opPattern } from '../../src/rewrite/pattern.js';
import { constantInts, elemOf } from './verify-helpers.js';

/** Ops that only change the shape of their first operand (same data, same element type). */
const RESHAPE_LIKE: ReadonlySet<string> = new Set(['tfl.reshape', 'tfl.squeeze', 'tfl.expand_dims']);

/** Activations with f(f(x)) = f(x). */
const IDEMPOTENT: readonly string[] = ['tfl.relu', 'tfl.relu6', 'tfl.relu_n1_to_1', 'tfl.relu_0_to_1'];

/** Erases `op` if nothing uses it any more (the pattern just bypassed it). */
function eraseIfDead(rw: Builder, op: Operation): void {
  if (op.isUseEmpty && op.parent) rw.eraseOp(op);
}

function reshapeOfReshapeLike(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || !RESHAPE_LIKE.has(inner.name)) return false;
  rw.modifyInPlace(op, () => op.setOperand(0, inner.operand(0)));
  eraseIfDead(rw, inner);
  return true;
}

function reshapeChainIsIdentity(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || !RESHAPE_LIKE.has(inner.name)) return false;
  const x = inner.operand(0);
  if (x.type !== op.result(0).type) return false;
  rw.replaceOp(op, [x]);
  eraseIfDead(rw, inner);
  return true;
}

function transposeOfTranspose(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || inner.name !== 'tfl.transpose') return false;
  const x = inner.operand(0);
  if (x.type !== op.result(0).type) return false;
  const p = constantInts(inner.operand(1));
  const q = constantInts(op.operand(1));
  if (!p || !q || p.length !== q.length) return false;
  // out[i] = mid[q[i]] = x[p[q[i]]]: the identity when p[q[i]] === i for all i.
  for (let i = 0; i < q.length; i++) if (p[q[i]!] !== i) return false;
  rw.replaceOp(op, [x]);
  eraseIfDead(rw, inner);
  return true;
}

function quantizeOfDequantizeSameType(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || inner.name !== 'tfl.dequantize') return false;
  const x = inner.operand(0);
  if (x.type !== op.result(0).type) return false;
  rw.replaceOp(op, [x]);
  eraseIfDead(rw, inner);
  return true;
}

function quantizeOfDequantizeRequantize(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || inner.name !== 'tfl.dequantize') return false;
  const x = inner.operand(0);
  if (x.type === op.result(0).type) return false;
  // TFLite requantizes per-tensor uniform types only.
  if (elemOf(x).kind !== 'quant.uniform' || elemOf(op.result(0)).kind !== 'quant.uniform') return false;
  rw.modifyInPlace(op, () => op.setOperand(0, x));
  eraseIfDead(rw, inner);
  return true;
}

/**
 * Quantizes float constant data to a uniform type as `tfl.quantize` does at run time (TFLite ≈2.12:
 * round(x / double(float32 scale)) half away from zero, + zero point, clamped to the type's storage
 * range; per-axis types slice by slice). Returns the stored integers as little-endian bytes.
 */
export function quantizeConstantBytes(
  value: DenseElementsAttr,
  q: UniformQuantType | UniformPerAxisQuantType,
): Uint8Array | undefined {
  const e = value.type.element;
  if (e.kind !== 'float' || e.name !== 'f32') return undefined;
  const w = q.storage.width;
  if (w !== 8 && w !== 16 && w !== 32) return undefined;
  const src = denseFullBytes(value);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const n = src.byteLength / 4;
  const shape = value.type.shape;
  let inner = 1;
  if (q.kind === 'quant.uniform_per_axis') for (let d = q.axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const out = new Uint8Array(n * (w / 8));
  const dst = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const c = q.kind === 'quant.uniform_per_axis' ? Math.floor(i / inner) % q.scales.length : 0;
    // TFLite stores scales as float32; the kernel divides by that value (in double).
    const scale = Math.fround(q.kind === 'quant.uniform' ? q.scale : q.scales[c]!);
    const zp = q.kind === 'quant.uniform' ? q.zeroPoint : q.zeroPoints[c]!;
    const x = view.getFloat32(4 * i, true);
    let v = scale === 0 || Number.isNaN(x) ? zp : roundHalfAway(x / scale) + zp;
    v = v < q.storageMin ? q.storageMin : v > q.storageMax ? q.storageMax : v;
    if (w === 8) dst.setInt8(i, v);
    else if (w === 16) dst.setInt16(2 * i, v, true);
    else dst.setInt32(4 * i, v, true);
  }
  return out;
}

function quantizeOfConstant(op: Operation, rw: Builder): boolean {
  const c = op.operand(0).definingOp;
  if (!c || c.name !== 'tfl.pseudo_const' || c.attr('tfl.is_variable') !== undefined) return false;
  const value = c.attr('value');
  const rt = op.result(0).type;
  const q = elemOf(op.result(0));
  if (value?.kind !== 'dense' || rt.kind !== 'tensor') return false;
  if (q.kind !== 'quant.uniform' && q.kind !== 'quant.uniform_per_axis') return false;
  const bytes = quantizeConstantBytes(value, q);
  if (!bytes) return false;
  rw.setInsertionPointBefore(op);
  const qc = rw.create({
    name: 'tfl.pseudo_qconst',
    resultTypes: [rt],
    attributes: { qtype: typeAttr(rt), value: denseAttr(tensorType(rt.shape, q.storage), bytes) },
    loc: c.loc,
  });
  rw.replaceOp(op, [qc.result(0)]);
  eraseIfDead(rw, c);
  return true;
}

/** The real range a per-tensor quantized type represents. */
function realRange(t: UniformQuantType): [number, number] {
  return [t.scale * (t.storageMin - t.zeroPoint), t.scale * (t.storageMax - t.zeroPoint)];
}

/** Whether range `a` contains range `b` (up to half a step of `a`). */
function covers(a: UniformQuantType, b: [number, number]): boolean {
  const [lo, hi] = realRange(a);
  const eps = a.scale / 2;
  return lo - eps <= b[0] && b[1] <= hi + eps;
}

function requantizeChain(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || inner.name !== 'tfl.quantize') return false;
  const x = inner.operand(0);
  const mid = elemOf(inner.result(0));
  const out = elemOf(op.result(0));
  const xt = elemOf(x);
  if (!isUniform(mid) || !isUniform(out)) return false;
  // Dropping the middle rescale must not drop a clamp: it covers what comes in, or what goes out.
  if (!(isUniform(xt) && covers(mid, realRange(xt))) && !covers(mid, realRange(out))) return false;
  rw.modifyInPlace(op, () => op.setOperand(0, x));
  eraseIfDead(rw, inner);
  return true;
}

function isUniform(t: Type): t is UniformQuantType {
  return t.kind === 'quant.uniform';
}

/**
 * An op that only moves data (one same-scale operand, its other operands shapes/indices, one
 * result) and has a quantized kernel of the given storage width.
 */
function movableSameScale(op: Operation, width: number): number | undefined {
  const spec = getOpDef(op.name)?.quant;
  if (!spec?.sameScale || spec.sameScale === 'all' || op.results.length !== 1) return undefined;
  const { operands, results } = spec.sameScale;
  if (operands.length !== 1 || results.length !== 1 || results[0] !== 0) return undefined;
  const non = new Set(spec.nonQuantOperands ?? []);
  for (let i = 0; i < op.operands.length; i++) if (i !== operands[0] && !non.has(i)) return undefined;
  if (!(spec.supports ?? []).includes(width <= 8 ? 'int8' : 'int16')) return undefined;
  return operands[0];
}

function sameScaleAcrossQdq(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || !inner.operands.length || !inner.result(0).hasOneUse()) return false;
  const q = elemOf(op.result(0));
  if (!isUniform(q)) return false;
  const dqIdx = (() => {
    for (let i = 0; i < inner.operands.length; i++) if (inner.operand(i).definingOp?.name === 'tfl.dequantize') return i;
    return -1;
  })();
  if (dqIdx < 0) return false;
  const dq = inner.operand(dqIdx).definingOp!;
  const x = dq.operand(0);
  const xt = elemOf(x);
  if (!isUniform(xt) || xt.storage.width !== q.storage.width) return false;
  if (movableSameScale(inner, xt.storage.width) !== dqIdx) return false;
  rw.setInsertionPointBefore(op);
  const moved = rw.create({
    name: inner.name,
    operands: inner.operands.map((o, i) => (i === dqIdx ? x : o.value)),
    resultTypes: [withElement(inner.result(0).type, xt)],
    attributes: inner.attributes,
    loc: inner.loc,
  });
  if (xt === q) rw.replaceOp(op, [moved.result(0)]);
  else rw.modifyInPlace(op, () => op.setOperand(0, moved.result(0)));
  eraseIfDead(rw, inner);
  eraseIfDead(rw, dq);
  return true;
}

function idempotentActivation(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || inner.name !== op.name || inner.result(0).type !== op.result(0).type) return false;
  rw.replaceOp(op, [inner.result(0)]);
  return true;
}

/** Every tfl canonicalization pattern, one line each. */
export const TFL_CANONICALIZATION_PATTERNS: readonly RewritePattern[] = Object.freeze([
  ...[...RESHAPE_LIKE].map((root) =>
    opPattern(root, `${root.slice(4)}(reshape|squeeze|expand_dims(x)) : type(x) -> x`, reshapeChainIsIdentity, {
      name: `${root}:reshape-chain-identity`,
      benefit: 2,
    }),
  ),
  opPattern('tfl.reshape', 'reshape(reshape|squeeze|expand_dims(x), s) -> reshape(x, s)', reshapeOfReshapeLike, {
    name: 'tfl.reshape:reshape-of-reshape',
  }),
  opPattern('tfl.transpose', 'transpose(transpose(x, p), q) -> x  when p∘q is the identity', transposeOfTranspose, {
    name: 'tfl.transpose:inverse-transposes',
  }),
  opPattern('tfl.quantize', 'quantize(dequantize(x : T)) : T -> x', quantizeOfDequantizeSameType, {
    name: 'tfl.quantize:dequantize-quantize-same-type',
    benefit: 2,
  }),
  opPattern('tfl.quantize', 'quantize(dequantize(x : T1)) : T2 -> quantize(x) : T2  (requantize)', quantizeOfDequantizeRequantize, {
    name: 'tfl.quantize:requantize',
  }),
  opPattern('tfl.quantize', 'quantize(quantize(x) : T1) : T2 -> quantize(x) : T2  when T1 clamps nothing (covers x or T2)', requantizeChain, {
    name: 'tfl.quantize:requantize-chain',
  }),
  opPattern('tfl.quantize', 'quantize(pseudo_const c) : T -> pseudo_qconst(round(c / s) + zp) : T', quantizeOfConstant, {
    name: 'tfl.quantize:fold-constant',
    benefit: 3,
  }),
  opPattern(
    'tfl.quantize',
    'quantize(op(dequantize(x : T))) : T2 -> op(x) : T (then requantize to T2)  for data-movement same-scale ops',
    sameScaleAcrossQdq,
    { name: 'tfl.quantize:same-scale-across-qdq' },
  ),
  ...IDEMPOTENT.map((root) =>
    opPattern(root, `${root.slice(4)}(${root.slice(4)}(x)) -> ${root.slice(4)}(x)  when both have the same type`, idempotentActivation, {
      name: `${root}:idempotent`,
    }),
  ),
]);

/** The canonicalization patterns rooted at one op name. */
export function patternsFor(root: string): readonly RewritePattern[] {
  return TFL_CANONICALIZATION_PATTERNS.filter((p) => p.root === root);
}
