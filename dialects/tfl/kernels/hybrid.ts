/**
 * Hybrid (dynamic-range quantized) kernels — float32 activations, int8 weights — for conv_2d,
 * depthwise_conv_2d and fully_connected, as TF 2.12's builtin (non-XNNPACK) kernels run them: per-batch
 * on-the-fly int8 input quantization, exact int32 dot products, each kernel's own float32 rescale order.
 */

import { type KernelContext, type KernelFn, type TensorInfo, KernelError, unsupported } from '../../../src/interp/kernel.js';
import type { ConvGeom } from './conv.js';
import { activationAttr, boolAttr, input, intAttr, output0 } from './padding.js';

const fround = Math.fround;

/** FLT_MAX: TFLite's float activation range for NONE / RELU is [lowest, max], not ±Infinity. */
const FLT_MAX = 3.4028234663852886e38;

// ---------------------------------------------------------------------------------------------
// On-the-fly input quantization (tensor_utils::SymmetricQuantizeFloats / AsymmetricQuantizeFloats)

/** C `round` / `TfLiteRound`: half away from zero (exact for float32 inputs). */
function roundHalfAway(v: number): number {
  return v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5);
}

/**
 * Symmetric per-batch quantization of `x[off, off + n)` into `q` (same offsets): scale =
 * max(|min|, |max|) / 127 (float32), q = clamp(round(x * (127 / range)), -127, 127) with the product in
 * float32. An all-zero range gives q = 0 and scale 1. Returns the scale.
 */
export function symmetricQuantize(x: Float32Array, off: number, n: number, q: Int8Array): number {
  let mn = x[off] as number;
  let mx = mn;
  for (let i = off + 1; i < off + n; i++) {
    const v = x[i] as number;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const range = Math.max(Math.abs(mn), Math.abs(mx));
  if (range === 0) {
    q.fill(0, off, off + n);
    return 1;
  }
  const inv = fround(127 / range);
  for (let i = off; i < off + n; i++) {
    const r = roundHalfAway(fround((x[i] as number) * inv));
    q[i] = r < -127 ? -127 : r > 127 ? 127 : r;
  }
  return fround(range / 127);
}

/**
 * Asymmetric per-batch quantization of `x[off, off + n)` into `q` over [-128, 127]: the range always
 * contains 0; scale = (rmax - rmin) / 255 and the zero point are computed in double (the zero point
 * from whichever end has the smaller error, rounded half away from zero and clamped), the scale is then
 * stored as float32 and q = clamp(round(zp + x * (1 / scale)), -128, 127) in float32. A degenerate range
 * gives q = 0, scale 1, zero point 0. Writes the scale and zero point at `at`.
 */
export function asymmetricQuantize(x: Float32Array, off: number, n: number, q: Int8Array, scales: Float32Array, zeroPoints: Int32Array, at: number): void {
  let mn = x[off] as number;
  let mx = mn;
  for (let i = off + 1; i < off + n; i++) {
    const v = x[i] as number;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const rmin = mn < 0 ? mn : 0;
  const rmax = mx > 0 ? mx : 0;
  if (rmin === rmax) {
    q.fill(0, off, off + n);
    scales[at] = 1;
    zeroPoints[at] = 0;
    return;
  }
  const scale = (rmax - rmin) / 255;
  const zpFromMin = -128 - rmin / scale;
  const zpFromMax = 127 - rmax / scale;
  const zpDouble = 128 + Math.abs(rmin / scale) < 127 + Math.abs(rmax / scale) ? zpFromMin : zpFromMax;
  const zp = zpDouble <= -128 ? -128 : zpDouble >= 127 ? 127 : roundHalfAway(zpDouble);
  const s = fround(scale);
  scales[at] = s;
  zeroPoints[at] = zp;
  const inv = fround(1 / s);
  for (let i = off; i < off + n; i++) {
    const r = roundHalfAway(fround(zp + fround((x[i] as number) * inv)));
    q[i] = r < -128 ? -128 : r > 127 ? 127 : r;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared checks

/** The weights' scales as float32, checked against the channel count when per-channel. */
function filterScales(ctx: KernelContext, w: TensorInfo, channels: number, axis: number): Float32Array {
  const q = w.quant;
  if (!q || q.scale.length < 1) unsupported(ctx, 'hybrid kernels need quantized int8 weights');
  if (q.scale.length > 1 && (q.scale.length !== channels || q.axis !== axis)) {
    unsupported(ctx, `per-channel weight scales must be ${channels} along axis ${axis}, got ${q.scale.length} along axis ${q.axis}`);
  }
  return Float32Array.from(q.scale);
}

/** Checks the flavour, the result and bias types and the bias size shared by the hybrid kernels. */
function checkHybridOperands(ctx: KernelContext, w: TensorInfo, channels: number): void {
  if (ctx.flavour === 'tflm') unsupported(ctx, 'hybrid (float input, int8 weights) models are not supported by TFLite Micro (tflm flavour)');
  if (output0(ctx).dtype !== 'f32') unsupported(ctx, 'a hybrid kernel has a float32 result');
  const bias = ctx.inputs[2];
  if (bias && bias.dtype !== 'f32') unsupported(ctx, `a hybrid kernel needs a float32 bias, '${bias.name}' is ${bias.dtype}`);
  const n = bias ? bias.shape.reduce((a, b) => a * b, 1) : channels;
  if (n !== channels) throw new KernelError(`'${ctx.op}': bias '${bias!.name}' has ${n} elements for ${channels} channels`);
  if (!w.quant) unsupported(ctx, `hybrid kernels need quantized int8 weights ('${w.name}' has no quantization)`);
}

/** TFLite `CalculateActivationRange` (float) for the clamp-only activations of conv / depthwise. */
function clampRange(ctx: KernelContext, activation: string): readonly [number, number] {
  switch (activation) {
    case 'NONE':
      return [-FLT_MAX, FLT_MAX];
    case 'RELU':
      return [0, FLT_MAX];
    case 'RELU6':
      return [0, 6];
    case 'RELU_N1_TO_1':
      return [-1, 1];
    default:
      unsupported(ctx, `fused activation ${activation} on a hybrid kernel`);
  }
}

/** `min(max(v, lo), hi)` with std::max / std::min's comparisons (a NaN passes through). */
function clamp(v: number, lo: number, hi: number): number {
  const a = v < lo ? lo : v;
  return hi < a ? hi : a;
}

// ---------------------------------------------------------------------------------------------
// Accumulation: exact sums of w * (q - zeroPoint) over the taps inside the image (TFLite's im2col
// pads with the zero point and subtracts rowSum * zeroPoint, which is the same integer).

function convAcc(g: ConvGeom, fIn: number, groups: number, q: Int8Array, zp: Int32Array, w: Int8Array, acc: Float64Array): void {
  const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW, padH, padW } = g;
  const perGroup = outC / groups;
  let o = 0;
  for (let b = 0; b < batches; b++) {
    const z = zp[b] as number;
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
              for (let ic = 0; ic < fIn; ic++) total += (w[wi + ic] as number) * ((q[xi + ic] as number) - z);
            }
          }
          acc[o++] = total | 0;
        }
      }
    }
  }
}

function depthwiseAcc(g: ConvGeom, mult: number, q: Int8Array, zp: Int32Array, w: Int8Array, acc: Float64Array): void {
  const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW, padH, padW } = g;
  for (let b = 0; b < batches; b++) {
    const z = zp[b] as number;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padW;
        const oBase = ((b * outH + oy) * outW + ox) * outC;
        for (let oc = 0; oc < outC; oc++) acc[oBase + oc] = 0;
        for (let ky = 0; ky < kH; ky++) {
          const iy = iy0 + dilH * ky;
          if (iy < 0 || iy >= inH) continue;
          for (let kx = 0; kx < kW; kx++) {
            const ix = ix0 + dilW * kx;
            if (ix < 0 || ix >= inW) continue;
            const xBase = ((b * inH + iy) * inW + ix) * inC;
            const wBase = (ky * kW + kx) * outC;
            for (let ic = 0; ic < inC; ic++) {
              const xv = (q[xBase + ic] as number) - z;
              for (let m = 0; m < mult; m++) {
                const oc = ic * mult + m;
                acc[oBase + oc] = (acc[oBase + oc] as number) + (w[wBase + oc] as number) * xv;
              }
            }
          }
        }
        for (let oc = 0; oc < outC; oc++) acc[oBase + oc] = (acc[oBase + oc] as number) | 0;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Kernels

/**
 * Hybrid `tfl.conv_2d` (f32 input and output, int8 filter [O, H, W, I], f32 bias), as TF 2.12's
 * `conv.cc` runs it:
 * - one filter scale: `EvalHybrid` — symmetric per-batch input quantization, scaling factor = input
 *   scale * filter scale (float32), im2col (padding 0) and `MatrixBatchVectorMultiplyAccumulate`:
 *   out = clamp((float)acc * factor + bias);
 * - several scales, all equal: the same path, but TF 2.12 takes the filter scale from the tensor's
 *   legacy (single-scale) quantization, which is 0 for a per-axis tensor, so out = clamp(bias)
 *   (measured against tfjs-tflite; newer TFLite uses the first scale). qopt does the same;
 * - differing per-channel scales (axis 0): `EvalHybridPerChannel` with the optimized
 *   `HybridConvPerChannel` — asymmetric per-batch quantization, im2col padded with the zero point,
 *   int8 GEMM minus rowSum * zeroPoint: out = clamp((float)acc * (channelScale * inputScale) + bias);
 * - grouped convolution (input depth a multiple of the filter's): the reference
 *   `HybridConvPerChannel` (differing per-channel scales required, as TFLite has no other grouped
 *   hybrid path) — out = clamp((float)acc * channelScale * inputScale + bias), left to right.
 * The clamp of NONE / RELU is ±FLT_MAX, not ±Infinity. The filter's zero points are ignored, as
 * TFLite does. TF 2.12 requires the bias (without one qopt adds nothing). `tflm` rejects hybrid ops:
 * TFLM has no hybrid kernels ("Hybrid models are not supported on TFLite Micro").
 */
export function hybridConv2d(ctx: KernelContext, g: ConvGeom, groups: number): KernelFn {
  const w = input(ctx, 1, 'filter');
  checkHybridOperands(ctx, w, g.outC);
  const scales = filterScales(ctx, w, g.outC, 0);
  const [lo, hi] = clampRange(ctx, activationAttr(ctx));
  const { batches, outC } = g;
  const fIn = g.inC / groups;
  const inputSize = g.inH * g.inW * g.inC;
  const perChannel = scales.some((s) => s !== scales[0]);
  if (groups !== 1 && !perChannel) unsupported(ctx, 'grouped hybrid convolution needs differing per-channel filter scales (TFLite runs it only on its per-channel path)');
  const q = new Int8Array(batches * inputSize);
  const inScale = new Float32Array(batches);
  const zp = new Int32Array(batches);
  const acc = new Float64Array(batches * g.outH * g.outW * outC);
  const pixels = g.outH * g.outW;
  const mode: 'tensor' | 'channel' | 'grouped' = !perChannel ? 'tensor' : groups === 1 ? 'channel' : 'grouped';
  const filterScale = scales.length > 1 ? 0 : (scales[0] as number);
  return (ins, outs) => {
    const x = ins[0]!.data as Float32Array;
    for (let b = 0; b < batches; b++) {
      if (mode === 'tensor') inScale[b] = fround(symmetricQuantize(x, b * inputSize, inputSize, q) * filterScale);
      else asymmetricQuantize(x, b * inputSize, inputSize, q, inScale, zp, b);
    }
    convAcc(g, fIn, groups, q, zp, ins[1]!.data as Int8Array, acc);
    const bd = ins[2]?.data as Float32Array | undefined;
    const out = outs[0]!.data as Float32Array;
    for (let i = 0, b = 0, p = 0; b < batches; b++) {
      const s = inScale[b] as number;
      for (let e = p + pixels; p < e; p++) {
        for (let c = 0; c < outC; c++, i++) {
          const a = fround(acc[i] as number);
          let v: number;
          if (mode === 'tensor') v = fround(a * s);
          else if (mode === 'channel') v = fround(a * fround((scales[c] as number) * s));
          else v = fround(fround(a * (scales[c] as number)) * s);
          if (bd) v = fround(v + (bd[c] as number));
          out[i] = clamp(v, lo, hi);
        }
      }
    }
  };
}

/**
 * Hybrid `tfl.depthwise_conv_2d` (f32 input and output, int8 filter [1, H, W, C*M], f32 bias), as TF
 * 2.12's `depthwise_conv.cc` runs it (`EvalHybridPerChannel` with the optimized
 * `DepthwiseConvHybridPerChannel`, generic row kernel, whatever the number of scales): asymmetric
 * per-batch input quantization, exact int32 sums of w * (q - zeroPoint) over the taps inside the image,
 * then out = clamp((float)acc * inputScale * channelScale + bias), multiplied left to right.
 * Per-channel scales are along axis 3. A single scale is used for every channel; TF 2.12 indexes its
 * one-element scale array by channel instead, reading past its end when there are several channels
 * (undefined: measured outputs equal to the bias, or NaN), so only one-channel single-scale filters can
 * agree with it. The depth multiplier is the attribute's, which must agree with the shapes. TF 2.12
 * requires the bias (without one qopt adds nothing).
 */
export function hybridDepthwiseConv2d(ctx: KernelContext, g: ConvGeom, mult: number): KernelFn {
  const w = input(ctx, 1, 'filter');
  checkHybridOperands(ctx, w, g.outC);
  const attrMult = intAttr(ctx, 'depth_multiplier', mult);
  if (attrMult !== mult) unsupported(ctx, `depth_multiplier ${attrMult} disagrees with the shapes (${mult})`);
  const given = filterScales(ctx, w, g.outC, 3);
  const scales = given.length === 1 ? new Float32Array(g.outC).fill(given[0] as number) : given;
  const [lo, hi] = clampRange(ctx, activationAttr(ctx));
  const { batches, outC } = g;
  const inputSize = g.inH * g.inW * g.inC;
  const pixels = g.outH * g.outW;
  const q = new Int8Array(batches * inputSize);
  const inScale = new Float32Array(batches);
  const zp = new Int32Array(batches);
  const acc = new Float64Array(batches * pixels * outC);
  return (ins, outs) => {
    const x = ins[0]!.data as Float32Array;
    for (let b = 0; b < batches; b++) asymmetricQuantize(x, b * inputSize, inputSize, q, inScale, zp, b);
    depthwiseAcc(g, mult, q, zp, ins[1]!.data as Int8Array, acc);
    const bd = ins[2]?.data as Float32Array | undefined;
    const out = outs[0]!.data as Float32Array;
    for (let i = 0, b = 0; b < batches; b++) {
      const s = inScale[b] as number;
      for (let p = 0; p < pixels; p++) {
        for (let c = 0; c < outC; c++, i++) {
          let v = fround(fround(fround(acc[i] as number) * s) * (scales[c] as number));
          if (bd) v = fround(v + (bd[c] as number));
          out[i] = clamp(v, lo, hi);
        }
      }
    }
  };
}

/** Fully-connected geometry: `batches` rows of `depth` inputs, `units` outputs each. */
export interface HybridFcGeom {
  readonly batches: number;
  readonly depth: number;
  readonly units: number;
}

/** `ApplyActivationToVector` for the activations qopt supports on a hybrid FC. */
function fcActivation(ctx: KernelContext, activation: string): (v: number) => number {
  switch (activation) {
    case 'NONE':
      return (v) => v;
    case 'RELU':
      return (v) => (0 < v ? v : 0);
    case 'RELU6':
      return (v) => {
        const a = 6 < v ? 6 : v;
        return 0 < a ? a : 0;
      };
    case 'RELU_N1_TO_1':
      return (v) => {
        const a = 1 < v ? 1 : v;
        return -1 < a ? a : -1;
      };
    case 'SIGN_BIT':
      return (v) => (v < 0 || Object.is(v, -0) ? 1 : 0);
    default:
      unsupported(ctx, `fused activation ${activation} on a hybrid fully_connected (TF 2.12 evaluates TANH / SIGMOID with Eigen's approximations)`);
  }
}

/**
 * Hybrid `tfl.fully_connected` (f32 input and output, int8 weights [units, depth] with zero points 0,
 * optional f32 bias), as TF 2.12's `fully_connected.cc` `EvalHybrid` runs it: the output starts as the
 * bias (or 0); an all-zero input leaves it there; otherwise each batch row is quantized — symmetrically,
 * or asymmetrically with `asymmetric_quantize_inputs` — and `MatrixBatchVectorMultiplyAccumulate` adds
 * (float)(acc - rowSum * zeroPoint) * (inputScale * filterScale); then `ApplyActivationToVector`
 * (RELU = max(0, x), RELU6, RELU_N1_TO_1, SIGN_BIT; TANH / SIGMOID are rejected).
 *
 * Per-channel weights (one scale per unit, axis 0) are newer than TF 2.12: its op resolver refuses
 * them (FULLY_CONNECTED version 12), and its kernel would read the legacy scale 0 (measured: the
 * output is the bias). qopt follows the newer kernel (`EvalHybridDense`): scale = inputScale * unitScale
 * (float32) per unit, otherwise the same arithmetic.
 */
export function hybridFullyConnected(ctx: KernelContext, g: HybridFcGeom): KernelFn {
  const w = input(ctx, 1, 'weights');
  checkHybridOperands(ctx, w, g.units);
  const scales = filterScales(ctx, w, g.units, 0);
  if (w.quant!.zeroPoint.some((z) => z !== 0)) unsupported(ctx, 'hybrid fully_connected weights need zero points of 0');
  const perChannel = scales.length > 1;
  const asymmetric = boolAttr(ctx, 'asymmetric_quantize_inputs', false);
  const act = fcActivation(ctx, activationAttr(ctx));
  const { batches, depth, units } = g;
  const q = new Int8Array(batches * depth);
  const inScale = new Float32Array(batches);
  const zp = new Int32Array(batches);
  const rowSums = new Float64Array(units);
  let rowSumsOf: Int8Array | undefined;
  return (ins, outs) => {
    const x = ins[0]!.data as Float32Array;
    const wd = ins[1]!.data as Int8Array;
    const bd = ins[2]?.data as Float32Array | undefined;
    const out = outs[0]!.data as Float32Array;
    let allZero = true;
    for (let i = 0; i < batches * depth && allZero; i++) allZero = x[i] === 0;
    if (allZero) {
      for (let i = 0, u = 0; i < batches * units; i++) {
        out[i] = act(bd ? (bd[u] as number) : 0);
        if (++u === units) u = 0;
      }
      return;
    }
    if (rowSumsOf !== wd) {
      for (let u = 0; u < units; u++) {
        let s = 0;
        for (let d = u * depth; d < (u + 1) * depth; d++) s += wd[d] as number;
        rowSums[u] = s;
      }
      rowSumsOf = w.data ? wd : undefined;
    }
    for (let b = 0; b < batches; b++) {
      if (asymmetric) asymmetricQuantize(x, b * depth, depth, q, inScale, zp, b);
      else inScale[b] = symmetricQuantize(x, b * depth, depth, q);
      if (!perChannel) inScale[b] = fround((inScale[b] as number) * (scales[0] as number));
    }
    for (let b = 0, i = 0; b < batches; b++) {
      const xb = b * depth;
      const s = inScale[b] as number;
      const z = zp[b] as number;
      for (let u = 0; u < units; u++, i++) {
        const wb = u * depth;
        let dot = 0;
        for (let d = 0; d < depth; d++) dot += (wd[wb + d] as number) * (q[xb + d] as number);
        dot = (dot - (rowSums[u] as number) * z) | 0;
        const scale = perChannel ? fround(s * (scales[u] as number)) : s;
        out[i] = act(fround((bd ? (bd[u] as number) : 0) + fround(fround(dot) * scale)));
      }
    }
  };
}
