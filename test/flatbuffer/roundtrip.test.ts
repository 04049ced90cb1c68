// Every corpus model: import -> print -> parse -> export -> import gives the same IR, exporting is
// deterministic, and the exported model gives the same output bytes as the original in real TFLite.
import { describe, expect, it } from 'vitest';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { loadTfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { HAVE_CORPUS, NO_CORPUS, corpusModels, randomTyped, readCorpus, rng, sameBytes } from '../support/corpus.js';

const MODELS = corpusModels();

describe.skipIf(!HAVE_CORPUS)('tflite import/export round trip', () => {
  for (const rel of MODELS) {
    it(rel, () => {
      const bytes = readCorpus(rel);
      const m = importTflite(bytes, rel);
      const text = printOp(m, { debugInfo: true });
      expect(printOp(parseSource(text, 'reparsed.mlir'), { debugInfo: true })).toBe(text);
      const out = exportTflite(parseSource(text, 'reparsed.mlir'));
      expect(sameBytes(out, exportTflite(m))).toBe(true);
      expect(printOp(importTflite(out, rel), { debugInfo: true })).toBe(text);
    });
  }
});

/** Models tfjs-tflite (TFLite ≈2.12) refuses, with the reason it gives. */
const ORACLE_REJECTS: Record<string, RegExp> = {
  'person_detection/person_detect.tflite': /quantized_dimension must be in range/,
  // A quantizer test model whose state tensor does not have the shape SVDF requires.
  'litert_quantizer/svdf_calibrated.tflite': /SizeOfDimension\(state, 1\) != memory_size \* num_filters/,
  'litert_quantizer/svdf_quantized.tflite': /SizeOfDimension\(state, 1\) != memory_size \* num_filters/,
};

describe.skipIf(!HAVE_CORPUS)('exported models run like the originals in real TFLite', () => {
  for (const rel of MODELS) {
    it(rel, async () => {
      const oracle = await loadTfliteOracle();
      const bytes = readCorpus(rel);
      const exported = exportTflite(importTflite(bytes, rel));
      let original;
      try {
        original = oracle.createRunner(bytes, { builtinOnly: true });
      } catch (e) {
        const reason = ORACLE_REJECTS[rel];
        if (!reason) throw e;
        expect((e as Error).message).toMatch(reason);
        expect(() => oracle.createRunner(exported, { builtinOnly: true })).toThrow(reason);
        return;
      }
      const ours = oracle.createRunner(exported, { builtinOnly: true });
      const r = rng(rel.length * 7919);
      for (let trial = 0; trial < 2; trial++) {
        const inputs = original.inputs().map((t) => randomTyped(t.dtype, t.shape.reduce((a, b) => a * Math.max(b, 1), 1), r));
        let a;
        try {
          a = original.run(inputs);
        } catch (e) {
          // Random data can be invalid for the model (e.g. transpose_conv's runtime output_shape
          // input): then the exported model must fail the same way.
          expect(() => ours.run(inputs)).toThrow((e as Error).message);
          continue;
        }
        const b = ours.run(inputs);
        expect(b.length).toBe(a.length);
        a.forEach((x, i) => expect(sameBytes(x, b[i]!), `output ${i}`).toBe(true));
      }
      original.dispose();
      ours.dispose();
    });
  }
});

if (!HAVE_CORPUS)
  describe('tflite corpus', () => {
    it.skip(NO_CORPUS, () => {});
  });
