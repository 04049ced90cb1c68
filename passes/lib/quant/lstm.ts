/**
 * Quantization rules of the recurrent ops the generic spec cannot describe.
 *
 * `tfl.unidirectional_sequence_lstm` (and `tfl.lstm`), int8 ("8x8_16", as TFLite's quantizer does it —
 * operator_property.cc / quantize_model.cc, read for the facts; TFLite's EvalInteger8x8_16 runs it):
 * - input int8 asymmetric; output and activation state (operand 18) share one type computed from
 *   the union of both calibrated ranges (QuantizeSharedRange): asymmetric with a projection (as
 *   TFLite's quantizer), symmetric (zero point 0) without one unless `lstm-asymmetric-hidden` —
 *   TFLite 2.12's kernel flips the sign of the hidden zero point when it writes the hidden state to
 *   the output, so only 0 is exact there (TF's MLIR converter makes these symmetric too);
 * - the 8 gate weights and the projection weights int8 symmetric per tensor; peephole weights and
 *   layer-norm coefficients int16 symmetric (scale max|x| / 32767);
 * - cell state (operand 19) int16 with a power-of-two scale 2^p / 32768 (p from the calibrated
 *   range; without one, from cell_clip, else p = 3, TFLite's Q3.12);
 * - gate biases int32 with scale s_input * s_gate_weight (no layer norm) or
 *   s_layer_norm_coefficient * 2^-10 (layer norm); projection bias int32 with
 *   s_projection_weights * s_hidden (intermediate 4);
 * - intermediates: 0..3 (gate matmul outputs) int16 symmetric from their calibrated ranges when the
 *   LSTM has layer norm (required), else int16 with TFLite's fixed scale 2^-12 (the kernel uses
 *   2^-12 then and ignores them); 4 (the hidden o·tanh(c)) int8 from its calibrated range (or its
 *   bound [-1, 1] when uncalibrated) with a projection, else exactly the output's parameters (without projection the kernel writes the hidden
 *   state straight into the output). The hidden state is symmetric (zero point 0) by default:
 *   TFLite 2.12's kernel subtracts its zero point where it should add it, which saturates the hidden
 *   state of an asymmetric type; `lstm-asymmetric-hidden` gives TFLite's quantizer's asymmetric
 *   parameters (right in newer runtimes, and byte-identical to TFLite's quantizer).
 *
 * 16x8 (as tflite-micro's 16x8 kernel reads it, dialects/tfl/kernels/lstm/lstm-16x8.ts): int16
 * symmetric input/output/activation state, int8 per-tensor weights, gate biases int64 (int32 with
 * bias-type=int32) with scale s_input * s_gate_weight, int16 power-of-two cell state, no
 * intermediates (removed). TFLM supports only the standard LSTM: CIFG, peephole, projection and layer
 * norm stay float. TFLite itself has no 16x8 LSTM.
 *
 * `tfl.svdf` (int8 only, TFLite's SVDF property): input/output int8 asymmetric, feature weights int8
 * symmetric per tensor, time weights int16 with 10 significant bits (scale max|x| / 512), the
 * activation state int16 symmetric from its calibrated range, bias int32 with scale
 * s_state * s_time_weights.
 */
import { type Attribute, typeAttr } from '../../../src/ir/attribute.js';
import type { Operation } from '../../../src/ir/operation.js';
import { f32, i16, tensorType, uniformQuantType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { LSTM_OPERAND_ROLES } from '../../../dialects/tfl/quant-spec.js';
import { floatAttrOf } from '../../../dialects/tfl/verify-helpers.js';
import { type QType, type Range, type Width, activationType, unionRange } from './math.js';
import { type OperandRole, type PlanResult, type ResultRole, type RuleConfig, biasStorage, isFloatConstant, isFloatTensor } from './rules.js';

const R = LSTM_OPERAND_ROLES;
const [INTER_INPUT, INTER_FORGET, INTER_CELL, INTER_OUTPUT, INTER_HIDDEN] = R.intermediates as readonly [string, string, string, string, string];
/** Intermediates of the four gates, in gate order (input, forget, cell, output). */
const GATE_INTERMEDIATES = [INTER_INPUT, INTER_FORGET, INTER_CELL, INTER_OUTPUT];

function present(op: Operation, i: number): boolean {
  const o = op.operands[i];
  return o !== undefined && o.value.type.kind !== 'none';
}

/** The range the cell state is given when it has no calibrated range: cell_clip, else ±8 (Q3.12). */
export function defaultCellRange(op: Operation): Range {
  const clip = floatAttrOf(op, 'cell_clip') ?? 0;
  return clip > 0 ? [-clip, clip] : [-8, 8];
}

/** The plan of a 24-operand LSTM op. */
export function lstmPlan(op: Operation, cfg: RuleConfig, width: Width = cfg.mode): PlanResult {
  if (op.operands.length !== 24) return { skip: 'expects 24 operands' };
  if (op.name === 'tfl.lstm' && width === 'int16') return { skip: 'tfl.lstm has no 16x8 kernel' };
  if (!isFloatTensor(op.operand(R.input))) return { skip: 'the input is not a float tensor' };
  const cifg = !present(op, 1);
  const peephole = present(op, 10);
  const projection = present(op, R.projectionWeights);
  const layerNorm = present(op, 21);
  if (width === 'int16' && (cifg || peephole || projection || layerNorm || present(op, R.projectionBias)))
    return { skip: "tflite-micro's 16x8 LSTM kernel supports only the standard LSTM (no CIFG, peephole, projection or layer norm)" };
  const constOperands = [
    ...R.inputWeights,
    ...R.recurrentWeights,
    ...R.peepholeWeights,
    ...R.gateBiases,
    R.projectionWeights,
    R.projectionBias,
    ...R.layerNormCoefficients,
  ];
  for (const i of constOperands) if (present(op, i) && !isFloatConstant(op.operand(i))) return { skip: `operand #${i} is not a float constant` };
  for (const i of [R.activationState, R.cellState]) if (!isFloatTensor(op.operand(i))) return { skip: `state operand #${i} is not a float tensor` };

  const operands: OperandRole[] = op.operands.map((_, i): OperandRole => {
    if (!present(op, i)) return { kind: 'none' };
    if (i === R.input || i === R.activationState) return { kind: 'act', width };
    if (i === R.cellState) return { kind: 'cell' };
    if ((R.inputWeights as readonly number[]).includes(i) || (R.recurrentWeights as readonly number[]).includes(i) || i === R.projectionWeights)
      return { kind: 'weight', bits: 8 };
    if ((R.peepholeWeights as readonly number[]).includes(i) || (R.layerNormCoefficients as readonly number[]).includes(i)) return { kind: 'weight', bits: 16 };
    const g = (R.gateBiases as readonly number[]).indexOf(i);
    if (g >= 0) {
      const storage = width === 'int16' ? biasStorage(width, cfg) : 32;
      return layerNorm
        ? { kind: 'bias', storage, factors: [{ operand: R.layerNormCoefficients[g]! }, { constant: 2 ** -10 }] }
        : { kind: 'bias', storage, factors: [{ operand: R.input }, { operand: R.inputWeights[g]! }] };
    }
    if (i === R.projectionBias) return { kind: 'bias', storage: 32, factors: [{ operand: R.projectionWeights }, { intermediate: INTER_HIDDEN }] };
    return { kind: 'none' };
  });
  // int8 without projection: TFLite 2.12's kernel writes the hidden state into the output with the
  // zero point's sign flipped (PortableCwiseMul subtracts it), so only zero point 0 is right there;
  // TF's MLIR converter quantizes these outputs symmetrically too. With a projection the projection
  // bias undoes the flip and the output is asymmetric, as TFLite's quantizer makes it.
  const symmetric = width === 'int8' && !projection && !cfg.lstmAsymmetricHidden;
  const results: ResultRole[] = [isFloatTensor(op.result(0)) ? { kind: 'act', width, symmetric } : { kind: 'none' }];
  const stateValue: Value = op.operand(R.activationState);
  return {
    plan: {
      op,
      width,
      operands,
      results,
      groups: [{ operands: [R.activationState], results: [0], prefer: 'result' }],
      setAttrs: {},
      removeAttrs: width === 'int16' ? [...R.intermediates] : [],
      resultRangeHint: (ranges) => {
        const out = ranges.get(op.result(0));
        const st = ranges.get(stateValue);
        const m = new Map<number, Range>();
        if (out && st) m.set(0, unionRange(out, st));
        return m;
      },
      ...(width === 'int8'
        ? {
            finalizeAttrs: (t, inter) => {
              const attrs: Record<string, Attribute> = {};
              for (const name of GATE_INTERMEDIATES) {
                let q: QType;
                if (layerNorm) {
                  const r = inter?.get(name);
                  if (!r) return { error: `a layer-norm LSTM needs the calibrated range of '${name}'` };
                  if (Math.max(Math.abs(r[0]), Math.abs(r[1])) < 1e-8) return { error: `the calibrated range of '${name}' is empty` };
                  q = activationType(r, 'int16');
                } else {
                  q = uniformQuantType(i16(), f32(), 2 ** -12, 0);
                }
                attrs[name] = typeAttr(tensorType([0], q));
              }
              let hidden: QType | undefined;
              const notes: string[] = [];
              if (projection) {
                let r = inter?.get(INTER_HIDDEN);
                if (!r) {
                  // o * tanh(c) lies in (-1, 1) whatever the data: a safe range without calibration.
                  r = [-1, 1];
                  notes.push(`no calibrated range for '${INTER_HIDDEN}': using its bound [-1, 1]`);
                }
                hidden = activationType(r, 'int8', f32(), !cfg.lstmAsymmetricHidden);
              } else {
                hidden = t.result(0);
              }
              if (!hidden) return { error: 'the output has no quantization' };
              attrs[INTER_HIDDEN] = typeAttr(tensorType([0], hidden));
              return { attrs, notes };
            },
          }
        : {}),
    },
  };
}

/** The plan of `tfl.svdf` (int8 only). */
export function svdfPlan(op: Operation, cfg: RuleConfig, width: Width = cfg.mode): PlanResult {
  if (width !== 'int8') return { skip: 'the op has no 16x8 kernel' };
  if (op.operands.length !== 5) return { skip: 'expects 5 operands' };
  if (!isFloatTensor(op.operand(0)) || !isFloatTensor(op.operand(4))) return { skip: 'the input and state must be float tensors' };
  for (const i of [1, 2]) if (!isFloatConstant(op.operand(i))) return { skip: `operand #${i} is not a float constant` };
  if (present(op, 3) && !isFloatConstant(op.operand(3))) return { skip: 'the bias is not a float constant' };
  const operands: OperandRole[] = [
    { kind: 'act', width: 'int8' },
    { kind: 'weight', bits: 8 },
    { kind: 'weight', bits: 10 },
    present(op, 3) ? { kind: 'bias', storage: 32, factors: [{ operand: 2 }, { operand: 4 }] } : { kind: 'none' },
    { kind: 'act', width: 'int16' },
  ];
  const results: ResultRole[] = [isFloatTensor(op.result(0)) ? { kind: 'act', width: 'int8' } : { kind: 'none' }];
  return { plan: { op, width, operands, results, groups: [], setAttrs: {}, removeAttrs: [] } };
}
