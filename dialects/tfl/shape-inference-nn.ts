/**
 * Shape functions of the tfl ops with weights or windows, following what TFLite's kernels compute
 * in Prepare (ResizeTensor on the outputs): fully_connected (keep_num_dims), conv_2d,
 * depthwise_conv_2d, transpose_conv, the 2-d pools (SAME/VALID, strides, dilation), batch_matmul,
 * the LSTM family (projection, time_major), the RNNs and svdf.
 */
import type { OperandShapes } from '../../src/ir/op-def.js';
import type { Operation } from '../../src/ir/operation.js';
import { formatShape } from '../../src/ir/shape-inference.js';
import { type ShapeFn, checkRank, elementCount, unknownShapes } from './shape-inference.js';
import { boolAttrOf, broadcastShapes, constantInts, intAttr, strAttr } from './verify-helpers.js';

/**
 * TFLite's size of one windowed output dimension: SAME gives ceil(input / stride), VALID
 * ceil((input - effective_filter + 1) / stride) with effective_filter = (filter - 1) * dilation + 1.
 * -1 when the input (or, for VALID, the filter) is dynamic; an error when the window does not fit.
 */
export function windowOutputSize(padding: string, input: number, filter: number, stride: number, dilation: number): number | string {
  if (input < 0) return -1;
  if (padding === 'SAME') return Math.floor((input + stride - 1) / stride);
  if (filter < 0) return -1;
  const effective = (filter - 1) * dilation + 1;
  const out = Math.floor((input + stride - effective) / stride);
  return out > 0 ? out : `VALID padding: the window (${effective}) is larger than the input (${input})`;
}

/** Stride and dilation attributes (dilations default to 1) and the padding, checked. */
function windowAttrs(op: Operation, dilated: boolean): { sh: number; sw: number; dh: number; dw: number; padding: string } | string {
  const sh = intAttr(op, 'stride_h') ?? 1;
  const sw = intAttr(op, 'stride_w') ?? 1;
  const dh = dilated ? intAttr(op, 'dilation_h_factor') ?? 1 : 1;
  const dw = dilated ? intAttr(op, 'dilation_w_factor') ?? 1 : 1;
  for (const [n, v] of [['stride_h', sh], ['stride_w', sw], ['dilation_h_factor', dh], ['dilation_w_factor', dw]] as const)
    if (v < 1) return `${n} must be positive, got ${v}`;
  const padding = strAttr(op, 'padding') ?? 'VALID';
  if (padding !== 'SAME' && padding !== 'VALID') return `unknown padding '${padding}'`;
  return { sh, sw, dh, dw, padding };
}

/** [N, OH, OW, channels] of a 2-d window over an NHWC input with a kh x kw window. */
function windowed(op: Operation, input: readonly number[], kh: number, kw: number, channels: number, dilated: boolean): readonly number[] | string {
  const bad = checkRank(input, 4, 'input');
  if (bad) return bad;
  const a = windowAttrs(op, dilated);
  if (typeof a === 'string') return a;
  const oh = windowOutputSize(a.padding, input[1]!, kh, a.sh, a.dh);
  if (typeof oh === 'string') return `height: ${oh}`;
  const ow = windowOutputSize(a.padding, input[2]!, kw, a.sw, a.dw);
  if (typeof ow === 'string') return `width: ${ow}`;
  return [input[0]!, oh, ow, channels];
}

function one(r: readonly number[] | string): readonly (readonly number[])[] | string {
  return typeof r === 'string' ? r : [r];
}

/** tfl.conv_2d: input [N, H, W, C], filter [O, KH, KW, I] -> [N, OH, OW, O]. */
export const inferConv2D: ShapeFn = (op, shapes) => {
  const [x, f] = shapes;
  if (!x || !f) return [undefined];
  const bad = checkRank(f, 4, 'filter');
  if (bad) return bad;
  return one(windowed(op, x, f[1]!, f[2]!, f[0]!, true));
};

/** tfl.depthwise_conv_2d: filter [1, KH, KW, C*M] -> [N, OH, OW, C*M]. */
export const inferDepthwiseConv2D: ShapeFn = (op, shapes) => {
  const [x, f] = shapes;
  if (!x || !f) return [undefined];
  const bad = checkRank(f, 4, 'filter');
  if (bad) return bad;
  return one(windowed(op, x, f[1]!, f[2]!, f[3]!, true));
};

/** average_pool_2d / max_pool_2d: filter_height x filter_width windows, channels kept. */
export const inferPool2D: ShapeFn = (op, shapes) => {
  const x = shapes[0];
  if (!x) return [undefined];
  const fh = intAttr(op, 'filter_height') ?? 1;
  const fw = intAttr(op, 'filter_width') ?? 1;
  if (fh < 1 || fw < 1) return `filter size ${fh}x${fw} must be positive`;
  return one(windowed(op, x, fh, fw, x[3] ?? -1, false));
};

/** tfl.transpose_conv: the constant output_shape operand. */
export const inferTransposeConv: ShapeFn = (op) => {
  const s = constantInts(op.operands[0]?.value);
  if (!s) return [undefined];
  if (s.length !== 4 || s.some((d) => d < 0)) return `output_shape [${s.join(', ')}] must be 4 non-negative dims`;
  return [s];
};

/**
 * tfl.fully_connected: [batch, units] with batch = elements / depth; with keep_num_dims, the input
 * shape with its last dim replaced by units. The shuffled format's second result is a workspace.
 */
export const inferFullyConnected: ShapeFn = (op, shapes) => {
  const [x, f] = shapes;
  if (!x || !f) return unknownShapes(op);
  const bad = checkRank(f, 2, 'filter');
  if (bad) return bad;
  const [units, depth] = f as [number, number];
  const extra = op.results.slice(1).map(() => undefined);
  if (boolAttrOf(op, 'keep_num_dims') ?? false) {
    if (x.length === 0) return 'keep_num_dims needs an input of rank >= 1';
    const last = x[x.length - 1]!;
    if (last >= 0 && depth >= 0 && last !== depth) return `input depth (${last}) does not match the filter input depth (${depth})`;
    return [[...x.slice(0, -1), units], ...extra];
  }
  const total = elementCount(x);
  if (total < 0 || depth < 0) return [[-1, units], ...extra];
  if (depth === 0 || total % depth !== 0) return `input ${formatShape(x)} has ${total} elements, not a multiple of the filter input depth (${depth})`;
  return [[total / depth, units], ...extra];
};

/** tfl.batch_matmul: broadcast batch dims + [rows of x, columns of y] (after adj_x / adj_y). */
export const inferBatchMatMul: ShapeFn = (op, shapes) => {
  const [x, y] = shapes;
  if (!x || !y) return [undefined];
  if (x.length < 2 || y.length < 2) return `expects operands of rank >= 2, got ${formatShape(x)} and ${formatShape(y)}`;
  const adjX = boolAttrOf(op, 'adj_x') ?? false;
  const adjY = boolAttrOf(op, 'adj_y') ?? false;
  const rows = x[x.length - (adjX ? 1 : 2)]!;
  const kx = x[x.length - (adjX ? 2 : 1)]!;
  const ky = y[y.length - (adjY ? 1 : 2)]!;
  const cols = y[y.length - (adjY ? 2 : 1)]!;
  if (kx >= 0 && ky >= 0 && kx !== ky) return `contracting dimensions differ: x has ${kx}, y has ${ky}`;
  const batch = broadcastShapes(x.slice(0, -2), y.slice(0, -2));
  if (!batch) return `batch dimensions of ${formatShape(x)} and ${formatShape(y)} do not broadcast`;
  return [[...batch, rows, cols]];
};

/** Depth of an LSTM's output: the recurrent-to-output weights' columns (their length when diagonal). */
function lstmOutputDepth(shapes: OperandShapes, recurrentToOutput: number): number | undefined {
  const w = shapes[recurrentToOutput];
  if (!w) return undefined;
  return w.length === 2 ? w[1] : w.length === 1 ? w[0] : undefined;
}

/** Checks a [batch, depth] state operand against the batch and depth the op computes with. */
function checkState(shapes: OperandShapes, index: number, batch: number, depth: number, what: string): string | undefined {
  const s = shapes[index];
  if (!s) return undefined;
  if (s.length !== 2) return `${what} (operand #${index}) must be 2d, got ${formatShape(s)}`;
  if (s[0]! >= 0 && batch >= 0 && s[0] !== batch) return `${what} (operand #${index}) ${formatShape(s)} does not match the batch size ${batch}`;
  if (s[1]! >= 0 && depth >= 0 && s[1] !== depth) return `${what} (operand #${index}) ${formatShape(s)} does not match the depth ${depth}`;
  return undefined;
}

/**
 * tfl.unidirectional_sequence_lstm and tfl.lstm: the input shape with its depth replaced by
 * n_output. Batch-major input [batch, time, depth] gives [batch, time, n_output], time_major
 * [time, batch, depth] gives [time, batch, n_output]; the activation state must be [batch, n_output].
 */
export const inferLstm: ShapeFn = (op, shapes) => {
  const x = shapes[0];
  const nOutput = lstmOutputDepth(shapes, 8);
  if (!x || nOutput === undefined) return [undefined];
  const sequence = op.name === 'tfl.unidirectional_sequence_lstm';
  const bad = checkRank(x, sequence ? 3 : 2, 'input');
  if (bad) return bad;
  const proj = shapes[16];
  if (proj && op.operands[16]?.value.type.kind !== 'none' && proj[0]! >= 0 && nOutput >= 0 && proj[0] !== nOutput)
    return `projection_weights ${formatShape(proj)} do not produce n_output (${nOutput}) outputs`;
  const batch = sequence && (boolAttrOf(op, 'time_major') ?? false) ? x[1]! : x[0]!;
  const stateErr = checkState(shapes, 18, batch, nOutput, 'input_activation_state');
  if (stateErr) return stateErr;
  return [[...x.slice(0, -1), nOutput]];
};

/**
 * tfl.bidirectional_sequence_lstm: [d0, d1, n_fw_output (+ n_bw_output when merge_outputs)] and,
 * unmerged, [d0, d1, n_bw_output]; [d0, d1] is [time, batch] or [batch, time] as the input is.
 */
export const inferBidirectionalLstm: ShapeFn = (op, shapes) => {
  const x = shapes[0];
  const fw = lstmOutputDepth(shapes, 8);
  const bw = lstmOutputDepth(shapes, 25);
  if (!x || fw === undefined || bw === undefined) return unknownShapes(op);
  const bad = checkRank(x, 3, 'input');
  if (bad) return bad;
  const lead = x.slice(0, 2);
  if (boolAttrOf(op, 'merge_outputs') ?? false) return [[...lead, fw < 0 || bw < 0 ? -1 : fw + bw]];
  return [
    [...lead, fw],
    [...lead, bw],
  ];
};

/** tfl.unidirectional_sequence_rnn / tfl.rnn: the input with its depth replaced by the units. */
export const inferRnn: ShapeFn = (op, shapes) => {
  const x = shapes[0];
  const w = shapes[1];
  if (!x || !w) return [undefined];
  const bad = checkRank(x, op.name === 'tfl.rnn' ? 2 : 3, 'input') ?? checkRank(w, 2, 'input_to_input_weights');
  if (bad) return bad;
  return [[...x.slice(0, -1), w[0]!]];
};

/** tfl.svdf: [batch, feature_weights rows / rank]. */
export const inferSvdf: ShapeFn = (op, shapes) => {
  const x = shapes[0];
  const w = shapes[1];
  if (!x || !w) return [undefined];
  const bad = checkRank(x, 2, 'input') ?? checkRank(w, 2, 'feature_weights');
  if (bad) return bad;
  const rank = intAttr(op, 'rank') ?? 1;
  if (rank < 1) return `rank must be positive, got ${rank}`;
  const filters = w[0]!;
  if (filters >= 0 && filters % rank !== 0) return `feature_weights rows (${filters}) are not a multiple of rank (${rank})`;
  return [[x[0]!, filters < 0 ? -1 : filters / rank]];
};
