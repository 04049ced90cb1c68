/**
 * `tfl-fuse`: every function of lit-tests/passes/tfl-fuse.mlir (one per pattern, plus the cases a
 * pattern must leave alone) is run in the interpreter before and after the pass; the outputs must
 * not change. Criterion (float): |a − b| ≤ 1e-5 · max(|a|, |b|, max|a|) for every element, max|a|
 * over the whole output — 1e-5 relative, the scale floored at the output's largest magnitude:
 * folding a scale into weights rounds each product differently (w·s·x vs. (w·x)·s), so an output
 * that is a small difference of large terms keeps the terms' absolute error, not its own relative
 * one. Fusions that only move an activation or a zero-bias add are exact. Integer (quantized)
 * outputs must be identical. Every pattern of the table must fire somewhere in that
 * file, and the functions meant to stay unchanged must print the same. When tfjs-tflite is
 * installed, every fused function is also exported and run in real TFLite (it must accept the
 * fused activations and agree with the interpreter, same criterion).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringAttr } from '../../src/ir/attribute.js';
import type { Operation } from '../../src/ir/operation.js';
import { verify } from '../../src/ir/verify.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { TypedArray } from '../../src/interp/kernel.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { applyPatternsGreedily } from '../../src/rewrite/greedy.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { createModule, funcName, moduleBody, moduleFuncs } from '../../dialects/builtin/index.js';
import { TFL_FUSION_PATTERNS } from '../../dialects/tfl/fusion-patterns.js';
import { tflKernels } from '../../dialects/tfl/kernels/index.js';
import { registerAll } from '../../tools/register.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { registerTflPipelines } from '../../passes/tfl-unroll-lstm.js';
import { tflFusePass, tflFusionPatterns } from '../../passes/tfl-fuse.js';
import { REPO_ROOT, rng } from '../support/corpus.js';

registerAll();
registerTflPipelines();

const LIT = path.join(REPO_ROOT, 'lit-tests', 'passes', 'tfl-fuse.mlir');
const source = readFileSync(LIT, 'utf8');

/** Functions that no pattern may change. */
const UNCHANGED = new Set([
  'tanh_is_not_fused',
  'nothing_fused_into_concatenation',
  'no_fusion_with_two_uses',
  'no_fusion_when_quantized',
  'no_bias_fold_for_non_channel_constant',
  'split_concatenation_reordered',
]);

function parse(): Operation {
  return parseSource(source, 'tfl-fuse.mlir');
}

function funcsByName(m: Operation): Map<string, Operation> {
  return new Map(moduleFuncs(m).map((f) => [funcName(f), f]));
}

function inputsFor(interp: Interpreter, seed: number): TypedArray[] {
  const r = rng(seed);
  return interp.inputs.map((t) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (t.dtype === 'f32') return Float32Array.from({ length: n }, () => (r() * 2 - 1) * 8);
    if (t.dtype === 'i8') return Int8Array.from({ length: n }, () => Math.floor(r() * 256) - 128);
    throw new Error(`no input generator for ${t.dtype}`);
  });
}

function expectSame(a: TypedArray, b: TypedArray, what: string): void {
  expect(b.length, what).toBe(a.length);
  if (!(a instanceof Float32Array)) {
    expect(Array.from(b as ArrayLike<number>), what).toEqual(Array.from(a as ArrayLike<number>));
    return;
  }
  let norm = 0;
  for (let i = 0; i < a.length; i++) norm = Math.max(norm, Math.abs(a[i]!));
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = (b as Float32Array)[i]!;
    const rel = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), norm, 1e-30);
    if (!(rel <= 1e-5)) throw new Error(`${what}[${i}]: before ${x}, after ${y} (relative ${rel})`);
  }
}

describe('tfl-fuse: the pattern table', () => {
  it('every pattern has a name and a one-line `before -> after` doc', () => {
    expect(TFL_FUSION_PATTERNS.length).toBeGreaterThanOrEqual(12);
    const names = new Set<string>();
    for (const p of TFL_FUSION_PATTERNS) {
      expect(p.doc).toMatch(/ -> /);
      expect(p.doc).not.toMatch(/\n/);
      expect(p.root).toMatch(/^tfl\./);
      expect(names.has(p.name), p.name).toBe(false);
      names.add(p.name);
    }
    expect(tflFusionPatterns().size).toBe(TFL_FUSION_PATTERNS.length);
    expect(tflFusePass.anchor).toBe('func.func');
  });

  it('every pattern fires on the lit test file', () => {
    const m = parse();
    const fired = new Set<string>();
    for (const f of moduleFuncs(m)) applyPatternsGreedily(f, tflFusionPatterns(), { useFolds: false, onRewrite: (k) => fired.add(k) });
    for (const p of TFL_FUSION_PATTERNS) expect(fired, p.name).toContain(p.name);
    expect(verify(m)).toEqual([]);
  });
});

describe('tfl-fuse: outputs do not change (interpreter; float within 1e-5 relative)', () => {
  const before = parse();
  const after = parse();
  const r = PassManager.fromPipeline('tfl-fuse').run(after);
  const fb = funcsByName(before);
  const fa = funcsByName(after);

  it('the pass succeeds and the result verifies', () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
    expect(verify(after)).toEqual([]);
  });

  it.each([...fb.keys()])('@%s', (name) => {
    const f0 = fb.get(name)!;
    const f1 = fa.get(name)!;
    if (UNCHANGED.has(name)) expect(printOp(f1)).toBe(printOp(f0));
    else expect(printOp(f1)).not.toBe(printOp(f0));
    const i0 = new Interpreter(f0, { kernels: tflKernels });
    const i1 = new Interpreter(f1, { kernels: tflKernels });
    for (let seed = 1; seed <= 3; seed++) {
      const xs = inputsFor(i0, seed * 97 + name.length);
      const y0 = i0.run(xs);
      const y1 = i1.run(xs);
      expect(y1).toHaveLength(y0.length);
      y0.forEach((t, k) => expectSame(t.data, y1[k]!.data, `@${name} output ${k}`));
    }
  });

  it('leaves nothing to do on a second run', () => {
    const again = PassManager.fromPipeline('tfl-fuse').run(after);
    expect(again.ok).toBe(true);
    expect(again.changed).toBe(false);
  });
});

describe('tfl-fuse: limits', () => {
  it('an add whose result type broadcasts beyond the producer is not a bias add', () => {
    const m = parseSource(
      `func.func @main(%arg0: tensor<1x3xf32>) -> tensor<2x4xf32> {
        %w = "tfl.pseudo_const"() {value = dense<1.0> : tensor<4x3xf32>} : () -> tensor<4x3xf32>
        %n = "tfl.no_value"() {value} : () -> none
        %c = "tfl.pseudo_const"() {value = dense<[[1.0], [2.0]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
        %0 = "tfl.fully_connected"(%arg0, %w, %n) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x3xf32>, tensor<4x3xf32>, none) -> tensor<1x4xf32>
        %1 = "tfl.add"(%0, %c) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
        return %1 : tensor<2x4xf32>
      }`,
      'x.mlir',
    );
    const text = printOp(m);
    expect(PassManager.fromPipeline('tfl-fuse').run(m).ok).toBe(true);
    expect(printOp(m)).toBe(text);
  });

  it('an activation after an op that already clamps differently is kept', () => {
    const m = parseSource(
      `func.func @main(%arg0: tensor<3xf32>, %arg1: tensor<3xf32>) -> tensor<3xf32> {
        %0 = "tfl.add"(%arg0, %arg1) {fused_activation_function = "RELU_N1_TO_1"} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
        %1 = "tfl.relu"(%0) : (tensor<3xf32>) -> tensor<3xf32>
        return %1 : tensor<3xf32>
      }`,
      'x.mlir',
    );
    const text = printOp(m);
    expect(PassManager.fromPipeline('tfl-fuse').run(m).ok).toBe(true);
    expect(printOp(m)).toBe(text);
  });
});

describe.skipIf(!isOracleAvailable())('tfl-fuse: fused functions run in real TFLite (tfjs-tflite)', () => {
  let oracle: TfliteOracle;
  beforeAll(async () => {
    oracle = await loadTfliteOracle();
  });
  const after = parse();
  PassManager.fromPipeline('tfl-fuse').run(after);
  const names = moduleFuncs(after)
    .map(funcName)
    .filter((n) => !UNCHANGED.has(n));

  it.each(names)('@%s', (name) => {
    const f = moduleFuncs(parse()).find((x) => funcName(x) === name)!;
    // A one-function module whose function is @main, fused.
    const m = createModule();
    const clone = f.clone();
    clone.setAttr('sym_name', stringAttr('main'));
    moduleBody(m).append(clone);
    expect(PassManager.fromPipeline('tfl-fuse').run(m).ok).toBe(true);
    const interp = new Interpreter(clone, { kernels: tflKernels });
    const xs = inputsFor(interp, 5);
    const want = interp.run(xs);
    const runner = oracle.createRunner(exportTflite(m));
    const got = runner.run(xs);
    want.forEach((t, k) => expectSame(t.data, got[k]!, `@${name} output ${k} in TFLite`));
    runner.dispose();
  });
});
