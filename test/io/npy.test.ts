/**
 * Tests of src/io/npy: round trips for every dtype, byte equality with files numpy 2.4 wrote,
 * header versions 2.0/3.0, big-endian input, and clear errors (naming the file) for bad input.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocTyped, type DType } from '../../src/interp/kernel.js';
import { decodeNpy, encodeNpy, npyDescr, readNpy, writeNpy, type NpyArray } from '../../src/io/npy.js';

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** Files written by numpy 2.4.6 `np.save`. */
const NUMPY = {
  // np.arange(6, dtype='<f4').reshape(2, 3) / 3
  f4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAq6qqPquqKj8AAIA/q6qqP1VV1T8=',
  // np.float64(2.5)
  scalar:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAEQA==',
  // np.array([True, False, True])
  b1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=',
  // np.arange(-2, 3, dtype='<i8').reshape(5, 1)
  i8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsIDEpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr+////////////////////AAAAAAAAAAABAAAAAAAAAAIAAAAAAAAA',
};

/** A .npy file with a hand-written header (version 1.0 unless given). */
function handmade(header: string, data: Uint8Array, major = 1): Uint8Array {
  const h = new TextEncoder().encode(header);
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  out.set(h, pre);
  out.set(data, pre + h.length);
  return out;
}

function sample(dtype: DType, n: number): NpyArray['data'] {
  const a = allocTyped(dtype, n);
  for (let i = 0; i < n; i++) {
    if (a instanceof BigInt64Array) a[i] = BigInt(i * 7919 - 5) * 1_000_000_007n;
    else if (a instanceof BigUint64Array) a[i] = BigInt(i) * 0xfedcba987654321n;
    else if (dtype === 'i1') a[i] = i % 3 === 0 ? 1 : 0;
    else if (a instanceof Float32Array || a instanceof Float64Array) a[i] = (i - 3.25) / 7;
    else a[i] = (i * 37 - 11) & 0x7f;
  }
  return a;
}

const ALL: DType[] = ['f16', 'f32', 'f64', 'i1', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64'];

describe('npy round trips', () => {
  for (const dtype of ALL) {
    it(`${dtype} (${npyDescr(dtype)})`, () => {
      for (const shape of [[2, 3, 4], [7], [], [0, 5]]) {
        const n = shape.reduce((a, b) => a * b, 1);
        const arr: NpyArray = { dtype, shape, data: sample(dtype, n) };
        const bytes = encodeNpy(arr);
        expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0); // aligned data
        const back = decodeNpy(bytes);
        expect(back.dtype).toBe(dtype);
        expect(back.shape).toEqual(shape);
        expect(back.data.constructor).toBe(arr.data.constructor);
        expect(Array.from(back.data as ArrayLike<number | bigint>)).toEqual(Array.from(arr.data as ArrayLike<number | bigint>));
        expect(encodeNpy(back)).toEqual(bytes); // deterministic
      }
    });
  }

  it('reads views at any byte offset (copies into aligned storage)', () => {
    const bytes = encodeNpy({ dtype: 'f64', shape: [3], data: Float64Array.of(1, 2, 3) });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(Array.from(decodeNpy(shifted.subarray(3)).data as Float64Array)).toEqual([1, 2, 3]);
  });

  it('writes bool as 0/1', () => {
    const back = decodeNpy(encodeNpy({ dtype: 'i1', shape: [3], data: Uint8Array.of(0, 2, 255) }));
    expect(Array.from(back.data as Uint8Array)).toEqual([0, 1, 1]);
  });

  it('readNpy/writeNpy go through the file system', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qopt-npy-'));
    try {
      const f = path.join(dir, 'a.npy');
      writeNpy(f, { dtype: 'i16', shape: [2, 2], data: Int16Array.of(1, -2, 3, -4) });
      expect(readNpy(f)).toEqual({ dtype: 'i16', shape: [2, 2], data: Int16Array.of(1, -2, 3, -4) });
      expect(() => readNpy(path.join(dir, 'missing.npy'))).toThrow(/missing\.npy: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npy compatibility with numpy', () => {
  it('writes the same bytes as np.save and reads them back', () => {
    const cases: [string, NpyArray][] = [
      [NUMPY.f4, { dtype: 'f32', shape: [2, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5], (v) => v / 3) }],
      [NUMPY.scalar, { dtype: 'f64', shape: [], data: Float64Array.of(2.5) }],
      [NUMPY.b1, { dtype: 'i1', shape: [3], data: Uint8Array.of(1, 0, 1) }],
      [NUMPY.i8, { dtype: 'i64', shape: [5, 1], data: BigInt64Array.of(-2n, -1n, 0n, 1n, 2n) }],
    ];
    for (const [file, arr] of cases) {
      expect(encodeNpy(arr)).toEqual(b64(file));
      expect(decodeNpy(b64(file))).toEqual(arr);
    }
  });

  it('reads format versions 2.0 and 3.0', () => {
    const data = new Uint8Array(Int32Array.of(5, -6).buffer);
    const header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n";
    for (const major of [2, 3]) {
      const a = decodeNpy(handmade(header, data, major));
      expect(a).toEqual({ dtype: 'i32', shape: [2], data: Int32Array.of(5, -6) });
    }
  });

  it('converts big-endian data', () => {
    const be = Uint8Array.of(0x3f, 0x80, 0, 0, 0xc0, 0x20, 0, 0); // >f4: 1, -2.5
    const a = decodeNpy(handmade("{'descr': '>f4', 'fortran_order': False, 'shape': (2,)}\n", be));
    expect(a).toEqual({ dtype: 'f32', shape: [2], data: Float32Array.of(1, -2.5) });
    const s = decodeNpy(handmade("{'descr': '>i2', 'fortran_order': False, 'shape': (1, 1)}\n", Uint8Array.of(0xff, 0xfe)));
    expect(Array.from(s.data as Int16Array)).toEqual([-2]);
  });

  it('accepts extra header spacing, double quotes and Python 2 long shapes', () => {
    const a = decodeNpy(
      handmade('{ "shape" : (2L, 1L) , "fortran_order": False, "descr": "|u1" }     \n', Uint8Array.of(7, 8)),
    );
    expect(a).toEqual({ dtype: 'u8', shape: [2, 1], data: Uint8Array.of(7, 8) });
  });
});

describe('npy errors name the file', () => {
  const ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (28, 28), }\n";
  const cases: [string, Uint8Array, RegExp][] = [
    ['bad magic', new TextEncoder().encode('PK\x03\x04 not numpy'), /^x\.npy: not a \.npy file \(bad magic\)$/],
    ['empty file', new Uint8Array(0), /^x\.npy: not a \.npy file/],
    ['version 4.0', handmade(ok, new Uint8Array(0), 4), /^x\.npy: unsupported format version 4\.0$/],
    [
      'truncated header',
      handmade(ok, new Uint8Array(0)).subarray(0, 30),
      /^x\.npy: truncated header \(expected 62 bytes, got 20\)$/,
    ],
    ['truncated data', handmade(ok, new Uint8Array(100)), /^x\.npy: truncated data \(expected 3136 bytes, got 100\)$/],
    ['trailing bytes', handmade(ok, new Uint8Array(3140)), /^x\.npy: 4 unexpected bytes after the data/],
    [
      'complex dtype',
      handmade("{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}\n", new Uint8Array(8)),
      /^x\.npy: unsupported dtype '<c8'$/,
    ],
    [
      'native-order dtype',
      handmade("{'descr': '=f4', 'fortran_order': False, 'shape': (1,)}\n", new Uint8Array(4)),
      /^x\.npy: unsupported dtype '=f4'$/,
    ],
    [
      'structured dtype',
      handmade("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}\n", new Uint8Array(4)),
      /^x\.npy: unsupported dtype \(\('a', '<f4'\)\) \(structured dtypes are not supported\)$/,
    ],
    [
      'fortran order',
      handmade("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2)}\n", new Uint8Array(16)),
      /^x\.npy: fortran_order arrays are not supported/,
    ],
    [
      'missing key',
      handmade("{'descr': '<f4', 'shape': (2,)}\n", new Uint8Array(8)),
      /^x\.npy: malformed header: needs the keys 'descr', 'fortran_order' and 'shape'$/,
    ],
    [
      'unknown key',
      handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}\n", new Uint8Array(8)),
      /^x\.npy: malformed header: unexpected key 'x'$/,
    ],
    ['not a dict', handmade('[1, 2]\n', new Uint8Array(0)), /^x\.npy: malformed header: not a dict$/],
    ['garbage header', handmade('{descr: <f4}\n', new Uint8Array(0)), /^x\.npy: malformed header: unexpected 'd'/],
    [
      'unterminated',
      handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,\n", new Uint8Array(8)),
      /^x\.npy: malformed header: unexpected end/,
    ],
    [
      'negative dim',
      handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}\n", new Uint8Array(8)),
      /^x\.npy: malformed header: bad shape \(-2\)$/,
    ],
  ];
  for (const [what, bytes, re] of cases) {
    it(what, () => {
      expect(() => decodeNpy(bytes, 'x.npy')).toThrow(re);
    });
  }

  it('rejects inconsistent arrays on write', () => {
    expect(() => encodeNpy({ dtype: 'f32', shape: [3], data: new Float64Array(3) }, 'y.npy')).toThrow(
      /^y\.npy: dtype f32 needs a Float32Array, got a Float64Array$/,
    );
    expect(() => encodeNpy({ dtype: 'i8', shape: [2, 2], data: new Int8Array(3) }, 'y.npy')).toThrow(
      /^y\.npy: shape \[2, 2\] has 4 elements, data has 3$/,
    );
    expect(() => encodeNpy({ dtype: 'i8', shape: [-1], data: new Int8Array(0) }, 'y.npy')).toThrow(/bad shape/);
  });
});
