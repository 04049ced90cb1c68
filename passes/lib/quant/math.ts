/**
 * Quantization math, reproducing TFLite's quantizer (tflite/tools/optimize/quantization_utils.cc and
 * quantize_model.cc, read for their arithmetic) bit for bit: every intermediate that TFLite keeps in
 * a C++ `float` is rounded to float32 here (Math.fround), so scales, zero points and quantized
 * constant bytes come out identical.
 *
 * - activations, int8: asymmetric over [min(min, 0), max(max, 0)]: scale = (max - min) / 255,
 *   zero point = round(-128 - min / scale) clamped to [-128, 127] (TFLite's
 *   GetAsymmetricQuantizationParams — the range is widened to include 0 and the zero point rounded,
 *   so real 0 is exactly representable);
 * - activations, int16: symmetric, zero point 0, scale = max(|min|, |max|) / 32767;
 * - power-of-two int16 (LSTM cell state): scale = 2^p / 32768 with the smallest p in 0..10 such that
 *   2^p >= max(|min|, |max|) (GetPowerOfTwoScale);
 * - weights, 8 bit: symmetric, narrow range [-127, 127], per tensor or per channel:
 *   scale = r / 127, q = round(x * (127 / r)) with the product in float;
 * - weights, 16 bit (LSTM peephole / layer norm): scale = r / 32767; 10 bit (SVDF time weights):
 *   scale = r / 512; q = round(x * float(1 / scale)) clamped to [-32767, 32767];
 * - biases: q = round(x * float(1 / scale)), clamped to ±(2^31 - 1) (int32) or ±(2^63 - 1) (int64);
 * - bias overflow guard (AdjustWeightsForBiasScale): when |bias| >= 0.5 * s_in * s_w * (2^31 - 1), the
 *   weight range is widened to 2|bias| / (2^31 - 1) * (127 / s_in), so |bias / (s_in * s_w)| stays
 *   at most 2^30.
 *
 * Degenerate ranges (TFLite would produce a zero scale): an activation whose range is [0, 0] gets the
 * parameters of [-1, 1]; an all-zero weight tensor or channel gets scale 1 (all values 0) — TFLite
 * writes scale 0 per channel, which makes a bias on that channel quantize to 0.
 */
import {
  type FloatType,
  type Type,
  type UniformPerAxisQuantType,
  type UniformQuantType,
  f32,
  i16,
  i32,
  i64,
  i8,
  uniformPerAxisQuantType,
  uniformQuantType,
} from '../../../src/ir/type.js';
import { roundHalfAway } from '../../../src/interp/fixedpoint.js';

/** A quantized element type as the quantizer chooses it (per tensor or per axis). */
export type QType = UniformQuantType | UniformPerAxisQuantType;
/** Activation bit widths: int8 (asymmetric) and int16 (symmetric, the "16x8" scheme). */
export type Width = 'int8' | 'int16';
/** A real-valued [min, max] range. */
export type Range = readonly [number, number];

const fr = Math.fround;
const INT32_MAX = 2147483647;

/** Whether a type is a uniform (per-tensor or per-axis) quantized element type. */
export function isQType(t: Type): t is QType {
  return t.kind === 'quant.uniform' || t.kind === 'quant.uniform_per_axis';
}

/** TFLite's GetAsymmetricQuantizationParams (all in float32). */
export function asymmetricParams(min: number, max: number, qmin = -128, qmax = 127): { scale: number; zeroPoint: number } {
  const lo = fr(Math.min(fr(min), 0));
  const hi = fr(Math.max(fr(max), 0));
  const scale = fr(fr(hi - lo) / fr(qmax - qmin));
  let zpFromMin = qmin;
  if (scale !== 0) zpFromMin = fr(qmin - fr(lo / scale));
  let zeroPoint: number;
  if (zpFromMin < qmin) zeroPoint = qmin;
  else if (zpFromMin > qmax) zeroPoint = qmax;
  else zeroPoint = roundHalfAway(zpFromMin);
  return { scale, zeroPoint };
}

/** TFLite's GetSymmetricQuantizationParams: zero point 0, scale = max(|min|, |max|) / halfRange. */
export function symmetricScale(min: number, max: number, halfRange: number): number {
  const lo = fr(Math.min(fr(min), 0));
  const hi = fr(Math.max(fr(max), 0));
  return fr(Math.max(Math.abs(hi), Math.abs(lo)) / halfRange);
}

/** TFLite's GetPowerOfTwoScale: the smallest p in 0..10 with 2^p >= max(|min|, |max|). */
export function powerOfTwoExponent(min: number, max: number): number {
  const range = fr(Math.max(Math.abs(fr(min)), Math.abs(fr(max))));
  let pot = 0;
  for (let i = 0; i < 10; i++) if (2 ** pot < range) pot++;
  return pot;
}

function isDegenerate(r: Range): boolean {
  return !(fr(Math.min(r[0], 0)) < 0 || fr(Math.max(r[1], 0)) > 0);
}

/**
 * The quantized type of an activation with range `r`: int8 asymmetric (or, `symmetric`, zero point 0
 * and scale max|x| / 127) or int16 symmetric.
 */
export function activationType(r: Range, width: Width, expressed: FloatType = f32(), symmetric = false): UniformQuantType {
  const [min, max] = isDegenerate(r) ? [-1, 1] : r;
  if (width === 'int8' && symmetric) return uniformQuantType(i8(), expressed, symmetricScale(min, max, 127), 0);
  if (width === 'int8') {
    const { scale, zeroPoint } = asymmetricParams(min, max);
    return uniformQuantType(i8(), expressed, scale, zeroPoint);
  }
  return uniformQuantType(i16(), expressed, symmetricScale(min, max, 32767), 0);
}

/** The int16 power-of-two type of an LSTM cell state with range `r` (scale 2^p / 32768). */
export function powerOfTwoCellType(r: Range, expressed: FloatType = f32()): UniformQuantType {
  return uniformQuantType(i16(), expressed, fr(2 ** powerOfTwoExponent(r[0], r[1]) / 32768), 0);
}

/** Activation width of a quantized type (by storage width). */
export function widthOf(t: QType): Width {
  return t.storage.width <= 8 ? 'int8' : 'int16';
}

/** The real range a per-tensor type represents: [scale * (qmin - zp), scale * (qmax - zp)]. */
export function rangeOfType(t: UniformQuantType): Range {
  return [t.scale * (t.storageMin - t.zeroPoint), t.scale * (t.storageMax - t.zeroPoint)];
}

/** Union of ranges. */
export function unionRange(a: Range, b: Range): Range {
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

/** Min and max of float data (NaN ignored); [0, 0] for empty data. */
export function dataRange(data: ArrayLike<number>): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

// ---------------------------------------------------------------------------------------------
// Constants

/** Quantized constant data: the element type and the stored integers. */
export interface QuantizedConstant {
  readonly type: QType;
  /** Int8Array, Int16Array, Int32Array or BigInt64Array of the storage type. */
  readonly values: Int8Array | Int16Array | Int32Array | BigInt64Array;
}

/** Channel index of every element of a row-major `shape` along `axis`. */
export function channelOf(shape: readonly number[], axis: number): (i: number) => number {
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const n = shape[axis]!;
  return (i) => Math.floor(i / inner) % n;
}

function clampInt(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * 8-bit symmetric weights (narrow range [-127, 127]). Per channel along `axis` when given (TFLite's
 * SymmetricPerChannelQuantization), else per tensor (SymmetricQuantizeFloats). `ranges` overrides
 * the half range per channel (or the single one) — used after the bias overflow guard widened it.
 */
export function quantizeWeights8(data: Float32Array, shape: readonly number[], axis: number | undefined, halfRanges?: readonly number[]): QuantizedConstant {
  const values = new Int8Array(data.length);
  if (axis === undefined) {
    const r = halfRanges?.[0] ?? weightHalfRanges(data, shape, undefined)[0]!;
    if (r === 0) return { type: uniformQuantType(i8(), f32(), 1, 0, -127, 127), values };
    const scale = fr(r / 127);
    const inv = fr(127 / r);
    for (let i = 0; i < data.length; i++) values[i] = clampInt(roundHalfAway(fr(data[i]! * inv)), -127, 127);
    return { type: uniformQuantType(i8(), f32(), scale, 0, -127, 127), values };
  }
  const half = halfRanges ?? weightHalfRanges(data, shape, axis);
  const scales = half.map((r) => (r === 0 ? 1 : fr(r / 127)));
  const invs = half.map((r) => (r === 0 ? 0 : fr(127 / r)));
  const ch = channelOf(shape, axis);
  for (let i = 0; i < data.length; i++) values[i] = clampInt(roundHalfAway(fr(data[i]! * invs[ch(i)]!)), -127, 127);
  return { type: uniformPerAxisQuantType(i8(), f32(), axis, scales, scales.map(() => 0), -127, 127), values };
}

/** max(|min|, |max|) of the whole tensor (one entry) or of every channel along `axis`, in float. */
export function weightHalfRanges(data: Float32Array, shape: readonly number[], axis: number | undefined): number[] {
  if (axis === undefined) {
    const [lo, hi] = dataRange(data);
    return [fr(Math.max(Math.abs(lo), Math.abs(hi)))];
  }
  const n = shape[axis]!;
  const lo = new Array<number>(n).fill(Infinity);
  const hi = new Array<number>(n).fill(-Infinity);
  const ch = channelOf(shape, axis);
  for (let i = 0; i < data.length; i++) {
    const c = ch(i);
    const x = data[i]!;
    if (x < lo[c]!) lo[c] = x;
    if (x > hi[c]!) hi[c] = x;
  }
  return lo.map((l, c) => (l <= hi[c]! ? fr(Math.max(Math.abs(l), Math.abs(hi[c]!))) : 0));
}

/** TFLite's SymmetricQuantizeFloatsToInt16: q = round(x * float(1/scale)) clamped to ±32767. */
export function quantizeInt16Symmetric(data: Float32Array, scale: number): Int16Array {
  const inv = scale === 0 ? 0 : fr(1 / scale);
  const out = new Int16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = clampInt(roundHalfAway(fr(data[i]! * inv)), -32767, 32767);
  return out;
}

/**
 * 16-bit symmetric weights (LSTM peephole weights, layer-norm coefficients: scale = r / 32767) or the
 * 10-bit SVDF time weights (scale = r / 512, values up to ±512), stored as int16.
 */
export function quantizeWeights16(data: Float32Array, bits: 16 | 10): QuantizedConstant {
  const [lo, hi] = dataRange(data);
  const r = fr(Math.max(Math.abs(lo), Math.abs(hi)));
  const scale = r === 0 ? 1 : fr(r / (bits === 16 ? 32767 : 512));
  return { type: uniformQuantType(i16(), f32(), scale, 0, -32767, 32767), values: quantizeInt16Symmetric(data, r === 0 ? 0 : scale) };
}

/**
 * Symmetric bias quantization (TFLite's SymmetricBiasQuantize): one scale, or one per element
 * (per-channel, axis 0; `perAxis` gives a per-axis type even for one channel). `storage` 32 or 64 bits.
 */
export function quantizeBias(data: Float32Array, scales: readonly number[], storage: 32 | 64, perAxis = scales.length > 1): QuantizedConstant {
  const invOf = (s: number): number => (s === 0 ? 0 : fr(1 / s));
  const inv0 = invOf(scales[0] ?? 0);
  const at = (i: number): number => (perAxis ? invOf(scales[i]!) : inv0);
  const type = perAxis
    ? uniformPerAxisQuantType(storage === 32 ? i32() : i64(), f32(), 0, scales, scales.map(() => 0))
    : uniformQuantType(storage === 32 ? i32() : i64(), f32(), scales[0]!, 0);
  if (storage === 32) {
    const values = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const q = roundHalfAway(fr(data[i]! * at(i)));
      // SafeCast<int32>(float) saturates; then clamp to ±(2^31 - 1).
      values[i] = Number.isNaN(q) ? 0 : clampInt(q, -INT32_MAX, INT32_MAX);
    }
    return { type, values };
  }
  const values = new BigInt64Array(data.length);
  const max = 2n ** 63n - 1n;
  for (let i = 0; i < data.length; i++) {
    const q = roundHalfAway(fr(data[i]! * at(i)));
    if (Number.isNaN(q)) values[i] = 0n;
    else if (q >= 2 ** 63) values[i] = max;
    else if (q <= -(2 ** 63)) values[i] = -max;
    else values[i] = BigInt(q);
  }
  return { type, values };
}

/**
 * TFLite's AdjustWeightsForBiasScale: the weight half ranges to use so that every bias fits,
 * i.e. |bias| < 0.5 * s_in * s_w * (2^31 - 1). Per channel (one half range per bias element) or per
 * tensor (one half range; the largest |bias| counts). Returns the (possibly widened) half ranges and
 * whether any was widened.
 */
export function adjustWeightRangesForBias(
  halfRanges: readonly number[],
  bias: Float32Array,
  inputScale: number,
): { halfRanges: number[]; widened: boolean } {
  const out = [...halfRanges];
  let widened = false;
  const scaleOf = (r: number): number => fr(r / 127);
  if (out.length > 1) {
    for (let i = 0; i < out.length && i < bias.length; i++) {
      const b = Math.abs(bias[i]!);
      if (b >= 0.5 * inputScale * scaleOf(out[i]!) * INT32_MAX) {
        out[i] = fr(((2.0 * b) / INT32_MAX) * fr(127 / inputScale));
        widened = true;
      }
    }
  } else if (out.length === 1) {
    const [lo, hi] = dataRange(bias);
    const half = fr(Math.max(Math.abs(lo), Math.abs(hi)));
    if (fr(half / INT32_MAX) >= 0.5 * inputScale * scaleOf(out[0]!)) {
      out[0] = fr(((2.0 * half) / INT32_MAX) * fr(127 / inputScale));
      widened = true;
    }
  }
  return { halfRanges: out, widened };
}

/**
 * Quantizes float data to an activation type the way `tfl.quantize` does at run time (TFLite ≈2.12:
 * x / double(float32 scale), round half away from zero, + zero point, clamp to the storage range). Per-axis
 * types quantize each slice with its own parameters.
 */
export function quantizeAsActivation(data: Float32Array, shape: readonly number[], t: QType): Int8Array | Int16Array | Int32Array {
  const n = data.length;
  const w = t.storage.width;
  const out = w <= 8 ? new Int8Array(n) : w <= 16 ? new Int16Array(n) : new Int32Array(n);
  const ch = t.kind === 'quant.uniform_per_axis' ? channelOf(shape, t.axis) : () => 0;
  for (let i = 0; i < n; i++) {
    const c = ch(i);
    const scale = fr(t.kind === 'quant.uniform' ? t.scale : t.scales[c]!);
    const zp = t.kind === 'quant.uniform' ? t.zeroPoint : t.zeroPoints[c]!;
    const x = data[i]!;
    const q = scale === 0 ? zp : roundHalfAway(x / scale) + zp;
    out[i] = Number.isNaN(q) ? zp : clampInt(q, t.storageMin, t.storageMax);
  }
  return out;
}

/** Scales of a quantized type (one per channel for per-axis types). */
export function scalesOf(t: QType): readonly number[] {
  return t.kind === 'quant.uniform' ? [t.scale] : t.scales;
}

/** Float32 product of scales, in order, starting from 1 (TFLite's GetEffectiveScale). */
export function effectiveScale(factors: readonly number[]): number {
  let s = fr(1);
  for (const f of factors) s = fr(s * fr(f));
  return s;
}
