/** Summaries and number formatting for the bench tables (the timing itself is in paired.ts). */

/** Geometric mean (NaN for an empty list). */
export function geomean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

/** A number for a table: 3 significant digits, at most 3 decimals. */
export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  if (ms >= 0.01) return ms.toFixed(3);
  return ms.toPrecision(2);
}

/** A ratio for a table (2 decimals, or 3 significant digits below 0.1). */
export function fmtRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  return r >= 0.1 ? r.toFixed(2) : r.toPrecision(2);
}
