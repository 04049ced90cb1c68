/**
 * Resource variables in quant-mixed. TFLite stores a variable in one tensor type, so a variable has one
 * width in every function: it is one search unit, keyed `var:<container/shared_name>` in the plan,
 * together with the values its reads give and the values assigned to it in the searched function
 * (their widths follow it). The width reaches quant-prepare's driver through `variableWidth`.
 */
import type { Operation } from '../../../src/ir/operation.js';
import { accessedVariable } from '../calibration/variables.js';
import type { QuantConfig } from '../quant/driver.js';
import type { Width } from '../quant/math.js';
import { isDataConstant } from '../quant/rules.js';
import type { OpPlan } from '../quant/rules.js';
import { valueKey } from './plan.js';

/** The plan-key prefix of a resource variable. */
export const VARIABLE_KEY_PREFIX = 'var:';

/** The plan key of the variable `key` (`container/shared_name`). */
export function variablePlanKey(key: string): string {
  return `${VARIABLE_KEY_PREFIX}${key}`;
}

/** The variable keys (`container/shared_name`) among plan keys. */
export function variableKeysIn(keys: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const k of keys) if (k.startsWith(VARIABLE_KEY_PREFIX)) out.add(k.slice(VARIABLE_KEY_PREFIX.length));
  return out;
}

/** `cfg` with every variable at int16 when its key is in `int16Vars`, else at int8. */
export function withVariableWidths(cfg: QuantConfig, int16Vars: ReadonlySet<string>): QuantConfig {
  return { ...cfg, variableWidth: (key: string): Width => (int16Vars.has(key) ? 'int16' : 'int8') };
}

/** One variable of a searched function: its read results and assigned values, by plan key. */
export interface VariableUnit {
  /** `var:<container/shared_name>`. */
  readonly key: string;
  readonly variable: string;
  /** Keys of the results of its `tfl.read_variable` ops. */
  readonly reads: string[];
  /** Keys of the (non-constant) values its `tfl.assign_variable` ops store. */
  readonly assigned: string[];
}

/**
 * The variables accessed by the plans of `func` (a calibrated clone indexed by `idx`) that have a
 * recorded range (`ranged`); a variable without one stays float and is no unit.
 */
export function variableUnits(
  func: Operation,
  idx: ReadonlyMap<Operation, number>,
  plans: readonly OpPlan[],
  ranged: ReadonlySet<string>,
): Map<string, VariableUnit> {
  const units = new Map<string, VariableUnit>();
  for (const p of plans) {
    const variable = accessedVariable(p.op);
    if (variable === undefined || !ranged.has(variable)) continue;
    const key = variablePlanKey(variable);
    let u = units.get(key);
    if (!u) units.set(key, (u = { key, variable, reads: [], assigned: [] }));
    if (p.op.name === 'tfl.read_variable') {
      const k = valueKey(p.op.result(0), idx, func);
      if (k !== undefined) u.reads.push(k);
    } else {
      const v = p.op.operands[1]?.value;
      const k = v && !isDataConstant(v) ? valueKey(v, idx, func) : undefined;
      if (k !== undefined && !u.assigned.includes(k)) u.assigned.push(k);
    }
  }
  return units;
}
