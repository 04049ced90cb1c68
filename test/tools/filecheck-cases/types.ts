/**
 * Shape of a FileCheck conformance case (a check file, an input, extra flags and the expected
 * outcome) and small helpers for writing case tables.
 */

/** Expected outcome: exit status 0 (`pass`), 1 (`fail`: a check did not hold) or 2 (`error`: bad check file/options/input). */
export type Expectation = 'pass' | 'fail' | 'error';

/** One conformance case, run against our FileCheck and (when installed) LLVM's. */
export interface FileCheckCase {
  /** Unique, descriptive name. */
  readonly name: string;
  /** Contents of the check file (named `check.txt` in diagnostics). */
  readonly check: string;
  /** The input text (fed on stdin, or via `--input-file input.txt` when `inputFile` is set). */
  readonly input: string;
  /** Extra command-line flags. */
  readonly args?: readonly string[];
  /** Pass the input with `--input-file input.txt` instead of stdin. */
  readonly inputFile?: boolean;
  readonly expect: Expectation;
  /**
   * Oldest LLVM major version showing the expected behaviour; older installed FileChecks skip the
   * case (our reference is LLVM 22).
   */
  readonly minLlvm?: number;
  /**
   * Set when our diagnostics text is known to differ from LLVM's for this case (the exit status is
   * still compared); the string explains the divergence.
   */
  readonly diagDivergence?: string;
}

/** Joins lines with `\n` and appends a final newline. */
export function lines(...xs: string[]): string {
  return xs.join('\n') + '\n';
}
