/**
 * What a generated single-op case is (tensor, operand and case specs, attribute shorthands) and how
 * it becomes something to run: `buildModule` turns it into a tfl module through the IR builder APIs
 * (constants as `tfl.pseudo_const` / `tfl.pseudo_qconst`, absent operands as `tfl.no_value`) and
 * `caseInputs` draws its graph inputs.
 */
import {
  type Attribute,
  arrayAttr,
  boolAttr,
  denseAttr,
  floatAttr,
  integerAttr,
  stringAttr,
  typeAttr,
  unitAttr,
} from '../../../src/ir/attribute.js';
import { Builder } from '../../../src/ir/builder.js';
import { nameLoc } from '../../../src/ir/location.js';
import type { Operation } from '../../../src/ir/operation.js';
import {
  type Type,
  f32,
  i1,
  i16,
  i32,
  i64,
  i8,
  noneType,
  tensorType,
  ui8,
  uniformPerAxisQuantType,
  uniformQuantType,
} from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { type TypedArray, allocTyped } from '../../../src/interp/kernel.js';
import { createFunc, createModule } from '../../../dialects/builtin/index.js';
import { IS_VARIABLE } from '../../../dialects/tfl/ops/const.js';

// ---------------------------------------------------------------------------------------------
// Case description

/** Element types the generator uses. */
export type Elem = 'f32' | 'i8' | 'u8' | 'i16' | 'i32' | 'i64' | 'i1';

/** Quantization: one scale/zero point, or one per slice along `axis`. */
export interface QSpec {
  readonly scale: number | readonly number[];
  readonly zeroPoint?: number | readonly number[];
  readonly axis?: number;
}

/** A tensor type: element, static shape, optional quantization. */
export interface TensorSpec {
  readonly dtype: Elem;
  readonly shape: readonly number[];
  readonly q?: QSpec;
}

/** How random data for a graph input is drawn. */
export type InputGen =
  | { readonly kind: 'full' } // the whole range of the storage type (floats: [-1, 1))
  | { readonly kind: 'range'; readonly lo: number; readonly hi: number } // uniform in [lo, hi] (ints inclusive)
  | { readonly kind: 'fixed'; readonly data: TypedArray }; // exactly these values

/** One operand of the op. */
export type OperandSpec =
  | { readonly kind: 'input'; readonly t: TensorSpec; readonly gen?: InputGen }
  | { readonly kind: 'const'; readonly t: TensorSpec; readonly data: TypedArray; readonly variable?: boolean }
  | { readonly kind: 'none' };

/** One generated single-op model. */
export interface SingleOpCase {
  /** Unique, readable id: family, types and the main parameters. */
  readonly id: string;
  /** Kernel family (the kernel file it exercises). */
  readonly family: string;
  readonly op: string;
  readonly operands: readonly OperandSpec[];
  readonly results: readonly TensorSpec[];
  readonly attrs: Readonly<Record<string, Attribute>>;
}

/** A case as a family generator draws it; the family table adds `family`. */
export type CaseDraft = Omit<SingleOpCase, 'family'>;

// Attribute shorthands, typed as the tfl op definitions expect them (ints i32, floats f32).
/** An i32 integer attribute. */
export const I = (v: number): Attribute => integerAttr(v, i32());
/** An f32 float attribute. */
export const F = (v: number): Attribute => floatAttr(v, f32());
/** A string attribute. */
export const S = (v: string): Attribute => stringAttr(v);
/** A bool attribute. */
export const B = (v: boolean): Attribute => boolAttr(v);
/** An array of i64 integer attributes. */
export const IA = (v: readonly number[]): Attribute => arrayAttr(v.map((x) => integerAttr(x, i64())));

// ---------------------------------------------------------------------------------------------
// IR construction

const STORAGE: Record<Exclude<Elem, 'f32'>, () => Type> = { i8, u8: ui8, i16, i32, i64, i1 };

/** The IR element type of a tensor spec (quantized types use the quant dialect's element types). */
export function elementTypeOf(t: TensorSpec): Type {
  if (t.dtype === 'f32') return f32();
  const storage = STORAGE[t.dtype]();
  if (!t.q) return storage;
  if (typeof t.q.scale === 'number') {
    const zp = typeof t.q.zeroPoint === 'number' ? t.q.zeroPoint : 0;
    return uniformQuantType(storage as ReturnType<typeof i8>, f32(), t.q.scale, zp);
  }
  const scales = t.q.scale;
  const zps = Array.isArray(t.q.zeroPoint) ? (t.q.zeroPoint as number[]) : scales.map(() => (t.q?.zeroPoint as number | undefined) ?? 0);
  return uniformPerAxisQuantType(storage as ReturnType<typeof i8>, f32(), t.q.axis ?? 0, scales, zps);
}

/** The IR tensor type of a spec. */
export function tensorTypeOf(t: TensorSpec): Type {
  return tensorType(t.shape, elementTypeOf(t));
}

function bytesOf(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

/** Builds `module { func @main(inputs) -> results { consts; op; return } }` for a case. */
export function buildModule(c: SingleOpCase): Operation {
  const module = createModule();
  const inputSpecs = c.operands.filter((o): o is Extract<OperandSpec, { kind: 'input' }> => o.kind === 'input');
  const f = createFunc(
    'main',
    inputSpecs.map((o) => tensorTypeOf(o.t)),
    c.results.map(tensorTypeOf),
    module,
  );
  const block = f.regions[0]!.blocks[0]!;
  block.args.forEach((a, i) => {
    (a as unknown as { loc: unknown }).loc = nameLoc(`input${i}`);
  });
  const b = new Builder();
  b.setInsertionPointToEnd(block);
  let nextArg = 0;
  const operands: Value[] = c.operands.map((o, i) => {
    switch (o.kind) {
      case 'input':
        return block.args[nextArg++]!;
      case 'none':
        return b.createOne('tfl.no_value', [], noneType(), { value: unitAttr() }, nameLoc(`none${i}`));
      case 'const': {
        const type = tensorTypeOf(o.t);
        const bytes = bytesOf(o.data);
        const variable: Record<string, Attribute> = o.variable ? { [IS_VARIABLE]: unitAttr() } : {};
        if (o.t.q) {
          const storage = tensorType(o.t.shape, STORAGE[o.t.dtype as Exclude<Elem, 'f32'>]());
          return b.createOne('tfl.pseudo_qconst', [], type, { qtype: typeAttr(type), value: denseAttr(storage as never, bytes), ...variable }, nameLoc(`const${i}`));
        }
        return b.createOne('tfl.pseudo_const', [], type, { value: denseAttr(type as never, bytes), ...variable }, nameLoc(`const${i}`));
      }
    }
  });
  const op = b.create({
    name: c.op,
    operands,
    resultTypes: c.results.map(tensorTypeOf),
    attributes: c.attrs,
    loc: nameLoc('output0'),
  });
  b.create({ name: 'func.return', operands: op.results });
  return module;
}

// ---------------------------------------------------------------------------------------------
// Graph inputs

/** Random data for the case's graph inputs (in order), drawn from `r`. */
export function caseInputs(c: SingleOpCase, r: () => number): TypedArray[] {
  const out: TypedArray[] = [];
  for (const o of c.operands) {
    if (o.kind !== 'input') continue;
    const n = o.t.shape.reduce((a, b) => a * b, 1);
    const gen = o.gen ?? { kind: 'full' };
    if (gen.kind === 'fixed') {
      out.push(gen.data.slice() as TypedArray);
      continue;
    }
    const a = allocTyped(o.t.dtype, n);
    const [lo, hi] = gen.kind === 'range' ? [gen.lo, gen.hi] : fullRange(o.t.dtype);
    for (let i = 0; i < n; i++) {
      if (o.t.dtype === 'f32') a[i] = lo + (hi - lo) * r();
      else if (o.t.dtype === 'i64') (a as BigInt64Array)[i] = BigInt(lo + Math.floor(r() * (hi - lo + 1)));
      else a[i] = lo + Math.floor(r() * (hi - lo + 1));
    }
    out.push(a);
  }
  return out;
}

/** The range an input of this type is drawn from by default (`{ kind: 'full' }`). */
export function fullRange(d: Elem): [number, number] {
  switch (d) {
    case 'f32':
      return [-1, 1];
    case 'i8':
      return [-128, 127];
    case 'u8':
      return [0, 255];
    case 'i16':
      return [-32768, 32767];
    case 'i32':
      return [-1000, 1000];
    case 'i64':
      return [-1000, 1000];
    case 'i1':
      return [0, 1];
  }
}
