/**
 * tfl.pad and tfl.padv2: copy the input into the middle of the output and fill the border with one
 * value. For quantized u8/i8/i16 tensors TFLite's `EvalInt` pads with the output zero point (pad) or
 * with the raw constant value, whose scale/zero point must equal the output's (padv2). The input is
 * copied raw (TFLite checks no input/output scales).
 */

import { type DType, type KernelContext, type KernelDef, type KernelFn, type TensorInfo, type TypedArray, KernelError, allocTyped, numElements, unsupported } from '../../../src/interp/kernel.js';
import { copyRun, input, intValues, lanesOf, legacyQuant, output, rawView, requireDType, requireShape, sameQuant, stridesOf } from './shape.js';

const PAD_TYPES: readonly DType[] = ['f32', 'u8', 'i8', 'i16', 'i32', 'i64'];
/** `reference_ops::PadKernelMaxDimensionCount()`. */
const PAD_MAX_DIMS = 5;

/** The raw lanes of the padding value (1 lane, or 2 for 8-byte dtypes). */
function padValueLanes(ctx: KernelContext, x: TensorInfo, y: TensorInfo, c: TensorInfo | undefined): Uint32Array {
  const one = allocTyped(x.dtype, 1);
  // TFLM's int16 pad ignores quantization (border 0 or the raw constant).
  const tflmInt16 = ctx.flavour === 'tflm' && x.dtype === 'i16';
  const quantized = (x.dtype === 'u8' || x.dtype === 'i8' || x.dtype === 'i16') && x.quant !== undefined && !tflmInt16;
  if (c !== undefined) {
    if (c.dtype !== x.dtype) unsupported(ctx, 'constant_values must have the input element type');
    if (numElements(c.shape) !== 1) throw new KernelError(`'${ctx.op}' constant_values must hold one value`);
    if (!c.data) unsupported(ctx, 'constant_values must be a constant');
    if (quantized && !sameQuant(c, y)) {
      unsupported(ctx, 'quantized constant_values must have the output scale and zero point (TFLite fails the invoke otherwise)');
    }
    if (one instanceof BigInt64Array || one instanceof BigUint64Array) (one as BigInt64Array)[0] = (c.data as BigInt64Array)[0]!;
    else (one as Int32Array)[0] = c.data[0] as number;
  } else if (quantized) {
    const zp = legacyQuant(y).zeroPoint;
    const [lo, hi] = x.dtype === 'u8' ? [0, 255] : x.dtype === 'i8' ? [-128, 127] : [-32768, 32767];
    if (zp < lo || zp > hi) throw new KernelError(`'${ctx.op}' output zero point ${zp} is not representable`);
    (one as Int32Array)[0] = zp;
  }
  const raw = rawView(one);
  return Uint32Array.from(raw);
}

/** See `plan` in {@link padPrepare}. */
interface Plan {
  readonly copies: Int32Array;
  readonly gaps: Int32Array;
}

function padPrepare(ctx: KernelContext): KernelFn {
  const x = input(ctx, 0);
  const p = input(ctx, 1);
  const y = output(ctx, 0);
  requireDType(ctx, x.dtype, ctx.flavour === 'tflm' ? ['f32', 'i8', 'i16', 'i32'] : PAD_TYPES);
  if (y.dtype !== x.dtype) unsupported(ctx, 'result element type differs');
  const rank = x.shape.length;
  if (rank > PAD_MAX_DIMS) unsupported(ctx, `pad supports at most ${PAD_MAX_DIMS} dimensions`);
  // TF 2.12 declares i64 paddings but reads them as int32 words (wrong pads); TFLM reads int32.
  if (p.dtype !== 'i32') unsupported(ctx, 'paddings must be i32 (TF 2.12 misreads i64 paddings)');
  if (ctx.flavour === 'tflm' && !p.data) unsupported(ctx, 'TFLM needs constant paddings');
  if (p.shape.length !== 2 || p.shape[0] !== rank || p.shape[1] !== 2) {
    throw new KernelError(`'${ctx.op}' paddings must have shape [${rank}, 2], got [${p.shape.join(',')}]`);
  }
  const padLanes = padValueLanes(ctx, x, y, ctx.inputs[2]);
  const lanes = lanesOf(x.dtype);
  const inner = rank === 0 ? 1 : x.shape[rank - 1]!;
  const rows = inner === 0 ? 0 : numElements(x.shape) / inner;

  const rowLanes = inner * lanes;
  /**
   * The copy plan for given paddings: `copies` are `[dst, src, len]` raw-lane runs (input rows,
   * merged where both sides are contiguous), `gaps` the `[start, end)` output ranges between them,
   * which get the padding value. Rows are visited in output order, so both lists are ascending.
   */
  const plan = (pads: readonly number[], outShape: readonly number[]): Plan => {
    const want = x.shape.map((d, i) => {
      const l = pads[2 * i]!;
      const r = pads[2 * i + 1]!;
      if (l < 0 || r < 0) throw new KernelError(`'${ctx.op}' paddings must be >= 0`);
      return d + l + r;
    });
    requireShape(ctx, 'result', outShape, want);
    const outStrides = stridesOf(want);
    const outLanes = numElements(want) * lanes;
    const copies: number[] = [];
    const idx = new Array<number>(Math.max(rank - 1, 0)).fill(0);
    if (rowLanes > 0) {
      for (let r = 0; r < rows; r++) {
        let off = rank > 0 ? pads[2 * (rank - 1)]! : 0;
        for (let d = 0; d < rank - 1; d++) off += (idx[d]! + pads[2 * d]!) * outStrides[d]!;
        const dst = off * lanes;
        const src = r * rowLanes;
        const k = copies.length;
        if (k > 0 && copies[k - 3]! + copies[k - 1]! === dst && copies[k - 2]! + copies[k - 1]! === src) copies[k - 1]! += rowLanes;
        else copies.push(dst, src, rowLanes);
        for (let d = rank - 2; d >= 0; d--) {
          idx[d]!++;
          if (idx[d]! < x.shape[d]!) break;
          idx[d] = 0;
        }
      }
    }
    const gaps: number[] = [];
    let at = 0;
    for (let k = 0; k < copies.length; k += 3) {
      if (copies[k]! > at) gaps.push(at, copies[k]!);
      at = copies[k]! + copies[k + 2]!;
    }
    if (outLanes > at) gaps.push(at, outLanes);
    return { copies: Int32Array.from(copies), gaps: Int32Array.from(gaps) };
  };
  const pad0 = padLanes[0]!;
  const pad1 = padLanes[1] ?? 0;
  const run = (pl: Plan, srcData: TypedArray, dstData: TypedArray): void => {
    const src = rawView(srcData);
    const dst = rawView(dstData);
    const { copies, gaps } = pl;
    for (let k = 0; k < gaps.length; k += 2) {
      const a = gaps[k]!;
      const b = gaps[k + 1]!;
      if (lanes === 1) {
        if (b - a < 16) for (let i = a; i < b; i++) dst[i] = pad0;
        else dst.fill(pad0, a, b);
      } else {
        for (let i = a; i < b; i += 2) {
          dst[i] = pad0;
          dst[i + 1] = pad1;
        }
      }
    }
    for (let k = 0; k < copies.length; k += 3) copyRun(src, copies[k + 1]!, dst, copies[k]!, copies[k + 2]!);
  };
  if (p.data) {
    const pl = plan(intValues(p.data), y.shape);
    return (inputs, outputs) => run(pl, inputs[0]!.data, outputs[0]!.data);
  }
  let lastKey = '';
  let pl: Plan = { copies: new Int32Array(0), gaps: new Int32Array(0) };
  return (inputs, outputs) => {
    const pads = intValues(inputs[1]!.data);
    const key = pads.join(',');
    if (key !== lastKey) {
      pl = plan(pads, outputs[0]!.shape);
      lastKey = key;
    }
    run(pl, inputs[0]!.data, outputs[0]!.data);
  };
}

/**
 * `tfl.pad(input, padding)`: f32, u8, i8, i16, i32, i64 (TF 2.12 fails bool); paddings i32 of shape [rank, 2]
 * (constant or runtime, >= 0; i64 paddings are unsupported because TF 2.12 reads them as int32
 * words); rank <= 5. The border is 0 for plain tensors and the output zero point for quantized
 * u8/i8/i16 (int16x8 included). `flavoursDiffer`: TFLM has f32/i8/i16/i32 only, constant paddings,
 * and pads int16 with 0 (not the zero point).
 */
export const padKernel: KernelDef = {
  op: 'tfl.pad',
  flavoursDiffer: 'TFLM: f32/i8/i16/i32 only, constant paddings, int16 border 0 instead of the zero point',
  prepare(ctx) {
    if (ctx.inputs[2] !== undefined) unsupported(ctx, 'tfl.pad takes two operands');
    return padPrepare(ctx);
  },
};

/**
 * `tfl.padv2(input, padding, constant_values)`: as {@link padKernel}, with the border set to the
 * constant's raw value; for quantized u8/i8/i16 the constant must carry the output's scale and zero
 * point (TFLite's `EvalInt` check; TFLM skips it for int16). An absent constant behaves like tfl.pad.
 */
export const padV2Kernel: KernelDef = {
  op: 'tfl.padv2',
  flavoursDiffer: 'as tfl.pad',
  prepare: padPrepare,
};

/** Kernels of this file. */
export const padKernels: readonly KernelDef[] = [padKernel, padV2Kernel];
