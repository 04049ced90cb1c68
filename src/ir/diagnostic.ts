/**
 * Diagnostics in MLIR's form (`file:line:col: error: 'tfl.add' op message`), collected by a handler
 * so tools can print them, tests can check them, and `--verify-diagnostics` can match them.
 */
import { type Location, describeLoc, filePosition } from './location.js';

export type Severity = 'error' | 'warning' | 'note' | 'remark';

/** One diagnostic with optional attached notes. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly loc: Location;
  readonly message: string;
  readonly notes: readonly Diagnostic[];
}

/** Formats a diagnostic (and its notes) as MLIR prints them. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${describeLoc(d.loc)}: ${d.severity}: ${d.message}`;
  return [head, ...d.notes.map(formatDiagnostic)].join('\n');
}

/** Receives diagnostics. */
export type DiagnosticHandler = (d: Diagnostic) => void;

/** An error that carries diagnostics (thrown by parsers and importers; caught by drivers). */
export class DiagnosticError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticError';
    this.diagnostics = diagnostics;
  }
}

/** Makes an error diagnostic. */
export function errorDiag(loc: Location, message: string, notes: Diagnostic[] = []): Diagnostic {
  return { severity: 'error', loc, message, notes };
}

/** Throws a DiagnosticError with one error. */
export function fail(loc: Location, message: string): never {
  throw new DiagnosticError([errorDiag(loc, message)]);
}

/** A sink that stores diagnostics. */
export class DiagnosticCollector {
  readonly all: Diagnostic[] = [];
  readonly handler: DiagnosticHandler = (d) => {
    this.all.push(d);
  };
  get errors(): Diagnostic[] {
    return this.all.filter((d) => d.severity === 'error');
  }
  get hasErrors(): boolean {
    return this.all.some((d) => d.severity === 'error');
  }
}

/** The line of a diagnostic in its file, if it has one. */
export function diagnosticLine(d: Diagnostic): number | undefined {
  return filePosition(d.loc)?.line;
}
