/**
 * Reading and writing the elements of dense attributes by element type: a DataView over the raw
 * little-endian bytes, with numbers for ≤32-bit types and bigints for 64-bit integers.
 */
import { elementByteWidth } from '../ir/attribute.js';
import { type Type, storageType } from '../ir/type.js';
import { floatToHalf, halfToFloat } from './number-format.js';

/** How an element type's values are stored. */
export type ElementCodec = {
  readonly width: number;
  readonly isFloat: boolean;
  readonly bits: number;
  read(view: DataView, byteOffset: number): number | bigint;
  write(view: DataView, byteOffset: number, v: number | bigint): void;
};

/** The codec of an element type (quantized types use their storage type). */
export function elementCodec(element: Type): ElementCodec {
  const t = storageType(element);
  const width = elementByteWidth(t);
  if (t.kind === 'float') {
    switch (t.name) {
      case 'f32':
        return { width, isFloat: true, bits: 32, read: (v, o) => v.getFloat32(o, true), write: (v, o, x) => v.setFloat32(o, Number(x), true) };
      case 'f64':
        return { width, isFloat: true, bits: 64, read: (v, o) => v.getFloat64(o, true), write: (v, o, x) => v.setFloat64(o, Number(x), true) };
      case 'f16':
        return {
          width,
          isFloat: true,
          bits: 16,
          read: (v, o) => halfToFloat(v.getUint16(o, true)),
          write: (v, o, x) => v.setUint16(o, floatToHalf(Number(x)), true),
        };
      case 'bf16':
        return {
          width,
          isFloat: true,
          bits: 16,
          read: (v, o) => {
            const b = new DataView(new ArrayBuffer(4));
            b.setUint32(0, v.getUint16(o, true) << 16);
            return b.getFloat32(0);
          },
          write: (v, o, x) => {
            const b = new DataView(new ArrayBuffer(4));
            b.setFloat32(0, Number(x));
            v.setUint16(o, b.getUint32(0) >>> 16, true);
          },
        };
    }
  }
  if (t.kind === 'integer' || t.kind === 'index') {
    const bits = t.kind === 'index' ? 64 : t.width;
    const unsigned = t.kind === 'integer' && t.signedness === 'unsigned';
    if (bits === 1)
      return { width, isFloat: false, bits, read: (v, o) => (v.getUint8(o) ? 1 : 0), write: (v, o, x) => v.setUint8(o, Number(x) ? 1 : 0) };
    if (width === 1)
      return unsigned
        ? { width, isFloat: false, bits, read: (v, o) => v.getUint8(o), write: (v, o, x) => v.setUint8(o, Number(x)) }
        : { width, isFloat: false, bits, read: (v, o) => v.getInt8(o), write: (v, o, x) => v.setInt8(o, Number(x)) };
    if (width === 2)
      return unsigned
        ? { width, isFloat: false, bits, read: (v, o) => v.getUint16(o, true), write: (v, o, x) => v.setUint16(o, Number(x), true) }
        : { width, isFloat: false, bits, read: (v, o) => v.getInt16(o, true), write: (v, o, x) => v.setInt16(o, Number(x), true) };
    if (width === 4)
      return unsigned
        ? { width, isFloat: false, bits, read: (v, o) => v.getUint32(o, true), write: (v, o, x) => v.setUint32(o, Number(x), true) }
        : { width, isFloat: false, bits, read: (v, o) => v.getInt32(o, true), write: (v, o, x) => v.setInt32(o, Number(x), true) };
    return unsigned
      ? { width, isFloat: false, bits, read: (v, o) => v.getBigUint64(o, true), write: (v, o, x) => v.setBigUint64(o, BigInt(x), true) }
      : { width, isFloat: false, bits, read: (v, o) => v.getBigInt64(o, true), write: (v, o, x) => v.setBigInt64(o, BigInt(x), true) };
  }
  throw new Error(`no element codec for type kind '${t.kind}'`);
}

/** Range of an integer element type, for literal checks. */
export function integerLimits(bits: number, unsigned: boolean): [bigint, bigint] {
  if (bits === 1) return [0n, 1n];
  if (unsigned) return [0n, (1n << BigInt(bits)) - 1n];
  return [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n];
}
