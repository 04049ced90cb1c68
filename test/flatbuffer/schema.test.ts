// Reads every corpus .tflite with the generated bindings and checks the structural
// facts importers rely on (identifier, opcodes, options union types, index ranges), then
// round-trips each model through the object API (unpack -> pack) and compares.

import { describe, expect, it } from 'vitest';
import * as flatbuffers from 'flatbuffers';
import {
  BuiltinOperator,
  BuiltinOptions,
  BuiltinOptions2,
  Model,
  TensorType,
  unionToBuiltinOptions,
  unionToBuiltinOptions2,
} from '../../src/flatbuffer/generated/tflite_generated.js';
import {
  builtinOpInfo,
  deprecatedBuiltinCodeFor,
  effectiveBuiltinCode,
  optionsTypeMatches,
} from '../../src/flatbuffer/op-codes.js';
import { verifyModel } from '../../src/flatbuffer/verify.js';
import { CORPUS_DIR, corpusModels, loadModelBytes, readModel } from './helpers.js';

const models = corpusModels();

/** Bytes per element of fixed-size tensor types (sub-byte and variable types omitted). */
const ELEMENT_SIZE: Partial<Record<TensorType, number>> = {
  [TensorType.FLOAT32]: 4, [TensorType.FLOAT16]: 2, [TensorType.INT32]: 4, [TensorType.UINT8]: 1,
  [TensorType.INT64]: 8, [TensorType.BOOL]: 1, [TensorType.INT16]: 2, [TensorType.INT8]: 1,
  [TensorType.FLOAT64]: 8, [TensorType.UINT32]: 4, [TensorType.UINT16]: 2,
};

/** A compact, comparable digest of what importers read from a model. */
function digest(model: Model): unknown {
  const codes = Array.from({ length: model.operatorCodesLength() }, (_, i) => {
    const oc = model.operatorCodes(i)!;
    return [effectiveBuiltinCode(oc.deprecatedBuiltinCode(), oc.builtinCode()), oc.version(), oc.customCode()];
  });
  const subgraphs = Array.from({ length: model.subgraphsLength() }, (_, s) => {
    const sg = model.subgraphs(s)!;
    const tensors = Array.from({ length: sg.tensorsLength() }, (_, t) => {
      const tensor = sg.tensors(t)!;
      const q = tensor.quantization();
      return {
        name: tensor.name(),
        shape: Array.from(tensor.shapeArray() ?? []),
        type: tensor.type(),
        buffer: tensor.buffer(),
        variable: tensor.isVariable(),
        quant: q && {
          scale: Array.from(q.scaleArray() ?? []),
          zeroPoint: Array.from({ length: q.zeroPointLength() }, (_, i) => q.zeroPoint(i)),
          min: Array.from(q.minArray() ?? []),
          max: Array.from(q.maxArray() ?? []),
          dim: q.quantizedDimension(),
        },
      };
    });
    const ops = Array.from({ length: sg.operatorsLength() }, (_, o) => {
      const op = sg.operators(o)!;
      return {
        opcode: op.opcodeIndex(),
        inputs: Array.from(op.inputsArray() ?? []),
        outputs: Array.from(op.outputsArray() ?? []),
        intermediates: Array.from(op.intermediatesArray() ?? []),
        options: unionToBuiltinOptions(op.builtinOptionsType(), (obj) => op.builtinOptions(obj))?.unpack() ?? null,
        options2: unionToBuiltinOptions2(op.builtinOptions2Type(), (obj) => op.builtinOptions2(obj))?.unpack() ?? null,
        custom: Array.from(op.customOptionsArray() ?? []),
      };
    });
    return { name: sg.name(), inputs: Array.from(sg.inputsArray() ?? []), outputs: Array.from(sg.outputsArray() ?? []), tensors, ops };
  });
  return { version: model.version(), description: model.description(), codes, subgraphs, buffers: model.buffersLength() };
}

describe('generated schema bindings on the corpus', () => {
  if (models.length === 0) {
    it.skip(`corpus not found at ${CORPUS_DIR}; corpus checks skipped`, () => {});
    return;
  }

  it('finds corpus models', () => {
    expect(models.length).toBeGreaterThan(100);
  });

  it.each(models)('reads %s consistently', (rel) => {
    const bytes = loadModelBytes(rel);
    expect(verifyModel(bytes)).toEqual({ ok: true });
    const bb = new flatbuffers.ByteBuffer(bytes);
    expect(Model.bufferHasIdentifier(bb)).toBe(true);
    const model = Model.getRootAsModel(bb);
    expect(model.version()).toBe(3);

    const nBuffers = model.buffersLength();
    expect(nBuffers).toBeGreaterThan(0);
    expect(model.buffers(0)!.dataLength()).toBe(0); // the empty sentinel

    const codes: number[] = [];
    for (let i = 0; i < model.operatorCodesLength(); i++) {
      const oc = model.operatorCodes(i)!;
      const code = effectiveBuiltinCode(oc.deprecatedBuiltinCode(), oc.builtinCode());
      expect(builtinOpInfo(code), `opcode ${code}`).toBeDefined();
      expect(oc.deprecatedBuiltinCode()).toBe(deprecatedBuiltinCodeFor(code));
      expect([0, code]).toContain(oc.builtinCode()); // old writers leave builtin_code unset
      expect(oc.version()).toBeGreaterThanOrEqual(1);
      if (code === BuiltinOperator.CUSTOM) expect(oc.customCode()).toBeTruthy();
      codes.push(code);
    }

    for (let s = 0; s < model.subgraphsLength(); s++) {
      const sg = model.subgraphs(s)!;
      const nTensors = sg.tensorsLength();
      for (const t of [...(sg.inputsArray() ?? []), ...(sg.outputsArray() ?? [])]) {
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThan(nTensors);
      }
      for (let t = 0; t < nTensors; t++) {
        const tensor = sg.tensors(t)!;
        expect(tensor.buffer()).toBeLessThan(nBuffers);
        const shape = Array.from(tensor.shapeArray() ?? []);
        const data = model.buffers(tensor.buffer())!.dataLength();
        const size = ELEMENT_SIZE[tensor.type()];
        if (data > 0 && size !== undefined) {
          expect(data, `tensor ${t} data size`).toBe(shape.reduce((a, b) => a * b, 1) * size);
        }
        const q = tensor.quantization();
        if (q && q.scaleLength() > 0) {
          expect(q.zeroPointLength()).toBe(q.scaleLength());
          if (q.scaleLength() > 1) {
            // Old converters copied the filter's quantized_dimension (3) onto rank-1 biases.
            const dim = q.quantizedDimension() < shape.length ? q.quantizedDimension() : 0;
            if (dim !== q.quantizedDimension()) expect(shape.length).toBe(1);
            expect(shape[dim]).toBe(q.scaleLength());
          }
        }
      }
      for (let o = 0; o < sg.operatorsLength(); o++) {
        const op = sg.operators(o)!;
        expect(op.opcodeIndex()).toBeLessThan(codes.length);
        const code = codes[op.opcodeIndex()]!;
        const where = `${rel} op ${o} ${BuiltinOperator[code]}`;
        expect(optionsTypeMatches(code, op.builtinOptionsType(), op.builtinOptions2Type()), where).toBe(true);
        if (op.builtinOptionsType() !== BuiltinOptions.NONE) {
          expect(unionToBuiltinOptions(op.builtinOptionsType(), (x) => op.builtinOptions(x)), where).not.toBeNull();
        }
        expect(op.builtinOptions2Type()).toBe(BuiltinOptions2.NONE);
        for (const t of op.inputsArray() ?? []) {
          expect(t).toBeGreaterThanOrEqual(-1); // -1 = omitted optional input
          expect(t).toBeLessThan(nTensors);
        }
        for (const t of [...(op.outputsArray() ?? []), ...(op.intermediatesArray() ?? [])]) {
          expect(t).toBeGreaterThanOrEqual(0);
          expect(t).toBeLessThan(nTensors);
        }
      }
    }
    for (let i = 0; i < model.signatureDefsLength(); i++) {
      const sig = model.signatureDefs(i)!;
      expect(sig.subgraphIndex()).toBeLessThan(model.subgraphsLength());
      const n = model.subgraphs(sig.subgraphIndex())!.tensorsLength();
      for (let j = 0; j < sig.inputsLength(); j++) expect(sig.inputs(j)!.tensorIndex()).toBeLessThan(n);
      for (let j = 0; j < sig.outputsLength(); j++) expect(sig.outputs(j)!.tensorIndex()).toBeLessThan(n);
    }
    for (let i = 0; i < model.metadataLength(); i++) expect(model.metadata(i)!.buffer()).toBeLessThan(nBuffers);
  });

  it.each(models)('round-trips %s through unpack/pack', (rel) => {
    const bytes = loadModelBytes(rel);
    const original = readModel(bytes);
    const builder = new flatbuffers.Builder(bytes.length + 1024);
    Model.finishModelBuffer(builder, original.unpack().pack(builder));
    const packed = new Uint8Array(builder.asUint8Array()); // copy: fresh, 0-offset buffer
    expect(verifyModel(packed)).toEqual({ ok: true });
    const again = readModel(packed);

    expect(digest(again)).toEqual(digest(original));
    expect(again.buffersLength()).toBe(original.buffersLength());
    for (let i = 0; i < original.buffersLength(); i++) {
      const a = original.buffers(i)!.dataArray();
      const b = again.buffers(i)!.dataArray();
      expect(b?.length ?? 0).toBe(a?.length ?? 0);
      if (a && b) {
        expect(Buffer.compare(a, b), `buffer ${i} bytes`).toBe(0);
        expect(b.byteOffset % 16, `buffer ${i} alignment`).toBe(0); // force_align: 16
      }
    }
  });
});
