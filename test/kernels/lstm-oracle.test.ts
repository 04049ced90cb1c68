/**
 * The 'tflite' flavour of the LSTM kernels against real TFLite (tfjs-tflite's WASM build, TFLite ~2.12,
 * see tools/oracle): single-op `.tflite` models are built on the flatbuffer object API with random
 * weights, run in TFLite and in our kernels, twice each (the LSTM state carries over).
 * - int8 8x8_16: bit-exact, over plain / time-major / CIFG / peephole / layer norm / projection (with
 *   and without bias, proj_clip) / cell_clip / cell scales 2^-9..2^-15 / non-zero zero points, and the
 *   peephole + projection (n_output < n_cell) quirk in both time- and batch-major modes;
 * - the two int8 LSTMs of dtln_noise_suppression.tflite and the one of mnist_lstm/trained_lstm_int8.tflite
 *   (their outputs exposed as graph outputs): bit-exact;
 * - float uni- and bidirectional: within 1e-5 (TFLite uses Eigen/ruy; observed <= 2e-7).
 * Skipped when @tensorflow/tfjs-tflite is not installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as flatbuffers from 'flatbuffers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DType, KernelContext, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import {
  ActivationFunctionType,
  BidirectionalSequenceLSTMOptionsT,
  BufferT,
  BuiltinOperator,
  BuiltinOptions,
  Model,
  ModelT,
  OperatorCodeT,
  OperatorT,
  QuantizationParametersT,
  SubGraphT,
  TensorT,
  TensorType,
  UnidirectionalSequenceLSTMOptionsT,
} from '../../src/flatbuffer/generated/tflite_generated.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { exposeTensors, writeModel } from '../../tools/oracle/model-edit.js';
import { lstmKernels } from '../../dialects/tfl/kernels/lstm/index.js';

const uni = lstmKernels.find((k) => k.op === 'tfl.unidirectional_sequence_lstm')!;
const bidi = lstmKernels.find((k) => k.op === 'tfl.bidirectional_sequence_lstm')!;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

// ---- model building ------------------------------------------------------------------------------

const TT: Record<string, TensorType> = {
  f32: TensorType.FLOAT32,
  i8: TensorType.INT8,
  i16: TensorType.INT16,
  i32: TensorType.INT32,
  i64: TensorType.INT64,
};
const ACT_CODE: Record<string, ActivationFunctionType> = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4, SIGN_BIT: 5 };

function bytesOf(a: TypedArray): number[] {
  return Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** A one-operator model; every TensorInfo with `data` (and not variable) becomes a constant. */
function oneOpModel(
  code: BuiltinOperator,
  inputs: (TensorInfo | undefined)[],
  outputs: TensorInfo[],
  intermediates: TensorInfo[],
  graphInputs: number[],
  optionsType: BuiltinOptions,
  options: UnidirectionalSequenceLSTMOptionsT | BidirectionalSequenceLSTMOptionsT,
): Uint8Array {
  const tensors: TensorT[] = [];
  const buffers: BufferT[] = [new BufferT()];
  const add = (t: TensorInfo): number => {
    let buf = 0;
    if (t.data && !t.isVariable) {
      buffers.push(new BufferT(bytesOf(t.data)));
      buf = buffers.length - 1;
    }
    const q = t.quant ? new QuantizationParametersT([], [], [...t.quant.scale], t.quant.zeroPoint.map((z) => BigInt(z))) : null;
    tensors.push(new TensorT([...t.shape], TT[t.dtype]!, buf, t.name, q, !!t.isVariable));
    return tensors.length - 1;
  };
  const inIdx = inputs.map((t) => (t ? add(t) : -1));
  const outIdx = outputs.map(add);
  const op = new OperatorT(0, inIdx, outIdx, optionsType, options);
  op.intermediates = intermediates.map(add);
  const sg = new SubGraphT(tensors, graphInputs.map((i) => inIdx[i]!), outIdx, [op], 'main');
  return writeModel(new ModelT(3, [new OperatorCodeT(Math.min(code, 127), null, 1, code)], [sg], 'qopt lstm test', buffers));
}

// ---- random LSTMs --------------------------------------------------------------------------------

interface Spec {
  mode: 'f32' | 'i8';
  nBatch: number;
  maxTime: number;
  nInput: number;
  nCell: number;
  nOutput: number;
  timeMajor: boolean;
  cifg: boolean;
  peephole: boolean;
  layerNorm: boolean;
  projection: boolean;
  projBias: boolean;
  cellClip: number;
  projClip: number;
  cellLog2: number;
  hiddenZp: number;
  inputZp: number;
}

const BASE: Spec = {
  mode: 'i8',
  nBatch: 2,
  maxTime: 3,
  nInput: 5,
  nCell: 4,
  nOutput: 4,
  timeMajor: false,
  cifg: false,
  peephole: false,
  layerNorm: false,
  projection: false,
  projBias: false,
  cellClip: 0,
  projClip: 0,
  cellLog2: -11,
  hiddenZp: -5,
  inputZp: 3,
};

function q(scale: number, zp = 0) {
  return { scale: [Math.fround(scale)], zeroPoint: [zp], axis: -1, storageMin: -128, storageMax: 127 };
}

function randomLstm(s: Spec, seed: number) {
  const r = rng(seed);
  const u = (lo: number, hi: number): number => lo + (hi - lo) * r();
  const ri = (lo: number, hi: number): number => Math.floor(u(lo, hi + 1));
  const { nBatch, maxTime, nInput, nCell, nOutput } = s;
  const inShape = s.timeMajor ? [maxTime, nBatch, nInput] : [nBatch, maxTime, nInput];
  const outShape = s.timeMajor ? [maxTime, nBatch, nOutput] : [nBatch, maxTime, nOutput];
  const n = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
  const inputs: (TensorInfo | undefined)[] = new Array(24).fill(undefined);
  const intermediates: TensorInfo[] = [];
  const F = (name: string, shape: number[], m: number): TensorInfo => ({ name, dtype: 'f32', shape, data: Float32Array.from({ length: n(shape) }, () => u(-m, m)) });
  const I8 = (name: string, shape: number[], sc: number): TensorInfo => ({ name, dtype: 'i8', shape, quant: q(sc), data: Int8Array.from({ length: n(shape) }, () => ri(-127, 127)) });
  const I16 = (name: string, shape: number[], sc: number, lo: number, hi: number): TensorInfo => ({ name, dtype: 'i16', shape, quant: q(sc), data: Int16Array.from({ length: n(shape) }, () => ri(lo, hi)) });
  const I32 = (name: string, shape: number[], sc: number, m: number): TensorInfo => ({ name, dtype: 'i32', shape, quant: q(sc), data: Int32Array.from({ length: n(shape) }, () => ri(-m, m)) });
  const f = s.mode === 'f32';
  const inScale = 1 / 128;
  const hScale = (0.9 / 128);
  for (let g = 0; g < 4; g++) {
    if (g === 0 && s.cifg) continue;
    const ws = u(0.2, 1) / 127;
    inputs[1 + g] = f ? F(`iw${g}`, [nCell, nInput], 0.5) : I8(`iw${g}`, [nCell, nInput], ws);
    inputs[5 + g] = f ? F(`rw${g}`, [nCell, nOutput], 0.5) : I8(`rw${g}`, [nCell, nOutput], u(0.2, 1) / 127);
    inputs[12 + g] = f ? F(`b${g}`, [nCell], 0.5) : I32(`b${g}`, [nCell], inScale * ws, 2000);
    if (s.peephole && g !== 2) inputs[9 + (g === 3 ? 2 : g)] = f ? F(`p${g}`, [nCell], 0.5) : I16(`p${g}`, [nCell], u(0.1, 1) / 32767, -32767, 32767);
    if (s.layerNorm) inputs[20 + g] = f ? F(`ln${g}`, [nCell], 1) : I16(`ln${g}`, [nCell], 1 / 16384, 8000, 24000);
  }
  if (s.projection) {
    inputs[16] = f ? F('pw', [nOutput, nCell], 0.5) : I8('pw', [nOutput, nCell], u(0.2, 1) / 127);
    if (s.projBias) inputs[17] = f ? F('pb', [nOutput], 0.3) : I32('pb', [nOutput], 1e-5, 3000);
  }
  const act: DType = f ? 'f32' : 'i8';
  inputs[0] = { name: 'x', dtype: act, shape: inShape, ...(f ? {} : { quant: q(inScale, s.inputZp) }) };
  inputs[18] = { name: 'h', dtype: act, shape: [nBatch, nOutput], isVariable: true, ...(f ? {} : { quant: q(hScale, s.hiddenZp) }) };
  inputs[19] = { name: 'c', dtype: f ? 'f32' : 'i16', shape: [nBatch, nCell], isVariable: true, ...(f ? {} : { quant: q(2 ** s.cellLog2) }) };
  if (!f) {
    for (let i = 0; i < 4; i++) intermediates.push({ name: `inter${i}`, dtype: 'i16', shape: [], quant: q(s.layerNorm ? u(0.5, 2) * 2 ** -12 : 2 ** -12) });
    intermediates.push({ name: 'inter4', dtype: 'i8', shape: [], quant: q(s.projection ? 1 / 120 : hScale, s.projection ? ri(-10, 10) : s.hiddenZp) });
  }
  const output: TensorInfo = { name: 'out', dtype: act, shape: outShape, ...(f ? {} : { quant: q(s.projection ? 1 / 100 : hScale, s.hiddenZp) }) };
  const inputData = (): TypedArray =>
    f ? Float32Array.from({ length: n(inShape) }, () => u(-1, 1)) : Int8Array.from({ length: n(inShape) }, () => ri(-128, 127));
  const attrs = { fused_activation_function: 'TANH', cell_clip: s.cellClip, proj_clip: s.projClip, time_major: s.timeMajor };
  return { inputs, output, intermediates, attrs, inputData };
}

/** Runs our kernel for consecutive invokes, with TFLite's initial state (int8: zero point, else 0). */
function runOurs(ctx: KernelContext, xs: TypedArray[]): TypedArray[] {
  const fn = uni.prepare(ctx);
  const state = (t: TensorInfo): TypedArray => {
    const len = t.shape.reduce((a, b) => a * b, 1);
    if (t.dtype === 'f32') return new Float32Array(len);
    if (t.dtype === 'i8') return new Int8Array(len).fill(t.quant?.zeroPoint[0] ?? 0);
    return new Int16Array(len);
  };
  const h = state(ctx.inputs[18]!);
  const c = state(ctx.inputs[19]!);
  return xs.map((x) => {
    const ts: (Tensor | undefined)[] = ctx.inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined));
    ts[0] = { dtype: ctx.inputs[0]!.dtype, shape: ctx.inputs[0]!.shape, data: x };
    ts[18] = { dtype: ctx.inputs[18]!.dtype, shape: ctx.inputs[18]!.shape, data: h };
    ts[19] = { dtype: ctx.inputs[19]!.dtype, shape: ctx.inputs[19]!.shape, data: c };
    const o = ctx.outputs[0]!;
    const out = state({ ...o, quant: undefined });
    fn(ts, [{ dtype: o.dtype, shape: o.shape, data: out }]);
    return out;
  });
}

function maxAbsDiff(a: TypedArray, b: TypedArray): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(Number(a[i]) - Number(b[i])));
  return m;
}

const UNI_CASES: [string, Partial<Spec>][] = [
  ['plain', {}],
  ['time-major', { timeMajor: true }],
  ['CIFG', { cifg: true }],
  ['peephole', { peephole: true }],
  ['layer norm', { layerNorm: true, nCell: 8, nOutput: 8 }],
  ['projection', { projection: true, nOutput: 3 }],
  ['projection + bias + proj_clip', { projection: true, projBias: true, nOutput: 3, projClip: 0.5 }],
  ['cell_clip', { cellClip: 0.5 }],
  ['cell scale 2^-12', { cellLog2: -12 }],
  ['cell scale 2^-15', { cellLog2: -15 }],
  ['cell scale 2^-9', { cellLog2: -9 }],
  ['zero points 0', { hiddenZp: 0, inputZp: 0 }],
  ['hidden zero point +20', { hiddenZp: 20 }],
  ['everything', { cifg: true, peephole: true, layerNorm: true, projection: true, projBias: true, nCell: 8, nOutput: 8, cellClip: 1, projClip: 0.7 }],
  ['peephole + projection, n_output < n_cell, time-major', { cifg: true, peephole: true, layerNorm: true, projection: true, projBias: true, nCell: 16, nOutput: 6, timeMajor: true, nBatch: 3 }],
  ['peephole + projection, n_output < n_cell, batch-major', { peephole: true, projection: true, nCell: 12, nOutput: 5, nBatch: 3 }],
  ['larger', { nBatch: 3, maxTime: 7, nInput: 20, nCell: 24, nOutput: 24, layerNorm: true, peephole: true }],
];

describe.skipIf(!isOracleAvailable())('LSTM kernels vs tfjs-tflite (TFLite ~2.12)', () => {
  let oracle: TfliteOracle;
  beforeAll(async () => {
    oracle = await loadTfliteOracle();
  });

  for (const mode of ['i8', 'f32'] as const) {
    UNI_CASES.forEach(([name, over], k) => {
      if (mode === 'f32' && (over.cellLog2 !== undefined || over.hiddenZp !== undefined)) return;
      it(`${mode === 'i8' ? 'int8 8x8_16, bit-exact' : 'float, within 1e-5'}: ${name}`, () => {
        const L = randomLstm({ ...BASE, ...over, mode }, 100 + k);
        const model = oneOpModel(
          BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM,
          L.inputs,
          [L.output],
          mode === 'i8' ? L.intermediates : [],
          [0],
          BuiltinOptions.UnidirectionalSequenceLSTMOptions,
          new UnidirectionalSequenceLSTMOptionsT(ACT_CODE.TANH, L.attrs.cell_clip, L.attrs.proj_clip, L.attrs.time_major),
        );
        const runner = oracle.createRunner(model);
        const xs = [L.inputData(), L.inputData()];
        const want = xs.map((x) => runner.run([x])[0]!);
        runner.dispose();
        const ctx: KernelContext = {
          op: 'tfl.unidirectional_sequence_lstm',
          where: name,
          inputs: L.inputs,
          outputs: [L.output],
          intermediates: L.intermediates,
          attrs: L.attrs,
          flavour: 'tflite',
        };
        const got = runOurs(ctx, xs);
        for (let i = 0; i < xs.length; i++) {
          const d = maxAbsDiff(got[i]!, want[i]!);
          if (mode === 'i8') expect(d, `invoke ${i}`).toBe(0);
          else expect(d, `invoke ${i}`).toBeLessThan(1e-5);
        }
      });
    });
  }

  const BIDI_CASES: [string, Partial<Spec>, Partial<Spec>, { merge: boolean; aux?: 'nonstacking' | 'cross' }][] = [
    ['separate outputs, time-major', { timeMajor: true }, { timeMajor: true }, { merge: false }],
    // Batch-major + merged outputs only with one batch: TFLite 2.12 indexes the batch-major state rows
    // with the merged row length, i.e. out of bounds for batch >= 1 (it then reads whatever is there).
    ['merged outputs, batch-major, 1 batch', { nBatch: 1 }, { nBatch: 1 }, { merge: true }],
    ['separate outputs, batch-major, 3 batches', { nBatch: 3 }, { nBatch: 3 }, { merge: false }],
    ['CIFG + peephole / projection + bias + proj_clip', { timeMajor: true, cifg: true, peephole: true, projection: true, projBias: true, projClip: 0.3 }, { timeMajor: true, projection: true, projBias: true, projClip: 0.3 }, { merge: true }],
    ['non-stacking aux input', { timeMajor: true }, { timeMajor: true }, { merge: false, aux: 'nonstacking' }],
    ['cross-linked aux input, batch-major', {}, {}, { merge: false, aux: 'cross' }],
    ['cross-linked aux input, time-major, merged', { timeMajor: true }, { timeMajor: true }, { merge: true, aux: 'cross' }],
  ];
  BIDI_CASES.forEach(([name, fwo, bwo, o], k) => {
    it(`bidirectional float, within 1e-5: ${name}`, () => {
      const fw = randomLstm({ ...BASE, mode: 'f32', maxTime: 4, nInput: 3, ...fwo }, 300 + k);
      const bw = randomLstm({ ...BASE, mode: 'f32', maxTime: 4, nInput: 3, ...bwo }, 400 + k);
      const r = rng(500 + k);
      const inputs: (TensorInfo | undefined)[] = new Array(48).fill(undefined);
      inputs[0] = fw.inputs[0];
      for (let i = 1; i <= 17; i++) {
        inputs[i] = fw.inputs[i] && { ...fw.inputs[i]!, name: `fw${fw.inputs[i]!.name}` };
        inputs[i + 17] = bw.inputs[i] && { ...bw.inputs[i]!, name: `bw${bw.inputs[i]!.name}` };
      }
      inputs[35] = { ...fw.inputs[18]!, name: 'fwh' };
      inputs[36] = { ...fw.inputs[19]!, name: 'fwc' };
      inputs[37] = { ...bw.inputs[18]!, name: 'bwh' };
      inputs[38] = { ...bw.inputs[19]!, name: 'bwc' };
      const s0 = inputs[0]!.shape;
      const graphInputs = [0];
      if (o.aux) {
        inputs[39] = { name: 'aux', dtype: 'f32', shape: [...s0] };
        graphInputs.push(39);
      }
      if (o.aux === 'cross') {
        for (let g = 0; g < 4; g++) {
          const nc = fw.inputs[4]!.shape[0]!;
          if (fw.inputs[1 + g]) inputs[40 + g] = { name: `fa${g}`, dtype: 'f32', shape: [nc, s0[2]!], data: Float32Array.from({ length: nc * s0[2]! }, () => r() - 0.5) };
          if (bw.inputs[1 + g]) inputs[44 + g] = { name: `ba${g}`, dtype: 'f32', shape: [nc, s0[2]!], data: Float32Array.from({ length: nc * s0[2]! }, () => r() - 0.5) };
        }
      }
      const nO = fw.output.shape[2]!;
      const outputs: TensorInfo[] = o.merge
        ? [{ name: 'out', dtype: 'f32', shape: [s0[0]!, s0[1]!, 2 * nO] }]
        : [{ name: 'fo', dtype: 'f32', shape: [s0[0]!, s0[1]!, nO] }, { name: 'bo', dtype: 'f32', shape: [s0[0]!, s0[1]!, nO] }];
      const attrs = { fused_activation_function: 'TANH', cell_clip: 0, proj_clip: fwo.projClip ?? 0, merge_outputs: o.merge, time_major: fwo.timeMajor ?? false };
      const model = oneOpModel(
        BuiltinOperator.BIDIRECTIONAL_SEQUENCE_LSTM,
        inputs,
        outputs,
        [],
        graphInputs,
        BuiltinOptions.BidirectionalSequenceLSTMOptions,
        new BidirectionalSequenceLSTMOptionsT(ACT_CODE.TANH, 0, attrs.proj_clip, o.merge, attrs.time_major),
      );
      const runner = oracle.createRunner(model);
      const feeds = graphInputs.map((i) => Float32Array.from({ length: inputs[i]!.shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1));
      const want = [runner.run(feeds), runner.run(feeds)];
      runner.dispose();
      const ctx: KernelContext = { op: 'tfl.bidirectional_sequence_lstm', where: name, inputs, outputs, intermediates: [], attrs, flavour: 'tflite' };
      const fn = bidi.prepare(ctx);
      const states = [35, 36, 37, 38].map((i) => new Float32Array(inputs[i]!.shape.reduce((a, b) => a * b, 1)));
      for (let run = 0; run < 2; run++) {
        const ts: (Tensor | undefined)[] = inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined));
        graphInputs.forEach((gi, j) => (ts[gi] = { dtype: 'f32', shape: inputs[gi]!.shape, data: feeds[j]! }));
        [35, 36, 37, 38].forEach((i, j) => (ts[i] = { dtype: 'f32', shape: inputs[i]!.shape, data: states[j]! }));
        const outs = outputs.map((t) => ({ dtype: 'f32' as DType, shape: t.shape, data: new Float32Array(t.shape.reduce((a, b) => a * b, 1)) }));
        fn(ts, outs);
        outs.forEach((out, j) => expect(maxAbsDiff(out.data, want[run]![j]!), `invoke ${run} output ${j}`).toBeLessThan(1e-5));
      }
    });
  });

  // ---- LSTMs inside corpus models ----------------------------------------------------------------

  const CORPUS = '/work/shared/corpus';
  const ACT_NAME = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];
  const DT: Partial<Record<TensorType, DType>> = {
    [TensorType.FLOAT32]: 'f32',
    [TensorType.INT8]: 'i8',
    [TensorType.INT16]: 'i16',
    [TensorType.INT32]: 'i32',
    [TensorType.INT64]: 'i64',
  };

  /** Tensor infos of subgraph 0 (constant data decoded from the buffers). */
  function infosOf(m: ModelT): TensorInfo[] {
    return m.subgraphs[0]!.tensors.map((t) => {
      const dtype = DT[t.type];
      if (!dtype) return { name: String(t.name), dtype: 'u8', shape: t.shape };
      const count = t.shape.reduce((a, b) => a * b, 1);
      const raw = m.buffers[t.buffer]?.data ?? [];
      let data: TypedArray | undefined;
      if (raw.length > 0) {
        const bytes = Uint8Array.from(raw).buffer;
        data = { f32: () => new Float32Array(bytes, 0, count), i8: () => new Int8Array(bytes, 0, count), i16: () => new Int16Array(bytes, 0, count), i32: () => new Int32Array(bytes, 0, count), i64: () => new BigInt64Array(bytes, 0, count) }[dtype as 'f32']();
      }
      const qp = t.quantization;
      const quant = qp && qp.scale.length > 0 ? { scale: [...qp.scale], zeroPoint: qp.zeroPoint.map(Number), axis: qp.scale.length > 1 ? qp.quantizedDimension : -1, storageMin: -128, storageMax: 127 } : undefined;
      return { name: String(t.name), dtype, shape: [...t.shape], ...(quant ? { quant } : {}), ...(data ? { data } : {}), isVariable: t.isVariable };
    });
  }

  for (const [file, input] of [
    ['dtln/dtln_noise_suppression.tflite', 'dtln/feature_data.int8.bin'],
    ['mnist_lstm/trained_lstm_int8.tflite', undefined],
  ] as const) {
    it.skipIf(!existsSync(`${CORPUS}/${file}`))(`${file}: every int8 LSTM bit-exact with TFLite (fed TFLite's own op inputs)`, () => {
      const bytes = new Uint8Array(readFileSync(`${CORPUS}/${file}`));
      const m = Model.getRootAsModel(new flatbuffers.ByteBuffer(bytes)).unpack();
      const sg = m.subgraphs[0]!;
      const infos = infosOf(m);
      const lstmOps = sg.operators.filter((op) => {
        const oc = m.operatorCodes[op.opcodeIndex]!;
        return Math.max(oc.builtinCode, oc.deprecatedBuiltinCode) === BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM;
      });
      expect(lstmOps.length).toBeGreaterThan(0);
      // Expose each LSTM's input and output.
      const exposed = lstmOps.flatMap((op) => [op.inputs[0]!, op.outputs[0]!]);
      const runner = oracle.createRunner(exposeTensors(bytes, exposed));
      const r = rng(7);
      const x0 = input ? new Int8Array(readFileSync(`${CORPUS}/${input}`)) : Int8Array.from({ length: infos[sg.inputs[0]!]!.shape.reduce((a, b) => a * b, 1) }, () => Math.floor(r() * 256) - 128);
      const res = runner.run([x0]);
      runner.dispose();
      lstmOps.forEach((op, k) => {
        const opts = op.builtinOptions as UnidirectionalSequenceLSTMOptionsT;
        const ctx: KernelContext = {
          op: 'tfl.unidirectional_sequence_lstm',
          where: `${file} LSTM ${k}`,
          inputs: op.inputs.map((t) => (t < 0 ? undefined : infos[t])),
          outputs: [infos[op.outputs[0]!]!],
          intermediates: op.intermediates.map((t) => infos[t]!),
          attrs: { fused_activation_function: ACT_NAME[opts.fusedActivationFunction]!, cell_clip: opts.cellClip, proj_clip: opts.projClip, time_major: opts.timeMajor },
          flavour: 'tflite',
        };
        const xIn = res[sg.outputs.length + 2 * k]!;
        const want = res[sg.outputs.length + 2 * k + 1]!;
        const [got] = runOurs(ctx, [xIn]);
        expect(maxAbsDiff(got!, want), `LSTM ${k}`).toBe(0);
      });
    });
  }
});

if (!isOracleAvailable())
  describe('LSTM kernels vs tfjs-tflite', () => {
    it.skip('skipped: @tensorflow/tfjs-tflite is not installed', () => {});
});
