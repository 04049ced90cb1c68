/**
 * Where calibration needs a range point (`quantfork.stats`). The rules (`quant-insert-calibration`):
 *
 * A float (f32) tensor value gets a stats op when its range must be measured:
 * - every function argument;
 * - every f32 result of an op that has a quant spec (OpDef.quant), except:
 *   - results of ops whose output range is fixed (`fixedOutput`: logistic, tanh, softmax, ...);
 *   - results of ops that are never quantized or give integers (no quant spec, INTEGER_RESULT_OPS),
 *     constants (weights get their range from their data) and `tfl.dequantize` / `quant.dcast`
 *     (their range comes from the quantized operand);
 *   - results of **same-scale** ops (OpDef.quant.sameScale) with a single non-constant source: the
 *     group shares one scale, and its one stats point is the one of the group's producer (the source,
 *     followed back through chains of such ops). Reshape, pooling, transpose, pad, slice, gather,
 *     squeeze, split/unpack of one tensor are of this kind. Constants in a group (a padv2 pad value)
 *     are not sources: the quantizer folds their data into the group's range. When the source has no
 *     range of its own (it comes from an op that is never quantized), the point goes on the same-scale
 *     op's result instead;
 *   - a same-scale group whose sources are all constants gets no point (its range is the data's);
 * - a same-scale op with two or more distinct non-constant sources (concatenation, pack, maximum,
 *   minimum, select, add_n-like groups) gets a point on its result: the result's range is the union
 *   the quantizer requantizes the inputs into, and the inputs keep their own points.
 * Values that already have a range (a `!quant.calibrated` element type, a stats op defining them or
 * using them) and values feeding a stateful operand (variables) are left alone. A resource variable
 * read (`tfl.read_variable`) gets no point either: it holds the variable's value, whose range
 * quant-calibrate records on the variable's handles (variables.ts).
 */
import { INTEGER_RESULT_OPS } from '../../../dialects/tfl/quant-spec.js';
import type { QuantSpec } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import { elementType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { isStatsOp, statsOpOf } from './contract.js';

/** Ops whose float results take their range from a quantized operand. */
const DEQUANTIZE_OPS: ReadonlySet<string> = new Set(['tfl.dequantize', 'quant.dcast']);

/** Whether `v` is an f32 tensor (without a calibrated range). */
export function isF32Tensor(v: Value): boolean {
  if (v.type.kind !== 'tensor' && v.type.kind !== 'unranked_tensor') return false;
  const el = v.type.element;
  return el.kind === 'float' && el.name === 'f32';
}

/** Whether `v` is a float tensor, plain or with a calibrated range. */
function isFloatLike(v: Value): boolean {
  if (v.type.kind !== 'tensor' && v.type.kind !== 'unranked_tensor') return false;
  const el = v.type.element;
  return el.kind === 'float' || el.kind === 'quant.calibrated';
}

/** Whether `v` is produced by a constant op. */
export function isConstantValue(v: Value): boolean {
  const def = v.definingOp;
  return def !== undefined && (getOpDef(def.name)?.traits.includes('ConstantLike') ?? false);
}

/** The quant spec of an op, if it has one. */
export function quantSpecOf(op: Operation): QuantSpec | undefined {
  return getOpDef(op.name)?.quant;
}

/** The same-scale operand and result positions of an op (resolving 'all'). */
export function sameScalePositions(op: Operation, spec: QuantSpec): { operands: number[]; results: number[] } | undefined {
  const ss = spec.sameScale;
  if (!ss) return undefined;
  if (ss === 'all') {
    const non = new Set(spec.nonQuantOperands ?? []);
    return {
      operands: op.operands.map((_, i) => i).filter((i) => !non.has(i)),
      results: op.results.map((_, i) => i),
    };
  }
  return { operands: [...ss.operands], results: [...ss.results] };
}

/**
 * For a result of a same-scale op: its group's distinct non-constant float sources and its constant
 * members. Undefined when `v` is not in a same-scale group.
 */
export function sameScaleSources(v: Value): { sources: Value[]; constants: Value[] } | undefined {
  const op = v.definingOp;
  if (!op || v.kind !== 'result') return undefined;
  const spec = quantSpecOf(op);
  const pos = spec && sameScalePositions(op, spec);
  if (!pos) return undefined;
  const index = op.results.indexOf(v as (typeof op.results)[number]);
  if (!pos.results.includes(index)) return undefined;
  const sources: Value[] = [];
  const constants: Value[] = [];
  for (const i of pos.operands) {
    if (i >= op.operands.length) continue;
    const s = op.operand(i);
    if (!isFloatLike(s)) continue;
    const list = isConstantValue(s) ? constants : sources;
    if (!list.includes(s)) list.push(s);
  }
  return { sources, constants };
}

/** Whether a value will have a range without a point of its own (see the module comment). */
export function hasRangeSource(v: Value): boolean {
  const def = v.definingOp;
  if (!def) return true; // a function argument has its own point
  if (elementType(v.type).kind === 'quant.calibrated') return true;
  if (isStatsOp(def) || statsOpOf(v)) return true;
  if (isConstantValue(v) || DEQUANTIZE_OPS.has(def.name)) return true;
  return quantSpecOf(def) !== undefined;
}

/**
 * The single non-constant source whose range a same-scale result shares (its stats point), or
 * undefined when `v` is not such a pass-through result.
 */
export function passThroughSource(v: Value): Value | undefined {
  const ss = sameScaleSources(v);
  return ss && ss.sources.length === 1 ? ss.sources[0] : undefined;
}

/** Whether `v` feeds a stateful operand (an LSTM/SVDF state). */
function feedsState(v: Value): boolean {
  for (const u of v.uses) if (getOpDef(u.owner.name)?.statefulOperands?.includes(u.index)) return true;
  return false;
}

/** Why a value gets no point, or undefined when it needs one (for tests and debugging). */
export function rangePointSkipReason(v: Value): string | undefined {
  if (!isF32Tensor(v)) return 'not an f32 tensor';
  if (statsOpOf(v)) return 'already has a stats op';
  if (feedsState(v)) return 'feeds a stateful operand';
  const op = v.definingOp;
  if (!op) return undefined;
  if (isConstantValue(v)) return 'constant';
  if (DEQUANTIZE_OPS.has(op.name)) return 'dequantized';
  if (op.name === 'tfl.read_variable') return "a resource variable's value (its range goes on the variable's handles)";
  const spec = quantSpecOf(op);
  if (!spec) return 'op is never quantized';
  if (INTEGER_RESULT_OPS.has(op.name)) return 'op gives integers';
  if (spec.fixedOutput) return 'fixed output range';
  const ss = sameScaleSources(v);
  if (ss) {
    if (ss.sources.length === 0) return 'same-scale group of constants';
    if (ss.sources.length === 1 && hasRangeSource(ss.sources[0]!)) return 'shares its same-scale source\'s point';
  }
  return undefined;
}

/** Whether `v` needs a stats op. */
export function needsRangePoint(v: Value): boolean {
  return rangePointSkipReason(v) === undefined;
}

/** The values of a function body that need a stats op, in program order (arguments first). */
export function rangePoints(func: Operation): Value[] {
  const body = func.regions[0]?.blocks[0];
  if (!body) return [];
  const out: Value[] = body.args.filter(needsRangePoint);
  for (const op of body.ops()) {
    if (isStatsOp(op)) continue;
    for (const r of op.results) if (needsRangePoint(r)) out.push(r);
  }
  return out;
}
