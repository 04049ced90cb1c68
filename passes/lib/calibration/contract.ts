/**
 * The IR contract between calibration and the quantizer: where calibrated ranges live and how to
 * read them.
 *
 * 1. `quantfork.stats(%x) {layerStats = dense<[min, max]> : tensor<2xf32>}`: the range of `%x` (and
 *    of the stats result, an identity). `quant-insert-calibration` creates stats ops without
 *    `layerStats`; `quant-calibrate` fills it with the chosen method's range (not forced to contain
 *    0), plus `qopt.observed = dense<[min, max]> : tensor<2xf32>` (the raw extremes seen) and
 *    `qopt.calibration = "<method>"` for reporting. A `default-range` fallback is marked
 *    `qopt.calibration = "default"`.
 * 2. `!quant.calibrated<f32<min:max>>` element types (what a calibrated .tflite imports as, and what
 *    `quant-calibrate` gives the float variable state constants of stateful ops — LSTM activation and
 *    cell state, SVDF state — since a stats op cannot sit between a variable and its op).
 * 3. LSTM intermediates: `effective_hidden_scale_intermediate` (always) and, with layer norm,
 *    `input_to_{input,forget,cell,output}_intermediate` type attributes of
 *    `tfl.unidirectional_sequence_lstm`, as `tensor<0x!quant.calibrated<f32<min:max>>>` (the importer's
 *    form).
 * 4. Resource variables: `tfl.var_handle {qopt.variable_range = dense<[min, max]> : tensor<2xf32>}`
 *    on every handle of the variable in the module (variables.ts): the range of every value the
 *    variable holds — its initial value (the constants assigned to it, e.g. by the unrolled LSTM's
 *    initialiser), every value assigned to it and every value read from it during calibration.
 *    TFLite stores a quantized variable in one type, which the reads give and the assigns take;
 *    quant-prepare derives that type from this range, identically in every function.
 *
 * {@link valueRange} reads 1 and 2 for any value.
 */
import { type Attribute, type DenseElementsAttr, denseAttr, denseFullBytes } from '../../../src/ir/attribute.js';
import type { Operation } from '../../../src/ir/operation.js';
import { elementType, f32, tensorType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import type { Range } from './range-methods.js';

/** The statistics op. */
export const STATS_OP = 'quantfork.stats';
/** Its range attribute. */
export const LAYER_STATS = 'layerStats';
/** Raw observed [min, max] written by quant-calibrate. */
export const OBSERVED_ATTR = 'qopt.observed';
/** The method that produced layerStats. */
export const METHOD_ATTR = 'qopt.calibration';

/** `dense<[min, max]> : tensor<2xf32>`. */
export function rangeAttr(r: Range): DenseElementsAttr {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setFloat32(0, r.min, true);
  view.setFloat32(4, r.max, true);
  return denseAttr(tensorType([2], f32()), bytes);
}

/** Reads a `[min, max]` f32 dense attribute. */
export function readRangeAttr(a: Attribute | undefined): Range | undefined {
  if (a?.kind !== 'dense' || a.type.element.kind !== 'float' || a.type.element.name !== 'f32') return undefined;
  const bytes = denseFullBytes(a);
  if (bytes.length !== 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return { min: view.getFloat32(0, true), max: view.getFloat32(4, true) };
}

/** Whether `op` is a stats op. */
export function isStatsOp(op: Operation | undefined): boolean {
  return op?.name === STATS_OP;
}

/** The layerStats range of a stats op. */
export function statsRange(op: Operation): Range | undefined {
  return readRangeAttr(op.attr(LAYER_STATS));
}

/** The stats op that records `v`'s range: `v`'s definer, or a user of `v`. */
export function statsOpOf(v: Value): Operation | undefined {
  const def = v.definingOp;
  if (def && isStatsOp(def)) return def;
  for (const u of v.uses) if (isStatsOp(u.owner)) return u.owner;
  return undefined;
}

/** The calibrated range `v` carries: a stats op's layerStats, or a `!quant.calibrated` element type. */
export function valueRange(v: Value): Range | undefined {
  const el = elementType(v.type);
  if (el.kind === 'quant.calibrated') return { min: el.min, max: el.max };
  const s = statsOpOf(v);
  return s ? statsRange(s) : undefined;
}
