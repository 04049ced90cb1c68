// Malformed text gives located diagnostics, never a crash: hand-picked cases plus a mutation fuzz.
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/ir/diagnostic.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';

const VALID = `module {
  func.func @main(%arg0: tensor<1x4xf32>, %arg1: tensor<4x4x!quant.uniform<i8<-127:127>:f32:0, {0.1,0.2,0.3,0.4}>>) -> tensor<1x4xf32> {
    %0 = "tfl.pseudo_const"() {value = dense<[[1.0, 2.0, 3.0, 4.0]]> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
    %1 = "tfl.add"(%arg0, %0) {fused_activation_function = "RELU6"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32> loc("add")
    %2 = "tfl.quantize"(%1) {qtype = tensor<1x4x!quant.uniform<i8:f32, 0.05:-3>>} : (tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<i8:f32, 0.05:-3>>
    %3 = "tfl.dequantize"(%2) : (tensor<1x4x!quant.uniform<i8:f32, 0.05:-3>>) -> tensor<1x4xf32>
    return %3 : tensor<1x4xf32>
  }
}
`;

function expectLocated(text: string, re?: RegExp): void {
  try {
    parseSource(text, 'in.mlir');
  } catch (e) {
    expect(e).toBeInstanceOf(DiagnosticError);
    const msg = (e as DiagnosticError).message;
    expect(msg).toMatch(/^in\.mlir:\d+:\d+: error: /);
    if (re) expect(msg).toMatch(re);
    return;
  }
  if (re) throw new Error(`expected an error matching ${re}`);
}

describe('parse errors', () => {
  it('are located and specific', () => {
    expectLocated('"x"() : () -> tensor<2xf32', /expected '>' to close tensor type/);
    expectLocated('func.func @f() {\n  "x"(%q) : (i32) -> ()\n  return\n}', /in\.mlir:2:7: error: use of undeclared SSA value name '%q'/);
    expectLocated('"x"() {a = dense<[1, 2]> : tensor<3xi32>} : () -> ()', /does not match type/);
    expectLocated('"x"() {a = 300 : i8} : () -> ()', /out of range/);
    expectLocated('"x"() : () -> tensor<2x!quant.uniform<i8:f32, -1.0>>', /illegal scale/);
    expectLocated('"x"() : () -> tensor<2x!quant.uniform<i8:f32, 1.0:200>>', /illegal zero point/);
    expectLocated('"x"() : () -> !quant.calibrated<f32<2.0:1.0>>', /illegal calibrated range/);
    expectLocated('%0 = "x"() : () -> (i32, i32)', /defines 2 results but was provided 1/);
    expectLocated('"x"() {a = 1, a = 2} : () -> ()', /duplicate key/);
    expectLocated('foo.bar', /custom op 'foo.bar' is unknown/);
  });
  it('survive deep nesting without a stack overflow', () => {
    expectLocated(`"x"() {a = ${'['.repeat(100000)}} : () -> ()`);
  });
});

describe('mutation fuzz', () => {
  // Seeded PRNG (mulberry32) so failures reproduce.
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  it('only ever produces structured errors or valid IR (3000 mutants)', () => {
    const r = rng(12345);
    const tokens = VALID.split(/(\s+)/);
    const charset = '{}[]()<>%^@#!":=,-x?*0123456789abcdef. \n';
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      let text: string;
      const kind = i % 4;
      if (kind === 0) text = VALID.slice(0, Math.floor(r() * VALID.length));
      else if (kind === 1) {
        const chars = [...VALID];
        const n = 1 + Math.floor(r() * 4);
        for (let k = 0; k < n; k++) chars[Math.floor(r() * chars.length)] = charset[Math.floor(r() * charset.length)]!;
        text = chars.join('');
      } else if (kind === 2) {
        const t = [...tokens];
        t.splice(Math.floor(r() * t.length), 1 + Math.floor(r() * 3));
        text = t.join('');
      } else {
        const t = [...tokens];
        const a = Math.floor(r() * t.length);
        t.splice(Math.floor(r() * t.length), 0, t[a]!);
        text = t.join('');
      }
      try {
        const m = parseSource(text, 'fuzz.mlir');
        printOp(m);
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw new Error(`mutant ${i} threw ${(e as Error).stack}\n---\n${text}`);
        expect((e as DiagnosticError).message).toMatch(/^fuzz\.mlir:\d+:\d+: error: /);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(1500);
  });
});
