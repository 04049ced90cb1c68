// Interpreter.fromFile / fromBytes / fromModule: entry selection, default kernels, MLIR text input
// and clear errors for missing files, non-models and unknown entries.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Interpreter } from '../../src/interp/interpreter.js';
import { parseSource } from '../../src/syntax/parser.js';
import { registerAll } from '../../tools/register.js';

const MLIR = `module {
  func.func @helper(%a: tensor<2xf32>) -> tensor<2xf32> {
    return %a : tensor<2xf32>
  }
  func.func @main(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
    %0 = "tfl.add"(%a, %b) {fused_activation_function = "NONE"} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    return %0 : tensor<2xf32>
  }
}
`;

describe('Interpreter static constructors', () => {
  beforeAll(() => registerAll());

  it('fromModule runs @main with the registered kernels by default, or the named entry', () => {
    const m = parseSource(MLIR, 'add.mlir');
    const main = Interpreter.fromModule(m);
    expect(Array.from(main.run([Float32Array.of(1, 2), Float32Array.of(10, 20)])[0]!.data)).toEqual([11, 22]);
    const helper = Interpreter.fromModule(m, { entry: 'helper' });
    expect(helper.inputs.length).toBe(1);
    expect(() => Interpreter.fromModule(m, { entry: 'nope' })).toThrow(/no function @nope to run/);
  });

  it('fromFile reads MLIR text and .tflite files; fromBytes names the file in errors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qopt-load-'));
    const file = path.join(dir, 'add.mlir');
    fs.writeFileSync(file, MLIR);
    const it1 = Interpreter.fromFile(file, { flavour: 'tflm' });
    expect(Array.from(it1.run([Float32Array.of(0.5, 1), Float32Array.of(0.25, 2)])[0]!.data)).toEqual([0.75, 3]);
    expect(() => Interpreter.fromFile(path.join(dir, 'missing.tflite'))).toThrow(/missing\.tflite: error: could not open model: ENOENT/);
    expect(() => Interpreter.fromBytes(Uint8Array.of(1, 0, 2, 3), {}, 'junk.bin')).toThrow(/junk\.bin.*not a TFLite model/);
    expect(() => Interpreter.fromBytes(new TextEncoder().encode('module {'), {}, 'bad.mlir')).toThrow(/bad\.mlir:1:/);
  });
});
