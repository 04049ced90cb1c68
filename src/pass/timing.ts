/**
 * Per-pass wall-time accounting and its report table (in the spirit of `-mlir-timing`): one row per
 * pipeline entry plus the verifier, with seconds and share of the total.
 */

/** Time spent in one pipeline entry (summed over the functions it ran on). */
export interface PassTiming {
  readonly name: string;
  /** Milliseconds. */
  wallMs: number;
  /** How many anchor ops it ran on. */
  runs: number;
}

/** Formats timings as a table; `totalMs` is the whole run. */
export function formatTimingReport(timings: readonly PassTiming[], totalMs: number): string {
  const sec = (ms: number): string => (ms / 1000).toFixed(4).padStart(9);
  const pct = (ms: number): string => `${(totalMs > 0 ? (100 * ms) / totalMs : 0).toFixed(1).padStart(5)}%`;
  const bar = '='.repeat(78);
  const lines = [
    bar,
    '  qopt pass timing report',
    bar,
    `  Total wall time: ${(totalMs / 1000).toFixed(4)} s`,
    '',
    '    Wall (s)   Share  Runs  Pass',
  ];
  for (const t of timings) lines.push(`  ${sec(t.wallMs)}  ${pct(t.wallMs)}  ${String(t.runs).padStart(4)}  ${t.name}`);
  lines.push(`  ${sec(totalMs)}  ${pct(totalMs)}        Total`);
  return lines.join('\n');
}
