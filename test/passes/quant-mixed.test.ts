/**
 * quant-mixed / quantize-mixed: on a generated MLP whose middle activation has a huge dynamic range
 * (int8 loses the small channels the output depends on) and on mnist_lstm, the chosen plan meets its
 * budget with fewer 16-bit ops than all-16x8, and the plan round-trips through plan= / use-plan=.
 * On unrolled keep-state models (state in resource variables, initialised through tfl.call_once) the
 * search evaluates candidates with their initialiser, and a variable is one unit of one width.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Operation } from '../../src/ir/operation.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import { findFunc, moduleFuncs } from '../../dialects/builtin/index.js';
import { findOps } from '../../src/ir/walk.js';
import { type Type, elementType } from '../../src/ir/type.js';
import { type RecurrentModelConfig, buildRecurrentModel } from '../../passes/lib/unroll/build-model.js';
import { isOracleAvailable, loadTfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { encodeNpy, readNpy } from '../../src/io/npy.js';
import { argmax } from '../../passes/lib/mixed/labels.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerAll } from '../../tools/register.js';
import { registerQuantMixed } from '../../passes/quant-mixed.js';
import type { MixedPlan } from '../../passes/lib/mixed/plan.js';
import { CORPUS_DIR, HAVE_CORPUS, NO_CORPUS, readCorpus, rng, sameBytes } from '../support/corpus.js';

registerAll();
registerQuantMixed();

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qopt-mixed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dense(shape: number[], values: number[]): string {
  const nest = (off: number, d: number): string => {
    if (d === shape.length) return values[off]!.toExponential(6);
    const step = shape.slice(d + 1).reduce((a, b) => a * b, 1);
    return `[${Array.from({ length: shape[d]! }, (_, i) => nest(off + i * step, d + 1)).join(', ')}]`;
  };
  return `dense<${nest(0, 0)}> : tensor<${shape.join('x')}xf32>`;
}

/** x[1,8] → fc1 (channel 0 near 1000) → fc2 (ignores channel 0) → fc3 → [1,4]. */
function mlp(): string {
  const r = rng(7);
  const u = () => r() * 2 - 1;
  const w1 = Array.from({ length: 16 * 8 }, () => u());
  // Channel 0 of fc1 sits near 1000 (its bias): int8 over [0, ~1000] has no room for the others.
  const b1 = Array.from({ length: 16 }, (_, i) => (i === 0 ? 1000 : 0));
  const w2 = Array.from({ length: 16 * 16 }, (_, i) => (i % 16 === 0 ? 0 : u() * 0.5));
  const w3 = Array.from({ length: 4 * 16 }, () => u() * 0.5);
  const zeros = (n: number) => Array.from({ length: n }, () => 0);
  const fc = (out: string, a: string, w: string, b: string, ti: string, tw: string, tb: string, to: string, name: string) =>
    `  ${out} = "tfl.fully_connected"(${a}, ${w}, ${b}) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (${ti}, ${tw}, ${tb}) -> ${to} loc("${name}")`;
  return `
func.func @main(%arg0: tensor<1x8xf32> loc("x")) -> tensor<1x4xf32> {
  %w1 = "tfl.pseudo_const"() {value = ${dense([16, 8], w1)}} : () -> tensor<16x8xf32>
  %b1 = "tfl.pseudo_const"() {value = ${dense([16], b1)}} : () -> tensor<16xf32>
  %w2 = "tfl.pseudo_const"() {value = ${dense([16, 16], w2)}} : () -> tensor<16x16xf32>
  %b2 = "tfl.pseudo_const"() {value = ${dense([16], zeros(16))}} : () -> tensor<16xf32>
  %w3 = "tfl.pseudo_const"() {value = ${dense([4, 16], w3)}} : () -> tensor<4x16xf32>
  %b3 = "tfl.pseudo_const"() {value = ${dense([4], zeros(4))}} : () -> tensor<4xf32>
${fc('%h1', '%arg0', '%w1', '%b1', 'tensor<1x8xf32>', 'tensor<16x8xf32>', 'tensor<16xf32>', 'tensor<1x16xf32>', 'fc1')}
${fc('%h2', '%h1', '%w2', '%b2', 'tensor<1x16xf32>', 'tensor<16x16xf32>', 'tensor<16xf32>', 'tensor<1x16xf32>', 'fc2')}
${fc('%y', '%h2', '%w3', '%b3', 'tensor<1x16xf32>', 'tensor<4x16xf32>', 'tensor<4xf32>', 'tensor<1x4xf32>', 'fc3')}
  return %y : tensor<1x4xf32>
}`;
}

function mlpData(): string {
  const r = rng(11);
  const p = join(dir, 'mlp.npy');
  writeFileSync(p, encodeNpy({ dtype: 'f32', shape: [32, 1, 8], data: Float32Array.from({ length: 32 * 8 }, () => r() * 2 - 1) }, p));
  return p;
}

interface Run {
  ok: boolean;
  errors: string[];
  remarks: string[];
  text: string;
}

function run(m: Operation, pipeline: string, data?: string): Run {
  const r = PassManager.fromPipeline(pipeline, { flags: data ? { calibrationData: data } : {} }).run(m);
  return {
    ok: r.ok,
    errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    remarks: r.diagnostics.filter((d) => d.severity === 'remark').map((d) => d.message),
    text: printOp(m),
  };
}

const CAL = 'quant-insert-calibration,quant-calibrate';

function checkRoundTrip(load: () => Operation, data: string, options: string, name: string): { plan: MixedPlan; text: string } {
  const planPath = join(dir, `${name}.json`);
  const a = run(load(), `${CAL},quant-mixed{${options}${options ? ' ' : ''}plan=${planPath}},canonicalize`, data);
  expect(a.errors).toEqual([]);
  const plan = JSON.parse(readFileSync(planPath, 'utf8')) as MixedPlan;
  const b = run(load(), `${CAL},quant-mixed{use-plan=${planPath}},canonicalize`, data);
  expect(b.errors).toEqual([]);
  expect(b.remarks.some((x) => x.includes('applying the saved plan'))).toBe(true);
  expect(b.text).toBe(a.text);
  return { plan, text: a.text };
}

describe('quant-mixed on a generated MLP with a huge-range middle activation', () => {
  it('meets the SQNR-drop budget with fewer 16-bit ops than all-16x8, and the plan round-trips', () => {
    const data = mlpData();
    const { plan, text } = checkRoundTrip(() => parseSource(mlp(), 'mlp.mlir'), data, 'max-output-sqnr-drop=3', 'mlp-drop');
    const c = plan.costs!;
    // int8 is clearly worse than 16x8 here.
    expect(c.int16!.sqnrDb - c.int8!.sqnrDb).toBeGreaterThan(10);
    expect(c.chosen!.sqnrDb).toBeGreaterThanOrEqual(c.int16!.sqnrDb - 3);
    expect(c.chosen!.int16Ops).toBeGreaterThan(0);
    expect(c.chosen!.int16Ops).toBeLessThan(c.int16!.int16Ops);
    expect(c.chosen!.arenaBytes).toBeLessThanOrEqual(c.int16!.arenaBytes);
    expect(c.chosen!.constantBytes).toBeLessThan(c.int16!.constantBytes);
    // The huge-range tensor (fc1's result) is the one promoted.
    const promoted = Object.values(plan.tensors).filter((t) => t.width === 'int16').map((t) => t.name);
    expect(promoted).toContain('fc1');
    expect(plan.steps[0]!.patches.length).toBeGreaterThan(0);
    expect(text).toMatch(/!quant\.uniform<i16/);
    expect(text).toMatch(/!quant\.uniform<i8/);
  });

  it('max-16bit-layers caps the 16-bit ops', () => {
    const data = mlpData();
    const a = run(parseSource(mlp(), 'mlp.mlir'), `${CAL},quant-mixed{max-16bit-layers=2 plan=${join(dir, 'mlp-n.json')}},canonicalize`, data);
    expect(a.errors).toEqual([]);
    const plan = JSON.parse(readFileSync(join(dir, 'mlp-n.json'), 'utf8')) as MixedPlan;
    expect(plan.costs!.chosen!.int16Ops).toBeLessThanOrEqual(2);
    expect(plan.costs!.chosen!.sqnrDb).toBeGreaterThan(plan.costs!.int8!.sqnrDb + 10);
  });

  it('search=lazy (CELF) picks what search=greedy picks, with fewer evaluations', () => {
    const data = mlpData();
    const out: Record<string, { text: string; evaluations: number; plan: MixedPlan }> = {};
    for (const mode of ['greedy', 'lazy'] as const) {
      const planPath = join(dir, `mlp-${mode}.json`);
      const r = run(parseSource(mlp(), 'mlp.mlir'), `${CAL},quant-mixed{max-output-sqnr-drop=0.5 search=${mode} plan=${planPath}},canonicalize`, data);
      expect(r.errors).toEqual([]);
      const m = r.remarks.map((x) => /\((\d+) evaluations on/.exec(x)).find((x) => x);
      out[mode] = { text: r.text, evaluations: Number(m![1]), plan: JSON.parse(readFileSync(planPath, 'utf8')) as MixedPlan };
    }
    expect(out['lazy']!.plan.steps.map((x) => [x.keys, x.sqnrDb])).toEqual(out['greedy']!.plan.steps.map((x) => [x.keys, x.sqnrDb]));
    expect(out['lazy']!.text).toBe(out['greedy']!.text);
    expect(out['greedy']!.plan.steps.length).toBeGreaterThan(1);
    expect(out['lazy']!.evaluations).toBeLessThanOrEqual(out['greedy']!.evaluations);
  });

  it('reports per-step gains and the cost against all-int8 and all-16x8', () => {
    const a = run(parseSource(mlp(), 'mlp.mlir'), `${CAL},quant-mixed,canonicalize`, mlpData());
    expect(a.remarks.some((x) => /^quant-mixed: 16-bit .*: \+\d+\.\d+ dB, output SQNR/.test(x))).toBe(true);
    expect(a.remarks.some((x) => /chosen: .* all-int8: .* all-16x8: /.test(x))).toBe(true);
  });

  it('rejects a plan that does not fit the model, and needs data without use-plan', () => {
    const p = join(dir, 'bad.json');
    writeFileSync(p, JSON.stringify({ version: 1, func: 'main', tensors: { '99:0': { width: 'int16', op: 'tfl.add' } }, steps: [] }));
    const a = run(parseSource(mlp(), 'mlp.mlir'), `${CAL},quant-mixed{use-plan=${p}}`, mlpData());
    expect(a.errors.join('\n')).toMatch(/does not fit @main/);
    const b = run(parseSource(mlp(), 'mlp.mlir'), 'quant-mixed');
    expect(b.errors.join('\n')).toMatch(/needs evaluation data/);
  });
});

/** Labels = the float model's argmax on the MLP data (so float is 100% accurate). */
function mlpLabels(data: string): string {
  const m = parseSource(mlp(), 'mlp.mlir');
  const interp = new Interpreter(moduleFuncs(m)[0]!, { kernels: registeredKernels() });
  const x = readNpy(data).data as Float32Array;
  const labels = new Int32Array(32);
  for (let i = 0; i < 32; i++) {
    interp.reset();
    const y = interp.run([x.slice(i * 8, i * 8 + 8)])[0]!.data as Float32Array;
    labels[i] = argmax(y);
  }
  const p = join(dir, 'mlp-labels.npy');
  writeFileSync(p, encodeNpy({ dtype: 'i32', shape: [32], data: labels }, p));
  return p;
}

describe('quant-mixed with an accuracy budget (labels)', () => {
  it('max-accuracy-drop: top-1 accuracy within the budget of all-16x8, fewer 16-bit ops', () => {
    const data = mlpData();
    const labels = mlpLabels(data);
    for (const drop of ['0', '3%']) {
      const { plan } = checkRoundTrip(
        () => parseSource(mlp(), 'mlp.mlir'),
        data,
        `max-accuracy-drop=${drop} labels=${labels} eval-samples=32`,
        `mlp-acc-${drop.replace('%', 'pct')}`,
      );
      const c = plan.costs!;
      const budget = drop.endsWith('%') ? Number(drop.slice(0, -1)) / 100 : Number(drop);
      expect(plan.budget!['max-accuracy-drop']).toBeCloseTo(budget, 12);
      expect(c.int16!.accuracy).toBeGreaterThan(c.int8!.accuracy!);
      expect(c.chosen!.accuracy!).toBeGreaterThanOrEqual(c.int16!.accuracy! - budget - 1e-9);
      expect(c.chosen!.int16Ops).toBeGreaterThan(0);
      expect(c.chosen!.int16Ops).toBeLessThan(c.int16!.int16Ops);
      expect(plan.steps.every((s) => s.accuracy !== undefined)).toBe(true);
    }
  });

  it('reports accuracy, and rejects a missing or short label set and a bad budget', () => {
    const data = mlpData();
    const labels = mlpLabels(data);
    const a = run(parseSource(mlp(), 'mlp.mlir'), `${CAL},quant-mixed{max-accuracy-drop=0.05 labels=${labels}},canonicalize`, data);
    expect(a.errors).toEqual([]);
    expect(a.remarks.some((x) => /chosen: top-1 accuracy \d+\.\d+%/.test(x))).toBe(true);
    const b = run(parseSource(mlp(), 'mlp.mlir'), `${CAL},quant-mixed{max-accuracy-drop=0.05}`, data);
    expect(b.errors.join('\n')).toMatch(/needs labels/);
    const short = join(dir, 'short.npy');
    writeFileSync(short, encodeNpy({ dtype: 'i32', shape: [4], data: new Int32Array(4) }, short));
    const c = run(parseSource(mlp(), 'mlp.mlir'), `${CAL},quant-mixed{max-accuracy-drop=0.05 labels=${short}}`, data);
    expect(c.errors.join('\n')).toMatch(/4 labels for 16 evaluation samples/);
    const d = run(parseSource(mlp(), 'mlp.mlir'), `${CAL},quant-mixed{max-accuracy-drop=abc labels=${labels}}`, data);
    expect(d.errors.join('\n')).toMatch(/not a number or percentage/);
    const e = run(parseSource(mlp(), 'mlp.mlir'), `${CAL},quant-mixed{max-accuracy-drop=0.05 labels=from-filenames}`, data);
    expect(e.errors.join('\n')).toMatch(/needs a folder/);
  });
});

describe.skipIf(!isOracleAvailable())('quant-mixed output in real TFLite (tfjs-tflite, builtin kernels)', () => {
  it('the mixed MLP (int8/16x8 boundaries) loads and computes what qopt computes', async () => {
    const m = parseSource(mlp(), 'mlp.mlir');
    const a = run(m, `${CAL},quant-mixed{max-output-sqnr-drop=3 record-bias-type=false},canonicalize`, mlpData());
    expect(a.errors).toEqual([]);
    const bytes = exportTflite(m);
    const mine = importTflite(bytes, 'mixed.tflite');
    const interp = new Interpreter(moduleFuncs(mine)[0]!, { kernels: registeredKernels() });
    const oracle = await loadTfliteOracle();
    const runner = oracle.createRunner(bytes, { builtinOnly: true });
    try {
      const r = rng(5);
      for (let k = 0; k < 8; k++) {
        const x = Float32Array.from({ length: 8 }, () => r() * 2 - 1);
        const ours = interp.run([x])[0]!.data as Float32Array;
        const theirs = runner.run([x])[0]! as Float32Array;
        expect(Array.from(theirs)).toEqual(Array.from(ours));
      }
    } finally {
      runner.dispose();
    }
  });
});

describe.skipIf(!HAVE_CORPUS)('quant-mixed on mnist_lstm', () => {
  it('meets the budget with fewer 16-bit ops than all-16x8, and the plan round-trips', () => {
    const load = () => importTflite(readCorpus('mnist_lstm/trained_lstm.tflite'), 'trained_lstm.tflite');
    const { plan } = checkRoundTrip(load, join(CORPUS_DIR, 'mnist_lstm', 'samples'), 'max-output-sqnr-drop=1', 'lstm');
    const c = plan.costs!;
    expect(c.chosen!.sqnrDb).toBeGreaterThanOrEqual(c.int16!.sqnrDb - 1);
    expect(c.chosen!.int16Ops).toBeLessThan(c.int16!.int16Ops);
  });
});

describe.skipIf(!HAVE_CORPUS)('quant-mixed on mnist_lstm with an accuracy budget', () => {
  it('labels=from-filenames on the 10 sample PNGs: accuracy within budget of all-16x8', () => {
    const load = () => importTflite(readCorpus('mnist_lstm/trained_lstm.tflite'), 'trained_lstm.tflite');
    const { plan } = checkRoundTrip(load, join(CORPUS_DIR, 'mnist_lstm', 'samples'), 'max-accuracy-drop=10% labels=from-filenames', 'lstm-acc');
    const c = plan.costs!;
    // The corpus README: the float model gets all 10 samples right; so does 16x8.
    expect(c.int16!.accuracy).toBe(1);
    expect(c.chosen!.accuracy!).toBeGreaterThanOrEqual(0.9 - 1e-9);
    expect(c.chosen!.int16Ops).toBeLessThan(c.int16!.int16Ops);
  });
});

// ---- unrolled keep-state models: resource variables ----------------------------------------------

/**
 * A streaming accumulator: the state (initial value [50, 0.01, -0.02, 0.03], set by @init through
 * tfl.call_once) plus the input is the output and the next state. At int8 the state's range (up to
 * 50) leaves nothing of the small channels; the variable is the tensor to promote.
 */
const ACCUMULATOR = `
module {
  func.func @main(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
    "tfl.call_once"() {init_subgraph_index = @init} : () -> ()
    %h = "tfl.var_handle"() {shared_name = "state"} : () -> tensor<!tf_type.resource>
    %s = "tfl.read_variable"(%h) : (tensor<!tf_type.resource>) -> tensor<1x4xf32>
    %a = "tfl.add"(%s, %arg0) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    "tfl.assign_variable"(%h, %a) : (tensor<!tf_type.resource>, tensor<1x4xf32>) -> ()
    return %a : tensor<1x4xf32>
  }
  func.func private @init() {
    %h = "tfl.var_handle"() {shared_name = "state"} : () -> tensor<!tf_type.resource>
    %c = "tfl.pseudo_const"() {value = dense<[[50.0, 0.01, -0.02, 0.03]]> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
    "tfl.assign_variable"(%h, %c) : (tensor<!tf_type.resource>, tensor<1x4xf32>) -> ()
    return
  }
}`;

function accumulatorData(): string {
  const r = rng(13);
  const p = join(dir, 'accumulator.npy');
  writeFileSync(p, encodeNpy({ dtype: 'f32', shape: [8, 1, 4], data: Float32Array.from({ length: 32 }, () => (r() * 2 - 1) * 0.1) }, p));
  return p;
}

const LSTM: RecurrentModelConfig = { kind: 'lstm', batch: 1, time: 2, input: 3, cell: 4, randomState: true, seed: 7 };
const RNN: RecurrentModelConfig = { kind: 'rnn', batch: 1, time: 2, input: 3, cell: 4, randomState: true, seed: 7 };

/** The generated model unrolled with its state in resource variables (keep-state, the default). */
function keepState(cfg: RecurrentModelConfig): Operation {
  const m = buildRecurrentModel(cfg);
  const r = run(m, 'tfl-unroll-lstm');
  expect(r.errors).toEqual([]);
  expect(findOps(m, 'tfl.call_once').length).toBe(1);
  return m;
}

function inputSize(cfg: RecurrentModelConfig): number {
  return cfg.batch * cfg.time * cfg.input;
}

function recurrentData(cfg: RecurrentModelConfig): string {
  const r = rng(21);
  const p = join(dir, `${cfg.kind}-keep-state.npy`);
  writeFileSync(p, encodeNpy({ dtype: 'f32', shape: [16, cfg.batch, cfg.time, cfg.input], data: Float32Array.from({ length: 16 * inputSize(cfg) }, () => r() * 2 - 1) }, p));
  return p;
}

/**
 * The storage width of each variable (by shared_name), asserting that all its reads and assigned
 * values have one quantized type, in @main and in its initialiser.
 */
function variableWidths(m: Operation): Map<string, number> {
  const seen = new Map<string, { types: Set<Type>; funcs: Set<string> }>();
  for (const f of moduleFuncs(m))
    for (const op of [...findOps(f, 'tfl.read_variable'), ...findOps(f, 'tfl.assign_variable')]) {
      const name = (op.operand(0).definingOp!.attr('shared_name') as { value: string }).value;
      const v = op.name === 'tfl.read_variable' ? op.result(0) : op.operand(1);
      const e = seen.get(name) ?? { types: new Set<Type>(), funcs: new Set<string>() };
      e.types.add(elementType(v.type)); // interned: one object per type
      e.funcs.add((f.attr('sym_name') as { value: string }).value);
      seen.set(name, e);
    }
  const out = new Map<string, number>();
  for (const [name, { types, funcs }] of seen) {
    expect(types.size, `one type for variable ${name}`).toBe(1);
    expect(funcs.size, `variable ${name} in main and its initialiser`).toBe(2);
    const e = [...types][0]!;
    if (e.kind !== 'quant.uniform') throw new Error(`variable ${name} is not quantized (${e.kind})`);
    out.set(name, e.storage.width);
  }
  return out;
}

/** Runs `m`'s @main exported to .tflite in qopt and in real TFLite, `n` invokes carrying the state. */
async function sameAsTflite(m: Operation, size: number, n: number): Promise<void> {
  const bytes = exportTflite(m);
  const interp = new Interpreter(findFunc(importTflite(bytes, 'mixed-keep-state.tflite'), 'main')!, { kernels: registeredKernels() });
  const oracle = await loadTfliteOracle();
  const runner = oracle.createRunner(bytes, { builtinOnly: true });
  try {
    const r = rng(3);
    for (let k = 0; k < n; k++) {
      const x = Float32Array.from({ length: size }, () => r() * 2 - 1);
      expect(sameBytes(runner.run([x])[0]!, interp.run([x])[0]!.data), `invoke ${k} (state carried)`).toBe(true);
    }
  } finally {
    runner.dispose();
  }
}

describe('quant-mixed on keep-state models (state in resource variables)', () => {
  it('searches with the initialiser in the evaluation; the variable is one unit, promoted first', async () => {
    const planPath = join(dir, 'accumulator.json');
    const m = parseSource(ACCUMULATOR, 'accumulator.mlir');
    const a = run(m, `${CAL},quant-mixed{max-output-sqnr-drop=3 plan=${planPath} record-bias-type=false},canonicalize`, accumulatorData());
    expect(a.errors).toEqual([]);
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as MixedPlan;
    expect(plan.tensors['var:/state']).toEqual({ width: 'int16', op: 'tfl.var_handle', name: 'state' });
    // The unit: the variable, its read (2:0) and the value assigned to it (3:0, the add).
    expect(plan.steps[0]!.keys).toEqual(['var:/state', '2:0', '3:0']);
    expect(plan.steps[0]!.gainDb).toBeGreaterThan(20);
    expect(a.remarks.some((x) => x.startsWith("quant-mixed: 16-bit resource variable 'state' with its reads and assigned values 2:0, 3:0"))).toBe(true);
    // int16 in @main and in @init (the initial value stored at the variable's int16 scale).
    expect(variableWidths(m)).toEqual(new Map([['state', 16]]));
    const y = new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() }).run([new Float32Array([0.05, 0.01, 0, -0.01])])[0]!.data as Float32Array;
    [50.05, 0.02, -0.02, 0.02].forEach((want, i) => expect(y[i]).toBeCloseTo(want, 2));
    if (isOracleAvailable()) await sameAsTflite(m, 4, 3);
  });

  it('an unrolled RNN: the search keeps every variable in one type across functions', () => {
    const planPath = join(dir, 'rnn-keep-state.json');
    const m = keepState(RNN);
    const a = run(m, `${CAL},quant-mixed{max-output-sqnr-drop=3 plan=${planPath}},canonicalize`, recurrentData(RNN));
    expect(a.errors).toEqual([]);
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as MixedPlan;
    expect(plan.costs!.chosen!.sqnrDb).toBeGreaterThanOrEqual(plan.costs!.int16!.sqnrDb - 3);
    const vars = Object.entries(plan.tensors).filter(([k]) => k.startsWith('var:'));
    expect(vars.length).toBe(1);
    // The variable's reads have its width in the plan, and the model stores it at that width.
    for (const [k, t] of Object.entries(plan.tensors)) if (t.op === 'tfl.read_variable') expect(t.width, k).toBe(vars[0]![1].width);
    expect([...variableWidths(m).values()]).toEqual([vars[0]![1].width === 'int16' ? 16 : 8]);
  });

  it('an unrolled LSTM all at 16 bits (use-plan): int16 variables everywhere, bytes equal real TFLite', async () => {
    const planPath = join(dir, 'lstm-keep-state-16.json');
    const base = run(keepState(LSTM), `${CAL},quant-mixed{max-output-sqnr-drop=100 plan=${planPath}}`, recurrentData(LSTM));
    expect(base.errors).toEqual([]);
    const p = JSON.parse(readFileSync(planPath, 'utf8')) as MixedPlan;
    // All-int8 meets this budget: only the two baselines were evaluated.
    expect(p.steps).toEqual([]);
    expect(Object.keys(p.tensors).filter((k) => k.startsWith('var:')).length).toBe(2);
    const all16 = { ...p, tensors: Object.fromEntries(Object.entries(p.tensors).map(([k, t]) => [k, { ...t, width: 'int16' }])) };
    writeFileSync(planPath, JSON.stringify(all16));
    const m = keepState(LSTM);
    const a = run(m, `${CAL},quant-mixed{use-plan=${planPath} record-bias-type=false},canonicalize`, recurrentData(LSTM));
    expect(a.errors).toEqual([]);
    expect([...variableWidths(m).values()]).toEqual([16, 16]);
    if (isOracleAvailable()) await sameAsTflite(m, inputSize(LSTM), 3);
  });

  it('rejects a plan that gives a variable and its reads different widths', () => {
    const planPath = join(dir, 'lstm-keep-state-bad.json');
    expect(run(keepState(LSTM), `${CAL},quant-mixed{max-output-sqnr-drop=100 plan=${planPath}}`, recurrentData(LSTM)).errors).toEqual([]);
    const p = JSON.parse(readFileSync(planPath, 'utf8')) as MixedPlan;
    const read = Object.keys(p.tensors).find((k) => p.tensors[k]!.op === 'tfl.read_variable')!;
    writeFileSync(planPath, JSON.stringify({ ...p, tensors: { ...p.tensors, [read]: { ...p.tensors[read]!, width: 'int16' } } }));
    const b = run(keepState(LSTM), `${CAL},quant-mixed{use-plan=${planPath}}`, recurrentData(LSTM));
    expect(b.errors.join('\n')).toMatch(new RegExp(`resource variable '.*' is int8 but its read '${read}' is int16`));
  });
});

describe.skipIf(!HAVE_CORPUS)('quant-mixed on mnist_lstm unrolled with keep-state', () => {
  it('evaluates with the state initialiser; the variables get one type in @main and the initialiser', () => {
    const m = importTflite(readCorpus('mnist_lstm/trained_lstm.tflite'), 'trained_lstm.tflite');
    expect(run(m, 'tfl-unroll-lstm').errors).toEqual([]);
    const planPath = join(dir, 'lstm-keep-state.json');
    // A budget all-int8 meets: the two baseline evaluations run (this failed with
    // "call_once: no function @main_unroll_state_init" when clones ran outside a module).
    const a = run(m, `${CAL},quant-mixed{max-output-sqnr-drop=30 eval-samples=4 plan=${planPath}},canonicalize`, join(CORPUS_DIR, 'mnist_lstm', 'samples'));
    expect(a.errors).toEqual([]);
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as MixedPlan;
    expect(plan.costs!.int16!.sqnrDb).toBeGreaterThan(plan.costs!.int8!.sqnrDb);
    expect(Object.keys(plan.tensors).filter((k) => k.startsWith('var:')).length).toBe(2);
    expect([...variableWidths(m).values()]).toEqual([8, 8]);
    const it = new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() });
    expect(it.run([new Float32Array(28 * 28)])[0]!.data.length).toBe(10);
  });
});

if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
