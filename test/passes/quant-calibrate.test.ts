// quant-calibrate: ranges from running the float model over a dataset (exact min/max and moving
// average on a hand-checked model, histogram methods, LSTM states and intermediates), the errors
// (no data, tensors without data, NaN), default-range, the quantfork.stats kernel, the progress bar,
// and the mnist LSTM corpus model with its 10 PNG samples.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantKernels } from '../../dialects/quant/kernels.js';
import { StatisticsOp } from '../../dialects/quant/ops.js';
import { LAYER_STATS, METHOD_ATTR, OBSERVED_ATTR, STATS_OP, readRangeAttr, valueRange } from '../../passes/lib/calibration/contract.js';
import { quantCalibratePass } from '../../passes/quant-calibrate.js';
import { quantInsertCalibrationPass } from '../../passes/quant-insert-calibration.js';
import { memoryIO, type QoptIO } from '../../src/driver/io.js';
import { runQopt } from '../../src/driver/qopt-main.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { registerKernels, registeredKernels } from '../../src/interp/kernel-registry.js';
import { encodeNpy } from '../../src/io/npy.js';
import { type Diagnostic, formatDiagnostic } from '../../src/ir/diagnostic.js';
import { locName } from '../../src/ir/location.js';
import type { Operation } from '../../src/ir/operation.js';
import { elementType } from '../../src/ir/type.js';
import { verify } from '../../src/ir/verify.js';
import { walkPreOrder } from '../../src/ir/walk.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { registerPass } from '../../src/pass/registry.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerAll } from '../../tools/register.js';
import { CORPUS_DIR, HAVE_CORPUS, NO_CORPUS, readCorpus } from '../support/corpus.js';

let dir = '';

beforeAll(() => {
  registerAll();
  registerKernels(quantKernels);
  registerPass(quantInsertCalibrationPass);
  registerPass(quantCalibratePass);
  // Stats ops without a range exist between quant-insert-calibration and quant-calibrate; until
  // dialects/quant/ops.ts declares layerStats optional, make it so here (a no-op once it does).
  const spec = StatisticsOp.attrs.layerStats as { optional?: boolean };
  if (!spec.optional) spec.optional = true;
  dir = mkdtempSync(join(tmpdir(), 'qopt-calibrate-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes an f32 .npy in the temp folder; returns its path. */
function npy(name: string, shape: number[], values: number[]): string {
  const p = join(dir, name);
  writeFileSync(p, encodeNpy({ dtype: 'f32', shape, data: Float32Array.from(values) }, p));
  return p;
}

interface Run {
  module: Operation;
  ok: boolean;
  diagnostics: Diagnostic[];
  errors: string[];
  remarks: string[];
}

function runOn(module: Operation, pipeline: string, flags: Record<string, unknown> = {}): Run {
  const r = PassManager.fromPipeline(pipeline, { flags }).run(module);
  return {
    module,
    ok: r.ok,
    diagnostics: r.diagnostics,
    errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    remarks: r.diagnostics.filter((d) => d.severity === 'remark').map((d) => d.message),
  };
}

const PIPELINE = 'func.func(quant-insert-calibration),quant-calibrate';

function calibrate(src: string, options = '', flags: Record<string, unknown> = {}): Run {
  return runOn(parseSource(src, 'in.mlir'), `func.func(quant-insert-calibration),quant-calibrate${options ? `{${options}}` : ''}`, flags);
}

/** Stats ops by the location name of the value they record. */
function statsByName(m: Operation): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const op of walkPreOrder(m)) if (op.name === STATS_OP) out.set(locName(op.loc) ?? '?', op);
  return out;
}

function rangeOf(m: Operation, name: string): { min: number; max: number } | undefined {
  const s = statsByName(m).get(name);
  return s ? readRangeAttr(s.attr(LAYER_STATS)) : undefined;
}

const SMALL = `
func.func @main(%arg0: tensor<1x3xf32> loc("x")) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = "tfl.pseudo_const"() {value = dense<[[1.0, -1.0, 0.5], [2.0, 0.0, -1.0]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %b = "tfl.pseudo_const"() {value = dense<[0.25, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %fc = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc")
  %relu = "tfl.relu"(%fc) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("relu")
  %t = "tfl.tanh"(%fc) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("tanh")
  return %relu, %t : tensor<1x2xf32>, tensor<1x2xf32>
}`;

// Samples x: fc = W x + b = [0.75, -1.5], [-0.25, -3.5], [4.75, -3.5], [0.25, -0.5].
const SMALL_DATA = [1, 2, 3, -1, 0, 1, 0.5, -2, 4, 0, 0, 0];

describe('quant-calibrate on a small model', () => {
  it('records exact min/max ranges, the observed range and the method', () => {
    const data = npy('small.npy', [4, 1, 3], SMALL_DATA);
    const r = calibrate(SMALL, 'report=0', { calibrationData: data });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect([...statsByName(r.module).keys()]).toEqual(['x', 'fc', 'relu']);
    expect(rangeOf(r.module, 'x')).toEqual({ min: -2, max: 4 });
    expect(rangeOf(r.module, 'fc')).toEqual({ min: -3.5, max: 4.75 });
    expect(rangeOf(r.module, 'relu')).toEqual({ min: 0, max: 4.75 });
    const fc = statsByName(r.module).get('fc')!;
    expect(readRangeAttr(fc.attr(OBSERVED_ATTR))).toEqual({ min: -3.5, max: 4.75 });
    expect(fc.attr(METHOD_ATTR)).toMatchObject({ kind: 'string', value: 'minmax' });
    expect(verify(r.module)).toEqual([]);
    expect(printOp(r.module)).toContain('layerStats = dense<[-3.500000e+00, 4.750000e+00]> : tensor<2xf32>');
  });

  it('moving average follows m += c (batch - m)', () => {
    const data = npy('small-ema.npy', [4, 1, 3], SMALL_DATA);
    const r = calibrate(SMALL, 'method=moving-average averaging-constant=0.5 report=0', { calibrationData: data });
    expect(r.ok).toBe(true);
    // x batch (min, max): (1, 3), (-1, 1), (-2, 4), (0, 0).
    expect(rangeOf(r.module, 'x')).toEqual({ min: -0.5, max: 1.5 });
    expect(readRangeAttr(statsByName(r.module).get('x')!.attr(OBSERVED_ATTR))).toEqual({ min: -2, max: 4 });
  });

  it('histogram methods stay inside the observed range; max-samples and data= work', () => {
    const data = npy('small-h.npy', [4, 1, 3], SMALL_DATA);
    for (const method of ['percentile', 'mse', 'kl']) {
      const r = calibrate(SMALL, `method=${method} num-bins=64 bits=8 report=0 data=${data}`);
      expect(r.errors).toEqual([]);
      const fc = rangeOf(r.module, 'fc')!;
      expect(fc.min).toBeGreaterThanOrEqual(-3.5);
      expect(fc.max).toBeLessThanOrEqual(4.75);
      expect(fc.min).toBeLessThanOrEqual(fc.max);
    }
    const one = calibrate(SMALL, 'max-samples=1 report=0', { calibrationData: data });
    expect(rangeOf(one.module, 'fc')).toEqual({ min: -1.5, max: 0.75 });
  });

  it('reports the widest ranges as remarks', () => {
    const data = npy('small-r.npy', [4, 1, 3], SMALL_DATA);
    const r = calibrate(SMALL, 'report=2', { calibrationData: data });
    expect(r.remarks).toEqual([
      'quant-calibrate: fc: [-3.5, 4.75]',
      'quant-calibrate: x: [-2, 4]',
      `quant-calibrate: 3 range(s) from 4 sample(s) of ${data} (minmax)`,
    ]);
  });

  it('fails clearly without data, and needs none when every stats op has a range', () => {
    const r = calibrate(SMALL);
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual(['quant-calibrate: no calibration data (pass --calibration-data=FILE or data=FILE)']);
    const done = `
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.relu"(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "quantfork.stats"(%1) {layerStats = dense<[0.0, 1.0]> : tensor<2xf32>} : (tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}`;
    const m = parseSource(done, 'in.mlir');
    const before = printOp(m);
    const d = runOn(m, PIPELINE);
    expect(d.diagnostics).toEqual([]);
    expect(printOp(m)).toBe(before);
  });

  it('reports dataset and option problems', () => {
    expect(calibrate(SMALL, '', { calibrationData: join(dir, 'missing.npy') }).errors[0]).toMatch(/^quant-calibrate: .*missing\.npy: no such file or folder$/);
    const wrong = npy('wrong.npy', [2, 5], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(calibrate(SMALL, '', { calibrationData: wrong }).errors[0]).toMatch(/does not fit model input/);
    expect(calibrate(SMALL, 'bits=4', { calibrationData: wrong }).errors).toEqual(['quant-calibrate: bits must be 8 or 16, got 4']);
    const nan = npy('nan.npy', [2, 1, 3], [0, 1, 2, 3, NaN, 5]);
    expect(calibrate(SMALL, '', { calibrationData: nan }).errors).toEqual([
      `quant-calibrate: sample 1 of ${nan} gives a non-finite value (NaN) in x`,
    ]);
  });

  it('lists tensors left without a range, or gives them default-range', () => {
    const two = `${SMALL}
func.func @helper(%arg0: tensor<2xf32> loc("helper_in")) -> tensor<2xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<2xf32>) -> tensor<2xf32> loc("helper_relu")
  return %0 : tensor<2xf32>
}`;
    const data = npy('small-2.npy', [4, 1, 3], SMALL_DATA);
    const bad = calibrate(`module {${two}}`, 'report=0', { calibrationData: data });
    expect(bad.ok).toBe(false);
    expect(bad.errors).toEqual([
      'quant-calibrate: no range for 2 tensor(s) of @helper (give default-range=min,max to use a fixed one): helper_in, helper_relu',
    ]);
    const ok = calibrate(`module {${two}}`, 'report=0 default-range=-8,8', { calibrationData: data });
    expect(ok.errors).toEqual([]);
    expect(ok.remarks).toEqual(['quant-calibrate: 2 tensor(s) of @helper got default-range [-8, 8]: helper_in, helper_relu']);
    expect(rangeOf(ok.module, 'helper_relu')).toEqual({ min: -8, max: 8 });
    expect(rangeOf(ok.module, 'fc')).toEqual({ min: -3.5, max: 4.75 });
  });

  it('resolves a relative data path against the driver working folder and shows progress on a TTY', () => {
    npy('rel.npy', [4, 1, 3], SMALL_DATA);
    let err = '';
    const io = { ...memoryIO('', dir), isTTY: true, stderr: (t: string) => void (err += t) } as QoptIO;
    const r = calibrate(SMALL, 'report=0', { calibrationData: 'rel.npy', io });
    expect(r.errors).toEqual([]);
    expect(rangeOf(r.module, 'x')).toEqual({ min: -2, max: 4 });
    expect(err).toContain('calibrate [');
    expect(err).toContain('4/4 samples');
    let quiet = '';
    const tty = { ...memoryIO('', dir), isTTY: false, stderr: (t: string) => void (quiet += t) } as QoptIO;
    calibrate(SMALL, 'report=0', { calibrationData: 'rel.npy', io: tty });
    expect(quiet).toBe('');
  });

  it('runs from the qopt driver with --calibration-data', async () => {
    const data = npy('drv.npy', [4, 1, 3], SMALL_DATA);
    const model = join(dir, 'small.mlir');
    writeFileSync(model, SMALL);
    const io = memoryIO('', dir);
    const code = await runQopt([model, `--passes=${PIPELINE}{report=0}`, `--calibration-data=${data}`], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expect(io.out).toContain('"quantfork.stats"(%arg0) {layerStats = dense<[-2.000000e+00, 4.000000e+00]> : tensor<2xf32>');
  });
});

describe('quantfork.stats kernel', () => {
  it('is an identity for any dtype', () => {
    const m = parseSource(
      `func.func @main(%arg0: tensor<3xf32>, %arg1: tensor<2xi8>) -> (tensor<3xf32>, tensor<2xi8>) {
  %0 = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<3xf32>) -> tensor<3xf32>
  %1 = "quantfork.stats"(%arg1) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<2xi8>) -> tensor<2xi8>
  return %0, %1 : tensor<3xf32>, tensor<2xi8>
}`,
      'in.mlir',
    );
    const f = m.regions[0]!.blocks[0]!.first!;
    const it = new Interpreter(f, { kernels: registeredKernels() });
    const [a, b] = it.run([Float32Array.from([1.5, -2, 3]), Int8Array.from([-128, 127])]);
    expect(Array.from(a!.data as Float32Array)).toEqual([1.5, -2, 3]);
    expect(Array.from(b!.data as Int8Array)).toEqual([-128, 127]);
  });
});

/** A 1-unit LSTM over 2 steps of 1 feature: every weight and bias 0.5, no clipping. */
const LSTM = `
func.func @main(%arg0: tensor<1x2x1xf32> loc("x")) -> tensor<1x2x1xf32> {
  %w = "tfl.pseudo_const"() {value = dense<0.5> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %b = "tfl.pseudo_const"() {value = dense<0.5> : tensor<1xf32>} : () -> tensor<1xf32>
  %none = "tfl.no_value"() {value} : () -> none
  %h = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32> loc("h")
  %c = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32> loc("c")
  %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %w, %w, %w, %w, %w, %w, %w, %w, %none, %none, %none, %b, %b, %b, %b, %none, %none, %h, %c, %none, %none, %none, %none) {cell_clip = 0.0 : f32, fused_activation_function = "TANH", proj_clip = 0.0 : f32, time_major = false} : (tensor<1x2x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, none, none, none, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, none, none, tensor<1x1xf32>, tensor<1x1xf32>, none, none, none, none) -> tensor<1x2x1xf32> loc("lstm")
  return %0 : tensor<1x2x1xf32>
}`;

/** The 1-unit LSTM in doubles: the cell states and outputs of each step. */
function lstmRef(xs: number[], h0 = 0, c0 = 0): { c: number[]; h: number[] } {
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  let h = h0;
  let c = c0;
  const cs: number[] = [];
  const hs: number[] = [];
  for (const x of xs) {
    const a = 0.5 * x + 0.5 * h + 0.5;
    c = sig(a) * c + sig(a) * Math.tanh(a);
    h = sig(a) * Math.tanh(c);
    cs.push(c);
    hs.push(h);
  }
  return { c: cs, h: hs };
}

function span(values: number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

describe('quant-calibrate on an LSTM', () => {
  const samples = [
    [0.5, 1],
    [-3, 2],
  ];
  const close = (a: { min: number; max: number } | undefined, b: { min: number; max: number }): void => {
    expect(a).toBeDefined();
    expect(a!.min).toBeCloseTo(b.min, 5);
    expect(a!.max).toBeCloseTo(b.max, 5);
  };

  it('calibrates the states (reset per sample) and the hidden intermediate', () => {
    const data = npy('lstm.npy', [2, 1, 2, 1], samples.flat());
    const r = calibrate(LSTM, 'report=0', { calibrationData: data });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    const refs = samples.map((s) => lstmRef(s));
    const hs = refs.flatMap((x) => x.h);
    const cs = refs.flatMap((x) => x.c);
    close(rangeOf(r.module, 'lstm'), span(hs));
    const byName = new Map<string, Operation>();
    for (const op of walkPreOrder(r.module)) if (op.name === 'tfl.pseudo_const') byName.set(locName(op.loc) ?? '', op);
    // States: the initial 0 and every step.
    close(valueRange(byName.get('c')!.result(0)), span([0, ...cs]));
    close(valueRange(byName.get('h')!.result(0)), span([0, ...hs]));
    const lstm = [...walkPreOrder(r.module)].find((op) => op.name === 'tfl.unidirectional_sequence_lstm')!;
    const hidden = lstm.attr('effective_hidden_scale_intermediate');
    expect(hidden?.kind).toBe('type');
    const el = elementType((hidden as { value: Parameters<typeof elementType>[0] }).value);
    expect(el.kind).toBe('quant.calibrated');
    if (el.kind === 'quant.calibrated') close(el, span(hs));
    expect(lstm.attr('input_to_input_intermediate')).toBeUndefined(); // no layer norm
    expect(verify(r.module)).toEqual([]);
    // The calibrated model still runs.
    const f = r.module.regions[0]!.blocks[0]!.first!;
    const out = new Interpreter(f, { kernels: registeredKernels() }).run([Float32Array.from(samples[0]!)]);
    expect((out[0]!.data as Float32Array)[1]).toBeCloseTo(lstmRef(samples[0]!).h[1]!, 5);
  });

  it('keeps the state across samples with keep-state', () => {
    const data = npy('lstm-keep.npy', [2, 1, 2, 1], samples.flat());
    const r = calibrate(LSTM, 'keep-state=true report=0', { calibrationData: data });
    const first = lstmRef(samples[0]!);
    const second = lstmRef(samples[1]!, first.h[1], first.c[1]);
    close(rangeOf(r.module, 'lstm'), span([...first.h, ...second.h]));
  });

  it('needs no state ranges with state-ranges=false', () => {
    const data = npy('lstm-nostate.npy', [2, 1, 2, 1], samples.flat());
    const r = calibrate(LSTM, 'state-ranges=false report=0', { calibrationData: data });
    expect(r.errors).toEqual([]);
    expect(printOp(r.module)).not.toContain('quant.calibrated');
  });
});

describe('quant-calibrate on the mnist LSTM corpus model', () => {
  const model = 'mnist_lstm/trained_lstm.tflite';
  const samples = join(CORPUS_DIR, 'mnist_lstm', 'samples');

  function calibrateMnist(method: string): Run {
    const m = importTflite(readCorpus(model), model);
    return runOn(m, `${PIPELINE}{method=${method} report=0}`, { calibrationData: samples });
  }

  it.skipIf(!HAVE_CORPUS)('gives finite ordered ranges, deterministically, with every method', () => {
    for (const method of ['minmax', 'moving-average', 'percentile', 'mse', 'kl']) {
      const a = calibrateMnist(method);
      expect(a.diagnostics.map(formatDiagnostic), method).toEqual([]);
      const stats = [...walkPreOrder(a.module)].filter((op) => op.name === STATS_OP);
      expect(stats.length, method).toBe(3); // input, LSTM output, FC logits (softmax: fixed range)
      for (const s of stats) {
        const r = readRangeAttr(s.attr(LAYER_STATS))!;
        expect(Number.isFinite(r.min) && Number.isFinite(r.max), method).toBe(true);
        expect(r.min, method).toBeLessThanOrEqual(r.max);
        const o = readRangeAttr(s.attr(OBSERVED_ATTR))!;
        expect(r.min).toBeGreaterThanOrEqual(o.min);
        expect(r.max).toBeLessThanOrEqual(o.max);
      }
      const b = calibrateMnist(method);
      expect(printOp(b.module), method).toBe(printOp(a.module));
    }
  });

  it.skipIf(!HAVE_CORPUS)('records the LSTM cell state and hidden ranges', () => {
    const r = calibrateMnist('minmax');
    const text = printOp(r.module);
    // Input pixels p/255 over the 10 digits.
    expect(text).toContain('layerStats = dense<[0.000000e+00, 1.000000e+00]>');
    const lstm = [...walkPreOrder(r.module)].find((op) => op.name === 'tfl.unidirectional_sequence_lstm')!;
    const cell = valueRange(lstm.operand(19))!;
    const act = valueRange(lstm.operand(18))!;
    const out = valueRange(lstm.result(0))!;
    // tanh output: within (-1, 1); the activation state covers the output and its initial 0.
    expect(out.min).toBeGreaterThan(-1);
    expect(out.max).toBeLessThan(1);
    expect(act.min).toBeCloseTo(Math.min(0, out.min), 6);
    expect(act.max).toBeCloseTo(Math.max(0, out.max), 6);
    // The cell state leaves [-1, 1] but stays inside cell_clip = 10.
    expect(Math.max(-cell.min, cell.max)).toBeGreaterThan(1);
    expect(Math.max(-cell.min, cell.max)).toBeLessThanOrEqual(10);
  });

  if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
});

/** A dense f32 attribute of distinct values in [-0.6, 0.6] for a rank-1 or rank-2 shape. */
function weights(shape: number[], seed: number): string {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => ((((i * 7 + seed * 13) % 11) / 10 - 0.5) * 1.2).toFixed(3));
  if (shape.length === 1) return `dense<[${v.join(', ')}]> : tensor<${shape[0]}xf32>`;
  const rows = Array.from({ length: shape[0]! }, (_, r) => `[${v.slice(r * shape[1]!, (r + 1) * shape[1]!).join(', ')}]`);
  return `dense<[${rows.join(', ')}]> : tensor<${shape[0]}x${shape[1]}xf32>`;
}

/**
 * An LSTM with layer norm, peephole and projection (n_input 2, n_cell 3, n_output 2), optionally
 * CIFG (no input gate).
 */
function lnLstm(cifg: boolean): string {
  const t = (s: number[]): string => `tensor<${s.join('x')}xf32>`;
  const consts: string[] = [];
  const operands: string[] = ['%arg0'];
  const types: string[] = [t([1, 3, 2])];
  let k = 0;
  const add = (shape: number[] | undefined, extra = ''): void => {
    if (!shape) {
      operands.push('%none');
      types.push('none');
      return;
    }
    const name = `%k${k}`;
    consts.push(`  ${name} = "tfl.pseudo_const"() {${extra}value = ${extra ? `dense<0.0> : ${t(shape)}` : weights(shape, k)}} : () -> ${t(shape)}`);
    k++;
    operands.push(name);
    types.push(t(shape));
  };
  for (let g = 0; g < 4; g++) add(cifg && g === 0 ? undefined : [3, 2]); // input weights 1..4
  for (let g = 0; g < 4; g++) add(cifg && g === 0 ? undefined : [3, 2]); // recurrent weights 5..8
  add(cifg ? undefined : [3]); // peephole 9..11
  add([3]);
  add([3]);
  for (let g = 0; g < 4; g++) add(cifg && g === 0 ? undefined : [3]); // biases 12..15
  add([2, 3]); // projection 16
  add([2]); // projection bias 17
  add([1, 2], 'tfl.is_variable, '); // 18
  add([1, 3], 'tfl.is_variable, '); // 19
  for (let g = 0; g < 4; g++) add(cifg && g === 0 ? undefined : [3]); // layer norm 20..23
  return `
func.func @main(%arg0: tensor<1x3x2xf32> loc("x")) -> tensor<1x3x2xf32> {
  %none = "tfl.no_value"() {value} : () -> none
${consts.join('\n')}
  %0 = "tfl.unidirectional_sequence_lstm"(${operands.join(', ')}) {cell_clip = 0.0 : f32, fused_activation_function = "TANH", proj_clip = 0.0 : f32, time_major = false} : (${types.join(', ')}) -> tensor<1x3x2xf32> loc("lstm")
  return %0 : tensor<1x3x2xf32>
}`;
}

describe('quant-calibrate on layer-norm LSTMs', () => {
  for (const cifg of [false, true]) {
    it(`follows the kernel (peephole, projection, layer norm${cifg ? ', CIFG' : ''})`, () => {
      const xs = [0.9, -0.4, 0.3, 1.5, -1.2, 0.1, -0.7, 0.8, 0.2, -0.3, 1.1, 0.6];
      const data = npy(`ln-lstm-${cifg}.npy`, [2, 1, 3, 2], xs);
      const r = calibrate(lnLstm(cifg), 'report=0', { calibrationData: data });
      expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
      const lstm = [...walkPreOrder(r.module)].find((op) => op.name === 'tfl.unidirectional_sequence_lstm')!;
      // The observer's activation state (every projected output, plus the initial 0) matches the
      // kernel's outputs, which the stats op on the result recorded.
      const out = rangeOf(r.module, 'lstm')!;
      const act = valueRange(lstm.operand(18))!;
      expect(act.min).toBeCloseTo(Math.min(0, out.min), 5);
      expect(act.max).toBeCloseTo(Math.max(0, out.max), 5);
      // Layer norm: the gate accumulations are intermediates 0..3 (no input gate with CIFG), and
      // the hidden value o * tanh(c) is intermediate 4 (inside (-1, 1)).
      const names = ['input_to_input_intermediate', 'input_to_forget_intermediate', 'input_to_cell_intermediate', 'input_to_output_intermediate'];
      names.forEach((n, i) => {
        const a = lstm.attr(n);
        if (cifg && i === 0) expect(a).toBeUndefined();
        else expect(a?.kind === 'type' && elementType(a.value).kind === 'quant.calibrated', n).toBe(true);
      });
      const hidden = lstm.attr('effective_hidden_scale_intermediate');
      const he = hidden?.kind === 'type' ? elementType(hidden.value) : undefined;
      expect(he?.kind).toBe('quant.calibrated');
      if (he?.kind === 'quant.calibrated') {
        expect(he.min).toBeGreaterThan(-1);
        expect(he.max).toBeLessThan(1);
      }
      expect(valueRange(lstm.operand(19))).toBeDefined();
      expect(verify(r.module)).toEqual([]);
    });
  }
});
