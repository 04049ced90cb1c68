/**
 * The quantization rule of resource variables (`tfl.read_variable` / `tfl.assign_variable`): TFLite
 * copies a variable's bytes between equal types only, so a quantized variable has one type — every
 * read gives it, every assign takes it, in every function (the initialiser included). It comes from
 * the variable's recorded range at the mode's width, never from per-op width choices.
 */
import type { Operation } from '../../../src/ir/operation.js';
import { accessedVariable } from '../calibration/variables.js';
import type { Width } from './math.js';
import type { OperandRole, PlanResult, ResultRole, RuleConfig } from './rules.js';
import { isFloatTensor } from './rules.js';

/** The ops that access a resource variable's value. */
export const VARIABLE_ACCESS_OPS: ReadonlySet<string> = new Set(['tfl.read_variable', 'tfl.assign_variable']);

/** Whether `op` reads or assigns a resource variable. */
export function isVariableAccess(op: Operation): boolean {
  return VARIABLE_ACCESS_OPS.has(op.name);
}

/**
 * Whether the denylist keeps resource variables float: an entry naming either access op
 * (`tfl.read_variable`, `read_variable`, `tfl.assign_variable`, `assign_variable`). A variable is
 * quantized everywhere or nowhere, so location entries do not apply to these ops.
 */
export function variablesDenylisted(denylist: readonly string[]): boolean {
  return denylist.some((e) => VARIABLE_ACCESS_OPS.has(e) || VARIABLE_ACCESS_OPS.has(`tfl.${e}`));
}

/** The plan of a variable read or assign at `width` (the mode's). */
export function variablePlan(op: Operation, cfg: RuleConfig): PlanResult {
  const key = accessedVariable(op);
  if (key === undefined) return { skip: 'its resource operand is not a tfl.var_handle' };
  const width: Width = cfg.mode;
  if (op.name === 'tfl.read_variable') {
    if (!isFloatTensor(op.result(0))) return { skip: 'nothing to quantize', silent: true };
    const results: ResultRole[] = [{ kind: 'act', width }];
    return { plan: { op, width, operands: [{ kind: 'none' }], results, groups: [{ operands: [], results: [0], prefer: 'result', variable: key }], setAttrs: {}, removeAttrs: [] } };
  }
  const value = op.operands[1]?.value;
  if (!value || !isFloatTensor(value)) return { skip: 'nothing to quantize', silent: true };
  const operands: OperandRole[] = op.operands.map((_, i) => (i === 1 ? { kind: 'act', width } : { kind: 'none' }));
  return { plan: { op, width, operands, results: [], groups: [{ operands: [1], results: [], prefer: 'result', variable: key }], setAttrs: {}, removeAttrs: [] } };
}
