// The HTML report in a real headless Chromium: the page's script must run without errors and
// draw its SVG charts, histograms and graph; a screenshot goes to test-artifacts/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/driver/io.js';
import { runQopt } from '../../src/driver/qopt-main.js';
import { encodeNpy } from '../../src/io/npy.js';
import { registerAll } from '../../tools/register.js';
import { CORPUS_DIR, HAVE_CORPUS, REPO_ROOT } from '../support/corpus.js';
import { dataset, floatModel, quantizedModel, synthetic } from './synthetic.js';

registerAll();
const dir = mkdtempSync(join(tmpdir(), 'qopt-compare-html-'));
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const SCREENSHOT = join(ARTIFACTS, 'compare-report.png');

/** The Chromium executable on PATH (Debian's `chromium`), if any. */
function findChromium(): string | undefined {
  for (const exe of [process.env.QOPT_CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'])
    if (exe && spawnSync(exe, ['--version'], { encoding: 'utf8', timeout: 30_000 }).status === 0) return exe;
  return undefined;
}
const CHROMIUM = findChromium();
const NO_CHROMIUM = 'skipped: no headless Chromium on PATH (Debian: apt-get install -y chromium; or set QOPT_CHROMIUM)';

function chromium(args: string[], page: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'qopt-chromium-'));
  try {
    const r = spawnSync(
      CHROMIUM!,
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, ...args, pathToFileURL(page).href,
      ],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 << 20 },
    );
    if (r.status !== 0) throw new Error(`chromium failed (${r.status ?? r.signal}): ${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const count = (s: string, re: RegExp): number => s.match(re)?.length ?? 0;

async function qopt(args: string[]): Promise<number> {
  const io = memoryIO('', dir);
  const code = await runQopt(args, io);
  if (code !== 0) throw new Error(io.err);
  return code;
}

/** Checks the DOM after the script ran; returns it. */
function checkDom(page: string, models: number, withErrors = true): string {
  const dom = chromium(['--dump-dom'], page);
  const body = /<body[^>]*>/.exec(dom)?.[0] ?? '';
  expect(body, dom.slice(0, 2000)).toContain('data-ready="ok"');
  expect(body).not.toContain('data-error');
  expect(dom).not.toContain('class="error"');
  expect(count(dom, /<svg [^>]*class="sqnr-chart"/g)).toBe(models);
  expect(count(dom, /<svg [^>]*class="sqnr-chart overlay"/g)).toBe(models > 1 ? 1 : 0);
  expect(count(dom, /<rect [^>]*class="bar"/g)).toBeGreaterThan(0);
  // (histograms are drawn for layers with errors only)
  expect(count(dom, /<svg [^>]*class="hist"/g) > 0).toBe(withErrors);
  expect(count(dom, /<svg [^>]*class="graph"/g)).toBe(1);
  expect(count(dom, /<g [^>]*class="node( selected)?"/g)).toBeGreaterThan(2);
  expect(count(dom, /<path [^>]*class="edge"/g)).toBeGreaterThan(1);
  expect(count(dom, /<table [^>]*class="sortable layers"/g)).toBe(1);
  return dom;
}

beforeAll(() => {
  const p = synthetic(24);
  writeFileSync(join(dir, 'float.mlir'), floatModel(p));
  writeFileSync(join(dir, 'int8.mlir'), quantizedModel(p, 8));
  writeFileSync(join(dir, 'int16.mlir'), quantizedModel(p, 16));
  writeFileSync(join(dir, 'clipped.mlir'), quantizedModel(p, 8, 0.5));
  const d = dataset(p);
  writeFileSync(join(dir, 'x.npy'), encodeNpy({ dtype: 'f32', shape: d.shape, data: d.data }));
});

describe('qopt compare --html', () => {
  it('writes one self-contained page', async () => {
    await qopt(['compare', 'float.mlir', 'int8.mlir', 'int16.mlir', '--data', 'x.npy', '--html', 'page.html']);
    const html = readFileSync(join(dir, 'page.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // Nothing is fetched: no external resources; the only URL is the SVG namespace.
    expect(html).not.toMatch(/<(link|img|iframe)\b|\ssrc=|url\(http|@import/);
    expect([...html.matchAll(/https?:\/\/[^\s'"<)]+/g)].map((m) => m[0])).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).toContain('<script id="report-data" type="application/json">');
    // Names cannot break out of the embedded JSON.
    expect(html.slice(html.indexOf('report-data'), html.indexOf('</script>'))).not.toContain('</');
  });

  it.skipIf(!CHROMIUM)('runs its script in headless Chromium and draws the charts (3 models)', async () => {
    await qopt(['compare', 'float.mlir', 'int8.mlir', 'int16.mlir', 'clipped.mlir', '--data', 'x.npy', '--weights', '--html', 'three.html']);
    const dom = checkDom(join(dir, 'three.html'), 3);
    // 8 layers (with weights) per model, one bar each.
    expect(count(dom, /<rect [^>]*class="bar"/g)).toBe(3 * 8);
    expect(count(dom, /<path [^>]*class="series"/g)).toBe(3);
    expect(count(dom, /<g [^>]*class="node( selected)?"/g)).toBe(4);
  });

  it.skipIf(!CHROMIUM)(`renders a screenshot to ${SCREENSHOT}`, async () => {
    const page = join(dir, 'shot.html');
    if (HAVE_CORPUS) {
      const m = join(CORPUS_DIR, 'mnist_lstm');
      const labels = Int32Array.from({ length: 10 }, (_, i) => i); // samples/sample{i}.png shows digit i
      writeFileSync(join(dir, 'labels.npy'), encodeNpy({ dtype: 'i32', shape: [10], data: labels }));
      await qopt(['compare', join(m, 'trained_lstm.tflite'), join(m, 'trained_lstm_int8.tflite'), '--data', join(m, 'samples'), '--labels', 'labels.npy', '--html', page]);
    } else {
      await qopt(['compare', 'float.mlir', 'int8.mlir', '--data', 'x.npy', '--html', page]);
    }
    checkDom(page, 1);
    mkdirSync(ARTIFACTS, { recursive: true });
    rmSync(SCREENSHOT, { force: true });
    chromium([`--screenshot=${SCREENSHOT}`, '--window-size=1200,900', '--hide-scrollbars'], page);
    expect(existsSync(SCREENSHOT)).toBe(true);
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
  });

  it.skipIf(!CHROMIUM)('caps the drawing of a big graph and says so', async () => {
    const n = 450;
    const ops = Array.from({ length: n }, (_, i) => `  %${i + 1} = "tfl.tanh"(%${i === 0 ? 'arg0' : i}) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("layer${i}")`);
    writeFileSync(join(dir, 'chain.mlir'), `func.func @main(%arg0: tensor<1x4xf32> loc("x")) -> tensor<1x4xf32> {\n${ops.join('\n')}\n  return %${n} : tensor<1x4xf32>\n}\n`);
    writeFileSync(join(dir, 'chain-x.npy'), encodeNpy({ dtype: 'f32', shape: [2, 1, 4], data: Float32Array.from([0.1, -0.2, 0.3, 0.9, -1, 1, 0.5, 0]) }));
    await qopt(['compare', 'chain.mlir', 'chain.mlir', '--data', 'chain-x.npy', '--html', 'chain.html']);
    const dom = checkDom(join(dir, 'chain.html'), 1, false);
    expect(dom).toContain('No layer with a nonzero error.');
    expect(dom).toContain(`the drawing shows the first 400 of ${n + 1} ops and inputs`);
    expect(count(dom, /<g [^>]*class="node( selected)?"/g)).toBe(400);
    expect(count(dom, /<rect [^>]*class="bar"/g)).toBe(n + 1);
  });

  if (!CHROMIUM) it.skip(NO_CHROMIUM, () => {});
});
