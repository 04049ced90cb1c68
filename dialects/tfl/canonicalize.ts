/**
 * Canonicalization patterns of the tfl dialect, as one table of small local rewrites, each with its
 * one-line `before -> after`. Op definitions pick theirs up with `patternsFor(name)`. Identities that
 * need no new op (e.g. `reshape(x) : type(x) -> x`) live in the ops' folders instead.
 */
import type { Builder } from '../../src/ir/builder.js';
import type { Operation } from '../../src/ir/operation.js';
import { type RewritePattern, opPattern } from '../../src/rewrite/pattern.js';
import { constantInts, elemOf } from './verify-helpers.js';

/** Ops that only change the shape of their first operand (same data, same element type). */
const RESHAPE_LIKE: ReadonlySet<string> = new Set(['tfl.reshape', 'tfl.squeeze', 'tfl.expand_dims']);

/** Activations with f(f(x)) = f(x). */
const IDEMPOTENT: readonly string[] = ['tfl.relu', 'tfl.relu6', 'tfl.relu_n1_to_1', 'tfl.relu_0_to_1'];

/** Erases `op` if nothing uses it any more (the pattern just bypassed it). */
function eraseIfDead(rw: Builder, op: Operation): void {
  if (op.isUseEmpty && op.parent) rw.eraseOp(op);
}

function reshapeOfReshapeLike(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || !RESHAPE_LIKE.has(inner.name)) return false;
  rw.modifyInPlace(op, () => op.setOperand(0, inner.operand(0)));
  eraseIfDead(rw, inner);
  return true;
}

function reshapeChainIsIdentity(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || !RESHAPE_LIKE.has(inner.name)) return false;
  const x = inner.operand(0);
  if (x.type !== op.result(0).type) return false;
  rw.replaceOp(op, [x]);
  eraseIfDead(rw, inner);
  return true;
}

function transposeOfTranspose(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || inner.name !== 'tfl.transpose') return false;
  const x = inner.operand(0);
  if (x.type !== op.result(0).type) return false;
  const p = constantInts(inner.operand(1));
  const q = constantInts(op.operand(1));
  if (!p || !q || p.length !== q.length) return false;
  // out[i] = mid[q[i]] = x[p[q[i]]]: the identity when p[q[i]] === i for all i.
  for (let i = 0; i < q.length; i++) if (p[q[i]!] !== i) return false;
  rw.replaceOp(op, [x]);
  eraseIfDead(rw, inner);
  return true;
}

function quantizeOfDequantizeSameType(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || inner.name !== 'tfl.dequantize') return false;
  const x = inner.operand(0);
  if (x.type !== op.result(0).type) return false;
  rw.replaceOp(op, [x]);
  eraseIfDead(rw, inner);
  return true;
}

function quantizeOfDequantizeRequantize(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || inner.name !== 'tfl.dequantize') return false;
  const x = inner.operand(0);
  if (x.type === op.result(0).type) return false;
  // TFLite requantizes per-tensor uniform types only.
  if (elemOf(x).kind !== 'quant.uniform' || elemOf(op.result(0)).kind !== 'quant.uniform') return false;
  rw.modifyInPlace(op, () => op.setOperand(0, x));
  eraseIfDead(rw, inner);
  return true;
}

function idempotentActivation(op: Operation, rw: Builder): boolean {
  const inner = op.operand(0).definingOp;
  if (!inner || inner.name !== op.name || inner.result(0).type !== op.result(0).type) return false;
  rw.replaceOp(op, [inner.result(0)]);
  return true;
}

/** Every tfl canonicalization pattern, one line each. */
export const TFL_CANONICALIZATION_PATTERNS: readonly RewritePattern[] = Object.freeze([
  ...[...RESHAPE_LIKE].map((root) =>
    opPattern(root, `${root.slice(4)}(reshape|squeeze|expand_dims(x)) : type(x) -> x`, reshapeChainIsIdentity, {
      name: `${root}:reshape-chain-identity`,
      benefit: 2,
    }),
  ),
  opPattern('tfl.reshape', 'reshape(reshape|squeeze|expand_dims(x), s) -> reshape(x, s)', reshapeOfReshapeLike, {
    name: 'tfl.reshape:reshape-of-reshape',
  }),
  opPattern('tfl.transpose', 'transpose(transpose(x, p), q) -> x  when p∘q is the identity', transposeOfTranspose, {
    name: 'tfl.transpose:inverse-transposes',
  }),
  opPattern('tfl.quantize', 'quantize(dequantize(x : T)) : T -> x', quantizeOfDequantizeSameType, {
    name: 'tfl.quantize:dequantize-quantize-same-type',
    benefit: 2,
  }),
  opPattern('tfl.quantize', 'quantize(dequantize(x : T1)) : T2 -> quantize(x) : T2  (requantize)', quantizeOfDequantizeRequantize, {
    name: 'tfl.quantize:requantize',
  }),
  ...IDEMPOTENT.map((root) =>
    opPattern(root, `${root.slice(4)}(${root.slice(4)}(x)) -> ${root.slice(4)}(x)  when both have the same type`, idempotentActivation, {
      name: `${root}:idempotent`,
    }),
  ),
]);

/** The canonicalization patterns rooted at one op name. */
export function patternsFor(root: string): readonly RewritePattern[] {
  return TFL_CANONICALIZATION_PATTERNS.filter((p) => p.root === root);
}
