/**
 * Unit tests of tfl.pad / tfl.padv2 (dialects/tfl/kernels/pad.ts): border values (0, the output
 * zero point for quantized tensors, the padv2 constant), raw copying of the interior, rank 1-5
 * against a naive formula, runtime paddings, and the combinations TFLite rejects or misreads.
 */

import { describe, expect, it } from 'vitest';
import { padKernel, padKernels, padV2Kernel } from '../../dialects/tfl/kernels/pad.js';
import { type DType, type KernelContext, type KernelDef, type TensorInfo, type TypedArray, KernelError, allocTyped, numElements } from '../../src/interp/kernel.js';

const ti = (dtype: DType, shape: number[], data?: TypedArray, q?: { scale: number; zp: number }): TensorInfo => ({
  name: 't',
  dtype,
  shape,
  data,
  quant: q ? { scale: [q.scale], zeroPoint: [q.zp], axis: -1, storageMin: -32768, storageMax: 32767 } : undefined,
});
const ctxOf = (k: KernelDef, inputs: (TensorInfo | undefined)[], output: TensorInfo, flavour: 'tflite' | 'tflm' = 'tflite'): KernelContext => ({
  op: k.op,
  where: 'test',
  inputs,
  outputs: [output],
  intermediates: [],
  attrs: {},
  flavour,
});
function pad(k: KernelDef, inputs: (TensorInfo | undefined)[], output: TensorInfo, feeds: (TypedArray | undefined)[], flavour: 'tflite' | 'tflm' = 'tflite'): number[] {
  const fn = k.prepare(ctxOf(k, inputs, output, flavour));
  const y = allocTyped(output.dtype, numElements(output.shape));
  fn(inputs.map((t, i) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data ?? feeds[i]! } : undefined)), [{ dtype: output.dtype, shape: output.shape, data: y }]);
  return Array.from(y as Float32Array, Number);
}
/** Naive padding: output element -> input element or the border value. */
function naivePad(x: ArrayLike<number>, shape: number[], pads: number[], border: number): number[] {
  const out = shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
  const st = (s: number[]): number[] => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));
  const os = st(out);
  const is = st(shape);
  const res: number[] = [];
  for (let o = 0; o < numElements(out); o++) {
    let src = 0;
    let inside = true;
    out.forEach((d, i) => {
      const v = (Math.floor(o / os[i]!) % d) - pads[2 * i]!;
      if (v < 0 || v >= shape[i]!) inside = false;
      src += v * is[i]!;
    });
    res.push(inside ? x[src]! : border);
  }
  return res;
}

describe('pad kernels', () => {
  it('exports pad and padv2', () => {
    expect(padKernels.map((k) => k.op)).toEqual(['tfl.pad', 'tfl.padv2']);
  });

  const cases: [number[], number[]][] = [
    [[3], [2, 1]],
    [[2, 3], [1, 0, 0, 2]],
    [[1, 2, 3, 1], [0, 0, 3, 3, 1, 0, 0, 0]],
    [[2, 1, 2, 2, 1], [1, 0, 0, 1, 2, 0, 0, 0, 1, 1]],
  ];
  for (const [shape, pads] of cases) {
    it(`f32 rank ${shape.length}: pad ${JSON.stringify(pads)}`, () => {
      const x = Float32Array.from({ length: numElements(shape) }, (_, i) => i + 1);
      const out = shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
      expect(pad(padKernel, [ti('f32', shape), ti('i32', [shape.length, 2], Int32Array.from(pads))], ti('f32', out), [x])).toEqual(naivePad(x, shape, pads, 0));
      const c = Float32Array.of(-2.5);
      expect(pad(padV2Kernel, [ti('f32', shape), ti('i32', [shape.length, 2], Int32Array.from(pads)), ti('f32', [], c)], ti('f32', out), [x])).toEqual(naivePad(x, shape, pads, -2.5));
    });
  }

  it('int16x8: border is the output zero point, interior copied raw (scales unchecked)', () => {
    const x = Int16Array.of(-32768, 32767, 5);
    const pads = Int32Array.of(1, 2);
    expect(pad(padKernel, [ti('i16', [3], undefined, { scale: 0.001, zp: 0 }), ti('i32', [1, 2], pads)], ti('i16', [6], undefined, { scale: 0.001, zp: 0 }), [x])).toEqual([
      0, -32768, 32767, 5, 0, 0,
    ]);
    // TFLite: a non-zero int16 output zero point is used as the border; TFLM pads int16 with 0
    expect(pad(padKernel, [ti('i16', [3], undefined, { scale: 0.5, zp: 0 }), ti('i32', [1, 2], pads)], ti('i16', [6], undefined, { scale: 0.25, zp: 3 }), [x])).toEqual([3, -32768, 32767, 5, 3, 3]);
    expect(pad(padKernel, [ti('i16', [3], undefined, { scale: 0.5, zp: 0 }), ti('i32', [1, 2], pads)], ti('i16', [6], undefined, { scale: 0.25, zp: 3 }), [x], 'tflm')).toEqual([0, -32768, 32767, 5, 0, 0]);
  });

  it('int8 / u8: border is the output zero point', () => {
    const pads = Int32Array.of(1, 1);
    expect(pad(padKernel, [ti('i8', [2], undefined, { scale: 0.5, zp: -5 }), ti('i32', [1, 2], pads)], ti('i8', [4], undefined, { scale: 0.5, zp: -7 }), [Int8Array.of(5, 6)])).toEqual([-7, 5, 6, -7]);
    expect(pad(padKernel, [ti('u8', [2], undefined, { scale: 0.5, zp: 128 }), ti('i32', [1, 2], pads)], ti('u8', [4], undefined, { scale: 0.5, zp: 128 }), [Uint8Array.of(0, 255)])).toEqual([128, 0, 255, 128]);
    // a plain (unquantized) i8 pads with 0
    expect(pad(padKernel, [ti('i8', [2]), ti('i32', [1, 2], pads)], ti('i8', [4]), [Int8Array.of(5, 6)])).toEqual([0, 5, 6, 0]);
  });

  it('padv2 quantized: raw constant, which must share the output scale and zero point', () => {
    const q = { scale: 0.5, zp: -5 };
    const pads = Int32Array.of(1, 1);
    expect(pad(padV2Kernel, [ti('i8', [2], undefined, q), ti('i32', [1, 2], pads), ti('i8', [], Int8Array.of(9), q)], ti('i8', [4], undefined, q), [Int8Array.of(5, 6)])).toEqual([9, 5, 6, 9]);
    expect(() =>
      padV2Kernel.prepare(ctxOf(padV2Kernel, [ti('i8', [2], undefined, q), ti('i32', [1, 2], pads), ti('i8', [], Int8Array.of(9), { scale: 0.25, zp: 2 })], ti('i8', [4], undefined, q))),
    ).toThrow(/scale and zero point/);
  });

  it('runtime paddings', () => {
    const fn = padKernel.prepare(ctxOf(padKernel, [ti('f32', [2]), ti('i32', [1, 2])], ti('f32', [5])));
    const y = new Float32Array(5);
    fn([{ dtype: 'f32', shape: [2], data: Float32Array.of(1, 2) }, { dtype: 'i32', shape: [1, 2], data: Int32Array.of(2, 1) }], [{ dtype: 'f32', shape: [5], data: y }]);
    expect(Array.from(y)).toEqual([0, 0, 1, 2, 0]);
  });

  it('rejects i64 paddings (TF 2.12 reads them as int32 words), negative pads and 6-D inputs', () => {
    expect(() => padKernel.prepare(ctxOf(padKernel, [ti('f32', [2]), ti('i64', [1, 2], BigInt64Array.of(1n, 1n))], ti('f32', [4])))).toThrow(/i32/);
    expect(() => padKernel.prepare(ctxOf(padKernel, [ti('f32', [2]), ti('i32', [1, 2], Int32Array.of(-1, 1))], ti('f32', [2])))).toThrow(KernelError);
    const s6 = [1, 1, 1, 1, 1, 1];
    expect(() => padKernel.prepare(ctxOf(padKernel, [ti('f32', s6), ti('i32', [6, 2], new Int32Array(12))], ti('f32', s6)))).toThrow(/5 dimensions/);
    expect(() => padKernel.prepare(ctxOf(padKernel, [ti('f32', [2]), ti('i32', [1, 2], Int32Array.of(1, 1))], ti('f32', [5])))).toThrow(/does not match/);
  });

  it('pads i64 elements whole', () => {
    expect(pad(padV2Kernel, [ti('i64', [1]), ti('i32', [1, 2], Int32Array.of(1, 0)), ti('i64', [], BigInt64Array.of(-(2n ** 40n)))], ti('i64', [2]), [BigInt64Array.of(2n ** 50n)])).toEqual([
      -(2 ** 40),
      2 ** 50,
    ]);
  });
});
