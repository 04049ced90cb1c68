// Tests for opVersion(): spot checks of TFLite's versioning rules for the type mixes qopt
// writes (float, int8, 16x8, hybrid), and agreement with the versions stored in corpus
// models that TFLite's converter wrote (its UpdateOpVersion pass ran on them).

import { describe, expect, it } from 'vitest';
import { BuiltinOperator as Op, TensorType as T } from '../../src/flatbuffer/generated/tflite_generated.js';
import { effectiveBuiltinCode } from '../../src/flatbuffer/op-codes.js';
import { opVersion, opVersionFactsFromFlatbuffer, type OpVersionFacts } from '../../src/flatbuffer/op-versions.js';
import { CORPUS_DIR, corpusModels, loadModelBytes, readModel } from './helpers.js';

const F = T.FLOAT32;
const sig = (inputTypes: (T | null)[], outputTypes: T[], extra: Partial<OpVersionFacts> = {}): OpVersionFacts => ({
  inputTypes,
  outputTypes,
  ...extra,
});

describe('opVersion', () => {
  it.each([
    // [label, op, facts, version]
    ['float ADD', Op.ADD, sig([F, F], [F]), 1],
    ['int8 ADD', Op.ADD, sig([T.INT8, T.INT8], [T.INT8]), 2],
    ['int16 ADD, general scales', Op.ADD, sig([T.INT16, T.INT16], [T.INT16], { potScaleInt16: false }), 3],
    ['int16 ADD, POT scales', Op.ADD, sig([T.INT16, T.INT16], [T.INT16], { potScaleInt16: true }), 1],
    ['int16 ADD, not quantized', Op.ADD, sig([T.INT16, T.INT16], [T.INT16], { inputQuantized: false }), 5],
    ['int64 ADD', Op.ADD, sig([T.INT64, T.INT64], [T.INT64]), 4],
    ['int8 SUB', Op.SUB, sig([T.INT8, T.INT8], [T.INT8]), 2],
    ['int16 SUB, general scales', Op.SUB, sig([T.INT16, T.INT16], [T.INT16], { potScaleInt16: false }), 5],
    ['5-D broadcasting SUB', Op.SUB, sig([F, F], [F], { inputShapes: [[1, 2, 3, 4, 5], [5]] }), 3],
    ['int8 MUL', Op.MUL, sig([T.INT8, T.INT8], [T.INT8]), 2],
    ['int8 MUL, rescale >= 1', Op.MUL, sig([T.INT8, T.INT8], [T.INT8], { mulScales: [0.5, 4, 1] }), 3],
    ['int16 MUL', Op.MUL, sig([T.INT16, T.INT16], [T.INT16]), 4],
    ['float FC', Op.FULLY_CONNECTED, sig([F, F, F], [F]), 1],
    ['int8 FC', Op.FULLY_CONNECTED, sig([T.INT8, T.INT8, T.INT32], [T.INT8]), 4],
    ['int8 FC keep_num_dims', Op.FULLY_CONNECTED, sig([T.INT8, T.INT8, T.INT32], [T.INT8], { keepNumDims: true }), 5],
    ['int8 FC without bias', Op.FULLY_CONNECTED, sig([T.INT8, T.INT8], [T.INT8]), 6],
    ['16x8 FC, options written', Op.FULLY_CONNECTED, sig([T.INT16, T.INT8, T.INT64], [T.INT16], { quantizedBiasType: true }), 11],
    ['16x8 FC, no bias type', Op.FULLY_CONNECTED, sig([T.INT16, T.INT8, T.INT64], [T.INT16]), 1],
    ['16x8 FC without bias', Op.FULLY_CONNECTED, sig([T.INT16, T.INT8], [T.INT16]), 6],
    ['hybrid FC', Op.FULLY_CONNECTED, sig([F, T.INT8, F], [F]), 3],
    ['hybrid FC asymmetric', Op.FULLY_CONNECTED, sig([F, T.INT8, F], [F], { asymmetricQuantizeInputs: true }), 9],
    ['hybrid FC per-channel', Op.FULLY_CONNECTED, sig([F, T.INT8, F], [F], { perChannelQuantized: true }), 12],
    ['int8 CONV_2D', Op.CONV_2D, sig([T.INT8, T.INT8, T.INT32], [T.INT8]), 3],
    ['hybrid CONV_2D', Op.CONV_2D, sig([F, T.INT8, F], [F]), 2],
    ['hybrid per-channel CONV_2D', Op.CONV_2D, sig([F, T.INT8, F], [F], { perChannelQuantized: true }), 5],
    ['grouped CONV_2D', Op.CONV_2D, sig([F, F, F], [F], { groupedConvolution: true }), 6],
    ['16x8 CONV_2D, options written', Op.CONV_2D, sig([T.INT16, T.INT8, T.INT64], [T.INT16], { quantizedBiasType: true }), 8],
    ['16x8 CONV_2D, no bias type', Op.CONV_2D, sig([T.INT16, T.INT8, T.INT64], [T.INT16]), 1],
    ['int8 DEPTHWISE_CONV_2D', Op.DEPTHWISE_CONV_2D, sig([T.INT8, T.INT8, T.INT32], [T.INT8]), 3],
    ['dilated float DEPTHWISE_CONV_2D', Op.DEPTHWISE_CONV_2D, sig([F, F, F], [F], { dilated: true }), 2],
    ['16x8 DEPTHWISE_CONV_2D', Op.DEPTHWISE_CONV_2D, sig([T.INT16, T.INT8, T.INT64], [T.INT16]), 1],
    ['int8 TRANSPOSE_CONV', Op.TRANSPOSE_CONV, sig([T.INT32, T.INT8, T.INT8], [T.INT8]), 2],
    ['TRANSPOSE_CONV with bias', Op.TRANSPOSE_CONV, sig([T.INT32, T.INT8, T.INT8, T.INT32], [T.INT8]), 3],
    ['TRANSPOSE_CONV omitted bias', Op.TRANSPOSE_CONV, sig([T.INT32, T.INT8, T.INT8, null], [T.INT8]), 2],
    ['TRANSPOSE_CONV fused relu', Op.TRANSPOSE_CONV, sig([T.INT32, F, F], [F], { fusedActivation: true }), 4],
    ['int16 AVERAGE_POOL_2D', Op.AVERAGE_POOL_2D, sig([T.INT16], [T.INT16]), 3],
    ['int8 MAX_POOL_2D', Op.MAX_POOL_2D, sig([T.INT8], [T.INT8]), 2],
    ['int16 LOGISTIC', Op.LOGISTIC, sig([T.INT16], [T.INT16]), 3],
    ['int8 TANH', Op.TANH, sig([T.INT8], [T.INT8]), 2],
    ['int16 SOFTMAX', Op.SOFTMAX, sig([T.INT16], [T.INT16]), 3],
    ['int8 SOFTMAX', Op.SOFTMAX, sig([T.INT8], [T.INT8]), 2],
    ['int16 RELU', Op.RELU, sig([T.INT16], [T.INT16]), 3],
    ['int16 RELU6', Op.RELU6, sig([T.INT16], [T.INT16]), 3],
    ['int16 LEAKY_RELU', Op.LEAKY_RELU, sig([T.INT16], [T.INT16]), 2],
    ['int8 HARD_SWISH (no rule)', Op.HARD_SWISH, sig([T.INT8], [T.INT8]), 1],
    ['int16 RESHAPE (no rule)', Op.RESHAPE, sig([T.INT16, T.INT32], [T.INT16]), 1],
    ['int16 CONCATENATION', Op.CONCATENATION, sig([T.INT16, T.INT16], [T.INT16]), 3],
    ['int16 PAD', Op.PAD, sig([T.INT16, T.INT32], [T.INT16]), 3],
    ['5-D PAD', Op.PAD, sig([F, T.INT32], [F], { inputShapes: [[1, 1, 1, 1, 1], [5, 2]] }), 4],
    ['int8 STRIDED_SLICE', Op.STRIDED_SLICE, sig([T.INT8, T.INT32, T.INT32, T.INT32], [T.INT8]), 2],
    ['int16 STRIDED_SLICE', Op.STRIDED_SLICE, sig([T.INT16, T.INT32, T.INT32, T.INT32], [T.INT16]), 1],
    ['STRIDED_SLICE new_axis_mask', Op.STRIDED_SLICE, sig([F, T.INT32, T.INT32, T.INT32], [F], { ellipsisOrNewAxisMask: true }), 6],
    ['int16 SPLIT (data is operand 1)', Op.SPLIT, sig([T.INT32, T.INT16], [T.INT16, T.INT16]), 4],
    ['int8 SPLIT_V', Op.SPLIT_V, sig([T.INT8, T.INT32, T.INT32], [T.INT8]), 2],
    ['int16 TRANSPOSE', Op.TRANSPOSE, sig([T.INT16, T.INT32], [T.INT16], { inputShapes: [[1, 2, 3, 4], [4]] }), 5],
    ['int16 MEAN', Op.MEAN, sig([T.INT16, T.INT32], [T.INT16]), 3],
    ['int8 SUM', Op.SUM, sig([T.INT8, T.INT32], [T.INT8]), 2],
    ['int16 GATHER', Op.GATHER, sig([T.INT16, T.INT32], [T.INT16]), 4],
    ['int16 BATCH_MATMUL', Op.BATCH_MATMUL, sig([T.INT16, T.INT16], [T.INT16]), 3],
    ['int16 RSQRT', Op.RSQRT, sig([T.INT16], [T.INT16]), 3],
    ['int16 SQRT', Op.SQRT, sig([T.INT16], [T.INT16]), 2],
    ['int8 SQUARED_DIFFERENCE', Op.SQUARED_DIFFERENCE, sig([T.INT8, T.INT8], [T.INT8]), 2],
    ['int16 MAXIMUM', Op.MAXIMUM, sig([T.INT16, T.INT16], [T.INT16]), 4],
    ['QUANTIZE to int16', Op.QUANTIZE, sig([F], [T.INT16]), 2],
    ['QUANTIZE to int8', Op.QUANTIZE, sig([F], [T.INT8]), 1],
    ['DEQUANTIZE int8', Op.DEQUANTIZE, sig([T.INT8], [F]), 2],
    ['DEQUANTIZE int16', Op.DEQUANTIZE, sig([T.INT16], [F]), 3],
    ['int8 SVDF', Op.SVDF, sig([T.INT8, T.INT8, T.INT16, T.INT32, T.INT16], [T.INT8]), 3],
    ['hybrid SVDF', Op.SVDF, sig([F, T.INT8, T.INT8, F, F], [F]), 2],
    ['int8 UNIDIRECTIONAL_SEQUENCE_LSTM', Op.UNIDIRECTIONAL_SEQUENCE_LSTM, sig([T.INT8, T.INT8, T.INT8], [T.INT8]), 1],
    ['16x8 UNIDIRECTIONAL_SEQUENCE_LSTM', Op.UNIDIRECTIONAL_SEQUENCE_LSTM, sig([T.INT16, T.INT8, T.INT8], [T.INT16]), 5],
    ['hybrid UNIDIRECTIONAL_SEQUENCE_LSTM', Op.UNIDIRECTIONAL_SEQUENCE_LSTM, sig([F, T.INT8, T.INT8], [F]), 2],
    ['16x8 LSTM', Op.LSTM, sig([T.INT16, T.INT8, T.INT8], [T.INT16]), 5],
    ['basic LSTM', Op.LSTM, sig([F, F, F], [F], { basicLstmKernel: true }), 2],
    ['hybrid BIDIRECTIONAL_SEQUENCE_LSTM', Op.BIDIRECTIONAL_SEQUENCE_LSTM, sig([F, T.INT8], [F]), 2],
    ['hybrid RNN', Op.RNN, sig([F, T.INT8], [F], { asymmetricQuantizeInputs: true }), 3],
    ['CAST int8 -> float', Op.CAST, sig([T.INT8], [F]), 3],
    ['int8 ARG_MAX', Op.ARG_MAX, sig([T.INT8, T.INT32], [T.INT32]), 2],
    ['int16 RESIZE_BILINEAR', Op.RESIZE_BILINEAR, sig([T.INT16, T.INT32], [T.INT16]), 4],
    ['RESIZE_NEAREST_NEIGHBOR align_corners', Op.RESIZE_NEAREST_NEIGHBOR, sig([F, T.INT32], [F], { alignCorners: true }), 3],
    ['WHILE (no rule)', Op.WHILE, sig([T.INT32], [T.INT32]), 1],
  ] as const)('%s -> v%i', (_label, op, facts, version) => {
    expect(opVersion(op, facts)).toBe(version);
  });
});

/** Models written by TFLite's converter, whose stored versions are exactly its rules' output. */
const CONVERTER_MODELS = [
  'dtln/dtln_noise_suppression.tflite',
  'hello_world/hello_world_float.tflite',
  'hello_world/hello_world_int8.tflite',
  'keyword_scrambled/keyword_scrambled.tflite',
  'micro_speech/micro_speech_quantized.tflite',
  'mlcommons/ad01_fp32.tflite',
  'mlcommons/ad01_int8.tflite',
  'mlcommons/kws_ref_model.tflite',
  'mlcommons/pretrainedResnet_quant.tflite',
  'mlcommons/vww_96_int8.tflite',
  'mnist_lstm/trained_lstm.tflite',
  'mnist_lstm/trained_lstm_int8.tflite',
  'network_tester/network_model.tflite',
];

describe('opVersion on converter-written corpus models', () => {
  const available = new Set(corpusModels());
  if (available.size === 0) {
    it.skip(`corpus not found at ${CORPUS_DIR}; corpus checks skipped`, () => {});
    return;
  }
  it.each(CONVERTER_MODELS)('reproduces the stored versions of %s', (rel) => {
    expect(available.has(rel)).toBe(true);
    const model = readModel(loadModelBytes(rel));
    const sg = model.subgraphs(0)!;
    for (let i = 0; i < sg.operatorsLength(); i++) {
      const oc = model.operatorCodes(sg.operators(i)!.opcodeIndex())!;
      const code = effectiveBuiltinCode(oc.deprecatedBuiltinCode(), oc.builtinCode());
      expect(opVersion(code, opVersionFactsFromFlatbuffer(model, 0, i)), `op ${i} ${Op[code]}`).toBe(oc.version());
    }
  });
});
