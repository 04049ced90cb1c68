/**
 * Differential test of whole corpus models: qopt's interpreter (`tflite` flavour) against real
 * TFLite 2.12 (tfjs-tflite's WASM build, builtin kernels only: `builtinOnly` drops XNNPACK) on seeded
 * random inputs, several runs in a row (LSTM/SVDF state carries over on both sides). Integer outputs
 * must be byte-identical; float outputs identical, or within the tolerance stated in PLAN for the model.
 *
 * When a model disagrees, the failure names the first diverging operator: the oracle's copy of the
 * model exposes every operator output (`exposeTensors`), qopt keeps every tensor (`keepAllTensors`),
 * and the two are compared by tensor name in execution order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findFunc, registerBuiltinDialects } from '../../dialects/builtin/index.js';
import { TflDialect } from '../../dialects/tfl/index.js';
import { tflKernels } from '../../dialects/tfl/kernels/index.js';
import { BuiltinOperator } from '../../src/flatbuffer/generated/tflite_generated.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import type { KernelFlavour, TypedArray } from '../../src/interp/kernel.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { registerDialect } from '../../src/ir/registry.js';
import { exposeTensors, readModel, writeModel } from '../../tools/oracle/model-edit.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { HAVE_CORPUS, NO_CORPUS, corpusModels, randomTyped, readCorpus, rng, sameBytes } from '../support/corpus.js';

registerBuiltinDialects();
registerDialect(TflDialect);

/** What to do with a corpus model. */
interface Plan {
  /** Why the model is not compared (absent = compared). */
  readonly skip?: string;
  /** Float outputs: the largest accepted |difference|, and why (absent = byte-identical). */
  readonly floatTolerance?: { readonly abs: number; readonly why: string };
  /** The oracle runs a repaired copy (TFLite rejects the original); what was repaired. */
  readonly oracleFix?: 'bias-quantized-dimension';
  /** Graph inputs that are not data (fed with fixed values). */
  readonly fixedInputs?: (qopt: Interpreter) => ReadonlyMap<number, TypedArray>;
}

/**
 * Every corpus model and how it is compared. A model the corpus gains must be added here (the test
 * checks that the table covers the corpus).
 */
const PLAN: Readonly<Record<string, Plan>> = {
  'dtln/dtln_noise_suppression.tflite': {},
  'hello_world/hello_world_float.tflite': {},
  'hello_world/hello_world_int8.tflite': {},
  'network_tester/network_model.tflite': {},
  'micro_speech/micro_speech_quantized.tflite': {},
  'mlcommons/ad01_fp32.tflite': {},
  'mlcommons/ad01_int8.tflite': {},
  'mlcommons/kws_ref_model.tflite': {},
  'mlcommons/vww_96_int8.tflite': {},
  'mlcommons/pretrainedResnet_quant.tflite': {},
  'mnist_lstm/trained_lstm_int8.tflite': {},
  'keyword_scrambled/keyword_scrambled.tflite': {},
  'mnist_lstm/trained_lstm.tflite': {
    floatTolerance: {
      abs: 1e-6,
      why: "the float LSTM differs from TF 2.12's by float32 ULPs (TF 2.12 uses Eigen's sigmoid/tanh approximations and its own matrix-vector order; see KNOWN_DIFFERENCES in single-op.test.ts); the FC and SOFTMAX after it are exact",
    },
  },
  'person_detection/person_detect.tflite': {
    oracleFix: 'bias-quantized-dimension',
  },
  // Hybrid (dynamic-range) model: float activations, int8 conv weights (dialects/tfl/kernels/hybrid.ts).
  'mlcommons/kws_ref_model_float32.tflite': {},
  // Their LSTM (and dequantize) outputs have no shape in the file: qopt imports them unranked and
  // the interpreter infers the shapes from the ops' shape functions, as TFLite's Prepare does.
  'litert_quantizer/unidirectional_sequence_lstm_calibrated.tflite': {
    floatTolerance: {
      abs: 1e-6,
      why: "a float LSTM (calibrated types run as float; layer norm, projection): the same float32-ULP difference from TF 2.12's float LSTM as trained_lstm.tflite (KNOWN_DIFFERENCES in single-op.test.ts); measured max |diff| 6e-8 (2 ULPs)",
    },
  },
  'litert_quantizer/unidirectional_sequence_lstm_quantized.tflite': {},
  'litert_quantizer/svdf_calibrated.tflite': {
    skip: 'TFLite rejects it: svdf.cc:125 SizeOfDimension(state, 1) != memory_size * num_filters (9 != 42) (a quantizer test file, not a runnable model)',
  },
  'litert_quantizer/svdf_quantized.tflite': {
    skip: 'TFLite rejects it, like svdf_calibrated (state shape 9 != 42)',
  },
};

/** seanet/*: int16x8 single-op models; transpose_conv's input 0 is its output shape. */
const SEANET_PLAN: Plan = {
  fixedInputs: (qopt) => {
    const m = new Map<number, TypedArray>();
    const ins = qopt.inputs;
    if (ins.length === 2 && ins[0]!.dtype === 'i32' && ins[0]!.shape.length === 1 && ins[0]!.shape[0] === 4) {
      m.set(0, Int32Array.from(qopt.outputs[0]!.shape));
    }
    return m;
  },
};

function planFor(rel: string): Plan | undefined {
  return rel.startsWith('seanet/') ? SEANET_PLAN : PLAN[rel];
}

const TRIALS = 3;

/** TFLite rejects rank-1 biases whose per-channel quantized_dimension is 3 (TFLM ignores it). */
function fixBiasQuantizedDimension(bytes: Uint8Array): Uint8Array {
  const model = readModel(bytes);
  for (const sg of model.subgraphs) {
    for (const t of sg.tensors) {
      const q = t.quantization;
      if (q && q.scale.length > 1 && q.quantizedDimension >= t.shape.length) q.quantizedDimension = 0;
    }
  }
  return writeModel(model);
}

function qoptInterpreter(bytes: Uint8Array, rel: string, flavour: KernelFlavour, keepAllTensors = false): Interpreter {
  return new Interpreter(findFunc(importTflite(bytes, rel), 'main')!, { kernels: tflKernels, flavour, keepAllTensors });
}

/** Seeded random inputs for each trial (data inputs random, the plan's fixed inputs as given). */
function trialInputs(qopt: Interpreter, plan: Plan, seed: number): TypedArray[][] {
  const r = rng(seed);
  const fixed = plan.fixedInputs?.(qopt) ?? new Map<number, TypedArray>();
  const out: TypedArray[][] = [];
  for (let t = 0; t < TRIALS; t++) {
    out.push(qopt.inputs.map((info, i) => fixed.get(i) ?? randomTyped(info.dtype, info.shape.reduce((a, b) => a * b, 1), r)));
  }
  return out;
}

interface Diff {
  readonly count: number;
  readonly maxAbs: number;
  readonly first: number;
  readonly expected: number | bigint | undefined;
  readonly got: number | bigint | undefined;
}

function compare(expected: TypedArray, got: TypedArray): Diff | undefined {
  if (sameBytes(expected, got)) return undefined;
  let count = 0;
  let maxAbs = 0;
  let first = -1;
  const n = Math.max(expected.length, got.length);
  for (let i = 0; i < n; i++) {
    if (Object.is(expected[i], got[i])) continue;
    count++;
    if (first < 0) first = i;
    const d = Math.abs(Number(expected[i]) - Number(got[i]));
    maxAbs = Number.isNaN(d) ? Infinity : Math.max(maxAbs, d);
  }
  return { count, maxAbs, first, expected: expected[first], got: got[first] };
}

const describeDiff = (d: Diff, n: number): string =>
  `${d.count}/${n} elements differ (max |diff| ${d.maxAbs}); first [${d.first}]: TFLite ${String(d.expected)}, qopt ${String(d.got)}`;

/**
 * Replays the trials from a fresh state on both sides with every operator output exposed, and
 * returns the first operator (in execution order) whose output differs at `trial`.
 */
function firstDivergence(oracle: TfliteOracle, rel: string, oracleBytes: Uint8Array, qoptBytes: Uint8Array, inputs: TypedArray[][], trial: number, flavour: KernelFlavour = 'tflite'): string {
  const model = readModel(oracleBytes);
  const sg = model.subgraphs[0]!;
  const produced: { op: number; code: string; tensor: number; name: string }[] = [];
  sg.operators.forEach((o, k) => {
    const c = model.operatorCodes[o.opcodeIndex]!;
    const code = BuiltinOperator[Math.max(c.builtinCode, c.deprecatedBuiltinCode)] ?? `op${c.builtinCode}`;
    for (const t of o.outputs) if (t >= 0) produced.push({ op: k, code, tensor: t, name: String(sg.tensors[t]!.name ?? '') });
  });
  const runner = oracle.createRunner(exposeTensors(oracleBytes, produced.map((p) => p.tensor)), { builtinOnly: true });
  try {
    const qopt = qoptInterpreter(qoptBytes, rel, flavour, true);
    let expected: TypedArray[] = [];
    for (let t = 0; t <= trial; t++) {
      expected = runner.run(inputs[t]!);
      qopt.run(inputs[t]!);
    }
    const base = sg.outputs.length;
    const names = new Map<string, number>();
    for (const p of produced) names.set(p.name, (names.get(p.name) ?? 0) + 1);
    for (let k = 0; k < produced.length; k++) {
      const p = produced[k]!;
      if (p.name === '' || names.get(p.name)! > 1) continue; // not addressable by name on the qopt side
      const got = qopt.getTensor(p.name);
      if (!got) return `operator ${p.op} (${p.code}): qopt has no tensor named '${p.name}'`;
      const d = compare(expected[base + k]!, got.data);
      if (d) return `first diverging operator: ${p.op} (${p.code}), output tensor ${p.tensor} '${p.name}': ${describeDiff(d, got.data.length)}`;
    }
    return 'no operator output differs when replayed with all tensors exposed';
  } finally {
    runner.dispose();
  }
}

/** Runs a model on both sides; returns the problems found (empty = agreement). */
function differential(oracle: TfliteOracle, rel: string, plan: Plan, seed: number): string[] {
  const qoptBytes = readCorpus(rel);
  const oracleBytes = plan.oracleFix === 'bias-quantized-dimension' ? fixBiasQuantizedDimension(qoptBytes) : qoptBytes;
  const qopt = qoptInterpreter(qoptBytes, rel, 'tflite');
  const runner = oracle.createRunner(oracleBytes, { builtinOnly: true });
  const problems: string[] = [];
  try {
    expect(runner.inputs().map((t) => t.dtype)).toEqual(qopt.inputs.map((t) => t.dtype));
    const inputs = trialInputs(qopt, plan, seed);
    for (let t = 0; t < TRIALS && problems.length === 0; t++) {
      const expected = runner.run(inputs[t]!);
      const got = qopt.run(inputs[t]!);
      expect(got.length).toBe(expected.length);
      for (let k = 0; k < expected.length; k++) {
        const e = expected[k]!;
        const g = got[k]!.data;
        const d = compare(e, g);
        if (!d) continue;
        const tol = plan.floatTolerance;
        if (e instanceof Float32Array && tol && d.maxAbs <= tol.abs) continue;
        problems.push(`trial ${t}, output ${k}: ${describeDiff(d, e.length)}`);
      }
      if (problems.length > 0) problems.push(firstDivergence(oracle, rel, oracleBytes, qoptBytes, inputs, t));
    }
  } finally {
    runner.dispose();
  }
  return problems;
}

describe('corpus models: qopt (tflite flavour) vs TFLite 2.12 builtin kernels on random inputs', () => {
  if (!HAVE_CORPUS) {
    it.skip(NO_CORPUS, () => {});
    return;
  }
  if (!isOracleAvailable()) {
    it.skip('needs @tensorflow/tfjs-tflite and @tensorflow/tfjs-core installed (npm ci)', () => {});
    return;
  }
  let oracle: TfliteOracle;
  beforeAll(async () => {
    oracle = await loadTfliteOracle();
  });

  const models = corpusModels();

  it('PLAN covers every corpus model, and every PLAN entry is in the corpus', () => {
    expect(models.filter((m) => planFor(m) === undefined)).toEqual([]);
    expect(Object.keys(PLAN).filter((p) => !models.includes(p))).toEqual([]);
  });

  for (const rel of models.filter((m) => !m.startsWith('seanet/'))) {
    const plan = planFor(rel);
    if (!plan || plan.skip) {
      it.skip(`${rel}: ${plan?.skip ?? 'not in PLAN'}`, () => {});
      continue;
    }
    const tol = plan.floatTolerance ? ` (float outputs within ${plan.floatTolerance.abs})` : '';
    it(`${rel}: identical outputs over ${TRIALS} runs${tol}`, () => {
      expect(differential(oracle, rel, plan, 1234)).toEqual([]);
    });
  }

  it('seanet: all 127 int16x8 single-op models give identical outputs', () => {
    const seanet = models.filter((m) => m.startsWith('seanet/'));
    expect(seanet).toHaveLength(127);
    const problems: string[] = [];
    for (const rel of seanet) for (const p of differential(oracle, rel, SEANET_PLAN, 99)) problems.push(`${rel}: ${p}`);
    expect(problems).toEqual([]);
  });

  it('the divergence finder names the first differing operator (kws_ref_model, flavour tflm vs TFLite 2.12)', () => {
    // TF 2.12's int8 CONV_2D requantizes with ruy's single rounding, TFLM with double rounding: with
    // the tflm flavour the very first convolution differs in a few elements.
    const rel = 'mlcommons/kws_ref_model.tflite';
    const bytes = readCorpus(rel);
    const qopt = qoptInterpreter(bytes, rel, 'tflm');
    const inputs = trialInputs(qopt, {}, 1234);
    const found = firstDivergence(oracle, rel, bytes, bytes, inputs, 0, 'tflm');
    expect(found).toMatch(/^first diverging operator: 0 \(CONV_2D\)/);
    // And with the tflite flavour nothing differs.
    expect(firstDivergence(oracle, rel, bytes, bytes, inputs, 0, 'tflite')).toBe('no operator output differs when replayed with all tensors exposed');
  });
});
