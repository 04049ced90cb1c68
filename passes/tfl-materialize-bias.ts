/**
 * `tfl-materialize-bias`: gives conv-like ops whose bias is absent (`none`) an explicit zero bias of
 * the type the op's kernels expect — float32; int32 with scale s_in·s_w (int8); for 16x8 int64, or
 * int32 where the bias-less op runs an int32 accumulator — per channel when the filter is, for
 * runtimes that need one: TFLite ≈2.12 (tfjs-tflite) fails to prepare CONV_2D and DEPTHWISE_CONV_2D
 * without a bias, while its TRANSPOSE_CONV and FULLY_CONNECTED run without one (measured with every
 * activation type; test/passes/tfl-materialize-bias.test.ts).
 */
import { type DenseElementsAttr, denseAttr, typeAttr } from '../src/ir/attribute.js';
import type { KernelFlavour } from '../src/interp/kernel.js';
import { Builder } from '../src/ir/builder.js';
import { UnknownLoc, locName, nameLoc } from '../src/ir/location.js';
import type { Operation } from '../src/ir/operation.js';
import { getOpDef } from '../src/ir/registry.js';
import { type RankedTensorType, type Type, f32, tensorType } from '../src/ir/type.js';
import { walkPreOrder } from '../src/ir/walk.js';
import { definePass, opt } from '../src/pass/pass.js';
import { printType } from '../src/syntax/print-type-attr.js';
import { effectiveScale, quantizeBias, scalesOf } from './lib/quant/math.js';

/** The ops this pass can give a bias (short names, as the `ops` option takes them). */
export const MATERIALIZABLE_OPS: readonly string[] = Object.freeze(['conv_2d', 'depthwise_conv_2d', 'transpose_conv', 'fully_connected']);

/** The ops TFLite ≈2.12 refuses without a bias ("Tensor at index 2 was optional but was expected"). */
export const BIAS_REQUIRED_BY_TFLITE_2_12: readonly string[] = Object.freeze(['conv_2d', 'depthwise_conv_2d']);

/** Ops whose 16x8 kernels take only an int64 bias (TFLite's and TFLM's DEPTHWISE_CONV_2D). */
const INT64_ONLY_16X8: ReadonlySet<string> = new Set(['tfl.depthwise_conv_2d']);

/**
 * The accumulator a bias-less 16x8 op runs with, by kernel flavour (the kernels' own rule:
 * dialects/tfl/kernels/conv.ts, fully-connected.ts, transpose-conv.ts). TF 2.12 takes the int32 path
 * for FULLY_CONNECTED and TRANSPOSE_CONV without a bias (measured: an int64 zero bias changes their
 * output), TFLM the int64 one; conv_2d and depthwise_conv_2d run the int64 path in both.
 */
const BIASLESS_16X8: Readonly<Record<string, Readonly<Record<KernelFlavour, 32 | 64>>>> = {
  'tfl.conv_2d': { tflite: 64, tflm: 64 },
  'tfl.depthwise_conv_2d': { tflite: 64, tflm: 64 },
  'tfl.transpose_conv': { tflite: 32, tflm: 64 },
  'tfl.fully_connected': { tflite: 32, tflm: 64 },
};

/** Where an affine op keeps its bias, input and filter, and the filter's output-channel axis. */
interface BiasSlot {
  readonly bias: number;
  readonly input: number;
  readonly filter: number;
  readonly axis: number;
}

/** The bias slot of an op, from its declared quantization facts (OpDef.quant: biases, weights). */
function biasSlot(opName: string): BiasSlot | undefined {
  const q = getOpDef(opName)?.quant;
  const b = q?.biases?.[0];
  const axis = q?.weights?.find((w) => w.operand === b?.weight)?.perChannelAxis;
  return b && axis !== undefined ? { bias: b.operand, input: b.input, filter: b.weight, axis } : undefined;
}

/** The zero bias for one op, or why there is none. */
type ZeroBias = { readonly type: RankedTensorType; readonly value: DenseElementsAttr; readonly quantized: boolean } | { readonly skip: string };

function elementOf(t: Type): Type {
  return t.kind === 'tensor' || t.kind === 'unranked_tensor' ? t.element : t;
}

/**
 * 16x8 bias storage: int64 on int64-only ops; else the op's `quantized_bias_type` when set; else the
 * `bias-type` option, whose `auto` keeps the accumulator the op runs with bias-less.
 */
function storage16(op: Operation, option: string, flavour: KernelFlavour): 32 | 64 {
  if (INT64_ONLY_16X8.has(op.name)) return 64;
  const recorded = op.attr('quantized_bias_type');
  if (recorded?.kind === 'string' && (recorded.value === 'INT32' || recorded.value === 'INT64')) return recorded.value === 'INT32' ? 32 : 64;
  if (option === 'int32') return 32;
  if (option === 'int64') return 64;
  return BIASLESS_16X8[op.name]?.[flavour] ?? 64;
}

/**
 * The zero bias `op` needs: float32 zeros for float (and hybrid) ops; for quantized ops the type
 * quant-prepare gives a bias — scale float32(s_in · s_w) per output channel when the filter is per
 * axis, zero point 0 — stored as int32 (8-bit activations) or per {@link storage16} (16x8).
 */
function zeroBiasFor(op: Operation, slot: BiasSlot, biasType: string, flavour: KernelFlavour): ZeroBias {
  const filterT = op.operand(slot.filter).type;
  if (filterT.kind !== 'tensor') return { skip: 'the filter has no static shape' };
  const outC = filterT.shape[slot.axis];
  if (outC === undefined || outC < 0) return { skip: `the filter's output-channel dim (${slot.axis}) is not static` };
  let inE = elementOf(op.operand(slot.input).type);
  if (inE.kind === 'quant.calibrated') inE = inE.expressed;
  const wE = filterT.element;
  if (inE.kind === 'float') {
    if (inE !== f32()) return { skip: `no zero bias for ${printType(inE)} inputs (float32 only)` };
    const type = tensorType([outC], f32());
    return { type, value: denseAttr(type, new Uint8Array(4 * outC)), quantized: false };
  }
  if (inE.kind !== 'quant.uniform') return { skip: `no zero bias for ${printType(inE)} inputs` };
  if (wE.kind !== 'quant.uniform' && wE.kind !== 'quant.uniform_per_axis') return { skip: `the input is quantized but the filter (${printType(wE)}) is not` };
  const wScales = scalesOf(wE);
  if (wE.kind === 'quant.uniform_per_axis' && wScales.length !== outC)
    return { skip: `the filter has ${wScales.length} scales for ${outC} output channels` };
  const scales = wScales.map((s) => effectiveScale([inE.scale, s]));
  const storage = inE.storage.width === 16 ? storage16(op, biasType, flavour) : 32;
  const q = quantizeBias(new Float32Array(outC), scales, storage, wE.kind === 'quant.uniform_per_axis');
  const type = tensorType([outC], q.type);
  const value = denseAttr(tensorType([outC], q.type.storage), new Uint8Array(q.values.byteLength));
  return { type, value, quantized: true };
}

/** Normalizes `ops` option entries (`conv_2d` or `tfl.conv_2d`); the first unknown one as an error. */
function selectedOps(names: readonly (string | number)[]): { ops: Set<string> } | { error: string } {
  const ops = new Set<string>();
  for (const n of names) {
    const short = String(n).replace(/^tfl\./, '');
    if (!MATERIALIZABLE_OPS.includes(short)) return { error: `unknown op '${String(n)}' in ops= (expected some of ${MATERIALIZABLE_OPS.join(', ')})` };
    ops.add(`tfl.${short}`);
  }
  return { ops };
}

/** The materialize-bias pass. */
export const tflMaterializeBiasPass = definePass({
  name: 'tfl-materialize-bias',
  summary: 'Give bias-less conv_2d / depthwise_conv_2d (and optionally transpose_conv, fully_connected) an explicit zero bias',
  description:
    'TFLite 2.12 (tfjs-tflite, many deployed runtimes) fails to prepare a CONV_2D or DEPTHWISE_CONV_2D whose bias is ' +
    'absent ("Tensor at index 2 was optional but was expected"), in float, int8 and 16x8 alike; its TRANSPOSE_CONV ' +
    'and FULLY_CONNECTED run without one, as do all four ops in newer LiteRT and TFLM. For each listed op whose bias operand is `none`, ' +
    'the pass creates a zero constant of the type the kernels expect and uses it instead: float32 zeros ' +
    '(tfl.pseudo_const) for float and hybrid ops; for quantized ops a tfl.pseudo_qconst with the type quant-prepare ' +
    'gives a bias, scale float32(s_in*s_w) (per channel, axis 0, when the filter is per axis) and zero point 0, ' +
    'stored as int32 for 8-bit activations; for 16x8 as int64 on depthwise_conv_2d (the only type TFLite and ' +
    'TFLM accept), else as the op\'s quantized_bias_type when set, else per bias-type, whose default `auto` keeps the ' +
    'accumulator the op runs with bias-less: int64 for conv_2d; for fully_connected and transpose_conv int32 with ' +
    '--kernels=tflite (TF 2.12; the default) and int64 with --kernels=tflm — so outputs do not change. The output channels come ' +
    'from the filter (dim 0; dim 3 for depthwise_conv_2d). Unused tfl.no_value ops are erased; an op whose bias ' +
    'cannot be built (dynamic filter shape, unsupported types) keeps it, with a warning. Run it last, before ' +
    'exporting for such runtimes.',
  anchor: 'builtin.module',
  options: {
    ops: opt.list(
      'string',
      BIAS_REQUIRED_BY_TFLITE_2_12,
      `Ops to give a bias (of ${MATERIALIZABLE_OPS.join(', ')}; default: those TFLite 2.12 requires it on)`,
    ),
    'bias-type': opt.enum(
      ['auto', 'int64', 'int32'],
      'auto',
      'Storage of 16x8 biases on ops without quantized_bias_type (auto: the accumulator of the bias-less op under --kernels; depthwise_conv_2d: always int64)',
    ),
  },
  run(module, ctx, o) {
    const sel = selectedOps(o.ops);
    if ('error' in sel) {
      ctx.emitError(module.loc, `tfl-materialize-bias: ${sel.error}`);
      return { changed: false };
    }
    const targets: { op: Operation; slot: BiasSlot }[] = [];
    for (const op of walkPreOrder(module)) {
      if (!sel.ops.has(op.name)) continue;
      const slot = biasSlot(op.name);
      if (slot && op.operands.length > slot.bias && op.operand(slot.bias).type.kind === 'none') targets.push({ op, slot });
    }
    const flavour: KernelFlavour = ctx.flags['kernels'] === 'tflm' ? 'tflm' : 'tflite';
    const b = new Builder();
    for (const { op, slot } of targets) {
      const z = zeroBiasFor(op, slot, o['bias-type'], flavour);
      if ('skip' in z) {
        ctx.emitWarning(op.loc, `'${op.name}' op keeps its absent bias: ${z.skip}`);
        continue;
      }
      const name = locName(op.loc);
      const loc = name === undefined ? UnknownLoc : nameLoc(`${name}_bias`);
      b.setInsertionPointBefore(op);
      const c = z.quantized
        ? b.create({ name: 'tfl.pseudo_qconst', resultTypes: [z.type], attributes: { qtype: typeAttr(z.type), value: z.value }, loc })
        : b.create({ name: 'tfl.pseudo_const', resultTypes: [z.type], attributes: { value: z.value }, loc });
      const none = op.operand(slot.bias).definingOp;
      b.modifyInPlace(op, () => op.setOperand(slot.bias, c.result(0)));
      if (none?.name === 'tfl.no_value' && none.isUseEmpty) b.eraseOp(none);
    }
    return { changed: b.changed };
  },
});
