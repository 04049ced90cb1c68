/**
 * The quantization driver of quant-prepare, in phases that tests can run one by one:
 *
 * 1. ranges (ranges.ts): calibrated ranges are collected and their carriers stripped;
 * 2. plans (`buildPlans`): every op of the function body gets a plan from its rule (rules.ts,
 *    lstm.ts, variables.ts) or a reason to stay float (no quantized form, no kernel of this width, TFLite has no
 *    int16 kernel, denylisted, or denied in an earlier round);
 * 3. propagation (`propagate`): a worklist over the plans' same-scale groups, to a fixed point.
 *    Seeds: fixed output types (immutable), resource variable reads (immutable: the variable's type
 *    from its recorded range), calibrated ranges of results and of operands whose producer is not
 *    quantized. A group takes the parameters of its preferred side (the input of
 *    reshape-like ops, the output of concatenation-like ops; the union of the inputs' ranges when
 *    the output has none; the constants' data when only constants know anything; a resource
 *    variable's type for its reads and assigns) and pushes them to
 *    members without parameters — forwards and backwards — and onto results of the op; an operand
 *    whose value already has other parameters gets a per-use type (a requantize at that use) instead
 *    of failing. Constant members follow the group; ops already in Q/DQ form are left alone;
 * 4. resolution (`resolvePlan`): the types of every operand and result of every planned op,
 *    including the constants (weights with the bias-overflow guard — a hybrid model's quantized
 *    weights, or a weight-only model's behind a dequantize, kept when they fit the plan,
 *    constants.ts —, biases from their derived
 *    scales, constant activations, the LSTM cell state) and op-specific attributes (LSTM
 *    intermediates). An op with an operand or result left without parameters cannot be quantized;
 * 5. kernel check (kernel-check.ts): every resolved op is prepared by the interpreter kernel with
 *    its quantized types; a combination the kernel rejects is denied.
 * Denied ops join the float set and phases 2–5 run again, until nothing more is denied.
 */
import type { Attribute } from '../../../src/ir/attribute.js';
import { locName } from '../../../src/ir/location.js';
import type { Operation } from '../../../src/ir/operation.js';
import type { OpOperand, Value } from '../../../src/ir/value.js';
import {
  type QType,
  type QuantizedConstant,
  type Range,
  type Width,
  activationType,
  dataRange,
  effectiveScale,
  isQType,
  powerOfTwoCellType,
  quantizeBias,
  rangeOfType,
  scalesOf,
  unionRange,
  widthOf,
} from './math.js';
import type { CollectedRanges } from './ranges.js';
import { defaultCellRange, lstmPlan, svdfPlan } from './lstm.js';
import { KEEP_FLOAT, isSandwiched } from './qdq.js';
import { isVariableAccess, variablePlan, variablesDenylisted } from './variables.js';
import { accessedVariable, variableLabel } from '../calibration/variables.js';
import { type OpPlan, type PlanResult, type RuleConfig, type SameScaleGroup, defOf, genericPlan, isDataConstant, isFloatTensor } from './rules.js';
import { constantAsActivation, floatData, ownActivationType, resolveWeight } from './constants.js';

/** Everything that shapes the quantization of a function. */
export interface QuantConfig extends RuleConfig {
  /** Types of the function's inputs and outputs. */
  readonly ioType: 'float' | 'int8' | 'int16';
  /** Op names (`tfl.softmax` or `softmax`) and location names (a name or a `prefix/`) kept float. */
  readonly denylist: readonly string[];
  /** Interpreter flavour whose kernels decide what can run. */
  readonly flavour: 'tflite' | 'tflm';
  /** Check every quantized op against its interpreter kernel. */
  readonly checkKernels: boolean;
  /**
   * Per-op activation width override (mixed precision, quant-mixed): the width an op is planned
   * with instead of `mode` (undefined: `mode`). Boundaries between widths become requantizes.
   */
  readonly opWidth?: (op: Operation) => Width | undefined;
  /**
   * Per-variable width (mixed precision, quant-mixed), by variable key (`container/shared_name`):
   * every read and assign of the variable, in every function, is planned at it (undefined: `mode`).
   */
  readonly variableWidth?: (key: string) => Width | undefined;
}

/**
 * Ops whose quant spec allows 16x8 but TFLite 2.12 (tfjs-tflite) has no int16 kernel for (applied
 * with the 'tflite' kernel flavour). Measured by quantizing the generated float single-op models and
 * loading them in tfjs-tflite (test/passes/quant-ops-oracle.test.ts): every other op with a 16x8
 * spec loads and computes what qopt's interpreter computes — BATCH_MATMUL included (int16 x int16).
 * The fused LSTM is the deliberate exception (qopt runs tflite-micro's 16x8 kernel).
 */
export const TFLITE_NO_INT16: ReadonlyMap<string, string> = new Map([['tfl.rsqrt', 'TFLite 2.12 has no int16 RSQRT kernel']]);

/** Ops that carry no computation on activations: never quantized and never reported. */
const SILENT_FLOAT_OPS: ReadonlySet<string> = new Set([
  'tfl.pseudo_const',
  'tfl.pseudo_qconst',
  'tfl.no_value',
  'tfl.quantize',
  'tfl.dequantize',
  'quantfork.stats',
  'func.return',
  'tfl.var_handle',
  'tfl.call_once',
]);

/** The plan for one op, through its rule. */
export function planFor(op: Operation, cfg: RuleConfig): PlanResult {
  switch (op.name) {
    case 'tfl.unidirectional_sequence_lstm':
    case 'tfl.lstm':
      return lstmPlan(op, cfg);
    case 'tfl.svdf':
      return svdfPlan(op, cfg);
    case 'tfl.read_variable':
    case 'tfl.assign_variable':
      return variablePlan(op, cfg);
    default: {
      const def = defOf(op);
      if (!def) return { skip: 'the op is not registered' };
      return genericPlan(op, def, cfg);
    }
  }
}

/** Whether `op` matches a denylist entry (op name, op name without `tfl.`, location or location prefix). */
export function isDenylisted(op: Operation, denylist: readonly string[]): boolean {
  if (denylist.length === 0) return false;
  const names: string[] = [];
  const loc = op.loc;
  if (loc.kind === 'fused') for (const l of loc.locs) names.push(locName(l) ?? '');
  else names.push(locName(loc) ?? '');
  for (const entry of denylist) {
    if (!entry) continue;
    if (entry === op.name || `tfl.${entry}` === op.name) return true;
    for (const n of names) {
      if (!n) continue;
      if (n === entry) return true;
      const prefix = entry.endsWith('/') ? entry : `${entry}/`;
      if (n.startsWith(prefix)) return true;
    }
  }
  return false;
}

function touchesFloat(op: Operation): boolean {
  return op.operands.some((o) => isFloatTensor(o.value)) || op.results.some((r) => isFloatTensor(r));
}

/** Why an op stays float. `warn`: reported (warning, or error under --strict). */
export interface FloatReason {
  readonly op: Operation;
  readonly reason: string;
  readonly warn: boolean;
}

/** The width of the variable `op` reads or assigns: `variableWidth`'s choice, else the mode's. */
function variableWidthOf(op: Operation, cfg: QuantConfig): Width {
  const key = accessedVariable(op);
  return (key !== undefined ? cfg.variableWidth?.(key) : undefined) ?? cfg.mode;
}

/** Phase 2: plans for the function body's ops; `denied` ops stay float. */
export function buildPlans(
  func: Operation,
  cfg: QuantConfig,
  denied: ReadonlyMap<Operation, FloatReason>,
): { plans: OpPlan[]; floats: FloatReason[] } {
  const plans: OpPlan[] = [];
  const floats: FloatReason[] = [];
  const body = func.regions[0]?.blocks[0];
  if (!body) return { plans, floats };
  for (const op of body.ops()) {
    if (SILENT_FLOAT_OPS.has(op.name) || defOf(op)?.traits.includes('ConstantLike')) continue;
    const d = denied.get(op);
    if (d) {
      floats.push(d);
      continue;
    }
    if (!touchesFloat(op)) continue;
    const variable = isVariableAccess(op);
    if (variable ? variablesDenylisted(cfg.denylist) : isDenylisted(op, cfg.denylist)) {
      floats.push({ op, reason: 'denylisted', warn: false });
      continue;
    }
    if (op.attr(KEEP_FLOAT)) {
      floats.push({ op, reason: 'marked qopt.keep_float', warn: false });
      continue;
    }
    // Already in Q/DQ form (quant-prepare ran before): nothing to decide again.
    if (isSandwiched(op)) continue;
    if (op.regions.length > 0) {
      floats.push({ op, reason: 'ops with regions are not quantized', warn: true });
      continue;
    }
    // A resource variable has one type in every function: one width per variable, never a per-op choice.
    const width = variable ? variableWidthOf(op, cfg) : (cfg.opWidth?.(op) ?? cfg.mode);
    if (width === 'int16' && cfg.flavour === 'tflite' && TFLITE_NO_INT16.has(op.name)) {
      floats.push({ op, reason: TFLITE_NO_INT16.get(op.name)!, warn: true });
      continue;
    }
    const r = planFor(op, width === cfg.mode ? cfg : { ...cfg, mode: width });
    if ('plan' in r) plans.push(r.plan);
    else if (!r.silent) floats.push({ op, reason: r.skip, warn: true });
  }
  return { plans, floats };
}

// ---------------------------------------------------------------------------------------------
// Phase 3: propagation

/** The outcome of propagation. */
export class PropagationState {
  /** Quantized type of each activation value. */
  readonly params = new Map<Value, QType>();
  /** Values whose type is fixed by their producer (fixed-output ops). */
  readonly immutable = new Set<Value>();
  /** Per-use types: a use that needs other parameters than its value (requantize), or a constant member of a group. */
  readonly useParams = new Map<OpOperand, QType>();
  /** The type of each resource variable with a recorded range, by key. */
  readonly variableTypes = new Map<string, QType>();
  /** Group visits until the fixed point. */
  visits = 0;
}

/**
 * The range a type represents, for re-deriving parameters (union, other widths). int16 symmetric
 * types give ±scale·32767 so that re-deriving reproduces the same scale.
 */
export function representedRange(t: QType): Range {
  if (t.kind !== 'quant.uniform') return [-Math.max(...t.scales) * 127, Math.max(...t.scales) * 127];
  if (t.zeroPoint === 0 && t.storage.width >= 16) return [-t.scale * t.storageMax, t.scale * t.storageMax];
  return rangeOfType(t);
}

function rangeOf(v: Value, ranges: CollectedRanges): Range | undefined {
  return ranges.values.get(v) ?? ranges.implied.get(v);
}

/** Phase 3: seeds and the same-scale worklist, to a fixed point. */
export function propagate(plans: readonly OpPlan[], ranges: CollectedRanges, maxVisits = 1_000_000): PropagationState {
  const st = new PropagationState();
  const producer = new Map<Value, OpPlan>();
  const consumers = new Map<Value, OpPlan[]>();
  for (const p of plans) {
    p.results.forEach((role, i) => role.kind !== 'none' && producer.set(p.op.result(i), p));
    p.operands.forEach((role, i) => {
      if (role.kind !== 'act') return;
      const v = p.op.operand(i);
      const l = consumers.get(v);
      if (l) l.push(p);
      else consumers.set(v, [p]);
    });
  }
  // Seeds: fixed outputs, then calibrated results, then calibrated operands nobody produces.
  for (const p of plans)
    p.results.forEach((role, i) => {
      if (role.kind !== 'fixed') return;
      const r = p.op.result(i);
      st.params.set(r, role.type);
      st.immutable.add(r);
    });
  for (const p of plans)
    for (const g of p.groups) {
      if (g.variable === undefined) continue;
      const range = ranges.variables.get(g.variable);
      if (!range) continue;
      let t = st.variableTypes.get(g.variable);
      if (!t) st.variableTypes.set(g.variable, (t = activationType(range, p.width)));
      for (const i of g.results) {
        const r = p.op.result(i);
        st.params.set(r, t);
        st.immutable.add(r);
      }
    }
  for (const p of plans) {
    const hints = p.resultRangeHint?.(ranges.values);
    p.results.forEach((role, i) => {
      if (role.kind !== 'act') return;
      const r = p.op.result(i);
      const range = hints?.get(i) ?? rangeOf(r, ranges);
      if (range && !st.params.has(r)) st.params.set(r, activationType(range, role.width, undefined, role.symmetric));
    });
  }
  for (const p of plans)
    p.operands.forEach((role, i) => {
      if (role.kind !== 'act') return;
      const v = p.op.operand(i);
      if (isDataConstant(v) || st.params.has(v) || producer.has(v)) return;
      const range = rangeOf(v, ranges);
      if (range) st.params.set(v, activationType(range, role.width));
    });

  const work: OpPlan[] = plans.filter((p) => p.groups.length > 0);
  const queued = new Set<OpPlan>(work);
  const push = (p: OpPlan | undefined): void => {
    if (p && p.groups.length > 0 && !queued.has(p)) {
      queued.add(p);
      work.push(p);
    }
  };
  let head = 0;
  while (head < work.length) {
    const p = work[head++]!;
    queued.delete(p);
    for (const g of p.groups) {
      if (++st.visits > maxVisits) throw new Error('quantization propagation did not converge');
      for (const v of unifyGroup(p, g, st)) {
        push(producer.get(v));
        for (const c of consumers.get(v) ?? []) push(c);
      }
    }
    if (head > 4096 && head * 2 > work.length) {
      work.splice(0, head);
      head = 0;
    }
  }
  return st;
}

/** One same-scale group: pick the winning parameters and apply them. Returns changed values. */
export function unifyGroup(p: OpPlan, g: SameScaleGroup, st: PropagationState): Value[] {
  const uses = g.operands.map((i) => p.op.operands[i]!);
  const results = g.results.map((i) => p.op.result(i));
  const known = (vs: readonly Value[]): QType[] => {
    const out: QType[] = [];
    for (const v of vs) {
      const t = st.params.get(v);
      if (t && !out.includes(t)) out.push(t);
    }
    return out;
  };
  const opKnown = known(uses.filter((u) => !isDataConstant(u.value)).map((u) => u.value));
  const resKnown = known(results);
  let winner: QType | undefined;
  const immutableResult = results.find((r) => st.immutable.has(r));
  if (g.variable !== undefined) {
    // A resource variable: its type, or nothing without a recorded range.
    winner = st.variableTypes.get(g.variable);
    if (!winner) return [];
  } else if (immutableResult) winner = st.params.get(immutableResult);
  else if (g.prefer === 'operand') winner = opKnown[0] ?? resKnown[0];
  else if (resKnown.length > 0) winner = resKnown[0];
  else if (opKnown.length === 1) winner = opKnown[0];
  else if (opKnown.length > 1) {
    let r = representedRange(opKnown[0]!);
    for (const t of opKnown.slice(1)) r = unionRange(r, representedRange(t));
    winner = activationType(r, p.width);
  }
  if (!winner) {
    // Only constants know anything (e.g. a reshape of a constant): a quantized constant's own type
    // (a decision already made), else their data ranges.
    const consts = uses.filter((u) => isDataConstant(u.value));
    if (consts.length === 0 || results.some((r) => st.params.has(r))) return [];
    for (const u of consts) winner ??= ownActivationType(u.value, p.width);
    if (!winner) {
      let r: Range | undefined;
      for (const u of consts) {
        const d = dataRange(floatData(u.value));
        r = r ? unionRange(r, d) : d;
      }
      winner = activationType(r!, p.width);
    }
  }
  // Mixed widths: parameters coming from a neighbour of the other width are re-derived at this op's.
  if (!immutableResult && widthOf(winner) !== p.width) winner = activationType(representedRange(winner), p.width);
  const changed: Value[] = [];
  for (const r of results) {
    if (st.params.get(r) === winner || st.immutable.has(r)) continue;
    st.params.set(r, winner);
    changed.push(r);
  }
  for (const u of uses) {
    const v = u.value;
    if (isDataConstant(v)) st.useParams.set(u, winner);
    else if (!st.params.has(v)) {
      st.params.set(v, winner);
      st.useParams.delete(u);
      changed.push(v);
    } else if (st.params.get(v) !== winner) st.useParams.set(u, winner);
    else st.useParams.delete(u);
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------
// Phase 4: resolution

/** Final types of one quantized op. */
export interface ResolvedOp {
  readonly plan: OpPlan;
  /** Quantized type of each operand (undefined: unchanged). */
  readonly operandTypes: (QType | undefined)[];
  /** Quantized data of constant operands, by operand index. */
  readonly constants: Map<number, QuantizedConstant>;
  /** Quantized type of each result (undefined: unchanged). */
  readonly resultTypes: (QType | undefined)[];
  /** Attributes to set on the op (plan attributes and finalized ones). */
  readonly attrs: Record<string, Attribute>;
  readonly removeAttrs: readonly string[];
  /** Notes for the user (e.g. a widened weight range). */
  readonly notes: string[];
}

function valueName(v: Value): string {
  const d = v.definingOp;
  const n = d ? locName(d.loc) : locName((v as unknown as { loc: Parameters<typeof locName>[0] }).loc);
  return n ? `'${n}'` : d ? `a result of '${d.name}'` : 'a function argument';
}

/** Phase 4: the final types of one planned op, or why it cannot be quantized (`quiet`: not reported). */
export function resolvePlan(
  p: OpPlan,
  st: PropagationState,
  ranges: CollectedRanges,
): ResolvedOp | { error: string; quiet?: boolean } {
  const op = p.op;
  const variable = p.groups.find((g) => g.variable !== undefined)?.variable;
  // Reported on the reads; the assigns of the same variable stay float quietly.
  if (variable !== undefined && !st.variableTypes.has(variable))
    return { error: `the resource variable '${variableLabel(variable)}' has no range (quant-calibrate records it on its tfl.var_handle ops)`, quiet: op.name === 'tfl.assign_variable' };
  const n = op.operands.length;
  const operandTypes: (QType | undefined)[] = new Array(n).fill(undefined);
  const constants = new Map<number, QuantizedConstant>();
  const notes: string[] = [];
  // Activations and the cell state.
  for (let i = 0; i < n; i++) {
    const role = p.operands[i]!;
    const u = op.operands[i]!;
    const v = u.value;
    if (role.kind === 'act') {
      if (isDataConstant(v)) {
        const range = ranges.values.get(v);
        const isState = v.definingOp!.attr('tfl.is_variable') !== undefined || (defOf(op)?.statefulOperands ?? []).includes(i);
        if (!st.useParams.has(u) && !range && isState) return { error: `no range for the state operand #${i} (${valueName(v)})` };
        const t = st.useParams.get(u) ?? ownActivationType(v, role.width) ?? activationType(range ?? dataRange(floatData(v)), role.width);
        const c = constantAsActivation(v, t);
        if (c.requantized) notes.push(`the quantized constant operand #${i} is dequantized and quantized again with the parameters it needs here`);
        operandTypes[i] = t;
        constants.set(i, c.constant);
        continue;
      }
      let t = st.useParams.get(u) ?? st.params.get(v);
      if (!t) return { error: `no range for operand #${i} (${valueName(v)})` };
      if (widthOf(t) !== role.width) t = activationType(representedRange(t), role.width);
      operandTypes[i] = t;
    } else if (role.kind === 'cell') {
      const t = powerOfTwoCellType(ranges.values.get(v) ?? defaultCellRange(op));
      operandTypes[i] = t;
      if (isDataConstant(v)) constants.set(i, constantAsActivation(v, t).constant);
    }
  }
  const resultTypes: (QType | undefined)[] = op.results.map(() => undefined);
  for (let i = 0; i < op.results.length; i++) {
    const role = p.results[i]!;
    if (role.kind === 'none') continue;
    let t = role.kind === 'fixed' ? role.type : st.params.get(op.result(i));
    if (!t) return { error: `no range for result #${i} (${valueName(op.result(i))})` };
    // Mixed widths: a result whose parameters came from a consumer of the other width.
    if (role.kind === 'act' && widthOf(t) !== role.width) t = activationType(representedRange(t), role.width, undefined, role.symmetric);
    resultTypes[i] = t;
  }
  // Weights (after the activations: the bias-overflow guard needs the input scale).
  for (let i = 0; i < n; i++) {
    const role = p.operands[i]!;
    if (role.kind !== 'weight') continue;
    const w = resolveWeight(op, i, role, operandTypes);
    constants.set(i, w.constant);
    operandTypes[i] = w.constant.type;
    notes.push(...w.notes);
  }
  // Op-specific attributes (LSTM intermediates), then the biases that may depend on them.
  const attrs: Record<string, Attribute> = { ...p.setAttrs };
  const view = { operand: (i: number) => operandTypes[i], result: (i: number) => resultTypes[i] };
  if (p.finalizeAttrs) {
    const f = p.finalizeAttrs(view, ranges.intermediates.get(op));
    if ('error' in f) return { error: f.error };
    Object.assign(attrs, f.attrs);
    notes.push(...(f.notes ?? []));
  }
  for (let i = 0; i < n; i++) {
    const role = p.operands[i]!;
    if (role.kind !== 'bias') continue;
    const v = op.operand(i);
    const data = floatData(v);
    const perChannelType = role.perChannelOf !== undefined ? operandTypes[role.perChannelOf] : undefined;
    const channels = perChannelType?.kind === 'quant.uniform_per_axis' ? perChannelType.scales.length : 1;
    const factorScales: (readonly number[])[] = [];
    for (const f of role.factors) {
      if ('constant' in f) factorScales.push([f.constant]);
      else if ('operand' in f) {
        const t = operandTypes[f.operand];
        if (!t) return { error: `the bias scale needs operand #${f.operand}, which is not quantized` };
        factorScales.push(scalesOf(t));
      } else {
        const a = attrs[f.intermediate] ?? op.attr(f.intermediate);
        const t = a?.kind === 'type' && a.value.kind === 'tensor' ? a.value.element : undefined;
        if (!t || !isQType(t)) return { error: `the bias scale needs the quantized intermediate '${f.intermediate}'` };
        factorScales.push(scalesOf(t));
      }
    }
    const scales: number[] = [];
    for (let c = 0; c < channels; c++) scales.push(effectiveScale(factorScales.map((s) => (s.length > 1 ? s[c]! : s[0]!))));
    const q = quantizeBias(data, scales, role.storage, channels > 1 || perChannelType?.kind === 'quant.uniform_per_axis');
    constants.set(i, q);
    operandTypes[i] = q.type;
  }
  return { plan: p, operandTypes, constants, resultTypes, attrs, removeAttrs: p.removeAttrs, notes };
}
