/**
 * Unit tests of shape inference: the dialect-agnostic helpers of src/ir/shape-inference.ts (merging,
 * refining, the SameOperandsAndResultShape fallback) and the tfl shape functions
 * (dialects/tfl/shape-inference*.ts) on ops built directly, including their error messages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { arrayAttr, boolAttr, stringAttr } from '../../src/ir/attribute.js';
import type { Operation } from '../../src/ir/operation.js';
import { registerDialect } from '../../src/ir/registry.js';
import { inferResultShapes, mergeShapes, needsShape, refineType } from '../../src/ir/shape-inference.js';
import { type Type, f32, i1, i32, i8, tensorType, uniformQuantType, unrankedTensorType } from '../../src/ir/type.js';
import type { Value } from '../../src/ir/value.js';
import { TflDialect } from '../../dialects/tfl/index.js';
import { windowOutputSize } from '../../dialects/tfl/shape-inference-nn.js';
import { Scratch, i32Dense, i32a } from './helpers.js';

const t = (shape: number[], el: Type = f32()): Type => tensorType(shape, el);
const U = unrankedTensorType(f32());
const NONE = { fused_activation_function: stringAttr('NONE') };

beforeAll(() => registerDialect(TflDialect));

/** A scratch block with typed arguments and an op of unranked results built over them. */
function build(name: string, operands: (s: Scratch) => Value[], attrs: Record<string, ReturnType<typeof i32a>> = {}, results = 1): Operation {
  const s = new Scratch();
  return s.op(name, operands(s), Array.from({ length: results }, () => U), attrs);
}

const args = (...types: Type[]) => (s: Scratch) => types.map((x) => s.arg(x));

describe('src/ir/shape-inference helpers', () => {
  it('merges shapes: static dims win over dynamic ones; conflicts and rank changes are errors', () => {
    expect(mergeShapes([-1, 3], [2, -1])).toEqual([2, 3]);
    expect(mergeShapes([2, 3], [2, 4])).toBe('shapes [2, 3] and [2, 4] differ in dimension 1');
    expect(mergeShapes([2], [2, 1])).toBe('shapes [2] and [2, 1] have different ranks');
  });

  it('refines a type keeping its element (quantized included) and reports conflicts', () => {
    const q = uniformQuantType(i8(), f32(), 0.5, -3);
    expect(refineType(unrankedTensorType(q), [1, 2])).toBe(tensorType([1, 2], q));
    expect(refineType(tensorType([-1, 2], q), [4, 2])).toBe(tensorType([4, 2], q));
    expect(refineType(t([3]), [3])).toBe(t([3]));
    expect(refineType(t([-1, 5]), [1, 6])).toBe('inferred shape [1, 6] conflicts with the declared shape [?, 5]');
    expect(needsShape(U)).toBe(true);
    expect(needsShape(t([-1, 2]))).toBe(true);
    expect(needsShape(t([1, 2]))).toBe(false);
  });

  it('falls back to SameOperandsAndResultShape, and reads given operand shapes over the IR types', () => {
    const relu = build('tfl.relu', args(U));
    expect(inferResultShapes(relu)).toEqual([undefined]);
    expect(inferResultShapes(relu, [[3, 4]])).toEqual([[3, 4]]);
    const atan2 = build('tfl.atan2', args(t([2, 3]), t([2, 4])));
    expect(inferResultShapes(atan2)).toBe('operands must have the same shape: shapes [2, 3] and [2, 4] differ in dimension 1');
    expect(inferResultShapes(build('tfl.quantize', args(t([1, 2, 2]))))).toEqual([[1, 2, 2]]);
  });

  it('answers undefined for ops without a shape function', () => {
    expect(inferResultShapes(build('tfl.strided_slice', args(t([6]), t([1], i32()), t([1], i32()), t([1], i32()))))).toBeUndefined();
  });
});

describe('tfl shape functions: elementwise and data movement', () => {
  it('broadcasts binary ops, comparisons and select_v2', () => {
    expect(inferResultShapes(build('tfl.add', args(t([2, 1, 3]), t([4, 1])), NONE))).toEqual([[2, 4, 3]]);
    expect(inferResultShapes(build('tfl.less', args(t([-1, 3]), t([2, 1]))))).toEqual([[2, 3]]);
    expect(inferResultShapes(build('tfl.select_v2', args(t([2, 1], i1()), t([3]), t([1, 1]))))).toEqual([[2, 3]]);
    expect(inferResultShapes(build('tfl.mul', args(t([2, 3]), t([4, 3])), NONE))).toBe(
      'operand shapes [2, 3], [4, 3] are not broadcast-compatible',
    );
    expect(inferResultShapes(build('tfl.add', args(U, t([4])), NONE))).toEqual([undefined]);
  });

  it('reshapes by a constant shape (one -1), or only ranks by a runtime one', () => {
    const reshape = (input: Type, shape: number[]) => build('tfl.reshape', (s) => [s.arg(input), s.cst(i32Dense(shape))]);
    expect(inferResultShapes(reshape(t([2, 3, 4]), [4, -1]))).toEqual([[4, 6]]);
    expect(inferResultShapes(reshape(t([2, 3]), [6]))).toEqual([[6]]);
    expect(inferResultShapes(reshape(U, [3, -1]))).toEqual([[3, -1]]);
    expect(inferResultShapes(reshape(t([2, 4]), [3, -1]))).toBe('cannot reshape 8 elements [2, 4] into [3, -1]');
    expect(inferResultShapes(reshape(t([2, 4]), [5]))).toBe('cannot reshape 8 elements [2, 4] into [5]');
    expect(inferResultShapes(reshape(t([2, 4]), [-1, -1]))).toBe('shape operand [-1, -1] has more than one -1');
    expect(inferResultShapes(build('tfl.reshape', args(t([6]), t([3], i32()))))).toEqual([[-1, -1, -1]]);
  });

  it('concatenates along a (negative) axis and checks the other dims', () => {
    const concat = (axis: number, ...types: Type[]) => build('tfl.concatenation', args(...types), { axis: i32a(axis), ...NONE });
    expect(inferResultShapes(concat(-1, t([2, 3]), t([2, 5])))).toEqual([[2, 8]]);
    expect(inferResultShapes(concat(0, t([1, 3]), t([-1, 3])))).toEqual([[-1, 3]]);
    expect(inferResultShapes(concat(1, t([2, 3]), t([4, 5])))).toBe('operand #1 dimension 0 (4) does not match operand #0 (2)');
    expect(inferResultShapes(concat(2, t([2, 3]), t([2, 3])))).toBe('axis 2 is out of range for rank 2');
    expect(inferResultShapes(concat(0, t([2, 3]), t([2])))).toBe('operand #1 [2] does not have rank 2 like operand #0');
  });

  it('reduces over constant axes with and without keep_dims', () => {
    const mean = (axes: number[], keep: boolean) =>
      build('tfl.mean', (s) => [s.arg(t([2, 3, 4])), s.cst(i32Dense(axes))], { keep_dims: boolAttr(keep) });
    expect(inferResultShapes(mean([1, -1], false))).toEqual([[2]]);
    expect(inferResultShapes(mean([1], true))).toEqual([[2, 1, 4]]);
    expect(inferResultShapes(mean([3], false))).toBe('reduction axis 3 is out of range for a 3d input');
  });

  it('covers squeeze, expand_dims, transpose, pads, slice, pack/unpack, split, gather, tile and arg_max', () => {
    expect(inferResultShapes(build('tfl.squeeze', args(t([1, 3, 1, 2]))))).toEqual([[3, 2]]);
    expect(inferResultShapes(build('tfl.squeeze', args(t([1, 3, 1])), { squeeze_dims: arrayAttr([i32a(0)]) }))).toEqual([[3, 1]]);
    expect(inferResultShapes(build('tfl.squeeze', args(t([2, 3])), { squeeze_dims: arrayAttr([i32a(1)]) }))).toBe(
      'cannot squeeze dimension 1 of size 3',
    );
    expect(inferResultShapes(build('tfl.expand_dims', (s) => [s.arg(t([2, 3])), s.cst(i32Dense([-1]))]))).toEqual([[2, 3, 1]]);
    expect(inferResultShapes(build('tfl.transpose', (s) => [s.arg(t([2, 3, 4])), s.cst(i32Dense([2, 0, 1]))]))).toEqual([[4, 2, 3]]);
    expect(inferResultShapes(build('tfl.transpose', (s) => [s.arg(t([2, 3])), s.cst(i32Dense([0, 0]))]))).toBe('perm [0, 0] is not a permutation');
    expect(inferResultShapes(build('tfl.pad', (s) => [s.arg(t([2, 3])), s.cst(i32Dense([1, 1, 0, 2], [2, 2]))]))).toEqual([[4, 5]]);
    expect(inferResultShapes(build('tfl.slice', (s) => [s.arg(t([5, 6])), s.cst(i32Dense([1, 2])), s.cst(i32Dense([2, -1]))]))).toEqual([[2, 4]]);
    expect(inferResultShapes(build('tfl.slice', (s) => [s.arg(t([5, 6])), s.cst(i32Dense([4, 0])), s.cst(i32Dense([2, 1]))]))).toBe(
      'slice [4, 6) of dimension 0 exceeds its size 5',
    );
    expect(inferResultShapes(build('tfl.pack', args(t([2, 3]), t([2, 3]), t([2, 3])), { axis: i32a(1), values_count: i32a(3) }))).toEqual([[2, 3, 3]]);
    expect(inferResultShapes(build('tfl.unpack', args(t([2, 3])), { axis: i32a(1), num: i32a(3) }, 3))).toEqual([[2], [2], [2]]);
    expect(inferResultShapes(build('tfl.unpack', args(t([2, 4])), { axis: i32a(1), num: i32a(3) }, 3))).toBe(
      'dimension 1 (4) does not match the 3 results',
    );
    expect(inferResultShapes(build('tfl.split', (s) => [s.cst(i32Dense([1], [])), s.arg(t([2, 6]))], { num_splits: i32a(3) }, 3))).toEqual([
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    expect(inferResultShapes(build('tfl.split', (s) => [s.cst(i32Dense([1], [])), s.arg(t([2, 5]))], { num_splits: i32a(2) }, 2))).toBe(
      'dimension 1 (5) is not divisible into 2 parts',
    );
    expect(inferResultShapes(build('tfl.gather', args(t([5, 6, 7]), t([2, 3], i32())), { axis: i32a(1) }))).toEqual([[5, 2, 3, 7]]);
    expect(inferResultShapes(build('tfl.tile', (s) => [s.arg(t([2, 3])), s.cst(i32Dense([3, 1]))]))).toEqual([[6, 3]]);
    expect(inferResultShapes(build('tfl.arg_max', (s) => [s.arg(t([2, 3, 4])), s.cst(i32Dense([1]))]))).toEqual([[2, 4]]);
  });
});

describe('tfl shape functions: nn ops', () => {
  it('sizes windows as TFLite does (SAME = ceil(in / stride), VALID with dilation)', () => {
    expect(windowOutputSize('SAME', 7, 3, 2, 1)).toBe(4);
    expect(windowOutputSize('VALID', 7, 3, 2, 1)).toBe(3);
    expect(windowOutputSize('VALID', 8, 3, 1, 2)).toBe(4);
    expect(windowOutputSize('VALID', -1, 3, 1, 1)).toBe(-1);
    expect(windowOutputSize('VALID', 2, 3, 1, 1)).toBe('VALID padding: the window (3) is larger than the input (2)');
  });

  const conv = { dilation_h_factor: i32a(1), dilation_w_factor: i32a(1), padding: stringAttr('SAME'), stride_h: i32a(2), stride_w: i32a(1), ...NONE };

  it('infers conv_2d, depthwise_conv_2d and the pools', () => {
    expect(inferResultShapes(build('tfl.conv_2d', (s) => [s.arg(t([1, 7, 5, 3])), s.arg(t([8, 3, 3, 3])), s.none()], conv))).toEqual([[1, 4, 5, 8]]);
    const dw = { ...conv, padding: stringAttr('VALID'), stride_h: i32a(1), dilation_h_factor: i32a(2), depth_multiplier: i32a(2) };
    expect(inferResultShapes(build('tfl.depthwise_conv_2d', (s) => [s.arg(t([1, 8, 8, 3])), s.arg(t([1, 3, 3, 6])), s.none()], dw))).toEqual([
      [1, 4, 6, 6],
    ]);
    const pool = { filter_height: i32a(2), filter_width: i32a(2), padding: stringAttr('VALID'), stride_h: i32a(2), stride_w: i32a(2), ...NONE };
    expect(inferResultShapes(build('tfl.max_pool_2d', args(t([1, 5, 4, 7])), pool))).toEqual([[1, 2, 2, 7]]);
    expect(inferResultShapes(build('tfl.average_pool_2d', args(t([1, 1, 4, 7])), pool))).toBe(
      'height: VALID padding: the window (2) is larger than the input (1)',
    );
    expect(inferResultShapes(build('tfl.conv_2d', (s) => [s.arg(t([7, 5, 3])), s.arg(t([8, 3, 3, 3])), s.none()], conv))).toBe(
      'expects a 4d input, got [7, 5, 3]',
    );
    expect(inferResultShapes(build('tfl.conv_2d', (s) => [s.arg(t([1, 7, 5, 3])), s.arg(t([8, 3, 3, 3])), s.none()], { ...conv, stride_w: i32a(0) }))).toBe(
      'stride_w must be positive, got 0',
    );
    expect(inferResultShapes(build('tfl.transpose_conv', (s) => [s.cst(i32Dense([1, 8, 8, 4])), s.arg(t([4, 3, 3, 2])), s.arg(t([1, 4, 4, 2])), s.none()], conv))).toEqual([
      [1, 8, 8, 4],
    ]);
  });

  it('infers fully_connected with and without keep_num_dims', () => {
    const fc = (input: Type, keep: boolean) =>
      build('tfl.fully_connected', (s) => [s.arg(input), s.arg(t([10, 6])), s.none()], { keep_num_dims: boolAttr(keep), ...NONE });
    expect(inferResultShapes(fc(t([2, 3, 6]), false))).toEqual([[6, 10]]);
    expect(inferResultShapes(fc(t([2, 3, 6]), true))).toEqual([[2, 3, 10]]);
    expect(inferResultShapes(fc(t([-1, 6]), false))).toEqual([[-1, 10]]);
    expect(inferResultShapes(fc(t([2, 5]), false))).toBe('input [2, 5] has 10 elements, not a multiple of the filter input depth (6)');
    expect(inferResultShapes(fc(t([2, 5]), true))).toBe('input depth (5) does not match the filter input depth (6)');
  });

  it('infers batch_matmul with adjoints and broadcast batch dims', () => {
    const bmm = (x: Type, y: Type, adjY = false) => build('tfl.batch_matmul', args(x, y), { adj_y: boolAttr(adjY) });
    expect(inferResultShapes(bmm(t([2, 1, 3, 4]), t([5, 4, 6])))).toEqual([[2, 5, 3, 6]]);
    expect(inferResultShapes(bmm(t([3, 4]), t([6, 4]), true))).toEqual([[3, 6]]);
    expect(inferResultShapes(bmm(t([3, 4]), t([5, 6])))).toBe('contracting dimensions differ: x has 4, y has 5');
  });
});

describe('tfl shape functions: recurrent ops', () => {
  /** A 24-operand LSTM: n_input 5, n_cell 2, n_output 3 with projection (else 2), state batch `stateBatch`. */
  function lstm(name: string, input: Type, opts: { timeMajor?: boolean; projection?: boolean; stateBatch?: number }): Operation {
    const s = new Scratch();
    const nOut = opts.projection ? 3 : 2;
    const x = s.arg(input);
    const w = s.arg(t([2, 5]));
    const r = s.arg(t([2, nOut]));
    const b = s.arg(t([2]));
    const n = s.none();
    const p = opts.projection ? s.arg(t([3, 2])) : n;
    const h = s.arg(t([opts.stateBatch ?? 1, nOut]));
    const c = s.arg(t([opts.stateBatch ?? 1, 2]));
    const attrs = { ...NONE, ...(name.includes('sequence') ? { time_major: boolAttr(opts.timeMajor ?? false) } : {}) };
    return s.op(name, [x, w, w, w, w, r, r, r, r, n, n, n, b, b, b, b, p, n, h, c, n, n, n, n], [U], attrs);
  }

  it('gives [batch, time, n_output] (or [time, batch, n_output] time-major) with projection', () => {
    const uni = 'tfl.unidirectional_sequence_lstm';
    expect(inferResultShapes(lstm(uni, t([1, 4, 5]), {}))).toEqual([[1, 4, 2]]);
    expect(inferResultShapes(lstm(uni, t([1, 4, 5]), { projection: true }))).toEqual([[1, 4, 3]]);
    expect(inferResultShapes(lstm(uni, t([4, 2, 5]), { timeMajor: true, stateBatch: 2 }))).toEqual([[4, 2, 2]]);
    expect(inferResultShapes(lstm('tfl.lstm', t([1, 5]), {}))).toEqual([[1, 2]]);
  });

  it('checks the activation state against the batch that time_major selects', () => {
    const uni = 'tfl.unidirectional_sequence_lstm';
    expect(inferResultShapes(lstm(uni, t([4, 2, 5]), { timeMajor: false, stateBatch: 2 }))).toBe(
      'input_activation_state (operand #18) [2, 2] does not match the batch size 4',
    );
    expect(inferResultShapes(lstm(uni, t([4, 5]), {}))).toBe('expects a 3d input, got [4, 5]');
  });

  it('gives both bidirectional outputs, or one merged', () => {
    const s = new Scratch();
    const x = s.arg(t([3, 1, 4]));
    const n = s.none();
    const fw = (shape: number[]) => s.arg(t(shape));
    const dir = (nOut: number) => {
      const w = fw([2, 4]);
      const r = fw([2, nOut]);
      const b = fw([2]);
      return [w, w, w, w, r, r, r, r, n, n, n, b, b, b, b, nOut === 2 ? n : fw([nOut, 2]), n];
    };
    const operands = [x, ...dir(2), ...dir(5), fw([1, 2]), fw([1, 2]), fw([1, 5]), fw([1, 2]), ...Array.from({ length: 9 }, () => n)];
    const split = s.op('tfl.bidirectional_sequence_lstm', operands, [U, U], { ...NONE, merge_outputs: boolAttr(false), time_major: boolAttr(true) });
    expect(inferResultShapes(split)).toEqual([
      [3, 1, 2],
      [3, 1, 5],
    ]);
    const merged = s.op('tfl.bidirectional_sequence_lstm', operands, [U], { ...NONE, merge_outputs: boolAttr(true), time_major: boolAttr(true) });
    expect(inferResultShapes(merged)).toEqual([[3, 1, 7]]);
  });

  it('infers the RNNs and svdf', () => {
    const rnnArgs = (input: Type) => args(input, t([4, 3]), t([4, 4]), t([4]), t([2, 4]));
    expect(inferResultShapes(build('tfl.unidirectional_sequence_rnn', rnnArgs(t([2, 5, 3])), { ...NONE, time_major: boolAttr(false) }))).toEqual([
      [2, 5, 4],
    ]);
    expect(inferResultShapes(build('tfl.rnn', rnnArgs(t([2, 3])), NONE))).toEqual([[2, 4]]);
    const svdf = (rank: number) => build('tfl.svdf', args(t([2, 3]), t([6, 3]), t([6, 4]), t([3]), t([2, 24])), { rank: i32a(rank), ...NONE });
    expect(inferResultShapes(svdf(2))).toEqual([[2, 3]]);
    expect(inferResultShapes(svdf(4))).toBe('feature_weights rows (6) are not a multiple of rank (4)');
  });
});

describe('tfl shape functions: wiring', () => {
  it('are wired into the tfl op definitions', () => {
    const names = ['tfl.add', 'tfl.fully_connected', 'tfl.conv_2d', 'tfl.unidirectional_sequence_lstm', 'tfl.reshape', 'tfl.mean', 'tfl.concatenation'];
    for (const n of names) expect(TflDialect.ops.find((d) => d.name === n)?.inferResultShapes, n).toBeTypeOf('function');
  });

  it('keeps dense constants readable to the shape functions', () => {
    // A constant shape operand of a reshape is read from the IR even when operand shapes are given.
    const op = build('tfl.reshape', (s) => [s.arg(U), s.cst(i32Dense([2, -1]))]);
    expect(inferResultShapes(op, [[4, 3], [2]])).toEqual([[2, 6]]);
  });
});
