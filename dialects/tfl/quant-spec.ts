/**
 * Quantization facts of the tfl ops, as small reusable pieces the op definitions assemble into their
 * `quant` field: fixed output ranges, same-scale groups, affine (weights + bias) layouts, and the
 * LSTM/SVDF operand roles that the generic QuantSpec cannot express. An op without `quant` is never
 * quantized (it stays float, or computes on plain integers).
 */
import type { QuantSpec } from '../../src/ir/op-def.js';

/** Activation widths: int8, and int16 activations with int8 weights ("16x8"). */
export type ActWidth = 'int8' | 'int16';

/** Quantized kernels exist for int8 and 16x8. */
export const INT8_INT16: readonly ActWidth[] = Object.freeze(['int8', 'int16'] as const);
/** Quantized kernels exist for int8 only. */
export const INT8_ONLY: readonly ActWidth[] = Object.freeze(['int8'] as const);

/** Fixed output quantization of a result, by activation width. */
export type FixedOutput = NonNullable<QuantSpec['fixedOutput']>;

/**
 * `tfl.logistic`: output in [0, 1). int8 scale 1/256, zero point -128; int16 scale 1/32768, zero
 * point 0 (TF's FixedOutputRangeInterface for LogisticOp; TFLite's kernels check the same values).
 */
export const LOGISTIC_FIXED: FixedOutput = Object.freeze({
  int8: { scale: 1 / 256, zeroPoint: -128 },
  int16: { scale: 1 / 32768, zeroPoint: 0 },
});

/** `tfl.tanh`: output in [-1, 1). int8 scale 1/128, zero point 0; int16 scale 1/32768, zero point 0. */
export const TANH_FIXED: FixedOutput = Object.freeze({
  int8: { scale: 1 / 128, zeroPoint: 0 },
  int16: { scale: 1 / 32768, zeroPoint: 0 },
});

/** `tfl.softmax`: int8 scale 1/256, zero point -128; int16 scale 1/32768, zero point 0. */
export const SOFTMAX_FIXED: FixedOutput = Object.freeze({
  int8: { scale: 1 / 256, zeroPoint: -128 },
  int16: { scale: 1 / 32768, zeroPoint: 0 },
});

/** `tfl.log_softmax`: int8 only, scale 16/256, zero point 127 (output range [-16, 0]). */
export const LOG_SOFTMAX_FIXED: FixedOutput = Object.freeze({
  int8: { scale: 16 / 256, zeroPoint: 127 },
});

/** `tfl.l2_normalization`: int8 only, scale 1/128, zero point 0. */
export const L2_NORMALIZATION_FIXED: FixedOutput = Object.freeze({
  int8: { scale: 1 / 128, zeroPoint: 0 },
});

/** A plain activation op: every operand and the result are independently quantized activations. */
export function activationSpec(supports: readonly ActWidth[], nonQuantOperands: readonly number[] = []): QuantSpec {
  return nonQuantOperands.length ? { supports, nonQuantOperands } : { supports };
}

/**
 * A same-scale op over fixed operand/result positions (reshape-like ops, pools): the listed operands
 * and results share one scale and zero point; the other operands are shapes/axes/indices.
 */
export function sameScaleSpec(
  supports: readonly ActWidth[],
  operands: readonly number[],
  nonQuantOperands: readonly number[] = [],
  results: readonly number[] = [0],
): QuantSpec {
  const spec: QuantSpec = { supports, sameScale: { operands, results } };
  return nonQuantOperands.length ? { ...spec, nonQuantOperands } : spec;
}

/**
 * A same-scale op with variadic operands or results (concatenation, pack, split, unpack, maximum):
 * `'all'` covers every result and every operand that is not listed in `nonQuantOperands`.
 */
export function sameScaleAllSpec(supports: readonly ActWidth[], nonQuantOperands: readonly number[] = []): QuantSpec {
  return nonQuantOperands.length ? { supports, sameScale: 'all', nonQuantOperands } : { supports, sameScale: 'all' };
}

/** An op whose result has a fixed quantization (logistic, tanh, softmax, ...). */
export function fixedOutputSpec(supports: readonly ActWidth[], fixedOutput: FixedOutput): QuantSpec {
  return { supports, fixedOutput };
}

/**
 * An affine op (conv / fully connected): symmetric weights at `weight` (per-channel along `axis`
 * when quantized per channel) and an int32 bias at `bias` with scale = scale(input) * scale(weight).
 * These are TF's AccumulatorUniformScale<bias, input, weight> and AffineOpCoefficient<axis, weight>.
 */
export function affineSpec(opts: {
  readonly input: number;
  readonly weight: number;
  readonly bias: number;
  readonly axis: number;
  readonly nonQuantOperands?: readonly number[];
}): QuantSpec {
  const spec: QuantSpec = {
    supports: INT8_INT16,
    weights: [{ operand: opts.weight, perChannelAxis: opts.axis }],
    biases: [{ operand: opts.bias, input: opts.input, weight: opts.weight }],
  };
  return opts.nonQuantOperands?.length ? { ...spec, nonQuantOperands: opts.nonQuantOperands } : spec;
}

/**
 * Ops whose weights are quantized per tensor unless per-channel is asked for explicitly. TF's MLIR
 * quantizer gives `tfl.fully_connected` quantization dim -1 (per-tensor), though TFLite's kernels
 * accept per-channel filters along axis 0. (QuantSpec has no field for this default.)
 */
export const PER_TENSOR_BY_DEFAULT: ReadonlySet<string> = new Set([
  'tfl.fully_connected',
  'tfl.batch_matmul',
  'tfl.svdf',
  'tfl.lstm',
  'tfl.unidirectional_sequence_lstm',
]);

/**
 * Ops whose results are integers or booleans even when their inputs are quantized (argmax, shape,
 * comparisons): the quantizer must not give those results a quantized type.
 */
export const INTEGER_RESULT_OPS: ReadonlySet<string> = new Set([
  'tfl.arg_max',
  'tfl.arg_min',
  'tfl.shape',
  'tfl.equal',
  'tfl.not_equal',
  'tfl.less',
  'tfl.less_equal',
  'tfl.greater',
  'tfl.greater_equal',
]);

/**
 * Operand roles of the 24-operand LSTM family (`tfl.lstm`, `tfl.unidirectional_sequence_lstm`), as
 * TFLite's integer LSTM expects them. Weights are int8 symmetric per tensor; peephole weights and
 * layer-norm coefficients int16 symmetric; gate biases int32 (scale input*weight without layer norm,
 * layer-norm coefficient scale * 2^-10 with it); the cell state int16 symmetric with a power-of-two
 * range; the activation state shares the output's quantization. The five optional intermediates
 * (`input_to_*_intermediate`, `effective_hidden_scale_intermediate`) carry calibrated ranges.
 */
export const LSTM_OPERAND_ROLES = Object.freeze({
  input: 0,
  inputWeights: Object.freeze([1, 2, 3, 4]),
  recurrentWeights: Object.freeze([5, 6, 7, 8]),
  peepholeWeights: Object.freeze([9, 10, 11]),
  gateBiases: Object.freeze([12, 13, 14, 15]),
  projectionWeights: 16,
  projectionBias: 17,
  activationState: 18,
  cellState: 19,
  layerNormCoefficients: Object.freeze([20, 21, 22, 23]),
  /** Operand indices that may be `none`: CIFG drops 1, 5, 9, 12 and 20. */
  cifgOperands: Object.freeze([1, 5, 9, 12, 20]),
  intermediates: Object.freeze([
    'input_to_input_intermediate',
    'input_to_forget_intermediate',
    'input_to_cell_intermediate',
    'input_to_output_intermediate',
    'effective_hidden_scale_intermediate',
  ]),
});

/** The quant spec shared by the LSTM family: int8 weights (per tensor); the rest is LSTM-specific. */
export function lstmSpec(supports: readonly ActWidth[]): QuantSpec {
  return {
    supports,
    weights: [...LSTM_OPERAND_ROLES.inputWeights, ...LSTM_OPERAND_ROLES.recurrentWeights, LSTM_OPERAND_ROLES.projectionWeights].map(
      (operand) => ({ operand }),
    ),
  };
}

/**
 * `tfl.svdf`: int8 feature weights (operand 1), int16 time weights (operand 2), an int16 state
 * (operand 4) and a bias (operand 3) with scale = scale(state) * scale(time weights) — TF's
 * AccumulatorUniformScale<3, 2, 4>.
 */
export const SVDF_SPEC: QuantSpec = Object.freeze({
  supports: INT8_ONLY,
  weights: [{ operand: 1 }, { operand: 2 }],
  biases: [{ operand: 3, input: 4, weight: 2 }],
});
