import { describe, expect, it } from 'vitest';
import type { DType, KernelContext, QuantParams, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import { KernelError } from '../../src/interp/kernel.js';
import { quantizeMultiplier } from '../../src/interp/fixedpoint.js';
import { transposeConvKernels } from '../../dialects/tfl/kernels/transpose-conv.js';
import { mbqm64Ref, mbqmRef, randInts, rng } from './reference.js';

function q(scale: number | number[], zeroPoint = 0, axis = -1): QuantParams {
  const s = Array.isArray(scale) ? scale : [scale];
  return { scale: s.map(Math.fround), zeroPoint: s.map(() => zeroPoint), axis, storageMin: -128, storageMax: 127 };
}
function t(name: string, dtype: DType, shape: number[], quant?: QuantParams, data?: TypedArray): TensorInfo {
  return { name, dtype, shape, ...(quant ? { quant } : {}), ...(data ? { data } : {}) };
}
const kernel = transposeConvKernels[0]!;
function mk(inputs: (TensorInfo | undefined)[], out: TensorInfo, attrs: KernelContext['attrs'], flavour: 'tflite' | 'tflm' = 'tflite'): KernelContext {
  return { op: 'tfl.transpose_conv', where: 'test', inputs, outputs: [out], intermediates: [], attrs, flavour };
}
function run(ctx: KernelContext, x: TypedArray): TypedArray {
  const fn = kernel.prepare(ctx);
  const ins: (Tensor | undefined)[] = ctx.inputs.map((info, i) => (info ? { dtype: info.dtype, shape: info.shape, data: (i === 2 ? x : info.data) as TypedArray } : undefined));
  const out = ctx.outputs[0]!;
  const n = out.shape.reduce((a, b) => a * b, 1);
  const data = out.dtype === 'f32' ? new Float32Array(n) : out.dtype === 'i8' ? new Int8Array(n) : new Int16Array(n);
  fn(ins, [{ dtype: out.dtype, shape: out.shape, data }]);
  return data;
}

/**
 * Gather-form reference of a transposed convolution: out[oy, ox, oc] = sum over input pixels and taps
 * with iy*s - pad + ky == oy (written independently of the kernel's scatter loop). BigInt sums.
 */
function gatherSums(x: ArrayLike<number>, xs: number[], w: ArrayLike<number>, ws: number[], outH: number, outW: number, s: [number, number], pad: [number, number], inOff: number): bigint[] {
  const [N, H, W, C] = xs as [number, number, number, number];
  const [O, KH, KW] = ws as [number, number, number, number];
  const res: bigint[] = [];
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let o = 0; o < O; o++) {
          let sum = 0n;
          for (let ky = 0; ky < KH; ky++) {
            const ny = oy + pad[0] - ky;
            if (ny < 0 || ny % s[0] !== 0 || ny / s[0] >= H) continue;
            const iy = ny / s[0];
            for (let kx = 0; kx < KW; kx++) {
              const nx = ox + pad[1] - kx;
              if (nx < 0 || nx % s[1] !== 0 || nx / s[1] >= W) continue;
              const ix = nx / s[1];
              for (let c = 0; c < C; c++) sum += BigInt(w[((o * KH + ky) * KW + kx) * C + c]! * (x[((n * H + iy) * W + ix) * C + c]! + inOff));
            }
          }
          res.push(sum);
        }
  return res;
}

describe('tfl.transpose_conv float', () => {
  it('VALID stride 2, 2x2 ones filter: each input pixel becomes a 2x2 block', () => {
    const ctx = mk(
      [t('s', 'i32', [4], undefined, Int32Array.of(1, 4, 4, 1)), t('w', 'f32', [1, 2, 2, 1], undefined, new Float32Array(4).fill(1)), t('x', 'f32', [1, 2, 2, 1]), undefined],
      t('y', 'f32', [1, 4, 4, 1]),
      { padding: 'VALID', stride_h: 2, stride_w: 2 },
    );
    expect(Array.from(run(ctx, Float32Array.of(1, 2, 3, 4)))).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('SAME stride 2 with a 3x3 filter: padding computed from the output size (0 before, 1 after)', () => {
    // ComputePaddingHeightWidth(2, 2, 1, 1, out 4, 4, 3, 3, SAME): conv-out 2, total pad 1 -> pad 0.
    const w = Float32Array.from({ length: 9 }, (_, i) => i + 1); // ky*3+kx+1
    const ctx = mk(
      [t('s', 'i32', [4], undefined, Int32Array.of(1, 4, 4, 1)), t('w', 'f32', [1, 3, 3, 1], undefined, w), t('x', 'f32', [1, 2, 2, 1]), t('b', 'f32', [1], undefined, Float32Array.of(-100))],
      t('y', 'f32', [1, 4, 4, 1]),
      { padding: 'SAME', stride_h: 2, stride_w: 2, fused_activation_function: 'RELU' },
    );
    const y = run(ctx, Float32Array.of(10, 20, 30, 40));
    // out[0][0] = x00 * w(0,0) = 10; out[2][2] = x00*w(2,2) + x01*w(2,0) + x10*w(0,2) + x11*w(0,0) = 90+140+90+40.
    const sums = gatherSums(Float32Array.of(10, 20, 30, 40), [1, 2, 2, 1], w, [1, 3, 3, 1], 4, 4, [2, 2], [0, 0], 0).map(Number);
    expect(sums[0]).toBe(10);
    expect(sums[10]).toBe(360);
    expect(Array.from(y)).toEqual(sums.map((s) => Math.max(0, s - 100)));
  });
});

describe('tfl.transpose_conv int8', () => {
  it('per-channel weights, SAME/VALID, against a gather-form BigInt reference', () => {
    const r = rng(3);
    const xs = [2, 3, 4, 5];
    const ws = [4, 3, 2, 5];
    const x = Int8Array.from(randInts(r, 2 * 3 * 4 * 5, -128, 127));
    const w = Int8Array.from(randInts(r, 4 * 3 * 2 * 5, -127, 127));
    const bias = Int32Array.from(randInts(r, 4, -2000, 2000));
    const wScales = [0.01, 0.004, 0.03, 0.0077];
    const sIn = 0.05, zIn = -9, sOut = 0.2, zOut = 4;
    const mults = wScales.map((s) => quantizeMultiplier((Math.fround(sIn) * Math.fround(s)) / Math.fround(sOut)));
    for (const [padding, outH, outW, pad] of [['SAME', 6, 8, [0, 0]], ['VALID', 7, 8, [0, 0]], ['SAME', 5, 7, [1, 0]]] as const) {
      // pad from the output size: SAME 6 (filter 3, stride 2) -> conv-out 3, total (3-1)*2+3-6 = 1 -> 0;
      // SAME 5 -> conv-out 3, total 2 -> 1 (width 7, filter 2 -> conv-out 4, total 1 -> 0).
      const ctx = mk(
        [t('s', 'i32', [4], undefined, Int32Array.of(2, outH, outW, 4)), t('w', 'i8', ws, q(wScales, 0, 0), w), t('x', 'i8', xs, q(sIn, zIn)), t('b', 'i32', [4], q(0), bias)],
        t('y', 'i8', [2, outH, outW, 4], q(sOut, zOut)),
        { padding, stride_h: 2, stride_w: 2 },
      );
      const y = run(ctx, x);
      const sums = gatherSums(x, xs, w, ws, outH, outW, [2, 2], [pad[0], pad[1]], -zIn);
      const expected = sums.map((s, i) => Math.min(127, Math.max(-128, mbqmRef(Number(s) + bias[i % 4]!, mults[i % 4]!.multiplier, mults[i % 4]!.shift) + zOut)));
      expect(Array.from(y)).toEqual(expected);
    }
  });
});

describe('tfl.transpose_conv 16x8', () => {
  const r = rng(17);
  const xs = [1, 5, 3, 8];
  const ws = [6, 4, 3, 8];
  const x = Int16Array.from(randInts(r, 5 * 3 * 8, -32768, 32767));
  const w = Int8Array.from(randInts(r, 6 * 4 * 3 * 8, -127, 127));
  const wScales = [0.0021, 0.0005, 0.0093, 0.0011, 0.0032, 0.00071];
  const sIn = 0.00012, sOut = 0.00034;
  const mults = wScales.map((s) => quantizeMultiplier((Math.fround(sIn) * Math.fround(s)) / Math.fround(sOut)));
  const outShape = [1, 10, 6, 6];
  // SAME, stride 2, out 10x6, filter 4x3: conv-out 5x3, total pad (5-1)*2+4-10 = 2 -> 1; (3-1)*2+3-6 = 1 -> 0.
  const sums = gatherSums(x, xs, w, ws, 10, 6, [2, 2], [1, 0], 0);
  const inputs = (b: TensorInfo | undefined): (TensorInfo | undefined)[] => [
    t('s', 'i32', [4], undefined, Int32Array.from(outShape)),
    t('w', 'i8', ws, q(wScales, 0, 0), w),
    t('x', 'i16', xs, q(sIn, 0)),
    b,
  ];

  it('int64 bias: int64 scratch, reduced int64 multiply (both flavours)', () => {
    const bias = BigInt64Array.from([40000000n, -40000000n, 0n, 123n, -7n, 999999n]);
    for (const flavour of ['tflite', 'tflm'] as const) {
      const y = run(mk(inputs(t('b', 'i64', [6], q(0), bias)), t('y', 'i16', outShape, q(sOut, 0)), { padding: 'SAME', stride_h: 2, stride_w: 2 }, flavour), x);
      const expected = sums.map((s, i) => Math.min(32767, Math.max(-32768, mbqm64Ref(s + bias[i % 6]!, mults[i % 6]!.multiplier, mults[i % 6]!.shift))));
      expect(Array.from(y)).toEqual(expected);
    }
  });

  it('no bias (tflm: the int64 path; TF 2.12 takes the int32 path, checked against TFLite in test/interp/single-op)', () => {
    const y = run(mk(inputs(undefined), t('y', 'i16', outShape, q(sOut, 0)), { padding: 'SAME', stride_h: 2, stride_w: 2 }, 'tflm'), x);
    expect(Array.from(y)).toEqual(sums.map((s, i) => Math.min(32767, Math.max(-32768, mbqm64Ref(s, mults[i % 6]!.multiplier, mults[i % 6]!.shift)))));
  });

  it('int32 bias: int32 scratch and the int32 multiply on tflite; rejected on tflm', () => {
    const bias = Int32Array.from([100000, -100000, 0, 5, -5, 77]);
    const y = run(mk(inputs(t('b', 'i32', [6], q(0), bias)), t('y', 'i16', outShape, q(sOut, 0)), { padding: 'SAME', stride_h: 2, stride_w: 2 }), x);
    const expected = sums.map((s, i) => Math.min(32767, Math.max(-32768, mbqmRef((Number(s) + bias[i % 6]!) | 0, mults[i % 6]!.multiplier, mults[i % 6]!.shift))));
    expect(Array.from(y)).toEqual(expected);
    expect(() => kernel.prepare(mk(inputs(t('b', 'i32', [6], q(0), bias)), t('y', 'i16', outShape, q(sOut, 0)), { padding: 'SAME', stride_h: 2, stride_w: 2 }, 'tflm'))).toThrow(KernelError);
  });

  it('rejects a result shape that disagrees with a constant output_shape', () => {
    const bad = [t('s', 'i32', [4], undefined, Int32Array.of(1, 10, 7, 6)), ...inputs(undefined).slice(1)];
    expect(() => kernel.prepare(mk(bad, t('y', 'i16', outShape, q(sOut, 0)), { padding: 'SAME', stride_h: 2, stride_w: 2 }))).toThrow(KernelError);
  });
});
