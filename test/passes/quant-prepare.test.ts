/**
 * quant-prepare + quant-quantize end to end: calibration with the real passes
 * (quant-insert-calibration, quant-calibrate over a temporary .npy), then the quantized model is
 * checked for its types, run in qopt's interpreter against the float model, and — where TFLite 2.12
 * has the kernels — exported and run in real TFLite (tfjs-tflite, builtin kernels) with identical
 * output bytes.
 *
 * Covers: the LSTM rules (int8 8x8_16 with CIFG / peephole / layer norm / projection variants;
 * 16x8 as tflite-micro's kernel reads it, non-standard variants left float), SVDF, options (io-type,
 * per-channel, per-channel-fc, bias-type, record-bias-type, denylist), the kernel-check denial loop
 * with warnings and --strict errors, the bias overflow guard, and the pipeline aliases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { type Diagnostic, formatDiagnostic } from '../../src/ir/diagnostic.js';
import type { Operation } from '../../src/ir/operation.js';
import { elementType } from '../../src/ir/type.js';
import { walkPreOrder } from '../../src/ir/walk.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { TypedArray } from '../../src/interp/kernel.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import { writeNpy } from '../../src/io/npy.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerAll } from '../../tools/register.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { buildRecurrentModel, type RecurrentModelConfig } from '../../passes/lib/unroll/build-model.js';
import { registerQuantPipelines } from '../../passes/quant-prepare.js';
import { rng } from '../support/corpus.js';

/** A typed array's elements as plain numbers (for equality checks). */
function nums(a: unknown): number[] {
  return Array.from(a as ArrayLike<number>, Number);
}

registerAll();
registerQuantPipelines();

const scratch = mkdtempSync(join(tmpdir(), 'qopt-quant-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let oracle: TfliteOracle | undefined;
beforeAll(async () => {
  if (isOracleAvailable()) oracle = await loadTfliteOracle();
});

let fileNo = 0;
/** Seeded float samples for the (single) input of `func`, in [lo, hi). */
function samplesFor(func: Operation, n: number, seed: number, lo = -1, hi = 1): Float32Array[] {
  const t = func.regions[0]!.blocks[0]!.args[0]!.type as unknown as { shape: number[] };
  const size = t.shape.reduce((a, b) => a * b, 1);
  const r = rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => lo + (hi - lo) * r()));
}

/** Calibrates (real passes over a temporary .npy) and quantizes with `prepare` options. */
function quantize(m: Operation, samples: Float32Array[], prepare: string, flags: Record<string, unknown> = {}): { ok: boolean; diagnostics: Diagnostic[] } {
  const func = findFunc(m, 'main')!;
  const shape = (func.regions[0]!.blocks[0]!.args[0]!.type as unknown as { shape: number[] }).shape;
  const data = new Float32Array(samples.length * samples[0]!.length);
  samples.forEach((s, i) => data.set(s, i * s.length));
  const path = join(scratch, `calib${fileNo++}.npy`);
  writeNpy(path, { dtype: 'f32', shape: [samples.length, ...shape], data });
  const r = PassManager.fromPipeline(`quant-insert-calibration,quant-calibrate,quant-prepare{${prepare}},quant-quantize,canonicalize`, {
    flags: { calibrationData: path, ...flags },
  }).run(m);
  return { ok: r.ok, diagnostics: r.diagnostics };
}

function run(func: Operation, x: Float32Array, flavour: 'tflite' | 'tflm' = 'tflite'): TypedArray {
  return new Interpreter(func, { kernels: registeredKernels(), flavour }).run([x])[0]!.data;
}

function opsNamed(m: Operation, name: string): Operation[] {
  return [...walkPreOrder(m)].filter((o) => o.name === name);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

function errors(diags: readonly Diagnostic[]): string[] {
  return diags.filter((d) => d.severity !== 'remark').map(formatDiagnostic);
}

/** Real TFLite's output (builtin kernels) for `m` on `x`, or undefined without the oracle. */
function tfliteRun(m: Operation, x: Float32Array): TypedArray | undefined {
  if (!oracle) return undefined;
  const runner = oracle.createRunner(exportTflite(m), { builtinOnly: true });
  try {
    return runner.run([x])[0];
  } finally {
    runner.dispose();
  }
}

const LSTM_BASE: RecurrentModelConfig = { kind: 'lstm', batch: 1, time: 5, input: 3, cell: 4, seed: 7, cellClip: 0 };

describe('LSTM, int8 (8x8_16, TFLite EvalInteger8x8_16)', () => {
  const variants: [string, Partial<RecurrentModelConfig>][] = [
    ['standard', {}],
    ['cifg', { cifg: true }],
    ['peephole', { peephole: true }],
    ['layer norm', { layerNorm: true }],
    ['projection', { projection: true, projectionBias: true, output: 3 }],
    ['everything', { peephole: true, layerNorm: true, projection: true, projectionBias: true, output: 3, cellClip: 3, projClip: 0.5 }],
  ];
  for (const [name, v] of variants) {
    it(`${name}: quantized natively, close to float, identical to real TFLite`, () => {
      const m = buildRecurrentModel({ ...LSTM_BASE, ...v });
      const f = findFunc(m, 'main')!;
      const calib = samplesFor(f, 40, 1);
      const test = samplesFor(f, 6, 2);
      const want = test.map((x) => run(f, x) as Float32Array);
      const r = quantize(m, calib, 'mode=int8');
      expect(errors(r.diagnostics)).toEqual([]);
      const lstm = opsNamed(m, 'tfl.unidirectional_sequence_lstm')[0]!;
      const types = lstm.operands.map((o) => (o.value.type.kind === 'none' ? 'none' : elementType(o.value.type)));
      const width = (i: number): number | string => {
        const t = types[i]!;
        return typeof t === 'string' ? t : t.kind === 'quant.uniform' || t.kind === 'quant.uniform_per_axis' ? t.storage.width : t.kind;
      };
      expect(width(0)).toBe(8);
      expect(width(2)).toBe(8); // gate weights
      expect(width(13)).toBe(32); // gate bias
      expect(width(19)).toBe(16); // cell
      expect(width(18)).toBe(8);
      if (v.layerNorm) expect(width(21)).toBe(16);
      if (v.peephole) expect(width(10)).toBe(16);
      const cell = elementType(lstm.operand(19).type);
      expect(cell.kind === 'quant.uniform' && Math.log2(cell.scale) === Math.round(Math.log2(cell.scale))).toBe(true);
      // The activation state shares the output's parameters; 5 intermediates are set.
      expect(elementType(lstm.operand(18).type)).toBe(elementType(lstm.result(0).type));
      for (const n of ['input_to_input_intermediate', 'input_to_forget_intermediate', 'input_to_cell_intermediate', 'input_to_output_intermediate', 'effective_hidden_scale_intermediate'])
        expect(lstm.attr(n)?.kind).toBe('type');
      const qf = findFunc(m, 'main')!;
      const outScale = (elementType(lstm.result(0).type) as { scale: number }).scale;
      test.forEach((x, i) => {
        const got = run(qf, x) as Float32Array;
        expect(maxAbsDiff(got, want[i]!)).toBeLessThan(12 * outScale + 0.02);
        const real = tfliteRun(m, x);
        if (real) expect(nums(real)).toEqual(nums(got));
      });
    });
  }
});

describe('LSTM, 16x8 (as tflite-micro\'s 16x8 kernel reads it)', () => {
  it('int16 activations and state, int8 weights, int64 gate biases, power-of-two cell, no intermediates', () => {
    const m = buildRecurrentModel({ ...LSTM_BASE, cellClip: 4 });
    const f = findFunc(m, 'main')!;
    const calib = samplesFor(f, 40, 3);
    const test = samplesFor(f, 6, 4);
    const want = test.map((x) => run(f, x) as Float32Array);
    const r = quantize(m, calib, 'mode=16x8');
    expect(errors(r.diagnostics)).toEqual([]);
    const lstm = opsNamed(m, 'tfl.unidirectional_sequence_lstm')[0]!;
    const w = (i: number): number => (elementType(lstm.operand(i).type) as { storage: { width: number } }).storage.width;
    expect([w(0), w(1), w(12), w(18), w(19)]).toEqual([16, 8, 64, 16, 16]);
    expect(elementType(lstm.operand(0).type)).toMatchObject({ zeroPoint: 0 });
    expect(lstm.attr('input_to_input_intermediate')).toBeUndefined();
    expect(lstm.attr('effective_hidden_scale_intermediate')).toBeUndefined();
    // Close to float: tflite-micro's 16x8 arithmetic (Q3.12 gates, 16-bit reduced multipliers on the
    // int64 accumulators, table sigmoid/tanh) stays within 1e-2 over 5 steps; int8 is ~10x coarser.
    const qf = findFunc(m, 'main')!;
    for (const [i, x] of test.entries()) expect(maxAbsDiff(run(qf, x) as Float32Array, want[i]!)).toBeLessThan(1e-2);
    // It survives export/import and runs the same (TFLite itself has no 16x8 LSTM kernel).
    const back = importTflite(exportTflite(m), 'lstm16.tflite');
    expect(nums(run(findFunc(back, 'main')!, test[0]!))).toEqual(nums(run(qf, test[0]!)));
    // bias-type=int32 gives int32 gate biases.
    const m32 = buildRecurrentModel({ ...LSTM_BASE });
    quantize(m32, calib, 'mode=16x8 bias-type=int32');
    const l32 = opsNamed(m32, 'tfl.unidirectional_sequence_lstm')[0]!;
    expect((elementType(l32.operand(13).type) as { storage: { width: number } }).storage.width).toBe(32);
  });

  it('variants tflite-micro cannot run in 16x8 stay float, with a warning (an error under --strict)', () => {
    const m = buildRecurrentModel({ ...LSTM_BASE, layerNorm: true });
    const calib = samplesFor(findFunc(m, 'main')!, 10, 5);
    const r = quantize(m, calib, 'mode=16x8');
    expect(errors(r.diagnostics).join('\n')).toMatch(/'tfl.unidirectional_sequence_lstm' op stays float: tflite-micro's 16x8 LSTM kernel supports only the standard LSTM/);
    expect(elementType(opsNamed(m, 'tfl.unidirectional_sequence_lstm')[0]!.operand(0).type).kind).toBe('float');
    const strict = quantize(buildRecurrentModel({ ...LSTM_BASE, layerNorm: true }), calib, 'mode=16x8', { strict: true });
    expect(strict.ok).toBe(false);
  });
});

describe('SVDF (int8)', () => {
  it('int16 state and 10-bit time weights; runs close to float and identical to real TFLite', () => {
    const m = parseSource(
      `module {
  func.func @main(%arg0: tensor<1x4xf32>) -> tensor<1x3xf32> {
    %wf = "tfl.pseudo_const"() {value = dense<[[0.1, -0.2, 0.3, 0.05], [0.4, 0.1, -0.1, 0.2], [-0.3, 0.2, 0.1, 0.1], [0.2, 0.2, -0.4, 0.3], [0.05, -0.1, 0.2, 0.1], [0.3, 0.3, 0.1, -0.2]]> : tensor<6x4xf32>} : () -> tensor<6x4xf32>
    %wt = "tfl.pseudo_const"() {value = dense<[[0.5, -0.25, 0.1], [0.3, 0.2, -0.1], [0.1, 0.4, 0.2], [-0.2, 0.1, 0.3], [0.25, 0.25, 0.25], [0.1, -0.3, 0.2]]> : tensor<6x3xf32>} : () -> tensor<6x3xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.05, -0.02, 0.1]> : tensor<3xf32>} : () -> tensor<3xf32>
    %st = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x18xf32>} : () -> tensor<1x18xf32>
    %0 = "tfl.svdf"(%arg0, %wf, %wt, %b, %st) {fused_activation_function = "RELU", rank = 2 : i32} : (tensor<1x4xf32>, tensor<6x4xf32>, tensor<6x3xf32>, tensor<3xf32>, tensor<1x18xf32>) -> tensor<1x3xf32>
    return %0 : tensor<1x3xf32>
  }
}`,
      'svdf.mlir',
    );
    const f = findFunc(m, 'main')!;
    const calib = samplesFor(f, 30, 6, -2, 2);
    const test = samplesFor(f, 5, 7, -2, 2);
    const want = test.map((x) => run(f, x) as Float32Array);
    const r = quantize(m, calib, 'mode=int8');
    expect(errors(r.diagnostics)).toEqual([]);
    const svdf = opsNamed(m, 'tfl.svdf')[0]!;
    const w = (i: number): number => (elementType(svdf.operand(i).type) as { storage: { width: number } }).storage.width;
    expect([w(0), w(1), w(2), w(3), w(4)]).toEqual([8, 8, 16, 32, 16]);
    const qf = findFunc(m, 'main')!;
    const outScale = (elementType(svdf.result(0).type) as { scale: number }).scale;
    for (const [i, x] of test.entries()) {
      const got = run(qf, x) as Float32Array;
      expect(maxAbsDiff(got, want[i]!)).toBeLessThan(4 * outScale);
      const real = tfliteRun(m, x);
      if (real) expect(nums(real)).toEqual(nums(got));
    }
  });
});

/** A small conv → relu → FC → softmax model. */
function convModel(): Operation {
  return parseSource(
    `module {
  func.func @main(%arg0: tensor<1x4x4x2xf32>) -> tensor<1x3xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[[[0.5, -0.25], [0.1, 0.2]], [[-0.3, 0.4], [0.2, 0.1]]], [[[0.05, 0.1], [-0.2, 0.3]], [[0.6, -0.1], [0.1, 0.1]]]]> : tensor<2x2x2x2xf32>} : () -> tensor<2x2x2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.1, -0.05]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.conv_2d"(%arg0, %w, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "RELU", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x4x4x2xf32>, tensor<2x2x2x2xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
    %s = "tfl.pseudo_const"() {value = dense<[1, 18]> : tensor<2xi32>} : () -> tensor<2xi32>
    %1 = "tfl.reshape"(%0, %s) : (tensor<1x3x3x2xf32>, tensor<2xi32>) -> tensor<1x18xf32>
    %fw = "tfl.pseudo_const"() {value = dense<0.125> : tensor<3x18xf32>} : () -> tensor<3x18xf32>
    %fb = "tfl.pseudo_const"() {value = dense<[0.5, -0.5, 0.0]> : tensor<3xf32>} : () -> tensor<3xf32>
    %2 = "tfl.fully_connected"(%1, %fw, %fb) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x18xf32>, tensor<3x18xf32>, tensor<3xf32>) -> tensor<1x3xf32>
    %3 = "tfl.softmax"(%2) {beta = 1.0 : f32} : (tensor<1x3xf32>) -> tensor<1x3xf32>
    return %3 : tensor<1x3xf32>
  }
}`,
    'conv.mlir',
  );
}

describe('options', () => {
  it('io-type: quantized signatures; a width other than the mode requantizes at the edges', () => {
    for (const [mode, io, inW, outW] of [
      ['int8', 'int8', 8, 8],
      ['16x8', 'int16', 16, 16],
      ['16x8', 'int8', 8, 8],
    ] as const) {
      const m = convModel();
      const calib = samplesFor(findFunc(m, 'main')!, 20, 8);
      const r = quantize(m, calib, `mode=${mode} io-type=${io}`);
      expect(errors(r.diagnostics)).toEqual([]);
      const f = findFunc(m, 'main')!;
      const ft = f.attr('function_type') as unknown as { value: { inputs: { element: { storage: { width: number } } }[]; results: { element: { storage: { width: number } } }[] } };
      expect(ft.value.inputs[0]!.element.storage.width).toBe(inW);
      expect(ft.value.results[0]!.element.storage.width).toBe(outW);
      const requantizes = opsNamed(m, 'tfl.quantize').length;
      expect(requantizes).toBe(mode === '16x8' && io === 'int8' ? 2 : 0);
    }
  });

  it('per-channel on conv (default) and off; per-channel-fc; record-bias-type', () => {
    const typesOf = (prepare: string): { conv: string; fc: string; attr: unknown } => {
      const m = convModel();
      quantize(m, samplesFor(findFunc(m, 'main')!, 20, 9), prepare);
      const conv = opsNamed(m, 'tfl.conv_2d')[0]!;
      const fc = opsNamed(m, 'tfl.fully_connected')[0]!;
      return { conv: elementType(conv.operand(1).type).kind, fc: elementType(fc.operand(1).type).kind, attr: fc.attr('quantized_bias_type') };
    };
    expect(typesOf('mode=int8')).toMatchObject({ conv: 'quant.uniform_per_axis', fc: 'quant.uniform', attr: { value: 'INT32' } });
    expect(typesOf('mode=int8 per-channel=false')).toMatchObject({ conv: 'quant.uniform', fc: 'quant.uniform' });
    expect(typesOf('mode=int8 per-channel-fc=true')).toMatchObject({ fc: 'quant.uniform_per_axis' });
    expect(typesOf('mode=16x8')).toMatchObject({ attr: { value: 'INT64' } });
    expect(typesOf('mode=16x8 record-bias-type=false').attr).toBeUndefined();
  });

  it('the quantized conv model runs close to float and (int8) identical to real TFLite', () => {
    for (const mode of ['int8', '16x8'] as const) {
      const m = convModel();
      const f = findFunc(m, 'main')!;
      const test = samplesFor(f, 5, 11);
      const want = test.map((x) => run(f, x) as Float32Array);
      quantize(m, samplesFor(f, 40, 10), `mode=${mode}`);
      const qf = findFunc(m, 'main')!;
      for (const [i, x] of test.entries()) {
        const got = run(qf, x) as Float32Array;
        expect(maxAbsDiff(got, want[i]!)).toBeLessThan(mode === 'int8' ? 0.02 : 3e-4);
        // TFLite 2.12 predates quantized_bias_type: 16x8 conv/FC with it need newer op versions.
        if (mode === 'int8') {
          const real = tfliteRun(m, x);
          if (real) expect(nums(real)).toEqual(nums(got));
        }
      }
    }
  });

  it('denylist keeps ops float with quantize/dequantize around them; the model still runs', () => {
    const m = convModel();
    const f = findFunc(m, 'main')!;
    const x = samplesFor(f, 1, 12)[0]!;
    const want = run(f, x) as Float32Array;
    const r = quantize(m, samplesFor(f, 30, 13), 'mode=int8 denylist=tfl.fully_connected');
    expect(errors(r.diagnostics)).toEqual([]);
    const fc = opsNamed(m, 'tfl.fully_connected')[0]!;
    expect(elementType(fc.operand(0).type).kind).toBe('float');
    expect(fc.attr('qopt.keep_float')).toBeUndefined();
    expect(fc.operand(0).definingOp?.name).toBe('tfl.dequantize');
    expect(elementType(opsNamed(m, 'tfl.conv_2d')[0]!.result(0).type).kind).toBe('quant.uniform');
    expect(maxAbsDiff(run(findFunc(m, 'main')!, x) as Float32Array, want)).toBeLessThan(0.02);
  });
});

describe('kernel check and diagnostics', () => {
  const src = `module {
  func.func @main(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
    %k = "tfl.pseudo_const"() {value = dense<30000.0> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
    %0 = "tfl.mul"(%arg0, %k) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
    %1 = "tfl.logistic"(%0) : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %2 = "tfl.relu"(%1) : (tensor<1x4xf32>) -> tensor<1x4xf32>
    return %2 : tensor<1x4xf32>
  }
}`;
  it('an op the kernel rejects in 16x8 stays float (warning) and the rest is quantized around it', () => {
    const m = parseSource(src, 'k.mlir');
    const calib = samplesFor(findFunc(m, 'main')!, 10, 14, -4, 4);
    const r = quantize(m, calib, 'mode=16x8');
    expect(r.ok).toBe(true);
    expect(errors(r.diagnostics).join('\n')).toMatch(/'tfl.logistic' op stays float: no kernel for the quantized types: .*input scale too large/);
    expect(elementType(opsNamed(m, 'tfl.logistic')[0]!.operand(0).type).kind).toBe('float');
    expect(elementType(opsNamed(m, 'tfl.mul')[0]!.result(0).type).kind).toBe('quant.uniform');
    expect(elementType(opsNamed(m, 'tfl.relu')[0]!.result(0).type).kind).toBe('float'); // relu has no int16 kernel
    new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() }).run([new Float32Array(4)]);
  });
  it('under --strict the same model fails', () => {
    const m = parseSource(src, 'k.mlir');
    const r = quantize(m, samplesFor(findFunc(m, 'main')!, 10, 14, -4, 4), 'mode=16x8', { strict: true });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.some((d) => d.severity === 'error' && /logistic' op stays float/.test(d.message))).toBe(true);
  });
  it('the bias overflow guard widens the weights (a remark) and keeps the int32 bias in range', () => {
    const m = parseSource(
      `module {
  func.func @main(%arg0: tensor<1x2xf32>) -> tensor<1x2xf32> {
    %w = "tfl.pseudo_const"() {value = dense<[[0.001, -0.002], [0.0005, 0.001]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<[50000.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
    return %0 : tensor<1x2xf32>
  }
}`,
      'b.mlir',
    );
    const r = quantize(m, samplesFor(findFunc(m, 'main')!, 10, 15, -0.01, 0.01), 'mode=int8');
    expect(r.diagnostics.some((d) => d.severity === 'remark' && /widened so that the bias fits in int32/.test(d.message))).toBe(true);
    const fc = opsNamed(m, 'tfl.fully_connected')[0]!;
    const bias = fc.operand(2).definingOp!.attr('value') as { bytes: Uint8Array };
    const vals = new Int32Array(bias.bytes.slice().buffer);
    // At most 2^30 up to float32 rounding of the widened scale.
    for (const v of vals) expect(Math.abs(v)).toBeLessThanOrEqual(2 ** 30 * (1 + 2 ** -20));
  });
});

describe('re-running', () => {
  it('quant-prepare on its own output changes nothing', () => {
    const m = convModel();
    const f = findFunc(m, 'main')!;
    const samples = samplesFor(f, 10, 17);
    const path = join(scratch, 'rerun.npy');
    const data = new Float32Array(10 * 32);
    samples.forEach((x, i) => data.set(x, i * 32));
    writeNpy(path, { dtype: 'f32', shape: [10, 1, 4, 4, 2], data });
    const r = PassManager.fromPipeline('quant-insert-calibration,quant-calibrate,quant-prepare', { flags: { calibrationData: path } }).run(m);
    expect(r.ok).toBe(true);
    const once = printOp(m);
    const again = PassManager.fromPipeline('quant-prepare').run(m);
    expect(again.ok).toBe(true);
    expect(printOp(m)).toBe(once);
  });
});

describe('pipeline aliases', () => {
  it('quantize-int8 and quantize-16x8 expand to calibration, prepare, quantize and canonicalize', () => {
    expect(PassManager.fromPipeline('quantize-int8').toString()).toBe(
      'quant-insert-calibration,quant-calibrate,quant-prepare{mode=int8},quant-quantize,canonicalize',
    );
    expect(PassManager.fromPipeline('quantize-16x8').toString()).toMatch(/quant-prepare\{mode=16x8\}/);
  });
  it('quantize-16x8 runs end to end with --calibration-data', () => {
    const m = convModel();
    const f = findFunc(m, 'main')!;
    const samples = samplesFor(f, 20, 16);
    const path = join(scratch, 'alias.npy');
    const data = new Float32Array(20 * 32);
    samples.forEach((s, i) => data.set(s, i * 32));
    writeNpy(path, { dtype: 'f32', shape: [20, 1, 4, 4, 2], data });
    const r = PassManager.fromPipeline('quantize-16x8', { flags: { calibrationData: path } }).run(m);
    expect(errors(r.diagnostics)).toEqual([]);
    expect(printOp(m)).toContain('i16:f32');
    expect(printOp(m)).not.toContain('quantfork.stats');
  });
});
