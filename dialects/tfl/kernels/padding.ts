/**
 * Shared helpers for the convolution / matmul / pooling / reduction kernels: TFLite's SAME/VALID
 * output-size and padding arithmetic (`tensorflow/lite/kernels/padding.h`), attribute readers, the
 * quantized fused-activation clamp computed exactly as TFLite's `CalculateActivationRangeQuantized`
 * (float32 division), the multiplier derivations of `PopulateConvolutionQuantizationParams` and
 * `GetQuantizedConvolutionMultipler` (kernel_util.cc), and exact int64-accumulator requantization
 * (TFLite's `MultiplyByQuantizedMultiplier(int64_t, ...)`) done in doubles with a BigInt fallback.
 */

import { type KernelContext, type TensorInfo, type TypedArray, KernelError, unsupported } from '../../../src/interp/kernel.js';
import { quantizeMultiplier, quantizedActivationRange, roundHalfAway, intRange, mbqm64Reduced, mbqm64 } from '../../../src/interp/fixedpoint.js';

/** TFLite padding kinds. */
export type PaddingKind = 'SAME' | 'VALID';

/** Padding values as TFLite's `TfLitePaddingValues` plus the computed output size. */
export interface Padding2D {
  readonly padH: number;
  readonly padW: number;
  /** `total_padding % 2` (extra padding at the bottom / right). */
  readonly padHOffset: number;
  readonly padWOffset: number;
  readonly outH: number;
  readonly outW: number;
}

/** TFLite `ComputeOutSize` (matching TensorFlow's GetWindowedOutputSize); C integer division. */
export function computeOutSize(padding: PaddingKind, imageSize: number, filterSize: number, stride: number, dilation = 1): number {
  const effective = (filterSize - 1) * dilation + 1;
  if (stride === 0) return 0;
  if (padding === 'SAME') return Math.trunc((imageSize + stride - 1) / stride);
  return Math.trunc((imageSize + stride - effective) / stride);
}

/** TFLite `ComputePaddingWithOffset`: [padding, offset]. */
export function computePaddingWithOffset(stride: number, dilation: number, inSize: number, filterSize: number, outSize: number): [number, number] {
  const effective = (filterSize - 1) * dilation + 1;
  let total = (outSize - 1) * stride + effective - inSize;
  total = total > 0 ? total : 0;
  return [Math.trunc(total / 2), total % 2];
}

/** TFLite `ComputePaddingHeightWidth`. */
export function computePaddingHeightWidth(
  strideH: number,
  strideW: number,
  dilationH: number,
  dilationW: number,
  inH: number,
  inW: number,
  filterH: number,
  filterW: number,
  padding: PaddingKind,
): Padding2D {
  const outW = computeOutSize(padding, inW, filterW, strideW, dilationW);
  const outH = computeOutSize(padding, inH, filterH, strideH, dilationH);
  const [padH, padHOffset] = computePaddingWithOffset(strideH, dilationH, inH, filterH, outH);
  const [padW, padWOffset] = computePaddingWithOffset(strideW, dilationW, inW, filterW, outW);
  return { padH, padW, padHOffset, padWOffset, outH, outW };
}

// ---------------------------------------------------------------------------------------------
// Attributes

/** Integer attribute with a default. */
export function intAttr(ctx: KernelContext, name: string, def: number): number {
  const v = ctx.attrs[name];
  if (v === undefined) return def;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new KernelError(`'${ctx.op}': attribute ${name} must be an integer`);
}

/** Boolean attribute with a default. */
export function boolAttr(ctx: KernelContext, name: string, def: boolean): boolean {
  const v = ctx.attrs[name];
  if (v === undefined) return def;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  throw new KernelError(`'${ctx.op}': attribute ${name} must be a boolean`);
}

/** `padding` attribute (TFLite default: SAME is the schema default of Padding enum value 0). */
export function paddingAttr(ctx: KernelContext): PaddingKind {
  const v = ctx.attrs['padding'];
  if (v === undefined || v === 'SAME') return 'SAME';
  if (v === 'VALID') return 'VALID';
  throw new KernelError(`'${ctx.op}': unsupported padding '${String(v)}'`);
}

/** `fused_activation_function` attribute (default NONE). */
export function activationAttr(ctx: KernelContext): string {
  const v = ctx.attrs['fused_activation_function'];
  if (v === undefined) return 'NONE';
  if (typeof v !== 'string') throw new KernelError(`'${ctx.op}': fused_activation_function must be a string`);
  return v;
}

/** A positive integer attribute (strides, dilations, filter sizes). */
export function positiveIntAttr(ctx: KernelContext, name: string, def: number): number {
  const v = intAttr(ctx, name, def);
  if (!Number.isInteger(v) || v <= 0) throw new KernelError(`'${ctx.op}': ${name} must be a positive integer, got ${v}`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Tensors

/** Returns input `i`, throwing if absent. */
export function input(ctx: KernelContext, i: number, what: string): TensorInfo {
  const t = ctx.inputs[i];
  if (!t) throw new KernelError(`'${ctx.op}': missing ${what} (operand ${i})`);
  return t;
}

/** Returns output 0. */
export function output0(ctx: KernelContext): TensorInfo {
  const t = ctx.outputs[0];
  if (!t) throw new KernelError(`'${ctx.op}': missing result`);
  return t;
}

/** Requires a 4-D shape. */
export function require4D(ctx: KernelContext, t: TensorInfo, what: string): readonly [number, number, number, number] {
  if (t.shape.length !== 4) throw new KernelError(`'${ctx.op}': ${what} must be 4-D, got [${t.shape.join(',')}]`);
  return t.shape as unknown as readonly [number, number, number, number];
}

/** Checks a result's static shape. */
export function expectShape(ctx: KernelContext, t: TensorInfo, shape: readonly number[], what: string): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new KernelError(`'${ctx.op}': ${what} shape [${t.shape.join(',')}] != expected [${shape.join(',')}]`);
  }
}

/** Per-tensor scale (float32 value) of a quantized tensor. */
export function scaleOf(ctx: KernelContext, t: TensorInfo, what: string): number {
  const q = t.quant;
  if (!q || q.scale.length < 1) unsupported(ctx, `${what} must be quantized`);
  return Math.fround(q.scale[0] as number);
}

/** Per-tensor zero point of a quantized tensor. */
export function zeroPointOf(ctx: KernelContext, t: TensorInfo, what: string): number {
  const q = t.quant;
  if (!q || q.zeroPoint.length < 1) unsupported(ctx, `${what} must be quantized`);
  return q.zeroPoint[0] as number;
}

/** Constant data or a KernelError. */
export function constData(ctx: KernelContext, t: TensorInfo, what: string): TypedArray {
  if (!t.data) throw new KernelError(`'${ctx.op}': ${what} must be a constant tensor`);
  return t.data;
}

// ---------------------------------------------------------------------------------------------
// Quantization parameters (as TFLite's Prepare functions compute them)

/**
 * TFLite `CalculateActivationRangeQuantized`: `zp + (int)TfLiteRound(f / scale)` with a float32
 * division (scale is a float), clamped to the dtype range.
 */
export function activationRangeQuantized(
  ctx: KernelContext,
  activation: string,
  scale: number,
  zeroPoint: number,
  dtype: 'i8' | 'u8' | 'i16',
): [number, number] {
  return quantizedActivationRange(activation, scale, zeroPoint, dtype) ?? unsupported(ctx, `fused activation ${activation} on a quantized output`);
}

/** TFLite `CalculateActivationRange` for float outputs. */
export function activationRangeFloat(ctx: KernelContext, activation: string): [number, number] {
  switch (activation) {
    case 'NONE':
      return [-Infinity, Infinity];
    case 'RELU':
      return [0, Infinity];
    case 'RELU6':
      return [0, 6];
    case 'RELU_N1_TO_1':
      return [-1, 1];
    case 'RELU_0_TO_1':
      return [0, 1];
    default:
      unsupported(ctx, `fused activation ${activation}`);
  }
}

/** Per-channel multipliers and shifts (shift > 0 = left), one entry per output channel. */
export interface ChannelMultipliers {
  readonly multiplier: Int32Array;
  readonly shift: Int32Array;
}

/**
 * TFLite `PopulateConvolutionQuantizationParams` (per-axis & per-tensor): for each output channel,
 * `QuantizeMultiplier((double)s_in * (double)s_w[c] / (double)s_out)`; a single filter scale is
 * broadcast to every channel.
 */
export function convChannelMultipliers(
  ctx: KernelContext,
  inputScale: number,
  filter: TensorInfo,
  outputScale: number,
  channels: number,
  quantizedDim: number,
): ChannelMultipliers {
  const q = filter.quant;
  if (!q || q.scale.length < 1) unsupported(ctx, 'filter must be quantized');
  const perChannel = q.scale.length > 1;
  if (perChannel) {
    if (q.scale.length !== channels) {
      throw new KernelError(`'${ctx.op}': filter has ${q.scale.length} scales for ${channels} output channels`);
    }
    if (q.axis !== quantizedDim) {
      throw new KernelError(`'${ctx.op}': filter quantized dimension is ${q.axis}, expected ${quantizedDim}`);
    }
  }
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  const sIn = Math.fround(inputScale);
  const sOut = Math.fround(outputScale);
  for (let c = 0; c < channels; c++) {
    const sW = Math.fround((perChannel ? q.scale[c] : q.scale[0]) as number);
    const qm = quantizeMultiplier((sIn * sW) / sOut);
    multiplier[c] = qm.multiplier;
    shift[c] = qm.shift;
  }
  return { multiplier, shift };
}

/**
 * TFLite `GetQuantizedConvolutionMultipler` (the per-tensor FC / batch_matmul path): the scale product
 * is taken in float32 (`input->params.scale * filter->params.scale`), then divided in double. With a
 * bias, TFLite also checks |s_in*s_w - s_bias| / s_out <= 0.02.
 */
export function productMultiplier(
  ctx: KernelContext,
  inputScale: number,
  filterScale: number,
  outputScale: number,
  biasScale?: number,
): { multiplier: number; shift: number } {
  const sIn = Math.fround(inputScale);
  const sW = Math.fround(filterScale);
  const sOut = Math.fround(outputScale);
  if (biasScale !== undefined) {
    const diff = Math.abs(sIn * sW - Math.fround(biasScale));
    if (!(diff / sOut <= 0.02)) {
      throw new KernelError(`'${ctx.op}': bias scale ${biasScale} does not match input*filter scale ${sIn * sW}`);
    }
  }
  const product = Math.fround(sIn * sW);
  if (!(product >= 0)) throw new KernelError(`'${ctx.op}': negative input*filter scale`);
  return quantizeMultiplier(product / sOut);
}

// ---------------------------------------------------------------------------------------------
// int64-accumulator requantization

/**
 * Whether the int64 `MultiplyByQuantizedMultiplier` of the given flavour reduces the multiplier to 16
 * bits. TF 2.12 does; so do TFLM (tensorflow/lite/kernels/internal/common.cc, both the single- and
 * double-rounding branches, checked at TFLM 90b983c2, 2026) and current LiteRT. So both flavours use
 * the reduced form; this is the one switch to flip if a flavour ever needs the full 31-bit form.
 */
export function int64MultiplierIsReduced(flavour: KernelContext['flavour']): boolean {
  void flavour;
  return true;
}

const TWO_37 = 137438953472;
const TWO_52 = 4503599627370496;

/**
 * Precomputed per-channel int64 requantizer. `apply(x, c)` = TFLite's int64
 * `MultiplyByQuantizedMultiplier(x, multiplier[c], shift[c])` converted to int32 (wrapping, as the C
 * `static_cast<int32_t>` does), for an integer-valued double `x`. Exact: |x| < 2^37 is computed in
 * doubles (all partial products stay below 2^53), larger values go through BigInt.
 */
export class Int64Requantizer {
  private readonly reduced: boolean;
  private readonly mult: Float64Array; // reduced 16-bit multiplier, or the high 15 bits of the full one
  private readonly multLo: Float64Array; // full form: low 16 bits
  private readonly addend: Float64Array; // rounding term (scaled, see apply)
  private readonly divisor: Float64Array;
  private readonly rawMult: Int32Array;
  private readonly rawShift: Int32Array;

  constructor(multiplier: Int32Array, shift: Int32Array, reduced: boolean) {
    const n = multiplier.length;
    this.reduced = reduced;
    this.rawMult = multiplier;
    this.rawShift = shift;
    this.mult = new Float64Array(n);
    this.multLo = new Float64Array(n);
    this.addend = new Float64Array(n);
    this.divisor = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      const m = multiplier[c] as number;
      const s = shift[c] as number;
      if (s < -31 || s > 7) throw new KernelError(`int64 requantization shift ${s} out of TFLite's range [-31, 7]`);
      if (reduced) {
        const r = m < 0x7fff0000 ? (m + 32768) >> 16 : 0x7fff;
        const total = 15 - s; // 8..46
        this.mult[c] = r;
        this.addend[c] = Math.pow(2, total - 1);
        this.divisor[c] = Math.pow(2, total);
      } else {
        const total = 31 - s; // 24..62
        this.mult[c] = Math.floor(m / 65536);
        this.multLo[c] = m % 65536;
        this.addend[c] = Math.pow(2, total - 17);
        this.divisor[c] = Math.pow(2, total - 16);
      }
    }
  }

  /** Requantizes `x` (an integer-valued double) with channel `c`'s multiplier; int32 result. */
  apply(x: number, c: number): number {
    if (x < TWO_37 && x > -TWO_37) {
      if (this.reduced) {
        // x*r < 2^52, + 2^(total-1) <= 2^45: exact; division by a power of two is exact.
        return Math.floor((x * (this.mult[c] as number) + (this.addend[c] as number)) / (this.divisor[c] as number)) | 0;
      }
      // x*m = (x*mh)*2^16 + x*ml; fold the low part's carry into the high part; the remaining low
      // bits (< 2^16) cannot change floor(... / 2^total) once total >= 16.
      const a = x * (this.mult[c] as number);
      const lo = x * (this.multLo[c] as number);
      const carry = Math.floor(lo / 65536);
      return Math.floor((a + carry + (this.addend[c] as number)) / (this.divisor[c] as number)) | 0;
    }
    const m = this.rawMult[c] as number;
    const s = this.rawShift[c] as number;
    return this.reduced ? mbqm64Reduced(BigInt(x), m, s) : mbqm64(BigInt(x), m, s);
  }
}

/** Reads an int64 bias (BigInt64Array) as doubles; exact for |b| < 2^53, else a KernelError. */
export function int64BiasAsNumbers(ctx: KernelContext, data: TypedArray): Float64Array {
  const out = new Float64Array(data.length);
  if (data instanceof BigInt64Array) {
    for (let i = 0; i < data.length; i++) {
      const b = data[i] as bigint;
      if (b > 9007199254740991n || b < -9007199254740991n) {
        throw new KernelError(`'${ctx.op}': int64 bias value ${b} exceeds 2^53`);
      }
      out[i] = Number(b);
    }
    return out;
  }
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  return out;
}

/**
 * Single-rounding requantizer: `(x * multiplier + 2^(30 - shift)) >> (31 - shift)` (round half up),
 * as ruy's `ApplyMultiplier` does. TF 2.12's optimized int8 kernels that run through
 * `cpu_backend_gemm` (CONV_2D im2col+GEMM, FULLY_CONNECTED) requantize inside ruy with this rounding,
 * so their results differ from the reference kernels' double rounding in a few ties; the `tflite`
 * flavour follows them. `apply(x, c)` takes an int32 `x` and returns an int32 (wrapping).
 */
export class SingleRoundingRequantizer {
  private readonly hi: Float64Array;
  private readonly lo: Float64Array;
  private readonly addend: Float64Array;
  private readonly divisor: Float64Array;
  private readonly exact: Uint8Array;
  private readonly fast: Uint8Array;
  private readonly half: Float64Array;
  private readonly inverse: Float64Array;

  constructor(
    private readonly multiplier: Int32Array,
    private readonly shift: Int32Array,
  ) {
    const n = multiplier.length;
    this.hi = new Float64Array(n);
    this.lo = new Float64Array(n);
    this.addend = new Float64Array(n);
    this.divisor = new Float64Array(n);
    this.exact = new Uint8Array(n);
    this.fast = new Uint8Array(n);
    this.half = new Float64Array(n);
    this.inverse = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      const m = multiplier[c] as number;
      const total = 31 - (shift[c] as number);
      if (total < 1) throw new KernelError(`requantization shift ${shift[c]} out of range`);
      this.hi[c] = Math.floor(m / 65536);
      this.lo[c] = m % 65536;
      // With total >= 17 the rounding term is a multiple of 2^16 and the double path is exact.
      this.exact[c] = total >= 17 ? 1 : 0;
      this.addend[c] = total >= 17 ? Math.pow(2, total - 17) : 0;
      this.divisor[c] = total >= 17 ? Math.pow(2, total - 16) : 0;
      this.fast[c] = total <= 52 ? 1 : 0;
      this.half[c] = Math.pow(2, total - 1);
      this.inverse[c] = Math.pow(2, -total);
    }
  }

  apply(x: number, c: number): number {
    const p = x * (this.multiplier[c] as number);
    if (p < TWO_52 && p > -TWO_52 && this.fast[c] === 1) {
      // Exact product; with total <= 52 the rounding term 2^(total-1) keeps the sum below 2^53.
      return Math.floor((p + (this.half[c] as number)) * (this.inverse[c] as number)) | 0;
    }
    if (this.exact[c] === 1) {
      // x*m = (x*hi)*2^16 + x*lo, |x*hi| < 2^46 and |x*lo| < 2^47: exact in doubles.
      const carry = Math.floor((x * (this.lo[c] as number)) / 65536);
      return Math.floor((x * (this.hi[c] as number) + carry + (this.addend[c] as number)) / (this.divisor[c] as number)) | 0;
    }
    const total = BigInt(31 - (this.shift[c] as number));
    const r = (BigInt(x) * BigInt(this.multiplier[c] as number) + (1n << (total - 1n))) >> total;
    return Number(BigInt.asIntN(32, r));
  }
}

// ---------------------------------------------------------------------------------------------
// Float GEMM summation order of TF 2.12's builtin kernels

/**
 * The order in which TF 2.12's float GEMM (`cpu_backend_gemm` -> Eigen's matrix product, single
 * threaded, as built into the tfjs-tflite WASM binary) adds up the `depth` float32 products of one
 * result element of a `rows x depth` by `depth x cols` product. Measured against that binary (see
 * test/interp/single-op.test.ts), it is:
 * - a plain left-to-right sum when rows == 1 or cols == 1 (GEMV) or rows + cols + depth < 20 (Eigen's
 *   coefficient-based "lazy" product);
 * - otherwise Eigen's blocked GEBP: depth is cut into blocks of `kc` (all of it up to 816; beyond,
 *   Eigen's `evaluateProductBlockingSizesHeuristic` split into nearly equal multiples of 8), each block
 *   is summed from zero and added to the result in turn. Within a block, result columns in full panels
 *   of 4 (`j < 4 * floor(cols / 4)`) use two accumulators over the first 8*floor(n/8) products (even
 *   and odd positions), added together, then the remaining products one by one; the other columns sum
 *   left to right.
 * The caller adds the bias afterwards (Eigen's result + bias, then the clamp), as TFLite does.
 */
export class EigenGemmSum {
  private readonly lazy: boolean;
  private readonly gemv: boolean;
  private readonly kc: number;
  private readonly panelCols: number;

  constructor(rows: number, cols: number, readonly depth: number) {
    this.lazy = rows + cols + depth < 20;
    this.gemv = rows === 1 || cols === 1;
    const maxKc = 816;
    let kc = depth;
    if (depth > maxKc) {
      kc = depth % maxKc === 0 ? maxKc : maxKc - 8 * Math.floor((maxKc - 1 - (depth % maxKc)) / (8 * (Math.floor(depth / maxKc) + 1)));
    }
    this.kc = Math.max(1, kc);
    this.panelCols = this.lazy || this.gemv ? 0 : Math.floor(cols / 4) * 4;
  }

  /** Sum of `p[0..depth)` (float32 products) for result column `j`, float32 at every step. */
  sum(p: Float32Array | Float64Array, j: number): number {
    const fround = Math.fround;
    const n = this.depth;
    if (this.lazy) {
      // Coefficient-based product: a reduction that starts from the first product.
      let s = n > 0 ? (p[0] as number) : 0;
      for (let k = 1; k < n; k++) s = fround(s + (p[k] as number));
      return s;
    }
    // GEMV and GEBP accumulate into a zeroed result.
    if (this.gemv) {
      let s = 0;
      for (let k = 0; k < n; k++) s = fround(s + (p[k] as number));
      return fround(0 + s);
    }
    const panel = j < this.panelCols;
    let res = 0;
    for (let k0 = 0; k0 < n; k0 += this.kc) {
      const k1 = Math.min(n, k0 + this.kc);
      let s: number;
      if (panel) {
        const peeledEnd = k0 + Math.floor((k1 - k0) / 8) * 8;
        let a0 = 0;
        let a1 = 0;
        for (let k = k0; k < peeledEnd; k += 2) {
          a0 = fround(a0 + (p[k] as number));
          a1 = fround(a1 + (p[k + 1] as number));
        }
        s = fround(a0 + a1);
        for (let k = peeledEnd; k < k1; k++) s = fround(s + (p[k] as number));
      } else {
        s = 0;
        for (let k = k0; k < k1; k++) s = fround(s + (p[k] as number));
      }
      res = fround(res + s);
    }
    return res;
  }

  /**
   * The sums of {@link EigenGemmSum.sum} for `count` (1..4) rows at once — products
   * `x[xOff + k] * w[rows[r] + k]` — with the chains interleaved (independent adds), into `out[0..count)`.
   */
  dot4(x: Float32Array, xOff: number, w: Float32Array, rows: Int32Array, count: number, j: number, out: Float64Array): void {
    const fround = Math.fround;
    const n = this.depth;
    const r0 = (rows[0] as number) - xOff;
    const r1 = (count > 1 ? (rows[1] as number) : (rows[0] as number)) - xOff;
    const r2 = (count > 2 ? (rows[2] as number) : (rows[0] as number)) - xOff;
    const r3 = (count > 3 ? (rows[3] as number) : (rows[0] as number)) - xOff;
    if (this.lazy || this.gemv) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = xOff;
      const e = xOff + n;
      if (this.lazy && n > 0) {
        const xv = x[k] as number;
        s0 = fround(xv * (w[k + r0] as number));
        s1 = fround(xv * (w[k + r1] as number));
        s2 = fround(xv * (w[k + r2] as number));
        s3 = fround(xv * (w[k + r3] as number));
        k++;
      }
      for (; k < e; k++) {
        const xv = x[k] as number;
        s0 = fround(s0 + fround(xv * (w[k + r0] as number)));
        s1 = fround(s1 + fround(xv * (w[k + r1] as number)));
        s2 = fround(s2 + fround(xv * (w[k + r2] as number)));
        s3 = fround(s3 + fround(xv * (w[k + r3] as number)));
      }
      if (this.lazy) {
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
      } else {
        out[0] = fround(0 + s0);
        out[1] = fround(0 + s1);
        out[2] = fround(0 + s2);
        out[3] = fround(0 + s3);
      }
      return;
    }
    const panel = j < this.panelCols;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let k0 = 0; k0 < n; k0 += this.kc) {
      const k1 = Math.min(n, k0 + this.kc);
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = xOff + k0;
      const e = xOff + k1;
      if (panel) {
        const peeledEnd = k + Math.floor((k1 - k0) / 8) * 8;
        let a0 = 0;
        let a1 = 0;
        let b0 = 0;
        let b1 = 0;
        let c0 = 0;
        let c1 = 0;
        let d0 = 0;
        let d1 = 0;
        for (; k < peeledEnd; k += 2) {
          const xv = x[k] as number;
          const xw = x[k + 1] as number;
          a0 = fround(a0 + fround(xv * (w[k + r0] as number)));
          a1 = fround(a1 + fround(xw * (w[k + 1 + r0] as number)));
          b0 = fround(b0 + fround(xv * (w[k + r1] as number)));
          b1 = fround(b1 + fround(xw * (w[k + 1 + r1] as number)));
          c0 = fround(c0 + fround(xv * (w[k + r2] as number)));
          c1 = fround(c1 + fround(xw * (w[k + 1 + r2] as number)));
          d0 = fround(d0 + fround(xv * (w[k + r3] as number)));
          d1 = fround(d1 + fround(xw * (w[k + 1 + r3] as number)));
        }
        s0 = fround(a0 + a1);
        s1 = fround(b0 + b1);
        s2 = fround(c0 + c1);
        s3 = fround(d0 + d1);
      }
      for (; k < e; k++) {
        const xv = x[k] as number;
        s0 = fround(s0 + fround(xv * (w[k + r0] as number)));
        s1 = fround(s1 + fround(xv * (w[k + r1] as number)));
        s2 = fround(s2 + fround(xv * (w[k + r2] as number)));
        s3 = fround(s3 + fround(xv * (w[k + r3] as number)));
      }
      t0 = fround(t0 + s0);
      t1 = fround(t1 + s1);
      t2 = fround(t2 + s2);
      t3 = fround(t3 + s3);
    }
    out[0] = t0;
    out[1] = t1;
    out[2] = t2;
    out[3] = t3;
  }
}
