// `qopt compare` on real models: mnist_lstm float vs int8 on its 10 sample digits, hello_world
// float vs int8.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/driver/io.js';
import { runQopt } from '../../src/driver/qopt-main.js';
import { encodeNpy } from '../../src/io/npy.js';
import { registerAll } from '../../tools/register.js';
import { CORPUS_DIR, HAVE_CORPUS, NO_CORPUS } from '../support/corpus.js';

registerAll();
const dir = mkdtempSync(join(tmpdir(), 'qopt-compare-corpus-'));
const MNIST = join(CORPUS_DIR, 'mnist_lstm');
const HELLO = join(CORPUS_DIR, 'hello_world');

async function qopt(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO('', dir);
  const code = await runQopt(args, io);
  return { code, out: io.out, err: io.err };
}

interface Metrics {
  sqnrDb: number | string;
  maxAbsError: number;
  rmseOverScale: number | null;
  count: number;
}
interface Report {
  reference: { accuracy: { correct: number; total: number } | null };
  keepState: boolean;
  models: {
    layers: { name: string; op: string; matchedBy: string; elements: number; metrics: Metrics }[];
    outputs: { metrics: Metrics; argmax: { agree: number; total: number } | null }[];
    accuracy: { correct: number; total: number } | null;
    unmatchedReference: string[];
  }[];
}

/** labels.npy from the digit in each sample's file name, in the dataset's (sorted) order. */
function mnistLabels(): string {
  const files = readdirSync(join(MNIST, 'samples')).filter((f) => f.endsWith('.png')).sort();
  const labels = Int32Array.from(files.map((f) => Number(/(\d)\.png$/.exec(f)![1])));
  const path = join(dir, 'mnist-labels.npy');
  writeFileSync(path, encodeNpy({ dtype: 'i32', shape: [labels.length], data: labels }));
  return path;
}

describe.skipIf(!HAVE_CORPUS)('qopt compare on corpus models', () => {
  it('mnist_lstm: float vs int8 agree on the sample digits, layer by layer', async () => {
    const labels = mnistLabels();
    const r = await qopt([
      'compare', join(MNIST, 'trained_lstm.tflite'), join(MNIST, 'trained_lstm_int8.tflite'),
      '--data', join(MNIST, 'samples'), '--labels', labels, '--json', 'mnist.json', '--csv', 'mnist.csv',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'mnist.json'), 'utf8')) as Report;
    const m = j.models[0]!;
    const out = m.outputs[0]!;
    expect(out.argmax!.total).toBe(10);
    expect(out.argmax!.agree).toBeGreaterThanOrEqual(9);
    expect(m.accuracy!.correct).toBeGreaterThanOrEqual(9);
    expect(j.reference.accuracy).toEqual({ correct: 10, total: 10 });
    expect(out.metrics.sqnrDb as number).toBeGreaterThan(25);
    // The LSTM and FC layers are listed (and matched: TFLite names and ';'-fused names).
    const ops = m.layers.map((l) => l.op);
    expect(ops).toContain('tfl.unidirectional_sequence_lstm');
    expect(ops).toContain('tfl.fully_connected');
    expect(ops).toContain('tfl.softmax');
    expect(m.unmatchedReference).toEqual([]);
    const lstm = m.layers.find((l) => l.op === 'tfl.unidirectional_sequence_lstm')!;
    expect(lstm.elements).toBe(28 * 20);
    expect(lstm.metrics.count).toBe(28 * 20 * 10);
    expect(lstm.metrics.sqnrDb as number).toBeGreaterThan(20);
    expect(lstm.metrics.rmseOverScale!).toBeGreaterThan(0.2);
    const fc = m.layers.find((l) => l.op === 'tfl.fully_connected')!;
    expect(fc.name).toBe('model/sequential/output/MatMul;model/sequential/output/BiasAdd');
    // The int8 input is quantized from p/255: p - 128 exactly, so the input error is ~0.
    const input = m.layers.find((l) => l.matchedBy === 'input')!;
    expect(input.metrics.maxAbsError).toBeLessThan(1e-6);
    expect(r.out).toMatch(/tfl\.unidirect\S*\s+i8\s+560\s/);
    expect(r.out).toMatch(/trained_lstm_int8\.tflite\s+StatefulPartitionedCall:0\s+\S+\s+\S+\s+\S+\s+(9|10)\/10/);
    expect(readFileSync(join(dir, 'mnist.csv'), 'utf8')).toContain('tfl.unidirectional_sequence_lstm');

    // Keeping the LSTM state across samples changes what the models compute.
    const k = await qopt(['compare', join(MNIST, 'trained_lstm.tflite'), join(MNIST, 'trained_lstm_int8.tflite'), '--data', join(MNIST, 'samples'), '--keep-state', '--json', 'keep.json']);
    expect(k.code).toBe(0);
    const kj = JSON.parse(readFileSync(join(dir, 'keep.json'), 'utf8')) as Report;
    expect(kj.keepState).toBe(true);
    expect(kj.models[0]!.outputs[0]!.metrics.sqnrDb).not.toBe(out.metrics.sqnrDb);
  });

  it('hello_world: float vs int8 sine regressors', async () => {
    const n = 48;
    const xs = Float32Array.from({ length: n }, (_, i) => (2 * Math.PI * i) / n);
    writeFileSync(join(dir, 'hello-x.npy'), encodeNpy({ dtype: 'f32', shape: [n, 1], data: xs }));
    const r = await qopt(['compare', join(HELLO, 'hello_world_float.tflite'), join(HELLO, 'hello_world_int8.tflite'), '--data', 'hello-x.npy', '--json', 'hello.json', '--kernels', 'tflm']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'hello.json'), 'utf8')) as Report;
    const m = j.models[0]!;
    expect(m.layers.map((l) => `${l.op}:${l.matchedBy}`)).toEqual(['input:input', 'tfl.fully_connected:name', 'tfl.fully_connected:name', 'tfl.fully_connected:output']);
    expect(m.outputs[0]!.argmax).toBeNull(); // a 1-wide regression output
    expect(m.outputs[0]!.metrics.maxAbsError).toBeLessThan(0.2);
    expect(m.outputs[0]!.metrics.sqnrDb as number).toBeGreaterThan(15);
    // x in [0, 2pi) quantized with scale ~0.0245: input RMSE/scale near 1/sqrt(12).
    expect(m.layers[0]!.metrics.rmseOverScale!).toBeGreaterThan(0.2);
    expect(m.layers[0]!.metrics.rmseOverScale!).toBeLessThan(0.4);
  });
});
if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
