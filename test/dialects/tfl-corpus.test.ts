/**
 * Integration check of the tfl and quant op declarations against real models: every corpus
 * .tflite imports and passes the verifier (structural checks plus each op's own verify), and the
 * lit-test files of the dialects parse, verify and round-trip through the printer.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';
import { verify } from '../../src/ir/verify.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerBuiltinDialects } from '../../dialects/builtin/index.js';
import { registerQuantDialect } from '../../dialects/quant/index.js';
import { registerTflDialect } from '../../dialects/tfl/index.js';

registerBuiltinDialects();
registerTflDialect();
registerQuantDialect();

const CORPUS = '/work/shared/corpus';

function* tfliteFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tfliteFiles(p);
    else if (p.endsWith('.tflite')) yield p;
  }
}

describe.skipIf(!existsSync(CORPUS))('corpus models verify with the tfl dialect', () => {
  const files = existsSync(CORPUS) ? [...tfliteFiles(CORPUS)] : [];
  it.each(files.map((f) => [relative(CORPUS, f), f] as const))('%s', (_name, file) => {
    const module = importTflite(new Uint8Array(readFileSync(file)), file);
    expect(verify(module).map(formatDiagnostic)).toEqual([]);
  });
});

describe('dialect round-trip lit files parse, verify and print stably', () => {
  const files = ['lit-tests/dialects/tfl/ops.mlir', 'lit-tests/dialects/tfl/canonicalize.mlir', 'lit-tests/dialects/quant/ops.mlir'];
  it.each(files)('%s', (file) => {
    const path = fileURLToPath(new URL(`../../${file}`, import.meta.url));
    const first = parseSource(readFileSync(path, 'utf8'), file);
    expect(verify(first).map(formatDiagnostic)).toEqual([]);
    const text = printOp(first);
    const second = parseSource(text, 'printed');
    expect(verify(second).map(formatDiagnostic)).toEqual([]);
    expect(printOp(second)).toBe(text);
  });
});
