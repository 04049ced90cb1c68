/**
 * quant-mixed / quantize-mixed: on a generated MLP whose middle activation has a huge dynamic range
 * (int8 loses the small channels the output depends on) and on mnist_lstm, the chosen plan meets its
 * budget with fewer 16-bit ops than all-16x8, and the plan round-trips through plan= / use-plan=.
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
import { moduleFuncs } from '../../dialects/builtin/index.js';
import { isOracleAvailable, loadTfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { encodeNpy, readNpy } from '../../src/io/npy.js';
import { argmax } from '../../passes/lib/mixed/labels.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerAll } from '../../tools/register.js';
import { registerQuantMixed } from '../../passes/quant-mixed.js';
import type { MixedPlan } from '../../passes/lib/mixed/plan.js';
import { CORPUS_DIR, HAVE_CORPUS, NO_CORPUS, readCorpus, rng } from '../support/corpus.js';

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

if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
