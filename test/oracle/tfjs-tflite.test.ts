/**
 * Tests of the real-TFLite oracle (tools/oracle) on corpus models: float sine, int8 depthwise with
 * and without XNNPACK, float LSTM on MNIST digits, int16x8 SEANet ADD goldens, error reporting, and
 * the model edits (builtin kernels only, exposed tensors).
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  editForBuiltinKernels,
  exposeTensors,
  readModel,
  withBuiltinKernelsOnly,
} from '../../tools/oracle/model-edit.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus');
const haveCorpus = existsSync(path.join(corpus, 'manifest.json'));
const haveOracle = isOracleAvailable();

const corpusFile = (rel: string): Buffer => readFileSync(path.join(corpus, rel));
const int8File = (rel: string): Int8Array => {
  const b = corpusFile(rel);
  return new Int8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const csvInt16 = (rel: string): Int16Array =>
  Int16Array.from(corpusFile(rel).toString('utf8').trim().split(',').map(Number));
const argmax = (a: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
};
const countDiffs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
};

describe('tfjs-tflite oracle', () => {
  if (!haveOracle) {
    it.skip('needs @tensorflow/tfjs-tflite and @tensorflow/tfjs-core installed (npm ci)', () => {});
    return;
  }
  if (!haveCorpus) {
    it.skip(`needs the TFLite corpus at ${corpus} (shared/corpus next to the repo)`, () => {});
    return;
  }

  let oracle: TfliteOracle;
  beforeAll(async () => {
    oracle = await loadTfliteOracle();
  });

  it('loads once: repeated calls return the same oracle', async () => {
    expect(await loadTfliteOracle()).toBe(oracle);
  });

  it('hello_world_float approximates sin(x) within 0.05', () => {
    const r = oracle.createRunner(corpusFile('hello_world/hello_world_float.tflite'));
    expect(r.inputs()).toEqual([{ name: 'serving_default_dense_input:0', dtype: 'f32', shape: [1, 1] }]);
    expect(r.outputs()).toEqual([{ name: 'StatefulPartitionedCall:0', dtype: 'f32', shape: [1, 1] }]);
    for (const x of [0, 1, 3, 5]) {
      const y = r.run([Float32Array.of(x)])[0] as Float32Array;
      expect(y).toBeInstanceOf(Float32Array);
      expect(Math.abs(Math.sin(x) - y[0]!)).toBeLessThanOrEqual(0.05);
    }
    r.dispose();
    expect(() => r.run([Float32Array.of(0)])).toThrow(/after dispose/);
  });

  it('network_tester: XNNPACK differs from the golden in 2/256 elements; builtin kernels match exactly', () => {
    const model = corpusFile('network_tester/network_model.tflite');
    const input = int8File('network_tester/input_data.int8.bin');
    const expected = int8File('network_tester/expected_output_data.int8.bin');
    expect(input.length).toBe(1 * 8 * 8 * 16);

    const xnn = oracle.createRunner(model);
    const outX = xnn.run([input])[0] as Int8Array;
    expect(outX).toBeInstanceOf(Int8Array);
    expect(outX.length).toBe(256);
    const diffIdx = [...outX.keys()].filter((i) => outX[i] !== expected[i]);
    expect(diffIdx).toEqual([80, 191]);
    for (const i of diffIdx) expect(Math.abs(outX[i]! - expected[i]!)).toBe(1);

    const ref = oracle.createRunner(model, { builtinOnly: true });
    expect(ref.inputs()).toEqual(xnn.inputs());
    expect(ref.outputs()).toEqual(xnn.outputs());
    const outR = ref.run([input]);
    expect(outR).toHaveLength(1);
    expect(countDiffs(outR[0] as Int8Array, expected)).toBe(0);
    xnn.dispose();
    ref.dispose();
  });

  it('mnist_lstm float classifies samples 0..9 (state reset per image)', () => {
    const r = oracle.createRunner(corpusFile('mnist_lstm/trained_lstm.tflite'), { freshStatePerRun: true });
    expect(r.inputs()[0]).toMatchObject({ dtype: 'f32', shape: [1, 28, 28] });
    for (let d = 0; d <= 9; d++) {
      const png = PNG.sync.read(corpusFile(`mnist_lstm/samples/sample${d}.png`));
      expect([png.width, png.height]).toEqual([28, 28]);
      const x = new Float32Array(784);
      for (let i = 0; i < 784; i++) x[i] = png.data[i * 4]! / 255; // pngjs expands gray to RGBA
      const [y] = r.run([x]);
      expect(argmax(y as Float32Array)).toBe(d);
    }
    r.dispose();
  });

  it('mnist_lstm keeps LSTM state across runs unless reset', () => {
    const r = oracle.createRunner(corpusFile('mnist_lstm/trained_lstm.tflite'));
    const x = new Float32Array(784).fill(0.5);
    const first = r.run([x])[0] as Float32Array;
    const second = r.run([x])[0] as Float32Array;
    expect(Array.from(second)).not.toEqual(Array.from(first));
    r.reset();
    expect(Array.from(r.run([x])[0] as Float32Array)).toEqual(Array.from(first));
    const fresh = oracle.createRunner(corpusFile('mnist_lstm/trained_lstm.tflite'), { freshStatePerRun: true });
    expect(Array.from(fresh.run([x])[0] as Float32Array)).toEqual(Array.from(first));
    expect(Array.from(fresh.run([x])[0] as Float32Array)).toEqual(Array.from(first));
    r.dispose();
    fresh.dispose();
  });

  it('seanet ADD (int16x8): all 17 models reproduce their goldens exactly', () => {
    const dir = path.join(corpus, 'seanet', 'add');
    const models = readdirSync(dir).filter((f) => f.endsWith('.tflite'));
    expect(models).toHaveLength(17);
    for (const f of models) {
      const base = f.slice(0, -'.tflite'.length);
      const inputs: Int16Array[] = [];
      for (let k = 0; existsSync(path.join(dir, `${base}_input${k}_int16.csv`)); k++) {
        inputs.push(csvInt16(`seanet/add/${base}_input${k}_int16.csv`));
      }
      const golden = csvInt16(`seanet/add/${base}_golden_int16.csv`);
      for (const builtinOnly of [false, true]) {
        const r = oracle.createRunner(corpusFile(`seanet/add/${f}`), { builtinOnly });
        expect(r.inputs().map((t) => t.dtype)).toEqual(inputs.map(() => 'i16'));
        const [out] = r.run(inputs);
        expect(out).toBeInstanceOf(Int16Array);
        expect(out!.length).toBe(golden.length);
        expect(countDiffs(out as Int16Array, golden), `${base} builtinOnly=${builtinOnly}`).toBe(0);
        r.dispose();
      }
    }
  });

  it("reports TFLite's own message when it rejects a model", () => {
    // person_detect has rank-1 biases with quantized_dimension 3, which TFLite refuses.
    expect(() => oracle.createRunner(corpusFile('person_detection/person_detect.tflite'))).toThrow(
      /quantized_dimension must be in range \[0, 1\)\. Was 3\./,
    );
    expect(() => oracle.createRunner(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/TFLite rejected the model/);
  });

  it("reports TFLite's message when Invoke fails, and the runner stays usable", () => {
    // transpose_conv takes its output shape as a runtime input; a huge one overflows the byte count.
    const dir = 'seanet/transpose_conv/transpose_conv0';
    const shape = Int32Array.from(corpusFile(`${dir}_input0_int32.csv`).toString().trim().split(',').map(Number));
    const x = csvInt16(`${dir}_input1_int16.csv`);
    const golden = csvInt16(`${dir}_golden_int16.csv`);
    const r = oracle.createRunner(corpusFile(`${dir}.tflite`));
    expect(() => r.run([Int32Array.of(1, 3, 4_000_000, 64), x])).toThrow(
      /^TFLite Invoke failed: [^]*Node number 0 \(TRANSPOSE_CONV\) failed to invoke/,
    );
    expect(countDiffs(r.run([shape, x])[0] as Int16Array, golden)).toBe(0);
    r.dispose();
  });

  it('checks the inputs it is given', () => {
    const r = oracle.createRunner(corpusFile('hello_world/hello_world_float.tflite'));
    expect(() => r.run([])).toThrow(/has 1 inputs, got 0/);
    expect(() => r.run([Float32Array.of(1, 2)])).toThrow(/has 1 elements, got 2/);
    expect(() => r.run([Int32Array.of(1)])).toThrow(/is float32, got a Int32Array/);
    r.dispose();
  });

  it('exposeTensors returns intermediate tensors after the original outputs', () => {
    const model = corpusFile('mnist_lstm/trained_lstm.tflite');
    // 18 = LSTM output [1,28,20], 19 = flatten [1,560], 20 = FC output [1,10] (before SOFTMAX).
    const r = oracle.createRunner(exposeTensors(model, [18, 19, 20]), { builtinOnly: true });
    expect(r.outputs().map((t) => t.shape)).toEqual([[1, 10], [1, 28, 20], [1, 560], [1, 10]]);
    const x = new Float32Array(784).map((_, i) => (i % 29) / 28);
    const [probs, lstm, flat, logits] = r.run([x]) as Float32Array[];
    expect(Array.from(flat!)).toEqual(Array.from(lstm!));
    const max = Math.max(...logits!);
    const e = Array.from(logits!, (v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    e.forEach((v, i) => expect(probs![i]).toBeCloseTo(v / sum, 5));
    expect(() => exposeTensors(model, [999])).toThrow(/no tensor 999 in subgraph 0/);
    r.dispose();
  });

  it('withBuiltinKernelsOnly appends one int32 [1] input, one RESHAPE and one output', () => {
    const model = corpusFile('network_tester/network_model.tflite');
    const before = readModel(model).subgraphs[0]!;
    const edit = editForBuiltinKernels(model);
    expect(withBuiltinKernelsOnly(model)).toEqual(edit.model);
    expect(Array.from(edit.extraInput.value)).toEqual([-1]);
    const after = readModel(edit.model).subgraphs[0]!;
    expect(after.inputs.slice(0, -1)).toEqual(before.inputs);
    expect(after.outputs.slice(0, -1)).toEqual(before.outputs);
    expect(after.operators).toHaveLength(before.operators.length + 1);
    expect(after.tensors[after.inputs.at(-1)!]!.shape).toEqual([1]);
    expect(after.tensors[after.outputs.at(-1)!]!.shape).toEqual([256]);
    expect(() => readModel(new Uint8Array(16))).toThrow(/not a TFLite model/);
  });
});
