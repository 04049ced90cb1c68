/**
 * Where ranges come from (phase 1 of quant-prepare): the calibration results in the IR, collected
 * and stripped so that the function is plain float afterwards.
 *
 * - `quantfork.stats(%x) {layerStats = dense<[min, max]>}` — left by quant-calibrate on every
 *   activation that needs a range (also on the variable constants of LSTM/SVDF state). The range
 *   belongs to %x; the stats op is removed (its uses go back to %x). Several stats on one value are
 *   merged (union).
 * - `!quant.calibrated<f32<min:max>>` element types — a calibrated float `.tflite` (TFLite's
 *   calibrator writes min/max into QuantizationParameters) imports with these on tensors, block
 *   arguments and variable constants. The range is recorded and the type replaced by its expressed
 *   float type (the function signature is updated).
 * - LSTM intermediates (`input_to_*_intermediate`, `effective_hidden_scale_intermediate`) given as
 *   `tensor<0x!quant.calibrated<f32<min:max>>>` type attributes: recorded per op (the attributes are
 *   left for the LSTM rule to replace).
 * - Existing `tfl.dequantize(%q : T)` / `tfl.quantize(%v) : T` in a partially quantized input seed
 *   the range T represents on their float side (lowest priority: a calibrated range wins).
 * - `tfl.var_handle {qopt.variable_range = dense<[min, max]>}`: the range of a resource variable
 *   (every handle of it in the module carries the same one), recorded by variable key and stripped;
 *   it is also the implied range of the variable's reads (used when the variable stays float).
 */
import { type DenseElementsAttr, typeAttr } from '../../../src/ir/attribute.js';
import type { Builder } from '../../../src/ir/builder.js';
import type { Operation } from '../../../src/ir/operation.js';
import { type Type, elementType, functionType, withElement } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { LSTM_OPERAND_ROLES } from '../../../dialects/tfl/quant-spec.js';
import { elementCodec } from '../../../src/syntax/dense-values.js';
import { denseNumElements } from '../../../src/ir/attribute.js';
import { VARIABLE_RANGE, accessedVariable, handleKey } from '../calibration/variables.js';
import { readRangeAttr } from '../calibration/contract.js';
import { type Range, rangeOfType, unionRange } from './math.js';

/** Ranges found in a function. */
export interface CollectedRanges {
  /** Calibrated [min, max] per SSA value. */
  readonly values: Map<Value, Range>;
  /** Calibrated LSTM intermediate ranges, per op and attribute name. */
  readonly intermediates: Map<Operation, Map<string, Range>>;
  /** Ranges implied by existing quantize/dequantize ops (used when no calibrated range exists). */
  readonly implied: Map<Value, Range>;
  /** Recorded ranges of resource variables, by variable key (`container/shared_name`). */
  readonly variables: Map<string, Range>;
}

/** [min, max] of a `layerStats` attribute. */
export function layerStatsRange(a: DenseElementsAttr): Range | undefined {
  if (a.type.element.kind !== 'float') return undefined;
  const codec = elementCodec(a.type.element);
  const view = new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
  if (denseNumElements(a) !== 2) return undefined;
  const lo = Number(codec.read(view, 0));
  const hi = Number(codec.read(view, a.splat ? 0 : codec.width));
  return Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi ? [lo, hi] : undefined;
}

function calibratedRange(t: Type): Range | undefined {
  const e = elementType(t);
  return e.kind === 'quant.calibrated' ? [e.min, e.max] : undefined;
}

function stripCalibrated(t: Type): Type {
  const e = elementType(t);
  return e.kind === 'quant.calibrated' ? withElement(t, e.expressed) : t;
}

function addRange(m: Map<Value, Range>, v: Value, r: Range): void {
  const old = m.get(v);
  m.set(v, old ? unionRange(old, r) : r);
}

/**
 * Collects the ranges of `func` (a `func.func`) and strips their carriers: stats ops are removed and
 * calibrated types become float. Only the function body's top-level block is searched.
 */
export function collectRanges(func: Operation, rw: Builder): CollectedRanges {
  const values = new Map<Value, Range>();
  const intermediates = new Map<Operation, Map<string, Range>>();
  const implied = new Map<Value, Range>();
  const variables = new Map<string, Range>();
  const body = func.regions[0]?.blocks[0];
  if (!body) return { values, intermediates, implied, variables };

  let signatureChanged = false;
  for (const a of body.args) {
    const r = calibratedRange(a.type);
    if (!r) continue;
    addRange(values, a, r);
    a.type = stripCalibrated(a.type);
    signatureChanged = true;
  }
  for (const op of body.opsArray()) {
    if (op.name === 'quantfork.stats') {
      const ls = op.attr('layerStats');
      const r = ls?.kind === 'dense' ? layerStatsRange(ls) : undefined;
      const x = op.operand(0);
      if (r) addRange(values, x, r);
      rw.replaceOp(op, [x]);
      continue;
    }
    if (op.name === 'tfl.var_handle' && op.attr(VARIABLE_RANGE)) {
      const r = readRangeAttr(op.attr(VARIABLE_RANGE));
      if (r && r.min <= r.max) {
        const key = handleKey(op);
        const old = variables.get(key);
        variables.set(key, old ? unionRange(old, [r.min, r.max]) : [r.min, r.max]);
      }
      rw.modifyInPlace(op, () => op.removeAttr(VARIABLE_RANGE));
      continue;
    }
    if (op.name === 'tfl.read_variable') {
      const key = accessedVariable(op);
      const r = key === undefined ? undefined : variables.get(key);
      if (r) addRange(implied, op.result(0), r);
    }
    let changed = false;
    for (const res of op.results) {
      const r = calibratedRange(res.type);
      if (!r) continue;
      addRange(values, res, r);
      res.type = stripCalibrated(res.type);
      changed = true;
    }
    if (op.name === 'tfl.pseudo_const' || op.name === 'tfl.pseudo_qconst') {
      // The result type of a calibrated constant lives in no attribute of its own.
    }
    if (op.name === 'tfl.unidirectional_sequence_lstm' || op.name === 'tfl.lstm') {
      for (const n of LSTM_OPERAND_ROLES.intermediates) {
        const a = op.attr(n);
        if (a?.kind !== 'type') continue;
        const r = calibratedRange(a.value);
        if (!r) continue;
        let m = intermediates.get(op);
        if (!m) intermediates.set(op, (m = new Map()));
        m.set(n, r);
      }
    }
    if (op.name === 'tfl.dequantize') {
      const e = elementType(op.operand(0).type);
      if (e.kind === 'quant.uniform') addRange(implied, op.result(0), rangeOfType(e));
    } else if (op.name === 'tfl.quantize') {
      const e = elementType(op.result(0).type);
      const x = op.operand(0);
      if (e.kind === 'quant.uniform' && elementType(x.type).kind === 'float') addRange(implied, x, rangeOfType(e));
    }
    if (changed) rw.modifyInPlace(op, () => {});
  }
  // Results of the function follow the (possibly retyped) returned values.
  const ret = body.terminator;
  const ft = func.attr('function_type');
  if (ft?.kind === 'type' && ft.value.kind === 'function') {
    const inputs = body.args.map((a) => a.type);
    const results = ret && ret.name === 'func.return' ? ret.operands.map((o) => o.value.type) : ft.value.results;
    const nt = functionType(inputs, results);
    if (nt !== ft.value || signatureChanged) rw.modifyInPlace(func, () => func.setAttr('function_type', typeAttr(nt)));
  }
  return { values, intermediates, implied, variables };
}
