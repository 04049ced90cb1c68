/**
 * Unit tests of tfl.concatenation (dialects/tfl/kernels/concat.ts): raw concatenation on every
 * axis against a naive formula, the quantization rules TFLite enforces (int8 equal params, int16
 * zero points 0, no fused activation) and u8 `ConcatenationWithScaling` rounding, hand-computed.
 */

import { describe, expect, it } from 'vitest';
import { concatKernels, concatenationKernel } from '../../dialects/tfl/kernels/concat.js';
import { type DType, type KernelContext, type TensorInfo, type TypedArray, KernelError, allocTyped, numElements } from '../../src/interp/kernel.js';

const ti = (dtype: DType, shape: number[], q?: { scale: number; zp: number }): TensorInfo => ({
  name: 't',
  dtype,
  shape,
  quant: q ? { scale: [q.scale], zeroPoint: [q.zp], axis: -1, storageMin: -32768, storageMax: 32767 } : undefined,
});
const ctxOf = (inputs: TensorInfo[], output: TensorInfo, attrs: KernelContext['attrs'], flavour: 'tflite' | 'tflm' = 'tflite'): KernelContext => ({
  op: 'tfl.concatenation',
  where: 'test',
  inputs,
  outputs: [output],
  intermediates: [],
  attrs,
  flavour,
});
function concat(inputs: TensorInfo[], output: TensorInfo, attrs: KernelContext['attrs'], feeds: TypedArray[]): number[] {
  const fn = concatenationKernel.prepare(ctxOf(inputs, output, attrs));
  const y = allocTyped(output.dtype, numElements(output.shape));
  fn(
    inputs.map((t, i) => ({ dtype: t.dtype, shape: t.shape, data: feeds[i]! })),
    [{ dtype: output.dtype, shape: output.shape, data: y }],
  );
  return Array.from(y as Float32Array, Number);
}

describe('tfl.concatenation', () => {
  it('is the only kernel of concat.ts', () => {
    expect(concatKernels.map((k) => k.op)).toEqual(['tfl.concatenation']);
  });

  for (const axis of [0, 1, 2, -1, -3]) {
    it(`f32 [2,3,2] ++ [2,3,2] with a different size on axis ${axis}`, () => {
      const a = axis < 0 ? axis + 3 : axis;
      const sa = [2, 3, 2];
      const sb = [2, 3, 2];
      sb[a] = 1;
      const so = [...sa];
      so[a] = sa[a]! + sb[a]!;
      const xa = Float32Array.from({ length: 12 }, (_, i) => i);
      const xb = Float32Array.from({ length: numElements(sb) }, (_, i) => 100 + i);
      const y = concat([ti('f32', sa), ti('f32', sb)], ti('f32', so), { axis }, [xa, xb]);
      // naive: output index -> (operand, index within operand)
      const stride = (s: number[]): number[] => s.map((_, i) => s.slice(i + 1).reduce((p, q) => p * q, 1));
      const os = stride(so);
      const expected: number[] = [];
      for (let o = 0; o < numElements(so); o++) {
        const idx = so.map((d, i) => Math.floor(o / os[i]!) % d);
        const fromA = idx[a]! < sa[a]!;
        const shp = fromA ? sa : sb;
        const local = [...idx];
        if (!fromA) local[a] = idx[a]! - sa[a]!;
        const st = stride(shp);
        const flat = local.reduce((acc, v, i) => acc + v * st[i]!, 0);
        expected.push(fromA ? xa[flat]! : xb[flat]!);
      }
      expect(y).toEqual(expected);
    });
  }

  it('moves i64 and bool elements whole', () => {
    const y = concat([ti('i64', [1, 2]), ti('i64', [1, 1])], ti('i64', [1, 3]), { axis: 1 }, [BigInt64Array.of(-1n, 2n ** 40n), BigInt64Array.of(7n)]);
    expect(y).toEqual([-1, 2 ** 40, 7]);
    expect(concat([ti('i1', [2]), ti('i1', [1])], ti('i1', [3]), { axis: 0 }, [Uint8Array.of(1, 0), Uint8Array.of(1)])).toEqual([1, 0, 1]);
  });

  it('rejects a fused activation (TFLite Prepare requires NONE)', () => {
    expect(() => concatenationKernel.prepare(ctxOf([ti('f32', [1]), ti('f32', [1])], ti('f32', [2]), { axis: 0, fused_activation_function: 'RELU' }))).toThrow(/NONE/);
  });

  it('int8: equal scale and zero point required; copies raw when equal', () => {
    const q = { scale: 0.05, zp: -3 };
    expect(concat([ti('i8', [2], q), ti('i8', [1], q)], ti('i8', [3], q), { axis: 0 }, [Int8Array.of(-128, 5), Int8Array.of(127)])).toEqual([-128, 5, 127]);
    expect(() => concatenationKernel.prepare(ctxOf([ti('i8', [2], q), ti('i8', [1], { scale: 0.05, zp: -2 })], ti('i8', [3], q), { axis: 0 }))).toThrow(KernelError);
    expect(() => concatenationKernel.prepare(ctxOf([ti('i8', [2], q), ti('i8', [1], { scale: 0.06, zp: -3 })], ti('i8', [3], q), { axis: 0 }))).toThrow(/rescaling/);
  });

  it('int16: zero points must be 0; differing scales are copied raw, as TFLite does', () => {
    expect(
      concat([ti('i16', [2], { scale: 0.5, zp: 0 }), ti('i16', [2], { scale: 0.25, zp: 0 })], ti('i16', [4], { scale: 0.5, zp: 0 }), { axis: 0 }, [Int16Array.of(-1, 2), Int16Array.of(3, -32768)]),
    ).toEqual([-1, 2, 3, -32768]);
    expect(() => concatenationKernel.prepare(ctxOf([ti('i16', [2], { scale: 0.5, zp: 1 })], ti('i16', [2], { scale: 0.5, zp: 0 }), { axis: 0 }))).toThrow(/zero point/);
  });

  it('u8: ConcatenationWithScaling (float32 scale/bias, round half away from zero, clamp)', () => {
    // in0 (0.5, 128): 1 -> -63.5 real -> 120 - 211.67 -> clamp 0; 200 -> 36 -> 120 + 120 = 240
    // in1 (0.25, 100): 3 -> -24.25 -> 120 - 80.83 -> 39; 250 -> 37.5 -> 120 + 125 = 245
    // (tfjs-tflite's builtin kernel gives [0, 240, 39, 245]; its XNNPACK delegate would copy raw)
    expect(
      concat([ti('u8', [1, 2], { scale: 0.5, zp: 128 }), ti('u8', [1, 2], { scale: 0.25, zp: 100 })], ti('u8', [1, 4], { scale: 0.3, zp: 120 }), { axis: 1 }, [
        Uint8Array.of(1, 200),
        Uint8Array.of(3, 250),
      ]),
    ).toEqual([0, 240, 39, 245]);
    // exact ties: q*0.5 - 1 = -0.5, 1.5, -1, 126.5 -> -1, 2, -1, 127 (+ zp 10)
    expect(concat([ti('u8', [4], { scale: 0.5, zp: 2 })], ti('u8', [4], { scale: 1, zp: 10 }), { axis: 0 }, [Uint8Array.of(1, 5, 0, 255)])).toEqual([9, 12, 9, 137]);
    // equal params: memcpy
    expect(concat([ti('u8', [2], { scale: 0.3, zp: 7 })], ti('u8', [2], { scale: 0.3, zp: 7 }), { axis: 0 }, [Uint8Array.of(0, 255)])).toEqual([0, 255]);
    expect(() => concatenationKernel.prepare(ctxOf([ti('u8', [1], { scale: 0.5, zp: 1 })], ti('u8', [1], { scale: 0.5, zp: 1 }), { axis: 0 }, 'tflm'))).toThrow(KernelError);
  });
});
