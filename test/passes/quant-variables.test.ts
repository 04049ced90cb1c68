/**
 * Quantizing resource variables (the unrolled keep-state recurrent form): quant-calibrate records
 * each variable's range (initial value, everything assigned and read) on all of its handles;
 * quant-prepare gives the variable one type — every read gives it, every assign takes it (a
 * requantize when the assigned value has other parameters), the initialiser stores its initial
 * value in it — or keeps the whole variable float (no range, denylist) with one clear warning; the
 * quantized generated LSTM/RNN models have no float op left, stream (state carried across invokes)
 * close to float and give byte-identical outputs in qopt's interpreter and real TFLite (tfjs-tflite,
 * builtin kernels), int8 and 16x8; quant-mixed (with a saved plan) quantizes the initialiser too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFunc, moduleFuncs } from '../../dialects/builtin/index.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';
import type { Operation } from '../../src/ir/operation.js';
import { elementType } from '../../src/ir/type.js';
import { findOps, walkPreOrder } from '../../src/ir/walk.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { TypedArray } from '../../src/interp/kernel.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import { writeNpy } from '../../src/io/npy.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerAll } from '../../tools/register.js';
import { isOracleAvailable, loadTfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { readRangeAttr } from '../../passes/lib/calibration/contract.js';
import { rangePointSkipReason } from '../../passes/lib/calibration/points.js';
import { VARIABLE_RANGE } from '../../passes/lib/calibration/variables.js';
import { type RecurrentModelConfig, buildRecurrentModel } from '../../passes/lib/unroll/build-model.js';
import { registerQuantMixed } from '../../passes/quant-mixed.js';
import { registerQuantPipelines } from '../../passes/quant-prepare.js';
import { registerTflPipelines } from '../../passes/tfl-unroll-lstm.js';
import { rng, sameBytes } from '../support/corpus.js';

registerAll();
registerTflPipelines();
registerQuantPipelines();
registerQuantMixed();

const scratch = mkdtempSync(join(tmpdir(), 'qopt-qvars-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LSTM: RecurrentModelConfig = { kind: 'lstm', batch: 2, time: 5, input: 3, cell: 4, randomState: true, seed: 7 };
const RNN: RecurrentModelConfig = { kind: 'rnn', batch: 2, time: 4, input: 3, cell: 5, randomState: true, seed: 9 };

function run(m: Operation, pipeline: string, flags: Record<string, unknown> = {}): string[] {
  const r = PassManager.fromPipeline(pipeline, { flags }).run(m);
  const msgs = r.diagnostics.filter((d) => d.severity !== 'remark').map(formatDiagnostic);
  if (!r.ok) throw new Error(msgs.join('\n'));
  return msgs;
}

/** The generated model, unrolled with its state in resource variables (keep-state=true). */
function unrolledModel(cfg: RecurrentModelConfig): Operation {
  const m = buildRecurrentModel(cfg);
  expect(run(m, 'tfl-unroll-lstm')).toEqual([]);
  return m;
}

function inputSize(cfg: RecurrentModelConfig): number {
  return cfg.batch * cfg.time * cfg.input;
}

function samples(cfg: RecurrentModelConfig, n: number, seed: number): Float32Array[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: inputSize(cfg) }, () => 2 * r() - 1));
}

let fileNo = 0;
function calibrationFile(cfg: RecurrentModelConfig, xs: readonly Float32Array[]): string {
  const data = new Float32Array(xs.length * inputSize(cfg));
  xs.forEach((x, i) => data.set(x, i * x.length));
  const p = join(scratch, `calib${fileNo++}.npy`);
  writeNpy(p, { dtype: 'f32', shape: [xs.length, cfg.batch, cfg.time, cfg.input], data });
  return p;
}

function minmax(r: [number, number] | undefined, a: ArrayLike<number>): [number, number] {
  let [lo, hi] = r ?? [Infinity, -Infinity];
  for (let i = 0; i < a.length; i++) {
    lo = Math.min(lo, a[i]!);
    hi = Math.max(hi, a[i]!);
  }
  return [lo, hi];
}

/** Ops of `func` that still compute on float tensors (the float interface ops excepted). */
function floatOps(func: Operation): string[] {
  const edge = new Set(['tfl.quantize', 'tfl.dequantize', 'func.return', 'tfl.pseudo_const']);
  const isF32 = (t: { kind: string }): boolean => (t.kind === 'tensor' || t.kind === 'unranked_tensor') && elementType(t as never).kind === 'float';
  const out: string[] = [];
  for (const op of walkPreOrder(func)) {
    if (op === func || edge.has(op.name)) continue;
    if (op.operands.some((o) => isF32(o.value.type)) || op.results.some((r) => isF32(r.type))) out.push(op.name);
  }
  return out;
}

describe('quant-calibrate: resource variable ranges', () => {
  it('records on every handle (main and initialiser) the range of the initial value and every value held', () => {
    const xs = samples(LSTM, 6, 3);
    const m = unrolledModel(LSTM);
    run(m, 'quant-insert-calibration,quant-calibrate', { calibrationData: calibrationFile(LSTM, xs) });
    // Independently: the fused model from each sample's fresh state; its variable state tensors
    // hold the initial state before and the final (assigned) state after the invoke.
    const fused = findFunc(buildRecurrentModel(LSTM), 'main')!;
    const want: ([number, number] | undefined)[] = [undefined, undefined];
    for (const x of xs) {
      const it = new Interpreter(fused, { kernels: registeredKernels(), keepAllTensors: true });
      const vars = () => [...it.tensors()].filter((t) => t.info.isVariable).map((t) => t.tensor.data as Float32Array);
      vars().forEach((d, k) => (want[k] = minmax(want[k], d)));
      it.run([x]);
      vars().forEach((d, k) => (want[k] = minmax(want[k], d)));
    }
    const handles = findOps(m, 'tfl.var_handle');
    expect(handles.length).toBe(4); // h and c, in @main and in the initialiser
    const byName = new Map<string, [number, number][]>();
    for (const h of handles) {
      const r = readRangeAttr(h.attr(VARIABLE_RANGE));
      expect(r, 'every handle carries the range').toBeDefined();
      const name = (h.attr('shared_name') as { value: string }).value;
      byName.set(name, [...(byName.get(name) ?? []), [r!.min, r!.max]]);
    }
    const got = [...byName.values()];
    expect(got.length).toBe(2);
    got.forEach((rs, k) => {
      expect(rs[0]).toEqual(rs[1]); // the same range in both functions
      const [lo, hi] = want[k]!;
      expect(rs[0]![0]).toBeCloseTo(lo, 4);
      expect(rs[0]![1]).toBeCloseTo(hi, 4);
    });
    // Re-running calibration leaves recorded ranges alone (and needs no data).
    const before = printOp(m);
    run(m, 'quant-calibrate');
    expect(printOp(m)).toBe(before);
  });

  it('reads get no stats point of their own (the range is the variable\'s)', () => {
    const m = unrolledModel(LSTM);
    run(m, 'quant-insert-calibration');
    const reads = findOps(m, 'tfl.read_variable');
    expect(reads.length).toBe(2);
    for (const r of reads) {
      expect(r.result(0).users().map((u) => u.name)).not.toContain('quantfork.stats');
      expect(rangePointSkipReason(r.result(0))).toBe("a resource variable's value (its range goes on the variable's handles)");
    }
  });

  it('state-ranges=false records none', () => {
    const m = unrolledModel(LSTM);
    run(m, 'quant-insert-calibration,quant-calibrate{state-ranges=false}', { calibrationData: calibrationFile(LSTM, samples(LSTM, 2, 4)) });
    expect(findOps(m, 'tfl.var_handle').some((h) => h.attr(VARIABLE_RANGE))).toBe(false);
  });
});

const VARS = `
module {
  func.func @main(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
    "tfl.call_once"() {init_subgraph_index = @init} : () -> ()
    %x = "quantfork.stats"(%arg0) {layerStats = dense<[-4.0, 4.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %h = "tfl.var_handle"() {shared_name = "state", qopt.variable_range = dense<[-1.0, 2.0]> : tensor<2xf32>} : () -> tensor<!tf_type.resource>
    %s = "tfl.read_variable"(%h) : (tensor<!tf_type.resource>) -> tensor<1x4xf32>
    %a = "tfl.add"(%s, %x) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %y = "quantfork.stats"(%a) {layerStats = dense<[-5.0, 6.0]> : tensor<2xf32>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    "tfl.assign_variable"(%h, %y) : (tensor<!tf_type.resource>, tensor<1x4xf32>) -> ()
    return %y : tensor<1x4xf32>
  }
  func.func private @init() {
    %h = "tfl.var_handle"() {shared_name = "state", qopt.variable_range = dense<[-1.0, 2.0]> : tensor<2xf32>} : () -> tensor<!tf_type.resource>
    %c = "tfl.pseudo_const"() {value = dense<0.5> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
    "tfl.assign_variable"(%h, %c) : (tensor<!tf_type.resource>, tensor<1x4xf32>) -> ()
    return
  }
}`;

describe('quant-prepare / quant-quantize: one type per variable', () => {
  it('reads give it, assigns take it (requantized), the initial value is stored in it, in both functions', () => {
    const m = parseSource(VARS, 'vars.mlir');
    expect(run(m, 'quant-prepare,quant-quantize,canonicalize')).toEqual([]);
    const v = 'tensor<1x4x!quant.uniform<i8:f32, 1.17647061124444e-02:-43>>'; // [-1, 2] -> 3/255 : -43
    const text = printOp(m);
    expect(text).not.toContain(VARIABLE_RANGE);
    const read = findOps(m, 'tfl.read_variable')[0]!;
    expect(printOp(read)).toContain(`-> ${v}`);
    const assigns = findOps(m, 'tfl.assign_variable');
    expect(assigns.length).toBe(2);
    for (const a of assigns) expect(printOp(a)).toContain(`tensor<!tf_type.resource>, ${v}) -> ()`);
    // @main: the add's result ([-5, 6]) is requantized to the variable's type before the assign.
    const stored = assigns[0]!.operand(1).definingOp!;
    expect(stored.name).toBe('tfl.quantize');
    expect(stored.operand(0).definingOp!.name).toBe('tfl.add');
    // @init: 0.5 stored as round(0.5 / (3/255)) - 43 = -1.
    const init = assigns[1]!.operand(1).definingOp!;
    expect(init.name).toBe('tfl.pseudo_qconst');
    expect(printOp(init)).toContain('dense<-1> : tensor<1x4xi8>');
    for (const f of moduleFuncs(m)) expect(floatOps(f), 'no float op left').toEqual([]);
    // The quantized model runs: the first invoke reads the stored initial value.
    const it = new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() });
    const y0 = it.run([new Float32Array([0, 1, -1, 2])])[0]!.data as Float32Array;
    const y1 = it.run([new Float32Array([0, 1, -1, 2])])[0]!.data as Float32Array;
    [0.5, 1.5, -0.5, 2.5].forEach((want, i) => expect(y0[i]).toBeCloseTo(want, 1));
    // Second invoke: the state is the first output clamped to the variable's range [-1, 2].
    [0.5, 2.5, -1.5, 4].forEach((want, i) => expect(y1[i]).toBeCloseTo(want, 1));
  });

  it('16x8: int16 variable type, zero point 0', () => {
    const m = parseSource(VARS, 'vars.mlir');
    expect(run(m, 'quant-prepare{mode=16x8},quant-quantize,canonicalize')).toEqual([]);
    const v = 'tensor<1x4x!quant.uniform<i16:f32, 6.103701889514923e-05>>'; // max(|-1|, 2) / 32767
    for (const a of findOps(m, 'tfl.assign_variable')) expect(printOp(a)).toContain(`, ${v}) -> ()`);
    expect(printOp(findOps(m, 'tfl.read_variable')[0]!)).toContain(`-> ${v}`);
  });

  it('a variable without a range stays float everywhere, with a warning naming it', () => {
    const m = parseSource(VARS.replaceAll(', qopt.variable_range = dense<[-1.0, 2.0]> : tensor<2xf32>', ''), 'vars.mlir');
    const msgs = run(m, 'quant-prepare,quant-quantize,canonicalize');
    expect(msgs.some((x) => x.includes("'tfl.read_variable' op stays float: the resource variable 'state' has no range"))).toBe(true);
    expect(printOp(findOps(m, 'tfl.read_variable')[0]!)).toContain('-> tensor<1x4xf32>');
    for (const a of findOps(m, 'tfl.assign_variable')) expect(printOp(a), 'the variable stays float').toContain('tensor<1x4xf32>) -> ()');
    // Still a consistent model: it runs.
    expect(() => new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() }).run([new Float32Array(4)])).not.toThrow();
  });

  it('denylisting a variable op keeps every variable float in every function', () => {
    const m = parseSource(VARS, 'vars.mlir');
    expect(run(m, 'quant-prepare{denylist=read_variable},quant-quantize,canonicalize')).toEqual([]);
    for (const a of findOps(m, 'tfl.assign_variable')) expect(printOp(a)).toContain('tensor<1x4xf32>) -> ()');
    // The float reads still have the variable's range: their consumer is quantized.
    expect(printOp(findOps(m, 'tfl.read_variable')[0]!)).toContain('-> tensor<1x4xf32>');
    expect(printOp(findOps(m, 'tfl.add')[0]!)).toContain('-> tensor<1x4x!quant.uniform<i8');
    expect(() => new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() }).run([new Float32Array(4)])).not.toThrow();
  });
});

// ---- end to end: the unrolled keep-state models ------------------------------------------------

/**
 * Calibration keeps the state across samples (quant-calibrate{keep-state}), as the model is used
 * streaming. Relative RMS error bounds against float over the invokes: the unrolled int8 LSTM
 * carries its cell state in int8 from step to step (the fused int8 LSTM keeps it in int16), so its
 * error grows with the steps streamed (observed 0.015 on the first invoke, 0.10 on the second).
 */
const MODES = [
  ['int8', 'quant-insert-calibration,quant-calibrate{keep-state=true},quant-prepare{mode=int8},quant-quantize,canonicalize', 0.15],
  // TFLite 2.12 lacks the op versions quantized_bias_type implies for 16x8 FC: not recorded here.
  ['16x8', 'quant-insert-calibration,quant-calibrate{keep-state=true},quant-prepare{mode=16x8 record-bias-type=false},quant-quantize,canonicalize', 0.01],
] as const;

describe('the unrolled keep-state model quantizes completely', () => {
  for (const [name, cfg] of [['LSTM', LSTM], ['RNN', RNN]] as const)
    for (const [mode, pipeline, tolerance] of MODES) {
      it(`${name} ${mode}: no warning, no float op, streams close to float and like real TFLite`, async () => {
        const m = unrolledModel(cfg);
        const floatModule = unrolledModel(cfg);
        expect(run(m, pipeline, { calibrationData: calibrationFile(cfg, samples(cfg, 16, 5)) })).toEqual([]);
        for (const f of moduleFuncs(m)) expect(floatOps(f), `float ops left in @${(f.attr('sym_name') as { value: string }).value}`).toEqual([]);
        const bytes = exportTflite(m);
        const back = importTflite(bytes, `${mode}.tflite`);
        // Streaming: three invokes carrying the state, then a reset.
        const xs = samples(cfg, 3, 11);
        const q = new Interpreter(findFunc(back, 'main')!, { kernels: registeredKernels() });
        const f = new Interpreter(findFunc(floatModule, 'main')!, { kernels: registeredKernels() });
        const ours: TypedArray[] = [];
        let se = 0;
        let sr = 0;
        for (const x of [...xs, xs[0]!]) {
          if (ours.length === xs.length) {
            q.reset();
            f.reset();
          }
          const y = q.run([x])[0]!.data as Float32Array;
          const want = f.run([x])[0]!.data as Float32Array;
          y.forEach((v, i) => {
            se += (v - want[i]!) ** 2;
            sr += want[i]! ** 2;
          });
          ours.push(y.slice());
        }
        expect(Math.sqrt(se / sr)).toBeLessThan(tolerance);
        // The state persists across invokes (invoke 1 differs from a fresh start on the same input);
        // a reset starts from the stored initial value again.
        const fresh = new Interpreter(findFunc(back, 'main')!, { kernels: registeredKernels() }).run([xs[1]!])[0]!.data;
        expect(sameBytes(fresh, ours[1]!)).toBe(false);
        expect(sameBytes(ours[3]!, ours[0]!)).toBe(true);
        if (!isOracleAvailable()) return;
        const oracle = await loadTfliteOracle();
        const runner = oracle.createRunner(bytes, { builtinOnly: true });
        try {
          xs.forEach((x, k) => expect(sameBytes(runner.run([x])[0]!, ours[k]!), `invoke ${k}`).toBe(true));
          runner.reset();
          expect(sameBytes(runner.run([xs[0]!])[0]!, ours[3]!), 'after reset').toBe(true);
        } finally {
          runner.dispose();
        }
      });
    }
});

describe('quant-mixed with a saved plan', () => {
  it('quantizes the variables and their initialiser alike (int8), so the model runs', () => {
    const plan = join(scratch, 'plan.json');
    writeFileSync(plan, JSON.stringify({ version: 1, func: 'main', tensors: {}, steps: [] }));
    const m = unrolledModel(LSTM);
    const msgs = run(m, `quant-insert-calibration,quant-calibrate,quant-mixed{use-plan=${plan}},canonicalize`, { calibrationData: calibrationFile(LSTM, samples(LSTM, 4, 6)) });
    expect(msgs).toEqual([]);
    for (const f of moduleFuncs(m)) expect(floatOps(f)).toEqual([]);
    const types = new Map<string, Set<string>>();
    for (const a of findOps(m, 'tfl.assign_variable')) {
      const name = (a.operand(0).definingOp!.attr('shared_name') as { value: string }).value;
      types.set(name, (types.get(name) ?? new Set()).add(printOp(a).split('tensor<!tf_type.resource>, ')[1]!));
    }
    expect(types.size).toBe(2);
    for (const t of types.values()) expect(t.size).toBe(1);
    const it = new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() });
    for (const x of samples(LSTM, 2, 8)) expect(() => it.run([x])).not.toThrow();
  });
});
