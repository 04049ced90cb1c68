/**
 * Elementwise tfl ops: broadcasting arithmetic (add, sub, mul, div, maximum, minimum, ...),
 * comparisons and logic, selects, and the one-operand math ops (abs, exp, rsqrt, cast, ...). Folds
 * cover exact identities (`x * 1`, `x + -0.0`, `max(x, x)`) and small integer shape arithmetic.
 */
import type { Attribute } from '../../../src/ir/attribute.js';
import { type AttrSpec, type FoldResult, type OpDef, type QuantSpec, type Trait, defineOp } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { foldIdentityOperand, foldIntBinary } from '../fold-helpers.js';
import { INT8_INT16, INT8_ONLY, activationSpec, sameScaleAllSpec, sameScaleSpec } from '../quant-spec.js';
import {
  elemOf,
  firstError,
  fusedActivation,
  isQuantized,
  verifyBroadcastable,
  verifySameOperandElements,
} from '../verify-helpers.js';
import { FUSED_ACTIVATION, optBoolAttr, unaryOpDef } from './common.js';
import { inferAddN, inferBroadcast, inferSelect } from '../shape-inference.js';

interface BinaryOptions {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly commutative?: boolean;
  readonly fusedActivation?: boolean;
  readonly extraAttrs?: Readonly<Record<string, AttrSpec>>;
  readonly quant?: QuantSpec;
  readonly result?: string;
  /** Result is i1 (comparisons): skip the operand/result element check. */
  readonly boolResult?: boolean;
  readonly fold?: OpDef['fold'];
}

function binaryOp(o: BinaryOptions): OpDef {
  const traits: Trait[] = ['Pure'];
  if (o.commutative) traits.push('Commutative');
  return defineOp({
    name: o.name,
    summary: o.summary,
    description: o.description,
    operands: [{ name: 'lhs' }, { name: 'rhs' }],
    results: [{ name: o.result ?? 'output' }],
    attrs: { ...(o.fusedActivation ? { fused_activation_function: FUSED_ACTIVATION } : {}), ...o.extraAttrs },
    traits,
    verify: (op) =>
      firstError(
        () => verifySameOperandElements(op),
        () => verifyBroadcastable(op),
        () => (o.boolResult ? verifyBoolResult(op) : undefined),
      ),
    ...(o.quant ? { quant: o.quant } : {}),
    ...(o.fold ? { fold: o.fold } : {}),
    inferResultShapes: inferBroadcast,
  });
}

function verifyBoolResult(op: Operation): string | undefined {
  const e = elemOf(op.result(0));
  return e.kind === 'integer' && e.width === 1 ? undefined : 'result must have i1 elements';
}

const POT_SCALE_INT16: AttrSpec = optBoolAttr(
  true,
  'int16 kernels: true selects the power-of-two-scale path, false the general 16x8 path (AddOptions/SubOptions)',
);

function intFold(fn: (a: bigint, b: bigint) => bigint | undefined) {
  return (op: Operation, c: readonly (Attribute | undefined)[]): FoldResult | undefined => {
    if (fusedActivation(op) !== 'NONE') return undefined;
    const l = c[0];
    const r = c[1];
    if (l?.kind !== 'dense' || r?.kind !== 'dense') return undefined;
    if (l.type !== op.operand(0).type || r.type !== op.operand(1).type) return undefined;
    const out = foldIntBinary(l, r, op.result(0).type, fn);
    return out ? [out] : undefined;
  };
}

const foldAddInt = intFold((a, b) => a + b);
const foldSubInt = intFold((a, b) => a - b);
const foldMulInt = intFold((a, b) => a * b);

/** `tfl.add`: lhs + rhs with broadcasting and a fused activation. */
export const AddOp = binaryOp({
  name: 'tfl.add',
  summary: 'Elementwise addition',
  description: 'Adds two tensors elementwise with numpy broadcasting, then applies the fused activation.',
  commutative: true,
  fusedActivation: true,
  extraAttrs: { pot_scale_int16: POT_SCALE_INT16 },
  quant: activationSpec(INT8_INT16),
  fold: (op, c) => foldIdentityOperand(op, c, -0, 0, true) ?? foldAddInt(op, c),
});

/** `tfl.sub`: lhs - rhs with broadcasting and a fused activation. */
export const SubOp = binaryOp({
  name: 'tfl.sub',
  summary: 'Elementwise subtraction',
  description: 'Subtracts rhs from lhs elementwise with numpy broadcasting, then applies the fused activation.',
  fusedActivation: true,
  extraAttrs: { pot_scale_int16: POT_SCALE_INT16 },
  quant: activationSpec(INT8_INT16),
  fold: (op, c) => foldIdentityOperand(op, c, 0, 0, false) ?? foldSubInt(op, c),
});

/** `tfl.mul`: lhs * rhs with broadcasting and a fused activation. */
export const MulOp = binaryOp({
  name: 'tfl.mul',
  summary: 'Elementwise multiplication',
  description: 'Multiplies two tensors elementwise with numpy broadcasting, then applies the fused activation.',
  commutative: true,
  fusedActivation: true,
  quant: activationSpec(INT8_INT16),
  fold: (op, c) => foldIdentityOperand(op, c, 1, 1, true) ?? foldMulInt(op, c),
});

/** `tfl.div`: lhs / rhs (float and int32; TFLite's only quantized div is uint8). */
export const DivOp = binaryOp({
  name: 'tfl.div',
  summary: 'Elementwise division',
  description: 'Divides lhs by rhs elementwise with broadcasting. TFLite has no int8/int16 kernel, so it is not quantized.',
  fusedActivation: true,
  fold: (op, c) => foldIdentityOperand(op, c, 1, 1, false),
});

function foldSameOperands(op: Operation): FoldResult | undefined {
  const x = op.operand(0);
  return x === op.operand(1) && x.type === op.result(0).type ? [x] : undefined;
}

/** `tfl.maximum`: elementwise max; inputs and output share one scale. */
export const MaximumOp = binaryOp({
  name: 'tfl.maximum',
  summary: 'Elementwise maximum',
  description: 'Takes the larger of two broadcast tensors elementwise; quantized operands and result share one scale.',
  commutative: true,
  result: 'max',
  quant: sameScaleAllSpec(INT8_INT16),
  fold: foldSameOperands,
});

/** `tfl.minimum`: elementwise min; inputs and output share one scale. */
export const MinimumOp = binaryOp({
  name: 'tfl.minimum',
  summary: 'Elementwise minimum',
  description: 'Takes the smaller of two broadcast tensors elementwise; quantized operands and result share one scale.',
  commutative: true,
  result: 'min',
  quant: sameScaleAllSpec(INT8_INT16),
  fold: foldSameOperands,
});

/** `tfl.squared_difference`: (lhs - rhs)². */
export const SquaredDifferenceOp = binaryOp({
  name: 'tfl.squared_difference',
  summary: 'Elementwise squared difference',
  description: 'Computes (lhs - rhs)^2 elementwise with broadcasting.',
  quant: activationSpec(INT8_INT16),
});

/** `tfl.pow`: lhs ^ rhs (float/int32 only). */
export const PowOp = binaryOp({ name: 'tfl.pow', summary: 'Elementwise power', description: 'Raises lhs to the power rhs elementwise.' });

/** `tfl.floor_div`: floor(lhs / rhs). */
export const FloorDivOp = binaryOp({
  name: 'tfl.floor_div',
  summary: 'Elementwise floor division',
  description: 'Divides and rounds toward negative infinity, elementwise with broadcasting.',
});

/** `tfl.floor_mod`: lhs - floor(lhs / rhs) * rhs. */
export const FloorModOp = binaryOp({
  name: 'tfl.floor_mod',
  summary: 'Elementwise floor modulo',
  description: 'Remainder of floor division, with the sign of the divisor.',
});

function comparison(name: string, summary: string, commutative = false): OpDef {
  return binaryOp({
    name: `tfl.${name}`,
    summary,
    description: `${summary} of two broadcast tensors; the result is a tensor of i1.`,
    commutative,
    boolResult: true,
    quant: activationSpec(INT8_ONLY),
  });
}

/** `tfl.equal`. */
export const EqualOp = comparison('equal', 'Elementwise x == y', true);
/** `tfl.not_equal`. */
export const NotEqualOp = comparison('not_equal', 'Elementwise x != y', true);
/** `tfl.less`. */
export const LessOp = comparison('less', 'Elementwise x < y');
/** `tfl.less_equal`. */
export const LessEqualOp = comparison('less_equal', 'Elementwise x <= y');
/** `tfl.greater`. */
export const GreaterOp = comparison('greater', 'Elementwise x > y');
/** `tfl.greater_equal`. */
export const GreaterEqualOp = comparison('greater_equal', 'Elementwise x >= y');

/** `tfl.logical_and`. */
export const LogicalAndOp = binaryOp({
  name: 'tfl.logical_and',
  summary: 'Elementwise logical and',
  description: 'Logical and of two broadcast i1 tensors.',
  commutative: true,
  boolResult: true,
});
/** `tfl.logical_or`. */
export const LogicalOrOp = binaryOp({
  name: 'tfl.logical_or',
  summary: 'Elementwise logical or',
  description: 'Logical or of two broadcast i1 tensors.',
  commutative: true,
  boolResult: true,
});
/** `tfl.logical_not`. */
export const LogicalNotOp = defineOp(
  unaryOpDef({ name: 'tfl.logical_not', summary: 'Elementwise logical not', description: 'Negates an i1 tensor.', operand: 'lhs', result: 'output' }),
);

function verifySelect(op: Operation): string | undefined {
  const c = elemOf(op.operand(0));
  if (!(c.kind === 'integer' && c.width === 1)) return 'condition must have i1 elements';
  return verifySameOperandElements(op, 1, 2);
}

/** `tfl.select`: condition ? x : y (condition same shape, or rank 1 over the first dim). */
export const SelectOp = defineOp({
  name: 'tfl.select',
  summary: 'Elementwise select',
  description: 'Picks x where condition is true and y elsewhere; a rank-1 condition selects whole rows along dim 0.',
  operands: [{ name: 'condition' }, { name: 'x' }, { name: 'y' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  verify: verifySelect,
  quant: sameScaleSpec(INT8_INT16, [1, 2], [0]),
  inferResultShapes: inferSelect,
});

/** `tfl.select_v2`: condition ? x : y with broadcasting of all three. */
export const SelectV2Op = defineOp({
  name: 'tfl.select_v2',
  summary: 'Elementwise select with broadcasting',
  description: 'Picks x where condition is true and y elsewhere; condition, x and y broadcast together.',
  operands: [{ name: 'condition' }, { name: 'x' }, { name: 'y' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  verify: verifySelect,
  quant: sameScaleSpec(INT8_INT16, [1, 2], [0]),
  inferResultShapes: inferBroadcast,
});

/** `tfl.add_n`: sum of any number of same-shaped tensors (float/int32). */
export const AddNOp = defineOp({
  name: 'tfl.add_n',
  summary: 'Sum of N tensors',
  description: 'Adds all its operands elementwise; they all have the result shape.',
  operands: [{ name: 'inputs', variadic: true }],
  results: [{ name: 'sum' }],
  attrs: {},
  traits: ['Pure', 'Commutative'],
  verify: (op) => (op.operands.length === 0 ? 'expects at least one operand' : undefined),
  inferResultShapes: inferAddN,
});

// ---------------------------------------------------------------------------------------------
// One-operand elementwise math
// ---------------------------------------------------------------------------------------------

/** `tfl.abs`: |x|. */
export const AbsOp = defineOp(
  unaryOpDef({ name: 'tfl.abs', summary: 'Elementwise absolute value', description: 'Computes |x| elementwise.', quant: activationSpec(INT8_INT16) }),
);

function foldNegNeg(op: Operation): FoldResult | undefined {
  const inner = op.operand(0).definingOp;
  if (inner?.name !== 'tfl.neg') return undefined;
  const x = inner.operand(0);
  return x.type === op.result(0).type ? [x] : undefined;
}

/** `tfl.neg`: -x (float, int32, int64). */
export const NegOp = defineOp(
  unaryOpDef({ name: 'tfl.neg', summary: 'Elementwise negation', description: 'Computes -x elementwise.', fold: foldNegNeg }),
);

/** `tfl.exp`: e^x. */
export const ExpOp = defineOp(
  unaryOpDef({ name: 'tfl.exp', summary: 'Elementwise natural exponential', description: 'Computes e^x elementwise.', quant: activationSpec(INT8_INT16) }),
);

/** `tfl.log`: ln(x). */
export const LogOp = defineOp(
  unaryOpDef({ name: 'tfl.log', summary: 'Elementwise natural logarithm', description: 'Computes ln(x) elementwise.', quant: activationSpec(INT8_ONLY) }),
);

/** `tfl.rsqrt`: 1/sqrt(x). */
export const RsqrtOp = defineOp(
  unaryOpDef({
    name: 'tfl.rsqrt',
    summary: 'Elementwise reciprocal square root',
    description: 'Computes 1/sqrt(x) elementwise. int16 uses a lookup table with zero points 0.',
    quant: activationSpec(INT8_INT16),
  }),
);

/** `tfl.sqrt`: sqrt(x) (float). */
export const SqrtOp = defineOp(unaryOpDef({ name: 'tfl.sqrt', summary: 'Elementwise square root', description: 'Computes sqrt(x) elementwise.' }));
/** `tfl.square`: x² (float). */
export const SquareOp = defineOp(unaryOpDef({ name: 'tfl.square', summary: 'Elementwise square', description: 'Computes x*x elementwise.' }));
/** `tfl.floor` (float). */
export const FloorOp = defineOp(unaryOpDef({ name: 'tfl.floor', summary: 'Elementwise floor', description: 'Rounds toward negative infinity.' }));
/** `tfl.ceil` (float). */
export const CeilOp = defineOp(unaryOpDef({ name: 'tfl.ceil', summary: 'Elementwise ceiling', description: 'Rounds toward positive infinity.' }));
/** `tfl.round` (float, half to even). */
export const RoundOp = defineOp(unaryOpDef({ name: 'tfl.round', summary: 'Elementwise rounding', description: 'Rounds to the nearest integer, halves to even.' }));
/** `tfl.sin` (float). */
export const SinOp = defineOp(unaryOpDef({ name: 'tfl.sin', summary: 'Elementwise sine', description: 'Computes sin(x) elementwise.' }));
/** `tfl.cos` (float). */
export const CosOp = defineOp(unaryOpDef({ name: 'tfl.cos', summary: 'Elementwise cosine', description: 'Computes cos(x) elementwise.' }));
/** `tfl.sign` (float, int32). */
export const SignOp = defineOp(
  unaryOpDef({ name: 'tfl.sign', summary: 'Elementwise sign', description: 'Returns -1, 0 or 1 by the sign of x (NaN stays NaN).', result: 'output' }),
);
/** `tfl.zeros_like`. */
export const ZerosLikeOp = defineOp(
  unaryOpDef({ name: 'tfl.zeros_like', summary: 'Zeros of the same shape', description: 'A tensor of zeros shaped and typed like its operand.', operand: 'input', result: 'output' }),
);

function foldCast(op: Operation): FoldResult | undefined {
  const x = op.operand(0);
  return x.type === op.result(0).type ? [x] : undefined;
}

/** `tfl.cast`: converts element types (not a quantization op). */
export const CastOp = defineOp(
  unaryOpDef({
    name: 'tfl.cast',
    summary: 'Element type conversion',
    description: 'Converts each element to the result element type (C++ static_cast semantics; bool is x != 0).',
    operand: 'input',
    result: 'output',
    fold: foldCast,
    verify: (op) => (isQuantized(op.operand(0)) || isQuantized(op.result(0)) ? 'does not take quantized types; use tfl.quantize/tfl.dequantize' : undefined),
  }),
);

/** The elementwise ops, in declaration order. */
export const ELEMENTWISE_OPS: readonly OpDef[] = [
  AddOp,
  SubOp,
  MulOp,
  DivOp,
  MaximumOp,
  MinimumOp,
  SquaredDifferenceOp,
  PowOp,
  FloorDivOp,
  FloorModOp,
  EqualOp,
  NotEqualOp,
  LessOp,
  LessEqualOp,
  GreaterOp,
  GreaterEqualOp,
  LogicalAndOp,
  LogicalOrOp,
  LogicalNotOp,
  SelectOp,
  SelectV2Op,
  AddNOp,
  AbsOp,
  NegOp,
  ExpOp,
  LogOp,
  RsqrtOp,
  SqrtOp,
  SquareOp,
  FloorOp,
  CeilOp,
  RoundOp,
  SinOp,
  CosOp,
  SignOp,
  ZerosLikeOp,
  CastOp,
];
