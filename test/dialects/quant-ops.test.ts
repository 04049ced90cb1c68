/**
 * Unit tests of the quant dialect ops: well-formed definitions, the cast verifiers (float <->
 * quantized <-> storage), quantfork.stats layout checks, fake-quant ranges and the cast folders.
 */
import { describe, expect, it } from 'vitest';
import { arrayAttr, boolAttr, floatAttr, integerAttr } from '../../src/ir/attribute.js';
import { type Type, f16, f32, i16, i64, i8, tensorType, uniformPerAxisQuantType, uniformQuantType } from '../../src/ir/type.js';
import { QuantDialect, quantOpNames } from '../../dialects/quant/index.js';
import { Scratch, f32Dense, fold, verify } from './helpers.js';

const t = (shape: number[], el: Type = f32()) => tensorType(shape, el);
const q8 = uniformQuantType(i8(), f32(), 0.25, -3);

describe('quant op definitions', () => {
  it('are well formed', () => {
    expect(quantOpNames).toEqual(['quant.dcast', 'quant.qcast', 'quant.scast', 'quantfork.const_fake_quant', 'quantfork.const_fake_quant_per_axis', 'quantfork.stats']);
    for (const d of QuantDialect.ops) {
      expect(d.name.startsWith('quant.')).toBe(true);
      expect(d.summary).not.toBe('');
      expect(d.description ?? '').not.toBe('');
    }
  });
});

describe('quant casts', () => {
  it('qcast and dcast pair a float type with a quantized type over it', () => {
    const s = new Scratch();
    const x = s.arg(t([2, 3]));
    expect(verify(s.op('quant.qcast', [x], [t([2, 3], q8)]))).toBeUndefined();
    expect(verify(s.op('quant.qcast', [x], [t([2, 3])]))).toBe('result must have a quantized element type, got f32');
    expect(verify(s.op('quant.qcast', [s.arg(t([2, 3], f16()))], [t([2, 3], q8)]))).toBe(
      'expressed type f32 of the result does not match the operand element type f16',
    );
    expect(verify(s.op('quant.qcast', [x], [t([3, 2], q8)]))).toBe('operand and result shapes differ');
    const pa = uniformPerAxisQuantType(i8(), f32(), 1, [0.1, 0.2], [0, 0]);
    expect(verify(s.op('quant.qcast', [x], [t([2, 3], pa)]))).toBe('per-axis type has 2 scales for dimension 1 of size 3');
    expect(verify(s.op('quant.dcast', [s.arg(t([2, 3], q8))], [t([2, 3])]))).toBeUndefined();
    expect(verify(s.op('quant.dcast', [x], [t([2, 3])]))).toBe('operand must have a quantized element type, got f32');
  });

  it('scast reinterprets storage', () => {
    const s = new Scratch();
    expect(verify(s.op('quant.scast', [s.arg(t([4], q8))], [t([4], i8())]))).toBeUndefined();
    expect(verify(s.op('quant.scast', [s.arg(t([4], i8()))], [t([4], q8)]))).toBeUndefined();
    expect(verify(s.op('quant.scast', [s.arg(t([4], i16()))], [t([4], q8)]))).toBe('storage type i8 of the quantized type does not match i16');
    expect(verify(s.op('quant.scast', [s.arg(t([4], i8()))], [t([4], i8())]))).toBe(
      'exactly one of the operand and result must have a quantized element type',
    );
  });

  it('fold inverse casts', () => {
    const s = new Scratch();
    const x = s.arg(t([4], q8));
    const d = s.op('quant.dcast', [x], [t([4])]);
    expect(fold(s.op('quant.qcast', [d.result(0)], [t([4], q8)]))).toEqual([x]);
    expect(fold(s.op('quant.qcast', [d.result(0)], [t([4], uniformQuantType(i8(), f32(), 0.5, 0))]))).toBeUndefined();
    const st = s.op('quant.scast', [x], [t([4], i8())]);
    expect(fold(s.op('quant.scast', [st.result(0)], [t([4], q8)]))).toEqual([x]);
  });
});

describe('quantfork.stats and fake quant', () => {
  it('checks layer and axis statistics', () => {
    const s = new Scratch();
    const x = s.arg(t([2, 3]));
    expect(verify(s.op('quantfork.stats', [x], [t([2, 3])], { layerStats: f32Dense([-1, 2]) }))).toBeUndefined();
    expect(verify(s.op('quantfork.stats', [x], [t([2, 3])], { layerStats: f32Dense([-1, 2, 3]) }))).toBe('layerStats must have 2 elements [min, max], got 3');
    expect(verify(s.op('quantfork.stats', [x], [t([2, 3])], { layerStats: f32Dense([2, -1]) }))).toBe('layerStats min (2) exceeds max (-1)');
    const axisStats = f32Dense([-1, 1, -2, 2, -3, 3], [3, 2]);
    const axis = integerAttr(1, i64());
    expect(verify(s.op('quantfork.stats', [x], [t([2, 3])], { layerStats: f32Dense([-3, 3]), axisStats, axis }))).toBeUndefined();
    expect(verify(s.op('quantfork.stats', [x], [t([2, 3])], { layerStats: f32Dense([-3, 3]), axisStats }))).toBe('axisStats requires an axis');
    expect(verify(s.op('quantfork.stats', [x], [t([2, 3])], { layerStats: f32Dense([-3, 3]), axisStats, axis: integerAttr(0, i64()) }))).toBe(
      'axisStats has 3 rows, expected 2 (dimension 0)',
    );
    expect(verify(s.op('quantfork.stats', [x], [t([3, 2])], { layerStats: f32Dense([-3, 3]) }))).toBe('result type must match the operand type');
  });

  it('checks fake quant ranges and bit widths', () => {
    const s = new Scratch();
    const x = s.arg(t([2, 3]));
    const f = (v: number) => floatAttr(v, f32());
    const base = { min: f(-1), max: f(1), num_bits: integerAttr(8, i64()), narrow_range: boolAttr(false) };
    expect(verify(s.op('quantfork.const_fake_quant', [x], [t([2, 3])], base))).toBeUndefined();
    expect(verify(s.op('quantfork.const_fake_quant', [x], [t([2, 3])], { ...base, num_bits: integerAttr(17, i64()) }))).toBe('num_bits must be in [2, 16], got 17');
    expect(verify(s.op('quantfork.const_fake_quant', [x], [t([2, 3])], { ...base, min: f(2) }))).toBe('min (2) must not exceed max (1)');
    const per = { min: arrayAttr([f(-1), f(-2), f(-3)]), max: arrayAttr([f(1), f(2), f(3)]), axis: integerAttr(1, i64()), num_bits: integerAttr(8, i64()) };
    expect(verify(s.op('quantfork.const_fake_quant_per_axis', [x], [t([2, 3])], per))).toBeUndefined();
    expect(verify(s.op('quantfork.const_fake_quant_per_axis', [x], [t([2, 3])], { ...per, axis: integerAttr(0, i64()) }))).toBe(
      'min/max have 3 entries, expected 2 (dimension 0)',
    );
  });
});
