/**
 * Unit tests of the tfl op declarations: every definition is well formed (names, docs, enum
 * defaults, quant spec indices), and the op verifiers accept valid ops and reject invalid ones with
 * their stable messages. Ops are built directly with Operation.create.
 */
import { describe, expect, it } from 'vitest';
import { arrayAttr, boolAttr, integerAttr, stringAttr, symbolRefAttr, typeAttr } from '../../src/ir/attribute.js';
import type { AttrSpec, OpDef } from '../../src/ir/op-def.js';
import { type Type, calibratedQuantType, f32, i1, i32, i64, i8, i16, tensorType, uniformQuantType } from '../../src/ir/type.js';
import { TflDialect, tflOpNames } from '../../dialects/tfl/index.js';
import { LSTM_OPERAND_NAMES } from '../../dialects/tfl/ops/recurrent.js';
import { Scratch, appendOp, f32Dense, f32a, i32Dense, i32a, verify } from './helpers.js';
import { UnknownLoc } from '../../src/ir/location.js';

const t = (shape: number[], el: Type = f32()) => tensorType(shape, el);
const qi8 = (scale: number, zp: number) => uniformQuantType(i8(), f32(), scale, zp);
const qi16 = (scale: number) => uniformQuantType(i16(), f32(), scale, 0);
const NONE = { fused_activation_function: stringAttr('NONE') };

function attrDefaultMatchesKind(spec: AttrSpec): boolean {
  const d = spec.default;
  if (!d) return true;
  switch (spec.kind) {
    case 'int':
      return d.kind === 'integer';
    case 'float':
      return d.kind === 'float';
    case 'bool':
      return d.kind === 'bool';
    case 'string':
    case 'enum':
      return d.kind === 'string';
    case 'int_array':
    case 'array':
      return d.kind === 'array';
    case 'type':
      return d.kind === 'type';
    case 'dense':
      return d.kind === 'dense';
    case 'unit':
      return d.kind === 'unit';
    default:
      return true;
  }
}

describe('tfl op definitions are well formed', () => {
  const ops: readonly OpDef[] = TflDialect.ops;

  it('has the required ops with unique tfl. names', () => {
    const names = ops.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    expect(tflOpNames).toEqual([...names].sort());
    for (const n of names) expect(n).toMatch(/^tfl\.[a-z0-9_]+$/);
    const required = `add sub mul div maximum minimum squared_difference fully_connected conv_2d depthwise_conv_2d
      transpose_conv average_pool_2d max_pool_2d logistic tanh relu relu6 relu_n1_to_1 relu_0_to_1 leaky_relu hard_swish
      softmax log_softmax reshape squeeze expand_dims transpose concatenation split split_v slice strided_slice pack
      unpack pad padv2 mean sum reduce_max reduce_min gather batch_matmul rsqrt sqrt abs neg exp log quantize dequantize
      cast shape arg_max arg_min resize_bilinear resize_nearest_neighbor unidirectional_sequence_lstm lstm
      bidirectional_sequence_lstm unidirectional_sequence_rnn rnn svdf pseudo_const pseudo_qconst no_value custom
      while if yield call_once`.split(/\s+/);
    for (const r of required) expect(names, r).toContain(`tfl.${r}`);
  });

  it.each(ops.map((o) => [o.name, o] as const))('%s has docs, sane operands, attrs and traits', (_name, op) => {
    expect(op.summary.length).toBeGreaterThan(0);
    expect(op.summary).not.toContain('\n');
    expect(op.description ?? '').not.toBe('');
    expect(op.operands.filter((o) => o.variadic).length).toBeLessThanOrEqual(1);
    expect(op.results.filter((r) => r.variadic).length).toBeLessThanOrEqual(1);
    expect(new Set(op.operands.map((o) => o.name)).size).toBe(op.operands.length);
    for (const [name, spec] of Object.entries(op.attrs)) {
      expect(attrDefaultMatchesKind(spec), `${name} default kind`).toBe(true);
      if (spec.kind === 'enum') {
        expect(spec.values?.length, `${name} values`).toBeGreaterThan(0);
        if (spec.default?.kind === 'string') expect(spec.values).toContain(spec.default.value);
      }
    }
    expect(op.traits.includes('Pure') && op.traits.includes('Stateful')).toBe(false);
    for (const p of op.canonicalize ?? []) expect(p.root).toBe(op.name);
  });

  it.each(ops.filter((o) => o.quant).map((o) => [o.name, o] as const))('%s has a quant spec with indices in range', (_name, op) => {
    const q = op.quant!;
    const nOperands = op.operands.length;
    const nResults = op.results.length;
    const variadicOperands = op.operands.some((o) => o.variadic);
    const inOperands = (i: number) => i >= 0 && (variadicOperands || i < nOperands);
    for (const w of q.weights ?? []) {
      expect(inOperands(w.operand)).toBe(true);
      if (w.perChannelAxis !== undefined) expect(w.perChannelAxis).toBeGreaterThanOrEqual(0);
    }
    for (const b of q.biases ?? []) for (const i of [b.operand, b.input, b.weight]) expect(inOperands(i)).toBe(true);
    for (const i of q.nonQuantOperands ?? []) expect(inOperands(i)).toBe(true);
    if (q.sameScale && q.sameScale !== 'all') {
      for (const i of q.sameScale.operands) {
        expect(inOperands(i)).toBe(true);
        expect(q.nonQuantOperands ?? []).not.toContain(i);
      }
      for (const i of q.sameScale.results) expect(i < nResults || op.results.some((r) => r.variadic)).toBe(true);
    }
    expect(q.supports?.length ?? 0).toBeGreaterThan(0);
    if (q.fixedOutput?.int8) {
      expect(q.fixedOutput.int8.zeroPoint).toBeGreaterThanOrEqual(-128);
      expect(q.fixedOutput.int8.zeroPoint).toBeLessThanOrEqual(127);
      expect(q.supports).toContain('int8');
    }
    if (q.fixedOutput?.int16) {
      expect(q.fixedOutput.int16.zeroPoint).toBe(0);
      expect(q.supports).toContain('int16');
    }
  });

  it('records the TFLite quantization facts', () => {
    const spec = (n: string) => TflDialect.ops.find((o) => o.name === n)!.quant;
    expect(spec('tfl.conv_2d')?.weights).toEqual([{ operand: 1, perChannelAxis: 0 }]);
    expect(spec('tfl.depthwise_conv_2d')?.weights).toEqual([{ operand: 1, perChannelAxis: 3 }]);
    expect(spec('tfl.transpose_conv')?.weights).toEqual([{ operand: 1, perChannelAxis: 0 }]);
    expect(spec('tfl.transpose_conv')?.biases).toEqual([{ operand: 3, input: 2, weight: 1 }]);
    expect(spec('tfl.fully_connected')?.biases).toEqual([{ operand: 2, input: 0, weight: 1 }]);
    expect(spec('tfl.logistic')?.fixedOutput).toEqual({ int8: { scale: 1 / 256, zeroPoint: -128 }, int16: { scale: 1 / 32768, zeroPoint: 0 } });
    expect(spec('tfl.tanh')?.fixedOutput).toEqual({ int8: { scale: 1 / 128, zeroPoint: 0 }, int16: { scale: 1 / 32768, zeroPoint: 0 } });
    expect(spec('tfl.softmax')?.fixedOutput?.int8).toEqual({ scale: 1 / 256, zeroPoint: -128 });
    expect(spec('tfl.log_softmax')?.fixedOutput).toEqual({ int8: { scale: 16 / 256, zeroPoint: 127 } });
    expect(spec('tfl.reshape')?.sameScale).toEqual({ operands: [0], results: [0] });
    expect(spec('tfl.concatenation')?.sameScale).toBe('all');
    expect(spec('tfl.average_pool_2d')?.sameScale).toBeDefined();
    expect(spec('tfl.mean')?.sameScale).toBeUndefined();
    expect(spec('tfl.div')).toBeUndefined();
    expect(spec('tfl.svdf')?.biases).toEqual([{ operand: 3, input: 4, weight: 2 }]);
  });
});

describe('tfl verifiers', () => {
  it('fully_connected checks filter rank, bias and result', () => {
    const s = new Scratch();
    const x = s.arg(t([2, 4]));
    const w = s.arg(t([3, 4]));
    const b = s.arg(t([3]));
    const attrs = { ...NONE, weights_format: stringAttr('DEFAULT'), keep_num_dims: boolAttr(false) };
    expect(verify(s.op('tfl.fully_connected', [x, w, b], [t([2, 3])], attrs))).toBeUndefined();
    expect(verify(s.op('tfl.fully_connected', [x, w, s.none()], [t([2, 3])], attrs))).toBeUndefined();
    expect(verify(s.op('tfl.fully_connected', [x, s.arg(t([3, 4, 1])), b], [t([2, 3])], attrs))).toBe('expect 2d filter, got 3d');
    expect(verify(s.op('tfl.fully_connected', [x, w, s.arg(t([5]))], [t([2, 3])], attrs))).toMatch(/bias size \(5\)/);
    expect(verify(s.op('tfl.fully_connected', [x, w, b], [t([2, 5])], attrs))).toMatch(/result last dimension/);
    expect(verify(s.op('tfl.fully_connected', [s.arg(t([2, 5])), w, b], [t([2, 3])], attrs))).toMatch(/not a multiple/);
  });

  it('conv_2d checks ranks, channels, bias and strides', () => {
    const s = new Scratch();
    const x = s.arg(t([1, 8, 8, 4]));
    const w = s.arg(t([6, 3, 3, 4]));
    const b = s.arg(t([6]));
    const attrs = { ...NONE, padding: stringAttr('SAME'), stride_h: i32a(1), stride_w: i32a(1), dilation_h_factor: i32a(1), dilation_w_factor: i32a(1) };
    expect(verify(s.op('tfl.conv_2d', [x, w, b], [t([1, 8, 8, 6])], attrs))).toBeUndefined();
    expect(verify(s.op('tfl.conv_2d', [x, s.arg(t([6, 3, 3, 2])), b], [t([1, 8, 8, 6])], attrs))).toBeUndefined(); // grouped
    expect(verify(s.op('tfl.conv_2d', [x, s.arg(t([6, 3, 4])), b], [t([1, 8, 8, 6])], attrs))).toBe('expect 4d filter, got 3d');
    expect(verify(s.op('tfl.conv_2d', [x, s.arg(t([6, 3, 3, 3])), b], [t([1, 8, 8, 6])], attrs))).toMatch(/multiple of the filter input channels/);
    expect(verify(s.op('tfl.conv_2d', [x, w, s.arg(t([5]))], [t([1, 8, 8, 6])], attrs))).toMatch(/bias size/);
    expect(verify(s.op('tfl.conv_2d', [x, w, b], [t([1, 8, 8, 6])], { ...attrs, stride_h: i32a(0) }))).toBe('stride_h must be positive, got 0');
    expect(verify(s.op('tfl.conv_2d', [x, w, b], [t([1, 8, 8, 5])], attrs))).toMatch(/result channels/);
  });

  it('depthwise_conv_2d checks the multiplier', () => {
    const s = new Scratch();
    const x = s.arg(t([1, 8, 8, 4]));
    const attrs = { ...NONE, padding: stringAttr('VALID'), stride_h: i32a(1), stride_w: i32a(1), dilation_h_factor: i32a(1), dilation_w_factor: i32a(1), depth_multiplier: i32a(2) };
    expect(verify(s.op('tfl.depthwise_conv_2d', [x, s.arg(t([1, 3, 3, 8])), s.arg(t([8]))], [t([1, 6, 6, 8])], attrs))).toBeUndefined();
    expect(verify(s.op('tfl.depthwise_conv_2d', [x, s.arg(t([2, 3, 3, 8])), s.arg(t([8]))], [t([1, 6, 6, 8])], attrs))).toBe('expect filter dimension 0 to be 1, got 2');
    expect(verify(s.op('tfl.depthwise_conv_2d', [x, s.arg(t([1, 3, 3, 4])), s.none()], [t([1, 6, 6, 4])], attrs))).toMatch(/depth_multiplier/);
  });

  it('transpose_conv checks channels and output_shape', () => {
    const s = new Scratch();
    const shape = s.cst(i32Dense([1, 8, 8, 6]));
    const attrs = { ...NONE, padding: stringAttr('SAME'), stride_h: i32a(2), stride_w: i32a(2) };
    const w = s.arg(t([6, 3, 3, 4]));
    const x = s.arg(t([1, 4, 4, 4]));
    expect(verify(s.op('tfl.transpose_conv', [shape, w, x, s.none()], [t([1, 8, 8, 6])], attrs))).toBeUndefined();
    expect(verify(s.op('tfl.transpose_conv', [shape, w, s.arg(t([1, 4, 4, 3])), s.none()], [t([1, 8, 8, 6])], attrs))).toMatch(/input channels \(3\)/);
    expect(verify(s.op('tfl.transpose_conv', [shape, w, x, s.none()], [t([1, 9, 8, 6])], attrs))).toMatch(/does not match output_shape/);
  });

  it('pools need 4d inputs', () => {
    const s = new Scratch();
    const attrs = { ...NONE, padding: stringAttr('VALID'), stride_h: i32a(1), stride_w: i32a(1), filter_height: i32a(2), filter_width: i32a(2) };
    expect(verify(s.op('tfl.max_pool_2d', [s.arg(t([1, 4, 4, 2]))], [t([1, 3, 3, 2])], attrs))).toBeUndefined();
    expect(verify(s.op('tfl.average_pool_2d', [s.arg(t([4, 4, 2]))], [t([3, 3, 2])], attrs))).toBe('expect 4d input, got 3d');
  });

  it('binary ops check broadcasting and element types', () => {
    const s = new Scratch();
    expect(verify(s.op('tfl.add', [s.arg(t([2, 3])), s.arg(t([3]))], [t([2, 3])], NONE))).toBeUndefined();
    expect(verify(s.op('tfl.add', [s.arg(t([2, 3])), s.arg(t([2]))], [t([2, 3])], NONE))).toBe("operands don't have broadcast-compatible shapes");
    expect(verify(s.op('tfl.mul', [s.arg(t([2], f32())), s.arg(t([2], i32()))], [t([2])], NONE))).toMatch(/different element types/);
    // Quantized operands with different scales but one storage type are fine.
    expect(verify(s.op('tfl.add', [s.arg(t([2], qi8(0.1, 0))), s.arg(t([2], qi8(0.2, 3)))], [t([2], qi8(0.3, 1))], NONE))).toBeUndefined();
    expect(verify(s.op('tfl.less', [s.arg(t([2])), s.arg(t([2]))], [t([2], i1())]))).toBeUndefined();
    expect(verify(s.op('tfl.less', [s.arg(t([2])), s.arg(t([2]))], [t([2])]))).toBe('result must have i1 elements');
  });

  it('reshape checks element counts and a constant shape', () => {
    const s = new Scratch();
    const x = s.arg(t([2, 6]));
    expect(verify(s.op('tfl.reshape', [x, s.cst(i32Dense([3, -1]))], [t([3, 4])]))).toBeUndefined();
    expect(verify(s.op('tfl.reshape', [x, s.cst(i32Dense([3, 5]))], [t([3, 5])]))).toBe('input element count (12) does not match result element count (15)');
    expect(verify(s.op('tfl.reshape', [x, s.cst(i32Dense([4, 3]))], [t([3, 4])]))).toMatch(/does not match the shape operand/);
    expect(verify(s.op('tfl.reshape', [x, s.cst(i32Dense([-1, -1]))], [t([3, 4])]))).toBe('shape operand has more than one -1');
  });

  it('transpose checks the permutation', () => {
    const s = new Scratch();
    const x = s.arg(t([2, 3, 4]));
    expect(verify(s.op('tfl.transpose', [x, s.cst(i32Dense([2, 0, 1]))], [t([4, 2, 3])]))).toBeUndefined();
    expect(verify(s.op('tfl.transpose', [x, s.cst(i32Dense([0, 0, 1]))], [t([2, 2, 3])]))).toBe('perm [0, 0, 1] is not a permutation');
    expect(verify(s.op('tfl.transpose', [x, s.cst(i32Dense([1, 0]))], [t([3, 2])]))).toMatch(/perm has 2 elements/);
    expect(verify(s.op('tfl.transpose', [x, s.cst(i32Dense([2, 0, 1]))], [t([4, 3, 2])]))).toMatch(/result dimension 1/);
  });

  it('concatenation checks the axis and dims', () => {
    const s = new Scratch();
    const a = s.arg(t([2, 3]));
    const b = s.arg(t([2, 5]));
    expect(verify(s.op('tfl.concatenation', [a, b], [t([2, 8])], { ...NONE, axis: i32a(1) }))).toBeUndefined();
    expect(verify(s.op('tfl.concatenation', [a, b], [t([2, 8])], { ...NONE, axis: i32a(-1) }))).toBeUndefined();
    expect(verify(s.op('tfl.concatenation', [a, b], [t([2, 8])], { ...NONE, axis: i32a(2) }))).toBe('axis 2 is out of range for rank 2');
    expect(verify(s.op('tfl.concatenation', [a, b], [t([4, 8])], { ...NONE, axis: i32a(1) }))).toMatch(/operand #0 dimension 0/);
    expect(verify(s.op('tfl.concatenation', [a, b], [t([2, 9])], { ...NONE, axis: i32a(1) }))).toMatch(/not the sum/);
  });

  it('squeeze, expand_dims, split, pack, unpack, pad, gather', () => {
    const s = new Scratch();
    expect(verify(s.op('tfl.squeeze', [s.arg(t([1, 3, 1]))], [t([3])]))).toBeUndefined();
    expect(verify(s.op('tfl.squeeze', [s.arg(t([1, 3, 1]))], [t([1, 3])], { squeeze_dims: arrayAttr([integerAttr(2)]) }))).toBeUndefined();
    expect(verify(s.op('tfl.squeeze', [s.arg(t([1, 3, 1]))], [t([1])], { squeeze_dims: arrayAttr([integerAttr(1)]) }))).toBe('cannot squeeze dimension 1 of size 3');
    expect(verify(s.op('tfl.expand_dims', [s.arg(t([3])), s.cst(i32Dense([0], []))], [t([1, 3])]))).toBeUndefined();
    expect(verify(s.op('tfl.expand_dims', [s.arg(t([3])), s.cst(i32Dense([5], []))], [t([1, 3])]))).toMatch(/dim 5 is out of range/);
    const v = s.arg(t([4, 6]));
    expect(verify(s.op('tfl.split', [s.cst(i32Dense([1], [])), v], [t([4, 3]), t([4, 3])], { num_splits: i32a(2) }))).toBeUndefined();
    expect(verify(s.op('tfl.split', [s.cst(i32Dense([1], [])), v], [t([4, 3])], { num_splits: i32a(2) }))).toBe('num_splits (2) does not match the number of results (1)');
    expect(verify(s.op('tfl.split', [s.cst(i32Dense([1], [])), v], [t([4, 2]), t([4, 2]), t([4, 2]), t([4, 2])], { num_splits: i32a(4) }))).toMatch(/not divisible/);
    const p = s.arg(t([3]));
    expect(verify(s.op('tfl.pack', [p, p], [t([2, 3])], { values_count: i32a(2), axis: i32a(0) }))).toBeUndefined();
    expect(verify(s.op('tfl.pack', [p, p], [t([2, 3])], { values_count: i32a(3), axis: i32a(0) }))).toBe('values_count (3) does not match the number of operands (2)');
    expect(verify(s.op('tfl.unpack', [v], [t([6]), t([6]), t([6]), t([6])], { num: i32a(4), axis: i32a(0) }))).toBeUndefined();
    expect(verify(s.op('tfl.unpack', [v], [t([6]), t([6])], { num: i32a(2), axis: i32a(0) }))).toBe('dimension 0 (4) does not match num (2)');
    expect(verify(s.op('tfl.pad', [v, s.cst(i32Dense([1, 1, 0, 0], [2, 2]))], [t([6, 6])]))).toBeUndefined();
    expect(verify(s.op('tfl.pad', [v, s.cst(i32Dense([1, 1, 0, 0, 0, 0], [3, 2]))], [t([6, 6])]))).toBe('padding has 3 rows, expected 2 (the input rank)');
    expect(verify(s.op('tfl.gather', [v, s.arg(t([5], i32()))], [t([5, 6])], { axis: i32a(0) }))).toBeUndefined();
    expect(verify(s.op('tfl.gather', [v, s.arg(t([5], i32()))], [t([5, 6])], { axis: i32a(2) }))).toBe('axis 2 is out of range for 2d params');
  });

  it('quantize and dequantize check quantized types', () => {
    const s = new Scratch();
    const q = t([4], qi8(0.5, -1));
    const x = s.arg(t([4]));
    expect(verify(s.op('tfl.quantize', [x], [q], { qtype: typeAttr(q) }))).toBeUndefined();
    expect(verify(s.op('tfl.quantize', [x], [t([4])], { qtype: typeAttr(t([4])) }))).toBe('result must have a quantized element type');
    expect(verify(s.op('tfl.quantize', [x], [q], { qtype: typeAttr(t([4], qi8(0.25, 0))) }))).toMatch(/^qtype .* does not match the result type/);
    expect(verify(s.op('tfl.quantize', [s.arg(t([4], qi16(0.001)))], [q], { qtype: typeAttr(q) }))).toBeUndefined(); // requantize
    expect(verify(s.op('tfl.dequantize', [s.arg(q)], [t([4])]))).toBeUndefined();
    expect(verify(s.op('tfl.dequantize', [x], [t([4])]))).toBe('operand must have a quantized (or f16) element type');
  });

  it('softmax, batch_matmul, resize, shape, arg_max', () => {
    const s = new Scratch();
    expect(verify(s.op('tfl.softmax', [s.arg(t([]))], [t([])], { beta: f32a(1) }))).toBe('expect input of rank >= 1, got 0d');
    expect(verify(s.op('tfl.batch_matmul', [s.arg(t([2, 3, 4])), s.arg(t([2, 4, 5]))], [t([2, 3, 5])]))).toBeUndefined();
    expect(verify(s.op('tfl.batch_matmul', [s.arg(t([2, 3, 4])), s.arg(t([2, 5, 4]))], [t([2, 3, 5])]))).toMatch(/contracting dimensions differ/);
    expect(verify(s.op('tfl.batch_matmul', [s.arg(t([2, 3, 4])), s.arg(t([2, 5, 4]))], [t([2, 3, 5])], { adj_y: boolAttr(true) }))).toBeUndefined();
    const img = s.arg(t([1, 4, 4, 3]));
    const size = s.cst(i32Dense([8, 8]));
    expect(verify(s.op('tfl.resize_bilinear', [img, size], [t([1, 8, 8, 3])], { align_corners: boolAttr(false) }))).toBeUndefined();
    expect(verify(s.op('tfl.resize_bilinear', [img, size], [t([1, 8, 8, 3])], { align_corners: boolAttr(true), half_pixel_centers: boolAttr(true) }))).toBe(
      'align_corners and half_pixel_centers cannot both be true',
    );
    expect(verify(s.op('tfl.shape', [img], [t([4], i32())]))).toBeUndefined();
    expect(verify(s.op('tfl.shape', [img], [t([3], i32())]))).toMatch(/expected 4/);
    expect(verify(s.op('tfl.arg_max', [img, s.cst(i32Dense([3], []))], [t([1, 4, 4], i64())]))).toBeUndefined();
    expect(verify(s.op('tfl.arg_max', [img, s.cst(i32Dense([3], []))], [t([1, 4, 4])]))).toBe('result must have i32 or i64 elements');
    expect(verify(s.op('tfl.mean', [img, s.cst(i32Dense([1, 2]))], [t([1, 3])], { keep_dims: boolAttr(false) }))).toBeUndefined();
    expect(verify(s.op('tfl.mean', [img, s.cst(i32Dense([1, 2]))], [t([1, 1, 1, 3])], { keep_dims: boolAttr(false) }))).toBe('expect 2d result, got 4d');
    expect(verify(s.op('tfl.mean', [img, s.cst(i32Dense([1, 7]))], [t([1, 3])], { keep_dims: boolAttr(false) }))).toMatch(/axis 7 is out of range/);
  });

  it('accepts the forms real TFLite models use', () => {
    const s = new Scratch();
    // int8 -> int16 softmax (TFLite's mixed kernel).
    const x8 = s.arg(t([1, 2], qi8(0.07, 2)));
    const out16 = t([1, 2], uniformQuantType(i16(), f32(), 1 / 65536, -32768));
    expect(verify(s.op('tfl.softmax', [x8], [out16], { beta: f32a(1) }))).toBeUndefined();
    expect(verify(s.op('tfl.logistic', [x8], [out16]))).toMatch(/same element type/);
    // Imported quantize ops carry no qtype; the result type is the target.
    expect(verify(s.op('tfl.quantize', [s.arg(t([4]))], [t([4], qi8(0.5, 0))]))).toBeUndefined();
    // Calibrated constants (e.g. LSTM state with a recorded range) store their float values.
    const cal = t([1, 2], calibratedQuantType(f32(), -1, 2));
    expect(verify(s.op('tfl.pseudo_const', [], [cal], { value: f32Dense([0, 0], [1, 2]) }))).toBeUndefined();
    // call_once names its initialiser by string (TF) or by symbol (TFLite import).
    expect(verify(s.op('tfl.call_once', [], [], { init_subgraph_index: symbolRefAttr('init') }))).toBeUndefined();
    expect(verify(s.op('tfl.call_once', [], []))).toBe('requires session_init_function or init_subgraph_index');
  });

  it('constants check their types', () => {
    const s = new Scratch();
    const v = i32Dense([1, 2]);
    expect(verify(s.op('tfl.pseudo_const', [], [v.type], { value: v }))).toBeUndefined();
    expect(verify(s.op('tfl.pseudo_const', [], [t([2])], { value: v }))).toMatch(/does not match the result type/);
    const qt = t([2], qi8(0.5, 0));
    const stored = i32Dense([1, 2]);
    expect(verify(s.op('tfl.pseudo_qconst', [], [qt], { qtype: typeAttr(qt), value: stored }))).toMatch(/must be the storage type i8/);
    expect(verify(s.op('tfl.pseudo_qconst', [], [t([2])], { qtype: typeAttr(t([2])), value: stored }))).toBe('result must have a quantized element type');
  });

  it('custom, control flow and yield', () => {
    const s = new Scratch();
    const x = s.arg(t([2]));
    expect(verify(s.op('tfl.custom', [x, s.none()], [t([2])], { custom_code: stringAttr('MyOp') }))).toBeUndefined();
    expect(verify(s.op('tfl.custom', [x], [t([2])], { custom_code: stringAttr('') }))).toBe('custom_code must not be empty');
    const w = s.op('tfl.while', [x], [t([2]), t([2])], {}, 2);
    expect(verify(w)).toBe('expects as many results (2) as operands (1)');
    const good = s.op('tfl.while', [x], [t([2])], {}, 2);
    const cond = good.regions[0]!.addBlock();
    cond.addArgument(t([2]), UnknownLoc);
    appendOp(cond, 'tfl.yield', [s.arg(t([], i1()))], []);
    const body = good.regions[1]!.addBlock();
    const ba = body.addArgument(t([2]), UnknownLoc);
    const y = appendOp(body, 'tfl.yield', [ba, ba], []);
    expect(verify(good)).toBe('body region must yield 1 value, got 2');
    y.setOperands([ba]);
    expect(verify(good)).toBeUndefined();
    expect(verify(y)).toBeUndefined();
    const stray = s.op('tfl.yield', [x], []);
    expect(verify(stray)).toBeUndefined(); // detached from any region op: nothing to check
    expect(verify(s.op('tfl.if', [s.arg(t([], i32()))], [], {}, 2))).toBe('cond must have i1 elements');
  });
});

describe('tfl recurrent verifiers', () => {
  const B = 2;
  const T = 3;
  const IN = 5;
  const CELL = 4;
  const OUT = 4;

  function lstmOperands(s: Scratch, opts: { cifg?: boolean; peephole?: boolean; projection?: boolean; layerNorm?: boolean; inputRank?: number } = {}) {
    const none = s.none();
    const out = opts.projection ? 3 : OUT;
    const vals = LSTM_OPERAND_NAMES.map((n, i) => {
      if (i === 0) return s.arg(t(opts.inputRank === 2 ? [B, IN] : [B, T, IN]));
      if ([1, 2, 3, 4].includes(i)) return opts.cifg && i === 1 ? none : s.arg(t([CELL, IN]));
      if ([5, 6, 7, 8].includes(i)) return opts.cifg && i === 5 ? none : s.arg(t([CELL, out]));
      if ([9, 10, 11].includes(i)) return opts.peephole && !(opts.cifg && i === 9) ? s.arg(t([CELL])) : none;
      if ([12, 13, 14, 15].includes(i)) return opts.cifg && i === 12 ? none : s.arg(t([CELL]));
      if (i === 16) return opts.projection ? s.arg(t([out, CELL])) : none;
      if (i === 17) return none;
      if (i === 18) return s.arg(t([B, out]));
      if (i === 19) return s.arg(t([B, CELL]));
      if (n.endsWith('layer_norm_coefficients')) return opts.layerNorm && !(opts.cifg && i === 20) ? s.arg(t([CELL])) : none;
      throw new Error(`unhandled operand ${i}`);
    });
    return { vals, out };
  }
  const attrs = { fused_activation_function: stringAttr('TANH'), time_major: boolAttr(false) };

  it('accepts the standard variants', () => {
    for (const opts of [{}, { cifg: true }, { peephole: true }, { cifg: true, peephole: true }, { projection: true }, { layerNorm: true }, { cifg: true, layerNorm: true }]) {
      const s = new Scratch();
      const { vals, out } = lstmOperands(s, opts);
      expect(verify(s.op('tfl.unidirectional_sequence_lstm', vals, [t([B, T, out])], attrs)), JSON.stringify(opts)).toBeUndefined();
    }
    const s = new Scratch();
    const { vals } = lstmOperands(s, { inputRank: 2 });
    expect(verify(s.op('tfl.lstm', vals, [t([B, OUT])], { fused_activation_function: stringAttr('TANH') }))).toBeUndefined();
  });

  it('rejects broken structures', () => {
    const s = new Scratch();
    const { vals } = lstmOperands(s);
    const mk = (v: typeof vals, out = t([B, T, OUT])) => verify(s.op('tfl.unidirectional_sequence_lstm', v, [out], attrs));
    expect(mk(vals.slice(0, 23))).toBe('expects 24 operands, got 23');
    const rank2 = [...vals];
    rank2[0] = s.arg(t([B, IN]));
    expect(mk(rank2)).toBe('expect 3d input, got 2d');
    const cifgBroken = [...vals];
    cifgBroken[1] = s.none();
    expect(mk(cifgBroken)).toBe('with CIFG (input_to_input_weights is none), recurrent_to_input_weights must be none too');
    const noForget = [...vals];
    noForget[2] = s.none();
    expect(mk(noForget)).toBe('input_to_forget_weights (operand #2) must not be none');
    const peep = [...vals];
    peep[10] = s.arg(t([CELL]));
    expect(mk(peep)).toBe('cell_to_forget_weights and cell_to_output_weights must both be given or both be none');
    const projBias = [...vals];
    projBias[17] = s.arg(t([OUT]));
    expect(mk(projBias)).toBe('projection_bias requires projection_weights');
    const ln = [...vals];
    ln[21] = s.arg(t([CELL]));
    expect(mk(ln)).toMatch(/layer norm coefficients must all be given/);
    const depth = [...vals];
    depth[0] = s.arg(t([B, T, IN + 1]));
    expect(mk(depth)).toMatch(/input depth \(6\)/);
    const w = [...vals];
    w[3] = s.arg(t([CELL, IN, 1]));
    expect(mk(w)).toMatch(/expect 2d input_to_cell_weights \(operand #3\), got 3d/);
    expect(mk(vals, t([B, T, OUT + 1]))).toMatch(/result depth/);
  });

  it('svdf and rnn', () => {
    const s = new Scratch();
    const svdf = (rank: number, bias = s.arg(t([4]))) =>
      verify(
        s.op('tfl.svdf', [s.arg(t([2, 10])), s.arg(t([8, 10])), s.arg(t([8, 5])), bias, s.arg(t([2, 40]))], [t([2, 4])], {
          rank: i32a(rank),
          ...NONE,
        }),
      );
    expect(svdf(2)).toBeUndefined();
    expect(svdf(2, s.none())).toBeUndefined();
    expect(svdf(3)).toBe('feature_weights rows (8) must be a multiple of rank (3)');
    expect(svdf(0)).toBe('rank must be positive, got 0');
    const rnn = s.op('tfl.unidirectional_sequence_rnn', [s.arg(t([2, 3, 5])), s.arg(t([4, 5])), s.arg(t([4, 4])), s.arg(t([4])), s.arg(t([2, 4]))], [t([2, 3, 4])], {
      time_major: boolAttr(false),
      ...NONE,
    });
    expect(verify(rnn)).toBeUndefined();
    const rnn1 = s.op('tfl.rnn', [s.arg(t([2, 3, 5])), s.arg(t([4, 5])), s.arg(t([4, 4])), s.arg(t([4])), s.arg(t([2, 4]))], [t([2, 4])], NONE);
    expect(verify(rnn1)).toBe('expect 2d input, got 3d');
  });
});
