/**
 * Per-tensor statistics gathered during calibration, one batch (= one invoke of the model on one
 * sample) at a time, and the range methods that turn them into a [min, max]:
 *
 * - `minmax` (the default, TFLite's calibrator): the smallest and largest value over all batches.
 * - `moving-average`: an exponential moving average of each batch's min and max,
 *   `m <- m + c·(batch_m - m)` with the averaging constant c (PyTorch's MovingAverageMinMaxObserver
 *   convention; the first batch initialises it).
 * - `percentile`, `mse`, `kl`: computed from a {@link Histogram} of every value (see
 *   range-methods.ts); the histogram is only kept when one of these methods is asked for.
 *
 * The raw min/max is always kept (for reporting). A NaN or infinite value is an error: a range
 * cannot be calibrated from it.
 */
import { Histogram } from './histogram.js';
import { type Range, klRange, mseRange, percentileRange } from './range-methods.js';

/** The calibration methods. */
export const CALIBRATION_METHODS = ['minmax', 'moving-average', 'percentile', 'mse', 'kl'] as const;
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

/** Method parameters. */
export interface MethodOptions {
  readonly method: CalibrationMethod;
  /** EMA constant for `moving-average` (0 < c <= 1). */
  readonly averagingConstant: number;
  /** Histogram bins for `percentile` / `mse` / `kl`. */
  readonly numBins: number;
  /** Percentile for `percentile` (e.g. 99.99). */
  readonly percentile: number;
  /** Target bit width for `mse` / `kl` (8 or 16). */
  readonly bits: number;
}

/** Default method parameters. */
export const DEFAULT_METHOD_OPTIONS: MethodOptions = Object.freeze({
  method: 'minmax',
  averagingConstant: 0.01,
  numBins: 2048,
  percentile: 99.99,
  bits: 8,
});

/** Whether a method needs the histogram. */
export function usesHistogram(method: CalibrationMethod): boolean {
  return method === 'percentile' || method === 'mse' || method === 'kl';
}

/** A value that is not finite was seen. */
export class NonFiniteValueError extends Error {
  constructor(readonly value: number) {
    super(`non-finite value ${value}`);
    this.name = 'NonFiniteValueError';
  }
}

/** The min and max of a batch (throws NonFiniteValueError on NaN/Inf); undefined when empty. */
export function batchMinMax(values: ArrayLike<number>): Range | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (v !== v) nan = true;
  }
  if (nan) throw new NonFiniteValueError(NaN);
  if (lo === -Infinity) throw new NonFiniteValueError(lo);
  if (hi === Infinity) throw new NonFiniteValueError(hi);
  return { min: lo, max: hi };
}

/** Statistics of one tensor over the calibration batches. */
export class TensorObserver {
  /** Raw extremes over all batches. */
  min = Infinity;
  max = -Infinity;
  /** Batches with at least one element. */
  batches = 0;
  private emaMin = 0;
  private emaMax = 0;
  private readonly hist: Histogram | undefined;

  constructor(private readonly opts: MethodOptions) {
    this.hist = usesHistogram(opts.method) ? new Histogram(opts.numBins) : undefined;
  }

  /** Records one batch. */
  update(values: ArrayLike<number>): void {
    const mm = batchMinMax(values);
    if (!mm) return;
    this.updateWith(values, mm);
  }

  /** Records one batch whose min/max is known. */
  updateWith(values: ArrayLike<number>, mm: Range): void {
    if (this.batches === 0) {
      this.emaMin = mm.min;
      this.emaMax = mm.max;
    } else {
      const c = this.opts.averagingConstant;
      this.emaMin += c * (mm.min - this.emaMin);
      this.emaMax += c * (mm.max - this.emaMax);
    }
    this.batches++;
    if (mm.min < this.min) this.min = mm.min;
    if (mm.max > this.max) this.max = mm.max;
    this.hist?.add(values, mm.min, mm.max);
  }

  /** Whether anything was observed. */
  get observed(): boolean {
    return this.batches > 0;
  }

  /** The range chosen by the method (undefined when nothing was observed). */
  range(): Range | undefined {
    if (!this.observed) return undefined;
    switch (this.opts.method) {
      case 'minmax':
        return { min: this.min, max: this.max };
      case 'moving-average':
        return { min: Math.min(this.emaMin, this.emaMax), max: Math.max(this.emaMin, this.emaMax) };
      case 'percentile':
        return percentileRange(this.hist!.snapshot(), this.opts.percentile);
      case 'mse':
        return mseRange(this.hist!.snapshot(), this.opts.bits);
      case 'kl':
        return klRange(this.hist!.snapshot(), this.opts.bits);
    }
  }
}

/** A plain running min/max (variable state tensors and LSTM internals). */
export class MinMaxObserver {
  min = Infinity;
  max = -Infinity;
  update(values: ArrayLike<number>): void {
    const mm = batchMinMax(values);
    if (!mm) return;
    if (mm.min < this.min) this.min = mm.min;
    if (mm.max > this.max) this.max = mm.max;
  }
  /** Records one value. */
  add(v: number): void {
    if (!Number.isFinite(v)) throw new NonFiniteValueError(v);
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }
  get observed(): boolean {
    return this.min <= this.max;
  }
  range(): Range | undefined {
    return this.observed ? { min: this.min, max: this.max } : undefined;
  }
}
