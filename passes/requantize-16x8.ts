/**
 * `requantize-16x8`: turns an int8 model into a 16x8 model (int16 activations, int8 weights, int64
 * biases) without the float model or calibration data, the way tflite-micro's
 * requantize_flatbuffer.py does it, but for any op the interpreter has an int16 kernel for.
 *
 * - Every int8 activation (function arguments and results, op results, activation constants such as
 *   the operand of an add, LSTM state) becomes int16, symmetric (zero point 0), per tensor, covering
 *   the int8 type's real range: s16 = max(|s8·(127 − zp8)|, |s8·(−128 − zp8)|) / 32767 (float32).
 *   Constant data is re-encoded; a constant shared by several ops is converted once.
 * - Weights stay int8. int32 biases become int64 (`bias-type=int32`: int32) with scale s_in16·s_w,
 *   per channel when the weights are; FULLY_CONNECTED / CONV_2D / TRANSPOSE_CONV get
 *   `quantized_bias_type` ("INT64"/"INT32") even without a bias (TFLM otherwise runs bias-less 16x8
 *   layers with a 32-bit accumulator, which overflows: tflite-micro#3597). ADD/SUB get
 *   pot_scale_int16 = false (the general int16 path; scales are not powers of two).
 * - Ops with a fixed int16 output (logistic, tanh, softmax) get it exactly: scale 2^-15, zero point 0.
 * - UNIDIRECTIONAL_SEQUENCE_LSTM: input, hidden state and output int16 (the output takes the hidden
 *   state's type: the kernel writes it with the hidden quantization), gate biases int64 with scale
 *   s_in16·s_w (always int64: TFLM's 16x8 LSTM reads int64 biases), cell state kept (int16), the int8
 *   effective-hidden intermediate becomes int16 like any activation; the 16x8 kernel reads no
 *   intermediates (lstm-16x8.ts), so the int16 input_to_*_intermediate types are kept.
 * - Which ops convert is decided by preparing each op's interpreter kernel on the rewritten types
 *   (no fixed op list). Ops whose kernel refuses stay int8, bridged with tfl.quantize (int16 -> int8
 *   before, int8 -> int16 after), with a warning (an error under --strict).
 * - Resource variables (the unrolled LSTM's keep-state form) are lifted whole: when every read and
 *   assigned value of a variable, in every function, has one int8 type, the variable becomes int16
 *   (covering that type, as above) in its reads, its assigns and the initialiser's constant;
 *   otherwise it stays int8 behind bridges with one warning saying why.
 * - Per-channel quantized activations are refused with an error naming the tensor.
 *
 * The pass creates rescales only where types differ; `requantize-16x8-pipeline` runs it between
 * two canonicalize passes (so redundant Q/DQ pairs of the input model and trivial quantize ops fold).
 * Functions referred to by symbol (while/if bodies, calls) keep their signatures.
 */
import { walkPreOrder } from '../src/ir/walk.js';
import type { KernelFlavour } from '../src/interp/kernel.js';
import { definePass, opt } from '../src/pass/pass.js';
import { registerPass, registerPipelineAlias } from '../src/pass/registry.js';
import type { Operation } from '../src/ir/operation.js';
import { funcName, moduleFuncs } from '../dialects/builtin/index.js';
import { requantizeFunction } from './lib/requantize/rewrite.js';
import { decideVariables } from './lib/requantize/variables.js';

/** Names of functions referred to by a symbol reference anywhere in the module. */
function referencedFunctions(module: Operation): Set<string> {
  const out = new Set<string>();
  const visitAttr = (a: unknown): void => {
    const x = a as { kind?: string; root?: string; elements?: unknown[]; entries?: [string, unknown][] };
    if (x.kind === 'symbol_ref' && x.root) out.add(x.root);
    else if (x.kind === 'array') x.elements?.forEach(visitAttr);
    else if (x.kind === 'dictionary') x.entries?.forEach((e) => visitAttr(e[1]));
  };
  for (const op of walkPreOrder(module)) for (const a of op.attributes.values()) visitAttr(a);
  return out;
}

/** The requantize-16x8 pass. */
export const requantize16x8Pass = definePass({
  name: 'requantize-16x8',
  summary: 'Requantize an int8 model to 16x8 (int16 activations, int8 weights, int64 biases)',
  description:
    'Every int8 activation becomes int16 (symmetric, per tensor, covering the same real range: ' +
    's16 = max(|s8(127-zp8)|, |s8(-128-zp8)|)/32767); weights stay int8; int32 biases become int64 ' +
    '(or int32 with bias-type=int32) with scale s_in16*s_w and quantized_bias_type is set on ' +
    'FC/CONV_2D/TRANSPOSE_CONV; logistic/tanh/softmax outputs get scale 2^-15; the 16x8 LSTM gets ' +
    'int16 input/hidden/output and int64 gate biases. A resource variable becomes int16 as a whole (its reads, ' +
    'assigns and initial value in every function) when all of them have one int8 type, else it stays int8 with a ' +
    'warning saying why. An op converts when its interpreter kernel ' +
    'prepares on the rewritten types; other ops stay int8 behind tfl.quantize bridges (warning; error ' +
    'with --strict). Per-channel activations are an error. Use requantize-16x8-pipeline (or ' +
    '--passes=requantize-16x8,canonicalize) to fold the remaining trivial rescales.',
  anchor: 'builtin.module',
  options: {
    'bias-type': opt.enum(['int64', 'int32'], 'int64', 'Storage of the requantized biases of FC/conv/transpose-conv (LSTM gate biases are always int64)'),
    'quantized-bias-type': opt.bool(
      true,
      'Set quantized_bias_type on FC/CONV_2D/TRANSPOSE_CONV (needs FC v11, CONV_2D v8, TRANSPOSE_CONV v5: TFLite before 2.14 rejects them; without it TFLM runs bias-less 16x8 layers with a 32-bit accumulator); false also removes the int8 model\'s',
    ),
    'keep-io-types': opt.bool(false, 'Keep int8 function arguments and results (tfl.quantize at the boundary) instead of making them int16'),
  },
  run(module, ctx, o) {
    const flag = ctx.flags['kernels'];
    const flavours: KernelFlavour[] = flag === 'tflite' || flag === 'tflm' ? [flag] : ['tflite', 'tflm'];
    const strict = ctx.flags['strict'] === true;
    const referenced = referencedFunctions(module);
    const variables = decideVariables(module);
    for (const k of variables.kept) {
      if (strict) ctx.emitError(k.at.loc, k.message);
      else ctx.emitWarning(k.at.loc, k.message);
    }
    if (strict && variables.kept.length > 0) return { changed: false };
    let changed = false;
    for (const f of moduleFuncs(module)) {
      const stats = requantizeFunction(f, ctx, {
        biasStorage: o['bias-type'] === 'int32' ? 'int32' : 'int64',
        setBiasTypeAttr: o['quantized-bias-type'],
        keepSignature: o['keep-io-types'] || referenced.has(funcName(f)),
        flavours,
        strict,
        variables: variables.lifted,
      });
      if (stats.converted + stats.bridges + stats.constants > 0) changed = true;
      if (stats.failed) return { changed };
    }
    return { changed };
  },
});

/** Registers requantize-16x8 and the `requantize-16x8-pipeline` alias (idempotent). */
export function registerRequantize16x8(): void {
  registerPass(requantize16x8Pass);
  registerPipelineAlias(
    'requantize-16x8-pipeline',
    'canonicalize, requantize-16x8, canonicalize: an int8 model to a clean 16x8 model',
    'canonicalize,requantize-16x8,canonicalize',
  );
}
