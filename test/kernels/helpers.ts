// Shared helpers for the elementwise/activation kernel tests: tensor specs -> KernelContext,
// prepare + run a kernel, typed-array construction and exhaustive value ranges.
import { allocTyped } from '../../src/interp/kernel.js';
import type { AttrValue, DType, KernelContext, KernelDef, KernelFlavour, Tensor, TensorInfo, TypedArray } from '../../src/interp/kernel.js';

/** A tensor in a test: dtype, shape, optional quantization and values. */
export type Spec = { dtype: DType; shape: number[]; scale?: number | number[]; zp?: number | number[]; axis?: number; values?: number[]; const?: boolean };

export function tinfo(s: Spec, name: string): TensorInfo {
  const quant =
    s.scale === undefined
      ? undefined
      : {
          scale: (Array.isArray(s.scale) ? s.scale : [s.scale]).map(Math.fround),
          zeroPoint: Array.isArray(s.zp) ? s.zp : [s.zp ?? 0],
          axis: s.axis ?? -1,
          storageMin: 0,
          storageMax: 0,
        };
  const data = s.const && s.values ? typed(s.dtype, s.values) : undefined;
  return { name, dtype: s.dtype, shape: s.shape, ...(quant ? { quant } : {}), ...(data ? { data } : {}) };
}

export function typed(dtype: DType, values: readonly number[]): TypedArray {
  const a = allocTyped(dtype, values.length);
  if (a instanceof BigInt64Array) values.forEach((v, i) => (a[i] = BigInt(v)));
  else (a as Float32Array).set(values);
  return a;
}

export function ctxOf(op: string, ins: Spec[], outs: Spec[], attrs: Record<string, AttrValue> = {}, flavour: KernelFlavour = 'tflite'): KernelContext {
  return {
    op,
    where: 'test',
    inputs: ins.map((s, i) => tinfo(s, `in${i}`)),
    outputs: outs.map((s, i) => tinfo(s, `out${i}`)),
    intermediates: [],
    attrs,
    flavour,
  };
}

/** Prepares and runs a kernel; returns output 0 as numbers. */
export function run(k: KernelDef, ins: Spec[], out: Spec, attrs: Record<string, AttrValue> = {}, flavour: KernelFlavour = 'tflite'): number[] {
  const fn = k.prepare(ctxOf(k.op, ins, [out], attrs, flavour));
  const tin: Tensor[] = ins.map((s) => ({ dtype: s.dtype, shape: s.shape, data: typed(s.dtype, s.values ?? []) }));
  const n = out.shape.reduce((a, b) => a * b, 1);
  const tout: Tensor[] = [{ dtype: out.dtype, shape: out.shape, data: allocTyped(out.dtype, n) }];
  fn(tin, tout);
  return Array.from(tout[0]!.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Runs a golden vector (inputs, quant params and expected output recorded from TFLite ≈2.12). */
export function runGolden(k: KernelDef, g: { ins: Spec[]; out: Spec }, attrs: Record<string, AttrValue> = {}): number[] {
  return run(k, g.ins, { ...g.out, values: undefined }, attrs);
}

export function allValues(dtype: 'i8' | 'u8' | 'i16'): number[] {
  const [lo, hi] = dtype === 'i8' ? [-128, 127] : dtype === 'u8' ? [0, 255] : [-32768, 32767];
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}
