/**
 * Text renderings of a {@link CompareReport}: the terminal tables (worst layers first, aligned
 * columns), JSON (non-finite numbers as "inf"/"-inf"/null) and CSV (one row per model and layer).
 */
import type { CompareReport, LayerReport, ModelReport } from './compare.js';

/** How layer tables are ordered. */
export type SortKey = 'sqnr' | 'name' | 'order';

/** Formats a number compactly: 3 significant digits, exponent form for very small or large. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

/** Formats a fraction as a percentage. */
export function pct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  const p = x * 100;
  if (p !== 0 && Math.abs(p) < 10 ** -digits) return `<${10 ** -digits}%`;
  return `${p.toFixed(digits)}%`;
}

/** SQNR ordering key: worst (lowest) first; exact and undefined last. */
function sqnrKey(l: LayerReport): number {
  const s = l.metrics.sqnrDb;
  if (Number.isNaN(s)) return Number.MAX_VALUE;
  return s;
}

/** The layers of a model in the requested order. */
export function sortLayers(layers: readonly LayerReport[], key: SortKey): LayerReport[] {
  const out = [...layers];
  if (key === 'order') return out.sort((a, b) => a.order - b.order);
  if (key === 'name') return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.order - b.order));
  return out.sort((a, b) => sqnrKey(a) - sqnrKey(b) || a.order - b.order);
}

function ellipsize(s: string, n: number): string {
  if (s.length <= n) return s;
  const head = Math.ceil((n - 1) / 2);
  return `${s.slice(0, head)}…${s.slice(s.length - (n - 1 - head))}`;
}

/** Aligned columns; `right[i]` right-aligns column i. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (right[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function layerRow(l: LayerReport): string[] {
  const m = l.metrics;
  return [
    String(l.order),
    ellipsize(l.name, 44),
    ellipsize(l.op, 26),
    l.dtype,
    String(l.elements),
    fmt(m.meanError),
    fmt(m.maxAbsError),
    fmt(m.rmse),
    fmt(m.rmseOverScale),
    fmt(m.sqnrDb),
    pct(m.rangeUsed, 0),
    pct(m.clippedFraction, 2),
  ];
}

const LAYER_HEADER = ['#', 'layer', 'op', 'type', 'elems', 'mean err', 'max|err|', 'RMSE', 'RMSE/s', 'SQNR dB', 'used', 'clipped'];
const LAYER_RIGHT = [true, false, false, false, true, true, true, true, true, true, true, true];

function accuracyText(a: { correct: number; total: number } | null): string {
  return a ? `${a.correct}/${a.total} (${((100 * a.correct) / a.total).toFixed(1)}%)` : '-';
}

/** The per-layer table of one model; `top` limits the rows (0 = all). */
export function renderModelTable(m: ModelReport, sort: SortKey, top: number): string {
  const layers = sortLayers(m.layers, sort);
  const shown = top > 0 ? layers.slice(0, top) : layers;
  const out = [table(LAYER_HEADER, shown.map(layerRow), LAYER_RIGHT)];
  if (shown.length < layers.length) out.push(`… ${layers.length - shown.length} more layers (--top 0 shows all; --json/--csv/--html have every one)`);
  const list = (xs: readonly string[]): string => `${xs.slice(0, 6).join(', ')}${xs.length > 6 ? `, … (${xs.length - 6} more)` : ''}`;
  if (m.unmatchedReference.length) out.push(`${m.unmatchedReference.length} reference tensor(s) without a counterpart: ${list(m.unmatchedReference)}`);
  if (m.unmatchedTest.length) out.push(`${m.unmatchedTest.length} test tensor(s) without a counterpart: ${list(m.unmatchedTest)}`);
  return out.join('\n');
}

/** The model-level summary: output error, argmax agreement and accuracy per model. */
export function renderOutputSummary(r: CompareReport): string {
  const rows: string[][] = [[`${r.reference.label} (reference)`, '', '', '', '', '', accuracyText(r.reference.accuracy)]];
  for (const m of r.models)
    m.outputs.forEach((o, k) =>
      rows.push([
        k === 0 ? m.label : '',
        ellipsize(o.name, 36),
        fmt(o.metrics.sqnrDb),
        fmt(o.metrics.maxAbsError),
        fmt(o.metrics.rmse),
        o.argmax ? `${o.argmax.agree}/${o.argmax.total} (${((100 * o.argmax.agree) / Math.max(1, o.argmax.total)).toFixed(0)}%)` : '-',
        k === 0 ? accuracyText(m.accuracy) : '',
      ]),
    );
  return table(['model', 'output', 'SQNR dB', 'max|err|', 'RMSE', 'argmax agree', 'accuracy'], rows, [false, false, true, true, true, true, true]);
}

/** The whole terminal report. */
export function renderText(r: CompareReport, sort: SortKey = 'sqnr', top = 0): string {
  const out: string[] = [];
  out.push(`reference ${r.reference.path}; ${r.data.samples} sample(s) from ${r.data.source}; kernels ${r.kernels}${r.keepState ? '; state kept across samples' : ''}`);
  for (const m of r.models) {
    const order = sort === 'sqnr' ? 'worst SQNR first' : sort === 'name' ? 'by name' : 'in execution order';
    out.push('', `${m.label}: ${m.layers.length} layer(s) compared, ${order}`, renderModelTable(m, sort, top));
  }
  out.push('', 'outputs', renderOutputSummary(r));
  return `${out.join('\n')}\n`;
}

/** JSON: non-finite numbers become "inf" / "-inf" / null. */
export function renderJson(r: CompareReport): string {
  return `${JSON.stringify(
    { tool: 'qopt compare', version: 1, ...r },
    (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? null : v > 0 ? 'inf' : '-inf';
      return v;
    },
    1,
  )}\n`;
}

function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isNaN(v) ? '' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v)) : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV: one row per test model and layer, in execution order. */
export function renderCsv(r: CompareReport): string {
  const header = [
    'model', 'order', 'name', 'test_name', 'op', 'kind', 'dtype', 'shape', 'elements', 'values', 'mean_error', 'mean_abs_error',
    'max_abs_error', 'rmse', 'rmse_over_scale', 'sqnr_db', 'ref_min', 'ref_max', 'test_min', 'test_max', 'representable_min',
    'representable_max', 'range_used', 'clipped_fraction', 'matched_by',
  ];
  const lines = [header.join(',')];
  for (const m of r.models)
    for (const l of sortLayers(m.layers, 'order')) {
      const x = l.metrics;
      lines.push(
        [
          m.label, l.order, l.name, l.testName, l.op, l.kind, l.dtype, l.shape.join('x'), l.elements, x.count, x.meanError, x.meanAbsError,
          x.maxAbsError, x.rmse, x.rmseOverScale, x.sqnrDb, x.refMin, x.refMax, x.testMin, x.testMax, x.representable?.[0], x.representable?.[1],
          x.rangeUsed, x.clippedFraction, l.matchedBy,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  return `${lines.join('\n')}\n`;
}
