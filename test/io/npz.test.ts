/**
 * Tests of src/io/npz: round trips (stored and deflated), determinism, archives numpy 2.4 wrote
 * (zip64 local headers, deflate), a deflated archive assembled here with node:zlib, and clear
 * errors for damaged archives.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeNpy, type NpyArray } from '../../src/io/npy.js';
import { crc32, decodeNpz, encodeNpz, readNpz, writeNpz } from '../../src/io/npz.js';

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** np.savez(f, a=np.arange(3, dtype=np.int16), b=np.ones((2, 2), np.float64)) with numpy 2.4.6. */
const NUMPY_SAVEZ =
  'UEsDBC0AAAAAAAAAIQBqz/JR//////////8FABQAYS5ucHkBABAAhgAAAAAAAACGAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpMicsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAABAAIAUEsDBC0AAAAAAAAAIQBm5fse//////////8FABQAYi5ucHkBABAAoAAAAAAAAACgAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAyKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAA8D8AAAAAAADwPwAAAAAAAPA/AAAAAAAA8D9QSwECLQMtAAAAAAAAACEAas/yUYYAAACGAAAABQAAAAAAAAAAAAAAgAEAAAAAYS5ucHlQSwECLQMtAAAAAAAAACEAZuX7HqAAAACgAAAABQAAAAAAAAAAAAAAgAG9AAAAYi5ucHlQSwUGAAAAAAIAAgBmAAAAlAEAAAAA';
/** np.savez_compressed(f, a=np.arange(3, dtype=np.int16), c=np.arange(100, dtype=np.int64)). */
const NUMPY_SAVEZ_COMPRESSED =
  'UEsDBC0AAAAIAAAAIQBqz/JR//////////8FABQAYS5ucHkBABAAhgAAAAAAAABKAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TaaSuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6mjoKtQoUAC4GBkYGJgYAUEsDBC0AAAAIAAAAIQD0AXDw//////////8FABQAYy5ucHkBABAAoAMAAAAAAAD/AAAAAAAAAJ3MaTNCYQDF8VtIJEt2FY/1KS5u1qSULUuLipAtV12TGSNzr/HG9Cl8YZn5+wLOm9+c8+J8Z4uZXMmmfCpfsmpYFVNGhIy+hKUq5HPd/DD1t3LdrBq/e1J/tYzmbtX0d6PZAyFNU4OqaIh/p1MhNrRjC7ZiGzqwHZ3YgX+HLuxCN3ZjD/ZiH3qwHwdwEIdwGEdwFMfQiz704zhOoMBJnMJpnMFZnEOJAQziPC6giou4hMuoYQhXcBXXcB03cBPDuIUR3MYoxnAH45jAXdzDfTzAQ0ziER7jCZ5iCtOYwSyeYQ7zWMBzvMAiXuIVXmMJb/AW7/AeH7CMj6jjE1bwB1BLAQItAy0AAAAIAAAAIQBqz/JRSgAAAIYAAAAFAAAAAAAAAAAAAACAAQAAAABhLm5weVBLAQItAy0AAAAIAAAAIQD0AXDw/wAAAKADAAAFAAAAAAAAAAAAAACAAYEAAABjLm5weVBLBQYAAAAAAgACAGYAAAC3AQAAAAA=';

const arrays: Record<string, NpyArray> = {
  weights: { dtype: 'f32', shape: [2, 3], data: Float32Array.of(0.5, -1, 2, 3.25, 0, 1e-7) },
  ids: { dtype: 'i64', shape: [4], data: BigInt64Array.of(1n, -2n, 3n, 1n << 40n) },
  mask: { dtype: 'i1', shape: [2, 2], data: Uint8Array.of(1, 0, 0, 1) },
  scalar: { dtype: 'u16', shape: [], data: Uint16Array.of(65535) },
  'dir/name with spaces': { dtype: 'i8', shape: [0], data: new Int8Array(0) },
};

/** Builds a one-member zip by hand with the given method and (possibly wrong) header fields. */
function zipOne(name: string, body: Uint8Array, method: number, stored: Uint8Array, crc = crc32(body)): Uint8Array {
  const n = new TextEncoder().encode(name);
  const lh = new Uint8Array(30 + n.length);
  const l = new DataView(lh.buffer);
  l.setUint32(0, 0x04034b50, true);
  l.setUint16(4, 20, true);
  l.setUint16(8, method, true);
  l.setUint32(14, crc, true);
  l.setUint32(18, stored.length, true);
  l.setUint32(22, body.length, true);
  l.setUint16(26, n.length, true);
  lh.set(n, 30);
  const ch = new Uint8Array(46 + n.length);
  const c = new DataView(ch.buffer);
  c.setUint32(0, 0x02014b50, true);
  c.setUint16(6, 20, true);
  c.setUint16(10, method, true);
  c.setUint32(16, crc, true);
  c.setUint32(20, stored.length, true);
  c.setUint32(24, body.length, true);
  c.setUint16(28, n.length, true);
  ch.set(n, 46);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, 1, true);
  e.setUint16(10, 1, true);
  e.setUint32(12, ch.length, true);
  e.setUint32(16, lh.length + stored.length, true);
  return Uint8Array.from([...lh, ...stored, ...ch, ...end]);
}

describe('npz round trips', () => {
  for (const deflate of [false, true]) {
    it(`${deflate ? 'deflated' : 'stored'} members`, () => {
      const bytes = encodeNpz(arrays, 'a.npz', { deflate });
      const back = decodeNpz(bytes, 'a.npz');
      expect([...back.keys()]).toEqual(Object.keys(arrays));
      for (const [k, v] of back) expect(v).toEqual(arrays[k]);
      expect(encodeNpz(new Map(Object.entries(arrays)), 'b.npz', { deflate })).toEqual(bytes); // deterministic
    });
  }

  it('stamps members 1980-01-01 00:00:00 and stores them uncompressed by default', () => {
    const bytes = encodeNpz({ x: arrays.weights! });
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint16(8, true)).toBe(0); // method: stored
    expect(dv.getUint16(10, true)).toBe(0); // time
    expect(dv.getUint16(12, true)).toBe(0x21); // date
    expect(bytes.subarray(30 + 'x.npy'.length, 30 + 'x.npy'.length + 6)).toEqual(encodeNpy(arrays.weights!).subarray(0, 6));
  });

  it('an empty archive', () => {
    expect(decodeNpz(encodeNpz({})).size).toBe(0);
  });

  it('readNpz/writeNpz go through the file system', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qopt-npz-'));
    try {
      const f = path.join(dir, 'a.npz');
      writeNpz(f, arrays, { deflate: true });
      expect(Object.fromEntries(readNpz(f))).toEqual(arrays);
      expect(() => readNpz(path.join(dir, 'nope.npz'))).toThrow(/nope\.npz: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npz archives from other writers', () => {
  it('np.savez (stored, zip64 local headers)', () => {
    const z = decodeNpz(b64(NUMPY_SAVEZ));
    expect(Object.fromEntries(z)).toEqual({
      a: { dtype: 'i16', shape: [3], data: Int16Array.of(0, 1, 2) },
      b: { dtype: 'f64', shape: [2, 2], data: Float64Array.of(1, 1, 1, 1) },
    });
  });

  it('np.savez_compressed (deflate)', () => {
    const z = decodeNpz(b64(NUMPY_SAVEZ_COMPRESSED));
    expect(z.get('a')).toEqual({ dtype: 'i16', shape: [3], data: Int16Array.of(0, 1, 2) });
    expect(z.get('c')?.data).toEqual(BigInt64Array.from({ length: 100 }, (_, i) => BigInt(i)));
  });

  it('a deflated member made with node:zlib', () => {
    const body = encodeNpy({ dtype: 'f64', shape: [64], data: new Float64Array(64).fill(Math.PI) });
    const packed = new Uint8Array(deflateRawSync(body, { level: 9 }));
    expect(packed.length).toBeLessThan(body.length);
    const z = decodeNpz(zipOne('pi.npy', body, 8, packed));
    expect(Array.from(z.get('pi')!.data as Float64Array)).toEqual(new Array(64).fill(Math.PI));
  });
});

describe('npz errors name the archive and member', () => {
  const body = encodeNpy({ dtype: 'f32', shape: [784], data: new Float32Array(784) });

  it('not a zip', () => {
    expect(() => decodeNpz(new TextEncoder().encode('hello, this is not a zip archive'), 'x.npz')).toThrow(
      /^x\.npz: not a zip archive, or truncated/,
    );
  });

  it('truncated archive', () => {
    const z = encodeNpz({ a: arrays.weights! });
    expect(() => decodeNpz(z.subarray(0, z.length - 30), 'x.npz')).toThrow(/^x\.npz: not a zip archive, or truncated/);
  });

  it('member data cut short', () => {
    const z = zipOne('a.npy', body, 0, body.subarray(0, 100));
    expect(() => decodeNpz(z, 'x.npz')).toThrow(/^x\.npz: a\.npy: size mismatch \(expected 3264 bytes, got 100\)$/);
  });

  it('a bad .npy member', () => {
    const short = body.subarray(0, body.length - 8);
    expect(() => decodeNpz(zipOne('a.npy', short, 0, short), 'x.npz')).toThrow(
      /^x\.npz: a\.npy: truncated data \(expected 3136 bytes, got 3128\)$/,
    );
  });

  it('CRC mismatch', () => {
    expect(() => decodeNpz(zipOne('a.npy', body, 0, body, 12345), 'x.npz')).toThrow(
      /^x\.npz: a\.npy: CRC-32 mismatch/,
    );
  });

  it('corrupt deflate stream', () => {
    const bad = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
    expect(() => decodeNpz(zipOne('a.npy', body, 8, bad), 'x.npz')).toThrow(/^x\.npz: a\.npy: corrupt deflate data/);
  });

  it('unsupported compression method', () => {
    expect(() => decodeNpz(zipOne('a.npy', body, 12, body), 'x.npz')).toThrow(
      /^x\.npz: a\.npy: unsupported compression method 12 \(only stored and deflate\)$/,
    );
  });

  it('write errors name the member', () => {
    expect(() => encodeNpz({ w: { dtype: 'f32', shape: [2], data: new Float32Array(3) } }, 'o.npz')).toThrow(
      /^o\.npz: w\.npy: shape \[2\] has 2 elements, data has 3$/,
    );
    expect(() => encodeNpz({ '': arrays.mask! }, 'o.npz')).toThrow(/^o\.npz: bad array name ''$/);
  });
});

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
