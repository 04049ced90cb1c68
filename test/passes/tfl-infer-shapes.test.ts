/**
 * tfl-infer-shapes on the litert_quantizer LSTM models, whose LSTM and dequantize outputs are stored
 * without a shape: after the pass no unranked type is left, the model exports with static shapes
 * (graph outputs keep their names and indices), and the exported model runs in real TFLite with the
 * original's outputs, bit for bit, as it does in qopt's interpreter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import type { TypedArray } from '../../src/interp/kernel.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import type { Operation } from '../../src/ir/operation.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { printOp } from '../../src/syntax/printer.js';
import { readModel } from '../../tools/oracle/model-edit.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { registerAll } from '../../tools/register.js';
import { HAVE_CORPUS, randomTyped, readCorpus, rng } from '../support/corpus.js';

registerAll();

const MODELS = ['litert_quantizer/unidirectional_sequence_lstm_calibrated.tflite', 'litert_quantizer/unidirectional_sequence_lstm_quantized.tflite'];

function inferShapes(m: Operation): boolean {
  const r = PassManager.fromPipeline('tfl-infer-shapes').run(m);
  expect(r.diagnostics).toEqual([]);
  expect(r.ok).toBe(true);
  return r.changed;
}

/** Three runs in a row (the LSTM state carries over) on seeded random inputs. */
function runs(run: (x: TypedArray[]) => TypedArray[]): TypedArray[][] {
  const r = rng(7);
  return [0, 1, 2].map(() => run([randomTyped('f32', 4, r)]));
}

describe.skipIf(!HAVE_CORPUS)('tfl-infer-shapes on the litert_quantizer LSTM models', () => {

  for (const rel of MODELS) {
    it(`${rel}: refines every unranked type, once`, () => {
      const m = importTflite(readCorpus(rel), rel);
      expect(printOp(m)).toContain('tensor<*x');
      expect(inferShapes(m)).toBe(true);
      const text = printOp(m);
      expect(text).not.toContain('tensor<*x');
      expect(text).toMatch(/func\.func @main\(%arg0: tensor<1x2x2x[^)]*\) -> tensor<1x2x2x/);
      expect(inferShapes(m)).toBe(false);
    });

    it(`${rel}: exports static shapes and runs like the original in qopt`, () => {
      const original = importTflite(readCorpus(rel), rel);
      const m = importTflite(readCorpus(rel), rel);
      inferShapes(m);
      const bytes = exportTflite(m);
      const sg = readModel(bytes).subgraphs[0]!;
      const out = sg.tensors[sg.outputs[0]!]!;
      expect(String(out.name)).toBe('output24');
      expect(Array.from(out.shape)).toEqual([1, 2, 2]);
      const back = importTflite(bytes, 'y.tflite');
      expect(printOp(back)).not.toContain('tensor<*x');
      const a = new Interpreter(findFunc(original, 'main')!, { kernels: registeredKernels() });
      const b = new Interpreter(findFunc(back, 'main')!, { kernels: registeredKernels() });
      const ya = runs((x) => a.run(x).map((t) => t.data));
      const yb = runs((x) => b.run(x).map((t) => t.data));
      expect(yb).toEqual(ya);
    });
  }
});

describe.skipIf(!HAVE_CORPUS || !isOracleAvailable())('tfl-infer-shapes output in real TFLite', () => {
  let oracle: TfliteOracle;
  beforeAll(async () => {
    oracle = await loadTfliteOracle();
  });

  for (const rel of MODELS) {
    it(`${rel}: TFLite runs the exported model with the original's outputs, bit for bit`, () => {
      const m = importTflite(readCorpus(rel), rel);
      inferShapes(m);
      const original = oracle.createRunner(readCorpus(rel), { builtinOnly: true });
      const exported = oracle.createRunner(exportTflite(m), { builtinOnly: true });
      try {
        expect(exported.outputs()).toEqual(original.outputs());
        expect(runs((x) => exported.run(x))).toEqual(runs((x) => original.run(x)));
      } finally {
        original.dispose();
        exported.dispose();
      }
    });
  }
});
