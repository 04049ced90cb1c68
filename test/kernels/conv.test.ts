import { describe, expect, it } from 'vitest';
import type { DType, KernelContext, KernelDef, QuantParams, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';
import { KernelError } from '../../src/interp/kernel.js';
import { quantizeMultiplier } from '../../src/interp/fixedpoint.js';
import { convKernels } from '../../dialects/tfl/kernels/conv.js';
import { computePaddingHeightWidth } from '../../dialects/tfl/kernels/padding.js';

// ---------------------------------------------------------------------------------------------
// Test scaffolding and an independent BigInt reference of TFLite's integer arithmetic.

function q(scale: number | number[], zeroPoint: number | number[] = 0, axis = -1): QuantParams {
  const s = Array.isArray(scale) ? scale : [scale];
  const z = Array.isArray(zeroPoint) ? zeroPoint : s.map(() => zeroPoint);
  return { scale: s.map(Math.fround), zeroPoint: z, axis, storageMin: -128, storageMax: 127 };
}
function t(name: string, dtype: DType, shape: number[], quant?: QuantParams, data?: TypedArray): TensorInfo {
  return { name, dtype, shape, ...(quant ? { quant } : {}), ...(data ? { data } : {}) };
}
function mkctx(op: string, inputs: (TensorInfo | undefined)[], out: TensorInfo, attrs: KernelContext['attrs'], flavour: 'tflite' | 'tflm' = 'tflite'): KernelContext {
  return { op, where: 'test', inputs, outputs: [out], intermediates: [], attrs, flavour };
}
function kernel(op: string): KernelDef {
  const k = convKernels.find((x) => x.op === op);
  if (!k) throw new Error(op);
  return k;
}
function alloc(info: TensorInfo): TypedArray {
  const n = info.shape.reduce((a, b) => a * b, 1);
  switch (info.dtype) {
    case 'f32':
      return new Float32Array(n);
    case 'i8':
      return new Int8Array(n);
    case 'i16':
      return new Int16Array(n);
    default:
      throw new Error(info.dtype);
  }
}
function run(ctx: KernelContext, data: (TypedArray | undefined)[]): TypedArray {
  const fn = kernel(ctx.op).prepare(ctx);
  const ins: (Tensor | undefined)[] = ctx.inputs.map((info, i) => (info ? { dtype: info.dtype, shape: info.shape, data: (data[i] ?? info.data) as TypedArray } : undefined));
  const out = ctx.outputs[0]!;
  const outData = alloc(out);
  fn(ins, [{ dtype: out.dtype, shape: out.shape, data: outData }]);
  return outData;
}

const B31 = 1n << 31n;
/** gemmlowp SaturatingRoundingDoublingHighMul, BigInt. */
function srdhmRef(a: bigint, b: bigint): bigint {
  if (a === -B31 && b === -B31) return B31 - 1n;
  const ab = a * b;
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return (ab + nudge) / B31; // BigInt division truncates toward zero, like C
}
/** gemmlowp RoundingDivideByPOT, BigInt. */
function rdbpotRef(x: bigint, e: number): bigint {
  const mask = (1n << BigInt(e)) - 1n;
  const rem = x & mask;
  const threshold = (mask >> 1n) + (x < 0n ? 1n : 0n);
  return (x >> BigInt(e)) + (rem > threshold ? 1n : 0n);
}
/** TFLite int32 MultiplyByQuantizedMultiplier (double rounding). */
function mbqmRef(x: number, m: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const xl = BigInt.asIntN(32, BigInt(x) << BigInt(left));
  return Number(rdbpotRef(srdhmRef(xl, BigInt(m)), right));
}
/** TFLite int64 MultiplyByQuantizedMultiplier (16-bit reduced multiplier, TF 2.12 and TFLM). */
function mbqm64Ref(x: bigint, m: number, shift: number): number {
  const r = m < 0x7fff0000 ? (m + 32768) >> 16 : 0x7fff;
  const ts = BigInt(15 - shift);
  return Number(BigInt.asIntN(32, (x * BigInt(r) + (1n << (ts - 1n))) >> ts));
}

/** Deterministic PRNG. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
function randInts(r: () => number, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
}

/** Naive NHWC conv reference over integer-valued arrays: returns raw sums (no bias) per output. */
function naiveConvSums(
  x: ArrayLike<number>, xs: number[], w: ArrayLike<number>, ws: number[], outH: number, outW: number,
  sh: number, sw: number, dh: number, dw: number, ph: number, pw: number, inOff: number,
): number[] {
  const [N, H, W, C] = xs as [number, number, number, number];
  const [O, KH, KW, FI] = ws as [number, number, number, number];
  const groups = C / FI;
  const res: number[] = [];
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let o = 0; o < O; o++) {
          const g = Math.floor(o / (O / groups));
          let s = 0;
          for (let ky = 0; ky < KH; ky++)
            for (let kx = 0; kx < KW; kx++) {
              const iy = oy * sh - ph + ky * dh;
              const ix = ox * sw - pw + kx * dw;
              if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
              for (let c = 0; c < FI; c++) s += w[((o * KH + ky) * KW + kx) * FI + c]! * (x[((n * H + iy) * W + ix) * C + g * FI + c]! + inOff);
            }
          res.push(s);
        }
  return res;
}

// ---------------------------------------------------------------------------------------------

describe('padding arithmetic (ComputePaddingHeightWidth)', () => {
  it('SAME with odd total padding puts the extra row/column at the end', () => {
    const p = computePaddingHeightWidth(2, 2, 1, 1, 4, 4, 3, 3, 'SAME');
    expect(p).toEqual({ padH: 0, padW: 0, padHOffset: 1, padWOffset: 1, outH: 2, outW: 2 });
    const p2 = computePaddingHeightWidth(1, 1, 1, 1, 5, 5, 4, 4, 'SAME');
    expect([p2.outH, p2.padH, p2.padHOffset]).toEqual([5, 1, 1]);
  });
  it('VALID and dilation', () => {
    expect(computePaddingHeightWidth(1, 1, 2, 2, 7, 7, 3, 3, 'VALID')).toMatchObject({ outH: 3, outW: 3, padH: 0, padW: 0 });
    expect(computePaddingHeightWidth(1, 1, 2, 2, 7, 7, 3, 3, 'SAME')).toMatchObject({ outH: 7, padH: 2, padHOffset: 0 });
    expect(computePaddingHeightWidth(3, 3, 1, 1, 10, 10, 3, 3, 'VALID')).toMatchObject({ outH: 3 });
  });
});

describe('tfl.conv_2d float', () => {
  it('SAME, stride 2: padding at the bottom/right, hand-computed values', () => {
    // input 1x4x4x1 = 1..16, filter 1x3x3x1 all ones, bias 0.5.
    const x = Float32Array.from({ length: 16 }, (_, i) => i + 1);
    const w = new Float32Array(9).fill(1);
    const ctx = mkctx(
      'tfl.conv_2d',
      [t('x', 'f32', [1, 4, 4, 1]), t('w', 'f32', [1, 3, 3, 1], undefined, w), t('b', 'f32', [1], undefined, Float32Array.of(0.5))],
      t('y', 'f32', [1, 2, 2, 1]),
      { padding: 'SAME', stride_h: 2, stride_w: 2 },
    );
    const y = run(ctx, [x]);
    // Windows start at (0,0), (0,2), (2,0), (2,2); the last row/column of padding is virtual zeros.
    // (0,0): 1+2+3+5+6+7+9+10+11 = 54; (0,2): 3+4+7+8+11+12 = 45; (2,0): 9+10+11+13+14+15 = 72; (2,2): 11+12+15+16 = 54.
    expect(Array.from(y)).toEqual([54.5, 45.5, 72.5, 54.5]);
  });

  it('dilation, groups and RELU6, against float32 math in reference order', () => {
    const r = rng(7);
    const xs = [2, 7, 6, 4];
    const ws = [6, 3, 2, 2]; // 2 groups (input depth 4, filter depth 2)
    const x = Float32Array.from({ length: 2 * 7 * 6 * 4 }, () => r() * 4 - 2);
    const w = Float32Array.from({ length: 6 * 3 * 2 * 2 }, () => r() * 2 - 1);
    const b = Float32Array.from({ length: 6 }, () => r() - 0.5);
    const pad = computePaddingHeightWidth(1, 2, 2, 1, 7, 6, 3, 2, 'SAME');
    const out = t('y', 'f32', [2, pad.outH, pad.outW, 6]);
    const ctx = mkctx('tfl.conv_2d', [t('x', 'f32', xs), t('w', 'f32', ws, undefined, w), t('b', 'f32', [6], undefined, b)], out, {
      padding: 'SAME', stride_h: 1, stride_w: 2, dilation_h_factor: 2, dilation_w_factor: 1, fused_activation_function: 'RELU6',
    });
    const y = run(ctx, [x]) as Float32Array;
    // Independent: exact double sums (no float32 rounding) must agree to float precision.
    const sums = naiveConvSums(x, xs, w, ws, pad.outH, pad.outW, 1, 2, 2, 1, pad.padH, pad.padW, 0);
    let checked = 0;
    sums.forEach((s, i) => {
      const e = Math.min(6, Math.max(0, s + b[i % 6]!));
      expect(Math.abs(y[i]! - e)).toBeLessThan(1e-5);
      if (e > 0 && e < 6) checked++;
    });
    expect(checked).toBeGreaterThan(10);
  });
});

describe('tfl.conv_2d int8', () => {
  it('tflm rounds like the reference (SRDHM, then RoundingDivideByPOT half away from zero); tflite like ruy (single rounding, ties up)', () => {
    // Effective scale 0.25 => multiplier 2^30, shift -1. acc = w * (x - zp_in).
    // acc -2: SRDHM -> -1, RDBPOT(-1, 1) = -0.5 -> -1 (ruy's single rounding would give 0);
    // acc -6: SRDHM -> -3, RDBPOT -> -1.5 -> -2 (single rounding: -1); +2 -> 1; +6 -> 2.
    const ctx = mkctx(
      'tfl.conv_2d',
      [
        t('x', 'i8', [1, 1, 4, 1], q(0.5, 10)),
        t('w', 'i8', [1, 1, 1, 1], q(1, 0, 0), Int8Array.of(1)),
        t('b', 'i32', [1], q(0.5), Int32Array.of(0)),
      ],
      t('y', 'i8', [1, 1, 4, 1], q(2, 3)),
      { padding: 'VALID' },
      'tflm',
    );
    const y = run(ctx, [Int8Array.of(8, 12, 4, 16)]);
    expect(Array.from(y)).toEqual([-1 + 3, 1 + 3, -2 + 3, 2 + 3]);
    // TF 2.12's builtin int8 conv goes through ruy: round(acc * 0.25) once, ties towards +infinity.
    const y2 = run({ ...ctx, flavour: 'tflite' }, [Int8Array.of(8, 12, 4, 16)]);
    expect(Array.from(y2)).toEqual([0 + 3, 1 + 3, -1 + 3, 2 + 3]);
    // SRDHM itself rounds an exact negative half towards +infinity: 0.5 * -3 -> -1.
    expect(mbqmRef(-3, 1 << 30, 0)).toBe(-1);
  });

  it('fused activations clamp at the quantized bounds; saturation at the int8 range', () => {
    const base = (act: string) =>
      mkctx(
        'tfl.conv_2d',
        [t('x', 'i8', [1, 1, 3, 1], q(0.1, 0)), t('w', 'i8', [1, 1, 1, 1], q(1, 0, 0), Int8Array.of(1)), t('b', 'i32', [1], q(0.1), Int32Array.of(0))],
        t('y', 'i8', [1, 1, 3, 1], q(0.05, -20)),
        { padding: 'VALID', fused_activation_function: act },
      );
    const x = Int8Array.of(-100, 20, 100); // real -10, 2, 10 -> q = -220, 20, 180 (+zp -20) before clamp
    expect(Array.from(run(base('NONE'), [x]))).toEqual([-128, 20, 127]);
    // RELU: min = zp = -20. RELU6: max = -20 + round(6/0.05) = 100.
    expect(Array.from(run(base('RELU'), [x]))).toEqual([-20, 20, 127]);
    expect(Array.from(run(base('RELU6'), [x]))).toEqual([-20, 20, 100]);
    // RELU_N1_TO_1: [-20-20, -20+20] = [-40, 0].
    expect(Array.from(run(base('RELU_N1_TO_1'), [x]))).toEqual([-40, 0, 0]);
  });

  it('per-channel weights, SAME padding, stride, dilation: matches the BigInt reference', () => {
    const r = rng(11);
    const xs = [1, 9, 8, 3];
    const ws = [5, 3, 3, 3];
    const x = Int8Array.from(randInts(r, 9 * 8 * 3, -128, 127));
    const w = Int8Array.from(randInts(r, 5 * 27, -127, 127));
    const bias = Int32Array.from(randInts(r, 5, -3000, 3000));
    const wScales = [0.011, 0.0073, 0.021, 0.0042, 0.0009];
    const sIn = 0.047, zIn = -7, sOut = 0.31, zOut = 12;
    for (const [sh, sw, dh, dw, padding] of [[1, 1, 1, 1, 'SAME'], [2, 2, 1, 1, 'SAME'], [1, 2, 2, 1, 'VALID'], [2, 1, 1, 2, 'SAME']] as const) {
      const pad = computePaddingHeightWidth(sh, sw, dh, dw, 9, 8, 3, 3, padding);
      const ctx = mkctx(
        'tfl.conv_2d',
        [t('x', 'i8', xs, q(sIn, zIn)), t('w', 'i8', ws, q(wScales, 0, 0), w), t('b', 'i32', [5], q(0), bias)],
        t('y', 'i8', [1, pad.outH, pad.outW, 5], q(sOut, zOut)),
        { padding, stride_h: sh, stride_w: sw, dilation_h_factor: dh, dilation_w_factor: dw, fused_activation_function: 'RELU' },
      );
      const y = run(ctx, [x]);
      const sums = naiveConvSums(x, xs, w, ws, pad.outH, pad.outW, sh, sw, dh, dw, pad.padH, pad.padW, -zIn);
      const mults = wScales.map((s) => quantizeMultiplier((Math.fround(sIn) * Math.fround(s)) / Math.fround(sOut)));
      const expected = sums.map((s, i) => {
        const c = i % 5;
        const v = mbqmRef(s + bias[c]!, mults[c]!.multiplier, mults[c]!.shift) + zOut;
        return Math.min(127, Math.max(zOut, v));
      });
      expect(Array.from(y)).toEqual(expected);
    }
  });

  it('rejects int8 with a non-int32 bias and a filter zero point', () => {
    const mk = (bias: TensorInfo, wq: QuantParams) =>
      mkctx('tfl.conv_2d', [t('x', 'i8', [1, 2, 2, 1], q(1, 0)), t('w', 'i8', [1, 1, 1, 1], wq, Int8Array.of(1)), bias], t('y', 'i8', [1, 2, 2, 1], q(1, 0)), {});
    expect(() => kernel('tfl.conv_2d').prepare(mk(t('b', 'i64', [1], q(1), new BigInt64Array(1)), q(1, 0, 0)))).toThrow(KernelError);
    expect(() => kernel('tfl.conv_2d').prepare(mk(t('b', 'i32', [1], q(1), new Int32Array(1)), q(1, 3, 0)))).toThrow(KernelError);
  });
});

describe('tfl.conv_2d 16x8', () => {
  const r = rng(23);
  const xs = [1, 6, 5, 4];
  const ws = [3, 3, 2, 4];
  const x = Int16Array.from(randInts(r, 6 * 5 * 4, -32768, 32767));
  const w = Int8Array.from(randInts(r, 3 * 3 * 2 * 4, -127, 127));
  const wScales = [0.0031, 0.00077, 0.0123];
  const sIn = 0.00019, sOut = 0.00041;
  const pad = computePaddingHeightWidth(1, 1, 1, 1, 6, 5, 3, 2, 'SAME');
  const outShape = [1, pad.outH, pad.outW, 3];
  const mults = wScales.map((s) => quantizeMultiplier((Math.fround(sIn) * Math.fround(s)) / Math.fround(sOut)));
  const sums = naiveConvSums(x, xs, w, ws, pad.outH, pad.outW, 1, 1, 1, 1, pad.padH, pad.padW, 0);

  it('int64 bias: int64 accumulator and the 16-bit-reduced int64 multiply', () => {
    const bias = BigInt64Array.from([123456789012n, -98765432101n, 5n]);
    for (const flavour of ['tflite', 'tflm'] as const) {
      const ctx = mkctx(
        'tfl.conv_2d',
        [t('x', 'i16', xs, q(sIn, 0)), t('w', 'i8', ws, q(wScales, 0, 0), w), t('b', 'i64', [3], q(0), bias)],
        t('y', 'i16', outShape, q(sOut, 0)),
        { padding: 'SAME' },
        flavour,
      );
      const y = run(ctx, [x]);
      const expected = sums.map((s, i) => {
        const c = i % 3;
        const v = mbqm64Ref(BigInt(s) + bias[c]!, mults[c]!.multiplier, mults[c]!.shift);
        return Math.min(32767, Math.max(-32768, v));
      });
      expect(Array.from(y)).toEqual(expected);
    }
    // Sanity: the test exercises both saturation and in-range values.
    const y = run(
      mkctx('tfl.conv_2d', [t('x', 'i16', xs, q(sIn, 0)), t('w', 'i8', ws, q(wScales, 0, 0), w), t('b', 'i64', [3], q(0), bias)], t('y', 'i16', outShape, q(sOut, 0)), { padding: 'SAME' }),
      [x],
    );
    expect(Array.from(y).some((v) => v === 32767 || v === -32768)).toBe(true);
    expect(Array.from(y).some((v) => Math.abs(v) < 32000)).toBe(true);
  });

  it('the reduced int64 multiply differs from a full 31-bit one (the test can tell them apart)', () => {
    // multiplier 0x40004000 rounds to 0x4000 (+1 in the 16-bit form): x = 3<<30 gives different results.
    const full = Number((3n * (1n << 30n) * 0x40004000n + (1n << 30n)) >> 31n);
    expect(mbqm64Ref(3n << 30n, 0x40004000, 0)).not.toBe(full);
  });

  it('int32 bias: int32 accumulator with the int32 double-rounding multiply', () => {
    const bias = Int32Array.from([100000, -250000, 7]);
    const ctx = mkctx(
      'tfl.conv_2d',
      [t('x', 'i16', xs, q(sIn, 0)), t('w', 'i8', ws, q(wScales, 0, 0), w), t('b', 'i32', [3], q(0), bias)],
      t('y', 'i16', outShape, q(sOut, 0)),
      { padding: 'SAME', fused_activation_function: 'RELU' },
    );
    const y = run(ctx, [x]);
    const expected = sums.map((s, i) => {
      const c = i % 3;
      const v = mbqmRef((s + bias[c]!) | 0, mults[c]!.multiplier, mults[c]!.shift);
      return Math.min(32767, Math.max(0, v));
    });
    expect(Array.from(y)).toEqual(expected);
  });

  it('requires zero points of 0', () => {
    const ctx = mkctx(
      'tfl.conv_2d',
      [t('x', 'i16', xs, q(sIn, 1)), t('w', 'i8', ws, q(wScales, 0, 0), w), t('b', 'i64', [3], q(0), new BigInt64Array(3))],
      t('y', 'i16', outShape, q(sOut, 0)),
      { padding: 'SAME' },
    );
    expect(() => kernel('tfl.conv_2d').prepare(ctx)).toThrow(KernelError);
  });
});

describe('tfl.depthwise_conv_2d', () => {
  it('float, depth multiplier 2, hand-computed', () => {
    // input 1x2x2x1 = [1,2,3,4]; filter 1x2x2x2: channel 0 all ones, channel 1 = [1,-1,1,-1] (kx sign).
    const w = Float32Array.of(1, 1, 1, -1, 1, 1, 1, -1);
    const ctx = mkctx(
      'tfl.depthwise_conv_2d',
      [t('x', 'f32', [1, 2, 2, 1]), t('w', 'f32', [1, 2, 2, 2], undefined, w), t('b', 'f32', [2], undefined, Float32Array.of(0, 10))],
      t('y', 'f32', [1, 1, 1, 2]),
      { padding: 'VALID', depth_multiplier: 2 },
    );
    expect(Array.from(run(ctx, [Float32Array.of(1, 2, 3, 4)]))).toEqual([10, 10 + (1 - 2 + 3 - 4)]);
  });

  it('int8 per-channel (axis 3) against the BigInt reference', () => {
    const r = rng(5);
    const C = 3, M = 2, OC = C * M;
    const x = Int8Array.from(randInts(r, 2 * 7 * 7 * C, -128, 127));
    const w = Int8Array.from(randInts(r, 3 * 3 * OC, -127, 127));
    const bias = Int32Array.from(randInts(r, OC, -500, 500));
    const wScales = [0.02, 0.013, 0.004, 0.05, 0.0011, 0.007];
    const sIn = 0.06, zIn = 5, sOut = 0.09, zOut = -3;
    const pad = computePaddingHeightWidth(2, 2, 1, 1, 7, 7, 3, 3, 'SAME');
    const ctx = mkctx(
      'tfl.depthwise_conv_2d',
      [t('x', 'i8', [2, 7, 7, C], q(sIn, zIn)), t('w', 'i8', [1, 3, 3, OC], q(wScales, 0, 3), w), t('b', 'i32', [OC], q(0), bias)],
      t('y', 'i8', [2, pad.outH, pad.outW, OC], q(sOut, zOut)),
      { padding: 'SAME', stride_h: 2, stride_w: 2, depth_multiplier: M },
    );
    const y = run(ctx, [x]);
    const mults = wScales.map((s) => quantizeMultiplier((Math.fround(sIn) * Math.fround(s)) / Math.fround(sOut)));
    const expected: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let oy = 0; oy < pad.outH; oy++)
        for (let ox = 0; ox < pad.outW; ox++)
          for (let oc = 0; oc < OC; oc++) {
            const ic = Math.floor(oc / M);
            let s = 0;
            for (let ky = 0; ky < 3; ky++)
              for (let kx = 0; kx < 3; kx++) {
                const iy = oy * 2 - pad.padH + ky;
                const ix = ox * 2 - pad.padW + kx;
                if (iy < 0 || ix < 0 || iy >= 7 || ix >= 7) continue;
                s += w[(ky * 3 + kx) * OC + oc]! * (x[((b * 7 + iy) * 7 + ix) * C + ic]! - zIn);
              }
            const v = mbqmRef(s + bias[oc]!, mults[oc]!.multiplier, mults[oc]!.shift) + zOut;
            expected.push(Math.min(127, Math.max(-128, v)));
          }
    expect(Array.from(y)).toEqual(expected);
  });

  it('16x8 with int64 bias; int32 bias is rejected (TFLite requires int64 here)', () => {
    const r = rng(9);
    const x = Int16Array.from(randInts(r, 4 * 4 * 2, -32768, 32767));
    const w = Int8Array.from(randInts(r, 2 * 2 * 2, -127, 127));
    const bias = BigInt64Array.from([1000000n, -3n]);
    const mk = (b: TensorInfo) =>
      mkctx('tfl.depthwise_conv_2d', [t('x', 'i16', [1, 4, 4, 2], q(0.0003, 0)), t('w', 'i8', [1, 2, 2, 2], q([0.01, 0.002], 0, 3), w), b], t('y', 'i16', [1, 3, 3, 2], q(0.0007, 0)), {
        padding: 'VALID',
      });
    const y = run(mk(t('b', 'i64', [2], q(0), bias)), [x]);
    const mults = [0.01, 0.002].map((s) => quantizeMultiplier((Math.fround(0.0003) * Math.fround(s)) / Math.fround(0.0007)));
    const expected: number[] = [];
    for (let oy = 0; oy < 3; oy++)
      for (let ox = 0; ox < 3; ox++)
        for (let c = 0; c < 2; c++) {
          let s = 0n;
          for (let ky = 0; ky < 2; ky++) for (let kx = 0; kx < 2; kx++) s += BigInt(w[(ky * 2 + kx) * 2 + c]! * x[((oy + ky) * 4 + ox + kx) * 2 + c]!);
          expected.push(Math.min(32767, Math.max(-32768, mbqm64Ref(s + bias[c]!, mults[c]!.multiplier, mults[c]!.shift))));
        }
    expect(Array.from(y)).toEqual(expected);
    expect(() => kernel('tfl.depthwise_conv_2d').prepare(mk(t('b', 'i32', [2], q(0), new Int32Array(2))))).toThrow(KernelError);
  });
});

describe('Int64Requantizer (exact doubles with a BigInt fallback)', () => {
  it('matches BigInt for reduced and full multipliers, small and large accumulators', async () => {
    const { Int64Requantizer } = await import('../../dialects/tfl/kernels/padding.js');
    const r = rng(99);
    const mults = Int32Array.from([1 << 30, 0x7fffffff, 0x40004000, 0x7fff8000, 1518500250, 1073774592]);
    const shifts = Int32Array.from([0, -31, -5, 7, -12, -20]);
    const red = new Int64Requantizer(mults, shifts, true);
    const full = new Int64Requantizer(mults, shifts, false);
    const fullRef = (x: bigint, m: number, s: number): number => {
      const ts = BigInt(31 - s);
      return Number(BigInt.asIntN(32, (x * BigInt(m) + (1n << (ts - 1n))) >> ts));
    };
    for (let i = 0; i < 3000; i++) {
      const c = i % mults.length;
      const mag = Math.pow(2, Math.floor(r() * 46));
      const x = Math.round((r() * 2 - 1) * mag);
      expect(red.apply(x, c)).toBe(mbqm64Ref(BigInt(x), mults[c]!, shifts[c]!));
      expect(full.apply(x, c)).toBe(fullRef(BigInt(x), mults[c]!, shifts[c]!));
    }
    // Exact halves and the 2^37 boundary.
    for (const x of [-3 * 2 ** 14, 3 * 2 ** 14, 2 ** 37 - 1, -(2 ** 37) + 1, 2 ** 37, -(2 ** 37), 2 ** 40 + 12345]) {
      for (let c = 0; c < mults.length; c++) {
        expect(red.apply(x, c)).toBe(mbqm64Ref(BigInt(x), mults[c]!, shifts[c]!));
        expect(full.apply(x, c)).toBe(fullRef(BigInt(x), mults[c]!, shifts[c]!));
      }
    }
  });
});

describe('SingleRoundingRequantizer (ruy: one rounding of x * m / 2^(31 - shift))', () => {
  it('matches BigInt on int32 accumulators, across the exact-product fast path bound', async () => {
    const { SingleRoundingRequantizer } = await import('../../dialects/tfl/kernels/padding.js');
    const r = rng(5);
    const mults = Int32Array.from([1 << 30, 0x7fffffff, 1518500250, 1073774592, 1 << 30]);
    const shifts = Int32Array.from([0, -31, -5, -12, 1]);
    const q = new SingleRoundingRequantizer(mults, shifts);
    const ref = (x: number, m: number, s: number): number => {
      const ts = BigInt(31 - s);
      return Number(BigInt.asIntN(32, (BigInt(x) * BigInt(m) + (1n << (ts - 1n))) >> ts));
    };
    for (let i = 0; i < 20000; i++) {
      const c = i % mults.length;
      const x = Math.round((r() * 2 - 1) * Math.pow(2, Math.floor(r() * 32))) | 0;
      expect(q.apply(x, c)).toBe(ref(x, mults[c]!, shifts[c]!));
    }
    for (const x of [-2147483648, 2147483647, 2 ** 21, -(2 ** 21), 3 * 2 ** 20, -3 * 2 ** 20]) {
      for (let c = 0; c < mults.length; c++) expect(q.apply(x, c)).toBe(ref(x, mults[c]!, shifts[c]!));
    }
  });
});

describe('quantized activation range (CalculateActivationRangeQuantized)', () => {
  it('divides in float32 like TFLite: 6 / 0.038834952f is exactly 154.5f, so RELU6 clamps at zp + 155', async () => {
    const { activationRangeQuantized } = await import('../../dialects/tfl/kernels/padding.js');
    const ctx = mkctx('tfl.conv_2d', [], t('y', 'i16', [1]), {});
    const scale = 0.03883495181798935; // a float32 value; 6 / scale in double is 154.49999856...
    expect(activationRangeQuantized(ctx, 'RELU6', scale, 3, 'i16')).toEqual([3, 3 + 155]);
    expect(activationRangeQuantized(ctx, 'RELU6', scale, 3, 'i8')).toEqual([3, 127]);
    expect(activationRangeQuantized(ctx, 'RELU_N1_TO_1', 0.5, -1, 'i8')).toEqual([-3, 1]);
    expect(() => activationRangeQuantized(ctx, 'TANH', 0.5, 0, 'i8')).toThrow(KernelError);
  });
});
