/**
 * `qopt compare REFERENCE TEST... --data DATA`: the quantization debugger. Runs the reference
 * model (usually float) and each test model (int8, 16x8, another build) on the same samples,
 * pairs their tensors by name and structure, and reports per-layer error (mean, max, RMSE,
 * RMSE/scale, SQNR, range use and clipping) and per-output error, argmax agreement and accuracy,
 * as a terminal table and optionally JSON, CSV and a self-contained HTML page.
 */
import { basename, resolve } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { DiagnosticError, errorDiag } from '../ir/diagnostic.js';
import { fileLoc } from '../ir/location.js';
import type { TensorInfo, TypedArray } from '../interp/kernel.js';
import { registeredKernels } from '../interp/kernel-registry.js';
import { type Dataset, DatasetError, loadDataset } from '../io/dataset.js';
import { decodeNpy } from '../io/npy.js';
import { type ModelSpec, type SampleSource, compareModels, floatView, inputInfos } from '../compare/compare.js';
import { renderHtml } from '../compare/html.js';
import { type SortKey, renderCsv, renderJson, renderText } from '../compare/report.js';
import type { QoptIO } from './io.js';
import { entryFunc, loadModel } from './run-main.js';

interface CompareCliOptions {
  data: string;
  labels?: string;
  kernels: 'tflite' | 'tflm';
  limit?: string;
  keepState?: boolean;
  json?: string;
  csv?: string;
  html?: string;
  sort: SortKey;
  top: string;
  weights?: boolean;
  entry: string;
  pngScale: string;
  pngOffset: string;
}

function fail(file: string, msg: string): never {
  throw new DiagnosticError([errorDiag(fileLoc(file, 0, 0), msg)]);
}

function count(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail('qopt compare', `--${name} needs an integer >= ${min}, got '${v}'`);
  return n;
}

/** Loads the samples as the reference's inputs want them: float where the input is quantized. */
function loadSamples(path: string, infos: readonly TensorInfo[], scale: number, offset: number): { ds: Dataset; infos: TensorInfo[] } {
  const floaty = infos.map(floatView);
  const tries = infos.some((i) => i.quant) ? [floaty, [...infos]] : [[...infos]];
  let first: Error | undefined;
  for (const t of tries) {
    try {
      return { ds: loadDataset(path, t, { scale, offset }), infos: t };
    } catch (e) {
      if (!(e instanceof DatasetError)) throw e;
      first ??= e;
    }
  }
  throw first!;
}

function readLabels(path: string, io: QoptIO): number[] {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(path);
  } catch (e) {
    fail(path, `could not open labels: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const a = decodeNpy(bytes, path);
  return Array.from(a.data as ArrayLike<number | bigint>, (v) => Math.round(Number(v)));
}

/** Runs `qopt compare`. */
export async function runCompareCommand(argv: readonly string[], io: QoptIO): Promise<number> {
  const cmd = new Command('qopt compare')
    .argument('<reference>', 'reference model (.tflite or .mlir), usually float')
    .argument('<test...>', 'one or more models to compare with it')
    .requiredOption('--data <path>', 'samples: .npy (leading sample axis), .npz, a folder of .npy or PNG files')
    .option('--labels <file>', '.npy of integer class labels, one per sample, for accuracy')
    .addOption(new Option('--kernels <flavour>').choices(['tflite', 'tflm']).default('tflite'))
    .option('--limit <n>', 'use the first N samples')
    .option('--keep-state', 'keep LSTM/SVDF state across samples (default: reset before each)')
    .option('--json <file>', 'write the full report as JSON')
    .option('--csv <file>', 'write one row per model and layer as CSV')
    .option('--html <file>', 'write a self-contained HTML report (charts, histograms, graph)')
    .addOption(new Option('--sort <key>', 'order of the layer table').choices(['sqnr', 'name', 'order']).default('sqnr'))
    .option('--top <n>', 'layers shown per model in the terminal (0 = all)', '30')
    .option('--weights', 'also compare weights and biases of paired ops')
    .option('--entry <name>', 'function to run', 'main')
    .option('--png-scale <s>', 'PNG pixel normalization x = p * scale + offset', String(1 / 255))
    .option('--png-offset <o>', 'see --png-scale', '0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  cmd.parse([...argv], { from: 'user' });
  const o = cmd.opts() as CompareCliOptions;
  const [refPath, ...testPaths] = cmd.args as [string, ...string[]];
  const limit = count('limit', o.limit, 1);
  const top = count('top', o.top, 0) ?? 30;
  const scale = Number(o.pngScale);
  const offset = Number(o.pngOffset);
  if (!Number.isFinite(scale) || !Number.isFinite(offset)) fail('qopt compare', '--png-scale and --png-offset need numbers');

  const paths = [refPath, ...testPaths];
  const bases = paths.map((p) => basename(p));
  const label = (p: string, i: number): string => {
    const name = bases.filter((b) => b === bases[i]).length > 1 ? p : bases[i]!;
    const same = paths.slice(0, i).filter((q) => q === p).length;
    return same ? `${name} (${same + 1})` : name;
  };
  const specs: ModelSpec[] = paths.map((p, i) => ({ path: p, label: label(p, i), func: entryFunc(loadModel(p, io), o.entry) }));
  const [refSpec, ...testSpecs] = specs as [ModelSpec, ...ModelSpec[]];

  // The data is read against the reference's inputs (as floats where they are quantized).
  const refInputs = inputInfos(refSpec.func);
  const dataPath = resolve(io.cwd, o.data);
  let loaded: { ds: Dataset; infos: TensorInfo[] };
  try {
    loaded = loadSamples(dataPath, refInputs, scale, offset);
  } catch (e) {
    if (e instanceof DatasetError) fail(o.data, e.message.startsWith(`${dataPath}: `) ? e.message.slice(dataPath.length + 2) : e.message);
    throw e;
  }
  const total = limit === undefined ? loaded.ds.count : Math.min(limit, loaded.ds.count);
  if (total === 0) fail(o.data, 'no samples');
  const source: SampleSource = {
    count: total,
    infos: loaded.infos,
    sample: (i): TypedArray[] => loaded.ds.sample(i),
    source: o.data,
  };
  const labels = o.labels ? readLabels(o.labels, io) : undefined;
  if (labels && labels.length < total) fail(o.labels!, `${labels.length} labels for ${total} samples`);

  const bar =
    io.isTTY && total > 1
      ? new cliProgress.SingleBar(
          { stream: process.stderr, format: 'compare [{bar}] {value}/{total} samples | {duration_formatted}', clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(total, 0);
  let report;
  try {
    report = compareModels(refSpec, testSpecs, source, {
      kernels: registeredKernels(),
      flavour: o.kernels,
      keepState: o.keepState ?? false,
      weights: o.weights ?? false,
      ...(labels ? { labels } : {}),
      onProgress: (done) => bar?.update(done),
    });
  } finally {
    bar?.stop();
  }
  io.stdout(renderText(report, o.sort, top));
  if (o.json) io.writeFile(o.json, renderJson(report));
  if (o.csv) io.writeFile(o.csv, renderCsv(report));
  if (o.html) io.writeFile(o.html, renderHtml(report, { sort: o.sort }));
  return 0;
}
