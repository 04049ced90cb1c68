/**
 * Exact small-integer matrix-vector products, two matrix rows per float64 multiply (SWAR): row pairs
 * are packed as `lo + hi * 2^s`, one multiply-add then serves both rows, and the two sums are split
 * apart after each depth chunk. Chunks are sized so that every partial sum stays an exact integer.
 */

/** Largest magnitude every packed partial sum may reach (exact integers in a double: 2^53). */
const EXACT = 2 ** 53;

/** Below this chunk length the split after each chunk costs more than the packing saves. */
const MIN_CHUNK = 32;

/** The magnitude bound of a product of two factors bounded by `maxA` and `maxB`. */
function productBound(maxA: number, maxB: number): number {
  return Math.max(1, maxA) * Math.max(1, maxB);
}

/**
 * Packing parameters for sums of `depth` products each bounded by `perProduct`: the chunk length and
 * the shift 2^s that keep `lo` in (-2^s/2, 2^s/2) and the packed sum below 2^53; undefined when not
 * even one product fits.
 */
export function packingFor(depth: number, perProduct: number): { chunk: number; scale: number } | undefined {
  let chunk = Math.max(1, depth);
  for (;;) {
    const bound = chunk * perProduct;
    // |lo| <= bound < scale / 2 and |lo + hi * scale| <= bound * (scale + 1) < 2^53.
    const scale = 2 ** Math.ceil(Math.log2(2 * bound + 2));
    if (bound * (scale + 1) < EXACT) return { chunk, scale };
    if (chunk === 1) return undefined;
    chunk = Math.ceil(chunk / 2);
  }
}

/**
 * An integer matrix [rows, depth] (constant, e.g. weights plus their zero-point offset) packed for
 * {@link PackedRows.gemv}. `maxAbsX` bounds the vectors it will be multiplied with.
 */
export class PackedRows {
  /** Row pairs: pair p holds rows 2p (low) and 2p + 1 (high, zero for an odd last row). */
  private readonly packed: Float64Array;
  private readonly pairs: number;

  private constructor(
    readonly rows: number,
    readonly depth: number,
    private readonly chunk: number,
    private readonly scale: number,
    packed: Float64Array,
  ) {
    this.packed = packed;
    this.pairs = Math.ceil(rows / 2);
  }

  /**
   * Packs `w[r * depth + k] + offset`, or returns undefined when the bounds leave no room for two
   * rows per double (e.g. int16 vectors times int8 weights over long depths).
   */
  static create(w: ArrayLike<number>, rows: number, depth: number, offset: number, maxAbsX: number): PackedRows | undefined {
    let maxW = 0;
    for (let i = 0; i < rows * depth; i++) {
      const v = Math.abs((w[i] as number) + offset);
      if (v > maxW) maxW = v;
    }
    const p = packingFor(depth, productBound(maxW, maxAbsX));
    if (!p || p.chunk < Math.min(depth, MIN_CHUNK)) return undefined;
    const pairs = Math.ceil(rows / 2);
    const packed = new Float64Array(pairs * depth);
    for (let q = 0; q < pairs; q++) {
      const lo = 2 * q * depth;
      const hasHi = 2 * q + 1 < rows;
      for (let k = 0; k < depth; k++) {
        const hi = hasHi ? (w[lo + depth + k] as number) + offset : 0;
        packed[q * depth + k] = (w[lo + k] as number) + offset + hi * p.scale;
      }
    }
    return new PackedRows(rows, depth, p.chunk, p.scale, packed);
  }

  /**
   * `out[outOff + r] += sum_k row_r[k] * x[xOff + k]` for every row, exactly. `x` holds integers with
   * magnitude at most the `maxAbsX` given to {@link PackedRows.create}.
   */
  gemv(x: Float64Array, xOff: number, out: Float64Array, outOff: number): void {
    const { packed: P, depth: K, chunk, scale: S, pairs, rows } = this;
    const invS = 1 / S;
    for (let k0 = 0; k0 < K; k0 += chunk) {
      const k1 = Math.min(K, k0 + chunk);
      let q = 0;
      for (; q + 4 <= pairs; q += 4) {
        const b0 = q * K - xOff;
        const b1 = b0 + K;
        const b2 = b1 + K;
        const b3 = b2 + K;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let k = xOff + k0, e = xOff + k1; k < e; k++) {
          const xv = x[k] as number;
          a0 += xv * (P[b0 + k] as number);
          a1 += xv * (P[b1 + k] as number);
          a2 += xv * (P[b2 + k] as number);
          a3 += xv * (P[b3 + k] as number);
        }
        const o = outOff + 2 * q;
        let h = Math.round(a0 * invS);
        out[o] = (out[o] as number) + (a0 - h * S);
        out[o + 1] = (out[o + 1] as number) + h;
        h = Math.round(a1 * invS);
        out[o + 2] = (out[o + 2] as number) + (a1 - h * S);
        out[o + 3] = (out[o + 3] as number) + h;
        h = Math.round(a2 * invS);
        out[o + 4] = (out[o + 4] as number) + (a2 - h * S);
        out[o + 5] = (out[o + 5] as number) + h;
        h = Math.round(a3 * invS);
        out[o + 6] = (out[o + 6] as number) + (a3 - h * S);
        if (o + 7 < outOff + rows) out[o + 7] = (out[o + 7] as number) + h;
      }
      for (; q < pairs; q++) {
        const b0 = q * K - xOff;
        let a0 = 0;
        for (let k = xOff + k0, e = xOff + k1; k < e; k++) a0 += (x[k] as number) * (P[b0 + k] as number);
        const o = outOff + 2 * q;
        const h = Math.round(a0 * invS);
        out[o] = (out[o] as number) + (a0 - h * S);
        if (o + 1 < outOff + rows) out[o + 1] = (out[o + 1] as number) + h;
      }
    }
  }
}
