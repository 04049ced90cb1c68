/**
 * `quant-mixed`: automatic per-tensor 8/16-bit activation precision. Given a calibrated function
 * (quantfork.stats ops or !quant.calibrated types), it measures on a few calibration samples how much
 * each activation tensor's 16-bit promotion improves the output SQNR against float, greedily promotes
 * tensors from all-int8 until the budget is met, and quantizes with the chosen widths (ops touching a
 * 16-bit tensor run in 16x8, the others in int8; requantizes at the boundaries). The plan — an immer
 * tree of per-tensor decisions with the patches of every promotion step — is reported as remarks and
 * can be saved (`plan=FILE`) and re-applied without searching (`use-plan=FILE`). A resource variable
 * is one search unit (`var:<name>`, with its reads and assigned values): one width in every function;
 * the private functions that access it (the unrolled LSTM's state initialiser) are quantized int8 with
 * the variables at their chosen widths, so that every function stores them alike. The evaluation runs
 * each candidate in a module with the functions the searched one calls.
 *
 * Also exports `registerQuantMixed()`: the pass and the `quantize-mixed` pipeline alias.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { funcName, moduleFuncs } from '../dialects/builtin/index.js';
import type { QoptIO } from '../src/driver/io.js';
import type { KernelFlavour, TypedArray } from '../src/interp/kernel.js';
import { loadDataset } from '../src/io/dataset.js';
import type { Operation } from '../src/ir/operation.js';
import { definePass, opt } from '../src/pass/pass.js';
import { registerPass, registerPipelineAlias } from '../src/pass/registry.js';
import { Interpreter } from '../src/interp/interpreter.js';
import { registeredKernels } from '../src/interp/kernel-registry.js';
import type { QuantConfig } from './lib/quant/driver.js';
import { type Analysis, analyze, floatClone, floatReference, quantizeMixed, quantizeVariableUser } from './lib/mixed/evaluate.js';
import { type MixedPlan, type PlanCost, type PlanStep, int16Keys, parsePlan } from './lib/mixed/plan.js';
import { VARIABLE_KEY_PREFIX } from './lib/mixed/variables.js';
import { variableLabel } from './lib/calibration/variables.js';
import { loadLabels, parseAccuracyDrop } from './lib/mixed/labels.js';
import { type Budget, type SearchMode, LAZY_ABOVE, greedySearch } from './lib/mixed/search.js';

function pathOf(p: string, flags: Record<string, unknown>): string {
  const io = flags.io as QoptIO | undefined;
  return isAbsolute(p) || !io ? p : resolve(io.cwd, p);
}

function fmt(c: PlanCost): string {
  return `${c.accuracy !== undefined ? `top-1 accuracy ${(100 * c.accuracy).toFixed(2)}%, ` : ''}output SQNR ${c.sqnrDb.toFixed(2)} dB, ${c.int16Ops} 16-bit ops, constants ${c.constantBytes} B, activations ${c.activationBytes} B, arena ${c.arenaBytes} B`;
}

/** Samples of the calibration data for `func` (the first `n`). */
function evalSamples(func: Operation, data: string, n: number, png: { scale: number; offset: number }, flavour: KernelFlavour): TypedArray[][] {
  const interp = new Interpreter(floatClone(func), { kernels: registeredKernels(), flavour });
  const ds = loadDataset(data, interp.inputs, png);
  const count = Math.min(n, ds.count);
  const out: TypedArray[][] = [];
  for (let i = 0; i < count; i++) out.push(ds.sample(i).map((a) => a.slice() as TypedArray));
  return out;
}

/** What a promotion step promoted, for its remark. */
function describeStep(s: PlanStep, plan: MixedPlan): string {
  const first = s.keys[0]!;
  const t = plan.tensors[first];
  const rest = s.keys.slice(1);
  if (first.startsWith(VARIABLE_KEY_PREFIX))
    return `resource variable '${t?.name ?? first.slice(VARIABLE_KEY_PREFIX.length)}'${rest.length ? ` with its reads and assigned values ${rest.join(', ')}` : ''}`;
  return `${first} (result of ${t?.op ?? '?'}${t?.name ? ` '${t.name}'` : ''})${rest.length ? ` with ${rest.join(', ')}` : ''}`;
}

/** Why a saved plan's widths contradict a variable: its reads give the variable's type. */
function variableMismatch(plan: MixedPlan, a: Analysis): string | undefined {
  for (const u of a.variables.values()) {
    const w = plan.tensors[u.key]?.width ?? 'int8';
    const r = u.reads.find((k) => (plan.tensors[k]?.width ?? 'int8') !== w);
    if (r !== undefined) return `resource variable '${variableLabel(u.variable)}' is ${w} but its read '${r}' is ${plan.tensors[r]?.width ?? 'int8'} (a variable and its reads have one width)`;
  }
  return undefined;
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
    'a 16-bit tensor run in 16x8, the others in int8, with requantizes between. A resource variable (the keep-state ' +
    'form of tfl-unroll-lstm) is one unit, var:<name>, with its reads and assigned values: one width in every function, ' +
    'its initialiser included; candidates are evaluated in a module with the functions they call. Reports every promotion and ' +
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
    search: opt.enum(['auto', 'greedy', 'lazy'], 'auto', `Candidate re-evaluation per round: greedy (all of them), lazy (CELF: only the best-looking, until it stays best), auto (lazy above ${LAZY_ABOVE} candidates)`),
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
    const decided: { func: Operation; a: Analysis; int16: Set<string> }[] = [];
    let failed = false;
    funcs.forEach((func, fi) => {
      if (failed) return;
      const name = funcName(func);
      const a = analyze(func, cfg);
      let int16: Set<string>;
      const fail = (message: string): void => {
        ctx.emitError(func.loc, message);
        failed = true;
      };
      if (o['use-plan']) {
        let plan: MixedPlan;
        try {
          plan = parsePlan(readFileSync(pathOf(o['use-plan'], ctx.flags), 'utf8'));
        } catch (e) {
          fail(`quant-mixed: ${o['use-plan']}: ${(e as Error).message}`);
          return;
        }
        if (funcs.length > 1 && plan.func !== name) {
          ctx.emitWarning(func.loc, `quant-mixed: the plan is for @${plan.func}; @${name} is quantized all-int8`);
          int16 = new Set();
        } else {
          for (const [k, t] of Object.entries(plan.tensors)) {
            const here = a.tensors.get(k);
            if (!here || here.op !== t.op) {
              fail(`quant-mixed: the plan does not fit @${name}: tensor '${k}' (${t.op}) ${here ? `is produced by ${here.op}` : 'is not a decidable activation here'}`);
              return;
            }
          }
          const mismatch = variableMismatch(plan, a);
          if (mismatch) {
            fail(`quant-mixed: the plan does not fit @${name}: ${mismatch}`);
            return;
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
          fail('quant-mixed: needs evaluation data (--calibration-data) or use-plan=FILE');
          return;
        }
        let samples: TypedArray[][];
        try {
          samples = evalSamples(func, pathOf(data, ctx.flags), Math.max(1, o['eval-samples']), { scale: o['png-scale'], offset: o['png-offset'] }, flavour);
        } catch (e) {
          fail(`quant-mixed: ${(e as Error).message}`);
          return;
        }
        let accDrop: number | undefined;
        let labels: number[] | undefined;
        try {
          accDrop = parseAccuracyDrop(o['max-accuracy-drop']);
          if (o.labels) labels = loadLabels(o.labels, pathOf(data, ctx.flags), (p) => pathOf(p, ctx.flags));
        } catch (e) {
          fail(`quant-mixed: ${(e as Error).message}`);
          return;
        }
        if (accDrop !== undefined && !labels) {
          fail('quant-mixed: max-accuracy-drop needs labels=FILE.npy or labels=from-filenames');
          return;
        }
        if (labels && labels.length < samples.length) {
          fail(`quant-mixed: ${labels.length} labels for ${samples.length} evaluation samples`);
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
        const r = greedySearch(func, name, cfg, a, { samples, refs, flavour, ...(labels ? { labels } : {}) }, b, ctx.flags, o.search as SearchMode);
        for (const s of r.plan.steps) {
          const what = describeStep(s, r.plan);
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
      decided.push({ func, a, int16 });
    });
    if (failed) return { changed: false };
    // A variable has one width in every function: 16 bits when any function's plan chose it.
    const variables = new Set<string>();
    for (const d of decided) for (const k of d.int16) if (k.startsWith(VARIABLE_KEY_PREFIX)) variables.add(k);
    for (const d of decided) changed = quantizeMixed(d.func, cfg, new Set([...d.int16, ...variables]), d.a.capable16, ctx) || changed;
    // Other functions that read or assign resource variables (initialisers): int8, their variables
    // at the chosen widths.
    for (const f of moduleFuncs(module)) if (!funcs.includes(f)) changed = quantizeVariableUser(f, cfg, variables, ctx) || changed;
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
