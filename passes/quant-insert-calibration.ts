/**
 * `quant-insert-calibration`: puts a `quantfork.stats` op (without `layerStats` yet) after every float
 * value whose range calibration must measure, and routes the value's uses through it (stats is an
 * identity). Which values get one is decided by passes/lib/calibration/points.ts (function
 * arguments and quantizable op results; not constants, fixed-range outputs, never-quantized ops, or
 * same-scale results that share their producer's point). Values that already carry a range are left
 * alone, so the pass is idempotent. `quant-calibrate` then fills in the ranges.
 */
import { Builder } from '../src/ir/builder.js';
import type { Location } from '../src/ir/location.js';
import type { Operation } from '../src/ir/operation.js';
import type { Value } from '../src/ir/value.js';
import { definePass } from '../src/pass/pass.js';
import { STATS_OP } from './lib/calibration/contract.js';
import { rangePoints } from './lib/calibration/points.js';

function locOf(v: Value): Location {
  const def = v.definingOp;
  return def ? def.loc : (v as unknown as { loc: Location }).loc;
}

/** Inserts the stats ops into one function; returns the new stats ops. */
export function insertCalibrationPoints(func: Operation, b: Builder = new Builder()): Operation[] {
  const body = func.regions[0]?.blocks[0];
  if (!body) return [];
  const points = rangePoints(func);
  const created: Operation[] = [];
  let lastArgStats: Operation | undefined;
  const lastAfter = new Map<Operation, Operation>();
  for (const v of points) {
    const def = v.definingOp;
    if (def) {
      // After the op, and after the stats ops of its earlier results.
      b.setInsertionPointAfter(lastAfter.get(def) ?? def);
    } else if (lastArgStats) b.setInsertionPointAfter(lastArgStats);
    else b.setInsertionPointToStart(body);
    const stats = b.create({ name: STATS_OP, operands: [v], resultTypes: [v.type], loc: locOf(v) });
    if (def) lastAfter.set(def, stats);
    else lastArgStats = stats;
    const r = stats.result(0);
    for (const u of [...v.uses]) if (u.owner !== stats) b.modifyInPlace(u.owner, () => u.set(r));
    created.push(stats);
  }
  return created;
}

/** The pass. */
export const quantInsertCalibrationPass = definePass({
  name: 'quant-insert-calibration',
  summary: 'Insert quantfork.stats ops on the float values calibration must measure',
  description:
    'Adds a quantfork.stats identity (without layerStats) after each function argument and each float result of a quantizable op, ' +
    'except constants, fixed-range outputs (logistic, tanh, softmax, ...), ops that are never quantized, and same-scale results ' +
    "that share their source's range (reshape, pooling, transpose, ...: one point per same-scale group, on the group's producer). " +
    'Same-scale ops with several sources (concatenation, pack, maximum, ...) get a point on their result. Values that already ' +
    'have a range (!quant.calibrated or an existing stats op) are left alone; the pass is idempotent. quant-calibrate fills the ranges.',
  anchor: 'func.func',
  options: {},
  run(op) {
    return { changed: insertCalibrationPoints(op).length > 0 };
  },
});
