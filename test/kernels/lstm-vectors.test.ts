/**
 * The LSTM kernels against tflite-micro's LSTM kernel test vectors
 * (/work/shared/corpus/lstm_kernel_vectors.json, from kernels/testdata/lstm_test_data.cc): a batch-2,
 * 3-step LSTM, input dim 2, 2 units, TANH, cell_clip 6. Float within 1e-6; int8 and int16x8 within the
 * upstream tolerances after dequantization, for both flavours. Also checks the zero-point-folded
 * effective biases of the TFLite 8x8_16 Prepare against the vector file's derived values, and reports
 * how many integer outputs equal the quantized float expectation exactly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type {
  DType,
  KernelContext,
  KernelFlavour,
  Tensor,
  TensorInfo,
  TypedArray,
} from '../../src/interp/kernel.js';
import { lstmKernels } from '../../dialects/tfl/kernels/lstm/index.js';
import { zpTimesWeightWithBias } from '../../dialects/tfl/kernels/lstm/lstm-integer-tflite.js';

const VECTORS = '/work/shared/corpus/lstm_kernel_vectors.json';
const haveVectors = existsSync(VECTORS);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const V: any = haveVectors ? JSON.parse(readFileSync(VECTORS, 'utf8')) : undefined;

const uni = lstmKernels.find((k) => k.op === 'tfl.unidirectional_sequence_lstm')!;

interface Q {
  scale: number;
  zero_point: number;
}

function info(name: string, dtype: DType, shape: number[], q?: Q, data?: TypedArray, isVariable = false): TensorInfo {
  return {
    name,
    dtype,
    shape,
    ...(q ? { quant: { scale: [q.scale], zeroPoint: [q.zero_point], axis: -1, storageMin: -128, storageMax: 127 } } : {}),
    ...(data ? { data } : {}),
    isVariable,
  };
}

function ctxOf(
  inputs: (TensorInfo | undefined)[],
  output: TensorInfo,
  flavour: KernelFlavour,
  intermediates: TensorInfo[] = [],
  attrs: Record<string, unknown> = {},
): KernelContext {
  return {
    op: 'tfl.unidirectional_sequence_lstm',
    where: 'test',
    inputs,
    outputs: [output],
    intermediates,
    attrs: { fused_activation_function: 'TANH', cell_clip: 6, proj_clip: 3, time_major: false, ...attrs } as KernelContext['attrs'],
    flavour,
  };
}

const GATES = ['input_gate', 'forget_gate', 'cell_gate', 'output_gate'] as const;

type NumArr = Float32Array | Int8Array | Int16Array;

/** Runs a 24-operand LSTM and returns output and final states. */
function run(
  ctx: KernelContext,
  x: NumArr,
  h0: NumArr,
  c0: NumArr,
  outDtype: DType,
): { out: NumArr; h: NumArr; c: NumArr } {
  const fn = uni.prepare(ctx);
  const tensors: (Tensor | undefined)[] = ctx.inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined));
  tensors[0] = { dtype: ctx.inputs[0]!.dtype, shape: ctx.inputs[0]!.shape, data: x };
  tensors[18] = { dtype: ctx.inputs[18]!.dtype, shape: ctx.inputs[18]!.shape, data: h0 };
  tensors[19] = { dtype: ctx.inputs[19]!.dtype, shape: ctx.inputs[19]!.shape, data: c0 };
  const outShape = ctx.outputs[0]!.shape;
  const n = outShape.reduce((a, b) => a * b, 1);
  const out = outDtype === 'f32' ? new Float32Array(n) : outDtype === 'i8' ? new Int8Array(n) : new Int16Array(n);
  fn(tensors, [{ dtype: outDtype, shape: outShape, data: out }]);
  return { out, h: h0, c: c0 };
}

function floatCtx(flavour: KernelFlavour, time: number): KernelContext {
  const fp = V.float_parameters;
  const inputs: (TensorInfo | undefined)[] = new Array(24).fill(undefined);
  inputs[0] = info('input', 'f32', [2, time, 2]);
  GATES.forEach((g, i) => {
    inputs[1 + i] = info(`${g}_iw`, 'f32', [2, 2], undefined, Float32Array.from(fp[g].input_weight));
    inputs[5 + i] = info(`${g}_rw`, 'f32', [2, 2], undefined, Float32Array.from(fp[g].recurrent_weight));
    inputs[12 + i] = info(`${g}_b`, 'f32', [2], undefined, Float32Array.from(fp[g].bias));
  });
  inputs[18] = info('h', 'f32', [2, 2], undefined, undefined, true);
  inputs[19] = info('c', 'f32', [2, 2], undefined, undefined, true);
  return ctxOf(inputs, info('out', 'f32', [2, time, 2]), flavour);
}

type Mode = 'int8' | 'int16x8';

function quantCtx(mode: Mode, flavour: KernelFlavour, time: number): KernelContext {
  const qs = V.quantization[mode];
  const dq = qs.derived_quantized_values;
  const act: DType = mode === 'int8' ? 'i8' : 'i16';
  const inputs: (TensorInfo | undefined)[] = new Array(24).fill(undefined);
  inputs[0] = info('input', act, [2, time, 2], qs.input);
  GATES.forEach((g, i) => {
    const gq = qs.gates[g];
    const gv = dq.gates[g];
    inputs[1 + i] = info(`${g}_iw`, 'i8', [2, 2], gq.input_weight, Int8Array.from(gv.input_weight));
    inputs[5 + i] = info(`${g}_rw`, 'i8', [2, 2], gq.recurrent_weight, Int8Array.from(gv.recurrent_weight));
    inputs[12 + i] =
      mode === 'int8'
        ? info(`${g}_b`, 'i32', [2], gq.bias, Int32Array.from(gv.bias))
        : info(`${g}_b`, 'i64', [2], gq.bias, BigInt64Array.from(gv.bias.map((b: number) => BigInt(b))));
  });
  inputs[18] = info('h', act, [2, 2], qs.hidden_state, undefined, true);
  inputs[19] = info('c', 'i16', [2, 2], qs.cell_state, undefined, true);
  // TFLite's 8x8_16 kernel needs 5 intermediates; without layer norm only #4 (the hidden o*tanh(c))
  // matters and, without projection, its scale must be the output state's. TF 2.12 *subtracts* its zero
  // point (PortableCwiseMul `value -= output_zp`, see lstm-integer.test.ts), so the value that makes
  // TF 2.12 produce the output state's zero point -21 is +21.
  const inter = [0, 1, 2, 3].map((i) => info(`inter${i}`, 'i16', [], { scale: 2 ** -12, zero_point: 0 }));
  inter.push(info('inter4', 'i8', [], { scale: qs.hidden_state.scale, zero_point: -qs.hidden_state.zero_point }));
  return ctxOf(inputs, info('out', act, [2, time, 2], qs.output), flavour, inter);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

function deq(q: ArrayLike<number>, p: Q): number[] {
  return Array.from(q, (v) => (v - p.zero_point) * p.scale);
}

/** How many quantized values equal round(expected / scale) + zp (saturated). */
function exactCount(q: ArrayLike<number>, expected: number[], p: Q, lo: number, hi: number): number {
  let n = 0;
  expected.forEach((e, i) => {
    const want = Math.min(hi, Math.max(lo, Math.round(e / p.scale) + p.zero_point));
    if (q[i] === want) n++;
  });
  return n;
}

describe.skipIf(!haveVectors)('LSTM kernel vectors (tflite-micro lstm_test_data.cc)', () => {
  for (const flavour of ['tflite', 'tflm'] as const) {
    it(`float 3-step eval, ${flavour}: all 12 outputs and both final states within 1e-6`, () => {
      const ev = V.eval_check;
      const r = run(floatCtx(flavour, 3), Float32Array.from(ev.input), new Float32Array(4), new Float32Array(4), 'f32');
      expect(maxAbsDiff(r.out, ev.expected_output)).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(r.h, ev.expected_final_hidden_state)).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(r.c, ev.expected_final_cell_state)).toBeLessThanOrEqual(1e-6);
    });

    it(`float one step from non-zero states, ${flavour}: cell (incl. the -6 clip) and hidden within 1e-6`, () => {
      const gs = V.gate_step_check;
      const r = run(floatCtx(flavour, 1), Float32Array.from(gs.input), Float32Array.from(gs.hidden_state), Float32Array.from(gs.cell_state), 'f32');
      expect(maxAbsDiff(r.c, gs.expected.updated_cell)).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(r.h, gs.expected.updated_hidden)).toBeLessThanOrEqual(1e-6);
      expect(r.c[2]).toBe(-6);
    });
  }

  for (const mode of ['int8', 'int16x8'] as const) {
    for (const flavour of ['tflite', 'tflm'] as const) {
      if (mode === 'int16x8' && flavour === 'tflite') continue; // same code path as tflm (checked below)
      const act: DType = mode === 'int8' ? 'i8' : 'i16';
      const [lo, hi] = act === 'i8' ? [-128, 127] : [-32768, 32767];
      it(`${mode} 3-step eval, ${flavour}: within the upstream tolerances`, () => {
        const qs = V.quantization[mode];
        const dq = qs.derived_quantized_values;
        const ev = V.eval_check;
        const tol = ev.tolerances[mode];
        const x = act === 'i8' ? Int8Array.from(dq.eval_input) : Int16Array.from(dq.eval_input);
        const h0 = act === 'i8' ? Int8Array.from(dq.eval_initial_hidden_state) : Int16Array.from(dq.eval_initial_hidden_state);
        const r = run(quantCtx(mode, flavour, 3), x, h0, Int16Array.from(dq.eval_initial_cell_state), act);
        const outF = deq(r.out, qs.output);
        expect(maxAbsDiff(outF, ev.expected_output)).toBeLessThanOrEqual(tol.output);
        expect(maxAbsDiff(deq(r.h, qs.hidden_state), ev.expected_final_hidden_state)).toBeLessThanOrEqual(tol.hidden_state);
        expect(maxAbsDiff(deq(r.c, qs.cell_state), ev.expected_final_cell_state)).toBeLessThanOrEqual(tol.cell_state);
        const exactOut = exactCount(r.out, ev.expected_output, qs.output, lo, hi);
        const exactCell = exactCount(r.c, ev.expected_final_cell_state, qs.cell_state, -32768, 32767);
        console.log(
          `[lstm vectors] ${mode}/${flavour}: output q=[${Array.from(r.out).join(',')}] ` +
            `${exactOut}/12 equal round(expected/scale)+zp; final cell q=[${Array.from(r.c).join(',')}] ${exactCell}/4 exact`,
        );
      });

      it(`${mode} one step from non-zero states, ${flavour}: cell and hidden within tolerance`, () => {
        const qs = V.quantization[mode];
        const gsv = qs.derived_quantized_values.gate_step_inputs;
        const gs = V.gate_step_check;
        const tol = gs.tolerances[mode];
        const x = act === 'i8' ? Int8Array.from(gsv.input) : Int16Array.from(gsv.input);
        const h0 = act === 'i8' ? Int8Array.from(gsv.hidden_state) : Int16Array.from(gsv.hidden_state);
        const r = run(quantCtx(mode, flavour, 1), x, h0, Int16Array.from(gsv.cell_state), act);
        expect(maxAbsDiff(deq(r.c, qs.cell_state), gs.expected.updated_cell)).toBeLessThanOrEqual(tol.one_step_cell);
        expect(maxAbsDiff(deq(r.h, qs.hidden_state), gs.expected.updated_hidden)).toBeLessThanOrEqual(tol.one_step_hidden);
        expect(r.c[2]).toBe(Math.trunc(-6 / qs.cell_state.scale)); // clipped by cell_clip 6
      });
    }
  }

  it('int16x8: both flavours compute the same (TFLM arithmetic)', () => {
    const dq = V.quantization.int16x8.derived_quantized_values;
    const res = (['tflite', 'tflm'] as const).map((f) =>
      run(quantCtx('int16x8', f, 3), Int16Array.from(dq.eval_input), new Int16Array(4), new Int16Array(4), 'i16'),
    );
    expect(Array.from(res[0]!.out)).toEqual(Array.from(res[1]!.out));
    expect(Array.from(res[0]!.c)).toEqual(Array.from(res[1]!.c));
  });

  it('int8 TFLite Prepare: zero-point-folded biases equal the vector file', () => {
    const qs = V.quantization.int8;
    const dq = qs.derived_quantized_values;
    for (const g of GATES) {
      const gv = dq.gates[g];
      const w = Int8Array.from(gv.input_weight);
      const r = Int8Array.from(gv.recurrent_weight);
      const inB = zpTimesWeightWithBias(-qs.input.zero_point, w, 2, 2, Int32Array.from(gv.bias));
      const recB = zpTimesWeightWithBias(-qs.hidden_state.zero_point, r, 2, 2, undefined);
      expect(Array.from(inB), g).toEqual(gv.input_zp_folded_bias);
      expect(Array.from(recB), g).toEqual(gv.recurrent_zp_folded_bias);
    }
  });
});

if (!haveVectors)
  describe('LSTM kernel vectors', () => {
    it.skip(`skipped: ${VECTORS} is absent`, () => {});
});
