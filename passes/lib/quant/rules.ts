/**
 * Per-op quantization rules: what each operand and result of an op becomes when the op is quantized
 * (its "plan"). The generic rule reads the tfl dialect's OpDef.quant spec (weights, biases,
 * same-scale groups, fixed outputs, supported widths, non-quantized operands); the recurrent ops
 * whose needs the generic spec cannot express (LSTM, SVDF) have their own rules in lstm.ts.
 *
 * Roles of an operand:
 * - `act`: an activation of the given width: its parameters come from the value (calibrated range,
 *   propagation, a fixed output upstream); a constant activation operand gets the parameters of its
 *   same-scale group, else of its own data (or, for a variable, its calibrated range; for a
 *   quantized constant, its own type when that is an activation type of the width);
 * - `weight`: a constant quantized symmetrically from its data: 8 bits narrow range (per channel along
 *   `axis` when given), 16 bits, or the SVDF's 10 bits; `biasGuard` names the bias and input operands
 *   of the bias-overflow guard; an already quantized constant (a hybrid model's int8 weights) is
 *   kept when it fits (constants.ts);
 * A weight-only quantized model's `tfl.dequantize` of a constant counts as a constant wherever one
 * is read: of an f16 constant, as the float constant of its widened values; of a quantized constant,
 * as that quantized constant (`dequantizedConstant`).
 * - `bias`: a constant whose scale is the float product of `factors` (operand scales, intermediate
 *   scales, constants), per channel when `perChannelOf` (a weight operand) is per channel;
 * - `cell`: the LSTM cell state (int16, power-of-two scale);
 * - `none`: left as is (shapes, indices, absent operands).
 */
import { type Attribute, boolAttr, stringAttr } from '../../../src/ir/attribute.js';
import type { OpDef } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import { type UniformQuantType, f32, i16, i8, uniformQuantType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { INTEGER_RESULT_OPS, PER_TENSOR_BY_DEFAULT } from '../../../dialects/tfl/quant-spec.js';
import type { QType, Range, Width } from './math.js';

/** A factor of a derived (bias) scale. */
export type ScaleFactor = { readonly operand: number } | { readonly intermediate: string } | { readonly constant: number };

/** What an operand becomes. */
export type OperandRole =
  | { readonly kind: 'none' }
  | { readonly kind: 'act'; readonly width: Width }
  | { readonly kind: 'weight'; readonly bits: 8 | 16 | 10; readonly axis?: number; readonly biasGuard?: { readonly bias: number; readonly input: number } }
  | { readonly kind: 'bias'; readonly storage: 32 | 64; readonly factors: readonly ScaleFactor[]; readonly perChannelOf?: number }
  | { readonly kind: 'cell' };

/** What a result becomes. */
export type ResultRole =
  | { readonly kind: 'none' }
  /** `symmetric`: int8 with zero point 0 (scale max|x| / 127) instead of asymmetric. */
  | { readonly kind: 'act'; readonly width: Width; readonly symmetric?: boolean }
  | { readonly kind: 'fixed'; readonly type: UniformQuantType };

/** Operands and results that must share one quantized type. */
export interface SameScaleGroup {
  readonly operands: readonly number[];
  readonly results: readonly number[];
  /**
   * Whose parameters win when members disagree: 'operand' (reshape-like ops: the output takes the
   * input's parameters, as TFLite's restrict_same_input_output_scale) or 'result' (concatenation,
   * pack, maximum...: the inputs are requantized to the output's parameters).
   */
  readonly prefer: 'operand' | 'result';
  /**
   * The members hold the resource variable with this key (`container/shared_name`): they all take
   * the variable's one quantized type, derived from its recorded range (variables.ts). Results are
   * fixed to it; an operand whose value has other parameters is requantized at that use.
   */
  readonly variable?: string;
}

/** Types an op-specific finalizer sees. */
export interface ResolvedTypes {
  /** Quantized type of every operand (undefined: not quantized). */
  operand(i: number): QType | undefined;
  /** Quantized type of every result. */
  result(i: number): QType | undefined;
}

/** The plan of one quantizable op. */
export interface OpPlan {
  readonly op: Operation;
  readonly width: Width;
  readonly operands: readonly OperandRole[];
  readonly results: readonly ResultRole[];
  readonly groups: readonly SameScaleGroup[];
  /** Attributes the quantized op gets (e.g. quantized_bias_type). */
  readonly setAttrs: Readonly<Record<string, Attribute>>;
  /** Attributes the quantized op loses (e.g. LSTM intermediates in 16x8). */
  readonly removeAttrs: readonly string[];
  /** Extra range of a result (LSTM: the output shares the activation state's range). */
  readonly resultRangeHint?: (ranges: ReadonlyMap<Value, Range>) => ReadonlyMap<number, Range>;
  /**
   * Op-specific typed attributes computed once every operand and result type is known (LSTM
   * intermediates), or a reason why the op cannot be quantized.
   */
  readonly finalizeAttrs?: (
    t: ResolvedTypes,
    intermediates: ReadonlyMap<string, Range> | undefined,
  ) => { attrs: Record<string, Attribute>; notes?: string[] } | { error: string };
}

/** Options that shape plans. */
export interface RuleConfig {
  readonly mode: Width;
  readonly perChannel: boolean;
  readonly perChannelFc: boolean;
  /** Bias storage in 16x8 mode (int8 mode always uses int32). */
  readonly biasType: 'int32' | 'int64';
  /** Record quantized_bias_type on FC / conv_2d / transpose_conv. */
  readonly recordBiasType: boolean;
  /**
   * int8 LSTM: quantize the hidden state (intermediate 4; the output too without a projection)
   * asymmetrically, as TFLite's quantizer does — right only in runtimes newer than TFLite 2.12,
   * whose kernel flips the sign of that zero point. Default: symmetric (zero point 0), right in both.
   */
  readonly lstmAsymmetricHidden?: boolean;
}

/** A plan, or why the op is not quantized. */
export type PlanResult = { readonly plan: OpPlan } | { readonly skip: string; readonly silent?: boolean };

/** Whether a value is a float tensor (f32 elements). */
export function isFloatTensor(v: Value): boolean {
  const t = v.type;
  if (t.kind !== 'tensor' && t.kind !== 'unranked_tensor') return false;
  const e = t.element;
  return e.kind === 'float' && e.name === 'f32';
}

/** Whether a value is a dense `tfl.pseudo_const` whose elements are `name` floats. */
function isDenseFloatConst(v: Value, name: 'f32' | 'f16'): boolean {
  const d = v.definingOp;
  if (d?.name !== 'tfl.pseudo_const' || d.attr('value')?.kind !== 'dense') return false;
  const t = v.type;
  return t.kind === 'tensor' && t.element.kind === 'float' && t.element.name === name;
}

/** Whether a value is defined by a `tfl.pseudo_qconst` holding uniformly quantized data. */
function isQconst(v: Value): boolean {
  const d = v.definingOp;
  if (d?.name !== 'tfl.pseudo_qconst' || d.attr('value')?.kind !== 'dense') return false;
  const t = v.type;
  return t.kind === 'tensor' && (t.element.kind === 'quant.uniform' || t.element.kind === 'quant.uniform_per_axis');
}

/**
 * The constant behind a weight-only quantized model's `tfl.dequantize`: when `v` is the f32 result
 * of a dequantize of a dense f16 `tfl.pseudo_const` or of a `tfl.pseudo_qconst`, that constant.
 */
export function dequantizedConstant(v: Value): Value | undefined {
  const d = v.definingOp;
  if (d?.name !== 'tfl.dequantize' || !isFloatTensor(v)) return undefined;
  const src = d.operand(0);
  return isDenseFloatConst(src, 'f16') || isQconst(src) ? src : undefined;
}

/**
 * The value holding the data of a constant operand: the constant itself, or the constant behind a
 * `tfl.dequantize` (`dequantizedConstant`).
 */
export function constantHolder(v: Value): Value {
  return dequantizedConstant(v) ?? v;
}

/**
 * Whether a value is a float constant: a dense f32 `tfl.pseudo_const`, or the dequantize of a dense
 * f16 one (a float16-quantized model's weights: f16 → f32 widening is exact).
 */
export function isFloatConstant(v: Value): boolean {
  if (isDenseFloatConst(v, 'f32')) return true;
  const c = dequantizedConstant(v);
  return c !== undefined && isDenseFloatConst(c, 'f16');
}

/**
 * Whether a value is defined by a `tfl.pseudo_qconst` holding uniformly quantized data (per tensor
 * or per axis) — e.g. the int8 weights of a hybrid model's float ops — or is the dequantize of one
 * (a weight-only int8 model's weights), which the quantizer treats the same way.
 */
export function isQuantizedConstant(v: Value): boolean {
  if (isQconst(v)) return true;
  const c = dequantizedConstant(v);
  return c !== undefined && isQconst(c);
}

/** Whether a value is a constant whose data the quantizer can read: a float or a quantized constant. */
export function isDataConstant(v: Value): boolean {
  return isFloatConstant(v) || isQuantizedConstant(v);
}

/** Ops TFLite's quantizer records `quantized_bias_type` on (SetOperatorPropertyBiasType). */
export const BIAS_TYPE_OPS: ReadonlySet<string> = new Set(['tfl.fully_connected', 'tfl.conv_2d', 'tfl.transpose_conv']);

/** Fixed output type of a width. */
export function fixedType(width: Width, f: { scale: number; zeroPoint: number }): UniformQuantType {
  return uniformQuantType(width === 'int8' ? i8() : i16(), f32(), f.scale, f.zeroPoint);
}

/** The bias storage of a width under a config. */
export function biasStorage(width: Width, cfg: RuleConfig): 32 | 64 {
  return width === 'int16' && cfg.biasType === 'int64' ? 64 : 32;
}

/** The generic rule: the op's OpDef.quant spec. */
export function genericPlan(op: Operation, def: OpDef, cfg: RuleConfig, width: Width = cfg.mode): PlanResult {
  const spec = def.quant;
  if (!spec) return { skip: 'the op has no quantized form' };
  if (!(spec.supports ?? []).includes(width)) return { skip: `the op has no ${width === 'int8' ? 'int8' : '16x8'} kernel` };
  const nonQuant = new Set(spec.nonQuantOperands ?? []);
  const perTensorDefault = PER_TENSOR_BY_DEFAULT.has(op.name);
  const operands: OperandRole[] = op.operands.map((o, i) => {
    const v = o.value;
    if (v.type.kind === 'none' || nonQuant.has(i)) return { kind: 'none' };
    const w = spec.weights?.find((x) => x.operand === i);
    if (w) {
      const perChannel = cfg.perChannel && w.perChannelAxis !== undefined && (!perTensorDefault || cfg.perChannelFc);
      const bias = spec.biases?.find((b) => b.weight === i);
      return {
        kind: 'weight',
        bits: 8,
        ...(perChannel ? { axis: w.perChannelAxis } : {}),
        ...(bias && biasStorage(width, cfg) === 32 ? { biasGuard: { bias: bias.operand, input: bias.input } } : {}),
      } as OperandRole;
    }
    const b = spec.biases?.find((x) => x.operand === i);
    if (b) return { kind: 'bias', storage: biasStorage(width, cfg), factors: [{ operand: b.input }, { operand: b.weight }], perChannelOf: b.weight };
    // A quantized constant in an activation position (a hybrid op's constant side) is an activation too.
    return isFloatTensor(v) || isQuantizedConstant(v) ? { kind: 'act', width } : { kind: 'none' };
  });
  for (const [i, r] of operands.entries()) {
    // Quantized weights (hybrid models) are resolved by constants.ts: kept when they fit, else requantized.
    if (r.kind === 'weight' && !isDataConstant(op.operand(i))) return { skip: `its weights (operand #${i}) are not a constant` };
    if (r.kind === 'bias' && !isFloatConstant(op.operand(i))) return { skip: `its bias (operand #${i}) is not a constant` };
  }
  const results: ResultRole[] = op.results.map((r) => {
    if (!isFloatTensor(r) || INTEGER_RESULT_OPS.has(op.name)) return { kind: 'none' };
    const f = spec.fixedOutput?.[width];
    return f ? { kind: 'fixed', type: fixedType(width, f) } : { kind: 'act', width };
  });
  if (!operands.some((r) => r.kind !== 'none') && !results.some((r) => r.kind !== 'none')) return { skip: 'nothing to quantize', silent: true };
  const groups: SameScaleGroup[] = [];
  if (spec.sameScale) {
    const ops =
      spec.sameScale === 'all'
        ? operands.map((r, i) => (r.kind === 'act' ? i : -1)).filter((i) => i >= 0)
        : spec.sameScale.operands.filter((i) => operands[i]?.kind === 'act');
    const res =
      spec.sameScale === 'all'
        ? results.map((r, i) => (r.kind === 'act' ? i : -1)).filter((i) => i >= 0)
        : spec.sameScale.results.filter((i) => results[i]?.kind === 'act');
    const nonConst = ops.filter((i) => !isDataConstant(op.operand(i)));
    if (ops.length + res.length > 1) groups.push({ operands: ops, results: res, prefer: nonConst.length <= 1 ? 'operand' : 'result' });
  }
  const setAttrs: Record<string, Attribute> = {};
  if (cfg.recordBiasType && BIAS_TYPE_OPS.has(op.name)) setAttrs.quantized_bias_type = stringAttr(biasStorage(width, cfg) === 64 ? 'INT64' : 'INT32');
  // TFLite's 16x8 quantizer writes pot_scale_int16 = false: the general int16 ADD/SUB path.
  if (width === 'int16' && (op.name === 'tfl.add' || op.name === 'tfl.sub')) setAttrs.pot_scale_int16 = boolAttr(false);
  return { plan: { op, width, operands, results, groups, setAttrs, removeAttrs: [] } };
}

/** The op definition, if registered. */
export function defOf(op: Operation): OpDef | undefined {
  return getOpDef(op.name);
}
