/**
 * Unit tests of tfl.svdf (dialects/tfl/kernels/svdf.ts). The integer kernel is checked against an
 * independent model written here — a sliding window of past activations (no in-place state shift)
 * with a BigInt MultiplyByQuantizedMultiplier — and against outputs recorded from tfjs-tflite
 * (TFLite 2.12 builtin kernels). The float kernel is checked bit-exactly against recorded
 * tfjs-tflite outputs and loosely against float64 math. When the oracle and the corpus are
 * present, every SVDF of keyword_scrambled.tflite is compared with TFLite over 25 invokes.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { svdfKernel, svdfKernels } from '../../dialects/tfl/kernels/svdf.js';
import { quantizeMultiplier } from '../../src/interp/fixedpoint.js';
import { type DType, type KernelContext, type KernelFn, type Tensor, type TensorInfo, type TypedArray, KernelError, allocTyped } from '../../src/interp/kernel.js';

const f32 = Math.fround;
const ti = (dtype: DType, shape: number[], data?: TypedArray, q?: { scale: number; zp: number }, isVariable = false): TensorInfo => ({
  name: 't',
  dtype,
  shape,
  data,
  isVariable,
  quant: q ? { scale: [q.scale], zeroPoint: [q.zp], axis: -1, storageMin: -32768, storageMax: 32767 } : undefined,
});
const ctxOf = (inputs: (TensorInfo | undefined)[], output: TensorInfo, attrs: KernelContext['attrs'], flavour: 'tflite' | 'tflm' = 'tflite'): KernelContext => ({
  op: 'tfl.svdf',
  where: 'test',
  inputs,
  outputs: [output],
  intermediates: [],
  attrs,
  flavour,
});

/** Runs a prepared SVDF over several invokes, keeping the variable state between them. */
function runSteps(
  inputs: (TensorInfo | undefined)[],
  output: TensorInfo,
  attrs: KernelContext['attrs'],
  steps: TypedArray[],
  flavour: 'tflite' | 'tflm' = 'tflite',
  states?: number[][],
): TypedArray[] {
  const fn: KernelFn = svdfKernel.prepare(ctxOf(inputs, output, attrs, flavour));
  const st = inputs[4]!;
  const state: Tensor = { dtype: st.dtype, shape: st.shape, data: allocTyped(st.dtype, st.shape[0]! * st.shape[1]!) };
  return steps.map((x) => {
    const y = allocTyped(output.dtype, output.shape[0]! * output.shape[1]!);
    fn(
      inputs.map((t, i) => (i === 0 ? { dtype: t!.dtype, shape: t!.shape, data: x } : i === 4 ? state : t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined)),
      [{ dtype: output.dtype, shape: output.shape, data: y }],
    );
    states?.push(Array.from(state.data as Int16Array, Number));
    return y;
  });
}

/** gemmlowp SaturatingRoundingDoublingHighMul + RoundingDivideByPOT, in BigInt (independent of fixedpoint.ts). */
function mbqmRef(x: number, m: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const a = BigInt.asIntN(32, BigInt(x) << BigInt(left));
  const b = BigInt(m);
  let hi: bigint;
  if (a === -2147483648n && b === -2147483648n) hi = 2147483647n;
  else {
    const ab = a * b;
    hi = (ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n))) / (1n << 31n);
  }
  if (right === 0) return Number(hi);
  const mask = (1n << BigInt(right)) - 1n;
  const threshold = (mask >> 1n) + (hi < 0n ? 1n : 0n);
  return Number((hi >> BigInt(right)) + ((hi & mask) > threshold ? 1n : 0n));
}

interface IntCase {
  batch: number;
  nIn: number;
  units: number;
  rank: number;
  mem: number;
  sIn: number;
  zpIn: number;
  sWf: number;
  sWt: number;
  sSt: number;
  sOut: number;
  zpOut: number;
  wf: Int8Array;
  wt: Int16Array | Int8Array;
  bias?: Int32Array;
  stZp?: number;
  stateBits?: 8 | 16;
}

/**
 * The sliding-window model: the newest `mem` feature activations per (batch, filter). Also records
 * the state TFLite keeps after each invoke (the window, oldest first, per filter) into `states`.
 */
function svdfIntRef(c: IntCase, steps: Int8Array[], states?: number[][]): number[][] {
  const nf = c.units * c.rank;
  const s1 = quantizeMultiplier(f32(f32(f32(c.sIn) * f32(c.sWf)) / f32(c.sSt)));
  const s2 = quantizeMultiplier(f32(f32(f32(c.sSt) * f32(c.sWt)) / f32(c.sOut)));
  const lim = c.stateBits === 8 ? 128 : 32768;
  const hist: number[][] = Array.from({ length: c.batch * nf }, () => new Array<number>(c.mem).fill(0));
  return steps.map((x) => {
    for (let b = 0; b < c.batch; b++) {
      for (let f = 0; f < nf; f++) {
        let dot = 0;
        for (let i = 0; i < c.nIn; i++) dot += c.wf[f * c.nIn + i]! * (x[b * c.nIn + i]! - c.zpIn);
        const a = Math.max(-lim, Math.min(lim - 1, mbqmRef(dot, s1.multiplier, s1.shift)));
        const h = hist[b * nf + f]!;
        h.shift();
        h.push(a);
      }
    }
    const out: number[] = [];
    for (let b = 0; b < c.batch; b++) {
      for (let u = 0; u < c.units; u++) {
        let acc = c.bias ? c.bias[u]! : 0;
        for (let r = 0; r < c.rank; r++) {
          const f = u * c.rank + r;
          for (let j = 0; j < c.mem; j++) acc += c.wt[f * c.mem + j]! * hist[b * nf + f]![j]!;
        }
        out.push(Math.max(-128, Math.min(127, mbqmRef(acc, s2.multiplier, s2.shift) + c.zpOut)));
      }
    }
    states?.push(hist.flat());
    return out;
  });
}

function intInputs(c: IntCase): (TensorInfo | undefined)[] {
  const nf = c.units * c.rank;
  const sd: DType = c.stateBits === 8 ? 'i8' : 'i16';
  return [
    ti('i8', [c.batch, c.nIn], undefined, { scale: c.sIn, zp: c.zpIn }),
    ti('i8', [nf, c.nIn], c.wf, { scale: c.sWf, zp: 0 }),
    ti(sd, [nf, c.mem], c.wt, { scale: c.sWt, zp: 0 }),
    c.bias ? ti('i32', [c.units], c.bias, { scale: f32(f32(c.sSt) * f32(c.sWt)), zp: 0 }) : undefined,
    ti(sd, [c.batch, c.mem * nf], undefined, { scale: c.sSt, zp: c.stZp ?? 0 }, true),
  ];
}

let seed = 2024;
const rnd = (lo: number, hi: number): number => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return lo + Math.floor((seed / 4294967296) * (hi - lo + 1));
};
const ints = (n: number, a: number, b: number, m: number): number[] => Array.from({ length: n }, (_, i) => ((i * a + b) % (2 * m + 1)) - m);
const flts = (n: number, a: number, b: number, k = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => f32(f32(Math.sin(i * a + b) * 1.5) * k));
const bits = (a: TypedArray): string[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (v) => '0x' + v.toString(16));

describe('tfl.svdf', () => {
  it('is the only kernel of svdf.ts', () => {
    expect(svdfKernels.map((k) => k.op)).toEqual(['tfl.svdf']);
  });

  it('integer: equals tfjs-tflite (TF 2.12) on a recorded rank-2, batch-2 case over 4 invokes', () => {
    const c: IntCase = {
      batch: 2,
      nIn: 3,
      units: 2,
      rank: 2,
      mem: 3,
      sIn: 0.25,
      zpIn: 3,
      sWf: 0.0078125,
      sWt: 0.000244140625,
      sSt: 0.01,
      sOut: 1.5,
      zpOut: -5,
      wf: Int8Array.from(ints(12, 37, 11, 127)),
      wt: Int16Array.from(ints(12, 7919, 101, 3000)),
      bias: Int32Array.of(150000, -250000),
    };
    const steps = [0, 1, 2, 3].map((s) => Int8Array.from(ints(6, 53 + s * 17, 5 + s, 128).map((v) => Math.max(-128, Math.min(127, v)))));
    const recorded = [
      [1, -6, -8, -5],
      [-5, -7, -2, -1],
      [-28, -6, 3, -17],
      [-23, -8, -14, 12],
    ];
    const got = runSteps(intInputs(c), ti('i8', [2, 2], undefined, { scale: c.sOut, zp: c.zpOut }), { rank: 2, fused_activation_function: 'RELU' }, steps);
    expect(got.map((y) => Array.from(y as Int8Array))).toEqual(recorded);
    expect(svdfIntRef(c, steps)).toEqual(recorded);
  });

  it('integer: matches the sliding-window BigInt model on 40 random configurations (saturation included)', () => {
    for (let k = 0; k < 40; k++) {
      const units = rnd(1, 8);
      const rank = rnd(1, 3);
      const nIn = rnd(1, 24);
      const mem = rnd(1, 10);
      const batch = rnd(1, 3);
      const nf = units * rank;
      const c: IntCase = {
        batch,
        nIn,
        units,
        rank,
        mem,
        sIn: 0.01 + rnd(0, 1000) / 20000,
        zpIn: rnd(-20, 20),
        sWf: 0.002 + rnd(0, 1000) / 100000,
        sWt: 0.0001 + rnd(0, 1000) / 1000000,
        // every third case uses a tiny state scale so the int16 feature clamp saturates
        sSt: k % 3 === 0 ? 0.00005 : 0.001 + rnd(0, 1000) / 50000,
        sOut: 0.01 + rnd(0, 1000) / 10000,
        zpOut: rnd(-10, 10),
        wf: Int8Array.from({ length: nf * nIn }, () => rnd(-127, 127)),
        wt: Int16Array.from({ length: nf * mem }, () => rnd(-32767, 32767)),
        bias: k % 4 === 0 ? undefined : Int32Array.from({ length: units }, () => rnd(-200000, 200000)),
      };
      const steps = Array.from({ length: 5 }, () => Int8Array.from({ length: batch * nIn }, () => rnd(-128, 127)));
      const gotStates: number[][] = [];
      const refStates: number[][] = [];
      const got = runSteps(intInputs(c), ti('i8', [batch, units], undefined, { scale: c.sOut, zp: c.zpOut }), { rank, fused_activation_function: 'RELU' }, steps, 'tflite', gotStates);
      const what = JSON.stringify({ units, rank, nIn, mem, batch });
      expect(
        got.map((y) => Array.from(y as Int8Array)),
        what,
      ).toEqual(svdfIntRef(c, steps, refStates));
      // the variable state after each invoke: the window of int16 activations per filter
      expect(gotStates, what).toEqual(refStates);
      if (k % 3 === 0) expect(refStates.flat().some((v) => Math.abs(v) === 32767 || v === -32768)).toBe(true);
    }
  });

  it('integer (tflm): i8 state and time weights with a state zero point', () => {
    const c: IntCase = {
      batch: 1,
      nIn: 4,
      units: 3,
      rank: 1,
      mem: 4,
      sIn: 0.05,
      zpIn: -2,
      sWf: 0.01,
      sWt: 0.02,
      sSt: 0.03,
      sOut: 0.04,
      zpOut: 1,
      wf: Int8Array.from(ints(12, 29, 3, 120)),
      wt: Int8Array.from(ints(12, 41, 7, 120)),
      bias: Int32Array.of(100, -300, 50),
      stZp: 0,
      stateBits: 8,
    };
    const steps = [0, 1, 2, 3, 4].map((s) => Int8Array.from(ints(4, 71 + s, 9 * s, 120)));
    const got = runSteps(intInputs(c), ti('i8', [1, 3], undefined, { scale: c.sOut, zp: c.zpOut }), { rank: 1 }, steps, 'tflm');
    expect(got.map((y) => Array.from(y as Int8Array))).toEqual(svdfIntRef(c, steps));
    // TFLite itself has no i8-state SVDF
    expect(() => svdfKernel.prepare(ctxOf(intInputs(c), ti('i8', [1, 3], undefined, { scale: c.sOut, zp: c.zpOut }), { rank: 1, fused_activation_function: 'RELU' }))).toThrow(KernelError);
  });

  it('integer: TFLite requires fused_activation_function RELU (and applies none)', () => {
    const c = intInputs({ batch: 1, nIn: 2, units: 1, rank: 1, mem: 2, sIn: 1, zpIn: 0, sWf: 1, sWt: 1, sSt: 1, sOut: 1, zpOut: 0, wf: Int8Array.of(1, 1), wt: Int16Array.of(1, 1) });
    const y = ti('i8', [1, 1], undefined, { scale: 1, zp: 0 });
    for (const act of ['NONE', 'RELU6', 'TANH']) expect(() => svdfKernel.prepare(ctxOf(c, y, { rank: 1, fused_activation_function: act }))).toThrow(/RELU/);
    // with RELU a negative result is still produced: TFLite clamps only to the int8 range
    const out = runSteps(c, y, { rank: 1, fused_activation_function: 'RELU' }, [Int8Array.of(-3, -4)]);
    expect(Array.from(out[0] as Int8Array)).toEqual([-7]);
  });

  it('float: equals tfjs-tflite bit for bit (TANH, rank 2, bias, 3 invokes)', () => {
    const inputs = [
      ti('f32', [2, 3]),
      ti('f32', [4, 3], flts(12, 0.7, 0.1, 0.3)),
      ti('f32', [4, 3], flts(12, 1.3, 0.2, 0.3)),
      ti('f32', [2], Float32Array.of(0.25, -0.5)),
      ti('f32', [2, 12], undefined, undefined, true),
    ];
    const steps = [0, 1, 2].map((s) => flts(6, 0.9, s));
    const got = runSteps(inputs, ti('f32', [2, 2]), { rank: 2, fused_activation_function: 'TANH' }, steps);
    expect(got.map(bits)).toEqual([
      ['0x3eb7f50e', '0x3e94c211', '0x3e4f8292', '0xbf4488a0'],
      ['0x3f406974', '0x3f03e3f1', '0xbee448dc', '0xbf6d5fca'],
      ['0x3f12d19a', '0xbf3bb7cb', '0xbef4198e', '0xbf286557'],
    ]);
  });

  it('float: close to float64 math for every activation; TFLM differs only in rounding', () => {
    const units = 3;
    const rank = 2;
    const mem = 4;
    const nIn = 5;
    const nf = units * rank;
    const wf = flts(nf * nIn, 0.37, 0.5, 0.4);
    const wt = flts(nf * mem, 0.91, 0.7, 0.4);
    const bias = flts(units, 1.7, 0.3, 0.3);
    const steps = [0, 1, 2, 3, 4, 5].map((s) => flts(nIn, 0.61, s));
    const act64: Record<string, (v: number) => number> = {
      NONE: (v) => v,
      RELU: (v) => Math.max(0, v),
      RELU6: (v) => Math.min(6, Math.max(0, v)),
      RELU_N1_TO_1: (v) => Math.min(1, Math.max(-1, v)),
      TANH: Math.tanh,
      SIGN_BIT: (v) => (v < 0 ? 1 : 0),
    };
    for (const act of Object.keys(act64)) {
      const hist = Array.from({ length: nf }, () => new Array<number>(mem).fill(0));
      const ref = steps.map((x) => {
        for (let f = 0; f < nf; f++) {
          let d = 0;
          for (let i = 0; i < nIn; i++) d += wf[f * nIn + i]! * x[i]!;
          hist[f]!.shift();
          hist[f]!.push(d);
        }
        return Array.from({ length: units }, (_, u) => {
          let s = bias[u]!;
          for (let r = 0; r < rank; r++) for (let j = 0; j < mem; j++) s += wt[(u * rank + r) * mem + j]! * hist[u * rank + r]![j]!;
          return act64[act]!(s);
        });
      });
      for (const flavour of ['tflite', 'tflm'] as const) {
        const inputs = [ti('f32', [1, nIn]), ti('f32', [nf, nIn], wf), ti('f32', [nf, mem], wt), ti('f32', [units], bias), ti('f32', [1, mem * nf], undefined, undefined, true)];
        const got = runSteps(inputs, ti('f32', [1, units]), { rank, fused_activation_function: act }, steps, flavour);
        got.forEach((y, s) => y.forEach((v, i) => expect(Math.abs(Number(v) - ref[s]![i]!), `${act} ${flavour} step ${s}`).toBeLessThan(2e-6)));
      }
    }
  });

  it('rejects hybrid, rank 0 and mismatched shapes', () => {
    const x = ti('f32', [1, 2]);
    const st = ti('f32', [1, 4], undefined, undefined, true);
    const y = ti('f32', [1, 2]);
    const hybrid = [x, ti('i8', [2, 2], new Int8Array(4), { scale: 0.1, zp: 0 }), ti('f32', [2, 2], new Float32Array(4)), undefined, st];
    expect(() => svdfKernel.prepare(ctxOf(hybrid, y, { rank: 1 }))).toThrow(/hybrid/);
    const ok = [x, ti('f32', [2, 2], new Float32Array(4)), ti('f32', [2, 2], new Float32Array(4)), undefined, st];
    expect(() => svdfKernel.prepare(ctxOf(ok, y, {}))).toThrow(/rank/);
    expect(() => svdfKernel.prepare(ctxOf(ok, ti('f32', [1, 1]), { rank: 1 }))).toThrow(/result/);
    expect(() => svdfKernel.prepare(ctxOf(ok, y, { rank: 1 }))).not.toThrow();
  });

  // Model-level check against real TFLite: every SVDF of keyword_scrambled.tflite (int8 in, int16
  // state, rank 1) fed with the exact input TFLite gave it, over 25 invokes of persistent state.
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const kws = path.resolve(repoRoot, '..', 'shared', 'corpus', 'keyword_scrambled', 'keyword_scrambled.tflite');
  const oracleDir = path.join(repoRoot, 'tools', 'oracle');
  const canRun = existsSync(kws) && existsSync(path.join(oracleDir, 'tfjs-tflite.ts'));
  it.skipIf(!canRun)('integer: equals TFLite on all 7 SVDFs of keyword_scrambled.tflite over 25 invokes', async () => {
    const { readModel, exposeTensors } = await import('../../tools/oracle/model-edit.js');
    const { isOracleAvailable, loadTfliteOracle } = await import('../../tools/oracle/tfjs-tflite.js');
    const { BuiltinOperator, TensorType } = await import('../../src/flatbuffer/generated/tflite_generated.js');
    if (!isOracleAvailable()) return;
    const bytes = new Uint8Array(readFileSync(kws));
    const model = readModel(bytes);
    const sg = model.subgraphs[0]!;
    const dt: Partial<Record<number, DType>> = { [TensorType.INT8]: 'i8', [TensorType.INT16]: 'i16', [TensorType.INT32]: 'i32' };
    const info = (i: number): TensorInfo | undefined => {
      if (i < 0) return undefined;
      const t = sg.tensors[i]!;
      const dtype = dt[t.type]!;
      const raw = model.buffers[t.buffer]?.data ?? [];
      const n = Array.from(t.shape).reduce((a, b) => a * b, 1);
      const buf = Uint8Array.from(raw).buffer;
      const data = raw.length === 0 ? undefined : dtype === 'i8' ? new Int8Array(buf, 0, n) : dtype === 'i16' ? new Int16Array(buf, 0, n) : new Int32Array(buf, 0, n);
      const q = t.quantization;
      return ti(dtype, Array.from(t.shape), data, q && q.scale.length > 0 ? { scale: q.scale[0]!, zp: Number(q.zeroPoint[0]!) } : undefined, t.isVariable);
    };
    const svdfs = sg.operators.filter((op) => {
      const code = model.operatorCodes[op.opcodeIndex]!;
      return Math.max(code.builtinCode, code.deprecatedBuiltinCode) === BuiltinOperator.SVDF;
    });
    expect(svdfs.length).toBe(7);
    const expose = svdfs.flatMap((op) => [op.inputs[0]!, op.outputs[0]!]);
    const oracle = await loadTfliteOracle();
    const runner = oracle.createRunner(exposeTensors(bytes, expose), { builtinOnly: true });
    const acts = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];
    const ours = svdfs.map((op) => {
      const opts = op.builtinOptions as { rank: number; fusedActivationFunction: number };
      const ins = Array.from(op.inputs, info);
      const fn = svdfKernel.prepare(ctxOf(ins, info(op.outputs[0]!)!, { rank: opts.rank, fused_activation_function: acts[opts.fusedActivationFunction]! }));
      const st = ins[4]!;
      const state: Tensor = { dtype: st.dtype, shape: st.shape, data: allocTyped(st.dtype, st.shape[1]!) };
      return { ins, fn, state };
    });
    const n = runner.inputs()[0]!.shape.reduce((a, b) => a * b, 1);
    let mismatches = 0;
    for (let step = 0; step < 25; step++) {
      const x = Int16Array.from({ length: n }, () => rnd(-20000, 20000));
      const outs = runner.run([x]);
      const base = outs.length - expose.length;
      ours.forEach((o, j) => {
        const xin = outs[base + 2 * j] as Int8Array;
        const yref = outs[base + 2 * j + 1] as Int8Array;
        const y = new Int8Array(yref.length);
        o.fn(
          o.ins.map((t, i) => (i === 0 ? { dtype: 'i8', shape: t!.shape, data: xin } : i === 4 ? o.state : t ? { dtype: t.dtype, shape: t.shape, data: t.data! } : undefined)),
          [{ dtype: 'i8', shape: [1, y.length], data: y }],
        );
        for (let i = 0; i < y.length; i++) if (y[i] !== yref[i]) mismatches++;
      });
    }
    runner.dispose();
    expect(mismatches).toBe(0);
  });
});
