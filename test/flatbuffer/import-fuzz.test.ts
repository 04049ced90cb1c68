// Importer robustness: thousands of mutated real models (byte-level and structural) must each end in a
// clear `file: …` error or a valid import — never an uncaught exception, a hang or a memory blow-up.
import { describe, expect, it } from 'vitest';
import { DiagnosticError } from '../../src/ir/diagnostic.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { verify } from '../../src/ir/verify.js';
import { printOp } from '../../src/syntax/printer.js';
import { readModel, writeModel } from '../../tools/oracle/model-edit.js';
import { registerAll } from '../../tools/register.js';
import { HAVE_CORPUS, NO_CORPUS, readCorpus, rng } from '../support/corpus.js';

registerAll();

const SEEDS = [
  'hello_world/hello_world_int8.tflite',
  'mnist_lstm/trained_lstm_int8.tflite',
  'network_tester/network_model.tflite',
  'keyword_scrambled/keyword_scrambled.tflite',
  'seanet/conv/conv0.tflite',
  'litert_quantizer/unidirectional_sequence_lstm_calibrated.tflite',
];

/** Imports; returns 'ok' or the error message. Anything but a DiagnosticError fails the test. */
function attempt(bytes: Uint8Array, label: string): string {
  try {
    const m = importTflite(bytes, 'fuzz.tflite');
    verify(m);
    printOp(m);
    return 'ok';
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw new Error(`${label}: uncaught ${(e as Error).stack}`);
    expect(e.message).toMatch(/^fuzz\.tflite: error: /);
    return e.message;
  }
}

describe.skipIf(!HAVE_CORPUS)('importer fuzz', () => {
  it('byte-level mutations: truncation, flips, offsets and lengths out of range (3000 cases)', () => {
    const r = rng(2026);
    let errors = 0;
    let oks = 0;
    for (let i = 0; i < 3000; i++) {
      const seed = readCorpus(SEEDS[i % SEEDS.length]!);
      const b = seed.slice();
      switch (i % 5) {
        case 0: {
          const cut = Math.floor(r() * b.length);
          const res = attempt(b.slice(0, cut), `truncate ${cut}`);
          if (res === 'ok') oks++;
          else errors++;
          continue;
        }
        case 1:
          for (let k = 0; k < 1 + Math.floor(r() * 8); k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
          break;
        case 2: {
          // A 32-bit word (offset or vector length) set to a huge or just-out-of-range value.
          const at = Math.floor((r() * (b.length - 4)) / 4) * 4;
          const v = [0x7fffffff, 0xffffffff, b.length, b.length - 2, 0x10000][Math.floor(r() * 5)]!;
          new DataView(b.buffer).setUint32(at, v, true);
          break;
        }
        case 3: {
          const at = Math.floor(r() * (b.length - 4));
          new DataView(b.buffer).setInt32(at, -Math.floor(r() * 1000), true);
          break;
        }
        default: {
          const at = Math.floor(r() * (b.length - 8));
          b.copyWithin(at, Math.floor(r() * (b.length - 8)), Math.floor(r() * (b.length - 8)) + 8);
        }
      }
      const res = attempt(b, `mutation ${i}`);
      if (res === 'ok') oks++;
      else errors++;
    }
    expect(errors).toBeGreaterThan(500);
    expect(oks + errors).toBe(3000);
  });

  it('structural mutations: bad tensor indices, cycles, unknown op codes, absurd dims, bad buffers (600 cases)', () => {
    const r = rng(7);
    const messages = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const m = readModel(readCorpus(SEEDS[i % SEEDS.length]!));
      const sg = m.subgraphs[0]!;
      const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)]!;
      switch (i % 8) {
        case 0: // operand index out of range
          pick(sg.operators).inputs[0] = sg.tensors.length + Math.floor(r() * 100);
          break;
        case 1: {
          // cycle: an op consumes a tensor produced later (or its own output)
          const op = pick(sg.operators);
          op.inputs[0] = op.outputs[0]!;
          break;
        }
        case 2:
          m.operatorCodes[0]!.builtinCode = 1000 + Math.floor(r() * 1000);
          m.operatorCodes[0]!.deprecatedBuiltinCode = 127;
          break;
        case 3:
          pick(sg.tensors).shape = [Math.floor(r() * 2 ** 31), 1 << 30, 1 << 30];
          break;
        case 4:
          pick(sg.tensors).buffer = m.buffers.length + 5;
          break;
        case 5:
          pick(sg.operators).opcodeIndex = m.operatorCodes.length + 3;
          break;
        case 6:
          pick(sg.tensors).type = 99;
          break;
        default: {
          const t = pick(sg.tensors);
          if (t.quantization) t.quantization.zeroPoint = [BigInt(1 << 20)];
          else t.shape = [-7];
        }
      }
      let bytes: Uint8Array;
      try {
        bytes = writeModel(m);
      } catch {
        continue; // the object API itself refused the edit
      }
      const res = attempt(bytes, `structural ${i}`);
      if (res !== 'ok') messages.add(res.replace(/\d+/g, 'N'));
    }
    // Clear, specific messages naming the place.
    const all = [...messages].join('\n');
    expect(all).toMatch(/tensor N/);
    expect(all).toMatch(/unknown builtin operator code|opcode index/);
  });

  it('a valid import of a mutated model still exports', () => {
    const m = importTflite(readCorpus(SEEDS[0]!), 'fuzz.tflite');
    expect(exportTflite(m).length).toBeGreaterThan(100);
  });
});
if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
