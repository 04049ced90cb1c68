/**
 * Emits the unrolled form of one recurrent op described by a {@link RecurrentSpec}: the input
 * sequence is unpacked into per-step slices, every step becomes primitive float tfl ops that
 * reproduce TFLite's float kernels operation by operation (lstm_eval.cc `LstmStepFloat`,
 * kernel_utils `RnnBatchStep`), and the per-step outputs are packed back into the sequence.
 *
 * One LSTM step (per gate g in input, forget, cell; then output, whose peephole sees the new c):
 *   acc_g = fully_connected(x_t, W_g, b_g) [+ fully_connected(aux_t, A_g)] + fully_connected(h, R_g)
 *           [+ P_g * c]
 *   [layer norm: acc_g = L_g * (acc_g - mean) * rsqrt(var + 1e-8) + b_g   (then no bias in the FC)]
 *   gate_g = logistic(acc_g)   (cell gate: the fused activation)
 *   c' = clip(f * c + g * i)   (CIFG: i = 1 - f),   h' = clip(W_proj · (o * act(c')) + b_proj) or o * act(c')
 * One RNN step: h' = act(fully_connected(x_t, W, b) + fully_connected(h, R)).
 *
 * Locations: `<op loc>/step<k>/<gate>` on each gate's last op (e.g. `lstm/step3/forget_gate`),
 * `.../<gate>/input|recurrent|peephole|ln_*` inside a gate, `.../cell_state`, `.../hidden`,
 * `.../output` for the step's result; bidirectional ops insert `fw/` or `bw/` before `step<k>`
 * (`k` counts steps in execution order, so `bw/step0` reads the last time step).
 *
 * Shared constants: weights (input, recurrent, peephole, projection, layer-norm coefficients) stay
 * one constant used by every step — a weight's quantization depends only on its own values. Biases
 * are copied per step when `perStepBiases` is set: a bias is quantized with scale s_input * s_weight,
 * and the inputs of different steps (h_t, the projected hidden state) get different scales, so one
 * shared bias tensor cannot serve them all (the bug TFLite's own unrolled path has,
 * tensorflow#37023). Each copy carries `tfl.unroll_step = k` so CSE does not merge them back; the
 * exporter still stores identical float buffers once.
 */
import { type DenseElementsAttr } from '../../../src/ir/attribute.js';
import type { Builder } from '../../../src/ir/builder.js';
import { locName } from '../../../src/ir/location.js';
import type { RankedTensorType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { Emitter, f32Tensor } from './emitter.js';
import { type Direction, GATE_CELL, GATE_FORGET, GATE_INPUT, GATE_NAMES, GATE_OUTPUT, type LstmCell, type RecurrentSpec, type RnnCell } from './recurrent-spec.js';
import { type StateThreading, constantStateValue } from './state.js';

/** Unroll options. */
export interface UnrollOptions {
  /** Number of steps to emit when the time dimension is dynamic (0: not allowed). */
  readonly dynamicSteps: number;
  /** Give each step its own copy of every bias constant. */
  readonly perStepBiases: boolean;
}

/** The location-name prefix of an op: its own location name, or a fallback. */
export function opPrefix(spec: RecurrentSpec, index: number): string {
  return locName(spec.op.loc) ?? `${spec.op.name.slice(4)}_${index}`;
}

/**
 * Emits the unrolled op before `spec.op` and replaces it.
 * The state operands' producers are left in place (the caller erases them when dead).
 */
export function unrollRecurrent(spec: RecurrentSpec, b: Builder, state: StateThreading, prefix: string, opts: UnrollOptions): void {
  const op = spec.op;
  b.setInsertionPointBefore(op);
  const em = new Emitter(b, prefix);
  const T = spec.time >= 0 ? spec.time : opts.dynamicSteps;
  const timeAxis = spec.timeMajor ? 0 : 1;
  const staticSeq = (v: Value): Value => {
    const t = v.type as RankedTensorType;
    if (t.shape.every((d) => d >= 0)) return v;
    const shape = t.shape.map((d, i) => (i === timeAxis ? T : d));
    return em.reshape(v, f32Tensor(shape), em.loc(v === spec.input ? 'input_static' : 'aux_input_static'));
  };
  const slices = new Map<Value, Value[]>();
  const slicesOf = (v: Value, what: string): Value[] => {
    let s = slices.get(v);
    if (!s) {
      s = em.unpack(staticSeq(v), timeAxis, Array.from({ length: T }, (_, t) => em.loc(`${what}${t}`)));
      slices.set(v, s);
    }
    return s;
  };

  const outputs: Value[] = [];
  for (const d of spec.directions) {
    const xs = slicesOf(d.readsAux ? spec.aux! : spec.input, d.readsAux ? 'aux_input/time' : 'input/time');
    const auxs = d.cell?.auxWeights ? slicesOf(spec.aux!, 'aux_input/time') : undefined;
    const perTime = d.cell ? unrollLstmDirection(spec, d, d.cell, em, state, xs, auxs, T, opts) : unrollRnnDirection(spec, d, d.rnn!, em, state, xs, T, opts);
    const dir = d.name ? [d.name] : [];
    outputs.push(em.pack(perTime, timeAxis, em.loc(...dir, 'output')));
  }
  let results: Value[];
  if (spec.kind === 'bidi_lstm' && spec.mergeOutputs) results = [em.concat(outputs, 2, em.loc('output'))];
  else results = outputs;
  // Back to the op's declared result types (dynamic dims) where they differ.
  results = results.map((v, i) => {
    const want = op.result(i).type;
    if (v.type === want) return v;
    if (want.kind !== 'tensor') throw new Error('unroll: result must be a ranked tensor');
    return em.reshape(v, want, em.loc(`result${i}`));
  });
  b.replaceOp(op, results);
}

function biasFor(em: Emitter, v: Value | undefined, step: number, loc: ReturnType<Emitter['loc']>, perStep: boolean): Value | undefined {
  if (!v || !perStep) return v;
  const value = constantStateValue(v);
  if (!value) return v;
  return em.constOf(v.type as RankedTensorType, value as DenseElementsAttr, loc, step);
}

function stateNames(spec: RecurrentSpec, d: Direction): { h: string; c: string } {
  const dir = d.name ? `${d.name}/` : '';
  return spec.kind === 'rnn'
    ? { h: `${dir}hidden_state`, c: `${dir}cell_state` }
    : { h: `${dir}activation_state`, c: `${dir}cell_state` };
}

function unrollLstmDirection(
  spec: RecurrentSpec,
  d: Direction,
  cell: LstmCell,
  em: Emitter,
  state: StateThreading,
  xs: readonly Value[],
  auxs: readonly Value[] | undefined,
  T: number,
  opts: UnrollOptions,
): Value[] {
  const b = em.b;
  const dir = d.name ? [d.name] : [];
  const names = stateNames(spec, d);
  const hName = `${em.prefix}/${names.h}`;
  const cName = `${em.prefix}/${names.c}`;
  const hRead = state.read(b, cell.outputState, hName, em.loc(...dir, 'initial_activation_state'));
  const cRead = state.read(b, cell.cellState, cName, em.loc(...dir, 'initial_cell_state'));
  let h = hRead.value;
  let c = cRead.value;
  let lnAxis: Value | undefined;
  const perTime: Value[] = new Array<Value>(T);
  for (let k = 0; k < T; k++) {
    const t = d.reverse ? T - 1 - k : k;
    const x = xs[t]!;
    const aux = auxs?.[t];
    const step = [...dir, `step${k}`];
    const gate = (g: number, cNow: Value): Value => {
      const L = (...p: string[]) => em.loc(...step, GATE_NAMES[g]!, ...p);
      const bias = biasFor(em, cell.bias[g], k, L('bias'), opts.perStepBiases);
      let acc = em.fc(x, cell.inputWeights[g]!, cell.useLayerNorm ? undefined : bias, L('input'));
      const aw = cell.auxWeights?.[g];
      if (aw && aux) acc = em.add(acc, em.fc(aux, aw, undefined, L('aux')), L('aux_sum'));
      acc = em.add(acc, em.fc(h, cell.recurrentWeights[g]!, undefined, L('recurrent')), L('recurrent_sum'));
      const pw = cell.peephole[g];
      if (cell.usePeephole && pw && g !== GATE_CELL) acc = em.add(acc, em.mul(cNow, pw, L("peephole")), L("peephole_sum"));
      if (cell.useLayerNorm) {
        lnAxis ??= em.constI32([-1], em.loc('layer_norm_axis'));
        const mean = em.meanLast(acc, lnAxis, L('ln_mean'));
        const centered = em.sub(acc, mean, L('ln_centered'));
        const variance = em.meanLast(em.mul(centered, centered, L('ln_square')), lnAxis, L('ln_variance'));
        const inv = em.unary('tfl.rsqrt', em.add(variance, em.scalarF32(1e-8, 'layer_norm_epsilon'), L('ln_variance_eps')), L('ln_rsqrt'));
        const normalized = em.mul(centered, inv, L('ln_normalized'));
        acc = em.add(em.mul(cell.layerNorm[g]!, normalized, L('ln_scaled')), bias!, L('ln_bias'));
      }
      return g === GATE_CELL ? em.activation(spec.activation, acc, L()) : em.unary('tfl.logistic', acc, L());
    };
    const ig = cell.useCifg ? undefined : gate(GATE_INPUT, c);
    const fg = gate(GATE_FORGET, c);
    const gg = gate(GATE_CELL, c);
    const C = (...p: string[]) => em.loc(...step, 'cell_state', ...p);
    const kept = em.mul(fg, c, C('forget'));
    const inGate = ig ?? em.sub(em.scalarF32(1, 'one'), fg, C('cifg_input_gate'));
    let cNew = em.add(kept, em.mul(gg, inGate, C('update')), spec.cellClip > 0 ? C('unclipped') : C());
    if (spec.cellClip > 0) cNew = em.clip(cNew, spec.cellClip, C(), 'cell_clip');
    const og = gate(GATE_OUTPUT, cNew);
    const hidden = em.mul(og, em.activation(spec.activation, cNew, em.loc(...step, 'cell_activation')), em.loc(...step, cell.useProjection ? 'hidden' : 'output'));
    let hNew = hidden;
    if (cell.useProjection) {
      const pb = biasFor(em, cell.projectionBias, k, em.loc(...step, 'projection', 'bias'), opts.perStepBiases);
      hNew = em.fc(hidden, cell.projectionWeights!, pb, em.loc(...step, spec.projClip > 0 ? 'projection' : 'output'));
      if (spec.projClip > 0) hNew = em.clip(hNew, spec.projClip, em.loc(...step, 'output'), 'proj_clip');
    }
    h = hNew;
    c = cNew;
    perTime[t] = h;
  }
  state.write(b, cell.outputState, hRead, h, hName, em.loc(...dir, 'final_activation_state'));
  state.write(b, cell.cellState, cRead, c, cName, em.loc(...dir, 'final_cell_state'));
  return perTime;
}

function unrollRnnDirection(
  spec: RecurrentSpec,
  d: Direction,
  rnn: RnnCell,
  em: Emitter,
  state: StateThreading,
  xs: readonly Value[],
  T: number,
  opts: UnrollOptions,
): Value[] {
  const b = em.b;
  const name = `${em.prefix}/${stateNames(spec, d).h}`;
  const read = state.read(b, rnn.state, name, em.loc('initial_hidden_state'));
  let h = read.value;
  const perTime: Value[] = new Array<Value>(T);
  for (let k = 0; k < T; k++) {
    const L = (...p: string[]) => em.loc(`step${k}`, ...p);
    const bias = biasFor(em, rnn.bias, k, L('bias'), opts.perStepBiases);
    const xw = em.fc(xs[k]!, rnn.inputWeights, bias, L('input'));
    const act = spec.activation !== 'NONE';
    const sum = em.add(xw, em.fc(h, rnn.recurrentWeights, undefined, L('recurrent')), act ? L('recurrent_sum') : L('output'));
    h = em.activation(spec.activation, sum, L('output'));
    perTime[k] = h;
  }
  state.write(b, rnn.state, read, h, name, em.loc('final_hidden_state'));
  return perTime;
}
