/**
 * Resource variables in `requantize-16x8`. TFLite's READ_VARIABLE / ASSIGN_VARIABLE copy a variable's
 * bytes and need one tensor type for it, so a variable is lifted as a whole, across functions: when
 * every read and every assigned value of it in the module has one int8 per-tensor type, all of them
 * (the initialiser's constant re-encoded) take the int16 type covering it, as any activation does.
 * Otherwise the variable stays int8 with one warning saying why.
 */
import type { Operation } from '../../../src/ir/operation.js';
import { describeLoc } from '../../../src/ir/location.js';
import type { Type, UniformQuantType } from '../../../src/ir/type.js';
import { walkPreOrder } from '../../../src/ir/walk.js';
import { funcName } from '../../../dialects/builtin/index.js';
import { handleKey, variableLabel } from '../calibration/variables.js';
import type { OpPlan, PlanContext } from './plan.js';
import { elem, int16ElementFor, isInt8Quant, requantizeActivationData, withElem } from './qparams.js';

/** The ops that access a variable's value through a handle. */
const ACCESS_OPS: ReadonlySet<string> = new Set(['tfl.read_variable', 'tfl.assign_variable']);

/** The module's decision for resource variables. */
export interface VariableDecisions {
  /** The int16 element type of each lifted variable, by key (`container/shared_name`). */
  readonly lifted: ReadonlyMap<string, UniformQuantType>;
  /** Variables that stay int8: where to report and why. */
  readonly kept: readonly { readonly at: Operation; readonly message: string }[];
}

/** The value an access op stores or gives: the assigned value or the read result. */
function accessedValueType(op: Operation): Type | undefined {
  return op.name === 'tfl.read_variable' ? op.results[0]?.type : op.operands[1]?.value.type;
}

function where(op: Operation): string {
  let f: Operation | undefined = op.parentOp;
  while (f && f.name !== 'func.func') f = f.parentOp;
  return f ? `@${funcName(f)}` : describeLoc(op.loc);
}

/**
 * Decides, for the whole module, which variables become int16. A variable is lifted when all its
 * reads and assigns (in every function) see one int8 per-tensor type and its handles are used by
 * reads and assigns only; an int8 access through a resource that is not a `tfl.var_handle` keeps
 * every int8 variable (the variable it touches cannot be identified).
 */
export function decideVariables(module: Operation): VariableDecisions {
  const handles = new Map<string, Operation[]>();
  const accesses = new Map<string, Operation[]>();
  const anonymous: Operation[] = [];
  for (const op of walkPreOrder(module)) {
    if (op.name === 'tfl.var_handle') {
      const k = handleKey(op);
      handles.set(k, [...(handles.get(k) ?? []), op]);
    } else if (ACCESS_OPS.has(op.name)) {
      const t = accessedValueType(op);
      const h = op.operands[0]?.value.definingOp;
      if (h?.name === 'tfl.var_handle') {
        const k = handleKey(h);
        accesses.set(k, [...(accesses.get(k) ?? []), op]);
      } else if (t && isInt8Quant(elem(t))) anonymous.push(op);
    }
  }
  const lifted = new Map<string, UniformQuantType>();
  const kept: { at: Operation; message: string }[] = [];
  for (const [key, ops] of accesses) {
    const types = ops.map((op) => elem(accessedValueType(op)!));
    if (!types.some((t) => isInt8Quant(t))) continue; // float or already 16-bit: nothing to lift
    const first = handles.get(key)![0]!;
    const stay = (why: string): void => {
      kept.push({ at: first, message: `resource variable '${variableLabel(key)}' stays int8: ${why}; its reads and assigns are bridged with tfl.quantize` });
    };
    const t0 = types[0]!;
    const other = ops.findIndex((_, i) => types[i] !== t0);
    if (other >= 0) {
      const describe = (i: number): string => `'${ops[i]!.name}' in ${where(ops[i]!)} (${describeLoc(ops[i]!.loc)})`;
      stay(`its reads and assigns do not share one type (${describe(0)} and ${describe(other)} differ), and TFLite copies a variable's bytes between equal types only`);
      continue;
    }
    if (t0.kind !== 'quant.uniform') {
      stay('it is quantized per channel; 16x8 activations are quantized per tensor');
      continue;
    }
    const escape = handles
      .get(key)!
      .flatMap((h) => h.result(0).users())
      .find((u) => !ACCESS_OPS.has(u.name));
    if (escape) {
      stay(`its handle is used by '${escape.name}' in ${where(escape)}, which this pass cannot retype with it`);
      continue;
    }
    if (anonymous.length > 0) {
      stay(`'${anonymous[0]!.name}' in ${where(anonymous[0]!)} (${describeLoc(anonymous[0]!.loc)}) accesses a resource that is not a tfl.var_handle, so the variables it touches cannot be identified`);
      continue;
    }
    lifted.set(key, int16ElementFor(t0));
  }
  for (const op of anonymous)
    kept.push({ at: op, message: `'${op.name}' in ${where(op)} stays int8: its resource operand is not a tfl.var_handle, so the variable it accesses (and its other reads and assigns) cannot be identified` });
  return { lifted, kept };
}

/**
 * The 16x8 plan of a read or assign of a lifted variable (int16 element `e16`): a read gives the
 * variable's int16 type, an assign takes it (a constant — the initial value — is re-encoded; another
 * value is bridged to it). No kernel probe: these kernels copy bytes of any type.
 */
export function planVariableAccess(op: Operation, e16: UniformQuantType, pc: PlanContext): OpPlan {
  const operandTypes = op.operands.map((o) => o.value.type);
  const operandData = op.operands.map((o) => pc.constantValue(o.value)?.value);
  const resultTypes = op.results.map((r) => r.type);
  const constants: OpPlan['constants'] = new Map();
  if (op.name === 'tfl.read_variable') resultTypes[0] = withElem(pc.originalType(op.result(0)), e16);
  else {
    const v = op.operand(1);
    const t = pc.originalType(v);
    const to = withElem(t, e16);
    operandTypes[1] = to;
    const c = pc.constantValue(v);
    if (c) {
      const value = requantizeActivationData(c.value, elem(t) as UniformQuantType, e16);
      operandData[1] = value;
      constants.set(1, { source: c.op, type: to, value, kind: 'activation' });
    }
  }
  return { op, operandTypes, operandData, constants, resultTypes, attributes: new Map(op.attributes), changed: true, notes: [] };
}

/** The key of the variable a read/assign accesses through a `tfl.var_handle` (undefined otherwise). */
export function variableAccessKey(op: Operation): string | undefined {
  if (!ACCESS_OPS.has(op.name)) return undefined;
  const h = op.operands[0]?.value.definingOp;
  return h?.name === 'tfl.var_handle' ? handleKey(h) : undefined;
}

/** Whether `op` reads or assigns a resource variable. */
export function isVariableAccessOp(op: Operation): boolean {
  return ACCESS_OPS.has(op.name);
}
