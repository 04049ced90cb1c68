// TFLite's fixed-point primitives against BigInt references on random and boundary int32 values.
import { describe, expect, it } from 'vitest';
import { mbqm, quantizeMultiplier, quantizedActivationRange, rdbpot, srdhm } from '../../src/interp/fixedpoint.js';
import { rng } from '../support/corpus.js';

function srdhmRef(a: number, b: number): number {
  if (a === -2147483648 && b === -2147483648) return 2147483647;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates like C++
}
function rdbpotRef(x: number, e: number): number {
  const mask = (1n << BigInt(e)) - 1n;
  const bx = BigInt(x);
  const rem = bx & mask;
  const th = (mask >> 1n) + (bx < 0n ? 1n : 0n);
  return Number((bx >> BigInt(e)) + (rem > th ? 1n : 0n));
}

describe('fixed point', () => {
  const r = rng(99);
  const edge = [-2147483648, 2147483647, 0, 1, -1, 1 << 30, -(1 << 30)];
  const int32 = (): number => (r() < 0.1 ? edge[Math.floor(r() * edge.length)]! : Math.floor(r() * 4294967296) - 2147483648);
  it('SaturatingRoundingDoublingHighMul equals the 64-bit reference (200k cases)', () => {
    for (let i = 0; i < 200_000; i++) {
      const a = int32();
      const b = int32();
      if (srdhm(a, b) !== srdhmRef(a, b)) throw new Error(`srdhm(${a}, ${b}) = ${srdhm(a, b)}, want ${srdhmRef(a, b)}`);
    }
  });
  it('SaturatingRoundingDoublingHighMul: exact ties and near-ties of large products', () => {
    const as = [2 ** 30 + 1, -(2 ** 30 + 1), 2 ** 31 - 1, -(2 ** 31), 3 * 2 ** 28 + 1, 1431655765];
    const bs = [2 ** 30, -(2 ** 30), 3 * 2 ** 29, 2 ** 31 - 1, -(2 ** 31), 1431655766, 2 ** 22 + 1];
    for (const a of as) for (const b of bs) for (const da of [-1, 0, 1]) {
      const x = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, a + da));
      expect(srdhm(x, b)).toBe(srdhmRef(x, b));
    }
  });
  it('SaturatingRoundingDoublingHighMul: products near the exact-double fast path bound (2^52)', () => {
    for (let i = 0; i < 200_000; i++) {
      // |a| up to 2^(8..24) against full-range multipliers: products on both sides of 2^52, and ties.
      const a = Math.floor((r() - 0.5) * 2 ** (8 + Math.floor(r() * 17)));
      const b = i % 7 === 0 ? (i % 2 ? 1 << 30 : -(1 << 30)) : int32();
      if (srdhm(a, b) !== srdhmRef(a, b)) throw new Error(`srdhm(${a}, ${b}) = ${srdhm(a, b)}, want ${srdhmRef(a, b)}`);
    }
  });
  it('MultiplyByQuantizedMultiplier equals srdhm + RoundingDivideByPOT on BigInts (200k cases, shifts -31..7)', () => {
    for (let i = 0; i < 200_000; i++) {
      const x = i % 2 ? int32() : Math.floor((r() - 0.5) * 2 ** (4 + Math.floor(r() * 24)));
      const m = i % 5 === 0 ? 1 << 30 : 1073741824 + Math.floor(r() * 1073741823);
      const shift = Math.floor(r() * 39) - 31;
      const left = shift > 0 ? shift : 0;
      const want = rdbpotRef(srdhmRef(left ? (x << left) | 0 : x, m), left ? 0 : -shift);
      if (mbqm(x, m, shift) !== want) throw new Error(`mbqm(${x}, ${m}, ${shift}) = ${mbqm(x, m, shift)}, want ${want}`);
    }
  });
  it('RoundingDivideByPOT rounds half away from zero (200k cases, exponents 0..31)', () => {
    for (let i = 0; i < 200_000; i++) {
      const x = int32();
      const e = Math.floor(r() * 32);
      if (rdbpot(x, e) !== rdbpotRef(x, e)) throw new Error(`rdbpot(${x}, ${e})`);
    }
    expect(rdbpot(-3, 1)).toBe(-2);
    expect(rdbpot(3, 1)).toBe(2);
    expect(rdbpot(-5, 2)).toBe(-1);
  });
  it('quantizeMultiplier: Q0.31 mantissa and shift, with the 2^31 rounding carry', () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 1073741824, shift: 0 });
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 1073741824, shift: -1 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 1073741824, shift: 1 });
    // A mantissa that rounds up to exactly 2^31 moves one binade up.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 1073741824, shift: 1 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    const { multiplier, shift } = quantizeMultiplier(0.0123);
    expect(mbqm(1000000, multiplier, shift)).toBe(12300);
  });
  it('activation ranges divide in float32 like TFLite', () => {
    // 6 / 0.03883495181798935 is exactly 154.5 in float32 (154.49999… in double): TFLite rounds to 155.
    expect(quantizedActivationRange('RELU6', 0.03883495181798935, 0, 'i8')).toEqual([0, 127]);
    expect(quantizedActivationRange('RELU6', 0.03883495181798935, -128, 'i8')).toEqual([-128, 27]);
    expect(quantizedActivationRange('RELU', 0.1, 5, 'i16')).toEqual([5, 32767]);
    expect(quantizedActivationRange('TANH', 0.1, 0, 'i8')).toBeUndefined();
  });
});
