/**
 * `tfl.transpose_conv`, following TFLite's reference kernels (`reference_ops::TransposeConv` for float,
 * `reference_integer_ops::TransposeConv` for int8 and 16x8: scatter-accumulate every input pixel into
 * an int32 / int64 scratch of the output's size, then add the bias and requantize per channel) and
 * `kernels/transpose_conv.cc` (padding computed from the OUTPUT size:
 * `ComputePaddingHeightWidth(stride, 1, out_h, out_w, filter_h, filter_w, padding)`).
 */

import { type KernelContext, type KernelDef, type KernelFn, type TypedArray, KernelError } from '../../../src/interp/kernel.js';
import { convEpilogue } from './conv.js';
import {
  EigenGemmSum,
  activationAttr,
  computePaddingHeightWidth,
  expectShape,
  input,
  output0,
  paddingAttr,
  positiveIntAttr,
  require4D,
} from './padding.js';

interface TGeom {
  readonly batches: number;
  readonly inH: number;
  readonly inW: number;
  readonly inC: number;
  readonly kH: number;
  readonly kW: number;
  readonly outH: number;
  readonly outW: number;
  readonly outC: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
}

/** Float scatter-accumulation in the reference loop order, float32 rounding at each step. */
function accFloat(g: TGeom, x: Float32Array, w: Float32Array, acc: Float64Array): void {
  const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, padH, padW } = g;
  const fround = Math.fround;
  acc.fill(0);
  for (let b = 0; b < batches; b++) {
    for (let iy = 0; iy < inH; iy++) {
      for (let ix = 0; ix < inW; ix++) {
        for (let ic = 0; ic < inC; ic++) {
          const ox0 = ix * strideW - padW;
          const oy0 = iy * strideH - padH;
          const xv = x[((b * inH + iy) * inW + ix) * inC + ic] as number;
          for (let ky = 0; ky < kH; ky++) {
            const oy = oy0 + ky;
            if (oy < 0 || oy >= outH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ox = ox0 + kx;
              if (ox < 0 || ox >= outW) continue;
              const oBase = ((b * outH + oy) * outW + ox) * outC;
              for (let oc = 0; oc < outC; oc++) {
                const wv = w[((oc * kH + ky) * kW + kx) * inC + ic] as number;
                acc[oBase + oc] = fround((acc[oBase + oc] as number) + fround(xv * wv));
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Float transpose conv in TF 2.12's order (`TransposeConvV2`): per batch, one Eigen GEMM of the
 * [kH*kW*outC, inC] filter and the [inC, inH*inW] input gives a column buffer (each entry a sum over
 * the input channels, see `EigenGemmSum`), which col2im adds into the zeroed output pixel by pixel
 * (input pixels in order, then ky, kx).
 */
function accFloatGemm(g: TGeom, x: Float32Array, w: Float32Array, gemm: EigenGemmSum, prods: Float32Array, acc: Float64Array): void {
  const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, padH, padW } = g;
  const fround = Math.fround;
  acc.fill(0);
  for (let b = 0; b < batches; b++) {
    for (let iy = 0; iy < inH; iy++) {
      for (let ix = 0; ix < inW; ix++) {
        const col = iy * inW + ix;
        const xBase = ((b * inH + iy) * inW + ix) * inC;
        const oy0 = iy * strideH - padH;
        const ox0 = ix * strideW - padW;
        for (let ky = 0; ky < kH; ky++) {
          const oy = oy0 + ky;
          if (oy < 0 || oy >= outH) continue;
          for (let kx = 0; kx < kW; kx++) {
            const ox = ox0 + kx;
            if (ox < 0 || ox >= outW) continue;
            const oBase = ((b * outH + oy) * outW + ox) * outC;
            for (let oc = 0; oc < outC; oc++) {
              const wBase = ((oc * kH + ky) * kW + kx) * inC;
              for (let ic = 0; ic < inC; ic++) prods[ic] = (x[xBase + ic] as number) * (w[wBase + ic] as number);
              acc[oBase + oc] = fround((acc[oBase + oc] as number) + gemm.sum(prods, col));
            }
          }
        }
      }
    }
  }
}

/** Integer scatter-accumulation of (x + inputOffset) * w; exact (order-independent). */
function accInt(g: TGeom, x: TypedArray, w: TypedArray, inputOffset: number, acc: Float64Array): void {
  const { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, padH, padW } = g;
  const xs = x as Int8Array | Int16Array;
  const ws = w as Int8Array;
  acc.fill(0);
  for (let b = 0; b < batches; b++) {
    for (let iy = 0; iy < inH; iy++) {
      for (let ix = 0; ix < inW; ix++) {
        const oy0 = iy * strideH - padH;
        const ox0 = ix * strideW - padW;
        const xBase = ((b * inH + iy) * inW + ix) * inC;
        for (let ic = 0; ic < inC; ic++) {
          const xv = (xs[xBase + ic] as number) + inputOffset;
          if (xv === 0) continue;
          for (let ky = 0; ky < kH; ky++) {
            const oy = oy0 + ky;
            if (oy < 0 || oy >= outH) continue;
            for (let kx = 0; kx < kW; kx++) {
              const ox = ox0 + kx;
              if (ox < 0 || ox >= outW) continue;
              const oBase = ((b * outH + oy) * outW + ox) * outC;
              const wBase = (ky * kW + kx) * inC + ic;
              const wStride = kH * kW * inC;
              for (let oc = 0; oc < outC; oc++) {
                acc[oBase + oc] = (acc[oBase + oc] as number) + xv * (ws[oc * wStride + wBase] as number);
              }
            }
          }
        }
      }
    }
  }
}

/**
 * `tfl.transpose_conv` (operands: output_shape int32[4], weights OHWI, input NHWC, optional bias;
 * attrs padding, stride_h, stride_w, fused_activation_function). The result's static shape must equal
 * a constant output_shape. Type combinations:
 * - f32 (float32 rounding at each step): `tflm` scatters in the reference order, `tflite` in TF
 *   2.12's (GEMM over the input channels, then col2im);
 * - int8 asymmetric activations, int8 symmetric weights per-tensor or per-channel (axis 0), int32 bias;
 * - 16x8: int16 (zero point 0) activations, int8 weights, int64 bias (int64 scratch + int64
 *   `MultiplyByQuantizedMultiplier`) or — TFLite flavour only — int32 bias (int32 scratch, int32
 *   double-rounding multiply, as `TransposeConv<int32_t>`). TFLM reads any 16x8 bias as int64, so an
 *   int32 bias is rejected there.
 * Without a bias, 16x8 follows the int32 path in `tflite` (TF 2.12 does) and the int64 path in `tflm`.
 * Flavours differ only in these two 16x8 bias cases.
 */
const transposeConv: KernelDef = {
  op: 'tfl.transpose_conv',
  flavoursDiffer: '16x8 with an int32 bias: TFLite (TransposeConv<int32_t>) supports it, TFLM does not',
  prepare(ctx: KernelContext): KernelFn {
    const shapeT = input(ctx, 0, 'output_shape');
    const w = input(ctx, 1, 'weights');
    const x = input(ctx, 2, 'input');
    const bias = ctx.inputs[3];
    const y = output0(ctx);
    if (shapeT.dtype !== 'i32') throw new KernelError(`'${ctx.op}': output_shape must be int32`);
    if (w.shape.length !== 4) throw new KernelError(`'${ctx.op}': weights must be 4-D`);
    const [outC, kH, kW, wIn] = w.shape as unknown as [number, number, number, number];
    const [batches, inH, inW, inC] = require4D(ctx, x, 'input');
    const [yb, outH, outW, yc] = require4D(ctx, y, 'result');
    if (wIn !== inC) throw new KernelError(`'${ctx.op}': weights depth ${wIn} != input depth ${inC}`);
    if (yb !== batches || yc !== outC) throw new KernelError(`'${ctx.op}': result shape [${y.shape.join(',')}] does not match input/weights`);
    if (shapeT.data) expectShape(ctx, y, Array.from(shapeT.data as Int32Array), 'result (vs output_shape)');
    if (bias) {
      let n = 1;
      for (const d of bias.shape) n *= d;
      if (n !== outC) throw new KernelError(`'${ctx.op}': bias has ${n} elements for ${outC} output channels`);
    }
    const strideH = positiveIntAttr(ctx, 'stride_h', 1);
    const strideW = positiveIntAttr(ctx, 'stride_w', 1);
    const pad = computePaddingHeightWidth(strideH, strideW, 1, 1, outH, outW, kH, kW, paddingAttr(ctx));
    const g: TGeom = { batches, inH, inW, inC, kH, kW, outH, outW, outC, strideH, strideW, padH: pad.padH, padW: pad.padW };
    const int16Bias: readonly ('i32' | 'i64')[] = ctx.flavour === 'tflm' ? ['i64'] : ['i32', 'i64'];
    // TF 2.12 takes the int32 path (int32 scratch, double rounding) for a 16x8 transpose_conv
    // without a bias; TFLM takes the int64 one.
    const ep = convEpilogue(ctx, x, w, bias, y, outC, 0, activationAttr(ctx), int16Bias, { int16NoBias: ctx.flavour === 'tflite' ? 'i32' : 'i64' });
    const acc = new Float64Array(batches * outH * outW * outC);
    if (ep.kind === 'f32') {
      if (ctx.flavour === 'tflite') {
        const gemm = new EigenGemmSum(kH * kW * outC, inH * inW, inC);
        const prods = new Float32Array(inC);
        return (ins, outs) => {
          accFloatGemm(g, ins[2]!.data as Float32Array, ins[1]!.data as Float32Array, gemm, prods, acc);
          ep.finish(acc, outs[0]!.data, ins[3]?.data);
        };
      }
      return (ins, outs) => {
        accFloat(g, ins[2]!.data as Float32Array, ins[1]!.data as Float32Array, acc);
        ep.finish(acc, outs[0]!.data, ins[3]?.data);
      };
    }
    return (ins, outs) => {
      accInt(g, ins[2]!.data, ins[1]!.data, ep.inputOffset, acc);
      ep.finish(acc, outs[0]!.data, ins[3]?.data);
    };
  },
};

/** Transpose-convolution kernels of this file. */
export const transposeConvKernels: readonly KernelDef[] = [transposeConv];
