/**
 * The rescale canonicalization patterns of dialects/tfl/canonicalize.ts against the interpreter:
 * folding `quantize(pseudo_const)` gives exactly the bytes the tfl.quantize kernel computes at run
 * time (ties, clamping, narrow range, int16), moving a data-movement op across dequantize/quantize
 * does not change any output, and a requantize chain is merged only when the middle type clamps
 * nothing. (lit-tests/dialects/tfl/canonicalize-rescale.mlir shows each rewrite.)
 */
import { describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { TypedArray } from '../../src/interp/kernel.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import type { Operation } from '../../src/ir/operation.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerAll } from '../../tools/register.js';
import { rng } from '../support/corpus.js';

/** A typed array's elements as plain numbers (for equality checks). */
function nums(a: unknown): number[] {
  return Array.from(a as ArrayLike<number>, Number);
}

registerAll();

function outputs(m: Operation, inputs: TypedArray[] = []): TypedArray[] {
  return new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() }).run(inputs).map((t) => t.data);
}

function canonicalize(m: Operation): void {
  const r = PassManager.fromPipeline('canonicalize').run(m);
  expect(r.ok).toBe(true);
}

function floats(n: number, seed: number, scale: number): string {
  const r = rng(seed);
  const v: number[] = [];
  for (let i = 0; i < n; i++) {
    // Mix exact ties (k + 0.5 steps) with random values and out-of-range ones.
    const k = i % 3;
    v.push(k === 0 ? (Math.floor(r() * 200) - 100 + 0.5) * scale : k === 1 ? (r() * 2 - 1) * 300 * scale : (r() * 2 - 1) * 30000 * scale);
  }
  return v.map((x) => Math.fround(x).toExponential(9)).join(', ');
}

describe('quantize(pseudo_const) folding', () => {
  for (const [name, qtype, scale] of [
    ['int8 asymmetric', '!quant.uniform<i8:f32, 2.500000e-01:-7>', 0.25],
    ['int8 narrow range', '!quant.uniform<i8<-127:127>:f32, 5.000000e-01>', 0.5],
    ['int16 symmetric', '!quant.uniform<i16:f32, 1.000000e-03>', 1e-3],
  ] as const) {
    it(`${name}: the folded constant holds what the quantize kernel computes`, () => {
      const src = `module {
  func.func @main() -> tensor<64x${qtype}> {
    %c = "tfl.pseudo_const"() {value = dense<[${floats(64, name.length, scale)}]> : tensor<64xf32>} : () -> tensor<64xf32>
    %0 = "tfl.quantize"(%c) {qtype = tensor<64x${qtype}>} : (tensor<64xf32>) -> tensor<64x${qtype}>
    return %0 : tensor<64x${qtype}>
  }
}`;
      const m = parseSource(src, 'q.mlir');
      const before = outputs(m);
      canonicalize(m);
      expect(printOp(m)).toContain('tfl.pseudo_qconst');
      expect(printOp(m)).not.toContain('"tfl.quantize"');
      const after = outputs(m);
      if (name === 'int8 narrow range') {
        // The kernel clamps to the full int8 range; the folded constant respects the type's
        // storage range [-127, 127]: they differ exactly where the kernel produced -128.
        nums(before[0]!).forEach((v, i) => expect(after[0]![i]).toBe(Math.max(-127, Number(v))));
      } else expect(nums(after[0]!)).toEqual(nums(before[0]!));
    });
  }
});

describe('same-scale ops across dequantize/quantize', () => {
  it('moving a reshape / transpose onto the quantized value changes no output', () => {
    const q8 = '!quant.uniform<i8:f32, 5.000000e-02:3>';
    const q8b = '!quant.uniform<i8:f32, 1.000000e-01:-2>';
    const src = `module {
  func.func @main(%arg0: tensor<2x3x${q8}>) -> (tensor<6x${q8}>, tensor<3x2x${q8b}>) {
    %s = "tfl.pseudo_const"() {value = dense<6> : tensor<1xi32>} : () -> tensor<1xi32>
    %p = "tfl.pseudo_const"() {value = dense<[1, 0]> : tensor<2xi32>} : () -> tensor<2xi32>
    %0 = "tfl.dequantize"(%arg0) : (tensor<2x3x${q8}>) -> tensor<2x3xf32>
    %1 = "tfl.reshape"(%0, %s) : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<6xf32>
    %2 = "tfl.quantize"(%1) {qtype = tensor<6x${q8}>} : (tensor<6xf32>) -> tensor<6x${q8}>
    %3 = "tfl.dequantize"(%arg0) : (tensor<2x3x${q8}>) -> tensor<2x3xf32>
    %4 = "tfl.transpose"(%3, %p) : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
    %5 = "tfl.quantize"(%4) {qtype = tensor<3x2x${q8b}>} : (tensor<3x2xf32>) -> tensor<3x2x${q8b}>
    return %2, %5 : tensor<6x${q8}>, tensor<3x2x${q8b}>
  }
}`;
    const m = parseSource(src, 's.mlir');
    const x = Int8Array.from([-128, -3, 0, 5, 77, 127]);
    const before = outputs(m, [x]);
    canonicalize(m);
    const text = printOp(m);
    expect(text).not.toContain('tfl.dequantize');
    const after = outputs(m, [x]);
    // Same types: identical. Different types: the float quantize becomes an integer requantize
    // (TFLite's Requantize, a fixed-point multiplier), which may round a tie the other way.
    expect(nums(after[0]!)).toEqual(nums(before[0]!));
    nums(after[1]!).forEach((v, i) => expect(Math.abs(Number(v) - Number(before[1]![i]))).toBeLessThanOrEqual(1));
  });
});

describe('requantize chains', () => {
  it('merged when the middle type covers the input; kept when it clamps', () => {
    const src = (mid: string): string => `module {
  func.func @main(%arg0: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<4x${mid}>} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x${mid}>
    %1 = "tfl.quantize"(%0) {qtype = tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>} : (tensor<4x${mid}>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
    return %1 : tensor<4x!quant.uniform<i8:f32, 2.500000e-01:1>>
  }
}`;
    const x = Int8Array.from([-128, -20, 30, 127]);
    const wide = parseSource(src('!quant.uniform<i16:f32, 4.000000e-03>'), 'w.mlir');
    const wideBefore = outputs(wide, [x]);
    canonicalize(wide);
    expect(printOp(wide).match(/"tfl.quantize"/g)).toHaveLength(1);
    // One rescale instead of two: equal here (no clamp in the middle, int16 keeps every step).
    expect(nums(outputs(wide, [x])[0]!)).toEqual(nums(wideBefore[0]!));
    const narrow = parseSource(src('!quant.uniform<i8:f32, 1.000000e-01>'), 'n.mlir');
    canonicalize(narrow);
    expect(printOp(narrow).match(/"tfl.quantize"/g)).toHaveLength(2);
  });
});
