/**
 * The one canonical float format of printed IR: MLIR's `%e` style (`1.000000e+00`) when six digits
 * round-trip exactly, else the shortest exponent form that does; non-finite values print as the
 * bit pattern in hex (`0x7FC00000`), which MLIR also accepts.
 */

function fixExponent(s: string): string {
  // JS gives "1.5e-3"; MLIR's style has at least two exponent digits and a sign: "1.5e-03".
  const m = /^(-?[0-9.]+)e([-+])([0-9]+)$/.exec(s);
  if (!m) return s;
  const mant = m[1]!.includes('.') ? m[1]! : `${m[1]}.0`;
  return `${mant}e${m[2]}${m[3]!.padStart(2, '0')}`;
}

/** Formats a float of width 16, 32 or 64 (the value is exact in that width). */
export function formatFloat(v: number, width: 16 | 32 | 64 = 64): string {
  if (!Number.isFinite(v)) return hexFloat(v, width);
  if (Object.is(v, -0)) return '-0.000000e+00';
  const same = width === 32 ? (x: number) => Math.fround(x) === v : (x: number) => x === v;
  const six = v.toExponential(6);
  if (same(Number(six))) return fixExponent(six);
  for (let p = 7; p <= 17; p++) {
    const s = v.toExponential(p);
    if (same(Number(s))) return fixExponent(trimZeros(s));
  }
  return fixExponent(v.toExponential());
}

function trimZeros(s: string): string {
  return s.replace(/(\.[0-9]*?)0+e/, '$1e').replace(/\.e/, '.0e');
}

/** The hex bit pattern of a float (for NaN/Inf). */
export function hexFloat(v: number, width: 16 | 32 | 64): string {
  if (width === 64) {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, v);
    return `0x${b.getUint32(0).toString(16).toUpperCase().padStart(8, '0')}${b.getUint32(4).toString(16).toUpperCase().padStart(8, '0')}`;
  }
  if (width === 32) {
    const b = new DataView(new ArrayBuffer(4));
    b.setFloat32(0, v);
    return `0x${b.getUint32(0).toString(16).toUpperCase().padStart(8, '0')}`;
  }
  // f16: NaN / +-Inf only reach here.
  const bits = Number.isNaN(v) ? 0x7e00 : v > 0 ? 0x7c00 : 0xfc00;
  return `0x${bits.toString(16).toUpperCase()}`;
}

/** Interprets a hex literal as a float bit pattern of a width. */
export function floatFromHex(hex: string, width: number): number {
  const digits = hex.replace(/^0x/i, '');
  if (width === 64) {
    const b = new DataView(new ArrayBuffer(8));
    const v = BigInt(`0x${digits}`);
    b.setBigUint64(0, v);
    return b.getFloat64(0);
  }
  if (width === 32) {
    const b = new DataView(new ArrayBuffer(4));
    b.setUint32(0, parseInt(digits, 16) >>> 0);
    return b.getFloat32(0);
  }
  return halfToFloat(parseInt(digits, 16));
}

/** IEEE half bits -> number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** number -> IEEE half bits (round to nearest even). */
export function floatToHalf(v: number): number {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  e = h >> 10;
  return sign | h;
}
