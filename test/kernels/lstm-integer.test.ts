/**
 * Integer LSTM kernels: the fixed-point primitives they are built from, the documented differences
 * between the 'tflite' (TFLite 2.12 EvalInteger8x8_16) and 'tflm' (tflite-micro general kernel) flavours
 * derived by hand on tiny cases, the 16x8 path, quantized-vs-float sanity, and rejected combinations.
 * Bit-exactness against real TFLite is in lstm-oracle.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DType, KernelContext, KernelFlavour, Tensor, TensorInfo } from '../../src/interp/kernel.js';
import { KernelError } from '../../src/interp/kernel.js';
import { mbqm64Reduced } from '../../src/interp/fixedpoint.js';
import { lstmKernels } from '../../dialects/tfl/kernels/lstm/index.js';
import {
  checkedLog2,
  gemmlowpLogistic16,
  gemmlowpTanh16,
  getInvSqrtQuantizedMultiplierExp,
  tflmLogistic16,
  tflmTanh16,
} from '../../dialects/tfl/kernels/lstm/lstm-common.js';
import { mbqm64ReducedNum } from '../../dialects/tfl/kernels/lstm/lstm-integer-tflm.js';
import * as activations from '../../dialects/tfl/kernels/activations.js';

const uni = lstmKernels.find((k) => k.op === 'tfl.unidirectional_sequence_lstm')!;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------

describe('gemmlowp int16 logistic / tanh (TFLite ApplySigmoid / ApplyTanh)', () => {
  it('close to the real functions over all 65536 inputs, exact at 0, logistic(x) + logistic(-x) = One', () => {
    // (The 16-bit barrel-shifter exp makes both functions non-monotone in places: not checked.)
    let maxL = 0;
    for (let x = -32768; x < 32768; x++) {
      const l = gemmlowpLogistic16(x, 3);
      maxL = Math.max(maxL, Math.abs(l / 32768 - 1 / (1 + Math.exp(-x / 4096))));
      if (x !== 0 && x !== -32768) expect(l + gemmlowpLogistic16(-x, 3)).toBe(32767);
    }
    expect(maxL).toBeLessThan(2.5e-4);
    expect(gemmlowpLogistic16(0, 3)).toBe(16384);
    for (let k = 0; k <= 6; k++) {
      let maxT = 0;
      for (let x = -32768; x < 32768; x += 7) maxT = Math.max(maxT, Math.abs(gemmlowpTanh16(x, k) / 32768 - Math.tanh(x / 2 ** (15 - k))));
      expect(maxT, `tanh Q${k}`).toBeLessThan(4e-4);
      expect(gemmlowpTanh16(0, k)).toBe(0);
      expect(gemmlowpTanh16(1000, k)).toBe(-gemmlowpTanh16(-1000, k));
    }
  });

  it('equals the independent gemmlowp port in activations.ts on every int16 input', () => {
    const g16 = (activations as Record<string, unknown>)['GEMMLOWP16'] as
      | { logistic(a: number, ib: number): number; tanh(a: number, ib: number): number }
      | undefined;
    if (!g16) return; // that kernel file changed shape; the float-accuracy test above still runs
    let bad = 0;
    for (let x = -32768; x < 32768; x++) {
      if (gemmlowpLogistic16(x, 3) !== g16.logistic(x, 3)) bad++;
      for (let k = 0; k <= 6; k++) if (gemmlowpTanh16(x, k) !== g16.tanh(x, k)) bad++;
    }
    expect(bad).toBe(0);
  });
});

describe("TFLM's interpolated int16 sigmoid / tanh (reference_integer_ops::Logistic / Tanh)", () => {
  it('hand-computed values from sigmoid_table_uint16', () => {
    // x = 0: table[0] = 32768 -> (32768 << 9) + 2^9 >> 10 = 16384.
    expect(tflmLogistic16(0, 0, 0)).toBe(16384);
    // x = 1.0 in Q3.12 = 4096: scaled by 3 -> 12288 = 24 << 9, table[24] = 47911 -> (47911 << 9 + 512) >> 10 = 23956.
    expect(tflmLogistic16(4096, 0, 0)).toBe(23956);
    // negative side: (2^25 - (47911 << 9) + 2^9 - 1) >> 10 = 9024511 >> 10 = 8812
    expect(tflmLogistic16(-4096, 0, 0)).toBe(8812);
    // tanh: x = 0 -> ((32768 << 8) - 2^23 + 2^7) >> 8 = 0; x = 4096 (1.0): 12288 = 48 << 8, table[48] = 57724:
    // (57724 << 8) - 2^23 + 128 = 6388864 >> 8 = 24956 (tanh(1) = 0.7616 -> 24955.5).
    expect(tflmTanh16(0, 0, 0)).toBe(0);
    expect(tflmTanh16(4096, 0, 0)).toBe(24956);
    expect(tflmTanh16(32767, 0, 0)).toBe(32767);
    expect(tflmTanh16(-32768, 0, 0)).toBe(-32767);
  });

  it('equals the independent port in activations.ts (POT inputs: multiplier 3 << shift)', () => {
    const lr = (activations as Record<string, unknown>)['logisticInt16Ref'] as ((x: number, m: number, s: number) => number) | undefined;
    const tr = (activations as Record<string, unknown>)['tanhInt16Ref'] as ((x: number, m: number, s: number) => number) | undefined;
    if (!lr || !tr) return;
    let bad = 0;
    for (let x = -32768; x < 32768; x++) {
      for (const s of [0, 1, 2]) {
        if (tflmLogistic16(x, 0, s) !== lr(x, 3 << s, 0)) bad++;
        if (tflmTanh16(x, 0, s) !== tr(x, 3 << s, 0)) bad++;
      }
      if (tflmTanh16(x, 3, 3) !== tr(x, 3, 3)) bad++;
    }
    expect(bad).toBe(0);
  });
});

describe('other integer helpers', () => {
  it('GetInvSqrtQuantizedMultiplierExp: multiplier * 2^shift / 2^31 = 1/sqrt(x)', () => {
    for (const v of [2, 3, 100, 12345, 1 << 20, (1 << 29) + 7, 2147483647]) {
      const { multiplier, shift } = getInvSqrtQuantizedMultiplierExp(v, -1);
      expect(Math.abs((multiplier / 2 ** 31) * 2 ** shift * Math.sqrt(v) - 1)).toBeLessThan(3e-6);
    }
    expect(getInvSqrtQuantizedMultiplierExp(1, -1)).toEqual({ multiplier: 2147483647, shift: 0 });
  });

  it('CheckedLog2 accepts powers of two only (within 1e-3 in log2)', () => {
    expect(checkedLog2(2 ** -11)).toEqual({ log2: -11, ok: true });
    expect(checkedLog2(0.000244140625)).toEqual({ log2: -12, ok: true });
    expect(checkedLog2(0.0003).ok).toBe(false);
  });

  it('TFLM int64 MultiplyByQuantizedMultiplier: the double fast path equals the BigInt form', () => {
    const r = rng(5);
    for (let i = 0; i < 20000; i++) {
      const m = 1073741824 + Math.floor(r() * 1073741823);
      const shift = -Math.floor(r() * 20);
      const mag = 2 ** Math.floor(r() * 46);
      const x = Math.round((r() * 2 - 1) * mag);
      expect(mbqm64ReducedNum(x, m, shift)).toBe(mbqm64Reduced(BigInt(x), m, shift));
    }
    // rounding ties: x * m16 + 2^(14-shift) exactly at a multiple of 2^(15-shift)
    expect(mbqm64ReducedNum(1, 1 << 30, 0)).toBe(mbqm64Reduced(1n, 1 << 30, 0));
    expect(mbqm64ReducedNum(-1, 1 << 30, 0)).toBe(mbqm64Reduced(-1n, 1 << 30, 0));
    expect(mbqm64ReducedNum(2 ** 40 + 3, 0x7fff1234, -3)).toBe(mbqm64Reduced(2n ** 40n + 3n, 0x7fff1234, -3));
  });
});

// ---------------------------------------------------------------------------------------------
// A small generic integer LSTM builder
// ---------------------------------------------------------------------------------------------

interface IntCfg {
  act: 'i8' | 'i16';
  nBatch: number;
  maxTime: number;
  nInput: number;
  nCell: number;
  timeMajor: boolean;
  hiddenZp: number;
  inputZp: number;
  cellLog2: number;
  biasDtype: DType;
  zeroWeights?: boolean;
}

function q(scale: number, zp = 0) {
  return { scale: [Math.fround(scale)], zeroPoint: [zp], axis: -1, storageMin: -128, storageMax: 127 };
}

/** Quantizes a float LSTM (weights U(-0.5, 0.5), biases U(-0.3, 0.3)) with the given settings. */
function buildInt(c: IntCfg, seed: number) {
  const r = rng(seed);
  const { nBatch, maxTime, nInput, nCell } = c;
  const fw = Array.from({ length: 4 }, () => ({
    iw: Array.from({ length: nCell * nInput }, () => (c.zeroWeights ? 0 : r() - 0.5)),
    rw: Array.from({ length: nCell * nCell }, () => (c.zeroWeights ? 0 : r() - 0.5)),
    b: Array.from({ length: nCell }, () => (c.zeroWeights ? 0 : 0.6 * r() - 0.3)),
  }));
  const inScale = c.act === 'i8' ? 2 / 255 : 1 / 32767;
  const hScale = c.act === 'i8' ? 2 / 255 : 1 / 32767;
  const wScale = 0.5 / 127;
  const inputs: (TensorInfo | undefined)[] = new Array(24).fill(undefined);
  const inShape = c.timeMajor ? [maxTime, nBatch, nInput] : [nBatch, maxTime, nInput];
  inputs[0] = { name: 'x', dtype: c.act, shape: inShape, quant: q(inScale, c.inputZp) };
  fw.forEach((g, i) => {
    const qw = (v: number[]) => Int8Array.from(v, (x) => Math.max(-127, Math.min(127, Math.round(x / wScale))));
    const bScale = inScale * wScale;
    const bq = g.b.map((x) => Math.round(x / bScale));
    inputs[1 + i] = { name: `iw${i}`, dtype: 'i8', shape: [nCell, nInput], quant: q(wScale), data: qw(g.iw) };
    inputs[5 + i] = { name: `rw${i}`, dtype: 'i8', shape: [nCell, nCell], quant: q(wScale), data: qw(g.rw) };
    inputs[12 + i] = {
      name: `b${i}`,
      dtype: c.biasDtype,
      shape: [nCell],
      quant: q(bScale),
      data: c.biasDtype === 'i64' ? BigInt64Array.from(bq.map(BigInt)) : Int32Array.from(bq),
    };
  });
  inputs[18] = { name: 'h', dtype: c.act, shape: [nBatch, nCell], quant: q(hScale, c.hiddenZp), isVariable: true };
  inputs[19] = { name: 'c', dtype: 'i16', shape: [nBatch, nCell], quant: q(2 ** c.cellLog2), isVariable: true };
  const inter = [0, 1, 2, 3].map((i) => ({ name: `i${i}`, dtype: 'i16' as DType, shape: [], quant: q(2 ** -12) }));
  inter.push({ name: 'i4', dtype: c.act, shape: [], quant: q(hScale, c.hiddenZp) });
  const output: TensorInfo = { name: 'o', dtype: c.act, shape: c.timeMajor ? [maxTime, nBatch, nCell] : [nBatch, maxTime, nCell], quant: q(hScale, c.hiddenZp) };
  return { inputs, output, inter, fw, inScale, hScale };
}

function ctxFor(b: ReturnType<typeof buildInt>, flavour: KernelFlavour, attrs: Record<string, unknown> = {}): KernelContext {
  return {
    op: 'tfl.unidirectional_sequence_lstm',
    where: 'test',
    inputs: b.inputs,
    outputs: [b.output],
    intermediates: b.inter,
    attrs: { fused_activation_function: 'TANH', cell_clip: 0, time_major: false, ...attrs } as KernelContext['attrs'],
    flavour,
  };
}

function runInt(ctx: KernelContext, x: Int8Array | Int16Array): { out: Int8Array | Int16Array; h: Int8Array | Int16Array; c: Int16Array } {
  const fn = uni.prepare(ctx);
  const hT = ctx.inputs[18]!;
  const nH = hT.shape.reduce((a, b) => a * b, 1);
  const h = hT.dtype === 'i8' ? new Int8Array(nH).fill(hT.quant!.zeroPoint[0]!) : new Int16Array(nH).fill(hT.quant!.zeroPoint[0]!);
  const c = new Int16Array(nH);
  const ts: (Tensor | undefined)[] = ctx.inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined));
  ts[0] = { dtype: ctx.inputs[0]!.dtype, shape: ctx.inputs[0]!.shape, data: x };
  ts[18] = { dtype: hT.dtype, shape: hT.shape, data: h };
  ts[19] = { dtype: 'i16', shape: ctx.inputs[19]!.shape, data: c };
  const n = ctx.outputs[0]!.shape.reduce((a, b) => a * b, 1);
  const out = ctx.outputs[0]!.dtype === 'i8' ? new Int8Array(n) : new Int16Array(n);
  fn(ts, [{ dtype: ctx.outputs[0]!.dtype, shape: ctx.outputs[0]!.shape, data: out }]);
  return { out, h, c };
}

const BASE: IntCfg = { act: 'i8', nBatch: 2, maxTime: 5, nInput: 4, nCell: 6, timeMajor: false, hiddenZp: 0, inputZp: 0, cellLog2: -11, biasDtype: 'i32' };

/** Float LSTM on the dequantized inputs, for the quantized-vs-float sanity checks. */
function floatRef(b: ReturnType<typeof buildInt>, c: IntCfg, xq: Int8Array | Int16Array): number[] {
  const { nBatch, maxTime, nInput, nCell } = c;
  const wScale = 0.5 / 127;
  const deqW = (v: number[]) => v.map((x) => Math.max(-127, Math.min(127, Math.round(x / wScale))) * wScale);
  const W = b.fw.map((g) => ({ iw: deqW(g.iw), rw: deqW(g.rw), b: g.b }));
  const out: number[] = new Array(nBatch * maxTime * nCell).fill(0);
  const sig = (x: number): number => 1 / (1 + Math.exp(-x));
  for (let bb = 0; bb < nBatch; bb++) {
    const h = new Array(nCell).fill(0);
    const cs = new Array(nCell).fill(0);
    for (let t = 0; t < maxTime; t++) {
      const row = c.timeMajor ? t * nBatch + bb : bb * maxTime + t;
      const x = Array.from({ length: nInput }, (_, k) => ((xq[row * nInput + k] as number) - c.inputZp) * b.inScale);
      const z = W.map((g) => Array.from({ length: nCell }, (_, r) => {
        let s = g.b[r]!;
        for (let k = 0; k < nInput; k++) s += g.iw[r * nInput + k]! * x[k]!;
        for (let k = 0; k < nCell; k++) s += g.rw[r * nCell + k]! * h[k]!;
        return s;
      }));
      for (let r = 0; r < nCell; r++) {
        cs[r] = sig(z[1]![r]!) * cs[r]! + sig(z[0]![r]!) * Math.tanh(z[2]![r]!);
        h[r] = sig(z[3]![r]!) * Math.tanh(cs[r]!);
        out[row * nCell + r] = h[r]!;
      }
    }
  }
  return out;
}

function randomInput(c: IntCfg, seed: number): Int8Array | Int16Array {
  const r = rng(seed);
  const n = c.nBatch * c.maxTime * c.nInput;
  return c.act === 'i8' ? Int8Array.from({ length: n }, () => Math.floor(r() * 256) - 128) : Int16Array.from({ length: n }, () => Math.floor(r() * 65536) - 32768);
}

describe('integer LSTM flavours', () => {
  it("hidden zero point: TFLite 2.12 subtracts it (CwiseMul 'value -= output_zp'), TFLM adds it", () => {
    // Zero weights and biases: every gate pre-activation is 0 -> sigmoid = 16384, cell gate tanh(0) = 0,
    // so c stays 0, tanh(c) = 0 and the hidden product is 0. The output is then just the zero-point term.
    const c = { ...BASE, hiddenZp: -4, zeroWeights: true, maxTime: 2 };
    const b = buildInt(c, 1);
    const x = randomInput(c, 2);
    const tflite = runInt(ctxFor(b, 'tflite'), x);
    const tflm = runInt(ctxFor(b, 'tflm'), x);
    expect(Array.from(tflite.out).every((v) => v === 4)).toBe(true);
    expect(Array.from(tflm.out).every((v) => v === -4)).toBe(true);
    expect(Array.from(tflite.c).every((v) => v === 0)).toBe(true);
  });

  for (const flavour of ['tflite', 'tflm'] as const) {
    for (const timeMajor of [false, true]) {
      it(`int8 ${flavour}, ${timeMajor ? 'time' : 'batch'}-major: dequantized outputs track the float LSTM (|err| < 0.06)`, () => {
        const c = { ...BASE, timeMajor };
        const b = buildInt(c, 10);
        const x = randomInput(c, 11);
        const got = runInt(ctxFor(b, flavour, { time_major: timeMajor }), x);
        const want = floatRef(b, c, x);
        let m = 0;
        got.out.forEach((v, i) => (m = Math.max(m, Math.abs(((v as number) - c.hiddenZp) * b.hScale - want[i]!))));
        expect(m).toBeLessThan(0.06);
      });
    }
  }

  it('int8: the flavours differ by at most a few LSB on the same model', () => {
    const c = { ...BASE, maxTime: 8 };
    const b = buildInt(c, 20);
    const x = randomInput(c, 21);
    const a = runInt(ctxFor(b, 'tflite'), x).out;
    const m = runInt(ctxFor(b, 'tflm'), x).out;
    let d = 0;
    a.forEach((v, i) => (d = Math.max(d, Math.abs((v as number) - (m[i] as number)))));
    expect(d).toBeLessThanOrEqual(4);
  });

  it('16x8: both flavours run the TFLM kernel; int32 biases give the same result as int64 ones', () => {
    const c = { ...BASE, act: 'i16' as const, biasDtype: 'i64' as DType };
    const b64 = buildInt(c, 30);
    const b32 = buildInt({ ...c, biasDtype: 'i32' }, 30);
    const x = randomInput(c, 31);
    const r64 = runInt(ctxFor(b64, 'tflm'), x);
    expect(Array.from(runInt(ctxFor(b64, 'tflite'), x).out)).toEqual(Array.from(r64.out));
    expect(Array.from(runInt(ctxFor(b32, 'tflm'), x).out)).toEqual(Array.from(r64.out));
    const want = floatRef(b64, c, x);
    let m = 0;
    r64.out.forEach((v, i) => (m = Math.max(m, Math.abs((v as number) * b64.hScale - want[i]!))));
    expect(m).toBeLessThan(0.01);
  });

  it('cell_clip clips the int16 cell state to the quantized clip', () => {
    const c = { ...BASE, maxTime: 20, cellLog2: -12 };
    const b = buildInt(c, 40);
    // Large forget and input biases make the cell grow; clip at 0.25 -> 1024 in Q-12.
    for (const g of [0, 1, 2]) (b.inputs[12 + g]!.data as Int32Array).fill(g === 2 ? 2000 * 255 : 400 * 255);
    const x = randomInput(c, 41);
    for (const flavour of ['tflite', 'tflm'] as const) {
      const r = runInt(ctxFor(b, flavour, { cell_clip: 0.25 }), x);
      expect(Math.max(...Array.from(r.c, Math.abs)), flavour).toBe(1024);
    }
  });
});

describe('rejected integer combinations', () => {
  const c = { ...BASE };
  const b = buildInt(c, 50);
  const withInput = (i: number, t: TensorInfo | undefined): KernelContext => {
    const inputs = [...b.inputs];
    inputs[i] = t;
    return { ...ctxFor(b, 'tflm'), inputs };
  };

  it('tflm: CIFG, peephole, projection and layer norm are rejected (as TFLM ValidateTensorStatus does)', () => {
    const cifg = [...b.inputs];
    cifg[1] = cifg[5] = cifg[12] = undefined;
    expect(() => uni.prepare({ ...ctxFor(b, 'tflm'), inputs: cifg })).toThrow(KernelError);
    const i16 = (name: string, shape: number[]): TensorInfo => ({ name, dtype: 'i16', shape, quant: q(1e-4), data: new Int16Array(shape.reduce((a, v) => a * v, 1)) });
    expect(() => uni.prepare(withInput(10, i16('p', [c.nCell])))).toThrow(KernelError);
    expect(() => uni.prepare(withInput(21, i16('ln', [c.nCell])))).toThrow(KernelError);
    expect(() => uni.prepare(withInput(16, { name: 'pw', dtype: 'i8', shape: [c.nCell, c.nCell], quant: q(0.01), data: new Int8Array(36) }))).toThrow(KernelError);
    // ...while the tflite flavour accepts CIFG.
    expect(() => uni.prepare({ ...ctxFor(b, 'tflite'), inputs: cifg })).not.toThrow();
  });

  it('tflite: non-power-of-two cell scale, wrong intermediate count, per-channel weights', () => {
    expect(() => uni.prepare({ ...ctxFor(b, 'tflite'), inputs: withInput(19, { ...b.inputs[19]!, quant: q(0.0003) }).inputs })).toThrow(KernelError);
    expect(() => uni.prepare({ ...ctxFor(b, 'tflite'), intermediates: b.inter.slice(0, 4) })).toThrow(KernelError);
    const pc = { ...b.inputs[2]!, quant: { scale: Array(c.nCell).fill(0.01), zeroPoint: Array(c.nCell).fill(0), axis: 0, storageMin: -127, storageMax: 127 } };
    expect(() => uni.prepare({ ...ctxFor(b, 'tflite'), inputs: withInput(2, pc).inputs })).toThrow(KernelError);
  });

  it('int8 with int64 biases, and int16 activations with a non-int16 cell state, are rejected', () => {
    const i64 = { ...b.inputs[13]!, dtype: 'i64' as DType, data: new BigInt64Array(c.nCell) };
    expect(() => uni.prepare(withInput(13, i64))).toThrow(KernelError);
    expect(() => uni.prepare({ ...ctxFor(b, 'tflite'), inputs: withInput(13, i64).inputs })).toThrow(KernelError);
    const c16 = buildInt({ ...c, act: 'i16', biasDtype: 'i64' }, 51);
    const i8cell = [...c16.inputs];
    i8cell[19] = { ...i8cell[19]!, dtype: 'i8' };
    expect(() => uni.prepare({ ...ctxFor(c16, 'tflm'), inputs: i8cell })).toThrow(KernelError);
  });
});

// ---------------------------------------------------------------------------------------------
// dtln end to end: TFLM's golden needs TFLM's LSTM arithmetic (the 'tflm' flavour)
// ---------------------------------------------------------------------------------------------

const DTLN = '/work/shared/corpus/dtln';

describe.skipIf(!existsSync(`${DTLN}/dtln_noise_suppression.tflite`))('dtln_noise_suppression.tflite (2 int8 LSTMs + FC + LOGISTIC)', () => {
  it("'tflm' flavour reproduces TFLM's golden_ref exactly (uses the repo's FULLY_CONNECTED / LOGISTIC kernels)", async () => {
    const fb = await import('flatbuffers');
    const gen = await import('../../src/flatbuffer/generated/tflite_generated.js');
    const fc = (await import('../../dialects/tfl/kernels/fully-connected.js')).fullyConnectedKernels[0]!;
    const logistic = activations.activationKernels.find((k) => k.op === 'tfl.logistic')!;
    const bytes = new Uint8Array(readFileSync(`${DTLN}/dtln_noise_suppression.tflite`));
    const m = gen.Model.getRootAsModel(new fb.ByteBuffer(bytes)).unpack();
    const sg = m.subgraphs[0]!;
    const dt: Record<number, DType> = { [gen.TensorType.INT8]: 'i8', [gen.TensorType.INT16]: 'i16', [gen.TensorType.INT32]: 'i32', [gen.TensorType.FLOAT32]: 'f32' };
    const infos: TensorInfo[] = sg.tensors.map((t) => {
      const dtype = dt[t.type] ?? 'u8';
      const count = t.shape.reduce((a, b) => a * b, 1);
      const raw = m.buffers[t.buffer]?.data ?? [];
      const buf = Uint8Array.from(raw).buffer;
      const data = raw.length === 0 ? undefined : dtype === 'i8' ? new Int8Array(buf, 0, count) : dtype === 'i16' ? new Int16Array(buf, 0, count) : dtype === 'i32' ? new Int32Array(buf, 0, count) : new Float32Array(buf, 0, count);
      const qp = t.quantization;
      const quant = qp && qp.scale.length > 0 ? { scale: [...qp.scale], zeroPoint: qp.zeroPoint.map(Number), axis: qp.scale.length > 1 ? qp.quantizedDimension : -1, storageMin: -128, storageMax: 127 } : undefined;
      return { name: String(t.name), dtype, shape: [...t.shape], ...(quant ? { quant } : {}), ...(data ? { data } : {}), isVariable: t.isVariable };
    });
    // Fresh interpreter: int8 variables at their zero point, others 0.
    const values: (Tensor | undefined)[] = infos.map((t) => {
      const count = t.shape.reduce((a, b) => a * b, 1);
      const data = t.data ?? (t.dtype === 'i8' ? new Int8Array(count).fill(t.quant?.zeroPoint[0] ?? 0) : t.dtype === 'i16' ? new Int16Array(count) : t.dtype === 'i32' ? new Int32Array(count) : new Float32Array(count));
      return { dtype: t.dtype, shape: t.shape, data };
    });
    (values[sg.inputs[0]!]!.data as Int8Array).set(new Int8Array(readFileSync(`${DTLN}/feature_data.int8.bin`)));
    const actName = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];
    for (const op of sg.operators) {
      const oc = m.operatorCodes[op.opcodeIndex]!;
      const code = Math.max(oc.builtinCode, oc.deprecatedBuiltinCode);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const o: any = op.builtinOptions ?? {};
      let kernel;
      let attrs: Record<string, unknown> = {};
      let name: string;
      if (code === gen.BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM) {
        kernel = uni;
        name = 'tfl.unidirectional_sequence_lstm';
        attrs = { fused_activation_function: actName[o.fusedActivationFunction], cell_clip: o.cellClip, proj_clip: o.projClip, time_major: o.timeMajor };
      } else if (code === gen.BuiltinOperator.FULLY_CONNECTED) {
        kernel = fc;
        name = 'tfl.fully_connected';
        attrs = { fused_activation_function: actName[o.fusedActivationFunction], keep_num_dims: o.keepNumDims, weights_format: 'DEFAULT' };
      } else if (code === gen.BuiltinOperator.LOGISTIC) {
        kernel = logistic;
        name = 'tfl.logistic';
      } else {
        throw new Error(`unexpected op ${code}`);
      }
      const ctx: KernelContext = {
        op: name,
        where: name,
        inputs: op.inputs.map((t) => (t < 0 ? undefined : infos[t])),
        outputs: op.outputs.map((t) => infos[t]!),
        intermediates: op.intermediates.map((t) => infos[t]!),
        attrs: attrs as KernelContext['attrs'],
        flavour: 'tflm',
      };
      kernel.prepare(ctx)(
        op.inputs.map((t) => (t < 0 ? undefined : values[t])),
        op.outputs.map((t) => values[t]!),
      );
    }
    const out = values[sg.outputs[0]!]!.data as Int8Array;
    const golden = new Int8Array(readFileSync(`${DTLN}/golden_ref.int8.bin`));
    let differ = 0;
    golden.forEach((g, i) => (differ += g === out[i] ? 0 : 1));
    expect(differ).toBe(0);
  });
});
