/**
 * Integer "8x8_16" LSTM as TensorFlow Lite 2.12's builtin kernel computes it (flavour 'tflite'):
 * int8 input/output/hidden state, int8 weights, int32 gate biases, int16 cell state with a power-of-two
 * scale, 5 op intermediates; CIFG, peephole (int16 weights), layer norm (int16 coefficients) and
 * projection (int8 weights, int32 bias) supported.
 *
 * Prepare follows `unidirectional_sequence_lstm.cc` `PopulateQuantizedLstmParams8x8_16` and
 * `PopulatePrecomputedZPTimesWeightsWithBias`:
 * - intermediate scales: intermediates 0..3 (input/forget/cell/output gate matmul results) with layer
 *   norm, else 2^-12 (Q3.12); intermediate 4 = the hidden (o .* tanh(c)) scale and zero point;
 * - effective scales computed in **float32**: w_x*s_x/s_gate, w_h*s_h/s_gate, w_proj*s_hidden/s_h;
 *   hidden = 2^-15/s_hidden*2^-15 and peephole 2^cell_scale*w_c/s_gate in double then stored as float;
 *   each -> QuantizeMultiplier; layer norm scales -> QuantizeMultiplier(coefficient scale);
 *   variance guard = max(1, (int)(10000 * ln_scale));
 * - cell scale must be a power of two (CheckedLog2); quantized cell clip = (int16)clamp(clip/scale)
 *   and projection clip = (int8)clamp(clip/output_scale) in float;
 * - zero points folded into int32 "effective biases": x-side bias + (-zp_x)*rowsum(W_x) (no gate bias
 *   with layer norm: it is applied inside the layer norm), h-side (-zp_h)*rowsum(W_h), projection
 *   proj_bias + (+hidden_zp)*rowsum(W_proj) (upstream passes the hidden zero point un-negated; kept).
 * Eval follows `lstm_eval.cc` `EvalInteger8x8_16` -> `LstmStepInteger8x8_16` with the portable
 * `tensor_utils` (reference/portable_tensor_utils.cc):
 * - gate = sat16(MBQM(bias_x + x·W_x) + 0); gate = sat16(MBQM(bias_h + h·W_h) + gate)
 *   (MatrixBatchVectorMultiplyAccumulate), peephole sat16(MBQM(w_c*c) + gate), ApplyLayerNorm,
 *   ApplySigmoid (gemmlowp logistic Q3.12->Q0.15) or ApplyTanh(3) for the cell gate (always tanh);
 * - c = (int16)RDBPOT(f*c, 15); c = sat16(c + (int16)RDBPOT(i*g, 30 + cell_scale)) (CIFG: i = 32767 - f);
 *   clip if quantized clip > 0;
 * - hidden = sat8(MBQM(o * ApplyTanh(15 + cell_scale)(c)) **-** hidden_zp): TF 2.12's
 *   `PortableCwiseMul(..., output_zp, int8_t*)` subtracts the zero point (newer LiteRT adds it; verified
 *   against tfjs-tflite on dtln's second LSTM, whose hidden zero point is -4); with projection
 *   h = sat8(MBQM(proj_bias_eff + hidden·W_proj) + zp_h) - the projection bias' `+hidden_zp*rowsum`
 *   undoes the subtraction - clipped if quantized proj clip > 0; without projection h = hidden.
 * MBQM = MultiplyByQuantizedMultiplier (double rounding, TFLite's default build).
 * The x·W_x and h·W_h products of all gates run as one stacked exact product per operand
 * (lstm-matvec.ts, two int8 rows per float64 multiply), built at prepare from the constant weights.
 *
 * Like TFLite, a step covers all batch rows at once when time-major and one row at a time otherwise;
 * this matters only for the peephole quirk: upstream passes v_size = n_output to
 * VectorBatchVectorCwiseProductAccumulate, so with a projection (n_output < n_cell) the peephole walks
 * the flattened gate/cell arrays in chunks of n_output - reproduced as is.
 * Not supported (unsupported()): peephole with n_output > n_cell (upstream reads out of bounds),
 * per-channel weights, cell scales with 15 + log2(scale) outside 0..6.
 *
 * Verified bit-exact against tfjs-tflite (TFLite ~2.12) on random single-op models covering every
 * option above and on the LSTMs of dtln_noise_suppression and mnist_lstm int8 (lstm-oracle.test.ts).
 */
import { KernelError, unsupported, type KernelContext, type KernelFn, type Tensor, type TensorInfo } from '../../../../src/interp/kernel.js';
import { mbqm, quantizeMultiplier, rdbpot, type QuantizedMultiplier } from '../../../../src/interp/fixedpoint.js';
import {
  GATE_CELL,
  GATE_FORGET,
  GATE_INPUT,
  GATE_OUTPUT,
  LSTM_INPUT,
  UNI_OPERANDS,
  asI16,
  asI32,
  asI8,
  checkOutputShape,
  checkedLog2,
  clamp16,
  f32,
  getInvSqrtQuantizedMultiplierExp,
  inferCell,
  opt,
  parseLstmAttrs,
  perTensor,
  tfliteSigmoidLut,
  tfliteTanhLut,
  w16,
  at,
} from './lstm-common.js';
import { matVec, stackRows, toF64, type MatVec } from './lstm-matvec.js';

function clamp8(x: number): number {
  return x > 127 ? 127 : x < -128 ? -128 : x;
}

/** int32 row sums of an int8 [rows, cols] matrix (TFLite MatrixScalarMultiplyAccumulate's row_sum). */
function rowSums(w: Int8Array, rows: number, cols: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += w[r * cols + k] as number;
    out[r] = s;
  }
  return out;
}

/** PrecomputeZeroPointTimesWeightWithBias: bias (or 0) + zp * rowsum(W), int32 wrap-around. */
export function zpTimesWeightWithBias(zp: number, w: Int8Array, rows: number, cols: number, bias: Int32Array | undefined): Int32Array {
  const out = new Int32Array(rows);
  const rs = rowSums(w, rows, cols);
  for (let r = 0; r < rows; r++) {
    const b = bias ? (bias[r] as number) : 0;
    out[r] = zp !== 0 ? (b + Math.imul(rs[r] as number, zp)) | 0 : b;
  }
  return out;
}

/**
 * Prepares the TFLite 2.12 integer 8x8_16 `tfl.unidirectional_sequence_lstm`
 * (i8 input, i8 weights, i32 biases, i16 peephole/layer-norm, i8 hidden, i16 cell) -> i8.
 */
export function prepareIntegerLstmTflite(ctx: KernelContext): KernelFn {
  const ops = UNI_OPERANDS;
  const attrs = parseLstmAttrs(ctx, false);
  const input = ctx.inputs[LSTM_INPUT];
  if (!input || input.dtype !== 'i8') unsupported(ctx, 'the 8x8_16 integer LSTM needs an int8 input');
  const { sizes, variant } = inferCell(ctx, ops, input, attrs.timeMajor);
  const { nBatch, maxTime, nInput, nCell, nOutput, timeMajor } = sizes;
  const { useCifg, usePeephole, useLayerNorm, useProjection } = variant;
  const out = checkOutputShape(ctx, ctx.outputs[0], input, nOutput);

  const need = (t: TensorInfo | undefined, dtype: string, what: string): void => {
    if (t && t.dtype !== dtype) unsupported(ctx, `${what} must be ${dtype} in the 8x8_16 LSTM, got ${t.dtype}`);
  };
  for (let g = 0; g < 4; g++) {
    need(opt(ctx, at(ops.inputWeights, g)), 'i8', 'input weights');
    need(opt(ctx, at(ops.recurrentWeights, g)), 'i8', 'recurrent weights');
    need(opt(ctx, at(ops.peephole, g)), 'i16', 'peephole weights');
    need(opt(ctx, at(ops.bias, g)), 'i32', 'gate biases');
    need(opt(ctx, at(ops.layerNorm, g)), 'i16', 'layer norm coefficients');
  }
  need(opt(ctx, ops.projectionWeights), 'i8', 'projection weights');
  need(opt(ctx, ops.projectionBias), 'i32', 'projection bias');
  const outputState = opt(ctx, ops.outputState) as TensorInfo;
  const cellState = opt(ctx, ops.cellState) as TensorInfo;
  need(outputState, 'i8', 'output_state');
  need(cellState, 'i16', 'cell_state');
  need(out, 'i8', 'output');
  if (usePeephole && nOutput > nCell) {
    unsupported(ctx, 'integer peephole with n_output > n_cell (TFLite reads past the peephole weights)');
  }
  if (ctx.intermediates.length !== 5) unsupported(ctx, `the 8x8_16 LSTM needs 5 intermediates, got ${ctx.intermediates.length}`);

  // ---- PopulateQuantizedLstmParams8x8_16 ----
  const qIn = perTensor(ctx, input, 'input');
  const qOs = perTensor(ctx, outputState, 'output_state');
  const qCell = perTensor(ctx, cellState, 'cell_state');
  const qOut = perTensor(ctx, out, 'output');
  const cl = checkedLog2(qCell.scale);
  if (!cl.ok) unsupported(ctx, `cell state scale ${qCell.scale} is not a power of two`);
  const cellScale = cl.log2;
  const tanhBits = 15 + cellScale;
  if (tanhBits < 0 || tanhBits > 6) unsupported(ctx, `cell state scale 2^${cellScale} is outside TFLite's tanh range (2^-15..2^-9)`);

  const cellClipF = f32(attrs.cellClip);
  const projClipF = f32(attrs.projClip);
  const qCellClip = cellClipF > 0 ? Math.trunc(Math.min(Math.max(f32(cellClipF / f32(qCell.scale)), -32768), 32767)) : 0;
  const qProjClip = projClipF > 0 ? Math.trunc(Math.min(Math.max(f32(projClipF / f32(qOut.scale)), -128), 127)) : 0;

  const interScale: number[] = [];
  for (let i = 0; i < 4; i++) {
    if (useLayerNorm) {
      const it = ctx.intermediates[i] as TensorInfo;
      interScale.push(f32(perTensor(ctx, it, `intermediate ${i}`).scale));
    } else {
      interScale.push(2 ** -12);
    }
  }
  const hiddenQ = perTensor(ctx, ctx.intermediates[4] as TensorInfo, 'intermediate 4 (hidden)');
  const interHidden = f32(hiddenQ.scale);
  const hiddenZp = hiddenQ.zeroPoint;

  const scaleOf = (i: number): number => {
    const t = opt(ctx, i);
    return t ? f32(perTensor(ctx, t, `operand ${i}`).scale) : 1;
  };
  const sIn = f32(qIn.scale);
  const sOs = f32(qOs.scale);
  const effIn: QuantizedMultiplier[] = [];
  const effRec: QuantizedMultiplier[] = [];
  const effCell: QuantizedMultiplier[] = [];
  const lnScale: QuantizedMultiplier[] = [];
  const varianceGuard: number[] = [];
  for (let g = 0; g < 4; g++) {
    const present = !(g === GATE_INPUT && useCifg);
    const eIn = present ? f32(f32(scaleOf(at(ops.inputWeights, g)) * sIn) / (interScale[g] as number)) : 1;
    const eRec = present ? f32(f32(scaleOf(at(ops.recurrentWeights, g)) * sOs) / (interScale[g] as number)) : 1;
    effIn.push(quantizeMultiplier(eIn));
    effRec.push(quantizeMultiplier(eRec));
    let eCell = 1;
    if (usePeephole && present && g !== GATE_CELL) {
      eCell = f32((2 ** cellScale * scaleOf(at(ops.peephole, g))) / (interScale[g] as number));
    }
    effCell.push(quantizeMultiplier(eCell));
    const ls = useLayerNorm && present ? scaleOf(at(ops.layerNorm, g)) : 1;
    lnScale.push(quantizeMultiplier(ls));
    varianceGuard.push(Math.max(1, Math.trunc(f32(10000 * ls))));
  }
  const effHidden = quantizeMultiplier(f32((2 ** -15 / interHidden) * 2 ** -15));
  const effProj = quantizeMultiplier(f32(f32((useProjection ? scaleOf(ops.projectionWeights) : 1) * interHidden) / sOs));

  // ---- PopulatePrecomputedZPTimesWeightsWithBias (needs the constant weights) ----
  const constI8 = (i: number): Int8Array | undefined => {
    const t = opt(ctx, i);
    return t?.data instanceof Int8Array ? t.data : undefined;
  };
  const constI16 = (i: number): Int16Array | undefined => {
    const t = opt(ctx, i);
    return t?.data instanceof Int16Array ? t.data : undefined;
  };
  const constI32 = (i: number): Int32Array | undefined => {
    const t = opt(ctx, i);
    return t?.data instanceof Int32Array ? t.data : undefined;
  };
  const computeEffectiveBiases = (
    w8: (i: number) => Int8Array | undefined,
    w32: (i: number) => Int32Array | undefined,
  ): { inB: (Int32Array | undefined)[]; recB: (Int32Array | undefined)[]; projB: Int32Array | undefined } => {
    const inB: (Int32Array | undefined)[] = [];
    const recB: (Int32Array | undefined)[] = [];
    for (let g = 0; g < 4; g++) {
      const W = w8(at(ops.inputWeights, g));
      const R = w8(at(ops.recurrentWeights, g));
      inB.push(W ? zpTimesWeightWithBias(-qIn.zeroPoint, W, nCell, nInput, useLayerNorm ? undefined : w32(at(ops.bias, g))) : undefined);
      recB.push(R ? zpTimesWeightWithBias(-qOs.zeroPoint, R, nCell, nOutput, undefined) : undefined);
    }
    const P = w8(ops.projectionWeights);
    const projB = P ? zpTimesWeightWithBias(hiddenZp, P, nOutput, nCell, w32(ops.projectionBias)) : undefined;
    return { inB, recB, projB };
  };

  // The matmuls of all present gates run as one stacked product per operand (x and h): row block
  // slot[g] of the accumulators holds gate g. int8 values times int8 weights (|.| <= 128 each).
  const present = useCifg ? [GATE_FORGET, GATE_CELL, GATE_OUTPUT] : [GATE_INPUT, GATE_FORGET, GATE_CELL, GATE_OUTPUT];
  const slot = [-1, -1, -1, -1];
  present.forEach((g, i) => (slot[g] = i));
  const stride = present.length * nCell;
  const noOffsets = present.map(() => 0);
  const must = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new KernelError(`'${ctx.op}' at ${ctx.where}: missing ${what}`);
    return v;
  };
  const buildWeights = (w8: (i: number) => Int8Array | undefined, w32: (i: number) => Int32Array | undefined): LstmWeights => {
    const eb = computeEffectiveBiases(w8, w32);
    const xBias = new Float64Array(stride);
    const hBias = new Float64Array(stride);
    present.forEach((g, i) => {
      xBias.set(must(eb.inB[g], 'input weights'), i * nCell);
      hBias.set(must(eb.recB[g], 'recurrent weights'), i * nCell);
    });
    const xs = present.map((g) => must(w8(at(ops.inputWeights, g)), 'input weights'));
    const hs = present.map((g) => must(w8(at(ops.recurrentWeights, g)), 'recurrent weights'));
    const P = useProjection ? must(w8(ops.projectionWeights), 'projection weights') : undefined;
    return {
      xBias,
      hBias,
      xMat: matVec(stackRows(xs, noOffsets, nCell, nInput), stride, nInput, 128),
      hMat: matVec(stackRows(hs, noOffsets, nCell, nOutput), stride, nOutput, 128),
      projMat: P ? matVec(stackRows([P], [0], nOutput, nCell), nOutput, nCell, 128) : undefined,
      projBias: P ? Float64Array.from(must(eb.projB, 'projection weights')) : undefined,
    };
  };
  const allConst =
    ops.inputWeights.every((i, g) => (g === GATE_INPUT && useCifg) || !!constI8(i)) &&
    ops.recurrentWeights.every((i, g) => (g === GATE_INPUT && useCifg) || !!constI8(i)) &&
    ops.bias.every((i, g) => (g === GATE_INPUT && useCifg) || !!constI32(i)) &&
    (!useProjection || !!constI8(ops.projectionWeights)) &&
    (!variant.useProjectionBias || !!constI32(ops.projectionBias));
  const constWeights = allConst ? buildWeights(constI8, constI32) : undefined;

  const sigmoidLut = tfliteSigmoidLut();
  const tanh3Lut = tfliteTanhLut(3);
  const tanhCellLut = tfliteTanhLut(tanhBits);
  const firstGate = useCifg ? GATE_FORGET : GATE_INPUT;
  // Scratch for a whole step: all batch rows (time-major) or one row (batch-major), as in TFLite.
  const gates = [0, 1, 2, 3].map(() => new Int16Array(nBatch * nCell));
  const accX = new Float64Array(nBatch * stride);
  const accH = new Float64Array(nBatch * stride);
  const hidden = new Float64Array(nBatch * nCell);
  const projAcc = new Float64Array(nBatch * nOutput);
  const xf = new Float64Array(nBatch * maxTime * nInput);
  const hf = new Float64Array(nBatch * nOutput);
  const osZp = qOs.zeroPoint;
  const shiftIg = 30 + cellScale;

  // Small operands (peephole, layer norm coefficients and their biases): constant ones are read once.
  const pwConst = ops.peephole.map(constI16);
  const lnConst = ops.layerNorm.map(constI16);
  const biasConst = ops.bias.map(constI32);
  const pw = pwConst.slice();
  const ln = lnConst.slice();
  const lnBias = biasConst.slice();

  // Per-invoke tensors, set at the start of every invoke.
  let W = constWeights as LstmWeights;
  let h: Int8Array = new Int8Array(0);
  let c: Int16Array = new Int16Array(0);
  let o: Int8Array = new Int8Array(0);

  // CalculateLstmGateInteger8x8_16 for `rows` consecutive batch rows, from the stacked accumulators.
  const gate = (g: number, rows: number, cOff: number): void => {
    const dst = gates[g] as Int16Array;
    const s = (slot[g] as number) * nCell;
    const mx = effIn[g] as QuantizedMultiplier;
    const mh = effRec[g] as QuantizedMultiplier;
    const mxm = mx.multiplier;
    const mxs = mx.shift;
    const mhm = mh.multiplier;
    const mhs = mh.shift;
    for (let b = 0; b < rows; b++) {
      const ab = b * stride + s;
      const db = b * nCell;
      for (let r = 0; r < nCell; r++) {
        const v = clamp16(mbqm((accX[ab + r] as number) | 0, mxm, mxs));
        dst[db + r] = clamp16(mbqm((accH[ab + r] as number) | 0, mhm, mhs) + v);
      }
    }
    const P = g === GATE_CELL || !usePeephole ? undefined : pw[g];
    if (P) {
      // VectorBatchVectorCwiseProductAccumulate(w, v_size = n_output, cell, n_batch, ...): upstream
      // passes n_output, so with a projection (n_output < n_cell) it walks the flattened gate and cell
      // arrays in chunks of n_output. Reproduced as is.
      const mc = effCell[g] as QuantizedMultiplier;
      const total = rows * nOutput;
      for (let k = 0; k < total; k++) {
        const prod = mbqm((P[k % nOutput] as number) * (c[cOff + k] as number), mc.multiplier, mc.shift);
        dst[k] = clamp16(prod + (dst[k] as number));
      }
    }
    if (useLayerNorm) {
      for (let b = 0; b < rows; b++) {
        applyLayerNormRow(dst.subarray(b * nCell, (b + 1) * nCell), ln[g] as Int16Array, lnBias[g] as Int32Array, lnScale[g] as QuantizedMultiplier, varianceGuard[g] as number, nCell);
      }
    }
    const lutG = g === GATE_CELL ? tanh3Lut : sigmoidLut;
    const n = rows * nCell;
    for (let r = 0; r < n; r++) dst[r] = lutG[(dst[r] as number) & 0xffff] as number;
  };

  // LstmStepInteger8x8_16 over `rows` consecutive batch rows.
  const step = (rows: number, xOff: number, hOff: number, cOff: number, oOff: number): void => {
    // MatrixBatchVectorMultiplyAccumulate of every gate; h changes only after the output gate.
    for (let b = 0; b < rows; b++) {
      accX.set(W.xBias, b * stride);
      W.xMat.gemv(xf, xOff + b * nInput, accX, b * stride);
      accH.set(W.hBias, b * stride);
      W.hMat.gemv(hf, hOff + b * nOutput, accH, b * stride);
    }
    for (let g = firstGate; g <= GATE_CELL; g++) gate(g, rows, cOff);
    // UpdateLstmCellInteger
    const fg = gates[GATE_FORGET] as Int16Array;
    const ig = gates[GATE_INPUT] as Int16Array;
    const cg = gates[GATE_CELL] as Int16Array;
    const n = rows * nCell;
    for (let r = 0; r < n; r++) {
      const f = fg[r] as number;
      let cv = w16(rdbpot(f * (c[cOff + r] as number), 15));
      const iv = useCifg ? w16(32767 - f) : (ig[r] as number);
      cv = clamp16(cv + w16(rdbpot(iv * (cg[r] as number), shiftIg)));
      if (qCellClip > 0) cv = cv > qCellClip ? qCellClip : cv < -qCellClip ? -qCellClip : cv;
      c[cOff + r] = cv;
    }
    gate(GATE_OUTPUT, rows, cOff);
    // CalculateLstmOutputInteger8x8_16
    const og = gates[GATE_OUTPUT] as Int16Array;
    const hm = effHidden.multiplier;
    const hs = effHidden.shift;
    if (useProjection) {
      for (let r = 0; r < n; r++) {
        const t = tanhCellLut[(c[cOff + r] as number) & 0xffff] as number;
        // TF 2.12 PortableCwiseMul(..., output_zp, int8*) does `value -= output_zp` (later LiteRT adds it).
        hidden[r] = clamp8(mbqm((og[r] as number) * t, hm, hs) - hiddenZp);
      }
      const PM = W.projMat as MatVec;
      const pb = W.projBias as Float64Array;
      const pm = effProj.multiplier;
      const ps = effProj.shift;
      for (let b = 0; b < rows; b++) {
        const pa = b * nOutput;
        projAcc.set(pb, pa);
        PM.gemv(hidden, b * nCell, projAcc, pa);
        for (let k = 0; k < nOutput; k++) {
          let v = clamp8(mbqm((projAcc[pa + k] as number) | 0, pm, ps) + osZp);
          if (qProjClip > 0) v = v > qProjClip ? qProjClip : v < -qProjClip ? -qProjClip : v;
          h[hOff + pa + k] = v;
          hf[hOff + pa + k] = v;
          o[oOff + pa + k] = v;
        }
      }
    } else {
      for (let r = 0; r < n; r++) {
        const t = tanhCellLut[(c[cOff + r] as number) & 0xffff] as number;
        const v = clamp8(mbqm((og[r] as number) * t, hm, hs) - hiddenZp);
        h[hOff + r] = v;
        hf[hOff + r] = v;
        o[oOff + r] = v;
      }
    }
  };

  return (inputs, outputs) => {
    if (!constWeights) W = buildWeights((i) => d8(inputs, i), (i) => d32(inputs, i));
    for (let g = 0; g < 4; g++) {
      if (!pwConst[g]) pw[g] = d16(inputs, at(ops.peephole, g));
      if (!lnConst[g]) ln[g] = d16(inputs, at(ops.layerNorm, g));
      if (!biasConst[g]) lnBias[g] = d32(inputs, at(ops.bias, g));
    }
    const x = d8(inputs, LSTM_INPUT) as Int8Array;
    h = d8(inputs, ops.outputState) as Int8Array;
    c = d16(inputs, ops.cellState) as Int16Array;
    o = asI8((outputs[0] as Tensor).data, 'output');
    toF64(x, 0, xf.length, 0, xf, 0);
    toF64(h, 0, hf.length, 0, hf, 0);

    if (timeMajor) {
      for (let t = 0; t < maxTime; t++) step(nBatch, t * nBatch * nInput, 0, 0, t * nBatch * nOutput);
    } else {
      for (let b = 0; b < nBatch; b++) {
        for (let t = 0; t < maxTime; t++) {
          const row = b * maxTime + t;
          step(1, row * nInput, b * nOutput, b * nCell, row * nOutput);
        }
      }
    }
  };
}

/** The weight-derived data of one 8x8_16 LSTM: stacked gate products and effective biases. */
interface LstmWeights {
  /** Effective x-side biases of the present gates, stacked like the product rows. */
  readonly xBias: Float64Array;
  /** Effective h-side biases (zero point times row sums). */
  readonly hBias: Float64Array;
  readonly xMat: MatVec;
  readonly hMat: MatVec;
  readonly projMat: MatVec | undefined;
  readonly projBias: Float64Array | undefined;
}

function d8(inputs: readonly (Tensor | undefined)[], i: number): Int8Array | undefined {
  const t = i >= 0 ? inputs[i] : undefined;
  return t ? asI8(t.data, `operand ${i}`) : undefined;
}
function d16(inputs: readonly (Tensor | undefined)[], i: number): Int16Array | undefined {
  const t = i >= 0 ? inputs[i] : undefined;
  return t ? asI16(t.data, `operand ${i}`) : undefined;
}
function d32(inputs: readonly (Tensor | undefined)[], i: number): Int32Array | undefined {
  const t = i >= 0 ? inputs[i] : undefined;
  return t ? asI32(t.data, `operand ${i}`) : undefined;
}

/** portable ApplyLayerNorm on one row of `n` int16 values, in place. */
export function applyLayerNormRow(
  row: Int16Array,
  weights: Int16Array,
  bias: Int32Array,
  scale: QuantizedMultiplier,
  varianceLimit: number,
  n: number,
): void {
  let sum = 0;
  let sumSq = 0;
  for (let j = 0; j < n; j++) {
    const v = row[j] as number;
    sum += v;
    sumSq += v * v;
  }
  const mean = Math.trunc((sum * 1024) / n);
  const temp = Math.trunc((1 << 20) / n);
  const variance = sumSq * temp - mean * mean;
  let variance2 = Math.trunc(variance / (1 << 20)) | 0;
  if (variance2 < 1) variance2 = varianceLimit;
  const inv = getInvSqrtQuantizedMultiplierExp(variance2, -1);
  for (let j = 0; j < n; j++) {
    const shifted = (1024 * (row[j] as number) - mean) | 0;
    const rescaled = mbqm(shifted, inv.multiplier, inv.shift);
    const val3 = (Math.imul(rescaled, weights[j] as number) + (bias[j] as number)) | 0;
    const val4 = Math.trunc((val3 > 0 ? val3 + 512 : val3 - 512) / 1024);
    row[j] = clamp16(mbqm(val4, scale.multiplier, scale.shift + 12));
  }
}
