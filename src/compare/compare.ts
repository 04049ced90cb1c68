/**
 * The comparison itself: runs a reference model and one or more test models on the same samples
 * (converting the data to each model's input encoding), pairs their tensors, and accumulates
 * per-layer and per-output error metrics into a {@link CompareReport}. Dialect-agnostic: it sees
 * functions, the interpreter and tensor types, nothing of any particular op set.
 */
import { DiagnosticError } from '../ir/diagnostic.js';
import type { Operation } from '../ir/operation.js';
import { Interpreter, type KernelRegistry } from '../interp/interpreter.js';
import { type DType, type KernelFlavour, type QuantParams, type Tensor, type TensorInfo, type TypedArray, allocTyped } from '../interp/kernel.js';
import { type GraphTensor, type ModelGraph, buildGraph, representative } from './graph.js';
import { layeredLayout } from './layout.js';
import { type MatchKind, matchGraphs } from './match.js';
import { ErrorAccumulator, type ErrorMetrics, argmax, dequantize, quantizeInto } from './metrics.js';

/** A model to run: its entry function and how to call it in reports. */
export interface ModelSpec {
  readonly path: string;
  readonly label: string;
  readonly func: Operation;
}

/** Samples, as arrays described by `infos` (one per model input, in order). */
export interface SampleSource {
  readonly count: number;
  readonly infos: readonly TensorInfo[];
  sample(i: number): readonly TypedArray[];
  readonly source: string;
}

/** Options of {@link compareModels}. */
export interface CompareOptions {
  readonly kernels: KernelRegistry;
  readonly flavour?: KernelFlavour;
  /** Keep LSTM/SVDF state from one sample to the next (default: reset before each). */
  readonly keepState?: boolean;
  /** Also compare constants (weights and biases) of paired ops. */
  readonly weights?: boolean;
  /** Class labels, one per sample (or one per output row of each sample), for accuracy. */
  readonly labels?: ArrayLike<number>;
  /** Called after each sample. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Largest graph drawn (ops and inputs); default 400. */
  readonly graphCap?: number;
  /** Errors kept per layer for histograms; default 2048. */
  readonly reservoir?: number;
}

/** One compared tensor of a test model. */
export interface LayerReport {
  /** Key of the reference tensor (stable across test models, used by the graph). */
  readonly id: number;
  /** Position in the reference model's execution order. */
  readonly order: number;
  readonly name: string;
  readonly testName: string;
  /** The test op that produced the tensor (`input`, `const` for those). */
  readonly op: string;
  readonly refOp: string;
  readonly kind: 'input' | 'result' | 'const';
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly elements: number;
  readonly quant: QuantParams | null;
  readonly matchedBy: MatchKind;
  readonly metrics: ErrorMetrics;
}

/** One model output compared with the reference's. */
export interface OutputReport {
  readonly index: number;
  readonly name: string;
  readonly elements: number;
  readonly metrics: ErrorMetrics;
  /** Rows (over the last axis) whose argmax agrees with the reference; null for 1-wide outputs. */
  readonly argmax: { readonly agree: number; readonly total: number } | null;
}

/** Correct / total predictions against the labels. */
export interface Accuracy {
  readonly correct: number;
  readonly total: number;
}

/** Everything about one test model. */
export interface ModelReport {
  readonly path: string;
  readonly label: string;
  readonly layers: LayerReport[];
  readonly unmatchedReference: string[];
  readonly unmatchedTest: string[];
  readonly outputs: OutputReport[];
  readonly accuracy: Accuracy | null;
}

/** The reference model's graph, laid out for drawing. */
export interface GraphDrawing {
  readonly nodes: {
    readonly op: string;
    readonly names: readonly string[];
    /** Layer ids ({@link LayerReport.id}) of the node's results. */
    readonly layers: readonly number[];
    readonly x: number;
    readonly y: number;
  }[];
  readonly edges: [number, number][];
  readonly width: number;
  readonly height: number;
  readonly nodeWidth: number;
  readonly nodeHeight: number;
  /** Ops and inputs in the model, and how many are drawn. */
  readonly total: number;
  readonly shown: number;
}

/** The whole comparison. */
export interface CompareReport {
  readonly reference: { readonly path: string; readonly label: string; readonly accuracy: Accuracy | null };
  readonly data: { readonly source: string; readonly samples: number };
  readonly kernels: KernelFlavour;
  readonly keepState: boolean;
  readonly models: ModelReport[];
  readonly graph: GraphDrawing;
}

/** The inputs of a function as the interpreter describes them (without preparing it). */
export function inputInfos(func: Operation): TensorInfo[] {
  const g = buildGraph(func);
  return g.inputs.map((i) => {
    const t = g.tensors[i]!;
    return { name: t.name, dtype: t.dtype, shape: t.shape, ...(t.quant ? { quant: t.quant } : {}) };
  });
}

/** A float, unquantized view of an input description (how float data for it is described). */
export function floatView(info: TensorInfo): TensorInfo {
  return info.quant ? { name: info.name, dtype: 'f32', shape: info.shape } : info;
}

function isFloat(d: DType): boolean {
  return d === 'f32' || d === 'f64' || d === 'f16';
}

function sameQuant(a: QuantParams | undefined, b: QuantParams | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.axis === b.axis &&
    a.storageMin === b.storageMin &&
    a.storageMax === b.storageMax &&
    a.scale.length === b.scale.length &&
    a.scale.every((s, i) => s === b.scale[i] && a.zeroPoint[i] === b.zeroPoint[i])
  );
}

/**
 * Converts one input array from how the data is encoded (`from`) to the model's input (`to`):
 * float data is quantized for a quantized input (round half away, clamp), quantized data is
 * dequantized for a float input, and requantized between different quantizations.
 */
export function adaptInput(data: TypedArray, from: TensorInfo, to: TensorInfo): TypedArray {
  if (from.dtype === to.dtype && sameQuant(from.quant, to.quant)) return data;
  const real = from.quant || isFloat(from.dtype) ? dequantize(data, from.shape, from.quant) : undefined;
  if (to.quant) {
    if (!real) throw new Error(`input '${to.name}': cannot quantize ${from.dtype} data`);
    return quantizeInto(real, to.shape, to.quant, allocTyped(to.dtype, data.length));
  }
  const out = allocTyped(to.dtype, data.length);
  const src = real ?? dequantize(data, from.shape, undefined);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) for (let i = 0; i < src.length; i++) out[i] = BigInt(Math.round(src[i]!));
  else if (isFloat(to.dtype)) for (let i = 0; i < src.length; i++) out[i] = src[i]!;
  else if (from.quant || isFloat(from.dtype)) throw new Error(`input '${to.name}' is ${to.dtype}: cannot feed it ${from.quant ? 'quantized' : from.dtype} data`);
  else for (let i = 0; i < src.length; i++) out[i] = src[i]!;
  return out;
}

interface Running {
  readonly spec: ModelSpec;
  readonly graph: ModelGraph;
  readonly interp: Interpreter;
  readonly tensors: Map<number, Tensor>;
}

function prepare(spec: ModelSpec, opts: CompareOptions): Running {
  const graph = buildGraph(spec.func);
  let interp: Interpreter;
  try {
    interp = new Interpreter(spec.func, { kernels: opts.kernels, flavour: opts.flavour ?? 'tflite', keepAllTensors: true });
  } catch (e) {
    // Say which model could not be prepared.
    if (e instanceof DiagnosticError)
      throw new DiagnosticError(e.diagnostics.map((d) => ({ ...d, message: `${d.message} (in ${spec.path})` })));
    throw e;
  }
  const tensors = new Map<number, Tensor>();
  for (const { value, tensor } of interp.tensors()) {
    const t = graph.byValue.get(value);
    if (t) tensors.set(t.id, tensor);
  }
  return { spec, graph, interp, tensors };
}

interface Pair {
  readonly ref: GraphTensor;
  readonly test: GraphTensor;
  readonly by: MatchKind;
  readonly acc: ErrorAccumulator;
  readonly constant: boolean;
  readonly id: number;
}

function rowsOf(shape: readonly number[], elements: number): { rows: number; width: number } {
  const width = shape.length ? shape[shape.length - 1]! : 1;
  return { rows: width > 0 ? Math.floor(elements / width) : 0, width };
}

/** Runs and compares. Throws (DiagnosticError) when a model cannot be prepared. */
export function compareModels(refSpec: ModelSpec, testSpecs: readonly ModelSpec[], data: SampleSource, opts: CompareOptions): CompareReport {
  const ref = prepare(refSpec, opts);
  const tests = testSpecs.map((s) => prepare(s, opts));
  const reservoir = opts.reservoir ?? 2048;
  const all = [ref, ...tests];
  for (const m of all)
    if (m.interp.inputs.length !== data.infos.length)
      throw new Error(`${m.spec.path}: the model has ${m.interp.inputs.length} inputs, the data has ${data.infos.length}`);

  const perModel = tests.map((m) => {
    const match = matchGraphs(ref.graph, m.graph, { weights: opts.weights });
    const pairs: Pair[] = match.pairs.map((p) => {
      const r = representative(ref.graph, p.ref, 'reference');
      const t = representative(m.graph, p.test, 'test');
      return {
        ref: r,
        test: t,
        by: p.by,
        id: p.ref,
        constant: r.kind === 'const',
        acc: new ErrorAccumulator(t.shape, t.quant, { reservoir, seed: p.ref + 1 }),
      };
    });
    if (m.graph.outputs.length !== ref.graph.outputs.length)
      throw new Error(`${m.spec.path}: ${m.graph.outputs.length} outputs, the reference has ${ref.graph.outputs.length}`);
    const outputs = ref.graph.outputs.map((ri, k) => {
      const ti = m.graph.outputs[k];
      const r = ref.graph.tensors[ri]!;
      const t = ti === undefined ? undefined : m.graph.tensors[ti];
      if (!t || t.elements !== r.elements) throw new Error(`${m.spec.path}: output ${k} does not match the reference's (${r.name}, ${r.elements} elements)`);
      const { rows, width } = rowsOf(r.shape, r.elements);
      return { r, t, acc: new ErrorAccumulator(t.shape, t.quant, { reservoir: 0 }), rows, width, agree: 0, total: 0 };
    });
    return { m, match, pairs, outputs, correct: 0, judged: 0 };
  });

  const labels = opts.labels;
  let refCorrect = 0;
  let refJudged = 0;
  const judge = (vals: Float64Array, s: number, rows: number, width: number): [number, number] => {
    if (!labels || width <= 1) return [0, 0];
    const perSample = labels.length >= data.count * rows && rows > 1 ? rows : 1;
    let c = 0;
    for (let row = 0; row < perSample; row++) {
      const label = labels[s * perSample + row];
      if (label === undefined) continue;
      if (argmax(vals, row * width, (row + 1) * width) === label) c++;
    }
    return [c, perSample];
  };

  const refCache = new Map<number, Float64Array>();
  const refValues = (t: GraphTensor): Float64Array => {
    const tensor = ref.tensors.get(t.id);
    if (!tensor) throw new Error(`${ref.spec.path}: no value for tensor '${t.name}'`);
    let buf = refCache.get(t.id);
    buf = dequantize(tensor.data, t.shape, t.quant, buf);
    refCache.set(t.id, buf);
    return buf;
  };
  const scratch = new Map<number, Float64Array>();
  const testValues = (m: Running, t: GraphTensor): Float64Array => {
    const tensor = m.tensors.get(t.id);
    if (!tensor) throw new Error(`${m.spec.path}: no value for tensor '${t.name}'`);
    const buf = dequantize(tensor.data, t.shape, t.quant, scratch.get(tensor.data.length));
    scratch.set(tensor.data.length, buf);
    return buf;
  };

  const refOuts = ref.graph.outputs.map((ri) => {
    const r = ref.graph.tensors[ri]!;
    return { r, ...rowsOf(r.shape, r.elements) };
  });
  for (let s = 0; s < data.count; s++) {
    const inputs = data.sample(s);
    for (const m of all) {
      if (!opts.keepState) m.interp.reset();
      const infos = m.interp.inputs;
      m.interp.run(inputs.map((a, i) => adaptInput(a, data.infos[i]!, infos[i]!)));
    }
    refCache.clear();
    if (labels && refOuts[0]) {
      const o = refOuts[0];
      const [c, n] = judge(refValues(o.r), s, o.rows, o.width);
      refCorrect += c;
      refJudged += n;
    }
    for (const pm of perModel) {
      for (const p of pm.pairs) {
        if (p.constant && s > 0) continue;
        p.acc.add(refValues(p.ref), testValues(pm.m, p.test));
      }
      pm.outputs.forEach((o, k) => {
        const rv = refValues(o.r);
        const tv = testValues(pm.m, o.t);
        o.acc.add(rv, tv);
        if (o.width > 1)
          for (let row = 0; row < o.rows; row++) {
            if (argmax(rv, row * o.width, (row + 1) * o.width) === argmax(tv, row * o.width, (row + 1) * o.width)) o.agree++;
            o.total++;
          }
        if (k === 0 && labels) {
          const [c, n] = judge(tv, s, o.rows, o.width);
          pm.correct += c;
          pm.judged += n;
        }
      });
    }
    opts.onProgress?.(s + 1, data.count);
  }

  const models: ModelReport[] = perModel.map((pm) => {
    const g = pm.m.graph;
    return {
      path: pm.m.spec.path,
      label: pm.m.spec.label,
      layers: pm.pairs.map((p, order) => ({
        id: p.id,
        order,
        name: p.ref.name,
        testName: p.test.name,
        op: p.test.opName,
        refOp: p.ref.opName,
        kind: p.ref.kind,
        dtype: p.test.dtype,
        shape: p.test.shape,
        elements: p.test.elements,
        quant: p.test.quant ?? null,
        matchedBy: p.by,
        metrics: p.acc.result(),
      })),
      unmatchedReference: pm.match.unmatchedRef.map((c) => representative(ref.graph, c, 'reference').name),
      unmatchedTest: pm.match.unmatchedTest.map((c) => representative(g, c, 'test').name),
      outputs: pm.outputs.map((o, index) => ({
        index,
        name: o.r.name,
        elements: o.r.elements,
        metrics: o.acc.result(),
        argmax: o.width > 1 ? { agree: o.agree, total: o.total } : null,
      })),
      accuracy: labels && pm.judged ? { correct: pm.correct, total: pm.judged } : null,
    };
  });
  return {
    reference: { path: refSpec.path, label: refSpec.label, accuracy: labels && refJudged ? { correct: refCorrect, total: refJudged } : null },
    data: { source: data.source, samples: data.count },
    kernels: opts.flavour ?? 'tflite',
    keepState: opts.keepState ?? false,
    models,
    graph: drawGraph(ref.graph, opts.graphCap ?? 400),
  };
}

/** The reference graph as drawn: inputs and ops as nodes, SSA uses as edges; capped. */
export function drawGraph(g: ModelGraph, cap: number): GraphDrawing {
  const nodes: { op: string; names: string[]; layers: number[] }[] = [];
  const nodeOfTensor = new Map<number, number>();
  for (const i of g.inputs) {
    nodeOfTensor.set(i, nodes.length);
    nodes.push({ op: 'input', names: [g.tensors[i]!.name], layers: [g.classOf[i]!] });
  }
  const total = g.inputs.length + g.ops.length;
  const edges: [number, number][] = [];
  for (const op of g.ops) {
    if (nodes.length >= cap) break;
    const id = nodes.length;
    const seen = new Set<number>();
    for (const x of op.operands) {
      const from = x >= 0 ? nodeOfTensor.get(x) : undefined;
      if (from !== undefined && !seen.has(from)) {
        seen.add(from);
        edges.push([from, id]);
      }
    }
    for (const r of op.results) nodeOfTensor.set(r, id);
    nodes.push({ op: op.name, names: op.results.map((r) => g.tensors[r]!.name), layers: [...new Set(op.results.map((r) => g.classOf[r]!))] });
  }
  const lay = layeredLayout(nodes.length, edges);
  return {
    nodes: nodes.map((n, i) => ({ ...n, x: Math.round(lay.x[i]!), y: Math.round(lay.y[i]!) })),
    edges,
    width: Math.ceil(lay.width),
    height: Math.ceil(lay.height),
    nodeWidth: lay.nodeWidth,
    nodeHeight: lay.nodeHeight,
    total,
    shown: nodes.length,
  };
}
