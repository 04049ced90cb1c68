/**
 * Element-wise families: broadcasting binary ops (add, sub, mul, div, maximum, minimum,
 * squared_difference), unary math, activations, softmax / log_softmax and quantize / dequantize, in
 * float32, int8, int16 (and int32 where TFLite has it), with the output quantizations TF 2.12 accepts.
 */
import { type Attribute, typeAttr } from '../../../src/ir/attribute.js';
import { type CaseDraft, B, type Elem, F, type InputGen, type QSpec, S, tensorTypeOf } from './case.js';
import { type QElem, actQ, cycle, inp, maybeActQ, outQ, qt, randomShape, scaleOf, shortName, t } from './build-helpers.js';
import type { Rand } from './rand.js';

/** Broadcast-compatible shapes `[a, b, out]` for a binary op; `b` may have a lower rank. */
function broadcastShapes(r: Rand, maxRank: number): [number[], number[], number[]] {
  const rank = r.int(1, maxRank);
  const out = Array.from({ length: rank }, () => r.int(1, 5));
  const mode = r.int(0, 3);
  if (mode === 0) return [out, [...out], out];
  const a = out.map((d) => (r.bool(0.3) ? 1 : d));
  const bRank = mode === 3 ? r.int(0, rank) : rank; // lower-rank rhs (leading dims dropped)
  const b = out.map((d, j) => (j < rank - bRank ? 1 : a[j] === 1 ? d : r.bool(0.3) ? 1 : d));
  const outShape = out.map((_, j) => Math.max(a[j]!, b[j]!));
  return [a, b.slice(rank - bRank), outShape];
}

const BINARY_COMBOS: readonly (readonly [string, Elem])[] = [
  ['tfl.add', 'f32'],
  ['tfl.add', 'i8'],
  ['tfl.add', 'i16'],
  ['tfl.sub', 'f32'],
  ['tfl.sub', 'i8'],
  ['tfl.sub', 'i16'],
  ['tfl.mul', 'f32'],
  ['tfl.mul', 'i8'],
  ['tfl.mul', 'i16'],
  ['tfl.div', 'f32'],
  ['tfl.maximum', 'f32'],
  ['tfl.maximum', 'i8'],
  ['tfl.maximum', 'i16'],
  ['tfl.minimum', 'f32'],
  ['tfl.minimum', 'i8'],
  ['tfl.minimum', 'i16'],
  ['tfl.squared_difference', 'f32'],
  ['tfl.squared_difference', 'i8'],
  ['tfl.add', 'i32'],
  ['tfl.mul', 'i32'],
  ['tfl.sub', 'i32'],
];

/** Broadcasting binary ops; int16 add/sub exercise both of TFLite's paths (general rescale, POT). */
export function drawElementwise(r: Rand, i: number): CaseDraft {
  const [op, dt] = cycle(BINARY_COMBOS, i);
  const addSub = op === 'tfl.add' || op === 'tfl.sub';
  const hasAct = addSub || op === 'tfl.mul' || op === 'tfl.div';
  const act = hasAct && dt !== 'i32' ? r.pick(['NONE', 'NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1']) : 'NONE';
  // TF 2.12's int16 POT add/sub does not broadcast (TFLite aborts), so that path gets equal shapes.
  const potCase = addSub && dt === 'i16' && r.bool(0.3);
  const shapes = broadcastShapes(r, 4);
  const [as, bs, os] = potCase ? [shapes[2], shapes[2], shapes[2]] : shapes;
  const sameScale = op === 'tfl.maximum' || op === 'tfl.minimum';
  let aq: QSpec | undefined;
  let bq: QSpec | undefined;
  let oq: QSpec | undefined;
  if (dt === 'i8' || dt === 'i16') {
    aq = actQ(r, dt);
    bq = sameScale ? aq : actQ(r, dt);
    const [sa, sb] = [scaleOf(aq), scaleOf(bq)];
    if (sameScale) oq = aq;
    else if (op === 'tfl.mul') oq = outQ(r, dt, sa * sb * (dt === 'i8' ? 128 : 32768) * r.float(0.3, 1.5), -50, 50);
    else if (op === 'tfl.squared_difference') oq = qt(Math.max(sa, sb) ** 2 * 128 * r.float(0.5, 2), r.int(-100, -20));
    else oq = outQ(r, dt, Math.max(sa, sb) * r.float(0.8, 2.5), -50, 50);
  }
  const aGen: InputGen | undefined = dt === 'i32' ? { kind: 'range', lo: -3000, hi: 3000 } : dt === 'f32' ? { kind: 'range', lo: -4, hi: 4 } : undefined;
  const bGen: InputGen | undefined = op === 'tfl.div' ? { kind: 'range', lo: 0.25, hi: 4 } : aGen;
  const attrs: Record<string, Attribute> = hasAct ? { fused_activation_function: S(act) } : {};
  let pot = '';
  if (addSub && dt === 'i16') {
    if (potCase) {
      // TF 2.12's POT path needs one input scale equal to the output scale.
      const ea = r.int(-14, -8);
      const eb = ea + r.int(-2, 2);
      aq = qt(2 ** ea, 0);
      bq = qt(2 ** eb, 0);
      oq = qt(2 ** Math.max(ea, eb), 0);
    }
    attrs['pot_scale_int16'] = B(potCase);
    pot = potCase ? ' pot' : ' general';
  }
  return {
    id: `${shortName(op)} ${dt} a=[${as}] b=[${bs}] ${act}${pot}`,
    op,
    operands: [inp(t(dt, as, aq), aGen), inp(t(dt, bs, bq), bGen)],
    results: [t(dt, os, oq)],
    attrs,
  };
}

const UNARY_COMBOS: readonly (readonly [string, Elem, 'same' | 'rescale' | 'none', InputGen | undefined])[] = [
  ['tfl.abs', 'f32', 'none', { kind: 'range', lo: -3, hi: 3 }],
  ['tfl.abs', 'i8', 'rescale', undefined],
  ['tfl.abs', 'i16', 'rescale', undefined],
  ['tfl.neg', 'f32', 'none', { kind: 'range', lo: -3, hi: 3 }],
  ['tfl.neg', 'i32', 'none', { kind: 'range', lo: -100000, hi: 100000 }],
  ['tfl.sqrt', 'f32', 'none', { kind: 'range', lo: 0, hi: 10 }],
  ['tfl.rsqrt', 'f32', 'none', { kind: 'range', lo: 0.01, hi: 10 }],
  ['tfl.rsqrt', 'i8', 'rescale', undefined],
];

/** Unary math: abs, neg, sqrt, rsqrt (quantized ones sometimes rescaling). */
export function drawUnary(r: Rand, i: number): CaseDraft {
  const [op, dt, qk, gen] = cycle(UNARY_COMBOS, i);
  const shape = randomShape(r);
  let xq: QSpec | undefined;
  let yq: QSpec | undefined;
  if (qk !== 'none') {
    const qdt = dt as QElem;
    xq = actQ(r, qdt);
    if (op === 'tfl.rsqrt') {
      // rsqrt needs positive reals: put the zero point at the bottom of the range.
      xq = qt(r.scale(0.005, 0.05), -128);
      yq = qt(r.scale(0.02, 0.2), r.int(-128, -60));
    } else yq = r.bool(0.3) ? xq : outQ(r, qdt, scaleOf(xq) * r.float(0.5, 2), -128, 0);
  }
  return {
    id: `${shortName(op)} ${dt} [${shape}]${xq && yq && xq !== yq ? ' rescale' : ''}`,
    op,
    operands: [inp(t(dt, shape, xq), gen)],
    results: [t(dt, shape, yq)],
    attrs: {},
  };
}

const ACTIVATION_COMBOS: readonly (readonly [string, Elem])[] = [
  ['tfl.relu', 'f32'],
  ['tfl.relu', 'i8'],
  ['tfl.relu', 'i16'],
  ['tfl.relu6', 'f32'],
  ['tfl.relu6', 'i8'],
  ['tfl.relu6', 'i16'],
  ['tfl.relu_n1_to_1', 'f32'],
  ['tfl.relu_n1_to_1', 'i8'],
  ['tfl.relu_0_to_1', 'f32'],
  ['tfl.relu_0_to_1', 'i8'],
  ['tfl.leaky_relu', 'f32'],
  ['tfl.leaky_relu', 'i8'],
  ['tfl.leaky_relu', 'i16'],
  ['tfl.hard_swish', 'f32'],
  ['tfl.hard_swish', 'i8'],
  ['tfl.logistic', 'f32'],
  ['tfl.logistic', 'i8'],
  ['tfl.logistic', 'i16'],
  ['tfl.tanh', 'f32'],
  ['tfl.tanh', 'i8'],
  ['tfl.tanh', 'i16'],
];

/** Activation ops, with TFLite's fixed output scales for logistic / tanh. */
export function drawActivation(r: Rand, i: number): CaseDraft {
  const [op, dt] = cycle(ACTIVATION_COMBOS, i);
  const shape = randomShape(r);
  let xq: QSpec | undefined;
  let yq: QSpec | undefined;
  const attrs: Record<string, Attribute> = {};
  const alpha = op === 'tfl.leaky_relu' ? r.pick([0.01, 0.2, 0.3, 0.5, 0.99, 1.5]) : undefined;
  if (alpha !== undefined) attrs['alpha'] = F(alpha);
  if (dt !== 'f32') {
    const qdt = dt as QElem;
    xq = actQ(r, qdt, 0.01, 0.1);
    const sx = scaleOf(xq);
    if (op === 'tfl.logistic') yq = qdt === 'i8' ? qt(1 / 256, -128) : qt(1 / 32768, 0);
    else if (op === 'tfl.tanh') yq = qdt === 'i8' ? qt(1 / 128, 0) : qt(1 / 32768, 0);
    else if (op === 'tfl.hard_swish') yq = qt(sx * r.float(0.5, 1.5), r.int(-100, 0));
    else if (op === 'tfl.leaky_relu') yq = outQ(r, qdt, sx * r.float(0.6, 1.8), -60, 60);
    else if (op === 'tfl.relu' || op === 'tfl.relu6' || op === 'tfl.relu_n1_to_1' || op === 'tfl.relu_0_to_1') yq = r.bool(0.3) ? xq : outQ(r, qdt, sx * r.float(0.5, 1.5), -128, 0);
    if (qdt === 'i16' && (op === 'tfl.logistic' || op === 'tfl.tanh')) xq = qt(r.pick([1 / 4096, 1 / 8192, 3 / 32768, r.scale(1e-4, 4e-4)]), 0);
  }
  return {
    // The id shows alpha as the f32 attribute holds it.
    id: `${shortName(op)} ${dt} [${shape}]${alpha !== undefined ? ` alpha=${Math.fround(alpha).toPrecision(3)}` : ''}`,
    op,
    operands: [inp(t(dt, shape, xq), dt === 'f32' ? { kind: 'range', lo: -8, hi: 8 } : undefined)],
    results: [t(dt, shape, yq)],
    attrs,
  };
}

const SOFTMAX_COMBOS: readonly (readonly [string, Elem, Elem])[] = [
  ['tfl.softmax', 'f32', 'f32'],
  ['tfl.softmax', 'i8', 'i8'],
  ['tfl.softmax', 'i8', 'i16'],
  ['tfl.softmax', 'i16', 'i16'],
  ['tfl.log_softmax', 'f32', 'f32'],
  ['tfl.log_softmax', 'i8', 'i8'],
];

/** SOFTMAX (with beta) and LOG_SOFTMAX, with TFLite's fixed output quantizations. */
export function drawSoftmax(r: Rand, i: number): CaseDraft {
  const [op, dt, ot] = cycle(SOFTMAX_COMBOS, i);
  const shape = randomShape(r, 1, 4, 8);
  let xq: QSpec | undefined;
  let yq: QSpec | undefined;
  if (dt === 'i8') xq = actQ(r, 'i8', 0.02, 0.3);
  if (dt === 'i16') xq = qt(r.scale(10 / 32768, 1 / 2048), 0);
  if (op === 'tfl.softmax') {
    if (ot === 'i8') yq = qt(1 / 256, -128);
    if (ot === 'i16') yq = qt(1 / 32768, 0);
  } else if (ot === 'i8') yq = qt(16 / 256, 127);
  const beta = op === 'tfl.softmax' ? r.pick([1, 1, 0.5, 2]) : undefined;
  return {
    id: `${shortName(op)} ${dt}->${ot} [${shape}]${beta !== undefined ? ` beta=${Math.fround(beta)}` : ''}`,
    op,
    operands: [inp(t(dt, shape, xq), dt === 'f32' ? { kind: 'range', lo: -5, hi: 5 } : undefined)],
    results: [t(ot, shape, yq)],
    attrs: beta !== undefined ? { beta: F(beta) } : {},
  };
}

const QUANTIZE_COMBOS: readonly (readonly [string, Elem, Elem])[] = [
  ['tfl.quantize', 'f32', 'i8'],
  ['tfl.quantize', 'f32', 'i16'],
  ['tfl.quantize', 'i8', 'i8'],
  ['tfl.quantize', 'i16', 'i16'],
  ['tfl.quantize', 'i16', 'i8'],
  ['tfl.dequantize', 'i8', 'f32'],
  ['tfl.dequantize', 'i16', 'f32'],
];

/** QUANTIZE (float -> int and requantize) and DEQUANTIZE. */
export function drawQuantize(r: Rand, i: number): CaseDraft {
  const [op, it, ot] = cycle(QUANTIZE_COMBOS, i);
  const shape = randomShape(r);
  const xq = maybeActQ(r, it);
  // Requantizing keeps roughly the same real range: int16 -> int8 scales up by 256, int8 -> int16 down.
  const ratio = ot === 'i8' ? (it === 'i16' ? 256 : 1) : it === 'i8' ? 1 / 256 : 1;
  const yq = ot === 'f32' ? undefined : xq ? outQ(r, ot as QElem, scaleOf(xq) * ratio * r.float(0.5, 2), -60, 60) : actQ(r, ot as QElem);
  const resT = t(ot, shape, yq);
  return {
    id: `${shortName(op)} ${it}->${ot} [${shape}]`,
    op,
    operands: [inp(t(it, shape, xq), it === 'f32' ? { kind: 'range', lo: -3, hi: 3 } : undefined)],
    results: [resT],
    attrs: op === 'tfl.quantize' ? { qtype: typeAttr(tensorTypeOf(resT)) } : {},
  };
}
