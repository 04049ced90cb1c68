/**
 * Weighted-op families: conv_2d, depthwise_conv_2d, transpose_conv, fully_connected (also its int8 ->
 * int16 variant) and batch_matmul, over float32, int8 (per-channel or per-tensor weights) and 16x8,
 * with random windows, fused activations, bias types and accumulator depths.
 */
import { type CaseDraft, B, I, S, type QSpec } from './case.js';
import {
  CONV_ACTS,
  NONE,
  type WType,
  WTYPES,
  accOutScale,
  actQ,
  activationElem,
  cycle,
  drawImage,
  drawWindow,
  i32c,
  inp,
  outQ,
  prod,
  qt,
  randomConst,
  scaleOf,
  t,
  weighted,
  windowAttrs,
  windowId,
  windowOut,
} from './build-helpers.js';
import type { Rand } from './rand.js';

/** The bias of a 16x8 op: now and then int32 instead of the default int64 (draws only for 16x8). */
const bias16x8 = (r: Rand, w: WType): 'i32' | 'auto' => (w === '16x8' && r.bool(0.3) ? 'i32' : 'auto');

/** CONV_2D, now and then deep (kh*kw*inC beyond Eigen's 816-deep GEMM blocks) on a small image. */
export function drawConv(r: Rand, i: number): CaseDraft {
  const w = cycle(WTYPES, i);
  const win = drawWindow(r, true);
  const deep = r.bool(0.06);
  const [ih, iw] = drawImage(r, win, deep ? 5 : 10);
  const inC = deep ? r.int(60, 200) : r.int(1, 8);
  const outC = r.int(1, 8);
  const [oh, ow] = windowOut(win, ih, iw);
  const act = r.pick(CONV_ACTS);
  const perTensor = w === 'i8' && r.bool(0.2);
  // TF 2.12's CONV_2D / DEPTHWISE_CONV_2D reject an absent (-1) bias, so there is always one.
  const bias = bias16x8(r, w);
  const { batch, kh, kw } = win;
  const wt = weighted(r, w, [batch, ih, iw, inC], [outC, kh, kw, inC], [batch, oh, ow, outC], outC, 0, kh * kw * inC, { perTensor, bias });
  return {
    id: `conv_2d ${w} in=[${batch},${ih},${iw},${inC}] k=${kh}x${kw}x${outC} ${windowId(win)} ${act}${perTensor ? ' per-tensor' : ''} bias=${bias}`,
    op: 'tfl.conv_2d',
    operands: [inp(wt.x), wt.filter, wt.bias],
    results: [wt.y],
    attrs: { ...windowAttrs(win), fused_activation_function: S(act) },
  };
}

/** DEPTHWISE_CONV_2D with depth multipliers 1-3 (weights per channel along the last axis). */
export function drawDepthwise(r: Rand, i: number): CaseDraft {
  const w = cycle(WTYPES, i);
  const win = drawWindow(r, true);
  const [ih, iw] = drawImage(r, win, 10);
  const inC = r.int(1, 8);
  const mult = r.pick([1, 1, 2, 3]);
  const outC = inC * mult;
  const [oh, ow] = windowOut(win, ih, iw);
  const act = r.pick(CONV_ACTS);
  const perTensor = w === 'i8' && r.bool(0.2);
  const bias = 'auto';
  const { batch, kh, kw } = win;
  const wt = weighted(r, w, [batch, ih, iw, inC], [1, kh, kw, outC], [batch, oh, ow, outC], outC, 3, kh * kw, { perTensor, bias });
  return {
    id: `depthwise_conv_2d ${w} in=[${batch},${ih},${iw},${inC}] k=${kh}x${kw} m=${mult} ${windowId(win)} ${act}${perTensor ? ' per-tensor' : ''} bias=${bias}`,
    op: 'tfl.depthwise_conv_2d',
    operands: [inp(wt.x), wt.filter, wt.bias],
    results: [wt.y],
    attrs: { ...windowAttrs(win), depth_multiplier: I(mult), fused_activation_function: S(act) },
  };
}

/** TRANSPOSE_CONV (no fused activation, optional bias); the output shape is a constant operand. */
export function drawTransposeConv(r: Rand, i: number): CaseDraft {
  const w = cycle(WTYPES, i);
  const win = drawWindow(r, false);
  const ih = r.int(1, 6);
  const iw = r.int(1, 6);
  const inC = r.int(1, 6);
  const outC = r.int(1, 6);
  const { batch, kh, kw, sh, sw } = win;
  // Output size: the inverse of conv's (SAME: in*stride; VALID: (in-1)*stride + k).
  const oh = win.padding === 'SAME' ? ih * sh : (ih - 1) * sh + kh;
  const ow = win.padding === 'SAME' ? iw * sw : (iw - 1) * sw + kw;
  const act = 'NONE';
  const bias = r.bool(0.3) ? 'none' : 'auto';
  const wt = weighted(r, w, [batch, ih, iw, inC], [outC, kh, kw, inC], [batch, oh, ow, outC], outC, 0, Math.ceil((kh * kw * inC) / (sh * sw)), { bias });
  return {
    id: `transpose_conv ${w} in=[${batch},${ih},${iw},${inC}] k=${kh}x${kw}x${outC} ${windowId(win)} bias=${bias}`,
    op: 'tfl.transpose_conv',
    operands: [i32c([batch, oh, ow, outC]), wt.filter, inp(wt.x), wt.bias],
    results: [wt.y],
    attrs: { ...windowAttrs(win), fused_activation_function: S(act) },
  };
}

/** FULLY_CONNECTED, now and then very deep, with or without keep_num_dims. */
export function drawFullyConnected(r: Rand, i: number): CaseDraft {
  const w = cycle(WTYPES, i);
  const depth = r.bool(0.06) ? r.int(600, 2500) : r.int(1, 40);
  const units = r.int(1, 24);
  const keep = r.bool(0.25);
  const lead = keep ? [r.int(1, 3), r.int(1, 3)] : [r.int(1, 4)];
  const xShape = [...lead, depth];
  const yShape = keep ? [...lead, units] : [prod(lead), units];
  const act = r.pick(CONV_ACTS);
  const bias = r.bool(0.2) ? 'none' : bias16x8(r, w);
  const perChannel = w !== 'f32' && r.bool(0.25);
  const wt = weighted(r, w, xShape, [units, depth], yShape, units, 0, depth, { perTensor: !perChannel, bias });
  return {
    id: `fully_connected ${w} x=[${xShape}] units=${units}${keep ? ' keep_num_dims' : ''} ${act}${perChannel ? ' per-channel' : ''} bias=${bias}`,
    op: 'tfl.fully_connected',
    operands: [inp(wt.x), wt.filter, wt.bias],
    results: [wt.y],
    attrs: { fused_activation_function: S(act), keep_num_dims: B(keep), weights_format: S('DEFAULT') },
  };
}

/**
 * FULLY_CONNECTED with int8 input and int16 output. TF 2.12 runs its uint8-input kernel on the int8
 * bytes (x = -128 counts as 128), which qopt's `tflite` flavour reproduces.
 */
export function drawFullyConnectedI8I16(r: Rand): CaseDraft {
  const depth = r.int(1, 32);
  const units = r.int(1, 16);
  const batch = r.int(1, 4);
  const xq = actQ(r, 'i8');
  const act = r.pick(CONV_ACTS);
  const sW = r.scale(0.002, 0.05);
  const sOut = Math.fround(accOutScale(r, scaleOf(xq), sW, depth, 'i8') / 256);
  const hasBias = r.bool(0.7);
  return {
    id: `fully_connected i8->i16 x=[${batch},${depth}] units=${units} ${act}${hasBias ? '' : ' no-bias'}`,
    op: 'tfl.fully_connected',
    operands: [
      inp(t('i8', [batch, depth], xq)),
      randomConst(r, t('i8', [units, depth], qt(sW, 0))),
      hasBias ? randomConst(r, t('i32', [units], qt(Math.fround(scaleOf(xq) * sW), 0)), [-20000, 20000]) : NONE,
    ],
    results: [t('i16', [batch, units], qt(sOut, 0))],
    attrs: { fused_activation_function: S(act), keep_num_dims: B(false), weights_format: S('DEFAULT') },
  };
}

/** BATCH_MATMUL with broadcast batch dimensions, adjoints, now and then a deep k or a constant rhs. */
export function drawBatchMatmul(r: Rand, i: number): CaseDraft {
  const w = cycle(WTYPES, i);
  const m = r.int(1, 6);
  const k = r.bool(0.08) ? r.int(300, 1800) : r.int(1, 12);
  const nn = r.int(1, 6);
  const adjX = r.bool(0.3);
  const adjY = r.bool(0.3);
  const rank = r.int(2, 4);
  const batch = Array.from({ length: rank - 2 }, () => r.int(1, 3));
  const xb = batch.map((d) => (r.bool(0.2) ? 1 : d));
  const yb = batch.map((d, j) => (xb[j] === 1 ? d : r.bool(0.2) ? 1 : d));
  const ob = batch.map((_, j) => Math.max(xb[j]!, yb[j]!));
  const xShape = [...xb, ...(adjX ? [k, m] : [m, k])];
  const yShape = [...yb, ...(adjY ? [nn, k] : [k, nn])];
  const oShape = [...ob, m, nn];
  const constY = r.bool(0.4);
  const dt = activationElem(w);
  let xq: QSpec | undefined;
  let yq: QSpec | undefined;
  let oq: QSpec | undefined;
  if (dt !== 'f32') {
    xq = actQ(r, dt);
    yq = dt === 'i8' ? qt(r.scale(0.002, 0.1), r.bool(0.3) ? r.int(-20, 20) : 0) : qt(r.scale(0.002 / 256, 0.1 / 256), 0);
    oq = outQ(r, dt, accOutScale(r, scaleOf(xq), scaleOf(yq), k, dt), -50, 50);
  }
  const y = t(dt, yShape, yq);
  const yOperand = constY ? randomConst(r, y) : inp(y);
  return {
    id: `batch_matmul ${w} x=[${xShape}] y=[${yShape}]${adjX ? ' adj_x' : ''}${adjY ? ' adj_y' : ''}${constY ? ' const-y' : ''}`,
    op: 'tfl.batch_matmul',
    operands: [inp(t(dt, xShape, xq)), yOperand],
    results: [t(dt, oShape, oq)],
    attrs: { adj_x: B(adjX), adj_y: B(adjY) },
  };
}
