/**
 * tfl.svdf: the rank-factored fully connected layer with a memory of past feature activations
 * (TFLite `kernels/svdf.cc` + `reference_ops::EvalFloatSVDF` / `EvalIntegerSVDF`, TFLM
 * `svdf_common.cc`). The activation state (operand 4) is a variable tensor updated in place:
 * every invoke shifts it left by one element, writes the newest feature activations into the
 * last memory slot of every filter, then reduces it against the time weights. The integer feature
 * matmul runs as an exact two-rows-per-multiply product (PackedRows) built at prepare.
 */

import { type KernelContext, type KernelDef, type KernelFn, type TensorInfo, KernelError, unsupported } from '../../../src/interp/kernel.js';
import { mbqm, quantizeMultiplier } from '../../../src/interp/fixedpoint.js';
import { PackedRows } from '../../../src/interp/packed-dot.js';
import { applyFloatActivation, floatActivation } from './rnn.js';
import { input, intAttr, legacyQuant, output, requireShape, strAttr } from './shape.js';

interface SvdfDims {
  readonly batch: number;
  readonly inputSize: number;
  readonly filters: number;
  readonly units: number;
  readonly memory: number;
  readonly rank: number;
}

function svdfDims(ctx: KernelContext): SvdfDims {
  const x = input(ctx, 0);
  const wf = input(ctx, 1);
  const wt = input(ctx, 2);
  const st = input(ctx, 4);
  const rank = intAttr(ctx, 'rank', 0);
  if (x.shape.length !== 2 || wf.shape.length !== 2 || wt.shape.length !== 2) {
    throw new KernelError(`'${ctx.op}' input, feature and time weights must be 2-D`);
  }
  const [batch, inputSize] = x.shape as [number, number];
  const filters = wf.shape[0]!;
  if (rank <= 0) throw new KernelError(`'${ctx.op}' rank must be positive, got ${rank}`);
  if (filters % rank !== 0) throw new KernelError(`'${ctx.op}' ${filters} filters do not divide by rank ${rank}`);
  const units = filters / rank;
  const memory = wt.shape[1]!;
  requireShape(ctx, 'feature_weights', wf.shape, [filters, inputSize]);
  requireShape(ctx, 'time_weights', wt.shape, [filters, memory]);
  const bias = ctx.inputs[3];
  if (bias) requireShape(ctx, 'bias', bias.shape, [units]);
  requireShape(ctx, 'activation_state', st.shape, [batch, memory * filters]);
  requireShape(ctx, 'result', output(ctx, 0).shape, [batch, units]);
  return { batch, inputSize, filters, units, memory, rank };
}

function quantOf(ctx: KernelContext, t: TensorInfo): { scale: number; zeroPoint: number } {
  if (!t.quant) unsupported(ctx, `'${t.name}' must be quantized`);
  return legacyQuant(t);
}

// ---------------------------------------------------------------------------------------------
// float
// ---------------------------------------------------------------------------------------------

function floatSvdf(ctx: KernelContext, d: SvdfDims): KernelFn {
  for (const i of [1, 2, 4]) if (input(ctx, i).dtype !== 'f32') unsupported(ctx, 'float SVDF needs f32 weights and state (hybrid is not supported)');
  if (ctx.inputs[3] && ctx.inputs[3].dtype !== 'f32') unsupported(ctx, 'float SVDF needs an f32 bias');
  if (output(ctx, 0).dtype !== 'f32') unsupported(ctx, 'result must be f32');
  const act = floatActivation(ctx);
  const tflm = ctx.flavour === 'tflm';
  const { batch, inputSize, filters, units, memory, rank } = d;
  const total = batch * memory * filters;
  const scratch = new Float32Array(batch * filters);
  const f = Math.fround;
  return (inputs, outputs) => {
    const x = inputs[0]!.data as Float32Array;
    const wf = inputs[1]!.data as Float32Array;
    const wt = inputs[2]!.data as Float32Array;
    const bias = inputs[3]?.data as Float32Array | undefined;
    const state = inputs[4]!.data as Float32Array;
    const out = outputs[0]!.data as Float32Array;
    state.copyWithin(0, 1, total);
    // Feature matmul into the newest memory slot (TFLite: via a zeroed scratch, 0 + dot).
    for (let b = 0; b < batch; b++) {
      let m = 0;
      for (let r = 0; r < filters; r++) {
        let dot = 0;
        const xo = b * inputSize;
        for (let c = 0; c < inputSize; c++) dot = f(dot + f(wf[m++]! * x[xo + c]!));
        state[(b * filters + r) * memory + memory - 1] = f(0 + dot);
      }
    }
    // Time weights: one dot product per filter over its memory.
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < filters; r++) {
        const so = (b * filters + r) * memory;
        const wo = r * memory;
        let dot = 0;
        for (let j = 0; j < memory; j++) dot = f(dot + f(wt[wo + j]! * state[so + j]!));
        scratch[b * filters + r] = dot;
      }
    }
    if (!tflm) {
      // ReductionSumVector (from 0), then VectorBatchVectorAdd(bias).
      for (let o = 0; o < batch * units; o++) {
        let s = 0;
        for (let r = 0; r < rank; r++) s = f(s + scratch[o * rank + r]!);
        out[o] = bias ? f(s + bias[o % units]!) : s;
      }
    } else {
      // TFLM: output starts at the bias and accumulates the reduction.
      for (let o = 0; o < batch * units; o++) {
        let s = bias ? bias[o % units]! : 0;
        for (let r = 0; r < rank; r++) s = f(s + scratch[o * rank + r]!);
        out[o] = s;
      }
    }
    applyFloatActivation(out, 0, batch * units, act, tflm);
  };
}

// ---------------------------------------------------------------------------------------------
// integer
// ---------------------------------------------------------------------------------------------

function integerSvdf(ctx: KernelContext, d: SvdfDims): KernelFn {
  const x = input(ctx, 0);
  const wf = input(ctx, 1);
  const wt = input(ctx, 2);
  const bias = ctx.inputs[3];
  const st = input(ctx, 4);
  const y = output(ctx, 0);
  const tflm = ctx.flavour === 'tflm';
  if (wf.dtype !== 'i8') unsupported(ctx, 'integer SVDF needs i8 feature weights');
  if (y.dtype !== 'i8') unsupported(ctx, 'integer SVDF produces i8');
  if (tflm) {
    if (!((wt.dtype === 'i16' && st.dtype === 'i16') || (wt.dtype === 'i8' && st.dtype === 'i8'))) {
      unsupported(ctx, 'TFLM integer SVDF needs i16 (or i8) time weights and state of the same type');
    }
    if (!bias) unsupported(ctx, 'TFLM integer SVDF needs a bias');
  } else {
    if (wt.dtype !== 'i16' || st.dtype !== 'i16') unsupported(ctx, 'TFLite integer SVDF needs i16 time weights and an i16 state');
    // TFLite's Eval: "Currently supports only ReLU" — and then applies none (only the int8 clamp).
    const act = strAttr(ctx, 'fused_activation_function', 'NONE');
    if (act !== 'RELU') unsupported(ctx, `TFLite's integer SVDF requires fused_activation_function RELU, got ${act}`);
  }
  if (bias && bias.dtype !== 'i32') unsupported(ctx, 'integer SVDF needs an i32 bias');
  const qx = quantOf(ctx, x);
  const qwf = quantOf(ctx, wf);
  const qwt = quantOf(ctx, wt);
  const qst = quantOf(ctx, st);
  const qy = quantOf(ctx, y);
  const f = Math.fround;
  // Prepare: effective scales are computed in float32 (float products), then widened to double.
  const s1 = quantizeMultiplier(f(f(f(qx.scale) * f(qwf.scale)) / f(qst.scale)));
  const s2 = quantizeMultiplier(f(f(f(qst.scale) * f(qwt.scale)) / f(qy.scale)));
  if (tflm && bias) {
    const qb = quantOf(ctx, bias);
    if (!(Math.abs(f(qb.scale) - f(f(qst.scale) * f(qwt.scale))) < 1e-5)) unsupported(ctx, 'bias scale must equal state scale x time-weight scale');
  }
  const inZp = qx.zeroPoint;
  const outZp = qy.zeroPoint;
  // TFLite assumes a symmetric (zero point 0) state; TFLM honours the state's zero point.
  const stZp = tflm ? qst.zeroPoint : 0;
  const [stMin, stMax] = st.dtype === 'i8' ? [-128, 127] : [-32768, 32767];
  const { batch, inputSize, filters, units, memory, rank } = d;
  const total = batch * memory * filters;
  const scratch = new Int32Array(batch * filters);
  // Feature matmul: int8 weights times (x - zp_x), exact, two filters per float64 multiply.
  const maxAbsX = Math.max(Math.abs(-128 - inZp), Math.abs(127 - inZp));
  const featureProduct = (w: Int8Array): PackedRows | undefined => PackedRows.create(w, filters, inputSize, 0, maxAbsX);
  const constFeature = wf.data instanceof Int8Array ? featureProduct(wf.data) : undefined;
  const xf = new Float64Array(batch * inputSize);
  const constTime = wt.data instanceof Int16Array || wt.data instanceof Int8Array ? Float64Array.from(wt.data) : undefined;
  const dots = new Float64Array(batch * filters);
  return (inputs, outputs) => {
    const xs = inputs[0]!.data as Int8Array;
    const wfs = inputs[1]!.data as Int8Array;
    const wts = inputs[2]!.data as Int16Array | Int8Array;
    const bs = inputs[3]?.data as Int32Array | undefined;
    const state = inputs[4]!.data as Int16Array | Int8Array;
    const out = outputs[0]!.data as Int8Array;
    state.copyWithin(0, 1, total);
    const packed = constFeature ?? featureProduct(wfs);
    if (packed) {
      for (let i = 0; i < xf.length; i++) xf[i] = xs[i]! - inZp;
      dots.fill(0);
      for (let b = 0; b < batch; b++) packed.gemv(xf, b * inputSize, dots, b * filters);
    } else {
      for (let b = 0; b < batch; b++) {
        let m = 0;
        const xo = b * inputSize;
        for (let r = 0; r < filters; r++) {
          let dot = 0;
          for (let c = 0; c < inputSize; c++) dot += wfs[m++]! * (xs[xo + c]! - inZp);
          dots[b * filters + r] = dot;
        }
      }
    }
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < filters; r++) {
        let v = mbqm(dots[b * filters + r]! | 0, s1.multiplier, s1.shift);
        v = v < stMin ? stMin : v > stMax ? stMax : v;
        state[(b * filters + r) * memory + memory - 1] = stZp + v;
      }
    }
    // Time weights: one dot product per filter over its memory, in four exact partial sums (integers
    // far below 2^53, so the order is free); the int32 store wraps like upstream's int32 accumulator.
    const wtf = constTime ?? Float64Array.from(wts);
    for (let b = 0; b < batch; b++) {
      let i = b * filters * memory;
      let w = 0;
      for (let r = 0; r < filters; r++) {
        const end = w + memory;
        let d0 = 0;
        let d1 = 0;
        let d2 = 0;
        let d3 = 0;
        for (; w + 4 <= end; w += 4, i += 4) {
          d0 += (wtf[w] as number) * ((state[i] as number) - stZp);
          d1 += (wtf[w + 1] as number) * ((state[i + 1] as number) - stZp);
          d2 += (wtf[w + 2] as number) * ((state[i + 2] as number) - stZp);
          d3 += (wtf[w + 3] as number) * ((state[i + 3] as number) - stZp);
        }
        for (; w < end; w++, i++) d0 += (wtf[w] as number) * ((state[i] as number) - stZp);
        scratch[b * filters + r] = d0 + d1 + (d2 + d3);
      }
    }
    for (let o = 0; o < batch * units; o++) {
      let s = 0;
      for (let r = 0; r < rank; r++) s += scratch[o * rank + r]!;
      if (bs) s += bs[o % units]!;
      const v = mbqm(s | 0, s2.multiplier, s2.shift) + outZp;
      out[o] = v < -128 ? -128 : v > 127 ? 127 : v;
    }
  };
}

/**
 * `tfl.svdf(input, feature_weights, time_weights, input_gate_bias?, activation_state) {rank,
 * fused_activation_function, asymmetric_quantize_inputs}`.
 * - float: f32 everywhere; TFLite's order (feature dots into the state, time dots, rank reduction
 *   from 0, then + bias, then the activation; TANH = Eigen's fast tanh).
 * - integer: i8 input / feature weights, i16 time weights and state, i32 bias, i8 result;
 *   `EvalIntegerSVDF`: feature dots rescaled by `(s_in*s_wf/s_state)` (MultiplyByQuantizedMultiplier)
 *   and clamped to int16 into the state, int32 time dots, rank reduction + bias, rescaled by
 *   `(s_state*s_wt/s_out)` + zp_out, clamped to int8. TFLite requires RELU but applies no
 *   activation; the state zero point is taken as 0.
 * - hybrid (f32 input, i8 weights): unsupported.
 * `flavoursDiffer`: TFLM accumulates the float output from the bias (bias + s0 + s1 …) and uses
 * std::tanh; its integer path also takes i8 time weights/state (with the state zero point), needs
 * a bias, and does not check the activation.
 */
export const svdfKernel: KernelDef = {
  op: 'tfl.svdf',
  flavoursDiffer: 'float: bias-first reduction and std::tanh in TFLM; integer: TFLM also has i8 state/time weights and ignores the activation',
  prepare(ctx) {
    const d = svdfDims(ctx);
    const x = input(ctx, 0);
    if (x.dtype === 'f32') return floatSvdf(ctx, d);
    if (x.dtype === 'i8') return integerSvdf(ctx, d);
    return unsupported(ctx, 'SVDF input must be f32 or i8');
  },
};

/** Kernels of this file. */
export const svdfKernels: readonly KernelDef[] = [svdfKernel];
