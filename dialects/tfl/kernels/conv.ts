/**
 * `tfl.conv_2d` and `tfl.depthwise_conv_2d`, following TFLite's reference kernels
 * (`reference_ops::Conv` / `DepthwiseConv` for float, `reference_integer_ops::ConvPerChannel` /
 * `DepthwiseConvPerChannel` for int8 and 16x8) and the Prepare logic of `kernels/conv.cc` /
 * `depthwise_conv.cc` (padding via `ComputePaddingHeightWidth`, multipliers via
 * `PopulateConvolutionQuantizationParams`).
 */

import {
  type KernelContext,
  type KernelDef,
  type KernelFn,
  type TensorInfo,
  type TypedArray,
  KernelError,
  unsupported,
} from '../../../src/interp/kernel.js';
import { DepthwiseIntFast } from './depthwise-int.js';
import { hybridConv2d, hybridDepthwiseConv2d } from './hybrid.js';
import { packingFor } from '../../../src/interp/packed-dot.js';
import { mbqm } from '../../../src/interp/fixedpoint.js';
import {
  EigenGemmSum,
  Int64Requantizer,
  SingleRoundingRequantizer,
  activationAttr,
  activationRangeFloat,
  activationRangeQuantized,
  computePaddingHeightWidth,
  convChannelMultipliers,
  expectShape,
  input,
  int64BiasAsNumbers,
  int64MultiplierIsReduced,
  output0,
  paddingAttr,
  positiveIntAttr,
  require4D,
  scaleOf,
  zeroPointOf,
} from './padding.js';

/** Geometry shared by conv and depthwise conv. */
export interface ConvGeom {
  readonly batches: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly kH: number;
  readonly kW: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilH: number;
  readonly dilW: number;
  readonly padH: number;
  readonly padW: number;
}

function geometry(ctx: KernelContext, inp: TensorInfo, kH: number, kW: number, outC: number): ConvGeom {
  const [batches, inH, inW, inC] = require4D(ctx, inp, 'input');
  const strideH = positiveIntAttr(ctx, 'stride_h', 1);
  const strideW = positiveIntAttr(ctx, 'stride_w', 1);
  const dilH = positiveIntAttr(ctx, 'dilation_h_factor', 1);
  const dilW = positiveIntAttr(ctx, 'dilation_w_factor', 1);
  const pad = computePaddingHeightWidth(strideH, strideW, dilH, dilW, inH, inW, kH, kW, paddingAttr(ctx));
  expectShape(ctx, output0(ctx), [batches, pad.outH, pad.outW, outC], 'result');
  return {
    batches,
    inH,
    inW,
    inC,
    kH,
    kW,
    outH: pad.outH,
    outW: pad.outW,
    outC,
    strideH,
    strideW,
    dilH,
    dilW,
    padH: pad.padH,
    padW: pad.padW,
  };
}

/** The bias operand, checked for length; `undefined` when absent. */
function biasOperand(ctx: KernelContext, index: number, outC: number): TensorInfo | undefined {
  const bias = ctx.inputs[index];
  if (!bias) return undefined;
  let n = 1;
  for (const d of bias.shape) n *= d;
  if (n !== outC) throw new KernelError(`'${ctx.op}': bias has ${n} elements for ${outC} output channels`);
  return bias;
}

// ---------------------------------------------------------------------------------------------
// Accumulation loops. Each writes, per output element (NHWC order), the raw accumulator without
// bias: the float32 sum in reference order, or the exact integer sum of w * (x + inputOffset).

/** Float conv accumulation in reference order with float32 rounding at every step. */
function convAccFloat(g: ConvGeom, fIn: number, groups: number, x: Float32Array, w: Float32Array, acc: Float64Array): void {
  const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW, padH, padW } = g;
  const perGroup = outC / groups;
  const fround = Math.fround;
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padW;
        for (let oc = 0; oc < outC; oc++) {
          const gOff = Math.floor(oc / perGroup) * fIn;
          let total = 0;
          for (let ky = 0; ky < kH; ky++) {
            const iy = iy0 + dilH * ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = ix0 + dilW * kx;
              if (ix < 0 || ix >= inW) continue;
              const xi = ((b * inH + iy) * inW + ix) * inC + gOff;
              const wi = ((oc * kH + ky) * kW + kx) * fIn;
              for (let ic = 0; ic < fIn; ic++) {
                total = fround(total + fround((x[xi + ic] as number) * (w[wi + ic] as number)));
              }
            }
          }
          acc[o++] = total;
        }
      }
    }
  }
}

/**
 * Float conv accumulation in TF 2.12's order: im2col (padding as zero products, depth order ky, kx,
 * ic) times the filter through Eigen's GEMM (rows = output channels, cols = output pixels of all
 * batches). Single group only.
 */
function convAccFloatGemm(g: ConvGeom, x: Float32Array, w: Float32Array, gemm: EigenGemmSum, patch: Float32Array, acc: Float64Array): void {
  const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW, padH, padW } = g;
  const K = kH * kW * inC;
  const rows = new Int32Array(4);
  const sums = new Float64Array(4);
  let o = 0;
  let col = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++, col++) {
        const ix0 = ox * strideW - padW;
        // im2col: the window in (ky, kx, ic) order, 0 outside the input (0 * w, as TFLite's im2col).
        let k = 0;
        for (let ky = 0; ky < kH; ky++) {
          const iy = iy0 + dilH * ky;
          const rowIn = iy >= 0 && iy < inH;
          for (let kx = 0; kx < kW; kx++) {
            const ix = ix0 + dilW * kx;
            if (rowIn && ix >= 0 && ix < inW) {
              const xi = ((b * inH + iy) * inW + ix) * inC;
              for (let ic = 0; ic < inC; ic++) patch[k++] = x[xi + ic] as number;
            } else {
              for (let ic = 0; ic < inC; ic++) patch[k++] = 0;
            }
          }
        }
        for (let oc = 0; oc < outC; oc += 4) {
          const count = Math.min(4, outC - oc);
          for (let r = 0; r < count; r++) rows[r] = (oc + r) * K;
          gemm.dot4(patch, 0, w, rows, count, col, sums);
          for (let r = 0; r < count; r++) acc[o++] = sums[r] as number;
        }
      }
    }
  }
}

/** Integer conv accumulation: sum of w * (x + inputOffset), exact (doubles, |sum| < 2^53). */
function convAccInt(g: ConvGeom, fIn: number, groups: number, x: TypedArray, w: TypedArray, inputOffset: number, acc: Float64Array): void {
  const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW, padH, padW } = g;
  const xs = x as Int8Array | Int16Array;
  const ws = w as Int8Array;
  const perGroup = outC / groups;
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padW;
        for (let oc = 0; oc < outC; oc++) {
          const gOff = Math.floor(oc / perGroup) * fIn;
          let total = 0;
          for (let ky = 0; ky < kH; ky++) {
            const iy = iy0 + dilH * ky;
            if (iy < 0 || iy >= inH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ix = ix0 + dilW * kx;
              if (ix < 0 || ix >= inW) continue;
              const xi = ((b * inH + iy) * inW + ix) * inC + gOff;
              const wi = ((oc * kH + ky) * kW + kx) * fIn;
              for (let ic = 0; ic < fIn; ic++) {
                total += (ws[wi + ic] as number) * ((xs[xi + ic] as number) + inputOffset);
              }
            }
          }
          acc[o++] = total;
        }
      }
    }
  }
}

/**
 * Fast integer conv accumulation for a single group (fIn === inC), exact and equal to `convAccInt`.
 * The input is copied once into a buffer padded with `-inputOffset` (so padded taps contribute
 * w * (x + inputOffset) = 0), the input offset is folded into per-channel weight sums
 * (sum w * (x + off) = sum w * x + off * sum w), the filter row of one (ky) is a contiguous run when
 * dilW is 1, and 4 output channels are accumulated per pass over the input window.
 */
class ConvIntFast {
  private readonly Hp: number;
  private readonly Wp: number;
  private readonly top: number;
  private readonly left: number;
  private readonly trivial: boolean;
  private readonly buf: Int8Array | Int16Array | undefined;
  private readonly wsum: Float64Array;
  private wsumOf: TypedArray | undefined;
  private readonly K: number;
  /** int8 with a constant filter: output channel pairs packed two per double (see packed-dot.ts). */
  private packed: { readonly w: Float64Array; readonly scale: number } | undefined;

  constructor(
    private readonly g: ConvGeom,
    private readonly inputOffset: number,
    private readonly i16: boolean,
  ) {
    const { inH, inW, inC, kH, kW, outH, outW, strideH, strideW, dilH, dilW, padH, padW, batches, outC } = g;
    const needH = (outH - 1) * strideH + (kH - 1) * dilH + 1;
    const needW = (outW - 1) * strideW + (kW - 1) * dilW + 1;
    this.top = padH;
    this.left = padW;
    this.Hp = Math.max(needH, inH + padH);
    this.Wp = Math.max(needW, inW + padW);
    this.trivial = padH === 0 && padW === 0 && this.Hp === inH && this.Wp === inW;
    if (!this.trivial) {
      const n = batches * this.Hp * this.Wp * inC;
      this.buf = i16 ? new Int16Array(n) : new Int8Array(n);
      this.buf.fill(-inputOffset);
    }
    this.K = kH * kW * inC;
    this.wsum = new Float64Array(outC);
  }

  run(x: TypedArray, w: TypedArray, acc: Float64Array): void {
    const g = this.g;
    const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW } = g;
    const K = this.K;
    const W = w as Int8Array;
    const wsum = this.wsum;
    // Non-constant filters may change between calls, so their sums are recomputed every call.
    if (this.wsumOf !== w) this.weightSums(w);
    let xp: Int8Array | Int16Array;
    let Hp = inH;
    let Wp = inW;
    if (this.trivial) {
      xp = x as Int8Array | Int16Array;
    } else {
      const buf = this.buf!;
      Hp = this.Hp;
      Wp = this.Wp;
      const rowLen = inW * inC;
      const xs = x as Int16Array;
      for (let b = 0; b < batches; b++) {
        for (let y = 0; y < inH; y++) {
          const s = (b * inH + y) * rowLen;
          (buf as Int16Array).set(xs.subarray(s, s + rowLen), ((b * Hp + y + this.top) * Wp + this.left) * inC);
        }
      }
      xp = buf;
    }
    if (this.packed && this.wsumOf === w) {
      this.runPacked(xp, Hp, Wp, acc);
      return;
    }
    const seg = dilW === 1 ? kW * inC : inC;
    const nSeg = dilW === 1 ? 1 : kW;
    const rowStep = dilH * Wp * inC;
    const segStep = dilW * inC;
    const K2 = 2 * K;
    const K3 = 3 * K;
    let o = 0;
    for (let b = 0; b < batches; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const p0 = ((b * Hp + oy * strideH) * Wp + ox * strideW) * inC;
          let oc = 0;
          for (; oc + 4 <= outC; oc += 4) {
            let s0 = 0;
            let s1 = 0;
            let s2 = 0;
            let s3 = 0;
            let wi = oc * K;
            for (let ky = 0; ky < kH; ky++) {
              for (let sg = 0; sg < nSeg; sg++) {
                const xr = p0 + ky * rowStep + sg * segStep;
                for (let t = 0; t < seg; t++, wi++) {
                  const xv = xp[xr + t] as number;
                  s0 += xv * (W[wi] as number);
                  s1 += xv * (W[wi + K] as number);
                  s2 += xv * (W[wi + K2] as number);
                  s3 += xv * (W[wi + K3] as number);
                }
              }
            }
            acc[o++] = s0 + (wsum[oc] as number);
            acc[o++] = s1 + (wsum[oc + 1] as number);
            acc[o++] = s2 + (wsum[oc + 2] as number);
            acc[o++] = s3 + (wsum[oc + 3] as number);
          }
          for (; oc < outC; oc++) {
            let s = 0;
            let wi = oc * K;
            for (let ky = 0; ky < kH; ky++) {
              for (let sg = 0; sg < nSeg; sg++) {
                const xr = p0 + ky * rowStep + sg * segStep;
                for (let t = 0; t < seg; t++, wi++) s += (xp[xr + t] as number) * (W[wi] as number);
              }
            }
            acc[o++] = s + (wsum[oc] as number);
          }
        }
      }
    }
  }

  /** Declares `w` (the filter's constant data) constant, so its weight sums are computed once. */
  constFilter(w: TypedArray): void {
    this.weightSums(w);
    this.wsumOf = w;
    if (this.i16) return;
    const { outC } = this.g;
    const K = this.K;
    const packing = packingFor(K, 128 * 128);
    if (!packing || packing.chunk < K) return;
    const pairs = Math.ceil(outC / 2);
    const pw = new Float64Array(pairs * K);
    for (let p = 0; p < pairs; p++) {
      const lo = 2 * p * K;
      const hasHi = 2 * p + 1 < outC;
      for (let k = 0; k < K; k++) pw[p * K + k] = (w[lo + k] as number) + (hasHi ? (w[lo + K + k] as number) : 0) * packing.scale;
    }
    this.packed = { w: pw, scale: packing.scale };
  }

  /** The packed form of {@link ConvIntFast.run}'s loop: 4 channel pairs (8 channels) per pass. */
  private runPacked(xp: Int8Array | Int16Array, Hp: number, Wp: number, acc: Float64Array): void {
    const { batches, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW } = this.g;
    const { w: P, scale: S } = this.packed!;
    const invS = 1 / S;
    const K = this.K;
    const wsum = this.wsum;
    const pairs = Math.ceil(outC / 2);
    const seg = dilW === 1 ? kW * inC : inC;
    const nSeg = dilW === 1 ? 1 : kW;
    const rowStep = dilH * Wp * inC;
    const segStep = dilW * inC;
    const split = (a: number, o: number, c: number): void => {
      const hi = Math.round(a * invS);
      acc[o] = a - hi * S + (wsum[c] as number);
      if (c + 1 < outC) acc[o + 1] = hi + (wsum[c + 1] as number);
    };
    let o = 0;
    for (let b = 0; b < batches; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++, o += outC) {
          const p0 = ((b * Hp + oy * strideH) * Wp + ox * strideW) * inC;
          let p = 0;
          for (; p + 4 <= pairs; p += 4) {
            let a0 = 0;
            let a1 = 0;
            let a2 = 0;
            let a3 = 0;
            let wi = p * K;
            for (let ky = 0; ky < kH; ky++) {
              for (let sg = 0; sg < nSeg; sg++) {
                const xr = p0 + ky * rowStep + sg * segStep - wi;
                for (let e = wi + seg; wi < e; wi++) {
                  const xv = xp[xr + wi] as number;
                  a0 += xv * (P[wi] as number);
                  a1 += xv * (P[wi + K] as number);
                  a2 += xv * (P[wi + 2 * K] as number);
                  a3 += xv * (P[wi + 3 * K] as number);
                }
              }
            }
            split(a0, o + 2 * p, 2 * p);
            split(a1, o + 2 * p + 2, 2 * p + 2);
            split(a2, o + 2 * p + 4, 2 * p + 4);
            split(a3, o + 2 * p + 6, 2 * p + 6);
          }
          for (; p < pairs; p++) {
            let a = 0;
            let wi = p * K;
            for (let ky = 0; ky < kH; ky++) {
              for (let sg = 0; sg < nSeg; sg++) {
                const xr = p0 + ky * rowStep + sg * segStep - wi;
                for (let e = wi + seg; wi < e; wi++) a += (xp[xr + wi] as number) * (P[wi] as number);
              }
            }
            split(a, o + 2 * p, 2 * p);
          }
        }
      }
    }
  }

  private weightSums(w: TypedArray): void {
    const { outC } = this.g;
    const K = this.K;
    const W = w as Int8Array;
    for (let oc = 0; oc < outC; oc++) {
      let s = 0;
      for (let k = oc * K, e = k + K; k < e; k++) s += W[k] as number;
      this.wsum[oc] = s * this.inputOffset;
    }
  }
}

/**
 * Float depthwise accumulation in reference order (float32 rounding at every step). With `bias`, the
 * sum starts from the bias instead of adding it at the end (TF 2.12's optimized depthwise kernel
 * initializes its accumulators with the bias).
 */
function dwAccFloat(g: ConvGeom, mult: number, x: Float32Array, w: Float32Array, acc: Float64Array, bias?: Float32Array): void {
  const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW, padH, padW } = g;
  const fround = Math.fround;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padW;
        const oBase = ((b * outH + oy) * outW + ox) * outC;
        for (let ic = 0; ic < inC; ic++) {
          for (let m = 0; m < mult; m++) {
            const oc = m + ic * mult;
            let total = bias ? (bias[oc] as number) : 0;
            for (let ky = 0; ky < kH; ky++) {
              const iy = iy0 + dilH * ky;
              for (let kx = 0; kx < kW; kx++) {
                const ix = ix0 + dilW * kx;
                if (ix < 0 || ix >= inW || iy < 0 || iy >= inH) continue;
                const xv = x[((b * inH + iy) * inW + ix) * inC + ic] as number;
                const wv = w[(ky * kW + kx) * outC + oc] as number;
                total = fround(total + fround(xv * wv));
              }
            }
            acc[oBase + oc] = total;
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Epilogues (bias, requantization, clamp), shared with transpose_conv.

/** Float epilogue: out = clamp(fround(acc + bias)). */
export function floatEpilogue(acc: Float64Array, bias: Float32Array | undefined, outC: number, lo: number, hi: number, out: Float32Array): void {
  const fround = Math.fround;
  const n = acc.length;
  for (let i = 0, c = 0; i < n; i++) {
    const v = bias ? fround((acc[i] as number) + (bias[c] as number)) : (acc[i] as number);
    out[i] = v < lo ? lo : v > hi ? hi : v;
    if (++c === outC) c = 0;
  }
}

/**
 * int32-accumulator epilogue (reference int8 kernels and the 16x8 int32-bias kernels): acc (wrapped to
 * int32) + bias, `MultiplyByQuantizedMultiplier` (int32, double rounding) — or, with `single`, ruy's
 * single-rounding multiply (TF 2.12's GEMM-based int8 kernels) — + output zero point, clamp.
 */
export function int32Epilogue(
  acc: Float64Array,
  bias: Int32Array | undefined,
  outC: number,
  multiplier: Int32Array,
  shift: Int32Array,
  outputOffset: number,
  lo: number,
  hi: number,
  out: Int8Array | Int16Array,
  single?: SingleRoundingRequantizer,
): void {
  const n = acc.length;
  for (let i = 0, c = 0; i < n; i++) {
    let v = bias ? ((acc[i] as number) + (bias[c] as number)) | 0 : (acc[i] as number) | 0;
    v = (single ? single.apply(v, c) : mbqm(v, multiplier[c] as number, shift[c] as number)) + outputOffset;
    out[i] = v < lo ? lo : v > hi ? hi : v;
    if (++c === outC) c = 0;
  }
}

/** int64-accumulator epilogue (16x8 with int64 bias): acc + bias, int64 requantization, clamp. */
export function int64Epilogue(
  acc: Float64Array,
  bias: Float64Array | undefined,
  outC: number,
  requant: Int64Requantizer,
  outputOffset: number,
  lo: number,
  hi: number,
  out: Int16Array,
): void {
  const n = acc.length;
  for (let i = 0, c = 0; i < n; i++) {
    const v = requant.apply(bias ? (acc[i] as number) + (bias[c] as number) : (acc[i] as number), c) + outputOffset;
    out[i] = v < lo ? lo : v > hi ? hi : v;
    if (++c === outC) c = 0;
  }
}

/**
 * Where a conv-like op's runtime requantizes differently from the reference kernels' double rounding
 * (measured against TF 2.12's builtin kernels, see test/interp/single-op.test.ts).
 */
export interface EpilogueRounding {
  /** int8: ruy's single rounding (TF 2.12 CONV_2D runs im2col + cpu_backend_gemm). */
  readonly int8Single?: boolean;
  /** 16x8 with an int32 bias: single rounding with the full 31-bit multiplier (TF 2.12 CONV_2D). */
  readonly int16Int32Single?: boolean;
  /** 16x8 without a bias: which bias path the runtime takes (default int64). */
  readonly int16NoBias?: 'i32' | 'i64';
}

/**
 * Builds the per-type epilogue for a conv-like op (conv, depthwise, transpose_conv): validates the type
 * combination, precomputes multipliers / clamps, and returns `(acc, out) => void`.
 * `int16Bias` lists the bias dtypes TFLite accepts for 16x8 on this op.
 */
export function convEpilogue(
  ctx: KernelContext,
  x: TensorInfo,
  w: TensorInfo,
  bias: TensorInfo | undefined,
  y: TensorInfo,
  outC: number,
  quantizedDim: number,
  activation: string,
  int16Bias: readonly ('i32' | 'i64')[],
  rounding: EpilogueRounding = {},
): { kind: 'f32' | 'int'; inputOffset: number; finish: (acc: Float64Array, out: TypedArray, bias: TypedArray | undefined) => void } {
  if (x.dtype === 'f32') {
    if (w.dtype !== 'f32') unsupported(ctx, 'hybrid (float input, quantized filter) is not supported');
    if (y.dtype !== 'f32') unsupported(ctx);
    if (bias && bias.dtype !== 'f32') unsupported(ctx, 'float bias expected');
    const [lo, hi] = activationRangeFloat(ctx, activation);
    return {
      kind: 'f32',
      inputOffset: 0,
      finish: (acc, out, b) => floatEpilogue(acc, b as Float32Array | undefined, outC, lo, hi, out as Float32Array),
    };
  }
  if ((x.dtype !== 'i8' && x.dtype !== 'i16') || w.dtype !== 'i8' || y.dtype !== x.dtype) unsupported(ctx);
  const sIn = scaleOf(ctx, x, 'input');
  const sOut = scaleOf(ctx, y, 'output');
  const zIn = zeroPointOf(ctx, x, 'input');
  const zOut = zeroPointOf(ctx, y, 'output');
  const wq = w.quant;
  if (!wq) unsupported(ctx, 'filter must be quantized');
  for (const zp of wq.zeroPoint) {
    if (zp !== 0) unsupported(ctx, 'per-channel kernels need symmetric (zero point 0) filters');
  }
  const { multiplier, shift } = convChannelMultipliers(ctx, sIn, w, sOut, outC, quantizedDim);
  const [lo, hi] = activationRangeQuantized(ctx, activation, sOut, zOut, y.dtype);
  if (x.dtype === 'i8') {
    if (bias && bias.dtype !== 'i32') unsupported(ctx, 'int8 kernels need an int32 bias');
    const single = rounding.int8Single ? new SingleRoundingRequantizer(multiplier, shift) : undefined;
    return {
      kind: 'int',
      inputOffset: -zIn,
      finish: (acc, out, b) => int32Epilogue(acc, b as Int32Array | undefined, outC, multiplier, shift, zOut, lo, hi, out as Int8Array, single),
    };
  }
  // 16x8: TFLite requires symmetric int16 activations.
  if (zIn !== 0 || zOut !== 0) unsupported(ctx, '16x8 kernels need zero points of 0 on input and output');
  const biasType = bias ? bias.dtype : (rounding.int16NoBias ?? 'i64');
  if (biasType !== 'i32' && biasType !== 'i64') unsupported(ctx, '16x8 kernels need an int32 or int64 bias');
  if (bias && !int16Bias.includes(biasType)) unsupported(ctx, `16x8 ${ctx.op} needs a ${int16Bias.join(' or ')} bias in ${ctx.flavour}`);
  if (biasType === 'i32') {
    const single = rounding.int16Int32Single ? new SingleRoundingRequantizer(multiplier, shift) : undefined;
    return {
      kind: 'int',
      inputOffset: 0,
      finish: (acc, out, b) => int32Epilogue(acc, b as Int32Array | undefined, outC, multiplier, shift, 0, lo, hi, out as Int16Array, single),
    };
  }
  const requant = new Int64Requantizer(multiplier, shift, int64MultiplierIsReduced(ctx.flavour));
  const constBias = bias?.data ? int64BiasAsNumbers(ctx, bias.data) : undefined;
  return {
    kind: 'int',
    inputOffset: 0,
    finish: (acc, out, b) =>
      int64Epilogue(acc, constBias ?? (b ? int64BiasAsNumbers(ctx, b) : undefined), outC, requant, 0, lo, hi, out as Int16Array),
  };
}

// ---------------------------------------------------------------------------------------------
// Kernels

/**
 * `tfl.conv_2d` (operands: input NHWC, filter OHWI, optional bias). Grouped convolution (input depth a
 * multiple of the filter's) follows the reference kernel. Type combinations:
 * - f32 input/filter/bias/output (reference accumulation order, float32 rounding at each step);
 * - int8 input/output (asymmetric), int8 symmetric filter per-tensor or per-channel (axis 0), int32 bias;
 * - 16x8: int16 input/output with zero point 0, int8 filter, int64 bias (int64 accumulator, int64
 *   `MultiplyByQuantizedMultiplier`) or int32 bias (`ConvPerChannel<int32_t>`: int32 accumulator,
 *   int32 double-rounding multiply);
 * - hybrid: f32 input/output, int8 filter, f32 bias — `hybridConv2d` (hybrid.ts; `tflite` only).
 * Flavours differ where TF 2.12's builtin (optimized) kernel does not compute what the reference
 * does: `tflite` requantizes int8 and 16x8-with-int32-bias with single rounding (the int8 path is
 * im2col + cpu_backend_gemm/ruy) and sums f32 in the order of its im2col + Eigen GEMM (single group;
 * see `EigenGemmSum`); `tflm` follows the reference kernels (double rounding, ky/kx/ic order). 16x8
 * with an int64 bias is identical (both reduce the int64 multiplier to 16 bits).
 */
const conv2d: KernelDef = {
  op: 'tfl.conv_2d',
  prepare(ctx: KernelContext): KernelFn {
    const x = input(ctx, 0, 'input');
    const w = input(ctx, 1, 'filter');
    const y = output0(ctx);
    if (w.shape.length !== 4) throw new KernelError(`'${ctx.op}': filter must be 4-D`);
    const [outC, kH, kW, fIn] = w.shape as unknown as [number, number, number, number];
    const g = geometry(ctx, x, kH, kW, outC);
    if (fIn <= 0 || g.inC % fIn !== 0) throw new KernelError(`'${ctx.op}': input depth ${g.inC} is not a multiple of filter depth ${fIn}`);
    const groups = g.inC / fIn;
    if (outC % groups !== 0) throw new KernelError(`'${ctx.op}': ${outC} filters do not split into ${groups} groups`);
    const bias = biasOperand(ctx, 2, outC);
    if (x.dtype === 'f32' && w.dtype === 'i8') return hybridConv2d(ctx, g, groups);
    // TF 2.12's int8 CONV_2D runs im2col + cpu_backend_gemm (ruy), which requantizes with single
    // rounding, and so does its 16x8 path with an int32 bias; TFLM (and TFLite's reference kernel)
    // round twice.
    const tfl = ctx.flavour === 'tflite';
    const ep = convEpilogue(ctx, x, w, bias, y, outC, 0, activationAttr(ctx), ['i32', 'i64'], { int8Single: tfl, int16Int32Single: tfl });
    const acc = new Float64Array(g.batches * g.outH * g.outW * outC);
    if (ep.kind === 'f32') {
      if (ctx.flavour === 'tflite' && groups === 1) {
        const gemm = new EigenGemmSum(outC, g.batches * g.outH * g.outW, kH * kW * fIn);
        const patch = new Float32Array(kH * kW * fIn);
        return (ins, outs) => {
          convAccFloatGemm(g, ins[0]!.data as Float32Array, ins[1]!.data as Float32Array, gemm, patch, acc);
          ep.finish(acc, outs[0]!.data, ins[2]?.data);
        };
      }
      return (ins, outs) => {
        convAccFloat(g, fIn, groups, ins[0]!.data as Float32Array, ins[1]!.data as Float32Array, acc);
        ep.finish(acc, outs[0]!.data, ins[2]?.data);
      };
    }
    if (groups === 1 && w.dtype === 'i8') {
      const fast = new ConvIntFast(g, ep.inputOffset, x.dtype === 'i16');
      if (w.data) fast.constFilter(w.data);
      return (ins, outs) => {
        fast.run(ins[0]!.data, ins[1]!.data, acc);
        ep.finish(acc, outs[0]!.data, ins[2]?.data);
      };
    }
    return (ins, outs) => {
      convAccInt(g, fIn, groups, ins[0]!.data, ins[1]!.data, ep.inputOffset, acc);
      ep.finish(acc, outs[0]!.data, ins[2]?.data);
    };
  },
};

/**
 * `tfl.depthwise_conv_2d` (operands: input NHWC, filter [1, KH, KW, C*M], optional bias). The depth
 * multiplier is derived from the shapes, as TFLite's `ComputeDepthMultiplier` does. Type combinations:
 * - f32 (reference order, float32 rounding);
 * - int8 asymmetric activations, int8 symmetric filter per-tensor or per-channel (axis 3), int32 bias;
 * - 16x8: int16 (zero point 0) activations, int8 filter, int64 bias (TFLite and TFLM require int64);
 * - hybrid: f32 activations, int8 filter, f32 bias — `hybridDepthwiseConv2d` (hybrid.ts; `tflite` only).
 * Flavours: f32 differs — `tflite` starts each sum from the bias (TF 2.12's optimized depthwise kernel
 * initializes its accumulators with it), `tflm` adds the bias last (reference).
 */
const depthwiseConv2d: KernelDef = {
  op: 'tfl.depthwise_conv_2d',
  prepare(ctx: KernelContext): KernelFn {
    const x = input(ctx, 0, 'input');
    const w = input(ctx, 1, 'filter');
    const y = output0(ctx);
    if (w.shape.length !== 4 || w.shape[0] !== 1) throw new KernelError(`'${ctx.op}': filter must be [1, KH, KW, C*M]`);
    const [, kH, kW, outC] = w.shape as unknown as [number, number, number, number];
    const g = geometry(ctx, x, kH, kW, outC);
    if (g.inC <= 0 || outC % g.inC !== 0) throw new KernelError(`'${ctx.op}': filter depth ${outC} is not a multiple of input depth ${g.inC}`);
    const mult = outC / g.inC;
    const attrMult = ctx.attrs['depth_multiplier'];
    if (typeof attrMult === 'number' && attrMult !== mult && x.dtype === 'i16') {
      // TFLite's 16x8 path uses the attribute; the shapes disagree with it, so the result would differ.
      unsupported(ctx, `depth_multiplier ${attrMult} disagrees with the shapes (${mult})`);
    }
    const bias = biasOperand(ctx, 2, outC);
    if (x.dtype === 'f32' && w.dtype === 'i8') return hybridDepthwiseConv2d(ctx, g, mult);
    const ep = convEpilogue(ctx, x, w, bias, y, outC, 3, activationAttr(ctx), ['i64']);
    const acc = new Float64Array(g.batches * g.outH * g.outW * outC);
    if (ep.kind === 'f32') {
      const biasFirst = ctx.flavour === 'tflite';
      return (ins, outs) => {
        const b = ins[2]?.data as Float32Array | undefined;
        dwAccFloat(g, mult, ins[0]!.data as Float32Array, ins[1]!.data as Float32Array, acc, biasFirst ? b : undefined);
        ep.finish(acc, outs[0]!.data, biasFirst ? undefined : b);
      };
    }
    const fast = new DepthwiseIntFast(g, mult, ep.inputOffset, x.dtype === 'i16');
    if (w.data) fast.constFilter(w.data);
    return (ins, outs) => {
      fast.run(ins[0]!.data, ins[1]!.data, acc);
      ep.finish(acc, outs[0]!.data, ins[2]?.data);
    };
  },
};

/** Convolution kernels of this file. */
export const convKernels: readonly KernelDef[] = [conv2d, depthwiseConv2d];
