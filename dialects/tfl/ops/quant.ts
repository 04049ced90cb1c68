/**
 * Quantization boundary ops of the tfl dialect: tfl.quantize (float -> quantized, or requantize
 * between quantized types), tfl.dequantize (quantized or f16 -> float) and tfl.fake_quant (float
 * simulation of quantization with a fixed range).
 */
import { type FoldResult, type OpDef, defineOp } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { isQuantType } from '../../../src/ir/type.js';
import { printType } from '../../../src/syntax/print-type-attr.js';
import { patternsFor } from '../canonicalize.js';
import { INT8_INT16 } from '../quant-spec.js';
import { elemOf, firstError, floatAttrOf, intAttr } from '../verify-helpers.js';
import { boolAttrSpec, f32Attr, i32Attr } from './common.js';

function verifyQuantize(op: Operation): string | undefined {
  const out = elemOf(op.result(0));
  if (!isQuantType(out) || out.kind === 'quant.calibrated') return 'result must have a quantized element type';
  const inp = elemOf(op.operand(0));
  if (inp.kind !== 'float' && !isQuantType(inp)) return 'input must have a float or quantized element type';
  const q = op.attr('qtype');
  if (q && (q.kind !== 'type' || q.value !== op.result(0).type))
    return `qtype (${q.kind === 'type' ? printType(q.value) : 'non-type'}) does not match the result type (${printType(op.result(0).type)})`;
  return undefined;
}

function foldSameType(op: Operation): FoldResult | undefined {
  const x = op.operand(0);
  return x.type === op.result(0).type ? [x] : undefined;
}

/** `tfl.quantize`: quantizes a float tensor, or requantizes a quantized one, to `qtype`. */
export const QuantizeOp = defineOp({
  name: 'tfl.quantize',
  summary: 'Quantize (or requantize)',
  description:
    'Converts float values to the quantized result type qtype (round to nearest, clamp to the storage range), or rescales a quantized tensor to another quantized type.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: { qtype: { kind: 'type', optional: true, description: 'the result tensor type (absent: taken from the result)' } },
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: verifyQuantize,
  fold: foldSameType,
  canonicalize: patternsFor('tfl.quantize'),
  quant: { supports: INT8_INT16 },
});

/** `tfl.dequantize`: converts quantized (or f16) values to float. */
export const DequantizeOp = defineOp({
  name: 'tfl.dequantize',
  summary: 'Dequantize',
  description: 'Converts quantized values to float with (q - zero_point) * scale (per axis when per-channel); also widens f16 to f32.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: {},
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: (op) =>
    firstError(
      () => {
        const e = elemOf(op.operand(0));
        return (isQuantType(e) && e.kind !== 'quant.calibrated') || (e.kind === 'float' && e.name === 'f16')
          ? undefined
          : 'operand must have a quantized (or f16) element type';
      },
      () => (elemOf(op.result(0)).kind === 'float' ? undefined : 'result must have a float element type'),
    ),
  quant: { supports: INT8_INT16 },
});

/** `tfl.fake_quant`: quantize-then-dequantize in float, with a fixed [min, max] range. */
export const FakeQuantOp = defineOp({
  name: 'tfl.fake_quant',
  summary: 'Simulated quantization',
  description: 'Rounds float values to the num_bits grid spanning [min, max] (nudged so 0 is exact) and returns them as float.',
  operands: [{ name: 'input' }],
  results: [{ name: 'output' }],
  attrs: {
    min: f32Attr('range minimum'),
    max: f32Attr('range maximum'),
    num_bits: i32Attr('bit width, 2..16'),
    narrow_range: boolAttrSpec('start the range at 1 instead of 0'),
  },
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: (op) => {
    const bits = intAttr(op, 'num_bits');
    if (bits !== undefined && (bits < 2 || bits > 16)) return `num_bits must be in [2, 16], got ${bits}`;
    const lo = floatAttrOf(op, 'min');
    const hi = floatAttrOf(op, 'max');
    if (lo !== undefined && hi !== undefined && lo > hi) return `min (${lo}) must not exceed max (${hi})`;
    return undefined;
  },
});

/** The quantization ops, in declaration order. */
export const QUANT_OPS: readonly OpDef[] = [QuantizeOp, DequantizeOp, FakeQuantOp];
