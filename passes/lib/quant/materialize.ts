/**
 * Phase 6 of quant-prepare: writes the resolved quantization into the function in Q/DQ form (the
 * contract is described in qdq.ts): quantize/dequantize pairs on activation values, requantizing
 * pairs on uses that need other parameters, quantized constants behind dequantize ops (a kept
 * quantized constant of a hybrid model behind a dequantize of itself; a weight-only model's
 * dequantize of a constant replaced, and erased with its constant once unused), quantized
 * op attributes, the quantized function signature for integer I/O, and `qopt.keep_float` on the ops
 * decided float (`floatOps`) that end up between quantized neighbours.
 */
import { type Attribute, type DenseElementsAttr, denseAttr, denseFullBytes, typeAttr, unitAttr } from '../../../src/ir/attribute.js';
import type { Builder } from '../../../src/ir/builder.js';
import { type Location, UnknownLoc, locName, nameLoc } from '../../../src/ir/location.js';
import type { Operation } from '../../../src/ir/operation.js';
import { type Type, elementType, functionType, tensorType, withElement } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { getOpDef } from '../../../src/ir/registry.js';
import { type QType, type QuantizedConstant, type Width, activationType, widthOf } from './math.js';
import { type PropagationState, type QuantConfig, type ResolvedOp, representedRange } from './driver.js';
import { KEEP_FLOAT, isSandwiched } from './qdq.js';
import { constantHolder, dequantizedConstant, isFloatConstant, isFloatTensor, isQuantizedConstant } from './rules.js';

/** What materialization reports. */
export interface MaterializeReport {
  /** Function results that stay float although integer I/O was asked for. */
  readonly floatOutputs: number[];
  /** Number of requantizing uses inserted. */
  readonly requantizes: number;
  /** Number of quantized constants created. */
  readonly constants: number;
}

function nameOf(v: Value): string | undefined {
  const d = v.definingOp;
  if (d) {
    const l = d.loc;
    if (l.kind === 'fused' && d.results.length > 1) return locName(l.locs[(v as unknown as { index: number }).index] ?? l);
    return locName(l);
  }
  return locName((v as unknown as { loc: Location }).loc);
}

function suffixed(v: Value, suffix: string): Location {
  const n = nameOf(v);
  return n ? nameLoc(`${n}_${suffix}`) : UnknownLoc;
}

function storageName(t: QType): string {
  return `int${t.storage.width}`;
}

function bytesOf(c: QuantizedConstant): Uint8Array {
  const v = c.values;
  const out = new Uint8Array(v.byteLength);
  out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return out;
}

/** Whether `c` is the quantized constant `v` (or the one behind it) unchanged (same type, same bytes). */
function isKept(v: Value, c: QuantizedConstant, bytes: Uint8Array): boolean {
  const holder = constantHolder(v);
  if (!isQuantizedConstant(v) || elementType(holder.type) !== c.type) return false;
  const own = denseFullBytes(holder.definingOp!.attr('value') as DenseElementsAttr);
  return own.length === bytes.length && own.every((b, k) => b === bytes[k]);
}

/** Writes the resolved quantization of `func` into the IR. */
export function materialize(
  func: Operation,
  resolved: readonly ResolvedOp[],
  st: PropagationState,
  cfg: QuantConfig,
  rw: Builder,
  floatOps: ReadonlySet<Operation> = new Set(),
): MaterializeReport {
  const body = func.regions[0]!.blocks[0]!;
  const quantizedOps = new Set(resolved.map((r) => r.plan.op));

  // The type each activation value is materialized with.
  const valueType = new Map<Value, QType>();
  const actUses: { op: Operation; index: number; value: Value; type: QType }[] = [];
  for (const r of resolved) {
    const op = r.plan.op;
    op.results.forEach((res, i) => {
      const t = r.resultTypes[i];
      if (t) valueType.set(res, t);
    });
  }
  for (const r of resolved) {
    const op = r.plan.op;
    op.operands.forEach((o, i) => {
      const t = r.operandTypes[i];
      if (!t || r.constants.has(i) || !isFloatTensor(o.value)) return;
      if (!valueType.has(o.value)) valueType.set(o.value, st.params.get(o.value) ?? t);
      actUses.push({ op, index: i, value: o.value, type: t });
    });
  }

  // Quantize/dequantize pairs, arguments first (in order), then values in program order.
  const qOf = new Map<Value, Operation>();
  const dqOf = new Map<Value, Value>();
  const firstOp = body.first;
  const pair = (v: Value, t: QType): void => {
    const qt = withElement(v.type, t);
    const q = rw.create({ name: 'tfl.quantize', operands: [v], resultTypes: [qt], attributes: { qtype: typeAttr(qt) }, loc: suffixed(v, storageName(t)) });
    const dq = rw.create({ name: 'tfl.dequantize', operands: [q.result(0)], resultTypes: [v.type], loc: suffixed(v, 'dequantize') }).result(0);
    for (const u of [...v.uses]) if (u.owner !== q) u.set(dq);
    qOf.set(v, q);
    dqOf.set(v, dq);
  };
  for (const a of body.args) {
    const t = valueType.get(a);
    if (!t) continue;
    if (firstOp) rw.setInsertionPointBefore(firstOp);
    else rw.setInsertionPointToEnd(body);
    pair(a, t);
  }
  for (const op of body.opsArray()) {
    for (const r of op.results) {
      const t = valueType.get(r);
      if (!t) continue;
      rw.setInsertionPointAfter(op);
      pair(r, t);
    }
  }

  // Uses that need other parameters read a requantized copy.
  let requantizes = 0;
  const requantized = new Map<Value, Map<QType, Value>>();
  for (const u of actUses) {
    const vt = valueType.get(u.value)!;
    if (u.type === vt) continue;
    const dq = dqOf.get(u.value)!;
    let m = requantized.get(dq);
    if (!m) requantized.set(dq, (m = new Map()));
    let d2 = m.get(u.type);
    if (!d2) {
      const def = dq.definingOp!;
      rw.setInsertionPointAfter(def);
      const qt = withElement(dq.type, u.type);
      const q2 = rw.create({ name: 'tfl.quantize', operands: [dq], resultTypes: [qt], attributes: { qtype: typeAttr(qt) }, loc: suffixed(u.value, 'requantized') });
      d2 = rw.create({ name: 'tfl.dequantize', operands: [q2.result(0)], resultTypes: [dq.type], loc: suffixed(u.value, 'requantized_dequantize') }).result(0);
      m.set(u.type, d2);
      requantizes++;
    }
    const target = d2;
    rw.modifyInPlace(u.op, () => u.op.setOperand(u.index, target));
  }

  // Quantized constants (shared when identical). A quantized constant kept as it is (a hybrid
  // model's weights) is read through a dequantize of itself.
  let constants = 0;
  const qconsts = new Map<Operation, Map<string, Value>>();
  const replacedConsts = new Set<Operation>();
  for (const r of resolved) {
    const op = r.plan.op;
    const stateful = new Set(getOpDef(op.name)?.statefulOperands ?? []);
    for (const [i, c] of r.constants) {
      const v = op.operand(i);
      const cop = v.definingOp;
      if (!cop || !(isFloatConstant(v) || isQuantizedConstant(v))) continue;
      const bytes = bytesOf(c);
      const key = `${c.type.id}:${Array.from(bytes).join(',')}`;
      let m = qconsts.get(cop);
      if (!m) qconsts.set(cop, (m = new Map()));
      let dq = m.get(key);
      // Already the dequantize of the kept constant (a weight-only model's): used as it is.
      if (!dq && isKept(v, c, bytes) && dequantizedConstant(v)) dq = v;
      if (!dq && isKept(v, c, bytes)) {
        rw.setInsertionPointAfter(cop);
        const ft = withElement(v.type, c.type.expressed);
        dq = rw.create({ name: 'tfl.dequantize', operands: [v], resultTypes: [ft], loc: cop.loc }).result(0);
        m.set(key, dq);
      }
      if (!dq) {
        const shape = (v.type as { shape: readonly number[] }).shape;
        const qt = tensorType(shape, c.type);
        const attributes: Record<string, Attribute> = {
          qtype: typeAttr(qt),
          value: denseAttr(tensorType(shape, c.type.storage), bytes),
        };
        if (cop.attr('tfl.is_variable') !== undefined || stateful.has(i)) attributes['tfl.is_variable'] = unitAttr();
        rw.setInsertionPointAfter(cop);
        const qc = rw.create({ name: 'tfl.pseudo_qconst', resultTypes: [qt], attributes, loc: cop.loc });
        dq = rw.create({ name: 'tfl.dequantize', operands: [qc.result(0)], resultTypes: [withElement(v.type, c.type.expressed)], loc: cop.loc }).result(0);
        m.set(key, dq);
        constants++;
      }
      const target = dq;
      if (target !== v) {
        rw.modifyInPlace(op, () => op.setOperand(i, target));
        replacedConsts.add(cop);
      }
    }
  }
  for (const c of replacedConsts) {
    if (!c.isUseEmpty || !c.parent) continue;
    // A dead dequantize of a weight-only model's constant takes its constant with it.
    const behind = c.name === 'tfl.dequantize' ? c.operand(0).definingOp : undefined;
    rw.eraseOp(c);
    if (behind?.parent && behind.isUseEmpty) rw.eraseOp(behind);
  }

  // Attributes of the quantized forms.
  for (const r of resolved) {
    const op = r.plan.op;
    if (r.removeAttrs.length === 0 && Object.keys(r.attrs).length === 0) continue;
    rw.modifyInPlace(op, () => {
      for (const k of r.removeAttrs) op.removeAttr(k);
      for (const [k, v] of Object.entries(r.attrs)) op.setAttr(k, v);
    });
  }

  // Integer inputs and outputs.
  const floatOutputs: number[] = [];
  const isPrivate = func.attr('sym_visibility')?.kind === 'string';
  if (cfg.ioType !== 'float' && !isPrivate) {
    const ioWidth: Width = cfg.ioType;
    const ioTypeOf = (t: QType): QType => (widthOf(t) === ioWidth ? t : activationType(representedRange(t), ioWidth));
    for (const a of body.args) {
      const q = qOf.get(a);
      const t = valueType.get(a);
      if (!q || !t) continue;
      const it = ioTypeOf(t);
      a.type = withElement(a.type, it);
      if (it === t) {
        rw.replaceAllUsesWith(q.result(0), a);
        rw.eraseOp(q);
      } else rw.modifyInPlace(q, () => {});
    }
    const ret = body.terminator;
    if (ret?.name === 'func.return') {
      const dqToValue = new Map<Value, Value>();
      for (const [v, dq] of dqOf) dqToValue.set(dq, v);
      ret.operands.forEach((o, j) => {
        const src = dqToValue.get(o.value);
        if (!src) {
          if (isFloatTensor(o.value)) floatOutputs.push(j);
          return;
        }
        const q = qOf.get(src)!;
        const t = valueType.get(src)!;
        const ot = ioTypeOf(t);
        let out: Value = q.result(0);
        if (ot !== t) {
          rw.setInsertionPointBefore(ret);
          const qt = withElement(o.value.type, ot);
          out = rw.create({ name: 'tfl.quantize', operands: [o.value], resultTypes: [qt], attributes: { qtype: typeAttr(qt) }, loc: suffixed(src, storageName(ot)) }).result(0);
        }
        const target = out;
        rw.modifyInPlace(ret, () => ret.setOperand(j, target));
      });
    }
    const inputs: Type[] = body.args.map((a) => a.type);
    const results: Type[] = ret?.name === 'func.return' ? ret.operands.map((o) => o.value.type) : [];
    rw.modifyInPlace(func, () => func.setAttr('function_type', typeAttr(functionType(inputs, results))));
  }

  // Dead pairs (e.g. a value whose every use was requantized or returned quantized).
  for (const dq of dqOf.values()) if (dq.isUnused && dq.definingOp?.parent) rw.eraseOp(dq.definingOp);

  // Ops decided float that now sit between quantized values keep their float form.
  for (const op of floatOps) {
    if (quantizedOps.has(op) || op.attr(KEEP_FLOAT) || !op.parent) continue;
    if (isSandwiched(op)) rw.modifyInPlace(op, () => op.setAttr(KEEP_FLOAT, unitAttr()));
  }
  return { floatOutputs, requantizes, constants };
}
