/**
 * Tests for dialects/tfl/kernels/activations.ts (tfl.logistic, tfl.tanh, gemmlowp fixed point).
 *
 * Golden vectors were recorded from TFLite ≈2.12 (tfjs-tflite's wasm build, XNNPACK bypassed);
 * the other checks are derived independently (float math, monotonicity, symmetry).
 */
import { describe, expect, it } from 'vitest';
import { KernelError, allocTyped } from '../../src/interp/kernel.js';
import type { AttrValue, DType, KernelContext, KernelDef, KernelFlavour, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import {
  GEMMLOWP16,
  GEMMLOWP32,
  SIGMOID_TABLE_UINT16,
  activationKernels,
  logisticKernel,
  populateLut8,
  tanhKernel,
} from '../../dialects/tfl/kernels/activations.js';

import { type Spec, allValues, ctxOf, run, runGolden, tinfo, typed } from './helpers.js';

const GOLDEN = {
  logistic_i8: {
    ins: [
      { dtype: 'i8', shape: [16], scale: 0.0625, zp: -3, values: [-128, -100, -60, -20, -5, -1, 0, 1, 3, 9, 27, 64, 100, 126, 127, 42] },
    ],
    out: { dtype: 'i8', shape: [16], scale: 0.00390625, zp: -128, values: [-128, -127, -121, -62, -8, 8, 12, 16, 24, 46, 94, 124, 127, 127, 127, 113] },
  },
  tanh_i8: {
    ins: [
      { dtype: 'i8', shape: [16], scale: 0.03, zp: 4, values: [-128, -100, -60, -20, -5, -1, 0, 1, 3, 9, 27, 64, 100, 126, 127, 42] },
    ],
    out: { dtype: 'i8', shape: [16], scale: 0.0078125, zp: 0, values: [-128, -128, -123, -79, -34, -19, -15, -11, -4, 19, 77, 121, 127, 127, 127, 104] },
  },
  logistic_i16_pot: {
    ins: [
      { dtype: 'i16', shape: [16], scale: 0.000244140625, zp: 0, values: [-32768, -30000, -16384, -9000, -4096, -1000, -37, -1, 0, 1, 99, 2048, 5000, 12345, 25000, 32767] },
    ],
    out: { dtype: 'i16', shape: [16], scale: 3.0517578125e-05, zp: 0, values: [11, 25, 585, 3279, 8815, 14391, 16313, 16383, 16384, 16384, 16580, 20400, 25306, 31236, 32694, 32756] },
  },
  logistic_i16_general: {
    ins: [
      { dtype: 'i16', shape: [16], scale: 0.00037, zp: 0, values: [-32768, -30000, -16384, -9000, -4096, -1000, -37, -1, 0, 1, 99, 2048, 5000, 12345, 25000, 32767] },
    ],
    out: { dtype: 'i16', shape: [16], scale: 3.0517578125e-05, zp: 0, values: [1, 1, 76, 1132, 5903, 13388, 16272, 16381, 16384, 16387, 16684, 22310, 28315, 32431, 32765, 32767] },
  },
  tanh_i16_pot: {
    ins: [
      { dtype: 'i16', shape: [16], scale: 0.00048828125, zp: 0, values: [-32768, -30000, -16384, -9000, -4096, -1000, -37, -1, 0, 1, 99, 2048, 5000, 12345, 25000, 32767] },
    ],
    out: { dtype: 'i16', shape: [16], scale: 3.0517578125e-05, zp: 0, values: [-32767, -32767, -32767, -32764, -31596, -14836, -588, -24, 0, 24, 1588, 24964, 32280, 32767, 32767, 32767] },
  },
  tanh_i16_general: {
    ins: [
      { dtype: 'i16', shape: [16], scale: 0.00021, zp: 0, values: [-32768, -30000, -16384, -9000, -4096, -1000, -37, -1, 0, 1, 99, 2048, 5000, 12345, 25000, 32767] },
    ],
    out: { dtype: 'i16', shape: [16], scale: 3.0517578125e-05, zp: 0, values: [-32767, -32767, -32700, -31305, -22817, -6781, -253, -8, 0, 8, 680, 13284, 25617, 32403, 32766, 32767] },
  },
};

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('gemmlowp fixed point', () => {
  it('int32 exp_on_negative_values is accurate to a few raw units in Q0.31 (F5 input)', () => {
    for (let x = -20; x <= 0; x += 0.37) {
      const raw = Math.round(x * 2 ** 26); // F5: 26 fractional bits
      const r = GEMMLOWP32.expOnNegativeValues(raw, 5);
      expect(Math.abs(r / 2 ** 31 - Math.exp(raw / 2 ** 26))).toBeLessThan(2e-8 * 64);
    }
    expect(GEMMLOWP32.expOnNegativeValues(0, 5)).toBe(2147483647);
  });

  it('int32 tanh / logistic (F4 input) match float within 1e-6', () => {
    for (let x = -15.9; x < 16; x += 0.173) {
      const raw = Math.round(x * 2 ** 27);
      const v = raw / 2 ** 27;
      expect(Math.abs(GEMMLOWP32.tanh(raw, 4) / 2 ** 31 - Math.tanh(v))).toBeLessThan(1e-6);
      expect(Math.abs(GEMMLOWP32.logistic(raw, 4) / 2 ** 31 - sigmoid(v))).toBeLessThan(1e-6);
    }
    expect(GEMMLOWP32.tanh(0, 4)).toBe(0);
    expect(GEMMLOWP32.logistic(0, 4)).toBe(2 ** 30);
  });

  it('int16 tanh / logistic (F3 input) are odd and within 16 LSB of float (int16 gemmlowp is coarse)', () => {
    for (let raw = -32768; raw < 32768; raw += 97) {
      const v = raw / 4096;
      const t = GEMMLOWP16.tanh(raw, 3);
      const l = GEMMLOWP16.logistic(raw, 3);
      expect(Math.abs(t - Math.tanh(v) * 32768)).toBeLessThanOrEqual(16);
      expect(Math.abs(l - sigmoid(v) * 32768)).toBeLessThanOrEqual(16);
      if (raw > -32768) expect(GEMMLOWP16.tanh(-raw, 3)).toBe(-t);
    }
  });
});

describe('sigmoid table', () => {
  it('is sigmoid(i/24) in 0.16 (within 1.2) and increasing', () => {
    expect(SIGMOID_TABLE_UINT16.length).toBe(256);
    expect(SIGMOID_TABLE_UINT16[0]).toBe(32768);
    expect(SIGMOID_TABLE_UINT16[255]).toBe(65535);
    for (let i = 0; i < 256; i++) {
      expect(Math.abs((SIGMOID_TABLE_UINT16[i] as number) - 65536 * sigmoid(i / 24))).toBeLessThan(1.2);
      if (i > 0) expect(SIGMOID_TABLE_UINT16[i]!).toBeGreaterThanOrEqual(SIGMOID_TABLE_UINT16[i - 1]!);
    }
  });
});

describe('8-bit LUT (TFLite builtin)', () => {
  it('follows LUTPopulate: float32 math, round half away, clamp', () => {
    // Hand case: tanh with input scale 1/32 zp 0, output scale 1/128 zp 0.
    const lut = populateLut8('i8', 1 / 32, 0, 1 / 128, 0, (x) => Math.fround(Math.tanh(x)));
    const at = (v: number): number => lut[v + 128] as number;
    expect(at(0)).toBe(0);
    expect(at(32)).toBe(Math.round(Math.tanh(1) * 128) > 127 ? 127 : Math.round(Math.tanh(1) * 128));
    expect(at(127)).toBe(127);
    expect(at(-128)).toBe(-128);
  });

  it('logistic / tanh int8 and uint8 are within 1 LSB of float for any parameters', () => {
    for (const dtype of ['i8', 'u8'] as const) {
      for (const [k, f, so, zo] of [
        [logisticKernel, sigmoid, 1 / 256, dtype === 'i8' ? -128 : 0],
        [tanhKernel, Math.tanh, 1 / 128, dtype === 'i8' ? 0 : 128],
        [tanhKernel, Math.tanh, 0.01, dtype === 'i8' ? 5 : 120],
      ] as const) {
        const si = 0.07;
        const zi = dtype === 'i8' ? -3 : 130;
        const x = allValues(dtype);
        const out = run(k, [{ dtype, shape: [x.length], scale: si, zp: zi, values: x }], { dtype, shape: [x.length], scale: so, zp: zo });
        const [lo, hi] = dtype === 'i8' ? [-128, 127] : [0, 255];
        out.forEach((q, i) => {
          const ref = Math.max(lo, Math.min(hi, Math.round(f(Math.fround(si) * (x[i]! - zi)) / Math.fround(so)) + zo));
          expect(Math.abs(q - ref)).toBeLessThanOrEqual(1);
        });
      }
    }
  });

  it('logistic requires an 8-bit output scale of exactly 1/256', () => {
    expect(() =>
      run(logisticKernel, [{ dtype: 'i8', shape: [1], scale: 0.1, zp: 0, values: [1] }], { dtype: 'i8', shape: [1], scale: 1 / 255, zp: -128 }),
    ).toThrow(KernelError);
  });
});

describe('int16', () => {
  const x = allValues('i16');
  const ref = (f: (v: number) => number, si: number): number[] => x.map((v) => Math.max(-32768, Math.min(32767, Math.round(f(si * v) * 32768))));

  it('POT input scales (gemmlowp int16, within 16 LSB) and other scales (interpolated table, within 3 LSB)', () => {
    for (const [k, f, scales, potScales] of [
      [logisticKernel, sigmoid, [2 ** -12, 2 ** -11, 0.0003], [2 ** -12]],
      [tanhKernel, Math.tanh, [2 ** -12, 2 ** -11, 2 ** -13, 0.0003], [2 ** -12, 2 ** -11]],
    ] as const) {
      for (const si of scales) {
        const tol = (potScales as readonly number[]).includes(si) ? 16 : 3;
        const out = run(k, [{ dtype: 'i16', shape: [x.length], scale: si, zp: 0, values: x }], { dtype: 'i16', shape: [x.length], scale: 2 ** -15, zp: 0 });
        const r = ref(f, Math.fround(si));
        let maxErr = 0;
        out.forEach((q, i) => (maxErr = Math.max(maxErr, Math.abs(q - r[i]!))));
        expect(maxErr).toBeLessThanOrEqual(tol);
      }
    }
  });

  it('TFLM uses the table for POT scales too (differs from the TFLite gemmlowp path)', () => {
    const ins: Spec[] = [{ dtype: 'i16', shape: [x.length], scale: 2 ** -12, zp: 0, values: x }];
    const o: Spec = { dtype: 'i16', shape: [x.length], scale: 2 ** -15, zp: 0 };
    const tfl = run(tanhKernel, ins, o);
    const tflm = run(tanhKernel, ins, o, {}, 'tflm');
    expect(tflm).not.toEqual(tfl);
    tflm.forEach((v, i) => expect(Math.abs(v - tfl[i]!)).toBeLessThanOrEqual(16));
  });

  it('requires zero points 0 and output scale 2^-15', () => {
    const i: Spec = { dtype: 'i16', shape: [1], scale: 2 ** -12, zp: 0, values: [1] };
    expect(() => run(tanhKernel, [i], { dtype: 'i16', shape: [1], scale: 2 ** -14, zp: 0 })).toThrow(KernelError);
    expect(() => run(tanhKernel, [{ ...i, zp: 3 }], { dtype: 'i16', shape: [1], scale: 2 ** -15, zp: 0 })).toThrow(KernelError);
  });
});

describe('TFLM int8 (gemmlowp reference)', () => {
  it('logistic / tanh stay within 1 LSB of float', () => {
    const x = allValues('i8');
    const si = 0.05;
    const lo = run(logisticKernel, [{ dtype: 'i8', shape: [256], scale: si, zp: 7, values: x }], { dtype: 'i8', shape: [256], scale: 1 / 256, zp: -128 }, {}, 'tflm');
    const th = run(tanhKernel, [{ dtype: 'i8', shape: [256], scale: si, zp: 7, values: x }], { dtype: 'i8', shape: [256], scale: 1 / 128, zp: 0 }, {}, 'tflm');
    x.forEach((v, i) => {
      const r = Math.fround(si) * (v - 7);
      expect(Math.abs(lo[i]! - Math.min(127, Math.round(sigmoid(r) * 256) - 128))).toBeLessThanOrEqual(1);
      expect(Math.abs(th[i]! - Math.max(-128, Math.min(127, Math.round(Math.tanh(r) * 128))))).toBeLessThanOrEqual(1);
    });
  });
});

describe('float32', () => {
  it('is float math rounded to float32', () => {
    const x = [-100, -9.5, -1, 0, 0.5, 3, 17, 100];
    const o: Spec = { dtype: 'f32', shape: [8] };
    expect(run(logisticKernel, [{ dtype: 'f32', shape: [8], values: x }], o)).toEqual(x.map((v) => Math.fround(sigmoid(v))));
    expect(run(tanhKernel, [{ dtype: 'f32', shape: [8], values: x }], o)).toEqual(x.map((v) => Math.fround(Math.tanh(v))));
  });
});

describe('TFLite golden vectors', () => {
  it.each([
    ['logistic_i8', logisticKernel],
    ['tanh_i8', tanhKernel],
    ['logistic_i16_pot', logisticKernel],
    ['logistic_i16_general', logisticKernel],
    ['tanh_i16_pot', tanhKernel],
    ['tanh_i16_general', tanhKernel],
  ] as const)('%s', (name, k) => {
    const g = GOLDEN[name];
    expect(runGolden(k, g as { ins: Spec[]; out: Spec })).toEqual(g.out.values);
  });

  it('exports both kernels', () => {
    expect(activationKernels.map((k) => k.op)).toEqual(['tfl.logistic', 'tfl.tanh']);
  });
});
