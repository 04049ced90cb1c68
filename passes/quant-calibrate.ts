/**
 * `quant-calibrate`: runs the float model in the interpreter over a calibration dataset and writes the
 * range of every `quantfork.stats` op that has none yet (see passes/lib/calibration/contract.ts for
 * the IR it produces, and observer.ts / range-methods.ts / histogram.ts for the methods).
 *
 * - Data: option `data=FILE` or the driver's `--calibration-data=FILE` (.npy with samples on the
 *   leading axis, .npz, a folder of .npy files or of PNG images scaled by `png-scale`/`png-offset`).
 *   Without data the pass fails, unless every stats op already has a range.
 * - The entry function (`entry=`, default `main`, else the module's first function) runs once per
 *   sample; variable state (LSTM/SVDF) is reset before each sample unless `keep-state`.
 * - Each stats op observes its operand: `method=minmax` (default; TFLite's), `moving-average`
 *   (`averaging-constant`), or from a histogram (`num-bins`, adaptive range, one pass) `percentile`
 *   (`percentile`), `mse` and `kl` for the target width `bits` (8 or 16).
 * - With `state-ranges` (default on) it also records, always as plain min/max over every time step,
 *   the ranges of float variable states (as `!quant.calibrated` types on their constants) and the
 *   LSTM intermediates (as `!quant.calibrated` type attributes), which an integer LSTM needs; and,
 *   with the chosen method, the range of every float resource variable the entry reads or assigns
 *   (what it reads and assigns, plus the constants assigned to it anywhere — its initial value) as
 *   `qopt.variable_range` on all of its `tfl.var_handle` ops (passes/lib/calibration/variables.ts).
 * - Stats ops still without a range afterwards (other functions; tensors that were never
 *   observed) are an error listing them, or get `default-range=min,max`.
 * - A progress bar goes to stderr when it is a terminal; afterwards a remark per tensor for the
 *   `report` widest ranges, and a summary remark.
 */
import { isAbsolute, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { moduleFuncs, funcName } from '../dialects/builtin/index.js';
import { quantKernels } from '../dialects/quant/kernels.js';
import { IS_VARIABLE } from '../dialects/tfl/ops/const.js';
import { LSTM_OPERAND_ROLES } from '../dialects/tfl/quant-spec.js';
import type { QoptIO } from '../src/driver/io.js';
import { Interpreter, type KernelRegistry } from '../src/interp/interpreter.js';
import type { KernelDef, KernelFlavour, Tensor } from '../src/interp/kernel.js';
import { registeredKernels } from '../src/interp/kernel-registry.js';
import { loadDataset, type Dataset } from '../src/io/dataset.js';
import { stringAttr, typeAttr } from '../src/ir/attribute.js';
import { Builder } from '../src/ir/builder.js';
import { DiagnosticError } from '../src/ir/diagnostic.js';
import { type Location, describeLoc, locName } from '../src/ir/location.js';
import type { Operation } from '../src/ir/operation.js';
import { getOpDef } from '../src/ir/registry.js';
import { calibratedQuantType, elementType, f32, tensorType, withElement } from '../src/ir/type.js';
import type { Value } from '../src/ir/value.js';
import { walkPreOrder } from '../src/ir/walk.js';
import { type OptionValues, type PassContext, type PassResult, definePass, opt } from '../src/pass/pass.js';
import { LAYER_STATS, METHOD_ATTR, OBSERVED_ATTR, STATS_OP, rangeAttr } from './lib/calibration/contract.js';
import { LSTM_CELL_STATE, LSTM_OUTPUT_STATE, LstmObserver, isObservableLstm } from './lib/calibration/lstm-observer.js';
import {
  CALIBRATION_METHODS,
  type CalibrationMethod,
  type MethodOptions,
  MinMaxObserver,
  NonFiniteValueError,
  TensorObserver,
} from './lib/calibration/observer.js';
import type { Range } from './lib/calibration/range-methods.js';
import { type PendingVariable, VARIABLE_RANGE, pendingVariables, variableLabel, variableRangeAttr } from './lib/calibration/variables.js';

const OPTIONS = {
  method: opt.enum(CALIBRATION_METHODS, 'minmax', 'range method: minmax | moving-average | percentile | mse | kl'),
  data: opt.string('', 'calibration dataset (default: the driver --calibration-data)'),
  'averaging-constant': opt.float(0.01, 'moving-average: weight of each new sample, in (0, 1]'),
  'num-bins': opt.int(2048, 'percentile/mse/kl: histogram bins'),
  percentile: opt.float(99.99, 'percentile: keep this percentage of values, clipping the rest equally at both ends'),
  bits: opt.int(8, 'mse/kl: target activation bit width (8 or 16)'),
  'keep-state': opt.bool(false, 'do not reset variable (LSTM/SVDF) state between samples'),
  'max-samples': opt.int(0, 'use at most this many samples (0 = all)'),
  'default-range': opt.list('float', [], 'min,max for stats ops that get no data (default: error)'),
  entry: opt.string('', 'function to run (default: main, else the first function)'),
  report: opt.int(10, 'remark the ranges of the N widest tensors'),
  'state-ranges': opt.bool(true, 'also calibrate float variable states, LSTM intermediates and resource variables'),
  'png-scale': opt.float(1 / 255, 'PNG datasets: x = pixel * png-scale + png-offset'),
  'png-offset': opt.float(0, 'PNG datasets: offset added after scaling'),
};

type Options = OptionValues<typeof OPTIONS>;

/** A stats op being calibrated. */
interface StatsTarget {
  readonly op: Operation;
  readonly tensor: Tensor;
  readonly obs: TensorObserver;
}

/** A float variable state constant being calibrated. */
interface StateTarget {
  readonly value: Value;
  readonly tensor: Tensor;
  readonly obs: MinMaxObserver;
  /** Copy of the state before the current invoke (for LSTM observers). */
  before: Float32Array;
}

/** A resource variable being calibrated: everything read from or assigned to it. */
interface VariableTarget {
  readonly pending: PendingVariable;
  readonly tensors: readonly Tensor[];
  readonly obs: TensorObserver;
}

interface LstmTarget {
  readonly observer: LstmObserver;
  readonly operands: readonly (Tensor | undefined)[];
  readonly h: StateTarget;
  readonly c: StateTarget;
}

/** The name a diagnostic lists a tensor by. */
function tensorName(loc: Location, fallback: string): string {
  return locName(loc) ?? (describeLoc(loc) === '<unknown>' ? fallback : describeLoc(loc));
}

/** A compact number for messages. */
function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}

function fmtRange(r: Range): string {
  return `[${fmt(r.min)}, ${fmt(r.max)}]`;
}

/** The registered kernels, plus the quant dialect's when the driver has not registered them. */
function kernelsWithStats(): KernelRegistry {
  const base = registeredKernels();
  if (quantKernels.every((k) => base.has(k.op))) return base;
  const m = new Map<string, KernelDef>(base);
  for (const k of quantKernels) if (!m.has(k.op)) m.set(k.op, k);
  return m;
}

function statsOpsOf(func: Operation): Operation[] {
  const out: Operation[] = [];
  for (const op of walkPreOrder(func)) if (op.name === STATS_OP) out.push(op);
  return out;
}

function chooseEntry(module: Operation, name: string): Operation | undefined {
  const funcs = moduleFuncs(module);
  if (name) return funcs.find((f) => funcName(f) === name);
  return funcs.find((f) => funcName(f) === 'main') ?? funcs[0];
}

/** Validates the method options; returns an error message or the options. */
function methodOptions(o: Options): MethodOptions | string {
  if (o.bits !== 8 && o.bits !== 16) return `bits must be 8 or 16, got ${o.bits}`;
  if (!(o.percentile > 50 && o.percentile <= 100)) return `percentile must be in (50, 100], got ${o.percentile}`;
  if (!(o['num-bins'] >= 8)) return `num-bins must be at least 8, got ${o['num-bins']}`;
  if (!(o['averaging-constant'] > 0 && o['averaging-constant'] <= 1))
    return `averaging-constant must be in (0, 1], got ${o['averaging-constant']}`;
  return {
    method: o.method as CalibrationMethod,
    averagingConstant: o['averaging-constant'],
    numBins: o['num-bins'],
    percentile: o.percentile,
    bits: o.bits,
  };
}

function defaultRange(o: Options): Range | undefined | string {
  const d = o['default-range'];
  if (d.length === 0) return undefined;
  const [a, b] = d.map(Number);
  if (d.length !== 2 || !Number.isFinite(a) || !Number.isFinite(b) || a! > b!) return `default-range must be 'min,max' with min <= max, got '${d.join(',')}'`;
  return { min: a!, max: b! };
}

/** A progress bar on the driver's stderr when it is a terminal. */
function progressBar(io: QoptIO | undefined, total: number): cliProgress.SingleBar | undefined {
  if (!io?.isTTY || total <= 1) return undefined;
  const stream = {
    isTTY: true,
    columns: process.stderr.columns,
    write(s: string): boolean {
      io.stderr(s);
      return true;
    },
  };
  const bar = new cliProgress.SingleBar(
    { stream: stream as unknown as NodeJS.WritableStream, format: 'calibrate [{bar}] {value}/{total} samples | {duration_formatted}' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

function isFloatTensor(t: Tensor): boolean {
  return t.dtype === 'f32' || t.dtype === 'f64';
}

/** Whether operand `i` of `op` is variable state: a stateful operand, or a `tfl.is_variable` constant. */
function isVariableOperand(op: Operation, i: number): boolean {
  const def = op.operand(i).definingOp;
  if (!def || !(getOpDef(def.name)?.traits.includes('ConstantLike') ?? false)) return false;
  return def.attr(IS_VARIABLE) !== undefined || (getOpDef(op.name)?.statefulOperands?.includes(i) ?? false);
}

/**
 * The variable state tensors of the function with their initial contents. (Restored by hand before
 * each sample: Interpreter.reset() only knows variables declared by OpDef.statefulOperands.)
 */
function variables(entry: Operation, tensorOf: Map<Value, Tensor>): Map<Value, { tensor: Tensor; initial: Tensor['data'] }> {
  const out = new Map<Value, { tensor: Tensor; initial: Tensor['data'] }>();
  for (const op of entry.regions[0]?.blocks[0]?.ops() ?? [])
    op.operands.forEach((o, i) => {
      const t = tensorOf.get(o.value);
      if (t && !out.has(o.value) && isVariableOperand(op, i)) out.set(o.value, { tensor: t, initial: t.data.slice() });
    });
  return out;
}

/** The float variable states of the function's quantizable ops. */
function stateTargets(entry: Operation, tensorOf: Map<Value, Tensor>): Map<Value, StateTarget> {
  const out = new Map<Value, StateTarget>();
  for (const op of entry.regions[0]?.blocks[0]?.ops() ?? []) {
    if (!getOpDef(op.name)?.quant) continue;
    op.operands.forEach((o, i) => {
      const v = o.value;
      const el = elementType(v.type);
      const t = tensorOf.get(v);
      if (out.has(v) || !t || !(t.data instanceof Float32Array) || !isVariableOperand(op, i)) return;
      if (el.kind !== 'float' && el.kind !== 'quant.calibrated') return;
      out.set(v, { value: v, tensor: t, obs: new MinMaxObserver(), before: new Float32Array(t.data.length) });
    });
  }
  return out;
}

/** Runs the calibration of `entry`; returns undefined (after reporting an error) on failure. */
function runCalibration(
  entry: Operation,
  pending: readonly Operation[],
  pendingVars: readonly PendingVariable[],
  data: string,
  o: Options,
  mopts: MethodOptions,
  ctx: PassContext,
): { stats: StatsTarget[]; states: StateTarget[]; lstms: LstmTarget[]; variables: VariableTarget[]; samples: number } | undefined {
  const flavour = (ctx.flags.kernels as KernelFlavour | undefined) ?? 'tflite';
  const io = ctx.flags.io as QoptIO | undefined;
  let interp: Interpreter;
  try {
    interp = new Interpreter(entry, { kernels: kernelsWithStats(), flavour, keepAllTensors: true });
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    for (const d of e.diagnostics) ctx.emitError(d.loc, `quant-calibrate: cannot run @${funcName(entry)}: ${d.message}`);
    return undefined;
  }
  const path = isAbsolute(data) || !io ? data : resolve(io.cwd, data);
  let ds: Dataset;
  try {
    ds = loadDataset(path, interp.inputs, { scale: o['png-scale'], offset: o['png-offset'] });
  } catch (e) {
    ctx.emitError(entry.loc, `quant-calibrate: ${(e as Error).message}`);
    return undefined;
  }
  const count = o['max-samples'] > 0 ? Math.min(o['max-samples'], ds.count) : ds.count;
  if (count === 0) {
    ctx.emitError(entry.loc, `quant-calibrate: ${data}: the dataset has no samples`);
    return undefined;
  }
  const tensorOf = new Map<Value, Tensor>();
  for (const t of interp.tensors()) tensorOf.set(t.value, t.tensor);

  const stats: StatsTarget[] = [];
  for (const op of pending) {
    const t = tensorOf.get(op.result(0));
    if (t && isFloatTensor(t)) stats.push({ op, tensor: t, obs: new TensorObserver(mopts) });
  }
  const vars = variables(entry, tensorOf);
  const stateMap = o['state-ranges'] ? stateTargets(entry, tensorOf) : new Map<Value, StateTarget>();
  const lstms: LstmTarget[] = [];
  if (o['state-ranges'])
    for (const op of entry.regions[0]?.blocks[0]?.ops() ?? []) {
      if (!isObservableLstm(op)) continue;
      const h = stateMap.get(op.operand(LSTM_OUTPUT_STATE));
      const c = stateMap.get(op.operand(LSTM_CELL_STATE));
      if (!h || !c) continue;
      const operands = op.operands.map((x) => tensorOf.get(x.value));
      if (!operands[0] || !operands.every((t) => t === undefined || t.data instanceof Float32Array)) continue;
      lstms.push({ observer: new LstmObserver(op), operands, h, c });
    }
  const states = [...stateMap.values()];
  const variableTargets: VariableTarget[] = [];
  for (const p of pendingVars) {
    const tensors = p.values.map((v) => tensorOf.get(v)).filter((t): t is Tensor => t !== undefined && t.data instanceof Float32Array);
    if (tensors.length === 0) continue;
    variableTargets.push({ pending: p, tensors, obs: new TensorObserver(mopts) });
  }

  const bar = progressBar(io, count);
  /** What is being observed, for an error message. */
  let current: () => string = () => 'a variable state';
  let sample = 0;
  try {
    // Resource variables: their initial value(s), the constants assigned to them (initialisers).
    for (const vt of variableTargets) {
      current = () => `the initial value of the resource variable '${variableLabel(vt.pending.variable.key)}'`;
      for (const c of vt.pending.variable.constants) vt.obs.update(c);
    }
    for (sample = 0; sample < count; sample++) {
      if (!o['keep-state'] || sample === 0) {
        interp.reset();
        for (const { tensor, initial } of vars.values()) (tensor.data as { set(a: ArrayLike<number | bigint>): void }).set(initial as never);
      }
      current = () => 'a variable state';
      for (const st of states) {
        st.obs.update(st.tensor.data as Float32Array);
        if (lstms.length) st.before.set(st.tensor.data as Float32Array);
      }
      interp.run(ds.sample(sample));
      for (const s of stats) {
        current = () => tensorName(s.op.loc, 'a stats op');
        s.obs.update(s.tensor.data as ArrayLike<number>);
      }
      current = () => 'a variable state';
      for (const st of states) st.obs.update(st.tensor.data as Float32Array);
      for (const vt of variableTargets) {
        current = () => `the resource variable '${variableLabel(vt.pending.variable.key)}'`;
        for (const t of vt.tensors) vt.obs.update(t.data as Float32Array);
      }
      for (const l of lstms) {
        current = () => `the LSTM ${tensorName(l.observer.op.loc, '')}`;
        l.observer.observe(l.operands, l.h.before, l.c.before);
      }
      bar?.update(sample + 1);
    }
  } catch (e) {
    if (e instanceof NonFiniteValueError) {
      ctx.emitError(entry.loc, `quant-calibrate: sample ${sample} of ${data} gives a non-finite value (${e.value}) in ${current()}`);
      return undefined;
    }
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) ctx.emitError(d.loc, `quant-calibrate: sample ${sample} of ${data}: ${d.message}`);
      return undefined;
    }
    throw e;
  } finally {
    bar?.stop();
  }
  return { stats, states, lstms, variables: variableTargets, samples: count };
}

function calibratedTensorType(r: Range) {
  return tensorType([0], calibratedQuantType(f32(), Math.fround(r.min), Math.fround(r.max)));
}

function union(a: Range | undefined, b: Range | undefined): Range | undefined {
  if (!a) return b;
  if (!b) return a;
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/** Calibrates a module (the pass body). */
export function calibrateModule(module: Operation, ctx: PassContext, o: Options): PassResult {
  const funcs = moduleFuncs(module);
  const pending = new Map<Operation, Operation[]>();
  for (const f of funcs) {
    const p = statsOpsOf(f).filter((s) => s.attr(LAYER_STATS) === undefined);
    if (p.length) pending.set(f, p);
  }
  const entry = chooseEntry(module, o.entry);
  const pendingVars = entry && o['state-ranges'] ? pendingVariables(module, entry) : [];
  if (pending.size === 0 && pendingVars.length === 0) return { changed: false };
  const mopts = methodOptions(o);
  if (typeof mopts === 'string') {
    ctx.emitError(module.loc, `quant-calibrate: ${mopts}`);
    return { changed: false };
  }
  const dflt = defaultRange(o);
  if (typeof dflt === 'string') {
    ctx.emitError(module.loc, `quant-calibrate: ${dflt}`);
    return { changed: false };
  }
  const data = o.data || (ctx.flags.calibrationData as string | undefined);
  // Without data, resource variables alone are left without a range (quant-prepare keeps them float).
  if (!data && pending.size === 0) return { changed: false };
  if (!data) {
    ctx.emitError(module.loc, 'quant-calibrate: no calibration data (pass --calibration-data=FILE or data=FILE)');
    return { changed: false };
  }
  if (!entry) {
    ctx.emitError(module.loc, `quant-calibrate: no function${o.entry ? ` @${o.entry}` : ''} to run`);
    return { changed: false };
  }
  const b = new Builder();
  const run = runCalibration(entry, pending.get(entry) ?? [], pendingVars, data, o, mopts, ctx);
  if (!run) return { changed: false };

  // Stats ranges.
  const written: { op: Operation; range: Range; observed: Range }[] = [];
  for (const s of run.stats) {
    const r = s.obs.range();
    if (!r) continue;
    const observed = { min: s.obs.min, max: s.obs.max };
    b.modifyInPlace(s.op, () => {
      s.op.setAttr(LAYER_STATS, rangeAttr(r));
      s.op.setAttr(OBSERVED_ATTR, rangeAttr(observed));
      s.op.setAttr(METHOD_ATTR, stringAttr(mopts.method));
    });
    written.push({ op: s.op, range: r, observed });
  }

  // Variable states: union of the contents around each invoke and, for LSTMs, every time step.
  const stateRange = new Map<Value, Range | undefined>();
  for (const st of run.states) stateRange.set(st.value, st.obs.range());
  for (const l of run.lstms) {
    stateRange.set(l.h.value, union(stateRange.get(l.h.value), l.observer.outputState.range()));
    stateRange.set(l.c.value, union(stateRange.get(l.c.value), l.observer.cellState.range()));
  }
  let states = 0;
  for (const [v, r] of stateRange) {
    if (!r || elementType(v.type).kind !== 'float') continue;
    const def = v.definingOp!;
    b.modifyInPlace(def, () => {
      v.type = withElement(v.type, calibratedQuantType(f32(), Math.fround(r.min), Math.fround(r.max)));
    });
    states++;
  }
  // Resource variables: the range goes on every handle of the variable, in every function.
  let variableRanges = 0;
  for (const vt of run.variables) {
    const r = vt.obs.range();
    if (!r) continue;
    for (const h of vt.pending.variable.handles) b.modifyInPlace(h, () => h.setAttr(VARIABLE_RANGE, variableRangeAttr(r)));
    variableRanges++;
  }
  // LSTM intermediates.
  const names = LSTM_OPERAND_ROLES.intermediates;
  for (const l of run.lstms) {
    const op = l.observer.op;
    const set = (name: string, r: Range | undefined): void => {
      if (!r) return;
      const cur = op.attr(name);
      if (cur?.kind === 'type' && elementType(cur.value).kind !== 'float') return; // already has a range/quantization
      b.modifyInPlace(op, () => op.setAttr(name, typeAttr(calibratedTensorType(r))));
    };
    l.observer.gates.forEach((g, i) => set(names[i]!, g?.range()));
    set(names[4]!, l.observer.hidden.range());
  }

  // Stats ops still without a range.
  for (const [f, ops] of pending) {
    const missing = ops.filter((s) => s.attr(LAYER_STATS) === undefined);
    if (!missing.length) continue;
    const list = missing.map((s, i) => tensorName(s.loc, `<stats #${i}>`));
    if (dflt) {
      for (const s of missing)
        b.modifyInPlace(s, () => {
          s.setAttr(LAYER_STATS, rangeAttr(dflt));
          s.setAttr(METHOD_ATTR, stringAttr('default'));
        });
      ctx.emitRemark(f.loc, `quant-calibrate: ${missing.length} tensor(s) of @${funcName(f)} got default-range ${fmtRange(dflt)}: ${list.join(', ')}`);
    } else
      ctx.emitError(
        f.loc,
        `quant-calibrate: no range for ${missing.length} tensor(s) of @${funcName(f)} (give default-range=min,max to use a fixed one): ${list.join(', ')}`,
      );
  }

  // Report.
  const widest = [...written].sort((x, y) => y.range.max - y.range.min - (x.range.max - x.range.min)).slice(0, Math.max(0, o.report));
  for (const w of widest)
    ctx.emitRemark(
      w.op.loc,
      `quant-calibrate: ${tensorName(w.op.loc, 'tensor')}: ${fmtRange(w.range)}` +
        (mopts.method === 'minmax' ? '' : ` (observed ${fmtRange(w.observed)})`),
    );
  if (o.report > 0)
    ctx.emitRemark(
      module.loc,
      `quant-calibrate: ${written.length} range(s)${states ? `, ${states} state range(s)` : ''}${variableRanges ? `, ${variableRanges} variable range(s)` : ''} from ${run.samples} sample(s) of ${data} (${mopts.method})`,
    );
  return { changed: b.changed };
}

/** The pass. */
export const quantCalibratePass = definePass({
  name: 'quant-calibrate',
  summary: 'Run the float model on calibration data and record tensor ranges in quantfork.stats',
  description:
    'Runs the entry function in the interpreter once per sample of the calibration dataset (--calibration-data or data=; state ' +
    'reset per sample unless keep-state) and writes layerStats = [min, max] on every quantfork.stats op without one, from its ' +
    'operand: method=minmax (default), moving-average (averaging-constant), or from an adaptive histogram (num-bins) ' +
    'percentile (percentile), mse or kl for bits=8|16. Also records qopt.observed (raw min/max), float variable-state ranges ' +
    '(as !quant.calibrated types), LSTM intermediates, and the range of each resource variable the entry reads or assigns ' +
    '(its initial value, what it is assigned and read) as qopt.variable_range on its tfl.var_handle ops (state-ranges). Stats ops left without data are an error unless ' +
    'default-range=min,max. Needs no data when every stats op already has a range.',
  anchor: 'builtin.module',
  options: OPTIONS,
  run(op, ctx, o) {
    return calibrateModule(op, ctx, o);
  },
});
