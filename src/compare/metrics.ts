/**
 * Error metrics between a reference tensor and a test tensor, accumulated over many samples:
 * mean/max/RMS error, RMSE in units of the test tensor's quantization step, SQNR, and how much of
 * the test tensor's representable range the reference values use (and how many fall outside it).
 * Also the small numeric helpers the comparison needs: (de)quantization with per-tensor or
 * per-axis parameters, round-half-away, argmax.
 */
import type { QuantParams, TypedArray } from '../interp/kernel.js';

/** Rounds half away from zero (C's `round`, TFLite's quantize rounding). */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * For per-axis quantization: the channel of each flat (row-major) element index. Returns a
 * function `i -> channel`; for per-tensor parameters every element is channel 0.
 */
export function channelOf(shape: readonly number[], quant: QuantParams | undefined): (i: number) => number {
  if (!quant || quant.axis < 0 || quant.scale.length <= 1) return () => 0;
  const axis = quant.axis;
  const dim = shape[axis] ?? 1;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  return (i) => Math.floor(i / inner) % dim;
}

/** Real values of a tensor: `(q - zp) * scale` when quantized (per-axis too), else the numbers. */
export function dequantize(data: TypedArray, shape: readonly number[], quant: QuantParams | undefined, out?: Float64Array): Float64Array {
  const n = data.length;
  const r = out && out.length === n ? out : new Float64Array(n);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) r[i] = Number(data[i]);
  } else {
    for (let i = 0; i < n; i++) r[i] = data[i]!;
  }
  if (!quant) return r;
  if (quant.scale.length <= 1 || quant.axis < 0) {
    const s = quant.scale[0] ?? 1;
    const z = quant.zeroPoint[0] ?? 0;
    for (let i = 0; i < n; i++) r[i] = (r[i]! - z) * s;
    return r;
  }
  const ch = channelOf(shape, quant);
  for (let i = 0; i < n; i++) {
    const c = ch(i);
    r[i] = (r[i]! - (quant.zeroPoint[c] ?? 0)) * (quant.scale[c] ?? 1);
  }
  return r;
}

/**
 * Quantizes real values into `out` (an integer typed array): `clamp(round(x / s) + zp)` with
 * round-half-away, as TFLite's QUANTIZE does. BigInt arrays are written as BigInts.
 */
export function quantizeInto(x: ArrayLike<number>, shape: readonly number[], quant: QuantParams, out: TypedArray): TypedArray {
  const ch = channelOf(shape, quant);
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0; i < x.length; i++) {
    const c = ch(i);
    const s = quant.scale[c] ?? 1;
    const z = quant.zeroPoint[c] ?? 0;
    let q = roundHalfAway(x[i]! / s) + z;
    if (!(q >= quant.storageMin)) q = Number.isNaN(q) ? z : quant.storageMin;
    if (q > quant.storageMax) q = quant.storageMax;
    if (big) (out as BigInt64Array)[i] = BigInt(q);
    else out[i] = q;
  }
  return out;
}

/** The real interval a quantized tensor can represent, per channel: `[(qmin-zp)*s, (qmax-zp)*s]`. */
export function representableRange(quant: QuantParams, channel = 0): [number, number] {
  const s = quant.scale[channel] ?? quant.scale[0] ?? 1;
  const z = quant.zeroPoint[channel] ?? quant.zeroPoint[0] ?? 0;
  return [(quant.storageMin - z) * s, (quant.storageMax - z) * s];
}

/** Index of the largest value in `a[from, to)` (first one on ties). */
export function argmax(a: ArrayLike<number>, from = 0, to = a.length): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (a[i]! > a[best]!) best = i;
  return best - from;
}

/** SQNR in dB from signal and noise energies: +Infinity when exact, NaN with neither. */
export function sqnrDb(signal: number, noise: number): number {
  if (noise === 0) return signal > 0 ? Infinity : NaN;
  if (signal === 0) return -Infinity;
  return 10 * Math.log10(signal / noise);
}

/** A histogram of errors (in LSBs of the test tensor when it is quantized, else absolute). */
export interface Histogram {
  readonly unit: 'lsb' | 'abs';
  readonly lo: number;
  readonly hi: number;
  readonly counts: number[];
  /** How many errors the histogram was made from (a sample of all of them). */
  readonly sampled: number;
}

/** What the comparison of one tensor pair found. */
export interface ErrorMetrics {
  /** Values compared (elements x samples). */
  readonly count: number;
  /** Mean of test - ref (bias). */
  readonly meanError: number;
  readonly meanAbsError: number;
  readonly maxAbsError: number;
  readonly rmse: number;
  /** RMSE in units of the test tensor's scale (per element's channel); null if not quantized. */
  readonly rmseOverScale: number | null;
  /** 10 log10(sum ref^2 / sum err^2); Infinity when exact. */
  readonly sqnrDb: number;
  readonly refMin: number;
  readonly refMax: number;
  readonly testMin: number;
  readonly testMax: number;
  /** The test tensor's representable real range (the union over channels); null if not quantized. */
  readonly representable: [number, number] | null;
  /** (ref max - ref min) / representable width (mean over channels); over 1 means clipping. */
  readonly rangeUsed: number | null;
  /** Fraction of reference values outside the representable range of their channel. */
  readonly clippedFraction: number | null;
  readonly histogram?: Histogram;
}

/** Options of an {@link ErrorAccumulator}. */
export interface AccumulatorOptions {
  /** Errors kept (uniformly sampled) for the histogram; 0 for none. */
  readonly reservoir?: number;
  /** Histogram bins. */
  readonly bins?: number;
  readonly seed?: number;
}

/**
 * Accumulates error statistics of test against reference values over any number of `add` calls
 * (one per sample). `quant` and `shape` describe the test tensor: they give the scale for
 * RMSE/scale and the representable range for clipping (per channel for per-axis quantization).
 */
export class ErrorAccumulator {
  private n = 0;
  private sumErr = 0;
  private sumAbs = 0;
  private maxAbs = 0;
  private sumSq = 0;
  private sumSqScaled = 0;
  private sumSqRef = 0;
  private refMin = Infinity;
  private refMax = -Infinity;
  private testMin = Infinity;
  private testMax = -Infinity;
  private clipped = 0;
  private readonly chMin: Float64Array;
  private readonly chMax: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly invScale: Float64Array;
  private readonly slack: Float64Array;
  private readonly channel: (i: number) => number;
  private readonly reservoir: Float64Array;
  private seen = 0;
  private rand: number;
  private readonly bins: number;

  constructor(
    private readonly shape: readonly number[],
    private readonly quant: QuantParams | undefined,
    opts: AccumulatorOptions = {},
  ) {
    const channels = quant ? Math.max(1, quant.scale.length) : 1;
    this.chMin = new Float64Array(channels).fill(Infinity);
    this.chMax = new Float64Array(channels).fill(-Infinity);
    this.lo = new Float64Array(channels);
    this.hi = new Float64Array(channels);
    this.invScale = new Float64Array(channels).fill(1);
    this.slack = new Float64Array(channels);
    if (quant)
      for (let c = 0; c < channels; c++) {
        const [lo, hi] = representableRange(quant, c);
        const s = quant.scale[c] ?? quant.scale[0] ?? 1;
        // A thousandth of a step of slack: scales printed or stored with finite precision put
        // the exact extremes (e.g. max|w| of symmetric weights) a hair outside the range.
        this.lo[c] = lo;
        this.hi[c] = hi;
        this.slack[c] = s * 1e-3;
        this.invScale[c] = s > 0 ? 1 / s : 0;
      }
    this.channel = channelOf(shape, quant);
    this.reservoir = new Float64Array(opts.reservoir ?? 2048);
    this.bins = opts.bins ?? 41;
    this.rand = (opts.seed ?? 0x9e3779b9) >>> 0;
  }

  private next(): number {
    // mulberry32
    this.rand = (this.rand + 0x6d2b79f5) >>> 0;
    let t = this.rand;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Adds one sample's values (same length). */
  add(ref: ArrayLike<number>, test: ArrayLike<number>): void {
    const n = Math.min(ref.length, test.length);
    const q = this.quant !== undefined;
    const perAxis = q && this.chMin.length > 1;
    const cap = this.reservoir.length;
    for (let i = 0; i < n; i++) {
      const r = ref[i]!;
      const t = test[i]!;
      const e = t - r;
      const a = Math.abs(e);
      this.sumErr += e;
      this.sumAbs += a;
      if (a > this.maxAbs) this.maxAbs = a;
      this.sumSq += e * e;
      this.sumSqRef += r * r;
      if (r < this.refMin) this.refMin = r;
      if (r > this.refMax) this.refMax = r;
      if (t < this.testMin) this.testMin = t;
      if (t > this.testMax) this.testMax = t;
      const c = perAxis ? this.channel(i) : 0;
      let unitErr = e;
      if (q) {
        unitErr = e * this.invScale[c]!;
        this.sumSqScaled += unitErr * unitErr;
        if (r < this.lo[c]! - this.slack[c]! || r > this.hi[c]! + this.slack[c]!) this.clipped++;
        if (r < this.chMin[c]!) this.chMin[c] = r;
        if (r > this.chMax[c]!) this.chMax[c] = r;
      }
      if (cap > 0) {
        if (this.seen < cap) this.reservoir[this.seen] = unitErr;
        else {
          const j = Math.floor(this.next() * (this.seen + 1));
          if (j < cap) this.reservoir[j] = unitErr;
        }
        this.seen++;
      }
    }
    this.n += n;
  }

  /** The metrics so far. */
  result(): ErrorMetrics {
    const n = this.n;
    const q = this.quant;
    let representable: [number, number] | null = null;
    let rangeUsed: number | null = null;
    if (q) {
      let lo = Infinity;
      let hi = -Infinity;
      let used = 0;
      let channels = 0;
      for (let c = 0; c < this.lo.length; c++) {
        lo = Math.min(lo, this.lo[c]!);
        hi = Math.max(hi, this.hi[c]!);
        const width = this.hi[c]! - this.lo[c]!;
        if (this.chMax[c]! >= this.chMin[c]! && width > 0) {
          used += (this.chMax[c]! - this.chMin[c]!) / width;
          channels++;
        }
      }
      representable = [lo, hi];
      rangeUsed = channels ? used / channels : null;
    }
    return {
      count: n,
      meanError: n ? this.sumErr / n : 0,
      meanAbsError: n ? this.sumAbs / n : 0,
      maxAbsError: this.maxAbs,
      rmse: n ? Math.sqrt(this.sumSq / n) : 0,
      rmseOverScale: q && n ? Math.sqrt(this.sumSqScaled / n) : null,
      sqnrDb: n ? sqnrDb(this.sumSqRef, this.sumSq) : NaN,
      refMin: n ? this.refMin : NaN,
      refMax: n ? this.refMax : NaN,
      testMin: n ? this.testMin : NaN,
      testMax: n ? this.testMax : NaN,
      representable,
      rangeUsed,
      clippedFraction: q && n ? this.clipped / n : null,
      ...(this.reservoir.length > 0 && n > 0 ? { histogram: this.histogram() } : {}),
    };
  }

  private histogram(): Histogram {
    const k = Math.min(this.seen, this.reservoir.length);
    let m = 0;
    for (let i = 0; i < k; i++) m = Math.max(m, Math.abs(this.reservoir[i]!));
    const unit = this.quant ? 'lsb' : 'abs';
    // In LSBs, show at least +-1 so a perfect uniform [-0.5, 0.5] error reads as such.
    const half = unit === 'lsb' ? Math.max(1, m) : m > 0 ? m : 1;
    const bins = this.bins;
    const counts = new Array<number>(bins).fill(0);
    const width = (2 * half) / bins;
    for (let i = 0; i < k; i++) {
      const b = Math.min(bins - 1, Math.max(0, Math.floor((this.reservoir[i]! + half) / width)));
      counts[b]!++;
    }
    return { unit, lo: -half, hi: half, counts, sampled: k };
  }
}
