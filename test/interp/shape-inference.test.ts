/**
 * The interpreter on values without a static shape: unranked results get the shapes the ops' shape
 * functions infer (as TFLite's Prepare resizes outputs), the same shapes and outputs as after the
 * tfl-infer-shapes pass; dynamic dims take the inferred sizes; what cannot be inferred is an error
 * naming the op and the tensor.
 */
import { describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import type { Operation } from '../../src/ir/operation.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerAll } from '../../tools/register.js';

registerAll();

const interp = (m: Operation) => new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() });

/** conv (SAME, stride 2) -> max_pool -> reshape -> fully_connected -> LSTM, every result unranked. */
const UNRANKED = `
func.func @main(%arg0: tensor<1x6x6x2xf32>) -> tensor<*xf32> {
  %k = "tfl.pseudo_const"() {value = dense<[[[[0.1, -0.2], [0.3, 0.05]], [[-0.4, 0.2], [0.1, 0.1]]], [[[0.2, 0.2], [-0.1, 0.3]], [[0.05, -0.3], [0.2, 0.1]]], [[[0.3, -0.1], [0.2, 0.2]], [[0.1, 0.4], [-0.2, 0.1]]]]> : tensor<3x2x2x2xf32>} : () -> tensor<3x2x2x2xf32>
  %n = "tfl.no_value"() {value} : () -> none
  %0 = "tfl.conv_2d"(%arg0, %k, %n) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "RELU", padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32} : (tensor<1x6x6x2xf32>, tensor<3x2x2x2xf32>, none) -> tensor<*xf32>
  %1 = "tfl.max_pool_2d"(%0) {filter_height = 2 : i32, filter_width = 2 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<*xf32>) -> tensor<*xf32>
  %s = "tfl.pseudo_const"() {value = dense<[1, 3, -1]> : tensor<3xi32>} : () -> tensor<3xi32>
  %2 = "tfl.reshape"(%1, %s) : (tensor<*xf32>, tensor<3xi32>) -> tensor<*xf32>
  %w = "tfl.pseudo_const"() {value = dense<0.25> : tensor<2x9xf32>} : () -> tensor<2x9xf32>
  %r = "tfl.pseudo_const"() {value = dense<0.5> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tfl.pseudo_const"() {value = dense<0.1> : tensor<2xf32>} : () -> tensor<2xf32>
  %h = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %c = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %3 = "tfl.unidirectional_sequence_lstm"(%2, %w, %w, %w, %w, %r, %r, %r, %r, %n, %n, %n, %b, %b, %b, %b, %n, %n, %h, %c, %n, %n, %n, %n) {fused_activation_function = "TANH", time_major = false} : (tensor<*xf32>, tensor<2x9xf32>, tensor<2x9xf32>, tensor<2x9xf32>, tensor<2x9xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, none, none, none, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, none, none, tensor<1x2xf32>, tensor<1x2xf32>, none, none, none, none) -> tensor<*xf32>
  %4 = "tfl.fully_connected"(%3, %r, %b) {fused_activation_function = "NONE", keep_num_dims = true, weights_format = "DEFAULT"} : (tensor<*xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<*xf32>
  return %4 : tensor<*xf32>
}`;

function input(): Float32Array {
  return Float32Array.from({ length: 72 }, (_, i) => Math.sin(i * 0.7));
}

/** The message of the DiagnosticError that building an interpreter for `src` throws. */
function prepareError(src: string): string {
  try {
    interp(parseSource(src, 'in.mlir'));
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return 'no error';
}

describe('interpreter: unranked and dynamic results', () => {
  it('runs unranked results with the shapes tfl-infer-shapes gives, with identical outputs', () => {
    const unranked = parseSource(UNRANKED, 'in.mlir');
    const refined = parseSource(UNRANKED, 'in.mlir');
    expect(PassManager.fromPipeline('tfl-infer-shapes').run(refined).ok).toBe(true);
    expect(printOp(refined)).not.toContain('tensor<*x');
    expect(printOp(refined)).toContain('-> tensor<1x3x2xf32>');
    const a = interp(unranked);
    const b = interp(refined);
    expect(a.outputs.map((o) => o.shape)).toEqual([[1, 3, 2]]);
    expect(a.arenaBytes).toBe(b.arenaBytes);
    for (let k = 0; k < 2; k++) {
      const ya = a.run([input()])[0]!.data;
      const yb = b.run([input()])[0]!.data;
      expect(Array.from(ya)).toEqual(Array.from(yb));
    }
  });

  it('gives dynamic dims their inferred sizes (not 1)', () => {
    const m = parseSource(
      `func.func @main(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
        %0 = "tfl.add"(%a, %b) {fused_activation_function = "NONE"} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
        return %0 : tensor<?x3xf32>
      }`,
      'in.mlir',
    );
    const it = interp(m);
    expect(it.outputs[0]!.shape).toEqual([2, 3]);
    const y = it.run([Float32Array.from([1, 2, 3, 4, 5, 6]), Float32Array.from([10, 20, 30])])[0]!;
    expect(Array.from(y.data)).toEqual([11, 22, 33, 14, 25, 36]);
  });

  it('names the op and the tensor when a shape cannot be inferred', () => {
    expect(
      prepareError(`func.func @main(%a: tensor<6xf32>, %i: tensor<1xi32>) -> tensor<*xf32> {
        %0 = "tfl.strided_slice"(%a, %i, %i, %i) {begin_mask = 0 : i32, ellipsis_mask = 0 : i32, end_mask = 0 : i32, new_axis_mask = 0 : i32, shrink_axis_mask = 0 : i32} : (tensor<6xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<*xf32> loc("sliced")
        return %0 : tensor<*xf32>
      }`),
    ).toBe(`loc("sliced"): error: 'tfl.strided_slice' op cannot infer the shape of result #0 ('sliced'): 'tfl.strided_slice' has no shape function`);
    expect(
      prepareError(`func.func @main(%a: tensor<6xf32>, %s: tensor<2xi32>) -> tensor<*xf32> {
        %0 = "tfl.reshape"(%a, %s) : (tensor<6xf32>, tensor<2xi32>) -> tensor<*xf32> loc("reshaped")
        return %0 : tensor<*xf32>
      }`),
    ).toBe(`loc("reshaped"): error: 'tfl.reshape' op cannot infer the shape of result #0 ('reshaped'): its operands do not determine it`);
    expect(
      prepareError(`func.func @main(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<*xf32> {
        %0 = "tfl.relu"(%a) : (tensor<2x3xf32>) -> tensor<*xf32>
        %1 = "tfl.add"(%0, %b) {fused_activation_function = "NONE"} : (tensor<*xf32>, tensor<4x3xf32>) -> tensor<*xf32> loc("sum")
        return %1 : tensor<*xf32>
      }`),
    ).toBe(`loc("sum"): error: 'tfl.add' op cannot infer the shape of result #0 ('sum'): operand shapes [2, 3], [4, 3] are not broadcast-compatible`);
    expect(
      prepareError(`func.func @main(%a: tensor<*xf32> loc("x")) -> tensor<*xf32> {
        %0 = "tfl.relu"(%a) : (tensor<*xf32>) -> tensor<*xf32>
        return %0 : tensor<*xf32>
      }`),
    ).toMatch(/value 'x' has no shape \(unranked\): the interpreter needs static shapes$/);
  });
});
