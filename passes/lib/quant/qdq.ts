/**
 * The IR contract between quant-prepare and quant-quantize ("Q/DQ form").
 *
 * After quant-prepare the function still computes in float, with its quantization spelled out:
 * - every activation value `%v` an op will see quantized is followed by
 *   `%q = "tfl.quantize"(%v) {qtype = T} : T` and `%d = "tfl.dequantize"(%q)`, and every other use
 *   of `%v` reads `%d` (one pair per value);
 * - a use that needs other parameters T2 (same-scale conflicts, e.g. concatenation inputs) reads
 *   `"tfl.dequantize"("tfl.quantize"(%d) : T2)` — a requantize once quantized;
 * - constant operands of quantized ops read `"tfl.dequantize"(%c)` of a `tfl.pseudo_qconst` %c
 *   holding the quantized data (weights, biases, constant activations, and variable state tensors,
 *   which keep `tfl.is_variable`; a hybrid model's quantized weights that fit the plan are that
 *   very constant, unchanged); shared constants needing different parameters are duplicated,
 *   identical ones shared;
 * - a resource variable's reads are followed by a pair of the variable's type and its assigns read
 *   a dequantize of that type (a requantize when the assigned value has other parameters; an
 *   assigned constant — the initialiser's initial value — is a quantized constant of that type);
 * - op attributes of the quantized form are already set (`quantized_bias_type`,
 *   `pot_scale_int16 = false` for 16x8 add/sub, the LSTM intermediates as quantized type
 *   attributes — removed in 16x8);
 * - an op that stays float although it sits between Q/DQ pairs carries `qopt.keep_float`;
 * - with io-type int8/int16 the function's arguments/results have quantized types (the first op on
 *   an argument is a `tfl.dequantize`, the returned values come from `tfl.quantize`).
 * The prepared function runs in the interpreter as a float model with simulated quantization
 * (except int64 bias constants, which no dequantize kernel reads, and state operands, which see a
 * dequantized copy of their variable and so do not persist across invokes).
 *
 * quant-quantize then rewrites every op "sandwiched" in this form — each float tensor operand read
 * from a `tfl.dequantize`, each float tensor result read by a `tfl.quantize` — into the same op on
 * the quantized values, with the quantized result types.
 */
import type { Operation } from '../../../src/ir/operation.js';
import { isFloatTensor } from './rules.js';

/** The unit attribute marking an op quant-quantize must leave float. */
export const KEEP_FLOAT = 'qopt.keep_float';

/** Ops quant-quantize never rewrites. */
const NOT_REWRITTEN: ReadonlySet<string> = new Set([
  'tfl.quantize',
  'tfl.dequantize',
  'tfl.pseudo_const',
  'tfl.pseudo_qconst',
  'tfl.no_value',
  'func.return',
  'quantfork.stats',
  'tfl.var_handle',
  'tfl.call_once',
]);

/** Whether `op` is in Q/DQ form: every float tensor operand from a dequantize, every float tensor result quantized. */
export function isSandwiched(op: Operation): boolean {
  if (NOT_REWRITTEN.has(op.name) || op.regions.length > 0) return false;
  let any = false;
  for (const o of op.operands) {
    if (!isFloatTensor(o.value)) continue;
    if (o.value.definingOp?.name !== 'tfl.dequantize') return false;
    any = true;
  }
  for (const r of op.results) {
    if (!isFloatTensor(r)) continue;
    if (!r.users().some((u) => u.name === 'tfl.quantize')) return false;
    any = true;
  }
  return any;
}
