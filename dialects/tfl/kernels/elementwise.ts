/**
 * Binary elementwise kernels with TFLite broadcasting (any rank; TFLite ≈2.12 itself handles up to
 * 6-D for add/sub/mul and 4/5-D for the others — ours is a superset):
 * `tfl.add`, `tfl.sub`, `tfl.mul`, `tfl.div`, `tfl.maximum`, `tfl.minimum`, `tfl.squared_difference`.
 *
 * Arithmetic follows TFLite's builtin kernels (`tensorflow/lite/kernels/{add,sub,mul,div,
 * maximum_minimum,squared_difference}.cc` Prepare + `reference_ops` / `reference_integer_ops`):
 * - 8-bit add/sub: inputs rescaled with `left_shift = 20` and per-input multipliers
 *   (`input_i_scale / (2 * max_input_scale)`), summed, then the output multiplier
 *   (`2 * max_input_scale / (2^20 * output_scale)`), all `MultiplyByQuantizedMultiplierSmallerThanOneExp`.
 * - int16 add/sub: the same "general" path with `left_shift = 15`, unless `pot_scale_int16` (default
 *   true, as in the TFLite schema) is set AND every scale is a power of two with zero points 0, in which
 *   case TFLite's POT path is used (the input with the smaller scale is rounding-shifted, then a
 *   saturating int16 add / subtract).
 * - quantized mul: `output_zp + MBQM((a - zp_a) * (b - zp_b), M(s_a * s_b / s_out))`.
 * Performance: 8-bit quantized add/sub/mul/squared_difference depend only on the pair of input
 * values, so prepare tabulates all 65536 pairs and run() is one lookup per element; int16 add/sub
 * tabulate each input's rescaled contribution. Same integers as TFLite, fewer operations.
 *
 * Verified bit-exact against TFLite ≈2.12's builtin kernels (tfjs-tflite wasm with the XNNPACK
 * delegate bypassed) on random shapes/scales/zero points/activations, and against the 22 seanet
 * add/sub corpus goldens. Note: tfjs-tflite by default hands int8/uint8 MUL (and f32 add/mul) to
 * XNNPACK, whose int8 mul differs by ±1 on some elements and whose float ops overflow to ±inf
 * instead of clamping to ±FLT_MAX; these kernels follow the builtin kernels.
 */

import { KernelError, unsupported } from '../../../src/interp/kernel.js';
import type { KernelContext, KernelDef, KernelFn, TensorInfo } from '../../../src/interp/kernel.js';
import { mbqm, quantizeMultiplier, rdbpot, srdhm } from '../../../src/interp/fixedpoint.js';
import {
  arity,
  boolAttr,
  fromRaw16,
  fromRaw8,
  rawView16,
  rawView8,
  rdbpot32,
  checkShape,
  checkedLog2,
  floatActRange,
  fusedActivation,
  input,
  int32ActRange,
  output,
  planBroadcast,
  qparams,
  quantActRange,
  runBroadcast,
} from './broadcast.js';
import type { BroadcastPlan, NumArray } from './broadcast.js';

const fround = Math.fround;

/** TFLite `QuantizeMultiplierSmallerThanOneExp`: TFLITE_CHECKs 0 < m < 1 (a failed check aborts TFLite). */
function qmSmallerThanOne(ctx: KernelContext, real: number, what: string): { multiplier: number; shift: number } {
  if (!(real > 0 && real < 1)) {
    unsupported(ctx, `${what} multiplier ${real} is outside (0, 1) (TFLite's Prepare CHECK-fails on it)`);
  }
  return quantizeMultiplier(real);
}

interface BinaryInfo {
  readonly a: TensorInfo;
  readonly b: TensorInfo;
  readonly out: TensorInfo;
  readonly plan: BroadcastPlan;
}

/** Common checks: two operands of one dtype, the result shape is their broadcast. */
function prepareBinary(ctx: KernelContext): BinaryInfo {
  arity(ctx, 2, 1);
  const a = input(ctx, 0);
  const b = input(ctx, 1);
  const out = output(ctx);
  if (a.dtype !== b.dtype) unsupported(ctx, 'operands must have the same element type');
  let plan: BroadcastPlan;
  try {
    plan = planBroadcast(a.shape, b.shape);
  } catch (e) {
    throw new KernelError(`'${ctx.op}': ${(e as Error).message}`);
  }
  checkShape(ctx, out.shape, plan.outShape);
  return { a, b, out, plan };
}

// ---------------------------------------------------------------------------------------------
// float32

type FloatOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'squared_difference';

function floatKernel(op: FloatOp, plan: BroadcastPlan, lo: number, hi: number): KernelFn {
  return (ins, outs) => {
    const A = (ins[0] as { data: Float32Array }).data;
    const B = (ins[1] as { data: Float32Array }).data;
    const O = (outs[0] as { data: Float32Array }).data;
    switch (op) {
      case 'add':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const v = fround((A[ai] as number) + (B[bi] as number));
            O[oi + k] = v < lo ? lo : v > hi ? hi : v;
          }
        });
        return;
      case 'sub':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const v = fround((A[ai] as number) - (B[bi] as number));
            O[oi + k] = v < lo ? lo : v > hi ? hi : v;
          }
        });
        return;
      case 'mul':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const v = fround((A[ai] as number) * (B[bi] as number));
            O[oi + k] = v < lo ? lo : v > hi ? hi : v;
          }
        });
        return;
      case 'div':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const v = fround((A[ai] as number) / (B[bi] as number));
            O[oi + k] = v < lo ? lo : v > hi ? hi : v;
          }
        });
        return;
      case 'maximum':
        // TFLite MaximumOp: `a > b ? a : b` (a NaN `a` yields b, a NaN `b` yields NaN).
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const x = A[ai] as number;
            const y = B[bi] as number;
            O[oi + k] = x > y ? x : y;
          }
        });
        return;
      case 'minimum':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const x = A[ai] as number;
            const y = B[bi] as number;
            O[oi + k] = x < y ? x : y;
          }
        });
        return;
      case 'squared_difference':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const d = fround((A[ai] as number) - (B[bi] as number));
            O[oi + k] = d * d;
          }
        });
        return;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// plain (non-quantized) int32 and int64

function int32Kernel(ctx: KernelContext, op: FloatOp, plan: BroadcastPlan, lo: number, hi: number): KernelFn {
  return (ins, outs) => {
    const A = (ins[0] as { data: Int32Array }).data;
    const B = (ins[1] as { data: Int32Array }).data;
    const O = (outs[0] as { data: Int32Array }).data;
    switch (op) {
      case 'add':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const v = ((A[ai] as number) + (B[bi] as number)) | 0;
            O[oi + k] = v < lo ? lo : v > hi ? hi : v;
          }
        });
        return;
      case 'sub':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const v = ((A[ai] as number) - (B[bi] as number)) | 0;
            O[oi + k] = v < lo ? lo : v > hi ? hi : v;
          }
        });
        return;
      case 'mul':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const v = Math.imul(A[ai] as number, B[bi] as number);
            O[oi + k] = v < lo ? lo : v > hi ? hi : v;
          }
        });
        return;
      case 'div':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const d = B[bi] as number;
            if (d === 0) throw new KernelError(`'${ctx.op}' (${ctx.where}): integer division by zero`);
            const v = ((A[ai] as number) / d) | 0; // C++ truncation (INT_MIN / -1 wraps)
            O[oi + k] = v < lo ? lo : v > hi ? hi : v;
          }
        });
        return;
      case 'maximum':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const x = A[ai] as number;
            const y = B[bi] as number;
            O[oi + k] = x > y ? x : y;
          }
        });
        return;
      case 'minimum':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const x = A[ai] as number;
            const y = B[bi] as number;
            O[oi + k] = x < y ? x : y;
          }
        });
        return;
      case 'squared_difference':
        runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
          for (let k = 0; k < n; k++, ai += as, bi += bs) {
            const d = ((A[ai] as number) - (B[bi] as number)) | 0;
            O[oi + k] = Math.imul(d, d);
          }
        });
        return;
    }
  };
}

function int64Kernel(op: FloatOp, plan: BroadcastPlan, act: string): KernelFn {
  const relu = act === 'RELU';
  const lo = act === 'RELU6' || act === 'RELU_0_TO_1' ? 0n : act === 'RELU_N1_TO_1' ? -1n : undefined;
  const hi = act === 'RELU6' ? 6n : act === 'RELU_N1_TO_1' || act === 'RELU_0_TO_1' ? 1n : undefined;
  const fn = (x: bigint, y: bigint): bigint => {
    let v: bigint;
    switch (op) {
      case 'add':
        v = BigInt.asIntN(64, x + y);
        break;
      case 'sub':
        v = BigInt.asIntN(64, x - y);
        break;
      case 'mul':
        v = BigInt.asIntN(64, x * y);
        break;
      case 'maximum':
        return x > y ? x : y;
      case 'minimum':
        return x < y ? x : y;
      default:
        throw new KernelError(`int64 ${op} is not supported`);
    }
    if (relu && v < 0n) v = 0n;
    if (lo !== undefined && v < lo) v = lo;
    if (hi !== undefined && v > hi) v = hi;
    return v;
  };
  return (ins, outs) => {
    const A = (ins[0] as { data: BigInt64Array }).data;
    const B = (ins[1] as { data: BigInt64Array }).data;
    const O = (outs[0] as { data: BigInt64Array }).data;
    runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
      for (let k = 0; k < n; k++, ai += as, bi += bs) O[oi + k] = fn(A[ai] as bigint, B[bi] as bigint);
    });
  };
}

// ---------------------------------------------------------------------------------------------
// quantized add / sub

/**
 * Quantized add/sub as `out = F(T1[a] + T2[b])`: T1/T2 hold each input value's rescaled
 * contribution (sign folded in for sub), F is the output stage (general: output multiplier + zero
 * point + clamp; POT int16: clamp only).
 */
function quantAddSub(ctx: KernelContext, info: BinaryInfo, isSub: boolean): KernelFn {
  const { a, b, out, plan } = info;
  if (a.dtype !== out.dtype || (a.dtype !== 'i8' && a.dtype !== 'u8' && a.dtype !== 'i16')) {
    unsupported(ctx, 'quantized add/sub needs i8, u8 or i16 operands and result of the same type');
  }
  const q1 = qparams(ctx, a);
  const q2 = qparams(ctx, b);
  const qo = qparams(ctx, out);
  const act = fusedActivation(ctx);
  const [amin, amax] = quantActRange(ctx, act, out);
  const tflite = ctx.flavour === 'tflite';

  // TFLite: general int16 scaling unless pot_scale_int16 (schema default true) and all POT / zp 0.
  // TFLM has no POT path.
  let pot = false;
  let potShift1 = 0;
  let potShift2 = 0;
  if (a.dtype === 'i16' && tflite && boolAttr(ctx, 'pot_scale_int16', true)) {
    const l1 = checkedLog2(q1.scale);
    const l2 = checkedLog2(q2.scale);
    const lo = checkedLog2(qo.scale);
    pot = l1.pot && l2.pot && lo.pot && q1.zeroPoint === 0 && q2.zeroPoint === 0 && qo.zeroPoint === 0;
    if (pot) {
      potShift1 = l1.log2 - lo.log2;
      potShift2 = l2.log2 - lo.log2;
      if (!(potShift1 === 0 || potShift2 === 0) || potShift1 > 0 || potShift2 > 0) {
        unsupported(ctx, 'POT int16 add/sub: one input must share the output scale and the other be finer');
      }
      // TFLite ≈2.12's POT int16 add has no broadcasting (it aborts on differing shapes); sub has.
      const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
      if (!isSub && !same) unsupported(ctx, 'POT int16 add does not broadcast in TFLite');
    }
  }

  if (pot) {
    // int16 only: T1/T2 indexed by raw 16-bit patterns.
    const t1 = new Int32Array(65536);
    const t2 = new Int32Array(65536);
    for (let bits = 0; bits < 65536; bits++) {
      const v = fromRaw16(bits);
      t1[bits] = rdbpot(v, -potShift1);
      const s2 = rdbpot(v, -potShift2);
      t2[bits] = isSub ? -s2 : s2;
    }
    return int16TableRun(plan, t1, t2, (raw) => (raw < amin ? amin : raw > amax ? amax : raw));
  }

  const leftShift = a.dtype === 'i16' ? 15 : 20;
  const twiceMax = fround(2 * Math.max(q1.scale, q2.scale));
  const m1 = qmSmallerThanOne(ctx, q1.scale / twiceMax, 'input1');
  const m2 = qmSmallerThanOne(ctx, q2.scale / twiceMax, 'input2');
  const mo = qmSmallerThanOne(ctx, twiceMax / fround(2 ** leftShift * qo.scale), 'output');
  // TFLite's sub negates input2's multiplier and runs the add kernel; TFLM subtracts the
  // positively scaled values. The two differ only when SaturatingRoundingDoublingHighMul hits a tie.
  const negateMultiplier = isSub && tflite;
  const mul2 = negateMultiplier ? -m2.multiplier : m2.multiplier;
  const ls = 2 ** leftShift;
  // MultiplyByQuantizedMultiplierSmallerThanOneExp: srdhm, then RoundingDivideByPOT (= mbqm, shift <= 0).
  const contribution1 = (v: number): number => mbqm((v - q1.zeroPoint) * ls, m1.multiplier, m1.shift);
  const contribution2 = (v: number): number => {
    const s2 = mbqm((v - q2.zeroPoint) * ls, mul2, m2.shift);
    return isSub && !negateMultiplier ? -s2 : s2;
  };
  const om = mo.multiplier;
  const os = -mo.shift;
  const zo = qo.zeroPoint;
  const outputStage = (raw: number): number => {
    const v = rdbpot32(srdhm(raw, om), os) + zo;
    return v < amin ? amin : v > amax ? amax : v;
  };
  if (a.dtype === 'i16') {
    // Two 65536-entry contribution tables cost 512 KiB and ~2 ms of prepare per op but save ~3
    // multiplies per element: worth it for large tensors, not for the many small adds of an unrolled
    // LSTM (measured: 140 such adds took 300 ms of prepare and 72 MB).
    if (plan.size < INT16_ADD_TABLE_MIN_ELEMENTS) {
      const sign2 = isSub && !negateMultiplier ? -1 : 1;
      return int16AddRun(plan, { z1: q1.zeroPoint, m1: m1.multiplier, s1: m1.shift, z2: q2.zeroPoint, m2: mul2, s2: m2.shift, sign2, om, os: mo.shift, zo, amin, amax });
    }
    const t1 = new Int32Array(65536);
    const t2 = new Int32Array(65536);
    for (let bits = 0; bits < 65536; bits++) {
      t1[bits] = contribution1(fromRaw16(bits));
      t2[bits] = contribution2(fromRaw16(bits));
    }
    return int16TableRun(plan, t1, t2, outputStage);
  }
  // 8-bit: the output depends only on the pair of input values, so tabulate all 65536 pairs.
  const signed = a.dtype === 'i8';
  const c1 = new Int32Array(256);
  const c2 = new Int32Array(256);
  for (let bits = 0; bits < 256; bits++) {
    c1[bits] = contribution1(fromRaw8(bits, signed));
    c2[bits] = contribution2(fromRaw8(bits, signed));
  }
  return pairTableRun(plan, (x, y) => outputStage((c1[x] as number) + (c2[y] as number)));
}

/** 8-bit binary op as a 256×256 table of output bytes indexed by the raw input bytes. */
function pairTableRun(plan: BroadcastPlan, f: (aBits: number, bBits: number) => number): KernelFn {
  const table = new Uint8Array(65536);
  for (let x = 0; x < 256; x++) for (let y = 0; y < 256; y++) table[(x << 8) | y] = f(x, y) & 0xff;
  return (ins, outs) => {
    const A = rawView8((ins[0] as { data: NumArray }).data);
    const B = rawView8((ins[1] as { data: NumArray }).data);
    const O = rawView8((outs[0] as { data: NumArray }).data);
    runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
      for (let k = 0; k < n; k++, ai += as, bi += bs) O[oi + k] = table[((A[ai] as number) << 8) | (B[bi] as number)] as number;
    });
  };
}

/** Below this many output elements, int16 add/sub computes per element instead of building tables. */
const INT16_ADD_TABLE_MIN_ELEMENTS = 256;

/** Constants of the general int16 add/sub (TFLite's `AddElementwiseInt16` with left shift 15). */
interface Int16AddParams {
  readonly z1: number;
  readonly m1: number;
  readonly s1: number;
  readonly z2: number;
  readonly m2: number;
  readonly s2: number;
  /** -1 when input2's rescaled value is subtracted (TFLM sub), else 1. */
  readonly sign2: number;
  readonly om: number;
  readonly os: number;
  readonly zo: number;
  readonly amin: number;
  readonly amax: number;
}

/** General int16 add/sub, computed per element: two rescaled inputs, summed, output stage, clamp. */
function int16AddRun(plan: BroadcastPlan, p: Int16AddParams): KernelFn {
  const { z1, m1, s1, z2, m2, s2, sign2, om, os, zo, amin, amax } = p;
  return (ins, outs) => {
    const A = (ins[0] as { data: NumArray }).data as Int16Array;
    const B = (ins[1] as { data: NumArray }).data as Int16Array;
    const O = (outs[0] as { data: NumArray }).data as Int16Array;
    runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
      for (let k = 0; k < n; k++, ai += as, bi += bs) {
        const c1 = mbqm(((A[ai] as number) - z1) * 32768, m1, s1);
        const c2 = mbqm(((B[bi] as number) - z2) * 32768, m2, s2);
        const v = mbqm(c1 + sign2 * c2, om, os) + zo;
        O[oi + k] = v < amin ? amin : v > amax ? amax : v;
      }
    });
  };
}

/** int16 binary op `out = F(T1[a] + T2[b])` with T1/T2 indexed by raw 16-bit patterns. */
function int16TableRun(plan: BroadcastPlan, t1: Int32Array, t2: Int32Array, stage: (raw: number) => number): KernelFn {
  return (ins, outs) => {
    const A = rawView16((ins[0] as { data: NumArray }).data);
    const B = rawView16((ins[1] as { data: NumArray }).data);
    const O = rawView16((outs[0] as { data: NumArray }).data);
    runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
      for (let k = 0; k < n; k++, ai += as, bi += bs) {
        O[oi + k] = stage((t1[A[ai] as number] as number) + (t2[B[bi] as number] as number)) & 0xffff;
      }
    });
  };
}

// ---------------------------------------------------------------------------------------------
// quantized mul

function quantMul(ctx: KernelContext, info: BinaryInfo): KernelFn {
  const { a, b, out, plan } = info;
  if (a.dtype !== out.dtype || (a.dtype !== 'i8' && a.dtype !== 'u8' && a.dtype !== 'i16')) {
    unsupported(ctx, 'quantized mul needs i8, u8 or i16 operands and result of the same type');
  }
  const q1 = qparams(ctx, a);
  const q2 = qparams(ctx, b);
  const qo = qparams(ctx, out);
  const act = fusedActivation(ctx);
  const [amin, amax] = quantActRange(ctx, act, out);
  // TFLite computes the real multiplier in float (`float * float / float`); TFLM in double.
  const real =
    ctx.flavour === 'tflite' ? fround(fround(q1.scale * q2.scale) / qo.scale) : (q1.scale * q2.scale) / qo.scale;
  if (!(real > 0)) unsupported(ctx, 'mul output multiplier must be positive');
  const { multiplier, shift } = quantizeMultiplier(real);
  const o1 = -q1.zeroPoint;
  const o2 = -q2.zeroPoint;
  const zo = qo.zeroPoint;
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const one = (x: number, y: number): number => {
    const p = Math.imul(x + o1, y + o2);
    const v = zo + rdbpot32(srdhm(left > 0 ? (p << left) | 0 : p, multiplier), right);
    return v < amin ? amin : v > amax ? amax : v;
  };
  if (a.dtype !== 'i16') {
    const signed = a.dtype === 'i8';
    return pairTableRun(plan, (x, y) => one(fromRaw8(x, signed), fromRaw8(y, signed)));
  }
  return (ins, outs) => {
    const A = (ins[0] as { data: Int16Array }).data;
    const B = (ins[1] as { data: Int16Array }).data;
    const O = (outs[0] as { data: Int16Array }).data;
    runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
      for (let k = 0; k < n; k++, ai += as, bi += bs) O[oi + k] = one(A[ai] as number, B[bi] as number);
    });
  };
}

// ---------------------------------------------------------------------------------------------
// quantized maximum / minimum (raw comparison, as TFLite) and squared difference (int8)

function quantMaxMin(ctx: KernelContext, info: BinaryInfo, isMax: boolean): KernelFn {
  const { a, out, plan } = info;
  if (a.dtype !== out.dtype) unsupported(ctx, 'result type must equal the operand type');
  return (ins, outs) => {
    const A = (ins[0] as { data: NumArray }).data;
    const B = (ins[1] as { data: NumArray }).data;
    const O = (outs[0] as { data: NumArray }).data;
    runBroadcast(plan, (ai, as, bi, bs, oi, n) => {
      for (let k = 0; k < n; k++, ai += as, bi += bs) {
        const x = A[ai] as number;
        const y = B[bi] as number;
        O[oi + k] = isMax ? (x > y ? x : y) : x < y ? x : y;
      }
    });
  };
}

function quantSquaredDifference(ctx: KernelContext, info: BinaryInfo): KernelFn {
  const { a, b, out } = info;
  if (a.dtype !== 'i8' || out.dtype !== 'i8') unsupported(ctx, 'quantized squared_difference is int8 only');
  const q1 = qparams(ctx, a);
  const q2 = qparams(ctx, b);
  const qo = qparams(ctx, out);
  const leftShift = 7;
  const twiceMax = fround(2 * Math.max(q1.scale, q2.scale));
  const m1 = qmSmallerThanOne(ctx, q1.scale / twiceMax, 'input1');
  const m2 = qmSmallerThanOne(ctx, q2.scale / twiceMax, 'input2');
  const realOut = (twiceMax * twiceMax) / fround(2 ** (2 * leftShift) * qo.scale);
  // TFLite: QuantizeMultiplierSmallerThanOneExp (must be < 1); TFLM: QuantizeMultiplier.
  const mo = ctx.flavour === 'tflite' ? qmSmallerThanOne(ctx, realOut, 'output') : quantizeMultiplier(realOut);
  const scaled = (v: number, zp: number, m: { multiplier: number; shift: number }): number =>
    rdbpot(srdhm((v - zp) * 128, m.multiplier), -m.shift);
  const zo = qo.zeroPoint;
  return pairTableRun(info.plan, (x, y) => {
    const d = scaled(fromRaw8(x, true), q1.zeroPoint, m1) - scaled(fromRaw8(y, true), q2.zeroPoint, m2);
    const v = mbqm(Math.imul(d, d), mo.multiplier, mo.shift) + zo;
    return v < -128 ? -128 : v > 127 ? 127 : v;
  });
}

// ---------------------------------------------------------------------------------------------
// kernel definitions

function hasActivation(op: FloatOp): boolean {
  return op === 'add' || op === 'sub' || op === 'mul' || op === 'div';
}

function makeBinary(op: FloatOp, flavoursDiffer: string | undefined, doc: string): KernelDef {
  return {
    op: `tfl.${op}`,
    ...(flavoursDiffer ? { flavoursDiffer } : {}),
    prepare(ctx: KernelContext): KernelFn {
      const info = prepareBinary(ctx);
      const { a, out } = info;
      const act = hasActivation(op) ? fusedActivation(ctx) : 'NONE';
      const quantized = a.quant !== undefined && out.quant !== undefined && a.dtype !== 'f32';
      if (a.dtype === 'f32') {
        if (out.dtype !== 'f32') unsupported(ctx);
        const [lo, hi] = floatActRange(act);
        return floatKernel(op, info.plan, lo, hi);
      }
      if (quantized && a.dtype !== 'i32' && a.dtype !== 'i64') {
        switch (op) {
          case 'add':
            return quantAddSub(ctx, info, false);
          case 'sub':
            return quantAddSub(ctx, info, true);
          case 'mul':
            return quantMul(ctx, info);
          case 'maximum':
          case 'minimum':
            return quantMaxMin(ctx, info, op === 'maximum');
          case 'squared_difference':
            return quantSquaredDifference(ctx, info);
          default:
            return unsupported(ctx, `quantized ${op} (${doc})`);
        }
      }
      if (a.dtype === 'i32') {
        if (out.dtype !== 'i32') unsupported(ctx);
        const [lo, hi] = int32ActRange(act);
        return int32Kernel(ctx, op, info.plan, lo, hi);
      }
      if (a.dtype === 'i64' && out.dtype === 'i64' && op !== 'div' && op !== 'squared_difference') {
        return int64Kernel(op, info.plan, act);
      }
      if ((op === 'maximum' || op === 'minimum') && a.dtype === out.dtype && (a.dtype === 'i8' || a.dtype === 'u8' || a.dtype === 'i16')) {
        return quantMaxMin(ctx, info, op === 'maximum');
      }
      return unsupported(ctx, doc);
    },
  };
}

/**
 * `tfl.add`: f32, i32, i64 (plain, wrapping), quantized i8/u8 (general path, left shift 20) and
 * i16 (general path, left shift 15, or TFLite's POT path when `pot_scale_int16` and all scales are
 * powers of two with zero points 0). Fused activations NONE/RELU/RELU6/RELU_N1_TO_1/RELU_0_TO_1.
 * Flavours differ: TFLM always uses the general int16 path.
 */
export const addKernel = makeBinary(
  'add',
  'tflm ignores pot_scale_int16 (always the general int16 path)',
  'f32, i32, i64, quantized i8/u8/i16',
);

/**
 * `tfl.sub`: as `tfl.add`. Flavours differ: TFLite negates input2's multiplier and runs the add
 * arithmetic (SaturatingRoundingDoublingHighMul ties then round toward +inf on the negated
 * product); TFLM subtracts the positively rescaled input2; TFLM has no POT int16 path.
 */
export const subKernel = makeBinary(
  'sub',
  'tflite runs add with a negated input2 multiplier (tie rounding differs); tflm has no POT int16 path',
  'f32, i32, i64, quantized i8/u8/i16',
);

/**
 * `tfl.mul`: f32, i32 (wrapping), i64, quantized i8/u8/i16 (`MBQM((a-za)(b-zb), M(sa*sb/so))`).
 * Flavours differ: TFLite computes the real multiplier in float, TFLM in double.
 */
export const mulKernel = makeBinary('mul', 'tflite derives the multiplier in float, tflm in double', 'f32, i32, i64, quantized i8/u8/i16');

/** `tfl.div`: f32 and i32 (C++ truncating division; division by zero throws). Quantized div is not supported. */
export const divKernel = makeBinary('div', undefined, 'f32, i32');

/** `tfl.maximum`: f32, i32, i64, i8, u8, i16 (quantized operands compared raw, as TFLite does). */
export const maximumKernel = makeBinary('maximum', undefined, 'f32, i32, i64, i8, u8, i16');

/** `tfl.minimum`: f32, i32, i64, i8, u8, i16 (quantized operands compared raw, as TFLite does). */
export const minimumKernel = makeBinary('minimum', undefined, 'f32, i32, i64, i8, u8, i16');

/**
 * `tfl.squared_difference`: f32, i32 (wrapping), quantized i8 (left shift 7). Flavours differ: TFLM
 * derives the output multiplier with QuantizeMultiplier (TFLite requires it to be < 1).
 */
export const squaredDifferenceKernel = makeBinary(
  'squared_difference',
  'tflm allows an output multiplier >= 1',
  'f32, i32, quantized i8',
);

/** All binary elementwise kernels of this file. */
export const elementwiseKernels: readonly KernelDef[] = [
  addKernel,
  subKernel,
  mulKernel,
  divKernel,
  maximumKernel,
  minimumKernel,
  squaredDifferenceKernel,
];
