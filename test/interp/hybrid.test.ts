/**
 * Hybrid (float32 activations, int8 weights) conv_2d / depthwise_conv_2d / fully_connected single-op
 * models, seeded, against real TFLite 2.12 (tfjs-tflite, builtin kernels): identical output bytes.
 * What TF 2.12 cannot judge (per-channel FC: it refuses op version 12) is checked for consistency.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findFunc, registerBuiltinDialects } from '../../dialects/builtin/index.js';
import { TflDialect } from '../../dialects/tfl/index.js';
import { tflKernels } from '../../dialects/tfl/kernels/index.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import type { KernelFlavour, TypedArray } from '../../src/interp/kernel.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { registerDialect } from '../../src/ir/registry.js';
import { verify } from '../../src/ir/verify.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { rng, sameBytes } from '../support/corpus.js';
import { type InputGen, type OperandSpec, type QSpec, type SingleOpCase, B, I, S, buildModule, caseInputs } from '../support/models.js';

registerBuiltinDialects();
registerDialect(TflDialect);

// ---------------------------------------------------------------------------------------------
// Case generation

type R = () => number;
const int = (r: R, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const scale = (r: R): number => Math.fround(Math.exp(Math.log(0.002) + (Math.log(0.05) - Math.log(0.002)) * r()));
const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** How the float input of a case is drawn. */
const INPUTS: Readonly<Record<string, (n: number) => InputGen>> = {
  unit: () => ({ kind: 'full' }), // [-1, 1)
  positive: () => ({ kind: 'range', lo: 0, hi: 3 }), // asymmetric zero point -128
  negative: () => ({ kind: 'range', lo: -2, hi: 0 }), // asymmetric zero point 127
  wide: () => ({ kind: 'range', lo: -40, hi: 25 }),
  zero: (n) => ({ kind: 'fixed', data: new Float32Array(n) }),
};

/** Weight quantization: one scale, the same scale per channel, or differing per-channel scales. */
type WQ = 'per-tensor' | 'equal-channels' | 'per-channel';

function weights(r: R, shape: readonly number[], channels: number, axis: number, wq: WQ): OperandSpec {
  const s = scale(r);
  const q: QSpec =
    wq === 'per-tensor'
      ? { scale: s, zeroPoint: 0 }
      : { scale: Array.from({ length: channels }, () => (wq === 'equal-channels' ? s : scale(r))), zeroPoint: new Array<number>(channels).fill(0), axis };
  const data = Int8Array.from({ length: prod(shape) }, () => int(r, -127, 127));
  return { kind: 'const', t: { dtype: 'i8', shape, q }, data };
}

function floatBias(r: R, n: number): OperandSpec {
  return { kind: 'const', t: { dtype: 'f32', shape: [n] }, data: Float32Array.from({ length: n }, () => Math.fround(r() * 2 - 1)) };
}

function outSize(padding: string, size: number, k: number, stride: number, dil: number): number {
  const ek = (k - 1) * dil + 1;
  return padding === 'SAME' ? Math.ceil(size / stride) : Math.floor((size - ek + stride) / stride);
}

const ACTS = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'] as const;

function convCases(r: R, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const grouped = i % 6 === 5;
    const wq = grouped ? 'per-channel' : (['per-tensor', 'per-channel', 'equal-channels', 'per-channel'] as const)[i % 4]!;
    const batch = int(r, 1, 3);
    const pointwise = i % 5 === 0; // 1x1, stride 1: no im2col
    const kh = pointwise ? 1 : int(r, 1, 4);
    const kw = pointwise ? 1 : int(r, 1, 4);
    const sh = pointwise ? 1 : int(r, 1, 3);
    const sw = pointwise ? 1 : int(r, 1, 3);
    const dh = !pointwise && r() < 0.25 ? 2 : 1;
    const dw = !pointwise && r() < 0.25 ? 2 : 1;
    const padding = pick(r, ['SAME', 'VALID']);
    const ih = int(r, (kh - 1) * dh + 1, 9);
    const iw = int(r, (kw - 1) * dw + 1, 9);
    const groups = grouped ? int(r, 2, 3) : 1;
    const fIn = int(r, 1, grouped ? 3 : 8);
    const inC = fIn * groups;
    const outC = groups * int(r, 1, grouped ? 3 : 8);
    const act = pick(r, ACTS);
    const gen = pick(r, Object.keys(INPUTS));
    const oh = outSize(padding, ih, kh, sh, dh);
    const ow = outSize(padding, iw, kw, sw, dw);
    out.push({
      id: `conv_2d hybrid ${wq} in=[${batch},${ih},${iw},${inC}] k=${kh}x${kw}x${fIn}x${outC}${grouped ? ` groups=${groups}` : ''} s=${sh},${sw} d=${dh},${dw} ${padding} ${act} input=${gen}`,
      family: 'conv',
      op: 'tfl.conv_2d',
      operands: [
        { kind: 'input', t: { dtype: 'f32', shape: [batch, ih, iw, inC] }, gen: INPUTS[gen]!(batch * ih * iw * inC) },
        weights(r, [outC, kh, kw, fIn], outC, 0, wq),
        floatBias(r, outC),
      ],
      results: [{ dtype: 'f32', shape: [batch, oh, ow, outC] }],
      attrs: { padding: S(padding), stride_h: I(sh), stride_w: I(sw), dilation_h_factor: I(dh), dilation_w_factor: I(dw), fused_activation_function: S(act) },
    });
  }
  return out;
}

function depthwiseCases(r: R, n: number): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    // A single scale only with one channel: TF 2.12 reads one scale per channel (see hybrid.ts).
    const oneChannel = i % 4 === 0;
    const wq: WQ = oneChannel ? 'per-tensor' : i % 4 === 1 ? 'equal-channels' : 'per-channel';
    const batch = int(r, 1, 3);
    const kh = int(r, 1, 4);
    const kw = int(r, 1, 4);
    const sh = int(r, 1, 3);
    const sw = int(r, 1, 3);
    const dh = r() < 0.25 ? 2 : 1;
    const dw = r() < 0.25 ? 2 : 1;
    const padding = pick(r, ['SAME', 'VALID']);
    const ih = int(r, (kh - 1) * dh + 1, 9);
    const iw = int(r, (kw - 1) * dw + 1, 9);
    const inC = oneChannel ? 1 : int(r, 1, 8);
    const mult = oneChannel ? 1 : pick(r, [1, 1, 2, 3]);
    const outC = inC * mult;
    const act = pick(r, ACTS);
    const gen = pick(r, Object.keys(INPUTS));
    const oh = outSize(padding, ih, kh, sh, dh);
    const ow = outSize(padding, iw, kw, sw, dw);
    out.push({
      id: `depthwise_conv_2d hybrid ${wq} in=[${batch},${ih},${iw},${inC}] k=${kh}x${kw} m=${mult} s=${sh},${sw} d=${dh},${dw} ${padding} ${act} input=${gen}`,
      family: 'depthwise',
      op: 'tfl.depthwise_conv_2d',
      operands: [
        { kind: 'input', t: { dtype: 'f32', shape: [batch, ih, iw, inC] }, gen: INPUTS[gen]!(batch * ih * iw * inC) },
        weights(r, [1, kh, kw, outC], outC, 3, wq),
        floatBias(r, outC),
      ],
      results: [{ dtype: 'f32', shape: [batch, oh, ow, outC] }],
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

/**
 * Per-tensor weights only, with at least two units: TF 2.12 cannot load a hybrid FULLY_CONNECTED whose
 * weights have one scale per unit (op version 12, which is also what one unit with one scale gets).
 */
function fullyConnectedCases(r: R, n: number, wq: WQ = 'per-tensor'): SingleOpCase[] {
  const out: SingleOpCase[] = [];
  for (let i = 0; i < n; i++) {
    const asymmetric = i % 2 === 1;
    const depth = r() < 0.1 ? int(r, 300, 1200) : int(r, 1, 40);
    const units = int(r, 2, 20);
    const keep = r() < 0.25;
    const lead = keep ? [int(r, 1, 3), int(r, 1, 3)] : [int(r, 1, 4)];
    const xShape = [...lead, depth];
    const yShape = keep ? [...lead, units] : [prod(lead), units];
    const act = pick(r, [...ACTS, 'SIGN_BIT']);
    const hasBias = r() > 0.2;
    const gen = pick(r, Object.keys(INPUTS));
    out.push({
      id: `fully_connected hybrid ${wq} ${asymmetric ? 'asymmetric' : 'symmetric'} x=[${xShape}] units=${units}${keep ? ' keep_num_dims' : ''} ${act}${hasBias ? '' : ' no-bias'} input=${gen}`,
      family: 'fully-connected',
      op: 'tfl.fully_connected',
      operands: [
        { kind: 'input', t: { dtype: 'f32', shape: xShape }, gen: INPUTS[gen]!(prod(xShape)) },
        weights(r, [units, depth], units, 0, wq),
        hasBias ? floatBias(r, units) : { kind: 'none' },
      ],
      results: [{ dtype: 'f32', shape: yShape }],
      attrs: { fused_activation_function: S(act), keep_num_dims: B(keep), weights_format: S('DEFAULT'), asymmetric_quantize_inputs: B(asymmetric) },
    });
  }
  return out;
}

/** The seeded hybrid cases. */
function generateHybridCases(seed: number): SingleOpCase[] {
  const r = rng(seed);
  return [...convCases(r, 60), ...depthwiseCases(r, 48), ...fullyConnectedCases(r, 64)];
}

// ---------------------------------------------------------------------------------------------
// Running

const CASES = generateHybridCases(7);
const FAMILIES = [...new Set(CASES.map((c) => c.family))];
const TRIALS = 2;

function firstDiff(expected: TypedArray, got: TypedArray): string | undefined {
  if (expected.length !== got.length) return `length ${got.length}, expected ${expected.length}`;
  if (sameBytes(expected, got)) return undefined;
  let n = 0;
  let first = -1;
  let max = 0;
  for (let i = 0; i < expected.length; i++) {
    if (Object.is(expected[i], got[i])) continue;
    n++;
    if (first < 0) first = i;
    max = Math.max(max, Math.abs(Number(expected[i]) - Number(got[i])));
  }
  return `${n}/${expected.length} elements differ (max |diff| ${max}); first at [${first}]: TFLite ${String(expected[first])}, qopt ${String(got[first])}`;
}

function interpreter(module: ReturnType<typeof buildModule>, flavour: KernelFlavour): Interpreter {
  return new Interpreter(findFunc(module, 'main')!, { kernels: tflKernels, flavour });
}

/** Runs one case in TFLite and qopt (from the IR and from the exported file); undefined = identical. */
function runCase(oracle: TfliteOracle, c: SingleOpCase): string | undefined {
  const module = buildModule(c);
  const diags = verify(module);
  if (diags.length > 0) return `IR does not verify: ${diags[0]!.message}`;
  const bytes = exportTflite(module);
  let runner;
  try {
    runner = oracle.createRunner(bytes, { builtinOnly: true });
  } catch (e) {
    return `TFLite rejects the model: ${(e as Error).message.split('\n')[0]}`;
  }
  try {
    const direct = interpreter(module, 'tflite');
    const reimported = interpreter(importTflite(bytes, `${c.id}.tflite`), 'tflite');
    const r = rng(42);
    for (let trial = 0; trial < TRIALS; trial++) {
      const inputs = caseInputs(c, r);
      const expected = runner.run(inputs);
      const got = direct.run(inputs);
      const again = reimported.run(inputs);
      for (let k = 0; k < expected.length; k++) {
        const roundTrip = firstDiff(got[k]!.data, again[k]!.data);
        if (roundTrip) return `output ${k}: the re-imported model differs from the IR: ${roundTrip}`;
        const d = firstDiff(expected[k]!, got[k]!.data);
        if (d) return `trial ${trial}, output ${k}: ${d}`;
      }
    }
    return undefined;
  } catch (e) {
    return `qopt: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    runner.dispose();
  }
}

describe('hybrid kernels', () => {
  it('the generator covers every op, both weight granularities, batches > 1 and both FC input quantizations', () => {
    expect(generateHybridCases(7).map((c) => c.id)).toEqual(CASES.map((c) => c.id));
    for (const op of ['conv_2d', 'depthwise_conv_2d', 'fully_connected']) {
      const granularities = op === 'fully_connected' ? ['per-tensor'] : ['per-tensor', 'per-channel', 'equal-channels'];
      for (const wq of granularities) expect(CASES.some((c) => c.id.startsWith(`${op} hybrid ${wq} `)), `${op} ${wq}`).toBe(true);
      expect(CASES.some((c) => c.id.startsWith(op) && /(in|x)=\[[23],/.test(c.id)), `${op} batch > 1`).toBe(true);
    }
    expect(CASES.some((c) => c.id.includes(' groups='))).toBe(true);
    for (const mode of ['symmetric', 'asymmetric']) expect(CASES.some((c) => c.id.includes(` ${mode} `))).toBe(true);
    expect(CASES.some((c) => c.id.endsWith('input=zero'))).toBe(true);
  });

  it('per-channel fully_connected (newer than TF 2.12) scales each unit by its own scale', () => {
    // Equal unit scales give the per-tensor bytes; doubling one unit's scale (exact in float32)
    // doubles that unit's output only (no bias, no activation).
    for (const c of fullyConnectedCases(rng(3), 12, 'per-channel')) {
      const w = c.operands[1] as Extract<OperandSpec, { kind: 'const' }>;
      const units = w.t.shape[0]!;
      const withScales = (scales: number | number[]): SingleOpCase => ({
        ...c,
        operands: [c.operands[0]!, { ...w, t: { ...w.t, q: typeof scales === 'number' ? { scale: scales, zeroPoint: 0 } : { scale: scales, zeroPoint: scales.map(() => 0), axis: 0 } } }, { kind: 'none' }],
        attrs: { ...c.attrs, fused_activation_function: S('NONE') },
      });
      const s = 0.0123;
      const inputs = caseInputs(c, rng(11));
      const run = (k: SingleOpCase): Float32Array => interpreter(buildModule(k), 'tflite').run(inputs)[0]!.data as Float32Array;
      const perTensor = run(withScales(s));
      expect(sameBytes(run(withScales(new Array<number>(units).fill(s))), perTensor), c.id).toBe(true);
      const doubled = run(withScales(Array.from({ length: units }, (_, u) => (u === 1 ? 2 * s : s))));
      perTensor.forEach((v, i) => expect(doubled[i], `${c.id} [${i}]`).toBe(i % units === 1 ? 2 * v : v));
    }
  });

  it('a single depthwise filter scale applies to every channel', () => {
    for (const c of CASES.filter((k) => k.id.startsWith('depthwise_conv_2d hybrid equal-channels')).slice(0, 6)) {
      const w = c.operands[1] as Extract<OperandSpec, { kind: 'const' }>;
      const one = (w.t.q!.scale as readonly number[])[0]!;
      const single: SingleOpCase = { ...c, operands: [c.operands[0]!, { ...w, t: { ...w.t, q: { scale: one, zeroPoint: 0 } } }, c.operands[2]!] };
      const inputs = caseInputs(c, rng(5));
      const a = interpreter(buildModule(c), 'tflite').run(inputs)[0]!.data;
      const b = interpreter(buildModule(single), 'tflite').run(inputs)[0]!.data;
      expect(sameBytes(a, b), c.id).toBe(true);
    }
  });

  it('the tflm flavour rejects hybrid ops (TFLM has no hybrid kernels)', () => {
    for (const family of FAMILIES) {
      const c = CASES.find((k) => k.family === family)!;
      expect(() => interpreter(buildModule(c), 'tflm'), c.id).toThrow(/not supported by TFLite Micro/);
    }
  });

  it('unsupported hybrid configurations are named, not computed', () => {
    const fc = CASES.find((c) => c.op === 'tfl.fully_connected' && c.id.includes('per-tensor'))!;
    const tanh: SingleOpCase = { ...fc, attrs: { ...fc.attrs, fused_activation_function: S('TANH') } };
    expect(() => interpreter(buildModule(tanh), 'tflite')).toThrow(/fused activation TANH on a hybrid fully_connected/);
    const w = fc.operands[1] as Extract<OperandSpec, { kind: 'const' }>;
    const asymW: SingleOpCase = { ...fc, operands: [fc.operands[0]!, { ...w, t: { ...w.t, q: { scale: 0.01, zeroPoint: 3 } } }, fc.operands[2]!] };
    expect(() => interpreter(buildModule(asymW), 'tflite')).toThrow(/zero points of 0/);
  });
});

describe('hybrid single-op models: qopt (tflite flavour) vs TFLite 2.12 builtin kernels', () => {
  if (!isOracleAvailable()) {
    it.skip('needs @tensorflow/tfjs-tflite and @tensorflow/tfjs-core installed (npm ci)', () => {});
    return;
  }
  let oracle: TfliteOracle;
  beforeAll(async () => {
    oracle = await loadTfliteOracle();
  });

  it('TF 2.12 refuses a hybrid fully_connected with per-channel weights (op version 12)', () => {
    const [c] = fullyConnectedCases(rng(3), 1, 'per-channel');
    expect(() => oracle.createRunner(exportTflite(buildModule(c!)), { builtinOnly: true })).toThrow(/FULLY_CONNECTED' version '12'/);
  });

  for (const family of FAMILIES) {
    const cases = CASES.filter((c) => c.family === family);
    it(`${family}: ${cases.length} hybrid cases give TFLite's output bytes`, () => {
      const fails: string[] = [];
      for (const c of cases) {
        const d = runCase(oracle, c);
        if (d) fails.push(`${c.id}: ${d}`);
      }
      expect(fails).toEqual([]);
    });
  }
});
