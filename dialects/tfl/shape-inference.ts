/**
 * Shape functions of the tfl data-movement and elementwise ops (`OpDef.inferResultShapes`): numpy
 * broadcasting, reshape with a constant shape, concatenation, pack/unpack, split, squeeze,
 * expand_dims, transpose, pads, slice, gather, tile/broadcast_to/fill, resizes and reductions with
 * constant axes. The nn and recurrent ops' shape functions are in shape-inference-nn.ts.
 */
import type { InferredShapes, OperandShapes } from '../../src/ir/op-def.js';
import type { Operation } from '../../src/ir/operation.js';
import { formatShape, mergeShapes } from '../../src/ir/shape-inference.js';
import { boolAttrOf, broadcastShapes, constantInts, intArrayAttr, intAttr, normalizeAxis } from './verify-helpers.js';

/** A shape function of the tfl dialect. */
export type ShapeFn = (op: Operation, shapes: OperandShapes) => InferredShapes;

/** Every result unknown (operands not shaped yet, or a value only known at run time). */
export function unknownShapes(op: Operation): InferredShapes {
  return op.results.map(() => undefined);
}

/** Product of the dims, -1 when any is dynamic. */
export function elementCount(s: readonly number[]): number {
  let n = 1;
  for (const d of s) {
    if (d < 0) return -1;
    n *= d;
  }
  return n;
}

/** `expects a 4d input, got [1, 2]`-style rank check; undefined when the rank is right. */
export function checkRank(s: readonly number[], rank: number, what: string): string | undefined {
  return s.length === rank ? undefined : `expects a ${rank}d ${what}, got ${formatShape(s)}`;
}

/** Numpy broadcasting of every operand (add, mul, comparisons, select_v2, ...). */
export const inferBroadcast: ShapeFn = (op, shapes) => {
  let out: readonly number[] | undefined;
  for (let i = 0; i < shapes.length; i++) {
    const s = shapes[i];
    if (!s) return unknownShapes(op);
    if (!out) {
      out = s;
      continue;
    }
    const b = broadcastShapes(out, s);
    if (!b) return `operand shapes ${shapes.map((x) => formatShape(x ?? [])).join(', ')} are not broadcast-compatible`;
    out = b;
  }
  return op.results.map(() => out);
};

/** tfl.select: shaped like x and y (the condition may be rank 1 over dim 0). */
export const inferSelect: ShapeFn = (op, shapes) => {
  const x = shapes[1];
  const y = shapes[2];
  if (!x || !y) return [x ?? y];
  const m = mergeShapes(x, y);
  return typeof m === 'string' ? `x and y must have the same shape: ${m}` : [m];
};

/** tfl.add_n: every operand has the result shape. */
export const inferAddN: ShapeFn = (op, shapes) => {
  let out: readonly number[] | undefined;
  for (const s of shapes) {
    if (!s) continue;
    const m = out ? mergeShapes(out, s) : s;
    if (typeof m === 'string') return `operands must have the same shape: ${m}`;
    out = m;
  }
  return [out];
};

/** tfl.reshape: the constant shape operand (one -1 takes the remaining elements). */
export const inferReshape: ShapeFn = (op, shapes) => {
  const want = constantInts(op.operands[1]?.value);
  if (!want) {
    // Without the values, a static 1-d shape operand still gives the rank.
    const s = shapes[1];
    return s && s.length === 1 && s[0]! >= 0 ? [new Array<number>(s[0]!).fill(-1)] : unknownShapes(op);
  }
  const holes = want.filter((d) => d === -1).length;
  if (holes > 1) return `shape operand [${want.join(', ')}] has more than one -1`;
  if (want.some((d) => d < -1)) return `shape operand [${want.join(', ')}] has a negative dimension`;
  const input = shapes[0];
  const total = input ? elementCount(input) : -1;
  const known = want.reduce((a, d) => (d === -1 ? a : a * d), 1);
  if (total < 0) return [want];
  if (holes === 0) {
    if (known !== total) return `cannot reshape ${total} elements ${formatShape(input!)} into [${want.join(', ')}]`;
    return [want];
  }
  if (known === 0 || total % known !== 0) return `cannot reshape ${total} elements ${formatShape(input!)} into [${want.join(', ')}]`;
  return [want.map((d) => (d === -1 ? total / known : d))];
};

/** tfl.concatenation: the operands joined along `axis`. */
export const inferConcatenation: ShapeFn = (op, shapes) => {
  if (shapes.some((s) => !s)) return unknownShapes(op);
  const all = shapes as readonly (readonly number[])[];
  if (all.length === 0) return 'expects at least one operand';
  const rank = all[0]!.length;
  const axisAttr = intAttr(op, 'axis') ?? 0;
  const axis = normalizeAxis(axisAttr, rank);
  if (axis === undefined) return `axis ${axisAttr} is out of range for rank ${rank}`;
  const out = [...all[0]!];
  for (let i = 1; i < all.length; i++) {
    const s = all[i]!;
    if (s.length !== rank) return `operand #${i} ${formatShape(s)} does not have rank ${rank} like operand #0`;
    for (let d = 0; d < rank; d++) {
      if (d === axis) {
        out[d] = out[d]! < 0 || s[d]! < 0 ? -1 : out[d]! + s[d]!;
        continue;
      }
      if (out[d]! >= 0 && s[d]! >= 0 && out[d] !== s[d])
        return `operand #${i} dimension ${d} (${s[d]}) does not match operand #0 (${out[d]})`;
      if (out[d]! < 0) out[d] = s[d]!;
    }
  }
  return [out];
};

/** tfl.pack: the (same-shaped) operands stacked along a new `axis`. */
export const inferPack: ShapeFn = (op, shapes) => {
  let s: readonly number[] | undefined;
  for (let i = 0; i < shapes.length; i++) {
    const x = shapes[i];
    if (!x) continue;
    const m = s ? mergeShapes(s, x) : x;
    if (typeof m === 'string') return `operand #${i} must have the shape of the others: ${m}`;
    s = m;
  }
  if (!s) return [undefined];
  const axisAttr = intAttr(op, 'axis') ?? 0;
  const axis = normalizeAxis(axisAttr, s.length + 1);
  if (axis === undefined) return `axis ${axisAttr} is out of range for rank ${s.length + 1}`;
  return [[...s.slice(0, axis), shapes.length, ...s.slice(axis)]];
};

/** tfl.unpack: the input with `axis` removed, for every result. */
export const inferUnpack: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  if (!s) return unknownShapes(op);
  const axisAttr = intAttr(op, 'axis') ?? 0;
  const axis = normalizeAxis(axisAttr, s.length);
  if (axis === undefined) return `axis ${axisAttr} is out of range for a ${s.length}d input`;
  if (s[axis]! >= 0 && s[axis] !== op.results.length) return `dimension ${axis} (${s[axis]}) does not match the ${op.results.length} results`;
  const out = s.filter((_, i) => i !== axis);
  return op.results.map(() => out);
};

/** tfl.split: `num_splits` equal parts along the constant split_dim. */
export const inferSplit: ShapeFn = (op, shapes) => {
  const s = shapes[1];
  const d = constantInts(op.operands[0]?.value);
  if (!s || !d || d.length !== 1) return unknownShapes(op);
  const axis = normalizeAxis(d[0]!, s.length);
  if (axis === undefined) return `split_dim ${d[0]} is out of range for a ${s.length}d value`;
  const n = op.results.length;
  const size = s[axis]!;
  if (size >= 0 && size % n !== 0) return `dimension ${axis} (${size}) is not divisible into ${n} parts`;
  const out = s.map((x, i) => (i === axis && x >= 0 ? x / n : x));
  return op.results.map(() => out);
};

/** tfl.squeeze: drops squeeze_dims (or every size-1 dim when empty). */
export const inferSqueeze: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  if (!s) return [undefined];
  const dims = intArrayAttr(op, 'squeeze_dims') ?? [];
  if (dims.length === 0) return s.some((d) => d < 0) ? [undefined] : [s.filter((d) => d !== 1)];
  const drop = new Set<number>();
  for (const d of dims) {
    const a = normalizeAxis(d, s.length);
    if (a === undefined) return `squeeze dimension ${d} is out of range for a ${s.length}d input`;
    if (s[a]! >= 0 && s[a] !== 1) return `cannot squeeze dimension ${d} of size ${s[a]}`;
    drop.add(a);
  }
  return [s.filter((_, i) => !drop.has(i))];
};

/** tfl.expand_dims: a size-1 dim inserted at the constant `dim`. */
export const inferExpandDims: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  const d = constantInts(op.operands[1]?.value);
  if (!s || !d || d.length !== 1) return [undefined];
  const a = normalizeAxis(d[0]!, s.length + 1);
  if (a === undefined) return `dim ${d[0]} is out of range for a ${s.length}d input`;
  return [[...s.slice(0, a), 1, ...s.slice(a)]];
};

/** tfl.transpose: result dim i is input dim perm[i] (constant perm). */
export const inferTranspose: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  const perm = constantInts(op.operands[1]?.value);
  if (!s || !perm) return [undefined];
  if (perm.length !== s.length) return `perm [${perm.join(', ')}] does not have ${s.length} entries (the input rank)`;
  const seen = new Set(perm);
  if (seen.size !== perm.length || perm.some((p) => p < 0 || p >= s.length)) return `perm [${perm.join(', ')}] is not a permutation`;
  return [perm.map((p) => s[p]!)];
};

/** tfl.pad / padv2 / mirror_pad: each dim grows by its constant [before, after]. */
export const inferPad: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  const p = constantInts(op.operands[1]?.value);
  if (!s || !p) return [undefined];
  if (p.length !== 2 * s.length) return `padding has ${p.length} values, expected ${2 * s.length} for a ${s.length}d input`;
  if (p.some((x) => x < 0)) return `padding [${p.join(', ')}] has a negative entry`;
  return [s.map((d, i) => (d < 0 ? -1 : d + p[2 * i]! + p[2 * i + 1]!))];
};

/** tfl.slice: the constant `size` (-1 = to the end from the constant `begin`). */
export const inferSlice: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  const begin = constantInts(op.operands[1]?.value);
  const size = constantInts(op.operands[2]?.value);
  if (!s || !size) return [undefined];
  if (size.length !== s.length) return `size has ${size.length} entries, expected ${s.length} (the input rank)`;
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const n = size[i]!;
    const b = begin?.[i];
    if (n >= 0) {
      if (b !== undefined && s[i]! >= 0 && b + n > s[i]!) return `slice [${b}, ${b + n}) of dimension ${i} exceeds its size ${s[i]}`;
      out.push(n);
    } else out.push(s[i]! >= 0 && b !== undefined ? s[i]! - b : -1);
  }
  return [out];
};

/** tfl.gather: params[:axis] + indices[batch_dims:] + params[axis+1:]. */
export const inferGather: ShapeFn = (op, shapes) => {
  const p = shapes[0];
  const idx = shapes[1];
  if (!p || !idx) return [undefined];
  const axisAttr = intAttr(op, 'axis') ?? 0;
  const axis = normalizeAxis(axisAttr, p.length);
  if (axis === undefined) return `axis ${axisAttr} is out of range for ${p.length}d params`;
  const bdAttr = intAttr(op, 'batch_dims') ?? 0;
  const bd = bdAttr < 0 ? bdAttr + idx.length : bdAttr;
  if (bd < 0 || bd > axis) return `batch_dims ${bdAttr} must be in [0, axis]`;
  return [[...p.slice(0, axis), ...idx.slice(bd), ...p.slice(axis + 1)]];
};

/** tfl.tile: dim i times the constant multiples[i]. */
export const inferTile: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  const m = constantInts(op.operands[1]?.value);
  if (!s || !m) return [undefined];
  if (m.length !== s.length) return `multiples has ${m.length} entries, expected ${s.length} (the input rank)`;
  return [s.map((d, i) => (d < 0 ? -1 : d * m[i]!))];
};

/** A constant shape operand taken as the result shape (broadcast_to's `shape`, fill's `dims`). */
export function inferFromShapeOperand(index: number): ShapeFn {
  return (op) => {
    const s = constantInts(op.operands[index]?.value);
    if (!s) return [undefined];
    if (s.some((d) => d < 0)) return `shape operand [${s.join(', ')}] has a negative dimension`;
    return [s];
  };
}

/** tfl.resize_*: [batch, size[0], size[1], channels]. */
export const inferResize: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  const size = constantInts(op.operands[1]?.value);
  if (!s || !size) return [undefined];
  const bad = checkRank(s, 4, 'input');
  if (bad) return bad;
  if (size.length !== 2) return `size must have 2 elements (height, width), got ${size.length}`;
  return [[s[0]!, size[0]!, size[1]!, s[3]!]];
};

/** tfl.shape: a 1-d tensor with one entry per input dim. */
export const inferShapeOp: ShapeFn = (_op, shapes) => [shapes[0] ? [shapes[0].length] : undefined];

/** Reductions (mean, sum, reduce_*) over constant axes; keep_dims keeps them with size 1. */
export const inferReduction: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  const axes = constantInts(op.operands[1]?.value);
  if (!s || !axes) return [undefined];
  const reduced = new Set<number>();
  for (const a of axes) {
    const n = normalizeAxis(a, s.length);
    if (n === undefined) return `reduction axis ${a} is out of range for a ${s.length}d input`;
    reduced.add(n);
  }
  const keep = boolAttrOf(op, 'keep_dims') ?? false;
  return [keep ? s.map((d, i) => (reduced.has(i) ? 1 : d)) : s.filter((_, i) => !reduced.has(i))];
};

/** arg_max / arg_min: the input without the constant `dim`. */
export const inferArgReduce: ShapeFn = (op, shapes) => {
  const s = shapes[0];
  const d = constantInts(op.operands[1]?.value);
  if (!s || !d || d.length !== 1) return [undefined];
  const a = normalizeAxis(d[0]!, s.length);
  if (a === undefined) return `dim ${d[0]} is out of range for a ${s.length}d input`;
  return [s.filter((_, i) => i !== a)];
};
