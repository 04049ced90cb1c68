/**
 * Float recurrent cells: tfl.unidirectional_sequence_rnn and tfl.rnn (one step), following TFLite's
 * `kernel_utils::RnnBatchStep` in float32 operation order, plus the float vector activations of
 * `tensor_utils::ApplyActivationToVector` (tanh is Eigen's `generic_fast_tanh_float`, evaluated in
 * float32 exactly as its non-FMA scalar path does) shared with the SVDF kernel.
 */

import { type KernelContext, type KernelDef, KernelError, unsupported } from '../../../src/interp/kernel.js';
import { boolAttr, input, output, requireShape, strAttr } from './shape.js';

const f = Math.fround;

/**
 * Eigen's `generic_fast_tanh_float` (13/6-degree rational approximation, clamped to
 * ±7.90531110763549805 without FMA, tanh(x) = x for |x| < 0.0004), every step rounded to float32.
 */
export function eigenTanh(ax: number): number {
  const clampHi = f(7.90531110763549805);
  const x = ax > clampHi ? clampHi : ax < -clampHi ? -clampHi : ax;
  if (Math.abs(ax) < f(0.0004)) return x;
  const x2 = f(x * x);
  let p = f(f(x2 * f(-2.76076847742355e-16)) + f(2.00018790482477e-13));
  p = f(f(x2 * p) + f(-8.60467152213735e-11));
  p = f(f(x2 * p) + f(5.12229709037114e-8));
  p = f(f(x2 * p) + f(1.48572235717979e-5));
  p = f(f(x2 * p) + f(6.37261928875436e-4));
  p = f(f(x2 * p) + f(4.89352455891786e-3));
  p = f(x * p);
  let q = f(f(x2 * f(1.19825839466702e-6)) + f(1.18534705686654e-4));
  q = f(f(x2 * q) + f(2.268434632439e-3));
  q = f(f(x2 * q) + f(4.89352518554385e-3));
  return f(p / q);
}

/** Fused activations a float recurrent kernel accepts (TFL enum strings). */
export type FloatActivation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

/** Validates a fused-activation attribute for the float recurrent kernels. */
export function floatActivation(ctx: KernelContext): FloatActivation {
  const a = strAttr(ctx, 'fused_activation_function', 'NONE');
  if (a === 'NONE' || a === 'RELU' || a === 'RELU_N1_TO_1' || a === 'RELU6' || a === 'TANH' || a === 'SIGN_BIT') return a;
  return unsupported(ctx, `fused activation ${a}`);
}

/**
 * `tensor_utils::ApplyActivationToVector` on `v[off .. off+n)` in place ('tflite': Eigen's fast
 * tanh), or TFLM's `ActivationValFloat` (std::tanh) when `tflm` is set. SIGN_BIT is
 * `std::signbit(x)` as 1 / 0 in both.
 */
export function applyFloatActivation(v: Float32Array, off: number, n: number, act: FloatActivation, tflm = false): void {
  const end = off + n;
  switch (act) {
    case 'NONE':
      return;
    case 'RELU':
      for (let i = off; i < end; i++) v[i] = Math.max(0, v[i]!);
      return;
    case 'RELU_N1_TO_1':
      for (let i = off; i < end; i++) v[i] = Math.max(-1, Math.min(v[i]!, 1));
      return;
    case 'RELU6':
      for (let i = off; i < end; i++) v[i] = Math.max(0, Math.min(v[i]!, 6));
      return;
    case 'TANH':
      if (tflm) for (let i = off; i < end; i++) v[i] = Math.tanh(v[i]!);
      else for (let i = off; i < end; i++) v[i] = eigenTanh(v[i]!);
      return;
    case 'SIGN_BIT':
      for (let i = off; i < end; i++) {
        const x = v[i]!;
        v[i] = x < 0 || Object.is(x, -0) ? 1 : 0;
      }
      return;
  }
}

/**
 * `out[o .. o+rows)` += W · x for each batch row, as `PortableMatrixBatchVectorMultiplyAccumulate`:
 * each dot product accumulated from 0 in float32, then added to the output element.
 */
export function matVecAccumulate(
  w: Float32Array,
  rows: number,
  cols: number,
  x: Float32Array,
  xOff: number,
  out: Float32Array,
  outOff: number,
): void {
  let m = 0;
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    for (let c = 0; c < cols; c++) dot = f(dot + f(w[m++]! * x[xOff + c]!));
    out[outOff + r] = f(out[outOff + r]! + dot);
  }
}

interface RnnPlan {
  readonly inputSize: number;
  readonly units: number;
  readonly batch: number;
  readonly act: FloatActivation;
}

/** One `RnnBatchStep` for one batch row: out = act(bias + Wx·x + Wh·h); h = out. */
function rnnStep(
  p: RnnPlan,
  x: Float32Array,
  xOff: number,
  wx: Float32Array,
  wh: Float32Array,
  bias: Float32Array,
  h: Float32Array,
  hOff: number,
  out: Float32Array,
  outOff: number,
): void {
  const u = p.units;
  for (let i = 0; i < u; i++) out[outOff + i] = bias[i]!;
  matVecAccumulate(wx, u, p.inputSize, x, xOff, out, outOff);
  matVecAccumulate(wh, u, u, h, hOff, out, outOff);
  applyFloatActivation(out, outOff, u, p.act);
  for (let i = 0; i < u; i++) h[hOff + i] = out[outOff + i]!;
}

function checkFloatRnnOperands(ctx: KernelContext, batch: number, inputSize: number): { units: number } {
  for (let i = 0; i < 5; i++) {
    const t = input(ctx, i);
    if (t.dtype !== 'f32') unsupported(ctx, 'only the float RNN is supported (hybrid int8 weights are not)');
  }
  const wx = input(ctx, 1);
  const wh = input(ctx, 2);
  const bias = input(ctx, 3);
  const h = input(ctx, 4);
  const units = wx.shape[0] ?? 0;
  requireShape(ctx, 'input_to_input_weights', wx.shape, [units, inputSize]);
  requireShape(ctx, 'recurrent_to_input_weights', wh.shape, [units, units]);
  requireShape(ctx, 'input_gate_bias', bias.shape, [units]);
  requireShape(ctx, 'hidden_state', h.shape, [batch, units]);
  if (output(ctx, 0).dtype !== 'f32') unsupported(ctx, 'result must be f32');
  return { units };
}

/**
 * `tfl.unidirectional_sequence_rnn(input, input_to_input_weights, recurrent_to_input_weights,
 * input_gate_bias, hidden_state) {time_major, fused_activation_function}`: float32 only. Input
 * [time, batch, in] (time_major) or [batch, time, in]; the hidden state (operand 4, a variable) is
 * updated in place. Per step and batch row: `h = act((bias + Wx·x) + Wh·h)` in float32, TFLite's
 * order; TANH is Eigen's fast tanh (bit-exact with tfjs-tflite's wasm build). Not in TFLM.
 */
export const unidirectionalSequenceRnnKernel: KernelDef = {
  op: 'tfl.unidirectional_sequence_rnn',
  prepare(ctx) {
    const x = input(ctx, 0);
    if (x.shape.length !== 3) throw new KernelError(`'${ctx.op}' input must be 3-D`);
    const timeMajor = boolAttr(ctx, 'time_major', false);
    const [d0, d1, inputSize] = x.shape as [number, number, number];
    const maxTime = timeMajor ? d0 : d1;
    const batch = timeMajor ? d1 : d0;
    const { units } = checkFloatRnnOperands(ctx, batch, inputSize);
    requireShape(ctx, 'result', output(ctx, 0).shape, timeMajor ? [maxTime, batch, units] : [batch, maxTime, units]);
    const plan: RnnPlan = { inputSize, units, batch, act: floatActivation(ctx) };
    return (inputs, outputs) => {
      const xs = inputs[0]!.data as Float32Array;
      const wx = inputs[1]!.data as Float32Array;
      const wh = inputs[2]!.data as Float32Array;
      const bias = inputs[3]!.data as Float32Array;
      const h = inputs[4]!.data as Float32Array;
      const out = outputs[0]!.data as Float32Array;
      for (let b = 0; b < batch; b++) {
        for (let s = 0; s < maxTime; s++) {
          const row = timeMajor ? s * batch + b : b * maxTime + s;
          rnnStep(plan, xs, row * inputSize, wx, wh, bias, h, b * units, out, row * units);
        }
      }
    };
  },
};

/**
 * `tfl.rnn(input, input_to_input_weights, recurrent_to_input_weights, input_gate_bias,
 * hidden_state) {fused_activation_function}`: one float32 `RnnBatchStep`; input [batch, in],
 * result [batch, units]; the hidden state is updated in place. Not in TFLM.
 */
export const rnnKernel: KernelDef = {
  op: 'tfl.rnn',
  prepare(ctx) {
    const x = input(ctx, 0);
    if (x.shape.length !== 2) throw new KernelError(`'${ctx.op}' input must be 2-D`);
    const [batch, inputSize] = x.shape as [number, number];
    const { units } = checkFloatRnnOperands(ctx, batch, inputSize);
    requireShape(ctx, 'result', output(ctx, 0).shape, [batch, units]);
    const plan: RnnPlan = { inputSize, units, batch, act: floatActivation(ctx) };
    return (inputs, outputs) => {
      const xs = inputs[0]!.data as Float32Array;
      const h = inputs[4]!.data as Float32Array;
      const out = outputs[0]!.data as Float32Array;
      for (let b = 0; b < batch; b++) {
        rnnStep(plan, xs, b * inputSize, inputs[1]!.data as Float32Array, inputs[2]!.data as Float32Array, inputs[3]!.data as Float32Array, h, b * units, out, b * units);
      }
    };
  },
};

/** Kernels of this file. */
export const rnnKernels: readonly KernelDef[] = [unidirectionalSequenceRnnKernel, rnnKernel];
