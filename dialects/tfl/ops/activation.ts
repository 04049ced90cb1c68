/**
 * Activation tfl ops: logistic, tanh, the relu family, leaky/parametric relu, hard swish, gelu, elu,
 * softmax, log softmax and l2 normalization. Ops with a fixed output range (logistic, tanh, softmax,
 * log_softmax, l2_normalization) carry it in their quant spec.
 */
import { type OpDef, defineOp } from '../../../src/ir/op-def.js';
import { isQuantType } from '../../../src/ir/type.js';
import { patternsFor } from '../canonicalize.js';
import {
  INT8_INT16,
  INT8_ONLY,
  L2_NORMALIZATION_FIXED,
  LOGISTIC_FIXED,
  LOG_SOFTMAX_FIXED,
  SOFTMAX_FIXED,
  TANH_FIXED,
  activationSpec,
  fixedOutputSpec,
} from '../quant-spec.js';
import { elemOf, firstError, rankOf, rankText, verifyBroadcastable, verifySameElementKind } from '../verify-helpers.js';
import { FUSED_ACTIVATION, f32Attr, optBoolAttr, unaryOpDef } from './common.js';
import { inferBroadcast } from '../shape-inference.js';

/** `tfl.logistic`: 1 / (1 + e^-x). */
export const LogisticOp = defineOp(
  unaryOpDef({
    name: 'tfl.logistic',
    summary: 'Elementwise sigmoid',
    description: 'Computes 1 / (1 + exp(-x)). Quantized outputs use the fixed range [0, 1).',
    quant: fixedOutputSpec(INT8_INT16, LOGISTIC_FIXED),
    verify: verifySameElementKind,
  }),
);

/** `tfl.tanh`: hyperbolic tangent. */
export const TanhOp = defineOp(
  unaryOpDef({
    name: 'tfl.tanh',
    summary: 'Elementwise hyperbolic tangent',
    description: 'Computes tanh(x). Quantized outputs use the fixed range [-1, 1).',
    operand: 'input',
    result: 'output',
    quant: fixedOutputSpec(INT8_INT16, TANH_FIXED),
    verify: verifySameElementKind,
  }),
);

/** `tfl.relu`: max(0, x). */
export const ReluOp = defineOp(
  unaryOpDef({
    name: 'tfl.relu',
    summary: 'Rectified linear unit',
    description: 'Computes max(0, x) elementwise.',
    quant: activationSpec(INT8_INT16),
    verify: verifySameElementKind,
    canonicalize: patternsFor('tfl.relu'),
  }),
);

/** `tfl.relu6`: min(6, max(0, x)). */
export const Relu6Op = defineOp(
  unaryOpDef({
    name: 'tfl.relu6',
    summary: 'Relu clamped at 6',
    description: 'Computes min(6, max(0, x)) elementwise.',
    quant: activationSpec(INT8_INT16),
    verify: verifySameElementKind,
    canonicalize: patternsFor('tfl.relu6'),
  }),
);

/** `tfl.relu_n1_to_1`: clamp to [-1, 1]. */
export const ReluN1To1Op = defineOp(
  unaryOpDef({
    name: 'tfl.relu_n1_to_1',
    summary: 'Clamp to [-1, 1]',
    description: 'Computes min(1, max(-1, x)) elementwise (TFLite RELU_N1_TO_1).',
    quant: activationSpec(INT8_ONLY),
    verify: verifySameElementKind,
    canonicalize: patternsFor('tfl.relu_n1_to_1'),
  }),
);

/** `tfl.relu_0_to_1`: clamp to [0, 1]. */
export const Relu0To1Op = defineOp(
  unaryOpDef({
    name: 'tfl.relu_0_to_1',
    summary: 'Clamp to [0, 1]',
    description: 'Computes min(1, max(0, x)) elementwise (TFLite RELU_0_TO_1).',
    quant: activationSpec(INT8_ONLY),
    verify: verifySameElementKind,
    canonicalize: patternsFor('tfl.relu_0_to_1'),
  }),
);

/** `tfl.leaky_relu`: x >= 0 ? x : alpha * x. */
export const LeakyReluOp = defineOp({
  name: 'tfl.leaky_relu',
  summary: 'Leaky relu',
  description: 'Computes x for x >= 0 and alpha * x otherwise.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: { alpha: f32Attr('slope for negative inputs') },
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: verifySameElementKind,
  quant: activationSpec(INT8_INT16),
});

/** `tfl.prelu`: x >= 0 ? x : alpha * x with a tensor alpha. */
export const PReluOp = defineOp({
  name: 'tfl.prelu',
  summary: 'Parametric relu',
  description: 'Leaky relu whose slope is a tensor broadcast against the input (typically one per channel).',
  operands: [{ name: 'input' }, { name: 'alpha' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure'],
  verify: (op) => firstError(() => verifySameElementKind(op), () => verifyBroadcastable(op)),
  quant: activationSpec(INT8_ONLY),
  inferResultShapes: inferBroadcast,
});

/** `tfl.hard_swish`: x * relu6(x + 3) / 6. */
export const HardSwishOp = defineOp(
  unaryOpDef({
    name: 'tfl.hard_swish',
    summary: 'Hard swish',
    description: 'Computes x * relu6(x + 3) / 6 elementwise.',
    operand: 'input',
    result: 'output',
    quant: activationSpec(INT8_ONLY),
    verify: verifySameElementKind,
  }),
);

/** `tfl.gelu`: Gaussian error linear unit. */
export const GeluOp = defineOp({
  name: 'tfl.gelu',
  summary: 'Gaussian error linear unit',
  description: 'Computes x * Phi(x), or its tanh approximation when `approximate` is set.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: { approximate: optBoolAttr(false, 'use the tanh approximation') },
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: verifySameElementKind,
  quant: activationSpec(INT8_ONLY),
});

/** `tfl.elu`: x >= 0 ? x : e^x - 1. */
export const EluOp = defineOp(
  unaryOpDef({
    name: 'tfl.elu',
    summary: 'Exponential linear unit',
    description: 'Computes x for x >= 0 and exp(x) - 1 otherwise.',
    quant: activationSpec(INT8_ONLY),
    verify: verifySameElementKind,
  }),
);

/** `tfl.softmax`: exp(beta * x) normalised over the last dimension. */
export const SoftmaxOp = defineOp({
  name: 'tfl.softmax',
  summary: 'Softmax over the last dimension',
  description: 'Computes exp(beta * x_i) / sum_j exp(beta * x_j) along the innermost dimension.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: { beta: f32Attr('inverse temperature') },
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: (op) => {
    const r = rankOf(op.operand(0));
    if (r !== undefined && r < 1) return `expect input of rank >= 1, got ${rankText(r)}`;
    // TFLite also has an int8 -> int16 softmax (output scale 1/65536, zero point -32768).
    if (isQuantType(elemOf(op.operand(0))) && isQuantType(elemOf(op.result(0)))) return undefined;
    return verifySameElementKind(op);
  },
  quant: fixedOutputSpec(INT8_INT16, SOFTMAX_FIXED),
});

/** `tfl.log_softmax`: x - log(sum(exp(x))) over the last dimension. */
export const LogSoftmaxOp = defineOp(
  unaryOpDef({
    name: 'tfl.log_softmax',
    summary: 'Log of softmax over the last dimension',
    description: 'Computes x_i - log(sum_j exp(x_j)) along the innermost dimension.',
    operand: 'input',
    result: 'output',
    quant: fixedOutputSpec(INT8_ONLY, LOG_SOFTMAX_FIXED),
    verify: verifySameElementKind,
  }),
);

/** `tfl.l2_normalization`: x / ||x|| over the last dimension. */
export const L2NormalizationOp = defineOp({
  name: 'tfl.l2_normalization',
  summary: 'L2 normalisation over the last dimension',
  description: 'Divides each innermost vector by its L2 norm.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: { fused_activation_function: FUSED_ACTIVATION },
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: verifySameElementKind,
  quant: fixedOutputSpec(INT8_ONLY, L2_NORMALIZATION_FIXED),
});

/** The activation ops, in declaration order. */
export const ACTIVATION_OPS: readonly OpDef[] = [
  LogisticOp,
  TanhOp,
  ReluOp,
  Relu6Op,
  ReluN1To1Op,
  Relu0To1Op,
  LeakyReluOp,
  PReluOp,
  HardSwishOp,
  GeluOp,
  EluOp,
  SoftmaxOp,
  LogSoftmaxOp,
  L2NormalizationOp,
];
