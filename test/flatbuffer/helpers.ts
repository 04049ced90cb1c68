// Shared helpers for the flatbuffer tests: locating the shared .tflite corpus, loading
// files into aligned buffers, and a generic reader walk driven by the verifier's layout
// (touches every declared field through the generated accessors).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as flatbuffers from 'flatbuffers';
import * as G from '../../src/flatbuffer/generated/tflite_generated.js';
import { tableLayout } from '../../src/flatbuffer/verify.js';

/** Repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared corpus sits next to the repository: <repo>/../shared/corpus. */
export const CORPUS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

/** Every .tflite below the corpus directory (sorted, relative paths), or [] if it is absent. */
export function corpusModels(): string[] {
  if (!fs.existsSync(CORPUS_DIR)) return [];
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

/** Reads a corpus file into a fresh, 0-offset Uint8Array (typed-array accessors need alignment). */
export function loadModelBytes(rel: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(CORPUS_DIR, rel)));
}

/** Root Model reader over bytes. */
export function readModel(bytes: Uint8Array): G.Model {
  return G.Model.getRootAsModel(new flatbuffers.ByteBuffer(bytes));
}

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

type Reader = Record<string, (...args: unknown[]) => unknown>;

function call(obj: Reader, method: string, ...args: unknown[]): unknown {
  const fn = obj[method];
  if (typeof fn !== 'function') throw new Error(`generated reader has no ${method}()`);
  return fn.apply(obj, args);
}

/**
 * Reads every non-deprecated field of table `table` at `obj` and, recursively, of every
 * table it reaches (vectors element by element and through *Array() where generated).
 * Returns the number of accessor calls made. Throws if the generated code does.
 */
export function walkTable(obj: unknown, table: string): number {
  const layout = tableLayout(table);
  if (!layout) throw new Error(`no layout for ${table}`);
  const r = obj as Reader;
  let calls = 0;
  for (const f of layout) {
    if (f.deprecated) continue;
    const m = camel(f.name);
    const k = f.kind;
    switch (k.tag) {
      case 'scalar':
      case 'string':
        call(r, m);
        calls++;
        break;
      case 'table': {
        const child = call(r, m);
        calls++;
        if (child) calls += walkTable(child, k.table);
        break;
      }
      case 'union': {
        const type = call(r, `${m}Type`) as number;
        calls++;
        const member = k.members[type];
        if (member !== undefined) {
          const Ctor = (G as unknown as Record<string, new () => unknown>)[member];
          if (!Ctor) throw new Error(`no generated class ${member}`);
          const child = call(r, m, new Ctor());
          calls++;
          if (child) calls += walkTable(child, member);
        }
        break;
      }
      case 'vector':
      case 'vectorOfStrings':
      case 'vectorOfTables': {
        const n = call(r, `${m}Length`) as number;
        calls++;
        for (let i = 0; i < n; i++) {
          const el = call(r, m, i);
          calls++;
          if (k.tag === 'vectorOfTables' && el) calls += walkTable(el, k.table);
        }
        if (typeof r[`${m}Array`] === 'function') {
          call(r, `${m}Array`);
          calls++;
        }
        break;
      }
    }
  }
  return calls;
}

/** Walks a whole model with the reader API and the object API (unpack()). */
export function walkModel(bytes: Uint8Array): number {
  const model = readModel(bytes);
  const calls = walkTable(model, 'Model');
  model.unpack();
  return calls;
}
