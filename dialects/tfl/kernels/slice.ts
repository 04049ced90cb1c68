/**
 * Slicing kernels: tfl.slice, tfl.strided_slice (all five masks and `offset`, negative strides,
 * following TFLite's `BuildStridedSliceParams` and `StridedSliceStartForAxis/EndForAxis`),
 * tfl.split (axis operand first) and tfl.split_v. All are raw element movers (any quantization is
 * carried through unchanged, as TFLite does: it checks no scales for these ops).
 */

import { type DType, type KernelContext, type KernelDef, type KernelFn, type TensorInfo, KernelError, numElements, unsupported } from '../../../src/interp/kernel.js';
import {
  type RawArray,
  affineMap,
  boolAttr,
  constInts,
  copyRun,
  gatherRaw,
  input,
  intAttr,
  intValues,
  isIndexDType,
  lanesOf,
  output,
  rawView,
  requireDType,
  requireShape,
  stridesOf,
} from './shape.js';

const SLICE_TYPES: readonly DType[] = ['f32', 'i1', 'i8', 'u8', 'i16', 'i32', 'u32', 'i64'];

/**
 * A raw-lane gather map compiled to contiguous runs: `[dst, src, len]` triples, or `undefined` when
 * the runs are too short (average below 4 lanes) to beat the plain gather.
 */
function runsOf(map: Int32Array): Int32Array | undefined {
  const n = map.length;
  const runs: number[] = [];
  for (let i = 0; i < n; ) {
    const s0 = map[i]!;
    let j = i + 1;
    while (j < n && map[j] === s0 + (j - i)) j++;
    runs.push(i, s0, j - i);
    if (runs.length * 4 > 3 * n + 12) return undefined;
    i = j;
  }
  return Int32Array.from(runs);
}

/** Applies a compiled map: the runs when it has them, else the plain gather. */
function applyMap(src: RawArray, dst: RawArray, map: Int32Array, runs: Int32Array | undefined): void {
  if (!runs) {
    gatherRaw(src, dst, map);
    return;
  }
  for (let k = 0; k < runs.length; k += 3) copyRun(src, runs[k + 1]!, dst, runs[k]!, runs[k + 2]!);
}

/** Wraps a map builder: constant index operands build the map once, runtime ones per distinct value. */
function mappedKernel(
  ctx: KernelContext,
  operands: readonly number[],
  build: (values: readonly number[][], outShape: readonly number[]) => Int32Array,
): KernelFn {
  const consts = operands.map((i) => constInts(ctx.inputs[i]));
  if (consts.every((c) => c !== undefined)) {
    const map = build(consts as number[][], output(ctx, 0).shape);
    const runs = runsOf(map);
    return (inputs, outputs) => applyMap(rawView(inputs[0]!.data), rawView(outputs[0]!.data), map, runs);
  }
  let lastKey = '';
  let map: Int32Array = new Int32Array(0);
  let runs: Int32Array | undefined;
  return (inputs, outputs) => {
    const values = operands.map((i, k) => consts[k] ?? intValues(inputs[i]!.data));
    const key = values.map((v) => v.join(',')).join(';');
    if (key !== lastKey) {
      map = build(values, outputs[0]!.shape);
      runs = runsOf(map);
      lastKey = key;
    }
    applyMap(rawView(inputs[0]!.data), rawView(outputs[0]!.data), map, runs);
  };
}

// ---------------------------------------------------------------------------------------------
// slice
// ---------------------------------------------------------------------------------------------

/**
 * `tfl.slice(input, begin, size)`: f32, i1, i8, u8, i16, i32, u32, i64; begin/size i32 or i64,
 * constant or runtime; rank <= 5; size -1 means "to the end". Out-of-range begin/size is a
 * KernelError (TFLite: "Invalid begin and size"). Flavours agree.
 */
export const sliceKernel: KernelDef = {
  op: 'tfl.slice',
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx, 0);
    requireDType(ctx, x.dtype, SLICE_TYPES);
    if (y.dtype !== x.dtype) unsupported(ctx, 'result element type differs');
    const rank = x.shape.length;
    if (rank > 5) unsupported(ctx, 'slice supports at most 5 dimensions');
    for (const i of [1, 2]) {
      const t = input(ctx, i);
      if (!isIndexDType(t.dtype) || numElements(t.shape) !== rank) unsupported(ctx, `operand #${i} must be ${rank} i32/i64 values`);
    }
    const lanes = lanesOf(x.dtype);
    const inStrides = stridesOf(x.shape);
    return mappedKernel(ctx, [1, 2], ([begin, size], outShape) => {
      const counts: number[] = [];
      for (let d = 0; d < rank; d++) {
        const dim = x.shape[d]!;
        const b = begin![d]!;
        let s = size![d]!;
        if (s < 0) {
          if (s !== -1) throw new KernelError(`'${ctx.op}' invalid size ${s}`);
          s = dim - b;
        }
        if (b < 0 || s < 0 || b + s > dim) throw new KernelError(`'${ctx.op}' invalid begin ${b} and size ${size![d]} for dimension ${dim}`);
        counts.push(s);
      }
      requireShape(ctx, 'result', outShape, counts);
      let base = 0;
      for (let d = 0; d < rank; d++) base += begin![d]! * inStrides[d]!;
      return affineMap(counts, inStrides, base, lanes);
    });
  },
};

// ---------------------------------------------------------------------------------------------
// strided_slice
// ---------------------------------------------------------------------------------------------

/** The op's mask attributes. */
export interface StridedSliceMasks {
  readonly beginMask: number;
  readonly endMask: number;
  readonly ellipsisMask: number;
  readonly newAxisMask: number;
  readonly shrinkAxisMask: number;
  readonly offset: boolean;
}

/** The resolved walk of a strided slice over the effective (new-axis-expanded) input. */
export interface StridedSliceWalk {
  /** Effective input shape (new axes inserted as 1). */
  readonly shape: number[];
  readonly starts: number[];
  readonly stops: number[];
  readonly strides: number[];
  /** Elements visited per effective axis. */
  readonly counts: number[];
  /** Effective axes that are shrunk (dropped from the result). */
  readonly shrink: boolean[];
}

function clamp(v: number, lo: number, hi: number): number {
  return hi < v ? hi : v < lo ? lo : v;
}

/**
 * TFLite's `BuildStridedSliceParams` (ellipsis / new-axis expansion into begin/end masks over an
 * effective shape) followed by `StridedSliceStartForAxis` / `StridedSliceEndForAxis` per axis.
 */
export function stridedSliceWalk(
  inputShape: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  m: StridedSliceMasks,
): StridedSliceWalk {
  const inputDims = inputShape.length;
  const beginCount = begin.length;
  let numAddAxis = 0;
  for (let i = 0; i < beginCount; i++) {
    if (!((1 << i) & m.ellipsisMask) && (1 << i) & m.newAxisMask) numAddAxis++;
  }
  const effDims = inputDims + numAddAxis;
  let effEllipsis = 0;
  let effNewAxis = 0;
  let ellipsisStart = effDims;
  let expandedEllipsis = 0;
  for (let i = 0; i < effDims; ) {
    if ((1 << i) & m.ellipsisMask) {
      ellipsisStart = i;
      const ellipsisEnd = Math.max(i + 1, Math.min(i + 1 + numAddAxis + inputDims - beginCount, effDims));
      expandedEllipsis = ellipsisEnd - ellipsisStart - 1;
      for (; i < ellipsisEnd; i++) effEllipsis |= 1 << i;
      continue;
    }
    if ((1 << (i - expandedEllipsis)) & m.newAxisMask) effNewAxis |= 1 << i;
    i++;
  }
  const sIdx = new Array<number>(effDims).fill(0);
  const eIdx = new Array<number>(effDims).fill(0);
  const st = new Array<number>(effDims).fill(0);
  const shape = new Array<number>(effDims).fill(1);
  let bMask = 0;
  let eMask = 0;
  let shrinkMask = 0;
  let addedEllipsis = 0;
  let addedAxes = 0;
  for (let i = 0; i < effDims; i++) {
    if ((1 << i) & effEllipsis) {
      addedEllipsis = Math.max(0, i - ellipsisStart);
      bMask |= 1 << i;
      eMask |= 1 << i;
      st[i] = 1;
      shape[i] = inputShape[i - addedAxes]!;
    } else if ((1 << i) & effNewAxis) {
      sIdx[i] = 0;
      eIdx[i] = 1;
      st[i] = 1;
      shape[i] = 1;
      addedAxes++;
    } else if (i >= beginCount + expandedEllipsis) {
      sIdx[i] = 0;
      eIdx[i] = 0;
      st[i] = 1;
      bMask |= 1 << i;
      eMask |= 1 << i;
      shape[i] = inputShape[i - addedAxes]!;
    } else {
      const o = i - addedEllipsis;
      sIdx[i] = begin[o]!;
      eIdx[i] = end[o]!;
      st[i] = strides[o]!;
      if (m.beginMask & (1 << o)) bMask |= 1 << i;
      if (m.endMask & (1 << o)) eMask |= 1 << i;
      if (m.shrinkAxisMask & (1 << o)) shrinkMask |= 1 << i;
      shape[i] = inputShape[i - addedAxes]!;
    }
  }
  const starts: number[] = [];
  const stops: number[] = [];
  const counts: number[] = [];
  const shrink: boolean[] = [];
  for (let a = 0; a < effDims; a++) {
    const size = shape[a]!;
    const stride = st[a]!;
    if (stride === 0) throw new Error('stride value has to be non-zero');
    if (!Number.isFinite(size)) throw new Error('begin/end/strides have more entries than the input has dimensions');
    // StridedSliceStartForAxis
    let start = sIdx[a]!;
    if (start < 0) start += size;
    start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
    if (bMask & (1 << a)) start = stride > 0 ? 0 : size - 1;
    // StridedSliceEndForAxis
    let stop: number;
    const isShrink = (shrinkMask & (1 << a)) !== 0;
    if (isShrink) stop = start >= size ? start : start + 1;
    else {
      stop = eIdx[a]!;
      if (m.offset) stop += start;
      if (stop < 0) stop += size;
      stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
      if (eMask & (1 << a)) stop = stride > 0 ? size : -1;
    }
    let count = 0;
    if (stride > 0) count = stop > start ? Math.ceil((stop - start) / stride) : 0;
    else count = stop < start ? Math.ceil((start - stop) / -stride) : 0;
    starts.push(start);
    stops.push(stop);
    counts.push(count);
    shrink.push(isShrink);
  }
  return { shape, starts, stops, strides: st, counts, shrink };
}

/** Reads the mask attributes of a strided slice (TFLite defaults 0/false). */
export function stridedSliceMasks(ctx: KernelContext): StridedSliceMasks {
  return {
    beginMask: intAttr(ctx, 'begin_mask', 0),
    endMask: intAttr(ctx, 'end_mask', 0),
    ellipsisMask: intAttr(ctx, 'ellipsis_mask', 0),
    newAxisMask: intAttr(ctx, 'new_axis_mask', 0),
    shrinkAxisMask: intAttr(ctx, 'shrink_axis_mask', 0),
    offset: boolAttr(ctx, 'offset', false),
  };
}

/**
 * `tfl.strided_slice(input, begin, end, strides) {begin_mask, end_mask, ellipsis_mask,
 * new_axis_mask, shrink_axis_mask, offset}`: f32, i1, i8, u8, i16, i32, u32, i64 (int16x8 included:
 * a raw copy, quantization unchecked, exactly as TFLite). begin/end/strides are i32 (constant or
 * runtime); input rank <= 5 and effective rank (with new axes) <= 5. The walk follows TFLite's
 * reference `StridedSlice`; a walk whose element counts disagree with the result shape (e.g. a
 * shrunk axis with a negative stride, for which TFLite leaves the output unwritten) is a
 * KernelError. `flavoursDiffer`: TFLM has no ellipsis/new-axis/offset support and at most 4 dims
 * (rejected under 'tflm').
 */
export const stridedSliceKernel: KernelDef = {
  op: 'tfl.strided_slice',
  flavoursDiffer: 'TFLM: no ellipsis_mask/new_axis_mask/offset, rank <= 4, constant indices only',
  prepare(ctx) {
    const x = input(ctx, 0);
    const y = output(ctx, 0);
    requireDType(ctx, x.dtype, SLICE_TYPES);
    if (y.dtype !== x.dtype) unsupported(ctx, 'result element type differs');
    const m = stridedSliceMasks(ctx);
    const n = numElements(input(ctx, 1).shape);
    for (const i of [1, 2, 3]) {
      const t = input(ctx, i);
      if (t.dtype !== 'i32') unsupported(ctx, 'begin/end/strides must be i32 (TFLite)');
      if (t.shape.length !== 1 || t.shape[0] !== n) throw new KernelError(`'${ctx.op}' begin/end/strides must be 1-D with equal lengths`);
    }
    if (x.shape.length > 5) unsupported(ctx, 'strided_slice supports 1D-5D inputs');
    if (ctx.flavour === 'tflm') {
      if (m.ellipsisMask || m.newAxisMask || m.offset) unsupported(ctx, 'TFLM ignores ellipsis_mask/new_axis_mask/offset');
      if (x.shape.length > 4) unsupported(ctx, 'TFLM strided_slice supports at most 4 dimensions');
      if (![1, 2, 3].every((i) => ctx.inputs[i]?.data)) unsupported(ctx, 'TFLM needs constant begin/end/strides');
    }
    const lanes = lanesOf(x.dtype);
    return mappedKernel(ctx, [1, 2, 3], ([begin, end, strides], outShape) => {
      let w: StridedSliceWalk;
      try {
        w = stridedSliceWalk(x.shape, begin!, end!, strides!, m);
      } catch (e) {
        throw new KernelError(`'${ctx.op}' ${(e as Error).message}`);
      }
      if (w.shape.length > 5) unsupported(ctx, 'effective rank (with new axes) exceeds 5');
      const kept: number[] = [];
      w.counts.forEach((c, a) => {
        if (w.shrink[a]) {
          if (c !== 1) throw new KernelError(`'${ctx.op}' shrunk axis ${a} selects ${c} elements (TFLite leaves the output unwritten)`);
        } else kept.push(c);
      });
      requireShape(ctx, 'result', outShape, kept);
      const effStrides = stridesOf(w.shape);
      let base = 0;
      const steps: number[] = [];
      for (let a = 0; a < w.shape.length; a++) {
        base += w.starts[a]! * effStrides[a]!;
        steps.push(w.strides[a]! * effStrides[a]!);
      }
      return affineMap(w.counts, steps, w.counts.some((c) => c === 0) ? 0 : base, lanes);
    });
  },
};

// ---------------------------------------------------------------------------------------------
// split / split_v
// ---------------------------------------------------------------------------------------------

function splitKernelFor(
  ctx: KernelContext,
  x: TensorInfo,
  dataIndex: number,
  axisIndex: number,
  sizesOf: (axis: number, sizesOperand: number[] | undefined) => number[],
  sizesIndex: number | undefined,
): KernelFn {
  const rank = x.shape.length;
  const lanes = lanesOf(x.dtype);
  const axisT = input(ctx, axisIndex);
  if (!isIndexDType(axisT.dtype) || numElements(axisT.shape) !== 1) unsupported(ctx, 'axis must be one i32 value');
  const normalize = (a: number): number => {
    const r = a < 0 ? a + rank : a;
    if (r < 0 || r >= rank) throw new KernelError(`'${ctx.op}' axis ${a} is out of range for rank ${rank}`);
    return r;
  };
  const plan = (axis: number, sizesOperand: number[] | undefined, outShapes: readonly (readonly number[])[]): KernelFn => {
    const sizes = sizesOf(axis, sizesOperand);
    if (sizes.length !== outShapes.length) throw new KernelError(`'${ctx.op}' produces ${sizes.length} results, the op has ${outShapes.length}`);
    sizes.forEach((s, k) => {
      const want = [...x.shape];
      want[axis] = s;
      requireShape(ctx, `result #${k}`, outShapes[k]!, want);
    });
    return splitChunks(x.shape, axis, sizes, lanes, dataIndex);
  };
  const axisC = constInts(axisT);
  const sizesC = sizesIndex === undefined ? undefined : constInts(ctx.inputs[sizesIndex]);
  if (axisC && (sizesIndex === undefined || sizesC)) {
    return plan(normalize(axisC[0]!), sizesC, ctx.outputs.map((t) => t.shape));
  }
  let lastKey = '';
  let run: KernelFn = () => {};
  return (inputs, outputs) => {
    const a = normalize(axisC?.[0] ?? Number(inputs[axisIndex]!.data[0]!));
    const s = sizesIndex === undefined ? undefined : (sizesC ?? intValues(inputs[sizesIndex]!.data));
    const key = `${a};${s?.join(',') ?? ''}`;
    if (key !== lastKey) {
      run = plan(a, s, outputs.map((t) => t.shape));
      lastKey = key;
    }
    run(inputs, outputs);
  };
}

/** Copies consecutive chunks of input `dataIndex` (sizes along `axis`) into the outputs. */
function splitChunks(shape: readonly number[], axis: number, sizes: readonly number[], lanes: number, dataIndex: number): KernelFn {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = lanes;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  const dim = shape[axis]!;
  const offsets: number[] = [];
  let acc = 0;
  for (const s of sizes) {
    offsets.push(acc);
    acc += s;
  }
  return (inputs, outputs) => {
    const src = rawView(inputs[dataIndex]!.data);
    for (let k = 0; k < sizes.length; k++) {
      const dst = rawView(outputs[k]!.data);
      const chunk = sizes[k]! * inner;
      const off = offsets[k]! * inner;
      for (let o = 0; o < outer; o++) copyRun(src, o * dim * inner + off, dst, o * chunk, chunk);
    }
  };
}

const SPLIT_TYPES: readonly DType[] = ['f32', 'i8', 'u8', 'i16', 'i32', 'i64'];

function checkResults(ctx: KernelContext, x: TensorInfo): void {
  for (const y of ctx.outputs) if (y.dtype !== x.dtype) unsupported(ctx, 'result element type differs');
}

/**
 * `tfl.split(split_dim, value) {num_splits}` — note the axis operand comes first: f32, i8, u8,
 * i16, i32, i64 (TF 2.12 has no bool split); equal chunks (the dim must divide by num_splits).
 * Raw copies, quantization unchecked (as TFLite). Flavours agree.
 */
export const splitKernel: KernelDef = {
  op: 'tfl.split',
  prepare(ctx) {
    const x = input(ctx, 1);
    requireDType(ctx, x.dtype, SPLIT_TYPES);
    checkResults(ctx, x);
    const num = intAttr(ctx, 'num_splits', ctx.outputs.length);
    if (num !== ctx.outputs.length || num < 1) throw new KernelError(`'${ctx.op}' num_splits ${num} != ${ctx.outputs.length} results`);
    return splitKernelFor(
      ctx,
      x,
      1,
      0,
      (axis) => {
        const dim = x.shape[axis]!;
        if (dim % num !== 0) throw new KernelError(`'${ctx.op}' dimension ${dim} does not divide into ${num} splits`);
        return new Array<number>(num).fill(dim / num);
      },
      undefined,
    );
  },
};

/**
 * `tfl.split_v(value, size_splits, split_dim) {num_splits}`: f32, i8, u8, i16, i32, i64;
 * size_splits i32/i64 with at most one -1 (the remainder). Raw copies, quantization unchecked.
 * Flavours agree.
 */
export const splitVKernel: KernelDef = {
  op: 'tfl.split_v',
  prepare(ctx) {
    const x = input(ctx, 0);
    requireDType(ctx, x.dtype, SPLIT_TYPES);
    checkResults(ctx, x);
    const num = intAttr(ctx, 'num_splits', ctx.outputs.length);
    if (num !== ctx.outputs.length || num < 1) throw new KernelError(`'${ctx.op}' num_splits ${num} != ${ctx.outputs.length} results`);
    const sizesT = input(ctx, 1);
    if (!isIndexDType(sizesT.dtype) || numElements(sizesT.shape) !== num) unsupported(ctx, `size_splits must be ${num} i32/i64 values`);
    return splitKernelFor(
      ctx,
      x,
      0,
      2,
      (axis, raw) => {
        const dim = x.shape[axis]!;
        const sizes = [...raw!];
        let minusOne = -1;
        let sum = 0;
        sizes.forEach((s, k) => {
          if (s === -1) {
            if (minusOne >= 0) throw new KernelError(`'${ctx.op}' size_splits has more than one -1`);
            minusOne = k;
          } else if (s < 0) throw new KernelError(`'${ctx.op}' invalid split size ${s}`);
          else sum += s;
        });
        if (minusOne >= 0) {
          if (sum > dim) throw new KernelError(`'${ctx.op}' split sizes exceed dimension ${dim}`);
          sizes[minusOne] = dim - sum;
        } else if (sum !== dim) throw new KernelError(`'${ctx.op}' split sizes sum to ${sum}, not ${dim}`);
        return sizes;
      },
      1,
    );
  },
};

/** Kernels of this file. */
export const sliceKernels: readonly KernelDef[] = [sliceKernel, stridedSliceKernel, splitKernel, splitVKernel];
