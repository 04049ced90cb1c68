/**
 * Unary elementwise kernels: `tfl.relu`, `tfl.relu6`, `tfl.relu_n1_to_1`, `tfl.relu_0_to_1`,
 * `tfl.leaky_relu`, `tfl.hard_swish`, `tfl.sqrt`, `tfl.rsqrt`, `tfl.abs`, `tfl.neg`.
 *
 * Quantized arithmetic follows TFLite ≈2.12 (`activations.cc`, `elementwise.cc`):
 * - relu family: `zp_out + MBQM(x - zp_in, M(float(s_in / s_out)))` clamped to
 *   `[max(qmin, zp_out + roundf(lo / s_out)), min(qmax, zp_out + roundf(hi / s_out))]`.
 * - leaky_relu: identity multiplier `float(s_in / s_out)` for x >= zp, alpha multiplier
 *   `float(s_in * alpha / s_out)` otherwise (negative alpha: the magnitude is multiplied, then negated).
 * - hard_swish (8-bit): `reference_ops::HardSwish` with int16 fixed-point multipliers
 *   (`DownScaleInt32ToInt16Multiplier`), the "reluish" ramp on 3/32768 scale.
 * - abs (i8/i16): `|x - zp_in|`, rescaled by `M(s_in / s_out)` only when the scales differ.
 * - rsqrt (i8): `GetInvSqrtQuantizedMultiplierExp` per value and `M(1 / (sqrtf(s_in) * s_out))`.
 * Every quantized kernel here maps each possible input value to its output once at prepare time
 * (a 256- or 65536-entry table), so run() is a table lookup.
 *
 * TFLM differs for relu6 (a raw clamp to `[zp_in, zp_in + round(6 / s_in)]`, no rescale).
 *
 * Verified bit-exact against TFLite ≈2.12's builtin kernels (tfjs-tflite wasm, XNNPACK bypassed)
 * over every storage value for random parameters (and the 23 seanet leaky_relu goldens); float
 * kernels match the builtin ones bit for bit. tfjs-tflite's default XNNPACK path computes 8-bit
 * leaky_relu differently (±1 on some values); these kernels follow the builtin kernels.
 */

import { KernelError, unsupported } from '../../../src/interp/kernel.js';
import type { KernelContext, KernelDef, KernelFn } from '../../../src/interp/kernel.js';
import { mbqm, quantizeMultiplier, rdbpot, roundHalfAway } from '../../../src/interp/fixedpoint.js';
import { GEMMLOWP32 } from './activations.js';
import { arity, checkShape, dtypeRange, f32Attr, fromRaw16, fromRaw8, input, output, qparams, rawView16, rawView8 } from './broadcast.js';
import type { NumArray } from './broadcast.js';

const fround = Math.fround;
const ONE_SIXTH = Math.fround(1 / 6);

/** Input/output shapes and types must match; returns the dtype. */
function prepareUnary(ctx: KernelContext): string {
  arity(ctx, 1, 1);
  const x = input(ctx, 0);
  const y = output(ctx);
  checkShape(ctx, y.shape, x.shape);
  if (x.dtype !== y.dtype) unsupported(ctx, 'input and output types must match');
  return x.dtype;
}

function floatKernel(f: (x: number) => number): KernelFn {
  return (ins, outs) => {
    const X = (ins[0] as { data: Float32Array }).data;
    const Y = (outs[0] as { data: Float32Array }).data;
    const n = X.length;
    for (let i = 0; i < n; i++) Y[i] = f(X[i] as number);
  };
}

/**
 * A kernel that maps every storage value through a table built at prepare time, indexed by the
 * raw bits (see `rawView8`) so the hot loop is monomorphic.
 */
function tableKernel(ctx: KernelContext, dtype: string, f: (v: number) => number): KernelFn {
  if (dtype === 'i16') {
    const table = new Uint16Array(65536);
    for (let bits = 0; bits < 65536; bits++) table[bits] = f(fromRaw16(bits)) & 0xffff;
    return (ins, outs) => {
      const X = rawView16((ins[0] as { data: NumArray }).data);
      const Y = rawView16((outs[0] as { data: NumArray }).data);
      const n = X.length;
      for (let i = 0; i < n; i++) Y[i] = table[X[i] as number] as number;
    };
  }
  if (dtype !== 'i8' && dtype !== 'u8') return unsupported(ctx);
  const signed = dtype === 'i8';
  const table = new Uint8Array(256);
  for (let bits = 0; bits < 256; bits++) table[bits] = f(fromRaw8(bits, signed)) & 0xff;
  return (ins, outs) => {
    const X = rawView8((ins[0] as { data: NumArray }).data);
    const Y = rawView8((outs[0] as { data: NumArray }).data);
    const n = X.length;
    for (let i = 0; i < n; i++) Y[i] = table[X[i] as number] as number;
  };
}

// ---------------------------------------------------------------------------------------------
// relu family

type ReluKind = 'relu' | 'relu6' | 'relu_n1_to_1' | 'relu_0_to_1';

const RELU_BOUNDS: Record<ReluKind, [number, number]> = {
  relu: [0, Infinity],
  relu6: [0, 6],
  relu_n1_to_1: [-1, 1],
  relu_0_to_1: [0, 1],
};

function reluFloat(kind: ReluKind): (x: number) => number {
  switch (kind) {
    case 'relu':
      return (x) => (x > 0 ? x : 0); // std::max(0.f, x)
    case 'relu6':
      return (x) => {
        const m = x > 0 ? x : 0;
        return 6 < m ? 6 : m; // std::min(std::max(0.f, x), 6.f)
      };
    case 'relu_n1_to_1':
      return (x) => (x > 1 ? 1 : x < -1 ? -1 : x);
    case 'relu_0_to_1':
      return (x) => (x > 1 ? 1 : x < 0 ? 0 : x);
  }
}

function makeRelu(kind: ReluKind): KernelDef {
  return {
    op: `tfl.${kind}`,
    ...(kind === 'relu6' ? { flavoursDiffer: 'tflm relu6 clamps raw input values without rescaling' } : {}),
    prepare(ctx: KernelContext): KernelFn {
      const dtype = prepareUnary(ctx);
      if (dtype === 'f32') return floatKernel(reluFloat(kind));
      if (dtype !== 'i8' && dtype !== 'u8' && dtype !== 'i16') return unsupported(ctx);
      if (dtype === 'i16' && kind !== 'relu' && kind !== 'relu6') unsupported(ctx, `int16 ${kind}`);
      if (dtype === 'u8' && ctx.flavour === 'tflm') unsupported(ctx, 'TFLM has no uint8 relu');
      const qi = qparams(ctx, input(ctx, 0));
      const qo = qparams(ctx, output(ctx));
      if (dtype === 'i16' && (qi.zeroPoint !== 0 || qo.zeroPoint !== 0)) unsupported(ctx, 'int16 relu needs zero points 0');
      const [tmin, tmax] = dtypeRange(ctx, dtype);
      if (ctx.flavour === 'tflm' && kind === 'relu6') {
        const six = Math.max(tmin, Math.min(tmax, roundHalfAway(fround(6 / qi.scale)) + qi.zeroPoint));
        const zero = qi.zeroPoint;
        return tableKernel(ctx, dtype, (v) => (v > six ? six : v < zero ? zero : v));
      }
      const [lo, hi] = RELU_BOUNDS[kind];
      const qmin = Math.max(tmin, qo.zeroPoint + roundHalfAway(fround(lo / qo.scale)));
      const qmax = hi === Infinity ? tmax : Math.min(tmax, qo.zeroPoint + roundHalfAway(fround(hi / qo.scale)));
      const { multiplier, shift } = quantizeMultiplier(fround(qi.scale / qo.scale));
      return tableKernel(ctx, dtype, (v) => {
        const c = qo.zeroPoint + mbqm(v - qi.zeroPoint, multiplier, shift);
        return c < qmin ? qmin : c > qmax ? qmax : c;
      });
    },
  };
}

/** `tfl.relu`: f32, i8, u8, i16 (zero points 0). */
export const reluKernel = makeRelu('relu');
/** `tfl.relu6`: f32, i8, u8, i16 (zero points 0). Flavours differ (TFLM clamps raw values). */
export const relu6Kernel = makeRelu('relu6');
/** `tfl.relu_n1_to_1`: f32, i8, u8. */
export const reluN1To1Kernel = makeRelu('relu_n1_to_1');
/** `tfl.relu_0_to_1`: f32, i8, u8. */
export const relu0To1Kernel = makeRelu('relu_0_to_1');

// ---------------------------------------------------------------------------------------------
// leaky relu

/** `tfl.leaky_relu` (`alpha`, default 0.2): f32, i8, u8, i16 (zero points 0). */
export const leakyReluKernel: KernelDef = {
  op: 'tfl.leaky_relu',
  prepare(ctx: KernelContext): KernelFn {
    const dtype = prepareUnary(ctx);
    const alpha = f32Attr(ctx, 'alpha', 0.2);
    if (dtype === 'f32') return floatKernel((x) => (x > 0 ? x : fround(x * alpha)));
    if (dtype !== 'i8' && dtype !== 'u8' && dtype !== 'i16') return unsupported(ctx);
    const qi = qparams(ctx, input(ctx, 0));
    const qo = qparams(ctx, output(ctx));
    if (dtype === 'i16' && (qi.zeroPoint !== 0 || qo.zeroPoint !== 0)) unsupported(ctx, 'int16 leaky_relu needs zero points 0');
    const alphaM = quantizeMultiplier(fround(fround(qi.scale * alpha) / qo.scale));
    const idM = quantizeMultiplier(fround(qi.scale / qo.scale));
    const negAlpha = alphaM.multiplier < 0;
    const safeAlpha = negAlpha ? -alphaM.multiplier : alphaM.multiplier;
    const [tmin, tmax] = dtypeRange(ctx, dtype);
    return tableKernel(ctx, dtype, (v) => {
      const x = v - qi.zeroPoint;
      let out = qo.zeroPoint;
      if (x >= 0) out += mbqm(x, idM.multiplier, idM.shift);
      else {
        const s = mbqm(x, safeAlpha, alphaM.shift);
        out += negAlpha ? -s : s;
      }
      return out < tmin ? tmin : out > tmax ? tmax : out;
    });
  },
};

// ---------------------------------------------------------------------------------------------
// hard swish

/** int16 SaturatingRoundingDoublingHighMul. */
function srdhm16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  const ab = a * b;
  const nudge = ab >= 0 ? 16384 : 1 - 16384;
  return ((Math.trunc((ab + nudge) / 32768)) << 16) >> 16;
}

/** reference_ops::SaturatingDoublingHighMul (int16, truncating). */
function sdhm16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  return (Math.trunc((a * b) / 32768) << 16) >> 16;
}

function saturatingLeftShift16(v: number, amount: number): number {
  const r = v * 2 ** amount;
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/** TFLite `DownScaleInt32ToInt16Multiplier`. */
function downScaleToInt16(m: number): number {
  if (m >= 2147483647 - 32768) return 32767;
  return (m + 32768) >> 16;
}

/** `tfl.hard_swish`: f32, i8, u8. */
export const hardSwishKernel: KernelDef = {
  op: 'tfl.hard_swish',
  prepare(ctx: KernelContext): KernelFn {
    const dtype = prepareUnary(ctx);
    if (dtype === 'f32') {
      return floatKernel((x) => {
        const r = fround(x + 3);
        const c = r < 0 ? 0 : r > 6 ? 6 : r;
        return fround(fround(x * c) * ONE_SIXTH);
      });
    }
    if (dtype !== 'i8' && dtype !== 'u8') return unsupported(ctx);
    const qi = qparams(ctx, input(ctx, 0));
    const qo = qparams(ctx, output(ctx));
    const hiresInputScale = fround(fround(1 / 128) * qi.scale);
    const reluishScale = fround(3 / 32768);
    const outM = quantizeMultiplier(fround(hiresInputScale / qo.scale));
    if (outM.shift > 0) unsupported(ctx, 'hard_swish output multiplier exponent must be <= 0');
    const outMul16 = downScaleToInt16(outM.multiplier);
    const reluM = quantizeMultiplier(fround(hiresInputScale / reluishScale));
    const reluMul16 = downScaleToInt16(reluM.multiplier);
    const reluExp = reluM.shift;
    const [tmin, tmax] = dtypeRange(ctx, dtype);
    return tableKernel(ctx, dtype, (v) => {
      const inputValue = ((v - qi.zeroPoint) << 16) >> 16;
      const hires = ((inputValue * 128) << 16) >> 16;
      const preshiftOut = srdhm16(hires, outMul16);
      let reluish = hires;
      if (reluExp > 0) reluish = saturatingLeftShift16(reluish, reluExp - 1);
      reluish = srdhm16(reluish, reluMul16);
      if (reluExp > 0) reluish = saturatingLeftShift16(reluish, 1);
      if (reluExp < 0) reluish = rdbpot(reluish, -reluExp);
      reluish = ((reluish + 32768) >> 1) << 16 >> 16;
      const preshiftOutput = sdhm16(reluish, preshiftOut);
      let out = rdbpot(preshiftOutput, -outM.shift);
      out = ((out + qo.zeroPoint) << 16) >> 16;
      return out > tmax ? tmax : out < tmin ? tmin : out;
    });
  },
};

// ---------------------------------------------------------------------------------------------
// sqrt, rsqrt, abs, neg

/** `tfl.sqrt`: f32. */
export const sqrtKernel: KernelDef = {
  op: 'tfl.sqrt',
  prepare(ctx: KernelContext): KernelFn {
    const dtype = prepareUnary(ctx);
    if (dtype !== 'f32') return unsupported(ctx);
    return floatKernel(Math.sqrt);
  },
};

/** TFLite `GetInvSqrtQuantizedMultiplierExp` with kReverseShift (-1). */
export function invSqrtQuantizedMultiplierExp(inputValue: number): { multiplier: number; shift: number } {
  let x = inputValue;
  if (x <= 1) return { multiplier: 2147483647, shift: 0 };
  let outputShift = 11;
  while (x >= 2 ** 29) {
    x = Math.trunc(x / 4);
    outputShift++;
  }
  const maxLeftShiftBits = Math.clz32(x) - 1;
  const maxLeftShiftBitPairs = Math.floor(maxLeftShiftBits / 2);
  const leftShiftBitPairs = maxLeftShiftBitPairs - 1;
  outputShift -= leftShiftBitPairs;
  x = x * 2 ** (2 * leftShiftBitPairs);
  const g = GEMMLOWP32;
  const fixedpointInput = x >> 1; // F3
  const halfInput = g.srmpot(fixedpointInput, -1);
  const halfThree = g.constant(2 ** 28 + 2 ** 27);
  let r = g.one(3);
  for (let i = 0; i < 5; i++) {
    const x3 = g.rescale(g.mul(g.mul(r, r), r), 9, 3);
    r = g.rescale(g.sub(g.mul(halfThree, r), g.mul(halfInput, x3)), 6, 3);
  }
  const halfSqrt2 = g.constant(1518500250);
  let multiplier = g.mul(r, halfSqrt2);
  if (outputShift < 0) {
    multiplier = (multiplier * 2 ** -outputShift) | 0;
    outputShift = 0;
  }
  return { multiplier, shift: -outputShift };
}

/** `tfl.rsqrt`: f32 (`1 / sqrtf(x)`), i8 (TFLite's fixed-point inverse sqrt; negative inputs throw). */
export const rsqrtKernel: KernelDef = {
  op: 'tfl.rsqrt',
  prepare(ctx: KernelContext): KernelFn {
    const dtype = prepareUnary(ctx);
    if (dtype === 'f32') return floatKernel((x) => fround(1 / fround(Math.sqrt(x))));
    if (dtype !== 'i8') return unsupported(ctx);
    const qi = qparams(ctx, input(ctx, 0));
    const qo = qparams(ctx, output(ctx));
    const { multiplier, shift } = quantizeMultiplier(1 / fround(fround(Math.sqrt(qi.scale)) * qo.scale));
    const kShift = 20;
    const table = new Int32Array(256);
    for (let v = -128; v < 128; v++) {
      const value = v - qi.zeroPoint;
      if (value < 0) {
        table[v + 128] = 1000; // marker: invalid input
        continue;
      }
      if (value === 0) {
        table[v + 128] = 127;
        continue;
      }
      const inv = invSqrtQuantizedMultiplierExp(value);
      const data = mbqm(1, inv.multiplier, inv.shift + kShift);
      const out = mbqm(data, multiplier, shift - kShift) + qo.zeroPoint;
      table[v + 128] = out < -128 ? -128 : out > 127 ? 127 : out;
    }
    return (ins, outs) => {
      const X = (ins[0] as { data: Int8Array }).data;
      const Y = (outs[0] as { data: Int8Array }).data;
      const n = X.length;
      for (let i = 0; i < n; i++) {
        const t = table[(X[i] as number) + 128] as number;
        if (t === 1000) throw new KernelError(`'${ctx.op}' (${ctx.where}): Rsqrt is only defined for positive values`);
        Y[i] = t;
      }
    };
  },
};

/** `tfl.abs`: f32, i32, i8, i16 (zero points 0 for i16; rescaled when the scales differ). */
export const absKernel: KernelDef = {
  op: 'tfl.abs',
  prepare(ctx: KernelContext): KernelFn {
    const dtype = prepareUnary(ctx);
    if (dtype === 'f32') return floatKernel(Math.abs);
    if (dtype === 'i32' && !input(ctx, 0).quant) {
      return (ins, outs) => {
        const X = (ins[0] as { data: Int32Array }).data;
        const Y = (outs[0] as { data: Int32Array }).data;
        for (let i = 0; i < X.length; i++) Y[i] = Math.abs(X[i] as number) | 0;
      };
    }
    if (dtype !== 'i8' && dtype !== 'i16') return unsupported(ctx);
    const qi = qparams(ctx, input(ctx, 0));
    const qo = qparams(ctx, output(ctx));
    if (dtype === 'i16' && (qi.zeroPoint !== 0 || qo.zeroPoint !== 0)) unsupported(ctx, 'int16 abs needs zero points 0');
    const needsRescale = qi.scale !== qo.scale;
    const { multiplier, shift } = needsRescale ? quantizeMultiplier(fround(qi.scale / qo.scale)) : { multiplier: 0, shift: 0 };
    const [tmin, tmax] = dtypeRange(ctx, dtype);
    return tableKernel(ctx, dtype, (v) => {
      const value = Math.abs(v - qi.zeroPoint);
      const out = needsRescale ? mbqm(value, multiplier, shift) + qo.zeroPoint : value + qo.zeroPoint;
      return out < tmin ? tmin : out > tmax ? tmax : out;
    });
  },
};

/** `tfl.neg`: f32, i32 (wrapping), i64. */
export const negKernel: KernelDef = {
  op: 'tfl.neg',
  prepare(ctx: KernelContext): KernelFn {
    const dtype = prepareUnary(ctx);
    if (dtype === 'f32') return floatKernel((x) => -x);
    if (dtype === 'i32') {
      return (ins, outs) => {
        const X = (ins[0] as { data: Int32Array }).data;
        const Y = (outs[0] as { data: Int32Array }).data;
        for (let i = 0; i < X.length; i++) Y[i] = -(X[i] as number) | 0;
      };
    }
    if (dtype === 'i64') {
      return (ins, outs) => {
        const X = (ins[0] as { data: BigInt64Array }).data;
        const Y = (outs[0] as { data: BigInt64Array }).data;
        for (let i = 0; i < X.length; i++) Y[i] = BigInt.asIntN(64, -(X[i] as bigint));
      };
    }
    return unsupported(ctx);
  },
};

/** The kernels of this file. */
export const unaryKernels: readonly KernelDef[] = [
  reluKernel,
  relu6Kernel,
  reluN1To1Kernel,
  relu0To1Kernel,
  leakyReluKernel,
  hardSwishKernel,
  sqrtKernel,
  rsqrtKernel,
  absKernel,
  negKernel,
];
