/**
 * Integer LSTM as tflite-micro computes it (flavour 'tflm'; tensorflow/tflite-micro @ 90b983c2):
 * the "general" kernel of `kernels/unidirectional_sequence_lstm.cc` (Prepare / Eval),
 * `kernels/lstm_eval_common.cc` (CreateLstmSizeInfo, CreateGateParams, CreateInterGateMulParams,
 * CreateLstmCellStateInfo, PrepareGateParametersInteger) and `kernels/lstm_eval.h` / `lstm_eval.cc`
 * (EvalLstm -> LstmStep -> CalculateLstmGate / UpdateLstmCell / UpdateLstmHidden). It uses no op
 * intermediates: every scale comes from the tensors themselves.
 *
 * Two activation widths share this code:
 * - 8x8_16 (`EvalLstm<int8_t, int8_t, int16_t, int32_t>`): int8 input/hidden/output, int8 weights,
 *   int32 biases, int16 cell state;
 * - 16x8 (`EvalLstm<int16_t, int8_t, int16_t, int64_t>`, see lstm-16x8.ts): int16 input/hidden/output,
 *   int8 weights, int64 biases (int32 biases are accepted and widened: TFLM itself would read them as
 *   int64, which is not meaningful), int16 cell state.
 *
 * Prepare (all in double unless noted):
 * - each gate's input FC: multiplier = QuantizeMultiplier(double(float(s_x * s_w)) / 2^-12)
 *   (GetQuantizedConvolutionMultipler, float product), input offset -zp_x, weight offset -zp_w, gate bias;
 *   recurrent FC: the same with s_h / zp_h and **no bias**; both clamp to int16 (kTfLiteActNone, int16);
 * - forget*cell -> cell: QuantizeMultiplier(2^-15 * s_c / s_c); input*cellgate -> cell:
 *   QuantizeMultiplier(2^-15 * 2^-15 / s_c); tanh(c)*output -> hidden: QuantizeMultiplier(2^-15 * 2^-15 / s_h),
 *   output offset zp_h, clamp to the hidden type;
 * - cell_state_scale_power = round(log2(s_c)) (CheckedLog2's result is not checked by TFLM);
 *   quantized_cell_clip = (int16)clamp(double(cell_clip) / double(s_c)); clipping only if cell_clip > 0.
 * Eval per step (all batches at once when time-major, else batch by batch):
 * - gate = sat16(sat16(MBQM(Σ(w+off_w)(x+off_x) + b)) + sat16(MBQM(Σ(w+off_w)(h+off_h))))
 *   (reference_integer_ops::FullyConnected twice + AddElementWise), then Sigmoid =
 *   reference_integer_ops::Logistic(int16, multiplier 0 -> 3) or, for the cell gate, the op activation:
 *   TANH -> reference_integer_ops::Tanh(int16) with cell_state_scale_power -12 (multiplier 3, shift 0),
 *   SIGMOID -> Logistic; order forget, input, cell;
 * - c = sat16(MBQM(f*c)); c = sat16(c + sat16(MBQM(i*g))) (MulElementwise, AddElementWise); clip;
 * - output gate (sigmoid), h = sat(zp_h + MBQM(Tanh(cell_state_scale_power)(c) * o)); output = h.
 * MBQM on int32 is the double-rounding MultiplyByQuantizedMultiplier; on the int64 accumulators of
 * the 16x8 FC it is TFLM's int64 overload, which (at this commit, double-rounding build) first reduces
 * the multiplier to 16 bits: ((x * ((m + 2^15) >> 16)) + 2^(14-shift)) >> (15 - shift).
 * The FC products of all four gates run as one stacked exact product per operand (lstm-matvec.ts:
 * two rows per float64 multiply for int8 activations, four rows per pass for int16 ones), built at
 * prepare from the constant weights (at every invoke otherwise).
 *
 * TFLM rejects CIFG, peephole, projection and layer norm (ValidateTensorStatus), and so does this
 * kernel (unsupported()).
 *
 * Verified: with the repo's FULLY_CONNECTED and LOGISTIC kernels, dtln_noise_suppression.tflite (two
 * 128-unit int8 LSTMs, hidden zero points 0 and -4, cell scales 2^-11 and 2^-12) reproduces TFLM's
 * golden_ref exactly (257/257); the int8/int16x8 kernel test vectors pass the upstream tolerances.
 */
import { KernelError, unsupported, type KernelContext, type KernelFn, type Tensor, type TensorInfo } from '../../../../src/interp/kernel.js';
import { mbqm, mbqm64Reduced, quantizeMultiplier, type QuantizedMultiplier } from '../../../../src/interp/fixedpoint.js';
import {
  GATE_CELL,
  GATE_FORGET,
  GATE_INPUT,
  GATE_OUTPUT,
  LSTM_INPUT,
  UNI_OPERANDS,
  asI16,
  asI8,
  checkedLog2,
  clamp16,
  f32,
  opt,
  parseLstmAttrs,
  perTensor,
  req,
  tflmSigmoidLut,
  tflmTanhLut,
  at,
} from './lstm-common.js';
import { matVec, stackRows, toF64, type MatVec } from './lstm-matvec.js';

/** Which activation width the TFLM general kernel runs. */
export type TflmIntegerMode = '8x8_16' | '16x8';

const TWO_37 = 2 ** 37;
const TWO_47 = 2 ** 47;

/** TFLM's int64 MultiplyByQuantizedMultiplier for one (multiplier, shift), its constants computed once. */
export interface Mbqm64ReducedParams {
  readonly multiplier: number;
  readonly shift: number;
  /** The multiplier reduced to 16 bits: (m + 2^15) >> 16, saturated at 0x7fff. */
  readonly reduced: number;
  /** The rounding term 2^(14 - shift). */
  readonly round: number;
  /** 2^-(15 - shift): the final right shift as an exact multiplication. */
  readonly scale: number;
}

/** The constants of {@link mbqm64ReducedWith} (Math.pow is slow per element; this runs once). */
export function mbqm64ReducedParams(multiplier: number, shift: number): Mbqm64ReducedParams {
  const total = 15 - shift;
  return {
    multiplier,
    shift,
    reduced: multiplier < 0x7fff0000 ? (multiplier + 32768) >> 16 : 0x7fff,
    round: 2 ** (total - 1),
    scale: 2 ** -total,
  };
}

/**
 * TFLM's int64 MultiplyByQuantizedMultiplier (16-bit reduced multiplier), for an exact integer `x`
 * held in a double (|x| < 2^53). Fast double path when the product stays exact (then scaling by a
 * power of two is exact too), BigInt otherwise.
 */
export function mbqm64ReducedWith(x: number, p: Mbqm64ReducedParams): number {
  if (x > -TWO_37 && x < TWO_37) return Math.floor((x * p.reduced + p.round) * p.scale) | 0;
  return mbqm64Reduced(BigInt(x), p.multiplier, p.shift);
}

/** {@link mbqm64ReducedWith} for a (multiplier, shift) given directly. */
export function mbqm64ReducedNum(x: number, multiplier: number, shift: number): number {
  return mbqm64ReducedWith(x, mbqm64ReducedParams(multiplier, shift));
}

/** A bias operand as exact numbers (int32, or int64 within ±2^47 as TFLM's MBQM contract requires). */
function biasNumbers(d: unknown, n: number, what: string): Float64Array {
  const out = new Float64Array(n);
  if (d instanceof Int32Array) {
    for (let i = 0; i < n; i++) out[i] = d[i] as number;
  } else if (d instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) {
      const v = Number(d[i] as bigint);
      if (!(v > -TWO_47 && v < TWO_47)) throw new KernelError(`${what}: int64 bias ${d[i]} outside ±2^47 (TFLM's int64 MultiplyByQuantizedMultiplier contract)`);
      out[i] = v;
    }
  } else {
    throw new KernelError(`${what}: expected int32 or int64 bias data`);
  }
  return out;
}

/**
 * Prepares tflite-micro's general integer `tfl.unidirectional_sequence_lstm`.
 * '8x8_16': (i8 input, i8 weights, i32 biases, i8 hidden, i16 cell) -> i8.
 * '16x8': (i16 input, i8 weights, i64 or i32 biases, i16 hidden, i16 cell) -> i16.
 */
export function prepareIntegerLstmTflm(ctx: KernelContext, mode: TflmIntegerMode): KernelFn {
  const ops = UNI_OPERANDS;
  const attrs = parseLstmAttrs(ctx, false);
  const act = mode === '16x8' ? 'i16' : 'i8';
  const input = req(ctx, LSTM_INPUT, 'input');
  const hiddenT = req(ctx, ops.outputState, 'output_state');
  const cellT = req(ctx, ops.cellState, 'cell_state');
  const out = ctx.outputs[0];
  if (!out) unsupported(ctx, 'missing output');

  // ---- LstmTensors::ValidateTensorStatus ----
  if (input.dtype !== act) unsupported(ctx, `the ${mode} LSTM needs a ${act} input`);
  if (hiddenT.dtype !== act) unsupported(ctx, `output_state must be ${act} (the input type)`);
  if (out.dtype !== act) unsupported(ctx, `output must be ${act} (the input type)`);
  if (cellT.dtype !== 'i16') unsupported(ctx, `TFLM's quantized LSTM only supports an int16 cell state, got ${cellT.dtype}`);
  for (let g = 0; g < 4; g++) {
    const w = opt(ctx, at(ops.inputWeights, g));
    const r = opt(ctx, at(ops.recurrentWeights, g));
    if (!w || !r) unsupported(ctx, 'TFLM requires all 8 gate weight tensors (no CIFG)');
    if (w.dtype !== 'i8' || r.dtype !== 'i8') unsupported(ctx, `gate weights must be int8, got ${w.dtype}/${r.dtype}`);
    const b = opt(ctx, at(ops.bias, g));
    if (!b) unsupported(ctx, 'TFLM requires all 4 gate biases');
    const okBias = mode === '16x8' ? b.dtype === 'i64' || b.dtype === 'i32' : b.dtype === 'i32';
    if (!okBias) unsupported(ctx, `gate bias type ${b.dtype} is not supported by the ${mode} LSTM`);
    if (g !== GATE_CELL && opt(ctx, at(ops.peephole, g))) unsupported(ctx, 'TFLM does not support peephole LSTMs');
    if (opt(ctx, at(ops.layerNorm, g))) unsupported(ctx, 'TFLM does not support layer-norm LSTMs');
  }
  if (opt(ctx, ops.projectionWeights) || opt(ctx, ops.projectionBias)) unsupported(ctx, 'TFLM does not support projection LSTMs');
  if (hiddenT.isVariable === false || cellT.isVariable === false) unsupported(ctx, 'LSTM states must be variable tensors');

  // ---- CreateLstmSizeInfo / ValidateTensorSize ----
  if (input.shape.length !== 3) unsupported(ctx, 'input must have rank 3');
  const timeMajor = attrs.timeMajor;
  const nBatch = (timeMajor ? input.shape[1] : input.shape[0]) as number;
  const maxTime = (timeMajor ? input.shape[0] : input.shape[1]) as number;
  const nInput = input.shape[2] as number;
  if (hiddenT.shape.length < 2) unsupported(ctx, 'TFLM reads the state dimension from output_state.dims[1]');
  const nState = hiddenT.shape[1] as number;
  const eq = (t: TensorInfo, dims: number[]): boolean => t.shape.length === dims.length && t.shape.every((d, i) => d === dims[i]);
  for (let g = 0; g < 4; g++) {
    if (!eq(opt(ctx, at(ops.inputWeights, g)) as TensorInfo, [nState, nInput])) unsupported(ctx, 'input weights must be [n_state, n_input]');
    if (!eq(opt(ctx, at(ops.recurrentWeights, g)) as TensorInfo, [nState, nState])) unsupported(ctx, 'recurrent weights must be [n_state, n_state]');
    if (!eq(opt(ctx, at(ops.bias, g)) as TensorInfo, [nState])) unsupported(ctx, 'gate biases must be [n_state]');
  }
  const numel = (t: TensorInfo): number => t.shape.reduce((a, b) => a * b, 1);
  if (numel(hiddenT) !== nBatch * nState || numel(cellT) !== nBatch * nState) unsupported(ctx, 'state sizes must be n_batch*n_state');
  if (!eq(out, [input.shape[0] as number, input.shape[1] as number, nState])) unsupported(ctx, 'output shape mismatch');

  // ---- cell state info ----
  const qCell = perTensor(ctx, cellT, 'cell_state');
  const cellPower = checkedLog2(qCell.scale).log2;
  const cellClip = f32(attrs.cellClip);
  const qCellClip = Math.trunc(Math.min(Math.max(cellClip / f32(qCell.scale), -32768), 32767));

  // ---- gate parameters (CreateGateParams) ----
  const qIn = perTensor(ctx, input, 'input');
  const qH = perTensor(ctx, hiddenT, 'output_state');
  const nonlinearInputScale = 2 ** -12;
  const fcMult = (sx: number, sw: number): QuantizedMultiplier => quantizeMultiplier(f32(f32(sx) * f32(sw)) / nonlinearInputScale);
  const inMult: QuantizedMultiplier[] = [];
  const recMult: QuantizedMultiplier[] = [];
  const inWOff: number[] = [];
  const recWOff: number[] = [];
  for (let g = 0; g < 4; g++) {
    const qw = perTensor(ctx, opt(ctx, at(ops.inputWeights, g)) as TensorInfo, 'input weights');
    const qr = perTensor(ctx, opt(ctx, at(ops.recurrentWeights, g)) as TensorInfo, 'recurrent weights');
    inMult.push(fcMult(qIn.scale, qw.scale));
    recMult.push(fcMult(qH.scale, qr.scale));
    inWOff.push(-qw.zeroPoint);
    recWOff.push(-qr.zeroPoint);
  }
  const xOffset = -qIn.zeroPoint;
  const hOffset = -qH.zeroPoint;

  // ---- inter-gate Mul parameters (CreateInterGateMulParams) ----
  const nonlinearOutputScale = 2 ** -15;
  const sC = f32(qCell.scale);
  const forgetCellMul = quantizeMultiplier((nonlinearOutputScale * sC) / sC);
  const inputMul = quantizeMultiplier((nonlinearOutputScale * nonlinearOutputScale) / sC);
  const outputMul = quantizeMultiplier((nonlinearOutputScale * nonlinearOutputScale) / f32(qH.scale));
  const hZp = qH.zeroPoint;
  const hMin = act === 'i8' ? -128 : -32768;
  const hMax = act === 'i8' ? 127 : 32767;

  // ---- activations ----
  const sigLut = tflmSigmoidLut();
  let cellGateLut: Int16Array;
  if (attrs.activation === 'TANH') cellGateLut = tflmTanhLut(-12);
  else if (attrs.activation === 'SIGMOID') cellGateLut = sigLut;
  else unsupported(ctx, `TFLM's LSTM supports only TANH or SIGMOID cell activations, got ${attrs.activation}`);
  const cellTanhLut = tflmTanhLut(cellPower);

  const wide = mode === '16x8';
  const biasOf = (d: unknown, what: string): Float64Array => biasNumbers(d, nState, what);

  // The four gates' FullyConnected products run as one stacked product per operand (x and h): rows
  // [g * n_state, (g + 1) * n_state) of the accumulators hold gate g. Weights carry their offsets;
  // the float64 copies of x and h carry theirs.
  const stride = 4 * nState;
  const maxAbs = (off: number): number => Math.max(Math.abs(hMin + off), Math.abs(hMax + off));
  const buildWeights = (w8: (i: number) => Int8Array, bias: (g: number) => Float64Array): TflmWeights => {
    const xBias = new Float64Array(stride);
    for (let g = 0; g < 4; g++) xBias.set(bias(g), g * nState);
    return {
      xBias,
      xMat: matVec(stackRows(ops.inputWeights.map(w8), inWOff, nState, nInput), stride, nInput, maxAbs(xOffset)),
      hMat: matVec(stackRows(ops.recurrentWeights.map(w8), recWOff, nState, nState), stride, nState, maxAbs(hOffset)),
    };
  };
  const constW = (i: number): Int8Array | undefined => {
    const d = (opt(ctx, i) as TensorInfo).data;
    return d instanceof Int8Array ? d : undefined;
  };
  const constBias = ops.bias.map((i) => {
    const t = opt(ctx, i) as TensorInfo;
    return t.data ? biasOf(t.data, 'gate bias') : undefined;
  });
  const allConst = [...ops.inputWeights, ...ops.recurrentWeights].every((i) => !!constW(i)) && constBias.every((b) => !!b);
  const constWeights = allConst ? buildWeights((i) => constW(i) as Int8Array, (g) => constBias[g] as Float64Array) : undefined;

  const inMult64 = inMult.map((m) => mbqm64ReducedParams(m.multiplier, m.shift));
  const recMult64 = recMult.map((m) => mbqm64ReducedParams(m.multiplier, m.shift));
  const gates = [new Int16Array(nState), new Int16Array(nState), new Int16Array(nState), new Int16Array(nState)] as const;
  const accX = new Float64Array(stride);
  const accH = new Float64Array(stride);
  const xf = new Float64Array(nBatch * maxTime * nInput);
  const hf = new Float64Array(nBatch * nState);

  // Per-invoke tensors, set at the start of every invoke.
  let W = constWeights as TflmWeights;
  let h: Int8Array | Int16Array = new Int8Array(0);
  let c: Int16Array = new Int16Array(0);
  let o: Int8Array | Int16Array = new Int8Array(0);

  // CalculateLstmGate, from the stacked accumulators.
  const gate = (g: number): void => {
    const dst = gates[g] as Int16Array;
    const s = g * nState;
    const mi = inMult[g] as QuantizedMultiplier;
    const mr = recMult[g] as QuantizedMultiplier;
    const mim = mi.multiplier;
    const mis = mi.shift;
    const mrm = mr.multiplier;
    const mrs = mr.shift;
    const lutG = g === GATE_CELL ? cellGateLut : sigLut;
    if (wide) {
      const pi = inMult64[g] as Mbqm64ReducedParams;
      const pr = recMult64[g] as Mbqm64ReducedParams;
      for (let r = 0; r < nState; r++) {
        const vi = clamp16(mbqm64ReducedWith(accX[s + r] as number, pi));
        const vr = clamp16(mbqm64ReducedWith(accH[s + r] as number, pr));
        dst[r] = lutG[clamp16(vi + vr) & 0xffff] as number;
      }
    } else {
      for (let r = 0; r < nState; r++) {
        const vi = clamp16(mbqm((accX[s + r] as number) | 0, mim, mis));
        const vr = clamp16(mbqm((accH[s + r] as number) | 0, mrm, mrs));
        dst[r] = lutG[clamp16(vi + vr) & 0xffff] as number;
      }
    }
  };

  const step = (xOff: number, sOff: number, oOff: number): void => {
    // Both FullyConnected products of every gate; h changes only after the output gate.
    accX.set(W.xBias);
    W.xMat.gemv(xf, xOff, accX, 0);
    accH.fill(0);
    W.hMat.gemv(hf, sOff, accH, 0);
    gate(GATE_FORGET);
    gate(GATE_INPUT);
    gate(GATE_CELL);
    // UpdateLstmCell
    const fg = gates[GATE_FORGET];
    const ig = gates[GATE_INPUT];
    const cg = gates[GATE_CELL];
    for (let r = 0; r < nState; r++) {
      let cv = clamp16(mbqm((fg[r] as number) * (c[sOff + r] as number), forgetCellMul.multiplier, forgetCellMul.shift));
      const iv = clamp16(mbqm((ig[r] as number) * (cg[r] as number), inputMul.multiplier, inputMul.shift));
      cv = clamp16(cv + iv);
      if (cellClip > 0) cv = Math.max(Math.min(qCellClip, cv), -qCellClip);
      c[sOff + r] = cv;
    }
    gate(GATE_OUTPUT);
    // UpdateLstmHidden
    const og = gates[GATE_OUTPUT];
    for (let r = 0; r < nState; r++) {
      const t = cellTanhLut[(c[sOff + r] as number) & 0xffff] as number;
      let v = hZp + mbqm(t * (og[r] as number), outputMul.multiplier, outputMul.shift);
      v = v < hMin ? hMin : v > hMax ? hMax : v;
      h[sOff + r] = v;
      hf[sOff + r] = v + hOffset;
      o[oOff + r] = v;
    }
  };

  return (inputs, outputs) => {
    if (!constWeights) {
      W = buildWeights(
        (i) => asI8((inputs[i] as Tensor).data, `operand ${i}`),
        (g) => constBias[g] ?? biasOf((inputs[at(ops.bias, g)] as Tensor).data, 'gate bias'),
      );
    }
    const x = activationData((inputs[LSTM_INPUT] as Tensor).data, wide, 'input');
    h = activationData((inputs[ops.outputState] as Tensor).data, wide, 'output_state');
    o = activationData((outputs[0] as Tensor).data, wide, 'output');
    c = asI16((inputs[ops.cellState] as Tensor).data, 'cell_state');
    toF64(x, 0, xf.length, xOffset, xf, 0);
    toF64(h, 0, hf.length, hOffset, hf, 0);

    for (let t = 0; t < maxTime; t++) {
      for (let b = 0; b < nBatch; b++) {
        const row = timeMajor ? t * nBatch + b : b * maxTime + t;
        step(row * nInput, b * nState, row * nState);
      }
    }
  };
}

/** An activation tensor's data: int16 for the 16x8 LSTM, else int8. */
function activationData(d: unknown, wide: boolean, what: string): Int8Array | Int16Array {
  return wide ? asI16(d, what) : asI8(d, what);
}

/** The weight-derived data of one TFLM integer LSTM: stacked gate products and the input-side biases. */
interface TflmWeights {
  readonly xBias: Float64Array;
  readonly xMat: MatVec;
  readonly hMat: MatVec;
}

/** The TFLM-flavoured int8 (8x8_16) LSTM. */
export function prepareInt8LstmTflm(ctx: KernelContext): KernelFn {
  return prepareIntegerLstmTflm(ctx, '8x8_16');
}
