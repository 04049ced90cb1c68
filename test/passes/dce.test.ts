// dce: dead pure ops (including whole chains) go; side-effecting ops, terminators and live ops stay.
import { describe, expect, it } from 'vitest';
import { Builder } from '../../src/ir/builder.js';
import { i32 } from '../../src/ir/type.js';
import type { Value } from '../../src/ir/value.js';
import { createFunc, createModule } from '../../dialects/builtin/index.js';
import { eraseDeadOps } from '../../passes/dce.js';
import { registerTestDialect } from './test-dialect.js';
import { bodyLines, runPipeline } from './helpers.js';

registerTestDialect('dc');

describe('dce', () => {
  it('removes dead chains and keeps effects', () => {
    const { text, result } = runPipeline(
      `func.func @f(%x: i32) -> i32 {
        %a = "dc.neg"(%x) : (i32) -> i32
        %b = "dc.neg"(%a) : (i32) -> i32
        %c = "dc.add"(%b, %a) : (i32, i32) -> i32
        %e = "dc.effect"(%x) : (i32) -> i32
        %k = "dc.neg"(%x) : (i32) -> i32
        return %k : i32
      }`,
      'dce',
    );
    expect(result.changed).toBe(true);
    expect(bodyLines(text)).toEqual([
      '%0 = "dc.effect"(%arg0) : (i32) -> i32',
      '%1 = "dc.neg"(%arg0) : (i32) -> i32',
      'return %1 : i32',
    ]);
    expect(runPipeline(text, 'dce').result.changed).toBe(false);
  });
  it('is linear on a 100k-op dead chain', () => {
    const m = createModule();
    const f = createFunc('f', [i32()], [i32()], m);
    const entry = f.regions[0]!.blocks[0]!;
    const b = new Builder();
    b.setInsertionPointToEnd(entry);
    let v: Value = entry.args[0]!;
    for (let i = 0; i < 100_000; i++) v = b.createOne('dc.neg', [v], i32());
    b.create({ name: 'func.return', operands: [entry.args[0]!] });
    expect(eraseDeadOps(f)).toBe(100_000);
    expect(entry.size).toBe(1);
  });
});
