// Print -> parse -> print is a fixed point; types, attributes and locations survive.
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { formatFloat } from '../../src/syntax/number-format.js';
import { registerBuiltinDialects } from '../../dialects/builtin/index.js';
import { verify } from '../../src/ir/verify.js';

registerBuiltinDialects();

const SAMPLE = `
!q = !quant.uniform<i8:f32, 0.05:-3>
module attributes {tfl.description = "MLIR Converted.", tfl.schema_version = 3 : i32} {
  func.func @main(%arg0: tensor<1x4xf32> {tf.name = "x"}, %arg1: tensor<?x4x!quant.uniform<i8<-127:127>:f32:1, {0.1,0.2:1,3.0e-1,4.0}>>) -> (tensor<1x4xf32>, tensor<4xi32>) {
    %cst = "tfl.pseudo_const"() {value = dense<[1, 2, 3, 4]> : tensor<4xi32>} : () -> tensor<4xi32>
    %c2 = "tfl.pseudo_const"() {value = dense<0.5> : tensor<2x2xf32>} : () -> tensor<2x2xf32> loc("c2")
    %1 = "tfl.relu"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %0 = "tfl.add"(%arg0, %1) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32> loc(#loc1)
    %2:2 = "test.two"(%0) ({
    ^bb0(%a: tensor<1x4xf32>):
      "tfl.yield"(%a) : (tensor<1x4xf32>) -> ()
    }) {x = 1.5 : f32, y = 3 : i32, z = [1, "s\\0A", @f], w, t = tensor<3xf32>, q = !q, h = dense<"0x0000803F00000040"> : tensor<2xf32>, b = dense<[true, false]> : tensor<2xi1>, e = dense<> : tensor<0xf32>} : (tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>)
    return %2#1, %cst : tensor<1x4xf32>, tensor<4xi32>
  }
  func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
}
#loc1 = loc("add"("f.mlir":3:4))
`;

describe('print/parse round trip', () => {
  it('is a fixed point', () => {
    const t1 = printOp(parseSource(SAMPLE, 'a.mlir'));
    const t2 = printOp(parseSource(t1, 'b.mlir'));
    expect(t2).toBe(t1);
    expect(t1).toContain('!quant.uniform<i8<-127:127>:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01,4.000000e+00}>');
    expect(t1).toContain('dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>');
    expect(t1).toContain('%4:2 = "test.two"(%3)');
    expect(t1).toContain('"s\\0A"');
  });
  it('keeps locations with debug info', () => {
    const t1 = printOp(parseSource(SAMPLE, 'a.mlir'), { debugInfo: true });
    expect(t1).toContain('loc("add"("f.mlir":3:4))');
    expect(t1).toContain('loc("c2")');
    const t2 = printOp(parseSource(t1, 'b.mlir'), { debugInfo: true });
    expect(t2).toBe(t1);
  });
  it('prints large constants in hex and splats compactly', () => {
    const vals = Array.from({ length: 100 }, (_, i) => i);
    const src = `"tfl.pseudo_const"() {value = dense<[${vals.join(', ')}]> : tensor<100xi32>, s = dense<[7, 7, 7]> : tensor<3xi8>} : () -> tensor<100xi32>`;
    const t = printOp(parseSource(src, 'a.mlir'));
    expect(t).toMatch(/dense<"0x00000000010000000200/);
    expect(t).toContain('dense<7> : tensor<3xi8>');
    expect(printOp(parseSource(t, 'b.mlir'))).toBe(t);
  });
  it('verifies a well-formed module and rejects use before def', () => {
    const good = parseSource('func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {\n  return %a : tensor<2xf32>\n}', 'g.mlir');
    expect(verify(good)).toEqual([]);
    const bad = parseSource(
      'func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {\n  %0 = "x.y"(%1) : (tensor<2xf32>) -> tensor<2xf32>\n  %1 = "x.z"(%a) : (tensor<2xf32>) -> tensor<2xf32>\n  return %0 : tensor<2xf32>\n}',
      'b.mlir',
    );
    const d = verify(bad, { allowUnregistered: true });
    expect(d.map((x) => x.message)).toContain("'x.y' op operand #0 does not dominate this use");
  });
  it('checks return types against the signature', () => {
    const bad = parseSource('func.func @f(%a: tensor<2xf32>) -> tensor<3xf32> {\n  return %a : tensor<2xf32>\n}', 'b.mlir');
    expect(verify(bad)[0]?.message).toMatch(/type of return operand 0/);
  });
});

describe('float format', () => {
  it('uses six digits when exact and the shortest exact form otherwise', () => {
    expect(formatFloat(1, 32)).toBe('1.000000e+00');
    expect(formatFloat(0.1, 64)).toBe('1.000000e-01');
    expect(formatFloat(Math.fround(0.1), 32)).toBe('1.000000e-01');
    expect(formatFloat(Math.fround(1 / 3), 32)).toBe('3.3333334e-01');
    expect(Number(formatFloat(1 / 3, 64))).toBe(1 / 3);
    expect(formatFloat(NaN, 32)).toBe('0x7FC00000');
    expect(formatFloat(-Infinity, 32)).toBe('0xFF800000');
  });
});
