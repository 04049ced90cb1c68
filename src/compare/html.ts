/**
 * The HTML report: one self-contained page (inline CSS, script and SVG; nothing fetched). The
 * report JSON is embedded in the page and the inline script draws the charts, histograms, graph
 * and tables from it (see html-client.ts).
 */
import type { CompareReport } from './compare.js';
import { CLIENT_CSS, CLIENT_JS } from './html-client.js';
import { type SortKey, renderJson } from './report.js';

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /** Initial order of the layer table. */
  readonly sort?: SortKey;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Renders the page. */
export function renderHtml(r: CompareReport, opts: HtmlOptions = {}): string {
  const data = JSON.parse(renderJson(r)) as Record<string, unknown>;
  data.sort = opts.sort ?? 'sqnr';
  const tests = r.models.map((m) => m.label).join(', ');
  const meta =
    `reference <b>${esc(r.reference.label)}</b> &middot; compared: <b>${esc(tests)}</b> &middot; ` +
    `${r.data.samples} sample${r.data.samples === 1 ? '' : 's'} from <b>${esc(r.data.source)}</b> &middot; kernels ${esc(r.kernels)}` +
    (r.keepState ? ' &middot; state kept across samples' : '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>qopt compare: ${esc(tests)} vs ${esc(r.reference.label)}</title>
<style>${CLIENT_CSS}</style>
</head>
<body>
<header>
<h1>qopt compare &mdash; quantization error by layer</h1>
<p class="meta">${meta}</p>
</header>
<main>
<section id="summary">
<h2>Model outputs</h2>
<p class="help">Error of each model's outputs against the reference, argmax agreement per output row, and accuracy when labels were given.</p>
<div id="summary-table"></div>
</section>
<section id="charts">
<h2>SQNR per layer</h2>
<p class="help">Signal-to-quantization-noise ratio of each layer's output against the reference, in dB (higher is better; each 6 dB is about one bit). Hover a bar for details; hatched bars are exact.</p>
<div id="sqnr-charts"></div>
</section>
<section id="histograms-section">
<h2>Error histograms of the worst layers</h2>
<p class="help">Distribution of test &minus; reference for the layers with the lowest SQNR, in units of the test tensor's scale (LSB) where it is quantized. Ideal rounding fills the shaded &plusmn;0.5 LSB band; RMSE/scale is then 1/&radic;12 &asymp; 0.289.</p>
<div id="histograms"></div>
</section>
<section id="graph-section">
<h2>Graph</h2>
<div class="toolbar"><label>model <select id="model-select"></select></label><span class="legend" id="graph-legend">node colour = worst SQNR of the op's outputs</span></div>
<div id="graph" class="graph-wrap"></div>
</section>
<section id="layers-section">
<h2>Layers</h2>
<p class="help">Click a column to sort, a row or a graph node to select. Range used = span of the reference values over the test tensor's representable range; clipped = reference values outside it.</p>
<div id="layer-table"></div>
</section>
</main>
<script id="report-data" type="application/json">${scriptJson(JSON.stringify(data))}</script>
<script>
window.addEventListener('error', function (e) { document.body.dataset.error = String(e.message || e); });
try {
${CLIENT_JS}
  document.body.dataset.ready = 'ok';
} catch (e) {
  document.body.dataset.error = String((e && e.stack) || e);
  var box = document.createElement('pre');
  box.className = 'error';
  box.textContent = 'The report script failed: ' + String((e && e.message) || e);
  document.body.insertBefore(box, document.body.firstChild);
}
</script>
</body>
</html>
`;
}
