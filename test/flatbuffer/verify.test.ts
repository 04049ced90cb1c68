// Tests for the structural .tflite verifier: the layout table matches tflite.fbs and the
// generated code, corpus models pass, targeted corruptions give path-qualified errors,
// and a seeded fuzz run shows it never throws and that accepted inputs are safe to walk.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as G from '../../src/flatbuffer/generated/tflite_generated.js';
import { TFLITE_LAYOUT, tableLayout, verifyModel } from '../../src/flatbuffer/verify.js';
import { CORPUS_DIR, REPO_ROOT, corpusModels, loadModelBytes, readModel, walkModel } from './helpers.js';

const models = corpusModels();

// ---------------------------------------------------------------------------
// Layout vs schema vs generated code
// ---------------------------------------------------------------------------

interface SchemaField { name: string; type: string; slot: number; deprecated: boolean }

/** Minimal reader for tflite.fbs tables: field name, type, slot (explicit id or positional). */
function schemaTables(): Map<string, SchemaField[]> {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'src/flatbuffer/schema/tflite.fbs'), 'utf8')
    .replace(/\/\/[^\n]*/g, '');
  const unions = new Set([...text.matchAll(/\bunion\s+(\w+)/g)].map((m) => m[1]!));
  const tables = new Map<string, SchemaField[]>();
  for (const m of text.matchAll(/\btable\s+(\w+)\s*(?:\([^)]*\))?\s*\{([^}]*)\}/g)) {
    const fields: SchemaField[] = [];
    let next = 0;
    for (const decl of m[2]!.split(';').map((d) => d.trim()).filter((d) => d !== '')) {
      const f = /^(\w+)\s*:\s*(\[?\w+\]?)\s*(?:=\s*[-\w.]+)?\s*(?:\((.*)\))?$/.exec(decl);
      if (!f) throw new Error(`cannot parse field '${decl}' of ${m[1]}`);
      const attrs = f[3] ?? '';
      const id = /\bid\s*:\s*(\d+)/.exec(attrs);
      const isUnion = unions.has(f[2]!);
      const slot = id ? Number(id[1]) : next + (isUnion ? 1 : 0);
      fields.push({ name: f[1]!, type: f[2]!, slot, deprecated: /\bdeprecated\b/.test(attrs) });
      next = slot + 1;
    }
    tables.set(m[1]!, fields);
  }
  return tables;
}

describe('TFLITE_LAYOUT', () => {
  const schema = schemaTables();

  it('describes exactly the tables of tflite.fbs', () => {
    expect(Object.keys(TFLITE_LAYOUT).sort()).toEqual([...schema.keys()].sort());
  });

  it.each([...schema.keys()])('matches tflite.fbs for %s', (table) => {
    const layout = tableLayout(table)!.map(({ name, type, slot, deprecated }) => ({ name, type, slot, deprecated }));
    expect(layout).toEqual(schema.get(table));
  });

  it('only names accessors the generated classes have', () => {
    const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    for (const table of Object.keys(TFLITE_LAYOUT)) {
      const proto = (G as unknown as Record<string, { prototype: Record<string, unknown> }>)[table]!.prototype;
      for (const f of tableLayout(table)!) {
        const m = camel(f.name);
        if (f.deprecated) {
          expect(proto[m], `${table}.${m} (deprecated)`).toBeUndefined();
          continue;
        }
        expect(typeof proto[m], `${table}.${m}`).toBe('function');
        if (f.kind.tag.startsWith('vector')) expect(typeof proto[`${m}Length`]).toBe('function');
        if (f.kind.tag === 'union') expect(typeof proto[`${m}Type`]).toBe('function');
      }
    }
  });
});

// ---------------------------------------------------------------------------
// Corpus and targeted corruptions
// ---------------------------------------------------------------------------

/** Smallest corpus models first: cheap bases for corruption and fuzzing. */
function smallModels(limit: number): string[] {
  return [...models]
    .map((rel) => ({ rel, size: fs.statSync(path.join(CORPUS_DIR, rel)).size }))
    .sort((a, b) => a.size - b.size || a.rel.localeCompare(b.rel))
    .slice(0, limit)
    .map((m) => m.rel);
}

/** Position of the length word of vector field `slot` of the table read by `obj`. */
function vectorLengthPos(obj: { bb: unknown; bb_pos: number }, slot: number): number {
  const bb = obj.bb as { __offset(pos: number, vt: number): number; __vector(pos: number): number };
  const off = bb.__offset(obj.bb_pos, 4 + 2 * slot);
  if (off === 0) throw new Error('field absent');
  return bb.__vector(obj.bb_pos + off) - 4;
}

describe('verifyModel', () => {
  if (models.length === 0) {
    it.skip(`corpus not found at ${CORPUS_DIR}; corpus checks skipped`, () => {});
    return;
  }

  it.each(models)('accepts and walks %s', (rel) => {
    const bytes = loadModelBytes(rel);
    expect(verifyModel(bytes)).toEqual({ ok: true });
    expect(walkModel(bytes)).toBeGreaterThan(10);
  });

  const base = smallModels(1)[0]!;

  it('rejects short, oversized, misaligned and mislabelled buffers', () => {
    const bytes = loadModelBytes(base);
    expect(verifyModel(bytes.slice(0, 7))).toEqual({ ok: false, error: 'model: buffer too small (7 bytes, need at least 8)' });
    expect(verifyModel(bytes, { maxBufferSize: 100 })).toEqual({
      ok: false,
      error: `model: buffer too large (${bytes.length} bytes, limit 100)`,
    });
    const shifted = new Uint8Array(bytes.length + 4);
    shifted.set(bytes, 4);
    expect(verifyModel(shifted.subarray(4)).ok).toBe(false);
    const wrongId = bytes.slice();
    wrongId.set([0x54, 0x46, 0x4c, 0x32], 4); // "TFL2"
    expect(verifyModel(wrongId)).toEqual({ ok: false, error: 'model: file identifier is "TFL2", expected "TFL3"' });
    expect(verifyModel(wrongId, { identifier: null })).toEqual({ ok: true });
    const badRoot = bytes.slice();
    new DataView(badRoot.buffer).setUint32(0, bytes.length + 8, true);
    expect(verifyModel(badRoot)).toEqual({
      ok: false,
      error: `model: root table offset out of range (offset ${bytes.length + 8}, buffer ${bytes.length})`,
    });
  });

  it('reports the path of an out-of-range vector', () => {
    const bytes = loadModelBytes(base);
    const sg = readModel(bytes).subgraphs(0)!;
    const k = sg.tensorsLength() - 1;
    const pos = vectorLengthPos(sg.tensors(k)! as never, 0); // Tensor.shape is slot 0
    new DataView(bytes.buffer).setUint32(pos, 99999, true);
    expect(verifyModel(bytes)).toEqual({
      ok: false,
      error: `model.subgraphs[0].tensors[${k}].shape: vector out of range (offset ${pos}, length 99999)`,
    });
  });

  it('reports unterminated strings, unknown union types and limits', () => {
    // A model with named tensors and an operator carrying builtin options.
    const rich = 'hello_world/hello_world_int8.tflite';
    expect(models).toContain(rich);
    const bytes = loadModelBytes(rich);
    const sg = readModel(bytes).subgraphs(0)!;
    // Generated vector accessors do not bounds-check the index, so stay below the length.
    const named = Array.from({ length: sg.tensorsLength() }, (_, i) => i).find((i) => sg.tensors(i)!.name());
    if (named === undefined) throw new Error(`${rich} has no named tensor`);
    const namePos = vectorLengthPos(sg.tensors(named)! as never, 3); // Tensor.name, slot 3
    const nameLen = new DataView(bytes.buffer).getUint32(namePos, true);
    const noNul = bytes.slice();
    noNul[namePos + 4 + nameLen] = 0x41;
    expect(verifyModel(noNul)).toEqual({
      ok: false,
      error: `model.subgraphs[0].tensors[${named}].name: string not NUL-terminated (offset ${namePos})`,
    });

    const op = sg.operators(0)!;
    const opBb = (op as unknown as { bb: { __offset(p: number, v: number): number } }).bb;
    const typeOff = opBb.__offset(op.bb_pos, 4 + 2 * 3); // builtin_options_type, slot 3
    expect(typeOff).not.toBe(0);
    const unknown = bytes.slice();
    unknown[op.bb_pos + typeOff] = 200;
    expect(verifyModel(unknown)).toEqual({
      ok: false,
      error: 'model.subgraphs[0].operators[0].builtin_options: unknown BuiltinOptions type 200',
    });
    expect(verifyModel(unknown, { allowUnknownUnionTypes: true })).toEqual({ ok: true });

    expect(verifyModel(bytes, { maxDepth: 2 })).toMatchObject({ ok: false, error: expect.stringContaining('nested deeper than 2') });
    expect(verifyModel(bytes, { maxTables: 5 })).toMatchObject({ ok: false, error: expect.stringContaining('more than 5 tables') });
  });
});

// ---------------------------------------------------------------------------
// Fuzzing
// ---------------------------------------------------------------------------

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (b: Uint8Array, rnd: () => number) => Uint8Array;

const pick = <T,>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const at = (rnd: () => number, n: number, align: number): number => Math.floor((rnd() * Math.max(1, n - 3)) / align) * align;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, rnd) => b.slice(0, Math.floor(rnd() * b.length)),
  flipBytes: (b, rnd) => {
    const c = b.slice();
    for (let i = 1 + Math.floor(rnd() * 8); i > 0; i--) c[Math.floor(rnd() * c.length)] = Math.floor(rnd() * 256);
    return c;
  },
  wildOffset: (b, rnd) => {
    const c = b.slice();
    const v = pick(rnd, [0, 1, 2, 3, 4, 0x7fffffff, 0x80000000, 0xffffffff, b.length, b.length - 4, Math.floor(rnd() * 2 ** 32)]);
    new DataView(c.buffer).setUint32(at(rnd, c.length, 4), v >>> 0, true);
    return c;
  },
  wildVoffset: (b, rnd) => {
    const c = b.slice();
    new DataView(c.buffer).setUint16(at(rnd, c.length, 2), pick(rnd, [0, 1, 3, 0x7fff, 0x8000, 0xffff, Math.floor(rnd() * 65536)]), true);
    return c;
  },
  hugeLength: (b, rnd) => {
    // Find small u32 values (likely vector/string lengths) and blow one up.
    const c = b.slice();
    const dv = new DataView(c.buffer);
    const candidates: number[] = [];
    for (let p = 0; p + 4 <= c.length; p += 4) {
      const v = dv.getUint32(p, true);
      if (v > 0 && v < 64) candidates.push(p);
    }
    if (candidates.length > 0) dv.setUint32(pick(rnd, candidates), pick(rnd, [0x7fffffff, 0x10000000, 0xffffffff, c.length]), true);
    return c;
  },
  rootOffset: (b, rnd) => {
    const c = b.slice();
    new DataView(c.buffer).setUint32(0, Math.floor(rnd() * c.length * 1.2), true);
    return c;
  },
  twice: (b, rnd) => {
    const kinds = ['flipBytes', 'wildOffset', 'wildVoffset', 'hugeLength'] as const;
    return MUTATIONS[pick(rnd, kinds)]!(MUTATIONS[pick(rnd, kinds)]!(b, rnd), rnd);
  },
};

describe('verifyModel fuzzing', () => {
  if (models.length === 0) {
    it.skip(`corpus not found at ${CORPUS_DIR}; fuzzing skipped`, () => {});
    return;
  }

  const cases = Number(process.env.QOPT_FUZZ_CASES ?? 2000);
  const seed = Number(process.env.QOPT_FUZZ_SEED ?? 20240607);

  it(`never throws and only accepts walkable models (${cases} cases, seed ${seed})`, () => {
    const rnd = prng(seed);
    const bases = [...smallModels(24), 'hello_world/hello_world_int8.tflite', 'mnist_lstm/trained_lstm_int8.tflite']
      .filter((rel, i, all) => all.indexOf(rel) === i && models.includes(rel))
      .map((rel) => ({ rel, bytes: loadModelBytes(rel) }));
    const kinds = Object.keys(MUTATIONS);
    const stats = { accepted: 0, rejected: 0 };
    const started = performance.now();
    for (let i = 0; i < cases; i++) {
      const base = pick(rnd, bases);
      const kind = pick(rnd, kinds);
      const mutated = MUTATIONS[kind]!(base.bytes, rnd);
      const label = `case ${i}: ${kind} of ${base.rel}`;
      let result: ReturnType<typeof verifyModel>;
      try {
        result = verifyModel(mutated);
      } catch (e) {
        throw new Error(`${label}: verifier threw ${String(e)}`);
      }
      if (result.ok) {
        stats.accepted++;
        try {
          walkModel(mutated);
        } catch (e) {
          throw new Error(`${label}: accepted, but walking it threw ${String(e)}`);
        }
      } else {
        stats.rejected++;
        expect(result.error, label).toMatch(/^model[.\w[\]]*: /);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`fuzz: ${stats.accepted} accepted, ${stats.rejected} rejected in ${seconds.toFixed(2)} s`);
    expect(stats.accepted).toBeGreaterThan(cases / 20);
    expect(stats.rejected).toBeGreaterThan(cases / 4);
    expect(seconds).toBeLessThan(30);
  });
});
