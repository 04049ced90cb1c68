/**
 * `tfl-unroll-lstm`: the unrolled form computes what the fused float kernels compute.
 *
 * Agreement criterion (float): every output element a (fused) and b (unrolled) satisfies
 * |a − b| ≤ 1e-5 · max(|a|, |b|, 0.01) — 1e-5 relative, with the relative scale floored at 0.01 so
 * that values near zero are held to 1e-7 absolute instead of an unbounded relative error. Observed
 * differences are a few float32 ulp (the fused kernel's sigmoid/tanh/1/sqrt round differently
 * from the logistic/tanh/rsqrt kernels).
 *
 * - generated models (IR built directly) for every variant, three invokes each with the state
 *   carried over (keep-state=false: the final state results are fed back as the next invoke's state
 *   arguments);
 * - structure: per-step/gate locations, shared weights, per-step biases, the resource-variable
 *   state form, diagnostics;
 * - real TFLite (tfjs-tflite): the exported unrolled model streams like the fused one;
 * - the mnist_lstm corpus model (skipped with NO_CORPUS when absent).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseFullBytes } from '../../src/ir/attribute.js';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';
import { locName } from '../../src/ir/location.js';
import type { Operation } from '../../src/ir/operation.js';
import { f32, i8, tensorType, uniformQuantType, functionType } from '../../src/ir/type.js';
import { typeAttr } from '../../src/ir/attribute.js';
import { verify } from '../../src/ir/verify.js';
import { findOps, walkPreOrder } from '../../src/ir/walk.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { TypedArray } from '../../src/interp/kernel.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { findFunc } from '../../dialects/builtin/index.js';
import { tflKernels } from '../../dialects/tfl/kernels/index.js';
import { registerAll } from '../../tools/register.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { registerTflPipelines, tflUnrollLstmPass } from '../../passes/tfl-unroll-lstm.js';
import { type RecurrentModelConfig, buildRecurrentModel } from '../../passes/lib/unroll/build-model.js';
import { CORPUS_DIR, HAVE_CORPUS, NO_CORPUS } from '../support/corpus.js';

registerAll();
registerTflPipelines();

// ---- helpers ---------------------------------------------------------------------------------

const RECURRENT = /^tfl\.(unidirectional_sequence_lstm|bidirectional_sequence_lstm|unidirectional_sequence_rnn)$/;

function mainOf(m: Operation): Operation {
  const f = findFunc(m, 'main');
  if (!f) throw new Error('no @main');
  return f;
}

function recurrentOp(m: Operation): Operation {
  const op = [...walkPreOrder(m)].find((o) => RECURRENT.test(o.name));
  if (!op) throw new Error('no recurrent op');
  return op;
}

/** The initial state values of the fused op, in state-operand order (h, c per direction). */
function initialStates(m: Operation): Float32Array[] {
  const op = recurrentOp(m);
  const idx = op.name === 'tfl.bidirectional_sequence_lstm' ? [35, 36, 37, 38] : op.name === 'tfl.unidirectional_sequence_rnn' ? [4] : [18, 19];
  return idx.map((i) => {
    const a = op.operand(i).definingOp!.attr('value');
    if (a?.kind !== 'dense') throw new Error('state is not a constant');
    const b = denseFullBytes(a);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  });
}

function run(m: Operation, pipeline: string): { ok: boolean; messages: string[] } {
  const r = PassManager.fromPipeline(pipeline).run(m);
  return { ok: r.ok, messages: r.diagnostics.map(formatDiagnostic) };
}

function unrolled(m: Operation, options = ''): Operation {
  const r = run(m, `tfl-unroll-lstm${options ? `{${options}}` : ''}`);
  expect(r.messages).toEqual([]);
  expect(r.ok).toBe(true);
  return m;
}

function inputsFor(interp: Interpreter, invoke: number): Float32Array[] {
  return interp.inputs.map((t, k) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.37 + k * 0.71 + invoke * 2.3) * (1 + (i % 3) * 0.4));
  });
}

/** The agreement criterion of this file (see the header). */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): number {
  expect(b.length, what).toBe(a.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const scale = Math.max(Math.abs(x), Math.abs(y), 0.01);
    const rel = Math.abs(x - y) / scale;
    if (!(rel <= 1e-5)) throw new Error(`${what}[${i}]: fused ${x} vs unrolled ${y} (relative ${rel})`);
    worst = Math.max(worst, rel);
  }
  return worst;
}

/**
 * Runs the fused model and its keep-state=false unrolling for `invokes` invokes with the state
 * carried over, comparing every output. Returns the worst relative difference.
 */
function compareFusedAndUnrolled(cfg: RecurrentModelConfig, invokes = 3): number {
  const fused = buildRecurrentModel(cfg);
  const unr = unrolled(buildRecurrentModel(cfg), 'keep-state=false');
  expect(verify(unr)).toEqual([]);
  expect(findOps(unr, recurrentOp(fused).name)).toHaveLength(0);
  const fi = new Interpreter(mainOf(fused), { kernels: tflKernels });
  const ui = new Interpreter(mainOf(unr), { kernels: tflKernels });
  let state: TypedArray[] = initialStates(fused);
  expect(ui.inputs).toHaveLength(fi.inputs.length + state.length);
  let worst = 0;
  for (let k = 0; k < invokes; k++) {
    const xs = inputsFor(fi, k);
    const y1 = fi.run(xs);
    const y2 = ui.run([...xs, ...state]);
    expect(y2).toHaveLength(y1.length + state.length);
    y1.forEach((t, o) => (worst = Math.max(worst, expectClose(t.data as Float32Array, y2[o]!.data as Float32Array, `invoke ${k} output ${o}`))));
    state = y2.slice(y1.length).map((t) => t.data);
  }
  return worst;
}

// ---- variants ----------------------------------------------------------------------------------

const BASE = { batch: 2, time: 5, input: 3, cell: 4 } as const;

const VARIANTS: readonly [string, RecurrentModelConfig][] = [
  ['lstm plain batch-major', { kind: 'lstm', ...BASE }],
  ['lstm time-major', { kind: 'lstm', ...BASE, timeMajor: true, randomState: true }],
  ['lstm peephole', { kind: 'lstm', ...BASE, peephole: true, randomState: true }],
  ['lstm CIFG', { kind: 'lstm', ...BASE, cifg: true }],
  ['lstm CIFG + peephole', { kind: 'lstm', ...BASE, cifg: true, peephole: true, timeMajor: true }],
  ['lstm projection without bias', { kind: 'lstm', ...BASE, projection: true, output: 3 }],
  ['lstm projection with bias', { kind: 'lstm', ...BASE, projection: true, projectionBias: true, output: 5 }],
  ['lstm layer norm', { kind: 'lstm', ...BASE, layerNorm: true, randomState: true }],
  ['lstm layer norm + CIFG + peephole + projection', { kind: 'lstm', ...BASE, layerNorm: true, cifg: true, peephole: true, projection: true, projectionBias: true, output: 3 }],
  ['lstm cell clip', { kind: 'lstm', ...BASE, cellClip: 0.3, randomState: true }],
  ['lstm cell clip 1 (relu_n1_to_1)', { kind: 'lstm', ...BASE, cellClip: 1, weightScale: 2 }],
  ['lstm projection clip', { kind: 'lstm', ...BASE, projection: true, projectionBias: true, output: 3, projClip: 0.2, cellClip: 2 }],
  ['lstm RELU', { kind: 'lstm', ...BASE, activation: 'RELU' }],
  ['lstm RELU6', { kind: 'lstm', ...BASE, activation: 'RELU6', weightScale: 3 }],
  ['lstm RELU_N1_TO_1', { kind: 'lstm', ...BASE, activation: 'RELU_N1_TO_1' }],
  ['lstm SIGMOID', { kind: 'lstm', ...BASE, activation: 'SIGMOID' }],
  ['lstm NONE', { kind: 'lstm', ...BASE, activation: 'NONE' }],
  ['lstm batch 1, one step', { kind: 'lstm', batch: 1, time: 1, input: 2, cell: 3 }],
  ['bidi separate outputs (time-major)', { kind: 'bidi_lstm', ...BASE, randomState: true }],
  ['bidi merged outputs, batch-major', { kind: 'bidi_lstm', ...BASE, timeMajor: false, mergeOutputs: true, peephole: true }],
  ['bidi CIFG + projection, merged', { kind: 'bidi_lstm', ...BASE, cifg: true, projection: true, projectionBias: true, output: 2, mergeOutputs: true, cellClip: 0.7 }],
  ['bidi cross-linked aux input', { kind: 'bidi_lstm', ...BASE, aux: 'cross' }],
  ['bidi non-stacking aux input', { kind: 'bidi_lstm', ...BASE, aux: 'nonstacking', mergeOutputs: true }],
  ['rnn TANH', { kind: 'rnn', ...BASE, randomState: true }],
  ['rnn RELU time-major', { kind: 'rnn', ...BASE, activation: 'RELU', timeMajor: true }],
  ['rnn NONE', { kind: 'rnn', ...BASE, activation: 'NONE', weightScale: 0.3 }],
];

describe('tfl-unroll-lstm: unrolled == fused on the interpreter (float, 1e-5 relative)', () => {
  it.each(VARIANTS)('%s', (_name, cfg) => {
    const worst = compareFusedAndUnrolled({ ...cfg, seed: 11 });
    expect(worst).toBeLessThan(1e-5);
  });

  it('1,000 time steps of a small LSTM unroll, verify, run and export', () => {
    const cfg: RecurrentModelConfig = { kind: 'lstm', batch: 1, time: 1000, input: 2, cell: 3, peephole: true, seed: 5 };
    compareFusedAndUnrolled(cfg, 1);
    const m = unrolled(buildRecurrentModel(cfg));
    expect(verify(m)).toEqual([]);
    const bytes = exportTflite(m);
    expect(bytes.length).toBeGreaterThan(0);
    // Biases: one copy per step and gate, all stored in one buffer per distinct value.
    expect(findOps(m, 'tfl.pseudo_const').filter((c) => c.attr('tfl.unroll_step') !== undefined)).toHaveLength(4000);
  });
});

describe('tfl-unroll-lstm: structure', () => {
  it('names every step and gate after the op location', () => {
    const m = unrolled(buildRecurrentModel({ kind: 'lstm', ...BASE, peephole: true }), 'keep-state=false');
    const names = new Set([...walkPreOrder(m)].map((o) => locName(o.loc)).filter((n): n is string => !!n));
    for (const n of [
      'lstm/step0/input_gate',
      'lstm/step3/forget_gate',
      'lstm/step3/forget_gate/input',
      'lstm/step3/forget_gate/recurrent',
      'lstm/step3/forget_gate/peephole',
      'lstm/step4/cell_gate',
      'lstm/step4/output_gate',
      'lstm/step2/cell_state',
      'lstm/step2/output',
      'lstm/output',
    ])
      expect(names, n).toContain(n);
    const gate = [...walkPreOrder(m)].find((o) => locName(o.loc) === 'lstm/step3/forget_gate')!;
    expect(gate.name).toBe('tfl.logistic');
    const unpack = findOps(m, 'tfl.unpack')[0]!;
    expect(unpack.loc.kind).toBe('fused');
  });

  it('shares weights across steps and copies biases per step (tensorflow#37023)', () => {
    const m = unrolled(buildRecurrentModel({ kind: 'lstm', ...BASE }));
    const fcs = findOps(m, 'tfl.fully_connected');
    expect(fcs).toHaveLength(4 * 2 * BASE.time);
    const inputFcs = fcs.filter((f) => f.operand(2).type.kind !== 'none');
    expect(inputFcs).toHaveLength(4 * BASE.time);
    // One weight constant per gate, used by every step.
    expect(new Set(inputFcs.map((f) => f.operand(1))).size).toBe(4);
    // One bias constant per step and gate, marked with its step.
    const biases = inputFcs.map((f) => f.operand(2).definingOp!);
    expect(new Set(biases).size).toBe(4 * BASE.time);
    expect(biases.map((b) => b.attr('tfl.unroll_step'))).not.toContain(undefined);
    // CSE keeps them apart.
    expect(run(m, 'cse').ok).toBe(true);
    expect(new Set(findOps(m, 'tfl.fully_connected').filter((f) => f.operand(2).type.kind !== 'none').map((f) => f.operand(2))).size).toBe(4 * BASE.time);
    // per-step-biases=false shares them.
    const s = unrolled(buildRecurrentModel({ kind: 'lstm', ...BASE }), 'per-step-biases=false');
    const shared = findOps(s, 'tfl.fully_connected').filter((f) => f.operand(2).type.kind !== 'none');
    expect(new Set(shared.map((f) => f.operand(2))).size).toBe(4);
  });

  it('keep-state=true: resource variables read before, assigned after, initialised once by call_once', () => {
    const m = unrolled(buildRecurrentModel({ kind: 'lstm', ...BASE, randomState: true }));
    expect(verify(m)).toEqual([]);
    const main = mainOf(m);
    const body = main.regions[0]!.blocks[0]!;
    expect(body.first!.name).toBe('tfl.call_once');
    const init = findFunc(m, 'main_unroll_state_init')!;
    expect(init).toBeDefined();
    const handles = findOps(main, 'tfl.var_handle').map((h) => (h.attr('shared_name') as { value: string }).value);
    expect(handles.sort()).toEqual(['lstm/activation_state', 'lstm/cell_state']);
    expect(findOps(main, 'tfl.read_variable')).toHaveLength(2);
    expect(findOps(main, 'tfl.assign_variable')).toHaveLength(2);
    expect(findOps(init, 'tfl.assign_variable')).toHaveLength(2);
    // The variable constants moved into the initialiser, their values unchanged.
    expect(findOps(main, 'tfl.pseudo_const').filter((c) => c.attr('tfl.is_variable'))).toHaveLength(0);
    // The function signature is unchanged.
    expect(main.attr('function_type')).toBe(mainOf(buildRecurrentModel({ kind: 'lstm', ...BASE, randomState: true })).attr('function_type'));
    // Prints and re-parses to the same text.
    const text = printOp(m);
    expect(printOp(parseSource(text, 'x.mlir'))).toBe(text);
  });

  it('keep-state=false: state becomes trailing arguments and results, named after the op', () => {
    const m = unrolled(buildRecurrentModel({ kind: 'bidi_lstm', ...BASE }), 'keep-state=false');
    const main = mainOf(m);
    const args = main.regions[0]!.blocks[0]!.args;
    expect(args.map((a) => locName(a.loc))).toEqual(['input', 'lstm/fw/activation_state', 'lstm/fw/cell_state', 'lstm/bw/activation_state', 'lstm/bw/cell_state']);
    const ft = main.attr('function_type');
    expect(ft?.kind === 'type' && ft.value.kind === 'function' ? ft.value.results.length : -1).toBe(2 + 4);
  });

  it('several ops on one state see each other in program order', () => {
    // Two LSTMs sharing their state constants: the second starts where the first ended.
    const a = buildRecurrentModel({ kind: 'lstm', ...BASE, seed: 3 });
    const main = mainOf(a);
    const op = recurrentOp(a);
    const ret = main.regions[0]!.blocks[0]!.last!;
    const second = op.clone();
    second.setOperand(0, op.operand(0));
    main.regions[0]!.blocks[0]!.insertBefore(second, ret);
    ret.setOperands([second.result(0)]);
    const b = unrolled(a.clone(), 'keep-state=false');
    const fi = new Interpreter(main, { kernels: tflKernels });
    const ui = new Interpreter(mainOf(b), { kernels: tflKernels });
    const xs = inputsFor(fi, 0);
    const zeros = initialStates(a);
    const y1 = fi.run(xs);
    const y2 = ui.run([...xs, ...zeros]);
    expect(ui.inputs).toHaveLength(3);
    expectClose(y1[0]!.data as Float32Array, y2[0]!.data as Float32Array, 'second LSTM');
    const r = unrolled(a, 'keep-state=true');
    expect(findOps(mainOf(r), 'tfl.var_handle').length).toBe(4);
    expect(findOps(findFunc(r, 'main_unroll_state_init')!, 'tfl.assign_variable')).toHaveLength(2);
  });

  it('dynamic time dimension: refused without max-steps, pinned to max-steps with it', () => {
    const cfg: RecurrentModelConfig = { kind: 'lstm', ...BASE, dynamicTime: true };
    const r = run(buildRecurrentModel(cfg), 'tfl-unroll-lstm');
    expect(r.ok).toBe(false);
    expect(r.messages.join('\n')).toMatch(/loc\("lstm"\).*cannot unroll 'tfl.unidirectional_sequence_lstm': the time dimension is dynamic; give max-steps=N/);
    const m = buildRecurrentModel(cfg);
    const ok = run(m, 'tfl-unroll-lstm{max-steps=4}');
    expect(ok.ok).toBe(true);
    expect(ok.messages.join('\n')).toMatch(/remark: unrolling a dynamic time dimension as exactly 4 steps/);
    expect(verify(m)).toEqual([]);
    expect(findOps(m, 'tfl.unpack')[0]!.results).toHaveLength(4);
    expect(findOps(m, 'tfl.reshape').length).toBe(2); // pin the input, restore the result type
  });

  it('the unroll alias runs the pass', () => {
    const m = buildRecurrentModel({ kind: 'rnn', ...BASE });
    expect(run(m, 'unroll').ok).toBe(true);
    expect(findOps(m, 'tfl.unidirectional_sequence_rnn')).toHaveLength(0);
    expect(tflUnrollLstmPass.anchor).toBe('builtin.module');
  });
});

describe('tfl-unroll-lstm: diagnostics at the op', () => {
  const expectRefused = (m: Operation, pipeline: string, re: RegExp): void => {
    const before = printOp(m);
    const r = run(m, pipeline);
    expect(r.ok).toBe(false);
    expect(r.messages.join('\n')).toMatch(re);
    expect(printOp(m)).toBe(before); // nothing changed
  };

  it('more time steps than max-steps', () => {
    expectRefused(buildRecurrentModel({ kind: 'lstm', ...BASE }), 'tfl-unroll-lstm{max-steps=3}', /loc\("lstm"\): error: cannot unroll 'tfl.unidirectional_sequence_lstm': the sequence has 5 time steps, more than max-steps=3/);
  });

  it('quantized LSTM', () => {
    const m = buildRecurrentModel({ kind: 'lstm', ...BASE });
    const main = mainOf(m);
    const arg = main.regions[0]!.blocks[0]!.args[0]!;
    const q = tensorType([2, 5, 3], uniformQuantType(i8(), f32(), 0.05, 0));
    arg.type = q;
    main.setAttr('function_type', typeAttr(functionType([q], [tensorType([2, 5, 4], f32())])));
    expectRefused(m, 'tfl-unroll-lstm', /cannot unroll 'tfl.unidirectional_sequence_lstm': only float32 recurrent ops can be unrolled, but the input is tensor<2x5x3x!quant.uniform> \(quantized and hybrid LSTMs are not supported/);
  });

  it('SIGN_BIT activation', () => {
    expectRefused(buildRecurrentModel({ kind: 'lstm', ...BASE, activation: 'SIGN_BIT' }), 'tfl-unroll-lstm', /fused_activation_function SIGN_BIT cannot be unrolled/);
  });

  it('keep-state=true with a state that is not a constant', () => {
    const m = buildRecurrentModel({ kind: 'lstm', ...BASE });
    const main = mainOf(m);
    const op = recurrentOp(m);
    const block = main.regions[0]!.blocks[0]!;
    const h = block.addArgument(op.operand(18).type, { kind: 'unknown' });
    op.setOperand(18, h);
    const ft = main.attr('function_type');
    if (ft?.kind !== 'type' || ft.value.kind !== 'function') throw new Error('no function type');
    main.setAttr('function_type', typeAttr(functionType(block.args.map((a) => a.type), ft.value.results)));
    expectRefused(m, 'tfl-unroll-lstm', /with keep-state=true every state operand must be a \(variable\) constant/);
    // keep-state=false takes it as it is (and returns the final state).
    expect(run(m, 'tfl-unroll-lstm{keep-state=false}').ok).toBe(true);
    expect(main.regions[0]!.blocks[0]!.args).toHaveLength(3); // input, h (given), c (new)
  });

  it('the int8 corpus LSTM', () => {
    if (!HAVE_CORPUS) return console.log(NO_CORPUS);
    const m = importTflite(new Uint8Array(readFileSync(path.join(CORPUS_DIR, 'mnist_lstm/trained_lstm_int8.tflite'))), 'int8.tflite');
    const r = run(m, 'tfl-unroll-lstm');
    expect(r.ok).toBe(false);
    expect(r.messages.join('\n')).toMatch(/only float32 recurrent ops can be unrolled/);
  });
});

// ---- real TFLite --------------------------------------------------------------------------------

describe.skipIf(!isOracleAvailable())('tfl-unroll-lstm: exported unrolled models in real TFLite (tfjs-tflite)', () => {
  let oracle: TfliteOracle;
  beforeAll(async () => {
    oracle = await loadTfliteOracle();
  });

  const STREAMING: readonly [string, RecurrentModelConfig][] = [
    ['lstm peephole', { kind: 'lstm', ...BASE, peephole: true, randomState: true }],
    ['lstm CIFG + layer norm + projection + clips, time-major', { kind: 'lstm', ...BASE, cifg: true, layerNorm: true, projection: true, projectionBias: true, output: 3, cellClip: 0.5, projClip: 0.4, timeMajor: true }],
    ['bidi merged', { kind: 'bidi_lstm', ...BASE, mergeOutputs: true }],
    ['rnn', { kind: 'rnn', ...BASE }],
  ];

  it.each(STREAMING)('keep-state=true streams like the fused op: %s', (_n, cfg) => {
    const fused = buildRecurrentModel({ ...cfg, seed: 21 });
    const m = unrolled(buildRecurrentModel({ ...cfg, seed: 21 }));
    const runner = oracle.createRunner(exportTflite(m));
    const fi = new Interpreter(mainOf(fused), { kernels: tflKernels });
    for (let k = 0; k < 3; k++) {
      const xs = inputsFor(fi, k);
      const y1 = fi.run(xs);
      const y2 = runner.run(xs);
      y1.forEach((t, o) => expectClose(t.data as Float32Array, y2[o] as Float32Array, `invoke ${k} output ${o}`));
    }
    // A new interpreter starts from the stored state again.
    runner.reset();
    const fresh = new Interpreter(mainOf(buildRecurrentModel({ ...cfg, seed: 21 })), { kernels: tflKernels });
    const xs = inputsFor(fresh, 0);
    expectClose(fresh.run(xs)[0]!.data as Float32Array, runner.run(xs)[0] as Float32Array, 'after reset');
    runner.dispose();
  });

  it('keep-state=false: TFLite and the qopt interpreter agree on the unrolled model (1e-5)', () => {
    const cfg: RecurrentModelConfig = { kind: 'lstm', ...BASE, layerNorm: true, peephole: true, seed: 4, randomState: true };
    const m = unrolled(buildRecurrentModel(cfg), 'keep-state=false');
    const runner = oracle.createRunner(exportTflite(m));
    const ui = new Interpreter(mainOf(m), { kernels: tflKernels });
    const xs = [...inputsFor(ui, 0).slice(0, 1), ...initialStates(buildRecurrentModel(cfg))];
    const a = ui.run(xs);
    const b = runner.run(xs);
    a.forEach((t, o) => expectClose(t.data as Float32Array, b[o] as Float32Array, `output ${o}`));
    runner.dispose();
  });
});

// ---- corpus -------------------------------------------------------------------------------------

function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

function mnistSample(d: number): Float32Array {
  const png = PNG.sync.read(readFileSync(path.join(CORPUS_DIR, `mnist_lstm/samples/sample${d}.png`)));
  const x = new Float32Array(784);
  for (let i = 0; i < 784; i++) x[i] = png.data[i * 4]! / 255; // pngjs expands gray to RGBA
  return x;
}

describe('tfl-unroll-lstm: mnist_lstm/trained_lstm.tflite', () => {
  const file = (): Uint8Array => new Uint8Array(readFileSync(path.join(CORPUS_DIR, 'mnist_lstm/trained_lstm.tflite')));

  it('unrolled (keep-state=false) == fused and classifies the 10 samples', () => {
    if (!HAVE_CORPUS) return console.log(NO_CORPUS);
    const fused = importTflite(file(), 'trained_lstm.tflite');
    const state = initialStates(fused);
    const m = unrolled(importTflite(file(), 'trained_lstm.tflite'), 'keep-state=false');
    expect(verify(m)).toEqual([]);
    expect(findOps(m, 'tfl.unpack')[0]!.results).toHaveLength(28);
    const ui = new Interpreter(mainOf(m), { kernels: tflKernels });
    for (let d = 0; d <= 9; d++) {
      const x = mnistSample(d);
      // A fresh interpreter per image: the fused LSTM's state starts from zero every time.
      const y1 = new Interpreter(mainOf(fused), { kernels: tflKernels }).run([x])[0]!.data as Float32Array;
      const y2 = ui.run([x, ...state])[0]!.data as Float32Array;
      expectClose(y1, y2, `sample ${d}`);
      expect(argmax(y2)).toBe(d);
    }
  });

  it.skipIf(!isOracleAvailable())('unrolled (keep-state=true) exports and classifies the samples in real TFLite', async () => {
    if (!HAVE_CORPUS) return console.log(NO_CORPUS);
    const oracle = await loadTfliteOracle();
    const fused = importTflite(file(), 'trained_lstm.tflite');
    const m = unrolled(importTflite(file(), 'trained_lstm.tflite'));
    const runner = oracle.createRunner(exportTflite(m), { freshStatePerRun: true });
    for (let d = 0; d <= 9; d++) {
      const x = mnistSample(d);
      const y1 = new Interpreter(mainOf(fused), { kernels: tflKernels }).run([x])[0]!.data as Float32Array;
      const y2 = runner.run([x])[0] as Float32Array;
      expectClose(y1, y2, `sample ${d}`);
      expect(argmax(y2)).toBe(d);
    }
    runner.dispose();
  });
});
