/**
 * Float32 LSTM (`tfl.unidirectional_sequence_lstm` with f32 input/weights/states) and the float cell
 * runner that `tfl.bidirectional_sequence_lstm` reuses.
 *
 * Arithmetic followed: TensorFlow Lite 2.12 `kernels/lstm_eval.cc` `EvalFloat` -> `LstmStepFloat`
 * -> `CalculateLstmGateFloat` / `UpdateLstmCellFloat` / `CalculateLstmOutputFloat`:
 * - each gate: acc = bias (0 with layer norm); acc = W_x·x + acc; [+ W_aux·aux]; acc = W_h·h + acc;
 *   [+ w_peephole .* c]; [layer norm: MeanStddevNormalization (eps 1e-8), * coeff, + bias];
 *   activation (sigmoid for input/forget/output, `fused_activation_function` for the cell gate);
 * - gates in the order input, forget, cell; then c = f .* c + i .* g (CIFG: i = 1 - f), clipped to
 *   ±cell_clip if cell_clip > 0; then the output gate (its peephole sees the *updated* c);
 * - h = o .* act(c); with projection h = W_proj·h + proj_bias, clipped to ±proj_clip if > 0;
 * - time-major: one step over all batches per time step; batch-major: batch by batch, each over time.
 * Every multiply/add is rounded to float32 (Math.fround) in that order; dot products accumulate
 * sequentially. TFLite's builtin computes the dot products with ruy/Eigen (blocked order) and
 * sigmoid/tanh with Eigen's vectorised approximations, so results agree to float rounding (a few ulp per
 * step), not bit for bit.
 *
 * Flavours: 'tflite' as above. 'tflm' follows tflite-micro's general kernel (lstm_eval.h
 * `LstmStep<float>`) where it differs: the hidden state always uses tanh (UpdateLstmHidden), the
 * sigmoid is reference_ops::Logistic (cut-offs 16.619 / -9), and the cell-gate activation must be TANH
 * or SIGMOID (TFLM asserts otherwise). TFLM itself rejects CIFG/peephole/projection/layer norm; this
 * kernel still evaluates them (TFLite semantics) in that flavour.
 */
import {
  KernelError,
  unsupported,
  type KernelContext,
  type KernelFn,
  type Tensor,
  type TensorInfo,
} from '../../../../src/interp/kernel.js';
import {
  GATE_CELL,
  GATE_FORGET,
  GATE_INPUT,
  GATE_OUTPUT,
  LSTM_INPUT,
  UNI_OPERANDS,
  asF32,
  checkOutputShape,
  f32,
  floatActivation,
  inferCell,
  opt,
  parseLstmAttrs,
  sigmoidF32,
  sigmoidF32Tflm,
  tanhF32,
  type LstmAttrs,
  type LstmCellOperands,
  type LstmSizes,
  type LstmVariant,
  at,
} from './lstm-common.js';

/** Operand indices of a cell's optional auxiliary-input weights (bidirectional only). */
export interface AuxOperands {
  /** aux_input_to_{input,forget,cell,output}_weights. */
  readonly weights: readonly [number, number, number, number];
}

/** A prepared float LSTM cell (one direction). */
export interface FloatCell {
  readonly sizes: LstmSizes;
  readonly variant: LstmVariant;
  /**
   * Runs the whole sequence of one direction. `x`/`aux` are the input sequences, `out` the output
   * tensor data written at `outOffset` within rows of `outLeadingDim` values. `h`/`c` are the state
   * arrays (updated in place).
   */
  run(
    inputs: readonly (Tensor | undefined)[],
    x: Float32Array,
    aux: Float32Array | undefined,
    nAux: number,
    out: Float32Array,
    outOffset: number,
    outLeadingDim: number,
    forward: boolean,
  ): void;
}

function checkF32(ctx: KernelContext, t: TensorInfo | undefined, what: string): void {
  if (t && t.dtype !== 'f32') unsupported(ctx, `${what} must be float32 for the float LSTM, got ${t.dtype}`);
}

/**
 * `out[q] = sum_k W[(r0 + q) * n + k] * x[xOff + k]` for q < count (<= 4), each in float32 summed left
 * to right from 0 (TFLite's portable MatrixBatchVectorMultiplyAccumulate order); the four chains run
 * side by side so their adds do not wait on each other.
 */
function rowDots(W: Float32Array, r0: number, count: number, n: number, x: Float32Array, xOff: number, out: Float64Array): void {
  const f32 = Math.fround;
  const w0 = r0 * n - xOff;
  const w1 = count > 1 ? w0 + n : w0;
  const w2 = count > 2 ? w0 + 2 * n : w0;
  const w3 = count > 3 ? w0 + 3 * n : w0;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = xOff, e = xOff + n; k < e; k++) {
    const xv = x[k] as number;
    s0 = f32(s0 + f32((W[w0 + k] as number) * xv));
    s1 = f32(s1 + f32((W[w1 + k] as number) * xv));
    s2 = f32(s2 + f32((W[w2 + k] as number) * xv));
    s3 = f32(s3 + f32((W[w3 + k] as number) * xv));
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

/**
 * Prepares one float cell: validates dtypes, resolves activations for the flavour and returns the
 * sequence runner. `aux` gives the auxiliary weights (bidirectional), `nAux` their column count;
 * `flavour` defaults to the context's.
 */
export function prepareFloatCell(
  ctx: KernelContext,
  ops: LstmCellOperands,
  input: TensorInfo,
  attrs: LstmAttrs,
  aux: AuxOperands | undefined,
  nAux: number,
  flavour: 'tflite' | 'tflm' = ctx.flavour,
): FloatCell {
  const { sizes, variant } = inferCell(ctx, ops, input, attrs.timeMajor);
  const { nCell, nOutput, nInput, nBatch, maxTime, timeMajor } = sizes;
  for (let g = 0; g < 4; g++) {
    checkF32(ctx, opt(ctx, at(ops.inputWeights, g)), 'input weights');
    checkF32(ctx, opt(ctx, at(ops.recurrentWeights, g)), 'recurrent weights');
    checkF32(ctx, opt(ctx, at(ops.peephole, g)), 'peephole weights');
    checkF32(ctx, opt(ctx, at(ops.bias, g)), 'gate bias');
    checkF32(ctx, opt(ctx, at(ops.layerNorm, g)), 'layer norm coefficients');
    if (aux) checkF32(ctx, opt(ctx, at(aux.weights, g)), 'aux input weights');
  }
  checkF32(ctx, opt(ctx, ops.projectionWeights), 'projection weights');
  checkF32(ctx, opt(ctx, ops.projectionBias), 'projection bias');
  checkF32(ctx, opt(ctx, ops.outputState), 'output_state');
  checkF32(ctx, opt(ctx, ops.cellState), 'cell_state');

  const useAux = !!aux && !!opt(ctx, at(aux.weights, GATE_FORGET));
  if (aux && useAux) {
    for (let g = 0; g < 4; g++) {
      const t = opt(ctx, at(aux.weights, g));
      if (g === GATE_INPUT && variant.useCifg) continue;
      if (!t || t.shape.length !== 2 || t.shape[0] !== nCell || t.shape[1] !== nAux) {
        throw new KernelError(`'${ctx.op}' at ${ctx.where}: aux input weights must be [n_cell, n_aux_input] = [${nCell}, ${nAux}]`);
      }
    }
  }

  const tflm = flavour === 'tflm';
  const sigmoid = tflm ? sigmoidF32Tflm : sigmoidF32;
  let cellAct = floatActivation(attrs.activation);
  if (!cellAct) unsupported(ctx, `fused_activation_function ${attrs.activation} is not supported by the float LSTM`);
  let hiddenAct = cellAct;
  if (tflm) {
    // TFLM CalculateLstmGate: only kTfLiteActSigmoid / kTfLiteActTanh; UpdateLstmHidden always uses Tanh.
    if (attrs.activation === 'TANH') cellAct = tanhF32;
    else if (attrs.activation === 'SIGMOID') cellAct = sigmoidF32Tflm;
    else unsupported(ctx, `TFLM's LSTM supports only TANH or SIGMOID cell activations, got ${attrs.activation}`);
    hiddenAct = tanhF32;
  }
  const cellClip = f32(attrs.cellClip);
  const projClip = f32(attrs.projClip);
  const { useCifg, usePeephole, useLayerNorm, useProjection } = variant;

  // Per-row scratch.
  const gates = [new Float32Array(nCell), new Float32Array(nCell), new Float32Array(nCell), new Float32Array(nCell)] as const;
  const hidden = new Float32Array(nCell);
  const projOut = new Float32Array(nOutput);
  const firstGate = useCifg ? GATE_FORGET : GATE_INPUT;

  const data = (inputs: readonly (Tensor | undefined)[], i: number): Float32Array | undefined =>
    i < 0 || !inputs[i] ? undefined : asF32((inputs[i] as Tensor).data, `operand ${i}`);

  const dotX = new Float64Array(4);
  const dotAux = new Float64Array(4);
  const dotH = new Float64Array(4);

  function run(
    inputs: readonly (Tensor | undefined)[],
    x: Float32Array,
    auxX: Float32Array | undefined,
    nAuxRun: number,
    out: Float32Array,
    outOffset: number,
    outLeadingDim: number,
    forward: boolean,
  ): void {
    const iw = ops.inputWeights.map((i) => data(inputs, i));
    const rw = ops.recurrentWeights.map((i) => data(inputs, i));
    const pw = ops.peephole.map((i) => data(inputs, i));
    const bias = ops.bias.map((i) => data(inputs, i));
    const ln = ops.layerNorm.map((i) => data(inputs, i));
    const aw = aux && useAux ? aux.weights.map((i) => data(inputs, i)) : [undefined, undefined, undefined, undefined];
    const proj = data(inputs, ops.projectionWeights);
    const projBias = data(inputs, ops.projectionBias);
    const h = data(inputs, ops.outputState) as Float32Array;
    const c = data(inputs, ops.cellState) as Float32Array;
    const auxData = useAux ? auxX : undefined;

    // One gate for one batch row (CalculateLstmGateFloat).
    const gate = (g: number, xOff: number, auxOff: number, hOff: number, cOff: number): void => {
      const dst = gates[g] as Float32Array;
      const W = iw[g] as Float32Array;
      const R = rw[g] as Float32Array;
      const A = aw[g];
      const P = g === GATE_CELL ? undefined : usePeephole ? pw[g] : undefined;
      const B = bias[g] as Float32Array;
      // Four rows at a time: each dot product is still summed left to right from 0 (independent chains).
      for (let r0 = 0; r0 < nCell; r0 += 4) {
        const count = Math.min(4, nCell - r0);
        rowDots(W, r0, count, nInput, x, xOff, dotX);
        if (A && auxData) rowDots(A, r0, count, nAuxRun, auxData, auxOff, dotAux);
        rowDots(R, r0, count, nOutput, h, hOff, dotH);
        for (let q = 0; q < count; q++) {
          const r = r0 + q;
          let v = f32((dotX[q] as number) + (useLayerNorm ? 0 : (B[r] as number)));
          if (A && auxData) v = f32((dotAux[q] as number) + v);
          v = f32((dotH[q] as number) + v);
          if (P) v = f32(v + f32((P[r] as number) * (c[cOff + r] as number)));
          dst[r] = v;
        }
      }
      if (useLayerNorm) {
        // MeanStddevNormalization, then * coefficient + bias.
        let sum = 0;
        for (let r = 0; r < nCell; r++) sum = f32(sum + (dst[r] as number));
        const mean = f32(sum / nCell);
        let sq = 0;
        for (let r = 0; r < nCell; r++) {
          const diff = f32((dst[r] as number) - mean);
          sq = f32(sq + f32(diff * diff));
        }
        const variance = f32(sq / nCell);
        const inv = f32(1 / f32(Math.sqrt(f32(variance + f32(1e-8)))));
        const L = ln[g] as Float32Array;
        for (let r = 0; r < nCell; r++) {
          const nrm = f32(f32((dst[r] as number) - mean) * inv);
          dst[r] = f32(f32((L[r] as number) * nrm) + (B[r] as number));
        }
      }
      const act = g === GATE_CELL ? (cellAct as (v: number) => number) : sigmoid;
      for (let r = 0; r < nCell; r++) dst[r] = act(dst[r] as number);
    };

    const step = (xOff: number, auxOff: number, hOff: number, cOff: number, outOff: number): void => {
      // ---- gates input, forget, cell (output later: its peephole needs the new cell state) ----
      for (let g = firstGate; g <= GATE_CELL; g++) gate(g, xOff, auxOff, hOff, cOff);

      // ---- cell update ----
      const fg = gates[GATE_FORGET];
      const ig = gates[GATE_INPUT];
      const cg = gates[GATE_CELL];
      for (let r = 0; r < nCell; r++) {
        let cv = f32((fg[r] as number) * (c[cOff + r] as number));
        const iv = useCifg ? f32(1 - (fg[r] as number)) : (ig[r] as number);
        cv = f32(cv + f32((cg[r] as number) * iv));
        if (cellClip > 0) cv = cv > cellClip ? cellClip : cv < -cellClip ? -cellClip : cv;
        c[cOff + r] = cv;
      }

      // ---- output gate, hidden ----
      gate(GATE_OUTPUT, xOff, auxOff, hOff, cOff);
      const og = gates[GATE_OUTPUT];
      for (let r = 0; r < nCell; r++) hidden[r] = f32((og[r] as number) * hiddenAct(c[cOff + r] as number));
      let res: Float32Array = hidden;
      if (useProjection) {
        const P = proj as Float32Array;
        for (let k = 0; k < nOutput; k++) {
          let d = 0;
          const po = k * nCell;
          for (let r = 0; r < nCell; r++) d = f32(d + f32((P[po + r] as number) * (hidden[r] as number)));
          let v = f32(d + (projBias ? (projBias[k] as number) : 0));
          if (projClip > 0) v = v > projClip ? projClip : v < -projClip ? -projClip : v;
          projOut[k] = v;
        }
        res = projOut;
      }
      for (let k = 0; k < nOutput; k++) {
        const v = res[k] as number;
        h[hOff + k] = v;
        out[outOff + k] = v;
      }
    };

    for (let tt = 0; tt < maxTime; tt++) {
      // Loop nesting does not change results (rows are independent); time outer matches time-major.
      const t = forward ? tt : maxTime - 1 - tt;
      for (let b = 0; b < nBatch; b++) {
        const row = timeMajor ? t * nBatch + b : b * maxTime + t;
        step(row * nInput, row * nAuxRun, b * nOutput, b * nCell, row * outLeadingDim + outOffset);
      }
    }
  }

  return { sizes, variant, run };
}

/**
 * Prepares the float `tfl.unidirectional_sequence_lstm`: (f32 input, f32 weights/biases/states) -> f32.
 * `flavoursDiffer`: TFLM always uses tanh for the hidden state and only TANH/SIGMOID cell activations.
 */
export function prepareFloatLstm(ctx: KernelContext): KernelFn {
  const attrs = parseLstmAttrs(ctx, false);
  const input = ctx.inputs[LSTM_INPUT];
  if (!input || input.dtype !== 'f32') unsupported(ctx, 'float LSTM needs a float32 input');
  const cell = prepareFloatCell(ctx, UNI_OPERANDS, input, attrs, undefined, 0);
  const out = checkOutputShape(ctx, ctx.outputs[0], input, cell.sizes.nOutput);
  if (out.dtype !== 'f32') unsupported(ctx, 'float LSTM output must be float32');
  const nOutput = cell.sizes.nOutput;
  return (inputs, outputs) => {
    const x = asF32((inputs[LSTM_INPUT] as Tensor).data, 'input');
    const o = asF32((outputs[0] as Tensor).data, 'output');
    cell.run(inputs, x, undefined, 0, o, 0, nOutput, true);
  };
}
