/**
 * Ops declared as data (in the spirit of MLIR's ODS): operand/result/attribute specs, traits,
 * verify, fold, canonicalization patterns and quantization traits. One declaration drives parse-time
 * checks, the verifier, the canonicalizer and the generated docs.
 */
import type { Attribute } from './attribute.js';
import type { Operation } from './operation.js';
import type { Type } from './type.js';
import type { Value } from './value.js';
import type { RewritePattern } from '../rewrite/pattern.js';
import type { Builder } from './builder.js';
import type { Location } from './location.js';

/** Structural and semantic op properties. */
export type Trait =
  | 'Pure'
  | 'Terminator'
  | 'ReturnLike'
  | 'IsolatedFromAbove'
  | 'SymbolTable'
  | 'Symbol'
  | 'ConstantLike'
  | 'Commutative'
  | 'SameOperandsAndResultShape'
  | 'SameOperandsAndResultElementType'
  | 'NoTerminator'
  | 'SingleBlock'
  | 'Stateful';

/** One operand (or a variadic group of operands). */
export interface OperandSpec {
  readonly name: string;
  /** A variadic group (at most one per op). */
  readonly variadic?: boolean;
  /** May be a `none`-typed value (TFLite's absent optional tensor). */
  readonly optional?: boolean;
  readonly description?: string;
}

/** One result (or a variadic group). */
export interface ResultSpec {
  readonly name: string;
  readonly variadic?: boolean;
}

/** Kinds of attribute constraint. */
export type AttrKind =
  | 'int'
  | 'float'
  | 'bool'
  | 'string'
  | 'enum'
  | 'array'
  | 'int_array'
  | 'dense'
  | 'type'
  | 'symbol'
  | 'unit'
  | 'dict'
  | 'any';

/** An attribute constraint with its default (TFLite's default when absent). */
export interface AttrSpec {
  readonly kind: AttrKind;
  /** Allowed values of an enum (stored as a string attribute). */
  readonly values?: readonly string[];
  /** May be absent; absent means `default` if one is given. */
  readonly optional?: boolean;
  readonly default?: Attribute;
  readonly description?: string;
}

/**
 * Quantization properties of an op, read by the quantization passes (dialect-agnostic shape; the
 * tfl dialect fills it in).
 */
export interface QuantSpec {
  /** Operand indices that are weights, with their per-channel axis when quantized per channel. */
  readonly weights?: readonly { readonly operand: number; readonly perChannelAxis?: number }[];
  /** Bias operands: scale = scale(input) * scale(weight). */
  readonly biases?: readonly { readonly operand: number; readonly input: number; readonly weight: number }[];
  /** Operands (by index) and results that must share one scale/zero point ('all' = every tensor). */
  readonly sameScale?: 'all' | { readonly operands: readonly number[]; readonly results: readonly number[] };
  /** Fixed output quantization by activation bit width. */
  readonly fixedOutput?: {
    readonly int8?: { readonly scale: number; readonly zeroPoint: number };
    readonly int16?: { readonly scale: number; readonly zeroPoint: number };
  };
  /** Activation widths the op can be quantized to (kernels exist). */
  readonly supports?: readonly ('int8' | 'int16')[];
  /** Operands that are not activations (shapes, axes, indices): never quantized. */
  readonly nonQuantOperands?: readonly number[];
}

/** What a fold produced for each result: an existing value or a constant attribute. */
export type FoldResult = readonly (Value | Attribute)[];

/**
 * What a shape function knows of each operand: its shape (dims >= 0, or -1 for a dynamic dim), or
 * undefined when unknown (unranked, `none`, or a value the caller could not shape).
 */
export type OperandShapes = readonly (readonly number[] | undefined)[];

/**
 * What a shape function answers: one shape per result (dims may be -1 where they stay dynamic;
 * undefined where this result cannot be inferred from what is known), or an error message (without
 * the `'name' op ` prefix) when the known operand shapes and attributes are inconsistent.
 */
export type InferredShapes = readonly (readonly number[] | undefined)[] | string;

/** The declaration of one op. */
export interface OpDef {
  /** `dialect.op_name`. */
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly operands: readonly OperandSpec[];
  readonly results: readonly ResultSpec[];
  readonly attrs: Readonly<Record<string, AttrSpec>>;
  readonly traits: readonly Trait[];
  /** Number of regions (default 0), or the allowed numbers (e.g. [2, 0] for region or symbol forms). */
  readonly regions?: number | readonly number[];
  /** Op-specific invariants: returns an error message (without the `'name' op ` prefix) or undefined. */
  readonly verify?: (op: Operation) => string | undefined;
  /** Folds with constant operands (undefined when not constant); never creates ops. */
  readonly fold?: (op: Operation, constants: readonly (Attribute | undefined)[]) => FoldResult | undefined;
  /** Canonicalization patterns rooted at this op. */
  readonly canonicalize?: readonly RewritePattern[];
  readonly quant?: QuantSpec;
  /**
   * Operands that are variable state (LSTM/SVDF): the value feeding them is a persistent buffer the
   * op updates in place, exported as a TFLite variable tensor.
   */
  readonly statefulOperands?: readonly number[];
  /**
   * Result shapes from operand shapes (MLIR's InferShapedTypeOpInterface): `operandShapes[i]` is what
   * the caller knows of operand i — the shape function must read operand shapes from there, not from
   * the IR types (the interpreter passes shapes it resolved without retyping the IR), but may read
   * attributes and the values of constant operands from the op. Element types are not its business.
   * Ops without one but with the `SameOperandsAndResultShape` trait get every result shaped like the
   * operands (see `src/ir/shape-inference.ts`, which callers use instead of calling this directly).
   */
  readonly inferResultShapes?: (op: Operation, operandShapes: OperandShapes) => InferredShapes;
}

/** A dialect: its ops and hooks. */
export interface Dialect {
  readonly name: string;
  readonly summary: string;
  readonly ops: readonly OpDef[];
  /** Builds a constant op producing `value` of `type` (used when folds produce attributes). */
  readonly materializeConstant?: (b: Builder, value: Attribute, type: Type, loc: Location) => Operation | undefined;
  /** Whether ops of this dialect not in `ops` are accepted (e.g. tfl.custom is registered, others not). */
  readonly allowUnknownOps?: boolean;
}

/** Declares an op; fills defaults and freezes. */
export function defineOp(def: OpDef): OpDef {
  return Object.freeze({ ...def, attrs: Object.freeze({ ...def.attrs }), traits: Object.freeze([...def.traits]) });
}

/** Whether an op definition has a trait. */
export function hasTrait(def: OpDef | undefined, t: Trait): boolean {
  return def !== undefined && def.traits.includes(t);
}
