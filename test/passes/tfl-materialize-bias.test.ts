/**
 * `tfl-materialize-bias`: bias-less conv_2d / depthwise_conv_2d (and, with ops=, transpose_conv /
 * fully_connected) in float, int8 (per channel and per tensor) and 16x8. The zero bias has the type
 * quant-prepare derives (checked against an independent computation), qopt's interpreter gives the
 * same output bytes before and after in both kernel flavours, and — with tfjs-tflite installed —
 * real TFLite 2.12 rejects the exported conv/depthwise models before the pass ("Tensor at index 2 was
 * optional but was expected"), accepts them after, and computes qopt's output on the original, byte
 * for byte.
 */
import { describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { KernelFlavour, TypedArray } from '../../src/interp/kernel.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import type { Operation } from '../../src/ir/operation.js';
import { type Type, f32, i32, i64, tensorType, uniformPerAxisQuantType, uniformQuantType } from '../../src/ir/type.js';
import { walkPreOrder } from '../../src/ir/walk.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { getPass } from '../../src/pass/registry.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { isOracleAvailable, loadTfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { registerAll } from '../../tools/register.js';
import { BIAS_REQUIRED_BY_TFLITE_2_12 } from '../../passes/tfl-materialize-bias.js';
import { randomTyped, rng, sameBytes } from '../support/corpus.js';

registerAll();

type Mode = 'f32' | 'int8' | 'int8-per-tensor' | '16x8';
type OpKind = 'conv_2d' | 'depthwise_conv_2d' | 'transpose_conv' | 'fully_connected';

/** Shapes of each op's case: input, filter (output channels on `axis`), output. */
const GEOMETRY: Readonly<Record<OpKind, { x: number[]; w: number[]; y: number[]; axis: number; attrs: string }>> = {
  conv_2d: {
    x: [1, 5, 5, 3],
    w: [4, 3, 3, 3],
    y: [1, 5, 5, 4],
    axis: 0,
    attrs: 'dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "SAME", stride_h = 1 : i32, stride_w = 1 : i32',
  },
  depthwise_conv_2d: {
    x: [1, 5, 5, 3],
    w: [1, 3, 3, 6],
    y: [1, 3, 3, 6],
    axis: 3,
    attrs: 'depth_multiplier = 2 : i32, dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "RELU", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32',
  },
  transpose_conv: {
    x: [1, 3, 3, 3],
    w: [4, 3, 3, 3],
    y: [1, 5, 5, 4],
    axis: 0,
    attrs: 'fused_activation_function = "NONE", padding = "SAME", stride_h = 2 : i32, stride_w = 2 : i32',
  },
  fully_connected: { x: [2, 12], w: [5, 12], y: [2, 5], axis: 0, attrs: 'fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"' },
};

/** Activation scales per mode: int8 zero points are asymmetric, int16 ones 0. */
const S_IN = 0.05;
const S_IN16 = 1 / 4096;

interface Case {
  readonly op: OpKind;
  readonly mode: Mode;
}

const CASES: readonly Case[] = (['conv_2d', 'depthwise_conv_2d', 'transpose_conv', 'fully_connected'] as const).flatMap((op) =>
  (['f32', 'int8', 'int8-per-tensor', '16x8'] as const).map((mode) => ({ op, mode })),
);

function caseName(c: Case): string {
  return `${c.op} ${c.mode}`;
}

function tensor(shape: readonly number[], e: string): string {
  return `tensor<${shape.join('x')}x${e}>`;
}

function nested(shape: readonly number[], at: (i: number) => string): string {
  let i = 0;
  const rec = (d: number): string =>
    '[' + Array.from({ length: shape[d]! }, () => (d === shape.length - 1 ? at(i++) : rec(d + 1))).join(', ') + ']';
  return rec(0);
}

/** Per-channel filter scales of a case (distinct, not powers of two: the float32 products round). */
function filterScales(c: Case): number[] {
  const g = GEOMETRY[c.op];
  return Array.from({ length: g.w[g.axis]! }, (_, k) => 0.01 + 0.0037 * k);
}

/** The case as an MLIR module: @main(x) = op(x, filter, none). */
function caseSource(c: Case): string {
  const g = GEOMETRY[c.op];
  const r = rng(17);
  const n = g.w.reduce((a, b) => a * b, 1);
  const ints = Array.from({ length: n }, () => Math.floor(r() * 255) - 127);
  let xe: string;
  let ye: string;
  let wt: string;
  let wconst: string;
  if (c.mode === 'f32') {
    xe = ye = 'f32';
    wt = tensor(g.w, 'f32');
    wconst = `"tfl.pseudo_const"() {value = dense<${nested(g.w, (i) => (ints[i]! / 256).toString())}> : ${wt}} : () -> ${wt}`;
  } else {
    const wide = c.mode === '16x8';
    xe = wide ? `!quant.uniform<i16:f32, ${S_IN16}>` : `!quant.uniform<i8:f32, ${S_IN}:-7>`;
    ye = wide ? `!quant.uniform<i16:f32, ${S_IN16 * 2}>` : `!quant.uniform<i8:f32, 0.1:3>`;
    const we =
      c.mode === 'int8-per-tensor' ? '!quant.uniform<i8<-127:127>:f32, 0.02>' : `!quant.uniform<i8<-127:127>:f32:${g.axis}, {${filterScales(c).join(',')}}>`;
    wt = tensor(g.w, we);
    wconst = `"tfl.pseudo_qconst"() {qtype = ${wt}, value = dense<${nested(g.w, (i) => String(ints[i]))}> : ${tensor(g.w, 'i8')}} : () -> ${wt}`;
  }
  const xt = tensor(g.x, xe);
  const yt = tensor(g.y, ye);
  const call =
    c.op === 'transpose_conv'
      ? `%s = "tfl.pseudo_const"() {value = dense<[${g.y.join(', ')}]> : tensor<4xi32>} : () -> tensor<4xi32>
    %y = "tfl.transpose_conv"(%s, %w, %x, %none) {${g.attrs}} : (tensor<4xi32>, ${wt}, ${xt}, none) -> ${yt}`
      : `%y = "tfl.${c.op}"(%x, %w, %none) {${g.attrs}} : (${xt}, ${wt}, none) -> ${yt}`;
  return `module {
  func.func @main(%x: ${xt}) -> ${yt} {
    %w = ${wconst}
    %none = "tfl.no_value"() {value} : () -> none
    ${call}
    return %y : ${yt}
  }
}`;
}

/**
 * The bias type the case must get, computed here independently: float32(s_in * s_w), zero point 0;
 * 16x8 int64, except int32 for fully_connected / transpose_conv under TF 2.12's kernels (the
 * accumulator they use bias-less there).
 */
function expectedBiasType(c: Case, flavour: KernelFlavour): Type {
  const g = GEOMETRY[c.op];
  const outC = g.w[g.axis]!;
  if (c.mode === 'f32') return tensorType([outC], f32());
  const int32Path = flavour === 'tflite' && (c.op === 'fully_connected' || c.op === 'transpose_conv');
  const storage = c.mode === '16x8' && !int32Path ? i64() : i32();
  const sIn = Math.fround(c.mode === '16x8' ? S_IN16 : S_IN);
  if (c.mode === 'int8-per-tensor') return tensorType([outC], uniformQuantType(storage, f32(), Math.fround(sIn * Math.fround(0.02)), 0));
  const scales = filterScales(c).map((s) => Math.fround(sIn * Math.fround(s)));
  return tensorType([outC], uniformPerAxisQuantType(storage, f32(), 0, scales, scales.map(() => 0)));
}

function pipelineFor(c: Case): string {
  return BIAS_REQUIRED_BY_TFLITE_2_12.includes(c.op) ? 'tfl-materialize-bias' : `tfl-materialize-bias{ops=${c.op}}`;
}

function materialize(m: Operation, pipeline: string, flavour: KernelFlavour = 'tflite'): boolean {
  const r = PassManager.fromPipeline(pipeline, { flags: { kernels: flavour } }).run(m);
  expect(r.diagnostics).toEqual([]);
  expect(r.ok).toBe(true);
  return r.changed;
}

function mainOp(m: Operation, c: Case): Operation {
  return [...walkPreOrder(m)].find((o) => o.name === `tfl.${c.op}`)!;
}

function biasIndex(c: Case): number {
  return c.op === 'transpose_conv' ? 3 : 2;
}

/** Five seeded random inputs for a function's single input. */
function inputs(m: Operation): TypedArray[][] {
  const t = new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() }).inputs[0]!;
  const r = rng(5);
  return [0, 1, 2, 3, 4].map(() => [randomTyped(t.dtype, t.shape.reduce((a, b) => a * b, 1), r)]);
}

function outputs(m: Operation, xs: readonly TypedArray[][], flavour: KernelFlavour): TypedArray[] {
  const interp = new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels(), flavour });
  return xs.map((x) => interp.run(x)[0]!.data);
}

describe('tfl-materialize-bias: the zero bias, in qopt', () => {
  it('is a shipped pass whose default ops are conv_2d and depthwise_conv_2d', () => {
    expect(getPass('tfl-materialize-bias')?.options['ops']?.default).toEqual(['conv_2d', 'depthwise_conv_2d']);
  });

  for (const c of CASES) {
    it(`${caseName(c)}: bias of the derived type; output bytes unchanged in both kernel flavours`, () => {
      const before = parseSource(caseSource(c), 'x.mlir');
      const xs = inputs(before);
      for (const flavour of ['tflite', 'tflm'] as const) {
        const after = parseSource(caseSource(c), 'x.mlir');
        expect(mainOp(after, c).operand(biasIndex(c)).type.kind).toBe('none');
        expect(materialize(after, pipelineFor(c), flavour)).toBe(true);
        const bias = mainOp(after, c).operand(biasIndex(c));
        expect(bias.type, flavour).toBe(expectedBiasType(c, flavour));
        expect(bias.definingOp?.name).toBe(c.mode === 'f32' ? 'tfl.pseudo_const' : 'tfl.pseudo_qconst');
        const value = bias.definingOp?.attr('value');
        expect(value?.kind === 'dense' && Array.from(value.bytes).every((b) => b === 0)).toBe(true);
        expect(printOp(after)).not.toContain('tfl.no_value');
        // Idempotent: nothing left to do.
        const text = printOp(after);
        expect(materialize(after, pipelineFor(c), flavour)).toBe(false);
        expect(printOp(after)).toBe(text);
        const a = outputs(before, xs, flavour);
        const b = outputs(after, xs, flavour);
        a.forEach((y, k) => expect(sameBytes(b[k]!, y), `${flavour} sample ${k}`).toBe(true));
      }
    });
  }

  it('leaves fully_connected and transpose_conv alone by default', () => {
    for (const op of ['fully_connected', 'transpose_conv'] as const) {
      const m = parseSource(caseSource({ op, mode: 'int8' }), 'x.mlir');
      const text = printOp(m);
      expect(materialize(m, 'tfl-materialize-bias')).toBe(false);
      expect(printOp(m)).toBe(text);
    }
  });
});

const NO_ORACLE = 'skipped: @tensorflow/tfjs-tflite is not installed';

describe.skipIf(!isOracleAvailable())(
  `tfl-materialize-bias in real TFLite 2.12 (tfjs-tflite, builtin kernels)${isOracleAvailable() ? '' : ` (${NO_ORACLE})`}`,
  () => {
    for (const c of CASES) {
      const required = BIAS_REQUIRED_BY_TFLITE_2_12.includes(c.op);
      it(`${caseName(c)}: ${required ? 'rejected before, accepted after' : 'accepted before and after'}, with qopt's output on the original`, async () => {
        const oracle = await loadTfliteOracle();
        const before = parseSource(caseSource(c), 'x.mlir');
        const after = parseSource(caseSource(c), 'x.mlir');
        materialize(after, pipelineFor(c));
        const xs = inputs(before);
        const want = outputs(before, xs, 'tflite');
        const runners = [after, ...(required ? [] : [before])].map((m) => oracle.createRunner(exportTflite(m), { builtinOnly: true }));
        try {
          if (required) {
            const kernel = c.op === 'conv_2d' ? 'CONV_2D' : 'DEPTHWISE_CONV_2D';
            expect(() => oracle.createRunner(exportTflite(before), { builtinOnly: true }).dispose()).toThrow(
              new RegExp(`Tensor at index 2 was optional but was expected[\\s\\S]*\\(${kernel}\\) failed to prepare`),
            );
          }
          for (const runner of runners) {
            xs.forEach((x, k) => expect(sameBytes(runner.run(x)[0]!, want[k]!), `sample ${k}`).toBe(true));
          }
        } finally {
          for (const r of runners) r.dispose();
        }
      });
    }
  },
);
