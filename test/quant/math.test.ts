/**
 * Quantization math (passes/lib/quant/math.ts): activation parameters (range widened to include 0,
 * zero point rounded and clamped), int16 symmetric and power-of-two scales, weight / bias /
 * activation-constant quantization with TFLite's float32 arithmetic, the bias overflow guard, and
 * the rounding of real scales to quantized multipliers at its boundaries (TFLite QuantizeMultiplier,
 * which every kernel applies to the scales chosen here).
 */
import { describe, expect, it } from 'vitest';
import { quantizeMultiplier } from '../../src/interp/fixedpoint.js';

/** A typed array's elements as plain numbers (for equality checks). */
function nums(a: unknown): number[] {
  return Array.from(a as ArrayLike<number>, Number);
}
import {
  activationType,
  adjustWeightRangesForBias,
  asymmetricParams,
  dataRange,
  effectiveScale,
  powerOfTwoCellType,
  powerOfTwoExponent,
  quantizeAsActivation,
  quantizeBias,
  quantizeInt16Symmetric,
  quantizeWeights16,
  quantizeWeights8,
  rangeOfType,
  symmetricScale,
  weightHalfRanges,
} from '../../passes/lib/quant/math.js';

const fr = Math.fround;

describe('activation parameters', () => {
  it('int8: scale over the range widened to include 0, zero point rounded half away from zero', () => {
    // [-1, 1]: scale 2/255, zp = round(-128 + 127.5) = round(-0.5) = -1 (std::round).
    expect(asymmetricParams(-1, 1)).toEqual({ scale: fr(2 / 255), zeroPoint: -1 });
    // [0.5, 2] is widened to [0, 2]: zp at the bottom.
    expect(asymmetricParams(0.5, 2)).toEqual({ scale: fr(2 / 255), zeroPoint: -128 });
    // [-3, -1] is widened to [-3, 0]: zp at the top.
    expect(asymmetricParams(-3, -1)).toEqual({ scale: fr(3 / 255), zeroPoint: 127 });
    // [-1, 2]: zp = round(-128 + 85) = -43 exactly.
    expect(asymmetricParams(-1, 2)).toEqual({ scale: fr(3 / 255), zeroPoint: -43 });
  });

  it('int8: real 0 is exactly representable', () => {
    for (const [lo, hi] of [
      [-0.37, 5.1],
      [-100, 0.01],
      [-1e-3, 1e-3],
      [-6.5, 6.4],
    ] as const) {
      const { scale, zeroPoint } = asymmetricParams(lo, hi);
      expect(Number.isInteger(zeroPoint)).toBe(true);
      expect(zeroPoint).toBeGreaterThanOrEqual(-128);
      expect(zeroPoint).toBeLessThanOrEqual(127);
      // The represented range covers [lo, hi] up to the half step the zero point rounding moves it.
      expect(scale * (-128 - zeroPoint)).toBeLessThanOrEqual(Math.min(lo, 0) + scale / 2 + 1e-9);
      expect(scale * (127 - zeroPoint)).toBeGreaterThanOrEqual(Math.max(hi, 0) - scale / 2 - 1e-9);
    }
  });

  it('int8 arithmetic is float32 (the litert LSTM input [0.0034059, 0.99324] gives 3.8950799e-03 : -128)', () => {
    const t = activationType([3.405928611755371e-3, 9.932453632354736e-1], 'int8');
    expect(t.scale).toBe(3.8950799498707056e-3);
    expect(t.zeroPoint).toBe(-128);
  });

  it('int16: symmetric, zero point 0, max|x| / 32767', () => {
    const t = activationType([-2, 0.5], 'int16');
    expect(t.zeroPoint).toBe(0);
    expect(t.scale).toBe(fr(2 / 32767));
    expect(t.storage.width).toBe(16);
    expect(symmetricScale(0.25, 4, 32767)).toBe(fr(4 / 32767));
    expect(symmetricScale(-80, 128, 32767)).toBe(3.906369209289551e-3); // the litert SVDF state
  });

  it('degenerate [0, 0] ranges get the parameters of [-1, 1] instead of a zero scale', () => {
    expect(activationType([0, 0], 'int8')).toBe(activationType([-1, 1], 'int8'));
    expect(activationType([0, 0], 'int16').scale).toBe(fr(1 / 32767));
  });

  it('rangeOfType inverts the parameters', () => {
    const t = activationType([-1, 2], 'int8');
    const [lo, hi] = rangeOfType(t);
    expect(lo).toBeCloseTo(-1, 6);
    expect(hi).toBeCloseTo(2, 6);
  });
});

describe('power-of-two cell scale', () => {
  it('is the smallest 2^p >= max|x|, p in 0..10', () => {
    expect(powerOfTwoExponent(0, 0)).toBe(0);
    expect(powerOfTwoExponent(-0.3, 0.9)).toBe(0);
    expect(powerOfTwoExponent(0, 1)).toBe(0); // exactly 2^0
    expect(powerOfTwoExponent(0, 1.0000001)).toBe(1);
    expect(powerOfTwoExponent(-8, 3)).toBe(3); // exactly 2^3
    expect(powerOfTwoExponent(-8.001, 3)).toBe(4);
    expect(powerOfTwoExponent(0, 1e9)).toBe(10); // capped
  });
  it('scale = 2^p / 32768 (the litert LSTM cell: max 1.311 -> 2^-14)', () => {
    expect(powerOfTwoCellType([0, 1.3111958503723145]).scale).toBe(6.103515625e-5);
    expect(powerOfTwoCellType([-10, 10]).scale).toBe(2 ** -11);
  });
});

describe('weights', () => {
  it('8 bit per tensor: scale max|w| / 127, q = round(w * (127 / max)) in float, narrow range', () => {
    const w = Float32Array.from([0.36855683, 0.3001048, -0.12599304, 0.5892157]);
    const c = quantizeWeights8(w, [2, 2], undefined);
    expect(nums(c.values)).toEqual([79, 65, -27, 127]);
    expect(c.type.kind).toBe('quant.uniform');
    if (c.type.kind === 'quant.uniform') {
      expect(c.type.scale).toBe(4.639493767172098e-3);
      expect([c.type.storageMin, c.type.storageMax]).toEqual([-127, 127]);
    }
  });

  it('8 bit per channel along the given axis; ties round away from zero; zero channels get scale 1', () => {
    // Channel 0 (axis 0): max 1.27 -> 0.01; 0.635 / 0.01 = 63.5 -> 64; channel 1 all zero.
    const w = Float32Array.from([1.27, -0.635, 0, 0]);
    const c = quantizeWeights8(w, [2, 2], 0);
    expect(nums(c.values)).toEqual([127, -64, 0, 0]);
    expect(c.type.kind).toBe('quant.uniform_per_axis');
    if (c.type.kind === 'quant.uniform_per_axis') {
      expect(c.type.scales).toEqual([fr(1.27 / 127), 1]);
      expect(c.type.axis).toBe(0);
    }
    // Axis 3 of a depthwise filter [1, 1, 2, 3]: channels are the last dimension.
    expect(weightHalfRanges(Float32Array.from([1, -2, 3, -4, 5, -6]), [1, 1, 2, 3], 3)).toEqual([4, 5, 6]);
  });

  it('16 bit (max / 32767) and 10 bit (max / 512) symmetric weights, clamped to ±32767', () => {
    const c16 = quantizeWeights16(Float32Array.from([0.36855683, 0.3001048]), 16);
    expect(nums(c16.values)).toEqual([32767, 26681]);
    const c10 = quantizeWeights16(Float32Array.from([0.047101513, 0.096515775]), 10);
    expect(nums(c10.values)).toEqual([250, 512]);
    if (c10.type.kind === 'quant.uniform') expect(c10.type.scale).toBe(1.8850737251341343e-4);
    expect(Array.from(quantizeInt16Symmetric(Float32Array.from([5, -5]), 1e-4))).toEqual([32767, -32767]);
  });
});

describe('biases', () => {
  it('int32: round(b * float(1 / s)), saturating to ±(2^31 - 1)', () => {
    const c = quantizeBias(Float32Array.from([0.36855683, 1e9, -1e9]), [1.0984184228846061e-8], 32);
    expect(nums(c.values)).toEqual([33553408, 2147483647, -2147483647]);
  });
  it('int64 per channel keeps large values', () => {
    const c = quantizeBias(Float32Array.from([1e6, -2]), [1e-6, 0.5], 64);
    expect(c.type.kind).toBe('quant.uniform_per_axis');
    expect(Array.from(c.values as BigInt64Array)).toEqual([999999995904n, -4n]);
  });
  it('derived scales are float32 products (TFLite GetEffectiveScale)', () => {
    expect(effectiveScale([1.1247804650338367e-5, 2 ** -10])).toBe(1.0984184228846061e-8);
    expect(effectiveScale([0.1, 0.3])).toBe(fr(fr(0.1) * fr(0.3)));
  });
  it('bias overflow guard widens the weight range so that |bias / (s_in s_w)| <= 2^30', () => {
    const sIn = 1e-4;
    // Per tensor: weights max 0.127 (s_w = 1e-3); a bias of 1000 needs 1e10 steps of 1e-7.
    const { halfRanges, widened } = adjustWeightRangesForBias([0.127], Float32Array.from([1000, -3]), sIn);
    expect(widened).toBe(true);
    const sW = fr(halfRanges[0]! / 127);
    expect(Math.abs(1000 / (sIn * sW))).toBeLessThanOrEqual(2 ** 30 + 1);
    // Per channel: only the channel that overflows changes.
    const pc = adjustWeightRangesForBias([0.127, 0.127], Float32Array.from([1000, 0.5]), sIn);
    expect(pc.halfRanges[1]).toBe(0.127);
    expect(pc.halfRanges[0]).toBeGreaterThan(0.127);
    // Nothing to do for small biases.
    expect(adjustWeightRangesForBias([0.127], Float32Array.from([1]), sIn)).toEqual({ halfRanges: [0.127], widened: false });
  });
});

describe('constant activations', () => {
  it('quantize like tfl.quantize: x / scale rounded half away from zero, + zp, clamped', () => {
    const t = activationType([-1, 1], 'int8'); // 2/255 : -1
    const x = Float32Array.from([0, 1, -1, 5, -5, t.scale * 0.5]);
    // 1 / fround(2/255) = 127.49999... -> 127, + zp -1 = 126.
    expect(Array.from(quantizeAsActivation(x, [6], t))).toEqual([-1, 126, -128, 127, -128, 0]);
  });
  it('dataRange ignores NaN', () => {
    expect(dataRange(Float32Array.from([NaN, 2, -1]))).toEqual([-1, 2]);
  });
});

describe('quantized multipliers at the boundaries (QuantizeMultiplier)', () => {
  it('powers of two are exact', () => {
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(2 ** -15)).toEqual({ multiplier: 2 ** 30, shift: -14 });
  });
  it('a mantissa that rounds up to 2^31 moves to the next exponent', () => {
    const justBelowOne = 1 - 2 ** -40; // f * 2^31 rounds to 2^31
    expect(quantizeMultiplier(justBelowOne)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    const justBelowHalf = 0.5 - 2 ** -45;
    expect(quantizeMultiplier(justBelowHalf)).toEqual({ multiplier: 2 ** 30, shift: 0 });
  });
  it('ties round half away from zero in the 31-bit mantissa', () => {
    // 0.75 + 2^-33 has a mantissa 0.75 + 2^-33 -> q = 0.75*2^31 + 0.25 rounds down; + 2^-32 ties up.
    expect(quantizeMultiplier(0.75 + 2 ** -33).multiplier).toBe(0.75 * 2 ** 31);
    expect(quantizeMultiplier(0.75 + 2 ** -32).multiplier).toBe(0.75 * 2 ** 31 + 1);
  });
  it('tiny multipliers flush to zero, huge ones saturate', () => {
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** 40)).toEqual({ multiplier: 2147483647, shift: 30 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
  });
  it('the effective scale of a chosen FC (s_in s_w / s_out) stays within one part in 2^31', () => {
    const sIn = activationType([-1, 2], 'int8').scale;
    const sW = fr(1.27 / 127);
    const sOut = activationType([-4, 4], 'int8').scale;
    const real = (sIn * sW) / sOut;
    const q = quantizeMultiplier(real);
    expect(Math.abs((q.multiplier / 2 ** 31) * 2 ** q.shift - real) / real).toBeLessThan(2 ** -30);
  });
});
