/**
 * Tests for dialects/tfl/kernels/quantize.ts (tfl.quantize, tfl.dequantize).
 *
 * Golden vectors were recorded from TFLite ≈2.12 (tfjs-tflite's wasm build, XNNPACK bypassed);
 * the other checks are hand-derived.
 */
import { describe, expect, it } from 'vitest';
import { KernelError, allocTyped } from '../../src/interp/kernel.js';
import type { AttrValue, DType, KernelContext, KernelDef, KernelFlavour, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import { dequantizeKernel, halfToFloat, quantizeKernel, quantizeKernels } from '../../dialects/tfl/kernels/quantize.js';

import { type Spec, allValues, ctxOf, run, runGolden, tinfo, typed } from './helpers.js';

const GOLDEN = {
  quantize_f32_i8: {
    ins: [
      { dtype: 'f32', shape: [15], values: [-1000, -2.5, -0.375, -0.125, -0.0625, 0, 0.0625, 0.125, 0.1875, 0.375, 0.4000000059604645, 1.5, 3.141590118408203, 7.900000095367432, 1000000000] },
    ],
    out: { dtype: 'i8', shape: [15], scale: 0.125, zp: -1, values: [-128, -21, -4, -2, -2, -1, 0, 0, 1, 2, 2, 11, 24, 62, 127] },
  },
  quantize_f32_i16: {
    ins: [
      { dtype: 'f32', shape: [15], values: [-1000, -2.5, -0.375, -0.125, -0.0625, 0, 0.0625, 0.125, 0.1875, 0.375, 0.4000000059604645, 1.5, 3.141590118408203, 7.900000095367432, 1000000000] },
    ],
    out: { dtype: 'i16', shape: [15], scale: 0.041666666666666664, zp: 0, values: [-24000, -60, -9, -3, -1, 0, 1, 3, 4, 9, 10, 36, 75, 190, -32768] },
  },
  requant_i16_i32: {
    ins: [
      { dtype: 'i16', shape: [16], scale: 0.0004943124367855489, zp: 0, values: [-32768, -30000, -16384, -9000, -4096, -1000, -37, -1, 0, 1, 99, 2048, 5000, 12345, 25000, 32767] },
    ],
    out: { dtype: 'i32', shape: [16], scale: 1.4901161193847656e-07, zp: 0, values: [-108700454, -99518238, -54350227, -29855471, -13587557, -3317275, -122739, -3317, 0, 3317, 328410, 6793778, 16586373, 40951755, 82931865, 108697137] },
  },
  requant_i32_i16: {
    ins: [
      { dtype: 'i32', shape: [8], scale: 1.4901161193847656e-07, zp: 0, values: [-2147483648, -300000000, -6188, -6187, 0, 6187, 6188, 2147483647] },
    ],
    out: { dtype: 'i16', shape: [8], scale: 0.0009219714556820691, zp: 0, values: [-32768, -32768, -1, -1, 0, 1, 1, 32767] },
  },
  requant_i16_i8: {
    ins: [
      { dtype: 'i16', shape: [16], scale: 0.0004, zp: 0, values: [-32768, -30000, -16384, -9000, -4096, -1000, -37, -1, 0, 1, 99, 2048, 5000, 12345, 25000, 32767] },
    ],
    out: { dtype: 'i8', shape: [16], scale: 0.05, zp: 7, values: [-128, -128, -124, -65, -26, -1, 7, 7, 7, 7, 8, 23, 47, 106, 127, 127] },
  },
  dequant_i8: {
    ins: [
      { dtype: 'i8', shape: [16], scale: 0.0731, zp: 3, values: [-128, -100, -60, -20, -5, -1, 0, 1, 3, 9, 27, 64, 100, 126, 127, 42] },
    ],
    out: { dtype: 'f32', shape: [16], values: [-9.57610034942627, -7.529300212860107, -4.605299949645996, -1.6813000440597534, -0.5848000049591064, -0.2924000024795532, -0.21930000185966492, -0.1462000012397766, 0, 0.43860000371932983, 1.7544000148773193, 4.459100246429443, 7.090700149536133, 8.991299629211426, 9.064399719238281, 2.8508999347686768] },
  },
};

describe('quantize f32 -> int', () => {
  it('rounds half away from zero, adds the zero point and clamps', () => {
    const x = [0.1875, -0.1875, 0.0625, -0.0625, 100, -100, 0];
    const out = run(quantizeKernel, [{ dtype: 'f32', shape: [7], values: x }], { dtype: 'i8', shape: [7], scale: 0.125, zp: -1 });
    expect(out).toEqual([1, -3, 0, -2, 127, -128, -1]);
    const out16 = run(quantizeKernel, [{ dtype: 'f32', shape: [3], values: [0.1875, -0.1875, 5000] }], { dtype: 'i16', shape: [3], scale: 0.125, zp: 0 });
    expect(out16).toEqual([2, -2, 32767]);
    const outU8 = run(quantizeKernel, [{ dtype: 'f32', shape: [3], values: [0.1875, -0.1875, -1] }], { dtype: 'u8', shape: [3], scale: 0.125, zp: 128 });
    expect(outU8).toEqual([130, 126, 120]);
  });

  it('divides in double for TFLite and in float for TFLM', () => {
    // 0.25 / float(0.1) = 2.4999999627 in double (-> 2) but rounds to 2.5f in float (-> 3).
    const args: [Spec[], Spec] = [[{ dtype: 'f32', shape: [1], values: [0.25] }], { dtype: 'i8', shape: [1], scale: 0.1, zp: 0 }];
    expect(run(quantizeKernel, ...args)).toEqual([2]);
    expect(run(quantizeKernel, args[0], args[1], {}, 'tflm')).toEqual([3]);
  });

  it('maps NaN / inf / out-of-int32 values like x86 and wasm TFLite (INT32_MIN, then + zp wraps)', () => {
    const x = [NaN, Infinity, -Infinity, 3e9, -3e9, 2.5, -2.5];
    expect(run(quantizeKernel, [{ dtype: 'f32', shape: [7], values: x }], { dtype: 'i8', shape: [7], scale: 0.5, zp: -1 })).toEqual([127, 127, 127, 127, 127, 4, -6]);
    expect(run(quantizeKernel, [{ dtype: 'f32', shape: [7], values: x }], { dtype: 'u8', shape: [7], scale: 0.5, zp: 128 })).toEqual([0, 0, 0, 0, 0, 133, 123]);
    expect(run(quantizeKernel, [{ dtype: 'f32', shape: [7], values: x }], { dtype: 'i16', shape: [7], scale: 0.5, zp: 0 })).toEqual([-32768, -32768, -32768, -32768, -32768, 5, -5]);
    // TFLM targets (ARM) saturate instead (NaN -> 0); `+ zp` still wraps at INT32_MIN.
    expect(run(quantizeKernel, [{ dtype: 'f32', shape: [7], values: x }], { dtype: 'i8', shape: [7], scale: 0.5, zp: -1 }, {}, 'tflm')).toEqual([-1, 127, 127, 127, 127, 4, -6]);
    expect(run(quantizeKernel, [{ dtype: 'f32', shape: [7], values: x }], { dtype: 'i8', shape: [7], scale: 0.5, zp: 1 }, {}, 'tflm')).toEqual([1, -128, -128, -128, -128, 6, -4]);
  });

  it('rejects per-axis outputs and int16 outputs with a zero point', () => {
    const x: Spec = { dtype: 'f32', shape: [2], values: [1, 2] };
    expect(() => run(quantizeKernel, [x], { dtype: 'i8', shape: [2], scale: [0.1, 0.2], zp: [0, 0], axis: 0 })).toThrow(KernelError);
    expect(() => run(quantizeKernel, [x], { dtype: 'i16', shape: [2], scale: 0.1, zp: 3 })).toThrow(KernelError);
  });
});

describe('requantize', () => {
  it('is the identity for equal parameters and a 128 shift between u8 and i8', () => {
    const x = Array.from({ length: 256 }, (_, i) => i - 128);
    expect(run(quantizeKernel, [{ dtype: 'i8', shape: [256], scale: 0.3, zp: 4, values: x }], { dtype: 'i8', shape: [256], scale: 0.3, zp: 4 })).toEqual(x);
    expect(run(quantizeKernel, [{ dtype: 'i8', shape: [256], scale: 0.3, zp: 4, values: x }], { dtype: 'u8', shape: [256], scale: 0.3, zp: 132 })).toEqual(x.map((v) => v + 128));
  });

  it('int16 -> int8 and int8 -> int16 are within 1 LSB of float', () => {
    const x16 = Array.from({ length: 2000 }, (_, i) => -32768 + i * 32);
    const o8 = run(quantizeKernel, [{ dtype: 'i16', shape: [2000], scale: 0.0004, zp: 0, values: x16 }], { dtype: 'i8', shape: [2000], scale: 0.05, zp: 7 });
    o8.forEach((q, i) => expect(Math.abs(q - Math.max(-128, Math.min(127, Math.round((Math.fround(0.0004) * x16[i]!) / Math.fround(0.05)) + 7)))).toBeLessThanOrEqual(1));
    const x8 = Array.from({ length: 256 }, (_, i) => i - 128);
    const o16 = run(quantizeKernel, [{ dtype: 'i8', shape: [256], scale: 0.05, zp: 7, values: x8 }], { dtype: 'i16', shape: [256], scale: 0.0004, zp: 0 });
    o16.forEach((q, i) => expect(Math.abs(q - Math.round((Math.fround(0.05) * (x8[i]! - 7)) / Math.fround(0.0004)))).toBeLessThanOrEqual(1));
  });

  it('int32 <-> int16 (seanet-style scales) is within 1 LSB of float', () => {
    const x = [-300000000, -6188, -6187, -1, 0, 1, 6187, 6188, 300000000];
    const out = run(quantizeKernel, [{ dtype: 'i32', shape: [9], scale: 1.4901161193847656e-7, zp: 0, values: x }], { dtype: 'i16', shape: [9], scale: 0.0009219714556820691, zp: 0 });
    out.forEach((q, i) => expect(Math.abs(q - Math.max(-32768, Math.min(32767, Math.round((x[i]! * 1.4901161193847656e-7) / Math.fround(0.0009219714556820691)))))).toBeLessThanOrEqual(1));
  });
});

describe('dequantize', () => {
  it('per-tensor: scale * (q - zp) rounded to float', () => {
    const x = [-128, -1, 0, 3, 127];
    const out = run(dequantizeKernel, [{ dtype: 'i8', shape: [5], scale: 0.1, zp: 3, values: x }], { dtype: 'f32', shape: [5] });
    expect(out).toEqual(x.map((v) => Math.fround(Math.fround(0.1) * (v - 3))));
  });

  it('per-axis along the first and last dimension', () => {
    const x = Array.from({ length: 12 }, (_, i) => i - 6);
    const scales = [0.5, 0.25, 2];
    const a0 = run(dequantizeKernel, [{ dtype: 'i8', shape: [3, 4], scale: scales, zp: [0, 1, -1], axis: 0, values: x }], { dtype: 'f32', shape: [3, 4] });
    expect(a0).toEqual(x.map((v, i) => scales[Math.floor(i / 4)]! * (v - [0, 1, -1][Math.floor(i / 4)]!)));
    const a1 = run(dequantizeKernel, [{ dtype: 'i8', shape: [4, 3], scale: scales, zp: [0, 0, 0], axis: 1, values: x }], { dtype: 'f32', shape: [4, 3] });
    expect(a1).toEqual(x.map((v, i) => scales[i % 3]! * v));
  });

  it('float16 -> float32 is exact', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x8000)).toBe(-0);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    const out = run(dequantizeKernel, [{ dtype: 'f16', shape: [3], values: [0x3555, 0x0400, 0xbc00] }], { dtype: 'f32', shape: [3] });
    expect(out).toEqual([Math.fround(0.333251953125), 2 ** -14, -1]);
  });
});

describe('TFLite golden vectors', () => {
  it.each([
    ['quantize_f32_i8', quantizeKernel],
    ['quantize_f32_i16', quantizeKernel],
    ['requant_i16_i32', quantizeKernel],
    ['requant_i32_i16', quantizeKernel],
    ['requant_i16_i8', quantizeKernel],
    ['dequant_i8', dequantizeKernel],
  ] as const)('%s', (name, k) => {
    const g = GOLDEN[name];
    expect(runGolden(k, g as { ins: Spec[]; out: Spec })).toEqual(g.out.values);
  });

  it('exports both kernels', () => {
    expect(quantizeKernels.map((k) => k.op)).toEqual(['tfl.quantize', 'tfl.dequantize']);
  });
});
