/**
 * Builds fused recurrent models directly in IR (for tests and the unroll benchmark): one
 * `func.func @main` holding a `tfl.unidirectional_sequence_lstm`, `tfl.bidirectional_sequence_lstm`
 * or `tfl.unidirectional_sequence_rnn` over seeded random float32 weights, variable state
 * constants (`tfl.is_variable`) and `tfl.no_value` for absent operands.
 */
import { type Attribute, boolAttr, denseAttr, floatAttr, stringAttr, unitAttr } from '../../../src/ir/attribute.js';
import { Builder } from '../../../src/ir/builder.js';
import { nameLoc } from '../../../src/ir/location.js';
import type { Operation } from '../../../src/ir/operation.js';
import { f32, noneType, tensorType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { createFunc, createModule } from '../../../dialects/builtin/index.js';
import { f32Bytes } from './emitter.js';

/** What to build. */
export interface RecurrentModelConfig {
  readonly kind: 'lstm' | 'bidi_lstm' | 'rnn';
  readonly batch: number;
  readonly time: number;
  readonly input: number;
  /** n_cell (LSTM) or units (RNN). */
  readonly cell: number;
  /** n_output with projection (defaults to `cell`). */
  readonly output?: number;
  readonly timeMajor?: boolean;
  readonly cifg?: boolean;
  readonly peephole?: boolean;
  readonly layerNorm?: boolean;
  readonly projection?: boolean;
  readonly projectionBias?: boolean;
  readonly cellClip?: number;
  readonly projClip?: number;
  readonly activation?: string;
  /** Bidirectional: one merged output. */
  readonly mergeOutputs?: boolean;
  /** Bidirectional auxiliary input: none, cross-linked (with aux weights) or non-stacking. */
  readonly aux?: 'none' | 'cross' | 'nonstacking';
  /** Non-zero initial state values. */
  readonly randomState?: boolean;
  /** Declare the time dimension dynamic (`?`). */
  readonly dynamicTime?: boolean;
  /** Weight magnitude (default 0.6; large models want about 1/sqrt(n)). */
  readonly weightScale?: number;
  readonly seed?: number;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the model; the recurrent op has `loc("lstm")` (or "rnn"), inputs are named input/aux_input. */
export function buildRecurrentModel(cfg: RecurrentModelConfig): Operation {
  const r = rng(cfg.seed ?? 1);
  const scale = cfg.weightScale ?? 0.6;
  const tm = cfg.timeMajor ?? cfg.kind === 'bidi_lstm';
  const nOut = cfg.projection ? (cfg.output ?? cfg.cell) : cfg.cell;
  const seqShape = (depth: number, dyn = false): number[] => {
    const t = dyn ? -1 : cfg.time;
    return tm ? [t, cfg.batch, depth] : [cfg.batch, t, depth];
  };
  const module = createModule();
  const auxMode = cfg.kind === 'bidi_lstm' ? (cfg.aux ?? 'none') : 'none';
  const inputs = [tensorType(seqShape(cfg.input, cfg.dynamicTime), f32())];
  if (auxMode !== 'none') inputs.push(tensorType(seqShape(cfg.input, cfg.dynamicTime), f32()));
  const merged = cfg.kind === 'bidi_lstm' && (cfg.mergeOutputs ?? false);
  const outDepths = cfg.kind === 'bidi_lstm' ? (merged ? [2 * nOut] : [nOut, nOut]) : [nOut];
  const results = outDepths.map((d) => tensorType(seqShape(d, cfg.dynamicTime), f32()));
  const f = createFunc('main', inputs, results, module, nameLoc('main'));
  const block = f.regions[0]!.blocks[0]!;
  block.args.forEach((a, i) => (a.loc = nameLoc(i === 0 ? 'input' : 'aux_input')));
  const b = new Builder();
  b.setInsertionPointToEnd(block);
  const none = b.createOne('tfl.no_value', [], noneType(), { value: unitAttr() }, nameLoc('none'));
  let nConst = 0;
  const constant = (shape: number[], s: number, variable = false, fill?: number): Value => {
    const n = shape.reduce((x, y) => x * y, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = fill ?? (r() * 2 - 1) * s;
    const type = tensorType(shape, f32());
    const attrs: Record<string, Attribute> = { value: denseAttr(type, f32Bytes(data)) };
    if (variable) attrs['tfl.is_variable'] = unitAttr();
    return b.createOne('tfl.pseudo_const', [], type, attrs, nameLoc(`${variable ? 'state' : 'const'}${nConst++}`));
  };
  const state = (shape: number[]): Value => constant(shape, 0.5, true, cfg.randomState ? undefined : 0);

  /** The 17 per-direction LSTM operands (TFLite order 1..17). */
  const lstmWeights = (nIn: number): Value[] => {
    const c = cfg.cell;
    const gate = (present: boolean, shape: number[], s: number): Value => (present ? constant(shape, s) : none);
    const cifg = cfg.cifg ?? false;
    const peep = cfg.peephole ?? false;
    const w = [
      gate(!cifg, [c, nIn], scale),
      gate(true, [c, nIn], scale),
      gate(true, [c, nIn], scale),
      gate(true, [c, nIn], scale),
      gate(!cifg, [c, nOut], scale),
      gate(true, [c, nOut], scale),
      gate(true, [c, nOut], scale),
      gate(true, [c, nOut], scale),
      gate(peep && !cifg, [c], 0.5),
      gate(peep, [c], 0.5),
      gate(peep, [c], 0.5),
      gate(!cifg, [c], 0.5),
      gate(true, [c], 0.5),
      gate(true, [c], 0.5),
      gate(true, [c], 0.5),
      gate(!!cfg.projection, [nOut, c], scale),
      gate(!!cfg.projection && !!cfg.projectionBias, [nOut], 0.5),
    ];
    return w;
  };
  const commonAttrs: Record<string, Attribute> = {
    fused_activation_function: stringAttr(cfg.activation ?? 'TANH'),
    cell_clip: floatAttr(cfg.cellClip ?? 0, f32()),
    proj_clip: floatAttr(cfg.projClip ?? 0, f32()),
    time_major: boolAttr(tm),
  };
  let op: Operation;
  const x = block.args[0]!;
  if (cfg.kind === 'lstm') {
    const ln = cfg.layerNorm ?? false;
    const lnw = (present: boolean): Value => (present ? constant([cfg.cell], 0.5, false) : none);
    const operands = [
      x,
      ...lstmWeights(cfg.input),
      state([cfg.batch, nOut]),
      state([cfg.batch, cfg.cell]),
      lnw(ln && !(cfg.cifg ?? false)),
      lnw(ln),
      lnw(ln),
      lnw(ln),
    ];
    op = b.create({ name: 'tfl.unidirectional_sequence_lstm', operands, resultTypes: results, attributes: commonAttrs, loc: nameLoc('lstm') });
  } else if (cfg.kind === 'bidi_lstm') {
    const fw = lstmWeights(cfg.input);
    const bw = lstmWeights(cfg.input);
    const states = [state([cfg.batch, nOut]), state([cfg.batch, cfg.cell]), state([cfg.batch, nOut]), state([cfg.batch, cfg.cell])];
    const auxIn = auxMode === 'none' ? none : block.args[1]!;
    const auxW = (): Value[] => {
      const cifg = cfg.cifg ?? false;
      return [0, 1, 2, 3].map((g) => (auxMode === 'cross' && !(g === 0 && cifg) ? constant([cfg.cell, cfg.input], scale) : none));
    };
    const operands = [x, ...fw, ...bw, ...states, auxIn, ...auxW(), ...auxW()];
    op = b.create({
      name: 'tfl.bidirectional_sequence_lstm',
      operands,
      resultTypes: results,
      attributes: { ...commonAttrs, merge_outputs: boolAttr(merged) },
      loc: nameLoc('lstm'),
    });
  } else {
    const operands = [x, constant([cfg.cell, cfg.input], scale), constant([cfg.cell, cfg.cell], scale), constant([cfg.cell], 0.5), state([cfg.batch, cfg.cell])];
    op = b.create({
      name: 'tfl.unidirectional_sequence_rnn',
      operands,
      resultTypes: results,
      attributes: { fused_activation_function: stringAttr(cfg.activation ?? 'TANH'), time_major: boolAttr(tm) },
      loc: nameLoc('rnn'),
    });
  }
  b.create({ name: 'func.return', operands: op.results, loc: nameLoc('return') });
  return module;
}
