/**
 * `tfl-unroll-lstm` (pipeline alias `unroll`): rewrites float `tfl.unidirectional_sequence_lstm`,
 * `tfl.bidirectional_sequence_lstm` and `tfl.unidirectional_sequence_rnn` into per-time-step
 * primitive tfl ops (fully_connected, add, sub, mul, logistic, tanh/relu*, maximum/minimum clamps,
 * mean/rsqrt for layer norm, unpack/pack/concatenation for the sequence), reproducing TFLite's float
 * kernels step by step. Every variant: batch- and time-major, peephole, CIFG, projection with and
 * without bias, layer normalization, cell and projection clip, any fused activation but SIGN_BIT,
 * bidirectional with merged or separate outputs and auxiliary inputs. See passes/lib/unroll/ for
 * the emitted form, locations, shared constants and the two state representations (`keep-state`).
 *
 * Anchored on the module: with keep-state=true the pass adds an initialiser function per function
 * it unrolls in. Refused with a diagnostic at the op: quantized or hybrid ops, diagonal recurrent
 * weights, SIGN_BIT, dynamic batch or depth, a dynamic time dimension without max-steps, more time
 * steps than max-steps, ops nested in regions, and (keep-state=false) functions other ops refer to.
 */
import { Builder } from '../src/ir/builder.js';
import type { Operation } from '../src/ir/operation.js';
import type { Value } from '../src/ir/value.js';
import { walkPreOrder } from '../src/ir/walk.js';
import { type PassContext, definePass, opt } from '../src/pass/pass.js';
import { registerPass, registerPipelineAlias } from '../src/pass/registry.js';
import { funcName, moduleFuncs } from '../dialects/builtin/index.js';
import { type RecurrentSpec, UNROLLABLE_OPS, readRecurrentSpec } from './lib/unroll/recurrent-spec.js';
import { StateThreading, isFunctionReferenced } from './lib/unroll/state.js';
import { opPrefix, unrollRecurrent } from './lib/unroll/unroll.js';
import { tflFusePass } from './tfl-fuse.js';

/** Options of {@link tflUnrollLstmPass}. */
export interface UnrollLstmOptions {
  readonly 'max-steps': number;
  readonly 'keep-state': boolean;
  readonly 'per-step-biases': boolean;
}

/** What unrolling one function did. */
export interface UnrollFuncResult {
  readonly unrolled: number;
  readonly errors: number;
}

function stateOperands(spec: RecurrentSpec): Value[] {
  const out: Value[] = [];
  for (const d of spec.directions) {
    if (d.cell) out.push(d.cell.outputState, d.cell.cellState);
    if (d.rnn) out.push(d.rnn.state);
  }
  return out;
}

/** Unrolls every recurrent op in one function of `module`; reports problems through `ctx`. */
export function unrollFunction(module: Operation, func: Operation, ctx: PassContext, o: UnrollLstmOptions): UnrollFuncResult {
  const body = func.regions[0]?.blocks[0];
  if (!body) return { unrolled: 0, errors: 0 };
  const maxSteps = o['max-steps'];
  let errors = 0;
  const error = (op: Operation, msg: string): void => {
    errors++;
    ctx.emitError(op.loc, `cannot unroll '${op.name}': ${msg}`);
  };
  const top: Operation[] = [];
  for (const op of walkPreOrder(func)) {
    if (!UNROLLABLE_OPS.has(op.name)) continue;
    if (op.parent !== body) error(op, 'it is nested in a region; only ops in the function body are unrolled');
    else top.push(op);
  }
  if (top.length === 0) return { unrolled: 0, errors };
  const state = new StateThreading(o['keep-state'] ? 'resource' : 'arguments', module, func);
  if (!o['keep-state'] && isFunctionReferenced(module, funcName(func)))
    error(top[0]!, `keep-state=false changes the signature of @${funcName(func)}, which other ops refer to`);
  const specs: RecurrentSpec[] = [];
  for (const op of top) {
    const s = readRecurrentSpec(op);
    if ('error' in s) {
      error(op, s.error);
      continue;
    }
    if (s.time === 0) {
      error(op, 'the sequence has no time steps');
      continue;
    }
    if (s.time < 0 && maxSteps <= 0) {
      error(op, 'the time dimension is dynamic; give max-steps=N to unroll it as exactly N steps');
      continue;
    }
    if (maxSteps > 0 && s.time > maxSteps) {
      error(op, `the sequence has ${s.time} time steps, more than max-steps=${maxSteps} (0 = no limit)`);
      continue;
    }
    const bad = stateOperands(s)
      .map((v) => state.check(v))
      .find((m) => m !== undefined);
    if (bad) {
      error(op, bad);
      continue;
    }
    specs.push(s);
  }
  if (errors > 0) return { unrolled: 0, errors };
  const b = new Builder();
  const used = new Map<string, number>();
  specs.forEach((s, i) => {
    if (s.time < 0) ctx.emitRemark(s.op.loc, `unrolling a dynamic time dimension as exactly ${maxSteps} steps (max-steps)`);
    let prefix = opPrefix(s, i);
    const n = used.get(prefix) ?? 0;
    used.set(prefix, n + 1);
    if (n > 0) prefix = `${prefix}_${n}`;
    const producers = s.op.operandValues().map((v) => v.definingOp);
    unrollRecurrent(s, b, state, prefix, { dynamicSteps: maxSteps, perStepBiases: o['per-step-biases'] });
    // Constants (weights, biases, variable states) only the fused op used are dead now.
    for (const p of new Set(producers)) if (p && p.parent && p.isUseEmpty && p.regions.length === 0 && isConstant(p)) b.eraseOp(p);
  });
  state.finish(b);
  return { unrolled: specs.length, errors: 0 };
}

function isConstant(op: Operation): boolean {
  return op.name === 'tfl.pseudo_const' || op.name === 'tfl.pseudo_qconst' || op.name === 'tfl.no_value';
}

/** The LSTM/RNN unrolling pass. */
export const tflUnrollLstmPass = definePass({
  name: 'tfl-unroll-lstm',
  summary: 'Unroll float LSTM/RNN sequence ops into per-time-step primitive tfl ops',
  description:
    'Rewrites tfl.unidirectional_sequence_lstm, tfl.bidirectional_sequence_lstm and ' +
    'tfl.unidirectional_sequence_rnn (float32) into fully_connected/add/mul/logistic/tanh/... ops per ' +
    'time step that compute what TFLite\'s float kernels compute (CIFG, peephole, projection, layer norm, ' +
    'clipping, time- or batch-major). Locations name each step and gate (`<op>/step3/forget_gate`). ' +
    'keep-state=true keeps the state across invokes with TFLite resource variables (read before the ' +
    'first step, assigned after the last, initialised once by tfl.call_once); keep-state=false turns ' +
    'the state into extra function arguments and results. Biases are copied per step (marked ' +
    'tfl.unroll_step) so that each step can be quantized with its own bias scale.',
  anchor: 'builtin.module',
  options: {
    'max-steps': opt.int(0, 'Refuse sequences longer than this (0 = no limit); a dynamic time dimension is unrolled as exactly this many steps'),
    'keep-state': opt.bool(true, 'Keep the recurrent state across invokes in resource variables (false: pass it as function arguments/results)'),
    'per-step-biases': opt.bool(true, 'Give every step its own copy of each bias constant (for per-step bias quantization)'),
  },
  run(module, ctx, o) {
    let changed = false;
    for (const f of moduleFuncs(module)) {
      const r = unrollFunction(module, f, ctx, o);
      if (r.unrolled > 0) changed = true;
    }
    return { changed };
  },
});

/**
 * Registers the tfl passes of this engineer (tfl-unroll-lstm, tfl-fuse) and the `unroll` pipeline
 * alias. Idempotent.
 */
export function registerTflPipelines(): void {
  registerPass(tflUnrollLstmPass);
  registerPass(tflFusePass);
  registerPipelineAlias('unroll', 'Unroll float LSTM/RNN sequence ops into per-step primitive ops (tfl-unroll-lstm)', 'tfl-unroll-lstm');
}
