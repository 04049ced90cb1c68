// Structural verifier for .tflite flatbuffers: checks every offset, vtable, vector and
// string the generated readers would follow, so untrusted bytes can be read without
// out-of-range reads, runaway loops or giant allocations. Driven by TFLITE_LAYOUT below.

import {
  BuiltinOptions,
  BuiltinOptions2,
  QuantizationDetails,
  SparseIndexVector,
} from './generated/tflite_generated.js';

/** Outcome of a verification; `error` is `<path>: <problem>`. */
export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Limits and switches for {@link verifyModel}. */
export interface VerifyOptions {
  /** Deepest table nesting accepted (Model = depth 1). Default 64. */
  readonly maxDepth?: number;
  /** Most tables and strings visited in total (shared objects count per visit). Default 1e6. */
  readonly maxTables?: number;
  /** Largest accepted buffer in bytes. Default 2^31 - 1 (the flatbuffers limit). */
  readonly maxBufferSize?: number;
  /** Required file identifier at bytes 4..8, or null to skip the check. Default "TFL3". */
  readonly identifier?: string | null;
  /** Accept union type values beyond the schema's members (table still bounds-checked). Default false. */
  readonly allowUnknownUnionTypes?: boolean;
}

// ---------------------------------------------------------------------------
// Layout description
// ---------------------------------------------------------------------------

/**
 * Every table of tflite.fbs as `name:type` fields in declaration order. Field i (counting a
 * union as two: its `_type` byte, then the value) sits in vtable slot i. Types use the
 * schema's spelling; a leading `~` marks a deprecated field (slot reserved, not read).
 * test/flatbuffer/verify.test.ts checks this against src/flatbuffer/schema/tflite.fbs.
 */
export const TFLITE_LAYOUT: Readonly<Record<string, string>> = {
  CustomQuantization: 'custom:[ubyte]',
  BlockwiseQuantization: 'scales:int zero_points:int block_size:int',
  MultiAxisQuantization: 'scales:int zero_points:int block_size:int quantized_dimensions:[int]',
  QuantizationParameters:
    'min:[float] max:[float] scale:[float] zero_point:[long] details:QuantizationDetails ' +
    'quantized_dimension:int',
  Int32Vector: 'values:[int]',
  Uint16Vector: 'values:[ushort]',
  Uint8Vector: 'values:[ubyte]',
  DimensionMetadata:
    'format:DimensionType dense_size:int array_segments:SparseIndexVector ' +
    'array_indices:SparseIndexVector',
  SparsityParameters: 'traversal_order:[int] block_map:[int] dim_metadata:[DimensionMetadata]',
  VariantSubType: 'shape:[int] type:TensorType has_rank:bool',
  Tensor:
    'shape:[int] type:TensorType buffer:uint name:string ' +
    'quantization:QuantizationParameters is_variable:bool sparsity:SparsityParameters ' +
    'shape_signature:[int] has_rank:bool variant_tensors:[VariantSubType] ' +
    'external_buffer:uint',
  Conv2DOptions:
    'padding:Padding stride_w:int stride_h:int ' +
    'fused_activation_function:ActivationFunctionType dilation_w_factor:int ' +
    'dilation_h_factor:int quantized_bias_type:TensorType',
  DepthwiseConv2DOptions:
    'padding:Padding stride_w:int stride_h:int depth_multiplier:int ' +
    'fused_activation_function:ActivationFunctionType dilation_w_factor:int ' +
    'dilation_h_factor:int',
  ConcatEmbeddingsOptions:
    'num_channels:int num_columns_per_channel:[int] embedding_dim_per_channel:[int]',
  LSHProjectionOptions: 'type:LSHProjectionType',
  Pool2DOptions:
    'padding:Padding stride_w:int stride_h:int filter_width:int filter_height:int ' +
    'fused_activation_function:ActivationFunctionType',
  SVDFOptions:
    'rank:int fused_activation_function:ActivationFunctionType ' +
    'asymmetric_quantize_inputs:bool',
  RNNOptions: 'fused_activation_function:ActivationFunctionType asymmetric_quantize_inputs:bool',
  FullyConnectedOptions:
    'fused_activation_function:ActivationFunctionType ' +
    'weights_format:FullyConnectedOptionsWeightsFormat keep_num_dims:bool ' +
    'asymmetric_quantize_inputs:bool quantized_bias_type:TensorType',
  SoftmaxOptions: 'beta:float',
  ConcatenationOptions: 'axis:int fused_activation_function:ActivationFunctionType',
  AddOptions: 'fused_activation_function:ActivationFunctionType pot_scale_int16:bool',
  L2NormOptions: 'fused_activation_function:ActivationFunctionType',
  LocalResponseNormalizationOptions: 'radius:int bias:float alpha:float beta:float',
  LSTMOptions:
    'fused_activation_function:ActivationFunctionType cell_clip:float proj_clip:float ' +
    'kernel_type:LSTMKernelType asymmetric_quantize_inputs:bool',
  ResizeBilinearOptions:
    '~new_height:int ~new_width:int align_corners:bool half_pixel_centers:bool',
  CallOptions: 'subgraph:uint',
  ReshapeOptions: 'new_shape:[int]',
  SkipGramOptions: 'ngram_size:int max_skip_size:int include_all_ngrams:bool',
  SpaceToDepthOptions: 'block_size:int',
  EmbeddingLookupSparseOptions: 'combiner:CombinerType',
  MulOptions: 'fused_activation_function:ActivationFunctionType',
  PadOptions: '',
  GatherOptions: 'axis:int batch_dims:int',
  BatchToSpaceNDOptions: '',
  SpaceToBatchNDOptions: '',
  TransposeOptions: '',
  ReducerOptions: 'keep_dims:bool',
  SubOptions: 'fused_activation_function:ActivationFunctionType pot_scale_int16:bool',
  DivOptions: 'fused_activation_function:ActivationFunctionType',
  SqueezeOptions: 'squeeze_dims:[int]',
  SequenceRNNOptions:
    'time_major:bool fused_activation_function:ActivationFunctionType ' +
    'asymmetric_quantize_inputs:bool',
  StridedSliceOptions:
    'begin_mask:int end_mask:int ellipsis_mask:int new_axis_mask:int shrink_axis_mask:int ' +
    'offset:bool',
  ExpOptions: '',
  TopKV2Options: '',
  SplitOptions: 'num_splits:int',
  LogSoftmaxOptions: '',
  CastOptions: 'in_data_type:TensorType out_data_type:TensorType',
  DequantizeOptions: '',
  MaximumMinimumOptions: '',
  ArgMaxOptions: 'output_type:TensorType',
  LessOptions: '',
  NegOptions: '',
  PadV2Options: '',
  GreaterOptions: '',
  GreaterEqualOptions: '',
  LessEqualOptions: '',
  SelectOptions: '',
  SliceOptions: '',
  TransposeConvOptions:
    'padding:Padding stride_w:int stride_h:int ' +
    'fused_activation_function:ActivationFunctionType quantized_bias_type:TensorType',
  SparseToDenseOptions: 'validate_indices:bool',
  TileOptions: '',
  ExpandDimsOptions: '',
  EqualOptions: '',
  NotEqualOptions: '',
  ShapeOptions: 'out_type:TensorType',
  PowOptions: '',
  ArgMinOptions: 'output_type:TensorType',
  FakeQuantOptions: 'min:float max:float num_bits:int narrow_range:bool',
  PackOptions: 'values_count:int axis:int',
  LogicalOrOptions: '',
  OneHotOptions: 'axis:int',
  LogicalAndOptions: '',
  LogicalNotOptions: '',
  UnpackOptions: 'num:int axis:int',
  FloorDivOptions: '',
  SquareOptions: '',
  ZerosLikeOptions: '',
  FillOptions: '',
  BidirectionalSequenceLSTMOptions:
    'fused_activation_function:ActivationFunctionType cell_clip:float proj_clip:float ' +
    'merge_outputs:bool time_major:bool asymmetric_quantize_inputs:bool',
  BidirectionalSequenceRNNOptions:
    'time_major:bool fused_activation_function:ActivationFunctionType merge_outputs:bool ' +
    'asymmetric_quantize_inputs:bool',
  UnidirectionalSequenceLSTMOptions:
    'fused_activation_function:ActivationFunctionType cell_clip:float proj_clip:float ' +
    'time_major:bool asymmetric_quantize_inputs:bool diagonal_recurrent_tensors:bool',
  FloorModOptions: '',
  RangeOptions: '',
  ResizeNearestNeighborOptions: 'align_corners:bool half_pixel_centers:bool',
  LeakyReluOptions: 'alpha:float',
  SquaredDifferenceOptions: '',
  MirrorPadOptions: 'mode:MirrorPadMode',
  AbsOptions: '',
  SplitVOptions: 'num_splits:int',
  UniqueOptions: 'idx_out_type:TensorType',
  ReverseV2Options: '',
  AddNOptions: '',
  GatherNdOptions: '',
  CosOptions: '',
  WhereOptions: '',
  RankOptions: '',
  ReverseSequenceOptions: 'seq_dim:int batch_dim:int',
  MatrixDiagOptions: '',
  QuantizeOptions: '',
  MatrixSetDiagOptions: '',
  HardSwishOptions: '',
  IfOptions: 'then_subgraph_index:int else_subgraph_index:int',
  WhileOptions: 'cond_subgraph_index:int body_subgraph_index:int',
  DepthToSpaceOptions: 'block_size:int',
  NonMaxSuppressionV4Options: '',
  NonMaxSuppressionV5Options: '',
  ScatterNdOptions: '',
  SelectV2Options: '',
  DensifyOptions: '',
  SegmentSumOptions: '',
  BatchMatMulOptions: 'adj_x:bool adj_y:bool asymmetric_quantize_inputs:bool',
  CumsumOptions: 'exclusive:bool reverse:bool',
  CallOnceOptions: 'init_subgraph_index:int',
  BroadcastToOptions: '',
  Rfft2dOptions: '',
  Conv3DOptions:
    'padding:Padding stride_d:int stride_w:int stride_h:int ' +
    'fused_activation_function:ActivationFunctionType dilation_d_factor:int ' +
    'dilation_w_factor:int dilation_h_factor:int',
  HashtableOptions: 'table_id:int key_dtype:TensorType value_dtype:TensorType',
  HashtableFindOptions: '',
  HashtableImportOptions: '',
  HashtableSizeOptions: '',
  VarHandleOptions: 'container:string shared_name:string',
  ReadVariableOptions: '',
  AssignVariableOptions: '',
  RandomOptions: 'seed:long seed2:long',
  BucketizeOptions: 'boundaries:[float]',
  GeluOptions: 'approximate:bool',
  DynamicUpdateSliceOptions: '',
  UnsortedSegmentProdOptions: '',
  UnsortedSegmentMaxOptions: '',
  UnsortedSegmentMinOptions: '',
  UnsortedSegmentSumOptions: '',
  ATan2Options: '',
  SignOptions: '',
  BitcastOptions: '',
  BitwiseXorOptions: '',
  RightShiftOptions: '',
  StablehloConcatenateOptions: 'dimension:long',
  StablehloBroadcastInDimOptions: 'broadcast_dimensions:[long]',
  StablehloSliceOptions: 'start_indices:[long] limit_indices:[long] strides:[long]',
  StablehloConvolutionOptions:
    'window_strides:[long] padding:[long] lhs_dilation:[long] rhs_dilation:[long] ' +
    'window_reversal:[bool] input_batch_dimension:long input_feature_dimension:long ' +
    'input_spatial_dimensions:[long] kernel_input_feature_dimension:long ' +
    'kernel_output_feature_dimension:long kernel_spatial_dimensions:[long] ' +
    'output_batch_dimension:long output_feature_dimension:long ' +
    'output_spatial_dimensions:[long] feature_group_count:long batch_group_count:long ' +
    'precision_config:[StablehloPrecisionConfig]',
  StablehloCustomCallOptions:
    'call_target_name:string has_side_effect:bool backend_config:string api_version:int ' +
    'called_computations:[int] custom_attributes:[ubyte]',
  StablehloReduceOptions: 'dimensions:[long] body_subgraph_index:int',
  StablehloScatterOptions:
    'indices_are_sorted:bool update_window_dims:[long] inserted_window_dims:[long] ' +
    'scatter_dims_to_operand_dims:[long] index_vector_dim:long unique_indices:bool ' +
    'update_computation_subgraph_index:int',
  StablehloCompareOptions:
    'comparison_direction:StablehloComparisonDirection ' +
    'compare_type:StablehloComparisonType',
  StablehloDynamicSliceOptions: 'slice_sizes:[long]',
  StablehloPadOptions: 'edge_padding_low:[long] edge_padding_high:[long] interior_padding:[long]',
  StablehloIotaOptions: 'iota_dimension:long',
  StablehloDotGeneralOptions:
    'lhs_batching_dimensions:[long] rhs_batching_dimensions:[long] ' +
    'lhs_contracting_dimensions:[long] rhs_contracting_dimensions:[long] ' +
    'precision_config:[StablehloPrecisionConfig]',
  StablehloReduceWindowOptions:
    'window_dimensions:[long] window_strides:[long] base_dilations:[long] ' +
    'window_dilations:[long] padding:[long] body_subgraph_index:int',
  StablehloSortOptions: 'dimension:long is_stable:bool comparator_subgraph_index:int',
  StablehloWhileOptions: 'cond_subgraph_index:int body_subgraph_index:int',
  StablehloGatherOptions:
    'offset_dims:[long] collapsed_slice_dims:[long] start_index_map:[long] ' +
    'index_vector_dim:long slice_sizes:[long] indices_are_sorted:bool',
  StablehloTransposeOptions: 'permutation:[long]',
  DilateOptions: '',
  StablehloRngBitGeneratorOptions: 'algorithm:RngAlgorithm',
  ReduceWindowOptions: 'reduce_function:ReduceWindowFunction',
  StableHLOCompositeOptions:
    'name:string decomposition_subgraph_index:int32 composite_attributes:[ubyte] ' +
    'composite_attributes_format:CustomOptionsFormat version:int32',
  StablehloShiftLeftOptions: '',
  StablehloCaseOptions: 'branch_subgraph_indices:[int]',
  OperatorCode:
    'deprecated_builtin_code:byte custom_code:string version:int ' +
    'builtin_code:BuiltinOperator',
  Operator:
    'opcode_index:uint inputs:[int] outputs:[int] builtin_options:BuiltinOptions ' +
    'custom_options:[ubyte] custom_options_format:CustomOptionsFormat ' +
    'mutating_variable_inputs:[bool] intermediates:[int] ' +
    'large_custom_options_offset:ulong large_custom_options_size:ulong ' +
    'builtin_options_2:BuiltinOptions2 debug_metadata_index:int',
  SubGraph:
    'tensors:[Tensor] inputs:[int] outputs:[int] operators:[Operator] name:string ' +
    'debug_metadata_index:int',
  Buffer: 'data:[ubyte] offset:ulong size:ulong',
  ExternalBufferGroup: 'name:string',
  ExternalBuffer: 'id:uint group:uint offset:ulong length:ulong packing:string',
  Metadata: 'name:string buffer:uint',
  TensorMap: 'name:string tensor_index:uint',
  SignatureDef:
    'inputs:[TensorMap] outputs:[TensorMap] signature_key:string ~deprecated_tag:string ' +
    'subgraph_index:uint',
  Model:
    'version:uint operator_codes:[OperatorCode] subgraphs:[SubGraph] description:string ' +
    'buffers:[Buffer] metadata_buffer:[int] metadata:[Metadata] ' +
    'signature_defs:[SignatureDef] external_buffer_groups:[ExternalBufferGroup] ' +
    'external_buffers:[ExternalBuffer]',
};

/** Scalar types and their sizes in bytes. */
const SCALAR_SIZE: Readonly<Record<string, number>> = {
  bool: 1, byte: 1, ubyte: 1, int8: 1, uint8: 1,
  short: 2, ushort: 2, int16: 2, uint16: 2,
  int: 4, uint: 4, float: 4, int32: 4, uint32: 4, float32: 4,
  long: 8, ulong: 8, double: 8, int64: 8, uint64: 8, float64: 8,
};

/** Enums of tflite.fbs and their underlying scalar types. */
const ENUM_BASE: Readonly<Record<string, string>> = {
  TensorType: 'byte', DimensionType: 'byte', BuiltinOperator: 'int', Padding: 'byte',
  ActivationFunctionType: 'byte', LSHProjectionType: 'byte',
  FullyConnectedOptionsWeightsFormat: 'byte', LSTMKernelType: 'byte', CombinerType: 'byte',
  MirrorPadMode: 'byte', CustomOptionsFormat: 'byte', ReduceWindowFunction: 'int',
  RngAlgorithm: 'byte', StablehloPrecisionConfig: 'uint', StablehloComparisonDirection: 'uint',
  StablehloComparisonType: 'uint',
};

/** Union member names by type value (index 0 = NONE), taken from the generated enums. */
const UNION_MEMBERS: Readonly<Record<string, readonly (string | undefined)[]>> = {
  BuiltinOptions: membersOf(BuiltinOptions),
  BuiltinOptions2: membersOf(BuiltinOptions2),
  QuantizationDetails: membersOf(QuantizationDetails),
  SparseIndexVector: membersOf(SparseIndexVector),
};

function membersOf(unionEnum: object): (string | undefined)[] {
  const members: (string | undefined)[] = [];
  for (const [name, value] of Object.entries(unionEnum)) {
    if (typeof value === 'number' && value !== 0) members[value] = name;
  }
  return members;
}

/** How a field is stored, as the verifier and walkers need to know it. */
export type FieldKind =
  | { readonly tag: 'scalar'; readonly size: number }
  | { readonly tag: 'string' }
  | { readonly tag: 'vector'; readonly elemSize: number }
  | { readonly tag: 'vectorOfStrings' }
  | { readonly tag: 'vectorOfTables'; readonly table: string }
  | { readonly tag: 'table'; readonly table: string }
  | { readonly tag: 'union'; readonly union: string; readonly members: readonly (string | undefined)[] };

/** One field of a table layout. For unions `slot` is the value slot; the type byte is slot - 1. */
export interface FieldLayout {
  /** Field name as written in the schema (snake_case). */
  readonly name: string;
  /** Type as written in the schema, e.g. `[int]`, `TensorType`, `BuiltinOptions`. */
  readonly type: string;
  /** vtable slot (0-based). */
  readonly slot: number;
  /** Deprecated fields keep their slot but are neither verified nor generated. */
  readonly deprecated: boolean;
  readonly kind: FieldKind;
}

function resolveKind(type: string, where: string): FieldKind {
  const vec = /^\[(\w+)\]$/.exec(type);
  if (vec) {
    const elem = vec[1]!;
    const scalar = SCALAR_SIZE[elem] ?? SCALAR_SIZE[ENUM_BASE[elem] ?? ''];
    if (scalar !== undefined) return { tag: 'vector', elemSize: scalar };
    if (elem === 'string') return { tag: 'vectorOfStrings' };
    if (elem in TFLITE_LAYOUT) return { tag: 'vectorOfTables', table: elem };
  } else {
    const scalar = SCALAR_SIZE[type] ?? SCALAR_SIZE[ENUM_BASE[type] ?? ''];
    if (scalar !== undefined) return { tag: 'scalar', size: scalar };
    if (type === 'string') return { tag: 'string' };
    const members = UNION_MEMBERS[type];
    if (members) return { tag: 'union', union: type, members };
    if (type in TFLITE_LAYOUT) return { tag: 'table', table: type };
  }
  throw new Error(`verify: unknown type ${type} in ${where}`);
}

function parseLayout(table: string, spec: string): FieldLayout[] {
  const fields: FieldLayout[] = [];
  let slot = 0;
  for (const token of spec.split(/\s+/).filter((t) => t !== '')) {
    const m = /^(~?)(\w+):(\[?\w+\]?)$/.exec(token);
    if (!m) throw new Error(`verify: bad layout token '${token}' in ${table}`);
    const kind = resolveKind(m[3]!, `${table}.${m[2]!}`);
    if (kind.tag === 'union') slot++; // the hidden <name>_type byte comes first
    fields.push({ name: m[2]!, type: m[3]!, slot, deprecated: m[1] === '~', kind });
    slot++;
  }
  return fields;
}

const LAYOUTS: ReadonlyMap<string, readonly FieldLayout[]> = new Map(
  Object.entries(TFLITE_LAYOUT).map(([name, spec]) => [name, parseLayout(name, spec)]),
);
for (const [union, members] of Object.entries(UNION_MEMBERS)) {
  for (const member of members) {
    if (member !== undefined && !LAYOUTS.has(member)) {
      throw new Error(`verify: union ${union} member ${member} has no layout`);
    }
  }
}

/** Parsed layout of a table of tflite.fbs, or undefined for an unknown name. */
export function tableLayout(name: string): readonly FieldLayout[] | undefined {
  return LAYOUTS.get(name);
}

// ---------------------------------------------------------------------------
// Verifier
// ---------------------------------------------------------------------------

class VerifyError extends Error {}

const NO_FIELDS: readonly FieldLayout[] = [];
/** The JS runtime reads vtable entries as int16, so voffsets must stay below 2^15. */
const MAX_VOFFSET = 0x7fff;

class Verifier {
  private readonly view: DataView;
  private readonly len: number;
  private readonly path: string[] = ['model'];
  private depth = 0;
  private visited = 0;

  constructor(
    bytes: Uint8Array,
    private readonly maxDepth: number,
    private readonly maxTables: number,
    private readonly allowUnknownUnionTypes: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.len = bytes.byteLength;
  }

  fail(message: string): never {
    throw new VerifyError(`${this.path.join('')}: ${message}`);
  }

  /** Follows the uoffset stored at `at` (already bounds-checked, 4-aligned). */
  private deref(at: number, what: string): number {
    const rel = this.view.getUint32(at, true);
    const target = at + rel;
    if (rel === 0 || target >= this.len) this.fail(`${what} offset out of range (offset ${target}, at ${at})`);
    return target;
  }

  private count(): void {
    if (++this.visited > this.maxTables) this.fail(`more than ${this.maxTables} tables/strings`);
  }

  table(pos: number, name: string): void {
    this.count();
    if (++this.depth > this.maxDepth) this.fail(`tables nested deeper than ${this.maxDepth}`);
    if (pos % 4 !== 0) this.fail(`misaligned table (offset ${pos})`);
    if (pos + 4 > this.len) this.fail(`table out of range (offset ${pos})`);
    const vt = pos - this.view.getInt32(pos, true);
    if (vt < 0 || vt + 4 > this.len) this.fail(`vtable out of range (offset ${vt}, table ${pos})`);
    if (vt % 2 !== 0) this.fail(`misaligned vtable (offset ${vt})`);
    const vtSize = this.view.getUint16(vt, true);
    if (vtSize < 4 || vtSize % 2 !== 0 || vtSize > MAX_VOFFSET || vt + vtSize > this.len) {
      this.fail(`invalid vtable size ${vtSize} (vtable ${vt})`);
    }
    const tableSize = this.view.getUint16(vt + 2, true);
    if (tableSize < 4 || tableSize > MAX_VOFFSET || pos + tableSize > this.len) {
      this.fail(`invalid table size ${tableSize} (table ${pos})`);
    }
    const fieldAt = (slot: number, size: number): number => {
      const entry = 4 + 2 * slot;
      if (entry + 2 > vtSize) return 0;
      const off = this.view.getUint16(vt + entry, true);
      if (off === 0) return 0;
      if (off < 4 || off + size > tableSize) {
        this.fail(`field outside its table (field offset ${off}, size ${size}, table size ${tableSize})`);
      }
      if ((pos + off) % size !== 0) this.fail(`misaligned field (offset ${pos + off})`);
      return pos + off;
    };
    for (const f of LAYOUTS.get(name) ?? NO_FIELDS) {
      if (f.deprecated) continue;
      const k = f.kind;
      this.path.push(`.${f.name}`);
      if (k.tag === 'scalar') {
        fieldAt(f.slot, k.size);
      } else if (k.tag === 'union') {
        const typeAt = fieldAt(f.slot - 1, 1);
        const type = typeAt === 0 ? 0 : this.view.getUint8(typeAt);
        const valueAt = fieldAt(f.slot, 4);
        if (type !== 0) {
          const member = k.members[type];
          if (member === undefined && !this.allowUnknownUnionTypes) {
            this.fail(`unknown ${k.union} type ${type}`);
          }
          if (valueAt !== 0) this.table(this.deref(valueAt, 'union table'), member ?? '');
        }
      } else {
        const at = fieldAt(f.slot, 4);
        if (at !== 0) this.offsetField(this.deref(at, 'field'), k);
      }
      this.path.pop();
    }
    this.depth--;
  }

  private offsetField(target: number, k: FieldKind): void {
    switch (k.tag) {
      case 'string':
        this.string(target);
        return;
      case 'table':
        this.table(target, k.table);
        return;
      case 'vector':
        this.vector(target, k.elemSize);
        return;
      case 'vectorOfStrings':
      case 'vectorOfTables': {
        const n = this.vector(target, 4);
        const last = this.path.length - 1;
        const field = this.path[last]!;
        for (let i = 0; i < n; i++) {
          this.path[last] = `${field}[${i}]`;
          const elem = this.deref(target + 4 + 4 * i, 'element');
          if (k.tag === 'vectorOfStrings') this.string(elem);
          else this.table(elem, k.table);
        }
        this.path[last] = field;
        return;
      }
      case 'scalar':
      case 'union':
        throw new Error('verify: not an offset field');
    }
  }

  /** Checks a vector header and extent; returns its length. */
  private vector(pos: number, elemSize: number): number {
    if (pos % 4 !== 0) this.fail(`misaligned vector (offset ${pos})`);
    if (pos + 4 > this.len) this.fail(`vector out of range (offset ${pos})`);
    const n = this.view.getUint32(pos, true);
    if (pos + 4 + n * elemSize > this.len) this.fail(`vector out of range (offset ${pos}, length ${n})`);
    // Generated *Array() accessors build typed-array views, which need aligned elements.
    if ((pos + 4) % Math.min(elemSize, 8) !== 0) this.fail(`misaligned vector elements (offset ${pos + 4})`);
    return n;
  }

  private string(pos: number): void {
    this.count();
    if (pos % 4 !== 0) this.fail(`misaligned string (offset ${pos})`);
    if (pos + 4 > this.len) this.fail(`string out of range (offset ${pos})`);
    const n = this.view.getUint32(pos, true);
    if (pos + 4 + n + 1 > this.len) this.fail(`string out of range (offset ${pos}, length ${n})`);
    if (this.view.getUint8(pos + 4 + n) !== 0) this.fail(`string not NUL-terminated (offset ${pos})`);
  }
}

/**
 * Structurally verifies a .tflite flatbuffer before any generated reader touches it.
 * Never throws for malformed input. When it returns ok, every field reachable through
 * the generated accessors (including the object API's unpack()) is in bounds.
 * The view must start 8-byte aligned in its ArrayBuffer (typed-array accessors need it);
 * copy with `new Uint8Array(bytes)` if unsure.
 */
export function verifyModel(bytes: Uint8Array, options: VerifyOptions = {}): VerifyResult {
  const maxBufferSize = options.maxBufferSize ?? 0x7fffffff;
  const identifier = options.identifier === undefined ? 'TFL3' : options.identifier;
  if (bytes.byteLength < 8) return { ok: false, error: `model: buffer too small (${bytes.byteLength} bytes, need at least 8)` };
  if (bytes.byteLength > maxBufferSize) {
    return { ok: false, error: `model: buffer too large (${bytes.byteLength} bytes, limit ${maxBufferSize})` };
  }
  if (bytes.byteOffset % 8 !== 0) {
    return { ok: false, error: `model: byte view starts at ${bytes.byteOffset}, not 8-byte aligned in its ArrayBuffer` };
  }
  if (identifier !== null) {
    const found = String.fromCharCode(...bytes.subarray(4, 8));
    if (found !== identifier) return { ok: false, error: `model: file identifier is ${JSON.stringify(found)}, expected ${JSON.stringify(identifier)}` };
  }
  const v = new Verifier(bytes, options.maxDepth ?? 64, options.maxTables ?? 1_000_000, options.allowUnknownUnionTypes ?? false);
  try {
    const root = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
    if (root < 4 || root >= bytes.byteLength) v.fail(`root table offset out of range (offset ${root}, buffer ${bytes.byteLength})`);
    v.table(root, 'Model');
    return { ok: true };
  } catch (e) {
    if (e instanceof VerifyError) return { ok: false, error: e.message };
    throw e;
  }
}
