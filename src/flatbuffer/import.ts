/**
 * `.tflite` -> IR. Checks the flatbuffer's structure first, then builds one `func.func` per
 * subgraph (subgraph 0 is `@main`): constants as `tfl.pseudo_const`/`pseudo_qconst` backed by the
 * file's bytes, variable tensors, quantization and calibrated ranges as element types, builtin
 * options as attributes (schema-driven), custom ops opaque, tensor names as locations, signature
 * defs and metadata as module attributes. Every problem is a `file: subgraph N: tensor M: …` error.
 */
import * as flatbuffers from 'flatbuffers';
import {
  type Attribute,
  arrayAttr,
  denseAttr,
  dictionaryAttr,
  integerAttr,
  stringAttr,
  typeAttr,
  unitAttr,
} from '../ir/attribute.js';
import type { Block } from '../ir/block.js';
import { DiagnosticError, errorDiag } from '../ir/diagnostic.js';
import { type Location, fileLoc, fusedLoc, nameLoc } from '../ir/location.js';
import { Operation } from '../ir/operation.js';
import { getOpDef } from '../ir/registry.js';
import {
  type RankedTensorType,
  type Type,
  functionType,
  integerType,
  noneType,
  storageType,
  tensorType,
  unrankedTensorType,
} from '../ir/type.js';
import type { Value } from '../ir/value.js';
import { elementTypeOf, quantizedElementType } from './element-types.js';
import * as G from './generated/tflite_generated.js';
import { builtinOpInfo, effectiveBuiltinCode } from './op-codes.js';
import { optionsToAttributes } from './options.js';
import { verifyModel } from './verify.js';

/** Attribute names of the TFL LSTM intermediates, in TFLite's operator-intermediates order. */
export const LSTM_INTERMEDIATE_ATTRS = [
  'input_to_input_intermediate',
  'input_to_forget_intermediate',
  'input_to_cell_intermediate',
  'input_to_output_intermediate',
  'effective_hidden_scale_intermediate',
] as const;

/** Marks a constant that is a TFLite variable tensor (state). */
export const IS_VARIABLE_ATTR = 'tfl.is_variable';

/** Whether bytes look like a TFLite model (file identifier TFL3 at offset 4). */
export function isTfliteModel(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[4] === 0x54 && bytes[5] === 0x46 && bytes[6] === 0x4c && bytes[7] === 0x33;
}

class ImportError extends Error {}

function sanitizeSymbol(s: string): string {
  return s.replace(/[^A-Za-z0-9_$.]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
}

/** Imports a `.tflite` model as a `builtin.module`. Throws DiagnosticError naming the file and the place. */
export function importTflite(input: Uint8Array, file = 'model.tflite'): Operation {
  let bytes = input;
  const where = fileLoc(file, 0, 0);
  const fail = (msg: string): never => {
    throw new DiagnosticError([errorDiag(where, msg)]);
  };
  if (!isTfliteModel(bytes)) fail('not a TFLite model (missing TFL3 file identifier)');
  // Typed-array views need aligned memory: copy pooled or offset buffers once.
  if (bytes.byteOffset % 16 !== 0) bytes = bytes.slice();
  const v = verifyModel(bytes);
  if (!v.ok) fail(`malformed flatbuffer: ${v.error}`);
  try {
    return new Importer(bytes, file).run();
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    if (e instanceof ImportError) fail(e.message);
    return fail(`malformed model: ${(e as Error).message}`);
  }
}

class Importer {
  private readonly model: G.Model;
  private readonly funcNames: string[] = [];
  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    this.model = G.Model.getRootAsModel(new flatbuffers.ByteBuffer(bytes));
  }

  run(): Operation {
    const m = this.model;
    const module = Operation.create({ name: 'builtin.module', regions: 1, loc: fileLoc(this.file, 0, 0) });
    const body = module.regions[0]!.addBlock();
    const nsub = m.subgraphsLength();
    if (nsub === 0) throw new ImportError('model has no subgraphs');
    const used = new Set<string>();
    for (let i = 0; i < nsub; i++) {
      let name = i === 0 ? 'main' : sanitizeSymbol(m.subgraphs(i)!.name() ?? '') || `subgraph_${i}`;
      if (used.has(name)) name = `subgraph_${i}`;
      used.add(name);
      this.funcNames.push(name);
    }
    const modAttrs: [string, Attribute][] = [['tfl.schema_version', integerAttr(m.version(), integerType(32))]];
    const desc = m.description();
    if (desc) modAttrs.push(['tfl.description', stringAttr(desc)]);
    const metas: [string, Attribute][] = [];
    for (let i = 0; i < m.metadataLength(); i++) {
      const md = m.metadata(i)!;
      const name = md.name() ?? `metadata_${i}`;
      const data = this.bufferData(md.buffer(), `metadata '${name}'`);
      metas.push([name, denseAttr(tensorType([data.length], integerType(8, 'unsigned')), data)]);
    }
    if (metas.length) modAttrs.push(['tfl.metadata', dictionaryAttr(metas)]);
    const sigs = this.signatures();
    if (sigs.length) modAttrs.push(['tfl.signature_defs', arrayAttr(sigs)]);
    for (const [k, a] of modAttrs) module.setAttr(k, a);
    for (let i = 0; i < nsub; i++) body.append(this.subgraph(i));
    return module;
  }

  private bufferData(index: number, what: string): Uint8Array {
    const m = this.model;
    if (index < 0 || index >= m.buffersLength()) throw new ImportError(`${what}: buffer ${index} out of range (${m.buffersLength()} buffers)`);
    const b = m.buffers(index)!;
    const off = Number(b.offset());
    if (off > 1) {
      const size = Number(b.size());
      if (off + size > this.bytes.length) throw new ImportError(`${what}: buffer ${index} points outside the file`);
      return this.bytes.subarray(off, off + size);
    }
    return b.dataArray() ?? new Uint8Array(0);
  }

  private signatures(): Attribute[] {
    const m = this.model;
    const out: Attribute[] = [];
    for (let i = 0; i < m.signatureDefsLength(); i++) {
      const s = m.signatureDefs(i)!;
      const sub = s.subgraphIndex();
      if (sub >= m.subgraphsLength()) throw new ImportError(`signature ${i}: subgraph ${sub} out of range`);
      const g = m.subgraphs(sub)!;
      const ins = Array.from(g.inputsArray() ?? []);
      const outs = Array.from(g.outputsArray() ?? []);
      const map = (n: number, get: (j: number) => G.TensorMap | null, list: number[], kind: string): Attribute => {
        const entries: [string, Attribute][] = [];
        for (let j = 0; j < n; j++) {
          const t = get(j)!;
          const pos = list.indexOf(t.tensorIndex());
          if (pos < 0) throw new ImportError(`signature ${i}: ${kind} '${t.name()}' is tensor ${t.tensorIndex()}, not a subgraph ${kind}`);
          entries.push([t.name() ?? `${kind}_${j}`, integerAttr(pos, integerType(32))]);
        }
        return dictionaryAttr(entries);
      };
      out.push(
        dictionaryAttr([
          ['signature_key', stringAttr(s.signatureKey() ?? '')],
          ['function', stringAttr(this.funcNames[sub]!)],
          ['inputs', map(s.inputsLength(), (j) => s.inputs(j), ins, 'input')],
          ['outputs', map(s.outputsLength(), (j) => s.outputs(j), outs, 'output')],
        ]),
      );
    }
    return out;
  }

  private tensorType(g: G.SubGraph, si: number, ti: number): Type {
    const t = g.tensors(ti);
    if (!t) throw new ImportError(`subgraph ${si}: tensor ${ti} out of range (${g.tensorsLength()} tensors)`);
    const base = elementTypeOf(t.type());
    if (!base) throw new ImportError(`subgraph ${si}: tensor ${ti} ('${t.name()}'): unknown tensor type ${t.type()}`);
    const q = t.quantization();
    let element: Type = base;
    if (q) {
      const scale = Array.from(q.scaleArray() ?? []);
      const zp: bigint[] = [];
      for (let k = 0; k < q.zeroPointLength(); k++) zp.push(q.zeroPoint(k)!);
      const r = quantizedElementType(base, {
        scale,
        zeroPoint: zp,
        min: Array.from(q.minArray() ?? []),
        max: Array.from(q.maxArray() ?? []),
        quantizedDimension: q.quantizedDimension(),
      });
      if (typeof r === 'string') throw new ImportError(`subgraph ${si}: tensor ${ti} ('${t.name()}'): ${r}`);
      element = r;
    }
    const shape = t.shapeArray();
    const sig = t.shapeSignatureArray();
    if (!shape && !t.hasRank()) return unrankedTensorType(element);
    const dims = Array.from(sig && sig.length === (shape?.length ?? 0) ? sig : shape ?? []);
    for (const d of dims)
      if (d < -1 || d > 2 ** 31 - 1) throw new ImportError(`subgraph ${si}: tensor ${ti} ('${t.name()}'): invalid dimension ${d}`);
    let n = 1;
    for (const d of dims) n *= Math.max(d, 1);
    if (n > 2 ** 40) throw new ImportError(`subgraph ${si}: tensor ${ti} ('${t.name()}'): absurd shape [${dims.join(', ')}]`);
    return tensorType(dims, element);
  }

  private subgraph(si: number): Operation {
    const g = this.model.subgraphs(si)!;
    const name = this.funcNames[si]!;
    const tname = (ti: number): string => g.tensors(ti)?.name() ?? `tensor_${ti}`;
    const inputs = Array.from(g.inputsArray() ?? []);
    const outputs = Array.from(g.outputsArray() ?? []);
    const argTypes = inputs.map((ti) => this.tensorType(g, si, ti));
    const resTypes = outputs.map((ti) => this.tensorType(g, si, ti));
    const func = Operation.create({
      name: 'func.func',
      attributes: {
        sym_name: stringAttr(name),
        function_type: typeAttr(functionType(argTypes, resTypes)),
        'tf.entry_function': dictionaryAttr([
          ['inputs', stringAttr(inputs.map(tname).join(','))],
          ['outputs', stringAttr(outputs.map(tname).join(','))],
        ]),
      },
      regions: 1,
      loc: nameLoc(g.name() ?? name),
    });
    if (si !== 0) func.setAttr('sym_visibility', stringAttr('private'));
    const block = func.regions[0]!.addBlock();
    const values = new Map<number, Value>();
    inputs.forEach((ti, k) => {
      if (values.has(ti)) throw new ImportError(`subgraph ${si}: tensor ${ti} listed twice as an input`);
      values.set(ti, block.addArgument(argTypes[k]!, nameLoc(tname(ti))));
    });
    let noValue: Value | undefined;
    const operand = (ti: number, oi: number, pos: number): Value => {
      if (ti === -1) {
        if (!noValue) {
          const nv = Operation.create({ name: 'tfl.no_value', attributes: { value: unitAttr() }, resultTypes: [noneType()] });
          block.append(nv);
          noValue = nv.result(0);
        }
        return noValue;
      }
      const known = values.get(ti);
      if (known) return known;
      const v = this.constant(g, si, ti, block, `operator ${oi} input ${pos}`);
      values.set(ti, v);
      return v;
    };
    for (let oi = 0; oi < g.operatorsLength(); oi++) {
      const op = g.operators(oi)!;
      const code = this.model.operatorCodes(op.opcodeIndex());
      if (!code) throw new ImportError(`subgraph ${si}: operator ${oi}: opcode index ${op.opcodeIndex()} out of range`);
      const builtin = effectiveBuiltinCode(code.deprecatedBuiltinCode(), code.builtinCode());
      const info = builtinOpInfo(builtin);
      const what = `subgraph ${si}: operator ${oi} (${info?.enumName ?? `code ${builtin}`})`;
      const isCustom = builtin === G.BuiltinOperator.CUSTOM;
      if (!info && !isCustom) throw new ImportError(`${what}: unknown builtin operator code ${builtin}`);
      const opName = isCustom ? 'tfl.custom' : info!.mlirName;
      const ins = Array.from(op.inputsArray() ?? []).map((ti, k) => operand(ti, oi, k));
      const outIdx = Array.from(op.outputsArray() ?? []);
      const outTypes = outIdx.map((ti) => {
        if (ti < 0) throw new ImportError(`${what}: optional outputs are not supported`);
        if (values.has(ti)) throw new ImportError(`${what}: output tensor ${ti} ('${tname(ti)}') is produced twice or is an input`);
        return this.tensorType(g, si, ti);
      });
      const attrs: [string, Attribute][] = [];
      const def = getOpDef(opName);
      if (isCustom) {
        attrs.push(['custom_code', stringAttr(code.customCode() ?? '')]);
        const co = op.customOptionsArray() ?? new Uint8Array(0);
        attrs.push(['custom_option', denseAttr(tensorType([co.length], integerType(8, 'unsigned')), co)]);
      } else if (info!.options) {
        const ref = info!.options;
        const t = ref.union === 'builtin_options' ? op.builtinOptionsType() : op.builtinOptions2Type();
        if (t !== G.BuiltinOptions.NONE) {
          if (t !== ref.slot) throw new ImportError(`${what}: options type ${t} does not match the operator (expected ${ref.table})`);
          const ctor = (G as unknown as Record<string, new () => { unpack(): Record<string, unknown> }>)[ref.table];
          const tbl = ref.union === 'builtin_options' ? op.builtinOptions(new ctor!()) : op.builtinOptions2(new ctor!());
          if (tbl) {
            const r = optionsToAttributes(
              ref.table,
              tbl.unpack(),
              (i) => this.funcNames[i],
              (f) => def?.attrs[f] !== undefined,
            );
            if (r.error) throw new ImportError(`${what}: ${r.error}`);
            attrs.push(...r.attrs);
          }
        }
      }
      const inter = Array.from(op.intermediatesArray() ?? []);
      if (inter.length) {
        const types = inter.map((ti) => typeAttr(this.tensorType(g, si, ti)));
        if (opName === 'tfl.unidirectional_sequence_lstm' || opName === 'tfl.lstm') {
          if (types.length > LSTM_INTERMEDIATE_ATTRS.length) throw new ImportError(`${what}: ${types.length} intermediates`);
          types.forEach((t, k) => attrs.push([LSTM_INTERMEDIATE_ATTRS[k]!, t]));
        } else attrs.push(['intermediates', arrayAttr(types)]);
      }
      const locs = outIdx.map((ti) => nameLoc(tname(ti)));
      const loc: Location = locs.length === 1 ? locs[0]! : locs.length === 0 ? nameLoc(`${info?.enumName ?? 'op'}_${oi}`) : fusedLoc(locs);
      const created = Operation.create({ name: opName, operands: ins, resultTypes: outTypes, attributes: attrs, loc });
      block.append(created);
      outIdx.forEach((ti, k) => values.set(ti, created.result(k)));
    }
    const rets = outputs.map((ti, k) => {
      const v = values.get(ti) ?? operand(ti, -1, k);
      return v;
    });
    block.append(Operation.create({ name: 'func.return', operands: rets, loc: nameLoc('return') }));
    return func;
  }

  /** A constant or variable tensor as a const op (or an error when the tensor has no producer). */
  private constant(g: G.SubGraph, si: number, ti: number, block: Block, what: string): Value {
    const t = g.tensors(ti);
    if (!t) throw new ImportError(`subgraph ${si}: ${what}: tensor ${ti} out of range (${g.tensorsLength()} tensors)`);
    const type = this.tensorType(g, si, ti);
    const tn = t.name() ?? `tensor_${ti}`;
    const data = this.bufferData(t.buffer(), `subgraph ${si}: tensor ${ti} ('${tn}')`);
    if (type.kind !== 'tensor') throw new ImportError(`subgraph ${si}: tensor ${ti} ('${tn}'): constant without a shape`);
    const shape = type.shape.map((d) => Math.max(d, 1));
    const storage = storageType(type.element);
    const valueType: RankedTensorType = tensorType(shape, storage);
    let n = 1;
    for (const d of shape) n *= d;
    const width = storage.kind === 'integer' ? Math.max(1, Math.ceil(storage.width / 8)) : storage.kind === 'float' ? storage.width / 8 : 0;
    if (width === 0) throw new ImportError(`subgraph ${si}: tensor ${ti} ('${tn}'): constants of this type are not supported`);
    let bytes = data;
    const variable = t.isVariable();
    if (data.length === 0) {
      if (!variable) throw new ImportError(`subgraph ${si}: ${what}: tensor ${ti} ('${tn}') is used before it is produced and has no data`);
      bytes = new Uint8Array(n * width);
      // A fresh TFLite interpreter resets quantized variables to their zero point.
      const el = type.element;
      if (el.kind === 'quant.uniform' && el.zeroPoint !== 0) {
        const view = new DataView(bytes.buffer);
        for (let k = 0; k < n; k++)
          if (width === 1) view.setInt8(k, el.zeroPoint);
          else if (width === 2) view.setInt16(2 * k, el.zeroPoint, true);
          else view.setInt32(4 * k, el.zeroPoint, true);
      }
    } else if (storage.kind === 'integer' && storage.width === 4) {
      if (data.length !== Math.ceil(n / 2)) throw new ImportError(`subgraph ${si}: tensor ${ti} ('${tn}'): int4 data size mismatch`);
      throw new ImportError(`subgraph ${si}: tensor ${ti} ('${tn}'): packed int4 constants are not supported yet`);
    } else if (data.length !== n * width)
      throw new ImportError(`subgraph ${si}: tensor ${ti} ('${tn}'): buffer has ${data.length} bytes, shape [${shape.join(', ')}] needs ${n * width}`);
    const value = denseAttr(valueType, bytes);
    const quantized = type.element !== storage && type.element.kind !== 'quant.calibrated';
    const attrs: [string, Attribute][] = quantized ? [['qtype', typeAttr(type)], ['value', value]] : [['value', value]];
    if (variable) attrs.push([IS_VARIABLE_ATTR, unitAttr()]);
    const op = Operation.create({
      name: quantized ? 'tfl.pseudo_qconst' : 'tfl.pseudo_const',
      attributes: attrs,
      resultTypes: [type],
      loc: nameLoc(tn),
    });
    block.append(op);
    return op.result(0);
  }
}
