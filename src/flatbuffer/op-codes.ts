// Builtin operator table: BuiltinOperator code <-> TFL MLIR op name, plus the options
// table each op carries in Operator.builtin_options / builtin_options_2.
// Names follow the TFL dialect (tfl_ops.td mnemonics); ops that dialect lacks use the
// lower-cased enum name. Codes and union slots come from the generated schema bindings.

import {
  BuiltinOperator as Op,
  BuiltinOptions,
  BuiltinOptions2,
} from './generated/tflite_generated.js';

/** Which options union of `Operator` carries an op's parameters. */
export type OptionsUnion = 'builtin_options' | 'builtin_options_2';

/** Options table expected for an operator, with the slot value written to the file. */
export interface OptionsRef {
  /** The union field the table is stored in. */
  readonly union: OptionsUnion;
  /** Table name as declared in tflite.fbs, e.g. `FullyConnectedOptions`. */
  readonly table: string;
  /** Value of `builtin_options_type` / `builtin_options_2_type` (1-based union slot). */
  readonly slot: number;
}

/** Everything qopt knows about one BuiltinOperator code. */
export interface BuiltinOpInfo {
  /** The BuiltinOperator value. */
  readonly code: number;
  /** Enum spelling in the schema, e.g. `FULLY_CONNECTED`. */
  readonly enumName: string;
  /** MLIR op name, e.g. `tfl.fully_connected`. */
  readonly mlirName: string;
  /** True when TensorFlow's TFL MLIR dialect defines this op under `mlirName`. */
  readonly inTflDialect: boolean;
  /** Options table the op may carry (writers may also leave the union NONE), or null. */
  readonly options: OptionsRef | null;
}

/**
 * Largest code that fits OperatorCode.deprecated_builtin_code (a signed byte). Writers
 * store min(code, 127) there and the full code in builtin_code.
 */
export const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

const D = true; // defined in the TFL dialect
const X = false; // not in the TFL dialect: name is the lower-cased enum

/** [code, MLIR name, options table or null, in TFL dialect] — one row per code, in order. */
const ROWS: ReadonlyArray<readonly [Op, string, string | null, boolean]> = [
  [Op.ADD, 'tfl.add', 'AddOptions', D],
  [Op.AVERAGE_POOL_2D, 'tfl.average_pool_2d', 'Pool2DOptions', D],
  [Op.CONCATENATION, 'tfl.concatenation', 'ConcatenationOptions', D],
  [Op.CONV_2D, 'tfl.conv_2d', 'Conv2DOptions', D],
  [Op.DEPTHWISE_CONV_2D, 'tfl.depthwise_conv_2d', 'DepthwiseConv2DOptions', D],
  [Op.DEPTH_TO_SPACE, 'tfl.depth_to_space', 'DepthToSpaceOptions', D],
  [Op.DEQUANTIZE, 'tfl.dequantize', 'DequantizeOptions', D],
  [Op.EMBEDDING_LOOKUP, 'tfl.embedding_lookup', null, D],
  [Op.FLOOR, 'tfl.floor', null, D],
  [Op.FULLY_CONNECTED, 'tfl.fully_connected', 'FullyConnectedOptions', D],
  [Op.HASHTABLE_LOOKUP, 'tfl.hashtable_lookup', null, X],
  [Op.L2_NORMALIZATION, 'tfl.l2_normalization', 'L2NormOptions', D],
  [Op.L2_POOL_2D, 'tfl.l2_pool_2d', 'Pool2DOptions', X],
  [Op.LOCAL_RESPONSE_NORMALIZATION, 'tfl.local_response_normalization', 'LocalResponseNormalizationOptions', D],
  [Op.LOGISTIC, 'tfl.logistic', null, D],
  [Op.LSH_PROJECTION, 'tfl.lsh_projection', 'LSHProjectionOptions', X],
  [Op.LSTM, 'tfl.lstm', 'LSTMOptions', D],
  [Op.MAX_POOL_2D, 'tfl.max_pool_2d', 'Pool2DOptions', D],
  [Op.MUL, 'tfl.mul', 'MulOptions', D],
  [Op.RELU, 'tfl.relu', null, D],
  [Op.RELU_N1_TO_1, 'tfl.relu_n1_to_1', null, D],
  [Op.RELU6, 'tfl.relu6', null, D],
  [Op.RESHAPE, 'tfl.reshape', 'ReshapeOptions', D],
  [Op.RESIZE_BILINEAR, 'tfl.resize_bilinear', 'ResizeBilinearOptions', D],
  [Op.RNN, 'tfl.rnn', 'RNNOptions', X],
  [Op.SOFTMAX, 'tfl.softmax', 'SoftmaxOptions', D],
  [Op.SPACE_TO_DEPTH, 'tfl.space_to_depth', 'SpaceToDepthOptions', D],
  [Op.SVDF, 'tfl.svdf', 'SVDFOptions', D],
  [Op.TANH, 'tfl.tanh', null, D],
  [Op.CONCAT_EMBEDDINGS, 'tfl.concat_embeddings', 'ConcatEmbeddingsOptions', X],
  [Op.SKIP_GRAM, 'tfl.skip_gram', 'SkipGramOptions', X],
  [Op.CALL, 'tfl.call', 'CallOptions', X],
  [Op.CUSTOM, 'tfl.custom', null, D],
  [Op.EMBEDDING_LOOKUP_SPARSE, 'tfl.embedding_lookup_sparse', 'EmbeddingLookupSparseOptions', X],
  [Op.PAD, 'tfl.pad', 'PadOptions', D],
  [Op.UNIDIRECTIONAL_SEQUENCE_RNN, 'tfl.unidirectional_sequence_rnn', 'SequenceRNNOptions', D],
  [Op.GATHER, 'tfl.gather', 'GatherOptions', D],
  [Op.BATCH_TO_SPACE_ND, 'tfl.batch_to_space_nd', 'BatchToSpaceNDOptions', D],
  [Op.SPACE_TO_BATCH_ND, 'tfl.space_to_batch_nd', 'SpaceToBatchNDOptions', D],
  [Op.TRANSPOSE, 'tfl.transpose', 'TransposeOptions', D],
  [Op.MEAN, 'tfl.mean', 'ReducerOptions', D],
  [Op.SUB, 'tfl.sub', 'SubOptions', D],
  [Op.DIV, 'tfl.div', 'DivOptions', D],
  [Op.SQUEEZE, 'tfl.squeeze', 'SqueezeOptions', D],
  [Op.UNIDIRECTIONAL_SEQUENCE_LSTM, 'tfl.unidirectional_sequence_lstm', 'UnidirectionalSequenceLSTMOptions', D],
  [Op.STRIDED_SLICE, 'tfl.strided_slice', 'StridedSliceOptions', D],
  [Op.BIDIRECTIONAL_SEQUENCE_RNN, 'tfl.bidirectional_sequence_rnn', 'BidirectionalSequenceRNNOptions', X],
  [Op.EXP, 'tfl.exp', 'ExpOptions', D],
  [Op.TOPK_V2, 'tfl.topk_v2', 'TopKV2Options', D],
  [Op.SPLIT, 'tfl.split', 'SplitOptions', D],
  [Op.LOG_SOFTMAX, 'tfl.log_softmax', 'LogSoftmaxOptions', D],
  [Op.DELEGATE, 'tfl.delegate', null, X],
  [Op.BIDIRECTIONAL_SEQUENCE_LSTM, 'tfl.bidirectional_sequence_lstm', 'BidirectionalSequenceLSTMOptions', D],
  [Op.CAST, 'tfl.cast', 'CastOptions', D],
  [Op.PRELU, 'tfl.prelu', null, D],
  [Op.MAXIMUM, 'tfl.maximum', 'MaximumMinimumOptions', D],
  [Op.ARG_MAX, 'tfl.arg_max', 'ArgMaxOptions', D],
  [Op.MINIMUM, 'tfl.minimum', 'MaximumMinimumOptions', D],
  [Op.LESS, 'tfl.less', 'LessOptions', D],
  [Op.NEG, 'tfl.neg', 'NegOptions', D],
  [Op.PADV2, 'tfl.padv2', 'PadV2Options', D],
  [Op.GREATER, 'tfl.greater', 'GreaterOptions', D],
  [Op.GREATER_EQUAL, 'tfl.greater_equal', 'GreaterEqualOptions', D],
  [Op.LESS_EQUAL, 'tfl.less_equal', 'LessEqualOptions', D],
  [Op.SELECT, 'tfl.select', 'SelectOptions', D],
  [Op.SLICE, 'tfl.slice', 'SliceOptions', D],
  [Op.SIN, 'tfl.sin', null, D],
  [Op.TRANSPOSE_CONV, 'tfl.transpose_conv', 'TransposeConvOptions', D],
  [Op.SPARSE_TO_DENSE, 'tfl.sparse_to_dense', 'SparseToDenseOptions', D],
  [Op.TILE, 'tfl.tile', 'TileOptions', D],
  [Op.EXPAND_DIMS, 'tfl.expand_dims', 'ExpandDimsOptions', D],
  [Op.EQUAL, 'tfl.equal', 'EqualOptions', D],
  [Op.NOT_EQUAL, 'tfl.not_equal', 'NotEqualOptions', D],
  [Op.LOG, 'tfl.log', null, D],
  [Op.SUM, 'tfl.sum', 'ReducerOptions', D],
  [Op.SQRT, 'tfl.sqrt', null, D],
  [Op.RSQRT, 'tfl.rsqrt', null, D],
  [Op.SHAPE, 'tfl.shape', 'ShapeOptions', D],
  [Op.POW, 'tfl.pow', 'PowOptions', D],
  [Op.ARG_MIN, 'tfl.arg_min', 'ArgMinOptions', D],
  [Op.FAKE_QUANT, 'tfl.fake_quant', 'FakeQuantOptions', D],
  [Op.REDUCE_PROD, 'tfl.reduce_prod', 'ReducerOptions', D],
  [Op.REDUCE_MAX, 'tfl.reduce_max', 'ReducerOptions', D],
  [Op.PACK, 'tfl.pack', 'PackOptions', D],
  [Op.LOGICAL_OR, 'tfl.logical_or', 'LogicalOrOptions', D],
  [Op.ONE_HOT, 'tfl.one_hot', 'OneHotOptions', D],
  [Op.LOGICAL_AND, 'tfl.logical_and', 'LogicalAndOptions', D],
  [Op.LOGICAL_NOT, 'tfl.logical_not', 'LogicalNotOptions', D],
  [Op.UNPACK, 'tfl.unpack', 'UnpackOptions', D],
  [Op.REDUCE_MIN, 'tfl.reduce_min', 'ReducerOptions', D],
  [Op.FLOOR_DIV, 'tfl.floor_div', 'FloorDivOptions', D],
  [Op.REDUCE_ANY, 'tfl.reduce_any', 'ReducerOptions', D],
  [Op.SQUARE, 'tfl.square', 'SquareOptions', D],
  [Op.ZEROS_LIKE, 'tfl.zeros_like', 'ZerosLikeOptions', D],
  [Op.FILL, 'tfl.fill', 'FillOptions', D],
  [Op.FLOOR_MOD, 'tfl.floor_mod', 'FloorModOptions', D],
  [Op.RANGE, 'tfl.range', 'RangeOptions', D],
  [Op.RESIZE_NEAREST_NEIGHBOR, 'tfl.resize_nearest_neighbor', 'ResizeNearestNeighborOptions', D],
  [Op.LEAKY_RELU, 'tfl.leaky_relu', 'LeakyReluOptions', D],
  [Op.SQUARED_DIFFERENCE, 'tfl.squared_difference', 'SquaredDifferenceOptions', D],
  [Op.MIRROR_PAD, 'tfl.mirror_pad', 'MirrorPadOptions', D],
  [Op.ABS, 'tfl.abs', 'AbsOptions', D],
  [Op.SPLIT_V, 'tfl.split_v', 'SplitVOptions', D],
  [Op.UNIQUE, 'tfl.unique', 'UniqueOptions', D],
  [Op.CEIL, 'tfl.ceil', null, D],
  [Op.REVERSE_V2, 'tfl.reverse_v2', 'ReverseV2Options', D],
  [Op.ADD_N, 'tfl.add_n', 'AddNOptions', D],
  [Op.GATHER_ND, 'tfl.gather_nd', 'GatherNdOptions', D],
  [Op.COS, 'tfl.cos', 'CosOptions', D],
  [Op.WHERE, 'tfl.where', 'WhereOptions', D],
  [Op.RANK, 'tfl.rank', 'RankOptions', D],
  [Op.ELU, 'tfl.elu', null, D],
  [Op.REVERSE_SEQUENCE, 'tfl.reverse_sequence', 'ReverseSequenceOptions', D],
  [Op.MATRIX_DIAG, 'tfl.matrix_diag', 'MatrixDiagOptions', D],
  [Op.QUANTIZE, 'tfl.quantize', 'QuantizeOptions', D],
  [Op.MATRIX_SET_DIAG, 'tfl.matrix_set_diag', 'MatrixSetDiagOptions', D],
  [Op.ROUND, 'tfl.round', null, D],
  [Op.HARD_SWISH, 'tfl.hard_swish', 'HardSwishOptions', D],
  [Op.IF, 'tfl.if', 'IfOptions', D],
  [Op.WHILE, 'tfl.while', 'WhileOptions', D],
  [Op.NON_MAX_SUPPRESSION_V4, 'tfl.non_max_suppression_v4', 'NonMaxSuppressionV4Options', D],
  [Op.NON_MAX_SUPPRESSION_V5, 'tfl.non_max_suppression_v5', 'NonMaxSuppressionV5Options', D],
  [Op.SCATTER_ND, 'tfl.scatter_nd', 'ScatterNdOptions', D],
  [Op.SELECT_V2, 'tfl.select_v2', 'SelectV2Options', D],
  [Op.DENSIFY, 'tfl.densify', 'DensifyOptions', D],
  [Op.SEGMENT_SUM, 'tfl.segment_sum', 'SegmentSumOptions', D],
  [Op.BATCH_MATMUL, 'tfl.batch_matmul', 'BatchMatMulOptions', D],
  [Op.PLACEHOLDER_FOR_GREATER_OP_CODES, 'tfl.placeholder_for_greater_op_codes', null, X],
  [Op.CUMSUM, 'tfl.cumsum', 'CumsumOptions', D],
  [Op.CALL_ONCE, 'tfl.call_once', 'CallOnceOptions', D],
  [Op.BROADCAST_TO, 'tfl.broadcast_to', 'BroadcastToOptions', D],
  [Op.RFFT2D, 'tfl.rfft2d', 'Rfft2dOptions', D],
  [Op.CONV_3D, 'tfl.conv_3d', 'Conv3DOptions', D],
  [Op.IMAG, 'tfl.imag', null, D],
  [Op.REAL, 'tfl.real', null, D],
  [Op.COMPLEX_ABS, 'tfl.complex_abs', null, D],
  [Op.HASHTABLE, 'tfl.hashtable', 'HashtableOptions', D],
  [Op.HASHTABLE_FIND, 'tfl.hashtable_find', 'HashtableFindOptions', D],
  [Op.HASHTABLE_IMPORT, 'tfl.hashtable_import', 'HashtableImportOptions', D],
  [Op.HASHTABLE_SIZE, 'tfl.hashtable_size', 'HashtableSizeOptions', D],
  [Op.REDUCE_ALL, 'tfl.reduce_all', 'ReducerOptions', D],
  [Op.CONV_3D_TRANSPOSE, 'tfl.conv_3d_transpose', 'Conv3DOptions', D],
  [Op.VAR_HANDLE, 'tfl.var_handle', 'VarHandleOptions', D],
  [Op.READ_VARIABLE, 'tfl.read_variable', 'ReadVariableOptions', D],
  [Op.ASSIGN_VARIABLE, 'tfl.assign_variable', 'AssignVariableOptions', D],
  [Op.BROADCAST_ARGS, 'tfl.broadcast_args', null, D],
  [Op.RANDOM_STANDARD_NORMAL, 'tfl.random_standard_normal', 'RandomOptions', D],
  [Op.BUCKETIZE, 'tfl.bucketize', 'BucketizeOptions', D],
  [Op.RANDOM_UNIFORM, 'tfl.random_uniform', 'RandomOptions', D],
  [Op.MULTINOMIAL, 'tfl.multinomial', 'RandomOptions', D],
  [Op.GELU, 'tfl.gelu', 'GeluOptions', D],
  [Op.DYNAMIC_UPDATE_SLICE, 'tfl.dynamic_update_slice', 'DynamicUpdateSliceOptions', D],
  [Op.RELU_0_TO_1, 'tfl.relu_0_to_1', null, D],
  [Op.UNSORTED_SEGMENT_PROD, 'tfl.unsorted_segment_prod', 'UnsortedSegmentProdOptions', D],
  [Op.UNSORTED_SEGMENT_MAX, 'tfl.unsorted_segment_max', 'UnsortedSegmentMaxOptions', D],
  [Op.UNSORTED_SEGMENT_SUM, 'tfl.unsorted_segment_sum', 'UnsortedSegmentSumOptions', D],
  [Op.ATAN2, 'tfl.atan2', 'ATan2Options', D],
  [Op.UNSORTED_SEGMENT_MIN, 'tfl.unsorted_segment_min', 'UnsortedSegmentMinOptions', D],
  [Op.SIGN, 'tfl.sign', 'SignOptions', D],
  [Op.BITCAST, 'tfl.bitcast', 'BitcastOptions', D],
  [Op.BITWISE_XOR, 'tfl.bitwise_xor', 'BitwiseXorOptions', D],
  [Op.RIGHT_SHIFT, 'tfl.right_shift', 'RightShiftOptions', D],
  [Op.STABLEHLO_LOGISTIC, 'tfl.stablehlo_logistic', null, X],
  [Op.STABLEHLO_ADD, 'tfl.stablehlo_add', null, X],
  [Op.STABLEHLO_DIVIDE, 'tfl.stablehlo_divide', null, X],
  [Op.STABLEHLO_MULTIPLY, 'tfl.stablehlo_multiply', null, X],
  [Op.STABLEHLO_MAXIMUM, 'tfl.stablehlo_maximum', null, X],
  [Op.STABLEHLO_RESHAPE, 'tfl.stablehlo_reshape', null, X],
  [Op.STABLEHLO_CLAMP, 'tfl.stablehlo_clamp', null, X],
  [Op.STABLEHLO_CONCATENATE, 'tfl.stablehlo_concatenate', 'StablehloConcatenateOptions', X],
  [Op.STABLEHLO_BROADCAST_IN_DIM, 'tfl.stablehlo_broadcast_in_dim', 'StablehloBroadcastInDimOptions', X],
  [Op.STABLEHLO_CONVOLUTION, 'tfl.stablehlo_convolution', 'StablehloConvolutionOptions', X],
  [Op.STABLEHLO_SLICE, 'tfl.stablehlo_slice', 'StablehloSliceOptions', X],
  [Op.STABLEHLO_CUSTOM_CALL, 'tfl.stablehlo_custom_call', 'StablehloCustomCallOptions', X],
  [Op.STABLEHLO_REDUCE, 'tfl.stablehlo_reduce', 'StablehloReduceOptions', X],
  [Op.STABLEHLO_ABS, 'tfl.stablehlo_abs', null, X],
  [Op.STABLEHLO_AND, 'tfl.stablehlo_and', null, X],
  [Op.STABLEHLO_COSINE, 'tfl.stablehlo_cosine', null, X],
  [Op.STABLEHLO_EXPONENTIAL, 'tfl.stablehlo_exponential', null, X],
  [Op.STABLEHLO_FLOOR, 'tfl.stablehlo_floor', null, X],
  [Op.STABLEHLO_LOG, 'tfl.stablehlo_log', null, X],
  [Op.STABLEHLO_MINIMUM, 'tfl.stablehlo_minimum', null, X],
  [Op.STABLEHLO_NEGATE, 'tfl.stablehlo_negate', null, X],
  [Op.STABLEHLO_OR, 'tfl.stablehlo_or', null, X],
  [Op.STABLEHLO_POWER, 'tfl.stablehlo_power', null, X],
  [Op.STABLEHLO_REMAINDER, 'tfl.stablehlo_remainder', null, X],
  [Op.STABLEHLO_RSQRT, 'tfl.stablehlo_rsqrt', null, X],
  [Op.STABLEHLO_SELECT, 'tfl.stablehlo_select', null, X],
  [Op.STABLEHLO_SUBTRACT, 'tfl.stablehlo_subtract', null, X],
  [Op.STABLEHLO_TANH, 'tfl.stablehlo_tanh', null, X],
  [Op.STABLEHLO_SCATTER, 'tfl.stablehlo_scatter', 'StablehloScatterOptions', X],
  [Op.STABLEHLO_COMPARE, 'tfl.stablehlo_compare', 'StablehloCompareOptions', X],
  [Op.STABLEHLO_CONVERT, 'tfl.stablehlo_convert', null, X],
  [Op.STABLEHLO_DYNAMIC_SLICE, 'tfl.stablehlo_dynamic_slice', 'StablehloDynamicSliceOptions', X],
  [Op.STABLEHLO_DYNAMIC_UPDATE_SLICE, 'tfl.stablehlo_dynamic_update_slice', null, X],
  [Op.STABLEHLO_PAD, 'tfl.stablehlo_pad', 'StablehloPadOptions', X],
  [Op.STABLEHLO_IOTA, 'tfl.stablehlo_iota', 'StablehloIotaOptions', X],
  [Op.STABLEHLO_DOT_GENERAL, 'tfl.stablehlo_dot_general', 'StablehloDotGeneralOptions', X],
  [Op.STABLEHLO_REDUCE_WINDOW, 'tfl.stablehlo_reduce_window', 'StablehloReduceWindowOptions', X],
  [Op.STABLEHLO_SORT, 'tfl.stablehlo_sort', 'StablehloSortOptions', X],
  [Op.STABLEHLO_WHILE, 'tfl.stablehlo_while', 'StablehloWhileOptions', X],
  [Op.STABLEHLO_GATHER, 'tfl.stablehlo_gather', 'StablehloGatherOptions', X],
  [Op.STABLEHLO_TRANSPOSE, 'tfl.stablehlo_transpose', 'StablehloTransposeOptions', X],
  [Op.DILATE, 'tfl.dilate', 'DilateOptions', D],
  [Op.STABLEHLO_RNG_BIT_GENERATOR, 'tfl.stablehlo_rng_bit_generator', 'StablehloRngBitGeneratorOptions', X],
  [Op.REDUCE_WINDOW, 'tfl.reduce_window', 'ReduceWindowOptions', X],
  [Op.STABLEHLO_COMPOSITE, 'tfl.stablehlo_composite', 'StableHLOCompositeOptions', X],
  [Op.STABLEHLO_SHIFT_LEFT, 'tfl.stablehlo_shift_left', 'StablehloShiftLeftOptions', X],
  [Op.STABLEHLO_CBRT, 'tfl.stablehlo_cbrt', null, X],
  [Op.STABLEHLO_CASE, 'tfl.stablehlo_case', 'StablehloCaseOptions', X],
];

function optionsRef(table: string | null): OptionsRef | null {
  if (table === null) return null;
  const slot1 = (BuiltinOptions as unknown as Record<string, number | undefined>)[table];
  if (slot1 !== undefined) return { union: 'builtin_options', table, slot: slot1 };
  const slot2 = (BuiltinOptions2 as unknown as Record<string, number | undefined>)[table];
  if (slot2 !== undefined) return { union: 'builtin_options_2', table, slot: slot2 };
  throw new Error(`op-codes: options table ${table} is in neither options union`);
}

/** All builtin operators, indexed by code (BUILTIN_OPS[code].code === code). */
export const BUILTIN_OPS: readonly BuiltinOpInfo[] = ROWS.map(([code, mlirName, table, inTflDialect]) => ({
  code,
  enumName: Op[code],
  mlirName,
  inTflDialect,
  options: optionsRef(table),
}));

const BY_MLIR_NAME: ReadonlyMap<string, BuiltinOpInfo> = new Map([
  ...BUILTIN_OPS.map((info) => [info.mlirName, info] as const),
  // The dialect's basic LSTM cell is serialized as LSTM with kernel_type = BASIC.
  ['tfl.basic_lstm', BUILTIN_OPS[Op.LSTM]!] as const,
]);

/** Info for a builtin code, or undefined if the code is unknown to this schema. */
export function builtinOpInfo(code: number): BuiltinOpInfo | undefined {
  return Number.isInteger(code) ? BUILTIN_OPS[code] : undefined;
}

/** MLIR op name (`tfl.*`) for a builtin code, or undefined for unknown codes. */
export function mlirNameForBuiltin(code: number): string | undefined {
  return builtinOpInfo(code)?.mlirName;
}

/** BuiltinOperator code for a `tfl.*` op name (accepts `tfl.basic_lstm` -> LSTM). */
export function builtinCodeForMlirName(name: string): number | undefined {
  return BY_MLIR_NAME.get(name)?.code;
}

/**
 * The operator code an OperatorCode table denotes. Old files only set the byte-sized
 * deprecated_builtin_code, new files set both (the byte saturating at 127), so the real
 * code is the larger of the two.
 */
export function effectiveBuiltinCode(deprecatedBuiltinCode: number, builtinCode: number): number {
  return Math.max(deprecatedBuiltinCode, builtinCode);
}

/** Value to store in OperatorCode.deprecated_builtin_code when writing `code`. */
export function deprecatedBuiltinCodeFor(code: number): number {
  return Math.min(code, PLACEHOLDER_FOR_GREATER_OP_CODES);
}

/**
 * Whether an operator's stored options union types are acceptable for its code: each
 * union is either NONE (0) or holds the op's expected table. Ops without options must
 * leave both unions NONE.
 */
export function optionsTypeMatches(code: number, builtinOptionsType: number, builtinOptions2Type: number): boolean {
  const info = builtinOpInfo(code);
  if (info === undefined) return false;
  const opt = info.options;
  const want1 = opt?.union === 'builtin_options' ? opt.slot : 0;
  const want2 = opt?.union === 'builtin_options_2' ? opt.slot : 0;
  return (builtinOptionsType === 0 || builtinOptionsType === want1) &&
    (builtinOptions2Type === 0 || builtinOptions2Type === want2);
}
