/**
 * `quant-quantize`: rewrites the Q/DQ form quant-prepare leaves (passes/lib/quant/qdq.ts) into
 * quantized ops. Every op whose float tensor operands all come from `tfl.dequantize` and whose float
 * tensor results all feed a `tfl.quantize` becomes the same op on the quantized values, with the
 * quantized result types; the quantize ops after it disappear (other quantize users of a result
 * become requantizes, other float users read a new dequantize). Ops marked `qopt.keep_float` stay
 * float (the mark is removed). Dead quantize/dequantize pairs and constants are erased; whatever
 * remains at the edges is the float interface (a quantize after each float input, a dequantize before
 * each float output), and `canonicalize` turns the remaining dequantize→quantize pairs into single
 * requantizes.
 */
import { boolAttr } from '../src/ir/attribute.js';
import { Builder } from '../src/ir/builder.js';
import type { Operation } from '../src/ir/operation.js';
import { elementType } from '../src/ir/type.js';
import type { Value } from '../src/ir/value.js';
import { definePass } from '../src/pass/pass.js';
import { KEEP_FLOAT, isSandwiched } from './lib/quant/qdq.js';
import { isFloatTensor } from './lib/quant/rules.js';

const REMOVABLE = new Set(['tfl.quantize', 'tfl.dequantize', 'tfl.pseudo_const', 'tfl.pseudo_qconst', 'tfl.no_value']);

/** Rewrites one sandwiched op into its quantized form. */
export function quantizeOp(op: Operation, rw: Builder): Operation {
  const operands = op.operands.map((o) => {
    const v = o.value;
    return isFloatTensor(v) && v.definingOp?.name === 'tfl.dequantize' ? v.definingOp.operand(0) : v;
  });
  const chosen: (Operation | undefined)[] = op.results.map((r) => (isFloatTensor(r) ? r.users().find((u) => u.name === 'tfl.quantize') : undefined));
  const resultTypes = op.results.map((r, i) => chosen[i]?.result(0).type ?? r.type);
  rw.setInsertionPointBefore(op);
  const attributes = new Map(op.attributes);
  attributes.delete(KEEP_FLOAT);
  const q = rw.create({ name: op.name, operands, resultTypes, attributes, loc: op.loc });
  // 16x8 ADD/SUB take TFLite's general int16 path (pot_scale_int16 = false), as its quantizer writes.
  if ((op.name === 'tfl.add' || op.name === 'tfl.sub') && !q.attr('pot_scale_int16')) {
    const e = elementType(resultTypes[0]!);
    if ((e.kind === 'quant.uniform' || e.kind === 'quant.uniform_per_axis') && e.storage.width === 16) q.setAttr('pot_scale_int16', boolAttr(false));
  }
  op.results.forEach((r, i) => {
    const nr = q.result(i);
    const c = chosen[i];
    if (!c) {
      rw.replaceAllUsesWith(r, nr);
      return;
    }
    rw.replaceAllUsesWith(c.result(0), nr);
    let dq: Value | undefined;
    for (const u of [...r.uses]) {
      const user = u.owner;
      if (user === c) continue;
      if (user.name === 'tfl.quantize') {
        // Another quantized type: a requantize of the quantized result.
        rw.modifyInPlace(user, () => u.set(nr));
        continue;
      }
      if (!dq) {
        rw.setInsertionPointAfter(q);
        dq = rw.create({ name: 'tfl.dequantize', operands: [nr], resultTypes: [r.type], loc: op.loc }).result(0);
      }
      const target = dq;
      rw.modifyInPlace(user, () => u.set(target));
    }
    rw.eraseOp(c);
  });
  const producers = op.operands.map((o) => o.value.definingOp);
  rw.eraseOp(op);
  for (const p of producers) if (p && p.parent && p.isUseEmpty && REMOVABLE.has(p.name)) rw.eraseOp(p);
  return q;
}

/** Quantizes every sandwiched op of a function; returns how many were rewritten. */
export function quantizeFunction(func: Operation, rw: Builder): number {
  const body = func.regions[0]?.blocks[0];
  if (!body) return 0;
  let n = 0;
  for (const op of body.opsArray()) {
    if (!op.parent) continue;
    if (op.attr(KEEP_FLOAT)) {
      rw.modifyInPlace(op, () => op.removeAttr(KEEP_FLOAT));
      continue;
    }
    if (!isSandwiched(op)) continue;
    quantizeOp(op, rw);
    n++;
  }
  // Dead quantize/dequantize ops and constants (bottom-up, so chains go at once).
  const ops = body.opsArray();
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (op.parent && REMOVABLE.has(op.name) && op.isUseEmpty) rw.eraseOp(op);
  }
  return n;
}

/** The quant-quantize pass. */
export const quantQuantizePass = definePass({
  name: 'quant-quantize',
  summary: 'Rewrite ops between dequantize and quantize (the form quant-prepare leaves) into quantized ops',
  description:
    'Each op whose float operands all come from tfl.dequantize and whose float results all feed tfl.quantize ' +
    'is recreated on the quantized values with the quantized result types; ops marked qopt.keep_float stay ' +
    'float. Dead quantize/dequantize ops and constants are removed; run canonicalize afterwards to merge the ' +
    'remaining rescales.',
  anchor: 'func.func',
  options: {},
  run(func) {
    const rw = new Builder();
    quantizeFunction(func, rw);
    return { changed: rw.changed };
  },
});
