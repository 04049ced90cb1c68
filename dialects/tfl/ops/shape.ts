/**
 * Data-movement tfl ops: reshape, squeeze, expand_dims, transpose, concatenation, split(_v),
 * (strided_)slice, pack/unpack, the pads, gathers, shape, tile, broadcast_to, fill, reverse_v2,
 * resizes and the space/depth/batch rearrangements. Quantized, they keep one scale end to end.
 */
import { type Attribute, arrayAttr, stringAttr } from '../../../src/ir/attribute.js';
import { type FoldResult, type OpDef, defineOp } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { patternsFor } from '../canonicalize.js';
import { retypeDense, shapeConstant } from '../fold-helpers.js';
import { INT8_INT16, sameScaleAllSpec, sameScaleSpec } from '../quant-spec.js';
import {
  constantInts,
  dimOf,
  dimsConflict,
  expectRank,
  expectRankIn,
  firstError,
  fusedActivation,
  intArrayAttr,
  intAttr,
  isPermutation,
  isStaticDim,
  normalizeAxis,
  rankOf,
  rankText,
  shapeOf,
  staticNumElements,
  verifySameElementKind,
} from '../verify-helpers.js';
import { FUSED_ACTIVATION, MIRROR_PAD_VALUES, boolAttrSpec, i32Attr, optBoolAttr, optI32Attr } from './common.js';
import {
  inferConcatenation,
  inferExpandDims,
  inferFromShapeOperand,
  inferGather,
  inferPack,
  inferPad,
  inferReshape,
  inferResize,
  inferShapeOp,
  inferSlice,
  inferSplit,
  inferSqueeze,
  inferTile,
  inferTranspose,
  inferUnpack,
} from '../shape-inference.js';

/** Folds an op to its first operand when it already has the result type. */
function foldIdentityType(op: Operation): FoldResult | undefined {
  const x = op.operand(0);
  return x.type === op.result(0).type ? [x] : undefined;
}

/** Folds to the first operand when it has the result type and that type is fully static. */
function foldIdentityStaticType(op: Operation): FoldResult | undefined {
  const t = op.result(0).type;
  return t.kind === 'tensor' && t.shape.every(isStaticDim) ? foldIdentityType(op) : undefined;
}

/** Folds a shape-only op of a constant into the constant re-typed to the result type. */
function foldRetypeConstant(op: Operation, c: readonly (Attribute | undefined)[]): FoldResult | undefined {
  const a = c[0];
  if (a?.kind !== 'dense') return undefined;
  const out = retypeDense(a, op.result(0).type);
  return out ? [out] : undefined;
}

function foldReshapeLike(op: Operation, c: readonly (Attribute | undefined)[]): FoldResult | undefined {
  return foldIdentityType(op) ?? foldRetypeConstant(op, c);
}

function verifyElementCount(op: Operation): string | undefined {
  const a = staticNumElements(shapeOf(op.operand(0)));
  const b = staticNumElements(shapeOf(op.result(0)));
  return a !== undefined && b !== undefined && a !== b
    ? `input element count (${a}) does not match result element count (${b})`
    : undefined;
}

function verifyReshape(op: Operation): string | undefined {
  return firstError(
    () => expectRankIn(op, 1, 0, 1, 'shape operand'),
    () => verifySameElementKind(op),
    () => verifyElementCount(op),
    () => {
      const want = constantInts(op.operand(1));
      const got = shapeOf(op.result(0));
      if (!want || !got) return undefined;
      if (want.filter((d) => d === -1).length > 1) return 'shape operand has more than one -1';
      if (want.length !== got.length) return `result rank (${got.length}) does not match the shape operand size (${want.length})`;
      for (let i = 0; i < got.length; i++)
        if (want[i] !== -1 && dimsConflict(got[i], want[i]))
          return `result shape does not match the shape operand [${want.join(', ')}]`;
      return undefined;
    },
  );
}

/** `tfl.reshape`: same elements, new shape (given by the shape operand and the result type). */
export const ReshapeOp = defineOp({
  name: 'tfl.reshape',
  summary: 'Reshape',
  description: 'Reinterprets the input elements (row-major) with a new shape; at most one -1 in the shape operand is inferred.',
  operands: [{ name: 'input' }, { name: 'shape' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferReshape,
  verify: verifyReshape,
  fold: foldReshapeLike,
  canonicalize: patternsFor('tfl.reshape'),
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

function verifySqueeze(op: Operation): string | undefined {
  const s = shapeOf(op.operand(0));
  const dims = intArrayAttr(op, 'squeeze_dims') ?? [];
  if (dims.length > 8) return `squeeze_dims has ${dims.length} entries, at most 8 are allowed`;
  if (!s) return verifySameElementKind(op);
  const removed = new Set<number>();
  for (const d of dims) {
    const a = normalizeAxis(d, s.length);
    if (a === undefined) return `squeeze dimension ${d} is out of range for a ${rankText(s.length)} input`;
    if (isStaticDim(s[a]) && s[a] !== 1) return `cannot squeeze dimension ${d} of size ${s[a]}`;
    removed.add(a);
  }
  const r = rankOf(op.result(0));
  if (r !== undefined) {
    const expected = dims.length ? s.length - removed.size : s.every(isStaticDim) ? s.filter((d) => d !== 1).length : undefined;
    if (expected !== undefined && r !== expected) return `expect ${rankText(expected)} result, got ${rankText(r)}`;
  }
  return firstError(() => verifySameElementKind(op), () => verifyElementCount(op));
}

/** `tfl.squeeze`: drops size-1 dimensions (all of them, or those in squeeze_dims). */
export const SqueezeOp = defineOp({
  name: 'tfl.squeeze',
  summary: 'Remove size-1 dimensions',
  description: 'Removes the listed size-1 dimensions, or every size-1 dimension when squeeze_dims is empty.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: { squeeze_dims: { kind: 'int_array', optional: true, default: arrayAttr([]), description: 'dims to remove (at most 8)' } },
  traits: ['Pure'],
  inferResultShapes: inferSqueeze,
  verify: verifySqueeze,
  fold: foldReshapeLike,
  canonicalize: patternsFor('tfl.squeeze'),
  quant: sameScaleSpec(INT8_INT16, [0]),
});

/** `tfl.expand_dims`: inserts a size-1 dimension at `dim`. */
export const ExpandDimsOp = defineOp({
  name: 'tfl.expand_dims',
  summary: 'Insert a size-1 dimension',
  description: 'Inserts a dimension of size 1 at index dim (negative counts from the end, -1 appends).',
  operands: [{ name: 'input' }, { name: 'dim' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferExpandDims,
  verify: (op) =>
    firstError(
      () => verifySameElementKind(op),
      () => {
        const r = rankOf(op.operand(0));
        const out = rankOf(op.result(0));
        if (r !== undefined && out !== undefined && out !== r + 1) return `expect ${rankText(r + 1)} result, got ${rankText(out)}`;
        const d = constantInts(op.operand(1));
        if (r !== undefined && d && d.length === 1 && normalizeAxis(d[0]!, r + 1) === undefined)
          return `dim ${d[0]} is out of range for a ${rankText(r)} input`;
        return undefined;
      },
      () => verifyElementCount(op),
    ),
  fold: foldReshapeLike,
  canonicalize: patternsFor('tfl.expand_dims'),
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

function verifyTranspose(op: Operation): string | undefined {
  return firstError(
    () => expectRank(op, 1, 1, 'perm'),
    () => expectRankIn(op, 0, 0, 6, 'input'),
    () => verifySameElementKind(op),
    () => {
      const r = rankOf(op.operand(0));
      const n = dimOf(op.operand(1), 0);
      if (r !== undefined && n !== undefined && n !== r) return `perm has ${n} elements, expected ${r} (the input rank)`;
      const perm = constantInts(op.operand(1));
      if (!perm) return undefined;
      if (!isPermutation(perm)) return `perm [${perm.join(', ')}] is not a permutation`;
      const s = shapeOf(op.operand(0));
      const out = shapeOf(op.result(0));
      if (s && out && out.length === perm.length)
        for (let i = 0; i < perm.length; i++)
          if (dimsConflict(out[i], s[perm[i]!])) return `result dimension ${i} (${out[i]}) does not match input dimension ${perm[i]} (${s[perm[i]!]})`;
      return undefined;
    },
  );
}

/** `tfl.transpose`: permutes dimensions; result dim i is input dim perm[i]. */
export const TransposeOp = defineOp({
  name: 'tfl.transpose',
  summary: 'Permute dimensions',
  description: 'Permutes the input dimensions: result dimension i is input dimension perm[i].',
  operands: [{ name: 'input' }, { name: 'perm' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferTranspose,
  verify: verifyTranspose,
  fold: (op) => {
    const perm = constantInts(op.operand(1));
    if (!perm || !perm.every((p, i) => p === i)) return undefined;
    return foldIdentityType(op);
  },
  canonicalize: patternsFor('tfl.transpose'),
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

function verifyConcatenation(op: Operation): string | undefined {
  if (op.operands.length === 0) return 'expects at least one operand';
  const axis = intAttr(op, 'axis');
  const out = shapeOf(op.result(0));
  const shapes = op.operands.map((o) => shapeOf(o.value));
  const rank = out?.length ?? shapes.find((s) => s)?.length;
  if (rank === undefined || axis === undefined) return undefined;
  const a = normalizeAxis(axis, rank);
  if (a === undefined) return `axis ${axis} is out of range for rank ${rank}`;
  let sum: number | undefined = 0;
  for (let i = 0; i < shapes.length; i++) {
    const s = shapes[i];
    if (!s) {
      sum = undefined;
      continue;
    }
    if (s.length !== rank) return `operand #${i} has rank ${s.length}, expected ${rank}`;
    for (let d = 0; d < rank; d++)
      if (d !== a && out && dimsConflict(s[d], out[d])) return `operand #${i} dimension ${d} (${s[d]}) does not match the result (${out[d]})`;
    sum = sum !== undefined && isStaticDim(s[a]) ? sum + s[a] : undefined;
  }
  if (out && sum !== undefined && dimsConflict(out[a], sum)) return `result dimension ${a} (${out[a]}) is not the sum of the operand dimensions (${sum})`;
  return undefined;
}

/** `tfl.concatenation`: joins tensors along `axis`. */
export const ConcatenationOp = defineOp({
  name: 'tfl.concatenation',
  summary: 'Concatenate along an axis',
  description: 'Joins its operands along axis; every other dimension must agree. Quantized operands and result share one scale.',
  operands: [{ name: 'values', variadic: true }],
  results: [{ name: 'output' }],
  attrs: { axis: i32Attr('concatenation axis (negative counts from the end)'), fused_activation_function: FUSED_ACTIVATION },
  traits: ['Pure'],
  inferResultShapes: inferConcatenation,
  verify: verifyConcatenation,
  fold: (op) => (op.operands.length === 1 && fusedActivation(op) === 'NONE' ? foldIdentityType(op) : undefined),
  quant: sameScaleAllSpec(INT8_INT16),
});

function verifySplitCount(op: Operation): string | undefined {
  const n = intAttr(op, 'num_splits');
  if (n !== undefined && n < 1) return `num_splits must be positive, got ${n}`;
  if (n !== undefined && n !== op.results.length) return `num_splits (${n}) does not match the number of results (${op.results.length})`;
  return undefined;
}

/** `tfl.split`: splits `value` into num_splits equal parts along split_dim. */
export const SplitOp = defineOp({
  name: 'tfl.split',
  summary: 'Split into equal parts',
  description: 'Splits value along the (scalar) split_dim into num_splits equal slices.',
  operands: [{ name: 'split_dim' }, { name: 'value' }],
  results: [{ name: 'outputs', variadic: true }],
  attrs: { num_splits: i32Attr('number of slices') },
  traits: ['Pure'],
  inferResultShapes: inferSplit,
  verify: (op) =>
    firstError(
      () => verifySplitCount(op),
      () => {
        const r = rankOf(op.operand(0));
        const n = staticNumElements(shapeOf(op.operand(0)));
        if (r !== undefined && (r > 1 || (n !== undefined && n !== 1))) return 'split_dim must be a scalar or a 1-element tensor';
        const d = constantInts(op.operand(0));
        const vr = rankOf(op.operand(1));
        if (!d || vr === undefined) return undefined;
        const a = normalizeAxis(d[0]!, vr);
        if (a === undefined) return `split_dim ${d[0]} is out of range for a ${rankText(vr)} value`;
        const size = dimOf(op.operand(1), a);
        const k = intAttr(op, 'num_splits');
        if (size !== undefined && k !== undefined && k > 0 && size % k !== 0) return `dimension ${a} (${size}) is not divisible by num_splits (${k})`;
        return undefined;
      },
    ),
  quant: sameScaleAllSpec(INT8_INT16, [0]),
});

/** `tfl.split_v`: splits `value` along split_dim into parts of the given sizes. */
export const SplitVOp = defineOp({
  name: 'tfl.split_v',
  summary: 'Split into sized parts',
  description: 'Splits value along split_dim into slices of size_splits sizes (one -1 takes the rest).',
  operands: [{ name: 'value' }, { name: 'size_splits' }, { name: 'split_dim' }],
  results: [{ name: 'outputs', variadic: true }],
  attrs: { num_splits: i32Attr('number of slices') },
  traits: ['Pure'],
  verify: (op) =>
    firstError(
      () => verifySplitCount(op),
      () => expectRank(op, 1, 1, 'size_splits'),
      () => expectRank(op, 2, 0, 'split_dim'),
      () => {
        const n = dimOf(op.operand(1), 0);
        const k = intAttr(op, 'num_splits');
        return n !== undefined && k !== undefined && n !== k ? `size_splits has ${n} elements, expected num_splits (${k})` : undefined;
      },
    ),
  quant: sameScaleAllSpec(INT8_INT16, [1, 2]),
});

/** `tfl.slice`: a contiguous block starting at `begin` with extent `size` (-1 = to the end). */
export const SliceOp = defineOp({
  name: 'tfl.slice',
  summary: 'Contiguous slice',
  description: 'Extracts the block that starts at begin and has extent size in each dimension (-1 means the rest).',
  operands: [{ name: 'input' }, { name: 'begin' }, { name: 'size' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferSlice,
  verify: (op) =>
    firstError(
      () => expectRankIn(op, 0, 0, 5, 'input'),
      () => expectRank(op, 1, 1, 'begin'),
      () => expectRank(op, 2, 1, 'size'),
      () => verifySameElementKind(op),
      () => {
        const r = rankOf(op.operand(0));
        for (const [i, what] of [[1, 'begin'], [2, 'size']] as const) {
          const n = dimOf(op.operand(i), 0);
          if (r !== undefined && n !== undefined && n !== r) return `${what} has ${n} elements, expected ${r} (the input rank)`;
        }
        return undefined;
      },
    ),
  fold: foldIdentityStaticType,
  quant: sameScaleSpec(INT8_INT16, [0], [1, 2]),
});

/** `tfl.strided_slice`: TF's strided slice with begin/end/ellipsis/new-axis/shrink masks. */
export const StridedSliceOp = defineOp({
  name: 'tfl.strided_slice',
  summary: 'Strided slice',
  description: 'Extracts input[begin:end:strides] per dimension, with TF mask semantics for begin, end, ellipsis, new axes and shrinking.',
  operands: [{ name: 'input' }, { name: 'begin' }, { name: 'end' }, { name: 'strides' }],
  results: [{ name: 'output' }],
  attrs: {
    begin_mask: i32Attr('bit i: ignore begin[i]', 0),
    end_mask: i32Attr('bit i: ignore end[i]', 0),
    ellipsis_mask: i32Attr('bit i: dimension i is an ellipsis', 0),
    new_axis_mask: i32Attr('bit i: insert a size-1 dimension', 0),
    shrink_axis_mask: i32Attr('bit i: drop dimension i', 0),
    offset: optBoolAttr(false, 'end is relative to begin'),
  },
  traits: ['Pure'],
  verify: (op) =>
    firstError(
      () => expectRankIn(op, 0, 0, 5, 'input'),
      () => expectRank(op, 1, 1, 'begin'),
      () => expectRank(op, 2, 1, 'end'),
      () => expectRank(op, 3, 1, 'strides'),
      () => verifySameElementKind(op),
      () => {
        const b = dimOf(op.operand(1), 0);
        const e = dimOf(op.operand(2), 0);
        const s = dimOf(op.operand(3), 0);
        return dimsConflict(b, e) || dimsConflict(b, s) || dimsConflict(e, s) ? 'begin, end and strides must have the same length' : undefined;
      },
      () => {
        const strides = constantInts(op.operand(3));
        return strides?.includes(0) ? 'strides must be non-zero' : undefined;
      },
    ),
  quant: sameScaleSpec(INT8_INT16, [0], [1, 2, 3]),
});

/** `tfl.pack`: stacks N same-shaped tensors along a new axis. */
export const PackOp = defineOp({
  name: 'tfl.pack',
  summary: 'Stack along a new axis',
  description: 'Stacks values_count tensors of one shape into a tensor of rank + 1 along axis.',
  operands: [{ name: 'values', variadic: true }],
  results: [{ name: 'output' }],
  attrs: { values_count: i32Attr('number of operands'), axis: i32Attr('new axis position', 0) },
  traits: ['Pure'],
  inferResultShapes: inferPack,
  verify: (op) => {
    const n = intAttr(op, 'values_count');
    if (n !== undefined && n < 1) return `values_count must be positive, got ${n}`;
    if (n !== undefined && n !== op.operands.length) return `values_count (${n}) does not match the number of operands (${op.operands.length})`;
    const first = shapeOf(op.operand(0));
    for (let i = 1; i < op.operands.length; i++) {
      const s = shapeOf(op.operand(i));
      if (!first || !s) continue;
      if (s.length !== first.length || s.some((d, j) => dimsConflict(d, first[j]))) return `operand #${i} has a different shape from operand #0`;
    }
    const axis = intAttr(op, 'axis');
    if (first && axis !== undefined && normalizeAxis(axis, first.length + 1) === undefined)
      return `axis ${axis} is out of range for rank ${first.length + 1}`;
    const r = rankOf(op.result(0));
    if (first && r !== undefined && r !== first.length + 1) return `expect ${rankText(first.length + 1)} result, got ${rankText(r)}`;
    return undefined;
  },
  quant: sameScaleAllSpec(INT8_INT16),
});

/** `tfl.unpack`: splits a tensor into `num` tensors along `axis`, dropping that axis. */
export const UnpackOp = defineOp({
  name: 'tfl.unpack',
  summary: 'Unstack along an axis',
  description: 'Splits the input along axis into num tensors of rank - 1 (the axis is removed).',
  operands: [{ name: 'input' }],
  results: [{ name: 'outputs', variadic: true }],
  attrs: { num: i32Attr('number of results'), axis: i32Attr('axis to unstack', 0) },
  traits: ['Pure'],
  inferResultShapes: inferUnpack,
  verify: (op) => {
    const n = intAttr(op, 'num');
    if (n !== undefined && n !== op.results.length) return `num (${n}) does not match the number of results (${op.results.length})`;
    const r = rankOf(op.operand(0));
    const axis = intAttr(op, 'axis');
    if (r === undefined || axis === undefined) return undefined;
    const a = normalizeAxis(axis, r);
    if (a === undefined) return `axis ${axis} is out of range for a ${rankText(r)} input`;
    const d = dimOf(op.operand(0), a);
    if (d !== undefined && n !== undefined && d !== n) return `dimension ${a} (${d}) does not match num (${n})`;
    return undefined;
  },
  quant: sameScaleAllSpec(INT8_INT16),
});

function verifyPadding(op: Operation, what = 'padding'): string | undefined {
  return firstError(
    () => expectRank(op, 1, 2, what),
    () => expectRankIn(op, 0, 0, 5, 'input'),
    () => verifySameElementKind(op),
    () => {
      const r = rankOf(op.operand(0));
      const d0 = dimOf(op.operand(1), 0);
      const d1 = dimOf(op.operand(1), 1);
      if (r !== undefined && d0 !== undefined && d0 !== r) return `${what} has ${d0} rows, expected ${r} (the input rank)`;
      if (d1 !== undefined && d1 !== 2) return `${what} must have 2 columns, got ${d1}`;
      return undefined;
    },
  );
}

function foldZeroPadding(op: Operation): FoldResult | undefined {
  const p = constantInts(op.operand(1));
  return p && p.every((v) => v === 0) ? foldIdentityType(op) : undefined;
}

/** `tfl.pad`: pads with zeros (the zero point when quantized). */
export const PadOp = defineOp({
  name: 'tfl.pad',
  summary: 'Zero padding',
  description: 'Pads each dimension d with padding[d][0] elements before and padding[d][1] after; the pad value is 0.',
  operands: [{ name: 'input' }, { name: 'padding' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferPad,
  verify: (op) => verifyPadding(op),
  fold: foldZeroPadding,
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

/** `tfl.padv2`: pads with a given scalar value. */
export const PadV2Op = defineOp({
  name: 'tfl.padv2',
  summary: 'Constant-value padding',
  description: 'Like tfl.pad, with the pad value taken from the one-element constant_values operand.',
  operands: [{ name: 'input' }, { name: 'padding' }, { name: 'constant_values' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferPad,
  verify: (op) =>
    firstError(
      () => verifyPadding(op),
      () => {
        const n = staticNumElements(shapeOf(op.operand(2)));
        return n !== undefined && n !== 1 ? `constant_values must have one element, got ${n}` : undefined;
      },
    ),
  fold: foldZeroPadding,
  quant: sameScaleSpec(INT8_INT16, [0, 2], [1]),
});

/** `tfl.mirror_pad`: pads by reflecting the input. */
export const MirrorPadOp = defineOp({
  name: 'tfl.mirror_pad',
  summary: 'Mirror padding',
  description: 'Pads by mirroring the input at its borders, excluding (REFLECT) or including (SYMMETRIC) the border element.',
  operands: [{ name: 'input' }, { name: 'pad' }],
  results: [{ name: 'output' }],
  attrs: { mode: { kind: 'enum', values: MIRROR_PAD_VALUES, default: stringAttr('REFLECT') } },
  traits: ['Pure'],
  inferResultShapes: inferPad,
  verify: (op) => verifyPadding(op, 'pad'),
  quant: sameScaleSpec(['int8'], [0], [1]),
});

/** `tfl.gather`: picks slices of `params` along `axis` by `indices`. */
export const GatherOp = defineOp({
  name: 'tfl.gather',
  summary: 'Gather slices by index',
  description: 'Selects the slices of params along axis named by indices (with batch_dims leading batch dimensions).',
  operands: [{ name: 'params' }, { name: 'indices' }],
  results: [{ name: 'output' }],
  attrs: { axis: i32Attr('gather axis', 0), batch_dims: optI32Attr(0, 'number of leading batch dimensions') },
  traits: ['Pure'],
  inferResultShapes: inferGather,
  verify: (op) => {
    const r = rankOf(op.operand(0));
    if (r !== undefined && r < 1) return `expect params of rank >= 1, got ${rankText(r)}`;
    const axis = intAttr(op, 'axis');
    if (r !== undefined && axis !== undefined && normalizeAxis(axis, r) === undefined) return `axis ${axis} is out of range for ${rankText(r)} params`;
    const ir = rankOf(op.operand(1));
    const bd = intAttr(op, 'batch_dims') ?? 0;
    const out = rankOf(op.result(0));
    if (r !== undefined && ir !== undefined && out !== undefined) {
      const bdn = bd < 0 ? bd + ir : bd;
      if (out !== r - 1 + ir - bdn) return `expect ${rankText(r - 1 + ir - bdn)} result, got ${rankText(out)}`;
    }
    return verifySameElementKind(op);
  },
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

/** `tfl.gather_nd`: gathers slices addressed by index tuples. */
export const GatherNdOp = defineOp({
  name: 'tfl.gather_nd',
  summary: 'Gather by index tuples',
  description: 'Each innermost vector of indices addresses a slice (or element) of params.',
  operands: [{ name: 'params' }, { name: 'indices' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  verify: verifySameElementKind,
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

/** `tfl.shape`: the input's shape as a 1-D int32/int64 tensor. */
export const ShapeOp = defineOp({
  name: 'tfl.shape',
  summary: 'Shape of a tensor',
  description: 'Returns the dimensions of its operand as a 1-D int32 or int64 tensor.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferShapeOp,
  verify: (op) => {
    const out = op.result(0).type;
    if (out.kind === 'tensor') {
      if (out.shape.length !== 1) return `expect 1d result, got ${rankText(out.shape.length)}`;
      const e = out.element;
      if (!(e.kind === 'integer' && (e.width === 32 || e.width === 64))) return 'result must have i32 or i64 elements';
      const r = rankOf(op.operand(0));
      if (r !== undefined && dimsConflict(out.shape[0], r)) return `result has ${out.shape[0]} elements, expected ${r} (the input rank)`;
    }
    return undefined;
  },
  fold: (op) => {
    const s = shapeOf(op.operand(0));
    if (!s || !s.every(isStaticDim)) return undefined;
    const c = shapeConstant(s, op.result(0).type);
    return c ? [c] : undefined;
  },
  quant: { supports: INT8_INT16 },
});

/** `tfl.tile`: repeats the input `multiples[i]` times along each dimension. */
export const TileOp = defineOp({
  name: 'tfl.tile',
  summary: 'Tile',
  description: 'Repeats the input multiples[i] times along dimension i.',
  operands: [{ name: 'input' }, { name: 'multiples' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferTile,
  verify: (op) => firstError(() => expectRank(op, 1, 1, 'multiples'), () => verifySameElementKind(op)),
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

/** `tfl.broadcast_to`: broadcasts the input to `shape`. */
export const BroadcastToOp = defineOp({
  name: 'tfl.broadcast_to',
  summary: 'Broadcast to a shape',
  description: 'Broadcasts the input (numpy rules) to the shape given by the shape operand.',
  operands: [{ name: 'input' }, { name: 'shape' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferFromShapeOperand(1),
  verify: (op) => firstError(() => expectRank(op, 1, 1, 'shape'), () => expectRankIn(op, 0, 0, 8, 'input'), () => verifySameElementKind(op)),
  fold: foldIdentityStaticType,
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

/** `tfl.fill`: a tensor of shape `dims` filled with the scalar `input`. */
export const FillOp = defineOp({
  name: 'tfl.fill',
  summary: 'Fill with a scalar',
  description: 'Creates a tensor of shape dims whose every element is the scalar input.',
  operands: [{ name: 'dims' }, { name: 'input' }],
  results: [{ name: 'result' }],
  attrs: {},
  traits: ['Pure'],
  inferResultShapes: inferFromShapeOperand(0),
  verify: (op) => firstError(() => expectRank(op, 0, 1, 'dims'), () => expectRank(op, 1, 0, 'value')),
  quant: sameScaleSpec(INT8_INT16, [1], [0]),
});

/** `tfl.reverse_v2`: reverses the input along the given axes. */
export const ReverseV2Op = defineOp({
  name: 'tfl.reverse_v2',
  summary: 'Reverse along axes',
  description: 'Reverses the order of elements along each dimension listed in axis.',
  operands: [{ name: 'input' }, { name: 'axis' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  verify: (op) => firstError(() => expectRank(op, 1, 1, 'axis'), () => verifySameElementKind(op)),
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

function verifyResize(op: Operation): string | undefined {
  return firstError(
    () => expectRank(op, 0, 4, 'input'),
    () => expectRank(op, 1, 1, 'size'),
    () => verifySameElementKind(op),
    () => {
      const n = dimOf(op.operand(1), 0);
      return n !== undefined && n !== 2 ? `size must have 2 elements (height, width), got ${n}` : undefined;
    },
    () => {
      const a = op.attr('align_corners');
      const h = op.attr('half_pixel_centers');
      return a?.kind === 'bool' && a.value && h?.kind === 'bool' && h.value
        ? 'align_corners and half_pixel_centers cannot both be true'
        : undefined;
    },
  );
}

const RESIZE_ATTRS = {
  align_corners: boolAttrSpec('align the corner pixels of input and output'),
  half_pixel_centers: optBoolAttr(false, 'sample at pixel centres'),
};

/** `tfl.resize_bilinear`. */
export const ResizeBilinearOp = defineOp({
  name: 'tfl.resize_bilinear',
  summary: 'Bilinear image resize',
  description: 'Resizes NHWC images to size = [height, width] by bilinear interpolation.',
  operands: [{ name: 'input' }, { name: 'size' }],
  results: [{ name: 'output' }],
  attrs: RESIZE_ATTRS,
  traits: ['Pure'],
  inferResultShapes: inferResize,
  verify: verifyResize,
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

/** `tfl.resize_nearest_neighbor`. */
export const ResizeNearestNeighborOp = defineOp({
  name: 'tfl.resize_nearest_neighbor',
  summary: 'Nearest-neighbour image resize',
  description: 'Resizes NHWC images to size = [height, width] by picking the nearest input pixel.',
  operands: [{ name: 'input' }, { name: 'size' }],
  results: [{ name: 'output' }],
  attrs: RESIZE_ATTRS,
  traits: ['Pure'],
  inferResultShapes: inferResize,
  verify: verifyResize,
  quant: sameScaleSpec(INT8_INT16, [0], [1]),
});

function blockOp(name: string, summary: string, description: string): OpDef {
  return defineOp({
    name,
    summary,
    description,
    operands: [{ name: 'input' }],
    results: [{ name: 'output' }],
    attrs: { block_size: i32Attr('spatial block size') },
    traits: ['Pure'],
    verify: (op) =>
      firstError(
        () => expectRank(op, 0, 4, 'input'),
        () => {
          const b = intAttr(op, 'block_size');
          return b !== undefined && b < 1 ? `block_size must be positive, got ${b}` : undefined;
        },
        () => verifySameElementKind(op),
      ),
    quant: sameScaleSpec(['int8'], [0]),
  });
}

/** `tfl.space_to_depth`. */
export const SpaceToDepthOp = blockOp('tfl.space_to_depth', 'Space to depth', 'Moves block_size x block_size spatial blocks of NHWC input into channels.');
/** `tfl.depth_to_space`. */
export const DepthToSpaceOp = blockOp('tfl.depth_to_space', 'Depth to space', 'Moves channels of NHWC input into block_size x block_size spatial blocks.');

/** `tfl.space_to_batch_nd`. */
export const SpaceToBatchNdOp = defineOp({
  name: 'tfl.space_to_batch_nd',
  summary: 'Space to batch',
  description: 'Pads the spatial dimensions and moves block_shape blocks of them into the batch dimension.',
  operands: [{ name: 'input' }, { name: 'block_shape' }, { name: 'paddings' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  verify: (op) => firstError(() => expectRankIn(op, 0, 3, 4, 'input'), () => verifySameElementKind(op)),
  quant: sameScaleSpec(['int8'], [0], [1, 2]),
});

/** `tfl.batch_to_space_nd`. */
export const BatchToSpaceNdOp = defineOp({
  name: 'tfl.batch_to_space_nd',
  summary: 'Batch to space',
  description: 'Moves blocks of the batch dimension back into the spatial dimensions and crops them.',
  operands: [{ name: 'input' }, { name: 'block_shape' }, { name: 'indices' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  verify: (op) =>
    firstError(
      () => expectRankIn(op, 0, 3, 4, 'input'),
      () => expectRank(op, 1, 1, 'block_shape'),
      () => expectRank(op, 2, 2, 'crops'),
      () => verifySameElementKind(op),
    ),
  quant: sameScaleSpec(['int8'], [0], [1, 2]),
});

/** The shape ops, in declaration order. */
export const SHAPE_OPS: readonly OpDef[] = [
  ReshapeOp,
  SqueezeOp,
  ExpandDimsOp,
  TransposeOp,
  ConcatenationOp,
  SplitOp,
  SplitVOp,
  SliceOp,
  StridedSliceOp,
  PackOp,
  UnpackOp,
  PadOp,
  PadV2Op,
  MirrorPadOp,
  GatherOp,
  GatherNdOp,
  ShapeOp,
  TileOp,
  BroadcastToOp,
  FillOp,
  ReverseV2Op,
  ResizeBilinearOp,
  ResizeNearestNeighborOp,
  SpaceToDepthOp,
  DepthToSpaceOp,
  SpaceToBatchNdOp,
  BatchToSpaceNdOp,
];
