/**
 * `tfl.logistic` and `tfl.tanh`, plus the gemmlowp fixed-point math (exp on negative values,
 * tanh, logistic, 1/(1+x)) that these and the softmax kernels share.
 *
 * Which arithmetic TFLite ≈2.12's builtin kernels use (`activations.cc`, kGenericOptimized):
 * - f32: plain math (`1/(1+exp(-x))`, `tanh`), rounded to float. TFLite's optimized float kernels
 *   (and XNNPACK, which tfjs-tflite delegates float activations to) use their own approximations,
 *   so float results agree to a few ULP, not bit for bit.
 * - i8 / u8: a 256-entry LUT built in Prepare from float math (`LUTPopulate`): for each storage
 *   value `v`, `q = (int)(roundf(f(scale_in * (v - zp_in)) * (1 / scale_out)) + zp_out)` clamped,
 *   every step in float32. Logistic requires `scale_out == 1/256`; tanh takes any output params.
 * - i16 (zero points 0, output scale 2^-15): if the input scale is a power of two with
 *   `input_left_shift = 12 + log2(scale)` in {0, 1} for tanh / {0} for logistic, the gemmlowp
 *   fixed-point `optimized_ops::Tanh/Logistic` (F3 input, F0 output, int16 raw); otherwise
 *   `reference_integer_ops::Tanh/Logistic` — the 256-entry sigmoid table with linear interpolation
 *   after scaling the input by `input_multiplier / 2^input_left_shift` (`multiplier = scale * 3 * 4096`
 *   doubled until > 32767/2, truncated).
 *
 * TFLM (`flavour: 'tflm'`) differs: i8 uses `reference_integer_ops::Logistic/Tanh` (gemmlowp int32
 * fixed point with an input radius), i16 always uses the interpolated-table reference (for POT
 * scales with multiplier `3 << input_left_shift`).
 *
 * Verified bit-exact against TFLite ≈2.12's builtin kernels (tfjs-tflite wasm, XNNPACK bypassed):
 * all 256 inputs for 120 random (scale, zero point) pairs for i8/u8, all 65536 int16 inputs for
 * POT and 12 non-POT scales. Float: within 2 ULP (logistic) / 4 ULP (tanh) of TFLite.
 */

import { numElements, unsupported } from '../../../src/interp/kernel.js';
import type { KernelContext, KernelDef, KernelFn } from '../../../src/interp/kernel.js';
import { frexp, mbqm, rdbpot, roundHalfAway, srdhm } from '../../../src/interp/fixedpoint.js';
import { arity, checkShape, checkedLog2, input, output, qparams, rawView16, rawView8 } from './broadcast.js';
import type { NumArray } from './broadcast.js';

const fround = Math.fround;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

// ---------------------------------------------------------------------------------------------
// gemmlowp fixed point, on plain numbers. `FP` is the raw-type width: 32 (int32) or 16 (int16).

/** gemmlowp arithmetic on one raw integer type (int32 or int16), with its wrap-around semantics. */
export class GemmlowpFixedPoint {
  readonly bits: number;
  readonly min: number;
  readonly max: number;

  constructor(bits: 32 | 16) {
    this.bits = bits;
    this.min = bits === 32 ? INT32_MIN : -32768;
    this.max = bits === 32 ? INT32_MAX : 32767;
  }

  /** Wrap to the raw type (C++ conversion of an out-of-range int). */
  wrap(x: number): number {
    return this.bits === 32 ? x | 0 : (x << 16) >> 16;
  }

  add(a: number, b: number): number {
    return this.wrap(a + b);
  }

  sub(a: number, b: number): number {
    return this.wrap(a - b);
  }

  neg(a: number): number {
    return this.wrap(-a);
  }

  /** Fixed-point multiply: SaturatingRoundingDoublingHighMul. */
  mul(a: number, b: number): number {
    if (this.bits === 32) return srdhm(a, b);
    if (a === -32768 && b === -32768) return 32767;
    const ab = a * b;
    const nudge = ab >= 0 ? 16384 : 1 - 16384;
    return Math.trunc((ab + nudge) / 32768);
  }

  /** RoundingDivideByPOT. */
  rdbpot(x: number, exponent: number): number {
    return rdbpot(x, exponent);
  }

  /** SaturatingRoundingMultiplyByPOT<exponent>. */
  srmpot(x: number, exponent: number): number {
    if (exponent === 0) return x;
    if (exponent < 0) return rdbpot(x, -exponent);
    const threshold = 2 ** (this.bits - 1 - exponent) - 1;
    if (x > threshold) return this.max;
    if (x < -threshold) return this.min;
    return x * 2 ** exponent;
  }

  /** Rescale<dstIntegerBits> from srcIntegerBits. */
  rescale(x: number, srcIntegerBits: number, dstIntegerBits: number): number {
    return this.srmpot(x, srcIntegerBits - dstIntegerBits);
  }

  /** gemmlowp RescaleConstantInitializer: int32 constants rounding-shifted to the raw width. */
  constant(int32Value: number): number {
    return this.bits === 32 ? int32Value : rdbpot(int32Value, 16);
  }

  /** Raw of 2^exponent in a format with `integerBits` integer bits (ConstantPOT). */
  constantPot(integerBits: number, exponent: number): number {
    return 2 ** (this.bits - 1 - integerBits + exponent);
  }

  /** Raw of 1.0 in a format with `integerBits` integer bits. */
  one(integerBits: number): number {
    return integerBits === 0 ? this.max : 2 ** (this.bits - 1 - integerBits);
  }

  roundingHalfSum(a: number, b: number): number {
    const sum = a + b;
    const sign = sum >= 0 ? 1 : -1;
    return this.wrap(Math.trunc((sum + sign) / 2));
  }

  saturatingAdd16(a: number, b: number): number {
    const s = a + b;
    return s > 32767 ? 32767 : s < -32768 ? -32768 : s;
  }

  /** exp(a) for a in [-1/4, 0), F0 in and out. */
  expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
    const constantTerm = this.constant(1895147668);
    const constant1Over3 = this.constant(715827883);
    const x = this.add(a, this.constantPot(0, -3));
    const x2 = this.mul(x, x);
    const x3 = this.mul(x2, x);
    const x4 = this.mul(x2, x2);
    const x4Over4 = this.srmpot(x4, -2);
    const poly = this.srmpot(this.add(this.mul(this.add(x4Over4, x3), constant1Over3), x2), -1);
    const prod = this.mul(constantTerm, this.add(x, poly));
    return this.bits === 16 ? this.saturatingAdd16(constantTerm, prod) : this.add(constantTerm, prod);
  }

  /** exp(a) for a <= 0; `a` has `integerBits` integer bits, the result is F0. */
  expOnNegativeValues(a: number, integerBits: number): number {
    const fractionalBits = this.bits - 1 - integerBits;
    const oneQuarter = this.constantPot(integerBits, -2);
    const mask = oneQuarter - 1;
    const aModQuarterMinusOneQuarter = this.sub(a & mask, oneQuarter);
    let result = this.expOnIntervalBetweenNegativeOneQuarterAnd0Excl(
      this.rescale(aModQuarterMinusOneQuarter, integerBits, 0),
    );
    const remainder = this.sub(aModQuarterMinusOneQuarter, a);
    const barrel: readonly (readonly [number, number])[] = [
      [-2, 1672461947],
      [-1, 1302514674],
      [0, 790015084],
      [1, 290630308],
      [2, 39332535],
      [3, 720401],
      [4, 242],
    ];
    for (const [exponent, multiplier] of barrel) {
      if (integerBits > exponent) {
        const shiftAmount = fractionalBits + exponent;
        if ((remainder & (2 ** shiftAmount)) !== 0) result = this.mul(result, this.constant(multiplier));
      }
    }
    if (integerBits > 5) {
      const clamp = this.constant(-(2 ** (36 - integerBits)));
      if (a < clamp) result = 0;
    }
    if (a === 0) result = this.one(0);
    return result;
  }

  /** Newton–Raphson core shared by 1/(1+x) and (1-x)/(1+x): returns x ≈ 1/half_denominator in F2. */
  private reciprocalF2(halfDenominator: number): number {
    const c48Over17 = this.constant(1515870810);
    const cNeg32Over17 = this.constant(-1010580540);
    const oneF2 = this.one(2);
    let x = this.add(c48Over17, this.mul(halfDenominator, cNeg32Over17));
    for (let i = 0; i < 3; i++) {
      const hdx = this.mul(halfDenominator, x);
      const oneMinus = this.sub(oneF2, hdx);
      x = this.add(x, this.rescale(this.mul(x, oneMinus), 4, 2));
    }
    return x;
  }

  /** (1 - a) / (1 + a) for a in (0, 1), F0. */
  oneMinusXOverOnePlusXForXIn01(a: number): number {
    const halfDenominator = this.roundingHalfSum(a, this.one(0));
    const x = this.reciprocalF2(halfDenominator);
    return this.rescale(this.sub(x, this.one(2)), 2, 0);
  }

  /** 1 / (1 + a) for a in (0, 1), F0. */
  oneOverOnePlusXForXIn01(a: number): number {
    const halfDenominator = this.roundingHalfSum(a, this.one(0));
    const x = this.reciprocalF2(halfDenominator);
    return this.rescale(x, 1, 0);
  }

  /** gemmlowp tanh: input with `integerBits`, F0 result. */
  tanh(a: number, integerBits: number): number {
    const negative = a < 0;
    const n = negative ? a : this.neg(a);
    const t = this.oneMinusXOverOnePlusXForXIn01(this.expOnNegativeValues(n, integerBits + 1));
    if (a === 0) return 0;
    return negative ? this.neg(t) : t;
  }

  /** gemmlowp logistic: input with `integerBits`, F0 result. */
  logistic(a: number, integerBits: number): number {
    const positive = a > 0;
    const absInput = positive ? a : this.neg(a);
    const resultIfPositive = this.oneOverOnePlusXForXIn01(this.expOnNegativeValues(this.neg(absInput), integerBits));
    const resultIfNegative = this.sub(this.one(0), resultIfPositive);
    if (a === 0) return this.constant(1 << 30);
    return positive ? resultIfPositive : resultIfNegative;
  }
}

/** gemmlowp on int32 raws. */
export const GEMMLOWP32 = new GemmlowpFixedPoint(32);
/** gemmlowp on int16 raws. */
export const GEMMLOWP16 = new GemmlowpFixedPoint(16);

/** TFLite `CalculateInputRadius` (double arithmetic, floored). */
export function calculateInputRadius(inputIntegerBits: number, inputLeftShift: number, totalSignedBits = 31): number {
  const maxInputRescaled =
    (1.0 * (2 ** inputIntegerBits - 1) * 2 ** (totalSignedBits - inputIntegerBits)) / 2 ** inputLeftShift;
  return Math.floor(maxInputRescaled);
}

// ---------------------------------------------------------------------------------------------
// the 256-entry sigmoid table of the int16 reference kernels

/**
 * TFLite's `sigmoid_table_uint16`: sigmoid(i / 24) in unsigned 0.16 fixed point, i = 0..255, as the
 * int16 reference kernels use it (tanh(x) = 2·sigmoid(2x) − 1 shares it). The published values are
 * not plain `round(65536·sigmoid(i/24))` (43 entries are one higher; presumably tuned for linear
 * interpolation), so they are data here; the oracle tests of the int16 kernels pin them down.
 */
export const SIGMOID_TABLE_UINT16: Uint16Array = Uint16Array.from([
  32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
  40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
  47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
  53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
  57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
  60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
  62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
  63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
  64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
  64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
  65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
  65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
  65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
  65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
  65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
  65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
  65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
  65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
  65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
  65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
  65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
  65534, 65534, 65534, 65535,

]);

// ---------------------------------------------------------------------------------------------
// 8-bit LUT (TFLite LUTPopulate<int8/uint8>)

/**
 * TFLite `LUTPopulate<T>` for 8-bit types: the output for every storage value, float32 math.
 * Returned indexed by `value - storageMin`.
 */
export function populateLut8(
  dtype: 'i8' | 'u8',
  inScale: number,
  inZp: number,
  outScale: number,
  outZp: number,
  transform: (x: number) => number,
): Int32Array {
  const lo = dtype === 'i8' ? -128 : 0;
  const hi = dtype === 'i8' ? 127 : 255;
  const inverseScale = fround(1 / outScale);
  const lut = new Int32Array(256);
  for (let v = lo; v <= hi; v++) {
    const dequantized = fround(inScale * (v - inZp));
    const transformed = fround(transform(dequantized));
    const rescaled = fround(roundHalfAway(fround(transformed * inverseScale)));
    let q = Math.trunc(fround(rescaled + outZp));
    if (!Number.isFinite(q) || Number.isNaN(q)) q = q > 0 ? hi : lo;
    lut[v - lo] = q < lo ? lo : q > hi ? hi : q;
  }
  return lut;
}

/** Float32 logistic as TFLite's LUT lambda writes it: `1.0f / (1.0f + expf(-x))`. */
export function logisticF32(x: number): number {
  return fround(1 / fround(1 + fround(Math.exp(-x))));
}

/** Float32 tanh (`tanhf`). */
export function tanhF32(x: number): number {
  return fround(Math.tanh(x));
}

/** 8-bit table kernel: `lut` is indexed by `value - lo`; the hot loop reads raw bytes. */
function lutKernel(lut: Int32Array, lo: number): KernelFn {
  const signed = lo < 0;
  const table = new Uint8Array(256);
  for (let bits = 0; bits < 256; bits++) table[bits] = (lut[(signed ? (bits << 24) >> 24 : bits) - lo] as number) & 0xff;
  return (ins, outs) => {
    const X = rawView8((ins[0] as { data: NumArray }).data);
    const Y = rawView8((outs[0] as { data: NumArray }).data);
    const n = X.length;
    for (let i = 0; i < n; i++) Y[i] = table[X[i] as number] as number;
  };
}

/** int16 table kernel over all 65536 raw patterns. */
function int16Kernel(table: Int16Array): KernelFn {
  const raw = new Uint16Array(65536);
  for (let bits = 0; bits < 65536; bits++) raw[bits] = (table[((bits << 16) >> 16) + 32768] as number) & 0xffff;
  return (ins, outs) => {
    const X = rawView16((ins[0] as { data: NumArray }).data);
    const Y = rawView16((outs[0] as { data: NumArray }).data);
    const n = X.length;
    for (let i = 0; i < n; i++) Y[i] = raw[X[i] as number] as number;
  };
}

function floatKernel(f: (x: number) => number): KernelFn {
  return (ins, outs) => {
    const X = (ins[0] as { data: Float32Array }).data;
    const Y = (outs[0] as { data: Float32Array }).data;
    const n = X.length;
    for (let i = 0; i < n; i++) Y[i] = f(X[i] as number);
  };
}

// ---------------------------------------------------------------------------------------------
// int16 reference (interpolated sigmoid table) kernels

/** 2^(shift - 1) for shifts 1..31 (the reference kernels' rounding bit), without Math.pow per value. */
const ROUND_BIT = Float64Array.from({ length: 32 }, (_, s) => (s > 0 ? 2 ** (s - 1) : 0));

/** `reference_integer_ops::Logistic(int16)`, one value. */
export function logisticInt16Ref(x: number, inputMultiplier: number, inputLeftShift: number): number {
  const round = inputLeftShift > 0 ? ROUND_BIT[inputLeftShift] as number : 0;
  const inputData = (x * inputMultiplier + round) >> inputLeftShift;
  const absInput = Math.abs(inputData);
  const uh = absInput >>> 9;
  let result: number;
  if (uh >= 255) {
    result = 0x7fff << 10;
  } else {
    const ua = SIGMOID_TABLE_UINT16[uh] as number;
    const ub = SIGMOID_TABLE_UINT16[uh + 1] as number;
    const ut = absInput & 0x1ff;
    result = ua * 512 + ut * (ub - ua);
  }
  result = inputData >= 0 ? result + 512 : 2 ** 25 - result + 512 - 1;
  return (result >>> 10) << 16 >> 16;
}

/** `reference_integer_ops::Tanh(int16)`, one value. */
export function tanhInt16Ref(x: number, inputMultiplier: number, inputLeftShift: number): number {
  const round = inputLeftShift > 0 ? ROUND_BIT[inputLeftShift] as number : 0;
  const inputData = (x * inputMultiplier + round) >> inputLeftShift;
  const absInput = Math.abs(inputData);
  const uh = absInput >>> 8;
  let result: number;
  if (uh >= 255) {
    result = 0xffff << 8;
  } else {
    const ua = SIGMOID_TABLE_UINT16[uh] as number;
    const ub = SIGMOID_TABLE_UINT16[uh + 1] as number;
    const ut = absInput & 0xff;
    result = ua * 256 + ut * (ub - ua);
  }
  result = inputData >= 0 ? result - 2 ** 23 + 2 ** 7 : -result + 2 ** 23 + 2 ** 7 - 1;
  return (result >> 8) << 16 >> 16;
}

interface Int16Params {
  /** 0 for the power-of-two case (gemmlowp in tflite, `3 << shift` in the reference). */
  readonly inputMultiplier: number;
  readonly inputLeftShift: number;
}

/**
 * TFLite's int16 tanh/logistic Prepare: zero points 0, output scale 2^-15; POT input scale with
 * `12 + log2(scale)` in `potShifts` keeps multiplier 0, otherwise the 3·4096 multiplier search.
 */
function int16Params(ctx: KernelContext, potShifts: readonly number[]): Int16Params {
  const qi = qparams(ctx, input(ctx, 0));
  const qo = qparams(ctx, output(ctx));
  if (qi.zeroPoint !== 0 || qo.zeroPoint !== 0) unsupported(ctx, 'int16 needs zero points 0');
  const lo = checkedLog2(qo.scale);
  if (!lo.pot || lo.log2 !== -15) unsupported(ctx, 'int16 output scale must be 2^-15');
  const li = checkedLog2(qi.scale);
  const shift = 12 + li.log2;
  if (li.pot && potShifts.includes(shift)) return { inputMultiplier: 0, inputLeftShift: shift };
  let multiplier = qi.scale * 4096.0 * 3.0;
  let inputLeftShift = 0;
  while (multiplier <= 32767.0 / 2.0 && inputLeftShift <= 30) {
    inputLeftShift++;
    multiplier *= 2.0;
  }
  const inputMultiplier = Math.trunc(multiplier);
  if (inputMultiplier > 32767) unsupported(ctx, 'int16 input scale too large for the table kernel');
  return { inputMultiplier, inputLeftShift };
}

/** Below this many elements, int16 tanh/logistic evaluate per element instead of tabulating. */
const INT16_TABLE_MIN_ELEMENTS = 256;

/** The reference kernels' (multiplier, shift): the POT case is `3 << shift` with no shift. */
function referenceArgs(p: Int16Params): { m: number; s: number } {
  return p.inputMultiplier === 0 ? { m: 3 * 2 ** p.inputLeftShift, s: 0 } : { m: p.inputMultiplier, s: p.inputLeftShift };
}

/** int16 tanh/logistic reference kernel evaluated per element. */
function int16DirectKernel(fn: (x: number, m: number, s: number) => number, p: Int16Params): KernelFn {
  const { m, s } = referenceArgs(p);
  return (ins, outs) => {
    const X = (ins[0] as { data: NumArray }).data as Int16Array;
    const Y = (outs[0] as { data: NumArray }).data as Int16Array;
    const n = X.length;
    for (let i = 0; i < n; i++) Y[i] = fn(X[i] as number, m, s);
  };
}

function int16TableKernel(fn: (x: number, m: number, s: number) => number, p: Int16Params): KernelFn {
  const { m, s } = referenceArgs(p);
  const table = new Int16Array(65536);
  for (let v = -32768; v < 32768; v++) table[v + 32768] = fn(v, m, s);
  return int16Kernel(table);
}

/** The (at most three) gemmlowp int16 tables, built on first use and shared by all kernels. */
const gemmlowpInt16Tables = new Map<string, Int16Array>();

/** TFLite's optimized int16 tanh/logistic for POT scales: gemmlowp on int16, F3 in, F0 out. */
function int16GemmlowpKernel(isTanh: boolean, inputLeftShift: number): KernelFn {
  const key = `${isTanh ? 'tanh' : 'logistic'}:${inputLeftShift}`;
  let table = gemmlowpInt16Tables.get(key);
  if (!table) {
    table = new Int16Array(65536);
    for (let v = -32768; v < 32768; v++) {
      const x = inputLeftShift === 1 ? GEMMLOWP16.srmpot(v, 1) : v;
      table[v + 32768] = isTanh ? GEMMLOWP16.tanh(x, 3) : GEMMLOWP16.logistic(x, 3);
    }
    gemmlowpInt16Tables.set(key, table);
  }
  return int16Kernel(table);
}

// ---------------------------------------------------------------------------------------------
// TFLM int8: reference_integer_ops::Logistic/Tanh (gemmlowp int32, F4 input)

function tflmInt8Kernel(ctx: KernelContext, isTanh: boolean): KernelFn {
  const qi = qparams(ctx, input(ctx, 0));
  const kInputIntegerBits = 4;
  const real = qi.scale * 2 ** (31 - kInputIntegerBits);
  const { f, e } = frexp(real);
  const inputMultiplier = roundHalfAway(f * 2 ** 31) | 0;
  const inputLeftShift = e;
  const radius = calculateInputRadius(kInputIntegerBits, inputLeftShift, 31);
  const lut = new Int32Array(256);
  for (let v = -128; v < 128; v++) {
    const x = v - qi.zeroPoint;
    let out: number;
    if (x <= -radius) out = -128;
    else if (x >= radius) out = 127;
    else {
      const inQ4 = mbqm(x, inputMultiplier, inputLeftShift);
      if (isTanh) {
        const q0 = GEMMLOWP32.tanh(inQ4, kInputIntegerBits);
        const q24 = rdbpot(q0, 24);
        out = q24 < -128 ? -128 : q24 > 127 ? 127 : q24;
      } else {
        const q0 = GEMMLOWP32.logistic(inQ4, kInputIntegerBits);
        const q23 = rdbpot(q0, 23) - 128;
        out = q23 < -128 ? -128 : q23 > 127 ? 127 : q23;
      }
    }
    lut[v + 128] = out;
  }
  return lutKernel(lut, -128);
}

// ---------------------------------------------------------------------------------------------
// kernels

function prepareActivation(ctx: KernelContext, isTanh: boolean): KernelFn {
  arity(ctx, 1, 1);
  const x = input(ctx, 0);
  const y = output(ctx);
  checkShape(ctx, y.shape, x.shape);
  if (x.dtype !== y.dtype) unsupported(ctx, 'input and output types must match');
  switch (x.dtype) {
    case 'f32':
      return floatKernel(isTanh ? (v) => Math.tanh(v) : (v) => 1 / (1 + Math.exp(-v)));
    case 'i8':
    case 'u8': {
      const qi = qparams(ctx, x);
      const qo = qparams(ctx, y);
      if (ctx.flavour === 'tflm') {
        if (x.dtype !== 'i8') unsupported(ctx, 'TFLM has no uint8 kernel');
        if (!isTanh && qo.zeroPoint !== -128) unsupported(ctx, 'TFLM int8 logistic needs output zero point -128');
        return tflmInt8Kernel(ctx, isTanh);
      }
      if (!isTanh && qo.scale !== 1 / 256) unsupported(ctx, 'logistic 8-bit output scale must be exactly 1/256');
      const lut = populateLut8(x.dtype, qi.scale, qi.zeroPoint, qo.scale, qo.zeroPoint, isTanh ? tanhF32 : logisticF32);
      return lutKernel(lut, x.dtype === 'i8' ? -128 : 0);
    }
    case 'i16': {
      const p = int16Params(ctx, isTanh ? [0, 1] : [0]);
      if (ctx.flavour === 'tflite' && p.inputMultiplier === 0) return int16GemmlowpKernel(isTanh, p.inputLeftShift);
      const fn = isTanh ? tanhInt16Ref : logisticInt16Ref;
      // A 65536-entry table pays for its prepare time only on large tensors (not on the many small
      // gates of an unrolled LSTM); the values are the same either way.
      return numElements(x.shape) < INT16_TABLE_MIN_ELEMENTS ? int16DirectKernel(fn, p) : int16TableKernel(fn, p);
    }
    default:
      return unsupported(ctx);
  }
}

/**
 * `tfl.logistic`: f32; i8/u8 (TFLite: float-built LUT, output scale 1/256; TFLM: gemmlowp int32
 * reference, i8 only); i16 (zero points 0, output scale 2^-15; TFLite: gemmlowp int16 for input
 * scale 2^-12, interpolated table otherwise; TFLM: interpolated table always).
 */
export const logisticKernel: KernelDef = {
  op: 'tfl.logistic',
  flavoursDiffer: 'i8: tflite LUT vs tflm fixed point; i16 POT scale: tflite gemmlowp vs tflm table',
  prepare: (ctx) => prepareActivation(ctx, false),
};

/**
 * `tfl.tanh`: f32; i8/u8 (TFLite: float-built LUT, any output params; TFLM: gemmlowp int32
 * reference, i8 only); i16 (zero points 0, output scale 2^-15; TFLite: gemmlowp int16 for input
 * scales 2^-12 / 2^-11, interpolated table otherwise; TFLM: interpolated table always).
 */
export const tanhKernel: KernelDef = {
  op: 'tfl.tanh',
  flavoursDiffer: 'i8: tflite LUT vs tflm fixed point; i16 POT scale: tflite gemmlowp vs tflm table',
  prepare: (ctx) => prepareActivation(ctx, true),
};

/** The kernels of this file. */
export const activationKernels: readonly KernelDef[] = [logisticKernel, tanhKernel];
