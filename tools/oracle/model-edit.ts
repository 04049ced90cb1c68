/**
 * Small `.tflite` rewrites for the reference oracle, done on the flatbuffer object API: force TFLite's
 * builtin kernels (drop the XNNPACK delegate) and expose intermediate tensors as graph outputs.
 * Both append to subgraph 0 only, so original input/output positions are unchanged.
 */

import * as flatbuffers from 'flatbuffers';
import {
  Buffer as FbBuffer,
  BufferT,
  BuiltinOperator,
  Model,
  ModelT,
  Operator,
  OperatorCodeT,
  OperatorT,
  SubGraphT,
  TensorT,
  TensorType,
} from '../../src/flatbuffer/generated/tflite_generated.js';

/** Result of {@link editForBuiltinKernels}. */
export interface BuiltinOnlyEdit {
  /** The edited model: one more graph input (last) and one more graph output (last). */
  readonly model: Uint8Array;
  /** What to feed the extra input: the RESHAPE target shape, `[-1]` (flatten). */
  readonly extraInput: { readonly value: Int32Array };
}

/**
 * Makes TFLite run its builtin kernels instead of the XNNPACK delegate: appends
 * `RESHAPE(output0, shape)` where `shape` is a new int32 [1] graph input (appended last) and the
 * reshaped tensor a new graph output (appended last). A shape that is only known at run time makes
 * the reshape output dynamic, and TFLite then undoes delegation for the whole graph. Feed the extra
 * input `[-1]` (see {@link editForBuiltinKernels}); the extra output is the flattened output 0.
 */
export function withBuiltinKernelsOnly(modelBytes: Uint8Array): Uint8Array {
  return editForBuiltinKernels(modelBytes).model;
}

/** {@link withBuiltinKernelsOnly}, also returning the value the extra input must be fed. */
export function editForBuiltinKernels(modelBytes: Uint8Array): BuiltinOnlyEdit {
  const model = readModel(modelBytes);
  const sg = mainSubgraph(model);
  const outIndex = sg.outputs[0];
  if (outIndex === undefined) throw new Error('withBuiltinKernelsOnly: subgraph 0 has no outputs');
  const out = sg.tensors[outIndex];
  if (out === undefined) throw new Error(`withBuiltinKernelsOnly: output tensor ${outIndex} does not exist`);

  const empty = emptyBufferIndex(model);
  const shapeIndex = sg.tensors.length;
  sg.tensors.push(new TensorT([1], TensorType.INT32, empty, 'qopt_builtin_only/shape'));
  const flatIndex = sg.tensors.length;
  const count = out.shape.reduce((a, b) => a * b, 1); // a placeholder: the output is dynamic
  sg.tensors.push(new TensorT([count], out.type, empty, 'qopt_builtin_only/flat', out.quantization));

  const op = new LeanOperatorT(new OperatorT());
  op.opcodeIndex = opcodeIndex(model, BuiltinOperator.RESHAPE);
  op.inputs = [outIndex, shapeIndex];
  op.outputs = [flatIndex];
  sg.operators.push(op);
  sg.inputs.push(shapeIndex);
  sg.outputs.push(flatIndex);
  return { model: writeModel(model), extraInput: { value: Int32Array.of(-1) } };
}

/**
 * Appends tensors of subgraph 0 to its outputs (in the given order), so that a runner returns their
 * values after the original outputs. Only tensors that an operator writes (or graph inputs and
 * constants) hold meaningful values; op scratch "intermediates" do not.
 */
export function exposeTensors(modelBytes: Uint8Array, tensorIndices: readonly number[]): Uint8Array {
  const model = readModel(modelBytes);
  const sg = mainSubgraph(model);
  for (const t of tensorIndices) {
    if (!Number.isInteger(t) || t < 0 || t >= sg.tensors.length) {
      throw new Error(`exposeTensors: no tensor ${t} in subgraph 0 (it has ${sg.tensors.length})`);
    }
    sg.outputs.push(t);
  }
  return writeModel(model);
}

/** Unpacks `.tflite` bytes into the object API (throws when the file identifier is not TFL3). */
export function readModel(bytes: Uint8Array): ModelT {
  const bb = new flatbuffers.ByteBuffer(bytes);
  if (bytes.length < 8 || !Model.bufferHasIdentifier(bb)) {
    throw new Error('not a TFLite model (the flatbuffer file identifier is not "TFL3")');
  }
  return Model.getRootAsModel(bb).unpack();
}

/**
 * Packs a model back into `.tflite` bytes: file identifier TFL3, buffer data 16-byte aligned, and no
 * empty `custom_options` vectors on builtin operators (TFLite logs an error for each of those).
 */
export function writeModel(model: ModelT): Uint8Array {
  model.buffers = model.buffers.map((b) => (b instanceof AlignedBufferT ? b : new AlignedBufferT(b)));
  for (const sg of model.subgraphs) {
    sg.operators = sg.operators.map((op) => (op instanceof LeanOperatorT ? op : new LeanOperatorT(op)));
  }
  const builder = new flatbuffers.Builder(1024);
  builder.finish(model.pack(builder), 'TFL3');
  return builder.asUint8Array().slice();
}

/** A BufferT whose data vector is 16-byte aligned, as the schema's `force_align: 16` asks. */
class AlignedBufferT extends BufferT {
  constructor(b: BufferT) {
    super(b.data, b.offset, b.size);
  }

  override pack(builder: flatbuffers.Builder): flatbuffers.Offset {
    let data = 0;
    if (this.data.length > 0) {
      builder.startVector(1, this.data.length, 16);
      for (let i = this.data.length - 1; i >= 0; i--) builder.addInt8(this.data[i]!);
      data = builder.endVector();
    }
    return FbBuffer.createBuffer(builder, data, this.offset, this.size);
  }
}

/** An OperatorT that leaves out empty optional vectors instead of writing zero-length ones. */
class LeanOperatorT extends OperatorT {
  constructor(o: OperatorT) {
    super(
      o.opcodeIndex,
      o.inputs,
      o.outputs,
      o.builtinOptionsType,
      o.builtinOptions,
      o.customOptions,
      o.customOptionsFormat,
      o.mutatingVariableInputs,
      o.intermediates,
      o.largeCustomOptionsOffset,
      o.largeCustomOptionsSize,
      o.builtinOptions2Type,
      o.builtinOptions2,
      o.debugMetadataIndex,
    );
  }

  override pack(builder: flatbuffers.Builder): flatbuffers.Offset {
    const inputs = Operator.createInputsVector(builder, this.inputs);
    const outputs = Operator.createOutputsVector(builder, this.outputs);
    const builtinOptions = builder.createObjectOffset(this.builtinOptions);
    const custom = this.customOptions.length > 0 ? Operator.createCustomOptionsVector(builder, this.customOptions) : 0;
    const mutating =
      this.mutatingVariableInputs.length > 0
        ? Operator.createMutatingVariableInputsVector(builder, this.mutatingVariableInputs)
        : 0;
    const intermediates =
      this.intermediates.length > 0 ? Operator.createIntermediatesVector(builder, this.intermediates) : 0;
    const builtinOptions2 = builder.createObjectOffset(this.builtinOptions2);
    return Operator.createOperator(
      builder,
      this.opcodeIndex,
      inputs,
      outputs,
      this.builtinOptionsType,
      builtinOptions,
      custom,
      this.customOptionsFormat,
      mutating,
      intermediates,
      this.largeCustomOptionsOffset,
      this.largeCustomOptionsSize,
      this.builtinOptions2Type,
      builtinOptions2,
      this.debugMetadataIndex,
    );
  }
}

function mainSubgraph(model: ModelT): SubGraphT {
  const sg = model.subgraphs[0];
  if (sg === undefined) throw new Error('the model has no subgraphs');
  return sg;
}

/** Index of an empty buffer (buffer 0 by convention), appending one if needed. */
function emptyBufferIndex(model: ModelT): number {
  const b0 = model.buffers[0];
  if (b0 !== undefined && b0.data.length === 0 && b0.size === 0n) return 0;
  model.buffers.push(new BufferT());
  return model.buffers.length - 1;
}

/** Index of the operator code of a builtin op (version 1 is added when the model lacks it). */
function opcodeIndex(model: ModelT, op: BuiltinOperator): number {
  const found = model.operatorCodes.findIndex(
    (c) => Math.max(c.builtinCode, c.deprecatedBuiltinCode) === op && c.customCode === null,
  );
  if (found >= 0) return found;
  model.operatorCodes.push(new OperatorCodeT(Math.min(op, 127), null, 1, op));
  return model.operatorCodes.length - 1;
}
