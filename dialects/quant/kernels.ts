/**
 * Interpreter kernels of the quant dialect: `quantfork.stats` is an identity (it only carries a
 * calibrated range), so graphs with stats ops — between quant-insert-calibration and the quantizer —
 * run unchanged. Any dtype; the output must have the input's dtype and element count.
 */
import { type KernelDef, type KernelFn, numElements, unsupported } from '../../src/interp/kernel.js';

/** `quantfork.stats`: copies its operand. */
export const statsKernel: KernelDef = {
  op: 'quantfork.stats',
  prepare(ctx): KernelFn {
    const x = ctx.inputs[0];
    const y = ctx.outputs[0];
    if (ctx.inputs.length !== 1 || ctx.outputs.length !== 1 || !x || !y) return unsupported(ctx, 'expects one operand and one result');
    if (x.dtype !== y.dtype) return unsupported(ctx, 'operand and result types must match');
    if (numElements(x.shape) !== numElements(y.shape)) return unsupported(ctx, 'operand and result sizes differ');
    return (ins, outs) => {
      (outs[0]!.data as { set(a: ArrayLike<number | bigint>): void }).set(ins[0]!.data as never);
    };
  },
};

/** Every quant-dialect kernel. */
export const quantKernels: readonly KernelDef[] = [statsKernel];
