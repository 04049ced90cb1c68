import { describe, expect, it } from 'vitest';
import type { DType, KernelContext, QuantParams, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import { KernelError } from '../../src/interp/kernel.js';
import { poolKernels } from '../../dialects/tfl/kernels/pool.js';

function q(scale: number, zeroPoint = 0): QuantParams {
  return { scale: [Math.fround(scale)], zeroPoint: [zeroPoint], axis: -1, storageMin: -128, storageMax: 127 };
}
function t(dtype: DType, shape: number[], quant?: QuantParams): TensorInfo {
  return { name: 'v', dtype, shape, ...(quant ? { quant } : {}) };
}
function run(op: string, x: TensorInfo, y: TensorInfo, attrs: KernelContext['attrs'], data: TypedArray): TypedArray {
  const k = poolKernels.find((p) => p.op === op)!;
  const fn = k.prepare({ op, where: 'test', inputs: [x], outputs: [y], intermediates: [], attrs, flavour: 'tflite' });
  const n = y.shape.reduce((a, b) => a * b, 1);
  const out = y.dtype === 'f32' ? new Float32Array(n) : y.dtype === 'i8' ? new Int8Array(n) : new Int16Array(n);
  const ins: Tensor[] = [{ dtype: x.dtype, shape: x.shape, data }];
  fn(ins, [{ dtype: y.dtype, shape: y.shape, data: out }]);
  return out;
}
const avg = 'tfl.average_pool_2d';
const max = 'tfl.max_pool_2d';

describe('tfl.average_pool_2d', () => {
  it('int8: (sum ± count/2) / count, rounding halves away from zero', () => {
    // 1x1x14x1 input, 2x1 windows (filter 1x2, stride 2): pairs.
    const pairs = [1, 2, -1, -2, 1, 0, -1, 0, 0, 0, 127, 126, -128, -127];
    const y = run(avg, t('i8', [1, 1, 14, 1], q(0.1, 0)), t('i8', [1, 1, 7, 1], q(0.1, 0)), { filter_height: 1, filter_width: 2, stride_h: 1, stride_w: 2, padding: 'VALID' }, Int8Array.from(pairs));
    // 3/2 -> 2, -3/2 -> -2, 1/2 -> 1, -1/2 -> -1, 0, 253/2 -> 127, -255/2 -> -128
    expect(Array.from(y)).toEqual([2, -2, 1, -1, 0, 127, -128]);
    // count 3: 2/3 -> (2+1)/3 = 1; -2/3 -> -1; 1/3 -> (1+1)/3 = 0.
    const y3 = run(avg, t('i8', [1, 1, 9, 1], q(0.1, 0)), t('i8', [1, 1, 3, 1], q(0.1, 0)), { filter_height: 1, filter_width: 3, stride_h: 1, stride_w: 3, padding: 'VALID' }, Int8Array.of(1, 1, 0, -1, -1, 0, 1, 0, 0));
    expect(Array.from(y3)).toEqual([1, -1, 0]);
  });

  it('SAME padding: windows at the edges only count real elements', () => {
    // 1x3x3x1 = 1..9, 2x2 windows stride 1 SAME: total pad 1 -> pad 0, extra at the bottom/right.
    const x = Float32Array.from({ length: 9 }, (_, i) => i + 1);
    const y = run(avg, t('f32', [1, 3, 3, 1]), t('f32', [1, 3, 3, 1]), { filter_height: 2, filter_width: 2, stride_h: 1, stride_w: 1, padding: 'SAME' }, x);
    expect(Array.from(y)).toEqual([3, 4, 4.5, 6, 7, 7.5, 7.5, 8.5, 9]);
    const yi = run(avg, t('i16', [1, 3, 3, 1], q(1)), t('i16', [1, 3, 3, 1], q(1)), { filter_height: 2, filter_width: 2, stride_h: 1, stride_w: 1, padding: 'SAME' }, Int16Array.from(x));
    // 12/4 = 3, 16/4 = 4, 9/2 = 4.5 -> 5, 24/4 = 6, 28/4 = 7, 15/2 -> 8, 15/2 -> 8, 17/2 -> 9, 9.
    expect(Array.from(yi)).toEqual([3, 4, 5, 6, 7, 8, 8, 9, 9]);
  });

  it('fused activations (float and quantized clamp)', () => {
    const x = Float32Array.of(-4, -2, 10, 20);
    expect(Array.from(run(avg, t('f32', [1, 2, 2, 1]), t('f32', [1, 1, 2, 1]), { filter_height: 2, filter_width: 1, stride_h: 2, stride_w: 1, padding: 'VALID', fused_activation_function: 'RELU6' }, x))).toEqual([3, 6]);
    // int8 scale 0.5 zp -10: RELU6 clamps to [-10, -10 + 12] = [-10, 2].
    const xi = Int8Array.of(-20, 40, -30, 10);
    const y = run(avg, t('i8', [1, 1, 4, 1], q(0.5, -10)), t('i8', [1, 1, 2, 1], q(0.5, -10)), { filter_height: 1, filter_width: 2, stride_h: 1, stride_w: 2, padding: 'VALID', fused_activation_function: 'RELU6' }, xi);
    expect(Array.from(y)).toEqual([2, -10]);
  });
});

describe('tfl.max_pool_2d', () => {
  it('float and int8 with SAME padding and stride 2', () => {
    const x = Float32Array.of(1, -5, 3, 2, 9, -1, 0, 4, -7, 8, 6, 5, -2, -3, -4, -8, -9, -6, 7, 11, -10, 12, 13, 14, 15);
    // 5x5, 3x3 window, stride 2, SAME: out 3x3, total pad (3-1)*2+3-5 = 2 -> pad 1 at top/left.
    const attrs = { filter_height: 3, filter_width: 3, stride_h: 2, stride_w: 2, padding: 'SAME' };
    const y = run(max, t('f32', [1, 5, 5, 1]), t('f32', [1, 3, 3, 1]), attrs, x);
    const expected: number[] = [];
    for (let oy = 0; oy < 3; oy++)
      for (let ox = 0; ox < 3; ox++) {
        let m = -Infinity;
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            const iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx;
            if (iy >= 0 && ix >= 0 && iy < 5 && ix < 5) m = Math.max(m, x[iy * 5 + ix]!);
          }
        expected.push(m);
      }
    expect(Array.from(y)).toEqual(expected);
    const yi = run(max, t('i8', [1, 5, 5, 1], q(1, 0)), t('i8', [1, 3, 3, 1], q(1, 0)), { ...attrs, fused_activation_function: 'RELU' }, Int8Array.from(x));
    expect(Array.from(yi)).toEqual(expected.map((v) => Math.max(0, v)));
  });

  it('rejects wrong result shapes', () => {
    const k = poolKernels.find((p) => p.op === max)!;
    expect(() =>
      k.prepare({ op: max, where: 't', inputs: [t('f32', [1, 4, 4, 1])], outputs: [t('f32', [1, 3, 3, 1])], intermediates: [], attrs: { filter_height: 2, filter_width: 2, stride_h: 2, stride_w: 2 }, flavour: 'tflite' }),
    ).toThrow(KernelError);
  });
});
