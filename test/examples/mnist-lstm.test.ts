/**
 * The MNIST LSTM example (examples/mnist-lstm) on a tiny budget: training is deterministic and its
 * gradients are right, the trained model builds, exports, re-imports and verifies, qopt's interpreter
 * agrees with tfjs's forward pass and real TFLite with qopt (1e-5), the weights survive the round
 * trip, and a second build with the same config reuses the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { head, splitDigits } from '../../examples/mnist-lstm/data.js';
import { weightsFromModule } from '../../examples/mnist-lstm/model.js';
import {
  FLOAT_TOLERANCE,
  type TrainConfig,
  buildOrLoadFloatModel,
  checkFloatModel,
  initialWeights,
  trainWeights,
} from '../../examples/mnist-lstm/train.js';
import { crossEntropy, disposeVariables, loadTf, logits, tfBackendAvailable, timeSteps, toVariables, variableList } from '../../examples/mnist-lstm/tfjs.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { verify } from '../../src/ir/verify.js';
import { isOracleAvailable } from '../../tools/oracle/tfjs-tflite.js';
import { registerAll } from '../../tools/register.js';

registerAll();

const haveTf = await tfBackendAvailable();
if (!haveTf) console.warn('mnist-lstm example tests skipped: @tensorflow/tfjs-backend-cpu@4.9.0 is not installed');

/** A few seconds of training: 8 units, 300 digits, 6 steps. */
const TINY: TrainConfig = { units: 8, epochs: 1, batchSize: 50, learningRate: 0.02, seed: 7, evalPerClass: 5, trainPerClass: 30 };

const outDir = mkdtempSync(join(tmpdir(), 'qopt-mnist-lstm-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe.skipIf(!haveTf)('examples/mnist-lstm', () => {
  it('computes the gradients of its loss (tfjs tape + the registered gradients) like finite differences', async () => {
    const tf = await loadTf();
    const w = initialWeights(3, 4, 5, 11);
    const steps = 3;
    const batch = 2;
    const images = Float32Array.from({ length: batch * steps * 4 }, (_, i) => ((i * 37) % 11) / 10);
    const onehot = tf.tensor2d([0, 0, 1, 0, 0, 0, 1, 0, 0, 0], [batch, 5]);
    const v = toVariables(w);
    const vars = variableList(v);
    const loss = () => crossEntropy(logits(v, timeSteps(images, batch, steps, 4)), onehot);
    const { grads } = tf.variableGrads(loss, vars);
    const eps = 1e-2;
    let checked = 0;
    for (const x of vars) {
      const g = grads[x.name]!.dataSync();
      const base = x.dataSync().slice();
      for (let i = 0; i < base.length; i++) {
        const at = (d: number) => {
          const p = base.slice();
          p[i] = base[i]! + d;
          x.assign(tf.tensor(p, x.shape));
          return tf.tidy(() => loss().dataSync()[0]!);
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        // Central differences in float32 are good to ~1e-5 here; a wrong gradient is off by far more.
        expect(Math.abs(numeric - g[i]!), `${x.name}[${i}]`).toBeLessThan(1e-4 + 1e-3 * Math.abs(numeric));
        checked++;
      }
      x.assign(tf.tensor(base, x.shape));
    }
    expect(checked).toBe(12 * 5 + 12 * 3 + 5 * 3 + 5);
    disposeVariables(v);
    onehot.dispose();
  });

  it('trains deterministically', async () => {
    const split = splitDigits(TINY);
    const a = await trainWeights(TINY, split.train);
    const b = await trainWeights(TINY, split.train);
    expect(a.steps).toBe(6);
    expect(Number.isFinite(a.finalLoss)).toBe(true);
    expect(Buffer.from(a.weights.wx.buffer).equals(Buffer.from(b.weights.wx.buffer))).toBe(true);
    expect(Buffer.from(a.weights.wd.buffer).equals(Buffer.from(b.weights.wd.buffer))).toBe(true);
  });

  it('exports a model that imports, verifies, and runs like tfjs and real TFLite', async () => {
    const model = await buildOrLoadFloatModel({ config: TINY, outDir });
    expect(model.cached).toBe(false);
    expect(model.info.trainSamples).toBe(300);
    const module = importTflite(model.bytes, 'mnist_lstm_float.tflite');
    expect(verify(module)).toEqual([]);
    const ops = [...module.regions[0]!.blocks[0]!.first!.regions[0]!.blocks[0]!.ops()].map((o) => o.name);
    expect(ops).toEqual(expect.arrayContaining(['tfl.unidirectional_sequence_lstm', 'tfl.strided_slice', 'tfl.fully_connected', 'tfl.softmax']));
    // The weights come back exactly as trained.
    const back = weightsFromModule(module);
    for (const k of ['wx', 'wh', 'b', 'wd', 'bd'] as const) expect(Array.from(back[k])).toEqual(Array.from(model.weights[k]));

    const split = splitDigits(TINY);
    const check = await checkFloatModel(model.bytes, model.weights, head(split.eval, 20));
    expect(check.samples).toBe(20);
    expect(check.maxDiffTfjs).toBeLessThanOrEqual(FLOAT_TOLERANCE);
    if (isOracleAvailable()) {
      expect(check.tfliteError).toBeUndefined();
      expect(check.maxDiffTflite).toBeLessThanOrEqual(FLOAT_TOLERANCE);
    }
  });

  it('reuses the exported model when the config hash matches, and retrains when it changes', async () => {
    const again = await buildOrLoadFloatModel({ config: TINY, outDir });
    expect(again.cached).toBe(true);
    const changed = await buildOrLoadFloatModel({ config: { ...TINY, seed: 8, trainPerClass: 10 }, outDir });
    expect(changed.cached).toBe(false);
    expect(changed.info.hash).not.toBe(again.info.hash);
  });
});
