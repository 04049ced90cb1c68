/**
 * Unroll benchmark: a 256-unit float LSTM (batch 1, input depth 64, peephole) over 100 and 1,000
 * time steps is unrolled by `tfl-unroll-lstm` (keep-state=true and false), verified, printed and
 * exported to `.tflite`; prints one table row per configuration with wall times, op counts, the
 * `.tflite` size and the heap growth. With `--run`, the fused and unrolled functions also run once in
 * the interpreter (and their outputs are compared); with `--oracle`, the exported unrolled model also
 * runs in real TFLite (tfjs-tflite, builtin kernels: its XNNPACK delegate crashes at interpreter
 * creation on a single delegated partition of ~30k nodes, i.e. keep-state=false beyond ~900 steps).
 * `heap +MB` is the live heap held after the run (the unrolled module and its exported bytes; exact
 * with --expose-gc), `max RSS` the process peak so far.
 * Run: npx tsx --expose-gc bench/unroll.ts [--run] [--oracle]   (or node --expose-gc dist/bench/unroll.js)
 */
import { verify } from '../src/ir/verify.js';
import { walkPreOrder } from '../src/ir/walk.js';
import type { Operation } from '../src/ir/operation.js';
import { Interpreter } from '../src/interp/interpreter.js';
import { exportTflite } from '../src/flatbuffer/export.js';
import { PassManager } from '../src/pass/pass-manager.js';
import { printOp } from '../src/syntax/printer.js';
import { findFunc } from '../dialects/builtin/index.js';
import { tflKernels } from '../dialects/tfl/kernels/index.js';
import { registerAll } from '../tools/register.js';
import { registerTflPipelines } from '../passes/tfl-unroll-lstm.js';
import { type RecurrentModelConfig, buildRecurrentModel } from '../passes/lib/unroll/build-model.js';

registerAll();
registerTflPipelines();

const args = new Set(process.argv.slice(2));

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function countOps(m: Operation): number {
  let n = 0;
  for (const _ of walkPreOrder(m)) n++;
  return n;
}

interface Row {
  readonly [k: string]: string | number;
}

async function measure(time_: number, keepState: boolean): Promise<Row> {
  const cfg: RecurrentModelConfig = {
    kind: 'lstm',
    batch: 1,
    time: time_,
    input: 64,
    cell: 256,
    peephole: true,
    weightScale: 1 / 16,
    seed: 3,
  };
  const h0 = heapMB();
  const [m, build] = time(() => buildRecurrentModel(cfg));
  const opsBefore = countOps(m);
  const pm = PassManager.fromPipeline(`tfl-unroll-lstm{keep-state=${keepState}}`, { verifyEach: false });
  const [r, unroll] = time(() => pm.run(m));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  const opsAfter = countOps(m);
  const [diags, ver] = time(() => verify(m));
  if (diags.length) throw new Error(diags[0]!.message);
  const [text, print] = time(() => printOp(m));
  const [bytes, exp] = time(() => exportTflite(m));
  const h1 = heapMB();
  const row: Record<string, string | number> = {
    steps: time_,
    'keep-state': String(keepState),
    'ops before': opsBefore,
    'ops after': opsAfter,
    'build (ms)': build,
    'unroll (ms)': unroll,
    'verify (ms)': ver,
    'print (ms)': print,
    'MLIR (MB)': text.length / 1e6,
    'export (ms)': exp,
    '.tflite (MB)': bytes.length / 1e6,
    'heap +MB': h1 - h0,
    'max RSS (MB)': process.resourceUsage().maxRSS / 1024,
  };
  if (args.has('--run') || args.has('--oracle')) {
    const fused = buildRecurrentModel(cfg);
    const x = Float32Array.from({ length: time_ * 64 }, (_, i) => Math.sin(i * 0.37));
    const fi = new Interpreter(findFunc(fused, 'main')!, { kernels: tflKernels });
    const [yf, runFused] = time(() => fi.run([x])[0]!.data as Float32Array);
    row['run fused (ms)'] = runFused;
    if (!keepState) {
      // (keep-state=true needs resource-variable kernels the interpreter does not have yet.)
      const ui = new Interpreter(findFunc(m, 'main')!, { kernels: tflKernels });
      const zeros = [new Float32Array(256), new Float32Array(256)];
      const [yu, runUnrolled] = time(() => ui.run([x, ...zeros])[0]!.data as Float32Array);
      let worst = 0;
      for (let i = 0; i < yf.length; i++) worst = Math.max(worst, Math.abs(yf[i]! - yu[i]!) / Math.max(Math.abs(yf[i]!), 0.01));
      row['run unrolled (ms)'] = runUnrolled;
      row['max rel diff'] = worst;
    }
    if (args.has('--oracle')) {
      const { loadTfliteOracle } = await import('../tools/oracle/tfjs-tflite.js');
      const oracle = await loadTfliteOracle();
      // Builtin kernels: tfjs-tflite's XNNPACK delegate crashes at interpreter creation on one
      // delegated partition of ~30k nodes (keep-state=false beyond ~900 steps; see the report).
      const runner = oracle.createRunner(bytes, { builtinOnly: true });
      const inputs = keepState ? [x] : [x, new Float32Array(256), new Float32Array(256)];
      const [yt, runTfl] = time(() => runner.run(inputs)[0] as Float32Array);
      let worst = 0;
      for (let i = 0; i < yf.length; i++) worst = Math.max(worst, Math.abs(yf[i]! - yt[i]!) / Math.max(Math.abs(yf[i]!), 0.01));
      row['TFLite run (ms)'] = runTfl;
      row['TFLite max rel diff'] = worst;
      runner.dispose();
    }
  }
  return row;
}

function fmt(v: string | number): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 0.01 ? v.toExponential(1) : v.toFixed(v < 10 ? 2 : 0);
}

const rows: Row[] = [];
for (const [steps, keep] of [
  [100, true],
  [1000, true],
  [1000, false],
] as const)
  rows.push(await measure(steps, keep));
const cols = Object.keys(rows[rows.length - 1]!);
console.log(`| ${cols.join(' | ')} |`);
console.log(`|${cols.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${cols.map((c) => fmt(r[c] ?? '')).join(' | ')} |`);
console.log(`\nLSTM: batch 1, input 64, 256 units, peephole; node ${process.version}.`);
