/**
 * `tfl.quantize` and `tfl.dequantize`.
 *
 * TFLite ≈2.12 (`quantize.cc`, `dequantize.cc`):
 * - quantize f32 → i8/u8/i16 (per-tensor; i16 needs zero point 0):
 *   `q = clamp((int)round(x / scale) + zp)`, round half away from zero, the division in double
 *   (TFLM: in float).
 * - requantize between i8, u8, i16 and i32 (i16 / i32 zero points 0):
 *   `q = clamp(zp_out + MBQM(x - zp_in, M(double(s_in) / double(s_out))))` (`reference_ops::Requantize`).
 * - dequantize i8/u8/i16/i32 → f32: `(float)(double(scale) * (x - zp))`, per-tensor or per-axis;
 *   f16 → f32: exact widening.
 *
 * Verified bit-exact against TFLite ≈2.12's builtin kernels (tfjs-tflite wasm, XNNPACK bypassed),
 * including exact .5 ties, NaN/inf/out-of-range inputs (→ INT32_MIN before `+ zp`, as on x86 and
 * wasm), and the two seanet quantize goldens (int32↔int16). TFLite 2.12 itself rejects requantizing
 * i8/u8→i16/i32, i16→u8 and i32→u8/i32; these kernels run them with the same Requantize formula
 * (TFLM supports i8→i16/i32). tfjs-tflite's default XNNPACK path quantizes f32→i8/u8 with
 * `x * (1/scale)` and round-half-even — different from the builtin kernel on ties.
 */

import { unsupported } from '../../../src/interp/kernel.js';
import type { KernelContext, KernelDef, KernelFn, TensorInfo } from '../../../src/interp/kernel.js';
import { mbqm, quantizeMultiplier, roundHalfAway } from '../../../src/interp/fixedpoint.js';
import { arity, checkShape, dtypeRange, input, output, qparams } from './broadcast.js';
import type { NumArray } from './broadcast.js';

const fround = Math.fround;

/** IEEE half → float. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function isInt(dtype: string): dtype is 'i8' | 'u8' | 'i16' | 'i32' {
  return dtype === 'i8' || dtype === 'u8' || dtype === 'i16' || dtype === 'i32';
}

function perTensorOutput(ctx: KernelContext, t: TensorInfo): { scale: number; zeroPoint: number } {
  if (!t.quant || t.quant.scale.length !== 1) unsupported(ctx, 'the quantized result must be per-tensor quantized');
  return qparams(ctx, t);
}

function quantizeFloat(ctx: KernelContext, y: TensorInfo): KernelFn {
  const { scale, zeroPoint } = perTensorOutput(ctx, y);
  if (y.dtype !== 'i8' && y.dtype !== 'u8' && y.dtype !== 'i16') return unsupported(ctx);
  if (y.dtype === 'i16' && zeroPoint !== 0) unsupported(ctx, 'int16 output needs zero point 0');
  const [lo, hi] = dtypeRange(ctx, y.dtype);
  // TFLite ≈2.12 divides by the scale in double (`val / double(scale)`, verified for i8, u8 and
  // i16 against tfjs-tflite); current TFLM's reference divides by the float scale. Both then
  // round half away from zero.
  const divideInDouble = ctx.flavour === 'tflite';
  const saturate = ctx.flavour === 'tflm';
  return (ins, outs) => {
    const X = (ins[0] as { data: Float32Array }).data;
    const Y = (outs[0] as { data: NumArray }).data;
    const n = X.length;
    for (let i = 0; i < n; i++) {
      const v = X[i] as number;
      const d = divideInDouble ? v / scale : fround(v / scale);
      let q = roundHalfAway(d);
      // static_cast<int32_t> of an out-of-range value (or NaN) is UB in C++. x86 and the wasm
      // build behind tfjs-tflite give INT32_MIN ("integer indefinite"), then `+ zp` wraps;
      // ARM (TFLM targets) saturates, NaN -> 0.
      if (!(q >= -2147483648 && q <= 2147483647)) {
        q = saturate ? (Number.isNaN(q) ? 0 : q > 0 ? 2147483647 : -2147483648) : -2147483648;
      }
      q = (q + zeroPoint) | 0;
      Y[i] = q < lo ? lo : q > hi ? hi : q;
    }
  };
}

function requantize(ctx: KernelContext, x: TensorInfo, y: TensorInfo): KernelFn {
  if (!isInt(x.dtype) || !isInt(y.dtype)) return unsupported(ctx);
  const qi = qparams(ctx, x);
  const qo = perTensorOutput(ctx, y);
  // A non-zero input zero point is subtracted first (keyword_scrambled's int16 softmax output, zp -32768).
  if ((y.dtype === 'i16' || y.dtype === 'i32') && qo.zeroPoint !== 0) unsupported(ctx, `${y.dtype} output needs zero point 0`);
  const { multiplier, shift } = quantizeMultiplier(qi.scale / qo.scale);
  const [lo, hi] = dtypeRange(ctx, y.dtype);
  const zi = qi.zeroPoint;
  const zo = qo.zeroPoint;
  const one = (x: number): number => {
    const v = (mbqm((x - zi) | 0, multiplier, shift) + zo) | 0;
    return v < lo ? lo : v > hi ? hi : v;
  };
  if (x.dtype !== 'i32') {
    // The result depends only on the input value: tabulate it over the input's storage range.
    const [inLo, inHi] = dtypeRange(ctx, x.dtype);
    const table = new Int32Array(inHi - inLo + 1);
    for (let v = inLo; v <= inHi; v++) table[v - inLo] = one(v);
    return (ins, outs) => {
      const X = (ins[0] as { data: NumArray }).data;
      const Y = (outs[0] as { data: NumArray }).data;
      const n = X.length;
      for (let i = 0; i < n; i++) Y[i] = table[(X[i] as number) - inLo] as number;
    };
  }
  return (ins, outs) => {
    const X = (ins[0] as { data: Int32Array }).data;
    const Y = (outs[0] as { data: NumArray }).data;
    const n = X.length;
    for (let i = 0; i < n; i++) Y[i] = one(X[i] as number);
  };
}

/**
 * `tfl.quantize`: f32 → i8/u8/i16, and requantization between i8/u8/i16/i32 (incl. i8↔i16,
 * i16→i32, i32→i16). Output per-tensor. Flavours differ only in how f32 → int divides (TFLite:
 * double, TFLM: float).
 */
export const quantizeKernel: KernelDef = {
  op: 'tfl.quantize',
  flavoursDiffer: 'f32->int: tflite divides by the scale in double, tflm in float',
  prepare(ctx: KernelContext): KernelFn {
    arity(ctx, 1, 1);
    const x = input(ctx, 0);
    const y = output(ctx);
    checkShape(ctx, y.shape, x.shape);
    if (x.dtype === 'f32') return quantizeFloat(ctx, y);
    return requantize(ctx, x, y);
  },
};

/** `tfl.dequantize`: i8/u8/i16/i32 (per-tensor or per-axis) → f32, f16 → f32. */
export const dequantizeKernel: KernelDef = {
  op: 'tfl.dequantize',
  prepare(ctx: KernelContext): KernelFn {
    arity(ctx, 1, 1);
    const x = input(ctx, 0);
    const y = output(ctx);
    checkShape(ctx, y.shape, x.shape);
    if (y.dtype !== 'f32') return unsupported(ctx);
    if (x.dtype === 'f16') {
      return (ins, outs) => {
        const X = (ins[0] as { data: Uint16Array }).data;
        const Y = (outs[0] as { data: Float32Array }).data;
        for (let i = 0; i < X.length; i++) Y[i] = halfToFloat(X[i] as number);
      };
    }
    if (!isInt(x.dtype)) return unsupported(ctx);
    const q = x.quant;
    if (!q || q.scale.length === 0) return unsupported(ctx, 'input has no quantization parameters');
    if (q.scale.length === 1) {
      const scale = fround(q.scale[0] as number);
      const zp = (q.zeroPoint[0] ?? 0) as number;
      return (ins, outs) => {
        const X = (ins[0] as { data: NumArray }).data;
        const Y = (outs[0] as { data: Float32Array }).data;
        for (let i = 0; i < X.length; i++) Y[i] = scale * ((X[i] as number) - zp);
      };
    }
    // Per-axis: the channel of flat index i is floor(i / inner) % dims[axis].
    const axis = q.axis;
    if (axis < 0 || axis >= x.shape.length || q.scale.length !== x.shape[axis]) {
      return unsupported(ctx, 'per-axis quantization does not match the quantized dimension');
    }
    const scales = Float64Array.from(q.scale, (s) => fround(s));
    const zps = Float64Array.from(q.zeroPoint.length ? q.zeroPoint : q.scale.map(() => 0));
    let inner = 1;
    for (let d = axis + 1; d < x.shape.length; d++) inner *= x.shape[d] as number;
    const channels = x.shape[axis] as number;
    return (ins, outs) => {
      const X = (ins[0] as { data: NumArray }).data;
      const Y = (outs[0] as { data: Float32Array }).data;
      for (let i = 0; i < X.length; i++) {
        const c = Math.floor(i / inner) % channels;
        Y[i] = (scales[c] as number) * ((X[i] as number) - (zps[c] as number));
      }
    };
  },
};

/** The kernels of this file. */
export const quantizeKernels: readonly KernelDef[] = [quantizeKernel, dequantizeKernel];
