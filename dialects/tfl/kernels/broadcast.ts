/**
 * Shared helpers for the TFL elementwise, activation, softmax and quantize kernels: TFLite's
 * broadcast shape rule, a broadcast iteration plan (dimensions collapsed so the inner loop is as
 * long as possible), per-tensor quantization accessors, attribute readers, and TFLite's small
 * float helpers (`CheckedLog2`, activation ranges).
 */

import { KernelError, unsupported } from '../../../src/interp/kernel.js';
import type { AttrValue, DType, KernelContext, TensorInfo, TypedArray } from '../../../src/interp/kernel.js';
import { quantizedActivationRange, roundHalfAway } from '../../../src/interp/fixedpoint.js';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
/** Largest finite float32 (`std::numeric_limits<float>::max()`). */
export const FLT_MAX = 3.4028234663852886e38;

const fround = Math.fround;

/**
 * TFLite `CalculateShapeForBroadcast`: right-aligned; each pair of dims must be equal or one of
 * them 1. Throws a {@link KernelError} otherwise.
 */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : (a[i - (rank - a.length)] as number);
    const db = i < rank - b.length ? 1 : (b[i - (rank - b.length)] as number);
    if (da !== db && da !== 1 && db !== 1) {
      throw new KernelError(`shapes [${a.join(',')}] and [${b.join(',')}] are not broadcastable`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * A binary broadcast, collapsed: `dims[k]` with per-operand element strides (0 where the operand
 * is broadcast). The last entry is the inner loop. Elementwise ops on identical shapes collapse
 * to a single dimension with strides 1, 1.
 */
export interface BroadcastPlan {
  readonly outShape: readonly number[];
  readonly size: number;
  readonly dims: Int32Array;
  readonly aStrides: Int32Array;
  readonly bStrides: Int32Array;
}

/** Builds the collapsed iteration plan for `a op b` (any rank). */
export function planBroadcast(a: readonly number[], b: readonly number[]): BroadcastPlan {
  const outShape = broadcastShape(a, b);
  const rank = outShape.length;
  const pa = new Array<number>(rank).fill(1);
  const pb = new Array<number>(rank).fill(1);
  for (let i = 0; i < a.length; i++) pa[rank - a.length + i] = a[i] as number;
  for (let i = 0; i < b.length; i++) pb[rank - b.length + i] = b[i] as number;
  // Contiguous strides of the padded operand shapes.
  const sa = new Array<number>(rank);
  const sb = new Array<number>(rank);
  let accA = 1;
  let accB = 1;
  for (let i = rank - 1; i >= 0; i--) {
    sa[i] = accA;
    sb[i] = accB;
    accA *= pa[i] as number;
    accB *= pb[i] as number;
  }
  let size = 1;
  for (const d of outShape) size *= d;
  const dims: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  let lastKind = -1;
  for (let i = 0; i < rank; i++) {
    const o = outShape[i] as number;
    if (o === 1) continue;
    const aFull = pa[i] === o;
    const bFull = pb[i] === o;
    const kind = (aFull ? 1 : 0) | (bFull ? 2 : 0);
    const stA = aFull ? (sa[i] as number) : 0;
    const stB = bFull ? (sb[i] as number) : 0;
    if (kind === lastKind) {
      const k = dims.length - 1;
      dims[k] = (dims[k] as number) * o;
      as[k] = stA;
      bs[k] = stB;
    } else {
      dims.push(o);
      as.push(stA);
      bs.push(stB);
      lastKind = kind;
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    as.push(0);
    bs.push(0);
  }
  return { outShape, size, dims: Int32Array.from(dims), aStrides: Int32Array.from(as), bStrides: Int32Array.from(bs) };
}

/**
 * One inner row of a broadcast binary op: `n` outputs starting at `outOff`, reading operand a at
 * `aOff + k*aStep` and operand b at `bOff + k*bStep` (a step is 0 where that operand is broadcast
 * along the row, its element stride otherwise).
 */
export type RowFn = (aOff: number, aStep: number, bOff: number, bStep: number, outOff: number, n: number) => void;

/** Runs `row` over every inner row of the plan (odometer over the outer collapsed dims). */
export function runBroadcast(plan: BroadcastPlan, row: RowFn): void {
  if (plan.size === 0) return;
  const { dims, aStrides, bStrides } = plan;
  const rank = dims.length;
  const inner = dims[rank - 1] as number;
  const aStep = aStrides[rank - 1] as number;
  const bStep = bStrides[rank - 1] as number;
  if (rank === 1) {
    row(0, aStep, 0, bStep, 0, inner);
    return;
  }
  const outer = plan.size / inner;
  const idx = new Int32Array(rank - 1);
  let aOff = 0;
  let bOff = 0;
  let outOff = 0;
  for (let o = 0; o < outer; o++) {
    row(aOff, aStep, bOff, bStep, outOff, inner);
    outOff += inner;
    for (let d = rank - 2; d >= 0; d--) {
      const dim = dims[d] as number;
      const v = (idx[d] as number) + 1;
      aOff += aStrides[d] as number;
      bOff += bStrides[d] as number;
      if (v < dim) {
        idx[d] = v;
        break;
      }
      idx[d] = 0;
      aOff -= (aStrides[d] as number) * dim;
      bOff -= (bStrides[d] as number) * dim;
    }
  }
}

/** Checks that the output shape equals `expected`. */
export function checkShape(ctx: KernelContext, actual: readonly number[], expected: readonly number[], what = 'output'): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new KernelError(
      `'${ctx.op}': ${what} shape [${actual.join(',')}] does not match the expected [${expected.join(',')}]`,
    );
  }
}

/** Operand `i`, which must be present. */
export function input(ctx: KernelContext, i: number): TensorInfo {
  const t = ctx.inputs[i];
  if (!t) throw new KernelError(`'${ctx.op}': missing operand ${i}`);
  return t;
}

/** Result `i`. */
export function output(ctx: KernelContext, i = 0): TensorInfo {
  const t = ctx.outputs[i];
  if (!t) throw new KernelError(`'${ctx.op}': missing result ${i}`);
  return t;
}

/** Expects exactly `nIn` operands and `nOut` results. */
export function arity(ctx: KernelContext, nIn: number, nOut = 1): void {
  if (ctx.inputs.length !== nIn || ctx.outputs.length !== nOut) {
    throw new KernelError(`'${ctx.op}' expects ${nIn} operand(s) and ${nOut} result(s)`);
  }
}

/** True for the quantized integer storage types these kernels handle. */
export function isQuantInt(t: TensorInfo): boolean {
  return t.quant !== undefined && (t.dtype === 'i8' || t.dtype === 'u8' || t.dtype === 'i16' || t.dtype === 'i32');
}

/**
 * The per-tensor (legacy `params`) scale and zero point TFLite kernels read: the first entry.
 * Per-axis quantization with more than one scale is rejected (TFLite's legacy params would be
 * empty for it).
 */
export function qparams(ctx: KernelContext, t: TensorInfo): { scale: number; zeroPoint: number } {
  const q = t.quant;
  if (!q || q.scale.length === 0) unsupported(ctx, `tensor '${t.name}' has no quantization parameters`);
  if (q.scale.length !== 1) unsupported(ctx, `tensor '${t.name}' is per-axis quantized; this op needs per-tensor`);
  return { scale: fround(q.scale[0] as number), zeroPoint: (q.zeroPoint[0] ?? 0) as number };
}

/** Reads an enum/string attribute with a default. */
export function strAttr(ctx: KernelContext, name: string, dflt: string): string {
  const v: AttrValue | undefined = ctx.attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'string') throw new KernelError(`'${ctx.op}': attribute '${name}' must be a string`);
  return v;
}

/** Reads a numeric attribute with a default (floats are rounded to float32, as TFLite stores them). */
export function f32Attr(ctx: KernelContext, name: string, dflt: number): number {
  const v = ctx.attrs[name];
  if (v === undefined) return fround(dflt);
  if (typeof v !== 'number') throw new KernelError(`'${ctx.op}': attribute '${name}' must be a number`);
  return fround(v);
}

/** Reads a boolean attribute with a default. */
export function boolAttr(ctx: KernelContext, name: string, dflt: boolean): boolean {
  const v = ctx.attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new KernelError(`'${ctx.op}': attribute '${name}' must be a boolean`);
  return v;
}

/** The fused activation attribute, validated to the ones TFLite kernels clamp with. */
export function fusedActivation(ctx: KernelContext): string {
  const act = strAttr(ctx, 'fused_activation_function', 'NONE');
  if (act !== 'NONE' && act !== 'RELU' && act !== 'RELU6' && act !== 'RELU_N1_TO_1' && act !== 'RELU_0_TO_1') {
    unsupported(ctx, `fused activation '${act}'`);
  }
  return act;
}

/**
 * TFLite `CalculateActivationRange<float>`: NONE clamps to ±FLT_MAX (so an overflow to ±inf
 * becomes ±FLT_MAX in the builtin kernels; NaN passes through).
 */
export function floatActRange(act: string): [number, number] {
  switch (act) {
    case 'RELU':
      return [0, FLT_MAX];
    case 'RELU6':
      return [0, 6];
    case 'RELU_N1_TO_1':
      return [-1, 1];
    case 'RELU_0_TO_1':
      return [0, 1];
    default:
      return [-FLT_MAX, FLT_MAX];
  }
}

/** TFLite `CalculateActivationRange<int32_t>`. */
export function int32ActRange(act: string): [number, number] {
  switch (act) {
    case 'RELU':
      return [0, INT32_MAX];
    case 'RELU6':
      return [0, 6];
    case 'RELU_N1_TO_1':
      return [-1, 1];
    case 'RELU_0_TO_1':
      return [0, 1];
    default:
      return [INT32_MIN, INT32_MAX];
  }
}

/** Storage range of a quantized integer dtype. */
export function dtypeRange(ctx: KernelContext, dtype: DType): [number, number] {
  switch (dtype) {
    case 'i8':
      return [-128, 127];
    case 'u8':
      return [0, 255];
    case 'i16':
      return [-32768, 32767];
    case 'i32':
      return [INT32_MIN, INT32_MAX];
    default:
      return unsupported(ctx, `dtype ${dtype} is not a quantized integer type`);
  }
}

/**
 * TFLite `CalculateActivationRangeQuantized`: `zp + round(f / scale)` with the division in float
 * (`TfLiteRound` of a float is round-half-away), intersected with the storage range.
 */
export function quantActRange(ctx: KernelContext, act: string, t: TensorInfo): [number, number] {
  const { scale, zeroPoint } = qparams(ctx, t);
  const range = quantizedActivationRange(act, scale, zeroPoint, t.dtype as 'i8' | 'u8' | 'i16' | 'i32');
  if (!range) return unsupported(ctx, `fused activation '${act}'`);
  const [qmin, qmax] = dtypeRange(ctx, t.dtype);
  return [Math.max(range[0], qmin), Math.min(range[1], qmax)];
}

/**
 * TFLite `CheckedLog2(float)`: log2 computed in float, rounded; "is a power of two" when the
 * fractional part is below 1e-3.
 */
export function checkedLog2(x: number): { pot: boolean; log2: number } {
  const xLog2 = fround(fround(Math.log(x)) * fround(1 / fround(Math.log(2))));
  const rounded = roundHalfAway(xLog2);
  const frac = fround(xLog2 - rounded);
  return { pot: Math.abs(frac) < fround(1e-3), log2: rounded };
}

/** Wraps to int32 (C++ two's complement overflow as it behaves in practice). */
export function wrap32(x: number): number {
  return x | 0;
}

/** Wraps to int16. */
export function wrap16(x: number): number {
  return (x << 16) >> 16;
}

/** A typed array's elements as plain numbers accessor type (all our integer arrays but 64-bit). */
export type NumArray = Exclude<TypedArray, BigInt64Array | BigUint64Array>;

/**
 * The raw storage of an 8- or 16-bit integer tensor as an unsigned view (Uint8Array /
 * Uint16Array over the same memory). Hot loops index tables by raw bits through these views so
 * every kernel instance reads and writes through one array type (monomorphic element access).
 */
export function rawView8(data: TypedArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** See {@link rawView8}. */
export function rawView16(data: TypedArray): Uint16Array {
  return new Uint16Array(data.buffer, data.byteOffset, data.length);
}

/** Signed value of raw bits: 8-bit (`signed` i8 or u8). */
export function fromRaw8(bits: number, signed: boolean): number {
  return signed ? (bits << 24) >> 24 : bits;
}

/** Signed int16 value of 16 raw bits. */
export function fromRaw16(bits: number): number {
  return (bits << 16) >> 16;
}

/**
 * gemmlowp `RoundingDivideByPOT` for an int32 `x` and exponent in [0, 31], with int32 bit
 * operations (same results as fixedpoint.ts `rdbpot`, faster).
 */
export function rdbpot32(x: number, exponent: number): number {
  if (exponent === 0) return x;
  const mask = exponent >= 31 ? 0x7fffffff : (1 << exponent) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}
