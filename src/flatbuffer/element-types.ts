/**
 * TFLite TensorType <-> IR element types, and quantization parameters <-> quant types.
 * STRING/RESOURCE/VARIANT/COMPLEX tensors map to opaque `!tf_type.*` types so they round-trip.
 */
import {
  type Type,
  floatType,
  integerType,
  opaqueType,
  storageType,
  uniformPerAxisQuantType,
  uniformQuantType,
  calibratedQuantType,
} from '../ir/type.js';
import { TensorType } from './generated/tflite_generated.js';

/** The IR element type of a TensorType (before quantization). */
export function elementTypeOf(t: number): Type | undefined {
  switch (t) {
    case TensorType.FLOAT32:
      return floatType('f32');
    case TensorType.FLOAT16:
      return floatType('f16');
    case TensorType.FLOAT64:
      return floatType('f64');
    case TensorType.BFLOAT16:
      return floatType('bf16');
    case TensorType.INT32:
      return integerType(32);
    case TensorType.UINT8:
      return integerType(8, 'unsigned');
    case TensorType.INT64:
      return integerType(64);
    case TensorType.BOOL:
      return integerType(1);
    case TensorType.INT16:
      return integerType(16);
    case TensorType.INT8:
      return integerType(8);
    case TensorType.UINT64:
      return integerType(64, 'unsigned');
    case TensorType.UINT32:
      return integerType(32, 'unsigned');
    case TensorType.UINT16:
      return integerType(16, 'unsigned');
    case TensorType.INT4:
      return integerType(4);
    case TensorType.STRING:
      return opaqueType('tf_type', 'string');
    case TensorType.COMPLEX64:
      return opaqueType('tf_type', 'complex64');
    case TensorType.COMPLEX128:
      return opaqueType('tf_type', 'complex128');
    case TensorType.RESOURCE:
      return opaqueType('tf_type', 'resource');
    case TensorType.VARIANT:
      return opaqueType('tf_type', 'variant');
    default:
      return undefined;
  }
}

/** The TensorType of an IR element type (quantized types use their storage type). */
export function tensorTypeOf(element: Type): number | undefined {
  const t = element.kind === 'quant.calibrated' ? element.expressed : storageType(element);
  switch (t.kind) {
    case 'float':
      return { f32: TensorType.FLOAT32, f16: TensorType.FLOAT16, f64: TensorType.FLOAT64, bf16: TensorType.BFLOAT16 }[t.name];
    case 'integer': {
      const u = t.signedness === 'unsigned';
      switch (t.width) {
        case 1:
          return TensorType.BOOL;
        case 4:
          return TensorType.INT4;
        case 8:
          return u ? TensorType.UINT8 : TensorType.INT8;
        case 16:
          return u ? TensorType.UINT16 : TensorType.INT16;
        case 32:
          return u ? TensorType.UINT32 : TensorType.INT32;
        case 64:
          return u ? TensorType.UINT64 : TensorType.INT64;
      }
      return undefined;
    }
    case 'opaque':
      if (t.dialect !== 'tf_type') return undefined;
      return { string: TensorType.STRING, complex64: TensorType.COMPLEX64, complex128: TensorType.COMPLEX128, resource: TensorType.RESOURCE, variant: TensorType.VARIANT }[t.body];
    default:
      return undefined;
  }
}

/** Quantization as read from a tensor. */
export interface QuantFacts {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly bigint[];
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly quantizedDimension: number;
}

/**
 * The element type of a tensor given its TensorType and quantization: uniform (per-tensor or
 * per-axis) when scales are present, calibrated when only min/max are, else the plain type.
 * Returns a message for impossible combinations.
 */
export function quantizedElementType(base: Type, q: QuantFacts | undefined): Type | string {
  if (!q) return base;
  if (q.scale.length > 0) {
    if (base.kind !== 'integer' || base.width < 2) return `quantization on a non-integer tensor type`;
    const expressed = floatType('f32');
    const zps = q.zeroPoint.length ? q.zeroPoint.map((z) => Number(z)) : q.scale.map(() => 0);
    if (zps.length !== q.scale.length && zps.length !== 1) return `${q.scale.length} scales but ${zps.length} zero points`;
    const zp = (i: number): number => (zps.length === 1 ? zps[0]! : zps[i]!);
    for (let i = 0; i < q.scale.length; i++) {
      const s = q.scale[i]!;
      if (!(s > 0) || !Number.isFinite(s)) return `invalid scale ${s}`;
    }
    const storage = integerType(base.width, base.signedness);
    const lo = storage.signedness === 'unsigned' ? 0 : -(2 ** (storage.width - 1));
    const hi = storage.signedness === 'unsigned' ? 2 ** storage.width - 1 : 2 ** (storage.width - 1) - 1;
    for (let i = 0; i < q.scale.length; i++) if (zp(i) < lo || zp(i) > hi) return `zero point ${zp(i)} out of range for ${base.signedness === 'unsigned' ? 'u' : 'i'}${base.width}`;
    if (q.scale.length === 1) return uniformQuantType(storage, expressed, q.scale[0]!, zp(0));
    return uniformPerAxisQuantType(storage, expressed, q.quantizedDimension, q.scale, q.scale.map((_, i) => zp(i)));
  }
  if (q.min.length === 1 && q.max.length === 1 && base.kind === 'float') {
    const lo = q.min[0]!;
    const hi = q.max[0]!;
    if (Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi) return calibratedQuantType(base, lo, hi);
  }
  return base;
}
