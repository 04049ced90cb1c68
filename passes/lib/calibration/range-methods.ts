/**
 * Range methods over a calibration histogram ({@link HistogramSnapshot}): the [min, max] to
 * quantize a tensor with, for a target bit width. Every method returns a range inside the observed
 * [min, max] and does not force it to contain 0 (the quantizer nudges ranges to include 0).
 *
 * - `percentile(p)`: the (100 - p)% and p% quantiles (e.g. p = 99.99 clips 0.01% of the values
 *   at each end), rounded outwards to the edges of the bins they fall in.
 * - `mse(bits)`: the range whose uniform `bits`-bit quantization has the least expected squared
 *   error over the histogram. Candidate ranges are all pairs of bin edges [L, U] with L <= 0 <= U
 *   (the quantizer always includes 0, and 0 is a bin edge); the error of a candidate is the
 *   clipping error (values outside [L, U] moved to the nearest bound, each bin at its centre) plus
 *   the rounding error of the values inside, count * step^2 / 12 with step = (U - L) / (2^bits - 1).
 *   Prefix sums make each candidate O(1); the search is exhaustive (O(numBins^2 / 4)).
 *   For a uniform distribution on [-1, 1] this gives +-(1 - 2^-bits), the analytic optimum.
 * - `kl(bits)`: entropy calibration in the style of TensorRT's: the |x| histogram (exact, since
 *   bins never straddle 0) is cut at each bin edge i >= levels; the kept bins plus the clipped mass
 *   (added to the last kept bin) form P, and Q is the kept bins without that mass, merged into
 *   `levels` groups and spread back over each group's bins where P is non-zero (both normalised);
 *   the cut with the least KL(P || Q) gives the threshold T, and
 *   the range [max(min, -T), min(max, T)]. `levels` = 2^(bits-1) when the data has both signs
 *   (a symmetric signed grid) and 2^bits when it has one sign. With fewer bins than levels (16-bit
 *   targets, or few occupied bins) there is nothing to clip and the observed [min, max] is kept.
 */
import type { HistogramSnapshot } from './histogram.js';

/** A calibrated range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

function clampToObserved(h: HistogramSnapshot, lo: number, hi: number): Range {
  let a = Math.min(Math.max(lo, h.min), h.max);
  let b = Math.min(Math.max(hi, h.min), h.max);
  if (a > b) [a, b] = [b, a];
  return { min: a, max: b };
}

/**
 * The bin where the cumulative count reaches `target` (0..total): its lower edge for a lower bound,
 * its upper edge for an upper bound (quantiles are rounded outwards to bin edges, so a bin is never
 * partly clipped and a point mass, such as the zeros of a ReLU, is kept whole).
 */
function quantileEdge(h: HistogramSnapshot, target: number, upper: boolean): number {
  const { counts, width, lo } = h;
  let cum = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && cum + c >= target) return (lo + i + (upper ? 1 : 0)) * width;
    cum += c;
  }
  return h.max;
}

/** The [(100 - p)%, p%] quantile range, rounded outwards to bin edges; p in (50, 100]. */
export function percentileRange(h: HistogramSnapshot, p: number): Range {
  if (!(p > 50 && p <= 100)) throw new RangeError(`percentile must be in (50, 100], got ${p}`);
  if (h.total === 0 || p === 100) return { min: h.min, max: h.max };
  const total = h.counts.reduce((a, b) => a + b, 0);
  const clip = (total * (100 - p)) / 100;
  // The lower bound sits in the bin holding the first value not clipped, the upper one in the bin of
  // the last value kept.
  return clampToObserved(h, quantileEdge(h, Math.floor(clip) + 1, false), quantileEdge(h, Math.ceil(total - clip), true));
}

/** The range minimising the expected `bits`-bit quantization error (see the module comment). */
export function mseRange(h: HistogramSnapshot, bits: number): Range {
  if (h.total === 0 || h.min === h.max) return { min: h.min, max: h.max };
  const { counts, width, lo } = h;
  const n = counts.length;
  // Prefix sums over bin centres: C (count), S1 (sum x), S2 (sum x^2).
  const C = new Float64Array(n + 1);
  const S1 = new Float64Array(n + 1);
  const S2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    const x = (lo + i + 0.5) * width;
    C[i + 1] = C[i]! + c;
    S1[i + 1] = S1[i]! + c * x;
    S2[i + 1] = S2[i]! + c * x * x;
  }
  const iz = -lo; // local edge index of the value 0 (may lie outside [0, n])
  const levels = 2 ** bits - 1;
  // Lower bounds: edges at or below 0 (or 0 itself when every bin is positive).
  const lowIdx: number[] = [];
  if (iz >= 0) for (let i = Math.min(iz, n); i >= 0; i--) lowIdx.push(i);
  else lowIdx.push(0);
  const highIdx: number[] = [];
  if (iz <= n) for (let i = Math.max(iz, 0); i <= n; i++) highIdx.push(i);
  else highIdx.push(n);
  const edge = (i: number): number => (lo + i) * width;
  let best = Infinity;
  let bestL = h.min;
  let bestU = h.max;
  const Cn = C[n]!;
  const S1n = S1[n]!;
  const S2n = S2[n]!;
  for (const iL of lowIdx) {
    const L = iz >= 0 ? edge(iL) : 0;
    const cB = C[iL]!;
    const errBelow = S2[iL]! - 2 * L * S1[iL]! + L * L * cB;
    for (const iU of highIdx) {
      if (iU < iL) continue;
      const U = iz <= n ? edge(iU) : 0;
      if (U <= L) continue;
      const cA = Cn - C[iU]!;
      const errAbove = S2n - S2[iU]! - 2 * U * (S1n - S1[iU]!) + U * U * cA;
      const step = (U - L) / levels;
      const err = errBelow + errAbove + (C[iU]! - cB) * ((step * step) / 12);
      if (err < best) {
        best = err;
        bestL = L;
        bestU = U;
      }
    }
  }
  return clampToObserved(h, bestL, bestU);
}

/** The |x| histogram: bin j covers [j·width, (j+1)·width). */
export function absHistogram(h: HistogramSnapshot): Float64Array {
  const { counts, lo } = h;
  let m = 0;
  for (let i = 0; i < counts.length; i++)
    if (counts[i]! > 0) {
      const g = lo + i;
      m = Math.max(m, g >= 0 ? g + 1 : -g);
    }
  const out = new Float64Array(m);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0) {
      const g = lo + i;
      out[g >= 0 ? g : -g - 1]! += c;
    }
  }
  return out;
}

/**
 * KL(P || Q) of the cut at `cut` bins: P is the kept bins with the clipped mass added to the last
 * one; Q is the kept bins alone (what a `levels`-level grid over [0, cut) can represent), merged into
 * `levels` groups and spread evenly over the group's bins where P is non-zero. Clipping shows up as
 * the last bin's P exceeding its Q.
 */
function klAtCut(abs: Float64Array, cut: number, levels: number, tailMass: number): number {
  let totalQ = 0;
  for (let j = 0; j < cut; j++) totalQ += abs[j]!;
  const totalP = totalQ + tailMass;
  if (totalQ === 0) return Infinity;
  const floorQ = 1e-12;
  let kl = 0;
  for (let k = 0; k < levels; k++) {
    const start = Math.floor((k * cut) / levels);
    const end = Math.floor(((k + 1) * cut) / levels);
    let sum = 0;
    let nz = 0;
    for (let j = start; j < end; j++) {
      const pj = j === cut - 1 ? abs[j]! + tailMass : abs[j]!;
      if (pj > 0) nz++;
      sum += abs[j]!;
    }
    if (nz === 0) continue;
    const q = Math.max(sum / nz / totalQ, floorQ);
    for (let j = start; j < end; j++) {
      const pj = (j === cut - 1 ? abs[j]! + tailMass : abs[j]!) / totalP;
      if (pj > 0) kl += pj * Math.log(pj / q);
    }
  }
  return kl;
}

/** The KL-divergence (entropy) calibrated range (see the module comment). */
export function klRange(h: HistogramSnapshot, bits: number): Range {
  if (h.total === 0 || h.min === h.max) return { min: h.min, max: h.max };
  const oneSided = h.min >= 0 || h.max <= 0;
  const levels = 2 ** (oneSided ? bits : bits - 1);
  const abs = absHistogram(h);
  const m = abs.length;
  if (m <= levels) return { min: h.min, max: h.max };
  // Suffix sums: mass beyond each cut.
  const tail = new Float64Array(m + 1);
  for (let j = m - 1; j >= 0; j--) tail[j] = tail[j + 1]! + abs[j]!;
  let best = Infinity;
  let bestCut = m;
  for (let cut = levels; cut <= m; cut++) {
    const kl = klAtCut(abs, cut, levels, tail[cut]!);
    if (kl < best) {
      best = kl;
      bestCut = cut;
    }
  }
  const t = bestCut * h.width;
  return clampToObserved(h, -t, t);
}
