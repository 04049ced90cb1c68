/**
 * "Does this op have an int16 kernel?" answered by the interpreter's kernels themselves: build the
 * KernelContext the interpreter would build for the op after the rewrite (operand/result types,
 * constant data, variable state, intermediates, attributes with their defaults) and call the
 * registered kernel's prepare. Kernels throw KernelError for type combinations they do not run, so
 * a successful prepare means the rewritten op runs. No fixed list of ops.
 */
import type { Attribute, DenseElementsAttr } from '../../../src/ir/attribute.js';
import { locName } from '../../../src/ir/location.js';
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import type { Type } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { LSTM_INTERMEDIATE_ATTRS } from '../../../src/interp/interpreter.js';
import type { AttrValue, KernelContext, KernelFlavour, TensorInfo } from '../../../src/interp/kernel.js';
import { registeredKernels } from '../../../src/interp/kernel-registry.js';
import { denseToTyped, dtypeOf, quantOf, shapeAndElement } from '../../../src/interp/tensor-info.js';
import { describeLoc } from '../../../src/ir/location.js';
import { IS_VARIABLE } from '../../../dialects/tfl/ops/const.js';

/** An op as it would be after the rewrite (only what a kernel sees). */
export interface ProposedOp {
  readonly op: Operation;
  /** Operand types after the rewrite (`none` for absent operands). */
  readonly operandTypes: readonly Type[];
  /** Constant data of constant operands after the rewrite (undefined: not a constant). */
  readonly operandData: readonly (DenseElementsAttr | undefined)[];
  readonly resultTypes: readonly Type[];
  /** Attributes after the rewrite (intermediates included). */
  readonly attributes: ReadonlyMap<string, Attribute>;
}

function attrToValue(a: Attribute): AttrValue | undefined {
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

/** A tensor's name for kernel messages: its location name, else a fallback. */
export function valueName(v: Value, fallback: string): string {
  const loc = v.definingOp ? v.definingOp.loc : (v as unknown as { loc?: Parameters<typeof locName>[0] }).loc;
  return (loc && locName(loc)) ?? fallback;
}

function info(name: string, t: Type, data?: DenseElementsAttr, variable = false): TensorInfo {
  const { shape, element } = shapeAndElement(t);
  const dtype = dtypeOf(element);
  const base: TensorInfo = { name, dtype, shape, quant: quantOf(element) };
  if (variable) return { ...base, isVariable: true };
  if (data) return { ...base, data: denseToTyped(data, dtype) };
  return base;
}

/** The intermediates a kernel sees: an `intermediates` type array, else the named LSTM ones present. */
function intermediates(op: Operation, attrs: ReadonlyMap<string, Attribute>): TensorInfo[] {
  const a = attrs.get('intermediates');
  const types: Attribute[] =
    a?.kind === 'array' ? [...a.elements] : LSTM_INTERMEDIATE_ATTRS.map((n) => attrs.get(n)).filter((x): x is Attribute => x !== undefined);
  const out: TensorInfo[] = [];
  types.forEach((e, i) => {
    if (e.kind === 'type') out.push(info(`${op.name}.intermediate${i}`, e.value));
  });
  return out;
}

/**
 * Prepares the proposed op with the registered kernel for each flavour. Returns undefined when every
 * prepare succeeds, else the first failure's message.
 */
export function probeKernel(p: ProposedOp, flavours: readonly KernelFlavour[]): string | undefined {
  const kernel = registeredKernels().get(p.op.name);
  if (!kernel) return `no kernel for '${p.op.name}' in the interpreter`;
  const def = getOpDef(p.op.name);
  // Variable (state) operands: declared stateful, or fed by a constant marked tfl.is_variable.
  const stateful = new Set(def?.statefulOperands ?? []);
  p.op.operands.forEach((o, i) => {
    if (o.value.definingOp?.attr(IS_VARIABLE) !== undefined) stateful.add(i);
  });
  let inputs: (TensorInfo | undefined)[];
  let outputs: TensorInfo[];
  try {
    inputs = p.operandTypes.map((t, i) =>
      t.kind === 'none' ? undefined : info(valueName(p.op.operand(i), `operand${i}`), t, stateful.has(i) ? undefined : p.operandData[i], stateful.has(i) && p.operandData[i] !== undefined),
    );
    outputs = p.resultTypes.map((t, i) => info(valueName(p.op.result(i), `${p.op.name}#${i}`), t));
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const attrs: Record<string, AttrValue | undefined> = {};
  for (const [k, v] of p.attributes) attrs[k] = attrToValue(v);
  for (const [k, spec] of Object.entries(def?.attrs ?? {})) if (attrs[k] === undefined && spec.default) attrs[k] = attrToValue(spec.default);
  for (const flavour of flavours) {
    const ctx: KernelContext = {
      op: p.op.name,
      where: describeLoc(p.op.loc),
      inputs,
      outputs,
      intermediates: intermediates(p.op, p.attributes),
      attrs,
      flavour,
    };
    try {
      kernel.prepare(ctx);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return flavours.length > 1 ? `${msg} (kernels '${flavour}')` : msg;
    }
  }
  return undefined;
}
