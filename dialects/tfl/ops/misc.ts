/**
 * The remaining ops of TF's tfl dialect, declared so that any TFLite model using them imports and
 * verifies: lookups, sparse/segment ops, NMS, 3-D convolutions, complex and bitwise ops, random
 * ops, resource variables and hash tables. Attributes are optional here because the flatbuffer
 * importer writes only non-default options (and enum-typed options as strings).
 */
import { arrayAttr, integerAttr, stringAttr } from '../../../src/ir/attribute.js';
import { type AttrSpec, type OpDef, type OperandSpec, type Trait, defineOp } from '../../../src/ir/op-def.js';
import { i64 } from '../../../src/ir/type.js';
import { expectRank, firstError } from '../verify-helpers.js';
import { ACTIVATION_VALUES, PADDING_VALUES, optBoolAttr, optF32Attr, optI32Attr } from './common.js';
import { verifyPositiveAttrs } from './nn.js';

interface SimpleOp {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly operands: readonly (string | OperandSpec)[];
  readonly results: readonly string[];
  readonly attrs?: Readonly<Record<string, AttrSpec>>;
  readonly traits?: readonly Trait[];
  readonly verify?: OpDef['verify'];
  readonly quant?: OpDef['quant'];
}

function simple(o: SimpleOp): OpDef {
  return defineOp({
    name: `tfl.${o.name}`,
    summary: o.summary,
    description: o.description,
    operands: o.operands.map((x) => (typeof x === 'string' ? { name: x } : x)),
    results: o.results.map((name) => ({ name })),
    attrs: o.attrs ?? {},
    traits: o.traits ?? ['Pure'],
    ...(o.verify ? { verify: o.verify } : {}),
    ...(o.quant ? { quant: o.quant } : {}),
  });
}

const OPT_ACTIVATION: AttrSpec = { kind: 'enum', values: ACTIVATION_VALUES, optional: true, default: stringAttr('NONE') };
const OPT_PADDING: AttrSpec = { kind: 'enum', values: PADDING_VALUES, optional: true, default: stringAttr('SAME') };
const SEEDS = {
  seed: { kind: 'int', optional: true, default: integerAttr(0, i64()) } as AttrSpec,
  seed2: { kind: 'int', optional: true, default: integerAttr(0, i64()) } as AttrSpec,
};
const CONV3D_ATTRS = {
  dilation_d_factor: optI32Attr(1),
  dilation_h_factor: optI32Attr(1),
  dilation_w_factor: optI32Attr(1),
  fused_activation_function: OPT_ACTIVATION,
  padding: OPT_PADDING,
  stride_d: optI32Attr(1),
  stride_h: optI32Attr(1),
  stride_w: optI32Attr(1),
};
const CONV3D_POSITIVE = ['dilation_d_factor', 'dilation_h_factor', 'dilation_w_factor', 'stride_d', 'stride_h', 'stride_w'];

/** `tfl.embedding_lookup`. */
export const EmbeddingLookupOp = simple({
  name: 'embedding_lookup',
  summary: 'Embedding lookup',
  description: 'Gathers rows of the value table by the 1-D lookup ids.',
  operands: ['lookup', 'value'],
  results: ['output'],
});
/** `tfl.local_response_normalization`. */
export const LocalResponseNormalizationOp = simple({
  name: 'local_response_normalization',
  summary: 'Local response normalisation',
  description: 'Divides each element by (bias + alpha * sum of squares over a depth window of radius) ^ beta.',
  operands: ['input'],
  results: ['output'],
  attrs: { radius: optI32Attr(0), bias: optF32Attr(0), alpha: optF32Attr(0), beta: optF32Attr(0) },
  verify: (op) => expectRank(op, 0, 4, 'input'),
});
/** `tfl.sparse_to_dense`. */
export const SparseToDenseOp = simple({
  name: 'sparse_to_dense',
  summary: 'Sparse to dense',
  description: 'Builds a dense tensor of output_shape holding sparse_values at sparse_indices and default_value elsewhere.',
  operands: ['sparse_indices', 'output_shape', 'sparse_values', 'default_value'],
  results: ['dense'],
  attrs: { validate_indices: optBoolAttr(false) },
});
/** `tfl.one_hot`. */
export const OneHotOp = simple({
  name: 'one_hot',
  summary: 'One-hot encoding',
  description: 'Expands indices into one-hot vectors of length depth along axis, using on_value and off_value.',
  operands: ['indices', 'depth', 'on_value', 'off_value'],
  results: ['output'],
  attrs: { axis: optI32Attr(-1) },
});
/** `tfl.range`. */
export const RangeOp = simple({ name: 'range', summary: 'Range', description: 'The 1-D sequence start, start + delta, ... below limit.', operands: ['start', 'limit', 'delta'], results: ['result'] });
/** `tfl.unique`. */
export const UniqueOp = simple({
  name: 'unique',
  summary: 'Unique elements',
  description: 'The distinct elements of a 1-D input in first-seen order, and for each input element its index among them.',
  operands: ['input'],
  results: ['output', 'idx'],
  attrs: { idx_out_type: { kind: 'any', optional: true } },
});
/** `tfl.where`. */
export const WhereOp = simple({ name: 'where', summary: 'Coordinates of true elements', description: 'Returns the [n, rank] int64 coordinates of the true (non-zero) elements.', operands: ['condition'], results: ['index'] });
/** `tfl.rank`. */
export const RankOp = simple({ name: 'rank', summary: 'Rank of a tensor', description: 'Returns the rank of its operand as a scalar int32.', operands: ['input'], results: ['output'] });
/** `tfl.reverse_sequence`. */
export const ReverseSequenceOp = simple({
  name: 'reverse_sequence',
  summary: 'Reverse variable-length prefixes',
  description: 'For each slice along batch_dim, reverses the first seq_lengths[i] elements along seq_dim.',
  operands: ['input', 'seq_lengths'],
  results: ['output'],
  attrs: { seq_dim: optI32Attr(0), batch_dim: optI32Attr(0) },
});
/** `tfl.matrix_diag`. */
export const MatrixDiagOp = simple({ name: 'matrix_diag', summary: 'Diagonal matrix', description: 'Builds matrices whose diagonals are the innermost vectors of the input.', operands: ['diagonal'], results: ['output'] });
/** `tfl.matrix_set_diag`. */
export const MatrixSetDiagOp = simple({ name: 'matrix_set_diag', summary: 'Set matrix diagonals', description: 'Replaces the main diagonal of the innermost matrices of input with diagonal.', operands: ['input', 'diagonal'], results: ['result'] });
/** `tfl.non_max_suppression_v4`. */
export const NonMaxSuppressionV4Op = simple({
  name: 'non_max_suppression_v4',
  summary: 'Hard non-max suppression',
  description: 'Greedily keeps the highest-scoring boxes, dropping those overlapping a kept box by more than iou_threshold.',
  operands: ['boxes', 'scores', 'max_output_size', 'iou_threshold', 'score_threshold'],
  results: ['selected_indices', 'valid_outputs'],
});
/** `tfl.non_max_suppression_v5`. */
export const NonMaxSuppressionV5Op = simple({
  name: 'non_max_suppression_v5',
  summary: 'Soft non-max suppression',
  description: 'Non-max suppression where overlapping boxes get Gaussian-decayed scores (soft_nms_sigma) instead of being dropped.',
  operands: ['boxes', 'scores', 'max_output_size', 'iou_threshold', 'score_threshold', 'soft_nms_sigma'],
  results: ['selected_indices', 'selected_scores', 'valid_outputs'],
});
/** `tfl.scatter_nd`. */
export const ScatterNdOp = simple({ name: 'scatter_nd', summary: 'Scatter by index tuples', description: 'Scatters updates into a zero tensor of the given shape at the index tuples.', operands: ['indices', 'updates', 'shape'], results: ['output'] });
/** `tfl.densify`. */
export const DensifyOp = simple({ name: 'densify', summary: 'Densify a sparse constant', description: 'Expands a sparse-encoded constant into a dense tensor.', operands: ['input'], results: ['output'] });
/** `tfl.segment_sum`. */
export const SegmentSumOp = simple({ name: 'segment_sum', summary: 'Sorted segment sum', description: 'Sums rows that share a (sorted) segment id.', operands: ['input', 'segment_ids'], results: ['output'] });

function unsortedSegment(kind: string, what: string): OpDef {
  return simple({
    name: `unsorted_segment_${kind}`,
    summary: `Unsorted segment ${kind}`,
    description: `${what} of the rows that share a segment id, for num_segments segments.`,
    operands: ['input', 'segment_ids', 'num_segments'],
    results: ['output'],
  });
}
/** `tfl.unsorted_segment_prod`. */
export const UnsortedSegmentProdOp = unsortedSegment('prod', 'Product');
/** `tfl.unsorted_segment_max`. */
export const UnsortedSegmentMaxOp = unsortedSegment('max', 'Maximum');
/** `tfl.unsorted_segment_min`. */
export const UnsortedSegmentMinOp = unsortedSegment('min', 'Minimum');
/** `tfl.unsorted_segment_sum`. */
export const UnsortedSegmentSumOp = unsortedSegment('sum', 'Sum');

/** `tfl.rfft2d`. */
export const Rfft2dOp = simple({ name: 'rfft2d', summary: '2-D real FFT', description: 'The 2-D FFT of the innermost two dims of a real input (fft_length sized), as complex64.', operands: ['input', 'fft_length'], results: ['output'] });
/** `tfl.conv_3d`. */
export const Conv3DOp = simple({
  name: 'conv_3d',
  summary: '3-D convolution',
  description: 'Convolves an NDHWC input with a [D, H, W, I, O] filter and adds the optional bias.',
  operands: ['input', 'filter', { name: 'bias', optional: true }],
  results: ['output'],
  attrs: CONV3D_ATTRS,
  verify: (op) => firstError(() => expectRank(op, 0, 5, 'input'), () => expectRank(op, 1, 5, 'filter'), () => verifyPositiveAttrs(op, CONV3D_POSITIVE)),
});
/** `tfl.conv_3d_transpose`. */
export const Conv3DTransposeOp = simple({
  name: 'conv_3d_transpose',
  summary: 'Transposed 3-D convolution',
  description: 'The transpose of conv_3d: scatters an NDHWC input through the filter into output_shape.',
  operands: ['output_shape', 'filter', 'input', { name: 'bias', optional: true }],
  results: ['output'],
  attrs: CONV3D_ATTRS,
  verify: (op) => firstError(() => expectRank(op, 1, 5, 'filter'), () => expectRank(op, 2, 5, 'input'), () => verifyPositiveAttrs(op, CONV3D_POSITIVE)),
});
/** `tfl.imag`. */
export const ImagOp = simple({ name: 'imag', summary: 'Imaginary part', description: 'The imaginary parts of complex elements.', operands: ['input'], results: ['output'], traits: ['Pure', 'SameOperandsAndResultShape'] });
/** `tfl.real`. */
export const RealOp = simple({ name: 'real', summary: 'Real part', description: 'The real parts of complex elements.', operands: ['input'], results: ['output'], traits: ['Pure', 'SameOperandsAndResultShape'] });
/** `tfl.complex_abs`. */
export const ComplexAbsOp = simple({ name: 'complex_abs', summary: 'Complex magnitude', description: 'The absolute values of complex elements.', operands: ['input'], results: ['output'], traits: ['Pure', 'SameOperandsAndResultShape'] });
/** `tfl.hashtable`. */
export const HashtableOp = simple({
  name: 'hashtable',
  summary: 'Create a hash table',
  description: 'Creates an empty key/value hash table resource identified by table_id.',
  operands: [],
  results: ['out'],
  attrs: { table_id: optI32Attr(0), key_dtype: { kind: 'any', optional: true }, value_dtype: { kind: 'any', optional: true } },
  traits: [],
});
/** `tfl.hashtable_find`. */
export const HashtableFindOp = simple({ name: 'hashtable_find', summary: 'Hash table lookup', description: 'Looks keys up in the table, yielding default_value for missing ones.', operands: ['hash_table', 'keys', 'default_value'], results: ['out'], traits: [] });
/** `tfl.hashtable_import`. */
export const HashtableImportOp = simple({ name: 'hashtable_import', summary: 'Fill a hash table', description: 'Replaces the table contents with the given keys and values.', operands: ['hash_table', 'keys', 'values'], results: [], traits: [] });
/** `tfl.hashtable_size`. */
export const HashtableSizeOp = simple({ name: 'hashtable_size', summary: 'Hash table size', description: 'The number of entries in the table.', operands: ['hash_table'], results: ['out'], traits: [] });
/** `tfl.var_handle`. */
export const VarHandleOp = simple({
  name: 'var_handle',
  summary: 'Resource variable handle',
  description: 'A handle to the resource variable named by container and shared_name.',
  operands: [],
  results: ['resource_handle'],
  attrs: { container: { kind: 'string', optional: true, default: stringAttr('') }, shared_name: { kind: 'string', optional: true, default: stringAttr('') } },
  traits: [],
});
/** `tfl.read_variable`. */
export const ReadVariableOp = simple({ name: 'read_variable', summary: 'Read a variable', description: 'Reads the current value of a resource variable.', operands: ['resource_id'], results: ['result'], traits: [] });
/** `tfl.assign_variable`. */
export const AssignVariableOp = simple({
  name: 'assign_variable',
  summary: 'Assign a variable',
  description: 'Stores a new value in a resource variable.',
  operands: ['resource_id', 'value'],
  results: [],
  traits: [],
});
/** `tfl.broadcast_args`. */
export const BroadcastArgsOp = simple({ name: 'broadcast_args', summary: 'Broadcast shape', description: 'The broadcast of two shape vectors.', operands: ['s0', 's1'], results: ['r0'] });
/** `tfl.random_standard_normal`. */
export const RandomStandardNormalOp = simple({ name: 'random_standard_normal', summary: 'Normal random values', description: 'Samples N(0, 1) values of the given shape.', operands: ['shape'], results: ['out'], attrs: SEEDS, traits: [] });
/** `tfl.random_uniform`. */
export const RandomUniformOp = simple({ name: 'random_uniform', summary: 'Uniform random values', description: 'Samples values in [0, 1) of the given shape.', operands: ['shape'], results: ['out'], attrs: SEEDS, traits: [] });
/** `tfl.multinomial`. */
export const MultinomialOp = simple({ name: 'multinomial', summary: 'Categorical samples', description: 'Draws num_samples class indices per row from the categorical distribution of the logits.', operands: ['logits', 'num_samples'], results: ['out'], attrs: SEEDS, traits: [] });
/** `tfl.bucketize`. */
export const BucketizeOp = simple({
  name: 'bucketize',
  summary: 'Bucketize',
  description: 'Replaces each value by the index of its bucket among the sorted boundaries.',
  operands: ['input'],
  results: ['output'],
  attrs: { boundaries: { kind: 'array', optional: true, default: arrayAttr([]) } },
  traits: ['Pure', 'SameOperandsAndResultShape'],
});
/** `tfl.dynamic_update_slice`. */
export const DynamicUpdateSliceOp = simple({
  name: 'dynamic_update_slice',
  summary: 'Dynamic update slice',
  description: 'Overwrites the block of operand starting at start_indices with update.',
  operands: ['operand', 'update', 'start_indices'],
  results: ['output'],
});
/** `tfl.atan2`. */
export const Atan2Op = simple({ name: 'atan2', summary: 'Two-argument arctangent', description: 'atan(y / x) with the quadrant from the signs of y and x.', operands: ['y', 'x'], results: ['output'], traits: ['Pure', 'SameOperandsAndResultShape'] });
/** `tfl.bitcast`. */
export const BitcastOp = simple({ name: 'bitcast', summary: 'Bit cast', description: 'Reinterprets the bits of the input as the result element type.', operands: ['input'], results: ['output'] });
/** `tfl.bitwise_xor`. */
export const BitwiseXorOp = simple({ name: 'bitwise_xor', summary: 'Bitwise xor', description: 'Elementwise exclusive or of two integer tensors (broadcasting).', operands: ['lhs', 'rhs'], results: ['output'], traits: ['Pure', 'Commutative'] });
/** `tfl.right_shift`. */
export const RightShiftOp = simple({ name: 'right_shift', summary: 'Right shift', description: 'Elementwise arithmetic right shift of lhs by rhs (broadcasting).', operands: ['lhs', 'rhs'], results: ['output'] });
/** `tfl.dilate`. */
export const DilateOp = simple({
  name: 'dilate',
  summary: 'Dilate',
  description: 'Inserts dilations[i] - 1 copies of padding_value between neighbouring elements along each dimension i.',
  operands: ['input', 'dilations', 'padding_value'],
  results: ['output'],
});

/** The remaining TF tfl-dialect ops, in declaration order. */
export const MISC_OPS: readonly OpDef[] = [
  EmbeddingLookupOp,
  LocalResponseNormalizationOp,
  SparseToDenseOp,
  OneHotOp,
  RangeOp,
  UniqueOp,
  WhereOp,
  RankOp,
  ReverseSequenceOp,
  MatrixDiagOp,
  MatrixSetDiagOp,
  NonMaxSuppressionV4Op,
  NonMaxSuppressionV5Op,
  ScatterNdOp,
  DensifyOp,
  SegmentSumOp,
  UnsortedSegmentProdOp,
  UnsortedSegmentMaxOp,
  UnsortedSegmentMinOp,
  UnsortedSegmentSumOp,
  Rfft2dOp,
  Conv3DOp,
  Conv3DTransposeOp,
  ImagOp,
  RealOp,
  ComplexAbsOp,
  HashtableOp,
  HashtableFindOp,
  HashtableImportOp,
  HashtableSizeOp,
  VarHandleOp,
  ReadVariableOp,
  AssignVariableOp,
  BroadcastArgsOp,
  RandomStandardNormalOp,
  RandomUniformOp,
  MultinomialOp,
  BucketizeOp,
  DynamicUpdateSliceOp,
  Atan2Op,
  BitcastOp,
  BitwiseXorOp,
  RightShiftOp,
  DilateOp,
];
