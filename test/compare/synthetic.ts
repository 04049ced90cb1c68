// A small float model (FC+RELU, FC, SOFTMAX) and hand-quantized int8 and 16x8 versions of it
// as MLIR text, with converter-like names (fused `a;b;c`, float I/O through QUANTIZE and
// DEQUANTIZE, renamed tensors), plus a seeded dataset, for compare tests that need no corpus.
import { rng } from '../support/corpus.js';

export const IN = 8;
export const HIDDEN = 16;
export const OUT = 4;

/** Seeded weights, biases and samples. */
export function synthetic(samples = 32, seed = 7) {
  const r = rng(seed);
  const u = (a: number): number => (r() * 2 - 1) * a;
  const w1 = Array.from({ length: HIDDEN }, () => Array.from({ length: IN }, () => u(0.8)));
  const b1 = Array.from({ length: HIDDEN }, () => u(0.2));
  const w2 = Array.from({ length: OUT }, () => Array.from({ length: HIDDEN }, () => u(0.7)));
  const b2 = Array.from({ length: OUT }, () => u(0.1));
  const xs = Array.from({ length: samples }, () => Array.from({ length: IN }, () => u(1)));
  return { w1, b1, w2, b2, xs };
}

type Params = ReturnType<typeof synthetic>;

function forward(p: Params, x: number[]): { h: number[]; logits: number[]; probs: number[] } {
  const h = p.w1.map((row, j) => Math.max(0, row.reduce((s, w, i) => s + w * x[i]!, p.b1[j]!)));
  const logits = p.w2.map((row, j) => row.reduce((s, w, i) => s + w * h[i]!, p.b2[j]!));
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return { h, logits, probs: e.map((v) => v / z) };
}

const f = (x: number): string => (x === 0 ? '0.0' : x.toExponential(8));
const dense = (rows: number[][]): string => `[${rows.map((r) => `[${r.map(f).join(', ')}]`).join(', ')}]`;
const denseI = (rows: number[][]): string => `[${rows.map((r) => `[${r.join(', ')}]`).join(', ')}]`;

/** The float model. Names as a TF export might give them. */
export function floatModel(p: Params): string {
  return `func.func @main(%arg0: tensor<1x${IN}xf32> loc("serving_default_x:0")) -> tensor<1x${OUT}xf32> {
  %w1 = "tfl.pseudo_const"() {value = dense<${dense(p.w1)}> : tensor<${HIDDEN}x${IN}xf32>} : () -> tensor<${HIDDEN}x${IN}xf32> loc("dense/MatMul")
  %b1 = "tfl.pseudo_const"() {value = dense<[${p.b1.map(f).join(', ')}]> : tensor<${HIDDEN}xf32>} : () -> tensor<${HIDDEN}xf32> loc("dense/BiasAdd/ReadVariableOp")
  %h = "tfl.fully_connected"(%arg0, %w1, %b1) {fused_activation_function = "RELU", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x${IN}xf32>, tensor<${HIDDEN}x${IN}xf32>, tensor<${HIDDEN}xf32>) -> tensor<1x${HIDDEN}xf32> loc("dense/Relu")
  %w2 = "tfl.pseudo_const"() {value = dense<${dense(p.w2)}> : tensor<${OUT}x${HIDDEN}xf32>} : () -> tensor<${OUT}x${HIDDEN}xf32> loc("logits/MatMul")
  %b2 = "tfl.pseudo_const"() {value = dense<[${p.b2.map(f).join(', ')}]> : tensor<${OUT}xf32>} : () -> tensor<${OUT}xf32> loc("logits/BiasAdd/ReadVariableOp")
  %l = "tfl.fully_connected"(%h, %w2, %b2) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (tensor<1x${HIDDEN}xf32>, tensor<${OUT}x${HIDDEN}xf32>, tensor<${OUT}xf32>) -> tensor<1x${OUT}xf32> loc("logits")
  %p = "tfl.softmax"(%l) {beta = 1.0 : f32} : (tensor<1x${OUT}xf32>) -> tensor<1x${OUT}xf32> loc("Identity:0")
  return %p : tensor<1x${OUT}xf32>
}
`;
}

/**
 * A quantized version: float input and output through tfl.quantize / tfl.dequantize, per-channel
 * int8 weights, activations of `bits` (8: asymmetric int8; 16: symmetric int16), scales from the
 * float activation ranges on the dataset (shrunk by `squeeze` to provoke clipping).
 */
export function quantizedModel(p: Params, bits: 8 | 16, squeeze = 1): string {
  const runs = p.xs.map((x) => forward(p, x));
  const range = (vals: number[]): [number, number] => [Math.min(0, ...vals), Math.max(0, ...vals)];
  const act = (lohi: [number, number]): { t: string; s: number; z: number } => {
    const [lo, hi] = [lohi[0] * squeeze, lohi[1] * squeeze];
    if (bits === 16) {
      const s = Math.max(Math.abs(lo), Math.abs(hi)) / 32767;
      return { t: `!quant.uniform<i16:f32, ${f(s)}>`, s, z: 0 };
    }
    const s = (hi - lo) / 255;
    const z = Math.round(-128 - lo / s);
    return { t: `!quant.uniform<i8:f32, ${f(s)}:${z}>`, s, z };
  };
  const qin = act([-1, 1]);
  const qh = act(range(runs.flatMap((r) => r.h)));
  const ql = act(range(runs.flatMap((r) => r.logits)));
  const qp = bits === 16 ? { t: `!quant.uniform<i16:f32, ${f(1 / 32768)}>`, s: 1 / 32768, z: 0 } : { t: `!quant.uniform<i8:f32, ${f(1 / 256)}:-128>`, s: 1 / 256, z: -128 };
  const perChannel = (w: number[][]): { q: number[][]; s: number[] } => {
    const s = w.map((row) => Math.max(...row.map(Math.abs)) / 127 || 1);
    return { q: w.map((row, c) => row.map((v) => Math.max(-127, Math.min(127, Math.round(v / s[c]!))))), s };
  };
  const W1 = perChannel(p.w1);
  const W2 = perChannel(p.w2);
  const wt = (s: number[]): string => `!quant.uniform<i8<-127:127>:f32:0, {${s.map(f).join(',')}}>`;
  const bt = (s: number[], b: number): string => `!quant.uniform<i${b}:f32:0, {${s.map(f).join(',')}}>`;
  const biasBits = bits === 16 ? 64 : 32;
  const B1s = W1.s.map((s) => s * qin.s);
  const B2s = W2.s.map((s) => s * qh.s);
  const B1 = p.b1.map((b, c) => Math.round(b / B1s[c]!));
  const B2 = p.b2.map((b, c) => Math.round(b / B2s[c]!));
  const X = `tensor<1x${IN}x${qin.t}>`;
  const H = `tensor<1x${HIDDEN}x${qh.t}>`;
  const L = `tensor<1x${OUT}x${ql.t}>`;
  const P = `tensor<1x${OUT}x${qp.t}>`;
  const W1T = `tensor<${HIDDEN}x${IN}x${wt(W1.s)}>`;
  const W2T = `tensor<${OUT}x${HIDDEN}x${wt(W2.s)}>`;
  const B1T = `tensor<${HIDDEN}x${bt(B1s, biasBits)}>`;
  const B2T = `tensor<${OUT}x${bt(B2s, biasBits)}>`;
  return `func.func @main(%arg0: tensor<1x${IN}xf32> loc("serving_default_x:0")) -> tensor<1x${OUT}xf32> {
  %x = "tfl.quantize"(%arg0) {qtype = ${X}} : (tensor<1x${IN}xf32>) -> ${X} loc("tfl.quantize")
  %w1 = "tfl.pseudo_qconst"() {qtype = ${W1T}, value = dense<${denseI(W1.q)}> : tensor<${HIDDEN}x${IN}xi8>} : () -> ${W1T} loc("dense/MatMul")
  %b1 = "tfl.pseudo_qconst"() {qtype = ${B1T}, value = dense<[${B1.join(', ')}]> : tensor<${HIDDEN}xi${biasBits}>} : () -> ${B1T} loc("dense/BiasAdd/ReadVariableOp")
  %h = "tfl.fully_connected"(%x, %w1, %b1) {fused_activation_function = "RELU", keep_num_dims = false, weights_format = "DEFAULT"} : (${X}, ${W1T}, ${B1T}) -> ${H} loc("dense/MatMul;dense/Relu;dense/BiasAdd")
  %w2 = "tfl.pseudo_qconst"() {qtype = ${W2T}, value = dense<${denseI(W2.q)}> : tensor<${OUT}x${HIDDEN}xi8>} : () -> ${W2T} loc("logits/MatMul")
  %b2 = "tfl.pseudo_qconst"() {qtype = ${B2T}, value = dense<[${B2.join(', ')}]> : tensor<${OUT}xi${biasBits}>} : () -> ${B2T} loc("logits/BiasAdd/ReadVariableOp")
  %l = "tfl.fully_connected"(%h, %w2, %b2) {fused_activation_function = "NONE", keep_num_dims = false, weights_format = "DEFAULT"} : (${H}, ${W2T}, ${B2T}) -> ${L} loc("StatefulPartitionedCall/model/out")
  %p = "tfl.softmax"(%l) {beta = 1.0 : f32} : (${L}) -> ${P} loc("Identity:01")
  %y = "tfl.dequantize"(%p) : (${P}) -> tensor<1x${OUT}xf32> loc("Identity:0")
  return %y : tensor<1x${OUT}xf32>
}
`;
}

/** The samples as a float32 [N, 1, IN] array and argmax labels of the float model. */
export function dataset(p: Params): { data: Float32Array; shape: number[]; labels: Int32Array } {
  const data = new Float32Array(p.xs.length * IN);
  p.xs.forEach((x, i) => data.set(x, i * IN));
  const labels = Int32Array.from(p.xs.map((x) => {
    const pr = forward(p, x).probs;
    return pr.indexOf(Math.max(...pr));
  }));
  return { data, shape: [p.xs.length, 1, IN], labels };
}
