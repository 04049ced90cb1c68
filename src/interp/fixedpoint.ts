/**
 * TFLite's integer arithmetic, exactly: quantized multiplier derivation from a real scale,
 * SaturatingRoundingDoublingHighMul, RoundingDivideByPOT and MultiplyByQuantizedMultiplier
 * (int32 and int64 forms). Everything is exact in doubles; no BigInt in the int32 paths.
 */

const TWO_15 = 32768;
const TWO_31 = 2147483648;
const INV_TWO_31 = 1 / 2147483648;
const TIE_GUARD = 2 ** -20;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** A real multiplier as TFLite encodes it: `multiplier` in Q0.31 and a power-of-two `shift` (left if > 0). */
export interface QuantizedMultiplier {
  readonly multiplier: number;
  readonly shift: number;
}

/** `frexp`: m = f * 2^e with 0.5 <= |f| < 1 (f = 0, e = 0 for m = 0). */
export function frexp(m: number): { f: number; e: number } {
  if (m === 0 || !Number.isFinite(m)) return { f: m, e: 0 };
  const abs = Math.abs(m);
  let e = Math.max(-1073, Math.floor(Math.log2(abs)) + 1);
  let f = abs * Math.pow(2, -e);
  while (f < 0.5) {
    f *= 2;
    e--;
  }
  while (f >= 1) {
    f *= 0.5;
    e++;
  }
  return { f: m < 0 ? -f : f, e };
}

/** C's `std::round`: half away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** TFLite `QuantizeMultiplier`: real multiplier -> (Q0.31 multiplier, shift). */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (real === 0) return { multiplier: 0, shift: 0 };
  const { f, e } = frexp(real);
  let shift = e;
  let q = roundHalfAway(f * TWO_31);
  if (q === TWO_31) {
    q /= 2;
    shift++;
  }
  if (shift < -31) {
    shift = 0;
    q = 0;
  }
  if (shift > 30) {
    shift = 30;
    q = INT32_MAX;
  }
  return { multiplier: q, shift };
}

/** TFLite `QuantizeMultiplierSmallerThanOneExp`: for 0 < real < 1, shift <= 0. */
export function quantizeMultiplierSmallerThanOne(real: number): QuantizedMultiplier {
  return quantizeMultiplier(real);
}

/** gemmlowp `SaturatingRoundingDoublingHighMul` on int32: round(a*b / 2^31), saturating. */
export function srdhm(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // gemmlowp's (a*b + nudge) / 2^31 truncated equals floor(a*b / 2^31 + 1/2). The rounded product
  // scaled by 2^-31 is within 2^-21 of the exact quotient (|quotient| < 2^31; exact below 2^52), so
  // the floor is exact unless q + 1/2 lies that close to an integer (ties included): those go exact.
  const f = a * b * INV_TWO_31 + 0.5;
  const h = Math.floor(f);
  const d = f - h;
  if (d > TIE_GUARD && d < 1 - TIE_GUARD) return h | 0;
  return srdhmExact(a, b);
}

/** `srdhm` (not both INT32_MIN) with every partial product exact in a double. */
function srdhmExact(a: number, b: number): number {
  // a*b is up to 62 bits: split b so every partial product is exact in a double.
  const bh = Math.floor(b / 65536);
  const bl = b - bh * 65536;
  const p = a * bh; // |p| < 2^46, exact
  const q = a * bl; // |q| < 2^47, exact
  const p1 = Math.floor(p / TWO_15);
  const p0 = p - p1 * TWO_15;
  const n = a === 0 || b === 0 || a < 0 === b < 0 ? 1073741824 : 1 - 1073741824;
  const r = p0 * 65536 + q + n; // exact: |r| < 2^48
  const r1 = Math.floor(r / TWO_31);
  const r0 = r - r1 * TWO_31;
  const fl = p1 + r1;
  return fl < 0 && r0 !== 0 ? fl + 1 : fl;
}

/** gemmlowp `RoundingDivideByPOT`: x / 2^exponent rounded half away from zero, exponent in [0, 31]. */
export function rdbpot(x: number, exponent: number): number {
  if (exponent === 0) return x;
  return x === (x | 0) && exponent < 32 ? rdbpotInt32(x, exponent) : rdbpotWide(x, exponent);
}

/**
 * `rdbpot` for an int32 `x` and exponent in [1, 31], with gemmlowp's bit operations (the one copy;
 * `mbqm` uses it too).
 */
function rdbpotInt32(x: number, exponent: number): number {
  const mask = ((1 << exponent) - 1) | 0;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** `rdbpot` beyond int32 (integer-valued doubles), with the same two's-complement semantics. */
function rdbpotWide(x: number, exponent: number): number {
  const p = Math.pow(2, exponent);
  const mask = p - 1;
  const remainder = x - Math.floor(x / p) * p; // x & mask for two's complement
  const threshold = Math.floor(mask / 2) + (x < 0 ? 1 : 0);
  return Math.floor(x / p) + (remainder > threshold ? 1 : 0);
}

/** TFLite `MultiplyByQuantizedMultiplier` (int32 x, double rounding as in the default build). */
export function mbqm(x: number, multiplier: number, shift: number): number {
  if (shift > 0) return srdhm((x << shift) | 0, multiplier);
  const h = srdhm(x, multiplier);
  return shift === 0 ? h : rdbpotInt32(h, -shift);
}

/** `MultiplyByQuantizedMultiplierSmallerThanOneExp` (shift <= 0). */
export function mbqmSmallerThanOne(x: number, multiplier: number, shift: number): number {
  return mbqm(x, multiplier, shift);
}

/** `MultiplyByQuantizedMultiplierGreaterThanOne` (shift >= 0). */
export function mbqmGreaterThanOne(x: number, multiplier: number, leftShift: number): number {
  return srdhm((x << leftShift) | 0, multiplier);
}

/**
 * TFLite's int64-input `MultiplyByQuantizedMultiplier` (newer LiteRT form): full 31-bit multiplier,
 * (x * m + round) >> (31 - shift), result as int32 (callers clamp).
 */
export function mbqm64(x: bigint, multiplier: number, shift: number): number {
  const totalShift = BigInt(31 - shift);
  const round = 1n << (totalShift - 1n);
  const r = (x * BigInt(multiplier) + round) >> totalShift;
  return Number(BigInt.asIntN(32, r));
}

/**
 * TF ≈2.12's int64-input `MultiplyByQuantizedMultiplier` (the one in tfjs-tflite): the multiplier is
 * first reduced to 16 bits, then (x * m16 + round) >> (15 - shift).
 */
export function mbqm64Reduced(x: bigint, multiplier: number, shift: number): number {
  const reduced = multiplier < 0x7fff0000 ? (multiplier + (1 << 15)) >> 16 : 0x7fff;
  const totalShift = BigInt(15 - shift);
  const round = 1n << (totalShift - 1n);
  const r = (x * BigInt(reduced) + round) >> totalShift;
  return Number(BigInt.asIntN(32, r));
}

/** Clamps to [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Storage range of an integer dtype. */
export function intRange(dtype: 'i8' | 'u8' | 'i16' | 'i32'): [number, number] {
  switch (dtype) {
    case 'i8':
      return [-128, 127];
    case 'u8':
      return [0, 255];
    case 'i16':
      return [-32768, 32767];
    case 'i32':
      return [INT32_MIN, INT32_MAX];
  }
}

/**
 * The [min, max] clamp of a fused activation on a quantized output (TFLite
 * `CalculateActivationRangeQuantized`: `zp + round(f / scale)` with the division in float32, as
 * the scale is a float), intersected with the dtype range; undefined for activations that have no
 * quantized form.
 */
export function quantizedActivationRange(
  activation: string,
  scale: number,
  zeroPoint: number,
  dtype: 'i8' | 'u8' | 'i16' | 'i32',
): [number, number] | undefined {
  const [qmin, qmax] = intRange(dtype);
  const s = Math.fround(scale);
  const q = (f: number): number => zeroPoint + roundHalfAway(Math.fround(f / s));
  switch (activation) {
    case 'NONE':
      return [qmin, qmax];
    case 'RELU':
      return [Math.max(qmin, q(0)), qmax];
    case 'RELU6':
      return [Math.max(qmin, q(0)), Math.min(qmax, q(6))];
    case 'RELU_N1_TO_1':
      return [Math.max(qmin, q(-1)), Math.min(qmax, q(1))];
    case 'RELU_0_TO_1':
      return [Math.max(qmin, q(0)), Math.min(qmax, q(1))];
    default:
      return undefined;
  }
}

/** The [min, max] clamp of a fused activation on a float output. */
export function floatActivationRange(activation: string): [number, number] {
  switch (activation) {
    case 'NONE':
      return [-Infinity, Infinity];
    case 'RELU':
      return [0, Infinity];
    case 'RELU6':
      return [0, 6];
    case 'RELU_N1_TO_1':
      return [-1, 1];
    case 'RELU_0_TO_1':
      return [0, 1];
    default:
      throw new Error(`unsupported fused activation '${activation}'`);
  }
}
