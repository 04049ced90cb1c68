/**
 * The function-level rewrite of `requantize-16x8`.
 *
 * 1. Decide, in program order, which ops become 16x8: plan the op (plan.ts) with the operand types
 *    its producers now give (so fixed outputs and same-scale groups propagate), then prepare the
 *    op's kernel on the planned types (probe.ts). Ops whose kernel refuses stay int8 (a warning, or
 *    an error under the driver's --strict). Reads and assigns of resource variables follow the
 *    module-wide decision of variables.ts (the variable's int16 type, or int8 as reported there).
 * 2. Apply: results of converted ops and the function arguments take their int16 types; activation
 *    and bias constants are re-encoded — in place when every use wants the same new constant, else
 *    as a new constant beside the old one, so a constant shared by several ops is converted once;
 *    attributes (quantized_bias_type, pot_scale_int16, LSTM intermediates) are set.
 * 3. Bridge: wherever a use wants another type than its value now has (an int8 op reading an int16
 *    value, an int16 op reading an int8 value, the function results), one `tfl.quantize` per
 *    (value, type) is inserted right after the value's definition and shared by all such uses.
 *    Bridges are only made where the types differ, so the result has no redundant rescales.
 */
import { type Attribute, type DenseElementsAttr, typeAttr } from '../../../src/ir/attribute.js';
import { Builder } from '../../../src/ir/builder.js';
import type { Block } from '../../../src/ir/block.js';
import { type Location, locName, nameLoc } from '../../../src/ir/location.js';
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import { type Type, functionType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { walkPreOrder } from '../../../src/ir/walk.js';
import type { KernelFlavour } from '../../../src/interp/kernel.js';
import type { PassContext } from '../../../src/pass/pass.js';
import { funcType } from '../../../dialects/builtin/index.js';
import { type OpPlan, type PlanContext, planOp, touchesInt8 } from './plan.js';
import { probeKernel } from './probe.js';
import { type BiasStorage, elem, int16TypeFor, isInt8Quant } from './qparams.js';
import type { VariableDecisions } from './variables.js';
import { isVariableAccessOp, planVariableAccess, variableAccessKey } from './variables.js';

/** Options of one function's rewrite. */
export interface RequantizeOptions {
  readonly biasStorage: BiasStorage;
  /** Set `quantized_bias_type` on FC / CONV_2D / TRANSPOSE_CONV. */
  readonly setBiasTypeAttr: boolean;
  /** Keep the function's int8 argument/result types (bridge at the boundary). */
  readonly keepSignature: boolean;
  /** Kernel flavours whose prepare must accept a converted op. */
  readonly flavours: readonly KernelFlavour[];
  /** Ops without an int16 kernel are errors instead of warnings. */
  readonly strict: boolean;
  /** The int16 types of the module's lifted resource variables (decideVariables). */
  readonly variables: VariableDecisions['lifted'];
}

/** What the rewrite of one function did. */
export interface RequantizeStats {
  converted: number;
  keptInt8: number;
  bridges: number;
  constants: number;
  failed: boolean;
}

const CONST_OPS: ReadonlySet<string> = new Set(['tfl.pseudo_const', 'tfl.pseudo_qconst']);

function isConstantOp(op: Operation | undefined): boolean {
  return op !== undefined && (getOpDef(op.name)?.traits.includes('ConstantLike') ?? false);
}

function valueLoc(v: Value): Location {
  return v.definingOp ? v.definingOp.loc : (v as unknown as { loc: Location }).loc;
}

/** Requantizes one function body to 16x8. */
export function requantizeFunction(func: Operation, ctx: PassContext, o: RequantizeOptions): RequantizeStats {
  const stats: RequantizeStats = { converted: 0, keptInt8: 0, bridges: 0, constants: 0, failed: false };
  const body = func.regions[0]?.blocks[0];
  if (!body) return stats;

  const original = new Map<Value, Type>();
  const originalType = (v: Value): Type => original.get(v) ?? v.type;
  const newTypes = new Map<Value, Type>();
  const pc: PlanContext = {
    originalType,
    newType: (v) => newTypes.get(v),
    constantValue: (v) => {
      const d = v.definingOp;
      if (!d || !CONST_OPS.has(d.name)) return undefined;
      const a = d.attr('value');
      return a?.kind === 'dense' ? { op: d, value: a } : undefined;
    },
    biasStorage: o.biasStorage,
    setBiasTypeAttr: o.setBiasTypeAttr,
  };

  // ---- 1. decide ----
  for (const a of body.args) {
    const e = elem(a.type);
    if (!isInt8Quant(e)) continue;
    if (e.kind === 'quant.uniform_per_axis') {
      ctx.emitError(func.loc, `argument #${a.index} ('${locName(a.loc) ?? `arg${a.index}`}') is an int8 activation quantized per channel (axis ${e.axis}); 16x8 activations must be quantized per tensor`);
      stats.failed = true;
      return stats;
    }
    if (!o.keepSignature) newTypes.set(a, int16TypeFor(a.type));
  }
  const plans = new Map<Operation, OpPlan>();
  for (const op of body.ops()) {
    if (op.name === 'func.return' || isConstantOp(op)) continue;
    if (!touchesInt8(op, pc)) continue;
    // A dequantize of a value that stays int8 gains nothing from int16 (it would only add a rescale).
    if (op.name === 'tfl.dequantize' && !newTypes.has(op.operand(0)) && !pc.constantValue(op.operand(0))) continue;
    if (isVariableAccessOp(op)) {
      // One type per variable in every function: lifted as a whole, or kept int8 (reported once).
      const key = variableAccessKey(op);
      const e16 = key !== undefined ? o.variables.get(key) : undefined;
      if (!e16) {
        stats.keptInt8++;
        continue;
      }
      const vp = planVariableAccess(op, e16, pc);
      plans.set(op, vp);
      stats.converted++;
      op.results.forEach((r, i) => {
        if (vp.resultTypes[i] !== r.type) newTypes.set(r, vp.resultTypes[i]!);
      });
      continue;
    }
    const p = planOp(op, pc);
    if ('error' in p) {
      ctx.emitError(p.at.loc, p.error);
      stats.failed = true;
      return stats;
    }
    let why: string | undefined;
    if ('unsupported' in p) why = p.unsupported;
    else if (!p.changed) continue;
    else why = probeKernel(p, o.flavours);
    if (why !== undefined) {
      stats.keptInt8++;
      const msg = `'${op.name}' has no int16 kernel for the requantized types (${why}); it stays int8, bridged with tfl.quantize`;
      if (o.strict) {
        ctx.emitError(op.loc, msg);
        stats.failed = true;
      } else ctx.emitWarning(op.loc, msg);
      continue;
    }
    const plan = p as OpPlan;
    for (const note of plan.notes) ctx.emitWarning(op.loc, note);
    plans.set(op, plan);
    stats.converted++;
    op.results.forEach((r, i) => {
      if (plan.resultTypes[i] !== r.type) newTypes.set(r, plan.resultTypes[i]!);
    });
  }
  if (stats.failed) return stats;

  // ---- 2. apply ----
  const b = new Builder();
  const retype = (v: Value, t: Type): void => {
    if (v.type === t) return;
    if (!original.has(v)) original.set(v, v.type);
    v.type = t;
  };
  for (const [v, t] of newTypes) {
    if (v.definingOp) b.modifyInPlace(v.definingOp, () => retype(v, t));
    else {
      retype(v, t);
      b.changed = true;
    }
  }
  for (const [op, plan] of plans) {
    const removed = [...op.attributes.keys()].filter((k) => !plan.attributes.has(k));
    const changedAttrs = removed.length > 0 || [...plan.attributes].some(([k, a]) => op.attr(k) !== a);
    if (changedAttrs)
      b.modifyInPlace(op, () => {
        for (const k of removed) op.removeAttr(k);
        plan.attributes.forEach((a, k) => op.setAttr(k, a));
      });
  }

  // Constants: group the wanted replacements by source constant.
  interface Want {
    readonly op: Operation;
    readonly index: number;
    readonly type: Type;
    readonly value: DenseElementsAttr;
    readonly suffix: string;
  }
  const wants = new Map<Operation, Want[]>();
  for (const [op, plan] of plans) {
    for (const [i, c] of plan.constants) {
      const list = wants.get(c.source) ?? [];
      list.push({ op, index: i, type: c.type, value: c.value, suffix: c.kind === 'bias' ? '_16x8_bias' : '_int16' });
      wants.set(c.source, list);
    }
  }
  for (const [src, list] of wants) {
    const byType = new Map<Type, Want[]>();
    for (const w of list) byType.set(w.type, [...(byType.get(w.type) ?? []), w]);
    const result = src.result(0);
    const otherUses = [...result.uses].filter((u) => !list.some((w) => w.op === u.owner && w.index === u.index)).length;
    for (const [t, ws] of byType) {
      const first = ws[0]!;
      if (src.name === 'tfl.pseudo_qconst' && otherUses === 0 && byType.size === 1) {
        // Every use wants this one constant: convert the op itself.
        b.modifyInPlace(src, () => {
          retype(result, t);
          src.setAttr('value', first.value);
          src.setAttr('qtype', typeAttr(t));
        });
        stats.constants++;
        continue;
      }
      b.setInsertionPointAfter(src);
      const attrs: Record<string, Attribute> = { qtype: typeAttr(t), value: first.value };
      for (const [k, a] of src.attributes) if (k !== 'qtype' && k !== 'value') attrs[k] = a;
      const base = locName(src.loc);
      const loc = base && (otherUses > 0 || byType.size > 1) ? nameLoc(`${base}${first.suffix}`) : src.loc;
      const c = b.create({ name: 'tfl.pseudo_qconst', resultTypes: [t], attributes: attrs, loc });
      stats.constants++;
      for (const w of ws) b.modifyInPlace(w.op, () => w.op.setOperand(w.index, c.result(0)));
    }
    if (src.parent && src.isUseEmpty) b.eraseOp(src);
  }

  // ---- 3. bridge ----
  const ret = body.last && body.last.name === 'func.return' ? body.last : undefined;
  const keepSig = o.keepSignature;
  const wantedAtReturn = (v: Value): Type => {
    const t0 = originalType(v);
    const e = elem(t0);
    if (keepSig || !isInt8Quant(e) || e.kind !== 'quant.uniform') return t0;
    return isInt8Quant(elem(v.type)) ? int16TypeFor(t0) : v.type;
  };
  const bridges = new Map<Value, Map<Type, Value>>();
  const bridge = (v: Value, t: Type): Value => {
    let m = bridges.get(v);
    if (!m) bridges.set(v, (m = new Map()));
    const found = m.get(t);
    if (found) return found;
    const def = v.definingOp;
    if (def) b.setInsertionPointAfter(def);
    else b.setInsertionPointToStart((v as unknown as { owner: Block }).owner);
    const base = locName(valueLoc(v));
    const width = (elem(t) as { storage?: { width: number } }).storage?.width ?? 0;
    const q = b.createOne('tfl.quantize', [v], t, { qtype: typeAttr(t) }, base ? nameLoc(`${base}/requantize_i${width}`) : valueLoc(v));
    m.set(t, q);
    stats.bridges++;
    return q;
  };
  const bridgeOps = new Set<Operation>();
  const visit = (op: Operation): void => {
    if (bridgeOps.has(op)) return;
    const plan = plans.get(op);
    op.operands.forEach((u, i) => {
      const v = u.value;
      let want: Type;
      if (plan) want = plan.operandTypes[i]!;
      else if (op === ret) want = wantedAtReturn(v);
      else want = originalType(v);
      if (v.type === want) return;
      // Only quantization changes are bridged (int8 <-> int16 of the same tensor).
      if (!isRequantizable(v.type, want)) return;
      const q = bridge(v, want);
      bridgeOps.add(q.definingOp!);
      b.modifyInPlace(op, () => op.setOperand(i, q));
    });
  };
  for (const op of walkPreOrder(func)) {
    if (op === func) continue;
    visit(op);
  }

  // A bridge right after a tfl.quantize that feeds only the bridge: one rescale instead of two
  // (e.g. an input quantize whose only consumer stayed int8 goes straight to int8 again).
  for (const q of bridgeOps) {
    const p = q.operand(0).definingOp;
    if (!p || p.name !== 'tfl.quantize' || bridgeOps.has(p) || p.result(0).uses.size !== 1) continue;
    const t = q.result(0).type;
    b.modifyInPlace(p, () => {
      retype(p.result(0), t);
      p.setAttr('qtype', typeAttr(t));
    });
    b.replaceOp(q, [p.result(0)]);
    stats.bridges--;
    if (p.operand(0).type === t) {
      b.replaceOp(p, [p.operand(0)]);
    }
  }

  // Function signature.
  const ft = funcType(func);
  const results = ret ? ret.operands.map((u) => u.value.type) : ft.results;
  const inputs = body.args.map((a) => a.type);
  const nt = functionType(inputs, results);
  if (nt !== ft) b.modifyInPlace(func, () => func.setAttr('function_type', typeAttr(nt)));
  return stats;
}

function isRequantizable(from: Type, to: Type): boolean {
  const a = elem(from);
  const c = elem(to);
  return (a.kind === 'quant.uniform' && c.kind === 'quant.uniform') || false;
}
