/**
 * `tfl.average_pool_2d` and `tfl.max_pool_2d`, following TFLite's reference kernels
 * (`reference_ops::AveragePool` / `MaxPool` for float, `reference_integer_ops::AveragePool` /
 * `MaxPool` for int8 and int16) and `kernels/pooling.cc` Prepare (padding from
 * `ComputePaddingHeightWidth`, quantized clamp from `CalculateActivationRangeQuantized`).
 *
 * Quantized pooling works on the stored integers directly (TFLite only DCHECKs that input and output
 * share scale and zero point); the average is `(sum ± count/2) / count` with C truncating division,
 * i.e. round half away from zero, over the window clipped to the image (padding is not counted).
 */

import { type KernelContext, type KernelDef, type KernelFn, KernelError, unsupported } from '../../../src/interp/kernel.js';
import {
  activationAttr,
  activationRangeFloat,
  activationRangeQuantized,
  computePaddingHeightWidth,
  expectShape,
  input,
  output0,
  paddingAttr,
  positiveIntAttr,
  require4D,
  zeroPointOf,
} from './padding.js';

interface PoolGeom {
  readonly batches: number;
  readonly inH: number;
  readonly inW: number;
  readonly C: number;
  readonly fH: number;
  readonly fW: number;
  readonly outH: number;
  readonly outW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
}

function poolGeometry(ctx: KernelContext): PoolGeom {
  const x = input(ctx, 0, 'input');
  const y = output0(ctx);
  const [batches, inH, inW, C] = require4D(ctx, x, 'input');
  const fH = positiveIntAttr(ctx, 'filter_height', 1);
  const fW = positiveIntAttr(ctx, 'filter_width', 1);
  const strideH = positiveIntAttr(ctx, 'stride_h', 1);
  const strideW = positiveIntAttr(ctx, 'stride_w', 1);
  const pad = computePaddingHeightWidth(strideH, strideW, 1, 1, inH, inW, fH, fW, paddingAttr(ctx));
  expectShape(ctx, y, [batches, pad.outH, pad.outW, C], 'result');
  if (x.dtype !== y.dtype) unsupported(ctx, 'input and result types differ');
  return { batches, inH, inW, C, fH, fW, outH: pad.outH, outW: pad.outW, strideH, strideW, padH: pad.padH, padW: pad.padW };
}

type Reducer = (x: ArrayLike<number>, base: number, g: PoolGeom, iy0: number, ix0: number, y0: number, y1: number, x1: number, x0: number) => number;

/**
 * Runs a pooling window reduction over NHWC: for every output element, the window is clipped to the
 * image ([y0, y1) x [x0, x1) in filter coordinates), and `reduce` gives the value to store.
 */
function poolLoop(g: PoolGeom, x: ArrayLike<number>, out: { [i: number]: number }, reduce: Reducer): void {
  const { batches, inH, inW, C, fH, fW, outH, outW, strideH, strideW, padH, padW } = g;
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padH;
      const y0 = Math.max(0, -iy0);
      const y1 = Math.min(fH, inH - iy0);
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padW;
        const x0 = Math.max(0, -ix0);
        const x1 = Math.min(fW, inW - ix0);
        const base = b * inH * inW * C;
        for (let c = 0; c < C; c++) {
          out[o++] = reduce(x, base + c, g, iy0, ix0, y0, y1, x1, x0);
        }
      }
    }
  }
}

function avgFloat(lo: number, hi: number): Reducer {
  const fround = Math.fround;
  return (x, base, g, iy0, ix0, y0, y1, x1, x0) => {
    let total = 0;
    let count = 0;
    for (let fy = y0; fy < y1; fy++) {
      const row = base + ((iy0 + fy) * g.inW + ix0) * g.C;
      for (let fx = x0; fx < x1; fx++) {
        total = fround(total + (x[row + fx * g.C] as number));
        count++;
      }
    }
    if (count === 0) throw new KernelError("'tfl.average_pool_2d': a pooling window lies entirely outside the input");
    const v = fround(total / count);
    return v < lo ? lo : v > hi ? hi : v;
  };
}

function avgInt(lo: number, hi: number): Reducer {
  return (x, base, g, iy0, ix0, y0, y1, x1, x0) => {
    let acc = 0;
    let count = 0;
    for (let fy = y0; fy < y1; fy++) {
      const row = base + ((iy0 + fy) * g.inW + ix0) * g.C;
      for (let fx = x0; fx < x1; fx++) {
        acc += x[row + fx * g.C] as number;
        count++;
      }
    }
    if (count === 0) throw new KernelError("'tfl.average_pool_2d': a pooling window lies entirely outside the input");
    const half = count >> 1;
    const v = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
    return v < lo ? lo : v > hi ? hi : v;
  };
}

function maxReducer(init: number, lo: number, hi: number): Reducer {
  return (x, base, g, iy0, ix0, y0, y1, x1, x0) => {
    let m = init;
    for (let fy = y0; fy < y1; fy++) {
      const row = base + ((iy0 + fy) * g.inW + ix0) * g.C;
      for (let fx = x0; fx < x1; fx++) {
        const v = x[row + fx * g.C] as number;
        if (m < v) m = v; // std::max(m, v) keeps m unless m < v
      }
    }
    return m < lo ? lo : m > hi ? hi : m;
  };
}

function preparePool(ctx: KernelContext, kind: 'avg' | 'max'): KernelFn {
  const g = poolGeometry(ctx);
  const x = input(ctx, 0, 'input');
  const y = output0(ctx);
  const act = activationAttr(ctx);
  let reduce: Reducer;
  if (x.dtype === 'f32') {
    const [lo, hi] = activationRangeFloat(ctx, act);
    reduce = kind === 'avg' ? avgFloat(lo, hi) : maxReducer(-3.4028234663852886e38, lo, hi);
  } else if (x.dtype === 'i8' || x.dtype === 'i16') {
    const yq = y.quant;
    if (!yq) unsupported(ctx, 'quantized pooling needs a quantized result');
    const zOut = zeroPointOf(ctx, y, 'output');
    const [lo, hi] = activationRangeQuantized(ctx, act, yq.scale[0] as number, zOut, x.dtype);
    reduce = kind === 'avg' ? avgInt(lo, hi) : maxReducer(x.dtype === 'i8' ? -128 : -32768, lo, hi);
  } else {
    unsupported(ctx);
  }
  return (ins, outs) => {
    poolLoop(g, ins[0]!.data as ArrayLike<number>, outs[0]!.data as unknown as { [i: number]: number }, reduce);
  };
}

/**
 * `tfl.average_pool_2d` (attrs filter_height, filter_width, padding, stride_h, stride_w,
 * fused_activation_function). Types: f32 (float32 sum in window order, then `total / count`); int8 and
 * int16 on the stored integers with TFLite's rounded division. Flavours: identical.
 */
const averagePool2d: KernelDef = {
  op: 'tfl.average_pool_2d',
  prepare: (ctx) => preparePool(ctx, 'avg'),
};

/** `tfl.max_pool_2d` (same attrs). Types: f32, int8, int16. Flavours: identical. */
const maxPool2d: KernelDef = {
  op: 'tfl.max_pool_2d',
  prepare: (ctx) => preparePool(ctx, 'max'),
};

/** Pooling kernels of this file. */
export const poolKernels: readonly KernelDef[] = [averagePool2d, maxPool2d];
