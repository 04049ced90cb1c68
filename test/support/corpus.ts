// Locating ../shared/corpus and seeded random inputs, shared by corpus-driven tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DType, TypedArray } from '../../src/interp/kernel.js';
import { allocTyped } from '../../src/interp/kernel.js';

/** Repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared corpus beside the repository. */
export const CORPUS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
/** Whether the corpus is present (a user's fresh clone may not have it). */
export const HAVE_CORPUS = fs.existsSync(path.join(CORPUS_DIR, 'manifest.json'));
/** Message for tests skipped without the corpus. */
export const NO_CORPUS = `skipped: the shared model corpus is not at ${CORPUS_DIR}`;

/** All corpus .tflite paths relative to the corpus root, sorted. */
export function corpusModels(): string[] {
  if (!HAVE_CORPUS) return [];
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.tflite')) out.push(path.relative(CORPUS_DIR, p));
    }
  };
  visit(CORPUS_DIR);
  return out.sort();
}

/** Reads a corpus file into a fresh aligned Uint8Array. */
export function readCorpus(rel: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(CORPUS_DIR, rel)));
}

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded random data for a dtype (floats in [-1, 1), integers over their full range). */
export function randomTyped(dtype: DType, n: number, r: () => number): TypedArray {
  const a = allocTyped(dtype, n);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'f32':
      case 'f64':
        a[i] = r() * 2 - 1;
        break;
      case 'i8':
        a[i] = Math.floor(r() * 256) - 128;
        break;
      case 'u8':
      case 'i1':
        a[i] = dtype === 'i1' ? (r() < 0.5 ? 1 : 0) : Math.floor(r() * 256);
        break;
      case 'i16':
        a[i] = Math.floor(r() * 65536) - 32768;
        break;
      case 'i32':
        a[i] = Math.floor(r() * 200) - 100;
        break;
      case 'i64':
        (a as BigInt64Array)[i] = BigInt(Math.floor(r() * 200) - 100);
        break;
      default:
        a[i] = 0;
    }
  }
  return a;
}

/** Byte-level equality of two typed arrays. */
export function sameBytes(a: TypedArray, b: TypedArray): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
