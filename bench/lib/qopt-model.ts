/**
 * Preparing and timing one corpus model in qopt's interpreter: a {@link QoptSession} prepares a model
 * and runs batches of invokes on request. `bench/interp.ts` drives sessions in-process or, to keep
 * one model's JIT type feedback away from the next, in a child process (interp-child.ts).
 */
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { importTflite } from '../../src/flatbuffer/import.js';
import { Interpreter, type KernelRegistry } from '../../src/interp/interpreter.js';
import type { KernelDef, KernelFlavour, TypedArray } from '../../src/interp/kernel.js';
import type { Operation } from '../../src/ir/operation.js';
import { tflKernels } from '../../dialects/tfl/kernels/index.js';
import { registerAll } from '../../tools/register.js';
import { readCorpus } from './corpus.js';
import { benchInputs } from './corpus-inputs.js';

/** What preparing a model in qopt gives. */
export interface QoptPrepared {
  readonly rel: string;
  /** Why the model could not be prepared (import, kernel prepare or first run), when it could not. */
  readonly error?: string;
  readonly prepareMs?: number;
  readonly arenaBytes?: number;
  readonly lowerBound?: number;
  readonly ops?: number;
  readonly inputSource?: string;
  /** Outputs of the first invoke from a fresh interpreter (for the comparison with TFLite). */
  readonly outputs?: TypedArray[];
}

/** The entry function (`@main`, else the first `func.func`) of an imported module. */
export function mainFunc(module: Operation): Operation {
  const funcs = [...(module.regions[0]?.blocks[0]?.ops() ?? [])].filter((o) => o.name === 'func.func');
  const main = funcs.find((f) => {
    const n = f.attr('sym_name');
    return n?.kind === 'string' && n.value === 'main';
  });
  const f = main ?? funcs[0];
  if (!f) throw new Error('the module has no function');
  return f;
}

/** Builds qopt's interpreter for a corpus model (throws with the reason when it cannot). */
export function prepareQopt(rel: string, flavour: KernelFlavour = 'tflite', kernels: KernelRegistry = tflKernels): Interpreter {
  registerAll();
  const module = importTflite(readCorpus(rel), rel);
  return new Interpreter(mainFunc(module), { kernels, flavour });
}

/**
 * The tfl kernels with some replaced by those a module exports as `kernels` (an array of KernelDef):
 * for timing a candidate kernel against the current one before it lands.
 */
export async function kernelsWithOverrides(file: string): Promise<{ kernels: KernelRegistry; ops: string[] }> {
  const mod = (await import(pathToFileURL(path.resolve(file)).href)) as { kernels?: readonly KernelDef[] };
  if (!Array.isArray(mod.kernels)) throw new Error(`${file} does not export 'kernels' (an array of KernelDef)`);
  const m = new Map(tflKernels);
  for (const k of mod.kernels) m.set(k.op, k);
  return { kernels: m, ops: mod.kernels.map((k) => k.op) };
}

/** The first line of an error, without a leading `loc(...)` prefix. */
export function errorText(e: unknown): string {
  const m = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
  return m.replace(/^loc\(.*?\):\s*(error:\s*)?/, '');
}

/** One model prepared in qopt, ready to time. */
export class QoptSession {
  private interp: Interpreter | undefined;
  /** The kernels models are prepared with (the tfl kernels unless overridden). */
  kernels: KernelRegistry = tflKernels;

  /** Imports and prepares `rel`, stores its inputs and runs it once. */
  prepare(rel: string, flavour: KernelFlavour): QoptPrepared {
    this.interp = undefined;
    const t0 = performance.now();
    let interp: Interpreter;
    try {
      interp = prepareQopt(rel, flavour, this.kernels);
    } catch (e) {
      return { rel, error: errorText(e) };
    }
    const prepareMs = performance.now() - t0;
    const { inputs, source } = benchInputs(rel, interp.inputs);
    let outputs: TypedArray[];
    try {
      outputs = interp.run(inputs).map((t) => t.data);
    } catch (e) {
      return { rel, error: `run failed: ${errorText(e)}` };
    }
    this.interp = interp;
    return { rel, prepareMs, arenaBytes: interp.arenaBytes, lowerBound: interp.arenaLowerBound, ops: countOps(interp), inputSource: source, outputs };
  }

  /** Invokes `n` times; returns the elapsed milliseconds. */
  batch(n: number): number {
    const interp = this.interp;
    if (!interp) throw new Error('no model prepared');
    const t0 = performance.now();
    for (let i = 0; i < n; i++) interp.invoke();
    return performance.now() - t0;
  }
}

function countOps(interp: Interpreter): number {
  let n = 0;
  for (const op of interp.func.regions[0]!.blocks[0]!.ops()) if (op.name !== 'func.return' && !op.name.endsWith('const') && op.name !== 'tfl.no_value') n++;
  return n;
}
