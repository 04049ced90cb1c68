/**
 * The tfl (TensorFlow Lite) dialect: every op declaration gathered into `TflDialect`, the constant
 * materializer folders rely on (pseudo_const / pseudo_qconst / no_value), and `tflOpNames` for docs.
 * Kernels live in dialects/tfl/kernels and register separately.
 */
import { type Attribute, denseAttr, typeAttr } from '../../src/ir/attribute.js';
import type { Builder } from '../../src/ir/builder.js';
import type { Location } from '../../src/ir/location.js';
import type { Dialect, OpDef } from '../../src/ir/op-def.js';
import type { Operation } from '../../src/ir/operation.js';
import { registerDialect } from '../../src/ir/registry.js';
import { type Type, tensorType } from '../../src/ir/type.js';
import { ACTIVATION_OPS } from './ops/activation.js';
import { CONST_OPS } from './ops/const.js';
import { CONTROL_OPS } from './ops/control.js';
import { CUSTOM_OPS } from './ops/custom.js';
import { ELEMENTWISE_OPS } from './ops/elementwise.js';
import { MISC_OPS } from './ops/misc.js';
import { NN_OPS } from './ops/nn.js';
import { QUANT_OPS } from './ops/quant.js';
import { RECURRENT_OPS } from './ops/recurrent.js';
import { REDUCE_OPS } from './ops/reduce.js';
import { SHAPE_OPS } from './ops/shape.js';

export * from './ops/activation.js';
export * from './ops/const.js';
export * from './ops/control.js';
export * from './ops/custom.js';
export * from './ops/elementwise.js';
export * from './ops/misc.js';
export * from './ops/nn.js';
export * from './ops/quant.js';
export * from './ops/recurrent.js';
export * from './ops/reduce.js';
export * from './ops/shape.js';
export { TFL_CANONICALIZATION_PATTERNS, patternsFor } from './canonicalize.js';

/** Every tfl op definition, grouped by category. */
export const TFL_OPS: readonly OpDef[] = Object.freeze([
  ...ELEMENTWISE_OPS,
  ...ACTIVATION_OPS,
  ...NN_OPS,
  ...SHAPE_OPS,
  ...REDUCE_OPS,
  ...QUANT_OPS,
  ...RECURRENT_OPS,
  ...CONST_OPS,
  ...CONTROL_OPS,
  ...CUSTOM_OPS,
  ...MISC_OPS,
]);

/** The names of every tfl op, sorted (for docs and listings). */
export const tflOpNames: readonly string[] = Object.freeze(TFL_OPS.map((d) => d.name).sort());

/**
 * Builds the constant op for a folded attribute: `tfl.no_value` for unit/none, `tfl.pseudo_qconst`
 * for quantized tensor types (the value is stored with the storage element type), else
 * `tfl.pseudo_const` when the dense value has exactly the requested type.
 */
export function materializeTflConstant(b: Builder, value: Attribute, type: Type, loc: Location): Operation | undefined {
  if (value.kind === 'unit' && type.kind === 'none')
    return b.create({ name: 'tfl.no_value', attributes: { value }, resultTypes: [type], loc });
  if (value.kind !== 'dense' || type.kind !== 'tensor') return undefined;
  const el = type.element;
  if (el.kind === 'quant.uniform' || el.kind === 'quant.uniform_per_axis') {
    const storage = tensorType(type.shape, el.storage);
    let stored = value;
    if (value.type !== storage) {
      if (value.type !== type) return undefined;
      stored = denseAttr(storage, value.bytes);
    }
    return b.create({ name: 'tfl.pseudo_qconst', attributes: { qtype: typeAttr(type), value: stored }, resultTypes: [type], loc });
  }
  if (value.type !== type) return undefined;
  return b.create({ name: 'tfl.pseudo_const', attributes: { value }, resultTypes: [type], loc });
}

/** The tfl dialect. */
export const TflDialect: Dialect = Object.freeze({
  name: 'tfl',
  summary: 'TensorFlow Lite builtin operators, constants and control flow',
  ops: TFL_OPS,
  materializeConstant: materializeTflConstant,
});

/** Registers the tfl dialect (idempotent). */
export function registerTflDialect(): void {
  registerDialect(TflDialect);
}
