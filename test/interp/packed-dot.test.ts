// PackedRows (two rows per float64 multiply) against plain integer dot products, at the bounds that
// decide the chunk length: extreme int8/uint8 values, odd row counts, long depths and offsets.
import { describe, expect, it } from 'vitest';
import { PackedRows, packingFor } from '../../src/interp/packed-dot.js';
import { rng } from '../support/corpus.js';

function reference(w: ArrayLike<number>, rows: number, depth: number, wOff: number, x: Float64Array): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0n;
    for (let k = 0; k < depth; k++) s += BigInt(((w[r * depth + k] as number) + wOff) * (x[k] as number));
    out.push(Number(s));
  }
  return out;
}

describe('PackedRows', () => {
  it('chunks keep every packed partial sum below 2^53', () => {
    for (const [depth, per] of [[4000, 255 * 128], [385, 128 * 128], [16, 32768 * 128], [1, 2 ** 25]] as const) {
      const p = packingFor(depth, per);
      expect(p).toBeDefined();
      const bound = p!.chunk * per;
      expect(2 * bound).toBeLessThan(p!.scale);
      expect(bound * (p!.scale + 1)).toBeLessThan(2 ** 53);
    }
    expect(packingFor(10, 2 ** 30)).toBeUndefined();
  });

  it('equals exact integer sums on random and extreme operands', () => {
    const r = rng(7);
    for (const [rows, depth, wOff, xMax] of [
      [1, 5, 0, 128],
      [7, 33, 0, 128],
      [9, 4000, 0, 255],
      [16, 2500, 3, 255],
      [257, 128, -1, 128],
      [4, 64, 0, 32768],
    ] as const) {
      for (const extreme of [false, true]) {
        const w = new Int8Array(rows * depth);
        for (let i = 0; i < w.length; i++) w[i] = extreme ? -128 : Math.floor(r() * 256) - 128;
        const packed = PackedRows.create(w, rows, depth, wOff, xMax);
        if (!packed) {
          // Only int16 vectors may be refused, and only when not even MIN_CHUNK products fit.
          expect(xMax).toBe(32768);
          continue;
        }
        const x = new Float64Array(depth + 3);
        for (let k = 0; k < x.length; k++) x[k] = extreme ? -xMax : Math.floor(r() * (2 * xMax + 1)) - xMax;
        const out = new Float64Array(rows + 2).fill(5);
        packed.gemv(x, 3, out, 1);
        const want = reference(w, rows, depth, wOff, x.subarray(3));
        expect(out[0]).toBe(5);
        expect(out[rows + 1]).toBe(5);
        expect(Array.from(out.subarray(1, rows + 1))).toEqual(want.map((v) => v + 5));
      }
    }
  });
});
