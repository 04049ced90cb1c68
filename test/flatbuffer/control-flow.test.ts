// WHILE with its cond/body subgraphs: qopt imports it as tfl.while referring to functions by symbol,
// verifies it, exports it back, and real TFLite runs the exported model.
import { describe, expect, it } from 'vitest';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { verify } from '../../src/ir/verify.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { isOracleAvailable, loadTfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { registerAll } from '../../tools/register.js';

registerAll();

const WHILE = `module {
  func.func @main(%arg0: tensor<i32>) -> tensor<i32> {
    %c = "tfl.pseudo_const"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
    %0:2 = "tfl.while"(%c, %arg0) {body_subgraph_index = @body, cond_subgraph_index = @cond, is_stateless = false} : (tensor<i32>, tensor<i32>) -> (tensor<i32>, tensor<i32>)
    return %0#0 : tensor<i32>
  }
  func.func private @cond(%arg0: tensor<i32>, %arg1: tensor<i32>) -> tensor<i1> {
    %0 = "tfl.less"(%arg0, %arg1) : (tensor<i32>, tensor<i32>) -> tensor<i1>
    return %0 : tensor<i1>
  }
  func.func private @body(%arg0: tensor<i32>, %arg1: tensor<i32>) -> (tensor<i32>, tensor<i32>) {
    %one = "tfl.pseudo_const"() {value = dense<3> : tensor<i32>} : () -> tensor<i32>
    %0 = "tfl.add"(%arg0, %one) {fused_activation_function = "NONE"} : (tensor<i32>, tensor<i32>) -> tensor<i32>
    return %0, %arg1 : tensor<i32>, tensor<i32>
  }
}
`;

describe('control flow subgraphs', () => {
  it('tfl.while in symbol form verifies, exports and re-imports to the same IR', () => {
    const m = parseSource(WHILE, 'while.mlir');
    expect(verify(m)).toEqual([]);
    const bytes = exportTflite(m);
    const back = importTflite(bytes, 'while.tflite');
    expect(verify(back)).toEqual([]);
    const text = printOp(back);
    expect(text).toContain('"tfl.while"');
    expect(text).toMatch(/body_subgraph_index = @body/);
    expect(printOp(importTflite(exportTflite(back), 'while.tflite'))).toBe(text);
  });
  it('a tfl.while without regions or symbols is rejected', () => {
    const bad = parseSource(WHILE.replace('body_subgraph_index = @body, ', ''), 'bad.mlir');
    expect(verify(bad).map((d) => d.message).join('\n')).toMatch(/requires symbol attribute 'body_subgraph_index'/);
  });
  it.skipIf(!isOracleAvailable())('real TFLite runs the exported WHILE (counts up in steps of 3)', async () => {
    const oracle = await loadTfliteOracle();
    const r = oracle.createRunner(exportTflite(parseSource(WHILE, 'while.mlir')));
    expect(Array.from(r.run([Int32Array.of(10)])[0] as Int32Array)).toEqual([12]);
    r.dispose();
  });
});
