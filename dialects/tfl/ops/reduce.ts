/**
 * Reduction tfl ops: mean, sum, reduce_max/min/prod/any/all over constant or runtime axes, arg_max,
 * arg_min, cumsum and topk_v2. The verifier checks the axis operand and, for constant axes, the
 * result rank implied by keep_dims.
 */
import { type OpDef, type QuantSpec, defineOp } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { INT8_INT16, INT8_ONLY, activationSpec, sameScaleSpec } from '../quant-spec.js';
import {
  boolAttrOf,
  constantInts,
  elemOf,
  expectRank,
  expectRankIn,
  firstError,
  normalizeAxis,
  rankOf,
  rankText,
  staticNumElements,
  shapeOf,
  verifySameElementKind,
} from '../verify-helpers.js';
import { boolAttrSpec, optBoolAttr } from './common.js';
import { inferArgReduce, inferReduction } from '../shape-inference.js';

function verifyReduction(op: Operation): string | undefined {
  return firstError(
    () => expectRankIn(op, 1, 0, 1, 'axis operand'),
    () => {
      const e = elemOf(op.operand(1));
      return e.kind === 'integer' && e.width === 32 ? undefined : 'axis operand must have i32 elements';
    },
    () => {
      const r = rankOf(op.operand(0));
      const axes = constantInts(op.operand(1));
      if (r === undefined || !axes) return undefined;
      const seen = new Set<number>();
      for (const a of axes) {
        const n = normalizeAxis(a, r);
        if (n === undefined) return `reduction axis ${a} is out of range for a ${rankText(r)} input`;
        seen.add(n);
      }
      const out = rankOf(op.result(0));
      const keep = boolAttrOf(op, 'keep_dims') ?? false;
      const expected = keep ? r : r - seen.size;
      return out !== undefined && out !== expected ? `expect ${rankText(expected)} result, got ${rankText(out)}` : undefined;
    },
  );
}

function reduction(
  name: string,
  axisName: string,
  summary: string,
  description: string,
  quant: QuantSpec | undefined,
  keepDimsOptional = false,
): OpDef {
  return defineOp({
    name: `tfl.${name}`,
    summary,
    description: `${description} Reduced dimensions are dropped unless keep_dims is set (then they have size 1).`,
    operands: [{ name: 'input' }, { name: axisName }],
    results: [{ name: 'output' }],
    attrs: {
      keep_dims: keepDimsOptional ? optBoolAttr(false, 'keep reduced dims with size 1') : boolAttrSpec('keep reduced dims with size 1'),
    },
    traits: ['Pure'],
    verify: (op) => firstError(() => verifyReduction(op), () => (quant ? verifySameElementKind(op) : undefined)),
    inferResultShapes: inferReduction,
    ...(quant ? { quant } : {}),
  });
}

/** `tfl.mean`. */
export const MeanOp = reduction('mean', 'axis', 'Mean over axes', 'Averages the input over the axes listed in axis.', activationSpec(INT8_INT16, [1]));
/** `tfl.sum`. */
export const SumOp = reduction('sum', 'axes', 'Sum over axes', 'Sums the input over the listed axes.', activationSpec(INT8_INT16, [1]));
/** `tfl.reduce_max`. */
export const ReduceMaxOp = reduction(
  'reduce_max',
  'axes',
  'Maximum over axes',
  'Takes the maximum over the listed axes; quantized input and output share one scale.',
  sameScaleSpec(INT8_INT16, [0], [1]),
);
/** `tfl.reduce_min`. */
export const ReduceMinOp = reduction(
  'reduce_min',
  'axes',
  'Minimum over axes',
  'Takes the minimum over the listed axes; quantized input and output share one scale.',
  sameScaleSpec(INT8_INT16, [0], [1]),
);
/** `tfl.reduce_prod`. */
export const ReduceProdOp = reduction('reduce_prod', 'axes', 'Product over axes', 'Multiplies the input over the listed axes.', activationSpec(INT8_INT16, [1]));
/** `tfl.reduce_any`. */
export const ReduceAnyOp = reduction('reduce_any', 'reduction_indices', 'Logical or over axes', 'Or-reduces an i1 input over the listed axes.', undefined, true);
/** `tfl.reduce_all`. */
export const ReduceAllOp = reduction('reduce_all', 'reduction_indices', 'Logical and over axes', 'And-reduces an i1 input over the listed axes.', undefined, true);

function verifyArgReduce(op: Operation): string | undefined {
  return firstError(
    () => {
      const n = staticNumElements(shapeOf(op.operand(1)));
      return n !== undefined && n !== 1 ? `dim must have one element, got ${n}` : undefined;
    },
    () => {
      const e = elemOf(op.result(0));
      return e.kind === 'integer' && (e.width === 32 || e.width === 64) ? undefined : 'result must have i32 or i64 elements';
    },
    () => {
      const r = rankOf(op.operand(0));
      const out = rankOf(op.result(0));
      if (r !== undefined && out !== undefined && out !== r - 1) return `expect ${rankText(r - 1)} result, got ${rankText(out)}`;
      const d = constantInts(op.operand(1));
      if (r !== undefined && d?.length === 1 && normalizeAxis(d[0]!, r) === undefined) return `dim ${d[0]} is out of range for a ${rankText(r)} input`;
      return undefined;
    },
  );
}

function argReduce(name: string, summary: string): OpDef {
  return defineOp({
    name: `tfl.${name}`,
    summary,
    description: `${summary} along the dimension given by the one-element dim operand; the result (i32 or i64) drops that dimension.`,
    operands: [{ name: 'input' }, { name: 'dim' }],
    results: [{ name: 'output' }],
    attrs: {},
    traits: ['Pure'],
    verify: verifyArgReduce,
    inferResultShapes: inferArgReduce,
    quant: activationSpec(INT8_ONLY, [1]),
  });
}

/** `tfl.arg_max`. */
export const ArgMaxOp = argReduce('arg_max', 'Index of the largest value');
/** `tfl.arg_min`. */
export const ArgMinOp = argReduce('arg_min', 'Index of the smallest value');

/** `tfl.cumsum`: cumulative sum along an axis. */
export const CumsumOp = defineOp({
  name: 'tfl.cumsum',
  summary: 'Cumulative sum',
  description: 'Running sum along the scalar axis, optionally exclusive and/or reversed.',
  operands: [{ name: 'input' }, { name: 'axis' }],
  results: [{ name: 'output' }],
  attrs: { exclusive: optBoolAttr(false, 'exclude the current element'), reverse: optBoolAttr(false, 'sum from the end') },
  traits: ['Pure'],
  verify: (op) => expectRank(op, 1, 0, 'axis'),
});

/** `tfl.topk_v2`: the k largest values along the last dimension and their indices. */
export const TopKV2Op = defineOp({
  name: 'tfl.topk_v2',
  summary: 'Top k values',
  description: 'Returns the k largest entries of each innermost vector, sorted descending, and their indices.',
  operands: [{ name: 'input' }, { name: 'k' }],
  results: [{ name: 'values' }, { name: 'indices' }],
  attrs: {},
  traits: ['Pure'],
  verify: (op) => firstError(() => expectRank(op, 1, 0, 'k'), () => verifySameElementKind(op)),
  quant: sameScaleSpec(INT8_ONLY, [0], [1], [0]),
});

/** The reduction ops, in declaration order. */
export const REDUCE_OPS: readonly OpDef[] = [
  MeanOp,
  SumOp,
  ReduceMaxOp,
  ReduceMinOp,
  ReduceProdOp,
  ReduceAnyOp,
  ReduceAllOp,
  ArgMaxOp,
  ArgMinOp,
  CumsumOp,
  TopKV2Op,
];
