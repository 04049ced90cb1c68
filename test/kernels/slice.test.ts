/**
 * Unit tests of dialects/tfl/kernels/slice.ts: tfl.slice, tfl.strided_slice (hand-computed cases
 * for every mask, `offset`, negative strides, int16, plus a randomized comparison against Python's
 * `slice.indices` semantics), tfl.split and tfl.split_v.
 */

import { describe, expect, it } from 'vitest';
import { sliceKernel, sliceKernels, splitKernel, splitVKernel, stridedSliceKernel } from '../../dialects/tfl/kernels/slice.js';
import { type DType, type KernelContext, type KernelDef, type TensorInfo, type TypedArray, KernelError, allocTyped, numElements } from '../../src/interp/kernel.js';

const ti = (dtype: DType, shape: number[], data?: TypedArray, q?: { scale: number; zp: number }): TensorInfo => ({
  name: 't',
  dtype,
  shape,
  data,
  quant: q ? { scale: [q.scale], zeroPoint: [q.zp], axis: -1, storageMin: -32768, storageMax: 32767 } : undefined,
});
const ctxOf = (k: KernelDef, inputs: (TensorInfo | undefined)[], outputs: TensorInfo[], attrs: KernelContext['attrs'] = {}, flavour: 'tflite' | 'tflm' = 'tflite'): KernelContext => ({
  op: k.op,
  where: 'test',
  inputs,
  outputs,
  intermediates: [],
  attrs,
  flavour,
});
function run1(k: KernelDef, inputs: (TensorInfo | undefined)[], outputs: TensorInfo[], attrs: KernelContext['attrs'], feeds: (TypedArray | undefined)[]): number[][] {
  const fn = k.prepare(ctxOf(k, inputs, outputs, attrs));
  const outs = outputs.map((o) => ({ dtype: o.dtype, shape: o.shape, data: allocTyped(o.dtype, numElements(o.shape)) }));
  fn(inputs.map((t, i) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data ?? feeds[i]! } : undefined)), outs);
  return outs.map((o) => Array.from(o.data as Float32Array, Number));
}
const range = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i);
const i32 = (...v: number[]): Int32Array => Int32Array.from(v);

/** strided_slice with constant begin/end/strides on a `range` input. */
function ss(shape: number[], begin: number[], end: number[], strides: number[], attrs: KernelContext['attrs'], outShape: number[], dtype: DType = 'f32'): number[] {
  const n = begin.length;
  const x = allocTyped(dtype, shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < x.length; i++) (x as Float32Array)[i] = i;
  return run1(
    stridedSliceKernel,
    [ti(dtype, shape), ti('i32', [n], Int32Array.from(begin)), ti('i32', [n], Int32Array.from(end)), ti('i32', [n], Int32Array.from(strides))],
    [ti(dtype, outShape)],
    attrs,
    [x],
  )[0]!;
}

describe('slice kernels', () => {
  it('exports its kernels', () => {
    expect(sliceKernels.map((k) => k.op)).toEqual(['tfl.slice', 'tfl.strided_slice', 'tfl.split', 'tfl.split_v']);
  });

  describe('tfl.slice', () => {
    it('begin/size with -1 (i32 and i64 operands)', () => {
      const x = range(12); // [3, 4]
      expect(run1(sliceKernel, [ti('f32', [3, 4]), ti('i32', [2], i32(1, 1)), ti('i32', [2], i32(2, -1))], [ti('f32', [2, 3])], {}, [x])[0]).toEqual([5, 6, 7, 9, 10, 11]);
      expect(
        run1(sliceKernel, [ti('f32', [3, 4]), ti('i64', [2], BigInt64Array.of(0n, 2n)), ti('i64', [2], BigInt64Array.of(3n, 1n))], [ti('f32', [3, 1])], {}, [x])[0],
      ).toEqual([2, 6, 10]);
    });
    it('runtime begin/size, and invalid ranges fail', () => {
      const x = range(5);
      expect(run1(sliceKernel, [ti('f32', [5]), ti('i32', [1]), ti('i32', [1])], [ti('f32', [2])], {}, [x, i32(3), i32(2)])[0]).toEqual([3, 4]);
      expect(() => sliceKernel.prepare(ctxOf(sliceKernel, [ti('f32', [5]), ti('i32', [1], i32(4)), ti('i32', [1], i32(2))], [ti('f32', [2])]))).toThrow(KernelError);
      expect(() => sliceKernel.prepare(ctxOf(sliceKernel, [ti('f32', [5]), ti('i32', [1], i32(1)), ti('i32', [1], i32(-2))], [ti('f32', [2])]))).toThrow(/invalid size/);
    });
  });

  describe('tfl.strided_slice', () => {
    const x3 = [2, 3, 4];
    it('negative strides on two axes', () => {
      // x[0:2, 2:0:-1, -1:0:-2] of arange(24).reshape(2,3,4)
      expect(ss(x3, [0, 2, -1], [2, 0, 0], [1, -1, -2], {}, [2, 2, 2])).toEqual([11, 9, 7, 5, 23, 21, 19, 17]);
    });
    it('shrink_axis_mask', () => {
      // x[:, :, 3]
      expect(ss(x3, [0, 0, 3], [2, 3, 4], [1, 1, 1], { shrink_axis_mask: 4 }, [2, 3])).toEqual([3, 7, 11, 15, 19, 23]);
      // x[-1] (negative shrink index)
      expect(ss(x3, [-1], [0], [1], { shrink_axis_mask: 1 }, [3, 4])).toEqual(Array.from({ length: 12 }, (_, i) => 12 + i));
    });
    it('ellipsis_mask: x[..., 1]', () => {
      expect(ss(x3, [0, 1], [0, 2], [1, 1], { ellipsis_mask: 1, shrink_axis_mask: 2 }, [2, 3])).toEqual([1, 5, 9, 13, 17, 21]);
    });
    it('new_axis_mask: x[:, None, 1:3] on a [2, 3] input', () => {
      expect(ss([2, 3], [0, 0, 1], [0, 0, 3], [1, 1, 1], { begin_mask: 1, end_mask: 1, new_axis_mask: 2 }, [2, 1, 2])).toEqual([1, 2, 4, 5]);
    });
    it('begin/end masks with a negative stride reverse the axis', () => {
      expect(ss([5], [0], [0], [-1], { begin_mask: 1, end_mask: 1 }, [5])).toEqual([4, 3, 2, 1, 0]);
      expect(ss([7], [1], [7], [3], {}, [2])).toEqual([1, 4]);
    });
    it('offset: end is a size counted from begin', () => {
      expect(ss([6], [1], [2], [1], { offset: true }, [2])).toEqual([1, 2]);
      expect(ss([2, 6], [1, 3], [1, 3], [1, 1], { offset: true }, [1, 3])).toEqual([9, 10, 11]);
    });
    it('int16x8 4-D slice as in the SEANet models (begin/end masks 13)', () => {
      const x = Int16Array.from({ length: 24 }, (_, i) => i * 1000 - 12000);
      const q = { scale: 0.001, zp: 0 };
      const y = run1(
        stridedSliceKernel,
        [ti('i16', [1, 4, 3, 2], undefined, q), ti('i32', [4], i32(0, 0, 0, 0)), ti('i32', [4], i32(0, 2, 0, 2)), ti('i32', [4], i32(1, 1, 1, 1))],
        [ti('i16', [1, 2, 3, 2], undefined, q)],
        { begin_mask: 13, end_mask: 13 },
        [x],
      )[0];
      expect(y).toEqual(Array.from(x.slice(0, 12)));
    });
    it('runtime begin/end/strides', () => {
      const fn = stridedSliceKernel.prepare(ctxOf(stridedSliceKernel, [ti('f32', [6]), ti('i32', [1]), ti('i32', [1]), ti('i32', [1])], [ti('f32', [3])]));
      const y = new Float32Array(3);
      fn(
        [{ dtype: 'f32', shape: [6], data: range(6) }, { dtype: 'i32', shape: [1], data: i32(5) }, { dtype: 'i32', shape: [1], data: i32(0) }, { dtype: 'i32', shape: [1], data: i32(-2) }],
        [{ dtype: 'f32', shape: [3], data: y }],
      );
      expect(Array.from(y)).toEqual([5, 3, 1]);
    });
    it('rejects walks TFLite would leave unwritten, zero strides and (tflm) ellipsis', () => {
      // shrink + negative stride selects nothing in TFLite's reference loop
      expect(() => ss(x3, [0, 2, -1], [2, 0, 0], [1, -1, -2], { shrink_axis_mask: 4 }, [2, 2])).toThrow(/unwritten/);
      expect(() => ss([4], [0], [4], [0], {}, [4])).toThrow(/non-zero/);
      expect(() => ss([4], [1], [3], [1], {}, [3])).toThrow(/does not match/);
      expect(() =>
        stridedSliceKernel.prepare(
          ctxOf(stridedSliceKernel, [ti('f32', x3), ti('i32', [2], i32(0, 1)), ti('i32', [2], i32(0, 2)), ti('i32', [2], i32(1, 1))], [ti('f32', [2, 3])], { ellipsis_mask: 1, shrink_axis_mask: 2 }, 'tflm'),
        ),
      ).toThrow(KernelError);
    });

    /** Python's slice(start, stop, step).indices(n) (documented semantics), then range(). */
    const pyRange = (n: number, start: number | undefined, stop: number | undefined, step: number): number[] => {
      const lower = step < 0 ? -1 : 0;
      const upper = step < 0 ? n - 1 : n;
      const norm = (v: number | undefined, dflt: number): number => (v === undefined ? dflt : v < 0 ? Math.max(v + n, lower) : Math.min(v, upper));
      const s = norm(start, step < 0 ? upper : lower);
      const e = norm(stop, step < 0 ? lower : upper);
      const out: number[] = [];
      for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
      return out;
    };
    it('agrees with Python slicing on 400 random cases (rank <= 4, begin/end/shrink masks)', () => {
      let seed = 99;
      const rnd = (lo: number, hi: number): number => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return lo + Math.floor((seed / 4294967296) * (hi - lo + 1));
      };
      let checked = 0;
      for (let c = 0; c < 400; c++) {
        const rank = rnd(1, 4);
        const shape = Array.from({ length: rank }, () => rnd(1, 5));
        const begin = shape.map((d) => rnd(-d - 1, d + 1));
        const end = shape.map((d) => rnd(-d - 1, d + 1));
        const strides = shape.map(() => (rnd(0, 1) ? 1 : [-3, -2, -1, 2, 3][rnd(0, 4)]!));
        let bm = 0;
        let em = 0;
        let sm = 0;
        shape.forEach((d, i) => {
          if (rnd(0, 3) === 0) bm |= 1 << i;
          if (rnd(0, 3) === 0) em |= 1 << i;
          // shrink only with an in-range index (TF requires it) and a positive stride (TFLite's
          // reference loop writes nothing for a shrunk axis with a negative stride)
          if (rnd(0, 3) === 0 && begin[i]! >= -d && begin[i]! < d && !(bm & (1 << i)) && strides[i]! > 0) sm |= 1 << i;
        });
        const per = shape.map((d, i) =>
          sm & (1 << i) ? [begin[i]! < 0 ? begin[i]! + d : begin[i]!] : pyRange(d, bm & (1 << i) ? undefined : begin[i], em & (1 << i) ? undefined : end[i], strides[i]!),
        );
        const outShape = per.map((p) => p.length).filter((_, i) => !(sm & (1 << i)));
        const st = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
        const expected: number[] = [];
        const rec = (d: number, base: number): void => {
          if (d === rank) expected.push(base);
          else for (const i of per[d]!) rec(d + 1, base + i * st[d]!);
        };
        rec(0, 0);
        const got = ss(shape, begin, end, strides, { begin_mask: bm, end_mask: em, shrink_axis_mask: sm }, outShape);
        expect(got, JSON.stringify({ shape, begin, end, strides, bm, em, sm })).toEqual(expected);
        checked++;
      }
      expect(checked).toBe(400);
    });
  });

  describe('tfl.split / tfl.split_v', () => {
    it('split: axis operand first, negative axis, equal chunks', () => {
      const x = range(12); // [2, 6]
      const outs = run1(splitKernel, [ti('i32', [], i32(-1)), ti('f32', [2, 6])], [ti('f32', [2, 2]), ti('f32', [2, 2]), ti('f32', [2, 2])], { num_splits: 3 }, [undefined, x]);
      expect(outs).toEqual([
        [0, 1, 6, 7],
        [2, 3, 8, 9],
        [4, 5, 10, 11],
      ]);
      expect(() => splitKernel.prepare(ctxOf(splitKernel, [ti('i32', [], i32(1)), ti('f32', [2, 5])], [ti('f32', [2, 2]), ti('f32', [2, 2])], { num_splits: 2 }))).toThrow(KernelError);
    });
    it('split with a runtime axis', () => {
      const x = Int8Array.from([1, 2, 3, 4]);
      const outs = run1(splitKernel, [ti('i32', []), ti('i8', [2, 2])], [ti('i8', [1, 2]), ti('i8', [1, 2])], { num_splits: 2 }, [i32(0), x]);
      expect(outs).toEqual([
        [1, 2],
        [3, 4],
      ]);
    });
    it('split_v: sizes with a -1 remainder (i32 and i64 sizes)', () => {
      const x = range(12); // [2, 6]
      const outs = run1(splitVKernel, [ti('f32', [2, 6]), ti('i32', [3], i32(1, -1, 2)), ti('i32', [], i32(1))], [ti('f32', [2, 1]), ti('f32', [2, 3]), ti('f32', [2, 2])], { num_splits: 3 }, [x]);
      expect(outs).toEqual([
        [0, 6],
        [1, 2, 3, 7, 8, 9],
        [4, 5, 10, 11],
      ]);
      const o2 = run1(splitVKernel, [ti('f32', [2, 6]), ti('i64', [2], BigInt64Array.of(1n, 1n)), ti('i32', [], i32(0))], [ti('f32', [1, 6]), ti('f32', [1, 6])], { num_splits: 2 }, [x]);
      expect(o2[1]).toEqual([6, 7, 8, 9, 10, 11]);
      expect(() =>
        splitVKernel.prepare(ctxOf(splitVKernel, [ti('f32', [6]), ti('i32', [2], i32(2, 2)), ti('i32', [], i32(0))], [ti('f32', [2]), ti('f32', [2])], { num_splits: 2 })),
      ).toThrow(/sum/);
    });
  });
});
