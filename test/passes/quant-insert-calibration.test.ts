// quant-insert-calibration: which values get a quantfork.stats op (the rules of
// passes/lib/calibration/points.ts), that uses are routed through it, and idempotence.
import { beforeAll, describe, expect, it } from 'vitest';
import { StatisticsOp } from '../../dialects/quant/ops.js';
import { STATS_OP, statsOpOf, valueRange } from '../../passes/lib/calibration/contract.js';
import { passThroughSource, rangePointSkipReason } from '../../passes/lib/calibration/points.js';
import { quantInsertCalibrationPass } from '../../passes/quant-insert-calibration.js';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';
import { locName } from '../../src/ir/location.js';
import type { Operation } from '../../src/ir/operation.js';
import { walkPreOrder } from '../../src/ir/walk.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { registerPass } from '../../src/pass/registry.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { registerAll } from '../../tools/register.js';

beforeAll(() => {
  registerAll();
  registerPass(quantInsertCalibrationPass);
  // Stats ops without a range exist between quant-insert-calibration and quant-calibrate; until
  // dialects/quant/ops.ts declares layerStats optional, make it so here (a no-op once it does).
  const spec = StatisticsOp.attrs.layerStats as { optional?: boolean };
  if (!spec.optional) spec.optional = true;
});

function run(src: string): Operation {
  const m = parseSource(src, 'in.mlir');
  const r = PassManager.fromPipeline('func.func(quant-insert-calibration)').run(m);
  expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
  expect(r.ok).toBe(true);
  return m;
}

/** Location names of the values that got a stats op, in order. */
function statsNames(m: Operation): string[] {
  const out: string[] = [];
  for (const op of walkPreOrder(m)) if (op.name === STATS_OP) out.push(locName(op.loc) ?? '?');
  return out;
}

const FC = `{fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"}`;

const MODEL = `
func.func @main(%arg0: tensor<1x4xf32> loc("in"), %arg1: tensor<1x4x!quant.calibrated<f32<-1.0:1.0>>> loc("calibrated_in")) -> (tensor<1x2x2xf32>, tensor<1x8xf32>, tensor<2xi32>, tensor<1x2x2xf32>, tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x6xf32>) {
  %w = "tfl.pseudo_const"() {value = dense<0.5> : tensor<4x4xf32>} : () -> tensor<4x4xf32> loc("w")
  %b = "tfl.pseudo_const"() {value = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32> loc("b")
  %shape = "tfl.pseudo_const"() {value = dense<[1, 2, 2]> : tensor<3xi32>} : () -> tensor<3xi32> loc("shape")
  %fc = "tfl.fully_connected"(%arg0, %w, %b) ${FC} : (tensor<1x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<1x4xf32> loc("fc")
  %sig = "tfl.logistic"(%fc) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("sigmoid")
  %r1 = "tfl.reshape"(%fc, %shape) : (tensor<1x4xf32>, tensor<3xi32>) -> tensor<1x2x2xf32> loc("reshape_fc")
  %cat = "tfl.concatenation"(%fc, %sig) {axis = 1 : i32, fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32> loc("concat")
  %sh = "tfl.shape"(%fc) : (tensor<1x4xf32>) -> tensor<2xi32> loc("shape_of")
  %div = "tfl.div"(%arg0, %fc) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32> loc("div")
  %r2 = "tfl.reshape"(%div, %shape) : (tensor<1x4xf32>, tensor<3xi32>) -> tensor<1x2x2xf32> loc("reshape_div")
  %add = "tfl.add"(%arg1, %arg1) {fused_activation_function = "NONE"} : (tensor<1x4x!quant.calibrated<f32<-1.0:1.0>>>, tensor<1x4x!quant.calibrated<f32<-1.0:1.0>>>) -> tensor<1x4xf32> loc("add")
  %relu = "tfl.relu"(%add) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("relu")
  %pads = "tfl.pseudo_const"() {value = dense<[[0, 0], [1, 1]]> : tensor<2x2xi32>} : () -> tensor<2x2xi32> loc("pads")
  %pv = "tfl.pseudo_const"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32> loc("pad_value")
  %pad = "tfl.padv2"(%relu, %pads, %pv) : (tensor<1x4xf32>, tensor<2x2xi32>, tensor<f32>) -> tensor<1x6xf32> loc("padv2")
  return %r1, %cat, %sh, %r2, %sig, %relu, %pad : tensor<1x2x2xf32>, tensor<1x8xf32>, tensor<2xi32>, tensor<1x2x2xf32>, tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x6xf32>
}`;

describe('quant-insert-calibration', () => {
  it('puts stats on arguments and quantizable results, following the rules', () => {
    const m = run(MODEL);
    // in: argument; fc: affine op; concat: two sources; reshape_div: its source (div) is never
    // quantized; add, relu: activation ops. Not: the calibrated argument, constants, sigmoid
    // (fixed range), reshape_fc (shares fc's point), shape_of (integers), div (no quant spec),
    // padv2 (one non-constant source: relu).
    expect(statsNames(m)).toEqual(['in', 'fc', 'concat', 'reshape_div', 'add', 'relu']);
  });

  it('routes every use through the stats op', () => {
    const m = run(MODEL);
    for (const op of walkPreOrder(m)) {
      if (op.name !== STATS_OP) continue;
      const v = op.operand(0);
      expect([...v.uses].map((u) => u.owner)).toEqual([op]);
      expect(op.result(0).type).toBe(v.type);
      expect(op.attr('layerStats')).toBeUndefined();
    }
    const text = printOp(m);
    expect(text).toMatch(/%(\w+) = "quantfork\.stats"\(%arg0\)[\s\S]*"tfl\.fully_connected"\(%\1,/);
  });

  it('is idempotent', () => {
    const m = run(MODEL);
    const once = printOp(m);
    const r = PassManager.fromPipeline('func.func(quant-insert-calibration)').run(m);
    expect(r.ok).toBe(true);
    expect(r.changed).toBe(false);
    expect(printOp(m)).toBe(once);
  });

  it('explains skipped values and finds pass-through sources', () => {
    const m = parseSource(MODEL, 'in.mlir');
    const byName = new Map<string, Operation>();
    for (const op of walkPreOrder(m)) {
      const n = locName(op.loc);
      if (n) byName.set(n, op);
    }
    const reason = (n: string): string | undefined => rangePointSkipReason(byName.get(n)!.result(0));
    expect(reason('w')).toBe('constant');
    expect(reason('sigmoid')).toBe('fixed output range');
    expect(reason('reshape_fc')).toBe("shares its same-scale source's point");
    expect(reason('shape_of')).toBe('not an f32 tensor');
    expect(reason('div')).toBe('op is never quantized');
    expect(reason('padv2')).toBe("shares its same-scale source's point");
    expect(reason('fc')).toBeUndefined();
    expect(passThroughSource(byName.get('reshape_fc')!.result(0))).toBe(byName.get('fc')!.result(0));
    expect(passThroughSource(byName.get('concat')!.result(0))).toBeUndefined();
  });

  it('leaves values that already have a range alone', () => {
    const src = `
func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "quantfork.stats"(%arg0) {layerStats = dense<[-1.0, 1.0]> : tensor<2xf32>} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "tfl.relu"(%0) : (tensor<4xf32>) -> tensor<4xf32> loc("relu")
  %2 = "quantfork.stats"(%1) {layerStats = dense<[0.0, 1.0]> : tensor<2xf32>} : (tensor<4xf32>) -> tensor<4xf32>
  %q = "tfl.pseudo_qconst"() {qtype = tensor<4x!quant.uniform<i8:f32, 0.1>>, value = dense<1> : tensor<4xi8>} : () -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  %3 = "tfl.dequantize"(%q) : (tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4xf32> loc("dq")
  %4 = "tfl.add"(%2, %3) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> loc("add")
  return %4 : tensor<4xf32>
}`;
    const m = run(src);
    expect(statsNames(m).filter((n) => n !== '?')).toEqual(['add']);
    const stats = [...walkPreOrder(m)].filter((op) => op.name === STATS_OP);
    expect(stats).toHaveLength(3);
    expect(valueRange(stats[0]!.result(0))).toEqual({ min: -1, max: 1 });
  });

  it('gives LSTM outputs a point but never the variable state', () => {
    const m = run(LSTM_MODEL);
    expect(statsNames(m)).toEqual(['x', 'lstm']);
    for (const op of walkPreOrder(m))
      if (op.name === 'tfl.unidirectional_sequence_lstm') {
        expect(op.operand(18).definingOp?.name).toBe('tfl.pseudo_const');
        expect(op.operand(19).definingOp?.name).toBe('tfl.pseudo_const');
        expect(statsOpOf(op.operand(0))?.name).toBe(STATS_OP);
      }
  });
});

/** A 1-unit LSTM over 2 steps of 1 feature (all weights 0.5). */
const LSTM_MODEL = `
func.func @main(%arg0: tensor<1x2x1xf32> loc("x")) -> tensor<1x2x1xf32> {
  %w = "tfl.pseudo_const"() {value = dense<0.5> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %b = "tfl.pseudo_const"() {value = dense<0.5> : tensor<1xf32>} : () -> tensor<1xf32>
  %none = "tfl.no_value"() {value} : () -> none
  %h = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32> loc("h")
  %c = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32> loc("c")
  %0 = "tfl.unidirectional_sequence_lstm"(%arg0, %w, %w, %w, %w, %w, %w, %w, %w, %none, %none, %none, %b, %b, %b, %b, %none, %none, %h, %c, %none, %none, %none, %none) {cell_clip = 0.0 : f32, fused_activation_function = "TANH", proj_clip = 0.0 : f32, time_major = false} : (tensor<1x2x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, none, none, none, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, none, none, tensor<1x1xf32>, tensor<1x1xf32>, none, none, none, none) -> tensor<1x2x1xf32> loc("lstm")
  return %0 : tensor<1x2x1xf32>
}`;
