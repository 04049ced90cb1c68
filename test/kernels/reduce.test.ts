import { describe, expect, it } from 'vitest';
import type { DType, KernelContext, QuantParams, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import { KernelError } from '../../src/interp/kernel.js';
import { quantizeMultiplier } from '../../src/interp/fixedpoint.js';
import { reduceKernels } from '../../dialects/tfl/kernels/reduce.js';

function q(scale: number, zeroPoint = 0): QuantParams {
  return { scale: [Math.fround(scale)], zeroPoint: [zeroPoint], axis: -1, storageMin: -128, storageMax: 127 };
}
function t(dtype: DType, shape: number[], quant?: QuantParams, data?: TypedArray): TensorInfo {
  return { name: 'v', dtype, shape, ...(quant ? { quant } : {}), ...(data ? { data } : {}) };
}
function run(op: string, x: TensorInfo, axes: number[], y: TensorInfo, keep: boolean, data: TypedArray, flavour: 'tflite' | 'tflm' = 'tflite'): TypedArray {
  const k = reduceKernels.find((p) => p.op === op)!;
  const axis = t('i32', [axes.length], undefined, Int32Array.from(axes));
  const fn = k.prepare({ op, where: 'test', inputs: [x, axis], outputs: [y], intermediates: [], attrs: { keep_dims: keep }, flavour });
  const n = y.shape.reduce((a, b) => a * b, 1);
  const out = y.dtype === 'f32' ? new Float32Array(n) : y.dtype === 'i8' ? new Int8Array(n) : new Int16Array(n);
  const ins: Tensor[] = [
    { dtype: x.dtype, shape: x.shape, data },
    { dtype: 'i32', shape: axis.shape, data: axis.data! },
  ];
  fn(ins, [{ dtype: y.dtype, shape: y.shape, data: out }]);
  return out;
}
const B31 = 1n << 31n;
function mbqmRef(x: number, m: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const a = BigInt.asIntN(32, BigInt(x) << BigInt(left));
  const ab = a * BigInt(m);
  const hi = (ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n))) / B31;
  if (right === 0) return Number(hi);
  const mask = (1n << BigInt(right)) - 1n;
  const th = (mask >> 1n) + (hi < 0n ? 1n : 0n);
  return Number((hi >> BigInt(right)) + ((hi & mask) > th ? 1n : 0n));
}

describe('float reductions', () => {
  const x = Float32Array.from({ length: 24 }, (_, i) => i - 5); // shape [2,3,4]
  it('sum / mean / max / min over several axes, negative axes, keep_dims', () => {
    expect(Array.from(run('tfl.sum', t('f32', [2, 3, 4]), [1], t('f32', [2, 4]), false, x))).toEqual([-3, 0, 3, 6, 33, 36, 39, 42]);
    expect(Array.from(run('tfl.mean', t('f32', [2, 3, 4]), [-1, 0], t('f32', [1, 3, 1]), true, x))).toEqual([2.5, 6.5, 10.5]);
    expect(Array.from(run('tfl.reduce_max', t('f32', [2, 3, 4]), [0, 2], t('f32', [3]), false, x))).toEqual([10, 14, 18]);
    expect(Array.from(run('tfl.reduce_min', t('f32', [2, 3, 4]), [2, 2], t('f32', [2, 3]), false, x))).toEqual([-5, -1, 3, 7, 11, 15]);
    expect(Array.from(run('tfl.mean', t('f32', [2, 3, 4]), [0, 1, 2], t('f32', []), false, x))).toEqual([6.5]);
  });
  it('float32 rounding at every step of the row-major sum', () => {
    // 2^24 + 1 + 1 in float32 is 2^24 (each +1 rounds away); double math would give 2^24 + 2.
    const y = run('tfl.sum', t('f32', [3]), [0], t('f32', []), false, Float32Array.of(16777216, 1, 1));
    expect(y[0]).toBe(16777216);
  });
  it('rejects a result shape that disagrees with keep_dims', () => {
    expect(() => run('tfl.sum', t('f32', [2, 3, 4]), [1], t('f32', [2, 1, 4]), false, x)).toThrow(KernelError);
  });
});

describe('quantized MEAN, TF 2.12 reference (tflite flavour)', () => {
  it('4-D mean over H, W with keep_dims: integer Mean (multiply, then rounded division by H*W)', () => {
    // s_in = s_out, zp 0: multiplier 2^30, shift 1 (exactly 1.0). Sums 2 and -2 over 4 -> +-0.5 -> +-1.
    const x = Int8Array.of(1, -1, 1, -1, 0, 0, 0, 0); // [1,2,2,2]: channel 0 = 1,1,0,0; channel 1 = -1,-1,0,0
    expect(Array.from(run('tfl.mean', t('i8', [1, 2, 2, 2], q(0.1)), [1, 2], t('i8', [1, 1, 1, 2], q(0.1)), true, x))).toEqual([1, -1]);
    // Same data without keep_dims: equal quantization -> integer sum / n, truncating toward zero.
    expect(Array.from(run('tfl.mean', t('i8', [1, 2, 2, 2], q(0.1)), [1, 2], t('i8', [1, 2], q(0.1)), false, x))).toEqual([0, 0]);
  });

  it('different quantization: float mean * scale + bias, rounded half away from zero', () => {
    // s_in 0.5 zp 0 -> s_out 0.5 zp 1: mean of [3, 2] = 2.5 -> round 3 -> +1 = 4. Of [-3, -2]: -2.5 -> -3 -> -2.
    const y = run('tfl.mean', t('i8', [2, 2], q(0.5, 0)), [1], t('i8', [2], q(0.5, 1)), false, Int8Array.of(3, 2, -3, -2));
    expect(Array.from(y)).toEqual([4, -2]);
    // With a zero point on the input: bias = -zp_in * scale. [10, 11] zp 10, scale 0.5/0.25 = 2 -> (10.5*2 - 20) = 1.
    const y2 = run('tfl.mean', t('i8', [1, 2], q(0.5, 10)), [1], t('i8', [1], q(0.25, 0)), false, Int8Array.of(10, 11));
    expect(Array.from(y2)).toEqual([1]);
  });

  it('int8 SUM: float requantization, cast without clamping', () => {
    // s 0.5 -> 1: [-1, -2] -> -1.5 -> -2 (TFLM's integer path gives -1, see below).
    expect(Array.from(run('tfl.sum', t('i8', [1, 2], q(0.5)), [1], t('i8', [1], q(1)), false, Int8Array.of(-1, -2)))).toEqual([-2]);
    // Equal quantization, sum 200 does not fit: static_cast<int8_t>(200) = -56.
    expect(Array.from(run('tfl.sum', t('i8', [1, 2], q(1)), [1], t('i8', [1], q(1)), false, Int8Array.of(100, 100)))).toEqual([-56]);
  });
});

describe('quantized MEAN / SUM, TFLM (integer-only QuantizedMeanOrSum)', () => {
  it('SUM rounds through MultiplyByQuantizedMultiplier and clamps', () => {
    expect(Array.from(run('tfl.sum', t('i8', [1, 2], q(0.5)), [1], t('i8', [1], q(1)), false, Int8Array.of(-1, -2), 'tflm'))).toEqual([-1]);
    expect(Array.from(run('tfl.sum', t('i8', [1, 2], q(1)), [1], t('i8', [1], q(1)), false, Int8Array.of(100, 100), 'tflm'))).toEqual([127]);
  });

  it('MEAN folds 1/n into the multiplier (shift = floor(log2 n)), against a BigInt model', () => {
    let s = 77;
    const r = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
    const shape = [2, 5, 3, 7];
    const n = shape.reduce((a, b) => a * b, 1);
    const x = Int8Array.from({ length: n }, () => Math.floor(r() * 256) - 128);
    const sIn = 0.037, zIn = -11, sOut = 0.011, zOut = 9;
    const y = run('tfl.mean', t('i8', shape, q(sIn, zIn)), [1, 3], t('i8', [2, 3], q(sOut, zOut)), false, x, 'tflm');
    const base = quantizeMultiplier(Math.fround(sIn) / Math.fround(sOut));
    const count = 35;
    const sh = Math.min(5, 32, 31 + base.shift); // floor(log2(35)) = 5
    const mult = Number((BigInt(base.multiplier) << BigInt(sh)) / BigInt(count));
    const expected: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let h = 0; h < 5; h++) for (let w = 0; w < 7; w++) sum += x[((b * 5 + h) * 3 + c) * 7 + w]!;
        const v = mbqmRef(sum - zIn * count, mult, base.shift - sh) + zOut;
        expected.push(Math.min(127, Math.max(-128, v)));
      }
    expect(Array.from(y)).toEqual(expected);
    // And it is close to the real mean.
    expected.forEach((v, i) => {
      const b = Math.floor(i / 3), c = i % 3;
      let sum = 0;
      for (let h = 0; h < 5; h++) for (let w = 0; w < 7; w++) sum += x[((b * 5 + h) * 3 + c) * 7 + w]! - zIn;
      const real = ((sum / count) * sIn) / sOut + zOut;
      if (real > -127 && real < 126) expect(Math.abs(v - real)).toBeLessThanOrEqual(1);
    });
  });
});

describe('quantized reduce_max / reduce_min', () => {
  it('work on the stored integers and need equal quantization', () => {
    const x = Int16Array.of(5, -7, 300, -32768, 2, 9);
    expect(Array.from(run('tfl.reduce_max', t('i16', [2, 3], q(0.1)), [1], t('i16', [2], q(0.1)), false, x))).toEqual([300, 9]);
    expect(Array.from(run('tfl.reduce_min', t('i16', [2, 3], q(0.1)), [0], t('i16', [3], q(0.1)), false, x))).toEqual([-32768, -7, 9]);
    expect(() => run('tfl.reduce_max', t('i8', [2, 3], q(0.1)), [1], t('i8', [2], q(0.2)), false, new Int8Array(6))).toThrow(KernelError);
  });
});
