/**
 * `tfl.batch_matmul`, following TFLite's reference `BatchMatMul` kernels
 * (`kernels/internal/reference/batch_matmul.h`) and `kernels/batch_matmul.cc` Prepare: the output
 * multiplier comes from `GetQuantizedConvolutionMultipler` (float32 scale product), there is no fused
 * activation (clamp to the dtype range), int8 accumulates in int32, int16 in int64 (and then uses the
 * int64 `MultiplyByQuantizedMultiplier`).
 */

import { type KernelContext, type KernelDef, type KernelFn, KernelError, numElements, unsupported } from '../../../src/interp/kernel.js';
import { mbqm } from '../../../src/interp/fixedpoint.js';
import {
  EigenGemmSum,
  Int64Requantizer,
  SingleRoundingRequantizer,
  boolAttr,
  input,
  int64MultiplierIsReduced,
  output0,
  productMultiplier,
  scaleOf,
  zeroPointOf,
} from './padding.js';

/**
 * `tfl.batch_matmul` (operands: x, y; attrs adj_x, adj_y). Batch dimensions broadcast (numpy style,
 * right-aligned). Type combinations:
 * - f32: float32 rounding at each step; `tflm` sums k in ascending order (reference), `tflite` in
 *   the order of TF 2.12's optimized kernel, one `cpu_backend_gemm` (Eigen) per batch with y^T as
 *   the lhs and x as the rhs (see `EigenGemmSum`);
 * - int8 x int8 -> int8, per-tensor scales/zero points (int32 accumulator; `tflm` double-rounding
 *   multiply, `tflite` ruy's single rounding, as TF 2.12's GEMM-based kernel does);
 * - int16 x int16 -> int16, zero points 0 (int64 accumulator, int64 multiply).
 * Hybrid and per-axis quantization are rejected.
 */
const batchMatmul: KernelDef = {
  op: 'tfl.batch_matmul',
  prepare(ctx: KernelContext): KernelFn {
    const a = input(ctx, 0, 'x');
    const b = input(ctx, 1, 'y');
    const y = output0(ctx);
    const adjX = boolAttr(ctx, 'adj_x', false);
    const adjY = boolAttr(ctx, 'adj_y', false);
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (ra < 2 || rb < 2) throw new KernelError(`'${ctx.op}': operands must have rank >= 2`);
    const aR = a.shape[ra - 2] as number;
    const aC = a.shape[ra - 1] as number;
    const bR = b.shape[rb - 2] as number;
    const bC = b.shape[rb - 1] as number;
    const M = adjX ? aC : aR;
    const K = adjX ? aR : aC;
    const Kb = adjY ? bC : bR;
    const N = adjY ? bR : bC;
    if (K !== Kb) throw new KernelError(`'${ctx.op}': contraction sizes differ (${K} vs ${Kb})`);

    // Broadcast batch dimensions.
    const batchRank = Math.max(ra, rb) - 2;
    const outBatch: number[] = [];
    const aBatch: number[] = [];
    const bBatch: number[] = [];
    for (let i = 0; i < batchRank; i++) {
      const da = i - (batchRank - (ra - 2)) >= 0 ? (a.shape[i - (batchRank - (ra - 2))] as number) : 1;
      const db = i - (batchRank - (rb - 2)) >= 0 ? (b.shape[i - (batchRank - (rb - 2))] as number) : 1;
      if (da !== db && da !== 1 && db !== 1) throw new KernelError(`'${ctx.op}': batch dimensions ${da} and ${db} do not broadcast`);
      outBatch.push(da === 1 ? db : da);
      aBatch.push(da);
      bBatch.push(db);
    }
    const expected = [...outBatch, M, N];
    if (y.shape.length !== expected.length || y.shape.some((d, i) => d !== expected[i])) {
      throw new KernelError(`'${ctx.op}': result shape [${y.shape.join(',')}] != expected [${expected.join(',')}]`);
    }
    const nBatch = numElements(outBatch);
    // Matrix offsets of x and y for each output batch index.
    const aOff = new Int32Array(nBatch);
    const bOff = new Int32Array(nBatch);
    {
      const idx = new Array<number>(batchRank).fill(0);
      for (let t = 0; t < nBatch; t++) {
        let ao = 0;
        let bo = 0;
        for (let i = 0; i < batchRank; i++) {
          ao = ao * (aBatch[i] as number) + ((aBatch[i] as number) === 1 ? 0 : (idx[i] as number));
          bo = bo * (bBatch[i] as number) + ((bBatch[i] as number) === 1 ? 0 : (idx[i] as number));
        }
        aOff[t] = ao * aR * aC;
        bOff[t] = bo * bR * bC;
        for (let i = batchRank - 1; i >= 0; i--) {
          idx[i] = (idx[i] as number) + 1;
          if ((idx[i] as number) < (outBatch[i] as number)) break;
          idx[i] = 0;
        }
      }
    }
    // Element strides: x[i, k] and y[k, j] in their stored layouts.
    const aSi = adjX ? 1 : aC;
    const aSk = adjX ? aC : 1;
    const bSk = adjY ? 1 : bC;
    const bSj = adjY ? bC : 1;
    const MN = M * N;

    if (a.dtype === 'f32') {
      if (b.dtype !== 'f32' || y.dtype !== 'f32') unsupported(ctx, 'hybrid batch_matmul is not supported');
      const fround = Math.fround;
      if (ctx.flavour === 'tflite') {
        // GEMM rows = N (y's columns), cols = M (x's rows): result column i is x's row i.
        const gemm = new EigenGemmSum(N, M, K);
        const prods = new Float32Array(K);
        return (ins, outs) => {
          const xa = ins[0]!.data as Float32Array;
          const xb = ins[1]!.data as Float32Array;
          const out = outs[0]!.data as Float32Array;
          for (let t = 0; t < nBatch; t++) {
            const ao = aOff[t] as number;
            const bo = bOff[t] as number;
            const oo = t * MN;
            for (let i = 0; i < M; i++) {
              for (let j = 0; j < N; j++) {
                for (let k = 0; k < K; k++) prods[k] = (xa[ao + i * aSi + k * aSk] as number) * (xb[bo + k * bSk + j * bSj] as number);
                out[oo + i * N + j] = gemm.sum(prods, i);
              }
            }
          }
        };
      }
      return (ins, outs) => {
        const xa = ins[0]!.data as Float32Array;
        const xb = ins[1]!.data as Float32Array;
        const out = outs[0]!.data as Float32Array;
        for (let t = 0; t < nBatch; t++) {
          const ao = aOff[t] as number;
          const bo = bOff[t] as number;
          const oo = t * MN;
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let total = 0;
              for (let k = 0; k < K; k++) {
                total = fround(total + fround((xa[ao + i * aSi + k * aSk] as number) * (xb[bo + k * bSk + j * bSj] as number)));
              }
              out[oo + i * N + j] = total;
            }
          }
        }
      };
    }

    if (!((a.dtype === 'i8' && b.dtype === 'i8' && y.dtype === 'i8') || (a.dtype === 'i16' && b.dtype === 'i16' && y.dtype === 'i16'))) unsupported(ctx);
    if ((b.quant?.scale.length ?? 0) > 1 || (a.quant?.scale.length ?? 0) > 1) unsupported(ctx, 'per-axis quantization');
    const sA = scaleOf(ctx, a, 'x');
    const sB = scaleOf(ctx, b, 'y');
    const sY = scaleOf(ctx, y, 'output');
    const zA = zeroPointOf(ctx, a, 'x');
    const zB = zeroPointOf(ctx, b, 'y');
    const zY = zeroPointOf(ctx, y, 'output');
    const { multiplier, shift } = productMultiplier(ctx, sA, sB, sY);
    const lo = y.dtype === 'i8' ? -128 : -32768;
    const hi = y.dtype === 'i8' ? 127 : 32767;
    const offA = -zA;
    const offB = -zB;

    if (a.dtype === 'i16') {
      if (zA !== 0 || zB !== 0 || zY !== 0) unsupported(ctx, 'int16 batch_matmul needs zero points of 0');
      const requant = new Int64Requantizer(Int32Array.of(multiplier), Int32Array.of(shift), int64MultiplierIsReduced(ctx.flavour));
      return (ins, outs) => {
        const xa = ins[0]!.data as Int16Array;
        const xb = ins[1]!.data as Int16Array;
        const out = outs[0]!.data as Int16Array;
        for (let t = 0; t < nBatch; t++) {
          const ao = aOff[t] as number;
          const bo = bOff[t] as number;
          const oo = t * MN;
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let total = 0;
              for (let k = 0; k < K; k++) total += (xa[ao + i * aSi + k * aSk] as number) * (xb[bo + k * bSk + j * bSj] as number);
              const v = requant.apply(total, 0) + zY;
              out[oo + i * N + j] = v < lo ? lo : v > hi ? hi : v;
            }
          }
        }
      };
    }
    const single = ctx.flavour === 'tflite' ? new SingleRoundingRequantizer(Int32Array.of(multiplier), Int32Array.of(shift)) : undefined;
    return (ins, outs) => {
      const xa = ins[0]!.data as Int8Array;
      const xb = ins[1]!.data as Int8Array;
      const out = outs[0]!.data as Int8Array;
      for (let t = 0; t < nBatch; t++) {
        const ao = aOff[t] as number;
        const bo = bOff[t] as number;
        const oo = t * MN;
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let total = 0;
            for (let k = 0; k < K; k++) {
              total += ((xa[ao + i * aSi + k * aSk] as number) + offA) * ((xb[bo + k * bSk + j * bSj] as number) + offB);
            }
            const v = (single ? single.apply(total | 0, 0) : mbqm(total | 0, multiplier, shift)) + zY;
            out[oo + i * N + j] = v < lo ? lo : v > hi ? hi : v;
          }
        }
      }
    };
  },
};

/** Batch-matmul kernels of this file. */
export const batchMatmulKernels: readonly KernelDef[] = [batchMatmul];
