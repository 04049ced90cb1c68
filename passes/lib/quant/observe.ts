/**
 * A plain min/max range observer for tests and benchmarks: runs a float function on samples in the
 * interpreter and leaves `quantfork.stats` on every float activation (block arguments and op results)
 * and on every variable constant feeding a stateful operand — the same IR quant-calibrate produces,
 * so quant-prepare can be exercised without the calibration passes. Each sample starts from the
 * initial state (a fresh interpreter per sample when the function has variable tensors); a variable's range covers its initial contents and its contents after each run
 * (the final state of a sequence op: per-step states inside a fused LSTM are not visible here).
 */
import { denseAttr } from '../../../src/ir/attribute.js';
import { Builder } from '../../../src/ir/builder.js';
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import { f32, tensorType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { Interpreter } from '../../../src/interp/interpreter.js';
import type { KernelFlavour, TypedArray } from '../../../src/interp/kernel.js';
import { registeredKernels } from '../../../src/interp/kernel-registry.js';
import { isFloatTensor } from './rules.js';

/** Observed [min, max] per value. */
export type ObservedRanges = Map<Value, [number, number]>;

/** Runs `func` on every sample (one typed array per input) and returns min/max per float value. */
export function observeRanges(func: Operation, samples: Iterable<readonly TypedArray[]>, flavour: KernelFlavour = 'tflite'): ObservedRanges {
  const make = (): Interpreter => new Interpreter(func, { kernels: registeredKernels(), flavour, keepAllTensors: true });
  let interp = make();
  // With variable tensors, every sample gets a fresh interpreter (the state must start from its
  // initial contents; this does not rely on Interpreter.reset()).
  const stateful = [...interp.tensors()].some((t) => t.info.isVariable);
  const out: ObservedRanges = new Map();
  const see = (v: Value, data: TypedArray): void => {
    if (!(data instanceof Float32Array)) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (!(lo <= hi)) return;
    const old = out.get(v);
    out.set(v, old ? [Math.min(old[0], lo), Math.max(old[1], hi)] : [lo, hi]);
  };
  let first = true;
  const variables = new Set<Value>();
  for (const sample of samples) {
    if (stateful && !first) interp = make();
    first = false;
    for (const t of interp.tensors()) if (t.info.isVariable) variables.add(t.value);
    interp.run(sample);
    for (const t of interp.tensors()) {
      const d = t.value.definingOp;
      if (d && getOpDef(d.name)?.traits.includes('ConstantLike') && !t.info.isVariable) continue;
      see(t.value, t.tensor.data);
    }
  }
  // A variable that never left [0, 0] was not observed at all (no information): leave it rangeless.
  for (const v of variables) {
    const r = out.get(v);
    if (r && r[0] === 0 && r[1] === 0) out.delete(v);
  }
  return out;
}

/** Leaves `quantfork.stats {layerStats = [min, max]}` on every observed value (uses go through it). */
export function attachStats(func: Operation, ranges: ObservedRanges): number {
  const body = func.regions[0]!.blocks[0]!;
  const rw = new Builder();
  let n = 0;
  const statsType = tensorType([2], f32());
  const attach = (v: Value, r: [number, number]): void => {
    if (!isFloatTensor(v) || v.uses.size === 0) return;
    const bytes = new Uint8Array(new Float32Array([r[0], r[1]]).buffer);
    const s = rw.create({ name: 'quantfork.stats', operands: [v], resultTypes: [v.type], attributes: { layerStats: denseAttr(statsType, bytes) } });
    for (const u of [...v.uses]) if (u.owner !== s) u.set(s.result(0));
    n++;
  };
  for (const a of body.args) {
    const r = ranges.get(a);
    if (!r) continue;
    rw.setInsertionPointToStart(body);
    attach(a, r);
  }
  for (const op of body.opsArray()) {
    for (const res of op.results) {
      const r = ranges.get(res);
      if (!r) continue;
      rw.setInsertionPointAfter(op);
      attach(res, r);
    }
  }
  return n;
}
