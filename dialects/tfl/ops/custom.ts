/**
 * tfl.custom: a TFLite custom operator, kept opaque. Its inputs may include `none` values, its
 * options are the raw flexbuffer bytes TFLite stores, and its identity is the custom_code string.
 */
import { type OpDef, defineOp } from '../../../src/ir/op-def.js';
import { strAttr } from '../verify-helpers.js';

/** `tfl.custom`: an opaque custom operator identified by `custom_code`. */
export const CustomOp = defineOp({
  name: 'tfl.custom',
  summary: 'TFLite custom operator',
  description:
    'An operator TFLite resolves by custom_code at run time; custom_option holds its option bytes (dense ui8 or an opaque attribute). Never folded, reordered or quantized.',
  operands: [{ name: 'input', variadic: true, optional: true }],
  results: [{ name: 'output', variadic: true }],
  attrs: {
    custom_code: { kind: 'string', description: 'operator_codes.custom_code of the flatbuffer' },
    custom_option: { kind: 'any', optional: true, description: 'raw custom option bytes' },
  },
  traits: [],
  verify: (op) => (strAttr(op, 'custom_code') === '' ? 'custom_code must not be empty' : undefined),
});

/** The custom op. */
export const CUSTOM_OPS: readonly OpDef[] = [CustomOp];
