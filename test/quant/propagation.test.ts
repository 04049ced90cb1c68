/**
 * The quantization driver, phase by phase (passes/lib/quant/driver.ts): range collection, plans,
 * same-scale propagation to a fixed point (forwards, backwards, requantize on conflicts, constants
 * following their group, fixed outputs, unions), resolution of every type (derived bias scales,
 * per-channel weights, missing ranges), and the kernel check.
 */
import { describe, expect, it } from 'vitest';
import { Builder } from '../../src/ir/builder.js';
import type { Operation } from '../../src/ir/operation.js';
import { elementType, f32 } from '../../src/ir/type.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { findFunc } from '../../dialects/builtin/index.js';
import { registerAll } from '../../tools/register.js';
import { type QuantConfig, type ResolvedOp, buildPlans, isDenylisted, propagate, resolvePlan } from '../../passes/lib/quant/driver.js';
import { checkKernel } from '../../passes/lib/quant/kernel-check.js';
import { activationType } from '../../passes/lib/quant/math.js';
import { collectRanges } from '../../passes/lib/quant/ranges.js';

registerAll();

const BASE: QuantConfig = {
  mode: 'int8',
  perChannel: true,
  perChannelFc: false,
  biasType: 'int64',
  recordBiasType: true,
  ioType: 'float',
  denylist: [],
  flavour: 'tflite',
  checkKernels: true,
};

function setup(src: string, cfg: Partial<QuantConfig> = {}) {
  const m = parseSource(`module {\n${src}\n}`, 't.mlir');
  const f = findFunc(m, 'f')!;
  const ranges = collectRanges(f, new Builder());
  const config = { ...BASE, ...cfg };
  const { plans, floats } = buildPlans(f, config, new Map());
  const st = propagate(plans, ranges);
  const opNamed = (name: string, k = 0): Operation => plans.map((p) => p.op).filter((o) => o.name === name)[k] ?? f.regions[0]!.blocks[0]!.opsArray().filter((o) => o.name === name)[k]!;
  return { m, f, ranges, plans, floats, st, opNamed, config };
}

const stats = (v: string, lo: number, hi: number, t: string, out: string): string =>
  `    ${out} = "quantfork.stats"(${v}) {layerStats = dense<[${lo}, ${hi}]> : tensor<2xf32>} : (${t}) -> ${t}`;

describe('phase 1: ranges', () => {
  it('reads stats ops (merging several on one value) and removes them', () => {
    const { f, ranges } = setup(`  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
${stats('%arg0', -1, 1, 'tensor<4xf32>', '%0')}
${stats('%0', -2, 0.5, 'tensor<4xf32>', '%1')}
    %2 = "tfl.relu"(%1) : (tensor<4xf32>) -> tensor<4xf32>
    return %2 : tensor<4xf32>
  }`);
    const arg = f.regions[0]!.blocks[0]!.args[0]!;
    expect(ranges.values.get(arg)).toEqual([-2, 1]);
    expect(printOp(f)).not.toContain('quantfork.stats');
  });

  it('strips calibrated types (arguments, results, variables) and records them; updates the signature', () => {
    const { f, ranges } = setup(`  func.func @f(%arg0: tensor<4x!quant.calibrated<f32<-1.0:3.0>>>) -> tensor<4x!quant.calibrated<f32<0.0:3.0>>> {
    %0 = "tfl.relu"(%arg0) : (tensor<4x!quant.calibrated<f32<-1.0:3.0>>>) -> tensor<4x!quant.calibrated<f32<0.0:3.0>>>
    return %0 : tensor<4x!quant.calibrated<f32<0.0:3.0>>>
  }`);
    const text = printOp(f);
    expect(text).not.toContain('calibrated');
    expect(text).toContain('func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32>');
    expect([...ranges.values.values()]).toEqual([
      [-1, 3],
      [0, 3],
    ]);
  });

  it('records calibrated LSTM intermediates and the ranges implied by existing quantize/dequantize ops', () => {
    const { ranges } = setup(`  func.func @f(%arg0: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4xf32> {
    %0 = "tfl.dequantize"(%arg0) : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4xf32>
    %1 = "tfl.relu"(%0) : (tensor<4xf32>) -> tensor<4xf32>
    return %1 : tensor<4xf32>
  }`);
    expect([...ranges.implied.values()]).toEqual([[0.5 * (-128 + 3), 0.5 * (127 + 3)]]);
  });
});

describe('phase 2: plans', () => {
  const src = `  func.func @f(%arg0: tensor<2x2xf32>, %w: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
    %c = "tfl.pseudo_const"() {value = dense<1.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
    %n = "tfl.no_value"() {value} : () -> none
    %0 = "tfl.div"(%arg0, %arg0) {fused_activation_function = "NONE"} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
    %1 = "tfl.log"(%arg0) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %2 = "tfl.rsqrt"(%arg0) : (tensor<2x2xf32>) -> tensor<2x2xf32>
    %3 = "tfl.fully_connected"(%arg0, %w, %n) {fused_activation_function = "NONE", keep_num_dims = true, weights_format = "DEFAULT"} : (tensor<2x2xf32>, tensor<2x2xf32>, none) -> tensor<2x2xf32>
    %4 = "tfl.relu"(%arg0) : (tensor<2x2xf32>) -> tensor<2x2xf32> loc("block1/relu")
    return %0, %1, %2, %3, %4 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
  }`;
  const reasons = (cfg: Partial<QuantConfig>): Record<string, string> => {
    const { floats } = setup(src, cfg);
    return Object.fromEntries(floats.map((x) => [x.op.name, x.reason]));
  };

  it('gives each op that cannot be quantized its reason', () => {
    const r = reasons({ mode: 'int16', denylist: ['block1'] });
    expect(r['tfl.div']).toBe('the op has no quantized form');
    expect(r['tfl.log']).toBe('the op has no 16x8 kernel');
    expect(r['tfl.rsqrt']).toBe('TFLite 2.12 has no int16 RSQRT kernel');
    expect(r['tfl.fully_connected']).toBe('its weights (operand #1) are not a constant');
    expect(r['tfl.relu']).toBe('denylisted');
  });

  it("TFLite's int16 gaps do not apply to the tflm flavour; int8 has none of them", () => {
    expect(reasons({ mode: 'int16', flavour: 'tflm' })['tfl.rsqrt']).toBeUndefined();
    const r8 = reasons({});
    expect(r8['tfl.log']).toBeUndefined();
    expect(r8['tfl.rsqrt']).toBeUndefined();
  });

  it('denylist entries match op names (with or without tfl.), locations and location prefixes', () => {
    const { f } = setup(src);
    const relu = f.regions[0]!.blocks[0]!.opsArray().find((o) => o.name === 'tfl.relu')!;
    expect(isDenylisted(relu, ['relu'])).toBe(true);
    expect(isDenylisted(relu, ['tfl.relu'])).toBe(true);
    expect(isDenylisted(relu, ['block1/relu'])).toBe(true);
    expect(isDenylisted(relu, ['block1'])).toBe(true);
    expect(isDenylisted(relu, ['block1/'])).toBe(true);
    expect(isDenylisted(relu, ['block'])).toBe(false);
    expect(isDenylisted(relu, ['tfl.relu6'])).toBe(false);
  });
});

describe('phase 3: propagation', () => {
  it('forwards through a long same-scale chain without stats, linearly and without recursion', () => {
    const n = 3000;
    const lines: string[] = [stats('%arg0', -1, 1, 'tensor<4xf32>', '%x')];
    lines.push('    %s = "tfl.pseudo_const"() {value = dense<4> : tensor<1xi32>} : () -> tensor<1xi32>');
    let prev = '%x';
    for (let i = 0; i < n; i++) {
      lines.push(`    %r${i} = "tfl.reshape"(${prev}, %s) : (tensor<4xf32>, tensor<1xi32>) -> tensor<4xf32>`);
      prev = `%r${i}`;
    }
    const { plans, st } = setup(`  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {\n${lines.join('\n')}\n    return ${prev} : tensor<4xf32>\n  }`);
    const want = activationType([-1, 1], 'int8');
    expect(plans).toHaveLength(n);
    for (const p of plans) expect(st.params.get(p.op.result(0))).toBe(want);
    expect(st.visits).toBeLessThanOrEqual(2 * n);
  });

  it('propagates backwards into a value without a range (its producer stays float)', () => {
    const { st, opNamed } = setup(`  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    %s = "tfl.pseudo_const"() {value = dense<4> : tensor<1xi32>} : () -> tensor<1xi32>
    %d = "tfl.div"(%arg0, %arg0) {fused_activation_function = "NONE"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %r = "tfl.reshape"(%d, %s) : (tensor<4xf32>, tensor<1xi32>) -> tensor<4xf32>
${stats('%r', -3, 3, 'tensor<4xf32>', '%rs')}
    return %rs : tensor<4xf32>
  }`);
    expect(st.params.get(opNamed('tfl.div').result(0))).toBe(activationType([-3, 3], 'int8'));
  });

  it('a concatenation keeps its output parameters; an input with other parameters gets a per-use type', () => {
    const { st, opNamed } = setup(`  func.func @f(%arg0: tensor<2xf32>, %arg1: tensor<2xf32>) -> tensor<4xf32> {
${stats('%arg0', -1, 1, 'tensor<2xf32>', '%a')}
${stats('%arg1', -4, 4, 'tensor<2xf32>', '%b')}
    %c = "tfl.concatenation"(%a, %b) {axis = 0 : i32, fused_activation_function = "NONE"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
${stats('%c', -4, 4, 'tensor<4xf32>', '%cs')}
    return %cs : tensor<4xf32>
  }`);
    const cat = opNamed('tfl.concatenation');
    const out = activationType([-4, 4], 'int8');
    expect(st.params.get(cat.result(0))).toBe(out);
    expect(st.useParams.get(cat.operands[0]!)).toBe(out); // requantize [-1, 1] -> [-4, 4]
    expect(st.useParams.has(cat.operands[1]!)).toBe(false); // same parameters already
    expect(st.params.get(cat.operand(0))).toBe(activationType([-1, 1], 'int8')); // the value itself is unchanged
  });

  it('without an output range a concatenation takes the union of its inputs', () => {
    const { st, opNamed } = setup(`  func.func @f(%arg0: tensor<2xf32>, %arg1: tensor<2xf32>) -> tensor<4xf32> {
${stats('%arg0', -1, 0.5, 'tensor<2xf32>', '%a')}
${stats('%arg1', -0.25, 3, 'tensor<2xf32>', '%b')}
    %c = "tfl.concatenation"(%a, %b) {axis = 0 : i32, fused_activation_function = "NONE"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
    return %c : tensor<4xf32>
  }`);
    const t = st.params.get(opNamed('tfl.concatenation').result(0))!;
    expect(t.kind).toBe('quant.uniform');
    if (t.kind === 'quant.uniform') {
      expect(t.scale * (t.storageMin - t.zeroPoint)).toBeLessThanOrEqual(-1 + 1e-6);
      expect(t.scale * (t.storageMax - t.zeroPoint)).toBeGreaterThanOrEqual(3 - 0.02);
    }
  });

  it('fixed outputs are immutable and flow on through same-scale ops; constants follow their group', () => {
    const { st, opNamed, config } = setup(`  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
${stats('%arg0', -8, 8, 'tensor<4xf32>', '%x')}
    %l = "tfl.logistic"(%x) : (tensor<4xf32>) -> tensor<4xf32>
${stats('%l', 0.1, 0.3, 'tensor<4xf32>', '%ls')}
    %k = "tfl.pseudo_const"() {value = dense<0.75> : tensor<1xf32>} : () -> tensor<1xf32>
    %m = "tfl.minimum"(%ls, %k) : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
    return %m : tensor<4xf32>
  }`);
    void config;
    const l = opNamed('tfl.logistic').result(0);
    const t = st.params.get(l)!;
    expect(t.kind === 'quant.uniform' && t.scale === 1 / 256 && t.zeroPoint === -128).toBe(true);
    expect(st.immutable.has(l)).toBe(true);
    const min = opNamed('tfl.minimum');
    expect(st.params.get(min.result(0))).toBe(t);
    expect(st.useParams.get(min.operands[1]!)).toBe(t); // the constant 0.75 is quantized with 1/256 : -128
  });

  it('a same-scale op over a constant only takes the constant\'s data range', () => {
    const { st, opNamed } = setup(`  func.func @f() -> tensor<4xf32> {
    %c = "tfl.pseudo_const"() {value = dense<[[-2.0, 1.0], [0.5, 3.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
    %s = "tfl.pseudo_const"() {value = dense<4> : tensor<1xi32>} : () -> tensor<1xi32>
    %r = "tfl.reshape"(%c, %s) : (tensor<2x2xf32>, tensor<1xi32>) -> tensor<4xf32>
    return %r : tensor<4xf32>
  }`);
    const r = opNamed('tfl.reshape');
    expect(st.params.get(r.result(0))).toBe(activationType([-2, 3], 'int8'));
    expect(st.useParams.get(r.operands[0]!)).toBe(activationType([-2, 3], 'int8'));
  });

  it("an LSTM's activation state takes the output's parameters, computed over the union of both ranges", () => {
    const { st, opNamed } = setup(lstmSource(), {});
    const lstm = opNamed('tfl.unidirectional_sequence_lstm');
    // Union of [-0.5, 0.8] (output) and [-0.9, 0.4] (state); symmetric int8 without a projection.
    const want = activationType([-0.9, 0.8], 'int8', undefined, true);
    expect(want.zeroPoint).toBe(0);
    expect(st.params.get(lstm.result(0))).toBe(want);
    expect(st.useParams.get(lstm.operands[18]!)).toBe(want);
  });
});

describe('phase 4: resolution', () => {
  it('derives per-channel bias scales s_in * s_w[c] and records quantized_bias_type', () => {
    const { plans, st, ranges } = setup(`  func.func @f(%arg0: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
${stats('%arg0', -1, 1, 'tensor<1x1x1x2xf32>', '%x')}
    %w = "tfl.pseudo_const"() {value = dense<[[[[0.5, 0.5]]], [[[-2.0, 1.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.25, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.conv_2d"(%x, %w, %b) {dilation_h_factor = 1 : i32, dilation_w_factor = 1 : i32, fused_activation_function = "NONE", padding = "VALID", stride_h = 1 : i32, stride_w = 1 : i32} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x1x1x2xf32>
${stats('%0', -3, 3, 'tensor<1x1x1x2xf32>', '%s')}
    return %s : tensor<1x1x1x2xf32>
  }`);
    const r = resolvePlan(plans[0]!, st, ranges) as ResolvedOp;
    expect('error' in r).toBe(false);
    const sIn = activationType([-1, 1], 'int8').scale;
    const w = r.operandTypes[1]!;
    const b = r.operandTypes[2]!;
    expect(w.kind).toBe('quant.uniform_per_axis');
    expect(b.kind).toBe('quant.uniform_per_axis');
    if (w.kind === 'quant.uniform_per_axis' && b.kind === 'quant.uniform_per_axis') {
      expect(w.scales).toEqual([Math.fround(0.5 / 127), Math.fround(2 / 127)]);
      expect(b.scales).toEqual(w.scales.map((s) => Math.fround(sIn * s)));
      expect(b.storage.width).toBe(32);
    }
    expect(r.attrs.quantized_bias_type).toMatchObject({ kind: 'string', value: 'INT32' });
  });

  it('fails an op whose activation has no range, and a state without a range', () => {
    const { plans, st, ranges } = setup(`  func.func @f(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    %0 = "tfl.relu"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
    return %0 : tensor<4xf32>
  }`);
    expect(resolvePlan(plans[0]!, st, ranges)).toEqual({ error: 'no range for operand #0 (a function argument)' });
  });

  it('16x8: int64 biases, int16 activations; the kernel check accepts the result', () => {
    const { plans, st, ranges } = setup(
      `  func.func @f(%arg0: tensor<1x2xf32>) -> tensor<1x2xf32> {
${stats('%arg0', -1, 1, 'tensor<1x2xf32>', '%x')}
    %w = "tfl.pseudo_const"() {value = dense<[[0.5, 0.5], [-2.0, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
    %b = "tfl.pseudo_const"() {value = dense<[0.25, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
    %0 = "tfl.fully_connected"(%x, %w, %b) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
${stats('%0', -3, 3, 'tensor<1x2xf32>', '%s')}
    return %s : tensor<1x2xf32>
  }`,
      { mode: 'int16' },
    );
    const r = resolvePlan(plans[0]!, st, ranges) as ResolvedOp;
    expect(r.operandTypes[0]!.storage.width).toBe(16);
    expect(r.operandTypes[2]!.storage.width).toBe(64);
    expect(r.resultTypes[0]!.storage.width).toBe(16);
    expect(checkKernel(r, 'tflite')).toEqual({ ok: true });
  });
});

describe('phase 5: kernel check', () => {
  it('rejects a combination the kernel refuses (16x8 logistic of a huge input range) but not the same op in float', () => {
    // int16 logistic/tanh need scale * 4096 * 3 <= 32767: ranges beyond about ±87,000 have no kernel.
    const { plans, st, ranges } = setup(
      `  func.func @f(%arg0: tensor<2xf32>) -> tensor<2xf32> {
${stats('%arg0', -1e5, 1e5, 'tensor<2xf32>', '%a')}
    %l = "tfl.logistic"(%a) : (tensor<2xf32>) -> tensor<2xf32>
    return %l : tensor<2xf32>
  }`,
      { mode: 'int16' },
    );
    const r = resolvePlan(plans[0]!, st, ranges) as ResolvedOp;
    const c = checkKernel(r, 'tflite');
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.reason).toMatch(/input scale too large/);
  });

  it('cannot judge an op whose float form the kernel rejects too: quantized unchecked', () => {
    // An SVDF whose state size does not match its weights (like TFLite's quantizer test model).
    const { plans, st, ranges } = setup(`  func.func @f(%arg0: tensor<1x4xf32>) -> tensor<1x2xf32> {
${stats('%arg0', -1, 1, 'tensor<1x4xf32>', '%x')}
    %wf = "tfl.pseudo_const"() {value = dense<0.5> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
    %wt = "tfl.pseudo_const"() {value = dense<0.25> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
    %b = "tfl.pseudo_const"() {value = dense<0.1> : tensor<2xf32>} : () -> tensor<2xf32>
    %st = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x5xf32>} : () -> tensor<1x5x!quant.calibrated<f32<-2.0:2.0>>>
    %0 = "tfl.svdf"(%x, %wf, %wt, %b, %st) {fused_activation_function = "RELU", rank = 1 : i32} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2x3xf32>, tensor<2xf32>, tensor<1x5x!quant.calibrated<f32<-2.0:2.0>>>) -> tensor<1x2xf32>
${stats('%0', 0, 3, 'tensor<1x2xf32>', '%s')}
    return %s : tensor<1x2xf32>
  }`);
    const r = resolvePlan(plans[0]!, st, ranges) as ResolvedOp;
    expect('error' in r).toBe(false);
    expect(r.operandTypes[4]!.storage.width).toBe(16); // int16 state
    expect(r.operandTypes[2]!.storage.width).toBe(16); // 10-bit time weights, stored int16
    const c = checkKernel(r, 'tflite');
    expect(c.ok).toBe(true);
    expect(c.ok && c.note).toMatch(/float kernel rejects this op too/);
  });
});

/** A 1-unit LSTM (input 1, 2 steps) with calibrated output and state ranges. */
function lstmSource(): string {
  const w = '"tfl.pseudo_const"() {value = dense<0.5> : tensor<1x1xf32>} : () -> tensor<1x1xf32>';
  const b = '"tfl.pseudo_const"() {value = dense<0.1> : tensor<1xf32>} : () -> tensor<1xf32>';
  return `  func.func @f(%arg0: tensor<1x2x1xf32>) -> tensor<1x2x1xf32> {
${stats('%arg0', -1, 1, 'tensor<1x2x1xf32>', '%x')}
    %w = ${w}
    %b = ${b}
    %n = "tfl.no_value"() {value} : () -> none
    %h = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1x!quant.calibrated<f32<-0.9:0.4>>>
    %c = "tfl.pseudo_const"() {tfl.is_variable, value = dense<0.0> : tensor<1x1xf32>} : () -> tensor<1x1x!quant.calibrated<f32<-1.5:1.5>>>
    %0 = "tfl.unidirectional_sequence_lstm"(%x, %w, %w, %w, %w, %w, %w, %w, %w, %n, %n, %n, %b, %b, %b, %b, %n, %n, %h, %c, %n, %n, %n, %n) {cell_clip = 0.0 : f32, fused_activation_function = "TANH", proj_clip = 0.0 : f32, time_major = false} : (tensor<1x2x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>, none, none, none, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, none, none, tensor<1x1x!quant.calibrated<f32<-0.9:0.4>>>, tensor<1x1x!quant.calibrated<f32<-1.5:1.5>>>, none, none, none, none) -> tensor<1x2x1xf32>
${stats('%0', -0.5, 0.8, 'tensor<1x2x1xf32>', '%s')}
    return %s : tensor<1x2x1xf32>
  }`;
}

export { lstmSource };
void f32;
void elementType;
