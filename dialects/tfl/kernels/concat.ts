/**
 * tfl.concatenation, as TFLite's builtin kernel does it: raw copies for every dtype, except u8 inputs
 * whose scale/zero point differ from the output, which go through `ConcatenationWithScaling`
 * (float32 rescale, round half away from zero). TFLite itself rejects a fused activation and int8
 * inputs that would need rescaling, so those are unsupported here too.
 */

import { type DType, type KernelDef, KernelError, unsupported } from '../../../src/interp/kernel.js';
import { roundHalfAway } from '../../../src/interp/fixedpoint.js';
import { copyRun, input, intAttr, lanesOf, legacyQuant, output, rawView, requireDType, sameQuant, strAttr } from './shape.js';

const CONCAT_TYPES: readonly DType[] = ['f32', 'u8', 'i8', 'i16', 'i32', 'i64', 'i1'];

/**
 * `tfl.concatenation(values...) {axis, fused_activation_function}`: f32, u8, i8, i16, i32, i64, i1.
 * - fused_activation_function must be NONE (TFLite's Prepare: `params->activation == kTfLiteActNone`;
 *   the float kernel would ignore it anyway).
 * - int8: every input must have the output's scale and zero point (TFLite rejects rescaling).
 * - int16: every zero point (inputs and output) must be 0; values are copied raw — TFLite does not
 *   check or reconcile differing int16 scales.
 * - u8 ('tflite' only): inputs whose scale/zero point differ from the output's are requantized by
 *   `reference_ops::ConcatenationWithScaling`: `round(q * s + b) + zp_out` clamped to [0, 255] with
 *   `s = in_scale * (1 / out_scale)` and `b = -zp_in * s`, all in float32. (tfjs-tflite's XNNPACK
 *   delegate copies u8 raw instead; the builtin kernel is followed here.)
 * `flavoursDiffer`: TFLM has no u8 concatenation.
 */
export const concatenationKernel: KernelDef = {
  op: 'tfl.concatenation',
  flavoursDiffer: 'TFLM has no u8 (ConcatenationWithScaling) path',
  prepare(ctx) {
    const n = ctx.inputs.length;
    if (n < 1) throw new KernelError(`'${ctx.op}' needs at least one operand`);
    const x0 = input(ctx, 0);
    const y = output(ctx, 0);
    const dtype = x0.dtype;
    requireDType(ctx, dtype, CONCAT_TYPES);
    if (y.dtype !== dtype) unsupported(ctx, 'result element type differs');
    const act = strAttr(ctx, 'fused_activation_function', 'NONE');
    if (act !== 'NONE') unsupported(ctx, `fused activation ${act} (TFLite's concatenation only accepts NONE)`);
    const rank = y.shape.length;
    let axis = intAttr(ctx, 'axis', 0);
    if (axis < 0) axis += x0.shape.length;
    if (axis < 0 || axis >= Math.max(rank, 1)) throw new KernelError(`'${ctx.op}' axis is out of range for rank ${rank}`);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const xi = input(ctx, i);
      if (xi.dtype !== dtype) unsupported(ctx, 'operands have different element types');
      if (xi.shape.length !== rank) throw new KernelError(`'${ctx.op}' operand #${i} has rank ${xi.shape.length}, expected ${rank}`);
      for (let d = 0; d < rank; d++) {
        if (d === axis) sum += xi.shape[d]!;
        else if (xi.shape[d] !== y.shape[d]) throw new KernelError(`'${ctx.op}' operand #${i} dimension ${d} differs from the result`);
      }
    }
    if (rank > 0 && sum !== y.shape[axis]) throw new KernelError(`'${ctx.op}' result dimension ${axis} is ${y.shape[axis]}, operands sum to ${sum}`);
    const inputs = ctx.inputs.map((t) => t!);
    if (dtype === 'i8') {
      for (const xi of inputs) if (!sameQuant(xi, y)) unsupported(ctx, `int8 operand '${xi.name}' needs rescaling (TFLite requires equal scale and zero point)`);
    }
    if (dtype === 'i16') {
      for (const t of [...inputs, y]) if (legacyQuant(t).zeroPoint !== 0) unsupported(ctx, `int16 tensor '${t.name}' has a non-zero zero point`);
    }
    if (dtype === 'u8' && ctx.flavour === 'tflm') unsupported(ctx, 'TFLM has no u8 concatenation');

    const lanes = lanesOf(dtype);
    let outer = 1;
    for (let d = 0; d < axis; d++) outer *= y.shape[d]!;
    let baseInner = lanes;
    for (let d = axis + 1; d < rank; d++) baseInner *= y.shape[d]!;
    const copySizes = inputs.map((t) => (rank === 0 ? lanes : t.shape[axis]! * baseInner));

    // u8 rescaling parameters (float32, as ConcatenationWithScaling computes them).
    const outQ = legacyQuant(y);
    const outScale = Math.fround(outQ.scale);
    const invOut = Math.fround(1 / outScale);
    const rescale = inputs.map((t) => {
      if (dtype !== 'u8') return undefined;
      const q = legacyQuant(t);
      if (q.zeroPoint === outQ.zeroPoint && Math.fround(q.scale) === outScale) return undefined;
      const scale = Math.fround(Math.fround(q.scale) * invOut);
      const bias = Math.fround(-q.zeroPoint * scale);
      return { scale, bias };
    });
    const outZp = outQ.zeroPoint;

    return (ins, outs) => {
      const dst = rawView(outs[0]!.data);
      const srcs = ins.map((t) => rawView(t!.data));
      let o = 0;
      for (let k = 0; k < outer; k++) {
        for (let i = 0; i < n; i++) {
          const size = copySizes[i]!;
          const src = srcs[i]!;
          const s0 = k * size;
          const r = rescale[i];
          if (r === undefined) copyRun(src, s0, dst, o, size);
          else {
            for (let j = 0; j < size; j++) {
              const v = roundHalfAway(Math.fround(Math.fround(src[s0 + j]! * r.scale) + r.bias)) + outZp;
              dst[o + j] = v < 0 ? 0 : v > 255 ? 255 : v;
            }
          }
          o += size;
        }
      }
    };
  },
};

/** Kernels of this file. */
export const concatKernels: readonly KernelDef[] = [concatenationKernel];
