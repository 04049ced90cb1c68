/**
 * The trained classifier as a qopt IR module, built with qopt's own builder, and back:
 *
 *   x: tensor<1x28x28xf32>  (one image, 28 time steps of 28 features)
 *   -> tfl.unidirectional_sequence_lstm (24 operands in TFLite order; no CIFG, peephole, projection
 *      or layer norm; TANH; batch-major; zero variable states marked tfl.is_variable)  -> 1x28xU
 *   -> tfl.strided_slice (the last time step, shrink_axis_mask = 2)                     -> 1xU
 *   -> tfl.fully_connected (weights [10, U], bias [10])                                  -> 1x10
 *   -> tfl.softmax (beta 1)                                                              -> 1x10
 *
 * TFLite keeps one [units, input] matrix per gate (gates input, forget, cell, output = operands
 * 1–4 / 5–8 / 12–15); the trained weights hold the four stacked ([4·units, input]), so gate g is
 * rows g·units .. (g+1)·units.
 */
import { createFunc, createModule, moduleFuncs } from '../../dialects/builtin/index.js';
import { IS_VARIABLE_ATTR } from '../../src/flatbuffer/import.js';
import { type Attribute, boolAttr, denseAttr, denseFullBytes, floatAttr, integerAttr, stringAttr, unitAttr } from '../../src/ir/attribute.js';
import { Builder } from '../../src/ir/builder.js';
import { nameLoc } from '../../src/ir/location.js';
import type { Operation } from '../../src/ir/operation.js';
import { f32, i32, noneType, tensorType } from '../../src/ir/type.js';
import type { BlockArgument, Value } from '../../src/ir/value.js';
import type { LstmWeights } from './tfjs.js';

/** Gate order of TFLite's operands and of the tfjs columns. */
const GATES = ['input', 'forget', 'cell', 'output'] as const;

/** Operand indices of the 24-operand LSTM, per gate. */
const INPUT_WEIGHTS = [1, 2, 3, 4] as const;
const RECURRENT_WEIGHTS = [5, 6, 7, 8] as const;
const GATE_BIAS = [12, 13, 14, 15] as const;
const OUTPUT_STATE = 18;
const CELL_STATE = 19;
const LSTM_OPERANDS = 24;

function bytesOf(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

/** Gate g's block of a [4·units, cols] matrix: [units, cols]. */
function gateRows(m: Float32Array, units: number, cols: number, g: number): Float32Array {
  return m.slice(g * units * cols, (g + 1) * units * cols);
}

/** Builds the float classifier module from trained weights. */
export function buildFloatModule(w: LstmWeights, steps: number): Operation {
  const { units: u, inputSize: n, classes: k } = w;
  const t = (shape: number[]) => tensorType(shape, f32());
  const module = createModule();
  const func = createFunc('main', [t([1, steps, n])], [t([1, k])], module);
  const block = func.regions[0]!.blocks[0]!;
  (block.args[0] as BlockArgument).loc = nameLoc('image_rows');
  const b = new Builder();
  b.setInsertionPointToEnd(block);
  const cst = (shape: number[], data: Float32Array, name: string, extra: Record<string, Attribute> = {}): Value =>
    b.createOne('tfl.pseudo_const', [], t(shape), { value: denseAttr(t(shape), bytesOf(data)), ...extra }, nameLoc(name));
  const i32Const = (values: number[], name: string): Value => {
    const type = tensorType([values.length], i32());
    return b.createOne('tfl.pseudo_const', [], type, { value: denseAttr(type, bytesOf(Int32Array.from(values))) }, nameLoc(name));
  };

  const none = b.createOne('tfl.no_value', [], noneType(), { value: unitAttr() }, nameLoc('none'));
  const operands: Value[] = Array<Value>(LSTM_OPERANDS).fill(none);
  operands[0] = block.args[0]!;
  GATES.forEach((gate, g) => {
    operands[INPUT_WEIGHTS[g]!] = cst([u, n], gateRows(w.wx, u, n, g), `lstm/input_to_${gate}_weights`);
    operands[RECURRENT_WEIGHTS[g]!] = cst([u, u], gateRows(w.wh, u, u, g), `lstm/recurrent_to_${gate}_weights`);
    operands[GATE_BIAS[g]!] = cst([u], w.b.slice(g * u, (g + 1) * u), `lstm/${gate === 'cell' ? 'cell' : `${gate}_gate`}_bias`);
  });
  const variable = { [IS_VARIABLE_ATTR]: unitAttr() };
  operands[OUTPUT_STATE] = cst([1, u], new Float32Array(u), 'lstm/output_state', variable);
  operands[CELL_STATE] = cst([1, u], new Float32Array(u), 'lstm/cell_state', variable);
  const seq = b.createOne('tfl.unidirectional_sequence_lstm', operands, t([1, steps, u]), {
    fused_activation_function: stringAttr('TANH'),
    cell_clip: floatAttr(0, f32()),
    proj_clip: floatAttr(0, f32()),
    time_major: boolAttr(false),
    asymmetric_quantize_inputs: boolAttr(false),
  }, nameLoc('lstm/sequence'));
  const last = b.createOne(
    'tfl.strided_slice',
    [seq, i32Const([0, steps - 1, 0], 'last_step/begin'), i32Const([1, steps, u], 'last_step/end'), i32Const([1, 1, 1], 'last_step/strides')],
    t([1, u]),
    {
      begin_mask: integerAttr(0, i32()),
      end_mask: integerAttr(0, i32()),
      ellipsis_mask: integerAttr(0, i32()),
      new_axis_mask: integerAttr(0, i32()),
      shrink_axis_mask: integerAttr(2, i32()),
      offset: boolAttr(false),
    },
    nameLoc('last_step'),
  );
  const logits = b.createOne('tfl.fully_connected', [last, cst([k, u], w.wd, 'dense/weights'), cst([k], w.bd, 'dense/bias')], t([1, k]), {
    fused_activation_function: stringAttr('NONE'),
    weights_format: stringAttr('DEFAULT'),
    keep_num_dims: boolAttr(false),
  }, nameLoc('logits'));
  const probs = b.createOne('tfl.softmax', [logits], t([1, k]), { beta: floatAttr(1, f32()) }, nameLoc('probs'));
  b.create({ name: 'func.return', operands: [probs], loc: nameLoc('return') });
  return module;
}

function constData(v: Value, what: string): Float32Array {
  const a = v.definingOp?.attr('value');
  if (a?.kind !== 'dense') throw new Error(`${what} is not a constant`);
  const bytes = denseFullBytes(a);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * Reads the weights back from a float classifier module (e.g. an imported .tflite): the inverse of
 * {@link buildFloatModule}. Throws when the module is not such a classifier.
 */
export function weightsFromModule(module: Operation): LstmWeights {
  const func = moduleFuncs(module)[0];
  const ops = func ? [...func.regions[0]!.blocks[0]!.ops()] : [];
  const lstm = ops.find((o) => o.name === 'tfl.unidirectional_sequence_lstm');
  const fc = ops.find((o) => o.name === 'tfl.fully_connected');
  if (!lstm || !fc) throw new Error('not the MNIST LSTM classifier (no LSTM or fully_connected op)');
  const t0 = lstm.operand(INPUT_WEIGHTS[1]).type;
  if (t0.kind !== 'tensor') throw new Error('LSTM weights without a shape');
  const [u, n] = t0.shape as [number, number];
  const fcType = fc.operand(1).type;
  if (fcType.kind !== 'tensor') throw new Error('dense weights without a shape');
  const k = fcType.shape[0]!;
  const wx = new Float32Array(4 * u * n);
  const wh = new Float32Array(4 * u * u);
  const b = new Float32Array(4 * u);
  for (let g = 0; g < 4; g++) {
    wx.set(constData(lstm.operand(INPUT_WEIGHTS[g]!), `input weights of gate ${g}`), g * u * n);
    wh.set(constData(lstm.operand(RECURRENT_WEIGHTS[g]!), `recurrent weights of gate ${g}`), g * u * u);
    b.set(constData(lstm.operand(GATE_BIAS[g]!), `bias of gate ${g}`), g * u);
  }
  const wd = constData(fc.operand(1), 'dense weights');
  return { units: u, inputSize: n, classes: k, wx, wh, b, wd, bd: constData(fc.operand(2), 'dense bias') };
}
