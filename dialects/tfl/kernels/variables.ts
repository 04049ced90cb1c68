/**
 * Resource variables and CALL_ONCE, as TFLite runs them: `tfl.var_handle` yields a handle id for its
 * container/shared_name, `tfl.assign_variable` stores a copy of a tensor under that handle,
 * `tfl.read_variable` copies it out, and `tfl.call_once` runs the model's initialiser function the
 * first time (again after a reset). Used by unrolled recurrent models that keep their state.
 * The two flavours do not differ.
 */
import { type KernelDef, KernelError, type Tensor, type TypedArray, allocTyped, numElements } from '../../../src/interp/kernel.js';

function runtimeOf(ctx: Parameters<KernelDef['prepare']>[0]) {
  if (!ctx.runtime) throw new KernelError(`'${ctx.op}' needs the interpreter's runtime services`);
  return ctx.runtime;
}

/** `tfl.var_handle`: the handle of a named resource variable. */
export const varHandleKernel: KernelDef = {
  op: 'tfl.var_handle',
  prepare(ctx) {
    const rt = runtimeOf(ctx);
    const name = `${String(ctx.attrs.container ?? '')}/${String(ctx.attrs.shared_name ?? '')}`;
    const id = rt.handle(name);
    return (_ins, outs) => {
      (outs[0]!.data as Int32Array)[0] = id;
    };
  },
};

/** `tfl.assign_variable`: stores a copy of the value (any dtype) under the handle. */
export const assignVariableKernel: KernelDef = {
  op: 'tfl.assign_variable',
  prepare(ctx) {
    const rt = runtimeOf(ctx);
    return (ins) => {
      const id = (ins[0]!.data as Int32Array)[0]!;
      const v = ins[1]!;
      const existing = rt.variables.get(id);
      if (existing && existing.dtype === v.dtype && existing.data.length === v.data.length) {
        (existing.data as { set(a: ArrayLike<number | bigint>): void }).set(v.data as never);
        return;
      }
      const data = allocTyped(v.dtype, numElements(v.shape));
      (data as { set(a: ArrayLike<number | bigint>): void }).set(v.data as never);
      rt.variables.set(id, { dtype: v.dtype, shape: [...v.shape], data });
    };
  },
};

/** `tfl.read_variable`: copies the variable's value into the result. */
export const readVariableKernel: KernelDef = {
  op: 'tfl.read_variable',
  prepare(ctx) {
    const rt = runtimeOf(ctx);
    const out = ctx.outputs[0]!;
    return (ins, outs) => {
      const id = (ins[0]!.data as Int32Array)[0]!;
      const v: Tensor | undefined = rt.variables.get(id);
      if (!v) throw new KernelError(`'tfl.read_variable' at ${ctx.where}: the variable is read before it is assigned`);
      if (v.dtype !== out.dtype || v.data.length !== outs[0]!.data.length)
        throw new KernelError(`'tfl.read_variable' at ${ctx.where}: the variable holds ${v.dtype}[${v.shape.join(',')}], the result is ${out.dtype}[${out.shape.join(',')}]`);
      (outs[0]!.data as { set(a: TypedArray): void }).set(v.data as never);
    };
  },
};

/** `tfl.call_once`: runs the initialiser function once per reset. */
export const callOnceKernel: KernelDef = {
  op: 'tfl.call_once',
  prepare(ctx) {
    const rt = runtimeOf(ctx);
    const fn = ctx.attrs.session_init_function ?? ctx.attrs.init_subgraph_index;
    if (typeof fn !== 'string' || fn === '') throw new KernelError(`'tfl.call_once' at ${ctx.where}: no initialiser function`);
    return () => rt.callOnce(fn);
  },
};

/** Resource-variable kernels. */
export const variableKernels: readonly KernelDef[] = [varHandleKernel, assignVariableKernel, readVariableKernel, callOnceKernel];
