/**
 * Constant operands of quantized ops (phase 4 of quant-prepare). A float constant is quantized from
 * its data (math.ts; weights with the bias-overflow guard). A quantized constant — the int8 weights a
 * hybrid (dynamic-range quantized) model feeds straight into float conv / depthwise /
 * fully_connected — is a quantization decision already made: as weights, when it fits the plan
 * (int8 storage, zero point 0, values in the narrow range [-127, 127], per tensor or per channel
 * along the plan's axis, positive scales, a bias that fits int32 with them) it is kept bit for bit
 * and the bias scale derives from its scales; as an activation operand (e.g. a hybrid batch_matmul's
 * constant side) its per-tensor type seeds its same-scale group and is kept when the group agrees.
 * Otherwise it is dequantized (x = scale * (q - zero point), as TFLite's DEQUANTIZE) and quantized
 * again like float data, with a note saying why. A weight-only quantized model's dequantize of a
 * constant reads as that constant (rules.ts `dequantizedConstant`): an int8 one by the rules above,
 * an f16 one as the float constant of its exactly widened values.
 */
import { type DenseElementsAttr, denseFullBytes } from '../../../src/ir/attribute.js';
import type { Operation } from '../../../src/ir/operation.js';
import { type RankedTensorType, elementType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { denseToTyped, dtypeOf } from '../../../src/interp/tensor-info.js';
import { halfToFloat } from '../../../src/syntax/number-format.js';
import { type QType, type QuantizedConstant, type Width, adjustWeightRangesForBias, channelOf, isQType, quantizeAsActivation, quantizeWeights16, quantizeWeights8, scalesOf, weightHalfRanges } from './math.js';
import { type OperandRole, constantHolder, isFloatConstant, isQuantizedConstant } from './rules.js';

const fr = Math.fround;
const INT32_MAX = 2147483647;

/** A weight role. */
type WeightRole = Extract<OperandRole, { kind: 'weight' }>;

/** The quantized element type of a quantized constant (or of the one behind a dequantize). */
function quantizedType(v: Value): QType {
  const e = elementType(constantHolder(v).type);
  if (!isQType(e)) throw new Error(`'${v.definingOp?.name}' does not hold quantized data`);
  return e;
}

/** The stored integers of a quantized constant. */
export function storedValues(v: Value): QuantizedConstant['values'] {
  const a = constantHolder(v).definingOp!.attr('value') as DenseElementsAttr;
  return denseToTyped(a, dtypeOf(quantizedType(v).storage)) as QuantizedConstant['values'];
}

/**
 * The data of a constant operand as float32: a float constant's values (an f16 constant's exactly
 * widened), or a quantized constant's dequantized values, float32(scale * (q - zero point)) per
 * tensor or per channel — what TFLite's DEQUANTIZE gives in either case.
 */
export function floatData(v: Value): Float32Array {
  if (isQuantizedConstant(v)) {
    const t = quantizedType(v);
    const q = storedValues(v);
    const ch = t.kind === 'quant.uniform_per_axis' ? channelOf(staticShape(v), t.axis) : () => 0;
    const scales = scalesOf(t);
    const zps = t.kind === 'quant.uniform' ? [t.zeroPoint] : t.zeroPoints;
    const out = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) {
      const c = ch(i);
      out[i] = fr(scales[c]! * (Number(q[i]!) - zps[c]!));
    }
    return out;
  }
  const holder = constantHolder(v);
  const bytes = denseFullBytes(holder.definingOp!.attr('value') as DenseElementsAttr);
  const e = elementType(holder.type);
  if (e.kind === 'float' && e.name === 'f16') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Float32Array.from({ length: bytes.byteLength / 2 }, (_, k) => halfToFloat(view.getUint16(2 * k, true)));
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer, 0, bytes.byteLength / 4);
}

/** The static shape of a constant. */
export function staticShape(v: Value): readonly number[] {
  return (v.type as RankedTensorType).shape;
}

/**
 * Whether a quantized constant can serve as the weights of `role` unchanged: the kept constant, or
 * why not. The bias check is left to the caller (it needs the input scale).
 */
export function fitQuantizedWeights(v: Value, role: WeightRole): { readonly kept: QuantizedConstant } | { readonly reason: string } {
  const t = quantizedType(v);
  if (role.bits !== 8) return { reason: `the op takes ${role.bits}-bit weights here` };
  if (t.storage.width !== 8 || t.storage.signedness === 'unsigned') return { reason: `stored as ${t.storage.signedness === 'unsigned' ? 'u' : 'i'}${t.storage.width}, not int8` };
  const zps = t.kind === 'quant.uniform' ? [t.zeroPoint] : t.zeroPoints;
  if (zps.some((z) => z !== 0)) return { reason: 'asymmetric (zero point not 0)' };
  if (t.kind === 'quant.uniform_per_axis') {
    if (role.axis === undefined) return { reason: `per channel (axis ${t.axis}) where the plan is per tensor` };
    if (t.axis !== role.axis) return { reason: `per channel along axis ${t.axis}, not the op's channel axis ${role.axis}` };
  }
  if (scalesOf(t).some((s) => !(s > 0) || !Number.isFinite(s))) return { reason: 'a scale is not a positive number' };
  const values = storedValues(v);
  for (let i = 0; i < values.length; i++) if (Number(values[i]!) < -127) return { reason: 'it holds -128, outside the narrow range [-127, 127] of int8 weights' };
  return { kept: { type: t, values } };
}

/** Whether every bias element fits int32 at scale s_in * s_w: |bias| < 0.5 * s_in * s_w * (2^31 - 1). */
function biasFits(bias: Float32Array, inputScale: number, weightScales: readonly number[]): boolean {
  for (let i = 0; i < bias.length; i++) {
    const sw = weightScales.length > 1 ? weightScales[i] : weightScales[0];
    if (sw !== undefined && Math.abs(bias[i]!) >= 0.5 * inputScale * sw * INT32_MAX) return false;
  }
  return true;
}

/**
 * The quantized weights of operand `i` of `op` (role `role`), given the operand types resolved so
 * far (the bias-overflow guard reads the input's). Notes say what was adjusted.
 */
export function resolveWeight(
  op: Operation,
  i: number,
  role: WeightRole,
  operandTypes: readonly (QType | undefined)[],
): { readonly constant: QuantizedConstant; readonly notes: readonly string[] } {
  const v = op.operand(i);
  const shape = staticShape(v);
  const guard = role.biasGuard;
  const bias = guard ? op.operands[guard.bias]?.value : undefined;
  const biasData = bias && isFloatConstant(bias) ? floatData(bias) : undefined;
  const tin = guard ? operandTypes[guard.input] : undefined;
  const inputScale = tin?.kind === 'quant.uniform' ? tin.scale : undefined;
  const notes: string[] = [];
  if (isQuantizedConstant(v)) {
    const fit = fitQuantizedWeights(v, role);
    let reason = 'reason' in fit ? fit.reason : undefined;
    if ('kept' in fit) {
      if (biasData === undefined || inputScale === undefined || biasFits(biasData, inputScale, scalesOf(fit.kept.type))) return { constant: fit.kept, notes };
      reason = 'the bias would overflow int32 with its scales';
    }
    notes.push(`the quantized weights of operand #${i} do not fit (${reason}): dequantized and quantized again`);
  }
  const data = floatData(v);
  if (role.bits !== 8) return { constant: quantizeWeights16(data, role.bits), notes };
  let half = weightHalfRanges(data, shape, role.axis);
  if (biasData !== undefined && inputScale !== undefined) {
    const adj = adjustWeightRangesForBias(half, biasData, inputScale);
    if (adj.widened) notes.push(`weights of operand #${i} widened so that the bias fits in int32`);
    half = adj.halfRanges;
  }
  return { constant: quantizeWeights8(data, shape, role.axis, half), notes };
}

/**
 * The type a quantized constant already has as an activation of `width`, if it is one: per tensor,
 * stored in int8 (any zero point) or int16 (zero point 0, the 16x8 scheme's activations).
 */
export function ownActivationType(v: Value, width: Width): QType | undefined {
  if (!isQuantizedConstant(v)) return undefined;
  const t = quantizedType(v);
  if (t.kind !== 'quant.uniform' || t.storage.signedness === 'unsigned' || !(t.scale > 0)) return undefined;
  if (width === 'int8') return t.storage.width === 8 ? t : undefined;
  return t.storage.width === 16 && t.zeroPoint === 0 ? t : undefined;
}

/**
 * The quantized data of a constant activation operand of type `t`: a quantized constant of exactly
 * that type unchanged, anything else quantized from its (dequantized) data as `tfl.quantize` would.
 */
export function constantAsActivation(v: Value, t: QType): { readonly constant: QuantizedConstant; readonly requantized: boolean } {
  if (isQuantizedConstant(v) && quantizedType(v) === t) return { constant: { type: t, values: storedValues(v) }, requantized: false };
  return { constant: { type: t, values: quantizeAsActivation(floatData(v), staticShape(v), t) }, requantized: isQuantizedConstant(v) };
}
