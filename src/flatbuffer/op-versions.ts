// Minimal OperatorCode.version for builtin ops, following TFLite's op-versioning rules
// (tools/versioning/op_version.cc) for the type combinations qopt emits: float, int8,
// 16x8 (int16 activations, int8 weights, int64 bias), hybrid. Ops without a rule get 1.
// opVersionFactsFromFlatbuffer() derives the facts from a written model, as TFLite does.

import {
  ActivationFunctionType,
  BuiltinOperator as Op,
  FullyConnectedOptionsWeightsFormat,
  LSTMKernelType,
  Model,
  TensorType as T,
} from './generated/tflite_generated.js';
import * as G from './generated/tflite_generated.js';
import { effectiveBuiltinCode } from './op-codes.js';

/**
 * What the version of one operator depends on. Operand lists are in TFLite operand
 * order (e.g. TRANSPOSE_CONV is [output_shape, weights, input, bias]); `null` marks an
 * omitted optional operand (index -1). Every other field is optional and defaults to
 * "feature not used"; the defaults match what qopt writes unless noted.
 */
export interface OpVersionFacts {
  /** Element type of each input operand (null = omitted optional input). */
  readonly inputTypes: readonly (T | null)[];
  /** Element type of each output operand. */
  readonly outputTypes: readonly (T | null)[];
  /** Shape of each input (only rank and equality matter); needed by rank-dependent rules. */
  readonly inputShapes?: readonly (readonly number[] | null)[];

  /** Input 0 carries quantization parameters (ADD/MUL/ABS int16). Default: true for int8/uint8/int16 inputs. */
  readonly inputQuantized?: boolean;
  /** Weights (or QUANTIZE output / DEQUANTIZE input) are quantized per channel. */
  readonly perChannelQuantized?: boolean;
  /** CONV_2D whose input channels differ from the filter's (grouped convolution). */
  readonly groupedConvolution?: boolean;
  /** FULLY_CONNECTED weights stored sparse (Tensor.sparsity set). */
  readonly sparseWeights?: boolean;
  /** MUL: first scale of input 0, input 1 and output (rule: in0*in1/out >= 1 -> v3). */
  readonly mulScales?: readonly [number, number, number];

  /** ADD/SUB option pot_scale_int16. Schema default true; TFLite's 16x8 quantizer writes false. */
  readonly potScaleInt16?: boolean;
  /**
   * CONV_2D / FULLY_CONNECTED / TRANSPOSE_CONV: TFLite sees a quantized_bias_type. Note that
   * TFLite, versioning a written file, converts the field's FLOAT32 default to a non-zero
   * TfLiteType, so this is true whenever the op carries its options table; a writer that
   * emits options for a 16x8 CONV_2D / FULLY_CONNECTED should pass true (-> v8 / v11).
   */
  readonly quantizedBiasType?: boolean;
  /** A fused activation other than NONE (matters for TRANSPOSE_CONV). */
  readonly fusedActivation?: boolean;
  /** FULLY_CONNECTED keep_num_dims. */
  readonly keepNumDims?: boolean;
  /** FULLY_CONNECTED weights_format = SHUFFLED4x16INT8. */
  readonly shuffledWeights?: boolean;
  /** asymmetric_quantize_inputs (hybrid ops). */
  readonly asymmetricQuantizeInputs?: boolean;
  /** DEPTHWISE_CONV_2D dilation factor other than 1. */
  readonly dilated?: boolean;
  /** GATHER batch_dims value. */
  readonly batchDims?: number;
  /** STRIDED_SLICE: ellipsis_mask or new_axis_mask non-zero. */
  readonly ellipsisOrNewAxisMask?: boolean;
  /** STRIDED_SLICE option `offset`. */
  readonly offset?: boolean;
  /** RESIZE_*: half_pixel_centers. */
  readonly halfPixelCenters?: boolean;
  /** RESIZE_NEAREST_NEIGHBOR: align_corners. */
  readonly alignCorners?: boolean;
  /** LSTM kernel_type = BASIC. */
  readonly basicLstmKernel?: boolean;
  /** UNIDIRECTIONAL_SEQUENCE_LSTM diagonal_recurrent_tensors. */
  readonly diagonalRecurrentTensors?: boolean;
  /** FAKE_QUANT narrow_range. */
  readonly narrowRange?: boolean;
}

const isFloat8 = (t: T | null | undefined): boolean => t === T.FLOAT8_E4M3FN || t === T.FLOAT8_E5M2;

/**
 * The lowest version TFLite's versioning assigns to builtin op `code` with these facts.
 * Writers store max(this, any version already recorded), as TFLite's UpdateOpVersion
 * does. Notable results: 16x8 FULLY_CONNECTED is 11 with quantizedBiasType (what TFLite
 * computes whenever FullyConnectedOptions is present), else 1 with bias / 6 without;
 * 16x8 CONV_2D is 8 with quantizedBiasType, else 1; 16x8 DEPTHWISE_CONV_2D is 1 (2 if
 * dilated); int16 quantized ADD is 3 only with potScaleInt16 = false, else 1.
 */
export function opVersion(code: number, facts: OpVersionFacts): number {
  const inp = (i: number): T | null | undefined => facts.inputTypes[i];
  const out = (i: number): T | null | undefined => facts.outputTypes[i];
  const rank = (i: number): number => facts.inputShapes?.[i]?.length ?? 0;
  const in0 = inp(0);
  const in1 = inp(1);
  const out0 = out(0);
  const inputQuantized = facts.inputQuantized ?? (in0 === T.INT8 || in0 === T.UINT8 || in0 === T.INT16);
  const is16x8 = in0 === T.INT16 && in1 === T.INT8 && out0 === T.INT16;
  const isHybrid = in0 === T.FLOAT32 && in1 === T.INT8 && out0 === T.FLOAT32;
  /** Broadcasting binary op with an input above rank 4 (SUB/DIV/MAXIMUM/MINIMUM rule). */
  const broadcastAbove4D = (): boolean => {
    const shapes = facts.inputShapes ?? [];
    if (facts.inputTypes.length < 2) return false;
    const [a, b] = [shapes[0] ?? [], shapes[1] ?? []];
    const differ = a.length !== b.length || a.some((d, i) => d !== b[i]);
    return differ && Math.max(...shapes.map((s) => s?.length ?? 0)) > 4;
  };
  /** Shared ladder: int16 -> v16, int8 -> v8, else 1 (undefined thresholds skipped). */
  const ladder = (v16: number | undefined, v8: number): number =>
    v16 !== undefined && in0 === T.INT16 ? v16 : in0 === T.INT8 ? v8 : 1;

  switch (code) {
    case Op.CONV_2D:
      if (is16x8 && facts.quantizedBiasType) return 8;
      if (facts.groupedConvolution) return 6;
      // TFLite compares output(1) here, which a conv does not have; output(0) is meant.
      if (in0 === T.INT16 && in1 === T.INT16 && out0 === T.INT16) return 4;
      if (in0 === T.INT8 && in1 === T.INT8 && out0 === T.INT8) return 3;
      if (in0 === T.INT8 && in1 === T.INT4 && out0 === T.INT8) return 7;
      if (isHybrid) return facts.perChannelQuantized ? 5 : 2;
      return 1;

    case Op.DEPTHWISE_CONV_2D:
      if (in0 === T.INT16 && in1 === T.INT16 && out0 === T.INT16) return 5; // same output(1) quirk
      if (isHybrid) return facts.perChannelQuantized ? 6 : 4;
      if (in0 === T.INT8 && in1 === T.INT8 && out0 === T.INT8) return 3;
      if (in0 === T.INT8 && in1 === T.INT4 && out0 === T.INT8) return 7;
      return facts.dilated ? 2 : 1;

    case Op.FULLY_CONNECTED:
      if (in1 === T.INT2) return 14;
      if (in0 === T.INT16 && in1 === T.INT4 && out0 === T.INT16) return 13;
      if (isHybrid && facts.perChannelQuantized) return 12;
      if (is16x8 && facts.quantizedBiasType) return 11;
      if (facts.sparseWeights) return 8;
      if (in0 === T.INT16 && in1 === T.INT16 && out0 === T.INT16) return 7;
      if (facts.inputTypes.length === 2) return 6;
      if (facts.keepNumDims) return 5;
      if (in0 === T.INT8 && in1 === T.INT8 && out0 === T.INT8) return 4;
      if (in0 === T.INT8 && in1 === T.INT4 && out0 === T.INT8) return 10;
      if (isHybrid) return facts.asymmetricQuantizeInputs ? 9 : 3;
      return facts.shuffledWeights ? 2 : 1;

    case Op.TRANSPOSE_CONV:
      // Operand 0 is output_shape (int32), so TFLite's 16x8 test on it never matches.
      if (is16x8 && facts.quantizedBiasType) return 5;
      if (facts.fusedActivation) return 4;
      if (facts.inputTypes.length === 4 && inp(3) !== null && inp(3) !== undefined) return 3;
      return in1 === T.INT8 ? 2 : 1;

    case Op.AVERAGE_POOL_2D:
    case Op.MAX_POOL_2D:
    case Op.LOGISTIC:
    case Op.TANH:
      if (in0 === T.INT16 && out0 === T.INT16) return 3;
      return ladder(undefined, 2);

    case Op.ADD:
      if (in0 === T.FLOAT16) return 6;
      if (in0 === T.INT16 && !inputQuantized) return 5;
      if (in0 === T.INT64) return 4;
      if (in0 === T.INT16 && out0 === T.INT16 && facts.potScaleInt16 === false) return 3;
      return ladder(undefined, 2);

    case Op.SUB:
      if (in0 === T.INT16 && out0 === T.INT16 && facts.potScaleInt16 === false) return 5;
      if (in0 === T.INT64) return 4;
      if (broadcastAbove4D()) return 3;
      return ladder(undefined, 2);

    case Op.MUL: {
      if (in0 === T.FLOAT16) return 8;
      if ((in0 === T.INT16 && !inputQuantized) || in0 === T.UINT32) return 7;
      if (in0 === T.COMPLEX64) return 6;
      if (in0 === T.INT64) return 5;
      if (in0 === T.INT16) return 4;
      const s = facts.mulScales;
      if (s && s[0] !== 0 && s[1] !== 0 && s[2] !== 0 && (s[0] * s[1]) / s[2] >= 1) return 3;
      return ladder(undefined, 2);
    }

    case Op.DIV:
      return broadcastAbove4D() ? 2 : 1;

    case Op.MAXIMUM:
    case Op.MINIMUM:
      if (in0 === T.INT16 && out0 === T.INT16) return 4;
      if (broadcastAbove4D()) return 3;
      return ladder(undefined, 2);

    case Op.CONCATENATION:
      if (isFloat8(in0)) return 7;
      if (in0 === T.FLOAT16) return 6;
      if (in0 === T.INT4) return 5;
      if (in0 === T.UINT32) return 4;
      return ladder(3, 2);

    case Op.SOFTMAX:
      if (in0 === T.FLOAT16) return 4;
      return ladder(3, 2);

    case Op.MEAN:
    case Op.MIRROR_PAD:
    case Op.REDUCE_MAX:
    case Op.REDUCE_MIN:
    case Op.RELU6:
    case Op.RSQRT:
      return ladder(3, 2);

    case Op.SUM:
    case Op.LOG_SOFTMAX:
    case Op.SQUARED_DIFFERENCE:
    case Op.SPACE_TO_DEPTH:
    case Op.DEPTH_TO_SPACE:
    case Op.GREATER:
    case Op.LESS_EQUAL:
      return ladder(undefined, 2);

    case Op.EXP:
    case Op.LOG:
    case Op.REDUCE_PROD:
    case Op.SQRT:
      return in0 === T.INT8 || in0 === T.INT16 ? 2 : 1;

    case Op.RELU:
      if (in0 === T.INT16) return 3;
      return in0 === T.INT8 || in0 === T.UINT8 ? 2 : 1;

    case Op.LEAKY_RELU:
      return in0 === T.INT16 ? 2 : 1;

    case Op.ABS:
      if (in0 === T.INT32) return 5;
      if (in0 === T.INT16) return inputQuantized ? 3 : 4;
      return in0 === T.INT8 || in0 === T.UINT8 ? 2 : 1;

    case Op.TRANSPOSE:
      if (in0 === T.FLOAT16) return 9;
      if (rank(0) > 6 || in0 === T.BFLOAT16) return 8;
      if (in0 === T.INT4) return 7;
      if (rank(0) > 5) return 6;
      if (in0 === T.INT16) return 5;
      if (rank(0) > 4) return 4;
      if (in0 === T.BOOL) return 3;
      return ladder(undefined, 2);

    case Op.SQUEEZE:
      return in0 === T.STRING ? 2 : 1;

    case Op.SPLIT: {
      const data = in1; // operand 0 is the axis
      if (isFloat8(data)) return 5;
      if (data === T.INT16) return 4;
      if (data === T.INT32) return 3;
      return data === T.INT8 ? 2 : 1;
    }

    case Op.SPLIT_V:
      if (isFloat8(in0)) return 3;
      return ladder(undefined, 2);

    case Op.SLICE:
      if (in0 === T.FLOAT16) return 8;
      if (in0 === T.INT4) return 7;
      if (in0 === T.UINT32) return 6;
      if (rank(0) > 4) return 5;
      if (in0 === T.INT16) return 4;
      if (in0 === T.STRING) return 3;
      return ladder(undefined, 2);

    case Op.STRIDED_SLICE:
      if (facts.offset) return 8;
      if (in0 === T.UINT32) return 7;
      if (facts.ellipsisOrNewAxisMask) return 6;
      if (in0 === T.STRING) return 5;
      if (rank(0) > 4) return 4;
      if (in0 === T.BOOL) return 3;
      return ladder(undefined, 2);

    case Op.PACK:
      if (isFloat8(in0)) return 5;
      if (in0 === T.INT8) return 2;
      if (in0 === T.INT16 && out0 === T.INT16) return 3;
      return in0 === T.UINT32 ? 4 : 1;

    case Op.UNPACK:
      if (isFloat8(in0)) return 6;
      if (in0 === T.INT8 || in0 === T.UINT8) return 2;
      if (in0 === T.BOOL) return 3;
      if (in0 === T.INT16 && out0 === T.INT16) return 4;
      return in0 === T.FLOAT16 || in0 === T.BFLOAT16 ? 5 : 1;

    case Op.PAD:
    case Op.PADV2:
      if (isFloat8(in0)) return 6;
      if (in0 === T.BOOL) return 5;
      if (rank(0) > 4) return 4;
      return ladder(3, 2);

    case Op.GATHER:
      if (isFloat8(in0)) return 8;
      if (in0 === T.INT4) return 7;
      if (in1 === T.INT16) return 6;
      if ((facts.batchDims ?? 0) !== 0) return 5;
      if (in0 === T.INT16) return 4;
      if (in0 === T.BOOL) return 3;
      return ladder(undefined, 2);

    case Op.BATCH_MATMUL:
      if (in0 === T.INT16) return 3;
      if (in0 === T.INT8) return 2;
      return isHybrid && facts.asymmetricQuantizeInputs ? 4 : 1;

    case Op.QUANTIZE:
      if (in0 === T.UINT4 || out0 === T.UINT4) return 5;
      if (in0 === T.INT4 || out0 === T.INT4) return 4;
      if (facts.perChannelQuantized) return 3;
      return out0 === T.INT16 ? 2 : 1;

    case Op.DEQUANTIZE:
      if (isFloat8(in0)) return 9;
      if (in0 === T.UINT4) return 8;
      if (in0 === T.INT2) return 7;
      if (in0 === T.INT4) return 6;
      if (in0 === T.INT16 || in0 === T.FLOAT16) return 3;
      if (in0 === T.INT8) return facts.perChannelQuantized ? 5 : 2;
      return 1;

    case Op.LSTM:
      if (!facts.basicLstmKernel && in0 === T.INT16 && inp(2) === T.INT8 && out0 === T.INT16) return 5;
      if (!facts.basicLstmKernel && in0 === T.FLOAT32 && inp(2) === T.INT8 && out0 === T.FLOAT32) {
        return facts.asymmetricQuantizeInputs ? 4 : 3;
      }
      return facts.basicLstmKernel ? 2 : 1;

    case Op.UNIDIRECTIONAL_SEQUENCE_LSTM:
      if (in0 === T.INT16 && inp(2) === T.INT8 && out0 === T.INT16) return 5;
      if (facts.diagonalRecurrentTensors) return 4;
      if (in0 === T.FLOAT32 && inp(2) === T.INT8 && out0 === T.FLOAT32) {
        return facts.asymmetricQuantizeInputs ? 3 : 2;
      }
      return 1;

    case Op.BIDIRECTIONAL_SEQUENCE_LSTM:
    case Op.BIDIRECTIONAL_SEQUENCE_RNN:
    case Op.UNIDIRECTIONAL_SEQUENCE_RNN:
    case Op.RNN:
      if (in1 === T.INT8 && out0 === T.FLOAT32) return facts.asymmetricQuantizeInputs ? 3 : 2;
      return 1;

    case Op.SVDF:
      if (in0 === T.INT8) return 3;
      if (isHybrid) return facts.asymmetricQuantizeInputs ? 4 : 2;
      return 1;

    case Op.CAST:
      if (isFloat8(in0) || isFloat8(out0)) return 9;
      if ([in0, out0].some((t) => t === T.INT2 || t === T.UINT4)) return 8;
      if (in0 === T.BFLOAT16 || out0 === T.BFLOAT16) return 7;
      if (in0 === T.INT4 && out0 === T.FLOAT32) return 6;
      if ([in0, out0].some((t) => t === T.FLOAT64 || t === T.FLOAT16)) return 5;
      if (in0 === T.UINT16 || out0 === T.UINT16) return 4;
      if (in0 === T.INT8 || out0 === T.INT8) return 3;
      return in0 === T.UINT32 || out0 === T.UINT32 ? 2 : 1;

    case Op.ARG_MAX:
    case Op.ARG_MIN:
      if (in0 === T.BOOL) return 3;
      return ladder(undefined, 2);

    case Op.RESIZE_BILINEAR:
      if (in0 === T.INT16) return 4;
      if (facts.halfPixelCenters) return 3;
      return ladder(undefined, 2);

    case Op.RESIZE_NEAREST_NEIGHBOR:
      if (in0 === T.INT16) return 4;
      if (facts.halfPixelCenters || facts.alignCorners) return 3;
      return ladder(undefined, 2);

    case Op.FAKE_QUANT:
      return facts.narrowRange ? 2 : 1;

    default:
      // RESHAPE, EXPAND_DIMS, SHAPE, HARD_SWISH, RELU_N1_TO_1, RELU_0_TO_1, WHILE, IF,
      // CALL_ONCE, ... have no versioning rule in TFLite: always 1.
      return 1;
  }
}

/**
 * Facts for operator `operatorIndex` of subgraph `subgraphIndex` of a (verified) model,
 * derived the way TFLite's op signature does (per-channel = one scale per output
 * channel, input quantized = input 0 has a quantization table, ...).
 */
export function opVersionFactsFromFlatbuffer(model: Model, subgraphIndex: number, operatorIndex: number): OpVersionFacts {
  const sg = model.subgraphs(subgraphIndex);
  const op = sg?.operators(operatorIndex);
  if (!sg || !op) throw new Error(`op-versions: no operator ${subgraphIndex}:${operatorIndex}`);
  const tensor = (index: number | null | undefined): G.Tensor | null =>
    index === null || index === undefined || index < 0 ? null : sg.tensors(index);
  const inputs = Array.from(op.inputsArray() ?? []);
  const outputs = Array.from(op.outputsArray() ?? []);
  const typeOf = (i: number): T | null => tensor(i)?.type() ?? null;
  const shapeOf = (t: G.Tensor | null): number[] | null => (t ? Array.from(t.shapeArray() ?? []) : null);
  const scaleCount = (t: G.Tensor | null): number => t?.quantization()?.scaleLength() ?? 0;
  const opcode = model.operatorCodes(op.opcodeIndex());
  const code = opcode ? effectiveBuiltinCode(opcode.deprecatedBuiltinCode(), opcode.builtinCode()) : -1;

  const in0 = tensor(inputs[0]);
  const w = tensor(inputs[1]);
  const wShape = shapeOf(w) ?? [];
  let perChannelQuantized = false;
  let groupedConvolution = false;
  if (code === Op.CONV_2D) {
    perChannelQuantized = (wShape[0] ?? 0) > 0 && scaleCount(w) === wShape[0];
    const inShape = shapeOf(in0) ?? [];
    groupedConvolution = inShape.length > 0 && inShape[3] !== wShape[3];
  } else if (code === Op.DEPTHWISE_CONV_2D) {
    perChannelQuantized = (wShape[3] ?? 0) > 0 && scaleCount(w) === wShape[3];
  } else if (code === Op.FULLY_CONNECTED) {
    perChannelQuantized = scaleCount(w) > 0 && wShape.length > 0 && scaleCount(w) === wShape[0];
  } else if (code === Op.QUANTIZE || code === Op.DEQUANTIZE) {
    const t = code === Op.QUANTIZE ? tensor(outputs[0]) : in0;
    const q = t?.quantization();
    const dim = shapeOf(t)?.[q?.quantizedDimension() ?? 0];
    perChannelQuantized = scaleCount(t) > 1 && scaleCount(t) === dim;
  }
  let mulScales: [number, number, number] | undefined;
  if (code === Op.MUL && inputs.length >= 2 && outputs.length >= 1) {
    const s = [in0, w, tensor(outputs[0])].map((t) => t?.quantization()?.scale(0) ?? null);
    if (s.every((x) => x !== null)) mulScales = s as [number, number, number];
  }

  const facts: Record<string, unknown> = {
    inputTypes: inputs.map(typeOf),
    outputTypes: outputs.map(typeOf),
    inputShapes: inputs.map((i) => shapeOf(tensor(i))),
    inputQuantized: in0?.quantization() !== null && in0 !== null,
    perChannelQuantized,
    groupedConvolution,
    sparseWeights: code === Op.FULLY_CONNECTED && w?.sparsity() !== null && w !== null,
    mulScales,
  };
  Object.assign(facts, optionFacts(op));
  return facts as unknown as OpVersionFacts;
}

/** Option-derived facts of one operator, read from whichever options table it carries. */
function optionFacts(op: G.Operator): Partial<Record<keyof OpVersionFacts, unknown>> {
  const o = G.unionToBuiltinOptions(op.builtinOptionsType(), (obj) => op.builtinOptions(obj)) ?? null;
  // Absent options leave TFLite's parsed params zeroed: pot_scale_int16 = false, no bias type.
  if (o === null) return { potScaleInt16: false };
  if (o instanceof G.AddOptions || o instanceof G.SubOptions) return { potScaleInt16: o.potScaleInt16() };
  // quantized_bias_type: any value, FLOAT32 included, reads as "set" (see OpVersionFacts).
  if (o instanceof G.Conv2DOptions) return { quantizedBiasType: true };
  if (o instanceof G.TransposeConvOptions) {
    return { quantizedBiasType: true, fusedActivation: o.fusedActivationFunction() !== ActivationFunctionType.NONE };
  }
  if (o instanceof G.DepthwiseConv2DOptions) return { dilated: o.dilationWFactor() !== 1 || o.dilationHFactor() !== 1 };
  if (o instanceof G.FullyConnectedOptions) {
    return {
      quantizedBiasType: true,
      keepNumDims: o.keepNumDims(),
      shuffledWeights: o.weightsFormat() === FullyConnectedOptionsWeightsFormat.SHUFFLED4x16INT8,
      asymmetricQuantizeInputs: o.asymmetricQuantizeInputs(),
    };
  }
  if (o instanceof G.GatherOptions) return { batchDims: o.batchDims() };
  if (o instanceof G.StridedSliceOptions) {
    return { offset: o.offset(), ellipsisOrNewAxisMask: o.ellipsisMask() !== 0 || o.newAxisMask() !== 0 };
  }
  if (o instanceof G.ResizeBilinearOptions) return { halfPixelCenters: o.halfPixelCenters() };
  if (o instanceof G.ResizeNearestNeighborOptions) {
    return { halfPixelCenters: o.halfPixelCenters(), alignCorners: o.alignCorners() };
  }
  if (o instanceof G.LSTMOptions) {
    return { basicLstmKernel: o.kernelType() === LSTMKernelType.BASIC, asymmetricQuantizeInputs: o.asymmetricQuantizeInputs() };
  }
  if (o instanceof G.UnidirectionalSequenceLSTMOptions) {
    return { diagonalRecurrentTensors: o.diagonalRecurrentTensors(), asymmetricQuantizeInputs: o.asymmetricQuantizeInputs() };
  }
  if (
    o instanceof G.BidirectionalSequenceLSTMOptions || o instanceof G.BidirectionalSequenceRNNOptions ||
    o instanceof G.SequenceRNNOptions || o instanceof G.RNNOptions || o instanceof G.SVDFOptions ||
    o instanceof G.BatchMatMulOptions
  ) {
    return { asymmetricQuantizeInputs: o.asymmetricQuantizeInputs() };
  }
  if (o instanceof G.FakeQuantOptions) return { narrowRange: o.narrowRange() };
  return {};
}
