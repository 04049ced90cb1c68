/**
 * `tfl.softmax` (with `beta`) and `tfl.log_softmax`, over the last dimension.
 *
 * TFLite ≈2.12 builtin (`activations.cc`, kGenericOptimized, no aarch64 uint16 LUT):
 * - f32 softmax: `exp((x - max) * beta)` in float, summed in float, divided (reference order;
 *   TFLite's optimized/XNNPACK float kernels agree to a few ULP, not bit for bit).
 * - 8-bit in (i8/u8) → i8/u8/i16 out: `optimized_ops::Softmax` with a 256-entry float table
 *   `table[255 - k] = expf(-scale_in * beta * k)` (`PopulateSoftmaxLookupTable`): per row,
 *   `sum = Σ table[255 - max + x]` (float, in order), `inv = 1 / (sum * scale_out)`,
 *   `q = round(table[...] * inv) + zp_out` (u8 output: `(int)(p + 0.5f)`), clamped. Output checks:
 *   i8 → i8 needs zp -128 and scale ≈ 1/256.
 * - i16 → i16 (rank ≤ 4, zero points 0, scale ≈ 2^-15): `reference_ops::SoftmaxInt16` with the
 *   513-entry exp and 1/(1+x) tables (`LUTPopulate<int16_t>` in double).
 * - log_softmax f32: `x - max - log(Σ exp(x - max))` in float.
 * - log_softmax i8/u8 (output scale 16/256, zp 127 / 255): `optimized_ops::LogSoftmax` with the
 *   same float table (beta 1), `rint(scale_in/scale_out * x - (scale_in * max + log(sum)) / scale_out) + zp`.
 *
 * TFLM (`flavour: 'tflm'`): int8 softmax uses the gemmlowp reference (`reference_ops::Softmax`
 * with input multiplier, diff_min, exp_on_negative_values and GetReciprocal); int16 softmax
 * builds its tables in float; int8 log_softmax is not available in TFLM.
 *
 * Verified bit-exact against TFLite ≈2.12's builtin kernels (tfjs-tflite wasm, XNNPACK bypassed)
 * for i8→i8, i8→i16, u8→u8, u8→i16, i16→i16 softmax with random beta and for i8/u8 log_softmax;
 * float softmax / log_softmax matched bit for bit on the tested rows (the reciprocal-multiply
 * normalization is what the builtin kernel does). XNNPACK float softmax differs by up to 8 ULP.
 */

import { unsupported } from '../../../src/interp/kernel.js';
import type { KernelContext, KernelDef, KernelFn } from '../../../src/interp/kernel.js';
import { mbqm, quantizeMultiplier, rdbpot, roundHalfAway } from '../../../src/interp/fixedpoint.js';
import { GEMMLOWP32, calculateInputRadius } from './activations.js';
import { arity, checkShape, f32Attr, input, output, qparams } from './broadcast.js';
import type { NumArray } from './broadcast.js';

const fround = Math.fround;

/** Round half to even (`std::rint` in the default rounding mode). */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function rowGeometry(shape: readonly number[]): { outer: number; depth: number } {
  const depth = shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
  let n = 1;
  for (const d of shape) n *= d;
  return { outer: depth === 0 ? 0 : n / depth, depth };
}

/** TFLite `PopulateSoftmaxLookupTable`: `table[255 - k] = expf(-scale * beta * k)` in float. */
function softmaxFloatTable(inputScale: number, beta: number): Float32Array {
  const scale = fround(-inputScale * beta);
  const table = new Float32Array(256);
  for (let k = 0; k <= 255; k++) table[255 - k] = Math.exp(fround(scale * k));
  return table;
}

// ---------------------------------------------------------------------------------------------
// int16 tables (LUTPopulate<int16_t>, 513 entries) and the interpolating lookup

/** TFLite `LUTPopulate<int16_t>` (the FloatT = double form when `f64`, else float). */
export function populateLut16(
  inScale: number,
  inZp: number,
  outScale: number,
  outZp: number,
  transform: (x: number) => number,
  f64: boolean,
): Int16Array {
  const r = f64 ? (x: number): number => x : fround;
  const inputMin = r(inScale * (-32768 - inZp));
  const inputMax = r(inScale * (32767 - inZp));
  const outputMin = r(outScale * (-32768 - outZp));
  const outputMax = r(outScale * (32767 - outZp));
  const nbSteps = 512;
  const step = r((inputMax - inputMin) / nbSteps);
  const halfStep = r(step / 2);
  const outputScalingInv = r(65536 / r(outputMax - outputMin));
  const tf = (x: number): number => r(transform(r(x)));
  const lut = new Int16Array(513);
  const clamp = (v: number): number => (v < -32768 ? -32768 : v > 32767 ? 32767 : v);
  for (let i = 0; i < nbSteps; i++) {
    const val = tf(r(inputMin + r(i * step)));
    const valMidpoint = tf(r(r(inputMin + r(i * step)) + halfStep));
    const valNext = tf(r(inputMin + r((i + 1) * step)));
    const sampleVal = roundHalfAway(r(val * outputScalingInv));
    const midpointInterpVal = roundHalfAway(r(r(r(valNext * outputScalingInv) + roundHalfAway(r(val * outputScalingInv))) / 2));
    const midpointVal = roundHalfAway(r(valMidpoint * outputScalingInv));
    const midpointErr = midpointInterpVal - midpointVal;
    const bias = roundHalfAway(r(midpointErr / 2));
    lut[i] = clamp(sampleVal - bias);
  }
  lut[nbSteps] = clamp(roundHalfAway(r(tf(inputMax) * outputScalingInv)));
  return lut;
}

/** TFLite `LUTLookup(int16_t, lut)`: 9-bit index, 7-bit linear interpolation. */
export function lutLookup16(value: number, lut: Int16Array): number {
  const index = 256 + (value >> 7);
  const offset = value & 0x7f;
  const base = lut[index] as number;
  const slope = (lut[index + 1] as number) - base;
  const delta = (slope * offset + 64) >> 7;
  return ((base + delta) << 16) >> 16;
}

function countLeadingZeros32(x: number): number {
  return Math.clz32(x);
}

function softmaxInt16(ctx: KernelContext, beta: number): KernelFn {
  const x = input(ctx, 0);
  const y = output(ctx);
  const qi = qparams(ctx, x);
  const qo = qparams(ctx, y);
  if (qi.zeroPoint !== 0 || qo.zeroPoint !== 0) unsupported(ctx, 'int16 softmax needs zero points 0');
  if (Math.abs(qo.scale - 1 / 32768) > fround(0.001 * (1 / 32768))) unsupported(ctx, 'int16 softmax output scale must be 1/32768');
  const tflite = ctx.flavour === 'tflite';
  if (tflite && (x.shape.length < 1 || x.shape.length > 4)) unsupported(ctx, 'TFLite int16 softmax supports rank 1..4');
  const range = 65535;
  const expLut = tflite
    ? populateLut16(10.0 / range, 32767, 2.0 / range, 0, Math.exp, true)
    : populateLut16(fround(10 / range), 32767, fround(2 / range), 0, (v) => fround(Math.exp(v)), false);
  const recipLut = tflite
    ? populateLut16(1.0 / range, -32768, 2.0 / range, 0, (v) => 1.0 / (1.0 + v), true)
    : populateLut16(fround(1 / range), -32768, fround(2 / range), 0, (v) => fround(1 / fround(1 + v)), false);
  const rescale = (tflite ? fround(qi.scale * beta) : qi.scale * beta) / (10.0 / 65535.0);
  const { multiplier, shift } = quantizeMultiplier(rescale);
  const { outer, depth } = rowGeometry(x.shape);
  return (ins, outs) => {
    const X = (ins[0] as { data: Int16Array }).data;
    const Y = (outs[0] as { data: Int16Array }).data;
    for (let i = 0; i < outer; i++) {
      const base = i * depth;
      let maxInRow = -32768;
      for (let c = 0; c < depth; c++) {
        const v = X[base + c] as number;
        if (v > maxInRow) maxInRow = v;
      }
      let sumOfExps = 0;
      for (let c = 0; c < depth; c++) {
        const scaledDiff = mbqm((X[base + c] as number) - maxInRow, multiplier, shift);
        const sym = scaledDiff + 32767;
        const sat = sym < -32768 ? -32768 : sym > 32767 ? 32767 : sym;
        const e = lutLookup16(sat, expLut);
        Y[base + c] = e;
        sumOfExps = (sumOfExps + e) | 0;
      }
      const headroomPlusOne = countLeadingZeros32(sumOfExps);
      const shiftedSum = Math.floor((sumOfExps * 2 ** (headroomPlusOne - 1) + 8192) / 16384);
      const symShiftedSum = shiftedSum - (32768 + 65536);
      const sat = symShiftedSum < -32768 ? -32768 : symShiftedSum > 32767 ? 32767 : symShiftedSum;
      const reciprocal = lutLookup16(sat, recipLut);
      const rightShift = 31 - headroomPlusOne;
      const round = 2 ** (rightShift - 1);
      const div = 2 ** rightShift;
      for (let c = 0; c < depth; c++) {
        const r = Math.floor(((Y[base + c] as number) * reciprocal + round) / div);
        Y[base + c] = r < 0 ? 0 : r > 32767 ? 32767 : r;
      }
    }
  };
}

// ---------------------------------------------------------------------------------------------
// 8-bit softmax

function softmax8Tflite(ctx: KernelContext, beta: number): KernelFn {
  const x = input(ctx, 0);
  const y = output(ctx);
  const qi = qparams(ctx, x);
  const qo = qparams(ctx, y);
  if (x.dtype === 'i8' && y.dtype === 'i8') {
    if (qo.zeroPoint !== -128) unsupported(ctx, 'int8 softmax output zero point must be -128');
    if (Math.abs(qo.scale - 1 / 256) > fround(0.001 * (1 / 256))) unsupported(ctx, 'int8 softmax output scale must be 1/256');
  }
  const table = softmaxFloatTable(qi.scale, beta);
  const outScale = qo.scale;
  const zp = qo.zeroPoint;
  const [lo, hi] = y.dtype === 'i8' ? [-128, 127] : y.dtype === 'u8' ? [0, 255] : [-32768, 32767];
  const u8Out = y.dtype === 'u8';
  const { outer, depth } = rowGeometry(x.shape);
  const inMin = x.dtype === 'i8' ? -128 : 0;
  return (ins, outs) => {
    const X = (ins[0] as { data: NumArray }).data;
    const Y = (outs[0] as { data: NumArray }).data;
    for (let i = 0; i < outer; i++) {
      const base = i * depth;
      let maxVal = inMin;
      for (let c = 0; c < depth; c++) {
        const v = X[base + c] as number;
        if (v > maxVal) maxVal = v;
      }
      const off = 255 - maxVal;
      let sum = 0;
      for (let c = 0; c < depth; c++) sum = fround(sum + (table[off + (X[base + c] as number)] as number));
      const inv = fround(1 / fround(sum * outScale));
      for (let c = 0; c < depth; c++) {
        const p = fround((table[off + (X[base + c] as number)] as number) * inv);
        const q = u8Out ? Math.trunc(fround(p + 0.5)) + 0 : roundHalfAway(p) + zp;
        Y[base + c] = q < lo ? lo : q > hi ? hi : q;
      }
    }
  };
}

/** TFLite `PreprocessSoftmaxScaling` (double; multiplier capped at 2^31 - 1, then QuantizeMultiplierGreaterThanOne). */
function preprocessSoftmaxScaling(beta: number, inputScale: number, inputIntegerBits: number): { multiplier: number; shift: number } {
  const real = Math.min(beta * inputScale * 2 ** (31 - inputIntegerBits), 2 ** 31 - 1);
  return quantizeMultiplier(real);
}

/** `GetReciprocal` (gemmlowp 1/(1+x) of the normalized sum). */
function getReciprocal(x: number, xIntegerDigits: number): { recip: number; numBitsOverUnit: number } {
  const headroomPlusOne = Math.clz32(x);
  const numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  const shiftedSumMinusOne = (((x >>> 0) * 2 ** headroomPlusOne) % 2 ** 32) - 2 ** 31;
  const recip = GEMMLOWP32.oneOverOnePlusXForXIn01(shiftedSumMinusOne | 0);
  return { recip, numBitsOverUnit };
}

function softmax8Tflm(ctx: KernelContext, beta: number): KernelFn {
  const x = input(ctx, 0);
  const y = output(ctx);
  if (x.dtype !== 'i8') unsupported(ctx, 'TFLM 8-bit softmax takes int8 input');
  const qi = qparams(ctx, x);
  const qo = qparams(ctx, y);
  if (y.dtype === 'i16') {
    if (qo.zeroPoint !== -32768 || Math.abs(qo.scale - 1 / 65536) > fround(0.001 / 65536)) {
      unsupported(ctx, 'TFLM int8->int16 softmax needs output zp -32768, scale 1/65536');
    }
  } else if (y.dtype === 'i8') {
    if (qo.zeroPoint !== -128 || qo.scale !== 1 / 256) unsupported(ctx, 'TFLM int8 softmax needs output zp -128, scale 1/256');
  } else unsupported(ctx);
  const kScaledDiffIntegerBits = 5;
  const kAccumulationIntegerBits = 12;
  const { multiplier, shift } = preprocessSoftmaxScaling(beta, qi.scale, kScaledDiffIntegerBits);
  const diffMin = -calculateInputRadius(kScaledDiffIntegerBits, shift);
  const outBits = y.dtype === 'i8' ? 8 : 16;
  const [lo, hi] = y.dtype === 'i8' ? [-128, 127] : [-32768, 32767];
  const { outer, depth } = rowGeometry(x.shape);
  // exp of each possible (clamped) difference, computed once.
  const expOfDiff = new Int32Array(256);
  for (let d = -255; d <= 0; d++) {
    if (d < diffMin) continue;
    const rescaled = mbqmGreaterThanOne(d, multiplier, shift);
    expOfDiff[-d] = GEMMLOWP32.expOnNegativeValues(rescaled, kScaledDiffIntegerBits);
  }
  return (ins, outs) => {
    const X = (ins[0] as { data: Int8Array }).data;
    const Y = (outs[0] as { data: NumArray }).data;
    for (let i = 0; i < outer; i++) {
      const base = i * depth;
      let maxInRow = -128;
      for (let c = 0; c < depth; c++) {
        const v = X[base + c] as number;
        if (v > maxInRow) maxInRow = v;
      }
      let sumOfExps = 0;
      for (let c = 0; c < depth; c++) {
        const d = (X[base + c] as number) - maxInRow;
        if (d >= diffMin) {
          sumOfExps = (sumOfExps + GEMMLOWP32.rescale(expOfDiff[-d] as number, 0, kAccumulationIntegerBits)) | 0;
        }
      }
      const { recip, numBitsOverUnit } = getReciprocal(sumOfExps, kAccumulationIntegerBits);
      const exponent = numBitsOverUnit + 31 - outBits;
      for (let c = 0; c < depth; c++) {
        const d = (X[base + c] as number) - maxInRow;
        if (d >= diffMin) {
          const unsat = rdbpot(GEMMLOWP32.mul(recip, expOfDiff[-d] as number), exponent);
          const v = unsat + lo;
          Y[base + c] = v < lo ? lo : v > hi ? hi : v;
        } else {
          Y[base + c] = lo;
        }
      }
    }
  };
}

/** `MultiplyByQuantizedMultiplierGreaterThanOne`: SRDHM(x << shift, m). */
function mbqmGreaterThanOne(x: number, multiplier: number, leftShift: number): number {
  return GEMMLOWP32.mul((x * 2 ** leftShift) | 0, multiplier);
}

// ---------------------------------------------------------------------------------------------
// float

function softmaxF32(ctx: KernelContext, beta: number): KernelFn {
  const { outer, depth } = rowGeometry(input(ctx, 0).shape);
  return (ins, outs) => {
    const X = (ins[0] as { data: Float32Array }).data;
    const Y = (outs[0] as { data: Float32Array }).data;
    for (let i = 0; i < outer; i++) {
      const base = i * depth;
      let max = -Infinity;
      for (let c = 0; c < depth; c++) max = Math.max(max, X[base + c] as number);
      let sum = 0;
      for (let c = 0; c < depth; c++) {
        const e = fround(Math.exp(fround(fround((X[base + c] as number) - max) * beta)));
        Y[base + c] = e;
        sum = fround(sum + e);
      }
      const inv = fround(1 / sum);
      for (let c = 0; c < depth; c++) Y[base + c] = (Y[base + c] as number) * inv;
    }
  };
}

function logSoftmaxF32(ctx: KernelContext): KernelFn {
  const { outer, depth } = rowGeometry(input(ctx, 0).shape);
  return (ins, outs) => {
    const X = (ins[0] as { data: Float32Array }).data;
    const Y = (outs[0] as { data: Float32Array }).data;
    for (let i = 0; i < outer; i++) {
      const base = i * depth;
      let max = -Infinity;
      for (let c = 0; c < depth; c++) max = Math.max(max, X[base + c] as number);
      let sum = 0;
      for (let c = 0; c < depth; c++) sum = fround(sum + fround(Math.exp(fround((X[base + c] as number) - max))));
      const logSum = fround(Math.log(sum));
      for (let c = 0; c < depth; c++) Y[base + c] = fround(fround((X[base + c] as number) - max) - logSum);
    }
  };
}

function logSoftmax8(ctx: KernelContext): KernelFn {
  const x = input(ctx, 0);
  const y = output(ctx);
  if (ctx.flavour === 'tflm') unsupported(ctx, 'TFLM has no quantized log_softmax');
  const qi = qparams(ctx, x);
  const qo = qparams(ctx, y);
  if (qo.scale !== 16 / 256) unsupported(ctx, 'log_softmax output scale must be 16/256');
  const zpOffset = x.dtype === 'i8' ? 128 : 0;
  if (qo.zeroPoint !== (x.dtype === 'i8' ? 127 : 255)) unsupported(ctx, 'log_softmax output zero point must be 127 (i8) / 255 (u8)');
  const table = softmaxFloatTable(qi.scale, 1);
  const inScale = qi.scale;
  const outScale = qo.scale;
  const zp = qo.zeroPoint;
  const [lo, hi] = x.dtype === 'i8' ? [-128, 127] : [0, 255];
  const { outer, depth } = rowGeometry(x.shape);
  const scale = fround(inScale / outScale);
  return (ins, outs) => {
    const X = (ins[0] as { data: NumArray }).data;
    const Y = (outs[0] as { data: NumArray }).data;
    for (let i = 0; i < outer; i++) {
      const base = i * depth;
      let maxVal = lo;
      for (let c = 0; c < depth; c++) {
        const v = X[base + c] as number;
        if (v > maxVal) maxVal = v;
      }
      const off = 255 - (maxVal + zpOffset);
      let sum = 0;
      for (let c = 0; c < depth; c++) sum = fround(sum + (table[off + (X[base + c] as number) + zpOffset] as number));
      const logSumExp = fround(Math.log(sum));
      const precomputed = fround(fround(fround(inScale * (maxVal + zpOffset)) + logSumExp) / outScale);
      for (let c = 0; c < depth; c++) {
        const logProb = fround(fround(scale * ((X[base + c] as number) + zpOffset)) - precomputed);
        const q = rint(logProb) + zp;
        Y[base + c] = q < lo ? lo : q > hi ? hi : q;
      }
    }
  };
}

// ---------------------------------------------------------------------------------------------
// kernels

/**
 * `tfl.softmax` (`beta`, default 1): f32; i8→i8 (out zp -128, scale 1/256), i8→i16, u8→u8,
 * u8→i16 (TFLite float-table kernel); i16→i16 (zero points 0, out scale 2^-15, LUT kernel).
 * Flavours differ: TFLM int8 uses the gemmlowp reference and requires int8→int16 output zp -32768,
 * scale 1/65536; TFLM builds the int16 tables in float.
 */
export const softmaxKernel: KernelDef = {
  op: 'tfl.softmax',
  flavoursDiffer: 'int8: tflite float table vs tflm gemmlowp fixed point; int16 tables float vs double',
  prepare(ctx: KernelContext): KernelFn {
    arity(ctx, 1, 1);
    const x = input(ctx, 0);
    const y = output(ctx);
    checkShape(ctx, y.shape, x.shape);
    if (x.shape.length < 1) unsupported(ctx, 'softmax needs rank >= 1');
    const beta = f32Attr(ctx, 'beta', 1);
    if (x.dtype === 'f32' && y.dtype === 'f32') return softmaxF32(ctx, beta);
    if (x.dtype === 'i16' && y.dtype === 'i16') return softmaxInt16(ctx, beta);
    if ((x.dtype === 'i8' || x.dtype === 'u8') && (y.dtype === x.dtype || y.dtype === 'i16')) {
      return ctx.flavour === 'tflm' ? softmax8Tflm(ctx, beta) : softmax8Tflite(ctx, beta);
    }
    return unsupported(ctx);
  },
};

/**
 * `tfl.log_softmax`: f32; i8 (out scale 16/256, zp 127) and u8 (zp 255) with TFLite's float-table
 * kernel. TFLM has no quantized log_softmax (unsupported there).
 */
export const logSoftmaxKernel: KernelDef = {
  op: 'tfl.log_softmax',
  flavoursDiffer: 'tflm has no quantized log_softmax',
  prepare(ctx: KernelContext): KernelFn {
    arity(ctx, 1, 1);
    const x = input(ctx, 0);
    const y = output(ctx);
    checkShape(ctx, y.shape, x.shape);
    if (x.shape.length < 1) unsupported(ctx, 'log_softmax needs rank >= 1');
    if (x.dtype === 'f32' && y.dtype === 'f32') return logSoftmaxF32(ctx);
    if ((x.dtype === 'i8' || x.dtype === 'u8') && y.dtype === x.dtype) return logSoftmax8(ctx);
    return unsupported(ctx);
  },
};

/** The kernels of this file. */
export const softmaxKernels: readonly KernelDef[] = [softmaxKernel, logSoftmaxKernel];
