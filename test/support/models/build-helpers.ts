/**
 * Shared pieces of the family generators: spec and operand shorthands, random constants of any
 * element type, activation/output quantization, the weight + bias operands of weighted ops and the
 * geometry of 2-D window ops. Each helper draws from the stream in a fixed order, so families that
 * share them draw exactly what their own inline code used to.
 */
import type { Attribute } from '../../../src/ir/attribute.js';
import { type TypedArray, allocTyped } from '../../../src/interp/kernel.js';
import { type CaseDraft, type Elem, type InputGen, type OperandSpec, type QSpec, type TensorSpec, I, S, fullRange } from './case.js';
import type { Rand } from './rand.js';

/** Draws case `i` of a family from `r`; `undefined` asks for another draw of the same `i`. */
export type DrawCase = (r: Rand, i: number) => CaseDraft | undefined;

/** Number of elements of a shape. */
export const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** `xs[i]`, wrapping around: how families cycle through their op/type combinations. */
export const cycle = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;

/** The op name without its `tfl.` prefix, as case ids spell it. */
export const shortName = (op: string): string => op.slice(4);

/** A random shape of rank in [minRank, maxRank], dimensions in [1, maxDim] (rank drawn first). */
export function randomShape(r: Rand, minRank = 1, maxRank = 4, maxDim = 6): number[] {
  return Array.from({ length: r.int(minRank, maxRank) }, () => r.int(1, maxDim));
}

// ---------------------------------------------------------------------------------------------
// Specs and operands

/** A tensor spec. */
export const t = (dtype: Elem, shape: readonly number[], q?: QSpec): TensorSpec => (q ? { dtype, shape, q } : { dtype, shape });
/** A graph input, drawn by `gen` (default: the full range of its type). */
export const inp = (spec: TensorSpec, gen?: InputGen): OperandSpec => (gen ? { kind: 'input', t: spec, gen } : { kind: 'input', t: spec });
/** A constant operand. */
export const cst = (spec: TensorSpec, data: TypedArray): OperandSpec => ({ kind: 'const', t: spec, data });
/** An absent optional operand. */
export const NONE: OperandSpec = { kind: 'none' };
/** A variable (state) tensor with its initial value. */
export const state = (spec: TensorSpec, data: TypedArray): OperandSpec => ({ kind: 'const', t: spec, data, variable: true });
/** A zero-initialized variable (state) tensor. */
export const zeroState = (spec: TensorSpec): OperandSpec => state(spec, allocTyped(spec.dtype, prod(spec.shape)));
/** A 1-D int32 constant. */
export const i32c = (vals: readonly number[]): OperandSpec => cst(t('i32', [vals.length]), Int32Array.from(vals));
/** A scalar int32 constant. */
export const i32s = (v: number): OperandSpec => cst(t('i32', []), Int32Array.of(v));

/** `n` random values of a type: float32 uniform in [lo, hi) (`r.floats`), integers in [lo, hi] (`r.ints`). */
export function randomData(r: Rand, dtype: Elem, n: number, lo: number, hi: number): TypedArray {
  switch (dtype) {
    case 'f32':
      return Float32Array.from(r.floats(n, lo, hi));
    case 'i8':
      return Int8Array.from(r.ints(n, lo, hi));
    case 'u8':
    case 'i1':
      return Uint8Array.from(r.ints(n, lo, hi));
    case 'i16':
      return Int16Array.from(r.ints(n, lo, hi));
    case 'i32':
      return Int32Array.from(r.ints(n, lo, hi));
    case 'i64':
      return BigInt64Array.from(r.ints(n, lo, hi).map(BigInt));
  }
}

/** The default range of random weights: float32 [-1, 1), int8/int16 symmetric (no -128 / -32768). */
function weightRange(dtype: Elem): readonly [number, number] {
  switch (dtype) {
    case 'f32':
      return [-1, 1];
    case 'i8':
      return [-127, 127];
    case 'i16':
      return [-32767, 32767];
    case 'u8':
    case 'i32':
    case 'i64':
    case 'i1':
      return fullRange(dtype);
  }
}

/** A constant of `spec`'s type filled with {@link randomData} in `range` (default: weight range). */
export function randomConst(r: Rand, spec: TensorSpec, range: readonly [number, number] = weightRange(spec.dtype)): OperandSpec {
  return cst(spec, randomData(r, spec.dtype, prod(spec.shape), range[0], range[1]));
}

// ---------------------------------------------------------------------------------------------
// Quantization

/** The quantized activation types. */
export type QElem = 'i8' | 'i16';

/** Per-tensor quantization spec. */
export const qt = (scale: number, zeroPoint = 0): QSpec => ({ scale: Math.fround(scale), zeroPoint });
/** Per-axis quantization spec (symmetric). */
export const qa = (scales: readonly number[], axis: number): QSpec => ({ scale: scales.map(Math.fround), zeroPoint: scales.map(() => 0), axis });
/** Symmetric quantization: `scales[0]` for the whole tensor, or one scale per slice along `axis`. */
export const symmetricQ = (scales: readonly number[], perTensor: boolean, axis: number): QSpec => (perTensor ? qt(scales[0]!, 0) : qa(scales, axis));
/** The scale of a per-tensor quantization. */
export const scaleOf = (q: QSpec): number => q.scale as number;

/** An activation-quantized tensor: int8 asymmetric, int16 symmetric (draws the scale, then the int8 zero point). */
export function actQ(r: Rand, dtype: QElem, lo = 0.002, hi = 0.1): QSpec {
  if (dtype === 'i8') return qt(r.scale(lo, hi), r.int(-100, 100));
  return qt(r.scale(lo / 256, hi / 256), 0);
}

/** {@link actQ} for int8 / int16, no quantization (and no draw) for the other types. */
export function maybeActQ(r: Rand, dtype: Elem): QSpec | undefined {
  return dtype === 'i8' || dtype === 'i16' ? actQ(r, dtype) : undefined;
}

/** An output quantization of scale `scale`: int8 draws a zero point in [zpLo, zpHi], int16 is symmetric. */
export function outQ(r: Rand, dtype: QElem, scale: number, zpLo: number, zpHi: number): QSpec {
  return dtype === 'i8' ? qt(scale, r.int(zpLo, zpHi)) : qt(scale, 0);
}

/** Output scale that keeps a typical accumulator mostly inside the int range. */
export function accOutScale(r: Rand, sIn: number, sW: number, depth: number, dtype: QElem): number {
  const typicalAcc = (dtype === 'i8' ? 74 : 18900) * 64 * Math.sqrt(Math.max(1, depth));
  const range = dtype === 'i8' ? 128 : 32768;
  // Now and then a much smaller scale: multipliers above 1 (left shifts) and heavy saturation.
  const f = r.bool(0.1) ? r.float(0.005, 0.05) : r.float(0.5, 3);
  return Math.fround(((sIn * sW * typicalAcc) / range) * f);
}

// ---------------------------------------------------------------------------------------------
// Weighted ops

/** The fused activations of conv-like ops. */
export const CONV_ACTS = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'] as const;

/** Type combinations of the weighted ops. */
export type WType = 'f32' | 'i8' | '16x8';
/** Every {@link WType}, in the order the families cycle through them. */
export const WTYPES: readonly WType[] = ['f32', 'i8', '16x8'];

/** The activation element type of a weight type combination. */
export const activationElem = (w: WType): 'f32' | QElem => (w === 'f32' ? 'f32' : w === 'i8' ? 'i8' : 'i16');

/** conv_2d / depthwise_conv_2d / transpose_conv / fully_connected weights, bias and quantization. */
export interface Weighted {
  readonly filter: OperandSpec;
  readonly bias: OperandSpec;
  readonly x: TensorSpec;
  readonly y: TensorSpec;
}

/**
 * Draws the filter (per-channel along `axis`, or per-tensor), the bias (int32 for int8, int64 for
 * 16x8 unless `opts.bias` says otherwise) and the input/output quantization of a weighted op whose
 * accumulator sums `depth` products.
 */
export function weighted(
  r: Rand,
  w: WType,
  xShape: readonly number[],
  wShape: readonly number[],
  yShape: readonly number[],
  outC: number,
  axis: number,
  depth: number,
  opts: { perTensor?: boolean; bias?: 'none' | 'i32' | 'i64' | 'auto' } = {},
): Weighted {
  const biasKind = opts.bias ?? 'auto';
  const dt = activationElem(w);
  if (dt === 'f32') {
    const filter = randomConst(r, t('f32', wShape));
    const bias = biasKind === 'none' ? NONE : randomConst(r, t('f32', [outC]));
    return { filter, bias, x: t('f32', xShape), y: t('f32', yShape) };
  }
  const xq = actQ(r, dt);
  const sIn = scaleOf(xq);
  const perTensor = opts.perTensor ?? false;
  const sW = Array.from({ length: perTensor ? 1 : outC }, () => r.scale(0.002, 0.05));
  const filter = randomConst(r, t('i8', wShape, symmetricQ(sW, perTensor, axis)));
  const meanW = sW.reduce((a, b) => a + b, 0) / sW.length;
  const yq = outQ(r, dt, accOutScale(r, sIn, meanW, depth, dt), -60, 60);
  const bq = symmetricQ(sW.map((s) => Math.fround(sIn * s)), perTensor, 0);
  const kind = biasKind === 'auto' ? (dt === 'i8' ? 'i32' : 'i64') : biasKind;
  const bRange = dt === 'i8' ? 20000 : 4000000;
  const bias = kind === 'none' ? NONE : randomConst(r, t(kind, [outC], bq), [-bRange, bRange]);
  return { filter, bias, x: t(dt, xShape, xq), y: t(dt, yShape, yq) };
}

// ---------------------------------------------------------------------------------------------
// 2-D windows

/** The geometry of a 2-D window op (conv, depthwise conv, transpose conv, pooling). */
export interface Window {
  readonly batch: number;
  readonly kh: number;
  readonly kw: number;
  /** Whether the op has dilation factors (`dh`, `dw` are 1 otherwise). */
  readonly dilated: boolean;
  readonly dh: number;
  readonly dw: number;
  readonly sh: number;
  readonly sw: number;
  readonly padding: 'SAME' | 'VALID';
}

/** Draws batch, kernel size, dilation (when `dilated`), strides and padding, in that order. */
export function drawWindow(r: Rand, dilated: boolean): Window {
  const batch = r.int(1, 2);
  const kh = r.int(1, 4);
  const kw = r.int(1, 4);
  const dh = dilated && r.bool(0.25) ? 2 : 1;
  const dw = dilated && r.bool(0.25) ? 2 : 1;
  const sh = r.int(1, 3);
  const sw = r.int(1, 3);
  const padding = r.pick(['SAME', 'VALID'] as const);
  return { batch, kh, kw, dilated, dh, dw, sh, sw, padding };
}

/** Draws an image height and width in [dilated kernel extent, max]. */
export function drawImage(r: Rand, w: Window, max: number): [number, number] {
  const ih = r.int((w.kh - 1) * w.dh + 1, max);
  const iw = r.int((w.kw - 1) * w.dw + 1, max);
  return [ih, iw];
}

/** One output dimension of a window op. */
export function outSize(padding: string, inSize: number, k: number, stride: number, dil = 1): number {
  const ek = (k - 1) * dil + 1;
  return padding === 'SAME' ? Math.ceil(inSize / stride) : Math.floor((inSize - ek + stride) / stride);
}

/** Output height and width of a window op over an `ih` x `iw` image. */
export function windowOut(w: Window, ih: number, iw: number): [number, number] {
  return [outSize(w.padding, ih, w.kh, w.sh, w.dh), outSize(w.padding, iw, w.kw, w.sw, w.dw)];
}

/** The id fragment `s=…[ d=…] PADDING`. */
export function windowId(w: Window): string {
  return `s=${w.sh},${w.sw}${w.dilated ? ` d=${w.dh},${w.dw}` : ''} ${w.padding}`;
}

/** `padding`, strides and (when dilated) dilation factors as conv attributes. */
export function windowAttrs(w: Window): Record<string, Attribute> {
  const base = { padding: S(w.padding), stride_h: I(w.sh), stride_w: I(w.sw) };
  return w.dilated ? { ...base, dilation_h_factor: I(w.dh), dilation_w_factor: I(w.dw) } : base;
}
