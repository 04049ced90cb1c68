/**
 * NumPy `.npy` files: read (format versions 1.0, 2.0 and 3.0; little- or big-endian numeric dtypes,
 * C order) and write (the exact bytes numpy >= 1.23 `np.save` writes). Errors name the file, e.g.
 * `x.npy: truncated data (expected 3136 bytes, got 100)`.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import type { DType, TypedArray } from '../interp/kernel.js';

/** An n-dimensional array as stored in a `.npy` file (C order). */
export interface NpyArray {
  /** Element type, in the interpreter's names (`i1` = numpy bool, one byte 0/1 per element). */
  readonly dtype: DType;
  /** Dimensions; `[]` for a scalar (0-d) array. */
  readonly shape: readonly number[];
  /** The elements in C (row-major) order; the typed array type that `allocTyped(dtype)` makes. */
  readonly data: TypedArray;
}

/** numpy type character + item size for each dtype (`|b1` is numpy's bool). */
const NPY_TYPE: Record<DType, { kind: string; size: number }> = {
  f16: { kind: 'f', size: 2 },
  f32: { kind: 'f', size: 4 },
  f64: { kind: 'f', size: 8 },
  i1: { kind: 'b', size: 1 },
  i8: { kind: 'i', size: 1 },
  u8: { kind: 'u', size: 1 },
  i16: { kind: 'i', size: 2 },
  u16: { kind: 'u', size: 2 },
  i32: { kind: 'i', size: 4 },
  u32: { kind: 'u', size: 4 },
  i64: { kind: 'i', size: 8 },
  u64: { kind: 'u', size: 8 },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** An error about a named file: its message is `${file}: ${what}`. */
export class NpyFormatError extends Error {
  constructor(file: string, what: string) {
    super(`${file}: ${what}`);
    this.name = 'NpyFormatError';
  }
}

/** The numpy `descr` string for a dtype, e.g. `<f4`, `|i1`, `|b1`. */
export function npyDescr(dtype: DType): string {
  const t = NPY_TYPE[dtype];
  return `${t.size === 1 ? '|' : '<'}${t.kind}${t.size}`;
}

/**
 * Parses the bytes of a `.npy` file. `file` only names the file in error messages. Big-endian data
 * is converted to native order; Fortran order, structured, object, complex and string dtypes are
 * rejected with an {@link NpyFormatError}.
 */
export function decodeNpy(bytes: Uint8Array, file = 'array.npy'): NpyArray {
  const fail = (what: string): never => {
    throw new NpyFormatError(file, what);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (bad magic)');
  const major = bytes[6]!;
  const minor = bytes[7]!;
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = bytes[8]! | (bytes[9]! << 8);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('truncated header');
    headerLen = (bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16) | (bytes[11]! << 24)) >>> 0;
    headerStart = 12;
  } else {
    return fail(`unsupported format version ${major}.${minor}`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) {
    fail(`truncated header (expected ${headerLen} bytes, got ${bytes.length - headerStart})`);
  }
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);

  let dict: PyValue;
  try {
    dict = parsePyLiteral(header);
  } catch (e) {
    return fail(`malformed header: ${(e as Error).message}`);
  }
  if (!(dict instanceof Map)) return fail('malformed header: not a dict');
  for (const k of dict.keys()) {
    if (k !== 'descr' && k !== 'fortran_order' && k !== 'shape') fail(`malformed header: unexpected key '${k}'`);
  }
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shapeV = dict.get('shape');
  if (descr === undefined || fortran === undefined || shapeV === undefined) {
    fail("malformed header: needs the keys 'descr', 'fortran_order' and 'shape'");
  }
  if (typeof descr !== 'string') return fail(`unsupported dtype ${pyRepr(descr!)} (structured dtypes are not supported)`);
  if (typeof fortran !== 'boolean') return fail("malformed header: 'fortran_order' is not True/False");
  if (!Array.isArray(shapeV) || !shapeV.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    return fail(`malformed header: bad shape ${pyRepr(shapeV!)}`);
  }
  const shape = shapeV as number[];
  const { dtype, bigEndian } = parseDescr(descr, fail);
  if (fortran) fail('fortran_order arrays are not supported (save a C-contiguous array)');

  const size = NPY_TYPE[dtype].size;
  let count = 1;
  for (const d of shape) count *= d;
  const expected = count * size;
  if (!Number.isSafeInteger(expected)) fail(`array too large (shape ${pyRepr(shape)})`);
  const got = bytes.length - dataStart;
  if (got < expected) fail(`truncated data (expected ${expected} bytes, got ${got})`);
  if (got > expected) fail(`${got - expected} unexpected bytes after the data (expected ${expected} bytes)`);

  // Copy into a fresh, aligned buffer (byte-swapping big-endian data).
  const out = new Uint8Array(expected);
  out.set(bytes.subarray(dataStart, dataStart + expected));
  if (bigEndian && size > 1) {
    for (let i = 0; i < expected; i += size) out.subarray(i, i + size).reverse();
  }
  return { dtype, shape, data: typedView(dtype, out.buffer, count) };
}

/**
 * Serializes an array to `.npy` bytes, identical to numpy's `np.save` (format 1.0, 64-byte aligned
 * header with numpy's growth padding). Bool (`i1`) elements are written as 0/1.
 */
export function encodeNpy(arr: NpyArray, file = 'array.npy'): Uint8Array {
  const { dtype, shape, data } = arr;
  const fail = (what: string): never => {
    throw new NpyFormatError(file, what);
  };
  const t = NPY_TYPE[dtype];
  if (t === undefined) fail(`unsupported dtype '${String(dtype)}'`);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`bad shape [${shape.join(', ')}]`);
  const count = shape.reduce((a, b) => a * b, 1);
  const wantCtor = typedView(dtype, new ArrayBuffer(0), 0).constructor;
  if (data.constructor !== wantCtor) fail(`dtype ${dtype} needs a ${wantCtor.name}, got a ${data.constructor.name}`);
  if (data.length !== count) fail(`shape [${shape.join(', ')}] has ${count} elements, data has ${data.length}`);

  const shapeRepr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${npyDescr(dtype)}', 'fortran_order': False, 'shape': ${shapeRepr}, }`;
  // numpy leaves room for the first axis to grow to 21 digits.
  if (shape.length > 0) header += ' '.repeat(21 - String(shape[0]).length);
  const hlen = header.length + 1;
  let prefix = 10;
  if (prefix + hlen + 64 > 0xffff) prefix = 12; // version 2.0: 4-byte header length
  header += ' '.repeat(64 - ((prefix + hlen) % 64)) + '\n';

  const bytes = new Uint8Array(prefix + header.length + data.byteLength);
  bytes.set(MAGIC, 0);
  bytes[6] = prefix === 10 ? 1 : 2;
  bytes[7] = 0;
  const dv = new DataView(bytes.buffer);
  if (prefix === 10) dv.setUint16(8, header.length, true);
  else dv.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[prefix + i] = header.charCodeAt(i);
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  bytes.set(body, prefix + header.length);
  if (dtype === 'i1') {
    const start = prefix + header.length;
    for (let i = 0; i < count; i++) bytes[start + i] = bytes[start + i] ? 1 : 0;
  }
  return bytes;
}

/** Reads a `.npy` file; errors start with `path`. */
export function readNpy(path: string): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new NpyFormatError(path, `cannot read: ${(e as Error).message}`);
  }
  return decodeNpy(bytes, path);
}

/** Writes an array to a `.npy` file (same bytes as numpy's `np.save`). */
export function writeNpy(path: string, arr: NpyArray): void {
  writeFileSync(path, encodeNpy(arr, path));
}

// ---- dtype descriptors -----------------------------------------------------------------------------

function parseDescr(descr: string, fail: (what: string) => never): { dtype: DType; bigEndian: boolean } {
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  if (m !== null) {
    const order = m[1]!;
    let kind = m[2]!;
    let size = m[3] === '' ? NaN : Number(m[3]);
    if (kind === '?') {
      kind = 'b';
      size = m[3] === '' ? 1 : size;
    }
    const found = (Object.keys(NPY_TYPE) as DType[]).find(
      (d) => NPY_TYPE[d].kind === kind && NPY_TYPE[d].size === size,
    );
    if (found !== undefined) {
      if (size === 1) return { dtype: found, bigEndian: false };
      if (order === '<') return { dtype: found, bigEndian: false };
      if (order === '>') return { dtype: found, bigEndian: true };
    }
  }
  return fail(`unsupported dtype '${descr}'`);
}

function typedView(dtype: DType, buf: ArrayBuffer, n: number): TypedArray {
  switch (dtype) {
    case 'f32':
      return new Float32Array(buf, 0, n);
    case 'f64':
      return new Float64Array(buf, 0, n);
    case 'f16':
    case 'u16':
      return new Uint16Array(buf, 0, n);
    case 'i1':
    case 'u8':
      return new Uint8Array(buf, 0, n);
    case 'i8':
      return new Int8Array(buf, 0, n);
    case 'i16':
      return new Int16Array(buf, 0, n);
    case 'i32':
      return new Int32Array(buf, 0, n);
    case 'u32':
      return new Uint32Array(buf, 0, n);
    case 'i64':
      return new BigInt64Array(buf, 0, n);
    case 'u64':
      return new BigUint64Array(buf, 0, n);
  }
}

// ---- the Python literal subset used by .npy headers ------------------------------------------------

type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

function pyRepr(v: PyValue): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `(${v.map(pyRepr).join(', ')})`;
  return `{${[...v].map(([k, x]) => `'${k}': ${pyRepr(x)}`).join(', ')}}`;
}

/**
 * Parses a Python literal made of dicts (string keys), tuples, lists, strings, integers, True,
 * False and None; the header may end with spaces and a newline.
 */
function parsePyLiteral(src: string): PyValue {
  let i = 0;
  const ws = (): void => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const err = (what: string): never => {
    throw new Error(`${what} at offset ${i}`);
  };
  const value = (): PyValue => {
    ws();
    const c = src[i];
    if (c === undefined) return err('unexpected end');
    if (c === '{') {
      i++;
      const m = new Map<string, PyValue>();
      for (;;) {
        ws();
        if (src[i] === '}') {
          i++;
          return m;
        }
        const k = value();
        if (typeof k !== 'string') return err('dict key is not a string');
        ws();
        if (src[i] !== ':') return err("expected ':'");
        i++;
        m.set(k, value());
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== '}') return err("expected ',' or '}'");
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const items: PyValue[] = [];
      for (;;) {
        ws();
        if (src[i] === close) {
          i++;
          return items;
        }
        items.push(value());
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== close) return err(`expected ',' or '${close}'`);
      }
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) return err('unterminated string');
      const s = src.slice(i + 1, end);
      if (s.includes('\\')) return err('escapes in strings are not supported');
      i = end + 1;
      return s;
    }
    const m = /^(-?\d+)L?|^(True|False|None)\b/.exec(src.slice(i));
    if (m === null) return err(`unexpected '${c}'`);
    i += m[0].length;
    if (m[1] !== undefined) return Number(m[1]);
    return m[2] === 'True' ? true : m[2] === 'False' ? false : null;
  };
  const v = value();
  ws();
  if (i !== src.length) err('trailing characters');
  return v;
}
