// Pairing tensors of two models: names, fused names, converter conversions, structure.
import { describe, expect, it } from 'vitest';
import { entryFunc } from '../../src/driver/run-main.js';
import { parseSource } from '../../src/syntax/parser.js';
import { registerAll } from '../../tools/register.js';
import { buildGraph, isWeakName, nameParts, representative } from '../../src/compare/graph.js';
import { matchGraphs } from '../../src/compare/match.js';

registerAll();

const graphOf = (src: string) => buildGraph(entryFunc(parseSource(src, 'test.mlir'), 'main'));

const Q = '!quant.uniform<i8:f32, 1.000000e-01:-3>';

/** Pairs as `refName -> testName (by)`, using class representatives. */
function pairs(ref: string, test: string, weights = false): string[] {
  const r = graphOf(ref);
  const t = graphOf(test);
  const m = matchGraphs(r, t, { weights });
  return m.pairs.map((p) => `${representative(r, p.ref, 'reference').name} -> ${representative(t, p.test, 'test').name} (${p.by})`);
}

const FLOAT = `func.func @main(%arg0: tensor<1x4xf32> loc("x")) -> tensor<1x4xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("block/relu")
  %1 = "tfl.tanh"(%0) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("block/tanh")
  %2 = "tfl.logistic"(%1) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("head/sigmoid")
  %3 = "tfl.neg"(%2) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("out")
  return %3 : tensor<1x4xf32>
}`;

describe('compare name matching', () => {
  it('splits fused names and spots generated ones', () => {
    expect(nameParts('a/b;c/d; ;e')).toEqual(['a/b', 'c/d', 'e']);
    for (const n of ['tfl.quantize', 'tfl.pseudo_qconst1', 'arith.constant11', 'tensor_12', 'tfl.fully_connected#1']) expect(isWeakName(n), n).toBe(true);
    for (const n of ['model/dense/MatMul', 'StatefulPartitionedCall:0', 'dense_1', 'serving_default_x:0']) expect(isWeakName(n), n).toBe(false);
  });

  it('pairs identical models by input, name and output', () => {
    expect(pairs(FLOAT, FLOAT)).toEqual([
      'x -> x (input)',
      'block/relu -> block/relu (name)',
      'block/tanh -> block/tanh (name)',
      'head/sigmoid -> head/sigmoid (name)',
      'out -> out (output)',
    ]);
  });

  it("matches any ';'-part of a fused name, giving the fused tensor to the last op it absorbed", () => {
    const fused = `func.func @main(%arg0: tensor<1x4xf32> loc("x")) -> tensor<1x4xf32> {
  %0 = "tfl.tanh"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("block/relu;block/tanh")
  %1 = "tfl.logistic"(%0) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("head/sigmoid;head/extra")
  %2 = "tfl.neg"(%1) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("out")
  return %2 : tensor<1x4xf32>
}`;
    expect(pairs(FLOAT, fused)).toEqual([
      'x -> x (input)',
      'block/tanh -> block/relu;block/tanh (part)',
      'head/sigmoid -> head/sigmoid;head/extra (part)',
      'out -> out (output)',
    ]);
    const r = graphOf(FLOAT);
    const m = matchGraphs(r, graphOf(fused));
    expect(m.unmatchedRef.map((c) => representative(r, c, 'reference').name)).toEqual(['block/relu']);
  });

  it("sees through the converter's quantize/dequantize and compares the quantized tensors", () => {
    const quant = `func.func @main(%arg0: tensor<1x4xf32> loc("x")) -> tensor<1x4xf32> {
  %q = "tfl.quantize"(%arg0) {qtype = tensor<1x4x${Q}>} : (tensor<1x4xf32>) -> tensor<1x4x${Q}> loc("tfl.quantize")
  %0 = "tfl.relu"(%q) : (tensor<1x4x${Q}>) -> tensor<1x4x${Q}> loc("block/relu")
  %1 = "tfl.tanh"(%0) : (tensor<1x4x${Q}>) -> tensor<1x4x${Q}> loc("block/tanh")
  %2 = "tfl.logistic"(%1) : (tensor<1x4x${Q}>) -> tensor<1x4x${Q}> loc("head/sigmoid")
  %3 = "tfl.neg"(%2) : (tensor<1x4x${Q}>) -> tensor<1x4x${Q}> loc("out1")
  %4 = "tfl.dequantize"(%3) : (tensor<1x4x${Q}>) -> tensor<1x4xf32> loc("out")
  return %4 : tensor<1x4xf32>
}`;
    expect(pairs(FLOAT, quant)).toEqual([
      'x -> tfl.quantize (input)',
      'block/relu -> block/relu (name)',
      'block/tanh -> block/tanh (name)',
      'head/sigmoid -> head/sigmoid (name)',
      'out -> out1 (output)',
    ]);
    const t = graphOf(quant);
    // x, tfl.quantize in one class; out1, out in another.
    expect(t.classes.filter((c) => c.length === 2).map((c) => c.map((i) => t.tensors[i]!.name))).toEqual([
      ['x', 'tfl.quantize'],
      ['out1', 'out'],
    ]);
    expect(matchGraphs(graphOf(FLOAT), t).unmatchedTest).toEqual([]);
  });

  it('falls back to structure when names differ, and never pairs generic names across op kinds', () => {
    const renamed = `func.func @main(%arg0: tensor<1x4xf32> loc("input_1")) -> tensor<1x4xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("tfl.tanh")
  %1 = "tfl.tanh"(%0) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("t2")
  %2 = "tfl.logistic"(%1) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("t3")
  %3 = "tfl.neg"(%2) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("Identity")
  return %3 : tensor<1x4xf32>
}`;
    const generic = FLOAT.replace('loc("block/tanh")', 'loc("tfl.tanh")');
    expect(pairs(generic, renamed)).toEqual([
      'x -> input_1 (input)',
      'block/relu -> tfl.tanh (structure)',
      'tfl.tanh -> t2 (structure)',
      'head/sigmoid -> t3 (structure)',
      'out -> Identity (output)',
    ]);
  });

  it('needs equal element counts, and pairs weights of paired ops with --weights', () => {
    const a = `func.func @main(%arg0: tensor<1x3xf32> loc("x")) -> tensor<1x2xf32> {
  %w = "tfl.pseudo_const"() {value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32> loc("kernel")
  %b = "tfl.pseudo_const"() {value = dense<[0.5, 0.25]> : tensor<2xf32>} : () -> tensor<2xf32> loc("bias")
  %0 = "tfl.fully_connected"(%arg0, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc")
  %1 = "tfl.relu"(%0) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("out")
  return %1 : tensor<1x2xf32>
}`;
    const b = a.replace('loc("kernel")', 'loc("arith.constant")').replace('loc("bias")', 'loc("arith.constant1")');
    expect(pairs(a, b)).toEqual(['x -> x (input)', 'fc -> fc (name)', 'out -> out (output)']);
    expect(pairs(a, b, true)).toEqual([
      'x -> x (input)',
      'kernel -> arith.constant (structure)',
      'bias -> arith.constant1 (structure)',
      'fc -> fc (name)',
      'out -> out (output)',
    ]);
  });

  it('never matches names it made up itself (values without a location)', () => {
    const bare = FLOAT.replace(/ loc\("[^"]*"\)/g, '');
    expect(pairs(bare, bare)).toEqual(['arg0 -> arg0 (input)', 'tfl.relu#0.0 -> tfl.relu#0.0 (structure)', 'tfl.tanh#1.0 -> tfl.tanh#1.0 (structure)', 'tfl.logistic#2.0 -> tfl.logistic#2.0 (structure)', 'tfl.neg#3.0 -> tfl.neg#3.0 (output)']);
  });

  it('never pairs tensors of different sizes, even by name', () => {
    const mk = (n1: string, n2: string) => `func.func @main(%arg0: tensor<1x4xf32> loc("x")) -> tensor<1x8xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("${n1}")
  %1 = "tfl.concatenation"(%0, %0) {axis = 1 : i32, fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32> loc("${n2}")
  %2 = "tfl.neg"(%1) : (tensor<1x8xf32>) -> tensor<1x8xf32> loc("out")
  return %2 : tensor<1x8xf32>
}`;
    expect(pairs(mk('a', 'c'), mk('c', 'a'))).toEqual(['x -> x (input)', 'a -> c (structure)', 'c -> a (structure)', 'out -> out (output)']);
  });
});
