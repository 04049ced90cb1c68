/**
 * Tests for dialects/tfl/kernels/unary.ts (relu family, leaky_relu, hard_swish, sqrt, rsqrt, abs, neg).
 *
 * Golden vectors were recorded from TFLite ≈2.12 (tfjs-tflite's wasm build, XNNPACK bypassed);
 * the other checks compare with float math.
 */
import { describe, expect, it } from 'vitest';
import { KernelError, allocTyped } from '../../src/interp/kernel.js';
import type { AttrValue, DType, KernelContext, KernelDef, KernelFlavour, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import {
  absKernel,
  hardSwishKernel,
  invSqrtQuantizedMultiplierExp,
  leakyReluKernel,
  negKernel,
  relu0To1Kernel,
  relu6Kernel,
  reluKernel,
  reluN1To1Kernel,
  rsqrtKernel,
  sqrtKernel,
  unaryKernels,
} from '../../dialects/tfl/kernels/unary.js';

import { type Spec, allValues, ctxOf, run, runGolden, tinfo, typed } from './helpers.js';

const GOLDEN = {
  leaky_i8_neg_alpha: {
    ins: [
      { dtype: 'i8', shape: [16], scale: 0.05, zp: 10, values: [-128, -100, -60, -20, -5, -1, 0, 1, 3, 9, 27, 64, 100, 126, 127, 42] },
    ],
    out: { dtype: 'i8', shape: [16], scale: 0.04, zp: -5, values: [47, 37, 22, 7, 1, -1, -1, -1, -2, -4, 16, 63, 108, 127, 127, 35] },
  },
  leaky_i16: {
    ins: [
      { dtype: 'i16', shape: [16], scale: 0.0017488234443590045, zp: 0, values: [-32768, -30000, -16384, -9000, -4096, -1000, -37, -1, 0, 1, 99, 2048, 5000, 12345, 25000, 32767] },
    ],
    out: { dtype: 'i16', shape: [16], scale: 0.0017488234443590045, zp: 0, values: [-6554, -6000, -3277, -1800, -819, -200, -8, 0, 0, 1, 99, 2048, 5000, 12345, 25000, 32767] },
  },
  hard_swish_i8: {
    ins: [
      { dtype: 'i8', shape: [16], scale: 0.05, zp: -10, values: [-128, -100, -60, -20, -5, -1, 0, 1, 3, 9, 27, 64, 100, 126, 127, 42] },
    ],
    out: { dtype: 'i8', shape: [16], scale: 0.03, zp: -60, values: [-60, -60, -67, -67, -55, -51, -50, -49, -47, -39, -10, 63, 123, 127, 127, 21] },
  },
  relu6_i8: {
    ins: [
      { dtype: 'i8', shape: [16], scale: 0.05, zp: -10, values: [-128, -100, -60, -20, -5, -1, 0, 1, 3, 9, 27, 64, 100, 126, 127, 42] },
    ],
    out: { dtype: 'i8', shape: [16], scale: 0.03, zp: -128, values: [-128, -128, -128, -128, -120, -113, -111, -110, -106, -96, -66, -5, 55, 72, 72, -41] },
  },
  relu_i16: {
    ins: [
      { dtype: 'i16', shape: [16], scale: 0.001, zp: 0, values: [-32768, -30000, -16384, -9000, -4096, -1000, -37, -1, 0, 1, 99, 2048, 5000, 12345, 25000, 32767] },
    ],
    out: { dtype: 'i16', shape: [16], scale: 0.0007, zp: 0, values: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 141, 2926, 7143, 17636, 32767, 32767] },
  },
  rsqrt_i8: {
    ins: [
      { dtype: 'i8', shape: [16], scale: 0.05, zp: -128, values: [-128, -127, -126, -120, -100, -64, -1, 0, 1, 3, 9, 27, 64, 100, 126, 127] },
    ],
    out: { dtype: 'i8', shape: [16], scale: 0.02, zp: -100, values: [127, 124, 58, -21, -58, -72, -80, -80, -80, -80, -81, -82, -84, -85, -86, -86] },
  },
  abs_i8: {
    ins: [
      { dtype: 'i8', shape: [16], scale: 0.05, zp: 3, values: [-128, -100, -60, -20, -5, -1, 0, 1, 3, 9, 27, 64, 100, 126, 127, 42] },
    ],
    out: { dtype: 'i8', shape: [16], scale: 0.07, zp: -128, values: [-34, -54, -83, -112, -122, -125, -126, -127, -128, -124, -111, -84, -59, -40, -39, -100] },
  },
};

const f32 = (values: number[]): Spec => ({ dtype: 'f32', shape: [values.length], values });

/** Quantized unary op vs float reference: every storage value, within `tol` LSB. */
function checkVsFloat(k: KernelDef, dtype: 'i8' | 'u8' | 'i16', si: number, zi: number, so: number, zo: number, f: (x: number) => number, tol: number, attrs: Record<string, AttrValue> = {}): void {
  const x = allValues(dtype);
  const out = run(k, [{ dtype, shape: [x.length], scale: si, zp: zi, values: x }], { dtype, shape: [x.length], scale: so, zp: zo }, attrs);
  const [lo, hi] = dtype === 'i8' ? [-128, 127] : dtype === 'u8' ? [0, 255] : [-32768, 32767];
  out.forEach((q, i) => {
    const ref = Math.max(lo, Math.min(hi, Math.round(f(Math.fround(si) * (x[i]! - zi)) / Math.fround(so)) + zo));
    expect(Math.abs(q - ref), `x=${x[i]}`).toBeLessThanOrEqual(tol);
  });
}

describe('relu family', () => {
  it('float32 clamps like std::max/min (NaN -> 0 for relu / relu6)', () => {
    const x = [-3, -0, 0.5, 0.99, 1.5, 7, NaN];
    const o: Spec = { dtype: 'f32', shape: [7] };
    expect(run(reluKernel, [f32(x)], o)).toEqual([0, 0, 0.5, Math.fround(0.99), 1.5, 7, 0]);
    expect(run(relu6Kernel, [f32(x)], o)).toEqual([0, 0, 0.5, Math.fround(0.99), 1.5, 6, 0]);
    expect(run(reluN1To1Kernel, [f32(x)], o).slice(0, 6)).toEqual([-1, -0, 0.5, Math.fround(0.99), 1, 1]);
    expect(run(relu0To1Kernel, [f32(x)], o).slice(0, 6)).toEqual([0, -0, 0.5, Math.fround(0.99), 1, 1]);
  });

  it('quantized relu family is within 1 LSB of float (rescaling in and out)', () => {
    for (const [k, f] of [
      [reluKernel, (x: number) => Math.max(0, x)],
      [relu6Kernel, (x: number) => Math.min(6, Math.max(0, x))],
      [reluN1To1Kernel, (x: number) => Math.min(1, Math.max(-1, x))],
      [relu0To1Kernel, (x: number) => Math.min(1, Math.max(0, x))],
    ] as const) {
      checkVsFloat(k, 'i8', 0.05, -20, 0.03, -100, f, 1);
      checkVsFloat(k, 'u8', 0.05, 100, 0.07, 3, f, 1);
    }
    checkVsFloat(reluKernel, 'i16', 0.001, 0, 0.0007, 0, (x) => Math.max(0, x), 1);
    checkVsFloat(relu6Kernel, 'i16', 0.001, 0, 0.0003, 0, (x) => Math.min(6, Math.max(0, x)), 1);
  });

  it('is exact with equal input/output parameters', () => {
    const x = allValues('i8');
    const out = run(reluKernel, [{ dtype: 'i8', shape: [256], scale: 0.1, zp: -7, values: x }], { dtype: 'i8', shape: [256], scale: 0.1, zp: -7 });
    expect(out).toEqual(x.map((v) => Math.max(v, -7)));
  });

  it('TFLM relu6 clamps raw values to [zp_in, zp_in + round(6 / s_in)]', () => {
    const x = allValues('i8');
    const out = run(relu6Kernel, [{ dtype: 'i8', shape: [256], scale: 0.1, zp: -7, values: x }], { dtype: 'i8', shape: [256], scale: 0.2, zp: 9 }, {}, 'tflm');
    expect(out).toEqual(x.map((v) => Math.min(53, Math.max(v, -7))));
  });

  it('int16 needs zero points 0; int16 relu_n1_to_1 is unsupported', () => {
    const i: Spec = { dtype: 'i16', shape: [1], scale: 0.001, zp: 0, values: [1] };
    expect(() => run(reluKernel, [{ ...i, zp: 2 }], { dtype: 'i16', shape: [1], scale: 0.001, zp: 0 })).toThrow(KernelError);
    expect(() => run(reluN1To1Kernel, [i], { dtype: 'i16', shape: [1], scale: 0.001, zp: 0 })).toThrow(KernelError);
  });
});

describe('leaky_relu', () => {
  it('float32: x > 0 ? x : alpha * x (default alpha 0.2)', () => {
    const x = [-2, -0.5, 0, 3];
    expect(run(leakyReluKernel, [f32(x)], { dtype: 'f32', shape: [4] })).toEqual(x.map((v) => (v > 0 ? v : Math.fround(v * Math.fround(0.2)))));
  });

  it('quantized (i8, u8, i16; positive and negative alpha) is within 1 LSB of float', () => {
    for (const alpha of [0.1, 0.3, -0.3]) {
      const a = Math.fround(alpha);
      const f = (x: number): number => (x >= 0 ? x : a * x);
      checkVsFloat(leakyReluKernel, 'i8', 0.05, 10, 0.04, -5, f, 1, { alpha });
      checkVsFloat(leakyReluKernel, 'u8', 0.05, 128, 0.04, 100, f, 1, { alpha });
      checkVsFloat(leakyReluKernel, 'i16', 0.0017, 0, 0.0013, 0, f, 1, { alpha });
    }
  });
});

describe('hard_swish', () => {
  const hs = (x: number): number => (x * Math.min(6, Math.max(0, x + 3))) / 6;
  it('float32 is x * relu6(x + 3) * (1/6) in float', () => {
    const x = [-4, -3, -1.5, 0, 0.7, 2.9, 3, 10];
    const sixth = Math.fround(1 / 6);
    expect(run(hardSwishKernel, [f32(x)], { dtype: 'f32', shape: [8] })).toEqual(
      x.map((v) => Math.fround(Math.fround(Math.fround(v) * Math.min(6, Math.max(0, Math.fround(Math.fround(v) + 3)))) * sixth)),
    );
  });

  it('int8 / uint8 are within 2 LSB of float', () => {
    checkVsFloat(hardSwishKernel, 'i8', 0.05, -10, 0.03, -60, hs, 2);
    checkVsFloat(hardSwishKernel, 'u8', 0.04, 128, 0.03, 20, hs, 2);
  });
});

describe('sqrt / rsqrt / abs / neg', () => {
  it('float32', () => {
    const x = [0, 0.25, 2, 1e-30, 9];
    const o: Spec = { dtype: 'f32', shape: [5] };
    expect(run(sqrtKernel, [f32(x)], o)).toEqual(x.map((v) => Math.fround(Math.sqrt(Math.fround(v)))));
    expect(run(rsqrtKernel, [f32(x)], o)).toEqual(x.map((v) => Math.fround(1 / Math.fround(Math.sqrt(Math.fround(v))))));
    expect(run(absKernel, [f32([-2, 3, -0])], { dtype: 'f32', shape: [3] })).toEqual([2, 3, 0]);
    expect(run(negKernel, [f32([-2, 3])], { dtype: 'f32', shape: [2] })).toEqual([2, -3]);
  });

  it('inverse square root multiplier (GetInvSqrtQuantizedMultiplierExp) is accurate', () => {
    for (const v of [2, 3, 7, 100, 12345, 1 << 20, 2147483647]) {
      const { multiplier, shift } = invSqrtQuantizedMultiplierExp(v);
      const approx = (multiplier / 2 ** 31) * 2 ** shift;
      expect(Math.abs(approx * Math.sqrt(v) - 1)).toBeLessThan(1e-5);
    }
    expect(invSqrtQuantizedMultiplierExp(1)).toEqual({ multiplier: 2147483647, shift: 0 });
  });

  it('rsqrt int8 is within 1 LSB of float, maps the zero point to 127 and rejects negative inputs', () => {
    const x = Array.from({ length: 255 }, (_, i) => i - 127); // x > zp
    const out = run(rsqrtKernel, [{ dtype: 'i8', shape: [255], scale: 0.05, zp: -128, values: x }], { dtype: 'i8', shape: [255], scale: 0.02, zp: -100 });
    out.forEach((q, i) => {
      const ref = Math.max(-128, Math.min(127, Math.round(1 / Math.sqrt(Math.fround(0.05) * (x[i]! + 128)) / Math.fround(0.02)) - 100));
      expect(Math.abs(q - ref)).toBeLessThanOrEqual(1);
    });
    expect(run(rsqrtKernel, [{ dtype: 'i8', shape: [1], scale: 0.05, zp: 3, values: [3] }], { dtype: 'i8', shape: [1], scale: 0.02, zp: 0 })).toEqual([127]);
    expect(() => run(rsqrtKernel, [{ dtype: 'i8', shape: [1], scale: 0.05, zp: 3, values: [2] }], { dtype: 'i8', shape: [1], scale: 0.02, zp: 0 })).toThrow(KernelError);
  });

  it('abs int8 / int16: exact with equal scales, within 1 LSB otherwise', () => {
    const x = allValues('i8');
    expect(run(absKernel, [{ dtype: 'i8', shape: [256], scale: 0.1, zp: 3, values: x }], { dtype: 'i8', shape: [256], scale: 0.1, zp: -128 })).toEqual(
      x.map((v) => Math.min(127, Math.abs(v - 3) - 128)),
    );
    checkVsFloat(absKernel, 'i8', 0.05, 3, 0.07, -128, Math.abs, 1);
    checkVsFloat(absKernel, 'i16', 0.001, 0, 0.0012, 0, Math.abs, 1);
  });

  it('neg int32 wraps', () => {
    expect(run(negKernel, [{ dtype: 'i32', shape: [3], values: [-2147483648, 5, -7] }], { dtype: 'i32', shape: [3] })).toEqual([-2147483648, -5, 7]);
  });
});

describe('TFLite golden vectors', () => {
  it.each([
    ['leaky_i8_neg_alpha', leakyReluKernel, { alpha: -0.3 }],
    ['leaky_i16', leakyReluKernel, { alpha: 0.2 }],
    ['hard_swish_i8', hardSwishKernel, {}],
    ['relu6_i8', relu6Kernel, {}],
    ['relu_i16', reluKernel, {}],
    ['rsqrt_i8', rsqrtKernel, {}],
    ['abs_i8', absKernel, {}],
  ] as const)('%s', (name, k, attrs) => {
    const g = GOLDEN[name];
    expect(runGolden(k, g as { ins: Spec[]; out: Spec }, attrs)).toEqual(g.out.values);
  });

  it('exports all kernels', () => {
    expect(unaryKernels.map((k) => k.op)).toEqual([
      'tfl.relu',
      'tfl.relu6',
      'tfl.relu_n1_to_1',
      'tfl.relu_0_to_1',
      'tfl.leaky_relu',
      'tfl.hard_swish',
      'tfl.sqrt',
      'tfl.rsqrt',
      'tfl.abs',
      'tfl.neg',
    ]);
  });
});
