// BigInt references for TFLite's requantization and a seeded generator, shared by the
// fully-connected, batch-matmul and transpose-conv kernel tests.

/** A seeded linear congruential generator in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** n integers uniformly in [lo, hi]. */
export function randInts(r: () => number, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
}

const B31 = 1n << 31n;

/** MultiplyByQuantizedMultiplier (int32 input, double rounding, saturating SRDHM) in BigInt. */
export function mbqmRef(x: number, m: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const a = BigInt.asIntN(32, BigInt(x) << BigInt(left));
  const ab = a * BigInt(m);
  const hi = a === -B31 && BigInt(m) === -B31 ? B31 - 1n : (ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n))) / B31;
  if (right === 0) return Number(hi);
  const mask = (1n << BigInt(right)) - 1n;
  const th = (mask >> 1n) + (hi < 0n ? 1n : 0n);
  return Number((hi >> BigInt(right)) + ((hi & mask) > th ? 1n : 0n));
}

/** TF 2.12's int64-input multiply (multiplier reduced to 16 bits) in BigInt. */
export function mbqm64Ref(x: bigint, m: number, shift: number): number {
  const r = m < 0x7fff0000 ? (m + 32768) >> 16 : 0x7fff;
  const ts = BigInt(15 - shift);
  return Number(BigInt.asIntN(32, (x * BigInt(r) + (1n << (ts - 1n))) >> ts));
}
