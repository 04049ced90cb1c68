import { describe, expect, it } from 'vitest';
import type { DType, KernelContext, QuantParams, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import { KernelError } from '../../src/interp/kernel.js';
import { quantizeMultiplier } from '../../src/interp/fixedpoint.js';
import { batchMatmulKernels } from '../../dialects/tfl/kernels/batch-matmul.js';
import { mbqm64Ref, mbqmRef, randInts, rng } from './reference.js';

function q(scale: number, zeroPoint = 0): QuantParams {
  return { scale: [Math.fround(scale)], zeroPoint: [zeroPoint], axis: -1, storageMin: -128, storageMax: 127 };
}
function t(name: string, dtype: DType, shape: number[], quant?: QuantParams): TensorInfo {
  return { name, dtype, shape, ...(quant ? { quant } : {}) };
}
const kernel = batchMatmulKernels[0]!;
function mk(a: TensorInfo, b: TensorInfo, out: TensorInfo, attrs: KernelContext['attrs'] = {}): KernelContext {
  return { op: 'tfl.batch_matmul', where: 'test', inputs: [a, b], outputs: [out], intermediates: [], attrs, flavour: 'tflite' };
}
function run(ctx: KernelContext, a: TypedArray, b: TypedArray): TypedArray {
  const fn = kernel.prepare(ctx);
  const ins: Tensor[] = [
    { dtype: ctx.inputs[0]!.dtype, shape: ctx.inputs[0]!.shape, data: a },
    { dtype: ctx.inputs[1]!.dtype, shape: ctx.inputs[1]!.shape, data: b },
  ];
  const out = ctx.outputs[0]!;
  const n = out.shape.reduce((x, y) => x * y, 1);
  const data = out.dtype === 'f32' ? new Float32Array(n) : out.dtype === 'i8' ? new Int8Array(n) : new Int16Array(n);
  fn(ins, [{ dtype: out.dtype, shape: out.shape, data }]);
  return data;
}

/**
 * Naive batched matmul with explicit broadcasting of 3-D operands [B, r, c]: returns exact sums of
 * (a + aOff) * (b + bOff) for out[batch][i][j].
 */
function naive(a: ArrayLike<number>, as: number[], b: ArrayLike<number>, bs: number[], adjX: boolean, adjY: boolean, aOff: number, bOff: number): number[] {
  const [Ba, ar, ac] = as as [number, number, number];
  const [Bb, br, bc] = bs as [number, number, number];
  const B = Math.max(Ba, Bb);
  const M = adjX ? ac : ar, K = adjX ? ar : ac, N = adjY ? br : bc;
  const res: number[] = [];
  for (let bt = 0; bt < B; bt++) {
    const ao = (Ba === 1 ? 0 : bt) * ar * ac;
    const bo = (Bb === 1 ? 0 : bt) * br * bc;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const av = adjX ? a[ao + k * ac + i]! : a[ao + i * ac + k]!;
          const bv = adjY ? b[bo + j * bc + k]! : b[bo + k * bc + j]!;
          s += (av + aOff) * (bv + bOff);
        }
        res.push(s);
      }
  }
  return res;
}

describe('tfl.batch_matmul', () => {
  it('float: hand-computed 2x2 product and adj_x / adj_y', () => {
    const a = Float32Array.of(1, 2, 3, 4);
    const b = Float32Array.of(5, 6, 7, 8);
    const y = (adjX: boolean, adjY: boolean) => Array.from(run(mk(t('a', 'f32', [2, 2]), t('b', 'f32', [2, 2]), t('y', 'f32', [2, 2]), { adj_x: adjX, adj_y: adjY }), a, b));
    expect(y(false, false)).toEqual([19, 22, 43, 50]);
    expect(y(true, false)).toEqual([26, 30, 38, 44]); // a^T b
    expect(y(false, true)).toEqual([17, 23, 39, 53]); // a b^T
    expect(y(true, true)).toEqual([23, 31, 34, 46]); // a^T b^T
  });

  it('float: broadcasting batch dimensions (rank 4 vs rank 3)', () => {
    const r = rng(8);
    const a = Float32Array.from({ length: 2 * 3 * 4 * 5 }, () => r() - 0.5); // [2,3,4,5]
    const b = Float32Array.from({ length: 1 * 5 * 6 }, () => r() - 0.5); // [1,5,6] -> broadcast
    const y = run(mk(t('a', 'f32', [2, 3, 4, 5]), t('b', 'f32', [1, 5, 6]), t('y', 'f32', [2, 3, 4, 6])), a, b);
    const e = naive(a, [6, 4, 5], b, [1, 5, 6], false, false, 0, 0);
    e.forEach((v, i) => expect(Math.abs(y[i]! - v)).toBeLessThan(1e-6));
    // [3,1,K] x [1,2,...] style broadcast in both operands.
    expect(() => kernel.prepare(mk(t('a', 'f32', [3, 2, 2]), t('b', 'f32', [2, 2, 2]), t('y', 'f32', [3, 2, 2])))).toThrow(KernelError);
    const y2 = run(mk(t('a', 'f32', [3, 1, 2, 2]), t('b', 'f32', [2, 2, 2]), t('y', 'f32', [3, 2, 2, 2])), Float32Array.from({ length: 12 }, (_, i) => i), Float32Array.from({ length: 8 }, (_, i) => i - 3));
    // out[2][1] = a[2] (8,9;10,11) x b[1] (1,2;3,4) = [8+27, 16+36; 10+33, 20+44]
    expect(Array.from(y2.slice(20, 24))).toEqual([35, 52, 43, 64]);
  });

  it('int8: zero points and the reference rounding, adj_y', () => {
    const r = rng(6);
    const a = Int8Array.from(randInts(r, 2 * 3 * 20, -128, 127));
    const b = Int8Array.from(randInts(r, 2 * 4 * 20, -128, 127));
    const sA = 0.02, zA = 5, sB = 0.03, zB = -2, sY = 0.9, zY = 1;
    const y = run(mk(t('a', 'i8', [2, 3, 20], q(sA, zA)), t('b', 'i8', [2, 4, 20], q(sB, zB)), t('y', 'i8', [2, 3, 4], q(sY, zY)), { adj_y: true }), a, b);
    const m = quantizeMultiplier(Math.fround(Math.fround(sA) * Math.fround(sB)) / Math.fround(sY));
    const e = naive(a, [2, 3, 20], b, [2, 4, 20], false, true, -zA, -zB).map((s) => Math.min(127, Math.max(-128, mbqmRef(s, m.multiplier, m.shift) + zY)));
    expect(Array.from(y)).toEqual(e);
  });

  it('int16: int64 accumulator and the int64 multiply; zero points must be 0', () => {
    const r = rng(12);
    const a = Int16Array.from(randInts(r, 3 * 50, -32768, 32767));
    const b = Int16Array.from(randInts(r, 50 * 2, -32768, 32767));
    const sA = 0.001, sB = 0.002, sY = 0.9;
    const y = run(mk(t('a', 'i16', [3, 50], q(sA)), t('b', 'i16', [50, 2], q(sB)), t('y', 'i16', [3, 2], q(sY))), a, b);
    const m = quantizeMultiplier(Math.fround(Math.fround(sA) * Math.fround(sB)) / Math.fround(sY));
    const e = naive(a, [1, 3, 50], b, [1, 50, 2], false, false, 0, 0).map((s) => Math.min(32767, Math.max(-32768, mbqm64Ref(BigInt(s), m.multiplier, m.shift))));
    expect(Array.from(y)).toEqual(e);
    expect(() => kernel.prepare(mk(t('a', 'i16', [3, 50], q(sA, 1)), t('b', 'i16', [50, 2], q(sB)), t('y', 'i16', [3, 2], q(sY))))).toThrow(KernelError);
  });
});
