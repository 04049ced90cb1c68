/**
 * Unit tests of the tfl folders (exact identities only, small integer constant folding), the
 * canonicalization pattern table (applied by hand through a Builder) and the constant materializer.
 */
import { describe, expect, it } from 'vitest';
import { denseAttr, integerAttr, stringAttr, typeAttr, unitAttr } from '../../src/ir/attribute.js';
import { Builder } from '../../src/ir/builder.js';
import { UnknownLoc } from '../../src/ir/location.js';
import type { Operation } from '../../src/ir/operation.js';
import { type Type, f32, i16, i32, i8, noneType, tensorType, uniformQuantType } from '../../src/ir/type.js';
import { TFL_CANONICALIZATION_PATTERNS, TflDialect, materializeTflConstant } from '../../dialects/tfl/index.js';
import { denseInts } from '../../dialects/tfl/verify-helpers.js';
import { Scratch, def, f32Dense, fold, i32Dense } from './helpers.js';

const t = (shape: number[], el: Type = f32()) => tensorType(shape, el);
const NONE = { fused_activation_function: stringAttr('NONE') };
const RELU = { fused_activation_function: stringAttr('RELU') };

describe('tfl folders', () => {
  it('fold exact arithmetic identities only', () => {
    const s = new Scratch();
    const x = s.arg(t([2, 3]));
    const negZero = s.cst(f32Dense([-0], [3]));
    const posZero = s.cst(f32Dense([0], [3]));
    const one = s.cst(f32Dense([1, 1, 1]));
    expect(fold(s.op('tfl.add', [x, negZero], [t([2, 3])], NONE))).toEqual([x]);
    expect(fold(s.op('tfl.add', [negZero, x], [t([2, 3])], NONE))).toEqual([x]);
    expect(fold(s.op('tfl.add', [x, posZero], [t([2, 3])], NONE))).toBeUndefined();
    expect(fold(s.op('tfl.sub', [x, posZero], [t([2, 3])], NONE))).toEqual([x]);
    expect(fold(s.op('tfl.sub', [posZero, x], [t([2, 3])], NONE))).toBeUndefined();
    expect(fold(s.op('tfl.mul', [one, x], [t([2, 3])], NONE))).toEqual([x]);
    expect(fold(s.op('tfl.mul', [x, one], [t([2, 3])], RELU))).toBeUndefined();
    expect(fold(s.op('tfl.div', [x, one], [t([2, 3])], NONE))).toEqual([x]);
    // Broadcasting x to a larger result is not an identity.
    const small = s.arg(t([3]));
    expect(fold(s.op('tfl.mul', [small, s.cst(f32Dense([1, 1, 1, 1, 1, 1], [2, 3]))], [t([2, 3])], NONE))).toBeUndefined();
    expect(fold(s.op('tfl.maximum', [x, x], [t([2, 3])]))).toEqual([x]);
  });

  it('never treats stored integers of a quantized constant as identities', () => {
    const s = new Scratch();
    const q = uniformQuantType(i8(), f32(), 0.5, 0);
    const x = s.arg(t([4], q));
    const stored = denseAttr(t([4], i8()), new Uint8Array([1]));
    const c = s.op('tfl.pseudo_qconst', [], [t([4], q)], { qtype: typeAttr(t([4], q)), value: stored }).result(0);
    expect(fold(s.op('tfl.mul', [x, c], [t([4], q)], NONE))).toBeUndefined();
  });

  it('fold small int32 shape arithmetic', () => {
    const s = new Scratch();
    const a = s.cst(i32Dense([2, 3, 4]));
    const b = s.cst(i32Dense([10], []));
    const r = fold(s.op('tfl.mul', [a, b], [t([3], i32())], NONE));
    expect(r?.[0] && r[0].kind === 'dense' ? denseInts(r[0]) : undefined).toEqual([20, 30, 40]);
    const r2 = fold(s.op('tfl.sub', [a, s.cst(i32Dense([1, 1, 1]))], [t([3], i32())], NONE));
    expect(r2?.[0] && r2[0].kind === 'dense' ? denseInts(r2[0]) : undefined).toEqual([1, 2, 3]);
    const overflow = fold(s.op('tfl.mul', [s.cst(i32Dense([2 ** 30])), s.cst(i32Dense([4]))], [t([1], i32())], NONE));
    expect(overflow).toBeUndefined();
  });

  it('fold shape-only identities and constants', () => {
    const s = new Scratch();
    const x = s.arg(t([2, 3]));
    expect(fold(s.op('tfl.reshape', [x, s.cst(i32Dense([2, 3]))], [t([2, 3])]))).toEqual([x]);
    expect(fold(s.op('tfl.reshape', [x, s.cst(i32Dense([3, 2]))], [t([3, 2])]))).toBeUndefined();
    const c = s.cst(f32Dense([1, 2, 3, 4, 5, 6], [2, 3]));
    const r = fold(s.op('tfl.reshape', [c, s.cst(i32Dense([6]))], [t([6])]));
    expect(r?.[0]?.kind === 'dense' && r[0].type).toBe(t([6]));
    expect(fold(s.op('tfl.transpose', [x, s.cst(i32Dense([0, 1]))], [t([2, 3])]))).toEqual([x]);
    expect(fold(s.op('tfl.transpose', [s.arg(t([3, 3])), s.cst(i32Dense([1, 0]))], [t([3, 3])]))).toBeUndefined();
    expect(fold(s.op('tfl.pad', [x, s.cst(i32Dense([0, 0, 0, 0], [2, 2]))], [t([2, 3])]))).toEqual([x]);
    expect(fold(s.op('tfl.cast', [x], [t([2, 3])]))).toEqual([x]);
    const sh = fold(s.op('tfl.shape', [x], [t([2], i32())]));
    expect(sh?.[0]?.kind === 'dense' ? denseInts(sh[0]) : undefined).toEqual([2, 3]);
    expect(fold(s.op('tfl.shape', [s.arg(t([-1, 3]))], [t([2], i32())]))).toBeUndefined();
    expect(fold(s.op('tfl.concatenation', [x], [t([2, 3])], { ...NONE, axis: integerAttr(0, i32()) }))).toEqual([x]);
    const q = t([2, 3], uniformQuantType(i8(), f32(), 0.1, 0));
    const xq = s.arg(q);
    expect(fold(s.op('tfl.quantize', [xq], [q], { qtype: typeAttr(q) }))).toEqual([xq]);
  });
});

/** Applies the first matching pattern rooted at `op`; returns its name. */
function canonicalizeOnce(op: Operation, rw: Builder): string | undefined {
  const ps = [...TFL_CANONICALIZATION_PATTERNS].filter((p) => p.root === op.name).sort((a, b) => b.benefit - a.benefit);
  for (const p of ps) if (p.matchAndRewrite(op, rw)) return p.name;
  return undefined;
}

describe('tfl canonicalization patterns', () => {
  it('are attached to their root ops with one-line docs', () => {
    for (const p of TFL_CANONICALIZATION_PATTERNS) {
      expect(p.doc).toMatch(/->/);
      expect(p.doc).not.toContain('\n');
      expect(def(p.root!).canonicalize).toContain(p);
    }
  });

  it('reshape(reshape(x)) -> reshape(x), and to x when the types agree', () => {
    const s = new Scratch();
    const rw = new Builder();
    const x = s.arg(t([2, 6]));
    const inner = s.op('tfl.reshape', [x, s.cst(i32Dense([12]))], [t([12])]);
    const outer = s.op('tfl.reshape', [inner.result(0), s.cst(i32Dense([3, 4]))], [t([3, 4])]);
    const user = s.op('func.return', [outer.result(0)], []);
    expect(canonicalizeOnce(outer, rw)).toBe('tfl.reshape:reshape-of-reshape');
    expect(outer.operand(0)).toBe(x);
    expect(inner.parent).toBeNull();
    const back = s.op('tfl.reshape', [outer.result(0), s.cst(i32Dense([2, 6]))], [t([2, 6])]);
    const use2 = s.op('func.return', [back.result(0)], []);
    expect(canonicalizeOnce(back, rw)).toBe('tfl.reshape:reshape-chain-identity');
    expect(use2.operand(0)).toBe(x);
    expect(user.operand(0)).toBe(outer.result(0));
  });

  it('squeeze(expand_dims(x)) -> x', () => {
    const s = new Scratch();
    const x = s.arg(t([3]));
    const e = s.op('tfl.expand_dims', [x, s.cst(i32Dense([0], []))], [t([1, 3])]);
    const q = s.op('tfl.squeeze', [e.result(0)], [t([3])]);
    const user = s.op('func.return', [q.result(0)], []);
    expect(canonicalizeOnce(q, new Builder())).toBe('tfl.squeeze:reshape-chain-identity');
    expect(user.operand(0)).toBe(x);
  });

  it('inverse transposes cancel', () => {
    const s = new Scratch();
    const x = s.arg(t([2, 3, 4]));
    const a = s.op('tfl.transpose', [x, s.cst(i32Dense([2, 0, 1]))], [t([4, 2, 3])]);
    const b = s.op('tfl.transpose', [a.result(0), s.cst(i32Dense([1, 2, 0]))], [t([2, 3, 4])]);
    const user = s.op('func.return', [b.result(0)], []);
    expect(canonicalizeOnce(b, new Builder())).toBe('tfl.transpose:inverse-transposes');
    expect(user.operand(0)).toBe(x);
    const c = s.op('tfl.transpose', [x, s.cst(i32Dense([2, 0, 1]))], [t([4, 2, 3])]);
    const d = s.op('tfl.transpose', [c.result(0), s.cst(i32Dense([2, 0, 1]))], [t([3, 4, 2])]);
    expect(canonicalizeOnce(d, new Builder())).toBeUndefined();
  });

  it('quantize(dequantize(x)) -> x or a requantize', () => {
    const s = new Scratch();
    const q8 = t([4], uniformQuantType(i8(), f32(), 0.1, 0));
    const q8b = t([4], uniformQuantType(i8(), f32(), 0.2, 3));
    const q16 = t([4], uniformQuantType(i16(), f32(), 0.001, 0));
    const x = s.arg(q8);
    const dq = s.op('tfl.dequantize', [x], [t([4])]);
    const same = s.op('tfl.quantize', [dq.result(0)], [q8], { qtype: typeAttr(q8) });
    const other = s.op('tfl.quantize', [dq.result(0)], [q8b], { qtype: typeAttr(q8b) });
    const wide = s.op('tfl.quantize', [dq.result(0)], [q16], { qtype: typeAttr(q16) });
    const user = s.op('func.return', [same.result(0), other.result(0), wide.result(0)], []);
    const rw = new Builder();
    expect(canonicalizeOnce(same, rw)).toBe('tfl.quantize:dequantize-quantize-same-type');
    expect(user.operand(0)).toBe(x);
    expect(canonicalizeOnce(other, rw)).toBe('tfl.quantize:requantize');
    expect(other.operand(0)).toBe(x);
    expect(dq.parent).not.toBeNull(); // still used by `wide`
    expect(canonicalizeOnce(wide, rw)).toBe('tfl.quantize:requantize');
    expect(dq.parent).toBeNull();
  });

  it('relu(relu(x)) -> relu(x)', () => {
    const s = new Scratch();
    const x = s.arg(t([4]));
    const a = s.op('tfl.relu', [x], [t([4])]);
    const b = s.op('tfl.relu', [a.result(0)], [t([4])]);
    const user = s.op('func.return', [b.result(0)], []);
    expect(canonicalizeOnce(b, new Builder())).toBe('tfl.relu:idempotent');
    expect(user.operand(0)).toBe(a.result(0));
  });
});

describe('tfl constant materialization', () => {
  it('builds pseudo_const, pseudo_qconst and no_value', () => {
    const s = new Scratch();
    const b = new Builder();
    b.setInsertionPointToEnd(s.block);
    const v = i32Dense([1, 2]);
    const c = materializeTflConstant(b, v, v.type, UnknownLoc);
    expect(c?.name).toBe('tfl.pseudo_const');
    expect(c?.attr('value')).toBe(v);
    expect(materializeTflConstant(b, v, t([2]), UnknownLoc)).toBeUndefined();
    const qt = t([2], uniformQuantType(i8(), f32(), 0.5, 1));
    const stored = denseAttr(t([2], i8()), new Uint8Array([3, 4]));
    const q = materializeTflConstant(b, stored, qt, UnknownLoc);
    expect(q?.name).toBe('tfl.pseudo_qconst');
    expect(q?.attr('qtype')).toEqual(typeAttr(qt));
    expect(q?.attr('value')).toBe(stored);
    expect(def('tfl.pseudo_qconst').verify?.(q!)).toBeUndefined();
    const asQuant = denseAttr(qt, new Uint8Array([3, 4]));
    expect(materializeTflConstant(b, asQuant, qt, UnknownLoc)?.attr('value')).toBe(stored);
    const n = materializeTflConstant(b, unitAttr(), noneType(), UnknownLoc);
    expect(n?.name).toBe('tfl.no_value');
    expect(TflDialect.materializeConstant).toBe(materializeTflConstant);
  });
});
