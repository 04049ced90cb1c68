/**
 * Corpus helpers for the benches: the manifest (model kind), and the inputs a model is timed on —
 * the golden-check input files when the manifest names some (seanet CSVs, dtln/network_tester
 * `.bin`), seeded random data otherwise. Both processes of `bench/interp.ts` build the same inputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DType, type TypedArray, allocTyped, numElements } from '../../src/interp/kernel.js';
import { randomTyped, rng } from '../../test/support/corpus.js';
import { CORPUS_DIR } from './corpus.js';

/** What the manifest says about one model (the fields the benches use). */
export interface ManifestEntry {
  readonly path: string;
  readonly kind: string;
  readonly bytes: number;
  readonly ops: readonly string[];
  readonly op_counts?: Readonly<Record<string, number>>;
  readonly checks: readonly { readonly type: string; readonly input?: unknown }[];
}

let manifest: Map<string, ManifestEntry> | undefined;

/** Manifest entries by corpus-relative path (empty when the corpus has no manifest). */
export function manifestEntries(): Map<string, ManifestEntry> {
  if (manifest) return manifest;
  manifest = new Map();
  const file = path.join(CORPUS_DIR, 'manifest.json');
  if (!fs.existsSync(file)) return manifest;
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as { models: ManifestEntry[] };
  for (const e of m.models) manifest.set(e.path, e);
  return manifest;
}

/** The model kind shown in the tables: float | int8 | 16x8 | hybrid | mixed | ?. */
export function modelKind(rel: string): string {
  const k = manifestEntries().get(rel)?.kind ?? '?';
  return k === 'int16x8' ? '16x8' : k;
}

/** A tensor description sufficient to make an input. */
export interface InputSpec {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

interface FileInput {
  readonly input_index: number;
  readonly file: string;
  readonly dtype: string;
}

const MANIFEST_DTYPES: Record<string, DType> = {
  float32: 'f32',
  int8: 'i8',
  uint8: 'u8',
  int16: 'i16',
  int32: 'i32',
  int64: 'i64',
};

function readFileInput(f: FileInput): TypedArray | undefined {
  const dtype = MANIFEST_DTYPES[f.dtype];
  if (!dtype) return undefined;
  const full = path.join(CORPUS_DIR, f.file);
  if (!fs.existsSync(full)) return undefined;
  if (f.file.endsWith('.csv')) {
    const nums = fs.readFileSync(full, 'utf8').trim().split(',').map((s) => Number(s));
    const a = allocTyped(dtype, nums.length);
    if (a instanceof BigInt64Array) nums.forEach((v, i) => (a[i] = BigInt(v)));
    else (a as Exclude<TypedArray, BigInt64Array | BigUint64Array>).set(nums);
    return a;
  }
  if (f.file.endsWith('.bin')) {
    const bytes = new Uint8Array(fs.readFileSync(full));
    const a = allocTyped(dtype, bytes.byteLength / Math.max(1, allocTyped(dtype, 1).BYTES_PER_ELEMENT));
    new Uint8Array(a.buffer).set(bytes);
    return a;
  }
  return undefined;
}

/**
 * Inputs for one timed run of `rel`: for every input, the first golden check's file when it matches
 * the input's dtype and element count, seeded random data otherwise. `source` says which was used.
 */
export function benchInputs(rel: string, specs: readonly InputSpec[]): { inputs: TypedArray[]; source: 'golden' | 'random' | 'mixed' } {
  const files = new Map<number, TypedArray>();
  for (const c of manifestEntries().get(rel)?.checks ?? []) {
    if (!Array.isArray(c.input)) continue;
    for (const f of c.input as FileInput[]) {
      if (typeof f?.file !== 'string' || files.has(f.input_index)) continue;
      const a = readFileInput(f);
      if (a) files.set(f.input_index, a);
    }
    if (files.size) break;
  }
  const r = rng(0x5eed ^ rel.length);
  let golden = 0;
  const inputs = specs.map((s, i) => {
    const n = numElements(s.shape.map((d) => Math.max(d, 1)));
    const f = files.get(i);
    if (f && f.length === n && f.constructor === allocTyped(s.dtype, 0).constructor) {
      golden++;
      return f;
    }
    return randomTyped(s.dtype, n, r);
  });
  return { inputs, source: golden === 0 ? 'random' : golden === specs.length ? 'golden' : 'mixed' };
}
