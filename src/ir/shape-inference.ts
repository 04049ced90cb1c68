/**
 * Dialect-agnostic shape inference: asks an op's registered shape function (`OpDef.inferResultShapes`)
 * for its result shapes, falls back to the `SameOperandsAndResultShape` trait, and merges inferred
 * shapes into declared result types. Used by the interpreter (values imported without a shape) and
 * by shape-refining passes; dialects provide the shape functions.
 */
import type { InferredShapes, OperandShapes } from './op-def.js';
import type { Operation } from './operation.js';
import { getOpDef } from './registry.js';
import { type Type, tensorType } from './type.js';

/** The shape a type states: a ranked tensor's shape, [] for a scalar, undefined for unranked and none. */
export function declaredShape(t: Type): readonly number[] | undefined {
  switch (t.kind) {
    case 'tensor':
      return t.shape;
    case 'unranked_tensor':
    case 'none':
    case 'function':
      return undefined;
    default:
      return [];
  }
}

/** Whether a type lacks a static shape (an unranked tensor, or a ranked one with a dynamic dim). */
export function needsShape(t: Type): boolean {
  return t.kind === 'unranked_tensor' || (t.kind === 'tensor' && t.shape.some((d) => d < 0));
}

/** The operand shapes an op's IR types state. */
export function operandShapesOf(op: Operation): OperandShapes {
  return op.operands.map((o) => declaredShape(o.value.type));
}

/** `[1, ?, 3]` for messages. */
export function formatShape(s: readonly number[]): string {
  return `[${s.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]`;
}

/**
 * The most precise shape both agree with (same rank; a static dim wins over a dynamic one), or an
 * error message when they conflict.
 */
export function mergeShapes(a: readonly number[], b: readonly number[]): readonly number[] | string {
  if (a.length !== b.length) return `shapes ${formatShape(a)} and ${formatShape(b)} have different ranks`;
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x >= 0 && y >= 0 && x !== y) return `shapes ${formatShape(a)} and ${formatShape(b)} differ in dimension ${i}`;
    out[i] = x >= 0 ? x : y;
  }
  return out;
}

/** The `SameOperandsAndResultShape` rule: every result has the (merged) shape of the known operands. */
function sameShapeResults(op: Operation, operandShapes: OperandShapes): InferredShapes {
  let shape: readonly number[] | undefined;
  for (let i = 0; i < operandShapes.length; i++) {
    const s = operandShapes[i];
    if (!s || op.operands[i]?.value.type.kind === 'none') continue;
    if (!shape) {
      shape = s;
      continue;
    }
    const m = mergeShapes(shape, s);
    if (typeof m === 'string') return `operands must have the same shape: ${m}`;
    shape = m;
  }
  return op.results.map(() => shape);
}

/**
 * The result shapes of `op`, from `operandShapes` (default: what the operand types state). Undefined
 * when the op has no shape function (neither a registered hook nor the SameOperandsAndResultShape
 * trait); an error message when the shape function finds the operands inconsistent.
 */
export function inferResultShapes(op: Operation, operandShapes: OperandShapes = operandShapesOf(op)): InferredShapes | undefined {
  const def = getOpDef(op.name);
  if (!def) return undefined;
  if (def.inferResultShapes) {
    const r = def.inferResultShapes(op, operandShapes);
    if (typeof r !== 'string' && r.length !== op.results.length)
      return `shape function returned ${r.length} shapes for ${op.results.length} results`;
    return r;
  }
  if (def.traits.includes('SameOperandsAndResultShape')) return sameShapeResults(op, operandShapes);
  return undefined;
}

/**
 * `declared` refined by an inferred shape (element type kept): the same type when nothing is gained
 * (or `declared` is no tensor), an error message when the two conflict.
 */
export function refineType(declared: Type, inferred: readonly number[]): Type | string {
  if (declared.kind === 'unranked_tensor') return tensorType(inferred, declared.element);
  if (declared.kind !== 'tensor') return declared;
  const m = mergeShapes(declared.shape, inferred);
  if (typeof m === 'string') return `inferred shape ${formatShape(inferred)} conflicts with the declared shape ${formatShape(declared.shape)}`;
  return tensorType(m, declared.element);
}
