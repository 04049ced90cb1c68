/**
 * Tests for dialects/tfl/kernels/elementwise.ts and broadcast.ts.
 *
 * Golden vectors below were recorded from TFLite ≈2.12 (tfjs-tflite's wasm build, with the
 * XNNPACK delegate bypassed so the builtin kernels ran); everything else is derived
 * independently (float reference math, hand-computed fixed-point steps).
 */
import { describe, expect, it } from 'vitest';
import { KernelError, allocTyped } from '../../src/interp/kernel.js';
import type { AttrValue, DType, KernelContext, KernelDef, KernelFlavour, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import { rdbpot } from '../../src/interp/fixedpoint.js';
import { FLT_MAX, broadcastShape, planBroadcast, runBroadcast } from '../../dialects/tfl/kernels/broadcast.js';
import {
  addKernel,
  divKernel,
  elementwiseKernels,
  maximumKernel,
  minimumKernel,
  mulKernel,
  squaredDifferenceKernel,
  subKernel,
} from '../../dialects/tfl/kernels/elementwise.js';

import { type Spec, allValues, ctxOf, run, runGolden, tinfo, typed } from './helpers.js';

let seed = 7;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
}
function randInt(lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

const GOLDEN = {
  add_i8_bcast_relu6: {
    ins: [
      { dtype: 'i8', shape: [2, 1, 3], scale: 0.0731, zp: 3, values: [-128, -5, 0, 17, 90, 127] },
      { dtype: 'i8', shape: [1, 4, 1], scale: 0.0123, zp: -7, values: [-128, 0, 55, 127] },
    ],
    out: { dtype: 'i8', shape: [2, 4, 3], scale: 0.05, zp: -20, values: [-20, -20, -20, -20, -20, -20, -20, -16, -9, -20, 1, 9, -20, 77, 100, 2, 100, 100, 16, 100, 100, 33, 100, 100] },
  },
  add_i16_general: {
    ins: [
      { dtype: 'i16', shape: [8], scale: 0.0005852500908076763, zp: 0, values: [-32768, -20000, -1, 0, 1, 12345, 30000, 32767] },
      { dtype: 'i16', shape: [8], scale: 0.0008069296018220484, zp: 0, values: [32767, -32768, 7, 0, -3, 999, 30000, -12000] },
    ],
    out: { dtype: 'i16', shape: [8], scale: 0.0010244421428069472, zp: 0, values: [7090, -32768, 5, 0, -2, 7839, 32767, 9267] },
  },
  sub_i16_pot: {
    ins: [
      { dtype: 'i16', shape: [8], scale: 0.000244140625, zp: 0, values: [-32768, -20000, -1, 0, 1, 12345, 30000, 32767] },
      { dtype: 'i16', shape: [8], scale: 6.103515625e-05, zp: 0, values: [32767, -32768, 7, 6, -3, 999, -30000, -12000] },
    ],
    out: { dtype: 'i16', shape: [8], scale: 0.000244140625, zp: 0, values: [-32768, -11808, -3, -2, 2, 12095, 32767, 32767] },
  },
  mul_i8: {
    ins: [
      { dtype: 'i8', shape: [8], scale: 0.02, zp: 5, values: [-128, -50, -1, 0, 5, 33, 100, 127] },
      { dtype: 'i8', shape: [8], scale: 0.031, zp: -3, values: [127, -128, 7, 0, -3, 99, -60, 20] },
    ],
    out: { dtype: 'i8', shape: [8], scale: 0.009, zp: -100, values: [-100, 127, -100, -100, -100, 97, -100, 93] },
  },
  mul_i16: {
    ins: [
      { dtype: 'i16', shape: [8], scale: 0.0003, zp: 0, values: [-32768, -20000, -1, 0, 1, 12345, 30000, 32767] },
      { dtype: 'i16', shape: [8], scale: 0.0007, zp: 0, values: [32767, -32768, 7, 6, -3, 999, -30000, -12000] },
    ],
    out: { dtype: 'i16', shape: [8], scale: 0.002, zp: 0, values: [-32768, 32767, 0, 0, 0, 1295, -32768, -32768] },
  },
  sqdiff_i8: {
    ins: [
      { dtype: 'i8', shape: [8], scale: 0.05, zp: 2, values: [-128, -50, -1, 0, 5, 33, 100, 127] },
      { dtype: 'i8', shape: [8], scale: 0.04, zp: -1, values: [127, -128, 7, 0, -3, 99, -60, 20] },
    ],
    out: { dtype: 'i8', shape: [8], scale: 0.3, zp: -128, values: [127, -107, -127, -128, -128, -108, 48, -30] },
  },
};

describe('broadcast plan', () => {
  it('computes TFLite broadcast shapes and rejects incompatible ones', () => {
    expect(broadcastShape([2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShape([], [5])).toEqual([5]);
    expect(broadcastShape([1], [0])).toEqual([0]);
    expect(() => broadcastShape([2, 3], [3, 2])).toThrow(KernelError);
  });

  it('visits every output element with the right operand indices (ranks 0..6)', () => {
    for (let trial = 0; trial < 300; trial++) {
      const rank = randInt(0, 6);
      const out = Array.from({ length: rank }, () => randInt(1, 4));
      const mk = (): number[] => {
        const r = randInt(0, rank);
        return out.slice(rank - r).map((d) => (rnd() < 0.4 ? 1 : d));
      };
      const a = mk();
      const b = mk();
      const plan = planBroadcast(a, b);
      const outShape = broadcastShape(a, b);
      const n = outShape.reduce((x, y) => x * y, 1);
      const seenA = new Int32Array(n).fill(-1);
      const seenB = new Int32Array(n).fill(-1);
      runBroadcast(plan, (ai, as, bi, bs, oi, cnt) => {
        for (let k = 0; k < cnt; k++) {
          seenA[oi + k] = ai + k * as;
          seenB[oi + k] = bi + k * bs;
        }
      });
      // Naive: unravel each output index, map to operand indices.
      for (let i = 0; i < n; i++) {
        const idx: number[] = [];
        let rem = i;
        for (let d = outShape.length - 1; d >= 0; d--) {
          idx[d] = rem % (outShape[d] as number);
          rem = Math.floor(rem / (outShape[d] as number));
        }
        const flat = (s: number[]): number => {
          let f = 0;
          for (let d = 0; d < s.length; d++) {
            const od = outShape.length - s.length + d;
            f = f * (s[d] as number) + ((s[d] as number) === 1 ? 0 : (idx[od] as number));
          }
          return f;
        };
        expect(seenA[i]).toBe(flat(a));
        expect(seenB[i]).toBe(flat(b));
      }
    }
  });
});

describe('float32', () => {
  it('rounds every operation to float32', () => {
    const a = [0.1, 1e-8, 3, -7.25];
    const b = [0.2, 1, 7, 0.5];
    const f = Math.fround;
    const spec = (v: number[]): Spec => ({ dtype: 'f32', shape: [4], values: v });
    const o: Spec = { dtype: 'f32', shape: [4] };
    expect(run(addKernel, [spec(a), spec(b)], o)).toEqual(a.map((x, i) => f(f(x) + f(b[i]!))));
    expect(run(subKernel, [spec(a), spec(b)], o)).toEqual(a.map((x, i) => f(f(x) - f(b[i]!))));
    expect(run(mulKernel, [spec(a), spec(b)], o)).toEqual(a.map((x, i) => f(f(x) * f(b[i]!))));
    expect(run(divKernel, [spec(a), spec(b)], o)).toEqual(a.map((x, i) => f(f(x) / f(b[i]!))));
    expect(run(squaredDifferenceKernel, [spec(a), spec(b)], o)).toEqual(a.map((x, i) => f(f(f(x) - f(b[i]!)) ** 2)));
  });

  it('applies fused activations, clamping overflow to FLT_MAX like the builtin kernels', () => {
    const s = (v: number[]): Spec => ({ dtype: 'f32', shape: [5], values: v });
    const o: Spec = { dtype: 'f32', shape: [5] };
    const a = [3e38, -3e38, -2, 0.5, 4];
    const b = [3e38, -3e38, 1, 0.25, 4];
    expect(run(addKernel, [s(a), s(b)], o)).toEqual([FLT_MAX, -FLT_MAX, -1, 0.75, 8]);
    expect(run(addKernel, [s(a), s(b)], o, { fused_activation_function: 'RELU' })).toEqual([FLT_MAX, 0, 0, 0.75, 8]);
    expect(run(addKernel, [s(a), s(b)], o, { fused_activation_function: 'RELU6' })).toEqual([6, 0, 0, 0.75, 6]);
    expect(run(addKernel, [s(a), s(b)], o, { fused_activation_function: 'RELU_N1_TO_1' })).toEqual([1, -1, -1, 0.75, 1]);
    expect(run(mulKernel, [s(a), s(b)], o, { fused_activation_function: 'RELU_0_TO_1' })).toEqual([1, 1, 0, Math.fround(0.125), 1]);
  });

  it('maximum/minimum follow `a > b ? a : b` (NaN in a yields b)', () => {
    const s = (v: number[]): Spec => ({ dtype: 'f32', shape: [3], values: v });
    const o: Spec = { dtype: 'f32', shape: [3] };
    const mx = run(maximumKernel, [s([NaN, 1, 2]), s([1, NaN, 3])], o);
    expect(mx[0]).toBe(1);
    expect(mx[1]).toBeNaN();
    expect(mx[2]).toBe(3);
    expect(run(minimumKernel, [s([NaN, 1, 2]), s([1, 0, 3])], o)).toEqual([1, 0, 2]);
  });

  it('broadcasts', () => {
    const out = run(
      addKernel,
      [
        { dtype: 'f32', shape: [2, 1, 3], values: [1, 2, 3, 4, 5, 6] },
        { dtype: 'f32', shape: [2, 1], values: [10, 20] },
      ],
      { dtype: 'f32', shape: [2, 2, 3] },
    );
    expect(out).toEqual([11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26]);
  });
});

describe('int32 / int64 (non-quantized)', () => {
  const s = (v: number[], dtype: DType = 'i32'): Spec => ({ dtype, shape: [v.length], values: v });
  it('wraps like C++ int32 and clamps fused activations', () => {
    const o: Spec = { dtype: 'i32', shape: [3] };
    expect(run(addKernel, [s([2147483647, -5, 7]), s([1, 3, -9])], o)).toEqual([-2147483648, -2, -2]);
    expect(run(addKernel, [s([2147483647, -5, 7]), s([1, 3, -9])], o, { fused_activation_function: 'RELU' })).toEqual([0, 0, 0]);
    expect(run(subKernel, [s([-2147483648, 5, 7]), s([1, 3, 9])], o)).toEqual([2147483647, 2, -2]);
    expect(run(mulKernel, [s([65536, -3, 7]), s([65536, 3, 9])], o, { fused_activation_function: 'RELU6' })).toEqual([0, 0, 6]);
    expect(run(maximumKernel, [s([1, -3, 7]), s([2, -4, 7])], o)).toEqual([2, -3, 7]);
    expect(run(squaredDifferenceKernel, [s([1, -3, 70000]), s([4, 3, 0])], o)).toEqual([9, 36, Math.imul(70000, 70000)]);
  });

  it('divides with C++ truncation and rejects division by zero', () => {
    const o: Spec = { dtype: 'i32', shape: [4] };
    expect(run(divKernel, [s([-7, 7, -7, 9]), s([2, -2, -2, 3])], o)).toEqual([-3, -3, 3, 3]);
    expect(() => run(divKernel, [s([1, 1, 1, 1]), s([1, 0, 1, 1])], o)).toThrow(KernelError);
  });

  it('handles int64 with BigInt', () => {
    const o: Spec = { dtype: 'i64', shape: [2] };
    expect(run(addKernel, [s([5, -9], 'i64'), s([7, 2], 'i64')], o)).toEqual([12, -7]);
    expect(run(mulKernel, [s([5, -9], 'i64'), s([7, 2], 'i64')], o, { fused_activation_function: 'RELU' })).toEqual([35, 0]);
  });
});

describe('quantized add / sub', () => {
  it('is exact when all scales are equal (general 8-bit path, left shift 20)', () => {
    const a = allValues('i8');
    const b = a.map(() => randInt(-128, 127));
    for (const [k, f] of [
      [addKernel, (x: number, y: number) => x + y],
      [subKernel, (x: number, y: number) => x - y],
    ] as const) {
      const out = run(
        k,
        [
          { dtype: 'i8', shape: [256], scale: 0.5, zp: 0, values: a },
          { dtype: 'i8', shape: [256], scale: 0.5, zp: 0, values: b },
        ],
        { dtype: 'i8', shape: [256], scale: 0.5, zp: 0 },
      );
      expect(out).toEqual(a.map((x, i) => Math.max(-128, Math.min(127, f(x, b[i]!)))));
    }
  });

  it('rounds an exact half away from zero in the output rescale', () => {
    // s_in = 1, s_out = 2: (1 + 0) / 2 = 0.5 -> 1, (-1 + 0) / 2 = -0.5 -> -1, 3/2 -> 2.
    const out = run(
      addKernel,
      [
        { dtype: 'i8', shape: [4], scale: 1, zp: 0, values: [1, -1, 3, -3] },
        { dtype: 'i8', shape: [4], scale: 1, zp: 0, values: [0, 0, 0, 0] },
      ],
      { dtype: 'i8', shape: [4], scale: 2, zp: 0 },
    );
    expect(out).toEqual([1, -1, 2, -2]);
  });

  it('stays within 1 LSB of the float reference for arbitrary scales and zero points (u8, i8, i16)', () => {
    for (const dtype of ['i8', 'u8', 'i16'] as const) {
      for (let trial = 0; trial < 20; trial++) {
        const [lo, hi] = dtype === 'i8' ? [-128, 127] : dtype === 'u8' ? [0, 255] : [-32768, 32767];
        const zp = (): number => (dtype === 'i16' ? 0 : randInt(lo, hi));
        const s1 = Math.fround(Math.exp(-6 + 5 * rnd()));
        const s2 = Math.fround(Math.exp(-6 + 5 * rnd()));
        const so = Math.fround(Math.max(s1, s2) * (0.6 + rnd()));
        const [z1, z2, zo] = [zp(), zp(), zp()];
        const a = Array.from({ length: 200 }, () => randInt(lo, hi));
        const b = Array.from({ length: 200 }, () => randInt(lo, hi));
        for (const [k, sign] of [
          [addKernel, 1],
          [subKernel, -1],
        ] as const) {
          const out = run(
            k,
            [
              { dtype, shape: [200], scale: s1, zp: z1, values: a },
              { dtype, shape: [200], scale: s2, zp: z2, values: b },
            ],
            { dtype, shape: [200], scale: so, zp: zo },
            { pot_scale_int16: false },
          );
          out.forEach((q, i) => {
            const real = s1 * (a[i]! - z1) + sign * s2 * (b[i]! - z2);
            const ref = Math.max(lo, Math.min(hi, Math.round(real / so) + zo));
            expect(Math.abs(q - ref)).toBeLessThanOrEqual(1);
          });
        }
      }
    }
  });

  it('int16 POT path: rounding-shift the finer input, saturating add', () => {
    const a = [-32768, -100, -1, 0, 1, 100, 32767, 20000];
    const b = [-32768, -5, -6, 2, 3, 6, 32767, 30000];
    const ins = (pot?: boolean): Spec[] => [
      { dtype: 'i16', shape: [8], scale: 2 ** -10, zp: 0, values: a },
      { dtype: 'i16', shape: [8], scale: 2 ** -12, zp: 0, values: b },
    ];
    const o: Spec = { dtype: 'i16', shape: [8], scale: 2 ** -10, zp: 0 };
    const expected = a.map((x, i) => Math.max(-32768, Math.min(32767, x + rdbpot(b[i]!, 2))));
    expect(run(addKernel, ins(), o)).toEqual(expected); // pot_scale_int16 defaults to true
    expect(run(addKernel, ins(), o, { pot_scale_int16: true })).toEqual(expected);
    const expectedSub = a.map((x, i) => Math.max(-32768, Math.min(32767, x - rdbpot(b[i]!, 2))));
    expect(run(subKernel, ins(), o)).toEqual(expectedSub);
    // RELU on the POT path clamps to [0, qmax].
    expect(run(addKernel, ins(), o, { fused_activation_function: 'RELU' })).toEqual(expected.map((v) => Math.max(0, v)));
  });

  it('int16: pot_scale_int16=false and the TFLM flavour use the general path', () => {
    const a = Array.from({ length: 500 }, () => randInt(-32768, 32767));
    const b = Array.from({ length: 500 }, () => randInt(-32768, 32767));
    const ins: Spec[] = [
      { dtype: 'i16', shape: [500], scale: 2 ** -11, zp: 0, values: a },
      { dtype: 'i16', shape: [500], scale: 2 ** -13, zp: 0, values: b },
    ];
    const o: Spec = { dtype: 'i16', shape: [500], scale: 2 ** -11, zp: 0 };
    const pot = run(addKernel, ins, o, { pot_scale_int16: true });
    const general = run(addKernel, ins, o, { pot_scale_int16: false });
    const tflm = run(addKernel, ins, o, { pot_scale_int16: true }, 'tflm');
    expect(tflm).toEqual(general);
    expect(pot).not.toEqual(general); // the two paths round differently
    pot.forEach((v, i) => expect(Math.abs(v - general[i]!)).toBeLessThanOrEqual(1));
  });

  it('rejects a broadcasting POT int16 add (TFLite aborts) but broadcasts POT sub', () => {
    const ins: Spec[] = [
      { dtype: 'i16', shape: [2, 2], scale: 2 ** -10, zp: 0, values: [1, 2, 3, 4] },
      { dtype: 'i16', shape: [2], scale: 2 ** -10, zp: 0, values: [10, 20] },
    ];
    const o: Spec = { dtype: 'i16', shape: [2, 2], scale: 2 ** -10, zp: 0 };
    expect(() => run(addKernel, ins, o)).toThrow(KernelError);
    expect(run(subKernel, ins, o)).toEqual([-9, -18, -7, -16]);
    expect(run(addKernel, ins, o, { pot_scale_int16: false })).toEqual([11, 22, 13, 24]);
  });

  it('rejects an output multiplier >= 1 (TFLite CHECK-fails)', () => {
    const ins: Spec[] = [
      { dtype: 'i8', shape: [1], scale: 1, zp: 0, values: [1] },
      { dtype: 'i8', shape: [1], scale: 1, zp: 0, values: [1] },
    ];
    expect(() => run(addKernel, ins, { dtype: 'i8', shape: [1], scale: 1e-7, zp: 0 })).toThrow(KernelError);
  });
});

describe('quantized mul / squared_difference / maximum / minimum', () => {
  it('mul stays within 1 LSB of the float reference', () => {
    for (const dtype of ['i8', 'u8', 'i16'] as const) {
      const [lo, hi] = dtype === 'i8' ? [-128, 127] : dtype === 'u8' ? [0, 255] : [-32768, 32767];
      for (let trial = 0; trial < 10; trial++) {
        const zp = (): number => (dtype === 'i16' ? 0 : randInt(lo, hi));
        const [s1, s2] = [Math.fround(0.001 + rnd() * 0.05), Math.fround(0.001 + rnd() * 0.05)];
        const so = Math.fround(s1 * s2 * (dtype === 'i16' ? 20000 : 100) * (0.5 + rnd()));
        const [z1, z2, zo] = [zp(), zp(), zp()];
        const a = Array.from({ length: 100 }, () => randInt(lo, hi));
        const b = Array.from({ length: 100 }, () => randInt(lo, hi));
        const out = run(
          mulKernel,
          [
            { dtype, shape: [100], scale: s1, zp: z1, values: a },
            { dtype, shape: [100], scale: s2, zp: z2, values: b },
          ],
          { dtype, shape: [100], scale: so, zp: zo },
        );
        out.forEach((q, i) => {
          const ref = Math.max(lo, Math.min(hi, Math.round((s1 * (a[i]! - z1) * s2 * (b[i]! - z2)) / so) + zo));
          expect(Math.abs(q - ref)).toBeLessThanOrEqual(1);
        });
      }
    }
  });

  it('squared_difference int8 stays within 1 LSB of the float reference', () => {
    const a = allValues('i8');
    const b = a.map(() => randInt(-128, 127));
    const [s1, s2, so] = [0.05, 0.04, 0.5];
    const out = run(
      squaredDifferenceKernel,
      [
        { dtype: 'i8', shape: [256], scale: s1, zp: 3, values: a },
        { dtype: 'i8', shape: [256], scale: s2, zp: -2, values: b },
      ],
      { dtype: 'i8', shape: [256], scale: so, zp: -128 },
    );
    out.forEach((q, i) => {
      const d = Math.fround(s1) * (a[i]! - 3) - Math.fround(s2) * (b[i]! + 2);
      const ref = Math.max(-128, Math.min(127, Math.round((d * d) / Math.fround(so)) - 128));
      expect(Math.abs(q - ref)).toBeLessThanOrEqual(1);
    });
  });

  it('maximum/minimum compare raw quantized values', () => {
    const ins: Spec[] = [
      { dtype: 'i16', shape: [3], scale: 0.1, zp: 0, values: [-5, 7, 300] },
      { dtype: 'i16', shape: [1], scale: 0.1, zp: 0, values: [6] },
    ];
    const o: Spec = { dtype: 'i16', shape: [3], scale: 0.1, zp: 0 };
    expect(run(maximumKernel, ins, o)).toEqual([6, 7, 300]);
    expect(run(minimumKernel, ins, o)).toEqual([-5, 6, 6]);
  });
});

describe('TFLite golden vectors', () => {
  it.each([
    ['add_i8_bcast_relu6', addKernel, { fused_activation_function: 'RELU6' }],
    ['add_i16_general', addKernel, { pot_scale_int16: false }],
    ['sub_i16_pot', subKernel, { pot_scale_int16: true }],
    ['mul_i8', mulKernel, { fused_activation_function: 'RELU' }],
    ['mul_i16', mulKernel, {}],
    ['sqdiff_i8', squaredDifferenceKernel, {}],
  ] as const)('%s', (name, k, attrs) => {
    const g = GOLDEN[name];
    expect(runGolden(k, g as { ins: Spec[]; out: Spec }, attrs)).toEqual(g.out.values);
  });
});

describe('validation', () => {
  it('rejects mixed operand types, bad shapes, quantized div and unsupported fused activations', () => {
    const f: Spec = { dtype: 'f32', shape: [2], values: [1, 2] };
    const q: Spec = { dtype: 'i8', shape: [2], scale: 0.1, zp: 0, values: [1, 2] };
    expect(() => run(addKernel, [f, q], { dtype: 'f32', shape: [2] })).toThrow(KernelError);
    expect(() => run(addKernel, [f, f], { dtype: 'f32', shape: [3] })).toThrow(KernelError);
    expect(() => run(addKernel, [f, { dtype: 'f32', shape: [3], values: [1, 2, 3] }], { dtype: 'f32', shape: [3] })).toThrow(KernelError);
    expect(() => run(divKernel, [q, q], { dtype: 'i8', shape: [2], scale: 0.1, zp: 0 })).toThrow(KernelError);
    expect(() => run(addKernel, [f, f], { dtype: 'f32', shape: [2] }, { fused_activation_function: 'TANH' })).toThrow(KernelError);
    expect(() =>
      run(addKernel, [{ ...q, scale: [0.1, 0.2], zp: [0, 0], axis: 0 }, q], { dtype: 'i8', shape: [2], scale: 0.1, zp: 0 }),
    ).toThrow(KernelError);
  });

  it('exports one kernel per op', () => {
    expect(elementwiseKernels.map((k) => k.op)).toEqual([
      'tfl.add',
      'tfl.sub',
      'tfl.mul',
      'tfl.div',
      'tfl.maximum',
      'tfl.minimum',
      'tfl.squared_difference',
    ]);
  });
});
