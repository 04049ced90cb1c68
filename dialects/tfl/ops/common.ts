/**
 * Building blocks shared by the tfl op declarations: the enum attribute specs (fused activation,
 * padding), typed attribute specs with TFLite's defaults, and factories for the recurring op shapes
 * (unary elementwise, broadcasting binary). Enums are string attributes, as in TF's tfl dialect.
 */
import { boolAttr, floatAttr, integerAttr, stringAttr } from '../../../src/ir/attribute.js';
import type { AttrSpec, OpDef, QuantSpec, Trait } from '../../../src/ir/op-def.js';
import { f32, i32 } from '../../../src/ir/type.js';

/** TFLite's ActivationFunctionType names. */
export const ACTIVATION_VALUES: readonly string[] = Object.freeze(['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT']);
/** TFLite's Padding names. */
export const PADDING_VALUES: readonly string[] = Object.freeze(['SAME', 'VALID']);
/** TFLite's MirrorPadMode names. */
export const MIRROR_PAD_VALUES: readonly string[] = Object.freeze(['REFLECT', 'SYMMETRIC']);
/** TFLite's FullyConnectedOptionsWeightsFormat names. */
export const WEIGHTS_FORMAT_VALUES: readonly string[] = Object.freeze(['DEFAULT', 'SHUFFLED4x16INT8']);
/** TFLite's LSTMKernelType names. */
export const LSTM_KERNEL_TYPE_VALUES: readonly string[] = Object.freeze(['FULL', 'BASIC']);

/** `fused_activation_function`: required, TFLite's default NONE. */
export const FUSED_ACTIVATION: AttrSpec = Object.freeze({
  kind: 'enum',
  values: ACTIVATION_VALUES,
  default: stringAttr('NONE'),
  description: 'activation applied to the result',
});

/** `padding`: SAME or VALID (required: no default, as in TF's tfl dialect). */
export const PADDING: AttrSpec = Object.freeze({ kind: 'enum', values: PADDING_VALUES });

/** A required i32 attribute, with the TFLite schema default when there is a meaningful one. */
export function i32Attr(description?: string, defaultValue?: number): AttrSpec {
  return Object.freeze({
    kind: 'int',
    ...(defaultValue !== undefined ? { default: integerAttr(defaultValue, i32()) } : {}),
    ...(description ? { description } : {}),
  });
}

/** An optional i32 attribute with a default. */
export function optI32Attr(defaultValue: number, description?: string): AttrSpec {
  return Object.freeze({ kind: 'int', optional: true, default: integerAttr(defaultValue, i32()), ...(description ? { description } : {}) });
}

/** A required f32 attribute. */
export function f32Attr(description?: string, defaultValue?: number): AttrSpec {
  return Object.freeze({
    kind: 'float',
    ...(defaultValue !== undefined ? { default: floatAttr(defaultValue, f32()) } : {}),
    ...(description ? { description } : {}),
  });
}

/** An optional f32 attribute with a default. */
export function optF32Attr(defaultValue: number, description?: string): AttrSpec {
  return Object.freeze({ kind: 'float', optional: true, default: floatAttr(defaultValue, f32()), ...(description ? { description } : {}) });
}

/** A required bool attribute (TFLite's schema default is false unless given). */
export function boolAttrSpec(description?: string, defaultValue = false): AttrSpec {
  return Object.freeze({ kind: 'bool', default: boolAttr(defaultValue), ...(description ? { description } : {}) });
}

/** An optional bool attribute with a default. */
export function optBoolAttr(defaultValue: boolean, description?: string): AttrSpec {
  return Object.freeze({ kind: 'bool', optional: true, default: boolAttr(defaultValue), ...(description ? { description } : {}) });
}

/** `asymmetric_quantize_inputs`: optional, used by hybrid (dynamic-range) kernels. */
export const ASYMMETRIC_QUANTIZE_INPUTS: AttrSpec = optBoolAttr(false, 'hybrid kernels: quantize inputs asymmetrically');

/** Options of the unary op factory. */
export interface UnaryOpOptions {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly operand?: string;
  readonly result?: string;
  readonly quant?: QuantSpec;
  readonly traits?: readonly Trait[];
  readonly fold?: OpDef['fold'];
  readonly verify?: OpDef['verify'];
  readonly canonicalize?: OpDef['canonicalize'];
}

/** A pure one-operand elementwise op whose result has the operand's shape. */
export function unaryOpDef(o: UnaryOpOptions): OpDef {
  return {
    name: o.name,
    summary: o.summary,
    description: o.description,
    operands: [{ name: o.operand ?? 'x' }],
    results: [{ name: o.result ?? 'y' }],
    attrs: {},
    traits: o.traits ?? ['Pure', 'SameOperandsAndResultShape'],
    ...(o.quant ? { quant: o.quant } : {}),
    ...(o.fold ? { fold: o.fold } : {}),
    ...(o.verify ? { verify: o.verify } : {}),
    ...(o.canonicalize ? { canonicalize: o.canonicalize } : {}),
  };
}
