/**
 * Folding one op: read constant operands from ConstantLike producers, call the OpDef's `fold`, and
 * turn attribute results into constants through the dialect's `materializeConstant`. Also the
 * "trivially dead" test shared by the greedy driver and DCE.
 */
import type { Attribute } from '../ir/attribute.js';
import type { Builder } from '../ir/builder.js';
import type { Operation } from '../ir/operation.js';
import { getDialect, getOpDef } from '../ir/registry.js';
import { Value } from '../ir/value.js';

/** The constant attribute a value holds, when a ConstantLike op with a `value` attribute defines it. */
export function constantValueOf(v: Value): Attribute | undefined {
  const def = v.definingOp;
  if (!def || !getOpDef(def.name)?.traits.includes('ConstantLike')) return undefined;
  return def.attr('value');
}

/** Whether an op can be erased: Pure, not a terminator, no regions, and every result unused. */
export function isTriviallyDead(op: Operation): boolean {
  if (op.regions.length > 0) return false;
  for (const r of op.results) if (r.uses.size > 0) return false;
  const traits = getOpDef(op.name)?.traits;
  return traits !== undefined && traits.includes('Pure') && !traits.includes('Terminator');
}

/**
 * Folds `op` if its OpDef allows: returns the replacement values (constants materialized before
 * `op` through `b`, so a listener on `b` sees them), or undefined when nothing folds. Does not
 * replace or erase `op`. ConstantLike ops and folds returning the op's own results are not folds.
 */
export function foldOp(op: Operation, b: Builder): Value[] | undefined {
  const def = getOpDef(op.name);
  if (!def?.fold || def.traits.includes('ConstantLike') || op.results.length === 0) return undefined;
  const constants = op.operands.map((o) => constantValueOf(o.value));
  const folded = def.fold(op, constants);
  if (!folded || folded.length !== op.results.length) return undefined;
  if (folded.some((f, i) => f === op.results[i])) return undefined;
  const out: Value[] = [];
  const created: Operation[] = [];
  const saved = b.insertionPoint;
  b.setInsertionPointBefore(op);
  try {
    for (let i = 0; i < folded.length; i++) {
      const f = folded[i]!;
      if (f instanceof Value) {
        out.push(f);
        continue;
      }
      const c = materialize(op, f as Attribute, i, b);
      if (!c) {
        for (const m of created.reverse()) if (m.isUseEmpty) b.eraseOp(m);
        return undefined;
      }
      created.push(c);
      out.push(c.result(0));
    }
  } finally {
    b.restoreInsertionPoint(saved);
  }
  return out;
}

function materialize(op: Operation, value: Attribute, index: number, b: Builder): Operation | undefined {
  const result = op.results[index]!;
  const c = getDialect(op.dialect)?.materializeConstant?.(b, value, result.type, op.loc);
  if (!c || c.results.length !== 1) {
    if (c?.parent) b.eraseOp(c);
    return undefined;
  }
  if (!c.parent) b.insert(c);
  return c;
}
