/**
 * Constant tfl ops: tfl.pseudo_const (a dense value), tfl.pseudo_qconst (stored integers plus the
 * quantized tensor type in `qtype`) and tfl.no_value (the `none` placeholder for absent optional
 * operands). They become buffers, not operators, when exported to TFLite.
 */
import { type AttrSpec, type OpDef, defineOp } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { isQuantType, tensorType } from '../../../src/ir/type.js';
import { printType } from '../../../src/syntax/print-type-attr.js';

/** Unit attribute marking a constant that is really a TFLite variable tensor (LSTM/SVDF state). */
export const IS_VARIABLE = 'tfl.is_variable';
const VARIABLE_FLAG: AttrSpec = { kind: 'unit', optional: true, description: 'a variable (state) tensor; the value is its initial contents' };

function verifyConst(op: Operation): string | undefined {
  const v = op.attr('value');
  if (v?.kind !== 'dense') return undefined;
  const t = op.result(0).type;
  if (v.type === t) return undefined;
  // A calibrated constant (float data with a recorded range) stores its expressed-type values.
  if (t.kind === 'tensor' && t.element.kind === 'quant.calibrated' && v.type === tensorType(t.shape, t.element.expressed)) return undefined;
  return `value type (${printType(v.type)}) does not match the result type (${printType(t)})`;
}

/** `tfl.pseudo_const`: a constant tensor. */
export const PseudoConstOp = defineOp({
  name: 'tfl.pseudo_const',
  summary: 'Constant tensor',
  description: 'Produces the dense `value`; its type is the result type. Exported as a buffer.',
  operands: [],
  results: [{ name: 'output' }],
  attrs: { value: { kind: 'dense', description: 'the constant elements' }, [IS_VARIABLE]: VARIABLE_FLAG },
  traits: ['ConstantLike', 'Pure'],
  verify: verifyConst,
  fold: (op) => {
    const v = op.attr('value');
    return v ? [v] : undefined;
  },
});

function verifyQConst(op: Operation): string | undefined {
  const t = op.result(0).type;
  const el = t.kind === 'tensor' || t.kind === 'unranked_tensor' ? t.element : t;
  if (!isQuantType(el) || el.kind === 'quant.calibrated') return 'result must have a quantized element type';
  const q = op.attr('qtype');
  if (q?.kind === 'type' && q.value !== t) return `qtype (${printType(q.value)}) does not match the result type (${printType(t)})`;
  const v = op.attr('value');
  if (v?.kind !== 'dense') return undefined;
  if (t.kind === 'tensor' && (v.type.shape.length !== t.shape.length || v.type.shape.some((d, i) => d !== t.shape[i])))
    return `value shape (${printType(v.type)}) does not match the result shape (${printType(t)})`;
  if (v.type.element !== el.storage && v.type.element !== el)
    return `value elements (${printType(v.type.element)}) must be the storage type ${printType(el.storage)}`;
  return undefined;
}

/** `tfl.pseudo_qconst`: a quantized constant; `value` holds the stored integers. */
export const PseudoQConstOp = defineOp({
  name: 'tfl.pseudo_qconst',
  summary: 'Quantized constant tensor',
  description:
    'Produces a quantized constant: `value` holds the stored integers (storage element type), `qtype` the quantized tensor type, which is also the result type.',
  operands: [],
  results: [{ name: 'output' }],
  attrs: {
    qtype: { kind: 'type', description: 'the quantized result type' },
    value: { kind: 'dense', description: 'the stored integers' },
    [IS_VARIABLE]: VARIABLE_FLAG,
  },
  traits: ['ConstantLike', 'Pure'],
  verify: verifyQConst,
  fold: (op) => {
    const v = op.attr('value');
    return v ? [v] : undefined;
  },
});

/** `tfl.no_value`: the `none` value standing for an absent optional operand. */
export const NoValueOp = defineOp({
  name: 'tfl.no_value',
  summary: 'Absent optional operand',
  description: 'Produces the `none` value used for omitted optional operands (TFLite tensor index -1).',
  operands: [],
  results: [{ name: 'none_val' }],
  attrs: { value: { kind: 'unit' } },
  traits: ['ConstantLike', 'Pure'],
  verify: (op) => (op.result(0).type.kind === 'none' ? undefined : 'result must be of type none'),
  fold: (op) => {
    const v = op.attr('value');
    return v ? [v] : undefined;
  },
});

/** The constant ops. */
export const CONST_OPS: readonly OpDef[] = [PseudoConstOp, PseudoQConstOp, NoValueOp];
