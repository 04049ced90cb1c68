/**
 * Shared pieces of the LSTM kernels (`tfl.unidirectional_sequence_lstm`,
 * `tfl.bidirectional_sequence_lstm`): operand indexing, attribute parsing with TFLite's defaults, size
 * inference and validation, and the integer primitives both integer flavours are built from.
 *
 * Upstream arithmetic followed here (read, not copied):
 * - operand order: TFLite `lstm_shared.h` / TFLM `kernels/lstm_shared.h` (`kLstm*Tensor`).
 * - size inference: TFLite `unidirectional_sequence_lstm.cc` Prepare / TFLM `lstm_eval_common.cc`
 *   `CreateLstmSizeInfo` (n_batch/max_time from `time_major`, n_cell = input_to_output_weights.dims[0],
 *   n_output = recurrent_to_output_weights.dims[1]).
 * - gemmlowp `fixedpoint.h` on **int16** raw values (`logistic`, `tanh`, `exp_on_negative_values`, ...):
 *   these are what TFLite's `tensor_utils::ApplySigmoid` / `ApplyTanh` (portable_tensor_utils.cc) run
 *   for the 8x8_16 integer LSTM. Every int16 store of an intermediate wraps like the C++ `int16_t`.
 * - TFLM's LUT-based `reference_integer_ops::Logistic(int16)` / `Tanh(int16)`
 *   (`reference/integer_ops/logistic.h`, `tanh.h`) with `sigmoid_table_uint16` (common.h): what
 *   tflite-micro's general LSTM kernel (`lstm_eval.cc` `Sigmoid`/`Tanh`) uses.
 * - `GetInvSqrtQuantizedMultiplierExp` (common.h) for the integer layer norm.
 * - `CheckedLog2` (quantization_util.cc).
 */
import { KernelError, type AttrValue, type KernelContext, type TensorInfo } from '../../../../src/interp/kernel.js';
import { rdbpot, srdhm } from '../../../../src/interp/fixedpoint.js';
import { SIGMOID_TABLE_UINT16 } from '../activations.js';

// ---------------------------------------------------------------------------------------------
// Operand indices (TFLite's 24-input UNIDIRECTIONAL_SEQUENCE_LSTM).
// ---------------------------------------------------------------------------------------------

export const LSTM_INPUT = 0;
export const LSTM_INPUT_TO_INPUT_W = 1;
export const LSTM_INPUT_TO_FORGET_W = 2;
export const LSTM_INPUT_TO_CELL_W = 3;
export const LSTM_INPUT_TO_OUTPUT_W = 4;
export const LSTM_RECURRENT_TO_INPUT_W = 5;
export const LSTM_RECURRENT_TO_FORGET_W = 6;
export const LSTM_RECURRENT_TO_CELL_W = 7;
export const LSTM_RECURRENT_TO_OUTPUT_W = 8;
export const LSTM_CELL_TO_INPUT_W = 9;
export const LSTM_CELL_TO_FORGET_W = 10;
export const LSTM_CELL_TO_OUTPUT_W = 11;
export const LSTM_INPUT_GATE_BIAS = 12;
export const LSTM_FORGET_GATE_BIAS = 13;
export const LSTM_CELL_GATE_BIAS = 14;
export const LSTM_OUTPUT_GATE_BIAS = 15;
export const LSTM_PROJECTION_W = 16;
export const LSTM_PROJECTION_BIAS = 17;
export const LSTM_OUTPUT_STATE = 18;
export const LSTM_CELL_STATE = 19;
export const LSTM_INPUT_LN = 20;
export const LSTM_FORGET_LN = 21;
export const LSTM_CELL_LN = 22;
export const LSTM_OUTPUT_LN = 23;

/** `a[i]` for operand-index tuples (always in range by construction). */
export function at(a: readonly number[], i: number): number {
  return a[i] as number;
}

/** Gate order used inside this module: input, forget, cell, output. */
export const GATE_INPUT = 0;
export const GATE_FORGET = 1;
export const GATE_CELL = 2;
export const GATE_OUTPUT = 3;

/** The operand indices of one LSTM cell's tensors (unidirectional = these; bidirectional fw/bw = offsets). */
export interface LstmCellOperands {
  /** input_to_{input,forget,cell,output}_weights. */
  readonly inputWeights: readonly [number, number, number, number];
  /** recurrent_to_{input,forget,cell,output}_weights. */
  readonly recurrentWeights: readonly [number, number, number, number];
  /** cell_to_{input,forget,output}_weights as [input, forget, -1 (none for the cell gate), output]. */
  readonly peephole: readonly [number, number, number, number];
  /** {input,forget,cell,output}_gate_bias. */
  readonly bias: readonly [number, number, number, number];
  /** {input,forget,cell,output}_layer_norm_coefficients, -1 when the op has none. */
  readonly layerNorm: readonly [number, number, number, number];
  readonly projectionWeights: number;
  readonly projectionBias: number;
  readonly outputState: number;
  readonly cellState: number;
}

/** The unidirectional op's operand layout. */
export const UNI_OPERANDS: LstmCellOperands = {
  inputWeights: [LSTM_INPUT_TO_INPUT_W, LSTM_INPUT_TO_FORGET_W, LSTM_INPUT_TO_CELL_W, LSTM_INPUT_TO_OUTPUT_W],
  recurrentWeights: [
    LSTM_RECURRENT_TO_INPUT_W,
    LSTM_RECURRENT_TO_FORGET_W,
    LSTM_RECURRENT_TO_CELL_W,
    LSTM_RECURRENT_TO_OUTPUT_W,
  ],
  peephole: [LSTM_CELL_TO_INPUT_W, LSTM_CELL_TO_FORGET_W, -1, LSTM_CELL_TO_OUTPUT_W],
  bias: [LSTM_INPUT_GATE_BIAS, LSTM_FORGET_GATE_BIAS, LSTM_CELL_GATE_BIAS, LSTM_OUTPUT_GATE_BIAS],
  layerNorm: [LSTM_INPUT_LN, LSTM_FORGET_LN, LSTM_CELL_LN, LSTM_OUTPUT_LN],
  projectionWeights: LSTM_PROJECTION_W,
  projectionBias: LSTM_PROJECTION_BIAS,
  outputState: LSTM_OUTPUT_STATE,
  cellState: LSTM_CELL_STATE,
};

// ---------------------------------------------------------------------------------------------
// Attributes.
// ---------------------------------------------------------------------------------------------

/** The LSTM options with TFLite's defaults applied. */
export interface LstmAttrs {
  /** fused_activation_function; the flatbuffer default is NONE. */
  readonly activation: string;
  /** cell_clip (0 = no clipping). */
  readonly cellClip: number;
  /** proj_clip (0 = no clipping). */
  readonly projClip: number;
  readonly timeMajor: boolean;
  readonly asymmetricQuantizeInputs: boolean;
  readonly diagonalRecurrentTensors: boolean;
  /** bidirectional only. */
  readonly mergeOutputs: boolean;
}

function attrNumber(v: AttrValue | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new KernelError(`attribute '${name}' must be a number`);
}

function attrBool(v: AttrValue | undefined, dflt: boolean, name: string): boolean {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  throw new KernelError(`attribute '${name}' must be a boolean`);
}

/**
 * Reads the LSTM attributes. `timeMajorDefault`: false for UnidirectionalSequenceLSTMOptions, true for
 * BidirectionalSequenceLSTMOptions (schema.fbs: `time_major: bool = true`).
 */
export function parseLstmAttrs(ctx: KernelContext, timeMajorDefault: boolean): LstmAttrs {
  const a = ctx.attrs;
  const act = a['fused_activation_function'];
  if (act !== undefined && typeof act !== 'string') {
    throw new KernelError(`'${ctx.op}': fused_activation_function must be a string`);
  }
  const attrs: LstmAttrs = {
    activation: act ?? 'NONE',
    cellClip: attrNumber(a['cell_clip'], 0, 'cell_clip'),
    projClip: attrNumber(a['proj_clip'], 0, 'proj_clip'),
    timeMajor: attrBool(a['time_major'], timeMajorDefault, 'time_major'),
    asymmetricQuantizeInputs: attrBool(a['asymmetric_quantize_inputs'], false, 'asymmetric_quantize_inputs'),
    diagonalRecurrentTensors: attrBool(a['diagonal_recurrent_tensors'], false, 'diagonal_recurrent_tensors'),
    mergeOutputs: attrBool(a['merge_outputs'], false, 'merge_outputs'),
  };
  // TFLite CheckInputTensorDimensions: TF_LITE_ENSURE(cell_clip >= 0), (proj_clip >= 0).
  if (!(attrs.cellClip >= 0) || !(attrs.projClip >= 0)) {
    throw new KernelError(`'${ctx.op}': cell_clip and proj_clip must be >= 0`);
  }
  if (attrs.diagonalRecurrentTensors) {
    throw new KernelError(`'${ctx.op}': diagonal_recurrent_tensors is not supported (TFLite 2.12 has no kernel for it)`);
  }
  return attrs;
}

// ---------------------------------------------------------------------------------------------
// Sizes and structural validation (TFLite CheckInputTensorDimensions).
// ---------------------------------------------------------------------------------------------

export interface LstmSizes {
  readonly nBatch: number;
  readonly maxTime: number;
  readonly nInput: number;
  readonly nCell: number;
  readonly nOutput: number;
  readonly timeMajor: boolean;
}

/** Which optional parts a cell uses. */
export interface LstmVariant {
  readonly useCifg: boolean;
  readonly usePeephole: boolean;
  readonly useLayerNorm: boolean;
  readonly useProjection: boolean;
  readonly useProjectionBias: boolean;
}

function fail(ctx: KernelContext, msg: string): never {
  throw new KernelError(`'${ctx.op}' at ${ctx.where}: ${msg}`);
}

/** The input at `i`, which must be present. */
export function req(ctx: KernelContext, i: number, what: string): TensorInfo {
  const t = ctx.inputs[i];
  if (!t) fail(ctx, `missing required operand ${i} (${what})`);
  return t;
}

/** The input at `i` or undefined (`i < 0` = the op has no such operand). */
export function opt(ctx: KernelContext, i: number): TensorInfo | undefined {
  return i < 0 ? undefined : ctx.inputs[i];
}

function dimsEq(t: TensorInfo, dims: readonly number[]): boolean {
  return t.shape.length === dims.length && t.shape.every((d, k) => d === dims[k]);
}

function expectDims(ctx: KernelContext, t: TensorInfo | undefined, dims: readonly number[], what: string): void {
  if (t && !dimsEq(t, dims)) {
    fail(ctx, `${what} has shape [${t.shape.join(',')}], expected [${dims.join(',')}]`);
  }
}

function numel(t: TensorInfo): number {
  let n = 1;
  for (const d of t.shape) n *= d;
  return n;
}

/**
 * Infers the sizes from the input (rank 3) and the output-gate weights, and checks every tensor of one
 * cell the way TFLite's CheckInputTensorDimensions does (CIFG all-or-none, peephole all-or-none,
 * input gate bias present iff not CIFG, projection bias only with projection weights, layer norm
 * coefficients all present (input only without CIFG) or none).
 */
export function inferCell(
  ctx: KernelContext,
  ops: LstmCellOperands,
  input: TensorInfo,
  timeMajor: boolean,
): { sizes: LstmSizes; variant: LstmVariant } {
  if (input.shape.length !== 3) fail(ctx, `input must have rank 3, got [${input.shape.join(',')}]`);
  const [d0, d1, d2] = input.shape as [number, number, number];
  const nBatch = timeMajor ? d1 : d0;
  const maxTime = timeMajor ? d0 : d1;
  const nInput = d2;
  const i2o = req(ctx, at(ops.inputWeights, GATE_OUTPUT), 'input_to_output_weights');
  if (i2o.shape.length !== 2) fail(ctx, 'input_to_output_weights must be 2-D');
  const nCell = i2o.shape[0] as number;
  const r2o = req(ctx, at(ops.recurrentWeights, GATE_OUTPUT), 'recurrent_to_output_weights');
  if (r2o.shape.length !== 2 || r2o.shape[0] !== nCell) fail(ctx, 'recurrent_to_output_weights must be [n_cell, n_output]');
  const nOutput = r2o.shape[1] as number;

  const names = ['input', 'forget', 'cell', 'output'];
  for (let g = 0; g < 4; g++) {
    const iw = g === GATE_INPUT ? opt(ctx, at(ops.inputWeights, g)) : req(ctx, at(ops.inputWeights, g), `input_to_${names[g]}_weights`);
    const rw = g === GATE_INPUT ? opt(ctx, at(ops.recurrentWeights, g)) : req(ctx, at(ops.recurrentWeights, g), `recurrent_to_${names[g]}_weights`);
    expectDims(ctx, iw, [nCell, nInput], `input_to_${names[g]}_weights`);
    expectDims(ctx, rw, [nCell, nOutput], `recurrent_to_${names[g]}_weights`);
  }
  const i2i = opt(ctx, at(ops.inputWeights, GATE_INPUT));
  const r2i = opt(ctx, at(ops.recurrentWeights, GATE_INPUT));
  if (!!i2i !== !!r2i) fail(ctx, 'input_to_input_weights and recurrent_to_input_weights must be both present or both absent (CIFG)');
  const useCifg = !i2i;

  const c2i = opt(ctx, at(ops.peephole, GATE_INPUT));
  const c2f = opt(ctx, at(ops.peephole, GATE_FORGET));
  const c2o = opt(ctx, at(ops.peephole, GATE_OUTPUT));
  for (const [t, n] of [
    [c2i, 'cell_to_input_weights'],
    [c2f, 'cell_to_forget_weights'],
    [c2o, 'cell_to_output_weights'],
  ] as const) {
    expectDims(ctx, t, [nCell], n);
  }
  const peepAll = (!!c2i || useCifg) && !!c2f && !!c2o;
  const peepNone = !c2i && !c2f && !c2o;
  if (!peepAll && !peepNone) fail(ctx, 'peephole weights must be all present or all absent');
  const usePeephole = !!c2o;

  const ib = opt(ctx, at(ops.bias, GATE_INPUT));
  if (useCifg && ib) fail(ctx, 'input_gate_bias must be absent with CIFG');
  if (!useCifg && !ib) fail(ctx, 'input_gate_bias is required without CIFG');
  expectDims(ctx, ib, [nCell], 'input_gate_bias');
  for (let g = 1; g < 4; g++) {
    expectDims(ctx, req(ctx, at(ops.bias, g), `${names[g]}_gate_bias`), [nCell], `${names[g]}_gate_bias`);
  }

  const pw = opt(ctx, ops.projectionWeights);
  const pb = opt(ctx, ops.projectionBias);
  expectDims(ctx, pw, [nOutput, nCell], 'projection_weights');
  expectDims(ctx, pb, [nOutput], 'projection_bias');
  if (!pw && pb) fail(ctx, 'projection_bias without projection_weights');
  if (!pw && nOutput !== nCell) fail(ctx, 'n_output != n_cell requires projection weights');

  // Layer norm: TFLite decides by the forget-gate coefficients.
  const lnF = opt(ctx, at(ops.layerNorm, GATE_FORGET));
  const useLayerNorm = !!lnF;
  if (useLayerNorm) {
    const lnI = opt(ctx, at(ops.layerNorm, GATE_INPUT));
    if (useCifg && lnI) fail(ctx, 'input_layer_norm_coefficients must be absent with CIFG');
    if (!useCifg && !lnI) fail(ctx, 'input_layer_norm_coefficients is required with layer norm and no CIFG');
    expectDims(ctx, lnI, [nCell], 'input_layer_norm_coefficients');
    for (let g = 1; g < 4; g++) {
      expectDims(ctx, req(ctx, at(ops.layerNorm, g), `${names[g]}_layer_norm_coefficients`), [nCell], `${names[g]}_layer_norm_coefficients`);
    }
  } else {
    for (let g = 0; g < 4; g++) {
      if (opt(ctx, at(ops.layerNorm, g))) fail(ctx, 'layer norm coefficients without forget_layer_norm_coefficients');
    }
  }

  const os = req(ctx, ops.outputState, 'output_state');
  const cs = req(ctx, ops.cellState, 'cell_state');
  if (numel(os) !== nBatch * nOutput) fail(ctx, `output_state must hold n_batch*n_output = ${nBatch * nOutput} elements`);
  if (numel(cs) !== nBatch * nCell) fail(ctx, `cell_state must hold n_batch*n_cell = ${nBatch * nCell} elements`);

  return {
    sizes: { nBatch, maxTime, nInput, nCell, nOutput, timeMajor },
    variant: { useCifg, usePeephole, useLayerNorm, useProjection: !!pw, useProjectionBias: !!pb },
  };
}

/** Checks the (first) output's shape: input dims with the last replaced by `lastDim`. */
export function checkOutputShape(ctx: KernelContext, out: TensorInfo | undefined, input: TensorInfo, lastDim: number): TensorInfo {
  if (!out) fail(ctx, 'missing output');
  const want = [input.shape[0] as number, input.shape[1] as number, lastDim];
  if (!dimsEq(out, want)) fail(ctx, `output has shape [${out.shape.join(',')}], expected [${want.join(',')}]`);
  return out;
}

/** The single (per-tensor) scale and zero point of a quantized tensor; per-channel is rejected. */
export function perTensor(ctx: KernelContext, t: TensorInfo, what: string): { scale: number; zeroPoint: number } {
  const q = t.quant;
  if (!q || q.scale.length === 0) fail(ctx, `${what} (${t.dtype}) has no quantization parameters`);
  if (q.scale.length !== 1) {
    fail(ctx, `${what} is per-channel quantized (${q.scale.length} scales); the LSTM kernels take per-tensor scales only`);
  }
  return { scale: q.scale[0] as number, zeroPoint: (q.zeroPoint[0] ?? 0) as number };
}

// ---------------------------------------------------------------------------------------------
// Small integer helpers.
// ---------------------------------------------------------------------------------------------

/** Wraps to int16 like a C++ store into `int16_t`. */
export function w16(x: number): number {
  return (x << 16) >> 16;
}

export function clamp16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

/** `CheckedLog2(float x)`: log2 rounded (half away) and whether it is within 1e-3 of an integer. */
export function checkedLog2(x: number): { log2: number; ok: boolean } {
  const f = Math.fround;
  const xLog2 = f(f(Math.log(f(x))) * f(1 / f(Math.log(2))));
  const rounded = xLog2 < 0 ? -Math.round(-xLog2) : Math.round(xLog2);
  const frac = f(xLog2 - rounded);
  return { log2: rounded, ok: Math.abs(frac) < f(1e-3) };
}

// ---------------------------------------------------------------------------------------------
// gemmlowp fixed point on int16 raw values (fixedpoint.h), as TFLite's 8x8_16 LSTM uses it.
// ---------------------------------------------------------------------------------------------

/** gemmlowp SaturatingRoundingDoublingHighMul<int16_t>. */
export function srdhm16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  const ab = a * b;
  const nudge = ab >= 0 ? 16384 : 1 - 16384;
  return Math.trunc((ab + nudge) / 32768);
}

/** gemmlowp RoundingDivideByPOT on small (int16/int32) values. */
function rdbpotSmall(x: number, e: number): number {
  if (e === 0) return x;
  const mask = (1 << e) - 1;
  const rem = x & mask;
  const thr = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (rem > thr ? 1 : 0);
}

/** SaturatingRoundingMultiplyByPOT<e> on int16 with e > 0 (saturating left shift). */
function satShl16(x: number, e: number): number {
  const thr = (1 << (15 - e)) - 1;
  if (x > thr) return 32767;
  if (x < -thr) return -32768;
  return x << e;
}

function satAdd16(a: number, b: number): number {
  return clamp16(a + b);
}

function roundingHalfSum16(a: number, b: number): number {
  const s = a + b;
  return Math.trunc((s + (s >= 0 ? 1 : -1)) / 2);
}

/** RescaleConstantInitializer<int16 FixedPoint>: the int32 constant rounding-shifted right by 16. */
function c16(v32: number): number {
  return w16(rdbpot(v32, 16));
}

const EXP_CONST_TERM = c16(1895147668); // exp(-1/8)
const EXP_ONE_THIRD = c16(715827883); // 1/3
const EXP_BARREL: readonly (readonly [number, number])[] = [
  [-2, c16(1672461947)],
  [-1, c16(1302514674)],
  [0, c16(790015084)],
  [1, c16(290630308)],
  [2, c16(39332535)],
  [3, c16(720401)],
  [4, c16(242)],
];
const NR_48_OVER_17 = c16(1515870810);
const NR_NEG_32_OVER_17 = c16(-1010580540);
const F0_ONE = 32767;
const F2_ONE = 1 << 13;

/** exp_on_interval_between_negative_one_quarter_and_0_excl on F0 int16. */
function expQuarter16(a: number): number {
  const x = w16(a + (1 << 12)); // + 1/8 (ConstantPOT<-3> in Q0.15)
  const x2 = srdhm16(x, x);
  const x3 = srdhm16(x2, x);
  const x4 = srdhm16(x2, x2);
  const x4over4 = rdbpotSmall(x4, 2);
  const poly = rdbpotSmall(w16(srdhm16(w16(x4over4 + x3), EXP_ONE_THIRD) + x2), 1);
  return satAdd16(EXP_CONST_TERM, srdhm16(EXP_CONST_TERM, w16(x + poly)));
}

/** exp_on_negative_values for an int16 FixedPoint with `k` integer bits; returns F0 (Q0.15). */
export function gemmlowpExpOnNegative16(a: number, k: number): number {
  const frac = 15 - k;
  const quarter = 1 << (frac - 2);
  const mask = quarter - 1;
  const aModQ = w16((a & mask) - quarter);
  let result = expQuarter16(k === 0 ? aModQ : satShl16(aModQ, k));
  const rem = w16(aModQ - a);
  for (const [e, m] of EXP_BARREL) {
    if (k > e && (rem & (1 << (frac + e))) !== 0) result = srdhm16(result, m);
  }
  if (k > 5) {
    const clamp = c16(-(2 ** (36 - k)));
    if (a < clamp) result = 0;
  }
  if (a === 0) result = F0_ONE;
  return result;
}

/** Newton-Raphson core shared by one_over_one_plus_x / one_minus_x_over_one_plus_x (returns F2 x). */
function nrReciprocalHalfDenominator16(a: number): number {
  const hd = roundingHalfSum16(a, F0_ONE);
  let x = w16(NR_48_OVER_17 + srdhm16(hd, NR_NEG_32_OVER_17));
  for (let i = 0; i < 3; i++) {
    const hdx = srdhm16(hd, x);
    const oneMinus = w16(F2_ONE - hdx);
    x = w16(x + satShl16(srdhm16(x, oneMinus), 2));
  }
  return x;
}

/** gemmlowp::logistic on FixedPoint<int16_t, k> -> Q0.15. */
export function gemmlowpLogistic16(a: number, k: number): number {
  if (a === 0) return 16384;
  const abs = a > 0 ? a : w16(-a);
  const e = gemmlowpExpOnNegative16(w16(-abs), k);
  const pos = satShl16(nrReciprocalHalfDenominator16(e), 1); // Rescale<0>(ExactMulByPot<-1>(x))
  return a > 0 ? pos : w16(F0_ONE - pos);
}

/** gemmlowp::tanh on FixedPoint<int16_t, k> -> Q0.15. */
export function gemmlowpTanh16(a: number, k: number): number {
  if (a === 0) return 0;
  const n = a < 0 ? a : w16(-a);
  const e = gemmlowpExpOnNegative16(n, k + 1); // ExactMulByPot<1>
  const x = nrReciprocalHalfDenominator16(e);
  const t = satShl16(w16(x - F2_ONE), 2); // Rescale<0>(x - F2::One())
  return a < 0 ? w16(-t) : t;
}

const lutCache = new Map<string, Int16Array>();

function lut(key: string, f: (x: number) => number): Int16Array {
  let t = lutCache.get(key);
  if (!t) {
    t = new Int16Array(65536);
    for (let x = -32768; x < 32768; x++) t[x & 0xffff] = f(x);
    lutCache.set(key, t);
  }
  return t;
}

/**
 * TFLite `tensor_utils::ApplySigmoid` (portable): gemmlowp logistic of Q3.12 -> Q0.15, as a 64K table
 * indexed by `x & 0xffff`.
 */
export function tfliteSigmoidLut(): Int16Array {
  return lut('tflite-sigmoid', (x) => gemmlowpLogistic16(x, 3));
}

/**
 * TFLite `tensor_utils::ApplyTanh(integer_bits, ...)` (portable): gemmlowp tanh of Q{ib}.{15-ib} -> Q0.15;
 * integer_bits 0..6 (the upstream dispatch range), as a 64K table.
 */
export function tfliteTanhLut(integerBits: number): Int16Array {
  if (!Number.isInteger(integerBits) || integerBits < 0 || integerBits > 6) {
    throw new KernelError(`integer tanh needs 0..6 integer bits, got ${integerBits}`);
  }
  return lut(`tflite-tanh-${integerBits}`, (x) => gemmlowpTanh16(x, integerBits));
}

// ---------------------------------------------------------------------------------------------
// TFLM's LUT-interpolated int16 sigmoid / tanh (reference_integer_ops::Logistic / Tanh, int16).
// ---------------------------------------------------------------------------------------------

/** sigmoid(i/24) in 0.16 format (TFLite's `sigmoid_table_uint16`), shared with the int16 activation kernels. */
const SIGMOID_TABLE_U16 = Uint32Array.from(SIGMOID_TABLE_UINT16);

/** TFLM reference_integer_ops::Logistic(input_multiplier, input_left_shift, int16). */
export function tflmLogistic16(x: number, inputMultiplier: number, inputLeftShift: number): number {
  let mult = inputMultiplier;
  let shift = inputLeftShift;
  if (mult === 0) {
    mult = 3 << shift;
    shift = 0;
  }
  const round = shift > 0 ? 1 << (shift - 1) : 0;
  const v = (x * mult + round) >> shift;
  const abs = v < 0 ? -v : v;
  const uh = abs >>> 9;
  let result: number;
  if (uh >= 255) {
    result = 0x7fff << 10;
  } else {
    const ua = SIGMOID_TABLE_U16[uh] as number;
    const ub = SIGMOID_TABLE_U16[uh + 1] as number;
    result = ua * 512 + (abs & 0x1ff) * (ub - ua);
  }
  result = v >= 0 ? result + (1 << 9) : (1 << 25) - result + (1 << 9) - 1;
  return w16(result >>> 10);
}

/** TFLM reference_integer_ops::Tanh(input_multiplier, input_left_shift, int16). */
export function tflmTanh16(x: number, inputMultiplier: number, inputLeftShift: number): number {
  let mult = inputMultiplier;
  let shift = inputLeftShift;
  if (mult === 0) {
    mult = 3 << shift;
    shift = 0;
  }
  const round = shift > 0 ? 1 << (shift - 1) : 0;
  const v = (x * mult + round) >> shift;
  const abs = v < 0 ? -v : v;
  const uh = abs >>> 8;
  let result: number;
  if (uh >= 255) {
    result = 0xffff << 8;
  } else {
    const ua = SIGMOID_TABLE_U16[uh] as number;
    const ub = SIGMOID_TABLE_U16[uh + 1] as number;
    result = ua * 256 + (abs & 0xff) * (ub - ua);
  }
  result = v >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
  return w16(result >> 8);
}

/** TFLM lstm_eval.cc `Sigmoid(int16)`: Logistic(0, 0, ...) as a 64K table. */
export function tflmSigmoidLut(): Int16Array {
  return lut('tflm-sigmoid', (x) => tflmLogistic16(x, 0, 0));
}

/**
 * TFLM lstm_eval.cc `Tanh(cell_state_scale_power, int16)`: left shift (15 + power) - 3; a negative
 * shift becomes multiplier 3 with a rounding right shift. As a 64K table.
 */
export function tflmTanhLut(cellStateScalePower: number): Int16Array {
  let shift = 15 + cellStateScalePower - 3;
  let mult = 0;
  if (shift < 0) {
    shift = -shift;
    mult = 3;
  }
  // (3 << shift) * int16 must stay inside int32 as in the C++ (else the upstream arithmetic overflows).
  if ((mult === 0 && shift > 14) || shift > 30) {
    throw new KernelError(`TFLM integer tanh: unsupported cell state scale power ${cellStateScalePower}`);
  }
  return lut(`tflm-tanh-${cellStateScalePower}`, (x) => tflmTanh16(x, mult, shift));
}

// ---------------------------------------------------------------------------------------------
// Integer layer norm support.
// ---------------------------------------------------------------------------------------------

/** Saturating left shift on int32 (SaturatingRoundingMultiplyByPOT<e>, e > 0). */
function satShl32(x: number, e: number): number {
  const thr = 2 ** (31 - e) - 1;
  if (x > thr) return 2147483647;
  if (x < -thr) return -2147483648;
  return x * 2 ** e;
}

/** common.h `GetInvSqrtQuantizedMultiplierExp(input, reverse_shift)`. */
export function getInvSqrtQuantizedMultiplierExp(input: number, reverseShift: number): { multiplier: number; shift: number } {
  if (input <= 1) return { multiplier: 2147483647, shift: 0 };
  let shift = 11;
  let v = input;
  while (v >= 1 << 29) {
    v = Math.trunc(v / 4);
    ++shift;
  }
  const maxLeftShiftBits = Math.clz32(v) - 1;
  const leftShiftBitPairs = (maxLeftShiftBits >>> 1) - 1;
  shift -= leftShiftBitPairs;
  v = v << (2 * leftShiftBitPairs);
  // Newton-Raphson for 1/sqrt in F3 (int32, 3 integer bits).
  const fixedInput = v >> 1;
  const halfInput = rdbpot(fixedInput, 1);
  const halfThree = (1 << 28) + (1 << 27);
  let x = 1 << 28; // F3::One()
  for (let i = 0; i < 5; i++) {
    const x3 = satShl32(srdhm(srdhm(x, x), x), 6); // Rescale<3>(F9)
    x = satShl32((srdhm(halfThree, x) - srdhm(halfInput, x3)) | 0, 3); // Rescale<3>(F6)
  }
  x = srdhm(x, 1518500250); // * sqrt(2)/2 in F0
  let mult = x;
  if (shift < 0) {
    mult = (mult << -shift) | 0;
    shift = 0;
  }
  return { multiplier: mult, shift: (shift * reverseShift) | 0 };
}

// ---------------------------------------------------------------------------------------------
// Float helpers (float32 arithmetic emulated with Math.fround).
// ---------------------------------------------------------------------------------------------

export const f32 = Math.fround;

/** `1.0f / (1.0f + std::exp(-x))` in float32. */
export function sigmoidF32(x: number): number {
  return f32(1 / f32(1 + f32(Math.exp(-x))));
}

/** TFLM reference_ops::Logistic(float): cut-offs at 16.619047164916992188 and -9. */
export function sigmoidF32Tflm(x: number): number {
  if (x > 16.619047164916992) return 1;
  if (x < -9) return f32(Math.exp(x));
  return f32(1 / f32(1 + f32(Math.exp(-x))));
}

export function tanhF32(x: number): number {
  return f32(Math.tanh(x));
}

/** A float activation (TFLite ApplyActivationToVector) as a function, or undefined if unsupported. */
export function floatActivation(name: string): ((x: number) => number) | undefined {
  switch (name) {
    case 'NONE':
      return (x) => x;
    case 'RELU':
      return (x) => (x < 0 ? 0 : x);
    case 'RELU_N1_TO_1':
      return (x) => (x < -1 ? -1 : x > 1 ? 1 : x);
    case 'RELU6':
      return (x) => (x < 0 ? 0 : x > 6 ? 6 : x);
    case 'TANH':
      return tanhF32;
    case 'SIGMOID':
      return sigmoidF32;
    case 'SIGN_BIT':
      return (x) => (x < 0 || Object.is(x, -0) ? 1 : 0);
    default:
      return undefined;
  }
}

/** Typed data of a run-time tensor as the expected array kind (throws on mismatch). */
export function asF32(d: unknown, what: string): Float32Array {
  if (!(d instanceof Float32Array)) throw new KernelError(`${what}: expected float32 data`);
  return d;
}
export function asI8(d: unknown, what: string): Int8Array {
  if (!(d instanceof Int8Array)) throw new KernelError(`${what}: expected int8 data`);
  return d;
}
export function asI16(d: unknown, what: string): Int16Array {
  if (!(d instanceof Int16Array)) throw new KernelError(`${what}: expected int16 data`);
  return d;
}
export function asI32(d: unknown, what: string): Int32Array {
  if (!(d instanceof Int32Array)) throw new KernelError(`${what}: expected int32 data`);
  return d;
}
