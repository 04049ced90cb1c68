/**
 * `tfl.fully_connected`, following TFLite's reference kernels (`reference_ops::FullyConnected` for
 * float, `reference_integer_ops::FullyConnected` / `FullyConnectedPerChannel` for int8 and 16x8) and
 * the Prepare logic of `kernels/fully_connected.cc`: per-tensor weights use
 * `GetQuantizedConvolutionMultipler` (scale product in float32, then a double division; bias-scale
 * sanity check), per-channel weights the conv-style double product per unit.
 */

import { type KernelContext, type KernelDef, type KernelFn, type TensorInfo, KernelError, numElements, unsupported } from '../../../src/interp/kernel.js';
import { mbqm } from '../../../src/interp/fixedpoint.js';
import { PackedRows } from '../../../src/interp/packed-dot.js';
import { hybridFullyConnected } from './hybrid.js';
import {
  EigenGemmSum,
  Int64Requantizer,
  SingleRoundingRequantizer,
  activationAttr,
  activationRangeFloat,
  activationRangeQuantized,
  boolAttr,
  convChannelMultipliers,
  input,
  int64BiasAsNumbers,
  int64MultiplierIsReduced,
  output0,
  productMultiplier,
  scaleOf,
  zeroPointOf,
} from './padding.js';

interface FcGeom {
  readonly batches: number;
  readonly depth: number;
  readonly units: number;
}

function fcGeometry(ctx: KernelContext, x: TensorInfo, w: TensorInfo, y: TensorInfo): FcGeom {
  if (w.shape.length !== 2) throw new KernelError(`'${ctx.op}': weights must be 2-D, got [${w.shape.join(',')}]`);
  const [units, depth] = w.shape as unknown as [number, number];
  const inputSize = numElements(x.shape);
  if (depth <= 0 || inputSize % depth !== 0) throw new KernelError(`'${ctx.op}': input size ${inputSize} is not a multiple of ${depth}`);
  const batches = inputSize / depth;
  const keep = boolAttr(ctx, 'keep_num_dims', false);
  let expected: number[];
  if (keep) {
    if (x.shape[x.shape.length - 1] !== depth) throw new KernelError(`'${ctx.op}': keep_num_dims needs the input's last dimension to be ${depth}`);
    expected = [...x.shape.slice(0, -1), units];
  } else {
    expected = [batches, units];
  }
  // TFLite resizes the output to `expected`; accept any static shape with the same element order.
  if (numElements(y.shape) !== numElements(expected)) {
    throw new KernelError(`'${ctx.op}': result shape [${y.shape.join(',')}] != expected [${expected.join(',')}]`);
  }
  return { batches, depth, units };
}

/** Float FC in reference order with float32 rounding at every step. */
function fcFloat(g: FcGeom, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, lo: number, hi: number, out: Float32Array): void {
  const { batches, depth, units } = g;
  const fround = Math.fround;
  for (let b = 0; b < batches; b++) {
    const xb = b * depth;
    for (let u = 0; u < units; u++) {
      const wb = u * depth;
      let total = 0;
      for (let d = 0; d < depth; d++) total = fround(total + fround((x[xb + d] as number) * (w[wb + d] as number)));
      const v = bias ? fround(total + (bias[u] as number)) : total;
      out[b * units + u] = v < lo ? lo : v > hi ? hi : v;
    }
  }
}

/**
 * Float FC in TF 2.12's order: one Eigen GEMM with the weights as the lhs (rows = units) and the
 * input as the rhs (cols = batches), then + bias and the clamp. Four units are summed side by side.
 */
function fcFloatGemm(g: FcGeom, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, lo: number, hi: number, gemm: EigenGemmSum, out: Float32Array): void {
  const { batches, depth, units } = g;
  const fround = Math.fround;
  const rows = new Int32Array(4);
  const sums = new Float64Array(4);
  for (let b = 0; b < batches; b++) {
    const xb = b * depth;
    for (let u = 0; u < units; u += 4) {
      const count = Math.min(4, units - u);
      for (let r = 0; r < count; r++) rows[r] = (u + r) * depth;
      gemm.dot4(x, xb, w, rows, count, b, sums);
      for (let r = 0; r < count; r++) {
        const total = sums[r] as number;
        const v = bias ? fround(total + (bias[u + r] as number)) : total;
        out[b * units + u + r] = v < lo ? lo : v > hi ? hi : v;
      }
    }
  }
}

/** Exact integer dot products sum((w + wOff) * (x + xOff)) into acc[b * units + u]. */
function fcAccInt(g: FcGeom, x: Int8Array | Uint8Array | Int16Array, w: Int8Array | Uint8Array, xOff: number, wOff: number, acc: Float64Array): void {
  const { batches, depth, units } = g;
  for (let b = 0; b < batches; b++) {
    const xb = b * depth;
    for (let u = 0; u < units; u++) {
      const wb = u * depth;
      let total = 0;
      for (let d = 0; d < depth; d++) total += ((w[wb + d] as number) + wOff) * ((x[xb + d] as number) + xOff);
      acc[b * units + u] = total;
    }
  }
}

/**
 * `tfl.fully_connected` (operands: input, weights [units, depth], optional bias; attrs
 * fused_activation_function, keep_num_dims, weights_format = DEFAULT). Type combinations:
 * - f32 (reference order, float32 rounding at each step);
 * - int8 input (asymmetric), int8 weights per-tensor (zero point honoured, as the reference does) or
 *   per-channel (symmetric, axis 0), int32 bias, int8 or int16 output;
 * - 16x8: int16 input/output (zero point 0), int8 weights, int64 bias (int64 accumulator, int64
 *   `MultiplyByQuantizedMultiplier`) or int32 bias (int32 accumulator, int32 double-rounding multiply).
 * Hybrid (f32 input, int8 weights) runs `hybridFullyConnected` (hybrid.ts; `tflite` only); shuffled
 * weights are rejected. Flavours differ: `tflite`
 * follows TF 2.12's builtin kernels — f32 sums in the order of its Eigen GEMM (`EigenGemmSum`),
 * int8 -> int8 and 16x8 with an int32 bias requantize with single rounding (the int8 path runs through
 * cpu_backend_gemm/ruy), and 16x8 without a bias takes the int32 path; `tflm` uses the reference
 * order, double rounding and the int64 path for a missing 16x8 bias. TF 2.12 also reads the input,
 * the weights and their zero points of an int8 -> int16 FC as uint8 (its legacy uint8 kernel on the
 * same bytes: -128 counts as 128); `tflite` does the same.
 */
const fullyConnected: KernelDef = {
  op: 'tfl.fully_connected',
  prepare(ctx: KernelContext): KernelFn {
    const x = input(ctx, 0, 'input');
    const w = input(ctx, 1, 'weights');
    const bias = ctx.inputs[2];
    const y = output0(ctx);
    const format = ctx.attrs['weights_format'];
    if (format !== undefined && format !== 'DEFAULT') unsupported(ctx, `weights_format ${String(format)}`);
    const g = fcGeometry(ctx, x, w, y);
    if (bias && numElements(bias.shape) !== g.units) throw new KernelError(`'${ctx.op}': bias has ${numElements(bias.shape)} elements for ${g.units} units`);
    if (x.dtype === 'f32' && w.dtype === 'i8') return hybridFullyConnected(ctx, g);
    const activation = activationAttr(ctx);

    if (x.dtype === 'f32') {
      if (w.dtype !== 'f32') unsupported(ctx, 'hybrid (float input, quantized weights) is not supported');
      if (y.dtype !== 'f32' || (bias && bias.dtype !== 'f32')) unsupported(ctx);
      const [lo, hi] = activationRangeFloat(ctx, activation);
      if (ctx.flavour === 'tflite') {
        const gemm = new EigenGemmSum(g.units, g.batches, g.depth);
        return (ins, outs) => {
          fcFloatGemm(g, ins[0]!.data as Float32Array, ins[1]!.data as Float32Array, ins[2]?.data as Float32Array | undefined, lo, hi, gemm, outs[0]!.data as Float32Array);
        };
      }
      return (ins, outs) => {
        fcFloat(g, ins[0]!.data as Float32Array, ins[1]!.data as Float32Array, ins[2]?.data as Float32Array | undefined, lo, hi, outs[0]!.data as Float32Array);
      };
    }

    if ((x.dtype !== 'i8' && x.dtype !== 'i16') || w.dtype !== 'i8' || (y.dtype !== 'i8' && y.dtype !== 'i16')) unsupported(ctx);
    if (x.dtype === 'i16' && y.dtype !== 'i16') unsupported(ctx, 'int16 input needs an int16 output');
    const sIn = scaleOf(ctx, x, 'input');
    const sOut = scaleOf(ctx, y, 'output');
    const zIn = zeroPointOf(ctx, x, 'input');
    const zOut = zeroPointOf(ctx, y, 'output');
    const wq = w.quant;
    if (!wq || wq.scale.length < 1) unsupported(ctx, 'weights must be quantized');
    const perChannel = wq.scale.length > 1;
    const units = g.units;
    let multiplier: Int32Array;
    let shift: Int32Array;
    let wOff = 0;
    if (perChannel) {
      for (const zp of wq.zeroPoint) if (zp !== 0) unsupported(ctx, 'per-channel weights must be symmetric');
      ({ multiplier, shift } = convChannelMultipliers(ctx, sIn, w, sOut, units, 0));
    } else {
      const bq = bias?.quant;
      const qm = productMultiplier(ctx, sIn, wq.scale[0] as number, sOut, bq && bq.scale.length === 1 ? (bq.scale[0] as number) : undefined);
      multiplier = new Int32Array(units).fill(qm.multiplier);
      shift = new Int32Array(units).fill(qm.shift);
      wOff = -(wq.zeroPoint[0] ?? 0);
    }
    const [lo, hi] = activationRangeQuantized(ctx, activation, sOut, zOut, y.dtype as 'i8' | 'i16');
    const acc = new Float64Array(g.batches * units);

    let biasKind: 'i32' | 'i64' = 'i32';
    if (x.dtype === 'i16') {
      if (zIn !== 0 || zOut !== 0) unsupported(ctx, '16x8 needs zero points of 0 on input and output');
      // Without a bias TF 2.12 takes the int32-bias path, TFLM the int64 one.
      biasKind = bias ? (bias.dtype as 'i32' | 'i64') : ctx.flavour === 'tflite' ? 'i32' : 'i64';
      if (biasKind !== 'i32' && biasKind !== 'i64') unsupported(ctx, '16x8 needs an int32 or int64 bias');
    } else if (bias && bias.dtype !== 'i32') {
      unsupported(ctx, 'int8 needs an int32 bias');
    }
    const xOff = -zIn;

    if (biasKind === 'i32') {
      // TF 2.12's int8 FULLY_CONNECTED (int8 output) runs through cpu_backend_gemm (ruy), which
      // requantizes with single rounding; TFLM and the reference kernel round twice.
      // Its 16x8 path with an int32 (or no) bias rounds once too.
      const single = ctx.flavour === 'tflite' && y.dtype === x.dtype ? new SingleRoundingRequantizer(multiplier, shift) : undefined;
      // TF 2.12's int8 -> int16 FC runs its uint8 kernel on the int8 bytes of the input and the
      // weights: -128 is read as 128 ...
      const asUint8 = ctx.flavour === 'tflite' && x.dtype === 'i8' && y.dtype === 'i16';
      // ... with the zero points read as uint8 too (measured: zp -64 acts as 192).
      const uint8XOff = -(zIn & 255);
      const uint8WOff = -(-wOff & 255);
      // Constant weights: two units per multiply (exact, see PackedRows).
      const packed = w.data && !asUint8 ? PackedRows.create(w.data as Int8Array, units, g.depth, wOff, x.dtype === 'i8' ? 128 + Math.abs(xOff) : 32768 + Math.abs(xOff)) : undefined;
      const xf = packed ? new Float64Array(g.batches * g.depth) : undefined;
      return (ins, outs) => {
        const xd = ins[0]!.data as Int8Array | Int16Array;
        const wd = ins[1]!.data as Int8Array;
        if (packed && xf) {
          for (let i = 0; i < xf.length; i++) xf[i] = (xd[i] as number) + xOff;
          acc.fill(0);
          for (let b = 0; b < g.batches; b++) packed.gemv(xf, b * g.depth, acc, b * units);
        } else if (asUint8) fcAccInt(g, new Uint8Array(xd.buffer, xd.byteOffset, xd.length), new Uint8Array(wd.buffer, wd.byteOffset, wd.length), uint8XOff, uint8WOff, acc);
        else fcAccInt(g, xd, wd, xOff, wOff, acc);
        const b = ins[2]?.data as Int32Array | undefined;
        const out = outs[0]!.data as Int8Array | Int16Array;
        const n = acc.length;
        for (let i = 0, u = 0; i < n; i++) {
          let v = b ? ((acc[i] as number) + (b[u] as number)) | 0 : (acc[i] as number) | 0;
          v = (single ? single.apply(v, u) : mbqm(v, multiplier[u] as number, shift[u] as number)) + zOut;
          out[i] = v < lo ? lo : v > hi ? hi : v;
          if (++u === units) u = 0;
        }
      };
    }
    const requant = new Int64Requantizer(multiplier, shift, int64MultiplierIsReduced(ctx.flavour));
    const constBias = bias?.data ? int64BiasAsNumbers(ctx, bias.data) : undefined;
    return (ins, outs) => {
      fcAccInt(g, ins[0]!.data as Int16Array, ins[1]!.data as Int8Array, 0, wOff, acc);
      const bd = ins[2]?.data;
      const b = constBias ?? (bd ? int64BiasAsNumbers(ctx, bd) : undefined);
      const out = outs[0]!.data as Int16Array;
      const n = acc.length;
      for (let i = 0, u = 0; i < n; i++) {
        const v = requant.apply(b ? (acc[i] as number) + (b[u] as number) : (acc[i] as number), u) + zOut;
        out[i] = v < lo ? lo : v > hi ? hi : v;
        if (++u === units) u = 0;
      }
    };
  },
};

/** Fully-connected kernels of this file. */
export const fullyConnectedKernels: readonly KernelDef[] = [fullyConnected];
