/**
 * Exact integer matrix-vector products for the integer LSTM kernels: the weights of all gates stacked
 * into one [gates * n_cell, depth] matrix, times a float64 copy of the input or hidden vector. Two
 * rows per multiply (PackedRows) when the value bounds allow it, else four rows per pass.
 */
import { PackedRows } from '../../../../src/interp/packed-dot.js';

/** `out[outOff + r] += sum_k W[r, k] * x[xOff + k]`, exactly, for every row r of a constant matrix. */
export interface MatVec {
  readonly rows: number;
  readonly depth: number;
  gemv(x: Float64Array, xOff: number, out: Float64Array, outOff: number): void;
}

/** Plain float64 rows, four rows per pass over x (used when PackedRows cannot pack, e.g. int16 x). */
class PlainRows implements MatVec {
  constructor(
    readonly rows: number,
    readonly depth: number,
    private readonly w: Float64Array,
  ) {}

  gemv(x: Float64Array, xOff: number, out: Float64Array, outOff: number): void {
    const { w: W, depth: K, rows } = this;
    const e = xOff + K;
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const b0 = r * K - xOff;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let k = xOff; k < e; k++) {
        const xv = x[k] as number;
        a0 += xv * (W[b0 + k] as number);
        a1 += xv * (W[b1 + k] as number);
        a2 += xv * (W[b2 + k] as number);
        a3 += xv * (W[b3 + k] as number);
      }
      const o = outOff + r;
      out[o] = (out[o] as number) + a0;
      out[o + 1] = (out[o + 1] as number) + a1;
      out[o + 2] = (out[o + 2] as number) + a2;
      out[o + 3] = (out[o + 3] as number) + a3;
    }
    for (; r < rows; r++) {
      const b0 = r * K - xOff;
      let a0 = 0;
      for (let k = xOff; k < e; k++) a0 += (x[k] as number) * (W[b0 + k] as number);
      out[outOff + r] = (out[outOff + r] as number) + a0;
    }
  }
}

/**
 * The row blocks `mats[i]` (each [blockRows, depth], integer values) plus `offsets[i]`, stacked into
 * one [mats.length * blockRows, depth] float64 matrix.
 */
export function stackRows(mats: readonly ArrayLike<number>[], offsets: readonly number[], blockRows: number, depth: number): Float64Array {
  const n = blockRows * depth;
  const out = new Float64Array(mats.length * n);
  mats.forEach((m, i) => {
    if (m.length < n) throw new RangeError(`stackRows: block ${i} holds ${m.length} values, expected ${n}`);
    const off = offsets[i] ?? 0;
    for (let j = 0; j < n; j++) out[i * n + j] = (m[j] as number) + off;
  });
  return out;
}

/**
 * A product for the integer matrix `w` [rows, depth] and vectors whose values are bounded by
 * `maxAbsX`: packed two rows per multiply when exact, else plain (exact while every row sum stays
 * below 2^53, which int16 x int8 products over any realistic depth do).
 */
export function matVec(w: Float64Array, rows: number, depth: number, maxAbsX: number): MatVec {
  return PackedRows.create(w, rows, depth, 0, maxAbsX) ?? new PlainRows(rows, depth, w);
}

/** `dst[i] = src[i] + offset` for the `n` values from `srcOff`, into a float64 vector at `dstOff`. */
export function toF64(src: ArrayLike<number>, srcOff: number, n: number, offset: number, dst: Float64Array, dstOff: number): void {
  for (let i = 0; i < n; i++) dst[dstOff + i] = (src[srcOff + i] as number) + offset;
}
