/**
 * LSTM kernels: `tfl.unidirectional_sequence_lstm` and `tfl.bidirectional_sequence_lstm`.
 *
 * One KernelDef per op; prepare() dispatches on the type combination and the flavour:
 *
 * | input | weights | biases  | cell | flavour 'tflite'                         | flavour 'tflm'                          |
 * |-------|---------|---------|------|------------------------------------------|-----------------------------------------|
 * | f32   | f32     | f32     | f32  | TFLite EvalFloat (lstm-float.ts)         | same, TFLM's tanh hidden + sigmoid      |
 * | i8    | i8      | i32     | i16  | TFLite EvalInteger8x8_16 (5 intermediates, CIFG/peephole/LN/projection) | TFLM general kernel (no intermediates; standard LSTM only) |
 * | i16   | i8      | i64/i32 | i16  | TFLM general kernel (lstm-16x8.ts)        | same                                    |
 *
 * Hybrid (f32 input with i8 weights), 8x8_8 and integer bidirectional LSTMs are unsupported.
 */
import { unsupported, type KernelContext, type KernelDef, type KernelFn } from '../../../../src/interp/kernel.js';
import { LSTM_INPUT, LSTM_INPUT_TO_OUTPUT_W } from './lstm-common.js';
import { prepareFloatLstm } from './lstm-float.js';
import { prepareIntegerLstmTflite } from './lstm-integer-tflite.js';
import { prepareIntegerLstmTflm } from './lstm-integer-tflm.js';
import { prepareLstm16x8 } from './lstm-16x8.js';
import { prepareBidirectionalLstmFloat } from './lstm-bidirectional.js';

function prepareUnidirectional(ctx: KernelContext): KernelFn {
  const input = ctx.inputs[LSTM_INPUT];
  const w = ctx.inputs[LSTM_INPUT_TO_OUTPUT_W];
  if (!input || !w) unsupported(ctx, 'missing input or input_to_output_weights');
  switch (input.dtype) {
    case 'f32':
      if (w.dtype !== 'f32') unsupported(ctx, 'hybrid (float input, quantized weights) LSTM is not supported');
      return prepareFloatLstm(ctx);
    case 'i8':
      return ctx.flavour === 'tflm' ? prepareIntegerLstmTflm(ctx, '8x8_16') : prepareIntegerLstmTflite(ctx);
    case 'i16':
      return prepareLstm16x8(ctx);
    default:
      return unsupported(ctx);
  }
}

/**
 * `tfl.unidirectional_sequence_lstm`: f32; i8 (8x8_16: i8 activations/weights, i32 bias, i16 cell);
 * i16x8 (i16 activations, i8 weights, i64 or i32 bias, i16 cell). State operands 18/19 are updated in
 * place.
 */
export const unidirectionalSequenceLstmKernel: KernelDef = {
  op: 'tfl.unidirectional_sequence_lstm',
  flavoursDiffer:
    "int8: 'tflite' = TFLite 2.12 EvalInteger8x8_16 (intermediate-based effective scales, gemmlowp sigmoid/tanh, " +
    "power-of-two shifts for the cell update); 'tflm' = tflite-micro's general kernel (scales from the tensors, " +
    'LUT sigmoid/tanh, quantized-multiplier Muls; standard LSTM only). float: TFLM always uses tanh for the hidden ' +
    "state. 16x8: identical (TFLM's arithmetic in both).",
  prepare: prepareUnidirectional,
};

/** `tfl.bidirectional_sequence_lstm`: float32 only (TFLite semantics in both flavours). */
export const bidirectionalSequenceLstmKernel: KernelDef = {
  op: 'tfl.bidirectional_sequence_lstm',
  prepare: prepareBidirectionalLstmFloat,
};

export const lstmKernels: readonly KernelDef[] = [unidirectionalSequenceLstmKernel, bidirectionalSequenceLstmKernel];
