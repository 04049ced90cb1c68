/**
 * Data-movement kernels that reshape or rearrange elements without arithmetic: tfl.reshape,
 * tfl.squeeze, tfl.expand_dims, tfl.transpose, tfl.pack, tfl.unpack, tfl.gather, tfl.cast and
 * tfl.shape, plus the raw-element helpers the slice/concat/pad kernels share. Elements are moved as
 * raw bits (f32 NaN payloads survive), so one code path serves every fixed-width dtype.
 */

import {
  type DType,
  type KernelContext,
  type KernelDef,
  type KernelFn,
  type TensorInfo,
  type TypedArray,
  KernelError,
  dtypeBytes,
  numElements,
  unsupported,
} from '../../../src/interp/kernel.js';

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by slice.ts, concat.ts, pad.ts)
// ---------------------------------------------------------------------------------------------

/** An unsigned view of a tensor's bits: 1-, 2- and 4-byte elements one lane each, 8-byte two lanes. */
export type RawArray = Uint8Array | Uint16Array | Uint32Array;

/** Lanes per element in a {@link RawArray} view (2 for 8-byte dtypes, else 1). */
export function lanesOf(dtype: DType): number {
  return dtypeBytes(dtype) === 8 ? 2 : 1;
}

/** The bits of a typed array as a {@link RawArray} over the same memory (no copy). */
export function rawView(data: TypedArray): RawArray {
  switch (data.BYTES_PER_ELEMENT) {
    case 1:
      return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length);
    case 2:
      return data instanceof Uint16Array ? data : new Uint16Array(data.buffer, data.byteOffset, data.length);
    case 4:
      return data instanceof Uint32Array ? data : new Uint32Array(data.buffer, data.byteOffset, data.length);
    default:
      return new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
  }
}

/** The bytes of a typed array (no copy). */
export function byteView(data: TypedArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Copies all bytes of `src` into `dst` (same byte length); a no-op when they are the same memory. */
export function copyBytes(src: TypedArray, dst: TypedArray): void {
  if (src.buffer === dst.buffer && src.byteOffset === dst.byteOffset) return;
  byteView(dst).set(byteView(src));
}

/** Reads an integer attribute (TFLite default when absent). */
export function intAttr(ctx: KernelContext, name: string, def: number): number {
  const v = ctx.attrs[name];
  if (v === undefined) return def;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new KernelError(`'${ctx.op}' attribute '${name}' must be an integer, got ${String(v)}`);
}

/** Reads a boolean attribute (TFLite default when absent). */
export function boolAttr(ctx: KernelContext, name: string, def: boolean): boolean {
  const v = ctx.attrs[name];
  if (v === undefined) return def;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  throw new KernelError(`'${ctx.op}' attribute '${name}' must be a boolean, got ${String(v)}`);
}

/** Reads a string (enum) attribute (TFLite default when absent). */
export function strAttr(ctx: KernelContext, name: string, def: string): string {
  const v = ctx.attrs[name];
  if (v === undefined) return def;
  if (typeof v === 'string') return v;
  throw new KernelError(`'${ctx.op}' attribute '${name}' must be a string, got ${String(v)}`);
}

/** Reads an integer-array attribute (empty when absent). */
export function intsAttr(ctx: KernelContext, name: string): number[] {
  const v = ctx.attrs[name];
  if (v === undefined) return [];
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.map((x) => Number(x));
  if (ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<number | bigint>, (x) => Number(x));
  throw new KernelError(`'${ctx.op}' attribute '${name}' must be an integer array`);
}

/** Integer values of an i8/i16/i32/i64 (or unsigned) tensor's data as numbers. */
export function intValues(data: TypedArray): number[] {
  const out = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i]!);
  return out;
}

/** True for the dtypes an index/shape operand may have. */
export function isIndexDType(dtype: DType): boolean {
  return dtype === 'i32' || dtype === 'i64';
}

/** The operand at `i`, or a KernelError naming it when absent. */
export function input(ctx: KernelContext, i: number): TensorInfo {
  const t = ctx.inputs[i];
  if (!t) throw new KernelError(`'${ctx.op}' needs operand #${i}`);
  return t;
}

/** The result at `i`, or a KernelError. */
export function output(ctx: KernelContext, i: number): TensorInfo {
  const t = ctx.outputs[i];
  if (!t) throw new KernelError(`'${ctx.op}' needs result #${i}`);
  return t;
}

/** Per-tensor scale and zero point as TFLite's legacy `params` sees them (0/0 when unquantized). */
export function legacyQuant(t: TensorInfo): { scale: number; zeroPoint: number } {
  return { scale: t.quant?.scale[0] ?? 0, zeroPoint: t.quant?.zeroPoint[0] ?? 0 };
}

/** TFLite's `params.scale == other.params.scale && params.zero_point == ...` check. */
export function sameQuant(a: TensorInfo, b: TensorInfo): boolean {
  const qa = legacyQuant(a);
  const qb = legacyQuant(b);
  return Math.fround(qa.scale) === Math.fround(qb.scale) && qa.zeroPoint === qb.zeroPoint;
}

/** Throws unless the operand and the result carry the same per-tensor scale and zero point. */
export function requireSameQuant(ctx: KernelContext, a: TensorInfo, b: TensorInfo): void {
  if (!sameQuant(a, b)) {
    unsupported(ctx, `'${a.name}' and '${b.name}' must have the same scale and zero point (TFLite rejects rescaling here)`);
  }
}

/** Throws unless `dtype` is one of `allowed`. */
export function requireDType(ctx: KernelContext, dtype: DType, allowed: readonly DType[]): void {
  if (!allowed.includes(dtype)) unsupported(ctx, `element type ${dtype} is not supported (TFLite supports ${allowed.join(', ')})`);
}

/** Throws unless two shapes are equal. */
export function requireShape(ctx: KernelContext, what: string, got: readonly number[], want: readonly number[]): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
    throw new KernelError(`'${ctx.op}' ${what}: shape [${got.join(',')}] does not match the expected [${want.join(',')}]`);
  }
}

/** Row-major strides of a shape (in elements). */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * Builds a source-index map for an affine walk: output element (i0..ik) reads the input element at
 * `base + sum(ij * step[j])`, with `counts` the output dims; the map is in raw lanes (x `lanes`).
 */
export function affineMap(counts: readonly number[], steps: readonly number[], base: number, lanes: number): Int32Array {
  const n = numElements(counts);
  const map = new Int32Array(n * lanes);
  if (n === 0) return map;
  const rank = counts.length;
  const idx = new Array<number>(rank).fill(0);
  let src = base;
  for (let o = 0; o < n; o++) {
    if (lanes === 1) map[o] = src;
    else {
      map[2 * o] = 2 * src;
      map[2 * o + 1] = 2 * src + 1;
    }
    // odometer increment
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      src += steps[d]!;
      if (idx[d]! < counts[d]!) break;
      src -= steps[d]! * counts[d]!;
      idx[d] = 0;
    }
  }
  return map;
}

/** Copies `n` raw lanes `src[s..s+n)` to `dst[d..)`: a loop for short runs, `set` for long ones. */
export function copyRun(src: RawArray, s: number, dst: RawArray, d: number, n: number): void {
  if (n < 32) for (let j = 0; j < n; j++) dst[d + j] = src[s + j]!;
  else dst.set(src.subarray(s, s + n), d);
}

/** `dst[i] = src[map[i]]` over raw views. */
export function gatherRaw(src: RawArray, dst: RawArray, map: Int32Array): void {
  const n = map.length;
  for (let i = 0; i < n; i++) dst[i] = src[map[i]!]!;
}

/** A run function that applies a fixed raw-lane map from input `inIndex` to output 0. */
export function mapKernel(map: Int32Array, inIndex = 0): KernelFn {
  return (inputs, outputs) => {
    const x = inputs[inIndex]!;
    gatherRaw(rawView(x.data), rawView(outputs[0]!.data), map);
  };
}

/** Normalizes a possibly negative axis against `rank` (TFLite: axis += rank if < 0) and checks it. */
export function normAxis(ctx: KernelContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= Math.max(rank, 1)) throw new KernelError(`'${ctx.op}' axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** All fixed-width dtypes a raw mover handles. */
export const ANY_FIXED: readonly DType[] = ['f32', 'f64', 'f16', 'i1', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64'];

/** Reads the integer values of a constant operand (undefined when not constant). */
export function constInts(t: TensorInfo | undefined): number[] | undefined {
  return t?.data ? intValues(t.data) : undefined;
}

// ---------------------------------------------------------------------------------------------
// reshape / squeeze / expand_dims: byte copies
// ---------------------------------------------------------------------------------------------

const copyKernel: KernelFn = (inputs, outputs) => copyBytes(inputs[0]!.data, outputs[0]!.data);

function checkSameCount(ctx: KernelContext, x: TensorInfo, y: TensorInfo): void {
  if (x.dtype !== y.dtype) unsupported(ctx, 'input and output element types differ');
  if (numElements(x.shape) !== numElements(y.shape)) {
    throw new KernelError(`'${ctx.op}' cannot turn [${x.shape.join(',')}] into [${y.shape.join(',')}] (element counts differ)`);
  }
}

/** Resolves a TFLite reshape target (one -1 allowed) for `count` elements. */
export function resolveReshape(ctx: KernelContext, target: readonly number[], count: number): number[] {
  let unknown = -1;
  let known = 1;
  target.forEach((d, i) => {
    if (d === -1) {
      if (unknown >= 0) throw new KernelError(`'${ctx.op}' shape has more than one -1`);
      unknown = i;
    } else {
      if (d < 0) throw new KernelError(`'${ctx.op}' shape has a negative dimension ${d}`);
      known *= d;
    }
  });
  const out = [...target];
  if (unknown >= 0) {
    if (known === 0 || count % known !== 0) throw new KernelError(`'${ctx.op}' cannot infer the -1 dimension`);
    out[unknown] = count / known;
  }
  return out;
}

/**
 * `tfl.reshape(input, shape?)`: any fixed-width dtype; a byte copy. A constant i32 `shape` operand (or
 * a `new_shape` attribute) is checked against the result's static shape. Quantization is not
 * checked (TFLite copies raw values). Flavours agree.
 */
export const reshapeKernel: KernelDef = {
  op: 'tfl.reshape',
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx, 0);
    requireDType(ctx, x.dtype, ANY_FIXED);
    checkSameCount(ctx, x, y);
    const shapeT = ctx.inputs[1];
    // TF 2.12 rejects a non-int32 shape operand.
    if (shapeT && shapeT.dtype !== 'i32') unsupported(ctx, 'the shape operand must be i32');
    const target = constInts(shapeT) ?? (ctx.attrs['new_shape'] !== undefined ? intsAttr(ctx, 'new_shape') : undefined);
    if (target !== undefined) requireShape(ctx, 'result', y.shape, resolveReshape(ctx, target, numElements(x.shape)));
    return copyKernel;
  },
};

/**
 * `tfl.squeeze(input) {squeeze_dims}`: any fixed-width dtype; a byte copy. Removes the listed size-1
 * dims (all size-1 dims when the list is empty); at most 8 dims. Quantization is not checked.
 */
export const squeezeKernel: KernelDef = {
  op: 'tfl.squeeze',
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx, 0);
    requireDType(ctx, x.dtype, ANY_FIXED);
    checkSameCount(ctx, x, y);
    const rank = x.shape.length;
    if (rank > 8) unsupported(ctx, 'squeeze supports at most 8 dimensions');
    const dims = intsAttr(ctx, 'squeeze_dims');
    const drop = new Array<boolean>(rank).fill(false);
    if (dims.length === 0) x.shape.forEach((d, i) => (drop[i] = d === 1));
    else
      for (const d of dims) {
        const a = d < 0 ? d + rank : d;
        if (a < 0 || a >= rank || x.shape[a] !== 1) throw new KernelError(`'${ctx.op}' cannot squeeze dimension ${d} of [${x.shape.join(',')}]`);
        drop[a] = true;
      }
    requireShape(ctx, 'result', y.shape, x.shape.filter((_, i) => !drop[i]));
    return copyKernel;
  },
};

/**
 * `tfl.expand_dims(input, dim)`: any fixed-width dtype; a byte copy. `dim` (i32/i64, one element)
 * may be negative (counts from rank + 1). TFLite requires equal input/output scale and zero point.
 */
export const expandDimsKernel: KernelDef = {
  op: 'tfl.expand_dims',
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx, 0);
    requireDType(ctx, x.dtype, ANY_FIXED);
    checkSameCount(ctx, x, y);
    requireSameQuant(ctx, x, y);
    const axisT = input(ctx, 1);
    if (!isIndexDType(axisT.dtype) || numElements(axisT.shape) !== 1) unsupported(ctx, 'dim must be one i32/i64 value');
    const axisV = constInts(axisT);
    if (axisV) {
      let a = axisV[0]!;
      if (a < 0) a += x.shape.length + 1;
      if (a < 0 || a > x.shape.length) throw new KernelError(`'${ctx.op}' dim ${axisV[0]} is out of range`);
      const want = [...x.shape];
      want.splice(a, 0, 1);
      requireShape(ctx, 'result', y.shape, want);
    }
    return copyKernel;
  },
};

// ---------------------------------------------------------------------------------------------
// transpose
// ---------------------------------------------------------------------------------------------

/** Builds the transpose map for an input shape and a (normalized) permutation. */
function transposeMap(shape: readonly number[], perm: readonly number[], lanes: number): Int32Array {
  const inStrides = stridesOf(shape);
  const counts = perm.map((p) => shape[p]!);
  const steps = perm.map((p) => inStrides[p]!);
  return affineMap(counts, steps, 0, lanes);
}

function normPerm(ctx: KernelContext, perm: readonly number[], rank: number): number[] {
  if (perm.length !== rank) throw new KernelError(`'${ctx.op}' perm has ${perm.length} entries for rank ${rank}`);
  const seen = new Array<boolean>(rank).fill(false);
  for (const p of perm) {
    // TF 2.12 and TFLM: 0 <= perm[i] < rank (negative entries are rejected).
    if (!(p >= 0 && p < rank) || seen[p]) throw new KernelError(`'${ctx.op}' permutation entry ${p} is out of bounds or repeated`);
    seen[p] = true;
  }
  return [...perm];
}

/**
 * `tfl.transpose(input, perm)`: f32, i32, i64, i16, i8, u8, i1; rank <= 5 (TF 2.12 and TFLM reject
 * 6-D; newer LiteRT allows more); perm (i32) entries in [0, rank), constant or dynamic (TFLM:
 * constant only). A raw permutation; quantization is not checked (TF 2.12 copies raw values;
 * newer LiteRT rejects differing scales).
 */
export const transposeKernel: KernelDef = {
  op: 'tfl.transpose',
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx, 0);
    const permT = input(ctx, 1);
    requireDType(ctx, x.dtype, ['f32', 'i32', 'i64', 'i16', 'i8', 'u8', 'i1']);
    if (x.dtype !== y.dtype) unsupported(ctx, 'input and output element types differ');
    if (x.shape.length > 5) unsupported(ctx, 'transpose supports 1D-5D inputs (TF 2.12)');
    if (permT.dtype !== 'i32') unsupported(ctx, 'perm must be i32');
    const rank = x.shape.length;
    const lanes = lanesOf(x.dtype);
    const outShape = (perm: number[]): number[] => perm.map((p) => x.shape[p]!);
    const constPerm = constInts(permT);
    if (!constPerm && ctx.flavour === 'tflm') unsupported(ctx, 'TFLM needs a constant perm');
    if (constPerm) {
      const perm = normPerm(ctx, constPerm, rank);
      requireShape(ctx, 'result', y.shape, outShape(perm));
      return mapKernel(transposeMap(x.shape, perm, lanes));
    }
    let lastKey = '';
    let map: Int32Array = new Int32Array(0);
    return (inputs, outputs) => {
      const p = normPerm(ctx, intValues(inputs[1]!.data), rank);
      const key = p.join(',');
      if (key !== lastKey) {
        requireShape(ctx, 'result', outputs[0]!.shape, outShape(p));
        map = transposeMap(x.shape, p, lanes);
        lastKey = key;
      }
      gatherRaw(rawView(inputs[0]!.data), rawView(outputs[0]!.data), map);
    };
  },
};

// ---------------------------------------------------------------------------------------------
// pack / unpack
// ---------------------------------------------------------------------------------------------

/** outer/inner block sizes (in raw lanes) around an axis of `shape`. */
function blocks(shape: readonly number[], axis: number, lanes: number): { outer: number; inner: number } {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = lanes;
  for (let i = axis; i < shape.length; i++) inner *= shape[i]!;
  return { outer, inner };
}

/**
 * `tfl.pack(values...) {values_count, axis}`: f32, i32, u32, i64, i16, i8, u8. All inputs must have
 * the output's scale and zero point (TFLite's Prepare check). Flavours agree.
 */
export const packKernel: KernelDef = {
  op: 'tfl.pack',
  prepare(ctx) {
    const count = intAttr(ctx, 'values_count', ctx.inputs.length);
    if (count !== ctx.inputs.length || count < 1) throw new KernelError(`'${ctx.op}' values_count ${count} != ${ctx.inputs.length} operands`);
    const x0 = input(ctx, 0);
    const y = output(ctx, 0);
    requireDType(ctx, x0.dtype, ['f32', 'i32', 'u32', 'i64', 'i16', 'i8', 'u8']);
    let axis = intAttr(ctx, 'axis', 0);
    if (axis < 0) axis += x0.shape.length + 1;
    if (axis < 0 || axis > x0.shape.length) throw new KernelError(`'${ctx.op}' axis is out of range`);
    for (let i = 0; i < count; i++) {
      const xi = input(ctx, i);
      if (xi.dtype !== x0.dtype) unsupported(ctx, 'operands have different element types');
      requireShape(ctx, `operand #${i}`, xi.shape, x0.shape);
      requireSameQuant(ctx, xi, y);
    }
    if (y.dtype !== x0.dtype) unsupported(ctx, 'result element type differs');
    const want = [...x0.shape];
    want.splice(axis, 0, count);
    requireShape(ctx, 'result', y.shape, want);
    const { outer, inner } = blocks(x0.shape, axis, lanesOf(x0.dtype));
    return (inputs, outputs) => {
      const dst = rawView(outputs[0]!.data);
      for (let k = 0; k < count; k++) {
        const src = rawView(inputs[k]!.data);
        for (let o = 0; o < outer; o++) copyRun(src, o * inner, dst, (o * count + k) * inner, inner);
      }
    };
  },
};

/**
 * `tfl.unpack(input) {num, axis}`: f32, i32, i64, i16, i8, u8, i1. Every result must have the
 * input's scale and zero point (TFLite's Prepare check). Flavours agree.
 */
export const unpackKernel: KernelDef = {
  op: 'tfl.unpack',
  prepare(ctx) {
    const x = input(ctx, 0);
    requireDType(ctx, x.dtype, ['f32', 'i32', 'i64', 'i16', 'i8', 'u8', 'i1']);
    const rank = x.shape.length;
    const axis = normAxis(ctx, intAttr(ctx, 'axis', 0), rank);
    const num = intAttr(ctx, 'num', x.shape[axis] ?? 0);
    if (num !== x.shape[axis] || num !== ctx.outputs.length) {
      throw new KernelError(`'${ctx.op}' num ${num} must equal dim ${axis} of the input and the result count`);
    }
    const want = x.shape.filter((_, i) => i !== axis);
    for (const y of ctx.outputs) {
      if (y.dtype !== x.dtype) unsupported(ctx, 'result element type differs');
      requireShape(ctx, 'result', y.shape, want);
      requireSameQuant(ctx, x, y);
    }
    const lanes = lanesOf(x.dtype);
    let outer = 1;
    for (let i = 0; i < axis; i++) outer *= x.shape[i]!;
    let inner = lanes;
    for (let i = axis + 1; i < rank; i++) inner *= x.shape[i]!;
    return (inputs, outputs) => {
      const src = rawView(inputs[0]!.data);
      for (let k = 0; k < num; k++) {
        const dst = rawView(outputs[k]!.data);
        for (let o = 0; o < outer; o++) copyRun(src, (o * num + k) * inner, dst, o * inner, inner);
      }
    };
  },
};

// ---------------------------------------------------------------------------------------------
// gather
// ---------------------------------------------------------------------------------------------

/**
 * `tfl.gather(params, indices) {axis = 0, batch_dims = 0}`: params f32, i1, i8, u8, i16, i32, i64;
 * indices i32/i64 (runtime or constant; TF 2.12 rejects i16). Raw copies; quantization is not checked. An index
 * outside [0, dim) is a run-time KernelError (TFLite fails the invoke). TFLM: i32 indices only.
 */
export const gatherKernel: KernelDef = {
  op: 'tfl.gather',
  prepare(ctx) {
    const p = input(ctx, 0);
    const ix = input(ctx, 1);
    const y = output(ctx, 0);
    requireDType(ctx, p.dtype, ['f32', 'i1', 'i8', 'u8', 'i16', 'i32', 'i64']);
    if (ix.dtype !== 'i32' && ix.dtype !== 'i64') unsupported(ctx, 'indices must be i32 or i64');
    if (ctx.flavour === 'tflm' && ix.dtype !== 'i32') unsupported(ctx, 'TFLM gather needs i32 indices');
    if (y.dtype !== p.dtype) unsupported(ctx, 'result element type differs');
    const pRank = p.shape.length;
    const iRank = ix.shape.length;
    let batchDims = intAttr(ctx, 'batch_dims', 0);
    if (batchDims < 0) batchDims += iRank;
    let axis = intAttr(ctx, 'axis', 0);
    if (axis < 0) axis += pRank;
    if (axis < 0 || axis >= pRank) throw new KernelError(`'${ctx.op}' axis is out of range`);
    if (batchDims < 0 || batchDims > axis || batchDims > iRank) throw new KernelError(`'${ctx.op}' batch_dims is out of range`);
    for (let i = 0; i < batchDims; i++) {
      if (p.shape[i] !== ix.shape[i]) throw new KernelError(`'${ctx.op}' params and indices differ in batch dimension ${i}`);
    }
    const want = [...p.shape.slice(0, axis), ...ix.shape.slice(batchDims), ...p.shape.slice(axis + 1)];
    requireShape(ctx, 'result', y.shape, want);
    const lanes = lanesOf(p.dtype);
    let batch = 1;
    for (let i = 0; i < batchDims; i++) batch *= p.shape[i]!;
    let outer = 1;
    for (let i = batchDims; i < axis; i++) outer *= p.shape[i]!;
    let inner = lanes;
    for (let i = axis + 1; i < pRank; i++) inner *= p.shape[i]!;
    const axisSize = p.shape[axis]!;
    let coords = 1;
    for (let i = batchDims; i < iRank; i++) coords *= ix.shape[i]!;
    const is64 = ix.dtype === 'i64';
    return (inputs, outputs) => {
      const src = rawView(inputs[0]!.data);
      const dst = rawView(outputs[0]!.data);
      const idx = inputs[1]!.data;
      for (let b = 0; b < batch; b++) {
        for (let o = 0; o < outer; o++) {
          for (let j = 0; j < coords; j++) {
            const c = is64 ? Number(idx[b * coords + j]!) : (idx[b * coords + j] as number);
            if (!(c >= 0 && c < axisSize)) throw new KernelError(`'${ctx.op}' index ${c} is out of bounds [0, ${axisSize})`);
            copyRun(src, ((b * outer + o) * axisSize + c) * inner, dst, ((b * outer + o) * coords + j) * inner, inner);
          }
        }
      }
    };
  },
};

// ---------------------------------------------------------------------------------------------
// cast
// ---------------------------------------------------------------------------------------------

const CAST_TYPES: readonly DType[] = ['f32', 'i1', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64'];
const TWO_31 = 2147483648;
const TWO_32 = 4294967296;
const TWO_63 = 9223372036854775808;

/** float -> int32-range integer as tfjs-tflite's wasm build does it (binaryen clamp mode). */
function f2iWasmSigned(f: number): number {
  return Math.abs(f) < TWO_31 ? Math.trunc(f) : -TWO_31;
}
function f2iWasmUnsigned(f: number): number {
  return f < TWO_32 && f > -1 ? Math.trunc(f) : 0;
}
/** float -> integer as ARM's VCVT does it (saturating, NaN -> 0), used for the TFLM flavour. */
function f2iSatSigned(f: number): number {
  if (f !== f) return 0;
  return f >= TWO_31 ? TWO_31 - 1 : f <= -TWO_31 ? -TWO_31 : Math.trunc(f);
}
function f2iSatUnsigned(f: number): number {
  if (f !== f || f <= 0) return 0;
  return f >= TWO_32 ? TWO_32 - 1 : Math.trunc(f);
}

/** int64 -> nearest float32 (round-half-even on the exact value, as `static_cast<float>(int64_t)`). */
function i64ToF32(v: bigint): number {
  const n = Number(v);
  if (Math.abs(n) < 9007199254740992) return Math.fround(n);
  // Round the exact integer to 24 significant bits once (avoid double rounding via float64).
  const neg = v < 0n;
  let a = neg ? -v : v;
  const bits = a.toString(2).length;
  const drop = BigInt(bits - 24);
  const q = a >> drop;
  const rem = a - (q << drop);
  const half = 1n << (drop - 1n);
  let r = q;
  if (rem > half || (rem === half && (q & 1n) === 1n)) r = q + 1n;
  a = r << drop;
  const f = Math.fround(Number(a));
  return neg ? -f : f;
}

function castFn(ctx: KernelContext, from: DType, to: DType): (src: TypedArray, dst: TypedArray) => void {
  const n = numElements(input(ctx, 0).shape);
  const wasm = ctx.flavour === 'tflite';
  const fS = wasm ? f2iWasmSigned : f2iSatSigned;
  const fU = wasm ? f2iWasmUnsigned : f2iSatUnsigned;
  if (from === to) return (s, d) => copyBytes(s, d);
  if (from === 'f32') {
    const s32 = (f: (x: number) => number) => (s: TypedArray, d: TypedArray) => {
      const a = s as Float32Array;
      const o = d as Int32Array; // any number-typed array; assignment wraps like static_cast
      for (let i = 0; i < n; i++) o[i] = f(a[i]!);
    };
    switch (to) {
      case 'i1':
        return (s, d) => {
          const a = s as Float32Array;
          const o = d as Uint8Array;
          for (let i = 0; i < n; i++) o[i] = a[i] !== 0 ? 1 : 0;
        };
      case 'i8':
      case 'i16':
      case 'i32':
        return s32(fS);
      case 'u8':
      case 'u16':
      case 'u32':
        return s32(fU);
      case 'i64':
        return (s, d) => {
          const a = s as Float32Array;
          const o = d as BigInt64Array;
          for (let i = 0; i < n; i++) {
            const f = a[i]!;
            if (f !== f) o[i] = wasm ? -(2n ** 63n) : 0n;
            else if (Math.abs(f) < TWO_63 || (!wasm && f === -TWO_63)) o[i] = BigInt(Math.trunc(f));
            else o[i] = wasm ? -(2n ** 63n) : f > 0 ? 2n ** 63n - 1n : -(2n ** 63n);
          }
        };
      default:
        break;
    }
  } else if (from === 'i64') {
    switch (to) {
      case 'f32':
        return (s, d) => {
          const a = s as BigInt64Array;
          const o = d as Float32Array;
          for (let i = 0; i < n; i++) o[i] = i64ToF32(a[i]!);
        };
      case 'i1':
        return (s, d) => {
          const a = s as BigInt64Array;
          const o = d as Uint8Array;
          for (let i = 0; i < n; i++) o[i] = a[i]! !== 0n ? 1 : 0;
        };
      default:
        return (s, d) => {
          const a = s as BigInt64Array;
          const o = d as Int32Array;
          for (let i = 0; i < n; i++) o[i] = Number(BigInt.asIntN(32, a[i]!));
        };
    }
  } else {
    // integer or bool source
    switch (to) {
      case 'f32':
        return from === 'i1'
          ? (s, d) => {
              const a = s as Uint8Array;
              const o = d as Float32Array;
              for (let i = 0; i < n; i++) o[i] = a[i] !== 0 ? 1 : 0;
            }
          : (s, d) => {
              const a = s as Int32Array;
              const o = d as Float32Array;
              for (let i = 0; i < n; i++) o[i] = a[i]!;
            };
      case 'i1':
        return (s, d) => {
          const a = s as Int32Array;
          const o = d as Uint8Array;
          for (let i = 0; i < n; i++) o[i] = a[i] !== 0 ? 1 : 0;
        };
      case 'i64':
        return (s, d) => {
          const a = s as Int32Array;
          const o = d as BigInt64Array;
          for (let i = 0; i < n; i++) o[i] = BigInt(a[i]!);
        };
      default:
        return (s, d) => {
          const a = s as Int32Array;
          const o = d as Int32Array;
          for (let i = 0; i < n; i++) o[i] = a[i]!;
        };
    }
  }
  return unsupported(ctx);
}

/**
 * `tfl.cast(input)`: any pair of f32, i1, i8, u8, i16, u16, i32, u32, i64 (plain values, no
 * quantization). Integer narrowing wraps (static_cast); bool results are `x != 0`; float -> integer
 * truncates toward zero. Out-of-range float -> integer is undefined behaviour in C++:
 * `flavoursDiffer` — 'tflite' reproduces tfjs-tflite's wasm (signed targets: |x| >= 2^31 or NaN ->
 * INT32_MIN, then wrap; unsigned targets: outside (-1, 2^32) -> 0, then wrap), 'tflm' ARM's
 * saturating VCVT (NaN -> 0).
 */
export const castKernel: KernelDef = {
  op: 'tfl.cast',
  flavoursDiffer: 'out-of-range float -> integer (UB in C++): wasm clamp-to-INT_MIN vs ARM saturation',
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx, 0);
    requireDType(ctx, x.dtype, CAST_TYPES);
    requireDType(ctx, y.dtype, CAST_TYPES);
    requireShape(ctx, 'result', y.shape, x.shape);
    const f = castFn(ctx, x.dtype, y.dtype);
    return (inputs, outputs) => f(inputs[0]!.data, outputs[0]!.data);
  },
};

// ---------------------------------------------------------------------------------------------
// shape
// ---------------------------------------------------------------------------------------------

/** `tfl.shape(input)`: writes the input's (static) shape as i32 or i64 (the result's dtype). */
export const shapeKernel: KernelDef = {
  op: 'tfl.shape',
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx, 0);
    if (y.dtype !== 'i32' && y.dtype !== 'i64') unsupported(ctx, 'result must be i32 or i64');
    requireShape(ctx, 'result', y.shape, [x.shape.length]);
    const dims = [...x.shape];
    return (inputs, outputs) => {
      const shape = inputs[0]!.shape;
      const o = outputs[0]!.data;
      for (let i = 0; i < dims.length; i++) {
        if (o instanceof BigInt64Array) o[i] = BigInt(shape[i] ?? dims[i]!);
        else (o as Int32Array)[i] = shape[i] ?? dims[i]!;
      }
    };
  },
};

/** Kernels of this file. */
export const shapeKernels: readonly KernelDef[] = [
  reshapeKernel,
  squeezeKernel,
  expandDimsKernel,
  transposeKernel,
  packKernel,
  unpackKernel,
  gatherKernel,
  castKernel,
  shapeKernel,
];
