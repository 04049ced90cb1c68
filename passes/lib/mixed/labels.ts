/**
 * Class labels for the accuracy objective of quant-mixed: an `.npy` with one integer class per
 * calibration sample (leading axis = samples; `[N]` or `[N, 1]`), or `from-filenames` — the digit
 * in each file name of a sample folder (`sample<digit>.png`), in the order the dataset loader reads
 * the folder (sorted names, `.npy` files if any, else PNG images). Also top-1 accuracy.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeNpy } from '../../../src/io/npy.js';

/** The labels of a sample folder, from the last number in each file's name. */
export function labelsFromFilenames(dataPath: string): number[] {
  let st;
  try {
    st = statSync(dataPath);
  } catch {
    throw new Error(`${dataPath}: no such file or folder`);
  }
  if (!st.isDirectory()) throw new Error(`labels=from-filenames needs a folder of samples as calibration data (${dataPath} is a file)`);
  const files = readdirSync(dataPath).sort();
  const npys = files.filter((f) => f.endsWith('.npy'));
  const chosen = npys.length ? npys : files.filter((f) => f.toLowerCase().endsWith('.png'));
  return chosen.map((f) => {
    const m = /(\d+)\D*$/.exec(basename(f).replace(/\.[^.]*$/, ''));
    if (!m) throw new Error(`${f}: no class number in the file name (expected e.g. sample3.png)`);
    return Number(m[1]);
  });
}

/** The labels of an `.npy` file (integer classes, one per sample). */
export function labelsFromNpy(path: string): number[] {
  const a = decodeNpy(new Uint8Array(readFileSync(path)), path);
  if (a.shape.length > 2 || (a.shape.length === 2 && a.shape[1] !== 1) || a.shape.length === 0)
    throw new Error(`${path}: labels must have shape [N] or [N, 1] (got [${a.shape.join(', ')}])`);
  const out: number[] = [];
  for (let i = 0; i < a.data.length; i++) {
    const v = Number(a.data[i]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${path}: label ${i} is ${v}, not a class index`);
    out.push(v);
  }
  return out;
}

/** Loads labels for `labels=` (a path, or `from-filenames` with the calibration data path). */
export function loadLabels(spec: string, dataPath: string, resolvePath: (p: string) => string): number[] {
  return spec === 'from-filenames' ? labelsFromFilenames(dataPath) : labelsFromNpy(resolvePath(spec));
}

/** Parses an accuracy drop: a fraction (`0.01`) or a percentage (`1%`). Negative/empty: unset. */
export function parseAccuracyDrop(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const pct = t.endsWith('%');
  const v = Number(pct ? t.slice(0, -1) : t);
  if (!Number.isFinite(v)) throw new Error(`max-accuracy-drop: '${s}' is not a number or percentage`);
  if (v < 0) return undefined;
  const f = pct ? v / 100 : v;
  if (f > 1) throw new Error(`max-accuracy-drop: ${s} is more than 100% (give a fraction like 0.01 or a percentage like 1%)`);
  return f;
}

/** Index of the largest element. */
export function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

/** Top-1 accuracy of output 0 against the labels (samples beyond the labels are not counted). */
export function top1(outs: readonly (readonly ArrayLike<number>[])[], labels: readonly number[]): number {
  let n = 0;
  let ok = 0;
  outs.forEach((o, i) => {
    const l = labels[i];
    const y = o[0];
    if (l === undefined || !y) return;
    n++;
    if (argmax(y) === l) ok++;
  });
  return n ? ok / n : 0;
}
