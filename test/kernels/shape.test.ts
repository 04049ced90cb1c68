/**
 * Unit tests of the data-movement kernels in dialects/tfl/kernels/shape.ts: reshape, squeeze,
 * expand_dims, transpose, pack, unpack, gather, cast and shape. Expected values come from naive
 * index formulas written independently here, and (cast) from tfjs-tflite's observed conversions.
 */

import { describe, expect, it } from 'vitest';
import {
  castKernel,
  expandDimsKernel,
  gatherKernel,
  packKernel,
  reshapeKernel,
  shapeKernel,
  shapeKernels,
  squeezeKernel,
  transposeKernel,
  unpackKernel,
} from '../../dialects/tfl/kernels/shape.js';
import {
  type DType,
  type KernelContext,
  type KernelDef,
  type TensorInfo,
  type TypedArray,
  KernelError,
  allocTyped,
  numElements,
} from '../../src/interp/kernel.js';

type Q = { scale: number; zp: number };
const ti = (dtype: DType, shape: number[], opts: { data?: TypedArray; q?: Q; name?: string } = {}): TensorInfo => ({
  name: opts.name ?? 't',
  dtype,
  shape,
  data: opts.data,
  quant: opts.q ? { scale: [opts.q.scale], zeroPoint: [opts.q.zp], axis: -1, storageMin: -32768, storageMax: 32767 } : undefined,
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
/** Prepares and runs once; runtime inputs are the given data (constants come from `data`). */
function run1(k: KernelDef, inputs: (TensorInfo | undefined)[], outputs: TensorInfo[], attrs: KernelContext['attrs'] = {}, feeds: (TypedArray | undefined)[] = []): TypedArray[] {
  const fn = k.prepare(ctxOf(k, inputs, outputs, attrs));
  const outs = outputs.map((o) => ({ dtype: o.dtype, shape: o.shape, data: allocTyped(o.dtype, numElements(o.shape)) }));
  fn(
    inputs.map((t, i) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data ?? feeds[i]! } : undefined)),
    outs,
  );
  return outs.map((o) => o.data);
}
const num = (a: TypedArray | undefined): number[] => Array.from(a as ArrayLike<number | bigint>, (v) => Number(v));
const iota = (n: number, C: { from(a: ArrayLike<number>): TypedArray } = Float32Array): TypedArray => C.from(Array.from({ length: n }, (_, i) => i + 1));
const strides = (s: number[]): number[] => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));

describe('shape kernels', () => {
  it('exports one kernel per op', () => {
    expect(shapeKernels.map((k) => k.op)).toEqual([
      'tfl.reshape',
      'tfl.squeeze',
      'tfl.expand_dims',
      'tfl.transpose',
      'tfl.pack',
      'tfl.unpack',
      'tfl.gather',
      'tfl.cast',
      'tfl.shape',
    ]);
  });

  describe('tfl.reshape', () => {
    it('copies raw bits (NaN payloads included) and checks a constant shape with -1', () => {
      const x = new Uint32Array([0x7fc00001, 0xffffffff, 1, 2, 3, 4]);
      const f = new Float32Array(x.buffer);
      const [y] = run1(reshapeKernel, [ti('f32', [2, 3]), ti('i32', [2], { data: Int32Array.of(3, -1) })], [ti('f32', [3, 2])], {}, [f]);
      expect(Array.from(new Uint32Array(y!.buffer))).toEqual(Array.from(x));
    });
    it('rejects a shape operand that disagrees with the result, and an i64 shape (TF 2.12)', () => {
      expect(() => reshapeKernel.prepare(ctxOf(reshapeKernel, [ti('f32', [6]), ti('i32', [2], { data: Int32Array.of(2, 3) })], [ti('f32', [3, 2])]))).toThrow(KernelError);
      expect(() => reshapeKernel.prepare(ctxOf(reshapeKernel, [ti('f32', [6]), ti('i64', [2], { data: BigInt64Array.of(3n, 2n) })], [ti('f32', [3, 2])]))).toThrow(/i32/);
      expect(() => reshapeKernel.prepare(ctxOf(reshapeKernel, [ti('f32', [6])], [ti('f32', [4])]))).toThrow(/element counts/);
    });
    it('copies i64 elements whole', () => {
      const x = BigInt64Array.of(-1n, 2n ** 62n, -(2n ** 63n), 5n);
      const [y] = run1(reshapeKernel, [ti('i64', [4]), undefined], [ti('i64', [2, 2])], {}, [x]);
      expect(Array.from(y as BigInt64Array)).toEqual(Array.from(x));
    });
  });

  describe('tfl.squeeze / tfl.expand_dims', () => {
    it('squeezes listed or all size-1 dims', () => {
      const x = iota(6, Int8Array);
      expect(num(run1(squeezeKernel, [ti('i8', [1, 2, 1, 3])], [ti('i8', [2, 3])], {}, [x])[0]!)).toEqual(num(x));
      expect(num(run1(squeezeKernel, [ti('i8', [1, 2, 1, 3])], [ti('i8', [2, 1, 3])], { squeeze_dims: [0] }, [x])[0]!)).toEqual(num(x));
      expect(() => squeezeKernel.prepare(ctxOf(squeezeKernel, [ti('i8', [1, 2, 1, 3])], [ti('i8', [1, 3])], { squeeze_dims: [1] }))).toThrow(KernelError);
    });
    it('expand_dims accepts negative dims and requires equal quantization (TFLite checks it)', () => {
      const x = iota(6, Int16Array);
      const q = { scale: 0.5, zp: 0 };
      const [y] = run1(expandDimsKernel, [ti('i16', [2, 3], { q }), ti('i32', [1], { data: Int32Array.of(-1) })], [ti('i16', [2, 3, 1], { q })], {}, [x]);
      expect(num(y!)).toEqual(num(x));
      expect(() =>
        expandDimsKernel.prepare(ctxOf(expandDimsKernel, [ti('i16', [2, 3], { q }), ti('i32', [], { data: Int32Array.of(0) })], [ti('i16', [1, 2, 3], { q: { scale: 0.25, zp: 0 } })])),
      ).toThrow(/scale and zero point/);
      expect(() => expandDimsKernel.prepare(ctxOf(expandDimsKernel, [ti('i16', [2, 3], { q }), ti('i32', [], { data: Int32Array.of(3) })], [ti('i16', [2, 3, 1], { q })]))).toThrow(KernelError);
    });
  });

  describe('tfl.transpose', () => {
    /** out[o] = in[sum(idx_out[d] * inStride[perm[d]])], the textbook definition. */
    const naive = (x: ArrayLike<number>, shape: number[], perm: number[]): number[] => {
      const outShape = perm.map((p) => shape[p]!);
      const inS = strides(shape);
      const outS = strides(outShape);
      const n = x.length;
      const out: number[] = [];
      for (let o = 0; o < n; o++) {
        let src = 0;
        for (let d = 0; d < perm.length; d++) src += (Math.floor(o / outS[d]!) % outShape[d]!) * inS[perm[d]!]!;
        out.push(x[src]!);
      }
      return out;
    };
    const cases: [number[], number[]][] = [
      [[2, 3], [1, 0]],
      [[2, 3, 4], [2, 0, 1]],
      [[1, 2, 3, 4], [0, 3, 1, 2]],
      [[2, 1, 3, 2, 2], [4, 2, 0, 3, 1]],
      [[3], [0]],
    ];
    for (const [shape, perm] of cases) {
      it(`[${shape}] perm [${perm}] (f32, i64)`, () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const x = iota(n);
        const outShape = perm.map((p) => shape[p]!);
        const [y] = run1(transposeKernel, [ti('f32', shape), ti('i32', [perm.length], { data: Int32Array.from(perm) })], [ti('f32', outShape)], {}, [x]);
        expect(num(y!)).toEqual(naive(x as Float32Array, shape, perm));
        const x64 = BigInt64Array.from(Array.from(x as Float32Array, (v) => BigInt(v) * 4294967297n));
        const [y64] = run1(transposeKernel, [ti('i64', shape), ti('i32', [perm.length], { data: Int32Array.from(perm) })], [ti('i64', outShape)], {}, [x64]);
        expect(Array.from(y64 as BigInt64Array, Number)).toEqual(naive(Array.from(x64, Number), shape, perm));
      });
    }
    it('takes a runtime perm', () => {
      const x = iota(6, Int8Array);
      const k = transposeKernel.prepare(ctxOf(transposeKernel, [ti('i8', [2, 3]), ti('i32', [2])], [ti('i8', [3, 2])]));
      const y = new Int8Array(6);
      k([{ dtype: 'i8', shape: [2, 3], data: x }, { dtype: 'i32', shape: [2], data: Int32Array.of(1, 0) }], [{ dtype: 'i8', shape: [3, 2], data: y }]);
      expect(Array.from(y)).toEqual([1, 4, 2, 5, 3, 6]);
    });
    it('rejects negative perm entries and 6-D inputs (TF 2.12), copies differing quantization raw', () => {
      expect(() => transposeKernel.prepare(ctxOf(transposeKernel, [ti('f32', [2, 3]), ti('i32', [2], { data: Int32Array.of(-1, 0) })], [ti('f32', [3, 2])]))).toThrow(KernelError);
      const s6 = [1, 1, 1, 1, 1, 2];
      expect(() => transposeKernel.prepare(ctxOf(transposeKernel, [ti('f32', s6), ti('i32', [6], { data: Int32Array.of(0, 1, 2, 3, 4, 5) })], [ti('f32', s6)]))).toThrow(/1D-5D/);
      const [y] = run1(transposeKernel, [ti('i8', [2, 3], { q: { scale: 0.5, zp: 0 } }), ti('i32', [2], { data: Int32Array.of(1, 0) })], [ti('i8', [3, 2], { q: { scale: 0.25, zp: 1 } })], {}, [iota(6, Int8Array)]);
      expect(num(y!)).toEqual([1, 4, 2, 5, 3, 6]);
    });
  });

  describe('tfl.pack / tfl.unpack', () => {
    for (const axis of [0, 1, 2, -1]) {
      it(`pack/unpack round trip on axis ${axis}`, () => {
        const shape = [2, 3];
        const xs = [iota(6), (iota(6) as Float32Array).map((v) => v * 10), (iota(6) as Float32Array).map((v) => -v)];
        const a = axis < 0 ? axis + 3 : axis;
        const outShape = [...shape];
        outShape.splice(a, 0, 3);
        const [y] = run1(packKernel, xs.map(() => ti('f32', shape)), [ti('f32', outShape)], { values_count: 3, axis }, xs);
        // naive: y[..., k, ...] = xs[k][...]
        const outS = strides(outShape);
        for (let o = 0; o < 18; o++) {
          const idx = outShape.map((d, i) => Math.floor(o / outS[i]!) % d);
          const k = idx[a]!;
          const rest = idx.filter((_, i) => i !== a);
          expect(y![o]).toBe(xs[k]![rest[0]! * 3 + rest[1]!]);
        }
        const back = run1(unpackKernel, [ti('f32', outShape)], [0, 1, 2].map(() => ti('f32', shape)), { num: 3, axis }, [y]);
        back.forEach((b, k) => expect(num(b)).toEqual(num(xs[k]!)));
      });
    }
    it('require equal quantization (TFLite Prepare)', () => {
      const q = { scale: 0.5, zp: 1 };
      expect(() => packKernel.prepare(ctxOf(packKernel, [ti('i8', [2], { q }), ti('i8', [2], { q })], [ti('i8', [2, 2], { q: { scale: 0.5, zp: 2 } })], { values_count: 2, axis: 0 }))).toThrow(/scale and zero point/);
      expect(() => unpackKernel.prepare(ctxOf(unpackKernel, [ti('i8', [2, 2], { q })], [ti('i8', [2], { q }), ti('i8', [2], { q: { scale: 0.25, zp: 1 } })], { num: 2, axis: 0 }))).toThrow(/scale and zero point/);
    });
  });

  describe('tfl.gather', () => {
    it('axis 1 with 2-D indices (naive formula)', () => {
      const p = iota(24); // [2, 3, 4]
      const idx = Int32Array.of(2, 0, 1, 2);
      const [y] = run1(gatherKernel, [ti('f32', [2, 3, 4]), ti('i32', [2, 2], { data: idx })], [ti('f32', [2, 2, 2, 4])], { axis: 1 }, [p]);
      const exp: number[] = [];
      for (let a = 0; a < 2; a++) for (let j = 0; j < 4; j++) for (let c = 0; c < 4; c++) exp.push(p[a * 12 + idx[j]! * 4 + c] as number);
      expect(num(y!)).toEqual(exp);
    });
    it('batch_dims = 1, i64 runtime indices', () => {
      const p = iota(12, Int16Array); // [2, 6]
      const idx = BigInt64Array.of(5n, 0n, 1n, 3n); // [2, 2]
      const [y] = run1(gatherKernel, [ti('i16', [2, 6]), ti('i64', [2, 2])], [ti('i16', [2, 2])], { axis: 1, batch_dims: 1 }, [p, idx]);
      expect(num(y!)).toEqual([6, 1, 8, 10]);
    });
    it('out-of-range indices fail at run time; i16 indices are rejected (TF 2.12)', () => {
      expect(() => run1(gatherKernel, [ti('f32', [3]), ti('i32', [1])], [ti('f32', [1])], {}, [iota(3), Int32Array.of(3)])).toThrow(/out of bounds/);
      expect(() => run1(gatherKernel, [ti('f32', [3]), ti('i32', [1])], [ti('f32', [1])], {}, [iota(3), Int32Array.of(-1)])).toThrow(/out of bounds/);
      expect(() => gatherKernel.prepare(ctxOf(gatherKernel, [ti('f32', [3]), ti('i16', [1])], [ti('f32', [1])]))).toThrow(KernelError);
    });
  });

  describe('tfl.cast', () => {
    const cast = (from: DType, to: DType, vals: number[], flavour: 'tflite' | 'tflm' = 'tflite'): number[] => {
      const src = allocTyped(from, vals.length);
      vals.forEach((v, i) => ((src as Float32Array)[i] = v));
      const fn = castKernel.prepare(ctxOf(castKernel, [ti(from, [vals.length])], [ti(to, [vals.length])], {}, flavour));
      const dst = allocTyped(to, vals.length);
      fn([{ dtype: from, shape: [vals.length], data: src }], [{ dtype: to, shape: [vals.length], data: dst }]);
      return Array.from(dst as Float32Array, Number);
    };
    const f = [0, -0.5, 1.5, -1.5, 128.4, -129.2, 255.9, 256.3, 300, -300, 70000.6, 3e9, -3e9, NaN, Infinity];
    // Observed in tfjs-tflite 2.12 (wasm): truncation, then modular narrowing; out of int32 range -> INT32_MIN.
    it('f32 -> signed ints (tfjs-tflite wasm semantics)', () => {
      const i32m = -2147483648;
      expect(cast('f32', 'i32', f)).toEqual([0, 0, 1, -1, 128, -129, 255, 256, 300, -300, 70000, i32m, i32m, i32m, i32m]);
      expect(cast('f32', 'i8', f)).toEqual([0, 0, 1, -1, -128, 127, -1, 0, 44, -44, 112, 0, 0, 0, 0]);
      expect(cast('f32', 'i16', f)).toEqual([0, 0, 1, -1, 128, -129, 255, 256, 300, -300, 4464, 0, 0, 0, 0]);
    });
    it('f32 -> unsigned ints and bool (tfjs-tflite wasm semantics)', () => {
      expect(cast('f32', 'u8', f)).toEqual([0, 0, 1, 0, 128, 0, 255, 0, 44, 0, 112, 0, 0, 0, 0]);
      expect(cast('f32', 'u32', f)).toEqual([0, 0, 1, 0, 128, 0, 255, 256, 300, 0, 70000, 3000000000, 0, 0, 0]);
      expect(cast('f32', 'i1', f)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    });
    it('the tflm flavour saturates like ARM VCVT', () => {
      expect(cast('f32', 'i32', [3e9, -3e9, NaN, 2.5], 'tflm')).toEqual([2147483647, -2147483648, 0, 2]);
      expect(cast('f32', 'u8', [-3, 300, 3e10], 'tflm')).toEqual([0, 44, 255]);
    });
    it('integer narrowing wraps; widening and int -> float are exact / rounded to f32', () => {
      const v = [0, 1, -1, 127, 128, -129, 255, 256, 65536, 2147483647, -2147483648];
      expect(cast('i32', 'i8', v)).toEqual([0, 1, -1, 127, -128, 127, -1, 0, 0, -1, 0]);
      expect(cast('i32', 'u8', v)).toEqual([0, 1, 255, 127, 128, 127, 255, 0, 0, 255, 0]);
      expect(cast('i32', 'f32', v)).toEqual([0, 1, -1, 127, 128, -129, 255, 256, 65536, 2147483648, -2147483648]);
      expect(cast('i8', 'i32', [-128, 127])).toEqual([-128, 127]);
      expect(cast('i32', 'i1', [0, 2, -1])).toEqual([0, 1, 1]);
    });
    it('i64 <-> others', () => {
      const fn = castKernel.prepare(ctxOf(castKernel, [ti('i64', [3])], [ti('f32', [3])]));
      const y = new Float32Array(3);
      // 2^60 + 2^36 + 1 sits just above a float32 tie: direct int64 -> float rounding goes up.
      fn([{ dtype: 'i64', shape: [3], data: BigInt64Array.of(-5n, 2n ** 60n + 2n ** 36n + 1n, 16777217n) }], [{ dtype: 'f32', shape: [3], data: y }]);
      expect(Array.from(y)).toEqual([-5, 2 ** 60 + 2 ** 37, 16777216]);
      const g = castKernel.prepare(ctxOf(castKernel, [ti('i64', [2])], [ti('i32', [2])]));
      const z = new Int32Array(2);
      g([{ dtype: 'i64', shape: [2], data: BigInt64Array.of(2n ** 32n + 7n, -1n) }], [{ dtype: 'i32', shape: [2], data: z }]);
      expect(Array.from(z)).toEqual([7, -1]);
    });
  });

  it('tfl.shape writes the input dims as i32 or i64', () => {
    expect(num(run1(shapeKernel, [ti('f32', [2, 5, 1])], [ti('i32', [3])], {}, [new Float32Array(10)])[0]!)).toEqual([2, 5, 1]);
    expect(Array.from(run1(shapeKernel, [ti('f32', [4])], [ti('i64', [1])], {}, [new Float32Array(4)])[0] as BigInt64Array)).toEqual([4n]);
  });
});
