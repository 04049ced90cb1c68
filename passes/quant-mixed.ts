/**
 * `quant-mixed`: automatic per-tensor 8/16-bit activation precision. Given a calibrated function
 * (quantfork.stats ops or !quant.calibrated types), it measures on a few calibration samples how much
 * each activation tensor's 16-bit promotion improves the output SQNR against float, greedily promotes
 * tensors from all-int8 until the budget is met, and quantizes with the chosen widths (ops touching a
 * 16-bit tensor run in 16x8, the others in int8; requantizes at the boundaries). The plan — an immer
 * tree of per-tensor decisions with the patches of every promotion step — is reported as remarks and
 * can be saved (`plan=FILE`) and re-applied without searching (`use-plan=FILE`). Resource variables
 * stay at the base width (int8) everywhere; the private functions that access them (the unrolled
 * LSTM's state initialiser) are quantized all-int8 too, so that every function stores them alike.
 *
 * Also exports `registerQuantMixed()`: the pass and the `quantize-mixed` pipeline alias.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { funcName, moduleFuncs } from '../dialects/builtin/index.js';
import type { QoptIO } from '../src/driver/io.js';
import type { KernelFlavour, TypedArray } from '../src/interp/kernel.js';
import { loadDataset } from '../src/io/dataset.js';
import { Builder } from '../src/ir/builder.js';
import type { Operation } from '../src/ir/operation.js';
import { definePass, opt } from '../src/pass/pass.js';
import { registerPass, registerPipelineAlias } from '../src/pass/registry.js';
import { Interpreter } from '../src/interp/interpreter.js';
import { registeredKernels } from '../src/interp/kernel-registry.js';
import { collectRanges } from './lib/quant/ranges.js';
import { isVariableAccess } from './lib/quant/variables.js';
import { prepareFunction } from './quant-prepare.js';
import { quantizeFunction } from './quant-quantize.js';
import type { QuantConfig } from './lib/quant/driver.js';
import { analyze, floatReference, quantizeMixed } from './lib/mixed/evaluate.js';
import { type MixedPlan, type PlanCost, int16Keys, parsePlan } from './lib/mixed/plan.js';
import { loadLabels, parseAccuracyDrop } from './lib/mixed/labels.js';
import { type Budget, greedySearch } from './lib/mixed/search.js';

function pathOf(p: string, flags: Record<string, unknown>): string {
  const io = flags.io as QoptIO | undefined;
  return isAbsolute(p) || !io ? p : resolve(io.cwd, p);
}

function fmt(c: PlanCost): string {
  return `${c.accuracy !== undefined ? `top-1 accuracy ${(100 * c.accuracy).toFixed(2)}%, ` : ''}output SQNR ${c.sqnrDb.toFixed(2)} dB, ${c.int16Ops} 16-bit ops, constants ${c.constantBytes} B, activations ${c.activationBytes} B, arena ${c.arenaBytes} B`;
}

/** Samples of the calibration data for `func` (the first `n`). */
function evalSamples(func: Operation, data: string, n: number, png: { scale: number; offset: number }, flavour: KernelFlavour): TypedArray[][] {
  const f = func.clone();
  collectRanges(f, new Builder());
  const interp = new Interpreter(f, { kernels: registeredKernels(), flavour });
  const ds = loadDataset(data, interp.inputs, png);
  const count = Math.min(n, ds.count);
  const out: TypedArray[][] = [];
  for (let i = 0; i < count; i++) out.push(ds.sample(i).map((a) => a.slice() as TypedArray));
  return out;
}

/** The quant-mixed pass. */
export const quantMixedPass = definePass({
  name: 'quant-mixed',
  summary: 'Choose 8 or 16-bit activations per tensor under an accuracy budget, then quantize',
  description:
    'Needs calibrated IR. Starting from all-int8, greedily promotes to 16 bits the activation tensor (with its ' +
    'reshape-like followers) whose promotion most improves the output SQNR against float on the first ' +
    'eval-samples calibration samples, until the output SQNR is within max-output-sqnr-drop dB of all-16x8 ' +
    '(default 1 dB when no budget is given), or max-16bit-layers / max-size would be exceeded. Ops touching ' +
    'a 16-bit tensor run in 16x8, the others in int8, with requantizes between. Reports every promotion and ' +
    'the cost against all-int8 and all-16x8 as remarks. With labels=FILE.npy (one integer class per calibration ' +
    'sample) or labels=from-filenames (the digit in each sample file name of a folder, e.g. sample3.png), ' +
    'max-accuracy-drop=F (a fraction, or a percentage like 1%) makes top-1 accuracy (argmax of output 0) on the ' +
    'evaluation samples the objective: its drop against all-16x8 must be at most F (ties broken by output SQNR). ' +
    'plan=FILE saves the plan (JSON), use-plan=FILE ' +
    'applies a saved plan without searching (no calibration data needed).',
  anchor: 'builtin.module',
  options: {
    'max-output-sqnr-drop': opt.float(-1, 'Allowed output-SQNR drop (dB) against all-16x8 (negative: unset; 1 dB when no budget is set)'),
    'max-16bit-layers': opt.int(-1, 'Maximum number of ops with 16-bit activations (negative: unset)'),
    'max-size': opt.int(-1, 'Maximum bytes of quantized constants plus activation arena (negative: unset)'),
    'max-accuracy-drop': opt.string('', 'Allowed top-1 accuracy drop against all-16x8: a fraction (0.01) or a percentage (1%); needs labels (empty: unset)'),
    labels: opt.string('', 'Class labels of the calibration samples: FILE.npy (integer per sample) or from-filenames (sample<digit>.png)'),
    'eval-samples': opt.int(16, 'Calibration samples used to evaluate candidates'),
    plan: opt.string('', 'Write the chosen plan (JSON) to this file'),
    'use-plan': opt.string('', 'Apply this saved plan instead of searching'),
    'per-channel': opt.bool(true, 'Quantize conv/depthwise/transpose_conv weights per output channel'),
    'bias-type': opt.enum(['int64', 'int32'], 'int64', 'Bias storage of 16x8 ops'),
    'record-bias-type': opt.bool(true, 'Record quantized_bias_type on fully_connected/conv_2d/transpose_conv (TFLite 2.12 lacks the op versions it implies)'),
    'png-scale': opt.float(1 / 255, 'PNG datasets: x = pixel * png-scale + png-offset'),
    'png-offset': opt.float(0, 'PNG datasets: offset added after scaling'),
  },
  run(module, ctx, o) {
    const flavour: KernelFlavour = ctx.flags.kernels === 'tflm' ? 'tflm' : 'tflite';
    const cfg: QuantConfig = {
      mode: 'int8',
      perChannel: o['per-channel'],
      perChannelFc: false,
      biasType: o['bias-type'] === 'int32' ? 'int32' : 'int64',
      recordBiasType: o['record-bias-type'],
      ioType: 'float',
      denylist: [],
      flavour,
      checkKernels: true,
    };
    const funcs = moduleFuncs(module).filter((f) => (f.regions[0]?.blocks[0]?.opsArray().length ?? 0) > 0 && f.attr('sym_visibility') === undefined);
    let changed = false;
    funcs.forEach((func, fi) => {
      const name = funcName(func);
      const a = analyze(func, cfg);
      let int16: Set<string>;
      if (o['use-plan']) {
        let plan: MixedPlan;
        try {
          plan = parsePlan(readFileSync(pathOf(o['use-plan'], ctx.flags), 'utf8'));
        } catch (e) {
          ctx.emitError(func.loc, `quant-mixed: ${o['use-plan']}: ${(e as Error).message}`);
          return;
        }
        if (funcs.length > 1 && plan.func !== name) {
          ctx.emitWarning(func.loc, `quant-mixed: the plan is for @${plan.func}; @${name} is quantized all-int8`);
          int16 = new Set();
        } else {
          for (const [k, t] of Object.entries(plan.tensors)) {
            const here = a.tensors.get(k);
            if (!here || here.op !== t.op) {
              ctx.emitError(func.loc, `quant-mixed: the plan does not fit @${name}: tensor '${k}' (${t.op}) ${here ? `is produced by ${here.op}` : 'is not a decidable activation here'}`);
              return;
            }
          }
          int16 = int16Keys(plan);
          ctx.emitRemark(func.loc, `quant-mixed: @${name}: applying the saved plan: ${int16.size} 16-bit tensors (${[...int16].join(', ') || 'none'})`);
        }
      } else if (fi > 0) {
        ctx.emitWarning(func.loc, `quant-mixed: only the first function is searched; @${name} is quantized all-int8`);
        int16 = new Set();
      } else {
        const data = ctx.flags.calibrationData;
        if (typeof data !== 'string' || !data) {
          ctx.emitError(func.loc, 'quant-mixed: needs evaluation data (--calibration-data) or use-plan=FILE');
          return;
        }
        let samples: TypedArray[][];
        try {
          samples = evalSamples(func, pathOf(data, ctx.flags), Math.max(1, o['eval-samples']), { scale: o['png-scale'], offset: o['png-offset'] }, flavour);
        } catch (e) {
          ctx.emitError(func.loc, `quant-mixed: ${(e as Error).message}`);
          return;
        }
        let accDrop: number | undefined;
        let labels: number[] | undefined;
        try {
          accDrop = parseAccuracyDrop(o['max-accuracy-drop']);
          if (o.labels) labels = loadLabels(o.labels, pathOf(data, ctx.flags), (p) => pathOf(p, ctx.flags));
        } catch (e) {
          ctx.emitError(func.loc, `quant-mixed: ${(e as Error).message}`);
          return;
        }
        if (accDrop !== undefined && !labels) {
          ctx.emitError(func.loc, 'quant-mixed: max-accuracy-drop needs labels=FILE.npy or labels=from-filenames');
          return;
        }
        if (labels && labels.length < samples.length) {
          ctx.emitError(func.loc, `quant-mixed: ${labels.length} labels for ${samples.length} evaluation samples`);
          return;
        }
        const budget: Budget = {
          ...(accDrop !== undefined ? { maxAccuracyDrop: accDrop } : {}),
          ...(o['max-output-sqnr-drop'] >= 0 ? { maxSqnrDrop: o['max-output-sqnr-drop'] } : {}),
          ...(o['max-16bit-layers'] >= 0 ? { max16BitLayers: o['max-16bit-layers'] } : {}),
          ...(o['max-size'] >= 0 ? { maxSize: o['max-size'] } : {}),
        };
        const b: Budget = Object.keys(budget).length > 0 ? budget : { maxSqnrDrop: 1 };
        const refs = floatReference(func, samples, flavour);
        const r = greedySearch(func, name, cfg, a, { samples, refs, flavour, ...(labels ? { labels } : {}) }, b, ctx.flags);
        for (const s of r.plan.steps) {
          const t = r.plan.tensors[s.keys[0]!];
          const what = `${s.keys[0]} (result of ${t?.op ?? '?'}${t?.name ? ` '${t.name}'` : ''})${s.keys.length > 1 ? ` with ${s.keys.slice(1).join(', ')}` : ''}`;
          const acc = s.accuracy !== undefined ? `, top-1 accuracy ${(100 * s.accuracy).toFixed(2)}%` : '';
          ctx.emitRemark(func.loc, `quant-mixed: 16-bit ${what}: +${s.gainDb.toFixed(2)} dB, output SQNR ${s.sqnrDb.toFixed(2)} dB${acc}`);
        }
        ctx.emitRemark(
          func.loc,
          `quant-mixed: @${name}: chosen: ${fmt(r.chosen)}; all-int8: ${fmt(r.int8)}; all-16x8: ${fmt(r.int16)} (${r.evaluations} evaluations on ${samples.length} samples)`,
        );
        if (!r.met) ctx.emitWarning(func.loc, `quant-mixed: @${name}: the budget is not met (chosen: ${fmt(r.chosen)}; all-16x8: ${fmt(r.int16)})`);
        if (o.plan) {
          try {
            writeFileSync(pathOf(o.plan, ctx.flags), `${JSON.stringify(r.plan, null, 2)}\n`);
          } catch (e) {
            ctx.emitError(func.loc, `quant-mixed: cannot write ${o.plan}: ${(e as Error).message}`);
          }
        }
        int16 = int16Keys(r.plan);
      }
      changed = quantizeMixed(func, cfg, int16, a.capable16, ctx) || changed;
    });
    // Other functions that read or assign resource variables (initialisers): all-int8, as the
    // variables are in the searched functions.
    for (const f of moduleFuncs(module)) {
      if (funcs.includes(f) || !f.regions[0]?.blocks[0]?.opsArray().some(isVariableAccess)) continue;
      const r = prepareFunction(f, cfg, ctx);
      const rw = new Builder();
      quantizeFunction(f, rw);
      changed = r.changed || rw.changed || changed;
    }
    return { changed };
  },
});

/** Registers quant-mixed and the `quantize-mixed` pipeline alias. */
export function registerQuantMixed(): void {
  registerPass(quantMixedPass);
  registerPipelineAlias(
    'quantize-mixed',
    'Calibrate and quantize with per-tensor 8/16-bit activations chosen under an accuracy budget (float I/O)',
    'quant-insert-calibration,quant-calibrate,quant-mixed,canonicalize',
  );
}
