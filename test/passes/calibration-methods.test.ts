// Unit tests of the calibration statistics: the adaptive zero-aligned histogram (exact re-binning),
// the range methods (percentile, mse, kl) on synthetic distributions, and the per-tensor observer.
import { describe, expect, it } from 'vitest';
import { Histogram, type HistogramSnapshot } from '../../passes/lib/calibration/histogram.js';
import { DEFAULT_METHOD_OPTIONS, MinMaxObserver, NonFiniteValueError, TensorObserver, batchMinMax } from '../../passes/lib/calibration/observer.js';
import { absHistogram, klRange, mseRange, percentileRange } from '../../passes/lib/calibration/range-methods.js';
import { rng } from '../support/corpus.js';

/** Standard normal samples (Box-Muller) from a seeded generator. */
function gaussian(n: number, seed: number, sigma = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(r(), 1e-12);
    const v = r();
    const m = Math.sqrt(-2 * Math.log(u)) * sigma;
    out[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  return out;
}

function uniform(n: number, seed: number, lo: number, hi: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** Feeds `batches` to a fresh histogram. */
function histogramOf(batches: readonly Float32Array[], bins = 2048): HistogramSnapshot {
  const h = new Histogram(bins);
  for (const b of batches) {
    const mm = batchMinMax(b)!;
    h.add(b, mm.min, mm.max);
  }
  return h.snapshot();
}

/** Splits an array into batches of `size`. */
function batches(a: Float32Array, size: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < a.length; i += size) out.push(a.subarray(i, i + size));
  return out;
}

/**
 * A million N(0, 1) values with three outliers at each end (+20..22, -19..-21). Clipping the six
 * outliers costs less squared error than the rounding error a range wide enough for them would add
 * to the bulk, so mse clips them too.
 */
function gaussianWithOutliers(): Float32Array {
  const g = gaussian(1_000_000, 7);
  for (let i = 0; i < 3; i++) {
    g[i * 1000] = 20 + i;
    g[i * 1000 + 500] = -19 - i;
  }
  return g;
}

describe('Histogram', () => {
  it('keeps exact counts when the range grows (bins never split)', () => {
    const r = rng(3);
    const all: number[] = [];
    const h = new Histogram(64);
    // Ranges that grow in both directions, with a constant batch first.
    const specs = [
      [0.5, 0.5],
      [0, 1],
      [-3, 0.2],
      [2, 9],
      [-100, -50],
      [0, 0.001],
    ] as const;
    for (const [lo, hi] of specs) {
      const b = Float32Array.from({ length: 257 }, () => lo + (hi - lo) * r());
      all.push(...b);
      const mm = batchMinMax(b)!;
      h.add(b, mm.min, mm.max);
    }
    const s = h.snapshot();
    expect(s.total).toBe(all.length);
    expect(s.min).toBe(Math.min(...all));
    expect(s.max).toBe(Math.max(...all));
    // Re-binning every value directly into the final grid gives the same counts.
    const direct = new Float64Array(64);
    for (const v of all) direct[Math.floor(v / s.width) - s.lo]!++;
    expect(Array.from(s.counts)).toEqual(Array.from(direct));
    // 0 is a bin edge.
    expect(Number.isInteger(s.lo)).toBe(true);
  });

  it('buffers constant batches until the data spreads', () => {
    const h = new Histogram(16);
    h.add([2, 2, 2], 2, 2);
    h.add([2], 2, 2);
    let s = h.snapshot();
    expect(s.total).toBe(4);
    expect(s.counts.reduce((a, b) => a + b, 0)).toBe(4);
    h.add([4, 4], 4, 4);
    s = h.snapshot();
    expect(s.min).toBe(2);
    expect(s.max).toBe(4);
    expect(s.counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(percentileRange(s, 100)).toEqual({ min: 2, max: 4 });
  });

  it('folds into an exact |x| histogram', () => {
    const s = histogramOf([Float32Array.from([-2.5, -0.1, 0.1, 2.5, 2.4])], 32);
    const abs = absHistogram(s);
    expect(abs.reduce((a, b) => a + b, 0)).toBe(5);
    // -0.1 and 0.1 (the same magnitude in f32) land in the same |x| bin, as do -2.5 and 2.5.
    expect(abs[Math.floor(Math.fround(0.1) / s.width)]).toBe(2);
    expect(abs[Math.floor(2.5 / s.width)]).toBeGreaterThanOrEqual(2);
  });
});

describe('range methods', () => {
  const outliers = gaussianWithOutliers();
  const hOut = histogramOf(batches(outliers, 1000));

  it('percentile / mse / kl clip outliers that minmax keeps', () => {
    const minmax = { min: hOut.min, max: hOut.max };
    expect(minmax.max).toBe(22);
    expect(minmax.min).toBe(-21);
    const width = (r: { min: number; max: number }): number => r.max - r.min;
    for (const [name, r] of [
      ['percentile', percentileRange(hOut, 99.99)],
      ['mse', mseRange(hOut, 8)],
      ['kl', klRange(hOut, 8)],
    ] as const) {
      // mse trades the outliers' clipping error against the bulk's rounding error: with the
      // outliers at ~20 sigma its optimum is near +-11 (6 (20.5 - T)^2 vs 1e6 (2T / 255)^2 / 12).
      expect(width(r), name).toBeLessThan(width(minmax) * (name === 'mse' ? 0.6 : 1 / 3));
      // Sane: still covers the bulk of the Gaussian (at least +-2.5 sigma), stays inside the data.
      expect(r.min, name).toBeLessThan(-2.5);
      expect(r.max, name).toBeGreaterThan(2.5);
      expect(r.min, name).toBeGreaterThanOrEqual(minmax.min);
      expect(r.max, name).toBeLessThanOrEqual(minmax.max);
    }
  });

  it('percentile gives the quantiles of a uniform distribution', () => {
    const h = histogramOf(batches(uniform(100_000, 11, 0, 1), 1000));
    const r = percentileRange(h, 99);
    expect(r.min).toBeCloseTo(0.01, 2);
    expect(r.max).toBeCloseTo(0.99, 2);
    expect(percentileRange(h, 100)).toEqual({ min: h.min, max: h.max });
  });

  it('mse picks the analytic clip 1 - 2^-bits for a uniform distribution', () => {
    // U[-1, 1]: the expected error (1 - a)^3 / 3 + a^3 / (3 (L - 1)^2) is least at a = (L - 1) / L.
    const h = histogramOf(batches(uniform(400_000, 5, -1, 1), 4000));
    for (const bits of [4, 8]) {
      const a = 1 - 2 ** -bits;
      const r = mseRange(h, bits);
      expect(Math.abs(r.max - a), `bits ${bits} max ${r.max}`).toBeLessThan(2e-3);
      expect(Math.abs(-r.min - a), `bits ${bits} min ${r.min}`).toBeLessThan(2e-3);
    }
    // 16 bits: rounding error is negligible, nothing worth clipping.
    const r16 = mseRange(h, 16);
    expect(r16.max).toBeGreaterThan(0.998);
    expect(r16.min).toBeLessThan(-0.998);
  });

  it('mse never extends a one-sided range below 0 and shrinks with fewer bits', () => {
    const g = gaussian(100_000, 9);
    const relu = g.map((x) => Math.max(0, x));
    const h = histogramOf(batches(relu, 1000));
    const r8 = mseRange(h, 8);
    const r16 = mseRange(h, 16);
    expect(r8.min).toBe(0);
    expect(r8.max).toBeGreaterThan(2.5);
    expect(r8.max).toBeLessThanOrEqual(r16.max);
  });

  it('kl behaves sanely', () => {
    // Uniform: nothing is an outlier, the threshold stays near the end of the data.
    const hu = histogramOf(batches(uniform(100_000, 13, -1, 1), 1000));
    const ru = klRange(hu, 8);
    expect(ru.max).toBeGreaterThan(0.9);
    expect(ru.min).toBeLessThan(-0.9);
    // Symmetric threshold for two-sided data.
    const r = klRange(hOut, 8);
    expect(r.max).toBeCloseTo(-r.min, 6);
    // One-sided data keeps min = 0 and uses all 256 levels.
    const relu = gaussianWithOutliers().map((x) => Math.max(0, x));
    const rr = klRange(histogramOf(batches(relu, 1000)), 8);
    expect(rr.min).toBe(0);
    expect(rr.max).toBeGreaterThan(2.5);
    expect(rr.max).toBeLessThan(20);
    // 16 bits: more levels than bins, nothing to clip.
    expect(klRange(hOut, 16)).toEqual({ min: hOut.min, max: hOut.max });
  });

  it('methods are deterministic and degenerate inputs give the data range', () => {
    expect(klRange(hOut, 8)).toEqual(klRange(histogramOf(batches(outliers, 1000)), 8));
    const c = histogramOf([Float32Array.from([3, 3, 3])]);
    for (const r of [percentileRange(c, 99.9), mseRange(c, 8), klRange(c, 8)]) expect(r).toEqual({ min: 3, max: 3 });
  });
});

describe('TensorObserver', () => {
  it('minmax and moving average', () => {
    const mm = new TensorObserver(DEFAULT_METHOD_OPTIONS);
    const ema = new TensorObserver({ ...DEFAULT_METHOD_OPTIONS, method: 'moving-average', averagingConstant: 0.5 });
    for (const b of [Float32Array.from([-1, 2]), Float32Array.from([-3, 4]), Float32Array.from([])]) {
      mm.update(b);
      ema.update(b);
    }
    expect(mm.range()).toEqual({ min: -3, max: 4 });
    expect(mm.batches).toBe(2);
    // m = -1 + 0.5 (-3 - -1) = -2; M = 2 + 0.5 (4 - 2) = 3.
    expect(ema.range()).toEqual({ min: -2, max: 3 });
    expect(new TensorObserver(DEFAULT_METHOD_OPTIONS).range()).toBeUndefined();
  });

  it('histogram methods through the observer', () => {
    const o = new TensorObserver({ ...DEFAULT_METHOD_OPTIONS, method: 'percentile', percentile: 99.9 });
    for (const b of batches(gaussianWithOutliers(), 1000)) o.update(b);
    const r = o.range()!;
    expect(r.max).toBeLessThan(5);
    expect(o.max).toBe(22);
  });

  it('rejects NaN and infinities', () => {
    const o = new TensorObserver(DEFAULT_METHOD_OPTIONS);
    expect(() => o.update(Float32Array.from([1, NaN]))).toThrow(NonFiniteValueError);
    expect(() => o.update(Float32Array.from([Infinity]))).toThrow(NonFiniteValueError);
    expect(() => new MinMaxObserver().update(Float32Array.from([-Infinity, 0]))).toThrow(NonFiniteValueError);
  });
});
