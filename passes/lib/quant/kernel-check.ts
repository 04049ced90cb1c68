/**
 * "Never emit an op/type combination that has no kernel": a resolved op is prepared by its
 * interpreter kernel with the planned quantized types (and constant data) before anything is
 * rewritten. Kernels throw KernelError at prepare for unsupported combinations; such an op stays
 * float. When the float form of the op is rejected too (the kernel cannot run this op at all, e.g.
 * shapes TFLite's quantizer test models carry only for parameter comparison), the check cannot
 * judge and the op is quantized anyway. Resource variable reads and assigns copy bytes of any type
 * (their kernels need the interpreter's runtime, not types): nothing to check.
 */
import type { Attribute } from '../../../src/ir/attribute.js';
import { describeLoc } from '../../../src/ir/location.js';
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import { type Type, elementType, tensorType } from '../../../src/ir/type.js';
import { type AttrValue, type KernelFlavour, KernelError, type TensorInfo } from '../../../src/interp/kernel.js';
import { registeredKernels } from '../../../src/interp/kernel-registry.js';
import { denseToTyped, dtypeOf, quantOf, shapeAndElement } from '../../../src/interp/tensor-info.js';
import { LSTM_INTERMEDIATE_ATTRS } from '../../../src/interp/interpreter.js';
import type { ResolvedOp } from './driver.js';
import { isVariableAccess } from './variables.js';

/** The outcome of a kernel check. */
export type KernelCheck = { readonly ok: true; readonly note?: string } | { readonly ok: false; readonly reason: string };

function attrValue(a: Attribute): AttrValue | undefined {
  switch (a.kind) {
    case 'integer':
    case 'float':
    case 'bool':
    case 'string':
      return a.value;
    case 'array':
      if (a.elements.every((e) => e.kind === 'integer' || e.kind === 'float'))
        return a.elements.map((e) => Number((e as { value: number | bigint }).value));
      if (a.elements.every((e) => e.kind === 'string')) return a.elements.map((e) => (e as { value: string }).value);
      return undefined;
    case 'unit':
      return true;
    default:
      return undefined;
  }
}

function info(name: string, t: Type, data?: TensorInfo['data'], isVariable?: boolean): TensorInfo {
  const { shape, element } = shapeAndElement(t);
  const q = quantOf(element);
  return {
    name,
    dtype: dtypeOf(element),
    shape,
    ...(q ? { quant: q } : {}),
    ...(data ? { data } : {}),
    ...(isVariable ? { isVariable } : {}),
  };
}

/** Prepares `op`'s kernel with either its current (float) types or the resolved quantized ones. */
function tryPrepare(op: Operation, r: ResolvedOp | undefined, flavour: KernelFlavour): KernelCheck | 'unknown' {
  const kernel = registeredKernels().get(op.name);
  if (!kernel) return { ok: false, reason: `no interpreter kernel for '${op.name}'` };
  const def = getOpDef(op.name);
  const stateful = new Set(def?.statefulOperands ?? []);
  try {
    const inputs = op.operands.map((o, i) => {
      const v = o.value;
      if (v.type.kind === 'none') return undefined;
      const qt = r?.operandTypes[i];
      const c = r?.constants.get(i);
      const t = qt && v.type.kind === 'tensor' ? tensorType(v.type.shape, qt) : v.type;
      let data: TensorInfo['data'];
      if (c) data = c.values;
      else if (!stateful.has(i)) {
        const d = v.definingOp;
        const a = d && getOpDef(d.name)?.traits.includes('ConstantLike') ? d.attr('value') : undefined;
        if (a?.kind === 'dense' && (!qt || elementType(a.type) === elementType(t))) data = denseToTyped(a, dtypeOf(elementType(t)));
      }
      return info(`operand #${i}`, t, stateful.has(i) ? undefined : data, stateful.has(i) || undefined);
    });
    const outputs = op.results.map((res, i) => {
      const qt = r?.resultTypes[i];
      const t = qt && res.type.kind === 'tensor' ? tensorType(res.type.shape, qt) : res.type;
      return info(`result #${i}`, t);
    });
    const attrs: Record<string, AttrValue | undefined> = {};
    const merged = new Map(op.attributes);
    if (r) {
      for (const k of r.removeAttrs) merged.delete(k);
      for (const [k, v] of Object.entries(r.attrs)) merged.set(k, v);
    }
    for (const [k, v] of merged) attrs[k] = attrValue(v);
    for (const [k, spec] of Object.entries(def?.attrs ?? {})) if (attrs[k] === undefined && spec.default) attrs[k] = attrValue(spec.default);
    const intermediates: TensorInfo[] = [];
    LSTM_INTERMEDIATE_ATTRS.forEach((n, k) => {
      const a = merged.get(n);
      if (a?.kind === 'type') intermediates.push(info(`intermediate #${k}`, a.value));
    });
    kernel.prepare({ op: op.name, where: describeLoc(op.loc), inputs, outputs, intermediates, attrs, flavour });
    return { ok: true };
  } catch (e) {
    if (e instanceof KernelError) return { ok: false, reason: e.message };
    return 'unknown';
  }
}

/**
 * Checks a resolved op against its kernel. `ok: false` only when the quantized form is rejected and
 * the float form is accepted (or the op has no kernel at all).
 */
export function checkKernel(r: ResolvedOp, flavour: KernelFlavour): KernelCheck {
  const op = r.plan.op;
  if (isVariableAccess(op)) return { ok: true };
  const q = tryPrepare(op, r, flavour);
  if (q === 'unknown') return { ok: true, note: 'the kernel could not be prepared for a check (dynamic or unranked shapes)' };
  if (q.ok) return q;
  if (!registeredKernels().get(op.name)) return q;
  const f = tryPrepare(op, undefined, flavour);
  if (f === 'unknown' || !f.ok) return { ok: true, note: `the float kernel rejects this op too (${f === 'unknown' ? 'cannot prepare' : f.reason}); quantized unchecked` };
  return q;
}
