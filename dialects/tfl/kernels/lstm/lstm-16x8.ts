/**
 * 16x8 integer LSTM: int16 input/hidden/output, int8 weights, int64 (or int32) gate biases, int16
 * cell state. TFLite 2.12's builtin kernel has no such path (its Prepare accepts only float or int8
 * inputs; tfjs-tflite rejects these models), so both flavours run it the way tflite-micro does:
 * `EvalLstm<int16_t, int8_t, int16_t, int64_t>` in tensorflow/tflite-micro @ 90b983c2
 * `kernels/lstm_eval.h`, with the parameters of `kernels/lstm_eval_common.cc`
 * `PrepareGateParametersInteger`. The arithmetic is documented in lstm-integer-tflm.ts, which holds
 * the shared implementation; the 16x8-specific parts are the int64 FC accumulators and TFLM's int64
 * MultiplyByQuantizedMultiplier, which reduces the multiplier to 16 bits (`(m + 2^15) >> 16`) before
 * `(x * m16 + 2^(14 - shift)) >> (15 - shift)` - for both the input FC (with bias) and the bias-free
 * recurrent FC, because both are instantiated with an int64 accumulator.
 */
import type { KernelContext, KernelFn } from '../../../../src/interp/kernel.js';
import { prepareIntegerLstmTflm } from './lstm-integer-tflm.js';

/** Prepares the 16x8 `tfl.unidirectional_sequence_lstm` (i16 in, i8 weights, i64/i32 bias) -> i16. */
export function prepareLstm16x8(ctx: KernelContext): KernelFn {
  return prepareIntegerLstmTflm(ctx, '16x8');
}
