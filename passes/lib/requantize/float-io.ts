/**
 * Float views of quantized model inputs and outputs, for comparing a float, an int8 and a 16x8 model
 * on the same data (tests and bench/requantize-mnist.ts): quantize a float input to a model input's
 * type and dequantize a model output to float.
 */
import type { TensorInfo, TypedArray } from '../../../src/interp/kernel.js';
import { allocTyped } from '../../../src/interp/kernel.js';
import type { Interpreter } from '../../../src/interp/interpreter.js';
import { IS_VARIABLE } from '../../../dialects/tfl/ops/const.js';
import { roundHalfAway } from './qparams.js';

/** How a float becomes an integer: TFLite's round half away from zero, or truncation toward zero. */
export type InputRounding = 'round' | 'trunc';

/**
 * The input tensor for float values `x`: copied for float inputs; quantized per tensor
 * (q = clamp(rounding(x/scale + zp))) for quantized ones. `trunc` is what mnist_lstm's upstream
 * evaluate.py does for the int8 model (`int8(trunc(x/scale + zp))`).
 */
export function quantizeInput(x: ArrayLike<number>, info: TensorInfo, rounding: InputRounding = 'round'): TypedArray {
  const out = allocTyped(info.dtype, x.length);
  if (info.dtype === 'f32' || info.dtype === 'f64') {
    for (let i = 0; i < x.length; i++) out[i] = x[i]!;
    return out;
  }
  const q = info.quant;
  if (!q || q.scale.length !== 1) throw new Error(`input '${info.name}' is not quantized per tensor`);
  const s = q.scale[0]!;
  const zp = q.zeroPoint[0]!;
  const lo = q.storageMin;
  const hi = q.storageMax;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! / s + zp;
    let r = rounding === 'trunc' ? Math.trunc(v) : roundHalfAway(v);
    r = r < lo ? lo : r > hi ? hi : r;
    if (info.dtype === 'i64') (out as BigInt64Array)[i] = BigInt(r);
    else out[i] = r;
  }
  return out;
}

/** The float values of an output tensor: (q − zp)·scale for quantized outputs, the values otherwise. */
export function dequantizeOutput(data: TypedArray, info: TensorInfo): Float64Array {
  const out = new Float64Array(data.length);
  const q = info.quant;
  if (!q) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]!);
    return out;
  }
  if (q.scale.length !== 1) throw new Error(`output '${info.name}' is not quantized per tensor`);
  const s = q.scale[0]!;
  const zp = q.zeroPoint[0]!;
  for (let i = 0; i < data.length; i++) out[i] = (Number(data[i]!) - zp) * s;
  return out;
}

/** Root-mean-square difference of two equally long arrays. */
export function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`rmse: lengths ${a.length} and ${b.length} differ`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s / Math.max(1, a.length));
}

/** Index of the largest value (first on ties). */
export function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
}

/**
 * A function that puts an interpreter's variable tensors (constants marked `tfl.is_variable`: LSTM /
 * SVDF state) back to their initial contents. Same effect as `Interpreter.reset()`, but it does not
 * depend on the op declaring its state operands (`OpDef.statefulOperands`).
 */
export function stateResetter(it: Interpreter): () => void {
  const saved: { data: TypedArray; initial: TypedArray }[] = [];
  for (const { value, tensor } of it.tensors()) {
    if (value.definingOp?.attr(IS_VARIABLE) === undefined) continue;
    saved.push({ data: tensor.data, initial: tensor.data.slice() as TypedArray });
  }
  return () => {
    it.reset();
    for (const s of saved) (s.data as { set(a: ArrayLike<number | bigint>): void }).set(s.initial as never);
  };
}
