/**
 * The corpus's golden checks (../shared/corpus/manifest.json), run by qopt's interpreter:
 * - seanet: all 127 int16x8 single-op models reproduce their golden CSVs exactly (upstream accepts ±1,
 *   but TFLite's reference kernels reproduce them exactly), in both flavours;
 * - network_tester exactly, in both flavours;
 * - dtln: flavour `tflm` reproduces TFLM's golden exactly; flavour `tflite` reproduces what TFLite 2.12's
 *   builtin kernels (tfjs-tflite) compute on the same input, byte for byte;
 * - hello_world float and int8 approximate sin(x) within 0.05 on the manifest's points;
 * - mnist_lstm float and int8 classify samples/sample{0..9}.png (state reset per image);
 * - person_detect scores person.bmp and no_person.bmp correctly (the README's input recipe);
 * - LSTM state persists across runs and `reset()` restores it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { findFunc, registerBuiltinDialects } from '../../dialects/builtin/index.js';
import { TflDialect } from '../../dialects/tfl/index.js';
import { tflKernels } from '../../dialects/tfl/kernels/index.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import type { KernelFlavour, TypedArray } from '../../src/interp/kernel.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { registerDialect } from '../../src/ir/registry.js';
import { isOracleAvailable, loadTfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { CORPUS_DIR, HAVE_CORPUS, NO_CORPUS, readCorpus } from '../support/corpus.js';

registerBuiltinDialects();
registerDialect(TflDialect);

const FLAVOURS: readonly KernelFlavour[] = ['tflite', 'tflm'];

// ---- manifest --------------------------------------------------------------------------------

interface TensorFile {
  readonly input_index?: number;
  readonly output_index?: number;
  readonly file: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}
interface Check {
  readonly type: string;
  readonly input: unknown;
  readonly expected: unknown;
  readonly tolerance: unknown;
}
interface ManifestEntry {
  readonly path: string;
  readonly kind: string;
  readonly checks: readonly Check[];
}

function manifest(): ManifestEntry[] {
  const m = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8')) as { models: ManifestEntry[] };
  return m.models;
}

function entry(rel: string): ManifestEntry {
  const e = manifest().find((x) => x.path === rel);
  if (!e) throw new Error(`${rel} is not in the manifest`);
  return e;
}

// ---- data ------------------------------------------------------------------------------------

function typedFrom(dtype: string, values: readonly number[]): TypedArray {
  switch (dtype) {
    case 'int8':
      return Int8Array.from(values);
    case 'int16':
      return Int16Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'float32':
      return Float32Array.from(values);
    default:
      throw new Error(`unexpected dtype ${dtype}`);
  }
}

function readCsv(rel: string, dtype: string): TypedArray {
  const text = fs.readFileSync(path.join(CORPUS_DIR, rel), 'utf8').trim();
  return typedFrom(dtype, text.split(',').map(Number));
}

function readInt8Bin(rel: string): Int8Array {
  const b = readCorpus(rel);
  return new Int8Array(b.buffer, b.byteOffset, b.byteLength);
}

function interpreter(rel: string, flavour: KernelFlavour): Interpreter {
  return new Interpreter(findFunc(importTflite(readCorpus(rel), rel), 'main')!, { kernels: tflKernels, flavour });
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if ((a[i] as number) > (a[best] as number)) best = i;
  return best;
}

/** The first difference between two arrays, as text; undefined when equal. */
function firstDiff(expected: ArrayLike<number>, got: ArrayLike<number>): string | undefined {
  if (expected.length !== got.length) return `length ${got.length}, expected ${expected.length}`;
  let n = 0;
  let first = -1;
  let max = 0;
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] === got[i]) continue;
    n++;
    if (first < 0) first = i;
    max = Math.max(max, Math.abs((expected[i] as number) - (got[i] as number)));
  }
  return n === 0 ? undefined : `${n}/${expected.length} differ (max ${max}); first [${first}]: expected ${expected[first]}, got ${got[first]}`;
}

/** 28x28 grayscale PNG -> pixels 0..255, row-major. */
function pngPixels(rel: string): Uint8Array {
  const png = PNG.sync.read(Buffer.from(readCorpus(rel)));
  expect([png.width, png.height]).toEqual([28, 28]);
  const out = new Uint8Array(784);
  for (let i = 0; i < 784; i++) out[i] = png.data[i * 4]!; // pngjs expands gray to RGBA
  return out;
}

// ---- tests -----------------------------------------------------------------------------------

describe('corpus goldens (qopt interpreter)', () => {
  if (!HAVE_CORPUS) {
    it.skip(NO_CORPUS, () => {});
    return;
  }

  describe('seanet: 127 int16x8 single-op models equal their golden CSVs exactly', () => {
    const seanet = manifest().filter((e) => e.path.startsWith('seanet/'));
    it('the manifest lists 127 of them (add 17, sub 5, conv 22, transpose_conv 5, pad 19, leaky_relu 23, strided_slice 34, quantize 2)', () => {
      expect(seanet).toHaveLength(127);
      const byOp = new Map<string, number>();
      for (const e of seanet) byOp.set(e.path.split('/')[1]!, (byOp.get(e.path.split('/')[1]!) ?? 0) + 1);
      expect(Object.fromEntries(byOp)).toEqual({ add: 17, sub: 5, conv: 22, transpose_conv: 5, pad: 19, leaky_relu: 23, strided_slice: 34, quantize: 2 });
    });
    for (const flavour of FLAVOURS) {
      it(`flavour ${flavour}`, () => {
        const fails: string[] = [];
        let elements = 0;
        for (const e of seanet) {
          const check = e.checks[0]!;
          const ins = check.input as TensorFile[];
          const [exp] = check.expected as TensorFile[];
          try {
            const it = interpreter(e.path, flavour);
            const inputs: TypedArray[] = [];
            for (const f of ins) inputs[f.input_index!] = readCsv(f.file, f.dtype);
            const out = it.run(inputs)[exp!.output_index!]!;
            const golden = readCsv(exp!.file, exp!.dtype);
            expect(out.shape).toEqual(exp!.shape);
            elements += golden.length;
            const d = firstDiff(golden as ArrayLike<number>, out.data as ArrayLike<number>);
            if (d) fails.push(`${e.path}: ${d}`);
          } catch (err) {
            fails.push(`${e.path}: ${(err as Error).message.split('\n')[0]}`);
          }
        }
        expect(fails).toEqual([]);
        expect(elements).toBeGreaterThan(100_000);
      });
    }
  });

  it('network_tester: the per-channel int8 depthwise conv equals its golden exactly (both flavours)', () => {
    const e = entry('network_tester/network_model.tflite');
    const [inp] = e.checks[0]!.input as TensorFile[];
    const [exp] = e.checks[0]!.expected as TensorFile[];
    const x = readInt8Bin(inp!.file);
    const golden = readInt8Bin(exp!.file);
    expect(golden).toHaveLength(256);
    for (const flavour of FLAVOURS) {
      const out = interpreter(e.path, flavour).run([x])[0]!;
      expect(out.shape).toEqual([1, 4, 4, 16]);
      expect(firstDiff(golden, out.data as Int8Array), flavour).toBeUndefined();
    }
  });

  describe('dtln (two int8 LSTMs + FC + LOGISTIC, one step from a fresh state)', () => {
    const rel = 'dtln/dtln_noise_suppression.tflite';
    it("flavour tflm equals TFLM's golden exactly", () => {
      const x = readInt8Bin('dtln/feature_data.int8.bin');
      const golden = readInt8Bin('dtln/golden_ref.int8.bin');
      const out = interpreter(rel, 'tflm').run([x])[0]!.data as Int8Array;
      expect(firstDiff(golden, out)).toBeUndefined();
    });
    it.runIf(isOracleAvailable())("flavour tflite equals TFLite 2.12's builtin kernels (tfjs-tflite) byte for byte", async () => {
      const oracle = await loadTfliteOracle();
      const x = readInt8Bin('dtln/feature_data.int8.bin');
      const runner = oracle.createRunner(readCorpus(rel), { builtinOnly: true });
      try {
        const expected = runner.run([x])[0] as Int8Array;
        const out = interpreter(rel, 'tflite').run([x])[0]!.data as Int8Array;
        expect(firstDiff(expected, out)).toBeUndefined();
        // ... which is not TFLM's golden (the two runtimes' integer LSTMs differ: README).
        const golden = readInt8Bin('dtln/golden_ref.int8.bin');
        const d = [...golden.keys()].filter((i) => golden[i] !== out[i]).length;
        expect(d).toBeGreaterThan(200);
      } finally {
        runner.dispose();
      }
    });
  });

  describe('hello_world: |sin(x) - y| <= 0.05 at the manifest points', () => {
    for (const kind of ['float', 'int8'] as const) {
      it(kind, () => {
        const e = entry(`hello_world/hello_world_${kind}.tflite`);
        const input = e.checks[0]!.input as { values: number[]; float_x?: number[] };
        const expected = e.checks[0]!.expected as { sin_x: number[] };
        const tol = (e.checks[0]!.tolerance as { abs: number }).abs;
        expect(tol).toBe(0.05);
        for (const flavour of FLAVOURS) {
          const it = interpreter(e.path, flavour);
          const q = it.outputs[0]!.quant;
          input.values.forEach((v, i) => {
            const out = it.run([kind === 'float' ? Float32Array.of(v) : Int8Array.of(v)])[0]!.data;
            const y = kind === 'float' ? (out[0] as number) : ((out[0] as number) - q!.zeroPoint[0]!) * q!.scale[0]!;
            const x = kind === 'float' ? v : input.float_x![i]!;
            expect(Math.abs(Math.sin(x) - expected.sin_x[i]!)).toBeLessThan(1e-6);
            expect(Math.abs(y - expected.sin_x[i]!), `${flavour} x=${x} y=${y}`).toBeLessThanOrEqual(tol);
          });
        }
      });
    }
  });

  describe('mnist_lstm: argmax == digit on samples/sample{0..9}.png, state reset per image', () => {
    // One interpreter per flavour, reset() before every image (evaluate.py calls interpreter.reset()).
    it('float (x = p / 255)', () => {
      for (const flavour of FLAVOURS) {
        const it = interpreter('mnist_lstm/trained_lstm.tflite', flavour);
        for (let d = 0; d <= 9; d++) {
          const p = pngPixels(`mnist_lstm/samples/sample${d}.png`);
          it.reset();
          const y = it.run([Float32Array.from(p, (v) => v / 255)])[0]!.data as Float32Array;
          expect(argmax(y), `${flavour} sample${d}`).toBe(d);
        }
      }
    });
    it('int8 (q = int8(trunc(x / scale + zp)), numpy float32 arithmetic)', () => {
      const fr = Math.fround;
      for (const flavour of FLAVOURS) {
        const it = interpreter('mnist_lstm/trained_lstm_int8.tflite', flavour);
        const q = it.inputs[0]!.quant!;
        expect(q.scale[0]).toBeCloseTo(0.003921568859368563, 12);
        expect(q.zeroPoint[0]).toBe(-128);
        for (let d = 0; d <= 9; d++) {
          const p = pngPixels(`mnist_lstm/samples/sample${d}.png`);
          const x = Int8Array.from(p, (v) => Math.trunc(fr(fr(fr(v / 255) / fr(q.scale[0]!)) + q.zeroPoint[0]!)));
          it.reset();
          const y = it.run([x])[0]!.data as Int8Array;
          expect(argmax(y), `${flavour} sample${d}`).toBe(d);
        }
      }
    });
  });

  it('person_detect: person.bmp and no_person.bmp (top-down rows, bytes reinterpreted as int8)', () => {
    const bmpTensor = (rel: string): Int8Array => {
      const b = readCorpus(rel);
      expect(b[0]).toBe(0x42); // 'B'
      expect(b[1]).toBe(0x4d); // 'M'
      const offset = b[10]! | (b[11]! << 8) | (b[12]! << 16) | (b[13]! << 24);
      expect(offset).toBe(1078);
      const x = new Int8Array(96 * 96);
      for (let row = 0; row < 96; row++) {
        const src = b.subarray(offset + (95 - row) * 96, offset + (96 - row) * 96); // stored bottom-up
        x.set(new Int8Array(src.buffer, src.byteOffset, 96), row * 96);
      }
      return x;
    };
    for (const flavour of FLAVOURS) {
      const it = interpreter('person_detection/person_detect.tflite', flavour);
      const person = it.run([bmpTensor('person_detection/person.bmp')])[0]!.data as Int8Array;
      const none = it.run([bmpTensor('person_detection/no_person.bmp')])[0]!.data as Int8Array;
      expect(person[1]!, `${flavour} person: [${person}]`).toBeGreaterThan(person[0]!);
      expect(none[0]!, `${flavour} no_person: [${none}]`).toBeGreaterThan(none[1]!);
    }
  });

  describe('LSTM state persists across runs; reset() restores the initial state', () => {
    for (const rel of ['mnist_lstm/trained_lstm.tflite', 'mnist_lstm/trained_lstm_int8.tflite', 'dtln/dtln_noise_suppression.tflite']) {
      it(rel, () => {
        for (const flavour of FLAVOURS) {
          const it = interpreter(rel, flavour);
          const n = it.inputs[0]!.shape.reduce((a, b) => a * b, 1);
          const x = it.inputs[0]!.dtype === 'f32' ? new Float32Array(n).fill(0.5) : new Int8Array(n).fill(20);
          const first = Array.from(it.run([x])[0]!.data as ArrayLike<number>);
          const second = Array.from(it.run([x])[0]!.data as ArrayLike<number>);
          expect(second, `${flavour}: the second run starts from the first run's state`).not.toEqual(first);
          it.reset();
          expect(Array.from(it.run([x])[0]!.data as ArrayLike<number>), `${flavour}: reset() restores the initial state`).toEqual(first);
          // A fresh interpreter starts from the same state.
          expect(Array.from(interpreter(rel, flavour).run([x])[0]!.data as ArrayLike<number>)).toEqual(first);
        }
      });
    }
  });
});

// Keep the oracle load (a few hundred ms) out of the individual test timings.
beforeAll(async () => {
  if (HAVE_CORPUS && isOracleAvailable()) await loadTfliteOracle();
});
