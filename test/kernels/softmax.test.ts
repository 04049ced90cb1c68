/**
 * Tests for dialects/tfl/kernels/softmax.ts (tfl.softmax, tfl.log_softmax).
 *
 * Golden vectors were recorded from TFLite ≈2.12 (tfjs-tflite's wasm build, XNNPACK bypassed);
 * the other checks compare with float softmax computed here in double precision.
 */
import { describe, expect, it } from 'vitest';
import { KernelError, allocTyped } from '../../src/interp/kernel.js';
import type { AttrValue, DType, KernelContext, KernelDef, KernelFlavour, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import { logSoftmaxKernel, lutLookup16, populateLut16, softmaxKernel, softmaxKernels } from '../../dialects/tfl/kernels/softmax.js';

import { type Spec, allValues, ctxOf, run, runGolden, tinfo, typed } from './helpers.js';

const GOLDEN = {
  softmax_i8: {
    ins: [
      { dtype: 'i8', shape: [2, 8], scale: 0.1, zp: 10, values: [-128, -20, 0, 5, 7, 30, 31, 90, 1, 2, 3, 4, 5, 6, 7, 8] },
    ],
    out: { dtype: 'i8', shape: [2, 8], scale: 0.00390625, zp: -128, values: [-128, -128, -128, -128, -128, -127, -127, 127, -106, -104, -101, -98, -95, -92, -88, -84] },
  },
  softmax_i8_beta: {
    ins: [
      { dtype: 'i8', shape: [8], scale: 0.05, zp: 0, values: [-100, -20, 0, 5, 7, 30, 31, 90] },
    ],
    out: { dtype: 'i16', shape: [8], scale: 1.52587890625e-05, zp: -32768, values: [-32708, -31786, -30791, -30413, -30242, -27118, -26917, 13368] },
  },
  softmax_i16: {
    ins: [
      { dtype: 'i16', shape: [2, 8], scale: 0.0004, zp: 0, values: [-30000, -2000, 0, 500, 700, 3000, 3100, 9000, 1, 2, 3, 4, 5, 6, 7, 8] },
    ],
    out: { dtype: 'i16', shape: [2, 8], scale: 3.0517578125e-05, zp: 0, values: [2, 311, 692, 845, 915, 2297, 2391, 25316, 4091, 4092, 4094, 4096, 4097, 4099, 4100, 4102] },
  },
  log_softmax_i8: {
    ins: [
      { dtype: 'i8', shape: [8], scale: 0.1, zp: 0, values: [-100, -20, 0, 5, 7, 30, 31, 90] },
    ],
    out: { dtype: 'i8', shape: [8], scale: 0.0625, zp: 127, values: [-128, -49, -17, -9, -6, 31, 33, 127] },
  },
};

let seed = 11;
function randInt(lo: number, hi: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return lo + Math.floor((seed / 0x80000000) * (hi - lo + 1));
}

/** Double-precision softmax over rows of `depth`. */
function softmaxRef(x: number[], depth: number, beta = 1): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length; r += depth) {
    const row = x.slice(r, r + depth);
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp((v - m) * beta));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((v) => v / s));
  }
  return out;
}

describe('float32', () => {
  it('softmax matches double precision to ~1e-6 and honours beta', () => {
    const x = Array.from({ length: 40 }, () => randInt(-500, 500) / 50);
    for (const beta of [1, 0.5, 2.5]) {
      const out = run(softmaxKernel, [{ dtype: 'f32', shape: [4, 10], values: x }], { dtype: 'f32', shape: [4, 10] }, { beta });
      const ref = softmaxRef(x, 10, Math.fround(beta));
      out.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-6));
    }
  });

  it('log_softmax matches double precision', () => {
    const x = Array.from({ length: 30 }, () => randInt(-500, 500) / 50);
    const out = run(logSoftmaxKernel, [{ dtype: 'f32', shape: [3, 10], values: x }], { dtype: 'f32', shape: [3, 10] });
    const ref = softmaxRef(x, 10).map(Math.log);
    out.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(2e-6));
  });
});

describe('8-bit (TFLite float-table kernel)', () => {
  const x = Array.from({ length: 64 }, () => randInt(-128, 127));
  const si = 0.08;
  const zi = 5;
  const real = x.map((v) => Math.fround(si) * (v - zi));

  it('int8 -> int8 (zp -128, scale 1/256) is within 1 LSB of float', () => {
    const out = run(softmaxKernel, [{ dtype: 'i8', shape: [4, 16], scale: si, zp: zi, values: x }], { dtype: 'i8', shape: [4, 16], scale: 1 / 256, zp: -128 });
    const ref = softmaxRef(real, 16).map((p) => Math.min(127, Math.round(p * 256) - 128));
    out.forEach((q, i) => expect(Math.abs(q - ref[i]!)).toBeLessThanOrEqual(1));
  });

  it('int8 -> int16 and uint8 -> uint8 are within 1 LSB of float', () => {
    const o16 = run(softmaxKernel, [{ dtype: 'i8', shape: [4, 16], scale: si, zp: zi, values: x }], { dtype: 'i16', shape: [4, 16], scale: 1 / 65536, zp: -32768 }, { beta: 0.7 });
    const ref16 = softmaxRef(real, 16, Math.fround(0.7)).map((p) => Math.min(32767, Math.round(p * 65536) - 32768));
    o16.forEach((q, i) => expect(Math.abs(q - ref16[i]!)).toBeLessThanOrEqual(1));
    const xu = x.map((v) => v + 128);
    const ou8 = run(softmaxKernel, [{ dtype: 'u8', shape: [4, 16], scale: si, zp: zi + 128, values: xu }], { dtype: 'u8', shape: [4, 16], scale: 1 / 256, zp: 0 });
    const refu = softmaxRef(real, 16).map((p) => Math.min(255, Math.round(p * 256)));
    ou8.forEach((q, i) => expect(Math.abs(q - refu[i]!)).toBeLessThanOrEqual(1));
  });

  it('rejects int8 -> int8 output parameters other than zp -128 / scale 1/256', () => {
    const i: Spec = { dtype: 'i8', shape: [4], scale: 0.1, zp: 0, values: [1, 2, 3, 4] };
    expect(() => run(softmaxKernel, [i], { dtype: 'i8', shape: [4], scale: 1 / 256, zp: 0 })).toThrow(KernelError);
    expect(() => run(softmaxKernel, [i], { dtype: 'i8', shape: [4], scale: 1 / 128, zp: -128 })).toThrow(KernelError);
  });

  it('log_softmax int8 (scale 16/256, zp 127) is within 1 LSB of float', () => {
    const out = run(logSoftmaxKernel, [{ dtype: 'i8', shape: [4, 16], scale: si, zp: zi, values: x }], { dtype: 'i8', shape: [4, 16], scale: 16 / 256, zp: 127 });
    const ref = softmaxRef(real, 16).map((p) => Math.max(-128, Math.min(127, Math.round(Math.log(p) / (16 / 256)) + 127)));
    out.forEach((q, i) => expect(Math.abs(q - ref[i]!)).toBeLessThanOrEqual(1));
    expect(() => run(logSoftmaxKernel, [{ dtype: 'i8', shape: [4], scale: 0.1, zp: 0, values: [1, 2, 3, 4] }], { dtype: 'i8', shape: [4], scale: 16 / 256, zp: 127 }, {}, 'tflm')).toThrow(KernelError);
  });
});

describe('TFLM int8 (gemmlowp reference)', () => {
  it('is within 1 LSB of float and needs the TFLM output parameters', () => {
    const x = Array.from({ length: 64 }, () => randInt(-128, 127));
    const real = x.map((v) => Math.fround(0.08) * (v - 5));
    const out = run(softmaxKernel, [{ dtype: 'i8', shape: [4, 16], scale: 0.08, zp: 5, values: x }], { dtype: 'i8', shape: [4, 16], scale: 1 / 256, zp: -128 }, {}, 'tflm');
    const ref = softmaxRef(real, 16).map((p) => Math.min(127, Math.round(p * 256) - 128));
    out.forEach((q, i) => expect(Math.abs(q - ref[i]!)).toBeLessThanOrEqual(1));
    const o16 = run(softmaxKernel, [{ dtype: 'i8', shape: [4, 16], scale: 0.08, zp: 5, values: x }], { dtype: 'i16', shape: [4, 16], scale: 1 / 65536, zp: -32768 }, {}, 'tflm');
    const ref16 = softmaxRef(real, 16).map((p) => Math.min(32767, Math.round(p * 65536) - 32768));
    o16.forEach((q, i) => expect(Math.abs(q - ref16[i]!)).toBeLessThanOrEqual(2));
    expect(() =>
      run(softmaxKernel, [{ dtype: 'i8', shape: [4], scale: 0.1, zp: 0, values: [1, 2, 3, 4] }], { dtype: 'i16', shape: [4], scale: 1 / 32768, zp: 0 }, {}, 'tflm'),
    ).toThrow(KernelError);
  });
});

describe('int16', () => {
  it('builds the exp / reciprocal LUTs like TFLite (endpoints, monotonic) and interpolates', () => {
    const exp = populateLut16(10 / 65535, 32767, 2 / 65535, 0, Math.exp, true);
    expect(exp[512]).toBe(32767); // exp(0) * 32768 saturates
    expect(Math.abs((exp[0] as number) - Math.exp(-10) * 32768)).toBeLessThanOrEqual(1);
    for (let i = 1; i <= 512; i++) expect(exp[i]!).toBeGreaterThanOrEqual(exp[i - 1]!);
    // LUTLookup at a sample point returns the table entry; between points it interpolates.
    expect(lutLookup16(-32768, exp)).toBe(exp[0]);
    expect(lutLookup16(-32768 + 64, exp)).toBe((exp[0] as number) + (((exp[1] as number) - (exp[0] as number)) * 64 + 64 >> 7));
  });

  it('softmax int16 is within 1e-3 (32 LSB) of float (the 513-entry LUTs limit precision)', () => {
    const x = Array.from({ length: 48 }, () => randInt(-20000, 20000));
    const si = 0.0004;
    const out = run(softmaxKernel, [{ dtype: 'i16', shape: [3, 16], scale: si, zp: 0, values: x }], { dtype: 'i16', shape: [3, 16], scale: 1 / 32768, zp: 0 });
    const ref = softmaxRef(x.map((v) => Math.fround(si) * v), 16).map((p) => Math.min(32767, Math.round(p * 32768)));
    out.forEach((q, i) => expect(Math.abs(q - ref[i]!)).toBeLessThanOrEqual(32));
  });

  it('rejects rank > 4 in the TFLite flavour and non-zero zero points', () => {
    const x: Spec = { dtype: 'i16', shape: [1, 1, 1, 1, 4], scale: 0.001, zp: 0, values: [1, 2, 3, 4] };
    const o: Spec = { dtype: 'i16', shape: [1, 1, 1, 1, 4], scale: 1 / 32768, zp: 0 };
    expect(() => run(softmaxKernel, [x], o)).toThrow(KernelError);
    expect(run(softmaxKernel, [x], o, {}, 'tflm')).toHaveLength(4);
    expect(() => run(softmaxKernel, [{ ...x, shape: [4], zp: 1 }], { ...o, shape: [4] })).toThrow(KernelError);
  });
});

describe('TFLite golden vectors', () => {
  it.each([
    ['softmax_i8', softmaxKernel, { beta: 1 }],
    ['softmax_i8_beta', softmaxKernel, { beta: 0.7 }],
    ['softmax_i16', softmaxKernel, { beta: 1 }],
    ['log_softmax_i8', logSoftmaxKernel, {}],
  ] as const)('%s', (name, k, attrs) => {
    const g = GOLDEN[name];
    expect(runGolden(k, g as { ins: Spec[]; out: Spec }, attrs)).toEqual(g.out.values);
  });

  it('exports both kernels', () => {
    expect(softmaxKernels.map((k) => k.op)).toEqual(['tfl.softmax', 'tfl.log_softmax']);
  });
});
