// Runs a pipeline on MLIR text and returns the function bodies' lines (for compact expectations).
import { expect } from 'vitest';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';
import { PassManager, type PassRunResult } from '../../src/pass/pass-manager.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerGenericPasses } from '../../passes/index.js';

registerGenericPasses();

/** Parses `src`, runs `pipeline`, expects success, and returns the printed module. */
export function runPipeline(src: string, pipeline: string): { text: string; result: PassRunResult } {
  const m = parseSource(src, 'in.mlir');
  const result = PassManager.fromPipeline(pipeline).run(m);
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  expect(result.ok).toBe(true);
  return { text: printOp(m), result };
}

/** The op lines of a printed module (no module/func/brace lines), trimmed. */
export function bodyLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(module|func\.func|\})/.test(l));
}
