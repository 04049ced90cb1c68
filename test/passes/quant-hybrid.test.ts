/**
 * Hybrid (dynamic-range quantized) weights through quant-prepare. A float model and its "hybridized"
 * twin — every weight constant replaced by exactly the int8 constant the quantizer would choose for
 * it, used straight by the float op — calibrated once and quantized with the same ranges give
 * byte-identical .tflite files: kept weights are not rounded again and give the same bias scales.
 * Weights that do not fit the plan (per channel where the plan is per tensor) are requantized with
 * a remark, and nothing stays float.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { denseAttr, typeAttr } from '../../src/ir/attribute.js';
import { Builder } from '../../src/ir/builder.js';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';
import type { Operation } from '../../src/ir/operation.js';
import { getOpDef } from '../../src/ir/registry.js';
import { type RankedTensorType, elementType, f32, tensorType } from '../../src/ir/type.js';
import { walkPreOrder } from '../../src/ir/walk.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { writeNpy } from '../../src/io/npy.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerAll } from '../../tools/register.js';
import { floatData } from '../../passes/lib/quant/constants.js';
import { quantizeWeights8 } from '../../passes/lib/quant/math.js';
import { type RuleConfig, genericPlan, isFloatConstant, isQuantizedConstant } from '../../passes/lib/quant/rules.js';
import { registerQuantPipelines } from '../../passes/quant-prepare.js';
import { HAVE_CORPUS, NO_CORPUS, readCorpus, rng } from '../support/corpus.js';

registerAll();
registerQuantPipelines();

const scratch = mkdtempSync(join(tmpdir(), 'qopt-qhybrid-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const RULES: RuleConfig = { mode: 'int8', perChannel: true, perChannelFc: false, biasType: 'int64', recordBiasType: true };

/**
 * Replaces the float weights of every op with a weight spec by int8 constants: the plan's own
 * quantization (`axisOf` undefined), or along the axis `axisOf` gives.
 */
function hybridize(m: Operation, axisOf?: (op: Operation) => number | undefined): number {
  const b = new Builder();
  let n = 0;
  for (const op of [...walkPreOrder(m)]) {
    const def = getOpDef(op.name);
    if (!def?.quant?.weights) continue;
    const plan = genericPlan(op, def, RULES);
    if (!('plan' in plan)) continue;
    plan.plan.operands.forEach((role, i) => {
      const v = op.operand(i);
      if (role.kind !== 'weight' || !isFloatConstant(v)) return;
      const shape = (v.type as RankedTensorType).shape;
      const c = quantizeWeights8(floatData(v), shape, axisOf ? axisOf(op) : role.axis);
      const qt = tensorType(shape, c.type);
      const bytes = new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength).slice();
      b.setInsertionPointBefore(op);
      const q = b.create({
        name: 'tfl.pseudo_qconst',
        resultTypes: [qt],
        attributes: { qtype: typeAttr(qt), value: denseAttr(tensorType(shape, c.type.storage), bytes) },
        loc: v.definingOp!.loc,
      });
      const old = v.definingOp!;
      b.modifyInPlace(op, () => op.setOperand(i, q.result(0)));
      if (old.isUseEmpty) b.eraseOp(old);
      n++;
    });
  }
  return n;
}

/** kws_ref_model_float32 with its int8 weights dequantized: a float model (conv, depthwise, FC). */
function floatTwinOfKws(): Operation {
  const m = importTflite(readCorpus('mlcommons/kws_ref_model_float32.tflite'), 'kws.tflite');
  const b = new Builder();
  for (const op of [...walkPreOrder(m)]) {
    if (op.name !== 'tfl.pseudo_qconst' || !isQuantizedConstant(op.result(0))) continue;
    const v = op.result(0);
    const t = tensorType((v.type as RankedTensorType).shape, f32());
    b.setInsertionPointAfter(op);
    const c = b.create({ name: 'tfl.pseudo_const', resultTypes: [t], attributes: { value: denseAttr(t, new Uint8Array(floatData(v).buffer)) }, loc: op.loc });
    b.replaceAllUsesWith(v, c.result(0));
    b.eraseOp(op);
  }
  return m;
}

/** Calibrates `m` in place on seeded uniform samples of its single input. */
function calibrate(m: Operation, lo: number, hi: number): void {
  const arg = findFunc(m, 'main')!.regions[0]!.blocks[0]!.args[0]!;
  const shape = (arg.type as RankedTensorType).shape.map((d) => (d < 0 ? 1 : d));
  const size = shape.reduce((a, b) => a * b, 1);
  const r = rng(3);
  const n = 16;
  const data = Float32Array.from({ length: n * size }, () => lo + (hi - lo) * r());
  const file = join(scratch, `c${Math.floor(r() * 1e9)}.npy`);
  writeNpy(file, { dtype: 'f32', shape: [n, ...shape], data });
  const res = PassManager.fromPipeline('quant-insert-calibration,quant-calibrate', { flags: { calibrationData: file } }).run(m);
  expect(res.ok, res.diagnostics.map(formatDiagnostic).join('\n')).toBe(true);
}

function quantize(m: Operation, mode: 'int8' | '16x8'): { bytes: Uint8Array; remarks: string[] } {
  const r = PassManager.fromPipeline(`quant-prepare{mode=${mode}},quant-quantize,canonicalize`).run(m);
  const bad = r.diagnostics.filter((d) => d.severity !== 'remark').map(formatDiagnostic);
  expect(bad).toEqual([]);
  return { bytes: exportTflite(m), remarks: r.diagnostics.filter((d) => d.severity === 'remark').map((d) => d.message) };
}

const MODELS: { name: string; load: () => Operation; range: [number, number] }[] = [
  { name: 'hello_world_float (FC, per tensor)', load: () => importTflite(readCorpus('hello_world/hello_world_float.tflite'), 'h.tflite'), range: [0, 6.28] },
  { name: 'ad01_fp32 (10 FC layers)', load: () => importTflite(readCorpus('mlcommons/ad01_fp32.tflite'), 'ad.tflite'), range: [-1, 1] },
  { name: 'kws float twin (conv and depthwise per channel, FC)', load: floatTwinOfKws, range: [-120, 25] },
];

describe.skipIf(!HAVE_CORPUS)('hybrid weights that fit the plan are kept as they are', () => {
  for (const c of MODELS)
    for (const mode of ['int8', '16x8'] as const)
      it(`${c.name}: ${mode}: the hybridized twin quantizes to the same bytes`, () => {
        const m = c.load();
        calibrate(m, c.range[0], c.range[1]);
        const text = printOp(m);
        const plain = parseSource(text, 'float.mlir');
        const hybrid = parseSource(text, 'hybrid.mlir');
        expect(hybridize(hybrid)).toBeGreaterThan(0);
        const a = quantize(plain, mode);
        const b = quantize(hybrid, mode);
        expect(b.remarks.filter((r) => r.includes('quantized weights'))).toEqual([]);
        expect(b.bytes.length).toBe(a.bytes.length);
        expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
      });

  it('per-channel fully_connected weights where the plan is per tensor are requantized, with a remark', () => {
    const m = importTflite(readCorpus('hello_world/hello_world_float.tflite'), 'h.tflite');
    calibrate(m, 0, 6.28);
    expect(hybridize(m, () => 0)).toBe(3);
    const { bytes, remarks } = quantize(m, 'int8');
    expect(remarks.filter((r) => r.includes('per channel (axis 0) where the plan is per tensor'))).toHaveLength(3);
    const back = importTflite(bytes, 'q.tflite');
    for (const op of walkPreOrder(back)) {
      if (op.name !== 'tfl.fully_connected') continue;
      const w = elementType(op.operand(1).type);
      expect(w.kind).toBe('quant.uniform');
      expect(elementType(op.operand(0).type).kind).toBe('quant.uniform');
    }
  });
});

if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
