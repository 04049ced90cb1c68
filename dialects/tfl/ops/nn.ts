/**
 * Neural-network tfl ops with weights or windows: fully_connected, conv_2d, depthwise_conv_2d,
 * transpose_conv, average_pool_2d, max_pool_2d and batch_matmul. Verifiers check the ranks and the
 * channel agreements TFLite's kernels rely on, whenever the dimensions are static.
 */
import { stringAttr } from '../../../src/ir/attribute.js';
import { type OpDef, defineOp } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { INT8_INT16, activationSpec, affineSpec, sameScaleSpec } from '../quant-spec.js';
import {
  constantInts,
  dimOf,
  dimsConflict,
  expectRank,
  expectRankIn,
  firstError,
  intAttr,
  isNone,
  rankOf,
  rankText,
  shapeOf,
  staticNumElements,
  strAttr,
} from '../verify-helpers.js';
import {
  ASYMMETRIC_QUANTIZE_INPUTS,
  FUSED_ACTIVATION,
  PADDING,
  WEIGHTS_FORMAT_VALUES,
  boolAttrSpec,
  i32Attr,
  optBoolAttr,
} from './common.js';
import {
  inferBatchMatMul,
  inferConv2D,
  inferDepthwiseConv2D,
  inferFullyConnected,
  inferPool2D,
  inferTransposeConv,
} from '../shape-inference-nn.js';

/** Checks that the named i32 attributes are >= 1 when present. */
export function verifyPositiveAttrs(op: Operation, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = intAttr(op, n);
    if (v !== undefined && v < 1) return `${n} must be positive, got ${v}`;
  }
  return undefined;
}

/** Checks a bias operand: none, or 1-D with `channels` elements. */
function verifyBias(op: Operation, index: number, channels: number | undefined, what: string): string | undefined {
  const b = op.operands[index]?.value;
  if (!b || isNone(b)) return undefined;
  const r = rankOf(b);
  if (r !== undefined && r !== 1) return `expect 1d bias, got ${rankText(r)}`;
  const n = dimOf(b, 0);
  if (dimsConflict(n, channels)) return `bias size (${n}) does not match the number of ${what} (${channels})`;
  return undefined;
}

function verifyFullyConnected(op: Operation): string | undefined {
  const filterRank = rankOf(op.operand(1));
  if (filterRank !== undefined && filterRank !== 2) return `expect 2d filter, got ${rankText(filterRank)}`;
  const units = dimOf(op.operand(1), 0);
  const depth = dimOf(op.operand(1), 1);
  const inElems = staticNumElements(shapeOf(op.operand(0)));
  if (inElems !== undefined && depth !== undefined && depth > 0 && inElems % depth !== 0)
    return `input element count (${inElems}) is not a multiple of the filter input depth (${depth})`;
  const bias = verifyBias(op, 2, units, 'filter output channels');
  if (bias) return bias;
  const format = strAttr(op, 'weights_format') ?? 'DEFAULT';
  if (format === 'DEFAULT' && op.results.length !== 1) return `expects 1 result with weights_format DEFAULT, got ${op.results.length}`;
  if (op.results.length < 1 || op.results.length > 2) return `expects 1 or 2 results, got ${op.results.length}`;
  const out = op.result(0);
  const outRank = rankOf(out);
  const inRank = rankOf(op.operand(0));
  const keep = op.attr('keep_num_dims');
  if (keep?.kind === 'bool' && keep.value && outRank !== undefined && inRank !== undefined && outRank !== inRank)
    return `with keep_num_dims the result rank (${outRank}) must equal the input rank (${inRank})`;
  const last = outRank !== undefined && outRank > 0 ? dimOf(out, -1) : undefined;
  if (dimsConflict(last, units)) return `result last dimension (${last}) does not match the number of filter output channels (${units})`;
  return undefined;
}

/** `tfl.fully_connected`: act(input · filterᵀ + bias). */
export const FullyConnectedOp = defineOp({
  name: 'tfl.fully_connected',
  summary: 'Fully connected layer',
  description:
    'Flattens the input to [batch, depth] (keeping leading dims with keep_num_dims), multiplies by the [units, depth] filter transposed, adds the optional bias and applies the fused activation.',
  operands: [{ name: 'input' }, { name: 'filter' }, { name: 'bias', optional: true }],
  results: [{ name: 'output', variadic: true }],
  attrs: {
    fused_activation_function: FUSED_ACTIVATION,
    weights_format: { kind: 'enum', values: WEIGHTS_FORMAT_VALUES, default: stringAttr('DEFAULT') },
    keep_num_dims: boolAttrSpec('keep the leading input dims in the result'),
    asymmetric_quantize_inputs: ASYMMETRIC_QUANTIZE_INPUTS,
  },
  traits: ['Pure'],
  verify: verifyFullyConnected,
  inferResultShapes: inferFullyConnected,
  quant: affineSpec({ input: 0, weight: 1, bias: 2, axis: 0 }),
});

const CONV_ATTRS = {
  dilation_h_factor: i32Attr('dilation along height', 1),
  dilation_w_factor: i32Attr('dilation along width', 1),
  fused_activation_function: FUSED_ACTIVATION,
  padding: PADDING,
  stride_h: i32Attr('stride along height'),
  stride_w: i32Attr('stride along width'),
};

function verifyConv2D(op: Operation): string | undefined {
  return firstError(
    () => expectRank(op, 0, 4, 'input'),
    () => expectRank(op, 1, 4, 'filter'),
    () => verifyPositiveAttrs(op, ['stride_h', 'stride_w', 'dilation_h_factor', 'dilation_w_factor']),
    () => {
      const inC = dimOf(op.operand(0), 3);
      const fC = dimOf(op.operand(1), 3);
      if (inC !== undefined && fC !== undefined && (fC === 0 || inC % fC !== 0))
        return `input channels (${inC}) must be a multiple of the filter input channels (${fC})`;
      return undefined;
    },
    () => verifyBias(op, 2, dimOf(op.operand(1), 0), 'filter output channels'),
    () => {
      const outC = rankOf(op.result(0)) === 4 ? dimOf(op.result(0), 3) : undefined;
      const fO = dimOf(op.operand(1), 0);
      return dimsConflict(outC, fO) ? `result channels (${outC}) do not match the filter output channels (${fO})` : undefined;
    },
  );
}

/** `tfl.conv_2d`: 2-D convolution of an NHWC input with an [O, H, W, I] filter. */
export const Conv2DOp = defineOp({
  name: 'tfl.conv_2d',
  summary: '2-D convolution',
  description:
    'Convolves an NHWC input with an OHWI filter (grouped when the input has a multiple of the filter input channels), adds the optional bias and applies the fused activation.',
  operands: [{ name: 'input' }, { name: 'filter' }, { name: 'bias', optional: true }],
  results: [{ name: 'output' }],
  attrs: CONV_ATTRS,
  traits: ['Pure'],
  verify: verifyConv2D,
  inferResultShapes: inferConv2D,
  quant: affineSpec({ input: 0, weight: 1, bias: 2, axis: 0 }),
});

function verifyDepthwise(op: Operation): string | undefined {
  return firstError(
    () => expectRank(op, 0, 4, 'input'),
    () => expectRank(op, 1, 4, 'filter'),
    () => verifyPositiveAttrs(op, ['stride_h', 'stride_w', 'dilation_h_factor', 'dilation_w_factor']),
    () => {
      const m = intAttr(op, 'depth_multiplier');
      return m !== undefined && m < 0 ? `depth_multiplier must not be negative, got ${m}` : undefined;
    },
    () => {
      const one = dimOf(op.operand(1), 0);
      return one !== undefined && one !== 1 ? `expect filter dimension 0 to be 1, got ${one}` : undefined;
    },
    () => {
      const inC = dimOf(op.operand(0), 3);
      const fC = dimOf(op.operand(1), 3);
      const m = intAttr(op, 'depth_multiplier');
      if (inC !== undefined && fC !== undefined && m !== undefined && m > 0 && inC * m !== fC)
        return `filter channels (${fC}) must equal input channels (${inC}) times depth_multiplier (${m})`;
      return undefined;
    },
    () => verifyBias(op, 2, dimOf(op.operand(1), 3), 'filter channels'),
    () => {
      const outC = rankOf(op.result(0)) === 4 ? dimOf(op.result(0), 3) : undefined;
      const fC = dimOf(op.operand(1), 3);
      return dimsConflict(outC, fC) ? `result channels (${outC}) do not match the filter channels (${fC})` : undefined;
    },
  );
}

/** `tfl.depthwise_conv_2d`: per-channel 2-D convolution with a [1, H, W, I*M] filter. */
export const DepthwiseConv2DOp = defineOp({
  name: 'tfl.depthwise_conv_2d',
  summary: 'Depthwise 2-D convolution',
  description:
    'Convolves each input channel with its own depth_multiplier filters ([1, H, W, C*M]), adds the optional bias and applies the fused activation.',
  operands: [{ name: 'input' }, { name: 'filter' }, { name: 'bias', optional: true }],
  results: [{ name: 'output' }],
  attrs: { ...CONV_ATTRS, depth_multiplier: i32Attr('output channels per input channel (0: inferred from the filter)') },
  traits: ['Pure'],
  verify: verifyDepthwise,
  inferResultShapes: inferDepthwiseConv2D,
  quant: affineSpec({ input: 0, weight: 1, bias: 2, axis: 3 }),
});

function verifyTransposeConv(op: Operation): string | undefined {
  return firstError(
    () => expectRank(op, 0, 1, 'output_shape'),
    () => expectRank(op, 1, 4, 'weights'),
    () => expectRank(op, 2, 4, 'input'),
    () => verifyPositiveAttrs(op, ['stride_h', 'stride_w']),
    () => {
      const n = dimOf(op.operand(0), 0);
      return n !== undefined && n !== 4 ? `expect output_shape to have 4 elements, got ${n}` : undefined;
    },
    () => {
      const inC = dimOf(op.operand(2), 3);
      const wC = dimOf(op.operand(1), 3);
      return dimsConflict(inC, wC) ? `input channels (${inC}) do not match the weights input channels (${wC})` : undefined;
    },
    () => verifyBias(op, 3, dimOf(op.operand(1), 0), 'weights output channels'),
    () => {
      const want = constantInts(op.operand(0));
      const got = shapeOf(op.result(0));
      if (!want || !got || want.length !== got.length) return undefined;
      for (let i = 0; i < got.length; i++)
        if (dimsConflict(got[i], want[i])) return `result shape does not match output_shape [${want.join(', ')}]`;
      return undefined;
    },
  );
}

/** `tfl.transpose_conv`: the gradient of conv_2d w.r.t. its input (a "deconvolution"). */
export const TransposeConvOp = defineOp({
  name: 'tfl.transpose_conv',
  summary: 'Transposed 2-D convolution',
  description:
    'Scatters each NHWC input pixel through the [O, H, W, I] weights into an output of shape output_shape, adds the optional bias and applies the fused activation.',
  operands: [{ name: 'output_shape' }, { name: 'weights' }, { name: 'input' }, { name: 'bias', optional: true }],
  results: [{ name: 'output' }],
  attrs: {
    padding: PADDING,
    stride_h: i32Attr('stride along height'),
    stride_w: i32Attr('stride along width'),
    fused_activation_function: FUSED_ACTIVATION,
  },
  traits: ['Pure'],
  verify: verifyTransposeConv,
  inferResultShapes: inferTransposeConv,
  quant: affineSpec({ input: 2, weight: 1, bias: 3, axis: 0, nonQuantOperands: [0] }),
});

const POOL_ATTRS = {
  filter_height: i32Attr('window height'),
  filter_width: i32Attr('window width'),
  padding: PADDING,
  stride_h: i32Attr('stride along height'),
  stride_w: i32Attr('stride along width'),
  fused_activation_function: FUSED_ACTIVATION,
};

function verifyPool(op: Operation): string | undefined {
  return firstError(
    () => expectRank(op, 0, 4, 'input'),
    () => verifyPositiveAttrs(op, ['filter_height', 'filter_width', 'stride_h', 'stride_w']),
    () => {
      const r = rankOf(op.result(0));
      if (r !== undefined && r !== 4) return `expect 4d result, got ${rankText(r)}`;
      const a = dimOf(op.operand(0), 3);
      const b = r === 4 ? dimOf(op.result(0), 3) : undefined;
      return dimsConflict(a, b) ? `result channels (${b}) do not match the input channels (${a})` : undefined;
    },
  );
}

/** `tfl.average_pool_2d`. */
export const AveragePool2DOp = defineOp({
  name: 'tfl.average_pool_2d',
  summary: '2-D average pooling',
  description: 'Averages NHWC windows of filter_height x filter_width; quantized input and output share one scale.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: POOL_ATTRS,
  traits: ['Pure'],
  verify: verifyPool,
  inferResultShapes: inferPool2D,
  quant: sameScaleSpec(INT8_INT16, [0]),
});

/** `tfl.max_pool_2d`. */
export const MaxPool2DOp = defineOp({
  name: 'tfl.max_pool_2d',
  summary: '2-D max pooling',
  description: 'Takes the maximum of NHWC windows of filter_height x filter_width; quantized input and output share one scale.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: POOL_ATTRS,
  traits: ['Pure'],
  verify: verifyPool,
  inferResultShapes: inferPool2D,
  quant: sameScaleSpec(INT8_INT16, [0]),
});

function verifyBatchMatMul(op: Operation): string | undefined {
  return firstError(
    () => expectRankIn(op, 0, 2, 5, 'x'),
    () => expectRankIn(op, 1, 2, 5, 'y'),
    () => {
      const adjX = op.attr('adj_x');
      const adjY = op.attr('adj_y');
      const kx = dimOf(op.operand(0), adjX?.kind === 'bool' && adjX.value ? -2 : -1);
      const ky = dimOf(op.operand(1), adjY?.kind === 'bool' && adjY.value ? -1 : -2);
      return dimsConflict(kx, ky) ? `contracting dimensions differ: x has ${kx}, y has ${ky}` : undefined;
    },
  );
}

/** `tfl.batch_matmul`: batched x · y with broadcasting batch dims. */
export const BatchMatMulOp = defineOp({
  name: 'tfl.batch_matmul',
  summary: 'Batched matrix multiplication',
  description: 'Multiplies the innermost matrices of x and y (optionally adjointed), broadcasting the batch dimensions.',
  operands: [{ name: 'x' }, { name: 'y' }],
  results: [{ name: 'output' }],
  attrs: {
    adj_x: optBoolAttr(false, 'transpose the innermost two dims of x'),
    adj_y: optBoolAttr(false, 'transpose the innermost two dims of y'),
    asymmetric_quantize_inputs: ASYMMETRIC_QUANTIZE_INPUTS,
  },
  traits: ['Pure'],
  verify: verifyBatchMatMul,
  inferResultShapes: inferBatchMatMul,
  quant: activationSpec(INT8_INT16),
});

/** The nn ops, in declaration order. */
export const NN_OPS: readonly OpDef[] = [
  FullyConnectedOp,
  Conv2DOp,
  DepthwiseConv2DOp,
  TransposeConvOp,
  AveragePool2DOp,
  MaxPool2DOp,
  BatchMatMulOp,
];
