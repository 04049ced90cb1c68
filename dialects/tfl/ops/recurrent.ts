/**
 * Recurrent tfl ops with variable state operands: lstm and unidirectional_sequence_lstm (24
 * operands; CIFG, peephole, projection and layer-norm variants), bidirectional_sequence_lstm (48),
 * unidirectional_sequence_rnn, rnn and svdf. The integer-LSTM intermediates are optional type attrs.
 */
import { stringAttr } from '../../../src/ir/attribute.js';
import { type AttrSpec, type OpDef, type OperandSpec, defineOp } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { INT8_INT16, INT8_ONLY, LSTM_OPERAND_ROLES, SVDF_SPEC, lstmSpec } from '../quant-spec.js';
import {
  boolAttrOf,
  dimOf,
  dimsConflict,
  firstError,
  intAttr,
  isNone,
  rankOf,
  rankText,
} from '../verify-helpers.js';
import {
  ASYMMETRIC_QUANTIZE_INPUTS,
  FUSED_ACTIVATION,
  LSTM_KERNEL_TYPE_VALUES,
  boolAttrSpec,
  i32Attr,
  optBoolAttr,
  optF32Attr,
} from './common.js';
import { inferBidirectionalLstm, inferLstm, inferRnn, inferSvdf } from '../shape-inference-nn.js';

/** Operand names of the 24-operand LSTM family, in TFLite order. */
export const LSTM_OPERAND_NAMES: readonly string[] = Object.freeze([
  'input',
  'input_to_input_weights',
  'input_to_forget_weights',
  'input_to_cell_weights',
  'input_to_output_weights',
  'recurrent_to_input_weights',
  'recurrent_to_forget_weights',
  'recurrent_to_cell_weights',
  'recurrent_to_output_weights',
  'cell_to_input_weights',
  'cell_to_forget_weights',
  'cell_to_output_weights',
  'input_gate_bias',
  'forget_gate_bias',
  'cell_bias',
  'output_gate_bias',
  'projection_weights',
  'projection_bias',
  'input_activation_state',
  'input_cell_state',
  'input_layer_norm_coefficients',
  'forget_layer_norm_coefficients',
  'cell_layer_norm_coefficients',
  'output_layer_norm_coefficients',
]);

/** LSTM operands that may be absent (`none`). */
const LSTM_OPTIONAL: ReadonlySet<number> = new Set([1, 5, 9, 10, 11, 12, 16, 17, 20, 21, 22, 23]);

const LSTM_OPERANDS: readonly OperandSpec[] = LSTM_OPERAND_NAMES.map((name, i) =>
  LSTM_OPTIONAL.has(i) ? { name, optional: true } : { name },
);

/** The optional integer-LSTM intermediate types (quant.calibrated when imported, then quantized). */
const INTERMEDIATE_ATTRS: Readonly<Record<string, AttrSpec>> = Object.fromEntries(
  LSTM_OPERAND_ROLES.intermediates.map((n) => [n, { kind: 'type', optional: true, description: 'integer LSTM intermediate tensor type' } as AttrSpec]),
);

const CLIP_ATTRS = {
  cell_clip: optF32Attr(0, 'cell state clip (0 = none)'),
  proj_clip: optF32Attr(0, 'projection clip (0 = none)'),
};

function operandAt(op: Operation, i: number) {
  return op.operands[i]?.value;
}

function present(op: Operation, i: number): boolean {
  return !isNone(operandAt(op, i));
}

function checkRank(op: Operation, i: number, allowed: readonly number[], names: readonly string[]): string | undefined {
  const v = operandAt(op, i);
  if (!v || isNone(v)) return undefined;
  const r = rankOf(v);
  if (r !== undefined && !allowed.includes(r))
    return `expect ${allowed.map(rankText).join(' or ')} ${names[i]} (operand #${i}), got ${rankText(r)}`;
  return undefined;
}

function checkDim(op: Operation, i: number, d: number, want: number | undefined, names: readonly string[], what: string): string | undefined {
  const v = operandAt(op, i);
  if (!v || isNone(v)) return undefined;
  const got = dimOf(v, d);
  return dimsConflict(got, want) ? `${names[i]} dimension ${d} (${got}) does not match ${what} (${want})` : undefined;
}

/**
 * Verifies the 24-operand LSTM structure: mandatory operands, CIFG / peephole / projection /
 * layer-norm consistency, ranks and the [n_cell, n_input] / [n_cell, n_output] dimension agreement.
 */
export function verifyLstmStructure(op: Operation, inputRank: number): string | undefined {
  const names = LSTM_OPERAND_NAMES;
  if (op.operands.length !== names.length) return `expects ${names.length} operands, got ${op.operands.length}`;
  for (let i = 0; i < names.length; i++)
    if (!LSTM_OPTIONAL.has(i) && !present(op, i)) return `${names[i]} (operand #${i}) must not be none`;
  const inR = rankOf(op.operand(0));
  if (inR !== undefined && inR !== inputRank) return `expect ${rankText(inputRank)} input, got ${rankText(inR)}`;

  const cifg = !present(op, 1);
  if (cifg) {
    for (const i of [5, 9, 12, 20])
      if (present(op, i)) return `with CIFG (input_to_input_weights is none), ${names[i]} must be none too`;
  } else {
    for (const i of [5, 12]) if (!present(op, i)) return `without CIFG, ${names[i]} must be given`;
  }
  if (present(op, 10) !== present(op, 11)) return 'cell_to_forget_weights and cell_to_output_weights must both be given or both be none';
  if (!cifg && present(op, 10) !== present(op, 9)) return 'without CIFG, cell_to_input_weights must be given exactly when the other peephole weights are';
  if (present(op, 17) && !present(op, 16)) return 'projection_bias requires projection_weights';
  const ln = [21, 22, 23].map((i) => present(op, i));
  if (ln.some((x) => x !== ln[0])) return 'the forget, cell and output layer norm coefficients must all be given or all be none';
  if (!cifg && present(op, 20) !== ln[0]) return 'without CIFG, input_layer_norm_coefficients must be given exactly when the other layer norm coefficients are';

  const diagonal = boolAttrOf(op, 'diagonal_recurrent_tensors') ?? false;
  const rankErr = firstError(
    ...[1, 2, 3, 4, 16].map((i) => () => checkRank(op, i, [2], names)),
    ...[5, 6, 7, 8].map((i) => () => checkRank(op, i, diagonal ? [1, 2] : [2], names)),
    ...[9, 10, 11, 12, 13, 14, 15, 17, 20, 21, 22, 23].map((i) => () => checkRank(op, i, [1], names)),
    ...[18, 19].map((i) => () => checkRank(op, i, [2], names)),
  );
  if (rankErr) return rankErr;

  const nCell = dimOf(op.operand(2), 0);
  const nInput = dimOf(op.operand(2), 1);
  const nOutput = diagonal ? nCell : dimOf(op.operand(6), 1);
  const inDepth = inR !== undefined && inR > 0 ? dimOf(op.operand(0), -1) : undefined;
  if (dimsConflict(inDepth, nInput)) return `input depth (${inDepth}) does not match input_to_forget_weights dimension 1 (${nInput})`;
  const dimErr = firstError(
    ...[1, 3, 4].flatMap((i) => [() => checkDim(op, i, 0, nCell, names, 'n_cell'), () => checkDim(op, i, 1, nInput, names, 'n_input')]),
    ...[5, 6, 7, 8].map((i) => () => checkDim(op, i, 0, nCell, names, 'n_cell')),
    ...[9, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23].map((i) => () => checkDim(op, i, 0, nCell, names, 'n_cell')),
    () => checkDim(op, 16, 0, nOutput, names, 'n_output'),
    () => checkDim(op, 16, 1, nCell, names, 'n_cell'),
    () => checkDim(op, 17, 0, nOutput, names, 'n_output'),
    () => checkDim(op, 18, 1, nOutput, names, 'n_output'),
    () => checkDim(op, 19, 1, nCell, names, 'n_cell'),
    () =>
      !present(op, 16) && !diagonal && dimsConflict(nOutput, nCell)
        ? `without projection, n_output (${nOutput}) must equal n_cell (${nCell})`
        : undefined,
  );
  if (dimErr) return dimErr;
  const outR = rankOf(op.result(0));
  if (outR !== undefined && inR !== undefined && outR !== inR) return `expect ${rankText(inR)} result, got ${rankText(outR)}`;
  const outDepth = outR !== undefined && outR > 0 ? dimOf(op.result(0), -1) : undefined;
  if (dimsConflict(outDepth, nOutput)) return `result depth (${outDepth}) does not match n_output (${nOutput})`;
  return undefined;
}

/** `tfl.unidirectional_sequence_lstm`: an LSTM run over a sequence, updating its two states. */
export const UnidirectionalSequenceLstmOp = defineOp({
  name: 'tfl.unidirectional_sequence_lstm',
  summary: 'LSTM over a sequence',
  description:
    'Runs an LSTM cell over each step of a [batch, time, depth] input ([time, batch, depth] when time_major), updating the variable activation and cell states (operands 18, 19). Optional operands select CIFG, peephole, projection and layer-norm variants.',
  operands: LSTM_OPERANDS,
  results: [{ name: 'output' }],
  attrs: {
    fused_activation_function: FUSED_ACTIVATION,
    ...CLIP_ATTRS,
    time_major: boolAttrSpec('input is [time, batch, depth]'),
    asymmetric_quantize_inputs: ASYMMETRIC_QUANTIZE_INPUTS,
    diagonal_recurrent_tensors: optBoolAttr(false, 'recurrent weights are diagonals given as vectors'),
    ...INTERMEDIATE_ATTRS,
  },
  statefulOperands: [18, 19],
  traits: ['Stateful'],
  verify: (op) => verifyLstmStructure(op, 3),
  inferResultShapes: inferLstm,
  quant: lstmSpec(INT8_INT16),
});

/** `tfl.lstm`: one LSTM step on a [batch, depth] input. */
export const LstmOp = defineOp({
  name: 'tfl.lstm',
  summary: 'LSTM cell (one step)',
  description:
    'Computes one LSTM step on a [batch, depth] input, updating the variable activation and cell states (operands 18, 19). Only the FULL kernel type is modelled.',
  operands: LSTM_OPERANDS,
  results: [{ name: 'output' }],
  attrs: {
    fused_activation_function: FUSED_ACTIVATION,
    ...CLIP_ATTRS,
    kernel_type: { kind: 'enum', values: LSTM_KERNEL_TYPE_VALUES, optional: true, default: stringAttr('FULL') },
    asymmetric_quantize_inputs: ASYMMETRIC_QUANTIZE_INPUTS,
    ...INTERMEDIATE_ATTRS,
  },
  statefulOperands: [18, 19],
  traits: ['Stateful'],
  verify: (op) => {
    const k = op.attr('kernel_type');
    if (k?.kind === 'string' && k.value !== 'FULL') return `kernel_type must be FULL, got ${k.value}`;
    return verifyLstmStructure(op, 2);
  },
  inferResultShapes: inferLstm,
  quant: lstmSpec(INT8_ONLY),
});

const BIDI_DIRECTION_NAMES = LSTM_OPERAND_NAMES.slice(1, 18);

/** Operand names of tfl.bidirectional_sequence_lstm (48), in TFLite order. */
export const BIDI_LSTM_OPERAND_NAMES: readonly string[] = Object.freeze([
  'input',
  ...BIDI_DIRECTION_NAMES.map((n) => `fw_${n}`),
  ...BIDI_DIRECTION_NAMES.map((n) => `bw_${n}`),
  'fw_input_activation_state',
  'fw_input_cell_state',
  'bw_input_activation_state',
  'bw_input_cell_state',
  'aux_input',
  'fw_aux_input_to_input_weights',
  'fw_aux_input_to_forget_weights',
  'fw_aux_input_to_cell_weights',
  'fw_aux_input_to_output_weights',
  'bw_aux_input_to_input_weights',
  'bw_aux_input_to_forget_weights',
  'bw_aux_input_to_cell_weights',
  'bw_aux_input_to_output_weights',
]);

const BIDI_OPTIONAL: ReadonlySet<number> = new Set([
  ...[1, 5, 9, 10, 11, 12, 16, 17].flatMap((i) => [i, i + 17]),
  ...Array.from({ length: 9 }, (_, k) => 39 + k),
]);

/** `tfl.bidirectional_sequence_lstm`: a forward and a backward LSTM over one sequence. */
export const BidirectionalSequenceLstmOp = defineOp({
  name: 'tfl.bidirectional_sequence_lstm',
  summary: 'Bidirectional LSTM over a sequence',
  description:
    'Runs one LSTM forward and one backward over a sequence (48 operands: input, 17 per direction, 4 states, the optional auxiliary input and its weights). One result when merge_outputs, else forward and backward outputs.',
  operands: BIDI_LSTM_OPERAND_NAMES.map((name, i) => (BIDI_OPTIONAL.has(i) ? { name, optional: true } : { name })),
  results: [{ name: 'outputs', variadic: true }],
  attrs: {
    fused_activation_function: FUSED_ACTIVATION,
    ...CLIP_ATTRS,
    merge_outputs: boolAttrSpec('concatenate both directions into one result'),
    time_major: boolAttrSpec('input is [time, batch, depth] (TFLite schema default true)', true),
    asymmetric_quantize_inputs: ASYMMETRIC_QUANTIZE_INPUTS,
  },
  statefulOperands: [35, 36, 37, 38],
  traits: ['Stateful'],
  inferResultShapes: inferBidirectionalLstm,
  verify: (op) => {
    const names = BIDI_LSTM_OPERAND_NAMES;
    if (op.operands.length !== names.length) return `expects ${names.length} operands, got ${op.operands.length}`;
    for (let i = 0; i < names.length; i++)
      if (!BIDI_OPTIONAL.has(i) && !present(op, i)) return `${names[i]} (operand #${i}) must not be none`;
    const r = rankOf(op.operand(0));
    if (r !== undefined && r !== 3) return `expect 3d input, got ${rankText(r)}`;
    const merge = boolAttrOf(op, 'merge_outputs') ?? false;
    const want = merge ? 1 : 2;
    if (op.results.length !== want) return `expects ${want} result${want > 1 ? 's' : ''} with merge_outputs = ${merge}, got ${op.results.length}`;
    return undefined;
  },
});

function verifyRnn(op: Operation, inputRank: number): string | undefined {
  const names = ['input', 'input_to_input_weights', 'recurrent_to_input_weights', 'input_gate_bias', 'hidden_state'];
  return firstError(
    () => {
      const r = rankOf(op.operand(0));
      return r !== undefined && r !== inputRank ? `expect ${rankText(inputRank)} input, got ${rankText(r)}` : undefined;
    },
    () => checkRank(op, 1, [2], names),
    () => checkRank(op, 2, [2], names),
    () => checkRank(op, 3, [1], names),
    () => checkRank(op, 4, [2], names),
    () => {
      const units = dimOf(op.operand(1), 0);
      return firstError(
        () => checkDim(op, 1, 1, dimOf(op.operand(0), -1), names, 'the input depth'),
        () => checkDim(op, 2, 0, units, names, 'the number of units'),
        () => checkDim(op, 2, 1, units, names, 'the number of units'),
        () => checkDim(op, 3, 0, units, names, 'the number of units'),
        () => checkDim(op, 4, 1, units, names, 'the number of units'),
      );
    },
  );
}

const RNN_OPERANDS: readonly OperandSpec[] = [
  { name: 'input' },
  { name: 'input_to_input_weights' },
  { name: 'recurrent_to_input_weights' },
  { name: 'input_gate_bias' },
  { name: 'hidden_state' },
];

/** `tfl.unidirectional_sequence_rnn`: a basic RNN over a sequence. */
export const UnidirectionalSequenceRnnOp = defineOp({
  name: 'tfl.unidirectional_sequence_rnn',
  summary: 'Basic RNN over a sequence',
  description: 'For each time step: state = act(input · Wᵀ + state · Rᵀ + bias); the output is the state at every step.',
  operands: RNN_OPERANDS,
  results: [{ name: 'output' }],
  attrs: {
    time_major: boolAttrSpec('input is [time, batch, depth]'),
    fused_activation_function: FUSED_ACTIVATION,
    asymmetric_quantize_inputs: ASYMMETRIC_QUANTIZE_INPUTS,
  },
  statefulOperands: [4],
  traits: ['Stateful'],
  verify: (op) => verifyRnn(op, 3),
  inferResultShapes: inferRnn,
});

/** `tfl.rnn`: one basic RNN step (TFLite builtin RNN; not in TF's tfl dialect). */
export const RnnOp = defineOp({
  name: 'tfl.rnn',
  summary: 'Basic RNN cell (one step)',
  description: 'state = act(input · Wᵀ + state · Rᵀ + bias) on a [batch, depth] input; the result is the new state.',
  operands: RNN_OPERANDS,
  results: [{ name: 'output' }],
  attrs: { fused_activation_function: FUSED_ACTIVATION, asymmetric_quantize_inputs: ASYMMETRIC_QUANTIZE_INPUTS },
  statefulOperands: [4],
  traits: ['Stateful'],
  verify: (op) => verifyRnn(op, 2),
  inferResultShapes: inferRnn,
});

function verifySvdf(op: Operation): string | undefined {
  const names = ['input', 'feature_weights', 'time_weights', 'input_gate_bias', 'activation_state'];
  const rank = intAttr(op, 'rank');
  if (rank !== undefined && rank < 1) return `rank must be positive, got ${rank}`;
  return firstError(
    () => checkRank(op, 0, [2], names),
    () => checkRank(op, 1, [2], names),
    () => checkRank(op, 2, [2], names),
    () => checkRank(op, 3, [1], names),
    () => checkRank(op, 4, [2], names),
    () => (isNone(operandAt(op, 4)) ? 'activation_state (operand #4) must not be none' : undefined),
    () => {
      const filters = dimOf(op.operand(1), 0);
      if (filters !== undefined && rank !== undefined && rank > 0 && filters % rank !== 0)
        return `feature_weights rows (${filters}) must be a multiple of rank (${rank})`;
      // Bias, state and result sizes are left to the kernels: TFLite's quantizer test models carry
      // SVDFs whose sizes only make sense for parameter comparison, and they must still load.
      return firstError(
        () => checkDim(op, 1, 1, dimOf(op.operand(0), 1), names, 'the input depth'),
        () => checkDim(op, 2, 0, filters, names, 'the number of filters'),
      );
    },
  );
}

/** `tfl.svdf`: singular value decomposition filter (a low-rank, time-convolved FC). */
export const SvdfOp = defineOp({
  name: 'tfl.svdf',
  summary: 'Singular value decomposition filter',
  description:
    'Projects the input through feature_weights, pushes the result into the variable activation_state (a per-filter time window), filters it with time_weights, sums each group of rank filters into a unit and adds the bias.',
  operands: [{ name: 'input' }, { name: 'feature_weights' }, { name: 'time_weights' }, { name: 'input_gate_bias', optional: true }, { name: 'activation_state' }],
  results: [{ name: 'output' }],
  attrs: {
    rank: i32Attr('filters per unit'),
    fused_activation_function: FUSED_ACTIVATION,
    asymmetric_quantize_inputs: ASYMMETRIC_QUANTIZE_INPUTS,
  },
  statefulOperands: [4],
  traits: ['Stateful'],
  verify: verifySvdf,
  inferResultShapes: inferSvdf,
  quant: SVDF_SPEC,
});

/** The recurrent ops, in declaration order. */
export const RECURRENT_OPS: readonly OpDef[] = [
  LstmOp,
  UnidirectionalSequenceLstmOp,
  BidirectionalSequenceLstmOp,
  UnidirectionalSequenceRnnOp,
  RnnOp,
  SvdfOp,
];
