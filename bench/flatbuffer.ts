/**
 * Flatbuffer import/export throughput: `importTflite` (bytes -> IR, including the flatbuffer
 * verifier) and `exportTflite` (IR -> bytes), timed separately, on the largest corpus model (by
 * bytes), the corpus model with the most ops, and a generated 100k-op model. The generated model is
 * built as IR with the Builder — a chain of tfl.add / tfl.relu / tfl.fully_connected on 1x16 f32
 * tensors whose constants are partly shared (one add operand, most FC weights) and partly distinct
 * (every 10th FC gets its own weights and bias, every add its own 16-element operand) — verified,
 * exported once, and then timed. Prints a markdown table (MB/s counts the .tflite bytes; ops/s
 * counts the function's ops, constants included).
 *
 * Run: npx tsx bench/flatbuffer.ts [--ops N] [--budget MS]
 *  or: npm run build && node dist/bench/flatbuffer.js
 */
import type { Operation } from '../src/ir/operation.js';
import { verify } from '../src/ir/verify.js';
import { exportTflite } from '../src/flatbuffer/export.js';
import { importTflite } from '../src/flatbuffer/import.js';
import { registerAll } from '../tools/register.js';
import { HAVE_CORPUS, corpusModels, readCorpus } from './lib/corpus.js';
import { manifestEntries } from './lib/corpus-inputs.js';
import { generateModel } from './lib/gen-model.js';
import { profile } from './lib/cpuprofile.js';
import { median } from './lib/paired.js';
import { fmtMs } from './lib/timing.js';

registerAll();

function parseArgs(argv: readonly string[]): { ops: number; budgetMs: number; profile: boolean } {
  const o = { ops: 100_000, budgetMs: 1500, profile: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--ops') o.ops = Number(argv[++i]);
    else if (argv[i] === '--budget') o.budgetMs = Number(argv[++i]);
    else if (argv[i] === '--profile') o.profile = true;
    else throw new Error(`unknown argument ${argv[i]} (usage: bench/flatbuffer [--ops N] [--budget MS] [--profile])`);
  }
  return o;
}

function countOps(module: Operation): number {
  let n = 0;
  for (const f of module.regions[0]!.blocks[0]!.ops()) for (const op of f.regions[0]?.blocks[0]?.ops() ?? []) if (op.name !== 'func.return') n++;
  return n;
}

/** Runs `f` (after one warm-up call) until `budget` ms are spent (at least 3 times); median ms. */
function time(f: () => void, budget: number): { ms: number; runs: number } {
  f();
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < 3 || (performance.now() - t0 < budget && times.length < 200)) {
    const s = performance.now();
    f();
    times.push(performance.now() - s);
  }
  return { ms: median(times), runs: times.length };
}

interface Row {
  readonly name: string;
  readonly ops: number;
  readonly bytes: number;
  readonly importMs: number;
  readonly exportMs: number;
  readonly runs: string;
}

function measure(name: string, bytes: Uint8Array, budget: number): Row {
  const module = importTflite(bytes, name);
  const ops = countOps(module);
  const imp = time(() => void importTflite(bytes, name), budget);
  const exp = time(() => void exportTflite(module), budget);
  return { name, ops, bytes: bytes.length, importMs: imp.ms, exportMs: exp.ms, runs: `${imp.runs}/${exp.runs}` };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const rows: Row[] = [];
  if (HAVE_CORPUS) {
    const models = corpusModels();
    const size = (m: string): number => manifestEntries().get(m)?.bytes ?? readCorpus(m).length;
    const largest = [...models].sort((a, b) => size(b) - size(a))[0]!;
    rows.push(measure(largest, readCorpus(largest), o.budgetMs));
    const opsOf = (m: string): number => Object.values(manifestEntries().get(m)?.op_counts ?? {}).reduce((a, b) => a + b, 0);
    const most = [...models].sort((a, b) => opsOf(b) - opsOf(a))[0]!;
    if (most !== largest) rows.push(measure(most, readCorpus(most), o.budgetMs));
  } else {
    console.log('(the shared model corpus is absent: only the generated model is measured)');
  }
  const t0 = performance.now();
  const gen = generateModel(o.ops);
  const buildMs = performance.now() - t0;
  const diags = verify(gen);
  if (diags.length) throw new Error(`generated model does not verify: ${diags[0]!.message}`);
  const bytes = exportTflite(gen);
  const back = importTflite(bytes, 'generated.tflite');
  if (countOps(back) !== countOps(gen)) throw new Error(`round trip lost ops: ${countOps(gen)} -> ${countOps(back)}`);
  rows.push(measure(`generated chain (${o.ops} add/relu/fc)`, bytes, o.budgetMs * 2));

  console.log(`## flatbuffer import/export — ${new Date().toISOString().slice(0, 10)}, node ${process.version}`);
  console.log('');
  console.log('| model | ops | .tflite bytes | import ms | import MB/s | import kops/s | export ms | export MB/s | export kops/s | runs (imp/exp) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const mbs = (ms: number): string => (r.bytes / 1e6 / (ms / 1000)).toFixed(1);
    const kops = (ms: number): string => (r.ops / 1000 / (ms / 1000)).toFixed(0);
    console.log(`| ${r.name} | ${r.ops} | ${r.bytes} | ${fmtMs(r.importMs)} | ${mbs(r.importMs)} | ${kops(r.importMs)} | ${fmtMs(r.exportMs)} | ${mbs(r.exportMs)} | ${kops(r.exportMs)} | ${r.runs} |`);
  }
  console.log('');
  console.log(`generated model: built in ${fmtMs(buildMs)} ms, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB at the end`);

  if (o.profile) {
    // Where the time goes on the generated model (self time, top functions).
    for (const [what, run] of [
      ['import', () => void importTflite(bytes, 'generated.tflite')],
      ['export', () => void exportTflite(gen)],
    ] as const) {
      const { hot, ms } = await profile(run);
      console.log('');
      console.log(`### ${what} of the generated model: hottest functions by self time (${fmtMs(ms)} ms profiled)`);
      console.log('');
      console.log('| function | file:line | self % |');
      console.log('|---|---|---:|');
      for (const h of hot.slice(0, 15)) console.log(`| ${h.name} | ${h.where} | ${(100 * h.share).toFixed(1)}% |`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
