// canonicalize: folds (with constant materialization), registered canonicalization patterns, dead
// op removal, and the test-convergence option.
import { describe, expect, it } from 'vitest';
import { integerAttr } from '../../src/ir/attribute.js';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { opPattern } from '../../src/rewrite/pattern.js';
import { parseSource } from '../../src/syntax/parser.js';
import { registerTestDialect } from './test-dialect.js';
import { bodyLines, runPipeline } from './helpers.js';

// cn: add(x, neg(x)) -> const 0 (a pattern, not a fold); cp: a pattern that never settles
registerTestDialect('cn', {
  addPatterns: [
    opPattern('cn.add', 'add(x, neg(x)) -> 0', (op, rw) => {
      const n = op.operand(1).definingOp;
      if (n?.name !== 'cn.neg' || n.operand(0) !== op.operand(0)) return false;
      const type = op.result(0).type;
      const zero = rw.create({ name: 'cn.const', resultTypes: [type], attributes: { value: integerAttr(0, type) } });
      rw.replaceOp(op, [zero.result(0)]);
      return true;
    }),
  ],
});
registerTestDialect('cp', {
  addPatterns: [
    opPattern('cp.add', 'swap operands forever', (op, rw) => {
      rw.modifyInPlace(op, () => op.setOperands([op.operand(1), op.operand(0)]));
      return true;
    }),
  ],
});

describe('canonicalize', () => {
  it('folds, applies patterns and removes dead ops', () => {
    const { text, result } = runPipeline(
      `func.func @f(%x: i32) -> (i32, i32) {
        %c2 = "cn.const"() {value = 2 : i32} : () -> i32
        %c3 = "cn.const"() {value = 3 : i32} : () -> i32
        %n = "cn.neg"(%x) : (i32) -> i32
        %z = "cn.add"(%x, %n) : (i32, i32) -> i32
        %s = "cn.add"(%c2, %c3) : (i32, i32) -> i32
        %t = "cn.add"(%s, %z) : (i32, i32) -> i32
        %u = "cn.add"(%x, %z) : (i32, i32) -> i32
        return %t, %u : i32, i32
      }`,
      'canonicalize',
    );
    expect(result.changed).toBe(true);
    expect(bodyLines(text)).toEqual(['%0 = "cn.const"() {value = 5 : i32} : () -> i32', 'return %0, %arg0 : i32, i32']);
    expect(runPipeline(text, 'canonicalize{top-down=false}').result.changed).toBe(false);
  });
  it('fails under test-convergence when patterns never settle', () => {
    const src = `func.func @f(%x: i32, %y: i32) -> i32 {
      %0 = "cp.add"(%x, %y) : (i32, i32) -> i32
      return %0 : i32
    }`;
    const ok = PassManager.fromPipeline('canonicalize{max-iterations=2}').run(parseSource(src, 'c.mlir'));
    expect(ok.ok).toBe(true);
    const bad = PassManager.fromPipeline('canonicalize{max-iterations=2 test-convergence=true}').run(parseSource(src, 'c.mlir'));
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.map(formatDiagnostic)).toEqual(['c.mlir:1:1: error: canonicalizer failed to converge within 2 iterations']);
  });
});
