/**
 * Prints diagnostics as MLIR tools do: `file:line:col: error: message`, then the source line and
 * a caret when the location points into text we have.
 */
import { type Diagnostic, formatDiagnostic } from '../ir/diagnostic.js';
import { filePosition } from '../ir/location.js';

/** Source texts by file name, for caret lines. */
export type Sources = ReadonlyMap<string, string>;

/** Formats one diagnostic with its source line and caret (and its notes). */
export function renderDiagnostic(d: Diagnostic, sources: Sources): string {
  const lines = [formatDiagnostic({ ...d, notes: [] })];
  const p = filePosition(d.loc);
  const text = p ? sources.get(p.file) : undefined;
  if (p && text !== undefined && p.line > 0) {
    const line = text.split('\n')[p.line - 1];
    if (line !== undefined) {
      lines.push(line);
      lines.push(`${' '.repeat(Math.max(0, p.col - 1))}^`);
    }
  }
  for (const n of d.notes) lines.push(renderDiagnostic(n, sources));
  return lines.join('\n');
}
