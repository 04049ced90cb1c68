/**
 * Reads a float recurrent op (`tfl.unidirectional_sequence_lstm`, `tfl.bidirectional_sequence_lstm`,
 * `tfl.unidirectional_sequence_rnn`) into a plain description of what to unroll: the input
 * sequence, its layout and length, and per direction the cell's operand values and variant (CIFG,
 * peephole, layer norm, projection, auxiliary input). Anything the unroller cannot reproduce
 * exactly comes back as a message for a diagnostic at the op.
 */
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import type { Type } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';

/** Gate indices, TFLite order. */
export const GATE_INPUT = 0;
export const GATE_FORGET = 1;
export const GATE_CELL = 2;
export const GATE_OUTPUT = 3;
export const GATE_NAMES = ['input_gate', 'forget_gate', 'cell_gate', 'output_gate'] as const;

type Four = readonly [Value | undefined, Value | undefined, Value | undefined, Value | undefined];

/** One LSTM direction's cell. */
export interface LstmCell {
  readonly inputWeights: Four;
  readonly recurrentWeights: Four;
  /** Peephole weights for input, forget, (none), output. */
  readonly peephole: Four;
  readonly bias: Four;
  readonly layerNorm: Four;
  /** Cross-linked auxiliary-input weights (bidirectional only). */
  readonly auxWeights: Four | undefined;
  readonly projectionWeights: Value | undefined;
  readonly projectionBias: Value | undefined;
  /** The operand values of the activation (h) and cell (c) states. */
  readonly outputState: Value;
  readonly cellState: Value;
  readonly nCell: number;
  readonly nOutput: number;
  readonly useCifg: boolean;
  readonly usePeephole: boolean;
  readonly useLayerNorm: boolean;
  readonly useProjection: boolean;
}

/** One direction of an unrolled recurrent op. */
export interface Direction {
  /** Location sub-prefix ('' for unidirectional ops, 'fw' / 'bw'). */
  readonly name: string;
  readonly cell: LstmCell | undefined;
  readonly rnn: RnnCell | undefined;
  /** Whether the direction runs from the last time step to the first. */
  readonly reverse: boolean;
  /** Reads the auxiliary input instead of the input (bidirectional non-stacking mode). */
  readonly readsAux: boolean;
}

/** A basic RNN cell: h = act(W·x + b + R·h). */
export interface RnnCell {
  readonly inputWeights: Value;
  readonly recurrentWeights: Value;
  readonly bias: Value;
  readonly state: Value;
  readonly units: number;
}

/** What to unroll. */
export interface RecurrentSpec {
  readonly op: Operation;
  readonly kind: 'lstm' | 'bidi_lstm' | 'rnn';
  readonly input: Value;
  /** The auxiliary input sequence (bidirectional), if any. */
  readonly aux: Value | undefined;
  readonly timeMajor: boolean;
  /** Number of time steps; -1 when dynamic. */
  readonly time: number;
  readonly batch: number;
  readonly nInput: number;
  readonly activation: string;
  readonly cellClip: number;
  readonly projClip: number;
  readonly mergeOutputs: boolean;
  readonly directions: readonly Direction[];
}

/** The ops this unroller handles. */
export const UNROLLABLE_OPS: ReadonlySet<string> = new Set([
  'tfl.unidirectional_sequence_lstm',
  'tfl.bidirectional_sequence_lstm',
  'tfl.unidirectional_sequence_rnn',
]);

class SpecError extends Error {}

function fail(message: string): never {
  throw new SpecError(message);
}

function present(op: Operation, i: number): Value | undefined {
  const v = op.operands[i]?.value;
  return v && v.type.kind !== 'none' ? v : undefined;
}

function shape(v: Value): readonly number[] {
  if (v.type.kind !== 'tensor') fail(`operand of type ${describeType(v.type)} must be a ranked tensor`);
  return v.type.shape;
}

function describeType(t: Type): string {
  if (t.kind === 'tensor') return `tensor<${[...t.shape.map((d) => (d < 0 ? '?' : String(d))), describeType(t.element)].join('x')}>`;
  if (t.kind === 'float') return t.name;
  if (t.kind === 'integer') return `${t.signedness === 'unsigned' ? 'ui' : t.signedness === 'signed' ? 'si' : 'i'}${t.width}`;
  if (t.kind.startsWith('quant.')) return `!${t.kind}`;
  return t.kind;
}

/** Requires a float32 tensor (the float kernels are the only ones the unroller reproduces). */
function requireF32(v: Value | undefined, what: string): void {
  if (!v) return;
  const t = v.type;
  const el = t.kind === 'tensor' || t.kind === 'unranked_tensor' ? t.element : t;
  if (el.kind !== 'float' || el.name !== 'f32')
    fail(
      `only float32 recurrent ops can be unrolled, but ${what} is ${describeType(t)}` +
        (el.kind.startsWith('quant.') || el.kind === 'integer' ? ' (quantized and hybrid LSTMs are not supported: unroll before quantizing)' : ''),
    );
  if (t.kind !== 'tensor') fail(`${what} must be a ranked tensor`);
}

function dimsEqual(v: Value | undefined, want: readonly number[], what: string): void {
  if (!v) return;
  const s = shape(v);
  if (s.length !== want.length || s.some((d, i) => d !== want[i]))
    fail(`${what} has shape [${s.join(', ')}], expected [${want.join(', ')}]`);
}

function boolAttr(op: Operation, name: string): boolean {
  const a = op.attr(name);
  if (a?.kind === 'bool') return a.value;
  const d = getOpDef(op.name)?.attrs[name]?.default;
  return d?.kind === 'bool' ? d.value : false;
}

function floatAttr(op: Operation, name: string): number {
  const a = op.attr(name);
  return a?.kind === 'float' || a?.kind === 'integer' ? Number(a.value) : 0;
}

function activationOf(op: Operation, allowed: readonly string[]): string {
  const a = op.attr('fused_activation_function');
  const act = a?.kind === 'string' ? a.value : 'NONE';
  if (!allowed.includes(act)) fail(`fused_activation_function ${act} cannot be unrolled (supported: ${allowed.join(', ')})`);
  return act;
}

/** Reads one LSTM cell from operand indices (TFLite's 24-operand layout, shifted for bidirectional). */
function readCell(
  op: Operation,
  idx: {
    readonly iw: readonly number[];
    readonly rw: readonly number[];
    readonly pw: readonly number[];
    readonly b: readonly number[];
    readonly ln: readonly number[];
    readonly aux?: readonly number[];
    readonly proj: number;
    readonly projBias: number;
    readonly h: number;
    readonly c: number;
  },
  nInput: number,
  batch: number,
  what: string,
): LstmCell {
  const four = (ix: readonly number[]): Four => [present(op, ix[0]!), present(op, ix[1]!), present(op, ix[2]!), present(op, ix[3]!)];
  const iw = four(idx.iw);
  const rw = four(idx.rw);
  const pw = four(idx.pw);
  const b = four(idx.b);
  const ln = idx.ln[0]! < 0 ? ([undefined, undefined, undefined, undefined] as const) : four(idx.ln);
  const aux = idx.aux ? four(idx.aux) : undefined;
  const proj = present(op, idx.proj);
  const projBias = present(op, idx.projBias);
  const h = present(op, idx.h);
  const c = present(op, idx.c);
  if (!h || !c) fail(`${what}: the activation and cell state operands must be given`);
  const all = [...iw, ...rw, ...pw, ...b, ...ln, ...(aux ?? []), proj, projBias, h, c];
  all.forEach((v, k) => requireF32(v, `${what} operand ${k}`));
  const names = ['input', 'forget', 'cell', 'output'];
  const i2o = iw[GATE_OUTPUT];
  const r2o = rw[GATE_OUTPUT];
  if (!i2o || !r2o) fail(`${what}: input_to_output and recurrent_to_output weights are required`);
  const [nCell, wIn] = shape(i2o);
  if (shape(i2o).length !== 2 || nCell === undefined || wIn === undefined) fail(`${what}: input_to_output_weights must be 2-D`);
  if (wIn !== nInput) fail(`${what}: input_to_output_weights has ${wIn} columns for an input depth of ${nInput}`);
  const nOutput = shape(r2o)[1];
  if (shape(r2o).length !== 2 || nOutput === undefined) fail(`${what}: recurrent_to_output_weights must be 2-D`);
  const useCifg = !iw[GATE_INPUT];
  for (let g = 0; g < 4; g++) {
    if (g === GATE_INPUT && useCifg) {
      if (rw[g] || b[g] || pw[g] || ln[g]) fail(`${what}: with CIFG (no input_to_input_weights) the other input-gate operands must be absent too`);
      continue;
    }
    if (!iw[g] || !rw[g] || !b[g]) fail(`${what}: the ${names[g]} gate needs input, recurrent weights and a bias`);
    dimsEqual(iw[g], [nCell, nInput], `${what}: input_to_${names[g]}_weights`);
    dimsEqual(rw[g], [nCell, nOutput], `${what}: recurrent_to_${names[g]}_weights`);
    dimsEqual(b[g], [nCell], `${what}: ${names[g]}_gate_bias`);
    if (aux?.[g]) dimsEqual(aux[g], [nCell, shape(aux[g]!)[1]!], `${what}: aux_input_to_${names[g]}_weights`);
  }
  const usePeephole = !!pw[GATE_OUTPUT];
  for (const g of [GATE_INPUT, GATE_FORGET, GATE_OUTPUT]) {
    if (g === GATE_INPUT && useCifg) continue;
    if (!!pw[g] !== usePeephole) fail(`${what}: peephole weights must be all present or all absent`);
    dimsEqual(pw[g], [nCell], `${what}: cell_to_${names[g]}_weights`);
  }
  if (pw[GATE_CELL]) fail(`${what}: there is no cell-gate peephole`);
  const useLayerNorm = !!ln[GATE_FORGET];
  for (let g = 0; g < 4; g++) {
    if (g === GATE_INPUT && useCifg) continue;
    if (!!ln[g] !== useLayerNorm) fail(`${what}: layer norm coefficients must be all present or all absent`);
    dimsEqual(ln[g], [nCell], `${what}: ${names[g]}_layer_norm_coefficients`);
  }
  if (projBias && !proj) fail(`${what}: projection_bias requires projection_weights`);
  dimsEqual(proj, [nOutput, nCell], `${what}: projection_weights`);
  dimsEqual(projBias, [nOutput], `${what}: projection_bias`);
  if (!proj && nOutput !== nCell) fail(`${what}: without projection n_output (${nOutput}) must equal n_cell (${nCell})`);
  dimsEqual(h, [batch, nOutput], `${what}: the activation state`);
  dimsEqual(c, [batch, nCell], `${what}: the cell state`);
  return {
    inputWeights: iw,
    recurrentWeights: rw,
    peephole: pw,
    bias: b,
    layerNorm: ln,
    auxWeights: aux && aux[GATE_FORGET] ? aux : undefined,
    projectionWeights: proj,
    projectionBias: projBias,
    outputState: h,
    cellState: c,
    nCell,
    nOutput,
    useCifg,
    usePeephole,
    useLayerNorm,
    useProjection: !!proj,
  };
}

const LSTM_ACTIVATIONS = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'TANH', 'SIGMOID'];
const RNN_ACTIVATIONS = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'TANH'];

/** Sequence geometry of a rank-3 input. */
function geometry(input: Value, timeMajor: boolean): { time: number; batch: number; nInput: number } {
  requireF32(input, 'the input');
  const s = shape(input);
  if (s.length !== 3) fail(`the input must be 3-D ([batch, time, depth] or [time, batch, depth]), got rank ${s.length}`);
  const [d0, d1, d2] = s as [number, number, number];
  const time = timeMajor ? d0 : d1;
  const batch = timeMajor ? d1 : d0;
  if (batch < 0) fail('a dynamic batch dimension cannot be unrolled');
  if (d2 < 0) fail('a dynamic input depth cannot be unrolled');
  return { time, batch, nInput: d2 };
}

function uniIndices(): Parameters<typeof readCell>[1] {
  return { iw: [1, 2, 3, 4], rw: [5, 6, 7, 8], pw: [9, 10, -1, 11], b: [12, 13, 14, 15], ln: [20, 21, 22, 23], proj: 16, projBias: 17, h: 18, c: 19 };
}

function bidiIndices(base: number, h: number, c: number, aux: number): Parameters<typeof readCell>[1] {
  return {
    iw: [base, base + 1, base + 2, base + 3],
    rw: [base + 4, base + 5, base + 6, base + 7],
    pw: [base + 8, base + 9, -1, base + 10],
    b: [base + 11, base + 12, base + 13, base + 14],
    ln: [-1, -1, -1, -1],
    aux: [aux, aux + 1, aux + 2, aux + 3],
    proj: base + 15,
    projBias: base + 16,
    h,
    c,
  };
}

/** Describes an unrollable op, or returns the reason it cannot be unrolled. */
export function readRecurrentSpec(op: Operation): RecurrentSpec | { error: string } {
  try {
    return readSpec(op);
  } catch (e) {
    if (e instanceof SpecError) return { error: e.message };
    throw e;
  }
}

function readSpec(op: Operation): RecurrentSpec {
  const input = op.operand(0);
  for (const r of op.results) requireF32(r, 'the result');
  const diag = op.attr('diagonal_recurrent_tensors');
  if (diag?.kind === 'bool' && diag.value) fail('diagonal_recurrent_tensors is not supported');
  const timeMajor = boolAttr(op, 'time_major');
  const g = geometry(input, timeMajor);
  const cellClip = floatAttr(op, 'cell_clip');
  const projClip = floatAttr(op, 'proj_clip');
  if (!(cellClip >= 0) || !(projClip >= 0)) fail('cell_clip and proj_clip must be >= 0');
  switch (op.name) {
    case 'tfl.unidirectional_sequence_lstm': {
      if (op.operands.length !== 24) fail(`expected 24 operands, got ${op.operands.length}`);
      const cell = readCell(op, uniIndices(), g.nInput, g.batch, 'the LSTM');
      return {
        op,
        kind: 'lstm',
        input,
        aux: undefined,
        timeMajor,
        ...g,
        activation: activationOf(op, LSTM_ACTIVATIONS),
        cellClip,
        projClip,
        mergeOutputs: false,
        directions: [{ name: '', cell, rnn: undefined, reverse: false, readsAux: false }],
      };
    }
    case 'tfl.bidirectional_sequence_lstm': {
      if (op.operands.length !== 48) fail(`expected 48 operands, got ${op.operands.length}`);
      const aux = present(op, 39);
      const fw = readCell(op, bidiIndices(1, 35, 36, 40), g.nInput, g.batch, 'the forward LSTM');
      const auxWeights = !!fw.auxWeights;
      if (auxWeights && !aux) fail('aux input weights are given without an aux input');
      const nonStacking = !!aux && !auxWeights;
      let bwDepth = g.nInput;
      if (aux) {
        requireF32(aux, 'the aux input');
        const a = shape(aux);
        const ga = geometry(aux, timeMajor);
        if (a.length !== 3 || ga.batch !== g.batch || ga.time !== g.time) fail('the aux input must match the input in batch and time');
        if (nonStacking) bwDepth = ga.nInput;
      }
      const bw = readCell(op, bidiIndices(18, 37, 38, 44), bwDepth, g.batch, 'the backward LSTM');
      if (!!bw.auxWeights !== auxWeights) fail('aux input weights must be given for both directions or neither');
      const merge = boolAttr(op, 'merge_outputs');
      return {
        op,
        kind: 'bidi_lstm',
        input,
        aux,
        timeMajor,
        ...g,
        activation: activationOf(op, LSTM_ACTIVATIONS),
        cellClip,
        projClip,
        mergeOutputs: merge,
        directions: [
          { name: 'fw', cell: fw, rnn: undefined, reverse: false, readsAux: false },
          { name: 'bw', cell: bw, rnn: undefined, reverse: true, readsAux: nonStacking },
        ],
      };
    }
    case 'tfl.unidirectional_sequence_rnn': {
      if (op.operands.length !== 5) fail(`expected 5 operands, got ${op.operands.length}`);
      const [w, r, b, h] = [1, 2, 3, 4].map((i) => present(op, i));
      if (!w || !r || !b || !h) fail('weights, recurrent weights, bias and hidden state are required');
      [w, r, b, h].forEach((v, k) => requireF32(v, `operand ${k + 1}`));
      const units = shape(w)[0]!;
      dimsEqual(w, [units, g.nInput], 'input_to_input_weights');
      dimsEqual(r, [units, units], 'recurrent_to_input_weights');
      dimsEqual(b, [units], 'input_gate_bias');
      dimsEqual(h, [g.batch, units], 'hidden_state');
      return {
        op,
        kind: 'rnn',
        input,
        aux: undefined,
        timeMajor,
        ...g,
        activation: activationOf(op, RNN_ACTIVATIONS),
        cellClip: 0,
        projClip: 0,
        mergeOutputs: false,
        directions: [{ name: '', cell: undefined, rnn: { inputWeights: w, recurrentWeights: r, bias: b, state: h, units }, reverse: false, readsAux: false }],
      };
    }
    default:
      return fail(`'${op.name}' is not a recurrent op this pass unrolls`);
  }
}
