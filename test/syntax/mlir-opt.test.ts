// Compatibility with real MLIR: what qopt prints, mlir-opt accepts; what mlir-opt prints, qopt parses back.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';

function findMlirOpt(): string | undefined {
  for (const name of ['mlir-opt-22', 'mlir-opt']) {
    const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return name;
  }
  return undefined;
}

const MLIR_OPT = findMlirOpt();

const CASES: Record<string, string> = {
  quant: `module {
  func.func @q(%arg0: tensor<1x4x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>, %arg1: tensor<4x3x!quant.uniform<i8<-127:127>:f32:0, {0.1,0.25,0.5,1.0e-3}>>) -> tensor<1x4x!quant.uniform<i16:f32, 3.0517578125e-05>> {
    %0 = "tfl.quantize"(%arg0) {qtype = tensor<1x4x!quant.uniform<i16:f32, 3.0517578125e-05>>} : (tensor<1x4x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>) -> tensor<1x4x!quant.uniform<i16:f32, 3.0517578125e-05>>
    %1 = "quantfork.stats"(%0) {layerStats = dense<[-1.0, 2.5]> : tensor<2xf32>} : (tensor<1x4x!quant.uniform<i16:f32, 3.0517578125e-05>>) -> tensor<1x4x!quant.uniform<i16:f32, 3.0517578125e-05>>
    %2 = "test.cal"() : () -> tensor<3x!quant.calibrated<f32<-1.5:2.25>>>
    return %1 : tensor<1x4x!quant.uniform<i16:f32, 3.0517578125e-05>>
  }
}`,
  consts: `module attributes {tfl.description = "x", tfl.schema_version = 3 : i32} {
  func.func @c(%arg0: tensor<?x4xf32> {tf.name = "in"}) -> (tensor<?x4xf32>, tensor<2xi64>) {
    %0 = "tfl.pseudo_const"() {value = dense<[[1.5, -2.0, 0.1, 3.3333333e-01]]> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
    %1 = "tfl.add"(%arg0, %0) {fused_activation_function = "NONE"} : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32> loc("add"("model.tflite":1:2))
    %2 = "tfl.pseudo_const"() {value = dense<[9223372036854775807, -9223372036854775808]> : tensor<2xi64>} : () -> tensor<2xi64>
    %3 = "tfl.pseudo_const"() {value = dense<${'"0x' + '0000803F'.repeat(80) + '"'}> : tensor<80xf32>, flags = dense<[true, false, true]> : tensor<3xi1>, nan = 0x7FC00000 : f32, big = 18446744073709551615 : ui64, neg = -3 : i8, u, names = ["a", "b\\22c"], t = tensor<*xf32>} : () -> tensor<80xf32>
    return %1, %2 : tensor<?x4xf32>, tensor<2xi64>
  }
  func.func private @ext(tensor<2xf32>) -> (tensor<2xf32>, i32)
}`,
  regions: `module {
  func.func @w(%arg0: tensor<i32>) -> tensor<i32> {
    %0:2 = "tfl.while"(%arg0, %arg0) ({
    ^bb0(%arg1: tensor<i32>, %arg2: tensor<i32>):
      %1 = "tfl.less"(%arg1, %arg2) : (tensor<i32>, tensor<i32>) -> tensor<i1>
      "tfl.yield"(%1) : (tensor<i1>) -> ()
    }, {
    ^bb0(%arg1: tensor<i32>, %arg2: tensor<i32>):
      "tfl.yield"(%arg1, %arg2) : (tensor<i32>, tensor<i32>) -> ()
    }) {is_stateless = false} : (tensor<i32>, tensor<i32>) -> (tensor<i32>, tensor<i32>)
    %2 = call @w(%0#1) : (tensor<i32>) -> tensor<i32>
    return %2 : tensor<i32>
  }
}`,
};

describe.skipIf(!MLIR_OPT)(`mlir-opt compatibility (${MLIR_OPT ?? 'mlir-opt not installed: apt-get install mlir-22-tools'})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'qopt-mlir-'));
  for (const [name, src] of Object.entries(CASES)) {
    for (const debugInfo of [false, true]) {
      it(`${name}${debugInfo ? ' with locations' : ''}: mlir-opt accepts qopt output and qopt re-reads mlir-opt output`, () => {
        const ours = printOp(parseSource(src, `${name}.mlir`), { debugInfo });
        const file = join(dir, `${name}${debugInfo ? '-d' : ''}.mlir`);
        writeFileSync(file, ours);
        const args = ['--allow-unregistered-dialect', file];
        if (debugInfo) args.unshift('--mlir-print-debuginfo');
        const theirs = execFileSync(MLIR_OPT!, args, { encoding: 'utf8' });
        // Round trip through mlir-opt: same IR when printed by qopt.
        const back = printOp(parseSource(theirs, 'mlir-opt-output.mlir'), { debugInfo: false });
        expect(back).toBe(printOp(parseSource(ours, 'x.mlir'), { debugInfo: false }));
        // And mlir-opt's generic form parses too.
        const generic = execFileSync(MLIR_OPT!, [...args, '--mlir-print-op-generic'], { encoding: 'utf8' });
        expect(() => parseSource(generic, 'generic.mlir')).not.toThrow();
      });
    }
  }
});

if (!MLIR_OPT)
  describe('mlir-opt compatibility', () => {
    it.skip('skipped: mlir-opt (Debian mlir-22-tools) is not installed', () => {});
  });
