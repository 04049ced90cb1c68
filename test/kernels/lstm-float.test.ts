/**
 * Float LSTM kernels (`tfl.unidirectional_sequence_lstm`, `tfl.bidirectional_sequence_lstm`) against an
 * independent, straightforward float64 LSTM written here from the textbook equations:
 *   i = σ(W_i x + R_i h + p_i∘c + b_i)   (CIFG: i = 1 - f)       [layer norm: σ(ln_i ∘ norm(W_i x + R_i h + p_i∘c) + b_i)]
 *   f = σ(W_f x + R_f h + p_f∘c + b_f)
 *   g = act(W_c x + R_c h + b_c),  c' = clip(f∘c + i∘g, cell_clip)
 *   o = σ(W_o x + R_o h + p_o∘c' + b_o),  m = o∘act(c'),  h' = clip(P m + p_b, proj_clip) or m.
 * The kernels compute in float32, so they agree to ~1e-6.
 */
import { describe, expect, it } from 'vitest';
import type { DType, KernelContext, KernelFlavour, Tensor, TensorInfo } from '../../src/interp/kernel.js';
import { KernelError } from '../../src/interp/kernel.js';
import { lstmKernels } from '../../dialects/tfl/kernels/lstm/index.js';

const uni = lstmKernels.find((k) => k.op === 'tfl.unidirectional_sequence_lstm')!;
const bidi = lstmKernels.find((k) => k.op === 'tfl.bidirectional_sequence_lstm')!;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

interface Cfg {
  nBatch: number;
  maxTime: number;
  nInput: number;
  nCell: number;
  nOutput: number;
  timeMajor: boolean;
  cifg: boolean;
  peephole: boolean;
  layerNorm: boolean;
  projection: boolean;
  projBias: boolean;
  cellClip: number;
  projClip: number;
  activation: string;
}

const BASE: Cfg = {
  nBatch: 2,
  maxTime: 4,
  nInput: 3,
  nCell: 5,
  nOutput: 5,
  timeMajor: false,
  cifg: false,
  peephole: false,
  layerNorm: false,
  projection: false,
  projBias: false,
  cellClip: 0,
  projClip: 0,
  activation: 'TANH',
};

/** Float32 weights of one cell, keyed like the 24 TFLite operands. */
interface Weights {
  iw: (Float32Array | undefined)[];
  rw: (Float32Array | undefined)[];
  pw: (Float32Array | undefined)[]; // [input, forget, -, output]
  b: (Float32Array | undefined)[];
  ln: (Float32Array | undefined)[];
  proj?: Float32Array;
  projBias?: Float32Array;
}

function makeWeights(c: Cfg, seed: number): Weights {
  const r = rng(seed);
  const v = (n: number, s: number): Float32Array => Float32Array.from({ length: n }, () => (r() * 2 - 1) * s);
  const w: Weights = { iw: [], rw: [], pw: [], b: [], ln: [] };
  for (let g = 0; g < 4; g++) {
    const present = !(g === 0 && c.cifg);
    w.iw.push(present ? v(c.nCell * c.nInput, 0.6) : undefined);
    w.rw.push(present ? v(c.nCell * c.nOutput, 0.6) : undefined);
    w.pw.push(present && c.peephole && g !== 2 ? v(c.nCell, 0.5) : undefined);
    w.b.push(present ? v(c.nCell, 0.5) : undefined);
    w.ln.push(present && c.layerNorm ? Float32Array.from({ length: c.nCell }, () => 0.5 + r()) : undefined);
  }
  if (c.projection) {
    w.proj = v(c.nOutput * c.nCell, 0.6);
    if (c.projBias) w.projBias = v(c.nOutput, 0.3);
  }
  return w;
}

function act(name: string, x: number): number {
  switch (name) {
    case 'TANH':
      return Math.tanh(x);
    case 'SIGMOID':
      return 1 / (1 + Math.exp(-x));
    case 'RELU':
      return Math.max(0, x);
    case 'RELU6':
      return Math.min(6, Math.max(0, x));
    case 'NONE':
      return x;
    default:
      throw new Error(name);
  }
}
const sig = (x: number): number => 1 / (1 + Math.exp(-x));

/** Reference: one direction over a [time][batch][input] view; h/c are updated in place. */
function refDirection(
  c: Cfg,
  w: Weights,
  xAt: (t: number, b: number, k: number) => number,
  h: Float64Array,
  cs: Float64Array,
  forward: boolean,
  emit: (t: number, b: number, k: number, v: number) => void,
  hiddenAct = c.activation,
): void {
  const { nCell, nOutput, nInput } = c;
  for (let tt = 0; tt < c.maxTime; tt++) {
    const t = forward ? tt : c.maxTime - 1 - tt;
    for (let b = 0; b < c.nBatch; b++) {
      const pre = (g: number, cellForPeephole: Float64Array): number[] => {
        const z: number[] = [];
        for (let r = 0; r < nCell; r++) {
          let s = 0;
          for (let k = 0; k < nInput; k++) s += w.iw[g]![r * nInput + k]! * xAt(t, b, k);
          for (let k = 0; k < nOutput; k++) s += w.rw[g]![r * nOutput + k]! * h[b * nOutput + k]!;
          if (w.pw[g]) s += w.pw[g]![r]! * cellForPeephole[b * nCell + r]!;
          z.push(s);
        }
        if (w.ln[g]) {
          const mean = z.reduce((a, v) => a + v, 0) / nCell;
          const variance = z.reduce((a, v) => a + (v - mean) ** 2, 0) / nCell;
          return z.map((v, r) => ((v - mean) / Math.sqrt(variance + 1e-8)) * w.ln[g]![r]! + w.b[g]![r]!);
        }
        return z.map((v, r) => v + w.b[g]![r]!);
      };
      const f = pre(1, cs).map(sig);
      const i = c.cifg ? f.map((v) => 1 - v) : pre(0, cs).map(sig);
      const g = pre(2, cs).map((v) => act(c.activation, v));
      for (let r = 0; r < nCell; r++) {
        let v = f[r]! * cs[b * nCell + r]! + i[r]! * g[r]!;
        if (c.cellClip > 0) v = Math.max(-c.cellClip, Math.min(c.cellClip, v));
        cs[b * nCell + r] = v;
      }
      const o = pre(3, cs).map(sig);
      const m = o.map((v, r) => v * act(hiddenAct, cs[b * nCell + r]!));
      for (let k = 0; k < nOutput; k++) {
        let v: number;
        if (w.proj) {
          v = w.projBias ? w.projBias[k]! : 0;
          for (let r = 0; r < nCell; r++) v += w.proj[k * nCell + r]! * m[r]!;
          if (c.projClip > 0) v = Math.max(-c.projClip, Math.min(c.projClip, v));
        } else {
          v = m[k]!;
        }
        h[b * nOutput + k] = v;
        emit(t, b, k, v);
      }
    }
  }
}

function info(name: string, shape: number[], data?: Float32Array, isVariable = false): TensorInfo {
  return { name, dtype: 'f32' as DType, shape, ...(data ? { data } : {}), isVariable };
}

/** Operand list of one cell at the given operand indices. */
function cellOperands(c: Cfg, w: Weights, into: (TensorInfo | undefined)[], base: number, tag: string): void {
  for (let g = 0; g < 4; g++) {
    if (w.iw[g]) into[base + g] = info(`${tag}iw${g}`, [c.nCell, c.nInput], w.iw[g]);
    if (w.rw[g]) into[base + 4 + g] = info(`${tag}rw${g}`, [c.nCell, c.nOutput], w.rw[g]);
    if (w.pw[g]) into[base + 8 + (g === 3 ? 2 : g)] = info(`${tag}pw${g}`, [c.nCell], w.pw[g]);
    if (w.b[g]) into[base + 11 + g] = info(`${tag}b${g}`, [c.nCell], w.b[g]);
  }
  if (w.proj) into[base + 15] = info(`${tag}pw`, [c.nOutput, c.nCell], w.proj);
  if (w.projBias) into[base + 16] = info(`${tag}pb`, [c.nOutput], w.projBias);
}

function uniCtx(c: Cfg, w: Weights, flavour: KernelFlavour): KernelContext {
  const inputs: (TensorInfo | undefined)[] = new Array(24).fill(undefined);
  const inShape = c.timeMajor ? [c.maxTime, c.nBatch, c.nInput] : [c.nBatch, c.maxTime, c.nInput];
  inputs[0] = info('x', inShape);
  cellOperands(c, w, inputs, 1, '');
  for (let g = 0; g < 4; g++) if (w.ln[g]) inputs[20 + g] = info(`ln${g}`, [c.nCell], w.ln[g]);
  inputs[18] = info('h', [c.nBatch, c.nOutput], undefined, true);
  inputs[19] = info('c', [c.nBatch, c.nCell], undefined, true);
  const outShape = c.timeMajor ? [c.maxTime, c.nBatch, c.nOutput] : [c.nBatch, c.maxTime, c.nOutput];
  return {
    op: 'tfl.unidirectional_sequence_lstm',
    where: 'test',
    inputs,
    outputs: [info('out', outShape)],
    intermediates: [],
    attrs: { fused_activation_function: c.activation, cell_clip: c.cellClip, proj_clip: c.projClip, time_major: c.timeMajor },
    flavour,
  };
}

function runUni(c: Cfg, w: Weights, flavour: KernelFlavour, xs: Float32Array[]): { outs: Float32Array[]; h: Float32Array; c: Float32Array } {
  const ctx = uniCtx(c, w, flavour);
  const fn = uni.prepare(ctx);
  const h = new Float32Array(c.nBatch * c.nOutput);
  const cs = new Float32Array(c.nBatch * c.nCell);
  const outs = xs.map((x) => {
    const ts: (Tensor | undefined)[] = ctx.inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined));
    ts[0] = { dtype: 'f32', shape: ctx.inputs[0]!.shape, data: x };
    ts[18] = { dtype: 'f32', shape: ctx.inputs[18]!.shape, data: h };
    ts[19] = { dtype: 'f32', shape: ctx.inputs[19]!.shape, data: cs };
    const out = new Float32Array(c.nBatch * c.maxTime * c.nOutput);
    fn(ts, [{ dtype: 'f32', shape: ctx.outputs[0]!.shape, data: out }]);
    return out;
  });
  return { outs, h, c: cs };
}

function refUni(c: Cfg, w: Weights, xs: Float32Array[], hiddenAct?: string): { outs: Float64Array[]; h: Float64Array; c: Float64Array } {
  const h = new Float64Array(c.nBatch * c.nOutput);
  const cs = new Float64Array(c.nBatch * c.nCell);
  const idx = (t: number, b: number): number => (c.timeMajor ? t * c.nBatch + b : b * c.maxTime + t);
  const outs = xs.map((x) => {
    const out = new Float64Array(c.nBatch * c.maxTime * c.nOutput);
    refDirection(
      c,
      w,
      (t, b, k) => x[idx(t, b) * c.nInput + k]!,
      h,
      cs,
      true,
      (t, b, k, v) => (out[idx(t, b) * c.nOutput + k] = v),
      hiddenAct,
    );
    return out;
  });
  return { outs, h, c: cs };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function inputs(c: Cfg, seed: number, n: number): Float32Array[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: c.nBatch * c.maxTime * c.nInput }, () => r() * 2 - 1));
}

const CASES: [string, Partial<Cfg>][] = [
  ['plain, batch-major', {}],
  ['time-major', { timeMajor: true }],
  ['CIFG', { cifg: true }],
  ['peephole', { peephole: true }],
  ['CIFG + peephole', { cifg: true, peephole: true }],
  ['layer norm', { layerNorm: true }],
  ['CIFG + layer norm', { cifg: true, layerNorm: true }],
  ['projection without bias', { projection: true, nOutput: 3 }],
  ['projection with bias and proj_clip', { projection: true, projBias: true, nOutput: 3, projClip: 0.2 }],
  ['cell_clip', { cellClip: 0.3 }],
  ['everything, time-major', { timeMajor: true, cifg: true, peephole: true, layerNorm: true, projection: true, projBias: true, nOutput: 2, cellClip: 0.8, projClip: 0.4 }],
  ['SIGMOID cell activation', { activation: 'SIGMOID' }],
  ['RELU cell activation', { activation: 'RELU' }],
];

describe('float tfl.unidirectional_sequence_lstm vs an independent float64 LSTM', () => {
  CASES.forEach(([name, over], k) => {
    it(`${name}: outputs and states within 2e-6, state persists across two invokes`, () => {
      const c = { ...BASE, ...over };
      const w = makeWeights(c, 1000 + k);
      const xs = inputs(c, 2000 + k, 2);
      const got = runUni(c, w, 'tflite', xs);
      const want = refUni(c, w, xs);
      for (let i = 0; i < xs.length; i++) expect(maxDiff(got.outs[i]!, want.outs[i]!)).toBeLessThan(2e-6);
      expect(maxDiff(got.h, want.h)).toBeLessThan(2e-6);
      expect(maxDiff(got.c, want.c)).toBeLessThan(2e-6);
      if (c.cellClip > 0) expect(Math.max(...Array.from(got.c, Math.abs))).toBeLessThanOrEqual(c.cellClip);
    });
  });

  it("tflm flavour: SIGMOID cell gate but the hidden state always goes through tanh (TFLM's UpdateLstmHidden)", () => {
    const c = { ...BASE, activation: 'SIGMOID' };
    const w = makeWeights(c, 7);
    const xs = inputs(c, 8, 1);
    const got = runUni(c, w, 'tflm', xs);
    expect(maxDiff(got.outs[0]!, refUni(c, w, xs, 'TANH').outs[0]!)).toBeLessThan(2e-6);
    expect(maxDiff(got.outs[0]!, refUni(c, w, xs, 'SIGMOID').outs[0]!)).toBeGreaterThan(1e-2);
  });

  it('tflm flavour rejects cell activations other than TANH/SIGMOID; tflite accepts them', () => {
    const c = { ...BASE, activation: 'RELU' };
    const w = makeWeights(c, 9);
    expect(() => uni.prepare(uniCtx(c, w, 'tflm'))).toThrow(KernelError);
    expect(() => uni.prepare(uniCtx(c, w, 'tflite'))).not.toThrow();
  });

  it('missing fused_activation_function means NONE (the flatbuffer default)', () => {
    const c = { ...BASE, activation: 'NONE' };
    const w = makeWeights(c, 11);
    const ctx = uniCtx(c, w, 'tflite');
    const attrs = { ...ctx.attrs };
    delete (attrs as Record<string, unknown>)['fused_activation_function'];
    const fn = uni.prepare({ ...ctx, attrs });
    const x = inputs(c, 12, 1)[0]!;
    const ts: (Tensor | undefined)[] = ctx.inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined));
    ts[0] = { dtype: 'f32', shape: ctx.inputs[0]!.shape, data: x };
    ts[18] = { dtype: 'f32', shape: [2, 5], data: new Float32Array(10) };
    ts[19] = { dtype: 'f32', shape: [2, 5], data: new Float32Array(10) };
    const out = new Float32Array(40);
    fn(ts, [{ dtype: 'f32', shape: ctx.outputs[0]!.shape, data: out }]);
    expect(maxDiff(out, refUni(c, w, [x]).outs[0]!)).toBeLessThan(2e-6);
  });

  it('rejects structurally invalid operand sets (CIFG half-present, projection bias alone, bad shapes)', () => {
    const c = { ...BASE };
    const w = makeWeights(c, 13);
    const ctx = uniCtx(c, w, 'tflite');
    const noR2I = [...ctx.inputs];
    noR2I[5] = undefined;
    expect(() => uni.prepare({ ...ctx, inputs: noR2I })).toThrow(KernelError);
    const pbOnly = [...ctx.inputs];
    pbOnly[17] = info('pb', [c.nOutput], new Float32Array(c.nOutput));
    expect(() => uni.prepare({ ...ctx, inputs: pbOnly })).toThrow(KernelError);
    const badW = [...ctx.inputs];
    badW[2] = info('w', [c.nCell + 1, c.nInput], new Float32Array((c.nCell + 1) * c.nInput));
    expect(() => uni.prepare({ ...ctx, inputs: badW })).toThrow(KernelError);
    expect(() => uni.prepare({ ...ctx, attrs: { ...ctx.attrs, diagonal_recurrent_tensors: true } })).toThrow(KernelError);
    expect(() => uni.prepare({ ...ctx, attrs: { ...ctx.attrs, cell_clip: -1 } })).toThrow(KernelError);
  });

  it('rejects hybrid LSTMs (float input, int8 weights)', () => {
    const c = { ...BASE };
    const ctx = uniCtx(c, makeWeights(c, 14), 'tflite');
    const hybrid = [...ctx.inputs];
    hybrid[4] = { ...hybrid[4]!, dtype: 'i8', data: new Int8Array(c.nCell * c.nInput) };
    expect(() => uni.prepare({ ...ctx, inputs: hybrid })).toThrow(KernelError);
  });
});

// ---------------------------------------------------------------------------------------------

interface BidiOpts {
  merge: boolean;
  aux?: 'nonstacking' | 'cross';
}

function bidiCase(c: Cfg, fwW: Weights, bwW: Weights, o: BidiOpts, seed: number) {
  const inputs: (TensorInfo | undefined)[] = new Array(48).fill(undefined);
  const inShape = c.timeMajor ? [c.maxTime, c.nBatch, c.nInput] : [c.nBatch, c.maxTime, c.nInput];
  inputs[0] = info('x', inShape);
  cellOperands(c, fwW, inputs, 1, 'fw');
  cellOperands(c, bwW, inputs, 18, 'bw');
  inputs[35] = info('fwh', [c.nBatch, c.nOutput], undefined, true);
  inputs[36] = info('fwc', [c.nBatch, c.nCell], undefined, true);
  inputs[37] = info('bwh', [c.nBatch, c.nOutput], undefined, true);
  inputs[38] = info('bwc', [c.nBatch, c.nCell], undefined, true);
  const r = rng(seed);
  const auxW: (Float32Array | undefined)[][] = [[], []];
  if (o.aux) inputs[39] = info('aux', inShape);
  if (o.aux === 'cross') {
    for (let d = 0; d < 2; d++) {
      for (let g = 0; g < 4; g++) {
        const present = !(g === 0 && c.cifg);
        const a = present ? Float32Array.from({ length: c.nCell * c.nInput }, () => r() - 0.5) : undefined;
        auxW[d]!.push(a);
        if (a) inputs[40 + 4 * d + g] = info(`aux${d}${g}`, [c.nCell, c.nInput], a);
      }
    }
  }
  const rows = [inShape[0]!, inShape[1]!];
  const outputs = o.merge ? [info('out', [...rows, 2 * c.nOutput])] : [info('fo', [...rows, c.nOutput]), info('bo', [...rows, c.nOutput])];
  const ctx: KernelContext = {
    op: 'tfl.bidirectional_sequence_lstm',
    where: 'test',
    inputs,
    outputs,
    intermediates: [],
    attrs: { fused_activation_function: c.activation, cell_clip: c.cellClip, proj_clip: c.projClip, merge_outputs: o.merge, time_major: c.timeMajor },
    flavour: 'tflite',
  };
  return { ctx, auxW };
}

describe('float tfl.bidirectional_sequence_lstm vs the float64 reference run forward and backward', () => {
  const BCASES: [string, Partial<Cfg>, BidiOpts][] = [
    ['separate outputs, time-major', { timeMajor: true }, { merge: false }],
    ['merged outputs, time-major', { timeMajor: true }, { merge: true }],
    ['merged outputs, batch-major', {}, { merge: true }],
    ['peephole + projection, separate outputs', { timeMajor: true, peephole: true, projection: true, projBias: true, nOutput: 3 }, { merge: false }],
    ['non-stacking aux input (backward reads the aux input)', { timeMajor: true }, { merge: true, aux: 'nonstacking' }],
    ['cross-linked aux input (both add W_aux·aux)', {}, { merge: false, aux: 'cross' }],
  ];
  BCASES.forEach(([name, over, o], k) => {
    it(name, () => {
      const c = { ...BASE, ...over };
      const fwW = makeWeights(c, 300 + k);
      const bwW = makeWeights(c, 400 + k);
      const { ctx, auxW } = bidiCase(c, fwW, bwW, o, 500 + k);
      const fn = bidi.prepare(ctx);
      const [x, auxX] = inputs(c, 600 + k, 2) as [Float32Array, Float32Array];
      const ts: (Tensor | undefined)[] = ctx.inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined));
      ts[0] = { dtype: 'f32', shape: ctx.inputs[0]!.shape, data: x };
      if (o.aux) ts[39] = { dtype: 'f32', shape: ctx.inputs[39]!.shape, data: auxX };
      for (const i of [35, 36, 37, 38]) ts[i] = { dtype: 'f32', shape: ctx.inputs[i]!.shape, data: new Float32Array(ctx.inputs[i]!.shape.reduce((a, b) => a * b, 1)) };
      const outs = ctx.outputs.map((t) => ({ dtype: 'f32' as DType, shape: t.shape, data: new Float32Array(t.shape.reduce((a, b) => a * b, 1)) }));
      fn(ts, outs);

      // Reference.
      const idx = (t: number, b: number): number => (c.timeMajor ? t * c.nBatch + b : b * c.maxTime + t);
      const lead = o.merge ? 2 * c.nOutput : c.nOutput;
      const wantF = new Float64Array(outs[0]!.data.length);
      const wantB = new Float64Array(o.merge ? 0 : outs[1]!.data.length);
      // The cross-linked aux contribution is added by extending the input with the aux input and the
      // weights with the aux weights (W x + W_aux a = [W W_aux]·[x; a]).
      const extend = (w: Weights, aw: (Float32Array | undefined)[]): [Cfg, Weights] => {
        if (o.aux !== 'cross') return [c, w];
        const n2 = 2 * c.nInput;
        const iw = w.iw.map((m, g) => {
          if (!m) return undefined;
          const e = new Float32Array(c.nCell * n2);
          for (let r = 0; r < c.nCell; r++) {
            for (let k = 0; k < c.nInput; k++) {
              e[r * n2 + k] = m[r * c.nInput + k]!;
              e[r * n2 + c.nInput + k] = aw[g]![r * c.nInput + k]!;
            }
          }
          return e;
        });
        return [{ ...c, nInput: n2 }, { ...w, iw }];
      };
      const xv = (src: Float32Array) => (t: number, b: number, k: number) => src[idx(t, b) * c.nInput + k]!;
      const xCat = (t: number, b: number, k: number): number => (k < c.nInput ? xv(x)(t, b, k) : xv(auxX)(t, b, k - c.nInput));
      const [cf, wf] = extend(fwW, auxW[0]!);
      const [cb, wb] = extend(bwW, auxW[1]!);
      refDirection(cf, wf, o.aux === 'cross' ? xCat : xv(x), new Float64Array(c.nBatch * c.nOutput), new Float64Array(c.nBatch * c.nCell), true, (t, b, k, v) => (wantF[idx(t, b) * lead + k] = v));
      const bwIn = o.aux === 'nonstacking' ? xv(auxX) : o.aux === 'cross' ? xCat : xv(x);
      refDirection(cb, wb, bwIn, new Float64Array(c.nBatch * c.nOutput), new Float64Array(c.nBatch * c.nCell), false, (t, b, k, v) => {
        if (o.merge) wantF[idx(t, b) * lead + c.nOutput + k] = v;
        else wantB[idx(t, b) * c.nOutput + k] = v;
      });
      expect(maxDiff(outs[0]!.data, wantF)).toBeLessThan(2e-6);
      if (!o.merge) expect(maxDiff(outs[1]!.data, wantB)).toBeLessThan(2e-6);
    });
  });

  it('time_major defaults to true for the bidirectional op (schema default), false for the unidirectional one', () => {
    const c = { ...BASE, timeMajor: true, nBatch: 2, maxTime: 2 };
    const { ctx } = bidiCase(c, makeWeights(c, 1), makeWeights(c, 2), { merge: true }, 3);
    const x = inputs(c, 4, 1)[0]!;
    const runWith = (attrs: KernelContext['attrs']): Float32Array => {
      const fn = bidi.prepare({ ...ctx, attrs });
      const ts: (Tensor | undefined)[] = ctx.inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined));
      ts[0] = { dtype: 'f32', shape: ctx.inputs[0]!.shape, data: x };
      for (const i of [35, 36, 37, 38]) ts[i] = { dtype: 'f32', shape: ctx.inputs[i]!.shape, data: new Float32Array(10) };
      const out = new Float32Array(40);
      fn(ts, [{ dtype: 'f32', shape: ctx.outputs[0]!.shape, data: out }]);
      return out;
    };
    const noAttr = { ...ctx.attrs } as Record<string, unknown>;
    delete noAttr['time_major'];
    const dflt = runWith(noAttr as KernelContext['attrs']);
    expect(Array.from(dflt)).toEqual(Array.from(runWith({ ...ctx.attrs, time_major: true })));
    expect(maxDiff(dflt, runWith({ ...ctx.attrs, time_major: false }))).toBeGreaterThan(1e-3);
    // Unidirectional: the default is batch-major.
    const u = { ...BASE, nBatch: 2, maxTime: 2 };
    const w = makeWeights(u, 5);
    const uctx = uniCtx(u, w, 'tflite');
    const uAttrs = { ...uctx.attrs } as Record<string, unknown>;
    delete uAttrs['time_major'];
    const xs = inputs(u, 6, 1);
    const run1 = (a: KernelContext['attrs']): Float32Array => {
      const fn = uni.prepare({ ...uctx, attrs: a });
      const ts: (Tensor | undefined)[] = uctx.inputs.map((t) => (t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined));
      ts[0] = { dtype: 'f32', shape: uctx.inputs[0]!.shape, data: xs[0]! };
      ts[18] = { dtype: 'f32', shape: [2, 5], data: new Float32Array(10) };
      ts[19] = { dtype: 'f32', shape: [2, 5], data: new Float32Array(10) };
      const out = new Float32Array(20);
      fn(ts, [{ dtype: 'f32', shape: uctx.outputs[0]!.shape, data: out }]);
      return out;
    };
    expect(Array.from(run1(uAttrs as KernelContext['attrs']))).toEqual(Array.from(run1({ ...uctx.attrs, time_major: false })));
  });

  it('rejects forward/backward cells of different sizes and cross-linked aux inputs of another width', () => {
    const c = { ...BASE, timeMajor: true };
    const c2 = { ...c, nCell: 4, nOutput: 4 };
    const { ctx } = bidiCase(c, makeWeights(c, 1), makeWeights(c, 2), { merge: false }, 3);
    const mixed = [...ctx.inputs];
    const w2 = makeWeights(c2, 4);
    for (let i = 18; i <= 34; i++) mixed[i] = undefined;
    cellOperands(c2, w2, mixed, 18, 'bw');
    mixed[37] = info('bwh', [c.nBatch, 4], undefined, true);
    mixed[38] = info('bwc', [c.nBatch, 4], undefined, true);
    expect(() => bidi.prepare({ ...ctx, inputs: mixed, outputs: [ctx.outputs[0]!, info('bo', [c.maxTime, c.nBatch, 4])] })).toThrow(KernelError);
    const cross = bidiCase(c, makeWeights(c, 5), makeWeights(c, 6), { merge: true, aux: 'cross' }, 7).ctx;
    const wide = [...cross.inputs];
    wide[39] = info('aux', [c.maxTime, c.nBatch, c.nInput + 1]);
    for (let i = 40; i < 48; i++) if (wide[i]) wide[i] = info(`a${i}`, [c.nCell, c.nInput + 1], new Float32Array(c.nCell * (c.nInput + 1)));
    expect(() => bidi.prepare({ ...cross, inputs: wide })).toThrow(KernelError);
  });
});
