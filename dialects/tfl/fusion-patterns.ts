/**
 * The tfl fusion patterns run by the `tfl-fuse` pass, as one table of small local rewrites, each an
 * `opPattern` with its one-line `before -> after`. Every pattern applies only to float32 tensors and
 * only when the intermediate it removes has exactly one use (its producer can then be rewritten in
 * place without changing any other user).
 *
 * Fused activations: TFLite 2.12 applies a fused activation only as a clamp
 * (`CalculateActivationRange`): RELU, RELU6 and RELU_N1_TO_1 are honoured by fully_connected,
 * conv_2d, depthwise_conv_2d, add, sub, mul, average_pool_2d and max_pool_2d. TANH and SIGN_BIT are
 * not: fully_connected rejects the model, the others silently ignore them (checked against
 * tfjs-tflite) — so tanh is never fused. concatenation rejects every fused activation
 * (concatenation.cc: `params->activation == kTfLiteActNone`), so nothing is fused into it either.
 *
 * Folding into weights: `op(x, w, b) * s` with a per-output-channel constant `s` becomes
 * `op(x, w * s, b * s)` and `op(x, w, b) ± c` becomes `op(x, w, b ± c)` (batch-norm folding and bias
 * add). A bias add onto an absent or all-zero bias is exact; the other folds change float rounding
 * (one rounding of the folded constant instead of one per output element), i.e. results agree to
 * about 1e-6 relative, not bit for bit.
 */
import { type DenseElementsAttr, denseAttr, stringAttr } from '../../src/ir/attribute.js';
import type { Builder } from '../../src/ir/builder.js';
import type { Operation } from '../../src/ir/operation.js';
import { type RewritePattern, opPattern } from '../../src/rewrite/pattern.js';
import { type RankedTensorType, type Type, f32, i32, tensorType } from '../../src/ir/type.js';
import type { Value } from '../../src/ir/value.js';
import { constantAttr, constantInts, denseFloats, fusedActivation, intAttr, normalizeAxis } from './verify-helpers.js';

// ---------------------------------------------------------------------------------------------
// Shared checks
// ---------------------------------------------------------------------------------------------

/** Whether a type is a float32 tensor. */
function isF32Tensor(t: Type): t is RankedTensorType {
  return t.kind === 'tensor' && t.element.kind === 'float' && t.element.name === 'f32';
}

/** Whether every operand (but `none`) and result of `op` is a float32 tensor. */
function allF32(op: Operation, skipOperands: readonly number[] = []): boolean {
  for (const o of op.operands) {
    if (skipOperands.includes(o.index) || o.value.type.kind === 'none') continue;
    if (!isF32Tensor(o.value.type)) return false;
  }
  return op.results.every((r) => isF32Tensor(r.type));
}

/** The single-use, single-result producer of `v` with one of `names`, if any. */
function soleProducer(v: Value, names: ReadonlySet<string>): Operation | undefined {
  const p = v.definingOp;
  if (!p || !names.has(p.name) || p.results.length !== 1 || !v.hasOneUse()) return undefined;
  return p;
}

function f32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}

function i32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i]!, true);
  return out;
}

/** Creates a float32 constant before `before`. */
function f32Const(rw: Builder, before: Operation, shape: readonly number[], values: ArrayLike<number>, like: Operation): Value {
  const type = tensorType(shape, f32());
  const saved = rw.insertionPoint;
  rw.setInsertionPointBefore(before);
  const v = rw.createOne('tfl.pseudo_const', [], type, { value: denseAttr(type, f32Bytes(values)) }, like.loc);
  rw.restoreInsertionPoint(saved);
  return v;
}

/** Creates a 1-D int32 constant before `before`. */
function i32Const(rw: Builder, before: Operation, values: readonly number[], like: Operation): Value {
  const type = tensorType([values.length], i32());
  const saved = rw.insertionPoint;
  rw.setInsertionPointBefore(before);
  const v = rw.createOne('tfl.pseudo_const', [], type, { value: denseAttr(type, i32Bytes(values)) }, like.loc);
  rw.restoreInsertionPoint(saved);
  return v;
}

/** Float contents of a float32 constant operand. */
function constFloats(v: Value | undefined): number[] | undefined {
  const a: DenseElementsAttr | undefined = constantAttr(v);
  if (!a || !isF32Tensor(a.type)) return undefined;
  return denseFloats(a);
}

/** Erases `op` if the rewrite left it unused. */
function eraseIfDead(rw: Builder, op: Operation | undefined): void {
  if (op && op.parent && op.isUseEmpty) rw.eraseOp(op);
}

// ---------------------------------------------------------------------------------------------
// Fused activations
// ---------------------------------------------------------------------------------------------

/** Ops whose float kernels honour a clamping fused activation in TFLite. */
const ACTIVATION_HOSTS: ReadonlySet<string> = new Set([
  'tfl.fully_connected',
  'tfl.conv_2d',
  'tfl.depthwise_conv_2d',
  'tfl.add',
  'tfl.sub',
  'tfl.mul',
  'tfl.average_pool_2d',
  'tfl.max_pool_2d',
]);

/** The fused-activation name of each standalone activation op this pass fuses. */
const ACTIVATION_OF: Readonly<Record<string, string>> = {
  'tfl.relu': 'RELU',
  'tfl.relu6': 'RELU6',
  'tfl.relu_n1_to_1': 'RELU_N1_TO_1',
};

/** The activation equal to `outer(inner(x))`, if it is one TFLite has. */
function composeActivations(inner: string, outer: string): string | undefined {
  if (inner === 'NONE') return outer;
  if (inner === outer) return inner;
  if ((inner === 'RELU' && outer === 'RELU6') || (inner === 'RELU6' && outer === 'RELU')) return 'RELU6';
  if (inner === 'RELU_N1_TO_1' && outer === 'RELU') return undefined; // clamp to [0, 1]: RELU_0_TO_1 is not a TFLite activation
  return undefined;
}

function fuseActivation(op: Operation, rw: Builder): boolean {
  const act = ACTIVATION_OF[op.name];
  if (!act || !allF32(op)) return false;
  const p = soleProducer(op.operand(0), ACTIVATION_HOSTS);
  if (!p || !allF32(p) || p.result(0).type !== op.result(0).type) return false;
  const fused = composeActivations(fusedActivation(p), act);
  if (!fused) return false;
  rw.modifyInPlace(p, () => p.setAttr('fused_activation_function', stringAttr(fused)));
  rw.replaceOp(op, [p.result(0)]);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Folding constants into fully_connected / conv_2d / depthwise_conv_2d
// ---------------------------------------------------------------------------------------------

/** Ops with (input, weights, optional bias) whose output channel is the last result dimension. */
const AFFINE_OPS: ReadonlySet<string> = new Set(['tfl.fully_connected', 'tfl.conv_2d', 'tfl.depthwise_conv_2d']);

/** The axis of the weights that indexes output channels. */
function weightChannelAxis(op: Operation): number {
  return op.name === 'tfl.depthwise_conv_2d' ? 3 : 0;
}

/**
 * A per-output-channel vector of `c` broadcast against a result of shape `out` (channel last):
 * `c` must be constant and vary along the last axis only (shape [C], [1, ..., C], [1] or a scalar).
 */
function channelVector(c: Value, out: readonly number[]): number[] | undefined {
  const t = c.type;
  if (!isF32Tensor(t)) return undefined;
  const values = constFloats(c);
  if (!values) return undefined;
  const channels = out[out.length - 1];
  if (channels === undefined || channels < 0) return undefined;
  if (t.shape.length > out.length) return undefined;
  if (t.shape.slice(0, -1).some((d) => d !== 1)) return undefined;
  const last = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1]!;
  if (last === channels) return values;
  if (last === 1) return new Array<number>(channels).fill(values[0]!);
  return undefined;
}

/** The affine producer feeding operand `i` of a binary op, with a constant per-channel other operand. */
function affineOperand(op: Operation, commutative: boolean): { p: Operation; vec: number[]; lhs: boolean } | undefined {
  if (!allF32(op)) return undefined;
  for (const i of commutative ? [0, 1] : [0]) {
    const p = soleProducer(op.operand(i), AFFINE_OPS);
    if (!p || !allF32(p) || fusedActivation(p) !== 'NONE') continue;
    if (p.result(0).type !== op.result(0).type) continue;
    const out = (p.result(0).type as RankedTensorType).shape;
    const vec = channelVector(op.operand(1 - i), out);
    if (!vec) continue;
    const bias = p.operands[2]?.value;
    if (bias && bias.type.kind !== 'none' && !constFloats(bias)) continue;
    return { p, vec, lhs: i === 0 };
  }
  return undefined;
}

/** Current bias values of an affine op (zeros when absent). */
function biasValues(p: Operation, channels: number): number[] {
  const b = p.operands[2]?.value;
  return b && b.type.kind !== 'none' ? constFloats(b)! : new Array<number>(channels).fill(0);
}

function isZeroOrAbsentBias(p: Operation): boolean {
  const b = p.operands[2]?.value;
  if (!b || b.type.kind === 'none') return true;
  const v = constFloats(b);
  return !!v && v.every((x) => x === 0 && !Object.is(x, -0));
}

/** Replaces `op` (an add/sub/mul of `p`) by `p` with a new bias, carrying `op`'s fused activation. */
function setBias(rw: Builder, op: Operation, p: Operation, values: readonly number[]): void {
  const old = p.operands[2]?.value.definingOp;
  const nb = f32Const(rw, p, [values.length], values.map((x) => Math.fround(x)), p);
  rw.modifyInPlace(p, () => {
    p.setOperand(2, nb);
    p.setAttr('fused_activation_function', stringAttr(fusedActivation(op)));
  });
  rw.replaceOp(op, [p.result(0)]);
  eraseIfDead(rw, old);
}

function biasAdd(op: Operation, rw: Builder): boolean {
  const m = affineOperand(op, true);
  if (!m || !isZeroOrAbsentBias(m.p) || m.p.operands.length < 3) return false;
  setBias(rw, op, m.p, m.vec);
  return true;
}

function foldAddIntoBias(op: Operation, rw: Builder): boolean {
  const m = affineOperand(op, true);
  if (!m || m.p.operands.length < 3) return false;
  const b = biasValues(m.p, m.vec.length);
  setBias(rw, op, m.p, b.map((x, i) => Math.fround(x + m.vec[i]!)));
  return true;
}

function foldSubIntoBias(op: Operation, rw: Builder): boolean {
  const m = affineOperand(op, false);
  if (!m || m.p.operands.length < 3) return false;
  const b = biasValues(m.p, m.vec.length);
  setBias(rw, op, m.p, b.map((x, i) => Math.fround(x - m.vec[i]!)));
  return true;
}

function foldMulIntoWeights(op: Operation, rw: Builder): boolean {
  const m = affineOperand(op, true);
  if (!m) return false;
  const { p, vec } = m;
  const w = p.operand(1);
  const wt = w.type as RankedTensorType;
  const wv = constFloats(w);
  if (!wv || !wt.shape.every((d) => d >= 0)) return false;
  const axis = weightChannelAxis(p);
  if (wt.shape[axis] !== vec.length) return false;
  const inner = wt.shape.slice(axis + 1).reduce((a, c) => a * c, 1);
  const scaled = wv.map((x, i) => Math.fround(x * vec[Math.floor(i / inner) % vec.length]!));
  const oldW = w.definingOp;
  const oldB = p.operands[2]?.value.definingOp;
  const nw = f32Const(rw, p, wt.shape, scaled, w.definingOp ?? p);
  const bias = p.operands[2]?.value;
  const nb = bias && bias.type.kind !== 'none' ? f32Const(rw, p, [vec.length], biasValues(p, vec.length).map((x, i) => Math.fround(x * vec[i]!)), p) : undefined;
  rw.modifyInPlace(p, () => {
    p.setOperand(1, nw);
    if (nb) p.setOperand(2, nb);
    p.setAttr('fused_activation_function', stringAttr(fusedActivation(op)));
  });
  rw.replaceOp(op, [p.result(0)]);
  eraseIfDead(rw, oldW);
  eraseIfDead(rw, oldB);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Shape ops
// ---------------------------------------------------------------------------------------------

function isStaticF32(v: Value): boolean {
  return isF32Tensor(v.type) && v.type.shape.every((d) => d >= 0);
}

function reshapeOfReshape(op: Operation, rw: Builder): boolean {
  const inner = soleProducer(op.operand(0), new Set(['tfl.reshape']));
  if (!inner || !isF32Tensor(inner.operand(0).type) || !isF32Tensor(op.result(0).type)) return false;
  const x = inner.operand(0);
  rw.modifyInPlace(op, () => op.setOperand(0, x));
  eraseIfDead(rw, inner);
  return true;
}

function reshapeIdentity(op: Operation, rw: Builder): boolean {
  const x = op.operand(0);
  if (!isStaticF32(x) || x.type !== op.result(0).type) return false;
  rw.replaceOp(op, [x]);
  return true;
}

function transposeOfTranspose(op: Operation, rw: Builder): boolean {
  const inner = soleProducer(op.operand(0), new Set(['tfl.transpose']));
  if (!inner || !isF32Tensor(inner.operand(0).type) || !isF32Tensor(op.result(0).type)) return false;
  const p = constantInts(inner.operand(1));
  const q = constantInts(op.operand(1));
  if (!p || !q || p.length !== q.length) return false;
  // out[i] = mid[q[i]] = x[p[q[i]]].
  const r = q.map((qi) => p[qi]!);
  const x = inner.operand(0);
  if (r.every((v, i) => v === i) && x.type === op.result(0).type) {
    rw.replaceOp(op, [x]);
  } else {
    const perm = i32Const(rw, op, r, op.operand(1).definingOp ?? op);
    const oldPerm = op.operand(1).definingOp;
    rw.modifyInPlace(op, () => {
      op.setOperand(0, x);
      op.setOperand(1, perm);
    });
    eraseIfDead(rw, oldPerm);
  }
  eraseIfDead(rw, inner);
  return true;
}

function transposeIdentity(op: Operation, rw: Builder): boolean {
  const x = op.operand(0);
  const perm = constantInts(op.operand(1));
  if (!isF32Tensor(x.type) || !perm || !perm.every((v, i) => v === i) || x.type !== op.result(0).type) return false;
  rw.replaceOp(op, [x]);
  return true;
}

/** `concatenation(split(x)#0..n)` along the split axis, every piece once, in order -> x. */
function concatOfSplit(op: Operation, rw: Builder): boolean {
  if (fusedActivation(op) !== 'NONE' || op.operands.length === 0) return false;
  const first = op.operand(0).definingOp;
  if (!first || (first.name !== 'tfl.split' && first.name !== 'tfl.split_v')) return false;
  if (first.results.length !== op.operands.length) return false;
  for (let i = 0; i < op.operands.length; i++) {
    const v = op.operand(i);
    if (v !== first.result(i) || !v.hasOneUse()) return false;
  }
  const x = first.name === 'tfl.split' ? first.operand(1) : first.operand(0);
  const dimOperand = first.name === 'tfl.split' ? first.operand(0) : first.operand(2);
  const dim = constantInts(dimOperand);
  const rank = x.type.kind === 'tensor' ? x.type.shape.length : undefined;
  const axis = intAttr(op, 'axis');
  if (!dim || dim.length !== 1 || rank === undefined || axis === undefined) return false;
  if (normalizeAxis(dim[0]!, rank) !== normalizeAxis(axis, rank)) return false;
  if (!isF32Tensor(x.type) || x.type !== op.result(0).type) return false;
  rw.replaceOp(op, [x]);
  eraseIfDead(rw, first);
  return true;
}

/** `pack(unpack(x)#0..n)` along the same axis, every piece once, in order -> x. */
function packOfUnpack(op: Operation, rw: Builder): boolean {
  const first = op.operand(0).definingOp;
  if (!first || first.name !== 'tfl.unpack' || first.results.length !== op.operands.length) return false;
  for (let i = 0; i < op.operands.length; i++) if (op.operand(i) !== first.result(i) || !op.operand(i).hasOneUse()) return false;
  const x = first.operand(0);
  if (!isF32Tensor(x.type) || x.type !== op.result(0).type) return false;
  const rank = x.type.shape.length;
  const a = normalizeAxis(intAttr(first, 'axis') ?? 0, rank);
  const b = normalizeAxis(intAttr(op, 'axis') ?? 0, rank);
  if (a === undefined || a !== b) return false;
  rw.replaceOp(op, [x]);
  eraseIfDead(rw, first);
  return true;
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const ACTIVATION_ROOTS = Object.keys(ACTIVATION_OF);

/** Every tfl-fuse pattern, one line each (`name` is what `onRewrite` reports). */
export const TFL_FUSION_PATTERNS: readonly RewritePattern[] = Object.freeze([
  ...ACTIVATION_ROOTS.map((root) =>
    opPattern(
      root,
      `${root.slice(4)}(fc|conv_2d|depthwise_conv_2d|add|sub|mul|avg/max_pool_2d(x){act=NONE}) -> op(x){act=${ACTIVATION_OF[root]}}`,
      fuseActivation,
      { name: `fuse-${root.slice(4)}`, benefit: 3 },
    ),
  ),
  opPattern('tfl.add', 'add(fc|conv_2d|depthwise_conv_2d(x, w, none|0), c) -> op(x, w, c)  (c per output channel)', biasAdd, {
    name: 'fuse-bias-add',
    benefit: 3,
  }),
  opPattern('tfl.add', 'add(fc|conv_2d|depthwise_conv_2d(x, w, b), c) -> op(x, w, b + c)  (batch-norm shift)', foldAddIntoBias, {
    name: 'fold-add-into-bias',
    benefit: 2,
  }),
  opPattern('tfl.sub', 'sub(fc|conv_2d|depthwise_conv_2d(x, w, b), c) -> op(x, w, b - c)', foldSubIntoBias, {
    name: 'fold-sub-into-bias',
    benefit: 2,
  }),
  opPattern('tfl.mul', 'mul(fc|conv_2d|depthwise_conv_2d(x, w, b), s) -> op(x, w * s, b * s)  (batch-norm scale)', foldMulIntoWeights, {
    name: 'fold-mul-into-weights',
    benefit: 2,
  }),
  opPattern('tfl.reshape', 'reshape(reshape(x, s1), s2) -> reshape(x, s2)', reshapeOfReshape, { name: 'fuse-reshapes' }),
  opPattern('tfl.reshape', 'reshape(x : T, s) : T -> x', reshapeIdentity, { name: 'drop-identity-reshape', benefit: 2 }),
  opPattern('tfl.transpose', 'transpose(transpose(x, p), q) -> transpose(x, p∘q)  (x when p∘q is the identity)', transposeOfTranspose, {
    name: 'fuse-transposes',
  }),
  opPattern('tfl.transpose', 'transpose(x, [0, 1, ..., n-1]) -> x', transposeIdentity, { name: 'drop-identity-transpose', benefit: 2 }),
  opPattern('tfl.concatenation', 'concatenation(split|split_v(x)#0..n-1) along the split axis -> x', concatOfSplit, {
    name: 'drop-split-concat',
  }),
  opPattern('tfl.pack', 'pack(unpack(x)#0..n-1) along the unpack axis -> x', packOfUnpack, { name: 'drop-unpack-pack' }),
]);

/** Names of the patterns (for docs and tests). */
export const TFL_FUSION_PATTERN_NAMES: readonly string[] = TFL_FUSION_PATTERNS.map((p) => p.name);

