/**
 * Float `tfl.bidirectional_sequence_lstm` (48 operands, 1 or 2 outputs).
 *
 * Arithmetic followed: TensorFlow Lite 2.12 `kernels/bidirectional_sequence_lstm.cc` Prepare/Eval
 * (float case): two `lstm_eval::EvalFloat` passes with the same cell arithmetic as the unidirectional
 * float kernel (see lstm-float.ts), no layer norm:
 * - forward pass over t = 0..T-1 into output 0 at offset 0;
 * - backward pass over t = T-1..0 into output 1, or, with `merge_outputs`, into output 0 at offset
 *   n_fw_output (rows of n_fw_output + n_bw_output values);
 * - auxiliary input (operand 39): with aux weights (40..47) both directions add W_aux·aux after the
 *   input matmul ("stacking with cross links"); without aux weights the backward cell reads the aux
 *   input *instead of* the input ("non-stacking" mode).
 * Options: fused_activation_function, cell_clip, proj_clip, merge_outputs, time_major (schema default
 * **true** for this op), asymmetric_quantize_inputs (hybrid only, ignored here).
 *
 * Checked against tfjs-tflite (TFLite ~2.12): merged and separate outputs, time- and batch-major,
 * CIFG/peephole/projection, cross-linked and non-stacking aux input - within 1e-7.
 * Rejected like TFLite: forward/backward cells of different sizes. Rejected because TFLite misindexes
 * it: cross-linked aux input whose size differs from the input size.
 * Deliberate deviation: batch-major with merge_outputs and n_batch > 1 - TFLite 2.12 offsets the state
 * rows by the merged output row length (`b * output_batch_leading_dim`), i.e. reads and writes past
 * the state tensors (its result then depends on whatever memory lies there: it equals ours when that
 * memory is zero, and was observed to be NaN otherwise). We index the states with n_output.
 * Flavours: TFLM has no bidirectional LSTM; both flavours compute TFLite's float semantics.
 * Hybrid (float input, int8 weights) and integer bidirectional LSTMs are unsupported.
 */
import { KernelError, unsupported, type KernelContext, type KernelFn, type Tensor, type TensorInfo } from '../../../../src/interp/kernel.js';
import { asF32, parseLstmAttrs, type LstmCellOperands } from './lstm-common.js';
import { prepareFloatCell, type AuxOperands } from './lstm-float.js';

const BIDI_INPUT = 0;
const BIDI_AUX_INPUT = 39;

function cellOperands(base: number, outputState: number, cellState: number): LstmCellOperands {
  return {
    inputWeights: [base + 0, base + 1, base + 2, base + 3],
    recurrentWeights: [base + 4, base + 5, base + 6, base + 7],
    peephole: [base + 8, base + 9, -1, base + 10],
    bias: [base + 11, base + 12, base + 13, base + 14],
    layerNorm: [-1, -1, -1, -1],
    projectionWeights: base + 15,
    projectionBias: base + 16,
    outputState,
    cellState,
  };
}

/** Forward cell operands (1..17, states 35/36). */
export const BIDI_FW_OPERANDS = cellOperands(1, 35, 36);
/** Backward cell operands (18..34, states 37/38). */
export const BIDI_BW_OPERANDS = cellOperands(18, 37, 38);
const FW_AUX: AuxOperands = { weights: [40, 41, 42, 43] };
const BW_AUX: AuxOperands = { weights: [44, 45, 46, 47] };

/** Prepares the float bidirectional LSTM: (f32 input, f32 weights/states[, f32 aux]) -> f32 output(s). */
export function prepareBidirectionalLstmFloat(ctx: KernelContext): KernelFn {
  const attrs = parseLstmAttrs(ctx, true);
  const input = ctx.inputs[BIDI_INPUT];
  if (!input || input.dtype !== 'f32') unsupported(ctx, 'the bidirectional LSTM is supported for float32 only');
  if (input.shape.length !== 3) unsupported(ctx, 'input must have rank 3');
  const auxInput = ctx.inputs[BIDI_AUX_INPUT];
  const useAuxWeights = !!ctx.inputs[FW_AUX.weights[1]];
  const auxAll = [1, 2, 3].every((g) => !!ctx.inputs[FW_AUX.weights[g] as number] && !!ctx.inputs[BW_AUX.weights[g] as number]);
  const auxNone = [1, 2, 3].every((g) => !ctx.inputs[FW_AUX.weights[g] as number] && !ctx.inputs[BW_AUX.weights[g] as number]);
  if (!auxAll && !auxNone) unsupported(ctx, 'aux input weights must be all present or all absent');
  if (useAuxWeights && !auxInput) unsupported(ctx, 'aux input weights without an aux input');
  if (auxInput && auxInput.dtype !== 'f32') unsupported(ctx, 'aux input must be float32');
  if (auxInput && (auxInput.shape.length !== 3 || auxInput.shape[0] !== input.shape[0] || auxInput.shape[1] !== input.shape[1])) {
    unsupported(ctx, 'aux input must match the input in its first two dimensions');
  }
  const nonStacking = !useAuxWeights && !!auxInput;
  const bwInput: TensorInfo = nonStacking ? (auxInput as TensorInfo) : input;
  if (nonStacking && bwInput.shape[2] !== input.shape[2]) {
    unsupported(ctx, 'in non-stacking mode the aux input (backward input) must have the input size');
  }
  const nAux = useAuxWeights ? ((auxInput as TensorInfo).shape[2] as number) : 0;
  if (useAuxWeights && nAux !== input.shape[2]) {
    // EvalFloat steps the aux pointer by the *input* row length (input_step), so any other aux size
    // reads misaligned (or out-of-bounds) rows upstream.
    unsupported(ctx, `aux input size ${nAux} != input size ${input.shape[2]} (TFLite misindexes the aux input)`);
  }

  // TFLM has no bidirectional kernel: TFLite semantics in both flavours.
  const fw = prepareFloatCell(ctx, BIDI_FW_OPERANDS, input, attrs, useAuxWeights ? FW_AUX : undefined, nAux, 'tflite');
  const bw = prepareFloatCell(ctx, BIDI_BW_OPERANDS, bwInput, attrs, useAuxWeights ? BW_AUX : undefined, nAux, 'tflite');
  if (fw.sizes.nBatch !== bw.sizes.nBatch || fw.sizes.maxTime !== bw.sizes.maxTime) {
    throw new KernelError(`'${ctx.op}' at ${ctx.where}: forward and backward inputs disagree in batch/time`);
  }
  if (fw.sizes.nCell !== bw.sizes.nCell || fw.sizes.nOutput !== bw.sizes.nOutput) {
    // TFLite's CheckInputTensorDimensions checks both directions against the forward n_cell/n_output.
    unsupported(ctx, 'forward and backward cells must have the same n_cell and n_output');
  }
  const nFw = fw.sizes.nOutput;
  const nBw = bw.sizes.nOutput;
  const merge = attrs.mergeOutputs;
  const want = (last: number): number[] => [input.shape[0] as number, input.shape[1] as number, last];
  const same = (t: TensorInfo | undefined, dims: number[]): boolean =>
    !!t && t.dtype === 'f32' && t.shape.length === 3 && t.shape.every((d, i) => d === dims[i]);
  if (!same(ctx.outputs[0], want(merge ? nFw + nBw : nFw))) unsupported(ctx, `output 0 must be f32 [${want(merge ? nFw + nBw : nFw).join(',')}]`);
  if (!merge && !same(ctx.outputs[1], want(nBw))) unsupported(ctx, `output 1 must be f32 [${want(nBw).join(',')}]`);

  return (inputs, outputs) => {
    const x = asF32((inputs[BIDI_INPUT] as Tensor).data, 'input');
    const auxT = inputs[BIDI_AUX_INPUT];
    const auxX = auxT ? asF32(auxT.data, 'aux input') : undefined;
    const out0 = asF32((outputs[0] as Tensor).data, 'output 0');
    const realAux = nonStacking ? undefined : auxX;
    fw.run(inputs, x, realAux, nAux, out0, 0, merge ? nFw + nBw : nFw, true);
    if (merge) {
      bw.run(inputs, nonStacking ? (auxX as Float32Array) : x, realAux, nAux, out0, nFw, nFw + nBw, false);
    } else {
      const out1 = asF32((outputs[1] as Tensor).data, 'output 1');
      bw.run(inputs, nonStacking ? (auxX as Float32Array) : x, realAux, nAux, out1, 0, nBw, false);
    }
  };
}
