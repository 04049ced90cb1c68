/**
 * Weight-only quantized models through quantize-int8 / quantize-16x8: weights stored as f16 or int8
 * constants behind a `tfl.dequantize` feeding float ops. Each is compared with a float twin whose
 * f32 constants hold exactly the values the dequantize gives: both calibrate and quantize to the
 * same bytes, nothing stays float, nothing is reported, and real TFLite runs the result as qopt does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { denseAttr, typeAttr } from '../../src/ir/attribute.js';
import { Builder } from '../../src/ir/builder.js';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';
import type { Operation } from '../../src/ir/operation.js';
import { getOpDef } from '../../src/ir/registry.js';
import { type RankedTensorType, elementType, f16, f32, tensorType } from '../../src/ir/type.js';
import type { Value } from '../../src/ir/value.js';
import { walkPreOrder } from '../../src/ir/walk.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { TypedArray } from '../../src/interp/kernel.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import { writeNpy } from '../../src/io/npy.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { floatToHalf, halfToFloat } from '../../src/syntax/number-format.js';
import { registerAll } from '../../tools/register.js';
import { type TfliteOracle, isOracleAvailable, loadTfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { floatData } from '../../passes/lib/quant/constants.js';
import { quantizeWeights8 } from '../../passes/lib/quant/math.js';
import { type RuleConfig, genericPlan, isFloatConstant } from '../../passes/lib/quant/rules.js';
import { registerQuantPipelines } from '../../passes/quant-prepare.js';
import { HAVE_CORPUS, NO_CORPUS, readCorpus, rng } from '../support/corpus.js';

registerAll();
registerQuantPipelines();

const scratch = mkdtempSync(join(tmpdir(), 'qopt-qweightonly-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let oracle: TfliteOracle | undefined;
beforeAll(async () => {
  if (isOracleAvailable()) oracle = await loadTfliteOracle();
});

const RULES: RuleConfig = { mode: 'int8', perChannel: true, perChannelFc: false, biasType: 'int64', recordBiasType: true };

/** How the weights of a model are stored. */
type Storage = 'f16' | 'int8-plan' | 'int8-per-channel';

/** The constant operands to rewrite: every weight, and every bias too for f16 (as TFLite's float16 quantization). */
function weightConstants(m: Operation, storage: Storage): { op: Operation; index: number; axis: number | undefined }[] {
  const out: { op: Operation; index: number; axis: number | undefined }[] = [];
  for (const op of walkPreOrder(m)) {
    const def = getOpDef(op.name);
    if (!def?.quant?.weights) continue;
    const plan = genericPlan(op, def, RULES);
    if (!('plan' in plan)) continue;
    plan.plan.operands.forEach((role, index) => {
      if (!isFloatConstant(op.operand(index))) return;
      if (role.kind === 'weight' || (role.kind === 'bias' && storage === 'f16')) out.push({ op, index, axis: role.kind === 'weight' ? role.axis : undefined });
    });
  }
  return out;
}

/** Operand `index` of `op` becomes a new f32 constant holding `data`, named as the constant it replaces. */
function replaceWithFloat(b: Builder, op: Operation, index: number, data: Float32Array): void {
  const v = op.operand(index);
  const t = tensorType((v.type as RankedTensorType).shape, f32());
  b.setInsertionPointBefore(op);
  const c = b.create({ name: 'tfl.pseudo_const', resultTypes: [t], attributes: { value: denseAttr(t, new Uint8Array(data.buffer.slice(0))) }, loc: v.definingOp!.loc });
  replaceOperand(b, op, index, c.result(0));
}

/** Operand `index` of `op` becomes `nv`; the constant it read goes when unused. */
function replaceOperand(b: Builder, op: Operation, index: number, nv: Value): void {
  const old = op.operand(index).definingOp!;
  b.modifyInPlace(op, () => op.setOperand(index, nv));
  if (old.isUseEmpty) b.eraseOp(old);
}

/**
 * Rewrites `m` into a weight-only quantized model (`weightOnly`: constant + dequantize, the dequantize
 * named as the float constant) or into its float twin (f32 constants of the values the dequantize
 * gives). int8-plan: the plan's own int8 weights (kept as they are); int8-per-channel: per channel
 * along axis 0 (fully_connected plans per tensor: requantized). Returns how many constants changed.
 */
function rewrite(m: Operation, storage: Storage, weightOnly: boolean): number {
  const b = new Builder();
  const sites = weightConstants(m, storage);
  for (const { op, index, axis } of sites) {
    const v = op.operand(index);
    const shape = (v.type as RankedTensorType).shape;
    const data = floatData(v);
    const loc = v.definingOp!.loc;
    b.setInsertionPointBefore(op);
    if (storage === 'f16') {
      const halves = Uint16Array.from(data, (x) => floatToHalf(x));
      if (!weightOnly) {
        replaceWithFloat(b, op, index, Float32Array.from(halves, (h) => halfToFloat(h)));
        continue;
      }
      const ht = tensorType(shape, f16());
      const h = b.create({ name: 'tfl.pseudo_const', resultTypes: [ht], attributes: { value: denseAttr(ht, new Uint8Array(halves.buffer)) }, loc });
      const dq = b.create({ name: 'tfl.dequantize', operands: [h.result(0)], resultTypes: [v.type], loc });
      replaceOperand(b, op, index, dq.result(0));
      continue;
    }
    const c = quantizeWeights8(data, shape, storage === 'int8-plan' ? axis : 0);
    const qt = tensorType(shape, c.type);
    const bytes = new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength).slice();
    const q = b.create({ name: 'tfl.pseudo_qconst', resultTypes: [qt], attributes: { qtype: typeAttr(qt), value: denseAttr(tensorType(shape, c.type.storage), bytes) }, loc });
    if (!weightOnly) {
      const back = floatData(q.result(0));
      b.eraseOp(q);
      replaceWithFloat(b, op, index, back);
      continue;
    }
    const dq = b.create({ name: 'tfl.dequantize', operands: [q.result(0)], resultTypes: [v.type], loc });
    replaceOperand(b, op, index, dq.result(0));
  }
  return sites.length;
}

/** Calibration samples of the single input, seeded uniform in [lo, hi]. */
function samples(m: Operation, n: number, seed: number, lo: number, hi: number): Float32Array[] {
  const arg = findFunc(m, 'main')!.regions[0]!.blocks[0]!.args[0]!;
  const size = (arg.type as RankedTensorType).shape.reduce((a, d) => a * Math.max(d, 1), 1);
  const r = rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => lo + (hi - lo) * r()));
}

let fileNo = 0;
function calibrationFile(m: Operation, xs: Float32Array[]): string {
  const arg = findFunc(m, 'main')!.regions[0]!.blocks[0]!.args[0]!;
  const shape = (arg.type as RankedTensorType).shape.map((d) => Math.max(d, 1));
  const data = new Float32Array(xs.length * xs[0]!.length);
  xs.forEach((x, i) => data.set(x, i * x.length));
  const p = join(scratch, `c${fileNo++}.npy`);
  writeNpy(p, { dtype: 'f32', shape: [xs.length, ...shape], data });
  return p;
}

/** Calibrates and quantizes `m` in place; returns the non-remark diagnostics and the remarks. */
function quantize(m: Operation, mode: 'int8' | '16x8', data: string): { problems: string[]; remarks: string[] } {
  const r = PassManager.fromPipeline(mode === 'int8' ? 'quantize-int8' : 'quantize-16x8', { flags: { calibrationData: data } }).run(m);
  return { problems: r.diagnostics.filter((d) => d.severity !== 'remark').map(formatDiagnostic), remarks: r.diagnostics.filter((d) => d.severity === 'remark').map((d) => d.message) };
}

/** Ops with an f32 (or f16) tensor besides the float interface's edge quantize/dequantize. */
function floatOps(func: Operation): string[] {
  const isFloat = (v: Value): boolean => (v.type.kind === 'tensor' || v.type.kind === 'unranked_tensor') && elementType(v.type).kind === 'float';
  const args = new Set<Value>(func.regions[0]!.blocks[0]!.args);
  const out: string[] = [];
  for (const op of func.regions[0]!.blocks[0]!.ops()) {
    if (op.name === 'func.return') continue;
    if (op.name === 'tfl.quantize' && args.has(op.operand(0))) continue;
    if (op.name === 'tfl.dequantize' && op.result(0).users().every((u) => u.name === 'func.return')) continue;
    if (op.operands.some((o) => isFloat(o.value)) || op.results.some((r) => isFloat(r))) out.push(op.name);
  }
  return out;
}

function runAll(func: Operation, xs: Float32Array[]): TypedArray[] {
  const it = new Interpreter(func, { kernels: registeredKernels() });
  return xs.map((x) => {
    it.reset();
    return it.run([x])[0]!.data.slice();
  });
}

function nums(a: unknown): number[] {
  return Array.from(a as ArrayLike<number>, Number);
}

/** The model without quantized_bias_type attributes (TFLite 2.12 lacks the op versions they imply for 16x8). */
function withoutBiasTypeAttr(m: Operation): Uint8Array {
  const copy = importTflite(exportTflite(m), 'copy.tflite');
  for (const op of walkPreOrder(copy)) if (op.attr('quantized_bias_type')) op.removeAttr('quantized_bias_type');
  return exportTflite(copy);
}

/** Outputs of real TFLite on `xs` equal qopt's `want` exactly. */
function expectOracleAgrees(bytes: Uint8Array, xs: Float32Array[], want: TypedArray[]): void {
  if (!oracle) return;
  const runner = oracle.createRunner(bytes, { builtinOnly: true, freshStatePerRun: true });
  try {
    xs.forEach((x, i) => expect(nums(runner.run([x])[0]!), `sample ${i}`).toEqual(nums(want[i]!)));
  } finally {
    runner.dispose();
  }
}

const MODELS: { name: string; file: string; range: [number, number] }[] = [
  { name: 'hello_world_float', file: 'hello_world/hello_world_float.tflite', range: [0, 6.28] },
  { name: 'ad01_fp32', file: 'mlcommons/ad01_fp32.tflite', range: [-1, 1] },
];
const load = (file: string): Operation => importTflite(readCorpus(file), file);

describe.skipIf(!HAVE_CORPUS)('weight-only quantized models', () => {
  for (const c of MODELS)
    it(`${c.name}: the f16 and int8 weight-only forms run as their float twins`, () => {
      const xs = samples(load(c.file), 4, 2, c.range[0], c.range[1]);
      expect(oracle !== undefined).toBe(isOracleAvailable());
      for (const storage of ['f16', 'int8-per-channel'] as const) {
        const wo = load(c.file);
        const twin = load(c.file);
        expect(rewrite(wo, storage, true)).toBeGreaterThan(0);
        rewrite(twin, storage, false);
        const want = runAll(findFunc(twin, 'main')!, xs);
        const got = runAll(findFunc(wo, 'main')!, xs);
        got.forEach((g, i) => expect(nums(g), `${storage} sample ${i}`).toEqual(nums(want[i]!)));
        expectOracleAgrees(exportTflite(wo), xs, got);
      }
    });

  for (const c of MODELS)
    for (const storage of ['f16', 'int8-plan', 'int8-per-channel'] as const)
      for (const mode of ['int8', '16x8'] as const)
        it(`${c.name}, ${storage} weights: ${mode} gives the float twin's bytes`, () => {
          const wo = load(c.file);
          const twin = load(c.file);
          const n = rewrite(wo, storage, true);
          expect(n).toBeGreaterThan(0);
          rewrite(twin, storage, false);
          const data = calibrationFile(wo, samples(wo, 16, 3, c.range[0], c.range[1]));
          const a = quantize(twin, mode, data);
          const b = quantize(wo, mode, data);
          expect(a.problems).toEqual([]);
          expect(b.problems).toEqual([]);
          // Weights that do not fit the plan (per channel where fully_connected is per tensor) are
          // requantized with a remark; the plan's own int8 weights and f16 weights need none.
          const requantized = b.remarks.filter((r) => r.includes('quantized weights'));
          expect(requantized).toHaveLength(storage === 'int8-per-channel' ? n : 0);
          const bytes = exportTflite(wo);
          expect(Buffer.from(bytes).equals(Buffer.from(exportTflite(twin)))).toBe(true);
          const back = importTflite(bytes, 'q.tflite');
          expect(floatOps(findFunc(back, 'main')!)).toEqual([]);
          const xs = samples(back, 4, 4, c.range[0], c.range[1]);
          expectOracleAgrees(mode === '16x8' ? withoutBiasTypeAttr(wo) : bytes, xs, runAll(findFunc(back, 'main')!, xs));
        });
});

if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
