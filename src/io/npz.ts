/**
 * NumPy `.npz` archives: a zip of `.npy` members. Reads stored and deflated members (zip64 records
 * included, as `np.savez` writes them); writes stored members (optionally deflated) with fixed
 * timestamps, so the same arrays always give the same bytes.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { decodeNpy, encodeNpy, NpyFormatError, type NpyArray } from './npy.js';

/** Options of {@link encodeNpz}. */
export interface NpzWriteOptions {
  /** Deflate the members (like `np.savez_compressed`). Default false: stored, like `np.savez`. */
  readonly deflate?: boolean;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
/** 1980-01-01 00:00:00 in MS-DOS format (the earliest zip date; numpy writes the same). */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

/**
 * Parses the bytes of an `.npz` archive into its arrays, keyed by member name without the `.npy`
 * suffix, in archive order. `file` only names the archive in error messages.
 */
export function decodeNpz(bytes: Uint8Array, file = 'arrays.npz'): Map<string, NpyArray> {
  const fail = (what: string): never => {
    throw new NpyFormatError(file, what);
  };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => dv.getUint16(o, true);
  const u32 = (o: number): number => dv.getUint32(o, true);
  const u64 = (o: number): number => {
    const v = dv.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('zip64 value too large');
    return Number(v);
  };

  // End of central directory: the last signature within the final 22 + 65535 bytes.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= 0 && o >= bytes.length - 22 - 0xffff; o--) {
    if (u32(o) === SIG_EOCD && o + 22 + u16(o + 20) <= bytes.length) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) fail('not a zip archive, or truncated (no end of central directory record)');
  let entries = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== SIG_EOCD64_LOCATOR) fail('zip64 end of central directory locator missing');
    const e64 = u64(loc + 8);
    if (e64 + 56 > bytes.length || u32(e64) !== SIG_EOCD64) fail('zip64 end of central directory record missing');
    entries = u64(e64 + 32);
    cdSize = u64(e64 + 40);
    cdOffset = u64(e64 + 48);
  }
  if (cdOffset + cdSize > bytes.length) fail('truncated archive (central directory out of range)');

  const out = new Map<string, NpyArray>();
  let p = cdOffset;
  for (let k = 0; k < entries; k++) {
    if (p + 46 > bytes.length || u32(p) !== SIG_CENTRAL) fail(`corrupt central directory (entry ${k})`);
    const flags = u16(p + 8);
    const method = u16(p + 10);
    const crc = u32(p + 16);
    let csize = u32(p + 20);
    let usize = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    let local = u32(p + 42);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(nameBytes);
    // zip64 extended information: the fields that are 0xffffffff above, in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = u16(e);
      const len = u16(e + 2);
      if (id === 0x0001) {
        let f = e + 4;
        const next = (): number => {
          if (f + 8 > e + 4 + len || f + 8 > bytes.length) fail(`corrupt zip64 extra field of '${name}'`);
          const v = u64(f);
          f += 8;
          return v;
        };
        if (usize === 0xffffffff) usize = next();
        if (csize === 0xffffffff) csize = next();
        if (local === 0xffffffff) local = next();
      }
      e += 4 + len;
    }
    p = extraEnd + commentLen;

    if (name.endsWith('/')) continue; // a directory
    const member = `${file}: ${name}`;
    if (flags & 0x1) throw new NpyFormatError(member, 'encrypted members are not supported');
    if (method !== 0 && method !== 8) {
      throw new NpyFormatError(member, `unsupported compression method ${method} (only stored and deflate)`);
    }
    if (local + 30 > bytes.length || u32(local) !== SIG_LOCAL) {
      throw new NpyFormatError(member, 'local file header missing or out of range');
    }
    const dataStart = local + 30 + u16(local + 26) + u16(local + 28);
    if (dataStart + csize > bytes.length) {
      throw new NpyFormatError(
        member,
        `truncated member (expected ${csize} bytes, got ${Math.max(0, bytes.length - dataStart)})`,
      );
    }
    const raw = bytes.subarray(dataStart, dataStart + csize);
    let data: Uint8Array;
    if (method === 0) {
      data = raw;
    } else {
      try {
        data = inflateRawSync(raw);
      } catch (err) {
        throw new NpyFormatError(member, `corrupt deflate data (${(err as Error).message})`);
      }
    }
    if (data.length !== usize) {
      throw new NpyFormatError(member, `size mismatch (expected ${usize} bytes, got ${data.length})`);
    }
    if (crc32(data) !== crc) throw new NpyFormatError(member, 'CRC-32 mismatch (corrupt data)');
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    if (out.has(key)) throw new NpyFormatError(member, 'duplicate member');
    out.set(key, decodeNpy(data, member));
  }
  return out;
}

/**
 * Serializes arrays into `.npz` bytes: member `<key>.npy` per entry, in iteration order, stored
 * (or deflated), dated 1980-01-01 00:00:00. Deterministic for equal inputs.
 */
export function encodeNpz(
  arrays: ReadonlyMap<string, NpyArray> | Readonly<Record<string, NpyArray>>,
  file = 'arrays.npz',
  options: NpzWriteOptions = {},
): Uint8Array {
  const list: [string, NpyArray][] =
    arrays instanceof Map ? [...arrays] : Object.entries(arrays as Record<string, NpyArray>);
  const enc = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [key, arr] of list) {
    if (key === '' || key.includes('\0')) throw new NpyFormatError(file, `bad array name '${key}'`);
    const name = enc.encode(`${key}.npy`);
    const utf8 = /[^\x20-\x7e]/.test(key) ? 0x800 : 0;
    const body = encodeNpy(arr, `${file}: ${key}.npy`);
    const crc = crc32(body);
    const method = options.deflate ? 8 : 0;
    const stored = method === 8 ? new Uint8Array(deflateRawSync(body)) : body;
    if (offset + 30 + name.length + stored.length > 0xfffffffe) {
      throw new NpyFormatError(file, 'archive larger than 4 GiB (zip64 writing is not supported)');
    }

    const lh = new Uint8Array(30 + name.length);
    const l = new DataView(lh.buffer);
    l.setUint32(0, SIG_LOCAL, true);
    l.setUint16(4, 20, true); // version needed: 2.0
    l.setUint16(6, utf8, true);
    l.setUint16(8, method, true);
    l.setUint16(10, DOS_TIME, true);
    l.setUint16(12, DOS_DATE, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, stored.length, true);
    l.setUint32(22, body.length, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, 0, true);
    lh.set(name, 30);

    const ch = new Uint8Array(46 + name.length);
    const c = new DataView(ch.buffer);
    c.setUint32(0, SIG_CENTRAL, true);
    c.setUint16(4, (3 << 8) | 20, true); // made by: Unix, 2.0
    c.setUint16(6, 20, true);
    c.setUint16(8, utf8, true);
    c.setUint16(10, method, true);
    c.setUint16(12, DOS_TIME, true);
    c.setUint16(14, DOS_DATE, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, stored.length, true);
    c.setUint32(24, body.length, true);
    c.setUint16(28, name.length, true);
    c.setUint32(38, (0o100644 << 16) >>> 0, true); // regular file, rw-r--r--
    c.setUint32(42, offset, true);
    ch.set(name, 46);

    locals.push(lh, stored);
    centrals.push(ch);
    offset += lh.length + stored.length;
  }
  if (list.length > 0xfffe) throw new NpyFormatError(file, 'too many arrays (zip64 writing is not supported)');
  const cdSize = centrals.reduce((a, b) => a + b.length, 0);
  const end = new Uint8Array(22);
  const d = new DataView(end.buffer);
  d.setUint32(0, SIG_EOCD, true);
  d.setUint16(8, list.length, true);
  d.setUint16(10, list.length, true);
  d.setUint32(12, cdSize, true);
  d.setUint32(16, offset, true);

  const all = new Uint8Array(offset + cdSize + end.length);
  let o = 0;
  for (const part of [...locals, ...centrals, end]) {
    all.set(part, o);
    o += part.length;
  }
  return all;
}

/** Reads an `.npz` file; errors start with `path`. */
export function readNpz(path: string): Map<string, NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new NpyFormatError(path, `cannot read: ${(e as Error).message}`);
  }
  return decodeNpz(bytes, path);
}

/** Writes arrays to an `.npz` file (see {@link encodeNpz}). */
export function writeNpz(
  path: string,
  arrays: ReadonlyMap<string, NpyArray> | Readonly<Record<string, NpyArray>>,
  options: NpzWriteOptions = {},
): void {
  writeFileSync(path, encodeNpz(arrays, path, options));
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zip uses it). */
export function crc32(data: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
