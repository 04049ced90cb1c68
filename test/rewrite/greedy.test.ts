// The greedy driver: pattern benefit order, folding with constant materialization, dead-op
// erasure, the convergence flag, and a 100k-op chain (no recursion, linear time).
import { describe, expect, it } from 'vitest';
import { integerAttr, unitAttr } from '../../src/ir/attribute.js';
import { Builder } from '../../src/ir/builder.js';
import type { Operation } from '../../src/ir/operation.js';
import { i32 } from '../../src/ir/type.js';
import { verify } from '../../src/ir/verify.js';
import { applyPatternsGreedily } from '../../src/rewrite/greedy.js';
import { PatternSet, opPattern } from '../../src/rewrite/pattern.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { createFunc, createModule } from '../../dialects/builtin/index.js';
import { registerTestDialect } from '../passes/test-dialect.js';

registerTestDialect('gr');

const body = (m: Operation): string =>
  printOp(m)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(module|func\.func|\})/.test(l))
    .join('\n');

describe('applyPatternsGreedily', () => {
  it('tries patterns best benefit first', () => {
    const m = parseSource(`func.func @f(%x: i32) -> i32 {
      %0 = "gr.neg"(%x) : (i32) -> i32
      return %0 : i32
    }`);
    const fired: string[] = [];
    const mark = (tag: string) => (op: Operation, rw: Builder) => {
      if (op.attr('done')) return false;
      fired.push(tag);
      rw.modifyInPlace(op, () => op.setAttr('done', unitAttr()));
      return true;
    };
    const ps = new PatternSet([
      opPattern('gr.neg', 'low', mark('low'), { benefit: 1 }),
      opPattern('gr.neg', 'high', mark('high'), { benefit: 5 }),
    ]);
    const r = applyPatternsGreedily(m, ps);
    expect(fired).toEqual(['high']);
    expect(r).toMatchObject({ changed: true, converged: true, rewrites: 1 });
  });

  it('folds to constants through materializeConstant and erases dead ops', () => {
    const m = parseSource(`func.func @f(%x: i32) -> (i32, i32) {
      %a = "gr.const"() {value = 2 : i32} : () -> i32
      %b = "gr.const"() {value = 3 : i32} : () -> i32
      %z = "gr.const"() {value = 0 : i32} : () -> i32
      %s = "gr.add"(%a, %b) : (i32, i32) -> i32
      %t = "gr.add"(%x, %z) : (i32, i32) -> i32
      %dead = "gr.neg"(%t) : (i32) -> i32
      "gr.effect"(%t) : (i32) -> ()
      return %s, %t : i32, i32
    }`);
    const r = applyPatternsGreedily(m, new PatternSet());
    expect(r.converged).toBe(true);
    expect(verify(m)).toEqual([]);
    expect(body(m)).toBe(
      ['%0 = "gr.const"() {value = 5 : i32} : () -> i32', '"gr.effect"(%arg0) : (i32) -> ()', 'return %0, %arg0 : i32, i32'].join('\n'),
    );
    const keep = parseSource(`func.func @f(%x: i32) -> i32 {
      %z = "gr.const"() {value = 0 : i32} : () -> i32
      %t = "gr.add"(%x, %z) : (i32, i32) -> i32
      return %t : i32
    }`);
    expect(applyPatternsGreedily(keep, new PatternSet(), { useFolds: false }).changed).toBe(false);
  });

  it('reports non-convergence for a ping-pong pattern pair', () => {
    const m = parseSource(`func.func @f(%x: i32) -> i32 {
      %0 = "gr.neg"(%x) : (i32) -> i32
      return %0 : i32
    }`);
    const ps = new PatternSet([
      opPattern('gr.neg', 'set', (op, rw) => {
        if (op.attr('flip')) return false;
        rw.modifyInPlace(op, () => op.setAttr('flip', unitAttr()));
        return true;
      }),
      opPattern('gr.neg', 'clear', (op, rw) => {
        if (!op.attr('flip')) return false;
        rw.modifyInPlace(op, () => op.removeAttr('flip'));
        return true;
      }),
    ]);
    const r = applyPatternsGreedily(m, ps, { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(r.changed).toBe(true);
  });

  it('handles a 100k-op chain without recursion', () => {
    const m = createModule();
    const f = createFunc('f', [i32()], [i32()], m);
    const entry = f.regions[0]!.blocks[0]!;
    const b = new Builder();
    b.setInsertionPointToEnd(entry);
    const zero = b.createOne('gr.const', [], i32(), { value: integerAttr(0, i32()) });
    let v = entry.args[0]!;
    let last = v as import('../../src/ir/value.js').Value;
    for (let i = 0; i < 100_000; i++) last = b.createOne(i % 2 ? 'gr.add' : 'gr.neg', i % 2 ? [last, zero] : [last], i32());
    b.create({ name: 'func.return', operands: [last] });
    const r = applyPatternsGreedily(f, new PatternSet());
    expect(r.converged).toBe(true);
    expect(r.rewrites).toBe(50_001); // 50k folds + the dead zero constant
    expect(entry.size).toBe(50_001);
    // all dead: erased bottom-up through the chain
    const ret = entry.last!;
    b.setInsertionPointBefore(ret);
    ret.setOperand(0, v);
    const d = applyPatternsGreedily(f, new PatternSet(), { topDown: false });
    expect(d.converged).toBe(true);
    expect(entry.size).toBe(1);
    v = entry.args[0]!;
    expect(ret.operand(0)).toBe(v);
  });
});
