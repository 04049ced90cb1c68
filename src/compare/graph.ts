/**
 * A comparison-oriented view of a function, independent of any dialect: its tensors (inputs, op
 * results, constants) with their location names, the ops that produce them, and the SSA edges.
 * Values linked by (de)quantize/requantize ops are grouped into one class: they carry the same
 * real tensor in different encodings, so they are compared as one layer.
 */
import { locName } from '../ir/location.js';
import type { Location } from '../ir/location.js';
import type { Operation } from '../ir/operation.js';
import { getOpDef } from '../ir/registry.js';
import type { Value } from '../ir/value.js';
import type { DType, QuantParams } from '../interp/kernel.js';
import { numElements } from '../interp/kernel.js';
import { dtypeOf, quantOf, shapeAndElement } from '../interp/tensor-info.js';

/** One tensor of the function. */
export interface GraphTensor {
  readonly id: number;
  readonly value: Value;
  /** Location name (TFLite tensor name), or a synthesized one. */
  readonly name: string;
  /** The name's `;`-separated parts (TFLite's fused names `a;b;c`). */
  readonly parts: readonly string[];
  /** Synthesized or converter-generic names (`tfl.quantize`, `tensor_12`): matched only with care. */
  readonly weakName: boolean;
  /** The name was made up here (the value has no location name): never matched by name. */
  readonly synthetic: boolean;
  readonly kind: 'input' | 'result' | 'const';
  /** Producing op index in {@link ModelGraph.ops}, -1 for inputs and constants. */
  readonly producer: number;
  /** The producing op's name (`input` for function arguments, `const` for constants). */
  readonly opName: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly quant?: QuantParams;
  readonly elements: number;
  /** Produced by a (de/re)quantize op. */
  readonly conversion: boolean;
}

/** One non-constant op. */
export interface GraphOp {
  readonly id: number;
  readonly op: Operation;
  readonly name: string;
  /** Operand tensors (ids; constants included), in operand order; -1 for absent operands. */
  readonly operands: readonly number[];
  readonly results: readonly number[];
  readonly conversion: boolean;
}

/** A function seen as tensors and ops. */
export interface ModelGraph {
  readonly tensors: readonly GraphTensor[];
  readonly ops: readonly GraphOp[];
  readonly byValue: ReadonlyMap<Value, GraphTensor>;
  /** Function argument tensors, in order. */
  readonly inputs: readonly number[];
  /** Returned tensors, in order. */
  readonly outputs: readonly number[];
  /** Class (index into `classes`) of each tensor. */
  readonly classOf: readonly number[];
  /** Tensors linked by conversion ops, each list in tensor order. */
  readonly classes: readonly (readonly number[])[];
  /** Ops using each tensor (op ids, in op order). */
  readonly users: readonly (readonly number[])[];
}

const CONVERSION = /(^|[._])(de|re)?quantize$|^quant\.(qcast|dcast|scast)$/;

function isConstantOp(op: Operation): boolean {
  if (getOpDef(op.name)?.traits.includes('ConstantLike')) return true;
  return op.operands.length === 0 && op.regions.length === 0 && op.attr('value')?.kind === 'dense';
}

function sameElements(v: Value, n: number): boolean {
  try {
    return numElements(shapeAndElement(v.type).shape) === n;
  } catch {
    return false;
  }
}

/** Name of result `i` of an op: fused locations give one name per result. */
function resultName(op: Operation, i: number): string | undefined {
  const loc: Location = op.loc;
  if (loc.kind === 'fused' && loc.locs.length === op.results.length && op.results.length > 1) {
    const l = loc.locs[i];
    return l ? locName(l) : undefined;
  }
  const n = locName(loc);
  return n === undefined ? undefined : op.results.length > 1 ? `${n}#${i}` : n;
}

/** Whether a name looks generated rather than given by the model's author. */
export function isWeakName(name: string): boolean {
  const base = name.replace(/(#\d+)?$/, '').replace(/_?\d+$/, '');
  return /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/.test(base) || /^(tensor|arg|const|value|op)$/.test(base) || /^[A-Z][A-Z0-9_]*$/.test(base);
}

/** The `;`-separated parts of a (possibly fused) tensor name. */
export function nameParts(name: string): string[] {
  return name
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Builds the graph of a `func.func` body (its first block). */
export function buildGraph(func: Operation): ModelGraph {
  const body = func.regions[0]?.blocks[0];
  const tensors: GraphTensor[] = [];
  const ops: GraphOp[] = [];
  const byValue = new Map<Value, GraphTensor>();
  const inputs: number[] = [];
  const outputs: number[] = [];
  const add = (v: Value, given: string | undefined, fallback: string, kind: GraphTensor['kind'], producer: number, opName: string, conversion: boolean): GraphTensor | undefined => {
    const name = given ?? fallback;
    if (v.type.kind === 'none') return undefined;
    let shape: number[];
    let dtype: DType;
    let quant: QuantParams | undefined;
    try {
      const se = shapeAndElement(v.type);
      shape = se.shape;
      dtype = dtypeOf(se.element);
      quant = quantOf(se.element);
    } catch {
      return undefined;
    }
    const t: GraphTensor = {
      id: tensors.length,
      value: v,
      name,
      parts: given === undefined ? [] : nameParts(name),
      weakName: isWeakName(name),
      synthetic: given === undefined,
      kind,
      producer,
      opName,
      shape,
      dtype,
      ...(quant ? { quant } : {}),
      elements: numElements(shape),
      conversion,
    };
    tensors.push(t);
    byValue.set(v, t);
    return t;
  };
  body?.args.forEach((a, i) => {
    const t = add(a, locName((a as unknown as { loc?: Location }).loc ?? { kind: 'unknown' }), `arg${i}`, 'input', -1, 'input', false);
    if (t) inputs.push(t.id);
  });
  const constOf = (v: Value): GraphTensor | undefined => {
    const have = byValue.get(v);
    if (have) return have;
    const def = v.definingOp;
    if (!def || !isConstantOp(def)) return undefined;
    const idx = def.results.indexOf(v as never);
    return add(v, resultName(def, Math.max(0, idx)), `const${tensors.length}`, 'const', -1, 'const', false);
  };
  for (const op of body?.ops() ?? []) {
    if (op.name === 'func.return') {
      for (const o of op.operands) {
        const t = byValue.get(o.value) ?? constOf(o.value);
        if (t) outputs.push(t.id);
      }
      continue;
    }
    if (isConstantOp(op) || op.results.every((r) => r.type.kind === 'none')) continue;
    const operands = op.operands.map((o) => (byValue.get(o.value) ?? constOf(o.value))?.id ?? -1);
    const real = operands.filter((x) => x >= 0);
    const r0 = op.results[0];
    const conversion =
      CONVERSION.test(op.name) &&
      real.length === 1 &&
      op.results.length === 1 &&
      r0 !== undefined &&
      r0.type.kind !== 'none' &&
      tensors[real[0]!]!.kind !== 'const' &&
      sameElements(r0, tensors[real[0]!]!.elements);
    const id = ops.length;
    const results: number[] = [];
    op.results.forEach((r, i) => {
      const t = add(r, resultName(op, i), `${op.name}#${id}.${i}`, 'result', id, op.name, conversion);
      if (t) results.push(t.id);
    });
    ops.push({ id, op, name: op.name, operands, results, conversion });
  }
  // Classes: union-find over conversion ops.
  const parent = tensors.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const op of ops)
    if (op.conversion) {
      const a = find(op.operands.find((x) => x >= 0)!);
      const b = find(op.results[0]!);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  const classIndex = new Map<number, number>();
  const classes: number[][] = [];
  const classOf = tensors.map((t) => {
    const root = find(t.id);
    let c = classIndex.get(root);
    if (c === undefined) {
      c = classes.length;
      classIndex.set(root, c);
      classes.push([]);
    }
    classes[c]!.push(t.id);
    return c;
  });
  const users: number[][] = tensors.map(() => []);
  for (const op of ops) for (const x of new Set(op.operands)) if (x >= 0) users[x]!.push(op.id);
  return { tensors, ops, byValue, inputs, outputs, classOf, classes, users };
}

/**
 * The tensor that stands for a class in a comparison. On the test side it is the quantized one
 * not made by a conversion op (the op's own output, with its own quantization); on the reference
 * side the float one.
 */
export function representative(g: ModelGraph, cls: number, side: 'reference' | 'test'): GraphTensor {
  const members = g.classes[cls]!.map((i) => g.tensors[i]!);
  const score = (t: GraphTensor): number => {
    const q = t.quant !== undefined;
    return (side === 'test' ? (q ? 0 : 2) : q ? 2 : 0) + (t.conversion ? 1 : 0);
  };
  let best = members[0]!;
  for (const t of members) if (score(t) < score(best)) best = t;
  return best;
}
