/**
 * Immutable, interned IR types: builtin integer/float/index/none types, ranked and unranked tensors,
 * function types, the quant dialect's uniform/per-axis/calibrated element types, and opaque dialect types.
 * Every constructor returns the one shared instance for its parameters, so `===` is type equality.
 */

/** Integer signedness as MLIR spells it: `i8` (signless), `si8`, `ui8`. */
export type Signedness = 'signless' | 'signed' | 'unsigned';

export interface IntegerType {
  readonly kind: 'integer';
  readonly id: number;
  readonly width: number;
  readonly signedness: Signedness;
}
export interface FloatType {
  readonly kind: 'float';
  readonly id: number;
  readonly name: 'f16' | 'bf16' | 'f32' | 'f64';
  readonly width: number;
}
export interface IndexType {
  readonly kind: 'index';
  readonly id: number;
}
export interface NoneType {
  readonly kind: 'none';
  readonly id: number;
}
/** A ranked tensor; dynamic dimensions are -1 (printed `?`). */
export interface RankedTensorType {
  readonly kind: 'tensor';
  readonly id: number;
  readonly shape: readonly number[];
  readonly element: Type;
}
export interface UnrankedTensorType {
  readonly kind: 'unranked_tensor';
  readonly id: number;
  readonly element: Type;
}
export interface FunctionType {
  readonly kind: 'function';
  readonly id: number;
  readonly inputs: readonly Type[];
  readonly results: readonly Type[];
}
/** `!quant.uniform<i8<-127:127>:f32, 0.05:-3>` — per-tensor affine quantization. */
export interface UniformQuantType {
  readonly kind: 'quant.uniform';
  readonly id: number;
  readonly storage: IntegerType;
  readonly storageMin: number;
  readonly storageMax: number;
  readonly expressed: FloatType;
  readonly scale: number;
  readonly zeroPoint: number;
}
/** `!quant.uniform<i8:f32:0, {0.1,0.2:1}>` — per-axis affine quantization. */
export interface UniformPerAxisQuantType {
  readonly kind: 'quant.uniform_per_axis';
  readonly id: number;
  readonly storage: IntegerType;
  readonly storageMin: number;
  readonly storageMax: number;
  readonly expressed: FloatType;
  readonly axis: number;
  readonly scales: readonly number[];
  readonly zeroPoints: readonly number[];
}
/** `!quant.calibrated<f32<-1.0:2.0>>` — a float value with a calibrated range. */
export interface CalibratedQuantType {
  readonly kind: 'quant.calibrated';
  readonly id: number;
  readonly expressed: FloatType;
  readonly min: number;
  readonly max: number;
}
/** A type of a dialect qopt does not model, kept as text: `!dialect.body`. */
export interface OpaqueType {
  readonly kind: 'opaque';
  readonly id: number;
  readonly dialect: string;
  readonly body: string;
}

/** Every IR type. */
export type Type =
  | IntegerType
  | FloatType
  | IndexType
  | NoneType
  | RankedTensorType
  | UnrankedTensorType
  | FunctionType
  | UniformQuantType
  | UniformPerAxisQuantType
  | CalibratedQuantType
  | OpaqueType;

/** Quantized element types. */
export type QuantType = UniformQuantType | UniformPerAxisQuantType | CalibratedQuantType;

const interned = new Map<string, Type>();
let nextId = 1;

function intern<T extends Type>(key: string, make: (id: number) => T): T {
  const found = interned.get(key);
  if (found) return found as T;
  const t = Object.freeze(make(nextId++)) as T;
  interned.set(key, t);
  return t;
}

/** An integer type, e.g. `integerType(8)` = `i8`, `integerType(8, 'unsigned')` = `ui8`. */
export function integerType(width: number, signedness: Signedness = 'signless'): IntegerType {
  return intern(`i:${width}:${signedness}`, (id) => ({ kind: 'integer', id, width, signedness }));
}

const floatWidths = { f16: 16, bf16: 16, f32: 32, f64: 64 } as const;
/** A float type by name. */
export function floatType(name: FloatType['name']): FloatType {
  return intern(`f:${name}`, (id) => ({ kind: 'float', id, name, width: floatWidths[name] }));
}
/** `index`. */
export function indexType(): IndexType {
  return intern('index', (id) => ({ kind: 'index', id }));
}
/** `none`. */
export function noneType(): NoneType {
  return intern('none', (id) => ({ kind: 'none', id }));
}
/** A ranked tensor type; use -1 for dynamic dims. */
export function tensorType(shape: readonly number[], element: Type): RankedTensorType {
  return intern(`t:${shape.join('x')}:${element.id}`, (id) => ({
    kind: 'tensor',
    id,
    shape: Object.freeze([...shape]),
    element,
  }));
}
/** `tensor<*xT>`. */
export function unrankedTensorType(element: Type): UnrankedTensorType {
  return intern(`ut:${element.id}`, (id) => ({ kind: 'unranked_tensor', id, element }));
}
/** `(inputs) -> results`. */
export function functionType(inputs: readonly Type[], results: readonly Type[]): FunctionType {
  return intern(`fn:${inputs.map((t) => t.id).join(',')}:${results.map((t) => t.id).join(',')}`, (id) => ({
    kind: 'function',
    id,
    inputs: Object.freeze([...inputs]),
    results: Object.freeze([...results]),
  }));
}

/** Default storage range of an integer type. */
export function storageRange(storage: IntegerType): [number, number] {
  if (storage.signedness === 'unsigned') return [0, 2 ** storage.width - 1];
  return [-(2 ** (storage.width - 1)), 2 ** (storage.width - 1) - 1];
}

function keyNum(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** A per-tensor uniform quantized type. Storage range defaults to the full range of `storage`. */
export function uniformQuantType(
  storage: IntegerType,
  expressed: FloatType,
  scale: number,
  zeroPoint: number,
  storageMin?: number,
  storageMax?: number,
): UniformQuantType {
  const [lo, hi] = storageRange(storage);
  const smin = storageMin ?? lo;
  const smax = storageMax ?? hi;
  return intern(`qu:${storage.id}:${smin}:${smax}:${expressed.id}:${keyNum(scale)}:${zeroPoint}`, (id) => ({
    kind: 'quant.uniform',
    id,
    storage,
    storageMin: smin,
    storageMax: smax,
    expressed,
    scale,
    zeroPoint,
  }));
}

/** A per-axis uniform quantized type. */
export function uniformPerAxisQuantType(
  storage: IntegerType,
  expressed: FloatType,
  axis: number,
  scales: readonly number[],
  zeroPoints: readonly number[],
  storageMin?: number,
  storageMax?: number,
): UniformPerAxisQuantType {
  const [lo, hi] = storageRange(storage);
  const smin = storageMin ?? lo;
  const smax = storageMax ?? hi;
  const key = `qa:${storage.id}:${smin}:${smax}:${expressed.id}:${axis}:${scales.map(keyNum).join(',')}:${zeroPoints.join(',')}`;
  return intern(key, (id) => ({
    kind: 'quant.uniform_per_axis',
    id,
    storage,
    storageMin: smin,
    storageMax: smax,
    expressed,
    axis,
    scales: Object.freeze([...scales]),
    zeroPoints: Object.freeze([...zeroPoints]),
  }));
}

/** `!quant.calibrated<f32<min:max>>`. */
export function calibratedQuantType(expressed: FloatType, min: number, max: number): CalibratedQuantType {
  return intern(`qc:${expressed.id}:${keyNum(min)}:${keyNum(max)}`, (id) => ({
    kind: 'quant.calibrated',
    id,
    expressed,
    min,
    max,
  }));
}

/** An opaque dialect type `!dialect.body`. */
export function opaqueType(dialect: string, body: string): OpaqueType {
  return intern(`o:${dialect}:${body}`, (id) => ({ kind: 'opaque', id, dialect, body }));
}

/** Common types. */
export const i1 = (): IntegerType => integerType(1);
export const i8 = (): IntegerType => integerType(8);
export const i16 = (): IntegerType => integerType(16);
export const i32 = (): IntegerType => integerType(32);
export const i64 = (): IntegerType => integerType(64);
export const ui8 = (): IntegerType => integerType(8, 'unsigned');
export const f16 = (): FloatType => floatType('f16');
export const f32 = (): FloatType => floatType('f32');
export const f64 = (): FloatType => floatType('f64');

/** True for the quant dialect's element types. */
export function isQuantType(t: Type): t is QuantType {
  return t.kind === 'quant.uniform' || t.kind === 'quant.uniform_per_axis' || t.kind === 'quant.calibrated';
}

/** True for ranked and unranked tensors. */
export function isTensorType(t: Type): t is RankedTensorType | UnrankedTensorType {
  return t.kind === 'tensor' || t.kind === 'unranked_tensor';
}

/** Element type of a tensor type, or the type itself for scalars. */
export function elementType(t: Type): Type {
  return t.kind === 'tensor' || t.kind === 'unranked_tensor' ? t.element : t;
}

/** The same tensor shape with another element type. */
export function withElement(t: Type, element: Type): Type {
  if (t.kind === 'tensor') return tensorType(t.shape, element);
  if (t.kind === 'unranked_tensor') return unrankedTensorType(element);
  return element;
}

/** Whether a shape has no dynamic dimension. */
export function isStaticShape(shape: readonly number[]): boolean {
  return shape.every((d) => d >= 0);
}

/** Storage integer type of a quantized element type, the expressed float type for calibrated ones. */
export function storageType(t: Type): Type {
  switch (t.kind) {
    case 'quant.uniform':
    case 'quant.uniform_per_axis':
      return t.storage;
    case 'quant.calibrated':
      return t.expressed;
    default:
      return t;
  }
}
