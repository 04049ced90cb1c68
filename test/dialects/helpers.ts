/**
 * Test helpers for dialect unit tests: values of a given type (block arguments), dense constants,
 * ops built with Operation.create inside a scratch block, and running an op's own verifier/folder.
 */
import { type Attribute, type DenseElementsAttr, denseAttr, floatAttr, integerAttr, unitAttr } from '../../src/ir/attribute.js';
import { Block } from '../../src/ir/block.js';
import { UnknownLoc } from '../../src/ir/location.js';
import type { OpDef } from '../../src/ir/op-def.js';
import { Operation } from '../../src/ir/operation.js';
import { type Type, f32, i32, noneType, tensorType } from '../../src/ir/type.js';
import type { Value } from '../../src/ir/value.js';
import { QuantDialect, QuantforkDialect } from '../../dialects/quant/index.js';
import { TflDialect } from '../../dialects/tfl/index.js';

const defs = new Map<string, OpDef>([...TflDialect.ops, ...QuantDialect.ops, ...QuantforkDialect.ops].map((d) => [d.name, d]));

/** The definition of a tfl or quant op (throws when unknown). */
export function def(name: string): OpDef {
  const d = defs.get(name);
  if (!d) throw new Error(`no op definition for ${name}`);
  return d;
}

/** A fresh block that holds test ops and arguments. */
export class Scratch {
  readonly block = new Block();

  /** A value of a type (a block argument). */
  arg(t: Type): Value {
    return this.block.addArgument(t, UnknownLoc);
  }

  /** Creates an op and appends it to the block. */
  op(name: string, operands: readonly Value[], resultTypes: readonly Type[], attrs: Readonly<Record<string, Attribute>> = {}, regions = 0): Operation {
    return appendOp(this.block, name, operands, resultTypes, attrs, regions);
  }

  /** A `tfl.pseudo_const` of a dense attribute; returns its result. */
  cst(a: DenseElementsAttr): Value {
    return this.op('tfl.pseudo_const', [], [a.type], { value: a }).result(0);
  }

  /** A `tfl.no_value`. */
  none(): Value {
    return this.op('tfl.no_value', [], [noneType()], { value: unitAttr() }).result(0);
  }
}

/** Creates an op and appends it to a block. */
export function appendOp(
  block: Block,
  name: string,
  operands: readonly Value[],
  resultTypes: readonly Type[],
  attrs: Readonly<Record<string, Attribute>> = {},
  regions = 0,
): Operation {
  const o = Operation.create({ name, operands, resultTypes, attributes: attrs, regions });
  block.append(o);
  return o;
}

/** Runs an op's verifier (undefined = valid). */
export function verify(op: Operation): string | undefined {
  return def(op.name).verify?.(op);
}

/** Runs an op's folder with the constants of its operands' defining constant ops. */
export function fold(op: Operation): ReturnType<NonNullable<OpDef['fold']>> {
  const constants = op.operandValues().map((v) => {
    const d = v.definingOp;
    if (!d || !def(d.name).traits.includes('ConstantLike')) return undefined;
    return d.attr('value');
  });
  return def(op.name).fold?.(op, constants);
}

/** Dense i32 constant. */
export function i32Dense(values: readonly number[], shape: readonly number[] = [values.length]): DenseElementsAttr {
  const b = new Uint8Array(values.length * 4);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setInt32(i * 4, x, true));
  return denseAttr(tensorType(shape, i32()), b);
}

/** Dense f32 constant. */
export function f32Dense(values: readonly number[], shape: readonly number[] = [values.length]): DenseElementsAttr {
  const b = new Uint8Array(values.length * 4);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setFloat32(i * 4, x, true));
  return denseAttr(tensorType(shape, f32()), b);
}

/** An i32 IntegerAttr. */
export const i32a = (v: number): Attribute => integerAttr(v, i32());
/** An f32 FloatAttr. */
export const f32a = (v: number): Attribute => floatAttr(v, f32());
