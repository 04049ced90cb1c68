/**
 * Unit tests of the float recurrent kernels (dialects/tfl/kernels/rnn.ts): Eigen's fast tanh and a
 * recorded tfl.unidirectional_sequence_rnn case, both bit-exact against tfjs-tflite (TFLite 2.12
 * builtin kernels); float64 reference math for every activation, time-major layout and tfl.rnn.
 */

import { describe, expect, it } from 'vitest';
import { eigenTanh, rnnKernel, rnnKernels, unidirectionalSequenceRnnKernel } from '../../dialects/tfl/kernels/rnn.js';
import { type KernelContext, type KernelDef, type Tensor, type TensorInfo, type TypedArray, KernelError } from '../../src/interp/kernel.js';

const f32 = Math.fround;
const ti = (shape: number[], data?: Float32Array, isVariable = false): TensorInfo => ({ name: 't', dtype: 'f32', shape, data, isVariable });
const ctxOf = (k: KernelDef, inputs: (TensorInfo | undefined)[], output: TensorInfo, attrs: KernelContext['attrs']): KernelContext => ({
  op: k.op,
  where: 'test',
  inputs,
  outputs: [output],
  intermediates: [],
  attrs,
  flavour: 'tflite',
});
const flts = (n: number, a: number, b: number, k = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => f32(f32(Math.sin(i * a + b) * 1.5) * k));
const bits = (a: TypedArray): string[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (v) => '0x' + v.toString(16));

/** Runs a recurrent kernel over several invokes with a persistent hidden state. */
function runSteps(k: KernelDef, inputs: TensorInfo[], output: TensorInfo, attrs: KernelContext['attrs'], steps: Float32Array[]): Float32Array[] {
  const fn = k.prepare(ctxOf(k, inputs, output, attrs));
  const h: Tensor = { dtype: 'f32', shape: inputs[4]!.shape, data: new Float32Array(inputs[4]!.shape[0]! * inputs[4]!.shape[1]!) };
  return steps.map((x) => {
    const y = new Float32Array(output.shape.reduce((a, b) => a * b, 1));
    fn(
      inputs.map((t, i) => (i === 0 ? { dtype: 'f32', shape: t.shape, data: x } : i === 4 ? h : { dtype: 'f32', shape: t.shape, data: t.data! })),
      [{ dtype: 'f32', shape: output.shape, data: y }],
    );
    return y;
  });
}

describe('float RNN kernels', () => {
  it('exports the sequence and single-step kernels', () => {
    expect(rnnKernels.map((k) => k.op)).toEqual(['tfl.unidirectional_sequence_rnn', 'tfl.rnn']);
  });

  it("eigenTanh equals TFLite's TANH activation bit for bit (tiny-input and clamp branches included)", () => {
    const xs = Float32Array.from([
      -10, -7.90531110763549805, -3, -1, -0.5, -0.1, -0.0004, -0.00039999, 0, 1e-5, 0.00041, 0.25, 0.75, 1.5, 2.5, 5, 7.9, 7.91, 9, 20, 0.123456, -2.2222,
    ]);
    // recorded from tfjs-tflite: tfl.rnn with one unit, weight 1, TANH
    const recorded = [
      '0xbf800000', '0xbf800000', '0xbf7ebbe8', '0xbf42f7d6', '0xbeec9a9f', '0xbdcc1ebb', '0xb9d1b714', '0xb9d1b5c0', '0x0', '0x3727c5ac', '0x39d6f542',
      '0x3e7acbf5', '0x3f229920', '0x3f67b7cb', '0x3f7c92c1', '0x3f7ffa0c', '0x3f7ffffc', '0x3f800000', '0x3f800000', '0x3f800000', '0x3dfb8fa5', '0xbf7a0e8a',
    ];
    expect(bits(Float32Array.from(xs, (x) => eigenTanh(x)))).toEqual(recorded);
    // and it is a good tanh: within ~3 float32 ulps of the true value on a fine grid
    for (let x = -9; x <= 9; x += 0.00731) expect(Math.abs(eigenTanh(f32(x)) - Math.tanh(f32(x)))).toBeLessThan(4e-7);
  });

  it('unidirectional_sequence_rnn equals tfjs-tflite bit for bit (batch-major, TANH, 2 invokes)', () => {
    const inputs = [
      ti([2, 3, 3]),
      ti([4, 3], flts(12, 0.5, 0.3, 0.5)),
      ti([4, 4], flts(16, 0.8, 0.4, 0.5)),
      ti([4], Float32Array.of(0.1, -0.2, 0.3, -0.4)),
      ti([2, 4], undefined, true),
    ];
    const steps = [0, 1].map((s) => flts(18, 0.35, s * 2, 0.3));
    const got = runSteps(unidirectionalSequenceRnnKernel, inputs, ti([2, 3, 4]), { time_major: false, fused_activation_function: 'TANH' }, steps);
    expect(got.map(bits)).toEqual([
      [
        '0x3ebf3f3a', '0xbd274c0d', '0x3cf5a523', '0xbf08ff7d', '0x3f1c986f', '0x3ed48ea0', '0xbe59380e', '0xbf5530bb', '0x3f02e095', '0x3dc7c65c', '0x3e87c2db', '0xbf589f6a',
        '0xbe4780b8', '0xbeb2d2c1', '0x3f04b1b1', '0xbe46c917', '0xbefd0efd', '0xbf2ed9c2', '0x3f2ded26', '0x3eb2fb2d', '0xbe9c61a8', '0xbf0025e0', '0x3ebf12c6', '0x3eb03a65',
      ],
      [
        '0x3f18b2f7', '0x3db4f1c5', '0x3e82d11e', '0xbf5d5971', '0x3d5e73f4', '0xbeff7e9d', '0x3f2e11d0', '0xbf0e827d', '0xbeffb077', '0xbf2cdf34', '0x3f312271', '0x3e93c7fb',
        '0xbec0b1a0', '0xbf06739e', '0x3ed56cb6', '0x3ebd6a55', '0x3e74d912', '0x3d4e8800', '0xbdf5ca27', '0xbe952f15', '0x3f191c5b', '0x3ed8cfcc', '0xbe7c9f19', '0xbf4f8a7c',
      ],
    ]);
  });

  const act64: Record<string, (v: number) => number> = {
    NONE: (v) => v,
    RELU: (v) => Math.max(0, v),
    RELU6: (v) => Math.min(6, Math.max(0, v)),
    RELU_N1_TO_1: (v) => Math.min(1, Math.max(-1, v)),
    TANH: Math.tanh,
    SIGN_BIT: (v) => (v < 0 ? 1 : 0),
  };
  for (const act of Object.keys(act64)) {
    it(`${act}: batch- and time-major sequences and tfl.rnn agree with float64 math`, () => {
      const batch = 2;
      const T = 4;
      const nIn = 3;
      const units = 5;
      const wx = flts(units * nIn, 0.43, 0.2, 0.6);
      const wh = flts(units * units, 0.77, 0.9, 0.4);
      const bias = flts(units, 1.9, 0.1, 0.5);
      const xs = flts(batch * T * nIn, 0.29, 1.1, 2); // batch-major [b][t][i]
      // float64 reference
      const ref: number[] = new Array<number>(batch * T * units).fill(0);
      for (let b = 0; b < batch; b++) {
        const h = new Array<number>(units).fill(0);
        for (let t = 0; t < T; t++) {
          const o = Array.from({ length: units }, (_, u) => {
            let s = bias[u]!;
            for (let i = 0; i < nIn; i++) s += wx[u * nIn + i]! * xs[(b * T + t) * nIn + i]!;
            for (let j = 0; j < units; j++) s += wh[u * units + j]! * h[j]!;
            return act64[act]!(s);
          });
          o.forEach((v, u) => {
            h[u] = v;
            ref[(b * T + t) * units + u] = v;
          });
        }
      }
      const weights = [ti([units, nIn], wx), ti([units, units], wh), ti([units], bias)];
      const [bm] = runSteps(unidirectionalSequenceRnnKernel, [ti([batch, T, nIn]), ...weights, ti([batch, units], undefined, true)], ti([batch, T, units]), { fused_activation_function: act }, [xs]);
      bm!.forEach((v, i) => expect(Math.abs(v - ref[i]!), `batch-major ${i}`).toBeLessThan(1e-5));
      // time-major: transpose input and output
      const xt = new Float32Array(xs.length);
      for (let b = 0; b < batch; b++) for (let t = 0; t < T; t++) for (let i = 0; i < nIn; i++) xt[(t * batch + b) * nIn + i] = xs[(b * T + t) * nIn + i]!;
      const [tm] = runSteps(unidirectionalSequenceRnnKernel, [ti([T, batch, nIn]), ...weights, ti([batch, units], undefined, true)], ti([T, batch, units]), { time_major: true, fused_activation_function: act }, [xt]);
      for (let b = 0; b < batch; b++) for (let t = 0; t < T; t++) for (let u = 0; u < units; u++) expect(tm![(t * batch + b) * units + u]).toBe(bm![(b * T + t) * units + u]);
      // tfl.rnn, one invoke per time step, state carried by the kernel
      const steps = Array.from({ length: T }, (_, t) => {
        const x = new Float32Array(batch * nIn);
        for (let b = 0; b < batch; b++) for (let i = 0; i < nIn; i++) x[b * nIn + i] = xs[(b * T + t) * nIn + i]!;
        return x;
      });
      const single = runSteps(rnnKernel, [ti([batch, nIn]), ...weights, ti([batch, units], undefined, true)], ti([batch, units]), { fused_activation_function: act }, steps);
      single.forEach((y, t) => {
        for (let b = 0; b < batch; b++) for (let u = 0; u < units; u++) expect(y[b * units + u]).toBe(bm![(b * T + t) * units + u]);
      });
    });
  }

  it('rejects hybrid weights, bad shapes and unknown activations', () => {
    const i8w: TensorInfo = { name: 'w', dtype: 'i8', shape: [2, 2], data: new Int8Array(4), quant: { scale: [0.1], zeroPoint: [0], axis: -1, storageMin: -127, storageMax: 127 } };
    const base = [ti([1, 1, 2]), ti([2, 2], new Float32Array(4)), ti([2, 2], new Float32Array(4)), ti([2], new Float32Array(2)), ti([1, 2], undefined, true)];
    expect(() => unidirectionalSequenceRnnKernel.prepare(ctxOf(unidirectionalSequenceRnnKernel, base, ti([1, 1, 2]), {}))).not.toThrow();
    expect(() => unidirectionalSequenceRnnKernel.prepare(ctxOf(unidirectionalSequenceRnnKernel, [base[0]!, i8w, ...base.slice(2)], ti([1, 1, 2]), {}))).toThrow(/float/);
    expect(() => unidirectionalSequenceRnnKernel.prepare(ctxOf(unidirectionalSequenceRnnKernel, base, ti([1, 1, 3]), {}))).toThrow(KernelError);
    expect(() => unidirectionalSequenceRnnKernel.prepare(ctxOf(unidirectionalSequenceRnnKernel, base, ti([1, 1, 2]), { fused_activation_function: 'GELU' }))).toThrow(KernelError);
  });
});
