/**
 * Per-op rules of `requantize-16x8`: what one op looks like after the rewrite, before anything is
 * changed — each operand's wanted type (int16 for activations, unchanged int8 weights, re-encoded
 * int64/int32 biases), the constants that replace activation/bias constants, the result types
 * (fixed int16 outputs, same-scale propagation, the LSTM output = its hidden state) and the attribute
 * changes (quantized_bias_type, pot_scale_int16, LSTM intermediates). The plan is then tried on the
 * op's kernel (probe.ts) and applied (rewrite.ts) only when the kernel accepts it.
 *
 * Roles come from the op declarations' quantization facts (OpDef.quant: weights, biases, sameScale,
 * fixedOutput) plus the LSTM layout (LSTM_OPERAND_ROLES): nothing here lists supported ops.
 */
import { type Attribute, type DenseElementsAttr, stringAttr, typeAttr, boolAttr } from '../../../src/ir/attribute.js';
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import type { Type, UniformPerAxisQuantType, UniformQuantType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { LSTM_OPERAND_ROLES } from '../../../dialects/tfl/quant-spec.js';
import { LSTM_INTERMEDIATE_ATTRS } from '../../../src/interp/interpreter.js';
import {
  type BiasStorage,
  biasElementFor,
  elem,
  encodeBias,
  fixedInt16Element,
  int16TypeFor,
  isInt16Quant,
  isInt8Quant,
  requantizeActivationData,
  withElem,
} from './qparams.js';
import { valueName } from './probe.js';

/** Ops whose options carry `quantized_bias_type` (TFLite schema: FC, CONV_2D, TRANSPOSE_CONV). */
export const BIAS_TYPE_OPS: ReadonlySet<string> = new Set(['tfl.fully_connected', 'tfl.conv_2d', 'tfl.transpose_conv']);
/** Ops with `pot_scale_int16` (schema default true; a 16x8 model wants the general int16 path). */
export const POT_SCALE_OPS: ReadonlySet<string> = new Set(['tfl.add', 'tfl.sub']);
/** The 24-operand LSTM family. */
export const LSTM_OPS: ReadonlySet<string> = new Set(['tfl.unidirectional_sequence_lstm', 'tfl.lstm']);

/** A constant that replaces an operand. */
export interface NewConstant {
  /** The constant op the operand uses now. */
  readonly source: Operation;
  readonly type: Type;
  /** Storage value of the new constant. */
  readonly value: DenseElementsAttr;
  readonly kind: 'activation' | 'bias';
}

/** The rewrite of one op. */
export interface OpPlan {
  readonly op: Operation;
  /** Operand types wanted after the rewrite. */
  readonly operandTypes: Type[];
  /** Constant data of constant operands after the rewrite (for the kernel probe). */
  readonly operandData: (DenseElementsAttr | undefined)[];
  /** Operands replaced by new constants. */
  readonly constants: Map<number, NewConstant>;
  readonly resultTypes: Type[];
  /** All attributes after the rewrite. */
  readonly attributes: Map<string, Attribute>;
  /** Whether anything differs from the op as it is. */
  changed: boolean;
  /** Non-fatal remarks (e.g. int32 bias values clamped). */
  readonly notes: string[];
}

/** A reason the op cannot be planned (kept int8) or an error for the whole pass. */
export type PlanFailure = { readonly unsupported: string } | { readonly error: string; readonly at: Operation };

/** What the planner needs to know about values. */
export interface PlanContext {
  /** The value's type before the pass changed anything. */
  originalType(v: Value): Type;
  /** The value's type after the rewrite when it is already decided (converted producer, argument). */
  newType(v: Value): Type | undefined;
  /** The dense value of a constant operand (tfl.pseudo_const / pseudo_qconst), if it is one. */
  constantValue(v: Value): { op: Operation; value: DenseElementsAttr } | undefined;
  readonly biasStorage: BiasStorage;
  /** Set `quantized_bias_type` on FC / CONV_2D / TRANSPOSE_CONV. */
  readonly setBiasTypeAttr: boolean;
}

/** A per-axis int8 activation: a clear error naming the tensor. */
function perAxisError(op: Operation, v: Value, what: string): PlanFailure {
  const t = elem(v.type) as UniformPerAxisQuantType;
  return {
    error: `tensor '${valueName(v, what)}' (${what} of '${op.name}') is an int8 activation quantized per channel (axis ${t.axis}, ${t.scales.length} scales); 16x8 activations must be quantized per tensor`,
    at: op,
  };
}

interface BiasRole {
  readonly input: number;
  readonly weight: number;
  /** LSTM gate biases are always int64 (TFLM's 16x8 LSTM reads its biases as int64). */
  readonly forceInt64?: boolean;
}

function rolesOf(op: Operation): { weights: Set<number>; biases: Map<number, BiasRole>; unsupported?: string } {
  const spec = getOpDef(op.name)?.quant;
  const weights = new Set<number>((spec?.weights ?? []).map((w) => w.operand));
  const biases = new Map<number, BiasRole>();
  for (const b of spec?.biases ?? []) biases.set(b.operand, { input: b.input, weight: b.weight });
  if (LSTM_OPS.has(op.name)) {
    const R = LSTM_OPERAND_ROLES;
    R.gateBiases.forEach((b, g) => biases.set(b, { input: R.input, weight: R.inputWeights[g]!, forceInt64: true }));
    const pb = op.operands[R.projectionBias]?.value;
    if (pb && pb.type.kind !== 'none') return { weights, biases, unsupported: 'LSTM projection bias requantization is not implemented' };
  }
  return { weights, biases };
}

/** Operand/result indices that must share one scale (the op's sameScale fact). */
function sameScaleGroup(op: Operation): { operands: number[]; results: number[] } | undefined {
  const spec = getOpDef(op.name)?.quant;
  const ss = spec?.sameScale;
  if (!ss) return undefined;
  if (ss === 'all') {
    const non = new Set(spec?.nonQuantOperands ?? []);
    return { operands: op.operands.map((_, i) => i).filter((i) => !non.has(i)), results: op.results.map((_, i) => i) };
  }
  return { operands: [...ss.operands], results: [...ss.results] };
}

/** Whether an op touches an int8 quantized value at all (otherwise the pass leaves it alone). */
export function touchesInt8(op: Operation, pc: PlanContext): boolean {
  return op.operands.some((o) => isInt8Quant(elem(pc.originalType(o.value)))) || op.results.some((r) => isInt8Quant(elem(pc.originalType(r))));
}

/**
 * Plans the 16x8 form of `op`. Returns the plan, `{unsupported}` when the op cannot take int16 by
 * construction (the op then stays int8), or `{error}` for inputs the pass refuses (per-channel
 * activations).
 */
export function planOp(op: Operation, pc: PlanContext): OpPlan | PlanFailure {
  const roles = rolesOf(op);
  const n = op.operands.length;
  const operandTypes: Type[] = new Array(n);
  const operandData: (DenseElementsAttr | undefined)[] = new Array(n);
  const constants = new Map<number, NewConstant>();
  const notes: string[] = [];
  let changed = false;

  // Activation operands.
  for (let i = 0; i < n; i++) {
    const v = op.operand(i);
    const t = pc.originalType(v);
    const c = pc.constantValue(v);
    operandTypes[i] = v.type;
    operandData[i] = c?.value;
    if (roles.weights.has(i) || roles.biases.has(i)) {
      operandTypes[i] = t;
      continue;
    }
    const e = elem(t);
    if (!isInt8Quant(e)) continue;
    if (e.kind === 'quant.uniform_per_axis') return perAxisError(op, v, `operand #${i}`);
    if (c) {
      const to = int16TypeFor(t);
      const value = requantizeActivationData(c.value, e, elem(to) as UniformQuantType);
      operandTypes[i] = to;
      operandData[i] = value;
      constants.set(i, { source: c.op, type: to, value, kind: 'activation' });
    } else {
      operandTypes[i] = pc.newType(v) ?? int16TypeFor(t);
    }
    changed = true;
  }

  // Biases: scale = s_in16 · s_w of the (now int16) input.
  if (roles.unsupported && changed) return { unsupported: roles.unsupported };
  for (const [b, role] of roles.biases) {
    const bv = op.operands[b]?.value;
    if (!bv || bv.type.kind === 'none') continue;
    const inT = operandTypes[role.input];
    const inOrig = op.operands[role.input] ? elem(pc.originalType(op.operand(role.input))) : undefined;
    if (!inT || !isInt16Quant(elem(inT)) || !inOrig || !isInt8Quant(inOrig)) continue; // not an int8 layer
    const wT = op.operands[role.weight]?.value;
    const wE = wT ? elem(wT.type) : undefined;
    if (!wE || (wE.kind !== 'quant.uniform' && wE.kind !== 'quant.uniform_per_axis')) return { unsupported: `the weights (operand #${role.weight}) are not quantized` };
    const c = pc.constantValue(bv);
    if (!c) return { unsupported: `the bias (operand #${b}) is not a constant` };
    const bT = pc.originalType(bv);
    const bE = elem(bT);
    let oldScales: readonly number[];
    let oldZps: readonly number[];
    if (bE.kind === 'quant.uniform') {
      oldScales = [bE.scale];
      oldZps = [bE.zeroPoint];
    } else if (bE.kind === 'quant.uniform_per_axis') {
      oldScales = bE.scales;
      oldZps = bE.zeroPoints;
    } else if (bE.kind === 'integer' && bE.width === 32) {
      // A plain int32 bias: the int8 convention s_b = s_in8 · s_w.
      const sIn8 = (inOrig as UniformQuantType).scale;
      oldScales = wE.kind === 'quant.uniform' ? [sIn8 * wE.scale] : wE.scales.map((s) => sIn8 * s);
      oldZps = [0];
    } else {
      return { unsupported: `bias (operand #${b}) of type ${bE.kind} is neither int32 nor quantized int32` };
    }
    if (bE.kind !== 'integer' && bE.storage.width !== 32) {
      // Already a 16x8 bias (int64): leave it.
      continue;
    }
    const storage: BiasStorage = role.forceInt64 ? 'int64' : pc.biasStorage;
    const to = biasElementFor((elem(inT) as UniformQuantType).scale, wE, storage);
    if (to.kind === 'quant.uniform_per_axis' && to.scales.length !== (bT.kind === 'tensor' ? bT.shape.reduce((a, d) => a * d, 1) : -1))
      return { unsupported: `per-channel weights with ${to.scales.length} scales for a bias of another size` };
    const enc = encodeBias(c.value, oldScales, oldZps, to);
    if (enc.clamped > 0) notes.push(`${enc.clamped} bias value(s) of operand #${b} do not fit ${storage} and were clamped`);
    const newT = withElem(bT, to);
    operandTypes[b] = newT;
    operandData[b] = enc.value;
    constants.set(b, { source: c.op, type: newT, value: enc.value, kind: 'bias' });
    changed = true;
  }

  // Results.
  const spec = getOpDef(op.name)?.quant;
  const group = sameScaleGroup(op);
  const resultTypes: Type[] = op.results.map((r) => r.type);
  op.results.forEach((r, i) => {
    const t = pc.originalType(r);
    const e = elem(t);
    if (!isInt8Quant(e)) return;
    changed = true;
    if (e.kind === 'quant.uniform_per_axis') return;
    const fixed = spec?.fixedOutput?.int16;
    if (fixed) {
      resultTypes[i] = withElem(t, fixedInt16Element(fixed.scale, fixed.zeroPoint));
      return;
    }
    if (LSTM_OPS.has(op.name) && i === 0) {
      // The 16x8 LSTM writes its output with the hidden state's quantization.
      const h = operandTypes[LSTM_OPERAND_ROLES.activationState];
      if (h && isInt16Quant(elem(h))) {
        resultTypes[i] = withElem(t, elem(h));
        return;
      }
    }
    if (group?.results.includes(i)) {
      // Same-scale ops keep sharing one type: take the operands' new type when every operand of
      // the group that had the result's int8 type got the same int16 type.
      const cands = new Set<Type>();
      for (const j of group.operands) {
        const o = op.operands[j];
        if (!o || pc.originalType(o.value) === undefined) continue;
        if (elem(pc.originalType(o.value)) !== e) continue;
        const nt = operandTypes[j];
        if (nt && isInt16Quant(elem(nt))) cands.add(elem(nt));
      }
      if (cands.size === 1) {
        resultTypes[i] = withElem(t, [...cands][0]!);
        return;
      }
    }
    resultTypes[i] = int16TypeFor(t);
  });
  for (let i = 0; i < op.results.length; i++) {
    const e = elem(pc.originalType(op.result(i)));
    if (e.kind === 'quant.uniform_per_axis' && isInt8Quant(e)) return perAxisError(op, op.result(i), `result #${i}`);
  }
  if (!changed) return { op, operandTypes, operandData, constants, resultTypes, attributes: new Map(op.attributes), changed, notes };

  // Attributes.
  const attributes = new Map(op.attributes);
  if (BIAS_TYPE_OPS.has(op.name)) {
    // Recorded, or (quantized-bias-type=false) removed: an int8 model's INT32 would misname the new bias.
    if (pc.setBiasTypeAttr) attributes.set('quantized_bias_type', stringAttr(pc.biasStorage === 'int64' ? 'INT64' : 'INT32'));
    else attributes.delete('quantized_bias_type');
  }
  if (POT_SCALE_OPS.has(op.name)) attributes.set('pot_scale_int16', boolAttr(false));
  // tfl.quantize's qtype repeats its result type.
  const qtype = attributes.get('qtype');
  if (qtype?.kind === 'type' && resultTypes.length === 1 && qtype.value !== resultTypes[0]) attributes.set('qtype', typeAttr(resultTypes[0]!));
  for (const name of LSTM_INTERMEDIATE_ATTRS) {
    const a = attributes.get(name);
    if (a?.kind !== 'type') continue;
    const e = elem(a.value);
    if (isInt8Quant(e) && e.kind === 'quant.uniform') attributes.set(name, typeAttr(int16TypeFor(a.value)));
  }
  return { op, operandTypes, operandData, constants, resultTypes, attributes, changed, notes };
}
