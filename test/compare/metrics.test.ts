// Error metrics on synthetic data with known answers.
import { describe, expect, it } from 'vitest';
import type { QuantParams } from '../../src/interp/kernel.js';
import { ErrorAccumulator, argmax, channelOf, dequantize, quantizeInto, representableRange, roundHalfAway, sqnrDb } from '../../src/compare/metrics.js';
import { rng } from '../support/corpus.js';

const q8 = (scale: number, zp = 0): QuantParams => ({ scale: [scale], zeroPoint: [zp], axis: -1, storageMin: -128, storageMax: 127 });

/** Round-trips values through int8 quantization. */
function fakeQuant(x: Float64Array, q: QuantParams): Float64Array {
  const codes = quantizeInto(x, [x.length], q, new Int8Array(x.length));
  return dequantize(codes, [x.length], q);
}

describe('compare metrics', () => {
  it('measures the SQNR of a known noise level', () => {
    const r = rng(1);
    const n = 200_000;
    const ref = new Float64Array(n);
    const test = new Float64Array(n);
    // Signal: a unit sine (power 1/2); noise: uniform in [-a, a] (power a^2/3).
    const a = 0.01;
    for (let i = 0; i < n; i++) {
      ref[i] = Math.sin(i * 0.01);
      test[i] = ref[i]! + (r() * 2 - 1) * a;
    }
    const acc = new ErrorAccumulator([n], undefined);
    acc.add(ref, test);
    const m = acc.result();
    const expected = 10 * Math.log10(0.5 / ((a * a) / 3));
    expect(m.sqnrDb).toBeCloseTo(expected, 1);
    expect(m.rmse).toBeCloseTo(a / Math.sqrt(3), 4);
    expect(Math.abs(m.meanError)).toBeLessThan(1e-4);
    expect(m.maxAbsError).toBeLessThanOrEqual(a);
    expect(m.rmseOverScale).toBeNull();
    expect(m.clippedFraction).toBeNull();
    expect(m.count).toBe(n);
  });

  it('gives RMSE/scale = 1/sqrt(12) for ideal uniform quantization on a fine grid', () => {
    const n = 100_001;
    const ref = new Float64Array(n);
    for (let i = 0; i < n; i++) ref[i] = -1 + (2 * i) / (n - 1);
    const q = q8(1 / 127, 0); // represents [-128/127, 1]
    const acc = new ErrorAccumulator([n], q);
    acc.add(ref, fakeQuant(ref, q));
    const m = acc.result();
    expect(m.rmseOverScale).toBeCloseTo(1 / Math.sqrt(12), 2);
    expect(Math.abs(m.rmseOverScale! - 0.2887)).toBeLessThan(0.003);
    expect(m.clippedFraction).toBe(0);
    expect(m.rangeUsed!).toBeCloseTo(2 / (255 / 127), 12);
    // 8 bits over a full-scale uniform signal: ~ 6.02 * 8 dB
    expect(m.sqnrDb).toBeGreaterThan(46);
    expect(m.sqnrDb).toBeLessThan(50);
    expect(m.representable![0]).toBeCloseTo(-128 / 127, 12);
    expect(m.representable![1]).toBeCloseTo(1, 12);
    // The error histogram (in LSBs) lies within +-0.5.
    const h = m.histogram!;
    expect(h.unit).toBe('lsb');
    const width = (h.hi - h.lo) / h.counts.length;
    h.counts.forEach((c, i) => {
      const centre = h.lo + (i + 0.5) * width;
      if (Math.abs(centre) > 0.5 + width) expect(c).toBe(0);
    });
    expect(h.counts.reduce((s, c) => s + c, 0)).toBe(h.sampled);
  });

  it('counts clipping outside the representable range and range use over 1', () => {
    const n = 40_001;
    const ref = new Float64Array(n);
    for (let i = 0; i < n; i++) ref[i] = -2 + (4 * i) / (n - 1);
    const q = q8(1 / 127, 0); // represents [-128/127, 1]
    const acc = new ErrorAccumulator([n], q);
    acc.add(ref, fakeQuant(ref, q));
    const m = acc.result();
    // Outside [-1.0079, 1]: (2 - 1.0079 + 2 - 1) / 4 = 0.498
    expect(m.clippedFraction!).toBeCloseTo((4 - (1 + 128 / 127)) / 4, 3);
    expect(m.rangeUsed!).toBeCloseTo(4 / (255 / 127), 3);
    expect(m.maxAbsError).toBeCloseTo(1, 2);
  });

  it('accumulates over samples like one long sample', () => {
    const r = rng(5);
    const ref = Float64Array.from({ length: 1000 }, () => r() - 0.5);
    const test = ref.map((v) => v + (r() - 0.5) * 0.01);
    const whole = new ErrorAccumulator([1000], q8(0.01));
    whole.add(ref, test);
    const parts = new ErrorAccumulator([100], q8(0.01));
    for (let i = 0; i < 10; i++) parts.add(ref.subarray(i * 100, (i + 1) * 100), test.subarray(i * 100, (i + 1) * 100));
    const a = whole.result();
    const b = parts.result();
    for (const k of ['count', 'meanError', 'maxAbsError', 'rmse', 'rmseOverScale', 'sqnrDb', 'clippedFraction'] as const)
      expect(b[k]).toBeCloseTo(a[k] as number, 10);
  });

  it('dequantizes and measures per-axis tensors channel by channel', () => {
    const q: QuantParams = { scale: [0.5, 0.25], zeroPoint: [0, 2], axis: 0, storageMin: -127, storageMax: 127 };
    const codes = Int8Array.from([2, 4, 2, 6]);
    expect(Array.from(dequantize(codes, [2, 2], q))).toEqual([1, 2, 0, 1]);
    const ch = channelOf([2, 3, 4], { ...q, axis: 1, scale: [1, 2, 3], zeroPoint: [0, 0, 0] });
    expect([0, 3, 4, 11, 12, 23].map(ch)).toEqual([0, 0, 1, 2, 0, 2]);
    expect(representableRange(q, 1)).toEqual([(-127 - 2) * 0.25, (127 - 2) * 0.25]);
    // Error of 1 LSB in channel 1 (scale 0.25) and 0 in channel 0.
    const acc = new ErrorAccumulator([2, 2], q, { reservoir: 0 });
    acc.add([1, 2, 0, 1], [1, 2, 0.25, 1.25]);
    const m = acc.result();
    expect(m.rmseOverScale).toBeCloseTo(Math.sqrt(2 / 4), 12);
    expect(m.representable).toEqual([-63.5, 63.5]);
    expect(m.histogram).toBeUndefined();
  });

  it('quantizes with round-half-away and clamps', () => {
    expect([0.5, -0.5, 1.5, -1.5, 2.5, -2.4].map(roundHalfAway)).toEqual([1, -1, 2, -2, 3, -2]);
    const out = quantizeInto([0.25, -0.25, 100, -100, 0.74], [5], q8(0.5, 3), new Int8Array(5));
    expect(Array.from(out as Int8Array)).toEqual([4, 2, 127, -128, 4]);
    const big = quantizeInto([1.5], [1], { ...q8(1), storageMin: -1000, storageMax: 1000 }, new BigInt64Array(1));
    expect(big[0]).toBe(2n);
  });

  it('handles exact and degenerate cases', () => {
    expect(sqnrDb(1, 0)).toBe(Infinity);
    expect(sqnrDb(0, 0)).toBeNaN();
    expect(sqnrDb(0, 1)).toBe(-Infinity);
    expect(sqnrDb(100, 1)).toBeCloseTo(20, 12);
    const acc = new ErrorAccumulator([3], undefined);
    acc.add([1, 2, 3], [1, 2, 3]);
    expect(acc.result().sqnrDb).toBe(Infinity);
    expect(new ErrorAccumulator([3], undefined).result().count).toBe(0);
    expect(argmax([0.1, 0.7, 0.7, 0.2])).toBe(1);
    expect(argmax([5, 1, 9, 3], 2, 4)).toBe(0);
  });
});
