/**
 * Pooling and reduction families: average_pool_2d / max_pool_2d over random windows, and mean, sum,
 * reduce_max, reduce_min over random (sometimes negatively spelled) axes, in float32, int8 and int16,
 * with output rescaling where TF 2.12 allows it.
 */
import { type CaseDraft, B, I, S, type QSpec } from './case.js';
import { CONV_ACTS, actQ, cycle, drawImage, drawWindow, i32c, inp, maybeActQ, outQ, prod, scaleOf, shortName, t, windowId, windowOut } from './build-helpers.js';
import type { Rand } from './rand.js';

/** AVERAGE_POOL_2D and MAX_POOL_2D, alternating. */
export function drawPool(r: Rand, i: number): CaseDraft {
  const op = i % 2 === 0 ? 'tfl.average_pool_2d' : 'tfl.max_pool_2d';
  const dt = cycle(['f32', 'i8', 'i16'] as const, Math.floor(i / 2));
  const win = drawWindow(r, false);
  const [ih, iw] = drawImage(r, win, 10);
  const c = r.int(1, 6);
  const [oh, ow] = windowOut(win, ih, iw);
  const act = r.pick(CONV_ACTS);
  const q = maybeActQ(r, dt);
  const { batch, kh: fh, kw: fw } = win;
  return {
    id: `${shortName(op)} ${dt} in=[${batch},${ih},${iw},${c}] f=${fh}x${fw} ${windowId(win)} ${act}`,
    op,
    operands: [inp(t(dt, [batch, ih, iw, c], q))],
    results: [t(dt, [batch, oh, ow, c], q)],
    attrs: { filter_height: I(fh), filter_width: I(fw), stride_h: I(win.sh), stride_w: I(win.sw), padding: S(win.padding), fused_activation_function: S(act) },
  };
}

const REDUCE_OPS = ['tfl.mean', 'tfl.sum', 'tfl.reduce_max', 'tfl.reduce_min'] as const;

/** MEAN, SUM, REDUCE_MAX and REDUCE_MIN, cycling through ops then types. */
export function drawReduce(r: Rand, i: number): CaseDraft {
  const op = cycle(REDUCE_OPS, i);
  const dt = cycle(['f32', 'i8', 'i16'] as const, Math.floor(i / 4));
  // Every fourth MEAN is TF 2.12's special 4-D case: axes {1, 2} with keep_dims.
  const hw = op === 'tfl.mean' && i % 16 === 0;
  const rank = hw ? 4 : r.int(1, 4);
  const shape = Array.from({ length: rank }, () => r.int(1, 6));
  const nAxes = hw ? 2 : r.int(1, rank);
  const axes = hw ? r.pick([[1, 2], [2, 1]]) : r.shuffle([...Array(rank).keys()]).slice(0, nAxes);
  // Sometimes spell an axis negatively (TFLite normalizes them).
  const axesSpelled = hw ? axes : axes.map((a) => (r.bool(0.2) ? a - rank : a));
  const keep = hw || r.bool();
  const oShape = keep ? shape.map((d, j) => (axes.includes(j) ? 1 : d)) : shape.filter((_, j) => !axes.includes(j));
  let xq: QSpec | undefined;
  let yq: QSpec | undefined;
  if (dt !== 'f32') {
    xq = actQ(r, dt);
    if (op === 'tfl.reduce_max' || op === 'tfl.reduce_min') yq = xq;
    else if (op === 'tfl.sum' && dt === 'i16') yq = xq; // TF 2.12's int16 SUM requires equal input/output quantization
    else if (op === 'tfl.sum') {
      const cnt = prod(axes.map((a) => shape[a]!));
      yq = outQ(r, dt, scaleOf(xq) * Math.sqrt(cnt) * r.float(0.7, 2), -50, 50);
    } else yq = r.bool(0.4) ? xq : outQ(r, dt, scaleOf(xq) * r.float(0.3, 2), -80, 80);
  }
  return {
    id: `${shortName(op)} ${dt} in=[${shape}] axes=[${axesSpelled}]${keep ? ' keep_dims' : ''}${xq && yq && xq !== yq ? ' rescale' : ''}`,
    op,
    operands: [inp(t(dt, shape, xq)), i32c(axesSpelled)],
    results: [t(dt, oShape, yq)],
    attrs: { keep_dims: B(keep) },
  };
}
