/**
 * From IR types to the interpreter's runtime descriptions: element type -> DType, quantized
 * element types -> QuantParams, dense attributes -> aligned typed arrays (one copy, made at prepare).
 */
import { type DenseElementsAttr, denseFullBytes } from '../ir/attribute.js';
import type { Type } from '../ir/type.js';
import { type DType, type QuantParams, type TypedArray, viewTyped, dtypeBytes } from './kernel.js';

/** The runtime dtype of a tensor element type (quantized types use their storage type). */
export function dtypeOf(element: Type): DType {
  switch (element.kind) {
    case 'float':
      return element.name === 'f32' ? 'f32' : element.name === 'f64' ? 'f64' : 'f16';
    case 'integer': {
      const u = element.signedness === 'unsigned';
      switch (element.width) {
        case 1:
          return 'i1';
        case 8:
          return u ? 'u8' : 'i8';
        case 16:
          return u ? 'u16' : 'i16';
        case 32:
          return u ? 'u32' : 'i32';
        case 64:
          return u ? 'u64' : 'i64';
      }
      throw new Error(`no runtime type for i${element.width}`);
    }
    case 'quant.uniform':
    case 'quant.uniform_per_axis':
      return dtypeOf(element.storage);
    case 'quant.calibrated':
      return dtypeOf(element.expressed);
    case 'index':
      return 'i64';
    case 'opaque':
      // A resource (variable handle) is carried as an int32 handle id.
      if (element.dialect === 'tf_type' && element.body === 'resource') return 'i32';
      throw new Error(`no runtime type for !${element.dialect}.${element.body}`);
    default:
      throw new Error(`no runtime type for element kind '${element.kind}'`);
  }
}

/** Quantization parameters of an element type, if it is uniform-quantized. */
export function quantOf(element: Type): QuantParams | undefined {
  switch (element.kind) {
    case 'quant.uniform':
      return {
        scale: [element.scale],
        zeroPoint: [element.zeroPoint],
        axis: -1,
        storageMin: element.storageMin,
        storageMax: element.storageMax,
      };
    case 'quant.uniform_per_axis':
      return {
        scale: element.scales,
        zeroPoint: element.zeroPoints,
        axis: element.axis,
        storageMin: element.storageMin,
        storageMax: element.storageMax,
      };
    default:
      return undefined;
  }
}

/** Shape and element type of a value type; dynamic dims resolve to 1 (the interpreter runs static shapes). */
export function shapeAndElement(t: Type): { shape: number[]; element: Type } {
  if (t.kind === 'tensor') return { shape: t.shape.map((d) => (d < 0 ? 1 : d)), element: t.element };
  if (t.kind === 'unranked_tensor') throw new Error('unranked tensors cannot be interpreted');
  return { shape: [], element: t };
}

/** An aligned typed array holding a dense attribute's elements (copied once). */
export function denseToTyped(a: DenseElementsAttr, dtype: DType): TypedArray {
  const bytes = denseFullBytes(a);
  const n = bytes.byteLength / dtypeBytes(dtype);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return viewTyped(dtype, copy.buffer, 0, n);
}
