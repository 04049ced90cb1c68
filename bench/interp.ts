/**
 * Interpreter benchmark: every corpus model that qopt's interpreter prepares, timed in qopt ('tflite'
 * flavour), in real TFLite with its builtin kernels (tfjs-tflite with XNNPACK removed) and in real
 * TFLite with XNNPACK (the default), in the same run. Prints markdown tables: per model (ms per
 * inference, the time ratios qopt/builtin and qopt/XNNPACK — below 1 means qopt is faster —, arena
 * bytes and their lower bound, and how qopt's outputs compare with TFLite builtin's), the seanet 16x8
 * single-op models per op family, a geometric-mean summary per model kind against the project's
 * goals, and the models a runtime cannot load, with the reason.
 *
 * Method: both sides time invokes only, inputs already in place (qopt: `Interpreter.invoke()`;
 * TFLite: the emscripten runner's `Infer()`). After a warm-up the runtimes take turns in rounds of
 * one batch each (~budget/10 per batch, at least 5 rounds, until each spent the budget): times are
 * medians over rounds, ratios medians of the per-round ratios, so that load from other processes
 * hits both sides alike. qopt runs in a fresh child process per model (`--isolate model`, the
 * default; `family` shares one per seanet op family, `none` runs everything here) because kernels
 * shared between models slow down once V8 has seen other models' types; TFLite (WASM,
 * single-threaded SIMD build) runs in this process. Inputs are the manifest's golden-check files when
 * it names some, seeded random data otherwise.
 *
 * Run: npx tsx bench/interp.ts [--filter S]... [--budget MS] [--isolate model|family|none]
 *        [--seanet-detail] [--cpu-prof DIR] [--flavour tflite|tflm] [--kernels MODULE]
 *  or: npm run build && node dist/bench/interp.js ...
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelFlavour, TypedArray } from '../src/interp/kernel.js';
import { type OracleRunner, type TfliteOracle, isOracleAvailable, loadTfliteOracle } from '../tools/oracle/tfjs-tflite.js';
import { CORPUS_DIR, HAVE_CORPUS, corpusModels, readCorpus } from './lib/corpus.js';
import { benchInputs, modelKind } from './lib/corpus-inputs.js';
import { type BatchRunner, type PairedTiming, measurePaired, pairedRatio } from './lib/paired.js';
import { type QoptPrepared, QoptSession, errorText, kernelsWithOverrides } from './lib/qopt-model.js';
import { tfliteInvoker } from './lib/tflite-invoke.js';
import { fmtMs, fmtRatio, geomean } from './lib/timing.js';

// ---- options -----------------------------------------------------------------------------------

interface Options {
  filter: string[];
  budgetMs: number;
  isolate: 'model' | 'family' | 'none';
  seanetDetail: boolean;
  cpuProf?: string;
  flavour: KernelFlavour;
  /** A module whose `kernels` export replaces tfl kernels in qopt (candidate kernels). */
  kernels?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { filter: [], budgetMs: 400, isolate: 'model', seanetDetail: false, flavour: 'tflite' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--filter') o.filter.push(next());
    else if (a === '--budget') o.budgetMs = Number(next());
    else if (a === '--isolate') o.isolate = next() as Options['isolate'];
    else if (a === '--seanet-detail') o.seanetDetail = true;
    else if (a === '--cpu-prof') o.cpuProf = path.resolve(next());
    else if (a === '--flavour') o.flavour = next() as KernelFlavour;
    else if (a === '--kernels') o.kernels = path.resolve(next());
    else if (a === '--help' || a === '-h') {
      console.log('usage: bench/interp [--filter SUBSTRING]... [--budget MS] [--isolate model|family|none] [--seanet-detail] [--cpu-prof DIR] [--flavour tflite|tflm] [--kernels MODULE]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!['model', 'family', 'none'].includes(o.isolate)) throw new Error(`--isolate: model, family or none`);
  if (!(o.budgetMs > 0)) throw new Error('--budget must be a positive number of milliseconds');
  return o;
}

// ---- qopt side ---------------------------------------------------------------------------------

/** The isolation group of a model: with `family`, seanet single-op models share a process per op family. */
function groupKey(rel: string, isolate: Options['isolate']): string {
  if (isolate === 'none') return 'all';
  const m = /^seanet\/([^/]+)\//.exec(rel);
  return isolate === 'family' && m ? `seanet/${m[1]}` : rel;
}

/** qopt, in this process or in a child process. */
interface QoptSide {
  prepare(rel: string): Promise<QoptPrepared>;
  batch(n: number): Promise<number>;
  close(): void;
  readonly dead: boolean;
}

async function inProcessSide(o: Options): Promise<QoptSide> {
  const s = new QoptSession();
  if (o.kernels) s.kernels = (await kernelsWithOverrides(o.kernels)).kernels;
  return {
    prepare: async (rel) => s.prepare(rel, o.flavour),
    batch: async (n) => s.batch(n),
    close: () => {},
    dead: false,
  };
}

type ChildReply = { prepared?: QoptPrepared; ms?: number; ops?: string[]; error?: string; exited?: number | null };

/** qopt in a fresh child process (see interp-child.ts). */
async function childSide(o: Options, name: string): Promise<QoptSide> {
  const here = fileURLToPath(import.meta.url);
  const file = path.join(path.dirname(here), 'lib', `interp-child${path.extname(here)}`);
  const execArgv = [...process.execArgv];
  if (o.cpuProf) execArgv.push('--cpu-prof', `--cpu-prof-dir=${o.cpuProf}`, `--cpu-prof-name=${name.replace(/[\\/]/g, '_')}.cpuprofile`);
  const proc = fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending: ((r: ChildReply) => void)[] = [];
  let exitCode: number | null | undefined;
  proc.on('message', (m: ChildReply) => pending.shift()?.(m));
  proc.on('exit', (code) => {
    exitCode = code;
    for (const p of pending.splice(0)) p({ exited: code });
  });
  const request = (cmd: object): Promise<ChildReply> =>
    exitCode !== undefined
      ? Promise.resolve({ exited: exitCode })
      : new Promise((resolve) => {
          pending.push(resolve);
          proc.send(cmd);
        });
  if (o.kernels) {
    const r = await request({ kernels: o.kernels });
    if (r.error !== undefined) throw new Error(`--kernels: ${r.error}`);
  }
  return {
    async prepare(rel) {
      const r = await request({ prepare: rel, flavour: o.flavour });
      return r.prepared ?? { rel, error: `the qopt child process exited (code ${String(r.exited)})` };
    },
    async batch(n) {
      const r = await request({ batch: n });
      if (r.ms === undefined) throw new Error(`the qopt child process exited (code ${String(r.exited)})`);
      return r.ms;
    },
    close: () => {
      if (exitCode === undefined) proc.send({ exit: true });
    },
    get dead() {
      return exitCode !== undefined;
    },
  };
}

// ---- TFLite side -------------------------------------------------------------------------------

interface TfliteSide {
  readonly error?: string;
  readonly outputs?: TypedArray[];
  readonly batch?: BatchRunner;
  dispose(): void;
}

function firstLines(e: unknown): string {
  const m = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return m.slice(0, 2).join(' / ');
}

function openTflite(oracle: TfliteOracle, rel: string, builtinOnly: boolean): TfliteSide {
  let runner: OracleRunner;
  try {
    runner = oracle.createRunner(readCorpus(rel), { builtinOnly });
  } catch (e) {
    return { error: firstLines(e), dispose: () => {} };
  }
  try {
    const { inputs } = benchInputs(rel, runner.inputs());
    const inv = tfliteInvoker(runner, inputs);
    const invoke = inv.invoke;
    return {
      outputs: inv.outputs,
      batch: (n) => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) invoke();
        return performance.now() - t0;
      },
      dispose: () => runner.dispose(),
    };
  } catch (e) {
    runner.dispose();
    return { error: firstLines(e), dispose: () => {} };
  }
}

// ---- comparison of outputs -----------------------------------------------------------------------

/** How qopt's first-run outputs compare with TFLite builtin's: `exact`, or the largest difference. */
function compareOutputs(a: readonly TypedArray[] | undefined, b: readonly TypedArray[] | undefined): string {
  if (!a || !b) return '—';
  if (a.length !== b.length) return `${a.length} vs ${b.length} outputs`;
  let maxDiff = 0;
  let differing = 0;
  let total = 0;
  let float = false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.length !== y.length) return `output ${k}: ${x.length} vs ${y.length} elements`;
    float ||= x instanceof Float32Array || x instanceof Float64Array;
    total += x.length;
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(Number(x[i]) - Number(y[i]));
      if (d !== 0 || Number.isNaN(d)) {
        differing++;
        if (!(d <= maxDiff)) maxDiff = d;
      }
    }
  }
  if (differing === 0) return 'exact';
  const m = float ? maxDiff.toPrecision(2) : String(maxDiff);
  return `max Δ ${m} (${differing}/${total})`;
}

// ---- main -----------------------------------------------------------------------------------------

interface Measured {
  readonly ms?: number;
  readonly error?: string;
  readonly outputs?: TypedArray[];
  /** Median of the per-round ratios qopt/this runtime. */
  readonly ratio?: number;
}

interface Row {
  readonly rel: string;
  readonly kind: string;
  readonly q: QoptPrepared & { ms?: number };
  readonly builtin?: Measured;
  readonly xnn?: Measured;
}

async function measureModel(rel: string, side: QoptSide, oracle: TfliteOracle | undefined, o: Options): Promise<Row> {
  const kind = modelKind(rel);
  const q = await side.prepare(rel);
  if (q.error) return { rel, kind, q };
  const b = oracle ? openTflite(oracle, rel, true) : undefined;
  const x = oracle ? openTflite(oracle, rel, false) : undefined;
  try {
    const runners: BatchRunner[] = [(n) => side.batch(n)];
    if (b?.batch) runners.push(b.batch);
    if (x?.batch) runners.push(x.batch);
    const t = await measurePaired(runners, { budgetMs: o.budgetMs });
    const tq = t[0]!;
    const tb = b?.batch ? t[1] : undefined;
    const tx = x?.batch ? t[b?.batch ? 2 : 1] : undefined;
    const m = (side: TfliteSide | undefined, tt: PairedTiming | undefined): Measured | undefined =>
      side && { ms: tt?.ms, error: side.error, outputs: side.outputs, ratio: pairedRatio(tq, tt) };
    return { rel, kind, q: { ...q, ms: tq.ms }, builtin: m(b, tb), xnn: m(x, tx) };
  } finally {
    b?.dispose();
    x?.dispose();
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (!HAVE_CORPUS) {
    console.log(`bench/interp: the shared model corpus is not at ${CORPUS_DIR}; nothing to measure.`);
    return;
  }
  const models = corpusModels().filter((m) => o.filter.length === 0 || o.filter.some((f) => m.includes(f)));
  let oracle: TfliteOracle | undefined;
  let oracleMissing: string | undefined;
  if (!isOracleAvailable()) oracleMissing = '@tensorflow/tfjs-tflite is not installed';
  else {
    try {
      oracle = await loadTfliteOracle();
    } catch (e) {
      oracleMissing = firstLines(e);
    }
  }

  const groups = new Map<string, string[]>();
  for (const m of models) {
    const k = groupKey(m, o.isolate);
    groups.set(k, [...(groups.get(k) ?? []), m]);
  }
  const started = performance.now();
  const rows: Row[] = [];
  for (const [key, group] of groups) {
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${key}${group.length > 1 ? ` (${group.length} models)` : ''}, ${rows.length}/${models.length} done\n`);
    let side: QoptSide | undefined;
    for (const rel of group) {
      if (!side || side.dead) side = o.isolate === 'none' ? await inProcessSide(o) : await childSide(o, key);
      try {
        rows.push(await measureModel(rel, side, oracle, o));
      } catch (e) {
        rows.push({ rel, kind: modelKind(rel), q: { rel, error: errorText(e) } });
      }
    }
    side?.close();
  }
  const elapsed = (performance.now() - started) / 1000;
  print(rows, o, oracleMissing, elapsed);
}

function print(rows: readonly Row[], o: Options, oracleMissing: string | undefined, elapsed: number): void {
  const ran = rows.filter((r) => !r.q.error);
  const seanet = (r: Row): boolean => r.rel.startsWith('seanet/');
  const date = new Date().toISOString().slice(0, 10);
  console.log(`## qopt interpreter vs TFLite — ${date}, node ${process.version}, ${ran.length} models, budget ${o.budgetMs} ms per runtime and model, isolate=${o.isolate}, flavour=${o.flavour}`);
  console.log('');
  console.log('Times are ms per inference (invoke only, median over interleaved rounds). Ratios are qopt time / TFLite time (median of per-round ratios): below 1 means qopt is faster. ¹ = TFLite rejects the model (reason below).');
  if (oracleMissing) console.log(`TFLite columns are empty: ${oracleMissing}.`);
  if (o.kernels) console.log(`**qopt ran with candidate kernels from ${o.kernels}** (not the shipped ones).`);
  console.log('');
  const header = '| model | kind | ops | qopt ms | TFLite builtin ms | XNNPACK ms | qopt/builtin | qopt/XNNPACK | arena B | lower bound B | outputs vs builtin |';
  const sep = '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|';
  const line = (r: Row): string => {
    const q = r.q;
    const b = r.builtin;
    const x = r.xnn;
    return `| ${r.rel.replace(/\.tflite$/, '')} | ${r.kind} | ${q.ops ?? ''} | ${fmtMs(q.ms)} | ${b?.error ? 'rejected¹' : fmtMs(b?.ms)} | ${x?.error ? 'rejected¹' : fmtMs(x?.ms)} | ${fmtRatio(b?.ratio)} | ${fmtRatio(x?.ratio)} | ${q.arenaBytes ?? ''} | ${q.lowerBound ?? ''} | ${compareOutputs(q.outputs, b?.outputs)} |`;
  };
  console.log(header);
  console.log(sep);
  for (const r of ran) if (!seanet(r) || o.seanetDetail) console.log(line(r));

  const sea = ran.filter(seanet);
  if (sea.length) {
    const fam = new Map<string, Row[]>();
    for (const r of sea) {
      const f = r.rel.split('/')[1]!;
      fam.set(f, [...(fam.get(f) ?? []), r]);
    }
    console.log('');
    console.log('### seanet 16x8 single-op models, per op family (ms are sums over the family; ratios are geometric means)');
    console.log('');
    console.log('| family | models | qopt ms | builtin ms | XNNPACK ms | qopt/builtin | best–worst | qopt/XNNPACK | outputs = builtin |');
    console.log('|---|---:|---:|---:|---:|---:|---|---:|---:|');
    for (const [f, rs] of [...fam].sort((a, b) => a[0].localeCompare(b[0]))) {
      const sum = (g: (r: Row) => number | undefined): number | undefined => {
        let s = 0;
        for (const r of rs) {
          const v = g(r);
          if (v === undefined) return undefined;
          s += v;
        }
        return s;
      };
      const rb = rs.map((r) => r.builtin?.ratio).filter((v): v is number => v !== undefined);
      const rx = rs.map((r) => r.xnn?.ratio).filter((v): v is number => v !== undefined);
      const exact = rs.filter((r) => compareOutputs(r.q.outputs, r.builtin?.outputs) === 'exact').length;
      console.log(
        `| ${f} | ${rs.length} | ${fmtMs(sum((r) => r.q.ms))} | ${fmtMs(sum((r) => r.builtin?.ms))} | ${fmtMs(sum((r) => r.xnn?.ms))} | ${fmtRatio(geomean(rb))} | ${rb.length ? `${fmtRatio(Math.min(...rb))}–${fmtRatio(Math.max(...rb))}` : '—'} | ${fmtRatio(geomean(rx))} | ${exact}/${rs.length} |`,
      );
    }
  }

  // Summary per kind, against the project's goals (qopt at least 2× TFLite's speed on 16x8 models, at
  // least as fast as TFLite's builtin kernels on int8).
  const goals: Record<string, number> = { '16x8': 0.5, int8: 1 };
  console.log('');
  console.log('### Summary per model kind (geometric means of the time ratios)');
  console.log('');
  console.log('| kind | models | qopt/builtin | qopt/XNNPACK | goal (qopt/builtin) | met |');
  console.log('|---|---:|---:|---:|---|---|');
  const kinds = [...new Set(ran.map((r) => r.kind))].sort();
  for (const k of kinds) {
    const rs = ran.filter((r) => r.kind === k);
    const rb = rs.map((r) => r.builtin?.ratio).filter((v): v is number => v !== undefined);
    const rx = rs.map((r) => r.xnn?.ratio).filter((v): v is number => v !== undefined);
    const g = goals[k];
    const gb = geomean(rb);
    console.log(
      `| ${k} | ${rs.length} (${rb.length} with TFLite) | ${fmtRatio(gb)} | ${fmtRatio(geomean(rx))} | ${g === undefined ? '—' : `≤ ${g}`} | ${g === undefined || !rb.length ? '—' : gb <= g ? 'yes' : 'no'} |`,
    );
  }

  const notQopt = rows.filter((r) => r.q.error);
  const notTflite = ran.filter((r) => r.builtin?.error || r.xnn?.error);
  if (notQopt.length || notTflite.length) {
    console.log('');
    console.log('### Not measured');
    console.log('');
    console.log('| model | runtime | reason |');
    console.log('|---|---|---|');
    for (const r of notTflite) {
      const reason = r.builtin?.error ?? r.xnn?.error ?? '';
      const which = r.builtin?.error && r.xnn?.error ? 'TFLite (both)¹' : r.builtin?.error ? 'TFLite builtin¹' : 'TFLite XNNPACK¹';
      console.log(`| ${r.rel} | ${which} | ${reason.replace(/\|/g, '\\|')} |`);
    }
    for (const r of notQopt) console.log(`| ${r.rel} | qopt | ${r.q.error!.replace(/\|/g, '\\|').slice(0, 240)} |`);
  }
  console.log('');
  console.log(`(${elapsed.toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
