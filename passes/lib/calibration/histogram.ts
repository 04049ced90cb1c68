/**
 * A single-pass, adaptive-range histogram of a tensor's values for calibration.
 *
 * Design (documented contract of `quant-calibrate`'s histogram methods):
 * - `numBins` bins of equal width `W`, **aligned to zero**: bin `g` (a global index, possibly
 *   negative) covers `[g·W, (g+1)·W)`, so 0 is always a bin edge and every bin holds values of one
 *   sign. The histogram keeps the window of bins `[lo, lo + numBins)`.
 * - The width is chosen from the first batch that has two distinct values: `W = span / (numBins - 3)`
 *   (batches whose values are all equal are buffered until then).
 * - When a later batch falls outside the window, the width doubles as often as needed (`W·2^k`) and the
 *   window moves to cover the union of old and new values. Because both grids are aligned to zero and
 *   `W·2^k` is a multiple of `W`, every old bin falls entirely into one new bin: re-binning moves
 *   counts and never splits them, so no approximation is introduced by growing, only coarser bins.
 *   After growth the data always spans more than a quarter of the bins (in practice most of them).
 * - There is no second pass over the data: one run of the model per sample suffices.
 */

/** A frozen view of a histogram for the range methods. */
export interface HistogramSnapshot {
  /** Bin width. */
  readonly width: number;
  /** Global index of the first bin: bin i covers [(lo + i)·width, (lo + i + 1)·width). */
  readonly lo: number;
  readonly counts: Float64Array;
  /** Smallest and largest value seen (exact). */
  readonly min: number;
  readonly max: number;
  /** Number of values. */
  readonly total: number;
}

/** An adaptive zero-aligned histogram (see the module comment). */
export class Histogram {
  private width = 0;
  private lo = 0;
  private counts: Float64Array;
  private min = Infinity;
  private max = -Infinity;
  private total = 0;
  /** Constant batches seen before the grid exists: value -> count. */
  private pending = new Map<number, number>();

  constructor(readonly numBins: number) {
    if (!Number.isInteger(numBins) || numBins < 8) throw new RangeError(`a histogram needs at least 8 bins, got ${numBins}`);
    this.counts = new Float64Array(numBins);
  }

  /** Adds values whose (finite) minimum and maximum the caller has already computed. */
  add(values: ArrayLike<number>, bmin: number, bmax: number): void {
    const n = values.length;
    if (n === 0) return;
    this.min = Math.min(this.min, bmin);
    this.max = Math.max(this.max, bmax);
    this.total += n;
    if (this.width === 0) {
      if (bmin === bmax && this.pendingRange(bmin) === 0) {
        this.pending.set(bmin, (this.pending.get(bmin) ?? 0) + n);
        return;
      }
      this.init(Math.min(bmin, this.min), Math.max(bmax, this.max));
    } else this.cover(bmin, bmax);
    const w = this.width;
    const lo = this.lo;
    const last = this.numBins - 1;
    const c = this.counts;
    for (let i = 0; i < n; i++) {
      let k = Math.floor((values[i] as number) / w) - lo;
      if (k < 0) k = 0;
      else if (k > last) k = last;
      c[k]!++;
    }
  }

  /** The span of the buffered constant batches together with `v`. */
  private pendingRange(v: number): number {
    let lo = v;
    let hi = v;
    for (const k of this.pending.keys()) {
      lo = Math.min(lo, k);
      hi = Math.max(hi, k);
    }
    return hi - lo;
  }

  /** Creates the grid for [min, max] (min < max) and adds the buffered constant batches. */
  private init(min: number, max: number): void {
    this.width = (max - min) / (this.numBins - 3);
    // Guard against float rounding in the bin arithmetic: grow until the range fits.
    while (Math.floor(max / this.width) - Math.floor(min / this.width) + 1 > this.numBins) this.width *= 2;
    this.lo = Math.floor(min / this.width);
    for (const [v, n] of this.pending) {
      const k = Math.min(this.numBins - 1, Math.max(0, Math.floor(v / this.width) - this.lo));
      this.counts[k]! += n;
    }
    this.pending.clear();
  }

  /** Grows/moves the window so that [bmin, bmax] falls inside it. */
  private cover(bmin: number, bmax: number): void {
    const curLo = this.lo;
    const curHi = this.lo + this.numBins - 1;
    const gmin = Math.floor(bmin / this.width);
    const gmax = Math.floor(bmax / this.width);
    if (gmin >= curLo && gmax <= curHi) return;
    // Occupied global bins (under the current width).
    let first = -1;
    let last = -1;
    for (let i = 0; i < this.numBins; i++)
      if (this.counts[i]! > 0) {
        if (first < 0) first = i;
        last = i;
      }
    const needLo = Math.min(gmin, first >= 0 ? curLo + first : gmin);
    const needHi = Math.max(gmax, last >= 0 ? curLo + last : gmax);
    let k = 0;
    while (Math.floor(needHi / 2 ** k) - Math.floor(needLo / 2 ** k) + 1 > this.numBins) k++;
    const f = 2 ** k;
    const newLo = Math.floor(needLo / f);
    const next = new Float64Array(this.numBins);
    for (let i = 0; i < this.numBins; i++) {
      const c = this.counts[i]!;
      if (c > 0) next[Math.floor((curLo + i) / f) - newLo]! += c;
    }
    this.counts = next;
    this.width *= f;
    this.lo = newLo;
  }

  /** The current state (copies the counts). */
  snapshot(): HistogramSnapshot {
    if (this.width === 0 && this.pending.size > 0) {
      // Only constant batches, all of the same value: one bin of nominal width around it.
      const v = this.min;
      const width = v === 0 ? 1 : Math.abs(v) / 2 ** 20;
      const counts = new Float64Array(this.numBins);
      counts[0] = this.total;
      return { width, lo: Math.floor(v / width), counts, min: this.min, max: this.max, total: this.total };
    }
    return { width: this.width, lo: this.lo, counts: this.counts.slice(), min: this.min, max: this.max, total: this.total };
  }
}
