/**
 * `tfl.mean`, `tfl.sum`, `tfl.reduce_max`, `tfl.reduce_min` over a constant int32 axis operand, with
 * `keep_dims`. Accumulation visits the input in row-major order (TFLite's `Reduce` / `ReduceSumImpl`),
 * so float results follow the reference summation order.
 *
 * Quantized MEAN / SUM differ between the runtimes:
 * - `tflm` (TFLM `reduce_common.cc`): every int8/int16 MEAN and SUM goes through the integer-only
 *   `reference_ops::QuantizedMeanOrSum` (int32 sum, minus `zp_in * n`, one
 *   `MultiplyByQuantizedMultiplier` whose multiplier absorbs 1/n for MEAN).
 * - `tflite` (TF 2.12's builtin kernels, measured against them in test/interp/single-op.test.ts):
 *   int8 MEAN on a 4-D input over axes {1, 2} with keep_dims runs `optimized_integer_ops::Mean` (raw
 *   sum, one multiplier for s_in / (H*W*s_out), plus a bias folding both zero points; float32
 *   Prepare arithmetic) — int16 has no such special case; otherwise, with equal input/output scale
 *   and zero point, the plain `reference_ops::Mean<T, int>` (integer sum / n, truncating); otherwise
 *   the float `QuantizedMeanOrSum` (float32 mean * scale + bias, rounded). int8 SUM uses the float
 *   `QuantizedMeanOrSum` (no clamp: the result is cast, i.e. wrapped); int16 SUM is the generic
 *   same-scale wrapped int16 sum (TF 2.12 rejects a rescaling int16 SUM at Invoke).
 */

import {
  type KernelContext,
  type KernelDef,
  type KernelFn,
  type TensorInfo,
  KernelError,
  numElements,
  unsupported,
} from '../../../src/interp/kernel.js';
import { mbqm, quantizeMultiplier, roundHalfAway } from '../../../src/interp/fixedpoint.js';
import { boolAttr, input, output0, scaleOf, zeroPointOf } from './padding.js';

/** Reduction geometry: for each input element (row-major), the index of its output element. */
interface ReduceGeom {
  readonly outIndex: Int32Array;
  readonly numOut: number;
  /** Number of input elements folded into each output (product of the reduced dimensions). */
  readonly count: number;
  /** The raw axis values (for TFLite's 4-D special case, which looks at them unresolved). */
  readonly rawAxes: readonly number[];
  readonly rank: number;
}

function reduceGeometry(ctx: KernelContext, x: TensorInfo, axisT: TensorInfo, y: TensorInfo): ReduceGeom {
  if (axisT.dtype !== 'i32') unsupported(ctx, 'axis must be int32');
  if (!axisT.data) unsupported(ctx, 'axis must be a constant tensor');
  const rank = x.shape.length;
  const rawAxes = Array.from(axisT.data as Int32Array);
  const reduced = new Array<boolean>(rank).fill(false);
  for (const a of rawAxes) {
    const r = a < 0 ? a + rank : a;
    if (r < 0 || r >= rank) throw new KernelError(`'${ctx.op}': axis ${a} out of range for rank ${rank}`);
    reduced[r] = true;
  }
  const keep = boolAttr(ctx, 'keep_dims', false);
  const outShape: number[] = [];
  let count = 1;
  for (let d = 0; d < rank; d++) {
    if (reduced[d]) {
      count *= x.shape[d] as number;
      if (keep) outShape.push(1);
    } else {
      outShape.push(x.shape[d] as number);
    }
  }
  if (y.shape.length !== outShape.length || y.shape.some((d, i) => d !== outShape[i])) {
    throw new KernelError(`'${ctx.op}': result shape [${y.shape.join(',')}] != expected [${outShape.join(',')}]`);
  }
  // Output strides over the input's dimensions (0 on reduced ones).
  const outStride = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    if (!reduced[d]) {
      outStride[d] = s;
      s *= x.shape[d] as number;
    }
  }
  const n = numElements(x.shape);
  const outIndex = new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  let o = 0;
  for (let i = 0; i < n; i++) {
    outIndex[i] = o;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      o += outStride[d] as number;
      if ((idx[d] as number) < (x.shape[d] as number)) break;
      o -= (outStride[d] as number) * (x.shape[d] as number);
      idx[d] = 0;
    }
  }
  return { outIndex, numOut: numElements(outShape), count, rawAxes, rank };
}

/** Row-major sums into `acc` (float32 rounding at each step when `float`). */
function sumInto(g: ReduceGeom, x: ArrayLike<number>, acc: Float64Array, float: boolean): void {
  acc.fill(0);
  const oi = g.outIndex;
  const n = oi.length;
  if (float) {
    const fround = Math.fround;
    for (let i = 0; i < n; i++) {
      const o = oi[i] as number;
      acc[o] = fround((acc[o] as number) + (x[i] as number));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const o = oi[i] as number;
      acc[o] = (acc[o] as number) + (x[i] as number);
    }
  }
}

type Op = 'mean' | 'sum' | 'max' | 'min';

function clampStore(out: Int8Array | Int16Array, i: number, v: number, lo: number, hi: number): void {
  out[i] = v < lo ? lo : v > hi ? hi : v;
}

function prepareReduce(ctx: KernelContext, op: Op): KernelFn {
  const x = input(ctx, 0, 'input');
  const axisT = input(ctx, 1, 'axis');
  const y = output0(ctx);
  if (x.dtype !== y.dtype) unsupported(ctx, 'input and result types differ');
  const g = reduceGeometry(ctx, x, axisT, y);
  const acc = new Float64Array(g.numOut);
  const count = g.count;

  if (x.dtype === 'f32') {
    if (op === 'max' || op === 'min') {
      const init = op === 'max' ? -3.4028234663852886e38 : 3.4028234663852886e38;
      const isMax = op === 'max';
      return (ins, outs) => {
        const xs = ins[0]!.data as Float32Array;
        const out = outs[0]!.data as Float32Array;
        out.fill(init);
        const oi = g.outIndex;
        for (let i = 0; i < oi.length; i++) {
          const o = oi[i] as number;
          const v = xs[i] as number;
          const cur = out[o] as number;
          if (isMax ? v > cur : v < cur) out[o] = v;
        }
      };
    }
    return (ins, outs) => {
      sumInto(g, ins[0]!.data as Float32Array, acc, true);
      const out = outs[0]!.data as Float32Array;
      if (op === 'sum') out.set(acc);
      else if (count > 0) for (let o = 0; o < acc.length; o++) out[o] = Math.fround((acc[o] as number) / count);
      else out.fill(NaN);
    };
  }

  if (x.dtype !== 'i8' && x.dtype !== 'i16') unsupported(ctx);
  const lo = x.dtype === 'i8' ? -128 : -32768;
  const hi = x.dtype === 'i8' ? 127 : 32767;
  const sIn = scaleOf(ctx, x, 'input');
  const sOut = scaleOf(ctx, y, 'output');
  const zIn = zeroPointOf(ctx, x, 'input');
  const zOut = zeroPointOf(ctx, y, 'output');
  const sameParams = sIn === sOut && zIn === zOut;

  if (op === 'max' || op === 'min') {
    if (!sameParams) unsupported(ctx, 'quantized reduce_max/min needs equal input and output quantization');
    const isMax = op === 'max';
    return (ins, outs) => {
      const xs = ins[0]!.data as Int8Array | Int16Array;
      const out = outs[0]!.data as Int8Array | Int16Array;
      out.fill(isMax ? lo : hi);
      const oi = g.outIndex;
      for (let i = 0; i < oi.length; i++) {
        const o = oi[i] as number;
        const v = xs[i] as number;
        const cur = out[o] as number;
        if (isMax ? v > cur : v < cur) out[o] = v;
      }
    };
  }

  const base = quantizeMultiplier(sIn / sOut);

  if (ctx.flavour === 'tflm') {
    // Integer-only QuantizedMeanOrSum.
    let multiplier = base.multiplier;
    let shift = base.shift;
    if (op === 'mean' && count > 0) {
      let sh = Math.floor(Math.log2(count));
      while (Math.pow(2, sh) > count) sh--;
      while (Math.pow(2, sh + 1) <= count) sh++;
      sh = Math.min(sh, 32, 31 + shift);
      multiplier = Number((BigInt(multiplier) << BigInt(sh)) / BigInt(count));
      shift -= sh;
    }
    const zSum = zIn * count;
    return (ins, outs) => {
      const out = outs[0]!.data as Int8Array | Int16Array;
      if (count === 0) {
        out.fill(0);
        return;
      }
      sumInto(g, ins[0]!.data as Int8Array | Int16Array, acc, false);
      for (let o = 0; o < acc.length; o++) {
        const shifted = (((acc[o] as number) | 0) - zSum) | 0;
        clampStore(out, o, mbqm(shifted, multiplier, shift) + zOut, lo, hi);
      }
    };
  }

  // TF 2.12 reference paths.
  if (x.dtype === 'i16' && (zIn !== 0 || zOut !== 0)) unsupported(ctx, 'int16 mean/sum needs zero points of 0');
  const fround = Math.fround;
  const scale = fround(sIn / sOut);

  if (op === 'sum') {
    if (x.dtype === 'i16') {
      if (!sameParams) unsupported(ctx, 'int16 sum needs equal input and output quantization');
      return (ins, outs) => {
        sumInto(g, ins[0]!.data as Int16Array, acc, false);
        (outs[0]!.data as Int16Array).set(acc); // Int16Array stores wrap modulo 2^16, as the C cast does
      };
    }
    const bias = fround(fround(-zIn * scale) * fround(count));
    return (ins, outs) => {
      sumInto(g, ins[0]!.data as Int8Array, acc, false);
      const out = outs[0]!.data as Int8Array;
      for (let o = 0; o < acc.length; o++) {
        const t = fround((acc[o] as number) | 0);
        const v = roundHalfAway(fround(fround(t * scale) + bias));
        out[o] = v + zOut; // static_cast<int8_t>: wraps
      }
    };
  }

  // MEAN.
  const ax = g.rawAxes;
  const special4d =
    boolAttr(ctx, 'keep_dims', false) &&
    g.rank === 4 &&
    ax.length === 2 &&
    ((ax[0] === 1 && ax[1] === 2) || (ax[0] === 2 && ax[1] === 1));
  if (special4d && x.dtype === 'i8') {
    // TF 2.12's builtin MEAN runs `optimized_integer_ops::Mean` here (int8 only): the raw sum times
    // one multiplier for s_in / (n * s_out), plus a bias that folds both zero points; float32 Prepare
    // arithmetic.
    const real = fround(sIn / fround(count * sOut));
    const qm = quantizeMultiplier(real);
    let tz = fround(fround(zIn * sIn) / sOut);
    tz = tz > 0 ? fround(tz + 0.5) : fround(tz - 0.5);
    const bias = zOut - Math.trunc(tz);
    return (ins, outs) => {
      sumInto(g, ins[0]!.data as Int8Array, acc, false);
      const out = outs[0]!.data as Int8Array;
      for (let o = 0; o < acc.length; o++) clampStore(out, o, mbqm((acc[o] as number) | 0, qm.multiplier, qm.shift) + bias, lo, hi);
    };
  }
  if (sameParams) {
    return (ins, outs) => {
      sumInto(g, ins[0]!.data as Int8Array | Int16Array, acc, false);
      const out = outs[0]!.data as Int8Array | Int16Array;
      for (let o = 0; o < acc.length; o++) out[o] = Math.trunc(((acc[o] as number) | 0) / count);
    };
  }
  const bias = fround(-zIn * scale);
  const fCount = fround(count);
  return (ins, outs) => {
    sumInto(g, ins[0]!.data as Int8Array | Int16Array, acc, false);
    const out = outs[0]!.data as Int8Array | Int16Array;
    for (let o = 0; o < acc.length; o++) {
      const mean = fround(fround((acc[o] as number) | 0) / fCount);
      let r = fround(roundHalfAway(fround(fround(mean * scale) + bias)) + zOut);
      r = Math.min(r, hi);
      r = Math.max(r, lo);
      out[o] = r;
    }
  };
}

/**
 * `tfl.mean` (operands: input, axis const int32; attr keep_dims). Types: f32 (row-major float32 sum,
 * then / n); int8 and int16 (zero point 0) — see the file comment for the per-flavour arithmetic.
 */
const mean: KernelDef = {
  op: 'tfl.mean',
  flavoursDiffer: 'quantized: TFLM integer-only QuantizedMeanOrSum vs TF 2.12 (int8 4-D HW optimized Mean / same-scale integer mean / float requantization)',
  prepare: (ctx) => prepareReduce(ctx, 'mean'),
};

/** `tfl.sum`. Types: f32; int8; int16 (TF 2.12: equal input/output quantization). */
const sum: KernelDef = {
  op: 'tfl.sum',
  flavoursDiffer: 'quantized: TFLM integer-only QuantizedMeanOrSum vs TF 2.12 float requantization (int8) / plain wrapped sum (int16)',
  prepare: (ctx) => prepareReduce(ctx, 'sum'),
};

/** `tfl.reduce_max`. Types: f32; int8/int16 with equal input and output quantization. */
const reduceMax: KernelDef = {
  op: 'tfl.reduce_max',
  prepare: (ctx) => prepareReduce(ctx, 'max'),
};

/** `tfl.reduce_min`. Types: f32; int8/int16 with equal input and output quantization. */
const reduceMin: KernelDef = {
  op: 'tfl.reduce_min',
  prepare: (ctx) => prepareReduce(ctx, 'min'),
};

/** Reduction kernels of this file. */
export const reduceKernels: readonly KernelDef[] = [mean, sum, reduceMax, reduceMin];
