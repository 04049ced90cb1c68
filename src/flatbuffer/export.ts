/**
 * IR -> `.tflite`. One subgraph per function (`@main` first), constants deduplicated into 16-byte
 * aligned buffers (buffer 0 empty, no empty data vectors), variable tensors for stateful operands,
 * quantization from element types, builtin options from attributes (schema-driven), LSTM
 * intermediates, signature defs and metadata, and operator-code versions computed by TFLite's rules
 * from the written model. Deterministic: the same IR always gives the same bytes.
 */
import * as flatbuffers from 'flatbuffers';
import { type Attribute, type DenseElementsAttr, denseFullBytes, dictGet } from '../ir/attribute.js';
import { DiagnosticError, errorDiag } from '../ir/diagnostic.js';
import { locName } from '../ir/location.js';
import type { Operation } from '../ir/operation.js';
import { getOpDef } from '../ir/registry.js';
import type { Type } from '../ir/type.js';
import type { Value } from '../ir/value.js';
import { tensorTypeOf } from './element-types.js';
import * as G from './generated/tflite_generated.js';
import { IS_VARIABLE_ATTR, LSTM_INTERMEDIATE_ATTRS } from './import.js';
import { builtinCodeForMlirName, builtinOpInfo, deprecatedBuiltinCodeFor } from './op-codes.js';
import { opVersion, opVersionFactsFromFlatbuffer } from './op-versions.js';
import { attributesToOptions } from './options.js';

interface TensorRec {
  name: string;
  type: Type;
  buffer: number;
  isVariable: boolean;
}

interface OperatorRec {
  opcode: number;
  inputs: number[];
  outputs: number[];
  intermediates: number[];
  optionsUnion: 'builtin_options' | 'builtin_options_2' | undefined;
  optionsSlot: number;
  optionsTable: string | undefined;
  options: object | undefined;
  customOptions: Uint8Array | undefined;
}

interface SubgraphRec {
  name: string;
  tensors: TensorRec[];
  inputs: number[];
  outputs: number[];
  operators: OperatorRec[];
}

interface OpcodeKey {
  code: number;
  custom: string | undefined;
  version: number;
}

function fail(op: Operation | undefined, message: string): never {
  throw new DiagnosticError([
    errorDiag(op?.loc ?? { kind: 'unknown' }, op ? `'${op.name}' op ${message}` : message),
  ]);
}

function funcNameOf(f: Operation): string {
  const n = f.attr('sym_name');
  return n?.kind === 'string' ? n.value : '';
}

function isConstantOp(op: Operation): boolean {
  return (getOpDef(op.name)?.traits.includes('ConstantLike') ?? false) || op.name === 'tfl.pseudo_const' || op.name === 'tfl.pseudo_qconst';
}

class Exporter {
  readonly buffers: Uint8Array[] = [new Uint8Array(0)];
  private readonly bufferIndex = new Map<string, number[]>();
  readonly subgraphs: SubgraphRec[] = [];
  /** The IR op of each exported operator, per subgraph. */
  readonly irOps: Operation[][] = [];
  readonly opcodes: OpcodeKey[] = [];
  private readonly funcIndex = new Map<string, number>();

  constructor(
    private readonly module: Operation,
    /** version per (subgraph, operator) computed by a previous pass. */
    private readonly versions?: number[][],
  ) {}

  private addBuffer(bytes: Uint8Array): number {
    if (bytes.length === 0) return 0;
    let h = 0x811c9dc5;
    const step = Math.max(1, Math.floor(bytes.length / 4096));
    for (let i = 0; i < bytes.length; i += step) h = Math.imul(h ^ bytes[i]!, 16777619);
    const key = `${bytes.length}:${h >>> 0}`;
    const list = this.bufferIndex.get(key) ?? [];
    for (const idx of list) {
      const b = this.buffers[idx]!;
      let same = true;
      for (let i = 0; i < b.length && same; i++) if (b[i] !== bytes[i]) same = false;
      if (same) return idx;
    }
    this.buffers.push(bytes);
    list.push(this.buffers.length - 1);
    this.bufferIndex.set(key, list);
    return this.buffers.length - 1;
  }

  private opcode(key: OpcodeKey): number {
    const i = this.opcodes.findIndex((k) => k.code === key.code && k.custom === key.custom && k.version === key.version);
    if (i >= 0) return i;
    this.opcodes.push(key);
    return this.opcodes.length - 1;
  }

  run(): void {
    const body = this.module.regions[0]?.blocks[0];
    if (!body) fail(this.module, 'has no body');
    const funcs = body.opsArray().filter((o) => o.name === 'func.func' && o.regions[0]!.blocks.length > 0);
    const main = funcs.find((f) => funcNameOf(f) === 'main') ?? funcs[0];
    if (!main) fail(this.module, 'has no function to export');
    const ordered = [main, ...funcs.filter((f) => f !== main)];
    ordered.forEach((f, i) => this.funcIndex.set(funcNameOf(f), i));
    ordered.forEach((f, i) => this.subgraphs.push(this.func(f, i)));
  }

  private func(f: Operation, si: number): SubgraphRec {
    const block = f.regions[0]!.blocks[0]!;
    if (f.regions[0]!.blocks.length > 1) fail(f, 'functions with several blocks cannot be exported');
    const sg: SubgraphRec = { name: funcNameOf(f), tensors: [], inputs: [], outputs: [], operators: [] };
    const irOps: Operation[] = [];
    this.irOps.push(irOps);
    const tensorOf = new Map<Value, number>();
    const usedNames = new Map<string, number>();
    const uniqueName = (n: string): string => {
      const k = usedNames.get(n) ?? 0;
      usedNames.set(n, k + 1);
      return k === 0 ? n : `${n}_${k}`;
    };
    const entry = f.attr('tf.entry_function');
    const entryNames = (key: string): string[] => {
      const a = entry?.kind === 'dictionary' ? dictGet(entry, key) : undefined;
      return a?.kind === 'string' && a.value ? a.value.split(',') : [];
    };
    const inNames = entryNames('inputs');
    const addTensor = (type: Type, name: string, buffer = 0, isVariable = false): number => {
      sg.tensors.push({ name: uniqueName(name), type, buffer, isVariable });
      return sg.tensors.length - 1;
    };
    block.args.forEach((a, i) => {
      const t = addTensor(a.type, locName(a.loc) ?? inNames[i] ?? `arg${i}`);
      tensorOf.set(a, t);
      sg.inputs.push(t);
    });
    // Values that feed stateful operands are variable tensors.
    const variables = new Set<Value>();
    for (const op of block.ops())
      for (const i of getOpDef(op.name)?.statefulOperands ?? []) if (op.operands[i]) variables.add(op.operands[i]!.value);
    const constOps = new Map<Value, Operation>();
    for (const op of block.ops()) if (isConstantOp(op)) constOps.set(op.result(0), op);
    const tensorFor = (v: Value, user: Operation): number => {
      if (v.type.kind === 'none') return -1;
      const t = tensorOf.get(v);
      if (t !== undefined) return t;
      const c = constOps.get(v);
      if (!c) fail(user, 'uses a value that is not defined before it (not in topological order)');
      const value = c.attr('value');
      if (value?.kind !== 'dense') fail(c, "constant without a dense 'value' attribute");
      const isVar = variables.has(v) || c.attr(IS_VARIABLE_ATTR) !== undefined;
      const idx = addTensor(v.type, locName(c.loc) ?? `const_${sg.tensors.length}`, isVar ? 0 : this.addBuffer(denseFullBytes(value as DenseElementsAttr)), isVar);
      tensorOf.set(v, idx);
      return idx;
    };
    let opIndex = 0;
    for (const op of block.ops()) {
      if (op.name === 'func.return') {
        for (const o of op.operands) sg.outputs.push(tensorFor(o.value, op));
        continue;
      }
      if (op.name === 'tfl.no_value' || isConstantOp(op)) continue;
      const isCustom = op.name === 'tfl.custom';
      const code = isCustom ? G.BuiltinOperator.CUSTOM : builtinCodeForMlirName(op.name);
      if (code === undefined) fail(op, 'is not a TFLite operator and cannot be exported');
      const customCode = isCustom ? (op.attr('custom_code')?.kind === 'string' ? (op.attr('custom_code') as { value: string }).value : '') : undefined;
      const inputs = op.operands.map((o) => tensorFor(o.value, op));
      const names = (() => {
        const l = op.loc;
        if (l.kind === 'fused') return l.locs.map((x) => locName(x));
        return [locName(l)];
      })();
      const outputs = op.results.map((r, i) => {
        const t = addTensor(r.type, names[i] ?? `${op.name.replace('tfl.', '')}_${opIndex}${op.results.length > 1 ? `_${i}` : ''}`);
        tensorOf.set(r, t);
        return t;
      });
      const intermediates: number[] = [];
      const interAttrs: (Attribute | undefined)[] =
        op.attr('intermediates')?.kind === 'array'
          ? [...(op.attr('intermediates') as { elements: readonly Attribute[] }).elements]
          : LSTM_INTERMEDIATE_ATTRS.map((n) => op.attr(n));
      for (let k = 0; k < interAttrs.length; k++) {
        const a = interAttrs[k];
        if (!a) continue;
        if (a.kind !== 'type') fail(op, 'intermediates must be types');
        intermediates.push(addTensor(a.value, `${names[0] ?? op.name}_intermediate_${k}`));
      }
      let optionsUnion: OperatorRec['optionsUnion'];
      let optionsSlot = 0;
      let optionsTable: string | undefined;
      let options: object | undefined;
      let customOptions: Uint8Array | undefined;
      if (isCustom) {
        const co = op.attr('custom_option');
        if (co?.kind === 'dense') customOptions = denseFullBytes(co);
      } else {
        const info = builtinOpInfo(code)!;
        if (info.options) {
          const r = attributesToOptions(info.options.table, (n) => op.attr(n), (s) => this.funcIndex.get(s));
          if (r.error) fail(op, r.error);
          fillTypeFields(info.options.table, r.obj as Record<string, unknown>, op);
          optionsUnion = info.options.union;
          optionsSlot = info.options.slot;
          optionsTable = info.options.table;
          options = r.obj;
        }
      }
      const version = this.versions?.[si]?.[opIndex] ?? 1;
      irOps.push(op);
      sg.operators.push({
        opcode: this.opcode({ code, custom: customCode, version }),
        inputs,
        outputs,
        intermediates,
        optionsUnion,
        optionsSlot,
        optionsTable,
        options,
        customOptions,
      });
      opIndex++;
    }
    return sg;
  }

  /** Serializes everything collected into a flatbuffer. */
  write(): Uint8Array {
    const b = new flatbuffers.Builder(1 << 16);
    const module = this.module;
    // Metadata and signature defs come from module attributes.
    const metaAttr = module.attr('tfl.metadata');
    const metas: { name: string; buffer: number }[] = [];
    if (metaAttr?.kind === 'dictionary')
      for (const [name, v] of metaAttr.entries) {
        if (v.kind !== 'dense') continue;
        const data = denseFullBytes(v);
        // Metadata buffers are never shared with tensors (TFLite tools expect their own buffer).
        this.buffers.push(data);
        metas.push({ name, buffer: this.buffers.length - 1 });
      }
    const bufferOffsets = this.buffers.map((data) => {
      let dataOff = 0;
      if (data.length > 0) dataOff = alignedByteVector(b, data, 16);
      G.Buffer.startBuffer(b);
      if (dataOff) G.Buffer.addData(b, dataOff);
      return G.Buffer.endBuffer(b);
    });
    const opcodeOffsets = this.opcodes.map((k) => {
      const custom = k.custom !== undefined ? b.createString(k.custom) : 0;
      G.OperatorCode.startOperatorCode(b);
      G.OperatorCode.addDeprecatedBuiltinCode(b, deprecatedBuiltinCodeFor(k.code));
      if (custom) G.OperatorCode.addCustomCode(b, custom);
      G.OperatorCode.addVersion(b, k.version);
      G.OperatorCode.addBuiltinCode(b, k.code);
      return G.OperatorCode.endOperatorCode(b);
    });
    const subgraphOffsets = this.subgraphs.map((sg) => this.writeSubgraph(b, sg));
    const sigOffsets: number[] = [];
    const sigAttr = module.attr('tfl.signature_defs');
    if (sigAttr?.kind === 'array')
      for (const s of sigAttr.elements) {
        if (s.kind !== 'dictionary') continue;
        const fn = dictGet(s, 'function');
        const key = dictGet(s, 'signature_key');
        const si = fn?.kind === 'string' ? this.funcIndex.get(fn.value) : undefined;
        if (si === undefined) continue;
        const sg = this.subgraphs[si]!;
        const maps = (d: Attribute | undefined, list: number[]): number => {
          const offs: number[] = [];
          if (d?.kind === 'dictionary')
            for (const [name, pos] of d.entries) {
              const p = pos.kind === 'integer' ? Number(pos.value) : -1;
              const t = list[p];
              if (t === undefined) continue;
              const n = b.createString(name);
              G.TensorMap.startTensorMap(b);
              G.TensorMap.addName(b, n);
              G.TensorMap.addTensorIndex(b, t);
              offs.push(G.TensorMap.endTensorMap(b));
            }
          return G.SignatureDef.createInputsVector(b, offs);
        };
        const ins = maps(dictGet(s, 'inputs'), sg.inputs);
        const outs = maps(dictGet(s, 'outputs'), sg.outputs);
        const k = b.createString(key?.kind === 'string' ? key.value : '');
        G.SignatureDef.startSignatureDef(b);
        G.SignatureDef.addInputs(b, ins);
        G.SignatureDef.addOutputs(b, outs);
        G.SignatureDef.addSignatureKey(b, k);
        G.SignatureDef.addSubgraphIndex(b, si);
        sigOffsets.push(G.SignatureDef.endSignatureDef(b));
      }
    const metaOffsets = metas.map((m) => {
      const n = b.createString(m.name);
      G.Metadata.startMetadata(b);
      G.Metadata.addName(b, n);
      G.Metadata.addBuffer(b, m.buffer);
      return G.Metadata.endMetadata(b);
    });
    const desc = module.attr('tfl.description');
    const descOff = desc?.kind === 'string' ? b.createString(desc.value) : 0;
    const codes = G.Model.createOperatorCodesVector(b, opcodeOffsets);
    const subs = G.Model.createSubgraphsVector(b, subgraphOffsets);
    const bufs = G.Model.createBuffersVector(b, bufferOffsets);
    const metaVec = metaOffsets.length ? G.Model.createMetadataVector(b, metaOffsets) : 0;
    const sigVec = sigOffsets.length ? G.Model.createSignatureDefsVector(b, sigOffsets) : 0;
    G.Model.startModel(b);
    G.Model.addVersion(b, 3);
    G.Model.addOperatorCodes(b, codes);
    G.Model.addSubgraphs(b, subs);
    if (descOff) G.Model.addDescription(b, descOff);
    G.Model.addBuffers(b, bufs);
    if (metaVec) G.Model.addMetadata(b, metaVec);
    if (sigVec) G.Model.addSignatureDefs(b, sigVec);
    G.Model.finishModelBuffer(b, G.Model.endModel(b));
    return b.asUint8Array().slice();
  }

  private writeSubgraph(b: flatbuffers.Builder, sg: SubgraphRec): number {
    const tensorOffsets = sg.tensors.map((t) => writeTensor(b, t));
    const opOffsets = sg.operators.map((o) => {
      const ins = G.Operator.createInputsVector(b, o.inputs);
      const outs = G.Operator.createOutputsVector(b, o.outputs);
      const inter = o.intermediates.length ? G.Operator.createIntermediatesVector(b, o.intermediates) : 0;
      const custom = o.customOptions && o.customOptions.length ? G.Operator.createCustomOptionsVector(b, o.customOptions) : 0;
      const opts = o.options ? (o.options as { pack(b: flatbuffers.Builder): number }).pack(b) : 0;
      G.Operator.startOperator(b);
      G.Operator.addOpcodeIndex(b, o.opcode);
      G.Operator.addInputs(b, ins);
      G.Operator.addOutputs(b, outs);
      if (opts && o.optionsUnion === 'builtin_options') {
        G.Operator.addBuiltinOptionsType(b, o.optionsSlot);
        G.Operator.addBuiltinOptions(b, opts);
      } else if (opts && o.optionsUnion === 'builtin_options_2') {
        G.Operator.addBuiltinOptions2Type(b, o.optionsSlot);
        G.Operator.addBuiltinOptions2(b, opts);
      }
      if (custom) G.Operator.addCustomOptions(b, custom);
      if (inter) G.Operator.addIntermediates(b, inter);
      return G.Operator.endOperator(b);
    });
    const tensors = G.SubGraph.createTensorsVector(b, tensorOffsets);
    const inputs = G.SubGraph.createInputsVector(b, sg.inputs);
    const outputs = G.SubGraph.createOutputsVector(b, sg.outputs);
    const ops = G.SubGraph.createOperatorsVector(b, opOffsets);
    const name = b.createString(sg.name);
    G.SubGraph.startSubGraph(b);
    G.SubGraph.addTensors(b, tensors);
    G.SubGraph.addInputs(b, inputs);
    G.SubGraph.addOutputs(b, outputs);
    G.SubGraph.addOperators(b, ops);
    G.SubGraph.addName(b, name);
    return G.SubGraph.endSubGraph(b);
  }
}

/** Options fields that name a tensor type, derived from the op's own types when no attribute sets them. */
const TYPE_FIELDS: Readonly<Record<string, readonly (readonly [string, 'operand' | 'result', number])[]>> = {
  ShapeOptions: [['outType', 'result', 0]],
  ArgMaxOptions: [['outputType', 'result', 0]],
  ArgMinOptions: [['outputType', 'result', 0]],
  CastOptions: [
    ['inDataType', 'operand', 0],
    ['outDataType', 'result', 0],
  ],
};

function fillTypeFields(table: string, obj: Record<string, unknown>, op: Operation): void {
  for (const [field, where, index] of TYPE_FIELDS[table] ?? []) {
    const attrName = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (op.attr(attrName)) continue;
    const v = where === 'result' ? op.results[index] : op.operands[index]?.value;
    const t = v?.type;
    const el = t && (t.kind === 'tensor' || t.kind === 'unranked_tensor') ? t.element : t;
    const tt = el ? tensorTypeOf(el) : undefined;
    if (tt !== undefined) obj[field] = tt;
  }
}

function alignedByteVector(b: flatbuffers.Builder, data: Uint8Array, alignment: number): number {
  b.startVector(1, data.length, alignment);
  const bb = b as unknown as { space: number; bb: flatbuffers.ByteBuffer };
  bb.space -= data.length;
  bb.bb.setPosition(bb.space);
  bb.bb.bytes().set(data, bb.space);
  return b.endVector();
}

function writeTensor(b: flatbuffers.Builder, t: TensorRec): number {
  const type = t.type;
  const element = type.kind === 'tensor' || type.kind === 'unranked_tensor' ? type.element : type;
  const tt = tensorTypeOf(element);
  if (tt === undefined) throw new DiagnosticError([errorDiag({ kind: 'unknown' }, `tensor '${t.name}': element type has no TFLite equivalent`)]);
  let shape = 0;
  let sig = 0;
  if (type.kind === 'tensor') {
    shape = G.Tensor.createShapeVector(b, type.shape.map((d) => (d < 0 ? 1 : d)));
    if (type.shape.some((d) => d < 0)) sig = G.Tensor.createShapeSignatureVector(b, [...type.shape]);
  } else if (type.kind !== 'unranked_tensor') shape = G.Tensor.createShapeVector(b, []);
  let quant = 0;
  if (element.kind === 'quant.uniform' || element.kind === 'quant.uniform_per_axis') {
    const scales = element.kind === 'quant.uniform' ? [element.scale] : [...element.scales];
    const zps = element.kind === 'quant.uniform' ? [element.zeroPoint] : [...element.zeroPoints];
    const s = G.QuantizationParameters.createScaleVector(b, scales);
    const z = G.QuantizationParameters.createZeroPointVector(b, zps.map((x) => BigInt(x)));
    G.QuantizationParameters.startQuantizationParameters(b);
    G.QuantizationParameters.addScale(b, s);
    G.QuantizationParameters.addZeroPoint(b, z);
    if (element.kind === 'quant.uniform_per_axis') G.QuantizationParameters.addQuantizedDimension(b, element.axis);
    quant = G.QuantizationParameters.endQuantizationParameters(b);
  } else if (element.kind === 'quant.calibrated') {
    const mn = G.QuantizationParameters.createMinVector(b, [element.min]);
    const mx = G.QuantizationParameters.createMaxVector(b, [element.max]);
    G.QuantizationParameters.startQuantizationParameters(b);
    G.QuantizationParameters.addMin(b, mn);
    G.QuantizationParameters.addMax(b, mx);
    quant = G.QuantizationParameters.endQuantizationParameters(b);
  }
  const name = b.createString(t.name);
  G.Tensor.startTensor(b);
  if (shape) G.Tensor.addShape(b, shape);
  G.Tensor.addType(b, tt);
  G.Tensor.addBuffer(b, t.buffer);
  G.Tensor.addName(b, name);
  if (quant) G.Tensor.addQuantization(b, quant);
  if (t.isVariable) G.Tensor.addIsVariable(b, true);
  if (sig) G.Tensor.addShapeSignature(b, sig);
  if (type.kind === 'tensor') G.Tensor.addHasRank(b, true);
  return G.Tensor.endTensor(b);
}

/**
 * Exports a module as a `.tflite` model. Operator versions follow TFLite's versioning rules for the
 * types used. Throws DiagnosticError (with the op's location) for IR that TFLite cannot represent.
 */
export function exportTflite(module: Operation): Uint8Array {
  const first = new Exporter(module);
  first.run();
  const draft = first.write();
  // Versions from the written model, as TFLite's own versioning pass computes them.
  const model = G.Model.getRootAsModel(new flatbuffers.ByteBuffer(draft));
  const versions = first.subgraphs.map((sg, si) =>
    sg.operators.map((o, oi) => {
      const k = first.opcodes[o.opcode]!;
      if (k.code === G.BuiltinOperator.CUSTOM) return 1;
      const facts = opVersionFactsFromFlatbuffer(model, si, oi);
      // The options table always has quantized_bias_type (default FLOAT32); it only counts as set when
      // the IR says so, otherwise 16x8 conv/FC would need versions older runtimes lack.
      const qbt = first.irOps[si]![oi]!.attr('quantized_bias_type');
      const biasTypeSet = qbt?.kind === 'string' && qbt.value !== 'FLOAT32';
      return Math.max(1, opVersion(k.code, { ...facts, quantizedBiasType: biasTypeSet }));
    }),
  );
  const second = new Exporter(module, versions);
  second.run();
  return second.write();
}
