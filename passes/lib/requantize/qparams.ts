/**
 * Quantization arithmetic of `requantize-16x8`: which element types are int8 activations, the int16
 * type that covers an int8 type's real range, and re-encoding constant data (int8 activations to
 * int16, int32 biases to int64/int32 with a new scale).
 *
 * The int16 scale: an int8 type (scale s8, zero point zp8, storage range [lo, hi], normally
 * [-128, 127]) represents reals in [s8·(lo − zp8), s8·(hi − zp8)]. Its int16 replacement is
 * symmetric (zero point 0) with s16 = max(|s8·(hi − zp8)|, |s8·(lo − zp8)|) / 32767, rounded to
 * float32 (the flatbuffer stores float32 scales, so the IR holds exactly what an exported model holds).
 * (TFLM's requantize_flatbuffer.py uses 128 instead of 127 for hi; the brief's formula is used here.)
 */
import { type DenseElementsAttr, denseAttr, denseFullBytes } from '../../../src/ir/attribute.js';
import {
  type RankedTensorType,
  type Type,
  type UniformPerAxisQuantType,
  type UniformQuantType,
  f32,
  i16,
  i32,
  i64,
  tensorType,
  uniformPerAxisQuantType,
  uniformQuantType,
} from '../../../src/ir/type.js';

/** An 8-bit signed (or signless) uniform quantized element type, per tensor or per axis. */
export type Int8QuantType = (UniformQuantType | UniformPerAxisQuantType) & { readonly storage: { readonly width: 8 } };

/** Whether an element type is an 8-bit signed/signless uniform quantized type (per tensor or per axis). */
export function isInt8Quant(t: Type): t is Int8QuantType {
  return (t.kind === 'quant.uniform' || t.kind === 'quant.uniform_per_axis') && t.storage.width === 8 && t.storage.signedness !== 'unsigned';
}

/** Whether an element type is a 16-bit signed uniform quantized per-tensor type. */
export function isInt16Quant(t: Type): t is UniformQuantType {
  return t.kind === 'quant.uniform' && t.storage.width === 16 && t.storage.signedness !== 'unsigned';
}

/** Element type of a (tensor) type. */
export function elem(t: Type): Type {
  return t.kind === 'tensor' || t.kind === 'unranked_tensor' ? t.element : t;
}

/** The same shape with another element type. */
export function withElem(t: Type, e: Type): Type {
  if (t.kind === 'tensor') return tensorType(t.shape, e);
  if (t.kind === 'unranked_tensor') return { ...t, element: e } as Type;
  return e;
}

/** The symmetric int16 (zero point 0, float32 scale) element type covering an int8 type's real range. */
export function int16ElementFor(q: UniformQuantType): UniformQuantType {
  const hi = Math.abs(q.scale * (q.storageMax - q.zeroPoint));
  const lo = Math.abs(q.scale * (q.storageMin - q.zeroPoint));
  let s = Math.fround(Math.max(hi, lo) / 32767);
  if (!(s > 0)) s = Math.fround(q.scale); // degenerate (a type representing only 0): keep the int8 scale
  return uniformQuantType(i16(), q.expressed, s, 0);
}

/** A fixed int16 element type (e.g. logistic's scale 2^-15, zero point 0). */
export function fixedInt16Element(scale: number, zeroPoint: number): UniformQuantType {
  return uniformQuantType(i16(), f32(), scale, zeroPoint);
}

/** The tensor type with its int8 per-tensor element replaced by the covering int16 element. */
export function int16TypeFor(t: Type): Type {
  const e = elem(t);
  if (e.kind !== 'quant.uniform') throw new Error('int16TypeFor needs a per-tensor quantized type');
  return withElem(t, int16ElementFor(e));
}

/** TFLite's rounding: half away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Reads a dense attribute's integers (any integer storage width up to 64) as numbers. */
export function denseInts(a: DenseElementsAttr): number[] {
  const bytes = denseFullBytes(a);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const w = bytes.byteLength / Math.max(1, numElements(a.type));
  const n = numElements(a.type);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    switch (w) {
      case 1:
        out[i] = dv.getInt8(i);
        break;
      case 2:
        out[i] = dv.getInt16(i * 2, true);
        break;
      case 4:
        out[i] = dv.getInt32(i * 4, true);
        break;
      case 8:
        out[i] = Number(dv.getBigInt64(i * 8, true));
        break;
      default:
        throw new Error(`unsupported integer width ${w * 8}`);
    }
  }
  return out;
}

function numElements(t: RankedTensorType): number {
  let n = 1;
  for (const d of t.shape) n *= d;
  return n;
}

/** Little-endian int16 bytes. */
function int16Bytes(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setInt16(i * 2, v, true));
  return out;
}

/**
 * Re-encodes the stored int8 values of a per-tensor int8 activation constant as int16 of type `to`:
 * q16 = clamp(round((q8 − zp8)·s8 / s16) + zp16). Returns the storage dense attribute (i16 elements).
 */
export function requantizeActivationData(value: DenseElementsAttr, from: UniformQuantType, to: UniformQuantType): DenseElementsAttr {
  const q8 = denseInts(value);
  const ratio = from.scale / to.scale;
  const q16 = q8.map((q) => {
    const v = roundHalfAway((q - from.zeroPoint) * ratio) + to.zeroPoint;
    return v < to.storageMin ? to.storageMin : v > to.storageMax ? to.storageMax : v;
  });
  return denseAttr(tensorType(value.type.shape, i16()), int16Bytes(q16));
}

/** Bias storage of a 16x8 layer. */
export type BiasStorage = 'int64' | 'int32';

/** Per-output-channel scales of a quantized element type (one entry when per tensor). */
export function scalesOf(t: UniformQuantType | UniformPerAxisQuantType): readonly number[] {
  return t.kind === 'quant.uniform' ? [t.scale] : t.scales;
}

/**
 * The bias element type of a 16x8 layer: scale = s_in16 · s_w (float32 product, as TFLite's Prepare
 * computes it), per channel (axis 0) when the weights are, zero point 0, int64 or int32 storage.
 */
export function biasElementFor(inScale: number, weight: UniformQuantType | UniformPerAxisQuantType, storage: BiasStorage): UniformQuantType | UniformPerAxisQuantType {
  const st = storage === 'int64' ? i64() : i32();
  const sIn = Math.fround(inScale);
  if (weight.kind === 'quant.uniform') return uniformQuantType(st, f32(), Math.fround(sIn * Math.fround(weight.scale)), 0);
  const scales = weight.scales.map((s) => Math.fround(sIn * Math.fround(s)));
  return uniformPerAxisQuantType(st, f32(), 0, scales, scales.map(() => 0));
}

/** What re-encoding a bias produced. */
export interface EncodedBias {
  readonly value: DenseElementsAttr;
  /** Values clamped to the storage range (int32 overflow), if any. */
  readonly clamped: number;
}

/**
 * Re-encodes bias integers stored with per-channel scales `oldScales` (one entry = per tensor) and
 * zero points `oldZps` to the new bias element type: q' = round((q − zp)·s_old / s_new).
 */
export function encodeBias(
  value: DenseElementsAttr,
  oldScales: readonly number[],
  oldZps: readonly number[],
  to: UniformQuantType | UniformPerAxisQuantType,
): EncodedBias {
  const q = denseInts(value);
  const newScales = scalesOf(to);
  const wide = to.storage.width === 64;
  // int64: the safe-integer range (kernels check TFLM's tighter ±2^47 contract at prepare).
  const lo = wide ? -Number.MAX_SAFE_INTEGER : -(2 ** 31);
  const hi = wide ? Number.MAX_SAFE_INTEGER : 2 ** 31 - 1;
  let clamped = 0;
  const out = new Uint8Array(q.length * (wide ? 8 : 4));
  const dv = new DataView(out.buffer);
  q.forEach((v, i) => {
    const sOld = oldScales.length === 1 ? oldScales[0]! : oldScales[i]!;
    const zOld = oldZps.length === 1 ? oldZps[0]! : (oldZps[i] ?? 0);
    const sNew = newScales.length === 1 ? newScales[0]! : newScales[i]!;
    let r = roundHalfAway(((v - zOld) * sOld) / sNew);
    if (r < lo || r > hi) {
      clamped++;
      r = r < lo ? lo : hi;
    }
    if (wide) dv.setBigInt64(i * 8, BigInt(r), true);
    else dv.setInt32(i * 4, r, true);
  });
  return { value: denseAttr(tensorType(value.type.shape, wide ? i64() : i32()), out), clamped };
}
