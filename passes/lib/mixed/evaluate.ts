/**
 * Sensitivity measurement for quant-mixed: quantize a clone of a calibrated function with a given set
 * of 16-bit tensors and variables (the others int8) — in a module with clones of the functions it
 * calls, its state initialiser quantized alike — run it on evaluation samples in the interpreter and
 * compare its outputs with the float function's (output SQNR over all outputs and samples), and
 * measure its cost (constant bytes, activation bytes, arena, 16-bit ops, requantizes).
 */
import type { Diagnostic } from '../../../src/ir/diagnostic.js';
import { Builder } from '../../../src/ir/builder.js';
import type { Operation } from '../../../src/ir/operation.js';
import { type Type, elementType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { Interpreter } from '../../../src/interp/interpreter.js';
import type { KernelFlavour, TypedArray } from '../../../src/interp/kernel.js';
import { registeredKernels } from '../../../src/interp/kernel-registry.js';
import { dequantize, sqnrDb } from '../../../src/compare/metrics.js';
import { PassContext } from '../../../src/pass/pass.js';
import { applyPatternsGreedily } from '../../../src/rewrite/greedy.js';
import { canonicalizationPatterns } from '../../canonicalize.js';
import { prepareFunction } from '../../quant-prepare.js';
import { quantizeFunction } from '../../quant-quantize.js';
import { type QuantConfig, buildPlans } from '../quant/driver.js';
import type { Width } from '../quant/math.js';
import { collectRanges } from '../quant/ranges.js';
import { isDataConstant } from '../quant/rules.js';
import { variableLabel } from '../calibration/variables.js';
import { isVariableAccess } from '../quant/variables.js';
import { evaluationModule } from './eval-module.js';
import { top1 } from './labels.js';
import type { PlanCost } from './plan.js';
import { opIndex, opLabel, valueKey } from './plan.js';
import { type VariableUnit, variableKeysIn, variableUnits, withVariableWidths } from './variables.js';

/** A unit of the search: a tensor and the same-scale followers promoted with it. */
export interface Candidate {
  readonly key: string;
  readonly keys: readonly string[];
}

/** What the analysis of a calibrated function finds. */
export interface Analysis {
  /** Every decidable activation tensor: producer op name and location name. */
  readonly tensors: Map<string, { op: string; name?: string }>;
  readonly candidates: Candidate[];
  /** Indices of the ops that have both an int8 and a 16x8 plan. */
  readonly capable16: Set<number>;
  /** The resource variables with a recorded range, by plan key (`var:…`): one search unit each. */
  readonly variables: Map<string, VariableUnit>;
}

/** Finds the decidable tensors of a calibrated function (on a clone). */
export function analyze(func: Operation, cfg: QuantConfig): Analysis {
  const f = func.clone();
  const idx = opIndex(f);
  const ranges = collectRanges(f, new Builder());
  const p8 = buildPlans(f, { ...cfg, mode: 'int8', opWidth: undefined }, new Map()).plans;
  const p16 = new Set(buildPlans(f, { ...cfg, mode: 'int16', opWidth: undefined }, new Map()).plans.map((p) => p.op));
  const capable16 = new Set<number>();
  const tensors = new Map<string, { op: string; name?: string }>();
  const follows = new Map<string, string[]>();
  const followers = new Set<string>();
  const describe = (v: Value): { op: string; name?: string } => {
    const d = v.definingOp;
    const name = d ? opLabel(d) : undefined;
    return { op: d ? d.name : 'arg', ...(name ? { name } : {}) };
  };
  for (const p of p8) {
    if (!p16.has(p.op)) continue;
    capable16.add(idx.get(p.op)!);
    const actIn: string[] = [];
    p.operands.forEach((r, i) => {
      const v = p.op.operand(i);
      if (r.kind !== 'act' || isDataConstant(v)) return;
      const k = valueKey(v, idx, f);
      if (k === undefined) return;
      if (!tensors.has(k)) tensors.set(k, describe(v));
      actIn.push(k);
    });
    const outs: string[] = [];
    p.results.forEach((r, i) => {
      if (r.kind === 'none') return;
      const k = valueKey(p.op.result(i), idx, f)!;
      tensors.set(k, describe(p.op.result(i)));
      outs.push(k);
    });
    // Reshape-like ops (same scale, one activation input): their results follow the input.
    const g = p.groups.find((x) => x.prefer === 'operand' && x.results.length > 0);
    if (g && actIn.length === 1 && outs.length > 0) {
      const l = follows.get(actIn[0]!) ?? [];
      l.push(...outs);
      follows.set(actIn[0]!, l);
      for (const o of outs) followers.add(o);
    }
  }
  const chain = (k: string, out: string[]): string[] => {
    if (out.includes(k)) return out;
    out.push(k);
    for (const n of follows.get(k) ?? []) chain(n, out);
    return out;
  };
  // A variable is one unit: its reads (with their followers) and assigned values take its width.
  const variables = variableUnits(f, idx, p8, new Set(ranges.variables.keys()));
  for (const u of variables.values()) {
    tensors.set(u.key, { op: 'tfl.var_handle', name: variableLabel(u.variable) });
    for (const r of u.reads) followers.add(r);
  }
  const candidates: Candidate[] = [];
  for (const k of tensors.keys()) {
    if (followers.has(k)) continue;
    const u = variables.get(k);
    const keys = [k];
    for (const m of u ? [...u.reads, ...u.assigned] : []) chain(m, keys);
    candidates.push({ key: k, keys: u ? keys : chain(k, []) });
  }
  return { tensors, candidates, capable16, variables };
}

/** The width callback for a clone whose ops are indexed by `idx`. */
export function widthHook(func: Operation, idx: ReadonlyMap<Operation, number>, int16: ReadonlySet<string>, capable16: ReadonlySet<number>) {
  return (op: Operation): Width | undefined => {
    const n = idx.get(op);
    if (n === undefined || !capable16.has(n)) return undefined;
    for (const o of op.operands) {
      const k = valueKey(o.value, idx, func);
      if (k && int16.has(k)) return 'int16';
    }
    for (const r of op.results) {
      const k = valueKey(r, idx, func);
      if (k && int16.has(k)) return 'int16';
    }
    return 'int8';
  };
}

/**
 * Prepares and quantizes `func` in place with the given 16-bit tensors and variables (`var:` keys;
 * base mode int8).
 */
export function quantizeMixed(func: Operation, cfg: QuantConfig, int16: ReadonlySet<string>, capable16: ReadonlySet<number>, ctx: PassContext): boolean {
  const idx = opIndex(func);
  const c: QuantConfig = { ...withVariableWidths(cfg, variableKeysIn(int16)), mode: 'int8', opWidth: widthHook(func, idx, int16, capable16) };
  const r = prepareFunction(func, c, ctx);
  const rw = new Builder();
  quantizeFunction(func, rw);
  return r.changed || rw.changed;
}

/**
 * Quantizes a function that is not searched but accesses resource variables (an initialiser) in
 * place: all-int8, its variables at the widths `int16` gives them (`var:` keys), as the searched
 * functions store them. Returns whether it changed.
 */
export function quantizeVariableUser(func: Operation, cfg: QuantConfig, int16: ReadonlySet<string>, ctx: PassContext): boolean {
  if (!func.regions[0]?.blocks[0]?.opsArray().some(isVariableAccess)) return false;
  const { opWidth: _w, ...base } = cfg;
  const r = prepareFunction(func, { ...withVariableWidths(base, variableKeysIn(int16)), mode: 'int8' }, ctx);
  const rw = new Builder();
  quantizeFunction(func, rw);
  return r.changed || rw.changed;
}

function elementBytes(t: Type): number {
  const e = elementType(t);
  if (e.kind === 'quant.uniform' || e.kind === 'quant.uniform_per_axis') return Math.ceil(e.storage.width / 8);
  if (e.kind === 'integer' || e.kind === 'float') return Math.ceil(e.width / 8);
  return 0;
}

function tensorBytes(v: Value): number {
  const t = v.type;
  if (t.kind !== 'tensor') return 0;
  let n = 1;
  for (const d of t.shape) n *= d < 0 ? 1 : d;
  return n * elementBytes(t);
}

function isInt16Tensor(v: Value): boolean {
  const e = elementType(v.type);
  return (e.kind === 'quant.uniform' || e.kind === 'quant.uniform_per_axis') && e.storage.width === 16;
}

const CONSTANT_OPS = new Set(['tfl.pseudo_const', 'tfl.pseudo_qconst', 'tfl.no_value']);
const NOT_LAYERS = new Set([...CONSTANT_OPS, 'tfl.quantize', 'tfl.dequantize', 'func.return']);

/** Static cost of a quantized function. */
export function staticCost(func: Operation): Omit<PlanCost, 'sqnrDb' | 'arenaBytes' | 'accuracy'> {
  let constantBytes = 0;
  let activationBytes = 0;
  let int16Ops = 0;
  let requantizes = 0;
  const body = func.regions[0]?.blocks[0];
  for (const a of body?.args ?? []) activationBytes += tensorBytes(a);
  for (const op of body?.ops() ?? []) {
    if (CONSTANT_OPS.has(op.name)) {
      for (const r of op.results) constantBytes += tensorBytes(r);
      continue;
    }
    for (const r of op.results) activationBytes += tensorBytes(r);
    if (op.name === 'tfl.quantize') {
      const src = op.operand(0);
      const d = src.definingOp;
      if (isQuantized(src) || d?.name === 'tfl.dequantize') requantizes++;
    }
    if (NOT_LAYERS.has(op.name)) continue;
    if (op.results.some(isInt16Tensor) || op.operands.some((o) => isInt16Tensor(o.value) && !CONSTANT_OPS.has(o.value.definingOp?.name ?? ''))) int16Ops++;
  }
  return { constantBytes, activationBytes, int16Ops, requantizes };
}

function isQuantized(v: Value): boolean {
  const e = elementType(v.type);
  return e.kind === 'quant.uniform' || e.kind === 'quant.uniform_per_axis';
}

/** Evaluation data: samples and the float function's outputs on them. */
export interface EvalData {
  readonly samples: readonly TypedArray[][];
  readonly refs: readonly Float64Array[][];
  readonly flavour: KernelFlavour;
  /** Class labels of the samples (output 0's argmax is the prediction); enables accuracy. */
  readonly labels?: readonly number[];
}

/** Runs `func` (any precision) on the samples; outputs as real values. */
export function runOutputs(func: Operation, samples: readonly TypedArray[][], flavour: KernelFlavour): { outs: Float64Array[][]; arenaBytes: number } {
  const interp = new Interpreter(func, { kernels: registeredKernels(), flavour });
  const infos = interp.outputs;
  const outs: Float64Array[][] = [];
  for (const s of samples) {
    interp.reset();
    const r = interp.run(s);
    outs.push(r.map((t, j) => dequantize(t.data, t.shape, infos[j]?.quant)));
  }
  return { outs, arenaBytes: interp.arenaBytes };
}

/**
 * A float clone of `func` ready to run: in a module with the functions it calls, every one with its
 * calibration carriers stripped. Returns the clone of `func`.
 */
export function floatClone(func: Operation): Operation {
  const m = evaluationModule(func);
  for (const f of [m.entry, ...m.callees]) collectRanges(f, new Builder());
  return m.entry;
}

/** The float reference: the float clone's outputs on the samples. */
export function floatReference(func: Operation, samples: readonly TypedArray[][], flavour: KernelFlavour): Float64Array[][] {
  return runOutputs(floatClone(func), samples, flavour).outs;
}

/** Output SQNR (dB) of `outs` against `refs`, over every output element of every sample. */
export function outputSqnr(outs: readonly Float64Array[][], refs: readonly Float64Array[][]): number {
  let signal = 0;
  let noise = 0;
  refs.forEach((rs, i) =>
    rs.forEach((r, j) => {
      const o = outs[i]?.[j];
      if (!o) return;
      for (let k = 0; k < r.length; k++) {
        const x = r[k]!;
        const e = (o[k] ?? 0) - x;
        signal += x * x;
        noise += e * e;
      }
    }),
  );
  const s = sqnrDb(signal, noise);
  return Number.isNaN(s) ? 0 : Math.min(s, 300);
}

/** Quantizes a clone with the given 16-bit tensors and measures it. */
export function evaluate(
  func: Operation,
  cfg: QuantConfig,
  int16: ReadonlySet<string>,
  capable16: ReadonlySet<number>,
  data: EvalData,
  flags: Record<string, unknown>,
): PlanCost & { diagnostics: Diagnostic[] } {
  const { entry: f, callees } = evaluationModule(func);
  const diagnostics: Diagnostic[] = [];
  const ctx = new PassContext('quant-mixed', (d) => diagnostics.push(d), flags);
  quantizeMixed(f, cfg, int16, capable16, ctx);
  for (const c of callees) quantizeVariableUser(c, cfg, int16, ctx);
  // As the pipeline does next: dequantize→quantize pairs become requantizes.
  for (const g of [f, ...callees]) applyPatternsGreedily(g, canonicalizationPatterns(), { maxIterations: 10, topDown: true });
  const main = staticCost(f);
  // The callees' constants (a variable's initial value) are part of the model too.
  const s = { ...main, constantBytes: callees.reduce((n, c) => n + staticCost(c).constantBytes, main.constantBytes) };
  const { outs, arenaBytes } = runOutputs(f, data.samples, data.flavour);
  return { ...s, arenaBytes, sqnrDb: outputSqnr(outs, data.refs), ...(data.labels ? { accuracy: top1(outs, data.labels) } : {}), diagnostics };
}
