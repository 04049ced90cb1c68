// Tests for the builtin operator table: one row per BuiltinOperator code, unique MLIR
// names, options tables that exist in the unions, and spot checks of well-known codes,
// names and union slots against the upstream schema.

import { describe, expect, it } from 'vitest';
import { BuiltinOperator, BuiltinOptions, BuiltinOptions2 } from '../../src/flatbuffer/generated/tflite_generated.js';
import {
  BUILTIN_OPS,
  PLACEHOLDER_FOR_GREATER_OP_CODES,
  builtinCodeForMlirName,
  builtinOpInfo,
  deprecatedBuiltinCodeFor,
  effectiveBuiltinCode,
  mlirNameForBuiltin,
  optionsTypeMatches,
} from '../../src/flatbuffer/op-codes.js';

const codes = Object.values(BuiltinOperator).filter((v): v is number => typeof v === 'number');

describe('BUILTIN_OPS', () => {
  it('has one row per BuiltinOperator code, in code order', () => {
    expect(codes.length).toBe(210);
    expect(Math.max(...codes)).toBe(209);
    expect(BUILTIN_OPS.map((o) => o.code)).toEqual([...codes].sort((a, b) => a - b));
    for (const info of BUILTIN_OPS) {
      expect(info.enumName).toBe(BuiltinOperator[info.code]);
      expect(info.mlirName).toBe(`tfl.${info.enumName.toLowerCase()}`);
    }
    expect(new Set(BUILTIN_OPS.map((o) => o.mlirName)).size).toBe(BUILTIN_OPS.length);
  });

  it('names real options tables with their union slots', () => {
    for (const info of BUILTIN_OPS) {
      if (!info.options) continue;
      const e = info.options.union === 'builtin_options' ? BuiltinOptions : BuiltinOptions2;
      expect((e as unknown as Record<string, number>)[info.options.table], info.enumName).toBe(info.options.slot);
    }
    const used = new Set(BUILTIN_OPS.flatMap((o) => (o.options ? [o.options.table] : [])));
    const members = [...Object.keys(BuiltinOptions), ...Object.keys(BuiltinOptions2)]
      .filter((k) => Number.isNaN(Number(k)) && k !== 'NONE');
    expect(members.filter((m) => !used.has(m))).toEqual([]); // every options table has an op
  });

  it.each([
    // [code, enum name, MLIR name, options table, slot]
    [0, 'ADD', 'tfl.add', 'AddOptions', 11],
    [1, 'AVERAGE_POOL_2D', 'tfl.average_pool_2d', 'Pool2DOptions', 5],
    [2, 'CONCATENATION', 'tfl.concatenation', 'ConcatenationOptions', 10],
    [3, 'CONV_2D', 'tfl.conv_2d', 'Conv2DOptions', 1],
    [4, 'DEPTHWISE_CONV_2D', 'tfl.depthwise_conv_2d', 'DepthwiseConv2DOptions', 2],
    [9, 'FULLY_CONNECTED', 'tfl.fully_connected', 'FullyConnectedOptions', 8],
    [14, 'LOGISTIC', 'tfl.logistic', null, 0],
    [17, 'MAX_POOL_2D', 'tfl.max_pool_2d', 'Pool2DOptions', 5],
    [22, 'RESHAPE', 'tfl.reshape', 'ReshapeOptions', 17],
    [25, 'SOFTMAX', 'tfl.softmax', 'SoftmaxOptions', 9],
    [27, 'SVDF', 'tfl.svdf', 'SVDFOptions', 6],
    [32, 'CUSTOM', 'tfl.custom', null, 0],
    [40, 'MEAN', 'tfl.mean', 'ReducerOptions', 27],
    [44, 'UNIDIRECTIONAL_SEQUENCE_LSTM', 'tfl.unidirectional_sequence_lstm', 'UnidirectionalSequenceLSTMOptions', 71],
    [45, 'STRIDED_SLICE', 'tfl.strided_slice', 'StridedSliceOptions', 32],
    [55, 'MAXIMUM', 'tfl.maximum', 'MaximumMinimumOptions', 39],
    [67, 'TRANSPOSE_CONV', 'tfl.transpose_conv', 'TransposeConvOptions', 49],
    [74, 'SUM', 'tfl.sum', 'ReducerOptions', 27],
    [98, 'LEAKY_RELU', 'tfl.leaky_relu', 'LeakyReluOptions', 75],
    [102, 'SPLIT_V', 'tfl.split_v', 'SplitVOptions', 79],
    [114, 'QUANTIZE', 'tfl.quantize', 'QuantizeOptions', 89],
    [119, 'WHILE', 'tfl.while', 'WhileOptions', 93],
    [126, 'BATCH_MATMUL', 'tfl.batch_matmul', 'BatchMatMulOptions', 101],
    [129, 'CALL_ONCE', 'tfl.call_once', 'CallOnceOptions', 103],
    [195, 'STABLEHLO_PAD', 'tfl.stablehlo_pad', 'StablehloPadOptions', 10],
    [209, 'STABLEHLO_CASE', 'tfl.stablehlo_case', 'StablehloCaseOptions', 23],
  ] as const)('code %i is %s / %s', (code, enumName, mlir, table, slot) => {
    const info = builtinOpInfo(code)!;
    expect(info.enumName).toBe(enumName);
    expect(info.mlirName).toBe(mlir);
    expect(info.options?.table ?? null).toBe(table);
    expect(info.options?.slot ?? 0).toBe(slot);
    expect(mlirNameForBuiltin(code)).toBe(mlir);
    expect(builtinCodeForMlirName(mlir)).toBe(code);
  });

  it('marks ops outside the TFL dialect and maps aliases', () => {
    expect(builtinOpInfo(BuiltinOperator.FULLY_CONNECTED)!.inTflDialect).toBe(true);
    expect(builtinOpInfo(BuiltinOperator.WHILE)!.inTflDialect).toBe(true);
    expect(builtinOpInfo(BuiltinOperator.CALL)!.inTflDialect).toBe(false);
    expect(builtinOpInfo(BuiltinOperator.STABLEHLO_ADD)!.inTflDialect).toBe(false);
    expect(builtinCodeForMlirName('tfl.basic_lstm')).toBe(BuiltinOperator.LSTM);
    expect(builtinCodeForMlirName('tfl.pseudo_const')).toBeUndefined();
    expect(builtinOpInfo(210)).toBeUndefined();
    expect(builtinOpInfo(-1)).toBeUndefined();
    expect(builtinOpInfo(1.5)).toBeUndefined();
  });

  it('splits and joins opcodes around the byte-sized legacy field', () => {
    expect(PLACEHOLDER_FOR_GREATER_OP_CODES).toBe(BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES);
    expect(deprecatedBuiltinCodeFor(BuiltinOperator.FULLY_CONNECTED)).toBe(9);
    expect(deprecatedBuiltinCodeFor(BuiltinOperator.CALL_ONCE)).toBe(127);
    expect(effectiveBuiltinCode(9, 0)).toBe(9); // old writer: only the byte field
    expect(effectiveBuiltinCode(127, 129)).toBe(129); // new writer, code > 127
    expect(effectiveBuiltinCode(9, 9)).toBe(9);
  });

  it('checks options union types against the op', () => {
    expect(optionsTypeMatches(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, 0)).toBe(true);
    expect(optionsTypeMatches(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.NONE, 0)).toBe(true);
    expect(optionsTypeMatches(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.Conv2DOptions, 0)).toBe(false);
    expect(optionsTypeMatches(BuiltinOperator.LOGISTIC, BuiltinOptions.AddOptions, 0)).toBe(false);
    expect(optionsTypeMatches(BuiltinOperator.STABLEHLO_PAD, 0, BuiltinOptions2.StablehloPadOptions)).toBe(true);
    expect(optionsTypeMatches(BuiltinOperator.STABLEHLO_PAD, BuiltinOptions.PadOptions, 0)).toBe(false);
    expect(optionsTypeMatches(999, 0, 0)).toBe(false);
  });
});
