// Resource variables and CALL_ONCE in the interpreter: an LSTM unrolled with keep-state=true (state in
// tfl.var_handle/read_variable/assign_variable, initialised by call_once) streams like the fused op,
// and the headline pipeline `unroll,quantize-16x8` runs end to end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { printOp } from '../../src/syntax/printer.js';
import { memoryIO } from '../../src/driver/io.js';
import { registerAll } from '../../tools/register.js';
import { CORPUS_DIR, HAVE_CORPUS, NO_CORPUS, readCorpus } from '../support/corpus.js';

registerAll();

function digit(d: number): Float32Array {
  const p = PNG.sync.read(readFileSync(join(CORPUS_DIR, 'mnist_lstm', 'samples', `sample${d}.png`)));
  const x = new Float32Array(784);
  for (let i = 0; i < 784; i++) x[i] = p.data[i * 4]! / 255;
  return x;
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

describe.skipIf(!HAVE_CORPUS)('resource variables', () => {
  it('an LSTM unrolled with keep-state streams like the fused op, and reset restores the state', () => {
    const fused = importTflite(readCorpus('mnist_lstm/trained_lstm.tflite'), 'm.tflite');
    const unrolled = importTflite(readCorpus('mnist_lstm/trained_lstm.tflite'), 'm.tflite');
    const r = PassManager.fromPipeline('unroll').run(unrolled);
    expect(r.ok).toBe(true);
    expect(printOp(unrolled)).toContain('"tfl.call_once"');
    const a = new Interpreter(findFunc(fused, 'main')!, { kernels: registeredKernels() });
    const b = new Interpreter(findFunc(unrolled, 'main')!, { kernels: registeredKernels() });
    // Three invokes without reset: the state carries over in both.
    for (const d of [3, 7, 1]) {
      const ya = a.run([digit(d)])[0]!.data as Float32Array;
      const yb = b.run([digit(d)])[0]!.data as Float32Array;
      for (let i = 0; i < 10; i++) expect(Math.abs(ya[i]! - yb[i]!)).toBeLessThan(1e-5);
    }
    // After reset, the same input gives the fresh-state answer again.
    a.reset();
    b.reset();
    const fresh = new Interpreter(findFunc(fused, 'main')!, { kernels: registeredKernels() }).run([digit(5)])[0]!.data as Float32Array;
    const yb = b.run([digit(5)])[0]!.data as Float32Array;
    for (let i = 0; i < 10; i++) expect(Math.abs(fresh[i]! - yb[i]!)).toBeLessThan(1e-5);
  });

  it('qopt trained_lstm.tflite --passes=unroll,quantize-16x8 --calibration-data=samples classifies 10/10', async () => {
    const { runQopt } = await import('../../src/driver/qopt-main.js');
    const out = join(process.env.TMPDIR ?? '/tmp', `qopt-headline-${process.pid}.tflite`);
    const io = memoryIO('', process.cwd());
    const code = await runQopt(
      [join(CORPUS_DIR, 'mnist_lstm/trained_lstm.tflite'), '--passes=unroll,quantize-16x8', `--calibration-data=${join(CORPUS_DIR, 'mnist_lstm/samples')}`, '-o', out],
      io,
    );
    expect(io.err).not.toMatch(/error:/);
    expect(code).toBe(0);
    const m = importTflite(new Uint8Array(readFileSync(out)), 'm16.tflite');
    expect(printOp(m)).toMatch(/!quant\.uniform<i16:f32/);
    const it16 = new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() });
    let correct = 0;
    for (let d = 0; d < 10; d++) {
      it16.reset();
      if (argmax(it16.run([digit(d)])[0]!.data as Float32Array) === d) correct++;
    }
    expect(correct).toBe(10);
  });
});
if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
