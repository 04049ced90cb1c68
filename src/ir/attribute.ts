/**
 * Immutable, interned IR attributes: integers, floats, bools, strings, arrays, dictionaries, types,
 * unit, symbol references, dense elements (raw little-endian bytes, never JS number arrays) and opaque
 * dialect attributes. Constructors return one shared instance per value, so `===` is equality.
 */
import { type FloatType, type IntegerType, type RankedTensorType, type Type, integerType, storageType } from './type.js';

export interface IntegerAttr {
  readonly kind: 'integer';
  readonly id: number;
  /** A JS number when it is a safe integer, else a bigint. */
  readonly value: number | bigint;
  readonly type: IntegerType | Type;
}
export interface FloatAttr {
  readonly kind: 'float';
  readonly id: number;
  readonly value: number;
  readonly type: FloatType;
}
export interface BoolAttr {
  readonly kind: 'bool';
  readonly id: number;
  readonly value: boolean;
}
export interface StringAttr {
  readonly kind: 'string';
  readonly id: number;
  readonly value: string;
}
export interface ArrayAttr {
  readonly kind: 'array';
  readonly id: number;
  readonly elements: readonly Attribute[];
}
export interface DictionaryAttr {
  readonly kind: 'dictionary';
  readonly id: number;
  /** Entries sorted by key. */
  readonly entries: readonly (readonly [string, Attribute])[];
}
export interface TypeAttr {
  readonly kind: 'type';
  readonly id: number;
  readonly value: Type;
}
export interface UnitAttr {
  readonly kind: 'unit';
  readonly id: number;
}
export interface SymbolRefAttr {
  readonly kind: 'symbol_ref';
  readonly id: number;
  readonly root: string;
  readonly nested: readonly string[];
}
/**
 * `dense<…> : tensor<…>`: the elements' raw little-endian storage bytes (i1 one byte per element;
 * quantized element types use their storage type). A splat holds one element.
 */
export interface DenseElementsAttr {
  readonly kind: 'dense';
  readonly id: number;
  readonly type: RankedTensorType;
  readonly bytes: Uint8Array;
  readonly splat: boolean;
}
/** An attribute of a dialect qopt does not model, kept as text: `#dialect.body`. */
export interface OpaqueAttr {
  readonly kind: 'opaque';
  readonly id: number;
  readonly dialect: string;
  readonly body: string;
}

/** Every IR attribute. */
export type Attribute =
  | IntegerAttr
  | FloatAttr
  | BoolAttr
  | StringAttr
  | ArrayAttr
  | DictionaryAttr
  | TypeAttr
  | UnitAttr
  | SymbolRefAttr
  | DenseElementsAttr
  | OpaqueAttr;

const interned = new Map<string, Attribute>();
let nextId = 1;

function intern<T extends Attribute>(key: string, make: (id: number) => T): T {
  const found = interned.get(key);
  if (found) return found as T;
  const a = Object.freeze(make(nextId++)) as T;
  interned.set(key, a);
  return a;
}

/** An integer attribute (default type i64, as MLIR). */
export function integerAttr(value: number | bigint, type: Type = integerType(64)): IntegerAttr {
  let v: number | bigint = value;
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) v = Number(v);
  if (typeof v === 'number' && !Number.isInteger(v)) throw new Error(`integer attribute from non-integer ${v}`);
  if (typeof v === 'number' && Object.is(v, -0)) v = 0;
  const val = v;
  return intern(`i:${String(val)}:${type.id}`, (id) => ({ kind: 'integer', id, value: val, type }));
}
/** A float attribute; f32 values are rounded to f32. */
export function floatAttr(value: number, type: FloatType): FloatAttr {
  const v = type.name === 'f32' ? Math.fround(value) : value;
  const key = Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v);
  return intern(`f:${key}:${type.id}`, (id) => ({ kind: 'float', id, value: v, type }));
}
/** `true` / `false`. */
export function boolAttr(value: boolean): BoolAttr {
  return intern(`b:${value}`, (id) => ({ kind: 'bool', id, value }));
}
/** A string attribute. */
export function stringAttr(value: string): StringAttr {
  return intern(`s:${value}`, (id) => ({ kind: 'string', id, value }));
}
/** `[a, b, …]`. */
export function arrayAttr(elements: readonly Attribute[]): ArrayAttr {
  return intern(`a:${elements.map((e) => e.id).join(',')}`, (id) => ({
    kind: 'array',
    id,
    elements: Object.freeze([...elements]),
  }));
}
/** `{k = v, …}`; entries are sorted by key. */
export function dictionaryAttr(entries: Iterable<readonly [string, Attribute]>): DictionaryAttr {
  const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const key = `d:${sorted.map(([k, v]) => `${JSON.stringify(k)}=${v.id}`).join(',')}`;
  return intern(key, (id) => ({
    kind: 'dictionary',
    id,
    entries: Object.freeze(sorted.map((e) => Object.freeze([e[0], e[1]] as const))),
  }));
}
/** A type used as an attribute. */
export function typeAttr(value: Type): TypeAttr {
  return intern(`t:${value.id}`, (id) => ({ kind: 'type', id, value }));
}
/** The unit attribute (presence flag). */
export function unitAttr(): UnitAttr {
  return intern('u', (id) => ({ kind: 'unit', id }));
}
/** `@root::@nested`. */
export function symbolRefAttr(root: string, nested: readonly string[] = []): SymbolRefAttr {
  return intern(`@:${JSON.stringify([root, ...nested])}`, (id) => ({
    kind: 'symbol_ref',
    id,
    root,
    nested: Object.freeze([...nested]),
  }));
}
/** `#dialect.body`. */
export function opaqueAttr(dialect: string, body: string): OpaqueAttr {
  return intern(`o:${dialect}:${body}`, (id) => ({ kind: 'opaque', id, dialect, body }));
}

/** Bytes per stored element of a tensor element type (i1 = 1 byte). */
export function elementByteWidth(element: Type): number {
  const s = storageType(element);
  switch (s.kind) {
    case 'integer':
      return s.width <= 8 ? 1 : s.width <= 16 ? 2 : s.width <= 32 ? 4 : 8;
    case 'float':
      return s.width / 8;
    case 'index':
      return 8;
    default:
      throw new Error(`no dense storage for element type kind '${s.kind}'`);
  }
}

function hashBytes(bytes: Uint8Array): string {
  // FNV-1a over the bytes, two lanes to keep collisions rare; equality is still checked by key text.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    h1 = Math.imul(h1 ^ b, 16777619);
    h2 = Math.imul(h2 ^ b, 2246822519);
  }
  return `${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}:${bytes.length}`;
}

const denseByHash = new Map<string, DenseElementsAttr[]>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A dense elements attribute over raw storage bytes (kept as given, not copied). `bytes` holds either
 * every element or, for a splat, exactly one.
 */
export function denseAttr(type: RankedTensorType, bytes: Uint8Array): DenseElementsAttr {
  const width = elementByteWidth(type.element);
  let n = 1;
  for (const d of type.shape) {
    if (d < 0) throw new Error('dense attribute needs a static shape');
    n *= d;
  }
  let splat: boolean;
  if (bytes.length === width && n !== 1) splat = true;
  else if (bytes.length === n * width) splat = n === 1 ? false : false;
  else throw new Error(`dense attribute has ${bytes.length} bytes, expected ${n * width} for ${n} elements`);
  // Canonical form: a buffer whose elements are all equal is stored as a splat.
  if (!splat && n > 1) {
    let all = true;
    for (let i = width; i < bytes.length && all; i++) if (bytes[i] !== bytes[i % width]) all = false;
    if (all) {
      bytes = bytes.subarray(0, width);
      splat = true;
    }
  }
  const key = `${type.id}:${splat ? 's' : 'd'}:${hashBytes(bytes)}`;
  const bucket = denseByHash.get(key);
  if (bucket) {
    for (const a of bucket) if (sameBytes(a.bytes, bytes)) return a;
  }
  const attr: DenseElementsAttr = Object.freeze({ kind: 'dense', id: nextId++, type, bytes, splat });
  if (bucket) bucket.push(attr);
  else denseByHash.set(key, [attr]);
  return attr;
}

/** Number of elements a dense attribute stands for. */
export function denseNumElements(a: DenseElementsAttr): number {
  let n = 1;
  for (const d of a.type.shape) n *= d;
  return n;
}

/** The attribute's bytes expanded to every element (copies splats; returns `bytes` otherwise). */
export function denseFullBytes(a: DenseElementsAttr): Uint8Array {
  if (!a.splat) return a.bytes;
  const n = denseNumElements(a);
  const w = a.bytes.length;
  const out = new Uint8Array(n * w);
  for (let i = 0; i < n; i++) out.set(a.bytes, i * w);
  return out;
}

/** Looks up a key in a dictionary attribute. */
export function dictGet(d: DictionaryAttr, key: string): Attribute | undefined {
  for (const [k, v] of d.entries) if (k === key) return v;
  return undefined;
}
