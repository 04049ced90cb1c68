/**
 * Resource variables (`tfl.var_handle` / `tfl.read_variable` / `tfl.assign_variable`) as calibration
 * and quantization see them. A variable is identified by its handle's `container/shared_name` (what
 * TFLite's VAR_HANDLE keys it by), across all functions of a module: the unrolled LSTM's state lives
 * in one, initialised by a private function through `tfl.call_once` and read/assigned by `main`.
 */
import { type Attribute, type DenseElementsAttr, denseFullBytes } from '../../../src/ir/attribute.js';
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import type { Value } from '../../../src/ir/value.js';
import { walkPreOrder } from '../../../src/ir/walk.js';
import { rangeAttr, readRangeAttr } from './contract.js';
import type { Range } from './range-methods.js';

/** The variable range attribute of `tfl.var_handle` (see contract.ts). */
export const VARIABLE_RANGE = 'qopt.variable_range';

function stringOf(a: Attribute | undefined): string {
  return a?.kind === 'string' ? a.value : '';
}

/** The key of the variable a `tfl.var_handle` op names: `container/shared_name`. */
export function handleKey(handle: Operation): string {
  return `${stringOf(handle.attr('container'))}/${stringOf(handle.attr('shared_name'))}`;
}

/** A variable key as messages name it: the shared_name, prefixed by `container/` when it has one. */
export function variableLabel(key: string): string {
  return key.startsWith('/') ? key.slice(1) : key;
}

/**
 * The key of the variable a resource operand refers to, when a `tfl.var_handle` defines it (the form
 * tfl-unroll-lstm and TFLite's converter produce); undefined otherwise.
 */
export function variableKeyOf(resource: Value): string | undefined {
  const d = resource.definingOp;
  return d?.name === 'tfl.var_handle' ? handleKey(d) : undefined;
}

/** The key of the variable a `tfl.read_variable` / `tfl.assign_variable` op accesses. */
export function accessedVariable(op: Operation): string | undefined {
  if (op.name !== 'tfl.read_variable' && op.name !== 'tfl.assign_variable') return undefined;
  const r = op.operands[0]?.value;
  return r ? variableKeyOf(r) : undefined;
}

/** The float32 data of a dense constant `v` (undefined when `v` is not one). */
export function floatConstantData(v: Value): Float32Array | undefined {
  const d = v.definingOp;
  if (!d || !(getOpDef(d.name)?.traits.includes('ConstantLike') ?? false)) return undefined;
  const a = d.attr('value');
  if (a?.kind !== 'dense') return undefined;
  const e = (a as DenseElementsAttr).type.element;
  if (e.kind !== 'float' || e.name !== 'f32') return undefined;
  const bytes = denseFullBytes(a as DenseElementsAttr);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer, 0, bytes.byteLength / 4);
}

/** The variables of a module: their handles and the float constants assigned to them (initial values). */
export interface ModuleVariable {
  readonly key: string;
  readonly handles: Operation[];
  readonly constants: Float32Array[];
}

/** Every variable named by a `tfl.var_handle` anywhere in `module`, by key (in first-seen order). */
export function moduleVariables(module: Operation): Map<string, ModuleVariable> {
  const out = new Map<string, ModuleVariable>();
  const of = (key: string): ModuleVariable => {
    let v = out.get(key);
    if (!v) out.set(key, (v = { key, handles: [], constants: [] }));
    return v;
  };
  for (const op of walkPreOrder(module)) {
    if (op.name === 'tfl.var_handle') of(handleKey(op)).handles.push(op);
    else if (op.name === 'tfl.assign_variable') {
      const key = accessedVariable(op);
      const data = op.operands[1] ? floatConstantData(op.operands[1].value) : undefined;
      if (key !== undefined && data) of(key).constants.push(data);
    }
  }
  return out;
}

/** The recorded range of a variable: the first of its handles that carries one. */
export function recordedVariableRange(v: ModuleVariable): Range | undefined {
  for (const h of v.handles) {
    const r = readRangeAttr(h.attr(VARIABLE_RANGE));
    if (r) return r;
  }
  return undefined;
}

/** The attribute value recording `r` on a handle. */
export function variableRangeAttr(r: Range): Attribute {
  return rangeAttr(r);
}

/** A variable calibration must measure: its module-wide facts and its float reads/assigns in the entry. */
export interface PendingVariable {
  readonly variable: ModuleVariable;
  /** Results of its `tfl.read_variable` ops and values of its `tfl.assign_variable` ops in `entry`. */
  readonly values: readonly Value[];
}

function isF32(v: Value): boolean {
  const t = v.type;
  return (t.kind === 'tensor' || t.kind === 'unranked_tensor') && t.element.kind === 'float' && t.element.name === 'f32';
}

/**
 * The variables of `module` that have no recorded range yet and that `entry` reads or assigns as
 * float32 tensors (the values calibration observes), in first-seen order.
 */
export function pendingVariables(module: Operation, entry: Operation): PendingVariable[] {
  const all = moduleVariables(module);
  const values = new Map<string, Value[]>();
  for (const op of entry.regions[0]?.blocks[0]?.ops() ?? []) {
    const key = accessedVariable(op);
    if (key === undefined) continue;
    const v = op.name === 'tfl.read_variable' ? op.result(0) : op.operands[1]?.value;
    if (!v || !isF32(v)) continue;
    const l = values.get(key);
    if (l) l.push(v);
    else values.set(key, [v]);
  }
  const out: PendingVariable[] = [];
  for (const [key, vs] of values) {
    const variable = all.get(key)!;
    if (!recordedVariableRange(variable)) out.push({ variable, values: vs });
  }
  return out;
}
