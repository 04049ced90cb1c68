/**
 * Reference oracle: runs real TFLite (the WASM build inside @tensorflow/tfjs-tflite, TFLite ~2.12) in
 * plain Node. We drive the package's web-worker loader with a few stand-in globals, force the
 * single-threaded SIMD build, and talk to the emscripten `TFLiteWebModelRunner` directly.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { DType, TypedArray } from '../../src/interp/kernel.js';
import { editForBuiltinKernels } from './model-edit.js';

/** Name, element type and static shape of one model input or output. */
export interface OracleTensorInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** Options of {@link TfliteOracle.createRunner}. */
export interface OracleRunnerOptions {
  /**
   * Run TFLite's builtin kernels instead of the XNNPACK delegate (which requantizes in float and
   * differs by ±1 from the reference kernels). Edits the model (see `editForBuiltinKernels`); the
   * extra input and output are hidden, callers see the original ones.
   */
  readonly builtinOnly?: boolean;
  /**
   * Recreate the interpreter before every run after the first, so that each run starts from the
   * initial variable tensors (LSTM/SVDF state), like upstream tests that call `reset()` per sample.
   */
  readonly freshStatePerRun?: boolean;
}

/** One TFLite interpreter for one model. Inputs/outputs are in `SubGraph.inputs/outputs` order. */
export interface OracleRunner {
  /** The model inputs as TFLite sees them. */
  inputs(): OracleTensorInfo[];
  /** The model outputs as TFLite sees them (shapes as of the last run for dynamic outputs). */
  outputs(): OracleTensorInfo[];
  /**
   * Copies `inputs` (one typed array per input, of the input's type and static element count; no
   * resizing) into the interpreter, invokes it once and returns copies of all outputs. Variable
   * tensors (LSTM/SVDF state) persist across runs, like TFLite's `Invoke`; call {@link reset} for a
   * fresh state. Throws an Error carrying TFLite's message when the invocation fails.
   */
  run(inputs: readonly TypedArray[]): TypedArray[];
  /** What TFLite printed while building the interpreter (warnings; usually empty). */
  creationLog(): readonly string[];
  /** Recreates the interpreter, so that variable tensors start from their initial values again. */
  reset(): void;
  /** Frees the interpreter and the model copy in WASM memory. The runner is unusable afterwards. */
  dispose(): void;
}

/** The loaded TFLite WASM module. */
export interface TfliteOracle {
  /**
   * Builds an interpreter for a `.tflite` flatbuffer (single-threaded). Throws an Error with TFLite's
   * own message when TFLite rejects the model.
   */
  createRunner(modelBytes: Uint8Array, options?: OracleRunnerOptions): OracleRunner;
}

// ---- the minimal surface of the emscripten module that we use ------------------------------------

interface EmTensorInfo {
  id: number;
  dataType: string;
  name: string;
  shape: string;
  data(): TypedArray;
}
interface EmVector<T> {
  size(): number;
  get(i: number): T;
  delete(): void;
}
interface EmRunner {
  GetInputs(): EmVector<EmTensorInfo>;
  GetOutputs(): EmVector<EmTensorInfo>;
  Infer(): boolean;
  delete(): void;
}
interface EmStatusOr {
  ok(): boolean;
  errorMessage(): string;
  value(): EmRunner;
  delete?(): void;
}
interface EmModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(
      ptr: number,
      len: number,
      opts: { numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number },
    ): EmStatusOr;
  };
}

type ModuleFactory = (opts: Record<string, unknown>) => Promise<EmModule>;

const FACTORY_NAME = 'tflite_web_api_ModuleFactory';
const GLUE_FILE = 'tflite_web_api_cc_simd.js';
const WASM_FILE = 'tflite_web_api_cc_simd.wasm';

const require = createRequire(import.meta.url);

/** Messages TFLite printed (stdout and stderr) since the last {@link takeLog}. */
let logLines: string[] = [];
function takeLog(): string[] {
  const l = logLines;
  logLines = [];
  return l;
}

let loading: Promise<TfliteOracle> | undefined;

/** Set when a call into the WASM module threw (an emscripten abort): its state is then unknown. */
let crashMessage: string | undefined;

/**
 * Runs one call into the WASM module. Our own checks never run inside it, so whatever it throws is
 * a crash (e.g. `Aborted(...)`): the module is marked unusable and the error carries TFLite's log.
 */
function guard<T>(what: string, f: () => T): T {
  if (crashMessage !== undefined) {
    throw new Error(
      `tfjs-tflite oracle: the TFLite WASM module crashed earlier (${crashMessage}); restart the process`,
    );
  }
  try {
    return f();
  } catch (e) {
    crashMessage = e instanceof Error ? e.message : String(e);
    throw new Error(`TFLite crashed in ${what}: ${joinMessages(takeLog(), crashMessage)}`);
  }
}

/** Directory holding the package's `wasm/` files, or undefined when the package is not installed. */
function packageWasmDir(): string | undefined {
  try {
    const pkgJson = require.resolve('@tensorflow/tfjs-tflite/package.json');
    return path.join(path.dirname(pkgJson), 'wasm');
  } catch {
    return undefined;
  }
}

/**
 * True when `@tensorflow/tfjs-tflite` (and its WASM files) can be found, i.e. when
 * {@link loadTfliteOracle} can be expected to work.
 */
export function isOracleAvailable(): boolean {
  const dir = packageWasmDir();
  if (dir === undefined) return false;
  if (!existsSync(path.join(dir, GLUE_FILE)) || !existsSync(path.join(dir, WASM_FILE))) return false;
  try {
    require.resolve('@tensorflow/tfjs-core');
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads the TFLite WASM module (once; later calls return the same promise). Takes a few hundred
 * milliseconds: it compiles a 3.7 MB WebAssembly binary.
 */
export function loadTfliteOracle(): Promise<TfliteOracle> {
  loading ??= loadOnce().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function loadOnce(): Promise<TfliteOracle> {
  const wasmDir = packageWasmDir();
  if (wasmDir === undefined) throw new Error('tfjs-tflite oracle: @tensorflow/tfjs-tflite is not installed');
  const wasmBinary = readFileSync(path.join(wasmDir, WASM_FILE));
  const g = globalThis as Record<string, unknown>;

  let module: EmModule | undefined;
  let loadError: unknown;
  // The package's loader believes it runs in a web worker when `window` is undefined: it then calls
  // importScripts(url) and `self[FACTORY_NAME]({locateFile, ...})`. Provide just enough of that.
  const saved = { self: g.self, location: g.location, importScripts: g.importScripts };
  g.self ??= globalThis;
  g.location ??= { origin: '', href: '' };
  g.importScripts = (url: unknown): void => {
    // The package preloads once with an empty wasm path at require time; refuse anything that is
    // not under our wasm directory so that load fails quietly (the package catches it).
    if (typeof url !== 'string' || !url.startsWith(wasmDir + path.sep)) {
      throw new Error(`tfjs-tflite oracle: refusing to load script '${String(url)}'`);
    }
    // Always the single-threaded SIMD build: the threaded ones need Workers.
    const glue = path.join(wasmDir, GLUE_FILE);
    vm.runInThisContext(readFileSync(glue, 'utf8'), { filename: glue });
    const factory = g[FACTORY_NAME] as ModuleFactory;
    g[FACTORY_NAME] = async (opts: Record<string, unknown>): Promise<EmModule> => {
      const m = await factory({
        ...opts,
        wasmBinary,
        print: (s: string) => logLines.push(String(s)),
        printErr: (s: string) => logLines.push(String(s)),
      });
      module = m;
      return m;
    };
  };
  try {
    const pkg = require('@tensorflow/tfjs-tflite') as { setWasmPath(p: string): void };
    pkg.setWasmPath(wasmDir + path.sep);
    const tfweb = g.tfweb as {
      TFLiteWebModelRunner: { create(model: ArrayBuffer, opts: object): Promise<{ cleanUp(): void }> };
    };
    // No public "just load" entry point: create() with an empty model loads the module, then fails.
    try {
      const r = await tfweb.TFLiteWebModelRunner.create(new ArrayBuffer(0), { numThreads: 1 });
      r.cleanUp();
    } catch (e) {
      loadError = e; // expected once the module loaded: the empty model is rejected
    }
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete g[k];
      else g[k] = v;
    }
  }
  takeLog();
  if (module === undefined) {
    const why = loadError instanceof Error ? `: ${loadError.message}` : '';
    throw new Error(`tfjs-tflite oracle: the WASM module did not load from ${wasmDir}${why}`);
  }
  return new Oracle(module);
}

class Oracle implements TfliteOracle {
  constructor(private readonly m: EmModule) {}

  createRunner(modelBytes: Uint8Array, options: OracleRunnerOptions = {}): OracleRunner {
    if (options.builtinOnly) {
      const edited = editForBuiltinKernels(modelBytes);
      return new Runner(this.m, edited.model, edited.extraInput, options.freshStatePerRun ?? false);
    }
    return new Runner(this.m, modelBytes, undefined, options.freshStatePerRun ?? false);
  }
}

/** The extra int32 input that `withBuiltinKernelsOnly` adds, with the value to feed it. */
interface ExtraInput {
  readonly value: Int32Array;
}

class Runner implements OracleRunner {
  private ptr = 0;
  private runner: EmRunner | undefined;
  private readonly nIn: number;
  private readonly nOut: number;
  /** Whether Infer has run since the interpreter was created. */
  private dirty = false;
  private createLog: readonly string[] = [];

  constructor(
    private readonly m: EmModule,
    private readonly bytes: Uint8Array,
    private readonly extra: ExtraInput | undefined,
    private readonly freshState: boolean,
  ) {
    this.create();
    try {
      this.nIn = this.listTensors('in').length - (extra ? 1 : 0);
      this.nOut = this.listTensors('out').length - (extra ? 1 : 0);
    } catch (e) {
      this.free();
      throw e;
    }
  }

  private create(): void {
    const m = this.m;
    takeLog();
    // The interpreter keeps pointing into this copy of the model, so it lives as long as the runner.
    const ptr = guard('malloc', () => m._malloc(Math.max(1, this.bytes.length)));
    m.HEAPU8.set(this.bytes, ptr);
    const status = guard('CreateFromBufferAndOptions', () =>
      m.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, this.bytes.length, {
        numThreads: 1,
        enableProfiling: false,
        maxProfilingBufferEntries: 1024,
      }),
    );
    const log = takeLog();
    if (!guard('CreateFromBufferAndOptions', () => status.ok())) {
      const msg = guard('CreateFromBufferAndOptions', () => status.errorMessage());
      guard('free', () => {
        status.delete?.();
        m._free(ptr);
      });
      throw new Error(`TFLite rejected the model: ${joinMessages(log, msg)}`);
    }
    this.runner = guard('CreateFromBufferAndOptions', () => {
      const value = status.value();
      status.delete?.();
      return value;
    });
    this.ptr = ptr;
    this.dirty = false;
    this.createLog = log;
  }

  private live(): EmRunner {
    if (this.runner === undefined) throw new Error('tfjs-tflite oracle: runner used after dispose()');
    return this.runner;
  }

  private withTensors<T>(which: 'in' | 'out', f: (ts: EmTensorInfo[]) => T): T {
    const r = this.live();
    const ts = guard(which === 'in' ? 'GetInputs' : 'GetOutputs', () => {
      const v = which === 'in' ? r.GetInputs() : r.GetOutputs();
      const list: EmTensorInfo[] = [];
      for (let i = 0; i < v.size(); i++) list.push(v.get(i));
      v.delete();
      return list;
    });
    return f(ts);
  }

  private listTensors(which: 'in' | 'out'): OracleTensorInfo[] {
    return this.withTensors(which, (ts) =>
      ts.map((t) => ({ name: t.name, dtype: toDType(t.dataType, t.name), shape: parseShape(t.shape) })),
    );
  }

  inputs(): OracleTensorInfo[] {
    return this.listTensors('in').slice(0, this.nIn);
  }

  outputs(): OracleTensorInfo[] {
    return this.listTensors('out').slice(0, this.nOut);
  }

  run(inputs: readonly TypedArray[]): TypedArray[] {
    if (inputs.length !== this.nIn) {
      throw new Error(`tfjs-tflite oracle: the model has ${this.nIn} inputs, got ${inputs.length}`);
    }
    if (this.freshState && this.dirty) this.reset();
    this.withTensors('in', (ts) => {
      const all = this.extra ? [...inputs, this.extra.value] : inputs;
      ts.forEach((t, i) => {
        const src = all[i]!;
        const dst = t.data(); // a fresh view: WASM memory may have grown since the last call
        if (src.length !== dst.length) {
          throw new Error(
            `tfjs-tflite oracle: input ${i} ('${t.name}') has ${dst.length} elements, got ${src.length}`,
          );
        }
        if (Object.getPrototypeOf(src) !== Object.getPrototypeOf(dst)) {
          throw new Error(
            `tfjs-tflite oracle: input ${i} ('${t.name}') is ${t.dataType}, got a ${src.constructor.name}`,
          );
        }
        (dst as Uint8Array).set(src as Uint8Array);
      });
    });
    takeLog();
    this.dirty = true;
    const runner = this.live();
    const ok = guard('Infer', () => runner.Infer());
    const log = takeLog();
    if (!ok) throw new Error(`TFLite Invoke failed: ${joinMessages(log, '')}`);
    return this.withTensors('out', (ts) => ts.slice(0, this.nOut).map((t) => t.data().slice()));
  }

  creationLog(): readonly string[] {
    return this.createLog;
  }

  reset(): void {
    this.live();
    this.free();
    this.create();
  }

  dispose(): void {
    this.free();
  }

  private free(): void {
    const { runner, ptr } = this;
    if (runner !== undefined) {
      this.runner = undefined;
      this.ptr = 0;
      if (crashMessage === undefined) {
        guard('delete', () => {
          runner.delete();
          this.m._free(ptr);
        });
      }
    }
  }
}

/** TFLite's printed error lines (deduplicated, at most 12) plus the status message, as one text. */
function joinMessages(log: readonly string[], status: string): string {
  const seen = new Set<string>();
  for (const raw of log) {
    const l = raw.trim().replace(/^ERROR:\s*/, '');
    if (l !== '' && !l.startsWith('INFO:')) seen.add(l);
  }
  const lines = [...seen];
  const shown = lines.slice(0, 12);
  if (lines.length > shown.length) shown.push(`... (${lines.length - shown.length} more)`);
  if (status !== '' && !seen.has(status)) shown.push(status);
  return shown.length > 0 ? shown.join('\n') : 'no message';
}

function parseShape(s: string): number[] {
  return s === '' ? [] : s.split(',').map((d) => Number(d));
}

function toDType(t: string, name: string): DType {
  switch (t) {
    case 'float32':
      return 'f32';
    case 'float64':
      return 'f64';
    case 'int8':
      return 'i8';
    case 'uint8':
      return 'u8';
    case 'bool':
      return 'i1';
    case 'int16':
      return 'i16';
    case 'int32':
      return 'i32';
    case 'uint32':
      return 'u32';
    case 'int64':
      return 'i64';
    default:
      throw new Error(`tfjs-tflite oracle: tensor '${name}' has unsupported type '${t}'`);
  }
}
