import { describe, expect, it } from 'vitest';
import type { DType, KernelContext, QuantParams, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import { KernelError } from '../../src/interp/kernel.js';
import { quantizeMultiplier } from '../../src/interp/fixedpoint.js';
import { fullyConnectedKernels } from '../../dialects/tfl/kernels/fully-connected.js';
import { productMultiplier } from '../../dialects/tfl/kernels/padding.js';
import { mbqm64Ref, mbqmRef, randInts, rng } from './reference.js';

function q(scale: number | number[], zeroPoint = 0, axis = -1): QuantParams {
  const s = Array.isArray(scale) ? scale : [scale];
  return { scale: s.map(Math.fround), zeroPoint: s.map(() => zeroPoint), axis, storageMin: -128, storageMax: 127 };
}
function t(name: string, dtype: DType, shape: number[], quant?: QuantParams, data?: TypedArray): TensorInfo {
  return { name, dtype, shape, ...(quant ? { quant } : {}), ...(data ? { data } : {}) };
}
const kernel = fullyConnectedKernels[0]!;
function mk(inputs: (TensorInfo | undefined)[], out: TensorInfo, attrs: KernelContext['attrs'] = {}, flavour: 'tflite' | 'tflm' = 'tflite'): KernelContext {
  return { op: 'tfl.fully_connected', where: 'test', inputs, outputs: [out], intermediates: [], attrs, flavour };
}
function run(ctx: KernelContext, x: TypedArray): TypedArray {
  const fn = kernel.prepare(ctx);
  const ins: (Tensor | undefined)[] = ctx.inputs.map((info, i) => (info ? { dtype: info.dtype, shape: info.shape, data: (i === 0 ? x : info.data) as TypedArray } : undefined));
  const out = ctx.outputs[0]!;
  const n = out.shape.reduce((a, b) => a * b, 1);
  const data = out.dtype === 'f32' ? new Float32Array(n) : out.dtype === 'i8' ? new Int8Array(n) : new Int16Array(n);
  fn(ins, [{ dtype: out.dtype, shape: out.shape, data }]);
  return data;
}
function dots(x: ArrayLike<number>, w: ArrayLike<number>, batches: number, units: number, depth: number, xOff: number, wOff: number): number[] {
  const res: number[] = [];
  for (let b = 0; b < batches; b++)
    for (let u = 0; u < units; u++) {
      let s = 0;
      for (let d = 0; d < depth; d++) s += (w[u * depth + d]! + wOff) * (x[b * depth + d]! + xOff);
      res.push(s);
    }
  return res;
}

describe('tfl.fully_connected float', () => {
  it('hand-computed, with bias and RELU; keep_num_dims keeps the leading dimensions', () => {
    const w = Float32Array.of(1, 2, 3, -1, -1, -1);
    const b = Float32Array.of(0.5, 1);
    const x = Float32Array.of(1, 1, 1, 2, 0, -2, 0, 0, 1, -1, -1, -1);
    // rows: [1,1,1] -> [6.5, -2]; [2,0,-2] -> [-3.5, 1]; [0,0,1] -> [3.5, 0]; [-1,-1,-1] -> [-5.5, 4]
    const relu = [6.5, 0, 0, 1, 3.5, 0, 0, 4];
    const keep = mk([t('x', 'f32', [2, 2, 3]), t('w', 'f32', [2, 3], undefined, w), t('b', 'f32', [2], undefined, b)], t('y', 'f32', [2, 2, 2]), {
      keep_num_dims: true,
      fused_activation_function: 'RELU',
    });
    expect(Array.from(run(keep, x))).toEqual(relu);
    const flat = mk([t('x', 'f32', [2, 2, 3]), t('w', 'f32', [2, 3], undefined, w), undefined], t('y', 'f32', [4, 2]));
    expect(Array.from(run(flat, x))).toEqual([6, -3, -4, 0, 3, -1, -6, 3]);
    // keep_num_dims needs the input's last dimension to be the depth.
    expect(() => kernel.prepare(mk([t('x', 'f32', [3, 2, 2]), t('w', 'f32', [2, 3], undefined, w), undefined], t('y', 'f32', [2, 2]), { keep_num_dims: true }))).toThrow(KernelError);
  });
});

describe('tfl.fully_connected int8', () => {
  it('per-tensor multiplier uses the float32 scale product (GetQuantizedConvolutionMultipler)', () => {
    const ctx = mk([], t('y', 'f32', [1]));
    const a = 0.06349040567874908, b = 0.009100295603275299, c = 0.06623083353042603;
    const got = productMultiplier(ctx, a, b, c);
    expect(got).toEqual(quantizeMultiplier(Math.fround(a * b) / c));
    expect(got).not.toEqual(quantizeMultiplier((a * b) / c));
  });

  it('per-tensor weights (with a weight zero point, as the reference honours it) and RELU6', () => {
    const r = rng(1);
    const depth = 37, units = 5, batches = 8;
    const x = Int8Array.from(randInts(r, batches * depth, -128, 127));
    const w = Int8Array.from(randInts(r, units * depth, -127, 127));
    const bias = Int32Array.from(randInts(r, units, -5000, 5000));
    const sIn = 0.021, zIn = 17, sW = 0.0043, zW = 3, sOut = 0.15, zOut = -25;
    const ctx = mk(
      [t('x', 'i8', [batches, depth], q(sIn, zIn)), t('w', 'i8', [units, depth], q(sW, zW), w), t('b', 'i32', [units], q(Math.fround(sIn) * Math.fround(sW)), bias)],
      t('y', 'i8', [batches, units], q(sOut, zOut)),
      { fused_activation_function: 'RELU6' },
    );
    const m = quantizeMultiplier(Math.fround(Math.fround(sIn) * Math.fround(sW)) / Math.fround(sOut));
    const hi = zOut + Math.round(6 / Math.fround(sOut));
    const expected = dots(x, w, batches, units, depth, -zIn, -zW).map((s, i) => Math.min(hi, Math.max(zOut, mbqmRef(s + bias[i % units]!, m.multiplier, m.shift) + zOut)));
    expect(Array.from(run(ctx, x))).toEqual(expected);
    expect(expected.some((v) => v === hi) && expected.some((v) => v === zOut) && expected.some((v) => v > zOut && v < hi)).toBe(true);
  });

  it('per-channel weights', () => {
    const r = rng(2);
    const depth = 16, units = 4, batches = 2;
    const x = Int8Array.from(randInts(r, batches * depth, -128, 127));
    const w = Int8Array.from(randInts(r, units * depth, -127, 127));
    const bias = Int32Array.from(randInts(r, units, -500, 500));
    const wScales = [0.01, 0.002, 0.0371, 0.00054];
    const sIn = 0.03, zIn = -4, sOut = 0.05, zOut = 6;
    const ctx = mk(
      [t('x', 'i8', [batches, depth], q(sIn, zIn)), t('w', 'i8', [units, depth], q(wScales, 0, 0), w), t('b', 'i32', [units], q(0), bias)],
      t('y', 'i8', [batches, units], q(sOut, zOut)),
    );
    const ms = wScales.map((s) => quantizeMultiplier((Math.fround(sIn) * Math.fround(s)) / Math.fround(sOut)));
    const expected = dots(x, w, batches, units, depth, -zIn, 0).map((s, i) => Math.min(127, Math.max(-128, mbqmRef(s + bias[i % units]!, ms[i % units]!.multiplier, ms[i % units]!.shift) + zOut)));
    expect(Array.from(run(ctx, x))).toEqual(expected);
  });

  it('rejects a bias whose scale does not match input*weights scale', () => {
    const ctx = mk(
      [t('x', 'i8', [1, 2], q(0.5, 0)), t('w', 'i8', [1, 2], q(0.5, 0), Int8Array.of(1, 1)), t('b', 'i32', [1], q(1), Int32Array.of(0))],
      t('y', 'i8', [1, 1], q(0.1, 0)),
    );
    expect(() => kernel.prepare(ctx)).toThrow(KernelError);
  });
});

describe('tfl.fully_connected 16x8', () => {
  const r = rng(4);
  const depth = 300, units = 3, batches = 2;
  const x = Int16Array.from(randInts(r, batches * depth, -32768, 32767));
  const w = Int8Array.from(randInts(r, units * depth, -127, 127));
  const sIn = 0.0003, sW = 0.0021, sOut = 0.0009;
  const m = quantizeMultiplier(Math.fround(Math.fround(sIn) * Math.fround(sW)) / Math.fround(sOut));
  const sums = dots(x, w, batches, units, depth, 0, 0);

  it('int64 bias: int64 accumulator and reduced int64 multiply', () => {
    const bias = BigInt64Array.from([5000000000n, -3n, -70000000n]);
    const ctx = mk(
      [t('x', 'i16', [batches, depth], q(sIn, 0)), t('w', 'i8', [units, depth], q(sW, 0), w), t('b', 'i64', [units], q(Math.fround(sIn) * Math.fround(sW)), bias)],
      t('y', 'i16', [batches, units], q(sOut, 0)),
    );
    const expected = sums.map((s, i) => Math.min(32767, Math.max(-32768, mbqm64Ref(BigInt(s) + bias[i % units]!, m.multiplier, m.shift))));
    expect(Array.from(run(ctx, x))).toEqual(expected);
  });

  it('int32 bias: int32 accumulator and the int32 multiply', () => {
    const bias = Int32Array.from([1000000, -3, -70000]);
    const ctx = mk(
      [t('x', 'i16', [batches, depth], q(sIn, 0)), t('w', 'i8', [units, depth], q(sW, 0), w), t('b', 'i32', [units], q(Math.fround(sIn) * Math.fround(sW)), bias)],
      t('y', 'i16', [batches, units], q(sOut, 0)),
    );
    const expected = sums.map((s, i) => Math.min(32767, Math.max(-32768, mbqmRef((s + bias[i % units]!) | 0, m.multiplier, m.shift))));
    expect(Array.from(run(ctx, x))).toEqual(expected);
  });

  it('rejects non-zero int16 zero points, and hybrid inputs in the tflm flavour', () => {
    expect(() =>
      kernel.prepare(mk([t('x', 'i16', [1, 2], q(0.1, 3)), t('w', 'i8', [1, 2], q(0.1, 0), Int8Array.of(1, 1)), undefined], t('y', 'i16', [1, 1], q(0.1, 0)))),
    ).toThrow(KernelError);
    // TFLM has no hybrid kernels; the tflite flavour runs them (dialects/tfl/kernels/hybrid.ts).
    expect(() => kernel.prepare(mk([t('x', 'f32', [1, 2]), t('w', 'i8', [1, 2], q(0.1, 0), Int8Array.of(1, 1)), undefined], t('y', 'f32', [1, 1]), {}, 'tflm'))).toThrow(KernelError);
  });
});
