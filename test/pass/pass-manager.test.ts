// The pass manager: func anchoring, verify-after-each, failures as diagnostics, IR printing and
// the timing report.
import { describe, expect, it } from 'vitest';
import { DiagnosticError, errorDiag, formatDiagnostic } from '../../src/ir/diagnostic.js';
import { definePass, opt } from '../../src/pass/pass.js';
import { registerPass } from '../../src/pass/registry.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { parseSource } from '../../src/syntax/parser.js';
import { printOp } from '../../src/syntax/printer.js';
import { funcName, moduleFuncs } from '../../dialects/builtin/index.js';
import { registerTestDialect } from '../passes/test-dialect.js';

registerTestDialect('pm');
const seen: string[] = [];
registerPass(
  definePass({
    name: 'pm-record',
    summary: 'records function names',
    anchor: 'func.func',
    options: { tag: opt.string('', 'prefix') },
    run(op, _ctx, o) {
      seen.push(o.tag + funcName(op));
      return { changed: false };
    },
  }),
);
registerPass(
  definePass({
    name: 'pm-break',
    summary: 'drops the return',
    anchor: 'func.func',
    options: {},
    run(op) {
      op.regions[0]!.blocks[0]!.last!.erase();
      return { changed: true };
    },
  }),
);
registerPass(
  definePass({
    name: 'pm-rename',
    summary: 'adds an attribute to the module',
    anchor: 'builtin.module',
    options: {},
    run(op, ctx) {
      if (ctx.flags.tag === undefined) ctx.emitWarning(op.loc, 'no tag flag');
      op.setAttr('pm.tag', moduleFuncs(op)[0]!.attr('sym_name')!);
      return { changed: true };
    },
  }),
);
registerPass(definePass({ name: 'pm-throw', summary: 't', anchor: 'func.func', options: {}, run() { throw new TypeError('boom'); } }));
registerPass(
  definePass({
    name: 'pm-diag-throw',
    summary: 'd',
    anchor: 'builtin.module',
    options: {},
    run(op) {
      throw new DiagnosticError([errorDiag(op.loc, 'bad input')]);
    },
  }),
);
registerPass(definePass({ name: 'pm-fail', summary: 'f', anchor: 'builtin.module', options: {}, run(_op, ctx) { ctx.signalFailure(); } }));

const SRC = `
func.func @a(%x: i32) -> i32 {
  return %x : i32
}
func.func private @ext(i32) -> i32
func.func @b(%x: i32) -> i32 {
  return %x : i32
}`;
const mod = () => parseSource(SRC, 'in.mlir');

describe('PassManager', () => {
  it('runs func-anchored passes on every function with a body', () => {
    seen.length = 0;
    const r = PassManager.fromPipeline('pm-record{tag=x:},builtin.module(func.func(pm-record))').run(mod());
    expect(r.ok).toBe(true);
    expect(seen).toEqual(['x:a', 'x:b', 'a', 'b']);
    expect(r.timings.map((t) => [t.name, t.runs])).toEqual([['pm-record', 2], ['pm-record', 2], ['verifier', 2]]);
  });
  it('verifies after each pass and names the pass that broke the IR', () => {
    seen.length = 0;
    const r = PassManager.fromPipeline('pm-break,pm-record').run(mod());
    expect(r.ok).toBe(false);
    expect(seen).toEqual([]);
    const text = r.diagnostics.map(formatDiagnostic);
    expect(text.length).toBeGreaterThan(1);
    expect(text.at(-1)).toMatch(/error: verification failed after pass 'pm-break'$/);
    expect(PassManager.fromPipeline('pm-break', { verifyEach: false }).run(mod()).ok).toBe(true);
  });
  it('turns exceptions into diagnostics', () => {
    const r = new PassManager().addPass('pm-throw').run(mod());
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.message)).toEqual(["internal error in pass 'pm-throw': boom"]);
    expect(formatDiagnostic(r.diagnostics[0]!)).toMatch(/^in\.mlir:2:1: error: internal error/);
    const d = new PassManager().addPass('pm-diag-throw').run(mod());
    expect(d.diagnostics.map((x) => x.message)).toEqual(['bad input']);
    const f = new PassManager().addPass('pm-fail').run(mod());
    expect(f.diagnostics.map((x) => x.message)).toEqual(["pass 'pm-fail' failed"]);
    expect(() => new PassManager().addPass('pm-record', { tagg: 'x' })).toThrow(/unknown option 'tagg'/);
    expect(() => new PassManager().addPass('pm-recrod')).toThrow(/did you mean 'pm-record'/);
  });
  it('passes flags and collects warnings', () => {
    const r = new PassManager({ flags: { tag: 1 } }).addPass('pm-rename').run(mod());
    expect(r.diagnostics).toEqual([]);
    const w = new PassManager().addPass('pm-rename').run(mod());
    expect(w.ok).toBe(true);
    expect(w.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual(['warning: no tag flag']);
  });
  it('prints IR after all, after changes, and before/after named passes', () => {
    const logs: string[] = [];
    const base = { print: (op: Parameters<typeof printOp>[0]) => printOp(op), log: (t: string) => logs.push(t) };
    new PassManager({ ...base, printIrAfterAll: true }).addPass('pm-record').addPass('pm-rename').run(mod());
    expect(logs.map((l) => l.split('\n')[0])).toEqual(["// ----- IR after 'pm-record' ----- //", "// ----- IR after 'pm-rename' ----- //"]);
    expect(logs[1]).toContain('pm.tag = "a"');
    logs.length = 0;
    new PassManager({ ...base, printIrAfterChange: true }).addPass('pm-record').addPass('pm-rename').run(mod());
    expect(logs.map((l) => l.split('\n')[0])).toEqual(["// ----- IR after 'pm-rename' ----- //"]);
    logs.length = 0;
    new PassManager({ ...base, printIrBefore: ['pm-rename'], printIrAfter: ['pm-record'] })
      .addPass('pm-record')
      .addPass('pm-rename')
      .run(mod());
    expect(logs.map((l) => l.split('\n')[0])).toEqual(["// ----- IR after 'pm-record' ----- //", "// ----- IR before 'pm-rename' ----- //"]);
  });
  it('logs a timing report', () => {
    const logs: string[] = [];
    const r = PassManager.fromPipeline('pm-record,pm-rename', { timing: true, log: (t) => logs.push(t) }).run(mod());
    expect(r.timings.map((t) => t.name)).toEqual(['pm-record', 'pm-rename', 'verifier']);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/Total wall time: \d+\.\d{4} s/);
    expect(logs[0]).toMatch(/\d+\.\d{4}\s+\d+\.\d%\s+2\s+pm-record\n/);
    expect(logs[0]).toMatch(/100\.0%\s+Total$/);
  });
});
