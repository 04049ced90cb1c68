/**
 * `quant-prepare`: decides how every activation, weight and bias of a function is quantized and
 * writes it down in Q/DQ form (see passes/lib/quant/qdq.ts for the IR contract), for quant-quantize
 * to rewrite. Ranges come from `quantfork.stats` ops (quant-calibrate) or `!quant.calibrated` types
 * (a calibrated .tflite). The phases (passes/lib/quant/driver.ts): collect ranges → per-op plans from
 * the tfl dialect's quant specs (LSTM/SVDF and resource variable rules of their own) → same-scale propagation to a fixed
 * point, with requantizes where constraints conflict → resolution of every type and constant (bias
 * overflow guard, derived bias scales, LSTM intermediates) → a kernel check of every quantized op;
 * ops that cannot be quantized stay float (warning; error with --strict) and the plan is redone
 * without them.
 *
 * Also exports `registerQuantPipelines()`: the `quantize-int8` and `quantize-16x8` pipeline aliases.
 */
import { Builder } from '../src/ir/builder.js';
import type { Operation } from '../src/ir/operation.js';
import { type PassContext, definePass, opt } from '../src/pass/pass.js';
import { registerPass, registerPipelineAlias } from '../src/pass/registry.js';
import { type FloatReason, type QuantConfig, type ResolvedOp, buildPlans, propagate, resolvePlan } from './lib/quant/driver.js';
import { checkKernel } from './lib/quant/kernel-check.js';
import { materialize } from './lib/quant/materialize.js';
import { collectRanges } from './lib/quant/ranges.js';
import { quantQuantizePass } from './quant-quantize.js';

/** Options of quant-prepare, by CLI name. */
export interface QuantPrepareOptions {
  readonly mode: string;
  readonly 'io-type': string;
  readonly 'per-channel': boolean;
  readonly 'per-channel-fc': boolean;
  readonly 'bias-type': string;
  readonly 'record-bias-type': boolean;
  readonly denylist: readonly (string | number)[];
  readonly 'check-kernels': boolean;
  readonly 'lstm-asymmetric-hidden': boolean;
}

/** The driver configuration of a pass run. */
export function quantConfigFrom(o: QuantPrepareOptions, flags: Record<string, unknown>): QuantConfig {
  return {
    mode: o.mode === '16x8' ? 'int16' : 'int8',
    perChannel: o['per-channel'],
    perChannelFc: o['per-channel-fc'],
    biasType: o['bias-type'] === 'int32' ? 'int32' : 'int64',
    recordBiasType: o['record-bias-type'],
    ioType: o['io-type'] === 'int8' ? 'int8' : o['io-type'] === 'int16' ? 'int16' : 'float',
    denylist: o.denylist.map(String),
    flavour: flags.kernels === 'tflm' ? 'tflm' : 'tflite',
    checkKernels: o['check-kernels'],
    lstmAsymmetricHidden: o['lstm-asymmetric-hidden'],
  };
}

/** What one run of the driver decided for a function. */
export interface PrepareOutcome {
  readonly resolved: readonly ResolvedOp[];
  readonly floats: readonly FloatReason[];
  readonly rounds: number;
}

/** Runs the quantization driver on `func` and materializes the result (the pass body). */
export function prepareFunction(func: Operation, cfg: QuantConfig, ctx: PassContext): PrepareOutcome & { changed: boolean } {
  const rw = new Builder();
  const ranges = collectRanges(func, rw);
  const denied = new Map<Operation, FloatReason>();
  let rounds = 0;
  let outcome: { resolved: ResolvedOp[]; floats: FloatReason[]; st: ReturnType<typeof propagate> } | undefined;
  for (;;) {
    rounds++;
    const { plans, floats } = buildPlans(func, cfg, denied);
    let st: ReturnType<typeof propagate>;
    try {
      st = propagate(plans, ranges);
    } catch (e) {
      ctx.emitError(func.loc, (e as Error).message);
      return { resolved: [], floats: [], rounds, changed: rw.changed };
    }
    const resolved: ResolvedOp[] = [];
    let newlyDenied = 0;
    for (const p of plans) {
      const r = resolvePlan(p, st, ranges);
      if ('error' in r) {
        denied.set(p.op, { op: p.op, reason: r.error, warn: r.quiet !== true });
        newlyDenied++;
      } else resolved.push(r);
    }
    if (newlyDenied === 0 && cfg.checkKernels) {
      for (const r of resolved) {
        const c = checkKernel(r, cfg.flavour);
        if (!c.ok) {
          denied.set(r.plan.op, { op: r.plan.op, reason: `no kernel for the quantized types: ${c.reason}`, warn: true });
          newlyDenied++;
        } else if (c.note) ctx.emitRemark(r.plan.op.loc, `'${r.plan.op.name}' op: ${c.note}`);
      }
    }
    if (newlyDenied === 0) {
      outcome = { resolved, floats, st };
      break;
    }
  }
  const report = materialize(func, outcome.resolved, outcome.st, cfg, rw, new Set(outcome.floats.map((f) => f.op)));
  for (const f of outcome.floats) {
    if (!f.warn) continue;
    const msg = `'${f.op.name}' op stays float: ${f.reason}`;
    if (ctx.flags.strict === true) ctx.emitError(f.op.loc, msg);
    else ctx.emitWarning(f.op.loc, msg);
  }
  for (const r of outcome.resolved) for (const n of r.notes) ctx.emitRemark(r.plan.op.loc, `'${r.plan.op.name}' op: ${n}`);
  for (const j of report.floatOutputs) {
    const msg = `result #${j} of the function stays float: it is not produced by a quantized op`;
    if (ctx.flags.strict === true) ctx.emitError(func.loc, msg);
    else ctx.emitWarning(func.loc, msg);
  }
  return { resolved: outcome.resolved, floats: outcome.floats, rounds, changed: rw.changed };
}

/** The quant-prepare pass. */
export const quantPreparePass = definePass({
  name: 'quant-prepare',
  summary: 'Choose the quantization of every tensor (propagation to a fixed point) and write it as quantize/dequantize pairs',
  description:
    'Reads calibrated ranges (quantfork.stats ops or !quant.calibrated types), plans every op from the ' +
    "tfl dialect's quantization specs (weights symmetric int8 narrow range, per channel on conv/depthwise/" +
    'transpose_conv, biases int32 — int64 in 16x8 — with scale s_in*s_w, same-scale and fixed-output ops, ' +
    'LSTM and SVDF rules, resource variables in one type per variable from their recorded range — reads give it, assigns ' +
    'take it, in every function), propagates same-scale constraints both ways to a fixed point (inserting a requantize ' +
    'where constraints conflict), resolves constants (bias-overflow guard, per-use duplicates) and checks every ' +
    'quantized op against its interpreter kernel. Ops that cannot be quantized stay float with a warning ' +
    '(an error under --strict). The result is float IR with tfl.quantize/tfl.dequantize pairs for quant-quantize.',
  anchor: 'func.func',
  options: {
    mode: opt.enum(['int8', '16x8'], 'int8', 'Activation scheme: int8 (asymmetric int8 activations) or 16x8 (symmetric int16 activations, int8 weights)'),
    'io-type': opt.enum(['float', 'int8', 'int16'], 'float', 'Type of the function inputs and outputs (float: quantize/dequantize at the edges)'),
    'per-channel': opt.bool(true, 'Quantize conv/depthwise/transpose_conv weights per output channel'),
    'per-channel-fc': opt.bool(false, 'Also quantize fully_connected weights per output channel'),
    'bias-type': opt.enum(['int64', 'int32'], 'int64', 'Bias storage in 16x8 mode (int8 mode always uses int32)'),
    'record-bias-type': opt.bool(true, 'Record quantized_bias_type on fully_connected/conv_2d/transpose_conv (TFLite 2.12 predates it and lacks the op versions it implies for 16x8)'),
    denylist: opt.list('string', [], 'Op names (tfl.softmax or softmax) or location names (exact, or a prefix ending at a /) to keep in float'),
    'check-kernels': opt.bool(true, 'Prepare each quantized op with its interpreter kernel and keep unsupported combinations float'),
    'lstm-asymmetric-hidden': opt.bool(
      false,
      "int8 LSTM: asymmetric hidden state as TFLite's quantizer makes it (TFLite 2.12's kernel gets its zero point's sign wrong; default symmetric)",
    ),
  },
  run(func, ctx, o) {
    const cfg = quantConfigFrom(o, ctx.flags);
    const r = prepareFunction(func, cfg, ctx);
    return { changed: r.changed };
  },
});

/**
 * Registers quant-prepare and quant-quantize (idempotent) and the pipeline aliases `quantize-int8`
 * and `quantize-16x8`: quant-insert-calibration → quant-calibrate → quant-prepare{mode} →
 * quant-quantize → canonicalize. The calibration passes are registered by their own module.
 */
export function registerQuantPipelines(): void {
  registerPass(quantPreparePass);
  registerPass(quantQuantizePass);
  registerPipelineAlias(
    'quantize-int8',
    'Calibrate and quantize to int8 (int8 activations and weights, int32 biases; float I/O)',
    'quant-insert-calibration,quant-calibrate,quant-prepare{mode=int8},quant-quantize,canonicalize',
  );
  registerPipelineAlias(
    'quantize-16x8',
    'Calibrate and quantize to 16x8 (int16 activations, int8 weights, int64 biases; float I/O)',
    'quant-insert-calibration,quant-calibrate,quant-prepare{mode=16x8},quant-quantize,canonicalize',
  );
}
