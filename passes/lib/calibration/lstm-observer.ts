/**
 * Ranges inside a float `tfl.unidirectional_sequence_lstm` that an integer LSTM needs and that no
 * IR value carries: the cell state and the activation (output) state over every time step, the
 * hidden value o .* act(c) before the projection (TFLite's intermediate 4,
 * `effective_hidden_scale_intermediate`) and, with layer norm, each gate's accumulation before the
 * normalisation (intermediates 0..3, `input_to_{input,forget,cell,output}_intermediate`) — the
 * values TFLite's calibrating LSTM kernel logs.
 *
 * The observer re-evaluates the cell from the op's operands after the interpreter has run it (the
 * interpreter's kernel has no hooks): given the input sequence and the states as they were before the
 * invoke, it steps through the sequence in double precision and records the ranges. Results are
 * the same as the kernel's up to float rounding, which does not matter for ranges.
 */
import { floatActivation } from '../../../dialects/tfl/kernels/lstm/lstm-common.js';
import type { Tensor } from '../../../src/interp/kernel.js';
import type { Operation } from '../../../src/ir/operation.js';
import { MinMaxObserver } from './observer.js';

const INPUT_WEIGHTS = [1, 2, 3, 4] as const;
const RECURRENT_WEIGHTS = [5, 6, 7, 8] as const;
/** Peephole weights per gate (input, forget, -, output). */
const PEEPHOLE = [9, 10, -1, 11] as const;
const BIASES = [12, 13, 14, 15] as const;
const LAYER_NORM = [20, 21, 22, 23] as const;
const PROJECTION_WEIGHTS = 16;
const PROJECTION_BIAS = 17;
export const LSTM_OUTPUT_STATE = 18;
export const LSTM_CELL_STATE = 19;
const IN = 0;
const FG = 1;
const CG = 2;
const OG = 3;

function numAttr(op: Operation, name: string, dflt: number): number {
  const a = op.attr(name);
  return a?.kind === 'float' || a?.kind === 'integer' ? Number(a.value) : dflt;
}

function boolAttrOf(op: Operation, name: string, dflt: boolean): boolean {
  const a = op.attr(name);
  if (a?.kind === 'bool') return a.value;
  if (a?.kind === 'unit') return true;
  return dflt;
}

function present(op: Operation, i: number): boolean {
  return i >= 0 && i < op.operands.length && op.operand(i).type.kind !== 'none';
}

/** Whether the op is an LSTM this observer can follow (float, unidirectional). */
export function isObservableLstm(op: Operation): boolean {
  if (op.name !== 'tfl.unidirectional_sequence_lstm' || op.operands.length !== 24) return false;
  const t = op.operand(0).type;
  const el = t.kind === 'tensor' ? t.element : undefined;
  return el !== undefined && ((el.kind === 'float' && el.name === 'f32') || el.kind === 'quant.calibrated');
}

/** The internal ranges of one LSTM. */
export class LstmObserver {
  readonly cellState = new MinMaxObserver();
  readonly outputState = new MinMaxObserver();
  /** o .* act(c) before any projection (intermediate 4). */
  readonly hidden = new MinMaxObserver();
  /** Gate accumulations before layer norm (intermediates 0..3); undefined without layer norm or for a CIFG input gate. */
  readonly gates: readonly (MinMaxObserver | undefined)[];
  readonly useLayerNorm: boolean;
  private readonly useCifg: boolean;
  private readonly usePeephole: boolean;
  private readonly useProjection: boolean;
  private readonly act: (x: number) => number;
  private readonly cellClip: number;
  private readonly projClip: number;
  private readonly timeMajor: boolean;
  private readonly diagonal: boolean;

  constructor(readonly op: Operation) {
    this.useCifg = !present(op, INPUT_WEIGHTS[IN]);
    this.usePeephole = present(op, PEEPHOLE[OG]);
    this.useLayerNorm = present(op, LAYER_NORM[FG]);
    this.useProjection = present(op, PROJECTION_WEIGHTS);
    this.gates = [0, 1, 2, 3].map((g) => (this.useLayerNorm && !(g === IN && this.useCifg) ? new MinMaxObserver() : undefined));
    const a = op.attr('fused_activation_function');
    const name = a?.kind === 'string' ? a.value : 'NONE';
    const act = floatActivation(name);
    if (!act) throw new Error(`unsupported LSTM activation ${name}`);
    this.act = act;
    this.cellClip = numAttr(op, 'cell_clip', 0);
    this.projClip = numAttr(op, 'proj_clip', 0);
    this.timeMajor = boolAttrOf(op, 'time_major', false);
    this.diagonal = boolAttrOf(op, 'diagonal_recurrent_tensors', false);
  }

  /**
   * Follows one invoke. `operands` are the op's operand tensors (undefined for absent ones) and
   * `h0`/`c0` the activation and cell state before the invoke.
   */
  observe(operands: readonly (Tensor | undefined)[], h0: ArrayLike<number>, c0: ArrayLike<number>): void {
    const data = (i: number): Float32Array | undefined => (i >= 0 ? (operands[i]?.data as Float32Array | undefined) : undefined);
    const input = operands[0];
    if (!input) return;
    const shape = input.shape;
    const nInput = shape[shape.length - 1]!;
    const maxTime = shape.length === 3 ? (this.timeMajor ? shape[0]! : shape[1]!) : 1;
    const nBatch = shape.length === 3 ? (this.timeMajor ? shape[1]! : shape[0]!) : shape[0]!;
    const wOut = operands[INPUT_WEIGHTS[OG]]!;
    const nCell = wOut.shape[0]!;
    const nOutput = h0.length / nBatch;
    const x = input.data as Float32Array;
    const W = INPUT_WEIGHTS.map((i) => data(i));
    const R = RECURRENT_WEIGHTS.map((i) => data(i));
    const P = PEEPHOLE.map((i) => (this.usePeephole ? data(i) : undefined));
    const B = BIASES.map((i) => data(i));
    const LN = LAYER_NORM.map((i) => (this.useLayerNorm ? data(i) : undefined));
    const proj = this.useProjection ? data(PROJECTION_WEIGHTS) : undefined;
    const projBias = data(PROJECTION_BIAS);
    const h = Float64Array.from(h0);
    const c = Float64Array.from(c0);
    this.outputState.update(h0);
    this.cellState.update(c0);
    const gate = [new Float64Array(nCell), new Float64Array(nCell), new Float64Array(nCell), new Float64Array(nCell)];
    const hidden = new Float64Array(nCell);
    const { useCifg, useLayerNorm, diagonal, act, cellClip, projClip, timeMajor } = this;
    const firstGate = useCifg ? FG : IN;
    const gateObs = this.gates;
    // Running extremes (folded into the observers at the end).
    let cMin = Infinity;
    let cMax = -Infinity;
    let hMin = Infinity;
    let hMax = -Infinity;
    let oMin = Infinity;
    let oMax = -Infinity;

    const computeGate = (g: number, xOff: number, hOff: number, cOff: number): void => {
      const dst = gate[g]!;
      const w = W[g]!;
      const r = R[g]!;
      const p = P[g];
      const b = B[g];
      for (let k = 0; k < nCell; k++) {
        let acc = useLayerNorm || !b ? 0 : b[k]!;
        const wo = k * nInput;
        for (let j = 0; j < nInput; j++) acc += w[wo + j]! * x[xOff + j]!;
        if (diagonal) acc += r[k]! * h[hOff + k]!;
        else {
          const ro = k * nOutput;
          for (let j = 0; j < nOutput; j++) acc += r[ro + j]! * h[hOff + j]!;
        }
        if (p) acc += p[k]! * c[cOff + k]!;
        dst[k] = acc;
      }
      if (useLayerNorm) {
        gateObs[g]?.update(dst);
        let mean = 0;
        for (let k = 0; k < nCell; k++) mean += dst[k]!;
        mean /= nCell;
        let variance = 0;
        for (let k = 0; k < nCell; k++) variance += (dst[k]! - mean) ** 2;
        variance /= nCell;
        const inv = 1 / Math.sqrt(variance + 1e-8);
        const ln = LN[g]!;
        for (let k = 0; k < nCell; k++) dst[k] = ln[k]! * (dst[k]! - mean) * inv + (b ? b[k]! : 0);
      }
      if (g === CG) for (let k = 0; k < nCell; k++) dst[k] = act(dst[k]!);
      else for (let k = 0; k < nCell; k++) dst[k] = 1 / (1 + Math.exp(-dst[k]!));
    };

    for (let t = 0; t < maxTime; t++) {
      for (let bi = 0; bi < nBatch; bi++) {
        const row = timeMajor ? t * nBatch + bi : bi * maxTime + t;
        const xOff = row * nInput;
        const hOff = bi * nOutput;
        const cOff = bi * nCell;
        for (let g = firstGate; g <= CG; g++) computeGate(g, xOff, hOff, cOff);
        const fg = gate[FG]!;
        const ig = gate[IN]!;
        const cg = gate[CG]!;
        for (let k = 0; k < nCell; k++) {
          const i = useCifg ? 1 - fg[k]! : ig[k]!;
          let cv = fg[k]! * c[cOff + k]! + i * cg[k]!;
          if (cellClip > 0) cv = cv > cellClip ? cellClip : cv < -cellClip ? -cellClip : cv;
          c[cOff + k] = cv;
          if (cv < cMin) cMin = cv;
          if (cv > cMax) cMax = cv;
        }
        computeGate(OG, xOff, hOff, cOff);
        const og = gate[OG]!;
        for (let k = 0; k < nCell; k++) {
          const v = og[k]! * act(c[cOff + k]!);
          hidden[k] = v;
          if (v < hMin) hMin = v;
          if (v > hMax) hMax = v;
        }
        if (proj) {
          for (let j = 0; j < nOutput; j++) {
            let acc = projBias ? projBias[j]! : 0;
            const po = j * nCell;
            for (let k = 0; k < nCell; k++) acc += proj[po + k]! * hidden[k]!;
            if (projClip > 0) acc = acc > projClip ? projClip : acc < -projClip ? -projClip : acc;
            h[hOff + j] = acc;
            if (acc < oMin) oMin = acc;
            if (acc > oMax) oMax = acc;
          }
        } else
          for (let j = 0; j < nOutput; j++) {
            const v = hidden[j]!;
            h[hOff + j] = v;
            if (v < oMin) oMin = v;
            if (v > oMax) oMax = v;
          }
      }
    }
    if (maxTime > 0 && nBatch > 0) {
      this.cellState.add(cMin);
      this.cellState.add(cMax);
      this.hidden.add(hMin);
      this.hidden.add(hMax);
      this.outputState.add(oMin);
      this.outputState.add(oMax);
    }
  }
}
