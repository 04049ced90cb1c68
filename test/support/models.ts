/**
 * A generator of single-op TFL modules for differential testing against real TFLite: each case is
 * one tfl op with graph inputs, constants (`tfl.pseudo_const` / `tfl.pseudo_qconst` over `denseAttr`
 * bytes) and absent operands (`tfl.no_value`), built through the IR builder APIs so that
 * `exportTflite` turns it into a `.tflite` file. `generateCases(seed)` draws seeded random shapes,
 * scales, zero points, per-channel weights, fused activations, strides and paddings for every kernel
 * family and the type combinations TFLite 2.12's builtin kernels support (float32, int8, 16x8).
 */
import {
  type Attribute,
  arrayAttr,
  boolAttr,
  denseAttr,
  floatAttr,
  integerAttr,
  stringAttr,
  typeAttr,
  unitAttr,
} from '../../src/ir/attribute.js';
import { Builder } from '../../src/ir/builder.js';
import { nameLoc } from '../../src/ir/location.js';
import type { Operation } from '../../src/ir/operation.js';
import {
  type Type,
  f32,
  i1,
  i16,
  i32,
  i64,
  i8,
  noneType,
  tensorType,
  ui8,
  uniformPerAxisQuantType,
  uniformQuantType,
} from '../../src/ir/type.js';
import type { Value } from '../../src/ir/value.js';
import { type TypedArray, allocTyped } from '../../src/interp/kernel.js';
import { createFunc, createModule } from '../../dialects/builtin/index.js';
import { IS_VARIABLE } from '../../dialects/tfl/ops/const.js';
import { rng } from './corpus.js';

// ---------------------------------------------------------------------------------------------
// Case description

/** Element types the generator uses. */
export type Elem = 'f32' | 'i8' | 'u8' | 'i16' | 'i32' | 'i64' | 'i1';

/** Quantization: one scale/zero point, or one per slice along `axis`. */
export interface QSpec {
  readonly scale: number | readonly number[];
  readonly zeroPoint?: number | readonly number[];
  readonly axis?: number;
}

/** A tensor type: element, static shape, optional quantization. */
export interface TensorSpec {
  readonly dtype: Elem;
  readonly shape: readonly number[];
  readonly q?: QSpec;
}

/** How random data for a graph input is drawn. */
export type InputGen =
  | { readonly kind: 'full' } // the whole range of the storage type (floats: [-1, 1))
  | { readonly kind: 'range'; readonly lo: number; readonly hi: number } // uniform in [lo, hi] (ints inclusive)
  | { readonly kind: 'fixed'; readonly data: TypedArray }; // exactly these values

/** One operand of the op. */
export type OperandSpec =
  | { readonly kind: 'input'; readonly t: TensorSpec; readonly gen?: InputGen }
  | { readonly kind: 'const'; readonly t: TensorSpec; readonly data: TypedArray; readonly variable?: boolean }
  | { readonly kind: 'none' };

/** One generated single-op model. */
export interface SingleOpCase {
  /** Unique, readable id: family, types and the main parameters. */
  readonly id: string;
  /** Kernel family (the kernel file it exercises). */
  readonly family: string;
  readonly op: string;
  readonly operands: readonly OperandSpec[];
  readonly results: readonly TensorSpec[];
  readonly attrs: Readonly<Record<string, Attribute>>;
}

// Attribute shorthands, typed as the tfl op definitions expect them (ints i32, floats f32).
export const I = (v: number): Attribute => integerAttr(v, i32());
export const F = (v: number): Attribute => floatAttr(v, f32());
export const S = (v: string): Attribute => stringAttr(v);
export const B = (v: boolean): Attribute => boolAttr(v);
export const IA = (v: readonly number[]): Attribute => arrayAttr(v.map((x) => integerAttr(x, i64())));

// ---------------------------------------------------------------------------------------------
// IR construction

const STORAGE: Record<Exclude<Elem, 'f32'>, () => Type> = { i8, u8: ui8, i16, i32, i64, i1 };

/** The IR element type of a tensor spec (quantized types use the quant dialect's element types). */
export function elementTypeOf(t: TensorSpec): Type {
  if (t.dtype === 'f32') return f32();
  const storage = STORAGE[t.dtype]();
  if (!t.q) return storage;
  if (typeof t.q.scale === 'number') {
    const zp = typeof t.q.zeroPoint === 'number' ? t.q.zeroPoint : 0;
    return uniformQuantType(storage as ReturnType<typeof i8>, f32(), t.q.scale, zp);
  }
  const scales = t.q.scale;
  const zps = Array.isArray(t.q.zeroPoint) ? (t.q.zeroPoint as number[]) : scales.map(() => (t.q?.zeroPoint as number | undefined) ?? 0);
  return uniformPerAxisQuantType(storage as ReturnType<typeof i8>, f32(), t.q.axis ?? 0, scales, zps);
}

/** The IR tensor type of a spec. */
export function tensorTypeOf(t: TensorSpec): Type {
  return tensorType(t.shape, elementTypeOf(t));
}

function bytesOf(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

/** Builds `module { func @main(inputs) -> results { consts; op; return } }` for a case. */
export function buildModule(c: SingleOpCase): Operation {
  const module = createModule();
  const inputSpecs = c.operands.filter((o): o is Extract<OperandSpec, { kind: 'input' }> => o.kind === 'input');
  const f = createFunc(
    'main',
    inputSpecs.map((o) => tensorTypeOf(o.t)),
    c.results.map(tensorTypeOf),
    module,
  );
  const block = f.regions[0]!.blocks[0]!;
  block.args.forEach((a, i) => {
    (a as unknown as { loc: unknown }).loc = nameLoc(`input${i}`);
  });
  const b = new Builder();
  b.setInsertionPointToEnd(block);
  let nextArg = 0;
  const operands: Value[] = c.operands.map((o, i) => {
    switch (o.kind) {
      case 'input':
        return block.args[nextArg++]!;
      case 'none':
        return b.createOne('tfl.no_value', [], noneType(), { value: unitAttr() }, nameLoc(`none${i}`));
      case 'const': {
        const type = tensorTypeOf(o.t);
        const bytes = bytesOf(o.data);
        const variable: Record<string, Attribute> = o.variable ? { [IS_VARIABLE]: unitAttr() } : {};
        if (o.t.q) {
          const storage = tensorType(o.t.shape, STORAGE[o.t.dtype as Exclude<Elem, 'f32'>]());
          return b.createOne('tfl.pseudo_qconst', [], type, { qtype: typeAttr(type), value: denseAttr(storage as never, bytes), ...variable }, nameLoc(`const${i}`));
        }
        return b.createOne('tfl.pseudo_const', [], type, { value: denseAttr(type as never, bytes), ...variable }, nameLoc(`const${i}`));
      }
    }
  });
  const op = b.create({
    name: c.op,
    operands,
    resultTypes: c.results.map(tensorTypeOf),
    attributes: c.attrs,
    loc: nameLoc('output0'),
  });
  b.create({ name: 'func.return', operands: op.results });
  return module;
}

/** Random data for the case's graph inputs (in order), drawn from `r`. */
export function caseInputs(c: SingleOpCase, r: () => number): TypedArray[] {
  const out: TypedArray[] = [];
  for (const o of c.operands) {
    if (o.kind !== 'input') continue;
    const n = o.t.shape.reduce((a, b) => a * b, 1);
    const gen = o.gen ?? { kind: 'full' };
    if (gen.kind === 'fixed') {
      out.push(gen.data.slice() as TypedArray);
      continue;
    }
    const a = allocTyped(o.t.dtype, n);
    const [lo, hi] = gen.kind === 'range' ? [gen.lo, gen.hi] : fullRange(o.t.dtype);
    for (let i = 0; i < n; i++) {
      if (o.t.dtype === 'f32') a[i] = lo + (hi - lo) * r();
      else if (o.t.dtype === 'i64') (a as BigInt64Array)[i] = BigInt(lo + Math.floor(r() * (hi - lo + 1)));
      else a[i] = lo + Math.floor(r() * (hi - lo + 1));
    }
    out.push(a);
  }
  return out;
}

function fullRange(d: Elem): [number, number] {
  switch (d) {
    case 'f32':
      return [-1, 1];
    case 'i8':
      return [-128, 127];
    case 'u8':
      return [0, 255];
    case 'i16':
      return [-32768, 32767];
    case 'i32':
      return [-1000, 1000];
    case 'i64':
      return [-1000, 1000];
    case 'i1':
      return [0, 1];
  }
}

// ---------------------------------------------------------------------------------------------
// Random helpers

class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** Float in [lo, hi). */
  float(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** A float32 scale, log-uniform in [lo, hi). */
  scale(lo: number, hi: number): number {
    return Math.fround(Math.exp(this.float(Math.log(lo), Math.log(hi))));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  ints(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => this.int(lo, hi));
  }
  floats(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => Math.fround(this.float(lo, hi)));
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Per-tensor quantization spec. */
const qt = (scale: number, zeroPoint = 0): QSpec => ({ scale: Math.fround(scale), zeroPoint });
/** Per-axis quantization spec (symmetric). */
const qa = (scales: readonly number[], axis: number): QSpec => ({ scale: scales.map(Math.fround), zeroPoint: scales.map(() => 0), axis });

const t = (dtype: Elem, shape: readonly number[], q?: QSpec): TensorSpec => (q ? { dtype, shape, q } : { dtype, shape });
const inp = (spec: TensorSpec, gen?: InputGen): OperandSpec => (gen ? { kind: 'input', t: spec, gen } : { kind: 'input', t: spec });
const cst = (spec: TensorSpec, data: TypedArray): OperandSpec => ({ kind: 'const', t: spec, data });
const NONE: OperandSpec = { kind: 'none' };
/** A variable (state) tensor with its initial value. */
const state = (spec: TensorSpec, data: TypedArray): OperandSpec => ({ kind: 'const', t: spec, data, variable: true });
const i32c = (vals: readonly number[]): OperandSpec => cst(t('i32', [vals.length]), Int32Array.from(vals));

/** An activation-quantized tensor: int8 asymmetric, int16 symmetric. */
function actQ(r: Rand, dtype: 'i8' | 'i16', lo = 0.002, hi = 0.1): QSpec {
  if (dtype === 'i8') return qt(r.scale(lo, hi), r.int(-100, 100));
  return qt(r.scale(lo / 256, hi / 256), 0);
}

const CONV_ACTS = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'] as const;

/** Type combinations of the weighted ops. */
type WType = 'f32' | 'i8' | '16x8';
const WTYPES: readonly WType[] = ['f32', 'i8', '16x8'];

/** Output scale that keeps a typical accumulator mostly inside the int range. */
function accOutScale(r: Rand, sIn: number, sW: number, depth: number, dtype: 'i8' | 'i16'): number {
  const typicalAcc = (dtype === 'i8' ? 74 : 18900) * 64 * Math.sqrt(Math.max(1, depth));
  const range = dtype === 'i8' ? 128 : 32768;
  // Now and then a much smaller scale: multipliers above 1 (left shifts) and heavy saturation.
  const f = r.bool(0.1) ? r.float(0.005, 0.05) : r.float(0.5, 3);
  return Math.fround(((sIn * sW * typicalAcc) / range) * f);
}

// ---------------------------------------------------------------------------------------------
// Families

/** conv_2d / depthwise_conv_2d / transpose_conv weights, bias and quantization. */
interface Weighted {
  filter: OperandSpec;
  bias: OperandSpec;
  x: TensorSpec;
  y: TensorSpec;
}

function weighted(
  r: Rand,
  w: WType,
  xShape: readonly number[],
  wShape: readonly number[],
  yShape: readonly number[],
  outC: number,
  axis: number,
  depth: number,
  opts: { perTensor?: boolean; bias?: 'none' | 'i32' | 'i64' | 'auto' } = {},
): Weighted {
  const biasKind = opts.bias ?? 'auto';
  if (w === 'f32') {
    const filter = cst(t('f32', wShape), Float32Array.from(r.floats(prod(wShape), -1, 1)));
    const bias = biasKind === 'none' ? NONE : cst(t('f32', [outC]), Float32Array.from(r.floats(outC, -1, 1)));
    return { filter, bias, x: t('f32', xShape), y: t('f32', yShape) };
  }
  const dt = w === 'i8' ? 'i8' : 'i16';
  const xq = actQ(r, dt);
  const sIn = xq.scale as number;
  const perTensor = opts.perTensor ?? false;
  const sW = perTensor ? [r.scale(0.002, 0.05)] : Array.from({ length: outC }, () => r.scale(0.002, 0.05));
  const wq: QSpec = perTensor ? qt(sW[0]!, 0) : qa(sW, axis);
  const filter = cst(t('i8', wShape, wq), Int8Array.from(r.ints(prod(wShape), -127, 127)));
  const meanW = sW.reduce((a, b) => a + b, 0) / sW.length;
  const sOut = accOutScale(r, sIn, meanW, depth, dt);
  const yq = dt === 'i8' ? qt(sOut, r.int(-60, 60)) : qt(sOut, 0);
  const bScales = (perTensor ? [sW[0]!] : sW).map((s) => Math.fround(sIn * s));
  const bq: QSpec = perTensor ? qt(bScales[0]!, 0) : qa(bScales, 0);
  const kind = biasKind === 'auto' ? (dt === 'i8' ? 'i32' : 'i64') : biasKind;
  const bRange = dt === 'i8' ? 20000 : 4000000;
  let bias: OperandSpec = NONE;
  if (kind === 'i32') bias = cst(t('i32', [outC], bq), Int32Array.from(r.ints(outC, -bRange, bRange)));
  if (kind === 'i64') bias = cst(t('i64', [outC], bq), BigInt64Array.from(r.ints(outC, -bRange, bRange).map(BigInt)));
  return { filter, bias, x: t(dt, xShape, xq), y: t(dt, yShape, yq) };
}

function outSize(padding: string, inSize: number, k: number, stride: number, dil = 1): number {
  const ek = (k - 1) * dil + 1;
  return padding === 'SAME' ? Math.ceil(inSize / stride) : Math.floor((inSize - ek + stride) / stride);
}

function convCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const w = WTYPES[i % 3]!;
    const batch = r.int(1, 2);
    const kh = r.int(1, 4);
    const kw = r.int(1, 4);
    const dh = r.bool(0.25) ? 2 : 1;
    const dw = r.bool(0.25) ? 2 : 1;
    const sh = r.int(1, 3);
    const sw = r.int(1, 3);
    const padding = r.pick(['SAME', 'VALID']);
    // Now and then a deep one (kh*kw*inC beyond Eigen's 816-deep GEMM blocks) on a small image.
    const deep = r.bool(0.06);
    const ih = r.int((kh - 1) * dh + 1, deep ? 5 : 10);
    const iw = r.int((kw - 1) * dw + 1, deep ? 5 : 10);
    const inC = deep ? r.int(60, 200) : r.int(1, 8);
    const outC = r.int(1, 8);
    const oh = outSize(padding, ih, kh, sh, dh);
    const ow = outSize(padding, iw, kw, sw, dw);
    const act = r.pick(CONV_ACTS);
    const perTensor = w === 'i8' && r.bool(0.2);
    // TF 2.12's CONV_2D / DEPTHWISE_CONV_2D reject an absent (-1) bias, so there is always one.
    const bias = w === '16x8' && r.bool(0.3) ? 'i32' : 'auto';
    const wt = weighted(r, w, [batch, ih, iw, inC], [outC, kh, kw, inC], [batch, oh, ow, outC], outC, 0, kh * kw * inC, { perTensor, bias });
    out.push({
      id: `conv_2d ${w} in=[${batch},${ih},${iw},${inC}] k=${kh}x${kw}x${outC} s=${sh},${sw} d=${dh},${dw} ${padding} ${act}${perTensor ? ' per-tensor' : ''} bias=${bias}`,
      family: 'conv',
      op: 'tfl.conv_2d',
      operands: [inp(wt.x), wt.filter, wt.bias],
      results: [wt.y],
      attrs: { padding: S(padding), stride_h: I(sh), stride_w: I(sw), dilation_h_factor: I(dh), dilation_w_factor: I(dw), fused_activation_function: S(act) },
    });
  }
  return out;
}

function depthwiseCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const w = WTYPES[i % 3]!;
    const batch = r.int(1, 2);
    const kh = r.int(1, 4);
    const kw = r.int(1, 4);
    const dh = r.bool(0.25) ? 2 : 1;
    const dw = r.bool(0.25) ? 2 : 1;
    const sh = r.int(1, 3);
    const sw = r.int(1, 3);
    const padding = r.pick(['SAME', 'VALID']);
    const ih = r.int((kh - 1) * dh + 1, 10);
    const iw = r.int((kw - 1) * dw + 1, 10);
    const inC = r.int(1, 8);
    const mult = r.pick([1, 1, 2, 3]);
    const outC = inC * mult;
    const oh = outSize(padding, ih, kh, sh, dh);
    const ow = outSize(padding, iw, kw, sw, dw);
    const act = r.pick(CONV_ACTS);
    const perTensor = w === 'i8' && r.bool(0.2);
    const bias = 'auto';
    const wt = weighted(r, w, [batch, ih, iw, inC], [1, kh, kw, outC], [batch, oh, ow, outC], outC, 3, kh * kw, { perTensor, bias });
    out.push({
      id: `depthwise_conv_2d ${w} in=[${batch},${ih},${iw},${inC}] k=${kh}x${kw} m=${mult} s=${sh},${sw} d=${dh},${dw} ${padding} ${act}${perTensor ? ' per-tensor' : ''} bias=${bias}`,
      family: 'conv',
      op: 'tfl.depthwise_conv_2d',
      operands: [inp(wt.x), wt.filter, wt.bias],
      results: [wt.y],
      attrs: {
        padding: S(padding),
        stride_h: I(sh),
        stride_w: I(sw),
        dilation_h_factor: I(dh),
        dilation_w_factor: I(dw),
        depth_multiplier: I(mult),
        fused_activation_function: S(act),
      },
    });
  }
  return out;
}

function transposeConvCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const w = WTYPES[i % 3]!;
    const batch = r.int(1, 2);
    const kh = r.int(1, 4);
    const kw = r.int(1, 4);
    const sh = r.int(1, 3);
    const sw = r.int(1, 3);
    const padding = r.pick(['SAME', 'VALID']);
    const ih = r.int(1, 6);
    const iw = r.int(1, 6);
    const inC = r.int(1, 6);
    const outC = r.int(1, 6);
    // Output size: the inverse of conv's (SAME: in*stride; VALID: (in-1)*stride + k).
    const oh = padding === 'SAME' ? ih * sh : (ih - 1) * sh + kh;
    const ow = padding === 'SAME' ? iw * sw : (iw - 1) * sw + kw;
    const act = 'NONE';
    const bias = r.bool(0.3) ? 'none' : 'auto';
    const wt = weighted(r, w, [batch, ih, iw, inC], [outC, kh, kw, inC], [batch, oh, ow, outC], outC, 0, Math.ceil((kh * kw * inC) / (sh * sw)), { bias });
    out.push({
      id: `transpose_conv ${w} in=[${batch},${ih},${iw},${inC}] k=${kh}x${kw}x${outC} s=${sh},${sw} ${padding} bias=${bias}`,
      family: 'transpose-conv',
      op: 'tfl.transpose_conv',
      operands: [i32c([batch, oh, ow, outC]), wt.filter, inp(wt.x), wt.bias],
      results: [wt.y],
      attrs: { padding: S(padding), stride_h: I(sh), stride_w: I(sw), fused_activation_function: S(act) },
    });
  }
  return out;
}

function fullyConnectedCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const w = WTYPES[i % 3]!;
    const depth = r.bool(0.06) ? r.int(600, 2500) : r.int(1, 40);
    const units = r.int(1, 24);
    const keep = r.bool(0.25);
    const lead = keep ? [r.int(1, 3), r.int(1, 3)] : [r.int(1, 4)];
    const xShape = [...lead, depth];
    const yShape = keep ? [...lead, units] : [prod(lead), units];
    const act = r.pick(CONV_ACTS);
    const bias = r.bool(0.2) ? 'none' : w === '16x8' && r.bool(0.3) ? 'i32' : 'auto';
    const perChannel = w !== 'f32' && r.bool(0.25);
    const wt = weighted(r, w, xShape, [units, depth], yShape, units, 0, depth, { perTensor: !perChannel, bias });
    out.push({
      id: `fully_connected ${w} x=[${xShape}] units=${units}${keep ? ' keep_num_dims' : ''} ${act}${perChannel ? ' per-channel' : ''} bias=${bias}`,
      family: 'fully-connected',
      op: 'tfl.fully_connected',
      operands: [inp(wt.x), wt.filter, wt.bias],
      results: [wt.y],
      attrs: { fused_activation_function: S(act), keep_num_dims: B(keep), weights_format: S('DEFAULT') },
    });
  }
  return out;
}

/**
 * FULLY_CONNECTED with int8 input and int16 output. TF 2.12 runs its uint8-input kernel on the int8
 * bytes (x = -128 counts as 128), which qopt's `tflite` flavour reproduces.
 */function fullyConnectedI8I16Cases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const depth = r.int(1, 32);
    const units = r.int(1, 16);
    const batch = r.int(1, 4);
    const xq = actQ(r, 'i8');
    const act = r.pick(CONV_ACTS);
    const sW = r.scale(0.002, 0.05);
    const sOut = Math.fround(accOutScale(r, xq.scale as number, sW, depth, 'i8') / 256);
    const hasBias = r.bool(0.7);
    out.push({
      id: `fully_connected i8->i16 x=[${batch},${depth}] units=${units} ${act}${hasBias ? '' : ' no-bias'}`,
      family: 'fully-connected',
      op: 'tfl.fully_connected',
      operands: [
        inp(t('i8', [batch, depth], xq)),
        cst(t('i8', [units, depth], qt(sW, 0)), Int8Array.from(r.ints(units * depth, -127, 127))),
        hasBias ? cst(t('i32', [units], qt(Math.fround((xq.scale as number) * sW), 0)), Int32Array.from(r.ints(units, -20000, 20000))) : NONE,
      ],
      results: [t('i16', [batch, units], qt(sOut, 0))],
      attrs: { fused_activation_function: S(act), keep_num_dims: B(false), weights_format: S('DEFAULT') },
    });
  }
  return out;
}

function batchMatmulCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const w = WTYPES[i % 3]!;
    const m = r.int(1, 6);
    const k = r.bool(0.08) ? r.int(300, 1800) : r.int(1, 12);
    const nn = r.int(1, 6);
    const adjX = r.bool(0.3);
    const adjY = r.bool(0.3);
    const rank = r.int(2, 4);
    const batch = Array.from({ length: rank - 2 }, () => r.int(1, 3));
    const xb = batch.map((d) => (r.bool(0.2) ? 1 : d));
    const yb = batch.map((d, j) => (xb[j] === 1 ? d : r.bool(0.2) ? 1 : d));
    const ob = batch.map((_, j) => Math.max(xb[j]!, yb[j]!));
    const xShape = [...xb, ...(adjX ? [k, m] : [m, k])];
    const yShape = [...yb, ...(adjY ? [nn, k] : [k, nn])];
    const oShape = [...ob, m, nn];
    const constY = r.bool(0.4);
    let x: TensorSpec;
    let y: TensorSpec;
    let o: TensorSpec;
    if (w === 'f32') {
      x = t('f32', xShape);
      y = t('f32', yShape);
      o = t('f32', oShape);
    } else {
      const dt = w === 'i8' ? 'i8' : 'i16';
      const xq = actQ(r, dt);
      const yq = dt === 'i8' ? qt(r.scale(0.002, 0.1), r.bool(0.3) ? r.int(-20, 20) : 0) : qt(r.scale(0.002 / 256, 0.1 / 256), 0);
      x = t(dt, xShape, xq);
      y = t(dt, yShape, yq);
      o = t(dt, oShape, dt === 'i8' ? qt(accOutScale(r, xq.scale as number, yq.scale as number, k, 'i8'), r.int(-50, 50)) : qt(accOutScale(r, xq.scale as number, yq.scale as number, k, 'i16'), 0));
    }
    const yOperand = constY
      ? cst(y, y.dtype === 'f32' ? Float32Array.from(r.floats(prod(yShape), -1, 1)) : y.dtype === 'i8' ? Int8Array.from(r.ints(prod(yShape), -127, 127)) : Int16Array.from(r.ints(prod(yShape), -32767, 32767)))
      : inp(y);
    out.push({
      id: `batch_matmul ${w} x=[${xShape}] y=[${yShape}]${adjX ? ' adj_x' : ''}${adjY ? ' adj_y' : ''}${constY ? ' const-y' : ''}`,
      family: 'batch-matmul',
      op: 'tfl.batch_matmul',
      operands: [inp(x), yOperand],
      results: [o],
      attrs: { adj_x: B(adjX), adj_y: B(adjY) },
    });
  }
  return out;
}

function poolCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const op = i % 2 === 0 ? 'tfl.average_pool_2d' : 'tfl.max_pool_2d';
    const dt = (['f32', 'i8', 'i16'] as const)[Math.floor(i / 2) % 3]!;
    const batch = r.int(1, 2);
    const fh = r.int(1, 4);
    const fw = r.int(1, 4);
    const sh = r.int(1, 3);
    const sw = r.int(1, 3);
    const padding = r.pick(['SAME', 'VALID']);
    const ih = r.int(fh, 10);
    const iw = r.int(fw, 10);
    const c = r.int(1, 6);
    const oh = outSize(padding, ih, fh, sh);
    const ow = outSize(padding, iw, fw, sw);
    const act = r.pick(CONV_ACTS);
    const q = dt === 'f32' ? undefined : actQ(r, dt);
    out.push({
      id: `${op.slice(4)} ${dt} in=[${batch},${ih},${iw},${c}] f=${fh}x${fw} s=${sh},${sw} ${padding} ${act}`,
      family: 'pool',
      op,
      operands: [inp(t(dt, [batch, ih, iw, c], q))],
      results: [t(dt, [batch, oh, ow, c], q)],
      attrs: { filter_height: I(fh), filter_width: I(fw), stride_h: I(sh), stride_w: I(sw), padding: S(padding), fused_activation_function: S(act) },
    });
  }
  return out;
}

function reduceCases(r: Rand, n: number): SingleOpCase[] {
  const ops = ['tfl.mean', 'tfl.sum', 'tfl.reduce_max', 'tfl.reduce_min'] as const;
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i % 4]!;
    const dt = (['f32', 'i8', 'i16'] as const)[Math.floor(i / 4) % 3]!;
    // Every fourth MEAN is TF 2.12's special 4-D case: axes {1, 2} with keep_dims.
    const hw = op === 'tfl.mean' && i % 16 === 0;
    const rank = hw ? 4 : r.int(1, 4);
    const shape = Array.from({ length: rank }, () => r.int(1, 6));
    const nAxes = hw ? 2 : r.int(1, rank);
    const axes = hw ? r.pick([[1, 2], [2, 1]]) : r.shuffle([...Array(rank).keys()]).slice(0, nAxes);
    // Sometimes spell an axis negatively (TFLite normalizes them).
    const axesSpelled = hw ? axes : axes.map((a) => (r.bool(0.2) ? a - rank : a));
    const keep = hw || r.bool();
    const oShape = keep ? shape.map((d, j) => (axes.includes(j) ? 1 : d)) : shape.filter((_, j) => !axes.includes(j));
    let xq: QSpec | undefined;
    let yq: QSpec | undefined;
    if (dt !== 'f32') {
      xq = actQ(r, dt);
      if (op === 'tfl.reduce_max' || op === 'tfl.reduce_min') yq = xq;
      else if (op === 'tfl.sum' && dt === 'i16') yq = xq; // TF 2.12's int16 SUM requires equal input/output quantization
      else if (op === 'tfl.sum') {
        const cnt = prod(axes.map((a) => shape[a]!));
        yq = dt === 'i8' ? qt((xq.scale as number) * Math.sqrt(cnt) * r.float(0.7, 2), r.int(-50, 50)) : qt((xq.scale as number) * Math.sqrt(cnt) * r.float(0.7, 2), 0);
      } else yq = r.bool(0.4) ? xq : dt === 'i8' ? qt((xq.scale as number) * r.float(0.3, 2), r.int(-80, 80)) : qt((xq.scale as number) * r.float(0.3, 2), 0);
    }
    out.push({
      id: `${op.slice(4)} ${dt} in=[${shape}] axes=[${axesSpelled}]${keep ? ' keep_dims' : ''}${xq && yq && xq !== yq ? ' rescale' : ''}`,
      family: 'reduce',
      op,
      operands: [inp(t(dt, shape, xq)), i32c(axesSpelled)],
      results: [t(dt, oShape, yq)],
      attrs: { keep_dims: B(keep) },
    });
  }
  return out;
}

/** Broadcast-compatible shapes for a binary op. */
function broadcastShapes(r: Rand, maxRank: number): [number[], number[], number[]] {
  const rank = r.int(1, maxRank);
  const out = Array.from({ length: rank }, () => r.int(1, 5));
  const mode = r.int(0, 3);
  if (mode === 0) return [out, [...out], out];
  const a = out.map((d) => (r.bool(0.3) ? 1 : d));
  const bRank = mode === 3 ? r.int(0, rank) : rank; // lower-rank rhs (leading dims dropped)
  const b = out.map((d, j) => (j < rank - bRank ? 1 : a[j] === 1 ? d : r.bool(0.3) ? 1 : d));
  const outShape = out.map((_, j) => Math.max(a[j]!, b[j]!));
  return [a, b.slice(rank - bRank), outShape];
}

function elementwiseCases(r: Rand, n: number): SingleOpCase[] {
  const combos: [string, Elem][] = [
    ['tfl.add', 'f32'],
    ['tfl.add', 'i8'],
    ['tfl.add', 'i16'],
    ['tfl.sub', 'f32'],
    ['tfl.sub', 'i8'],
    ['tfl.sub', 'i16'],
    ['tfl.mul', 'f32'],
    ['tfl.mul', 'i8'],
    ['tfl.mul', 'i16'],
    ['tfl.div', 'f32'],
    ['tfl.maximum', 'f32'],
    ['tfl.maximum', 'i8'],
    ['tfl.maximum', 'i16'],
    ['tfl.minimum', 'f32'],
    ['tfl.minimum', 'i8'],
    ['tfl.minimum', 'i16'],
    ['tfl.squared_difference', 'f32'],
    ['tfl.squared_difference', 'i8'],
    ['tfl.add', 'i32'],
    ['tfl.mul', 'i32'],
    ['tfl.sub', 'i32'],
  ];
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const [op, dt] = combos[i % combos.length]!;
    const hasAct = op === 'tfl.add' || op === 'tfl.sub' || op === 'tfl.mul' || op === 'tfl.div';
    const act = hasAct && dt !== 'i32' ? r.pick(['NONE', 'NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1']) : 'NONE';
    // TF 2.12's int16 POT add/sub does not broadcast (TFLite aborts), so that path gets equal shapes.
    const potCase = (op === 'tfl.add' || op === 'tfl.sub') && dt === 'i16' && r.bool(0.3);
    const shapes = broadcastShapes(r, 4);
    const [as, bs, os] = potCase ? [shapes[2], shapes[2], shapes[2]] : shapes;
    const sameScale = op === 'tfl.maximum' || op === 'tfl.minimum';
    let aq: QSpec | undefined;
    let bq: QSpec | undefined;
    let oq: QSpec | undefined;
    if (dt === 'i8' || dt === 'i16') {
      aq = actQ(r, dt);
      bq = sameScale ? aq : actQ(r, dt);
      if (sameScale) oq = aq;
      else if (op === 'tfl.mul') oq = dt === 'i8' ? qt((aq.scale as number) * (bq.scale as number) * 128 * r.float(0.3, 1.5), r.int(-50, 50)) : qt((aq.scale as number) * (bq.scale as number) * 32768 * r.float(0.3, 1.5), 0);
      else if (op === 'tfl.squared_difference') oq = qt(Math.max(aq.scale as number, bq.scale as number) ** 2 * 128 * r.float(0.5, 2), r.int(-100, -20));
      else oq = dt === 'i8' ? qt(Math.max(aq.scale as number, bq.scale as number) * r.float(0.8, 2.5), r.int(-50, 50)) : qt(Math.max(aq.scale as number, bq.scale as number) * r.float(0.8, 2.5), 0);
    }
    const aGen: InputGen | undefined = dt === 'i32' ? { kind: 'range', lo: -3000, hi: 3000 } : dt === 'f32' ? { kind: 'range', lo: -4, hi: 4 } : undefined;
    let bGen: InputGen | undefined = aGen;
    if (op === 'tfl.div') bGen = { kind: 'range', lo: 0.25, hi: 4 };
    const attrs: Record<string, Attribute> = hasAct ? { fused_activation_function: S(act) } : {};
    // int16 add/sub: exercise both of TFLite's paths (general rescale; pot_scale_int16 needs POT scales).
    let pot = '';
    if ((op === 'tfl.add' || op === 'tfl.sub') && dt === 'i16') {
      const usePot = potCase;
      if (usePot) {
        // TF 2.12's POT path needs one input scale equal to the output scale.
        const ea = r.int(-14, -8);
        const eb = ea + r.int(-2, 2);
        aq = qt(2 ** ea, 0);
        bq = qt(2 ** eb, 0);
        oq = qt(2 ** Math.max(ea, eb), 0);
      }
      attrs['pot_scale_int16'] = B(usePot);
      pot = usePot ? ' pot' : ' general';
    }
    out.push({
      id: `${op.slice(4)} ${dt} a=[${as}] b=[${bs}] ${act}${pot}`,
      family: 'elementwise',
      op,
      operands: [inp(t(dt, as, aq), aGen), inp(t(dt, bs, bq), bGen)],
      results: [t(dt, os, oq)],
      attrs,
    });
  }
  return out;
}

function randomShape(r: Rand, minRank = 1, maxRank = 4, maxDim = 6): number[] {
  return Array.from({ length: r.int(minRank, maxRank) }, () => r.int(1, maxDim));
}

function unaryCases(r: Rand, n: number): SingleOpCase[] {
  const combos: [string, Elem, 'same' | 'rescale' | 'none', InputGen | undefined][] = [
    ['tfl.abs', 'f32', 'none', { kind: 'range', lo: -3, hi: 3 }],
    ['tfl.abs', 'i8', 'rescale', undefined],
    ['tfl.abs', 'i16', 'rescale', undefined],
    ['tfl.neg', 'f32', 'none', { kind: 'range', lo: -3, hi: 3 }],
    ['tfl.neg', 'i32', 'none', { kind: 'range', lo: -100000, hi: 100000 }],
    ['tfl.sqrt', 'f32', 'none', { kind: 'range', lo: 0, hi: 10 }],
    ['tfl.rsqrt', 'f32', 'none', { kind: 'range', lo: 0.01, hi: 10 }],
    ['tfl.rsqrt', 'i8', 'rescale', undefined],
  ];
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const [op, dt, qk, gen] = combos[i % combos.length]!;
    const shape = randomShape(r);
    let xq: QSpec | undefined;
    let yq: QSpec | undefined;
    if (qk !== 'none') {
      xq = actQ(r, dt as 'i8' | 'i16');
      if (op === 'tfl.rsqrt') {
        // rsqrt needs positive reals: put the zero point at the bottom of the range.
        xq = qt(r.scale(0.005, 0.05), -128);
        yq = qt(r.scale(0.02, 0.2), r.int(-128, -60));
      } else yq = r.bool(0.3) ? xq : dt === 'i8' ? qt((xq.scale as number) * r.float(0.5, 2), r.int(-128, 0)) : qt((xq.scale as number) * r.float(0.5, 2), 0);
    }
    out.push({
      id: `${op.slice(4)} ${dt} [${shape}]${xq && yq && xq !== yq ? ' rescale' : ''}`,
      family: 'unary',
      op,
      operands: [inp(t(dt, shape, xq), gen)],
      results: [t(dt, shape, yq)],
      attrs: {},
    });
  }
  return out;
}

function activationCases(r: Rand, n: number): SingleOpCase[] {
  const combos: [string, Elem][] = [
    ['tfl.relu', 'f32'],
    ['tfl.relu', 'i8'],
    ['tfl.relu', 'i16'],
    ['tfl.relu6', 'f32'],
    ['tfl.relu6', 'i8'],
    ['tfl.relu6', 'i16'],
    ['tfl.relu_n1_to_1', 'f32'],
    ['tfl.relu_n1_to_1', 'i8'],
    ['tfl.relu_0_to_1', 'f32'],
    ['tfl.relu_0_to_1', 'i8'],
    ['tfl.leaky_relu', 'f32'],
    ['tfl.leaky_relu', 'i8'],
    ['tfl.leaky_relu', 'i16'],
    ['tfl.hard_swish', 'f32'],
    ['tfl.hard_swish', 'i8'],
    ['tfl.logistic', 'f32'],
    ['tfl.logistic', 'i8'],
    ['tfl.logistic', 'i16'],
    ['tfl.tanh', 'f32'],
    ['tfl.tanh', 'i8'],
    ['tfl.tanh', 'i16'],
  ];
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const [op, dt] = combos[i % combos.length]!;
    const shape = randomShape(r);
    let xq: QSpec | undefined;
    let yq: QSpec | undefined;
    const attrs: Record<string, Attribute> = {};
    if (op === 'tfl.leaky_relu') attrs['alpha'] = F(r.pick([0.01, 0.2, 0.3, 0.5, 0.99, 1.5]));
    if (dt !== 'f32') {
      xq = actQ(r, dt as 'i8' | 'i16', 0.01, 0.1);
      if (op === 'tfl.logistic') yq = dt === 'i8' ? qt(1 / 256, -128) : qt(1 / 32768, 0);
      else if (op === 'tfl.tanh') yq = dt === 'i8' ? qt(1 / 128, 0) : qt(1 / 32768, 0);
      else if (op === 'tfl.hard_swish') yq = qt((xq.scale as number) * r.float(0.5, 1.5), r.int(-100, 0));
      else if (op === 'tfl.leaky_relu') yq = dt === 'i8' ? qt((xq.scale as number) * r.float(0.6, 1.8), r.int(-60, 60)) : qt((xq.scale as number) * r.float(0.6, 1.8), 0);
      else if (op === 'tfl.relu' || op === 'tfl.relu6' || op === 'tfl.relu_n1_to_1' || op === 'tfl.relu_0_to_1')
        yq = r.bool(0.3) ? xq : dt === 'i8' ? qt((xq.scale as number) * r.float(0.5, 1.5), r.int(-128, 0)) : qt((xq.scale as number) * r.float(0.5, 1.5), 0);
      if (dt === 'i16' && (op === 'tfl.logistic' || op === 'tfl.tanh')) xq = qt(r.pick([1 / 4096, 1 / 8192, 3 / 32768, r.scale(1e-4, 4e-4)]), 0);
    }
    out.push({
      id: `${op.slice(4)} ${dt} [${shape}]${attrs['alpha'] ? ` alpha=${(attrs['alpha'] as { value: number }).value.toPrecision(3)}` : ''}`,
      family: 'activations',
      op,
      operands: [inp(t(dt, shape, xq), dt === 'f32' ? { kind: 'range', lo: -8, hi: 8 } : undefined)],
      results: [t(dt, shape, yq)],
      attrs,
    });
  }
  return out;
}

function softmaxCases(r: Rand, n: number): SingleOpCase[] {
  const combos: [string, Elem, Elem][] = [
    ['tfl.softmax', 'f32', 'f32'],
    ['tfl.softmax', 'i8', 'i8'],
    ['tfl.softmax', 'i8', 'i16'],
    ['tfl.softmax', 'i16', 'i16'],
    ['tfl.log_softmax', 'f32', 'f32'],
    ['tfl.log_softmax', 'i8', 'i8'],
  ];
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const [op, dt, ot] = combos[i % combos.length]!;
    const shape = randomShape(r, 1, 4, 8);
    let xq: QSpec | undefined;
    let yq: QSpec | undefined;
    if (dt === 'i8') xq = actQ(r, 'i8', 0.02, 0.3);
    if (dt === 'i16') xq = qt(r.scale(10 / 32768, 1 / 2048), 0);
    if (op === 'tfl.softmax') {
      if (ot === 'i8') yq = qt(1 / 256, -128);
      if (ot === 'i16') yq = qt(1 / 32768, 0);
    } else if (ot === 'i8') yq = qt(16 / 256, 127);
    const attrs: Record<string, Attribute> = op === 'tfl.softmax' ? { beta: F(r.pick([1, 1, 0.5, 2])) } : {};
    out.push({
      id: `${op.slice(4)} ${dt}->${ot} [${shape}]${op === 'tfl.softmax' ? ` beta=${(attrs['beta'] as { value: number }).value}` : ''}`,
      family: 'softmax',
      op,
      operands: [inp(t(dt, shape, xq), dt === 'f32' ? { kind: 'range', lo: -5, hi: 5 } : undefined)],
      results: [t(ot, shape, yq)],
      attrs,
    });
  }
  return out;
}

function quantizeCases(r: Rand, n: number): SingleOpCase[] {
  const combos: [string, Elem, Elem][] = [
    ['tfl.quantize', 'f32', 'i8'],
    ['tfl.quantize', 'f32', 'i16'],
    ['tfl.quantize', 'i8', 'i8'],
    ['tfl.quantize', 'i16', 'i16'],
    ['tfl.quantize', 'i16', 'i8'],
    ['tfl.dequantize', 'i8', 'f32'],
    ['tfl.dequantize', 'i16', 'f32'],
  ];
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const [op, it, ot] = combos[i % combos.length]!;
    const shape = randomShape(r);
    const xq = it === 'f32' ? undefined : actQ(r, it as 'i8' | 'i16');
    const yq = ot === 'f32' ? undefined : xq ? (ot === 'i8' ? qt((xq.scale as number) * (it === 'i16' ? 256 : 1) * r.float(0.5, 2), r.int(-60, 60)) : qt((xq.scale as number) * (it === 'i8' ? 1 / 256 : 1) * r.float(0.5, 2), 0)) : actQ(r, ot as 'i8' | 'i16');
    const resT = t(ot, shape, yq);
    out.push({
      id: `${op.slice(4)} ${it}->${ot} [${shape}]`,
      family: 'quantize',
      op,
      operands: [inp(t(it, shape, xq), it === 'f32' ? { kind: 'range', lo: -3, hi: 3 } : undefined)],
      results: [resT],
      attrs: op === 'tfl.quantize' ? { qtype: typeAttr(tensorTypeOf(resT)) } : {},
    });
  }
  return out;
}

/** Random dtype + quantization for data-movement ops (same quantization in and out). */
function moveType(r: Rand, i: number): [Elem, QSpec | undefined] {
  const dt = (['f32', 'i8', 'i16', 'i32'] as const)[i % 4]!;
  return [dt, dt === 'i8' || dt === 'i16' ? actQ(r, dt) : undefined];
}

function shapeCases(r: Rand, n: number): SingleOpCase[] {
  const kinds = ['reshape', 'squeeze', 'expand_dims', 'transpose', 'pack', 'unpack', 'gather', 'cast', 'shape'] as const;
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length]!;
    const [dt, q] = moveType(r, Math.floor(i / kinds.length));
    const shape = randomShape(r);
    const x = t(dt, shape, q);
    switch (kind) {
      case 'reshape': {
        const total = prod(shape);
        const dims: number[] = [];
        let rem = total;
        while (rem > 1 && dims.length < 3) {
          const divs = [...Array(rem).keys()].map((d) => d + 1).filter((d) => rem % d === 0);
          const d = r.pick(divs);
          dims.push(d);
          rem /= d;
        }
        dims.push(rem);
        const spelled = r.bool(0.3) ? dims.map((d, j) => (j === 0 ? -1 : d)) : dims;
        out.push({ id: `reshape ${dt} [${shape}]->[${spelled}]`, family: 'shape', op: 'tfl.reshape', operands: [inp(x), i32c(spelled)], results: [t(dt, dims, q)], attrs: {} });
        break;
      }
      case 'squeeze': {
        const s = [...shape];
        const at = r.int(0, s.length);
        s.splice(at, 0, 1);
        const all = r.bool(0.3);
        const dims = all ? [] : [at];
        const res = all ? s.filter((d) => d !== 1) : shape;
        out.push({ id: `squeeze ${dt} [${s}] dims=[${dims}]`, family: 'shape', op: 'tfl.squeeze', operands: [inp(t(dt, s, q))], results: [t(dt, res, q)], attrs: { squeeze_dims: IA(dims) } });
        break;
      }
      case 'expand_dims': {
        const at = r.int(-shape.length - 1, shape.length);
        const pos = at < 0 ? at + shape.length + 1 : at;
        const res = [...shape];
        res.splice(pos, 0, 1);
        out.push({ id: `expand_dims ${dt} [${shape}] dim=${at}`, family: 'shape', op: 'tfl.expand_dims', operands: [inp(x), i32c([at])], results: [t(dt, res, q)], attrs: {} });
        break;
      }
      case 'transpose': {
        const perm = r.shuffle([...shape.keys()]);
        out.push({ id: `transpose ${dt} [${shape}] perm=[${perm}]`, family: 'shape', op: 'tfl.transpose', operands: [inp(x), i32c(perm)], results: [t(dt, perm.map((p) => shape[p]!), q)], attrs: {} });
        break;
      }
      case 'pack': {
        const count = r.int(1, 4);
        const axis = r.int(0, shape.length);
        const res = [...shape];
        res.splice(axis, 0, count);
        out.push({
          id: `pack ${dt} ${count}x[${shape}] axis=${axis}`,
          family: 'shape',
          op: 'tfl.pack',
          operands: Array.from({ length: count }, () => inp(x)),
          results: [t(dt, res, q)],
          attrs: { values_count: I(count), axis: I(axis) },
        });
        break;
      }
      case 'unpack': {
        const axis = r.int(0, shape.length - 1);
        const num = shape[axis]!;
        const res = shape.filter((_, j) => j !== axis);
        out.push({
          id: `unpack ${dt} [${shape}] axis=${axis}`,
          family: 'shape',
          op: 'tfl.unpack',
          operands: [inp(x)],
          results: Array.from({ length: num }, () => t(dt, res, q)),
          attrs: { num: I(num), axis: I(axis) },
        });
        break;
      }
      case 'gather': {
        const axis = r.int(0, shape.length - 1);
        const idxShape = randomShape(r, 1, 2, 4);
        const idx = Int32Array.from(r.ints(prod(idxShape), 0, shape[axis]! - 1));
        const res = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
        const constIdx = r.bool(0.5);
        out.push({
          id: `gather ${dt} [${shape}] idx=[${idxShape}] axis=${axis}${constIdx ? ' const-idx' : ''}`,
          family: 'shape',
          op: 'tfl.gather',
          operands: [inp(x), constIdx ? cst(t('i32', idxShape), idx) : inp(t('i32', idxShape), { kind: 'fixed', data: idx })],
          results: [t(dt, res, q)],
          attrs: { axis: I(axis), batch_dims: I(0) },
        });
        break;
      }
      case 'cast': {
        const pairs: [Elem, Elem][] = [
          ['f32', 'i32'],
          ['i32', 'f32'],
          ['i8', 'f32'],
          ['i16', 'i32'],
          ['i32', 'i8'],
          ['f32', 'i8'],
          ['i1', 'f32'],
          ['f32', 'i1'],
        ];
        const [a, b] = r.pick(pairs);
        const gen: InputGen | undefined = a === 'f32' ? { kind: 'range', lo: -300, hi: 300 } : a === 'i32' ? { kind: 'range', lo: -100000, hi: 100000 } : undefined;
        out.push({ id: `cast ${a}->${b} [${shape}]`, family: 'shape', op: 'tfl.cast', operands: [inp(t(a, shape), gen)], results: [t(b, shape)], attrs: {} });
        break;
      }
      case 'shape': {
        // ShapeOptions.out_type, as the importer spells it (the exporter does not derive it from the
        // result type; without it TFLite reads FLOAT32 and rejects the op).
        out.push({ id: `shape ${dt} [${shape}]`, family: 'shape', op: 'tfl.shape', operands: [inp(x)], results: [t('i32', [shape.length])], attrs: { out_type: S('INT32') } });
        break;
      }
    }
  }
  return out;
}

function sliceCases(r: Rand, n: number): SingleOpCase[] {
  const kinds = ['slice', 'strided_slice', 'split', 'split_v'] as const;
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length]!;
    const [dt, q] = moveType(r, Math.floor(i / kinds.length));
    const shape = randomShape(r, 1, 4, 7);
    const x = t(dt, shape, q);
    switch (kind) {
      case 'slice': {
        const begin = shape.map((d) => r.int(0, d - 1));
        const size = shape.map((d, j) => (r.bool(0.2) ? -1 : r.int(1, d - begin[j]!)));
        const res = shape.map((d, j) => (size[j] === -1 ? d - begin[j]! : size[j]!));
        out.push({ id: `slice ${dt} [${shape}] begin=[${begin}] size=[${size}]`, family: 'slice', op: 'tfl.slice', operands: [inp(x), i32c(begin), i32c(size)], results: [t(dt, res, q)], attrs: {} });
        break;
      }
      case 'strided_slice': {
        const rank = shape.length;
        const begin: number[] = [];
        const end: number[] = [];
        const strides: number[] = [];
        let beginMask = 0;
        let endMask = 0;
        let shrinkMask = 0;
        const res: number[] = [];
        for (let j = 0; j < rank; j++) {
          const d = shape[j]!;
          if (r.bool(0.15) && d >= 1) {
            // shrink: a single index (possibly negative)
            const idx = r.int(-d, d - 1);
            begin.push(idx);
            end.push(idx + 1 === 0 ? 0 : idx + 1);
            strides.push(1);
            shrinkMask |= 1 << j;
            if (idx === -1) endMask |= 0; // end 0 with idx -1 is handled by shrink semantics
            continue;
          }
          const neg = r.bool(0.25);
          const s = neg ? -r.int(1, 2) : r.int(1, 3);
          let b0 = r.int(-d, d - 1);
          let e0 = r.int(-d - 1, d);
          const bm = r.bool(0.2);
          const em = r.bool(0.2);
          if (bm) beginMask |= 1 << j;
          if (em) endMask |= 1 << j;
          begin.push(b0);
          end.push(e0);
          strides.push(s);
          // Reference semantics (clamped, like TFLite's StridedSlice).
          const norm = (v: number): number => (v < 0 ? v + d : v);
          if (s > 0) {
            b0 = bm ? 0 : Math.min(Math.max(norm(b0), 0), d);
            e0 = em ? d : Math.min(Math.max(norm(e0), 0), d);
            res.push(Math.max(0, Math.ceil((e0 - b0) / s)));
          } else {
            b0 = bm ? d - 1 : Math.min(Math.max(norm(b0), -1), d - 1);
            e0 = em ? -1 : Math.min(Math.max(norm(e0), -1), d - 1);
            res.push(Math.max(0, Math.ceil((b0 - e0) / -s)));
          }
        }
        if (res.some((d) => d === 0) || res.length === 0) {
          i--; // regenerate: TFLite handles empty outputs, but a zero-size model tensor is not interesting here
          continue;
        }
        out.push({
          id: `strided_slice ${dt} [${shape}] b=[${begin}] e=[${end}] s=[${strides}] bm=${beginMask} em=${endMask} sm=${shrinkMask}`,
          family: 'slice',
          op: 'tfl.strided_slice',
          operands: [inp(x), i32c(begin), i32c(end), i32c(strides)],
          results: [t(dt, res, q)],
          attrs: { begin_mask: I(beginMask), end_mask: I(endMask), ellipsis_mask: I(0), new_axis_mask: I(0), shrink_axis_mask: I(shrinkMask), offset: B(false) },
        });
        break;
      }
      case 'split': {
        const axis = r.int(0, shape.length - 1);
        const d = shape[axis]!;
        const divs = [...Array(d).keys()].map((k) => k + 1).filter((k) => d % k === 0);
        const num = r.pick(divs);
        const res = shape.map((v, j) => (j === axis ? v / num : v));
        const spelled = r.bool(0.3) ? axis - shape.length : axis;
        out.push({
          id: `split ${dt} [${shape}] axis=${spelled} num=${num}`,
          family: 'slice',
          op: 'tfl.split',
          operands: [cst(t('i32', []), Int32Array.of(spelled)), inp(x)],
          results: Array.from({ length: num }, () => t(dt, res, q)),
          attrs: { num_splits: I(num) },
        });
        break;
      }
      case 'split_v': {
        const axis = r.int(0, shape.length - 1);
        const d = shape[axis]!;
        const sizes: number[] = [];
        let rem = d;
        while (rem > 0) {
          const s = r.int(1, rem);
          sizes.push(s);
          rem -= s;
        }
        const spelledSizes = sizes.length > 1 && r.bool(0.3) ? sizes.map((s, j) => (j === sizes.length - 1 ? -1 : s)) : sizes;
        out.push({
          id: `split_v ${dt} [${shape}] axis=${axis} sizes=[${spelledSizes}]`,
          family: 'slice',
          op: 'tfl.split_v',
          operands: [inp(x), i32c(spelledSizes), cst(t('i32', []), Int32Array.of(axis))],
          results: sizes.map((s) => t(dt, shape.map((v, j) => (j === axis ? s : v)), q)),
          attrs: { num_splits: I(sizes.length) },
        });
        break;
      }
    }
  }
  return out;
}

function concatCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const dt = (['f32', 'i8', 'i16', 'i32'] as const)[i % 4]!;
    const shape = randomShape(r);
    const axis = r.int(0, shape.length - 1);
    const count = r.int(1, 4);
    const sizes = Array.from({ length: count }, () => r.int(1, 4));
    // TF 2.12's int8 CONCATENATION requires every input to share the output's quantization.
    const rescale = false;
    const oq = dt === 'i8' || dt === 'i16' ? actQ(r, dt) : undefined;
    // TF 2.12's CONCATENATION rejects fused activations.
    const act = 'NONE';
    const ins = sizes.map((s) => inp(t(dt, shape.map((d, j) => (j === axis ? s : d)), rescale ? actQ(r, 'i8') : oq), dt === 'i32' ? { kind: 'range', lo: -1e6, hi: 1e6 } : dt === 'f32' ? { kind: 'range', lo: -8, hi: 8 } : undefined));
    const spelled = r.bool(0.3) ? axis - shape.length : axis;
    out.push({
      id: `concatenation ${dt} ${count} inputs [${shape}] axis=${spelled}${rescale ? ' rescale' : ''} ${act}`,
      family: 'concat',
      op: 'tfl.concatenation',
      operands: ins,
      results: [t(dt, shape.map((d, j) => (j === axis ? sizes.reduce((a, b) => a + b, 0) : d)), oq)],
      attrs: { axis: I(spelled), fused_activation_function: S(act) },
    });
  }
  return out;
}

function padCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const v2 = i % 2 === 1;
    const dt = (['f32', 'i8', 'i16', 'i32'] as const)[Math.floor(i / 2) % 4]!;
    const q = dt === 'i8' || dt === 'i16' ? actQ(r, dt) : undefined;
    const shape = randomShape(r);
    const pads = shape.map(() => [r.int(0, 3), r.int(0, 3)] as const);
    const res = shape.map((d, j) => d + pads[j]![0] + pads[j]![1]);
    const padOperand = cst(t('i32', [shape.length, 2]), Int32Array.from(pads.flat()));
    const operands: OperandSpec[] = [inp(t(dt, shape, q)), padOperand];
    let cv = '';
    if (v2) {
      const cvt = t(dt, [], q);
      const val = dt === 'f32' ? Float32Array.of(Math.fround(r.float(-2, 2))) : dt === 'i8' ? Int8Array.of(r.int(-128, 127)) : dt === 'i16' ? Int16Array.of(r.int(-32768, 32767)) : Int32Array.of(r.int(-1000, 1000));
      operands.push(cst(cvt, val));
      cv = ` value=${val[0]}`;
    }
    out.push({
      id: `${v2 ? 'padv2' : 'pad'} ${dt} [${shape}] pads=${JSON.stringify(pads)}${cv}`,
      family: 'pad',
      op: v2 ? 'tfl.padv2' : 'tfl.pad',
      operands,
      results: [t(dt, res, q)],
      attrs: {},
    });
  }
  return out;
}

function svdfCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const int8 = i % 2 === 1;
    const batch = r.int(1, 2);
    const inputSize = r.int(1, 8);
    const units = r.int(1, 4);
    const rank = r.int(1, 2);
    const filters = units * rank;
    const memory = r.int(1, 5);
    // TFLite's integer SVDF supports only RELU.
    const act = int8 ? 'RELU' : r.pick(['NONE', 'RELU']);
    const hasBias = r.bool(0.7);
    if (!int8) {
      out.push({
        id: `svdf f32 batch=${batch} in=${inputSize} units=${units} rank=${rank} memory=${memory} ${act}${hasBias ? '' : ' no-bias'}`,
        family: 'svdf',
        op: 'tfl.svdf',
        operands: [
          inp(t('f32', [batch, inputSize])),
          cst(t('f32', [filters, inputSize]), Float32Array.from(r.floats(filters * inputSize, -1, 1))),
          cst(t('f32', [filters, memory]), Float32Array.from(r.floats(filters * memory, -1, 1))),
          hasBias ? cst(t('f32', [units]), Float32Array.from(r.floats(units, -1, 1))) : NONE,
          state(t('f32', [batch, memory * filters]), new Float32Array(batch * memory * filters)),
        ],
        results: [t('f32', [batch, units])],
        attrs: { rank: I(rank), fused_activation_function: S(act) },
      });
      continue;
    }
    const xq = actQ(r, 'i8', 0.01, 0.1);
    const fw = qt(r.scale(0.002, 0.02), 0);
    const sState = r.scale(1e-4, 1e-3);
    const tw = qt(r.scale(1e-4, 1e-3), 0);
    const yq = qt(r.scale(0.005, 0.05), r.int(-60, 60));
    out.push({
      id: `svdf int8 batch=${batch} in=${inputSize} units=${units} rank=${rank} memory=${memory} ${act}${hasBias ? '' : ' no-bias'}`,
      family: 'svdf',
      op: 'tfl.svdf',
      operands: [
        inp(t('i8', [batch, inputSize], xq)),
        cst(t('i8', [filters, inputSize], fw), Int8Array.from(r.ints(filters * inputSize, -127, 127))),
        cst(t('i16', [filters, memory], tw), Int16Array.from(r.ints(filters * memory, -32767, 32767))),
        hasBias ? cst(t('i32', [units], qt(Math.fround(sState * (tw.scale as number)), 0)), Int32Array.from(r.ints(units, -5000, 5000))) : NONE,
        state(t('i16', [batch, memory * filters], qt(sState, 0)), new Int16Array(batch * memory * filters)),
      ],
      results: [t('i8', [batch, units], yq)],
      attrs: { rank: I(rank), fused_activation_function: S(act) },
    });
  }
  return out;
}

function rnnCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const seq = i % 2 === 1;
    const batch = r.int(1, 3);
    const inSize = r.int(1, 6);
    const units = r.int(1, 6);
    const time = seq ? r.int(1, 4) : 1;
    const timeMajor = seq && r.bool(0.3);
    const act = r.pick(['NONE', 'RELU', 'TANH', 'RELU6']);
    const xShape = seq ? (timeMajor ? [time, batch, inSize] : [batch, time, inSize]) : [batch, inSize];
    const yShape = seq ? (timeMajor ? [time, batch, units] : [batch, time, units]) : [batch, units];
    out.push({
      id: `${seq ? 'unidirectional_sequence_rnn' : 'rnn'} f32 x=[${xShape}] units=${units} ${act}${timeMajor ? ' time_major' : ''}`,
      family: 'rnn',
      op: seq ? 'tfl.unidirectional_sequence_rnn' : 'tfl.rnn',
      operands: [
        inp(t('f32', xShape)),
        cst(t('f32', [units, inSize]), Float32Array.from(r.floats(units * inSize, -1, 1))),
        cst(t('f32', [units, units]), Float32Array.from(r.floats(units * units, -0.5, 0.5))),
        cst(t('f32', [units]), Float32Array.from(r.floats(units, -0.5, 0.5))),
        state(t('f32', [batch, units]), new Float32Array(batch * units)),
      ],
      results: [t('f32', yShape)],
      attrs: seq ? { time_major: B(timeMajor), fused_activation_function: S(act) } : { fused_activation_function: S(act) },
    });
  }
  return out;
}

/** Float UNIDIRECTIONAL_SEQUENCE_LSTM: optional CIFG, peephole, projection, clipping. */
function lstmCases(r: Rand, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const batch = r.int(1, 2);
    const time = r.int(1, 4);
    const inSize = r.int(1, 5);
    const units = r.int(1, 5);
    const cifg = r.bool(0.3);
    const peephole = r.bool(0.3);
    const projection = r.bool(0.3);
    const outSize = projection ? r.int(1, 4) : units;
    const cellClip = r.bool(0.3) ? r.pick([0.5, 1, 3]) : 0;
    const projClip = projection && r.bool(0.3) ? r.pick([0.5, 1]) : 0;
    const timeMajor = r.bool(0.3);
    const w = (rows: number, cols: number): OperandSpec => cst(t('f32', [rows, cols]), Float32Array.from(r.floats(rows * cols, -0.7, 0.7)));
    const v = (len: number): OperandSpec => cst(t('f32', [len]), Float32Array.from(r.floats(len, -0.7, 0.7)));
    const xShape = timeMajor ? [time, batch, inSize] : [batch, time, inSize];
    const yShape = timeMajor ? [time, batch, outSize] : [batch, time, outSize];
    const operands: OperandSpec[] = [
      inp(t('f32', xShape)),
      cifg ? NONE : w(units, inSize),
      w(units, inSize),
      w(units, inSize),
      w(units, inSize),
      cifg ? NONE : w(units, outSize),
      w(units, outSize),
      w(units, outSize),
      w(units, outSize),
      peephole && !cifg ? v(units) : NONE,
      peephole ? v(units) : NONE,
      peephole ? v(units) : NONE,
      cifg ? NONE : v(units),
      cst(t('f32', [units]), Float32Array.from(r.floats(units, 0.5, 1.5))),
      v(units),
      v(units),
      projection ? w(outSize, units) : NONE,
      projection && r.bool(0.5) ? v(outSize) : NONE,
      state(t('f32', [batch, outSize]), new Float32Array(batch * outSize)),
      state(t('f32', [batch, units]), new Float32Array(batch * units)),
      NONE,
      NONE,
      NONE,
      NONE,
    ];
    out.push({
      id: `unidirectional_sequence_lstm f32 x=[${xShape}] units=${units} out=${outSize}${cifg ? ' cifg' : ''}${peephole ? ' peephole' : ''}${projection ? ' projection' : ''} clip=${cellClip}/${projClip}${timeMajor ? ' time_major' : ''}`,
      family: 'lstm',
      op: 'tfl.unidirectional_sequence_lstm',
      operands,
      results: [t('f32', yShape)],
      attrs: { fused_activation_function: S('TANH'), cell_clip: F(cellClip), proj_clip: F(projClip), time_major: B(timeMajor) },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** How many cases of each family {@link generateCases} makes. */
export const CASE_COUNTS: Readonly<Record<string, number>> = {
  conv: 180,
  depthwise: 135,
  transposeConv: 90,
  fullyConnected: 180,
  fullyConnectedI8I16: 18,
  batchMatmul: 90,
  pool: 144,
  reduce: 144,
  elementwise: 315,
  unary: 96,
  activations: 252,
  softmax: 90,
  quantize: 96,
  shape: 216,
  slice: 144,
  concat: 72,
  pad: 72,
  svdf: 30,
  rnn: 36,
  lstm: 36,
};

/** Every generated case, deterministic for a seed. Each family draws from its own stream. */
export function generateCases(seed = 1): SingleOpCase[] {
  const c = CASE_COUNTS;
  const fam = (k: number): Rand => new Rand(seed * 1000 + k);
  return [
    ...convCases(fam(1), c['conv']!),
    ...depthwiseCases(fam(2), c['depthwise']!),
    ...transposeConvCases(fam(3), c['transposeConv']!),
    ...fullyConnectedCases(fam(4), c['fullyConnected']!),
    ...fullyConnectedI8I16Cases(fam(18), c['fullyConnectedI8I16']!),
    ...batchMatmulCases(fam(5), c['batchMatmul']!),
    ...poolCases(fam(6), c['pool']!),
    ...reduceCases(fam(7), c['reduce']!),
    ...elementwiseCases(fam(8), c['elementwise']!),
    ...unaryCases(fam(9), c['unary']!),
    ...activationCases(fam(10), c['activations']!),
    ...softmaxCases(fam(11), c['softmax']!),
    ...quantizeCases(fam(12), c['quantize']!),
    ...shapeCases(fam(13), c['shape']!),
    ...sliceCases(fam(14), c['slice']!),
    ...concatCases(fam(15), c['concat']!),
    ...padCases(fam(16), c['pad']!),
    ...svdfCases(fam(17), c['svdf']!),
    ...rnnCases(fam(19), c['rnn']!),
    ...lstmCases(fam(20), c['lstm']!),
  ];
}
