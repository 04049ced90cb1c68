/**
 * Data-movement families (the output keeps the input's quantization): reshape, squeeze, expand_dims,
 * transpose, pack, unpack, gather, cast, shape; slice, strided_slice (masks, negative strides and
 * indices), split, split_v; concatenation; pad and padv2.
 */
import { type CaseDraft, B, type Elem, I, IA, type InputGen, type OperandSpec, type QSpec, S, fullRange } from './case.js';
import { cst, cycle, i32c, i32s, inp, maybeActQ, prod, randomData, randomShape, t } from './build-helpers.js';
import type { Rand } from './rand.js';

const MOVE_TYPES = ['f32', 'i8', 'i16', 'i32'] as const;

/** Cycles through float32, int8, int16, int32 and draws the int8 / int16 quantization. */
function moveType(r: Rand, i: number): [Elem, QSpec | undefined] {
  const dt = cycle(MOVE_TYPES, i);
  return [dt, maybeActQ(r, dt)];
}

const SHAPE_KINDS = ['reshape', 'squeeze', 'expand_dims', 'transpose', 'pack', 'unpack', 'gather', 'cast', 'shape'] as const;

const CAST_PAIRS: readonly (readonly [Elem, Elem])[] = [
  ['f32', 'i32'],
  ['i32', 'f32'],
  ['i8', 'f32'],
  ['i16', 'i32'],
  ['i32', 'i8'],
  ['f32', 'i8'],
  ['i1', 'f32'],
  ['f32', 'i1'],
];

/** Shape ops, cycling through the kinds, then through the types. */
export function drawShape(r: Rand, i: number): CaseDraft {
  const kind = cycle(SHAPE_KINDS, i);
  const [dt, q] = moveType(r, Math.floor(i / SHAPE_KINDS.length));
  const shape = randomShape(r);
  const x = t(dt, shape, q);
  switch (kind) {
    case 'reshape': {
      const total = prod(shape);
      const dims: number[] = [];
      let rem = total;
      while (rem > 1 && dims.length < 3) {
        const divs = [...Array(rem).keys()].map((d) => d + 1).filter((d) => rem % d === 0);
        const d = r.pick(divs);
        dims.push(d);
        rem /= d;
      }
      dims.push(rem);
      const spelled = r.bool(0.3) ? dims.map((d, j) => (j === 0 ? -1 : d)) : dims;
      return { id: `reshape ${dt} [${shape}]->[${spelled}]`, op: 'tfl.reshape', operands: [inp(x), i32c(spelled)], results: [t(dt, dims, q)], attrs: {} };
    }
    case 'squeeze': {
      const s = [...shape];
      const at = r.int(0, s.length);
      s.splice(at, 0, 1);
      const all = r.bool(0.3);
      const dims = all ? [] : [at];
      const res = all ? s.filter((d) => d !== 1) : shape;
      return { id: `squeeze ${dt} [${s}] dims=[${dims}]`, op: 'tfl.squeeze', operands: [inp(t(dt, s, q))], results: [t(dt, res, q)], attrs: { squeeze_dims: IA(dims) } };
    }
    case 'expand_dims': {
      const at = r.int(-shape.length - 1, shape.length);
      const pos = at < 0 ? at + shape.length + 1 : at;
      const res = [...shape];
      res.splice(pos, 0, 1);
      return { id: `expand_dims ${dt} [${shape}] dim=${at}`, op: 'tfl.expand_dims', operands: [inp(x), i32c([at])], results: [t(dt, res, q)], attrs: {} };
    }
    case 'transpose': {
      const perm = r.shuffle([...shape.keys()]);
      return { id: `transpose ${dt} [${shape}] perm=[${perm}]`, op: 'tfl.transpose', operands: [inp(x), i32c(perm)], results: [t(dt, perm.map((p) => shape[p]!), q)], attrs: {} };
    }
    case 'pack': {
      const count = r.int(1, 4);
      const axis = r.int(0, shape.length);
      const res = [...shape];
      res.splice(axis, 0, count);
      return {
        id: `pack ${dt} ${count}x[${shape}] axis=${axis}`,
        op: 'tfl.pack',
        operands: Array.from({ length: count }, () => inp(x)),
        results: [t(dt, res, q)],
        attrs: { values_count: I(count), axis: I(axis) },
      };
    }
    case 'unpack': {
      const axis = r.int(0, shape.length - 1);
      const num = shape[axis]!;
      const res = shape.filter((_, j) => j !== axis);
      return {
        id: `unpack ${dt} [${shape}] axis=${axis}`,
        op: 'tfl.unpack',
        operands: [inp(x)],
        results: Array.from({ length: num }, () => t(dt, res, q)),
        attrs: { num: I(num), axis: I(axis) },
      };
    }
    case 'gather': {
      const axis = r.int(0, shape.length - 1);
      const idxShape = randomShape(r, 1, 2, 4);
      const idx = Int32Array.from(r.ints(prod(idxShape), 0, shape[axis]! - 1));
      const res = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
      const constIdx = r.bool(0.5);
      return {
        id: `gather ${dt} [${shape}] idx=[${idxShape}] axis=${axis}${constIdx ? ' const-idx' : ''}`,
        op: 'tfl.gather',
        operands: [inp(x), constIdx ? cst(t('i32', idxShape), idx) : inp(t('i32', idxShape), { kind: 'fixed', data: idx })],
        results: [t(dt, res, q)],
        attrs: { axis: I(axis), batch_dims: I(0) },
      };
    }
    case 'cast': {
      const [a, b] = r.pick(CAST_PAIRS);
      const gen: InputGen | undefined = a === 'f32' ? { kind: 'range', lo: -300, hi: 300 } : a === 'i32' ? { kind: 'range', lo: -100000, hi: 100000 } : undefined;
      return { id: `cast ${a}->${b} [${shape}]`, op: 'tfl.cast', operands: [inp(t(a, shape), gen)], results: [t(b, shape)], attrs: {} };
    }
    case 'shape':
      // ShapeOptions.out_type, as the importer spells it (the exporter does not derive it from the
      // result type; without it TFLite reads FLOAT32 and rejects the op).
      return { id: `shape ${dt} [${shape}]`, op: 'tfl.shape', operands: [inp(x)], results: [t('i32', [shape.length])], attrs: { out_type: S('INT32') } };
  }
}

const SLICE_KINDS = ['slice', 'strided_slice', 'split', 'split_v'] as const;

/** STRIDED_SLICE with random masks; `undefined` (redraw) when the output would be empty. */
function drawStridedSlice(r: Rand, dt: Elem, q: QSpec | undefined, shape: readonly number[]): CaseDraft | undefined {
  const rank = shape.length;
  const begin: number[] = [];
  const end: number[] = [];
  const strides: number[] = [];
  let beginMask = 0;
  let endMask = 0;
  let shrinkMask = 0;
  const res: number[] = [];
  for (let j = 0; j < rank; j++) {
    const d = shape[j]!;
    if (r.bool(0.15) && d >= 1) {
      // shrink: a single index (possibly negative; -1 gives end 0, which the shrink semantics handle)
      const idx = r.int(-d, d - 1);
      begin.push(idx);
      end.push(idx + 1);
      strides.push(1);
      shrinkMask |= 1 << j;
      continue;
    }
    const neg = r.bool(0.25);
    const s = neg ? -r.int(1, 2) : r.int(1, 3);
    let b0 = r.int(-d, d - 1);
    let e0 = r.int(-d - 1, d);
    const bm = r.bool(0.2);
    const em = r.bool(0.2);
    if (bm) beginMask |= 1 << j;
    if (em) endMask |= 1 << j;
    begin.push(b0);
    end.push(e0);
    strides.push(s);
    // Reference semantics (clamped, like TFLite's StridedSlice).
    const norm = (v: number): number => (v < 0 ? v + d : v);
    if (s > 0) {
      b0 = bm ? 0 : Math.min(Math.max(norm(b0), 0), d);
      e0 = em ? d : Math.min(Math.max(norm(e0), 0), d);
      res.push(Math.max(0, Math.ceil((e0 - b0) / s)));
    } else {
      b0 = bm ? d - 1 : Math.min(Math.max(norm(b0), -1), d - 1);
      e0 = em ? -1 : Math.min(Math.max(norm(e0), -1), d - 1);
      res.push(Math.max(0, Math.ceil((b0 - e0) / -s)));
    }
  }
  // TFLite handles empty outputs, but a zero-size model tensor is not interesting here.
  if (res.some((d) => d === 0) || res.length === 0) return undefined;
  return {
    id: `strided_slice ${dt} [${shape}] b=[${begin}] e=[${end}] s=[${strides}] bm=${beginMask} em=${endMask} sm=${shrinkMask}`,
    op: 'tfl.strided_slice',
    operands: [inp(t(dt, shape, q)), i32c(begin), i32c(end), i32c(strides)],
    results: [t(dt, res, q)],
    attrs: { begin_mask: I(beginMask), end_mask: I(endMask), ellipsis_mask: I(0), new_axis_mask: I(0), shrink_axis_mask: I(shrinkMask), offset: B(false) },
  };
}

/** Slicing and splitting ops, cycling through the kinds, then through the types. */
export function drawSlice(r: Rand, i: number): CaseDraft | undefined {
  const kind = cycle(SLICE_KINDS, i);
  const [dt, q] = moveType(r, Math.floor(i / SLICE_KINDS.length));
  const shape = randomShape(r, 1, 4, 7);
  const x = t(dt, shape, q);
  switch (kind) {
    case 'slice': {
      const begin = shape.map((d) => r.int(0, d - 1));
      const size = shape.map((d, j) => (r.bool(0.2) ? -1 : r.int(1, d - begin[j]!)));
      const res = shape.map((d, j) => (size[j] === -1 ? d - begin[j]! : size[j]!));
      return { id: `slice ${dt} [${shape}] begin=[${begin}] size=[${size}]`, op: 'tfl.slice', operands: [inp(x), i32c(begin), i32c(size)], results: [t(dt, res, q)], attrs: {} };
    }
    case 'strided_slice':
      return drawStridedSlice(r, dt, q, shape);
    case 'split': {
      const axis = r.int(0, shape.length - 1);
      const d = shape[axis]!;
      const divs = [...Array(d).keys()].map((k) => k + 1).filter((k) => d % k === 0);
      const num = r.pick(divs);
      const res = shape.map((v, j) => (j === axis ? v / num : v));
      const spelled = r.bool(0.3) ? axis - shape.length : axis;
      return {
        id: `split ${dt} [${shape}] axis=${spelled} num=${num}`,
        op: 'tfl.split',
        operands: [i32s(spelled), inp(x)],
        results: Array.from({ length: num }, () => t(dt, res, q)),
        attrs: { num_splits: I(num) },
      };
    }
    case 'split_v': {
      const axis = r.int(0, shape.length - 1);
      const sizes: number[] = [];
      let rem = shape[axis]!;
      while (rem > 0) {
        const s = r.int(1, rem);
        sizes.push(s);
        rem -= s;
      }
      const spelledSizes = sizes.length > 1 && r.bool(0.3) ? sizes.map((s, j) => (j === sizes.length - 1 ? -1 : s)) : sizes;
      return {
        id: `split_v ${dt} [${shape}] axis=${axis} sizes=[${spelledSizes}]`,
        op: 'tfl.split_v',
        operands: [inp(x), i32c(spelledSizes), i32s(axis)],
        results: sizes.map((s) => t(dt, shape.map((v, j) => (j === axis ? s : v)), q)),
        attrs: { num_splits: I(sizes.length) },
      };
    }
  }
}

/** CONCATENATION of 1-4 inputs along a random (sometimes negatively spelled) axis. */
export function drawConcat(r: Rand, i: number): CaseDraft {
  const dt = cycle(MOVE_TYPES, i);
  const shape = randomShape(r);
  const axis = r.int(0, shape.length - 1);
  const count = r.int(1, 4);
  const sizes = Array.from({ length: count }, () => r.int(1, 4));
  // TF 2.12's int8 CONCATENATION requires every input to share the output's quantization.
  const oq = maybeActQ(r, dt);
  // TF 2.12's CONCATENATION rejects fused activations.
  const act = 'NONE';
  const gen: InputGen | undefined = dt === 'i32' ? { kind: 'range', lo: -1e6, hi: 1e6 } : dt === 'f32' ? { kind: 'range', lo: -8, hi: 8 } : undefined;
  const spelled = r.bool(0.3) ? axis - shape.length : axis;
  return {
    id: `concatenation ${dt} ${count} inputs [${shape}] axis=${spelled} ${act}`,
    op: 'tfl.concatenation',
    operands: sizes.map((s) => inp(t(dt, shape.map((d, j) => (j === axis ? s : d)), oq), gen)),
    results: [t(dt, shape.map((d, j) => (j === axis ? sizes.reduce((a, b) => a + b, 0) : d)), oq)],
    attrs: { axis: I(spelled), fused_activation_function: S(act) },
  };
}

/** PAD and PADV2 (with a constant pad value), alternating. */
export function drawPad(r: Rand, i: number): CaseDraft {
  const v2 = i % 2 === 1;
  const [dt, q] = moveType(r, Math.floor(i / 2));
  const shape = randomShape(r);
  const pads = shape.map(() => [r.int(0, 3), r.int(0, 3)] as const);
  const res = shape.map((d, j) => d + pads[j]![0] + pads[j]![1]);
  const operands: OperandSpec[] = [inp(t(dt, shape, q)), cst(t('i32', [shape.length, 2]), Int32Array.from(pads.flat()))];
  let cv = '';
  if (v2) {
    const [lo, hi] = dt === 'f32' ? [-2, 2] : fullRange(dt);
    const val = randomData(r, dt, 1, lo, hi);
    operands.push(cst(t(dt, [], q), val));
    cv = ` value=${val[0]}`;
  }
  return {
    id: `${v2 ? 'padv2' : 'pad'} ${dt} [${shape}] pads=${JSON.stringify(pads)}${cv}`,
    op: v2 ? 'tfl.padv2' : 'tfl.pad',
    operands,
    results: [t(dt, res, q)],
    attrs: {},
  };
}
