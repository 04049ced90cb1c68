/**
 * The quant dialect's ops: the casts between float, quantized and storage types (quant.qcast,
 * quant.dcast, quant.scast), the calibration statistics annotation quant.stats (TF's
 * quantfork.stats) and the constant-range fake-quant simulations used by QAT-style inputs.
 */
import { type FoldResult, type OpDef, defineOp } from '../../src/ir/op-def.js';
import type { Operation } from '../../src/ir/operation.js';
import { type Type, isQuantType } from '../../src/ir/type.js';
import type { Value } from '../../src/ir/value.js';
import { printType } from '../../src/syntax/print-type-attr.js';
import { type DenseElementsAttr, boolAttr, denseNumElements } from '../../src/ir/attribute.js';
import { elementCodec } from '../../src/syntax/dense-values.js';

function shapeOf(v: Value): readonly number[] | undefined {
  return v.type.kind === 'tensor' ? v.type.shape : undefined;
}

function rankOf(v: Value): number | undefined {
  return shapeOf(v)?.length;
}

function dimOf(v: Value, i: number): number | undefined {
  const d = shapeOf(v)?.[i];
  return d !== undefined && d >= 0 ? d : undefined;
}

function dimsConflict(a: number | undefined, b: number | undefined): boolean {
  return a !== undefined && b !== undefined && a >= 0 && b >= 0 && a !== b;
}

function intAttr(op: Operation, name: string): number | undefined {
  const a = op.attr(name);
  return a?.kind === 'integer' ? Number(a.value) : undefined;
}

function floatAttrOf(op: Operation, name: string): number | undefined {
  const a = op.attr(name);
  return a?.kind === 'float' ? a.value : undefined;
}

function denseFloats(a: DenseElementsAttr): number[] | undefined {
  if (a.type.element.kind !== 'float') return undefined;
  const codec = elementCodec(a.type.element);
  const view = new DataView(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength);
  const n = denseNumElements(a);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number(codec.read(view, a.splat ? 0 : i * codec.width)));
  return out;
}

function elementOf(v: Value): Type {
  const t = v.type;
  return t.kind === 'tensor' || t.kind === 'unranked_tensor' ? t.element : t;
}

function sameShape(a: Value, b: Value): boolean {
  const x = shapeOf(a);
  const y = shapeOf(b);
  if (!x || !y) return true;
  return x.length === y.length && x.every((d, i) => !dimsConflict(d, y[i]));
}

/** Checks one side float (`real`) and the other quantized with that expressed type. */
function verifyRealQuantPair(real: Value, quant: Value, realWhat: string, quantWhat: string): string | undefined {
  const r = elementOf(real);
  const q = elementOf(quant);
  if (!isQuantType(q) || q.kind === 'quant.calibrated') return `${quantWhat} must have a quantized element type, got ${printType(q)}`;
  if (r.kind !== 'float') return `${realWhat} must have a float element type, got ${printType(r)}`;
  if (q.expressed !== r) return `expressed type ${printType(q.expressed)} of the ${quantWhat} does not match the ${realWhat} element type ${printType(r)}`;
  if (q.kind === 'quant.uniform_per_axis') {
    const rank = rankOf(quant);
    if (rank !== undefined && (q.axis < 0 || q.axis >= rank)) return `quantized dimension ${q.axis} is out of range for a rank ${rank} tensor`;
    const d = rank !== undefined ? dimOf(quant, q.axis) : undefined;
    if (d !== undefined && d !== q.scales.length) return `per-axis type has ${q.scales.length} scales for dimension ${q.axis} of size ${d}`;
  }
  if (!sameShape(real, quant)) return 'operand and result shapes differ';
  return undefined;
}

/** `quant.qcast`: float -> quantized (rounding to the result type's grid). */
export const QuantizeCastOp = defineOp({
  name: 'quant.qcast',
  summary: 'Quantize cast',
  description: 'Converts float values to the quantized result type whose expressed type is the operand element type.',
  operands: [{ name: 'arg' }],
  results: [{ name: 'result' }],
  attrs: {},
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: (op) => verifyRealQuantPair(op.operand(0), op.result(0), 'operand', 'result'),
  fold: (op): FoldResult | undefined => {
    const inner = op.operand(0).definingOp;
    if (inner?.name !== 'quant.dcast') return undefined;
    const x = inner.operand(0);
    return x.type === op.result(0).type ? [x] : undefined;
  },
});

/** `quant.dcast`: quantized -> float. */
export const DequantizeCastOp = defineOp({
  name: 'quant.dcast',
  summary: 'Dequantize cast',
  description: 'Converts quantized values to their expressed float type: (q - zero_point) * scale.',
  operands: [{ name: 'arg' }],
  results: [{ name: 'result' }],
  attrs: {},
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: (op) => verifyRealQuantPair(op.result(0), op.operand(0), 'result', 'operand'),
});

function verifyStorageCast(op: Operation): string | undefined {
  const a = elementOf(op.operand(0));
  const b = elementOf(op.result(0));
  const qa = isQuantType(a) && a.kind !== 'quant.calibrated';
  const qb = isQuantType(b) && b.kind !== 'quant.calibrated';
  if (qa === qb) return 'exactly one of the operand and result must have a quantized element type';
  const q = qa ? a : b;
  const s = qa ? b : a;
  if (q.kind === 'quant.calibrated') return undefined;
  if (q.kind !== 'quant.uniform' && q.kind !== 'quant.uniform_per_axis') return undefined;
  if (s !== q.storage) return `storage type ${printType(q.storage)} of the quantized type does not match ${printType(s)}`;
  if (!sameShape(op.operand(0), op.result(0))) return 'operand and result shapes differ';
  return undefined;
}

/** `quant.scast`: reinterprets between a quantized type and its storage integer type. */
export const StorageCastOp = defineOp({
  name: 'quant.scast',
  summary: 'Storage cast',
  description: 'Reinterprets stored integers as a quantized type or back, without changing any bits.',
  operands: [{ name: 'arg' }],
  results: [{ name: 'result' }],
  attrs: {},
  traits: ['Pure', 'SameOperandsAndResultShape'],
  verify: verifyStorageCast,
  fold: (op): FoldResult | undefined => {
    const inner = op.operand(0).definingOp;
    if (inner?.name !== 'quant.scast') return undefined;
    const x = inner.operand(0);
    return x.type === op.result(0).type ? [x] : undefined;
  },
});

function verifyStats(op: Operation): string | undefined {
  if (op.operand(0).type !== op.result(0).type) return 'result type must match the operand type';
  const ls = op.attr('layerStats');
  if (ls?.kind === 'dense') {
    const v = denseFloats(ls);
    if (!v) return 'layerStats must have float elements';
    if (v.length !== 2) return `layerStats must have 2 elements [min, max], got ${v.length}`;
    if (v[0]! > v[1]!) return `layerStats min (${v[0]}) exceeds max (${v[1]})`;
  }
  const as = op.attr('axisStats');
  const axis = intAttr(op, 'axis');
  if (as === undefined) return axis !== undefined ? 'axis requires axisStats' : undefined;
  if (as.kind !== 'dense') return 'axisStats must be a dense attribute';
  if (axis === undefined) return 'axisStats requires an axis';
  if (as.type.shape.length !== 2 || as.type.shape[1] !== 2) return `axisStats must have shape [N, 2], got ${printType(as.type)}`;
  const rank = rankOf(op.operand(0));
  if (rank !== undefined && (axis < 0 || axis >= rank)) return `axis ${axis} is out of range for a rank ${rank} operand`;
  const d = rank !== undefined ? dimOf(op.operand(0), axis) : undefined;
  if (dimsConflict(d, as.type.shape[0])) return `axisStats has ${as.type.shape[0]} rows, expected ${d} (dimension ${axis})`;
  const v = denseFloats(as);
  if (v) for (let i = 0; i + 1 < v.length; i += 2) if (v[i]! > v[i + 1]!) return `axisStats row ${i / 2} has min (${v[i]}) above max (${v[i + 1]})`;
  return undefined;
}

/** `quant.stats`: an identity that carries the observed [min, max] of its value (calibration). */
export const StatisticsOp = defineOp({
  name: 'quantfork.stats',
  summary: 'Calibration statistics',
  description:
    'Identity that records the observed range of its operand: layerStats = [min, max] over the whole tensor, and optionally axisStats = [N, 2] per slice along axis.',
  operands: [{ name: 'arg' }],
  results: [{ name: 'result' }],
  attrs: {
    layerStats: { kind: 'dense', optional: true, description: '[min, max] over the tensor (2 floats); absent until calibrated' },
    axisStats: { kind: 'dense', optional: true, description: '[N, 2] per-slice [min, max]' },
    axis: { kind: 'int', optional: true, description: 'dimension of the per-slice statistics' },
  },
  traits: ['Pure', 'SameOperandsAndResultShape', 'SameOperandsAndResultElementType'],
  verify: verifyStats,
});

function verifyNumBits(op: Operation): string | undefined {
  const bits = intAttr(op, 'num_bits');
  return bits !== undefined && (bits < 2 || bits > 16) ? `num_bits must be in [2, 16], got ${bits}` : undefined;
}

const FAKE_QUANT_FLAGS = {
  narrow_range: { kind: 'bool', optional: true, default: boolAttr(false), description: 'use [qmin + 1, qmax]' },
  is_signed: { kind: 'bool', optional: true, default: boolAttr(false), description: 'signed storage' },
} as const;

/** `quant.const_fake_quant`: float -> float rounding to a fixed-range num_bits grid. */
export const ConstFakeQuantOp = defineOp({
  name: 'quantfork.const_fake_quant',
  summary: 'Fake quantization with a constant range',
  description: 'Simulates uniform quantization over [min, max] with num_bits (as TF fake_quant_with_min_max_args) and returns floats.',
  operands: [{ name: 'inputs' }],
  results: [{ name: 'outputs' }],
  attrs: {
    min: { kind: 'float' },
    max: { kind: 'float' },
    num_bits: { kind: 'int' },
    ...FAKE_QUANT_FLAGS,
  },
  traits: ['Pure', 'SameOperandsAndResultShape', 'SameOperandsAndResultElementType'],
  verify: (op) => {
    const lo = floatAttrOf(op, 'min');
    const hi = floatAttrOf(op, 'max');
    if (lo !== undefined && hi !== undefined && lo > hi) return `min (${lo}) must not exceed max (${hi})`;
    return verifyNumBits(op);
  },
});

/** `quant.const_fake_quant_per_axis`: per-slice constant-range fake quantization. */
export const ConstFakeQuantPerAxisOp = defineOp({
  name: 'quantfork.const_fake_quant_per_axis',
  summary: 'Per-axis fake quantization with constant ranges',
  description: 'Like quant.const_fake_quant with one [min, max] per slice along axis.',
  operands: [{ name: 'inputs' }],
  results: [{ name: 'outputs' }],
  attrs: {
    min: { kind: 'array' },
    max: { kind: 'array' },
    axis: { kind: 'int' },
    num_bits: { kind: 'int' },
    ...FAKE_QUANT_FLAGS,
  },
  traits: ['Pure', 'SameOperandsAndResultShape', 'SameOperandsAndResultElementType'],
  verify: (op) => {
    const lo = op.attr('min');
    const hi = op.attr('max');
    if (lo?.kind === 'array' && hi?.kind === 'array') {
      if (lo.elements.length !== hi.elements.length) return `min has ${lo.elements.length} entries but max has ${hi.elements.length}`;
      const axis = intAttr(op, 'axis');
      const d = axis !== undefined && rankOf(op.operand(0)) !== undefined ? dimOf(op.operand(0), axis) : undefined;
      if (d !== undefined && d !== lo.elements.length) return `min/max have ${lo.elements.length} entries, expected ${d} (dimension ${axis})`;
    }
    return verifyNumBits(op);
  },
});

/** The quant dialect's ops (the ones MLIR's own quant dialect has, so mlir-opt verifies them). */
export const QUANT_DIALECT_OPS: readonly OpDef[] = [QuantizeCastOp, DequantizeCastOp, StorageCastOp];

/**
 * Calibration statistics and fake quantization live in `quantfork`, TensorFlow's name for them:
 * mlir-opt registers `quant` and would reject unknown `quant.*` ops, but accepts `quantfork.*` with
 * --allow-unregistered-dialect.
 */
export const QUANTFORK_DIALECT_OPS: readonly OpDef[] = [StatisticsOp, ConstFakeQuantOp, ConstFakeQuantPerAxisOp];
