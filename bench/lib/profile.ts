/**
 * Where qopt's interpreter spends its time on one corpus model: (1) a per-op table from timing every
 * kernel call (op, operand types and shapes, calls per inference, ms per inference, share), and
 * (2) the hottest functions by self time from V8's sampling CPU profiler (the same data as
 * `node --cpu-prof`, collected in-process through `node:inspector`), with file:line.
 *
 * Run: npx tsx bench/lib/profile.ts MODEL-SUBSTRING [--seconds S] [--interval-us US] [--top N] [--flavour tflite|tflm]
 * e.g. npx tsx bench/lib/profile.ts vww_96 --seconds 3
 */
import { importTflite } from '../../src/flatbuffer/import.js';
import { Interpreter, type KernelRegistry } from '../../src/interp/interpreter.js';
import type { KernelDef, KernelFlavour } from '../../src/interp/kernel.js';
import { tflKernels } from '../../dialects/tfl/kernels/index.js';
import { registerAll } from '../../tools/register.js';
import { CORPUS_DIR, HAVE_CORPUS, corpusModels, readCorpus } from './corpus.js';
import { benchInputs } from './corpus-inputs.js';
import { profile } from './cpuprofile.js';
import { mainFunc } from './qopt-model.js';
import { fmtMs } from './timing.js';

interface Args {
  model: string;
  seconds: number;
  intervalUs: number;
  top: number;
  flavour: KernelFlavour;
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { model: '', seconds: 2, intervalUs: 100, top: 25, flavour: 'tflite' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    if (k === '--seconds') a.seconds = Number(argv[++i]);
    else if (k === '--interval-us') a.intervalUs = Number(argv[++i]);
    else if (k === '--top') a.top = Number(argv[++i]);
    else if (k === '--flavour') a.flavour = argv[++i] as KernelFlavour;
    else if (!k.startsWith('--') && !a.model) a.model = k;
    else throw new Error(`unknown argument ${k}`);
  }
  if (!a.model) throw new Error('usage: bench/lib/profile MODEL-SUBSTRING [--seconds S] [--interval-us US] [--top N] [--flavour tflite|tflm]');
  return a;
}

/** Kernels wrapped to accumulate the time of every call under a key describing the op. */
function timedKernels(base: KernelRegistry, acc: Map<string, { ms: number; calls: number }>): KernelRegistry {
  const out = new Map<string, KernelDef>();
  for (const [name, def] of base) {
    out.set(name, {
      op: def.op,
      prepare(ctx) {
        const run = def.prepare(ctx);
        const operands = ctx.inputs.map((t) => (t ? `${t.dtype}${t.data ? 'c' : ''}[${t.shape.join('x')}]` : '-'));
        while (operands.length && operands[operands.length - 1] === '-') operands.pop();
        const key = `${ctx.op}(${operands.join(', ')}) -> ${ctx.outputs.map((t) => `${t.dtype}[${t.shape.join('x')}]`).join(', ')}`;
        const rec = acc.get(key) ?? { ms: 0, calls: 0 };
        acc.set(key, rec);
        return (ins, outs) => {
          const t0 = performance.now();
          run(ins, outs);
          rec.ms += performance.now() - t0;
          rec.calls++;
        };
      },
    });
  }
  return out;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (!HAVE_CORPUS) {
    console.log(`bench/profile: the shared model corpus is not at ${CORPUS_DIR}; nothing to profile.`);
    return;
  }
  const matches = corpusModels().filter((m) => m.includes(a.model));
  if (matches.length !== 1) throw new Error(`'${a.model}' matches ${matches.length} models${matches.length ? `: ${matches.slice(0, 8).join(', ')}` : ''}`);
  const rel = matches[0]!;
  registerAll();
  const func = mainFunc(importTflite(readCorpus(rel), rel));

  // (1) Per-op times.
  const acc = new Map<string, { ms: number; calls: number }>();
  const timed = new Interpreter(func, { kernels: timedKernels(tflKernels, acc), flavour: a.flavour });
  const { inputs } = benchInputs(rel, timed.inputs);
  timed.run(inputs);
  const runFor = (interp: Interpreter, ms: number): number => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      interp.invoke();
      n++;
    }
    return n;
  };
  runFor(timed, 200);
  for (const v of acc.values()) v.ms = v.calls = 0;
  const nTimed = runFor(timed, (a.seconds * 1000) / 2);
  const rows = [...acc].filter(([, v]) => v.calls > 0).sort((x, y) => y[1].ms - x[1].ms);
  const total = rows.reduce((s, [, v]) => s + v.ms, 0);
  console.log(`## ${rel}: per-op time (${nTimed} invokes, ${fmtMs(total / nTimed)} ms per invoke inside kernels)`);
  console.log('');
  console.log('| op (operand dtype[shape], c = constant) | calls/inference | ms/inference | share |');
  console.log('|---|---:|---:|---:|');
  for (const [k, v] of rows.slice(0, a.top)) console.log(`| ${k.replace(/\|/g, '\\|')} | ${v.calls / nTimed} | ${fmtMs(v.ms / nTimed)} | ${((100 * v.ms) / total).toFixed(1)}% |`);

  // (2) CPU profile of plain invokes.
  const interp = new Interpreter(func, { kernels: tflKernels, flavour: a.flavour });
  interp.run(inputs);
  runFor(interp, 300);
  const { result: n, hot, ms: wall } = await profile(() => runFor(interp, a.seconds * 1000), a.intervalUs);
  const samples = hot.reduce((s, h) => s + h.samples, 0);
  console.log('');
  console.log(`## hottest functions by self time (${n} invokes in ${(wall / 1000).toFixed(1)} s = ${fmtMs(wall / n)} ms per invoke; ${samples} samples at ${a.intervalUs} µs)`);
  console.log('');
  console.log('| function | file:line | self % | ms/inference |');
  console.log('|---|---|---:|---:|');
  for (const h of hot.slice(0, a.top)) console.log(`| ${h.name} | ${h.where} | ${(100 * h.share).toFixed(1)}% | ${fmtMs((h.share * wall) / n)} |`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
