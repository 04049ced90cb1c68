/**
 * `qopt run MODEL`: runs a model in the interpreter on .npy/.npz inputs (or seeded random ones),
 * one invoke per sample when inputs carry an extra leading dataset axis (state reset between
 * samples unless --keep-state), writes outputs as .npy/.npz, dumps tensors, prints a summary.
 */
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { DiagnosticError, errorDiag } from '../ir/diagnostic.js';
import { fileLoc } from '../ir/location.js';
import type { Operation } from '../ir/operation.js';
import { verify } from '../ir/verify.js';
import { importTflite, isTfliteModel } from '../flatbuffer/import.js';
import { Interpreter } from '../interp/interpreter.js';
import { type DType, type TensorInfo, type TypedArray, allocTyped, numElements } from '../interp/kernel.js';
import { registeredKernels } from '../interp/kernel-registry.js';
import { type NpyArray, decodeNpy, encodeNpy } from '../io/npy.js';
import { decodeNpz, encodeNpz } from '../io/npz.js';
import { parseSource } from '../syntax/parser.js';
import type { QoptIO } from './io.js';

interface RunOptions {
  input: string[];
  output: string[];
  dumpTensors?: string;
  kernels: 'tflite' | 'tflm';
  seed: string;
  keepState?: boolean;
  entry: string;
}

function fail(file: string, msg: string): never {
  throw new DiagnosticError([errorDiag(fileLoc(file, 0, 0), msg)]);
}

/** Loads a model file (.tflite or .mlir) as a verified module. */
export function loadModel(path: string, io: QoptIO): Operation {
  let bytes: Uint8Array;
  try {
    bytes = io.readFile(path);
  } catch (e) {
    fail(path, `could not open model: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const module = isTfliteModel(bytes) ? importTflite(bytes, path) : parseSource(new TextDecoder().decode(bytes), path);
  const diags = verify(module);
  if (diags.length) throw new DiagnosticError(diags);
  return module;
}

/** The function to run: `@name` in the module. */
export function entryFunc(module: Operation, name: string): Operation {
  const body = module.regions[0]?.blocks[0];
  for (const op of body?.ops() ?? []) {
    const n = op.attr('sym_name');
    if (op.name === 'func.func' && n?.kind === 'string' && n.value === name) return op;
  }
  throw new DiagnosticError([errorDiag(module.loc, `no function @${name} to run`)]);
}

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomInput(info: TensorInfo, r: () => number): TypedArray {
  const n = numElements(info.shape);
  const a = allocTyped(info.dtype, n);
  for (let i = 0; i < n; i++) {
    const x = r();
    switch (info.dtype) {
      case 'f32':
      case 'f64':
        a[i] = x * 2 - 1;
        break;
      case 'i64':
      case 'u64':
        (a as BigInt64Array)[i] = BigInt(Math.floor(x * 256) - 128);
        break;
      case 'i8':
        a[i] = Math.floor(x * 256) - 128;
        break;
      case 'i16':
        a[i] = Math.floor(x * 65536) - 32768;
        break;
      case 'i1':
        a[i] = x < 0.5 ? 0 : 1;
        break;
      default:
        a[i] = Math.floor(x * 256);
    }
  }
  return a;
}

/** Reads the --input arguments into arrays in model-input order. */
function readInputs(specs: readonly string[], infos: readonly TensorInfo[], io: QoptIO): NpyArray[] {
  const byName = new Map<string, NpyArray>();
  const positional: NpyArray[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const named = eq > 0 && !spec.slice(0, eq).includes('/') ? spec.slice(0, eq) : undefined;
    const file = named ? spec.slice(eq + 1) : spec;
    let bytes: Uint8Array;
    try {
      bytes = io.readFile(file);
    } catch (e) {
      fail(file, `could not open input: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (file.endsWith('.npz')) for (const [k, v] of decodeNpz(bytes, file)) byName.set(k.replace(/\.npy$/, ''), v);
    else if (named) byName.set(named, decodeNpy(bytes, file));
    else positional.push(decodeNpy(bytes, file));
  }
  return infos.map((info, i) => {
    const a = byName.get(info.name) ?? positional[i] ?? byName.get(`arr_${i}`);
    if (!a) fail('qopt run', `no data for model input ${i} ('${info.name}'); give --input FILE.npy (in order) or --input ${info.name}=FILE.npy`);
    return a;
  });
}

function summarize(name: string, t: NpyArray): string {
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  const n = t.data.length;
  for (let i = 0; i < n; i++) {
    const v = Number(t.data[i]);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    sum += v;
  }
  const head = Array.from(t.data.slice(0, 8) as ArrayLike<number | bigint>, (v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(6) : String(v)));
  return `${name}: ${t.dtype}[${t.shape.join(',')}] min=${lo} max=${hi} mean=${n ? (sum / n).toPrecision(6) : 'nan'} [${head.join(', ')}${n > 8 ? ', …' : ''}]`;
}

/** Runs `qopt run`. */
export async function runRunCommand(argv: readonly string[], io: QoptIO): Promise<number> {
  const collect = (v: string, prev: string[]): string[] => [...prev, v];
  const cmd = new Command('qopt run')
    .argument('<model>')
    .option('--input <file>', 'input .npy/.npz (repeat per input, or NAME=file.npy)', collect, [] as string[])
    .option('--output <file>', 'output .npy per output, or one .npz', collect, [] as string[])
    .option('--dump-tensors <dir>')
    .addOption(new Option('--kernels <flavour>').choices(['tflite', 'tflm']).default('tflite'))
    .option('--seed <n>', 'seed for random inputs', '0')
    .option('--keep-state', 'keep LSTM/SVDF state across dataset samples')
    .option('--entry <name>', 'function to run', 'main')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  cmd.parse([...argv], { from: 'user' });
  const o = cmd.opts() as RunOptions;
  const modelPath = cmd.args[0]!;
  const module = loadModel(modelPath, io);
  const interp = new Interpreter(entryFunc(module, o.entry), {
    kernels: registeredKernels(),
    flavour: o.kernels,
    keepAllTensors: o.dumpTensors !== undefined,
  });
  const infos = interp.inputs;
  const arrays: NpyArray[] =
    o.input.length > 0
      ? readInputs(o.input, infos, io)
      : (() => {
          const r = seeded(Number(o.seed));
          io.stderr(`qopt run: no --input given; using random inputs (seed ${o.seed})\n`);
          return infos.map((info) => ({ dtype: info.dtype, shape: info.shape, data: randomInput(info, r) }));
        })();
  // Dataset mode: every input has one more leading axis than the model input.
  let samples = 0;
  arrays.forEach((a, i) => {
    const info = infos[i]!;
    const want = numElements(info.shape);
    if (a.dtype !== info.dtype)
      fail(o.input[i] ?? 'input', `model input ${i} ('${info.name}') is ${info.dtype}[${info.shape.join(',')}], the data is ${a.dtype}[${a.shape.join(',')}]`);
    const batched = a.shape.length === info.shape.length + 1 && numElements(a.shape.slice(1)) === want;
    const n = batched ? a.shape[0]! : a.data.length === want ? 0 : -1;
    if (n < 0)
      fail(o.input[i] ?? 'input', `model input ${i} ('${info.name}') needs ${want} elements [${info.shape.join(',')}] (or a leading dataset axis), the data has shape [${a.shape.join(',')}]`);
    if (i === 0) samples = n;
    else if (n !== samples) fail(o.input[i] ?? 'input', `inputs disagree on the number of samples (${samples} vs ${n})`);
  });
  const count = Math.max(1, samples);
  const outInfos = interp.outputs;
  const stacked = outInfos.map((info) => allocTyped(info.dtype, numElements(info.shape) * count));
  const bar = io.isTTY && count > 1 ? new cliProgress.SingleBar({ stream: process.stderr, format: 'run [{bar}] {value}/{total} samples | {duration_formatted}' }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(count, 0);
  for (let s = 0; s < count; s++) {
    if (samples > 0 && !o.keepState) interp.reset();
    const ins = arrays.map((a, i) => {
      const n = numElements(infos[i]!.shape);
      return samples > 0 ? (a.data.subarray(s * n, (s + 1) * n) as TypedArray) : a.data;
    });
    const outs = interp.run(ins);
    outs.forEach((t, k) => (stacked[k] as { set(a: ArrayLike<number | bigint>, o: number): void }).set(t.data as never, s * t.data.length));
    bar?.update(s + 1);
  }
  bar?.stop();
  const results: NpyArray[] = outInfos.map((info, k) => ({
    dtype: info.dtype as DType,
    shape: samples > 0 ? [samples, ...info.shape] : [...info.shape],
    data: stacked[k]!,
  }));
  results.forEach((r, k) => io.stdout(`${summarize(outInfos[k]!.name || `output${k}`, r)}\n`));
  if (o.output.length === 1 && o.output[0]!.endsWith('.npz')) {
    const m = new Map<string, NpyArray>();
    results.forEach((r, k) => m.set(outInfos[k]!.name || `output${k}`, r));
    io.writeFile(o.output[0]!, encodeNpz(m, o.output[0]!));
  } else {
    if (o.output.length > results.length) fail('qopt run', `${o.output.length} --output files for ${results.length} outputs`);
    o.output.forEach((f, k) => io.writeFile(f, encodeNpy(results[k]!, f)));
  }
  if (o.dumpTensors) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(o.dumpTensors, { recursive: true });
    const seen = new Set<string>();
    for (const { info, tensor } of interp.tensors()) {
      let base = info.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'tensor';
      while (seen.has(base)) base = `${base}_`;
      seen.add(base);
      io.writeFile(`${o.dumpTensors}/${base}.npy`, encodeNpy({ dtype: tensor.dtype, shape: tensor.shape, data: tensor.data }, base));
    }
  }
  return 0;
}
