/**
 * The seeded random source of the single-op case generator: a thin layer over `corpus.ts`'s `rng`
 * with the draws the families need (ints, floats, log-uniform scales, picks, shuffles). Every draw
 * consumes the stream in a fixed order, so the cases are a pure function of the seed.
 */
import { rng } from '../corpus.js';

/** A seeded random stream with typed draws. */
export class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** Float in [lo, hi). */
  float(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** A float32 scale, log-uniform in [lo, hi). */
  scale(lo: number, hi: number): number {
    return Math.fround(Math.exp(this.float(Math.log(lo), Math.log(hi))));
  }
  /** One element of `xs`, uniformly. */
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** True with probability `p`. */
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  /** `n` integers in [lo, hi]. */
  ints(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => this.int(lo, hi));
  }
  /** `n` float32 values in [lo, hi). */
  floats(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => Math.fround(this.float(lo, hi)));
  }
  /** Shuffles `xs` in place (Fisher–Yates) and returns it. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}
