/**
 * The mixed-precision plan of quant-mixed: an immutable tree (immer) of per-tensor width decisions.
 * Keys name activation tensors of a calibrated function independently of object identity, so that a
 * plan applies to clones and to a re-imported model: `arg<i>` for a function argument,
 * `<n>:<r>` for result r of the n-th op of the body (`quantfork.stats` ops not counted). Every key
 * records its producer's op name (checked when a saved plan is applied) and location name.
 *
 * Variants are derived with `produceWithPatches`: each promotion step of the search is recorded as
 * the patches it made (the plan's `steps`), with the output SQNR it reached.
 */
import { type Patch, enablePatches, produceWithPatches } from 'immer';
import { locName } from '../../../src/ir/location.js';
import type { Operation } from '../../../src/ir/operation.js';
import type { Value } from '../../../src/ir/value.js';
import { STATS_OP } from '../calibration/contract.js';
import type { Width } from '../quant/math.js';

enablePatches();

/** The decision for one activation tensor. */
export interface TensorDecision {
  readonly width: Width;
  /** Producer op name ('arg' for a function argument). */
  readonly op: string;
  readonly name?: string;
}

/** One promotion of the search. */
export interface PlanStep {
  /** Keys promoted together (a tensor and its same-scale followers). */
  readonly keys: readonly string[];
  /** Output SQNR (dB) after the step. */
  readonly sqnrDb: number;
  /** SQNR gained by the step (dB). */
  readonly gainDb: number;
  /** Top-1 accuracy after the step (with labels). */
  readonly accuracy?: number;
  readonly patches: readonly Patch[];
}

/** Measured cost of a configuration. */
export interface PlanCost {
  readonly sqnrDb: number;
  /** Bytes of the quantized constants (weights, biases, states). */
  readonly constantBytes: number;
  /** Sum of the activation tensors' bytes. */
  readonly activationBytes: number;
  /** Interpreter arena bytes. */
  readonly arenaBytes: number;
  /** Ops running with 16-bit activations. */
  readonly int16Ops: number;
  readonly requantizes: number;
  /** Top-1 accuracy (0..1) on the labelled evaluation samples, when labels are given. */
  readonly accuracy?: number;
}

/** A plan (JSON-serializable). */
export interface MixedPlan {
  readonly version: 1;
  readonly func: string;
  readonly tensors: Readonly<Record<string, TensorDecision>>;
  readonly steps: readonly PlanStep[];
  readonly budget?: Readonly<Record<string, number>>;
  readonly costs?: Readonly<Record<string, PlanCost>>;
}

/** Op keys of a function body: every op but stats ops, by position. */
export function opIndex(func: Operation): Map<Operation, number> {
  const m = new Map<Operation, number>();
  let n = 0;
  for (const op of func.regions[0]?.blocks[0]?.ops() ?? []) {
    if (op.name === STATS_OP) continue;
    m.set(op, n++);
  }
  return m;
}

/** The key of a value (undefined: not keyable, e.g. a stats result). */
export function valueKey(v: Value, index: ReadonlyMap<Operation, number>, func: Operation): string | undefined {
  const d = v.definingOp;
  if (!d) {
    const i = func.regions[0]?.blocks[0]?.args.indexOf(v as never) ?? -1;
    return i >= 0 ? `arg${i}` : undefined;
  }
  const n = index.get(d);
  if (n === undefined) return undefined;
  return `${n}:${d.results.indexOf(v as never)}`;
}

/** A plan with every given tensor at int8. */
export function initialPlan(func: string, tensors: ReadonlyMap<string, { op: string; name?: string }>): MixedPlan {
  const t: Record<string, TensorDecision> = {};
  for (const [k, d] of tensors) t[k] = { width: 'int8', op: d.op, ...(d.name ? { name: d.name } : {}) };
  return { version: 1, func, tensors: t, steps: [] };
}

/** The plan with `keys` promoted to int16, and the patches that did it. */
export function promote(plan: MixedPlan, keys: readonly string[]): [MixedPlan, Patch[]] {
  const [next, patches] = produceWithPatches(plan, (d) => {
    for (const k of keys) {
      const t = d.tensors[k];
      if (t) t.width = 'int16';
    }
  });
  return [next, patches];
}

/** Keys at int16. */
export function int16Keys(plan: MixedPlan): Set<string> {
  return new Set(Object.entries(plan.tensors).filter(([, t]) => t.width === 'int16').map(([k]) => k));
}

/** A readable name of an op's location. */
export function opLabel(op: Operation): string | undefined {
  const loc = op.loc;
  const n = loc.kind === 'fused' ? loc.locs.map((l) => locName(l)).find((x) => x) : locName(loc);
  return n ?? undefined;
}

/** Parses and checks a saved plan. */
export function parsePlan(text: string): MixedPlan {
  const p = JSON.parse(text) as MixedPlan;
  if (p?.version !== 1 || typeof p.tensors !== 'object' || p.tensors === null) throw new Error('not a quant-mixed plan (version 1)');
  for (const [k, t] of Object.entries(p.tensors))
    if (t.width !== 'int8' && t.width !== 'int16') throw new Error(`tensor '${k}': width must be int8 or int16`);
  return { ...p, steps: p.steps ?? [] };
}
