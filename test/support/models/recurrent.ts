/**
 * Recurrent families, each with its state as variable tensors starting at zero: svdf (float32 and
 * int8, rank 1-2, memory up to 5), rnn / unidirectional_sequence_rnn and float
 * unidirectional_sequence_lstm (optional CIFG, peephole, projection, clipping, time-major).
 */
import { type CaseDraft, B, F, I, type OperandSpec, type QSpec, S } from './case.js';
import { NONE, actQ, inp, qt, randomConst, scaleOf, t, zeroState } from './build-helpers.js';
import type { Rand } from './rand.js';

/** The quantization of an int8 SVDF's tensors. */
interface SvdfQuant {
  readonly input: QSpec;
  readonly featureWeights: QSpec;
  readonly timeWeights: QSpec;
  readonly bias: QSpec;
  readonly state: QSpec;
  readonly output: QSpec;
}

/** Draws an int8 SVDF's quantization: input, feature weights, state, time weights, output. */
function drawSvdfQuant(r: Rand): SvdfQuant {
  const input = actQ(r, 'i8', 0.01, 0.1);
  const featureWeights = qt(r.scale(0.002, 0.02), 0);
  const sState = r.scale(1e-4, 1e-3);
  const timeWeights = qt(r.scale(1e-4, 1e-3), 0);
  const output = qt(r.scale(0.005, 0.05), r.int(-60, 60));
  return { input, featureWeights, timeWeights, bias: qt(Math.fround(sState * scaleOf(timeWeights)), 0), state: qt(sState, 0), output };
}

/** SVDF, alternating float32 and int8 (int8: int16 time weights and state, int32 bias). */
export function drawSvdf(r: Rand, i: number): CaseDraft {
  const int8 = i % 2 === 1;
  const batch = r.int(1, 2);
  const inputSize = r.int(1, 8);
  const units = r.int(1, 4);
  const rank = r.int(1, 2);
  const filters = units * rank;
  const memory = r.int(1, 5);
  // TFLite's integer SVDF supports only RELU.
  const act = int8 ? 'RELU' : r.pick(['NONE', 'RELU']);
  const hasBias = r.bool(0.7);
  const q = int8 ? drawSvdfQuant(r) : undefined;
  return {
    id: `svdf ${int8 ? 'int8' : 'f32'} batch=${batch} in=${inputSize} units=${units} rank=${rank} memory=${memory} ${act}${hasBias ? '' : ' no-bias'}`,
    op: 'tfl.svdf',
    operands: [
      inp(t(q ? 'i8' : 'f32', [batch, inputSize], q?.input)),
      randomConst(r, t(q ? 'i8' : 'f32', [filters, inputSize], q?.featureWeights)),
      randomConst(r, t(q ? 'i16' : 'f32', [filters, memory], q?.timeWeights)),
      hasBias ? randomConst(r, t(q ? 'i32' : 'f32', [units], q?.bias), q ? [-5000, 5000] : undefined) : NONE,
      zeroState(t(q ? 'i16' : 'f32', [batch, memory * filters], q?.state)),
    ],
    results: [t(q ? 'i8' : 'f32', [batch, units], q?.output)],
    attrs: { rank: I(rank), fused_activation_function: S(act) },
  };
}

/** Float RNN and UNIDIRECTIONAL_SEQUENCE_RNN (batch- or time-major), alternating. */
export function drawRnn(r: Rand, i: number): CaseDraft {
  const seq = i % 2 === 1;
  const batch = r.int(1, 3);
  const inSize = r.int(1, 6);
  const units = r.int(1, 6);
  const time = seq ? r.int(1, 4) : 1;
  const timeMajor = seq && r.bool(0.3);
  const act = r.pick(['NONE', 'RELU', 'TANH', 'RELU6']);
  const xShape = seq ? (timeMajor ? [time, batch, inSize] : [batch, time, inSize]) : [batch, inSize];
  const yShape = seq ? (timeMajor ? [time, batch, units] : [batch, time, units]) : [batch, units];
  return {
    id: `${seq ? 'unidirectional_sequence_rnn' : 'rnn'} f32 x=[${xShape}] units=${units} ${act}${timeMajor ? ' time_major' : ''}`,
    op: seq ? 'tfl.unidirectional_sequence_rnn' : 'tfl.rnn',
    operands: [
      inp(t('f32', xShape)),
      randomConst(r, t('f32', [units, inSize])),
      randomConst(r, t('f32', [units, units]), [-0.5, 0.5]),
      randomConst(r, t('f32', [units]), [-0.5, 0.5]),
      zeroState(t('f32', [batch, units])),
    ],
    results: [t('f32', yShape)],
    attrs: seq ? { time_major: B(timeMajor), fused_activation_function: S(act) } : { fused_activation_function: S(act) },
  };
}

/** Float UNIDIRECTIONAL_SEQUENCE_LSTM: optional CIFG, peephole, projection, clipping. */
export function drawLstm(r: Rand): CaseDraft {
  const batch = r.int(1, 2);
  const time = r.int(1, 4);
  const inSize = r.int(1, 5);
  const units = r.int(1, 5);
  const cifg = r.bool(0.3);
  const peephole = r.bool(0.3);
  const projection = r.bool(0.3);
  const outputSize = projection ? r.int(1, 4) : units;
  const cellClip = r.bool(0.3) ? r.pick([0.5, 1, 3]) : 0;
  const projClip = projection && r.bool(0.3) ? r.pick([0.5, 1]) : 0;
  const timeMajor = r.bool(0.3);
  const w = (rows: number, cols: number): OperandSpec => randomConst(r, t('f32', [rows, cols]), [-0.7, 0.7]);
  const v = (len: number): OperandSpec => randomConst(r, t('f32', [len]), [-0.7, 0.7]);
  const xShape = timeMajor ? [time, batch, inSize] : [batch, time, inSize];
  const yShape = timeMajor ? [time, batch, outputSize] : [batch, time, outputSize];
  // Operand order: input; input/forget/cell/output weights; the same recurrent weights; the
  // input/forget/output peepholes; input/forget/cell/output gate biases; projection weights and bias;
  // output and cell state; four (absent) layer-norm coefficients.
  const operands: OperandSpec[] = [
    inp(t('f32', xShape)),
    cifg ? NONE : w(units, inSize),
    w(units, inSize),
    w(units, inSize),
    w(units, inSize),
    cifg ? NONE : w(units, outputSize),
    w(units, outputSize),
    w(units, outputSize),
    w(units, outputSize),
    peephole && !cifg ? v(units) : NONE,
    peephole ? v(units) : NONE,
    peephole ? v(units) : NONE,
    cifg ? NONE : v(units),
    randomConst(r, t('f32', [units]), [0.5, 1.5]),
    v(units),
    v(units),
    projection ? w(outputSize, units) : NONE,
    projection && r.bool(0.5) ? v(outputSize) : NONE,
    zeroState(t('f32', [batch, outputSize])),
    zeroState(t('f32', [batch, units])),
    NONE,
    NONE,
    NONE,
    NONE,
  ];
  return {
    id: `unidirectional_sequence_lstm f32 x=[${xShape}] units=${units} out=${outputSize}${cifg ? ' cifg' : ''}${peephole ? ' peephole' : ''}${projection ? ' projection' : ''} clip=${cellClip}/${projClip}${timeMajor ? ' time_major' : ''}`,
    op: 'tfl.unidirectional_sequence_lstm',
    operands,
    results: [t('f32', yShape)],
    attrs: { fused_activation_function: S('TANH'), cell_clip: F(cellClip), proj_clip: F(projClip), time_major: B(timeMajor) },
  };
}
