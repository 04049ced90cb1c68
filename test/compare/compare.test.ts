// `qopt compare` end to end on synthetic models (no corpus needed): float vs hand-quantized int8,
// 16x8 and a badly calibrated int8; JSON, CSV and errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/driver/io.js';
import { runQopt } from '../../src/driver/qopt-main.js';
import { adaptInput } from '../../src/compare/compare.js';
import { encodeNpy } from '../../src/io/npy.js';
import { registerAll } from '../../tools/register.js';
import { dataset, floatModel, quantizedModel, synthetic } from './synthetic.js';

registerAll();
const dir = mkdtempSync(join(tmpdir(), 'qopt-compare-'));

async function qopt(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO('', dir);
  const code = await runQopt(args, io);
  return { code, out: io.out, err: io.err };
}

interface JLayer {
  name: string;
  op: string;
  matchedBy: string;
  kind: string;
  metrics: { sqnrDb: number | string; rmseOverScale: number | null; clippedFraction: number | null; count: number; maxAbsError: number };
}
interface JModel {
  label: string;
  layers: JLayer[];
  outputs: { metrics: { sqnrDb: number | string; maxAbsError: number }; argmax: { agree: number; total: number } | null }[];
  accuracy: { correct: number; total: number } | null;
  unmatchedReference: string[];
}
interface JReport {
  tool: string;
  reference: { accuracy: { correct: number; total: number } | null };
  data: { samples: number };
  models: JModel[];
  graph: { nodes: unknown[]; shown: number; total: number };
}

const SAMPLES = 40;
beforeAll(() => {
  const p = synthetic(SAMPLES);
  writeFileSync(join(dir, 'float.mlir'), floatModel(p));
  writeFileSync(join(dir, 'int8.mlir'), quantizedModel(p, 8));
  writeFileSync(join(dir, 'int16.mlir'), quantizedModel(p, 16));
  writeFileSync(join(dir, 'clipped.mlir'), quantizedModel(p, 8, 0.5));
  const d = dataset(p);
  writeFileSync(join(dir, 'x.npy'), encodeNpy({ dtype: 'f32', shape: d.shape, data: d.data }));
  writeFileSync(join(dir, 'labels.npy'), encodeNpy({ dtype: 'i32', shape: [d.labels.length], data: d.labels }));
  writeFileSync(join(dir, 'short-labels.npy'), encodeNpy({ dtype: 'i32', shape: [3], data: d.labels.slice(0, 3) }));
});

describe('qopt compare (synthetic models)', () => {
  it('compares float against int8, 16x8 and a clipping int8 model', async () => {
    const r = await qopt(['compare', 'float.mlir', 'int8.mlir', 'int16.mlir', 'clipped.mlir', '--data', 'x.npy', '--labels', 'labels.npy', '--json', 'r.json', '--csv', 'r.csv']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // Terminal: one table per model, header aligned, the summary.
    expect(r.out).toContain(`reference float.mlir; ${SAMPLES} sample(s) from x.npy; kernels tflite`);
    for (const m of ['int8.mlir', 'int16.mlir', 'clipped.mlir']) expect(r.out).toContain(`${m}: 4 layer(s) compared, worst SQNR first`);
    expect(r.out).toMatch(/#\s+layer\s+op\s+type\s+elems\s+mean err\s+max\|err\|\s+RMSE\s+RMSE\/s\s+SQNR dB\s+used\s+clipped/);
    expect(r.out).toMatch(/float\.mlir \(reference\).*40\/40 \(100\.0%\)/);

    const j = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JReport;
    expect(j.tool).toBe('qopt compare');
    expect(j.data.samples).toBe(SAMPLES);
    const [i8, i16, clip] = j.models as [JModel, JModel, JModel];
    const by = (m: JModel, name: string): JLayer => m.layers.find((l) => l.name === name)!;
    expect(i8.layers.map((l) => `${l.name}:${l.matchedBy}`)).toEqual(['serving_default_x:0:input', 'dense/Relu:part', 'logits:structure', 'Identity:0:output']);
    expect(i8.unmatchedReference).toEqual([]);
    // The input is quantized from the float data: ideal rounding, RMSE/scale ~ 1/sqrt(12).
    const input = by(i8, 'serving_default_x:0');
    expect(input.op).toBe('tfl.quantize');
    expect(input.metrics.count).toBe(SAMPLES * 8);
    expect(input.metrics.rmseOverScale!).toBeGreaterThan(0.22);
    expect(input.metrics.rmseOverScale!).toBeLessThan(0.36);
    expect(input.metrics.clippedFraction!).toBeLessThan(0.01); // [-1, 1] in [-128, 127] * 2/255: the top 0.4% clips
    // Good quantization keeps the outputs; 16x8 beats int8; bad calibration clips and hurts.
    expect(i8.outputs[0]!.argmax).toEqual({ agree: SAMPLES, total: SAMPLES });
    expect(i16.outputs[0]!.argmax!.agree).toBe(SAMPLES);
    expect(i8.accuracy).toEqual({ correct: SAMPLES, total: SAMPLES });
    expect(j.reference.accuracy).toEqual({ correct: SAMPLES, total: SAMPLES });
    const sq = (m: JModel): number => m.outputs[0]!.metrics.sqnrDb as number;
    expect(sq(i8)).toBeGreaterThan(35);
    expect(sq(i16)).toBeGreaterThan(sq(i8));
    expect(sq(clip)).toBeLessThan(sq(i8) - 10);
    expect(by(clip, 'serving_default_x:0').metrics.clippedFraction!).toBeGreaterThan(0.3);
    expect(by(clip, 'dense/Relu').metrics.clippedFraction!).toBeGreaterThan(0);
    expect(by(i16, 'dense/Relu').metrics.sqnrDb as number).toBeGreaterThan(by(i8, 'dense/Relu').metrics.sqnrDb as number);
    // Worst first in the terminal: the clipped model's table starts with a low-SQNR layer.
    const clipTable = r.out.slice(r.out.indexOf('clipped.mlir: '));
    const firstRow = clipTable.split('\n')[3]!;
    expect(Number(firstRow.trim().split(/\s+/)[9])).toBeLessThan(15);
    expect(j.graph.shown).toBe(j.graph.total);
    expect(j.graph.nodes).toHaveLength(4);

    const csv = readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'model,order,name,test_name,op,kind,dtype,shape,elements,values,mean_error,mean_abs_error,max_abs_error,rmse,rmse_over_scale,sqnr_db,ref_min,ref_max,test_min,test_max,representable_min,representable_max,range_used,clipped_fraction,matched_by',
    );
    expect(csv).toHaveLength(1 + 3 * 4);
    expect(csv[2]).toMatch(/^int8\.mlir,1,dense\/Relu,dense\/MatMul;dense\/Relu;dense\/BiasAdd,tfl\.fully_connected,result,i8,1x16,16,640,/);
  });

  it('compares weights with --weights, sorts by name and limits samples', async () => {
    const r = await qopt(['compare', 'float.mlir', 'int8.mlir', '--data', 'x.npy', '--weights', '--sort', 'name', '--limit', '5', '--json', 'w.json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'w.json'), 'utf8')) as JReport;
    expect(j.data.samples).toBe(5);
    const m = j.models[0]!;
    const w = m.layers.find((l) => l.name === 'dense/MatMul')!;
    expect(w.kind).toBe('const');
    expect(w.metrics.count).toBe(16 * 8); // compared once, not per sample
    expect(w.metrics.rmseOverScale!).toBeLessThan(0.5);
    const names = r.out
      .split('\n')
      .filter((l) => /^\d+\s/.test(l))
      .map((l) => l.trim().split(/\s+/)[1]!);
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(8);
  });

  it('reports a model against itself as exact', async () => {
    const r = await qopt(['compare', 'float.mlir', 'float.mlir', '--data', 'x.npy', '--json', 'self.json', '--limit', '3']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('float.mlir (2): 4 layer(s) compared');
    const j = JSON.parse(readFileSync(join(dir, 'self.json'), 'utf8')) as JReport;
    for (const l of j.models[0]!.layers) {
      expect(l.metrics.sqnrDb).toBe('inf');
      expect(l.metrics.maxAbsError).toBe(0);
    }
    expect(r.out).toMatch(/Identity:0\s+inf\s+0\s+0\s+3\/3 \(100%\)/);
  });

  it('converts inputs between float and quantized encodings', () => {
    const q = { scale: [0.5], zeroPoint: [-3], axis: -1, storageMin: -128, storageMax: 127 };
    const f32 = { name: 'x', dtype: 'f32' as const, shape: [4] };
    const i8 = { name: 'x', dtype: 'i8' as const, shape: [4], quant: q };
    expect(Array.from(adaptInput(Float32Array.from([0.25, -0.25, 1000, 1]), f32, i8) as ArrayLike<number>)).toEqual([-2, -4, 127, -1]);
    expect(Array.from(adaptInput(Int8Array.from([-3, -1, 127, -128]), i8, f32) as ArrayLike<number>)).toEqual([0, 1, 65, -62.5]);
    const data = Float32Array.from([1, 2, 3, 4]);
    expect(adaptInput(data, f32, f32)).toBe(data);
    const i16 = { name: 'x', dtype: 'i16' as const, shape: [4], quant: { scale: [0.25], zeroPoint: [0], axis: -1, storageMin: -32768, storageMax: 32767 } };
    expect(Array.from(adaptInput(Int8Array.from([-3, -1, 127, -128]), i8, i16) as ArrayLike<number>)).toEqual([0, 4, 260, -250]);
  });

  it('explains bad arguments and data', async () => {
    const noData = await qopt(['compare', 'float.mlir', 'int8.mlir']);
    expect(noData.code).toBe(1);
    expect(noData.err).toContain("required option '--data <path>' not specified");
    const noTest = await qopt(['compare', 'float.mlir', '--data', 'x.npy']);
    expect(noTest.code).toBe(1);
    expect(noTest.err).toContain("missing required argument 'test'");
    const limit = await qopt(['compare', 'float.mlir', 'int8.mlir', '--data', 'x.npy', '--limit', '0']);
    expect(limit.code).toBe(1);
    expect(limit.err).toContain('--limit needs an integer >= 1');
    const labels = await qopt(['compare', 'float.mlir', 'int8.mlir', '--data', 'x.npy', '--labels', 'short-labels.npy']);
    expect(labels.code).toBe(1);
    expect(labels.err).toContain(`3 labels for ${SAMPLES} samples`);
    writeFileSync(join(dir, 'bad.npy'), encodeNpy({ dtype: 'f32', shape: [2, 5], data: new Float32Array(10) }));
    const bad = await qopt(['compare', 'float.mlir', 'int8.mlir', '--data', 'bad.npy']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/bad\.npy.*shape \[2,5\] does not fit model input 'serving_default_x:0' \[1,8\]/);
    const missing = await qopt(['compare', 'float.mlir', 'nope.mlir', '--data', 'x.npy']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.mlir');
    const help = await qopt(['compare', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: qopt compare [options] <reference> <test...>');
  });
});
