/**
 * A small op emitter for the recurrent-op unrolling: builds float32 tfl primitives (fully_connected,
 * add/sub/mul, logistic/tanh, clamps, mean, pack/unpack, reshape) at the builder's insertion point,
 * with static result shapes computed here and `loc("<prefix>/<path>")` names on every op. All
 * mutation goes through the Builder.
 */
import { type Attribute, boolAttr, denseAttr, integerAttr, stringAttr, unitAttr } from '../../../src/ir/attribute.js';
import type { Builder } from '../../../src/ir/builder.js';
import { type Location, nameLoc } from '../../../src/ir/location.js';
import { type RankedTensorType, f32, i32, noneType, tensorType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';

/** Attribute marking a per-step copy of a constant (so CSE keeps the copies apart). */
export const UNROLL_STEP_ATTR = 'tfl.unroll_step';

/** Float32 tensor type of a shape. */
export function f32Tensor(shape: readonly number[]): RankedTensorType {
  return tensorType(shape, f32());
}

/** Little-endian float32 bytes of some numbers. */
export function f32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

/** Little-endian int32 bytes of some numbers. */
export function i32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i]!, true);
  return out;
}

function shapeOfValue(v: Value): readonly number[] {
  const t = v.type;
  if (t.kind !== 'tensor') throw new Error('unroll: expected a ranked tensor');
  return t.shape;
}

/** The broadcast of two static shapes (numpy rules). */
function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Float activations of the recurrent ops, as the unary tfl op that computes them (undefined = identity). */
export const ACTIVATION_OPS: Readonly<Record<string, string | null>> = Object.freeze({
  NONE: null,
  RELU: 'tfl.relu',
  RELU6: 'tfl.relu6',
  RELU_N1_TO_1: 'tfl.relu_n1_to_1',
  TANH: 'tfl.tanh',
  SIGMOID: 'tfl.logistic',
});

const NONE_ACT: Readonly<Record<string, Attribute>> = Object.freeze({ fused_activation_function: stringAttr('NONE') });

/** Emits float tfl ops at the builder's insertion point, named under a location prefix. */
export class Emitter {
  private noValue: Value | undefined;
  private readonly scalarConsts = new Map<string, Value>();

  constructor(
    readonly b: Builder,
    /** Location name prefix, e.g. the LSTM's own location name. */
    readonly prefix: string,
  ) {}

  /** `loc("<prefix>/<parts…>")`. */
  loc(...parts: readonly (string | number)[]): Location {
    return nameLoc([this.prefix, ...parts.map(String)].join('/'));
  }

  /** A float32 constant. `step` marks a per-step copy (see {@link UNROLL_STEP_ATTR}). */
  constF32(shape: readonly number[], values: ArrayLike<number>, loc: Location, step?: number): Value {
    const type = f32Tensor(shape);
    return this.constOf(type, denseAttr(type, f32Bytes(values)), loc, step);
  }

  /** A constant with an existing dense value (e.g. a per-step copy of a bias). */
  constOf(type: RankedTensorType, value: Attribute, loc: Location, step?: number): Value {
    const attrs: Record<string, Attribute> = { value };
    if (step !== undefined) attrs[UNROLL_STEP_ATTR] = integerAttr(step, i32());
    return this.b.createOne('tfl.pseudo_const', [], type, attrs, loc);
  }

  /** A one-element float32 constant (shared by every step: clamps, the CIFG `1`, epsilon). */
  scalarF32(v: number, name: string): Value {
    const key = `${name}:${Math.fround(v)}`;
    let c = this.scalarConsts.get(key);
    if (!c) {
      c = this.constF32([1], [v], this.loc(name));
      this.scalarConsts.set(key, c);
    }
    return c;
  }

  /** A 1-D int32 constant (shapes, axes). */
  constI32(values: readonly number[], loc: Location): Value {
    const type = tensorType([values.length], i32());
    return this.b.createOne('tfl.pseudo_const', [], type, { value: denseAttr(type, i32Bytes(values)) }, loc);
  }

  /** The `none` value for absent optional operands (one per emitter). */
  none(): Value {
    this.noValue ??= this.b.createOne('tfl.no_value', [], noneType(), { value: unitAttr() }, this.loc('none'));
    return this.noValue;
  }

  /** `fully_connected(x [B, I], w [U, I], bias?) -> [B, U]`. */
  fc(x: Value, w: Value, bias: Value | undefined, loc: Location): Value {
    const [bsz] = shapeOfValue(x);
    const [units] = shapeOfValue(w);
    return this.b.createOne(
      'tfl.fully_connected',
      [x, w, bias ?? this.none()],
      f32Tensor([bsz!, units!]),
      {
        fused_activation_function: stringAttr('NONE'),
        keep_num_dims: boolAttr(false),
        weights_format: stringAttr('DEFAULT'),
      },
      loc,
    );
  }

  /** A broadcasting binary op without fused activation (`tfl.add`, `tfl.sub`, `tfl.mul`, ...). */
  binary(name: 'tfl.add' | 'tfl.sub' | 'tfl.mul' | 'tfl.maximum' | 'tfl.minimum', a: Value, c: Value, loc: Location): Value {
    const shape = broadcast(shapeOfValue(a), shapeOfValue(c));
    const attrs = name === 'tfl.maximum' || name === 'tfl.minimum' ? {} : NONE_ACT;
    return this.b.createOne(name, [a, c], f32Tensor(shape), attrs, loc);
  }

  add(a: Value, c: Value, loc: Location): Value {
    return this.binary('tfl.add', a, c, loc);
  }
  sub(a: Value, c: Value, loc: Location): Value {
    return this.binary('tfl.sub', a, c, loc);
  }
  mul(a: Value, c: Value, loc: Location): Value {
    return this.binary('tfl.mul', a, c, loc);
  }

  /** A same-shape unary op (`tfl.logistic`, `tfl.tanh`, `tfl.relu`, `tfl.rsqrt`, ...). */
  unary(name: string, x: Value, loc: Location): Value {
    return this.b.createOne(name, [x], x.type, {}, loc);
  }

  /** A fused-activation name applied as an op (identity for NONE). */
  activation(act: string, x: Value, loc: Location): Value {
    const op = ACTIVATION_OPS[act];
    if (op === undefined) throw new Error(`unroll: unsupported activation ${act}`);
    return op === null ? x : this.unary(op, x, loc);
  }

  /** Clamps to [-clip, clip] (TFLite's cell/projection clipping) with maximum then minimum. */
  clip(x: Value, clip: number, loc: Location, name: string): Value {
    if (Math.fround(clip) === 1) return this.unary('tfl.relu_n1_to_1', x, loc);
    const lo = this.binary('tfl.maximum', x, this.scalarF32(-clip, `${name}_min`), nameLoc(`${locText(loc)}/max`));
    return this.binary('tfl.minimum', lo, this.scalarF32(clip, `${name}_max`), loc);
  }

  /** `mean(x, axis=[last], keep_dims=true)`. */
  meanLast(x: Value, axisConst: Value, loc: Location): Value {
    const s = shapeOfValue(x);
    return this.b.createOne('tfl.mean', [x, axisConst], f32Tensor([...s.slice(0, -1), 1]), { keep_dims: boolAttr(true) }, loc);
  }

  /** `reshape(x, shape)` to a given type (the shape operand uses -1 for dynamic dims). */
  reshape(x: Value, to: RankedTensorType, loc: Location): Value {
    const shape = this.constI32(to.shape, nameLoc(`${locText(loc)}/shape`));
    return this.b.createOne('tfl.reshape', [x, shape], to, {}, loc);
  }

  /** `unpack(x) {axis, num}`: the slices along `axis`, one location per slice. */
  unpack(x: Value, axis: number, locs: readonly Location[]): Value[] {
    const s = shapeOfValue(x);
    const sliceType = f32Tensor(s.filter((_, i) => i !== axis));
    const num = locs.length;
    const op = this.b.create({
      name: 'tfl.unpack',
      operands: [x],
      resultTypes: Array.from({ length: num }, () => sliceType),
      attributes: { axis: integerAttr(axis, i32()), num: integerAttr(num, i32()) },
      loc: num === 1 ? locs[0]! : { kind: 'fused', locs },
    });
    return op.results.slice();
  }

  /** `pack(values) {axis, values_count}`. */
  pack(values: readonly Value[], axis: number, loc: Location): Value {
    const s = shapeOfValue(values[0]!);
    const shape = [...s.slice(0, axis), values.length, ...s.slice(axis)];
    return this.b.createOne(
      'tfl.pack',
      values,
      f32Tensor(shape),
      { axis: integerAttr(axis, i32()), values_count: integerAttr(values.length, i32()) },
      loc,
    );
  }

  /** `concatenation(values) {axis}`. */
  concat(values: readonly Value[], axis: number, loc: Location): Value {
    const s = [...shapeOfValue(values[0]!)];
    s[axis] = values.reduce((n, v) => n + shapeOfValue(v)[axis]!, 0);
    return this.b.createOne(
      'tfl.concatenation',
      values,
      f32Tensor(s),
      { axis: integerAttr(axis, i32()), fused_activation_function: stringAttr('NONE') },
      loc,
    );
  }
}

/** The name text of a name location (for deriving sub-locations). */
export function locText(loc: Location): string {
  return loc.kind === 'name' ? loc.name : 'unroll';
}
