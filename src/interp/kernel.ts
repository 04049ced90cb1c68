/**
 * The contract between the interpreter engine and op kernels. Kernels never see the IR: they get
 * plain tensor descriptions at prepare time (types, shapes, quantization, constant data) and return
 * a run function that works on typed arrays. Dialects register kernels by op name.
 */

/** Runtime element types. `i1` is stored one byte per element; `f16` is not computed on. */
export type DType = 'f32' | 'f64' | 'f16' | 'i1' | 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64';

/** The typed array that holds each dtype's elements. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Quantization of a tensor: one scale/zero point (axis = -1) or one per slice along `axis`. */
export interface QuantParams {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  /** Quantized dimension for per-axis quantization, -1 for per-tensor. */
  readonly axis: number;
  /** Storage range (e.g. -127..127 for narrow-range weights). */
  readonly storageMin: number;
  readonly storageMax: number;
}

/** A tensor as a kernel sees it at prepare time. */
export interface TensorInfo {
  /** Name for diagnostics (tensor name or location). */
  readonly name: string;
  readonly dtype: DType;
  /** Static shape; the interpreter resolves dynamic dims before prepare. */
  readonly shape: readonly number[];
  readonly quant?: QuantParams;
  /** Set for constant tensors (weights, biases, shapes): their values, known at prepare time. */
  readonly data?: TypedArray;
  /** True for variable tensors (LSTM/SVDF state) that persist across invokes. */
  readonly isVariable?: boolean;
}

/** An attribute value as kernels see it (enums are strings, e.g. fused_activation_function = "RELU"). */
export type AttrValue = number | bigint | string | boolean | readonly number[] | readonly string[] | TypedArray;

/** Which real runtime's arithmetic to follow where TFLite's builtin kernels and TFLM differ. */
export type KernelFlavour = 'tflite' | 'tflm';

/**
 * Per-interpreter runtime services for kernels that keep state outside their tensors (TFLite's
 * resource variables and CALL_ONCE). Shared by a model's functions; cleared by `reset()`.
 */
export interface RuntimeServices {
  /** Resource variables by handle id; a variable exists once assigned. */
  readonly variables: Map<number, Tensor>;
  /** The handle id of a variable name (container + shared_name), stable within the interpreter. */
  handle(name: string): number;
  /** Runs the named function of the model once since the last reset (no inputs, results dropped). */
  callOnce(symbol: string): void;
}

/** Everything a kernel may look at when it prepares. */
export interface KernelContext {
  /** Runtime services (resource variables, call-once), when the interpreter provides them. */
  readonly runtime?: RuntimeServices;
  /** Op name, e.g. `tfl.add`. */
  readonly op: string;
  /** Location or tensor name of the op, for diagnostics. */
  readonly where: string;
  /** Operands in order; `undefined` for absent optional operands (TFLite's -1). */
  readonly inputs: readonly (TensorInfo | undefined)[];
  readonly outputs: readonly TensorInfo[];
  /** Op intermediates (integer LSTM), when the op has them. */
  readonly intermediates: readonly TensorInfo[];
  readonly attrs: Readonly<Record<string, AttrValue | undefined>>;
  readonly flavour: KernelFlavour;
}

/** A tensor at run time: a typed-array view (possibly into the arena) and its shape. */
export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

/**
 * Runs one op. Outputs are pre-allocated views with the prepared shapes; kernels write into them.
 * Variable inputs (state) are updated in place, as TFLite does.
 */
export type KernelFn = (inputs: readonly (Tensor | undefined)[], outputs: readonly Tensor[]) => void;

/** A kernel: validates and precomputes at prepare time (multipliers, shifts, tables), once. */
export interface KernelDef {
  /** Op name this kernel implements, e.g. `tfl.fully_connected`. */
  readonly op: string;
  /** Says whether the two flavours differ for this op (for docs). */
  readonly flavoursDiffer?: string;
  /**
   * Checks the type combination and returns the run function. Unsupported combinations throw a
   * {@link KernelError} naming the op and types — never a silently wrong kernel.
   */
  prepare(ctx: KernelContext): KernelFn;
}

/** Thrown by kernels for unsupported or invalid configurations; the interpreter adds the op location. */
export class KernelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelError';
  }
}

/** Throws a KernelError describing an unsupported type combination. */
export function unsupported(ctx: KernelContext, what?: string): never {
  const ins = ctx.inputs.map((t) => (t ? t.dtype : 'none')).join(', ');
  const outs = ctx.outputs.map((t) => t.dtype).join(', ');
  throw new KernelError(`'${ctx.op}' has no kernel for (${ins}) -> (${outs})${what ? `: ${what}` : ''}`);
}

/** Number of elements of a shape. */
export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Allocates a zero-filled typed array for a dtype. */
export function allocTyped(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'f32':
      return new Float32Array(n);
    case 'f64':
      return new Float64Array(n);
    case 'f16':
    case 'u16':
      return new Uint16Array(n);
    case 'i1':
    case 'u8':
      return new Uint8Array(n);
    case 'i8':
      return new Int8Array(n);
    case 'i16':
      return new Int16Array(n);
    case 'i32':
      return new Int32Array(n);
    case 'u32':
      return new Uint32Array(n);
    case 'i64':
      return new BigInt64Array(n);
    case 'u64':
      return new BigUint64Array(n);
  }
}

/** Bytes per element of a dtype. */
export function dtypeBytes(dtype: DType): number {
  switch (dtype) {
    case 'i1':
    case 'i8':
    case 'u8':
      return 1;
    case 'f16':
    case 'i16':
    case 'u16':
      return 2;
    case 'f32':
    case 'i32':
    case 'u32':
      return 4;
    case 'f64':
    case 'i64':
    case 'u64':
      return 8;
  }
}

/** A typed-array view of a dtype over a byte range of a buffer (offset must be aligned). */
export function viewTyped(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, n: number): TypedArray {
  switch (dtype) {
    case 'f32':
      return new Float32Array(buffer, byteOffset, n);
    case 'f64':
      return new Float64Array(buffer, byteOffset, n);
    case 'f16':
    case 'u16':
      return new Uint16Array(buffer, byteOffset, n);
    case 'i1':
    case 'u8':
      return new Uint8Array(buffer, byteOffset, n);
    case 'i8':
      return new Int8Array(buffer, byteOffset, n);
    case 'i16':
      return new Int16Array(buffer, byteOffset, n);
    case 'i32':
      return new Int32Array(buffer, byteOffset, n);
    case 'u32':
      return new Uint32Array(buffer, byteOffset, n);
    case 'i64':
      return new BigInt64Array(buffer, byteOffset, n);
    case 'u64':
      return new BigUint64Array(buffer, byteOffset, n);
  }
}
