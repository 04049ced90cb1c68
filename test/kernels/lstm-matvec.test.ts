// The integer LSTM's stacked gate products (lstm-matvec.ts) against BigInt dot products: int8 and
// int16 vectors (packed and plain paths), per-block weight offsets, odd row counts, vector offsets.
import { describe, expect, it } from 'vitest';
import { matVec, stackRows, toF64 } from '../../dialects/tfl/kernels/lstm/lstm-matvec.js';
import { PackedRows } from '../../src/interp/packed-dot.js';
import { rng } from '../support/corpus.js';

function exactRows(w: Float64Array, rows: number, depth: number, x: Float64Array, xOff: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0n;
    for (let k = 0; k < depth; k++) s += BigInt(w[r * depth + k] as number) * BigInt(x[xOff + k] as number);
    out.push(Number(s));
  }
  return out;
}

describe('lstm-matvec', () => {
  it('stackRows concatenates row blocks and adds each block its offset', () => {
    const a = Int8Array.of(1, -2, 3, 4);
    const b = Int8Array.of(-128, 127, 0, 5);
    expect(Array.from(stackRows([a, b], [0, -3], 2, 2))).toEqual([1, -2, 3, 4, -131, 124, -3, 2]);
    expect(() => stackRows([a, Int8Array.of(1)], [0, 0], 2, 2)).toThrow(RangeError);
  });

  it('toF64 copies a window of values plus an offset', () => {
    const dst = new Float64Array(5).fill(9);
    toF64(Int16Array.of(7, -32768, 32767, 1), 1, 3, 2, dst, 1);
    expect(Array.from(dst)).toEqual([9, -32766, 32769, 3, 9]);
  });

  for (const [name, xMax, blocks, blockRows, depth] of [
    ['int8 x, dtln-sized (packed)', 128, 4, 128, 257],
    ['int8 x + zero point, odd rows, long depth (packed, chunked)', 255, 3, 7, 3001],
    ['int16 x (plain)', 32768, 4, 9, 130],
    ['int16 x, tiny depth', 32768, 4, 5, 3],
  ] as const) {
    it(`equals exact integer sums: ${name}`, () => {
      const r = rng(depth + blockRows);
      for (const extreme of [false, true]) {
        const mats = Array.from({ length: blocks }, () =>
          Int8Array.from({ length: blockRows * depth }, () => (extreme ? -128 : Math.floor(r() * 256) - 128)),
        );
        const offsets = [0, -1, 2, -3].slice(0, blocks);
        const w = stackRows(mats, offsets, blockRows, depth);
        const rows = blocks * blockRows;
        const mv = matVec(w, rows, depth, xMax);
        // int8-range vectors must take the packed path; int16 ones over long depths cannot.
        if (xMax <= 255) expect(mv).toBeInstanceOf(PackedRows);
        if (xMax === 32768 && depth > 32) expect(mv).not.toBeInstanceOf(PackedRows);
        const x = new Float64Array(depth + 2);
        for (let k = 0; k < x.length; k++) x[k] = extreme ? -xMax : Math.floor(r() * (2 * xMax + 1)) - xMax;
        const out = new Float64Array(rows + 3).fill(-7);
        mv.gemv(x, 2, out, 1);
        expect(out[0]).toBe(-7);
        expect(out[rows + 1]).toBe(-7);
        expect(Array.from(out.subarray(1, rows + 1))).toEqual(exactRows(w, rows, depth, x, 2).map((v) => v - 7));
      }
    });
  }
});
