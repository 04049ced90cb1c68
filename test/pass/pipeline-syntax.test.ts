// Pipeline text: both syntaxes, options (typed, quoted, lists), aliases, errors with columns, and
// canonical printing.
import { describe, expect, it } from 'vitest';
import { definePass, opt } from '../../src/pass/pass.js';
import { registerPass, registerPipelineAlias, unknownPassMessage } from '../../src/pass/registry.js';
import { PipelineSyntaxError, parsePipeline, printPipeline } from '../../src/pass/pipeline-syntax.js';
import { formatDiagnostic } from '../../src/ir/diagnostic.js';

const noop = (): void => {};
registerPass(definePass({ name: 'ps-mod', summary: 'm', anchor: 'builtin.module', options: {}, run: noop }));
registerPass(
  definePass({
    name: 'ps-func',
    summary: 'f',
    anchor: 'func.func',
    options: {
      level: opt.int(1, 'level'),
      scale: opt.float(0.5, 'scale'),
      fast: opt.bool(false, 'fast'),
      label: opt.string('', 'label'),
      mode: opt.enum(['a', 'b'], 'a', 'mode'),
      ids: opt.list('int', [], 'ids'),
      names: opt.list('string', [], 'names'),
    },
    run: noop,
  }),
);
registerPass(definePass({ name: 'ps-other', summary: 'o', anchor: 'func.func', options: {}, run: noop }));
registerPipelineAlias('ps-alias', 'both', 'ps-func{level=3},ps-mod');
registerPipelineAlias('ps-broken', 'bad', 'ps-mod,nope');

function err(text: string): PipelineSyntaxError {
  try {
    parsePipeline(text);
  } catch (e) {
    if (e instanceof PipelineSyntaxError) return e;
    throw e;
  }
  throw new Error(`no error for ${text}`);
}

describe('pipeline syntax', () => {
  it('parses the flat form with typed options', () => {
    const p = parsePipeline('ps-mod, ps-func{level=3 scale=2.5e-1 fast mode=b label="x y}" ids=1,2,-3 names=[a, "b c"]},ps-other');
    expect(p.map((i) => i.pass.name)).toEqual(['ps-mod', 'ps-func', 'ps-other']);
    expect(p[1]!.options).toEqual({ level: 3, scale: 0.25, fast: true, label: 'x y}', mode: 'b', ids: [1, 2, -3], names: ['a', 'b c'] });
    expect(p[2]!.options).toEqual({});
  });
  it('parses the nested MLIR form and prints both forms canonically', () => {
    const p = parsePipeline('builtin.module(func.func(ps-func{mode=b level=2}, ps-other), ps-mod)');
    expect(printPipeline(p)).toBe('ps-func{level=2 mode=b},ps-other,ps-mod');
    expect(printPipeline(p, 'mlir')).toBe('builtin.module(func.func(ps-func{level=2 mode=b},ps-other),ps-mod)');
    const q = parsePipeline('ps-func{label="a b" names=x,"y,z" ids=[]}');
    expect(printPipeline(parsePipeline(printPipeline(q)))).toBe(printPipeline(q));
    expect(printPipeline(q)).toBe('ps-func{label="a b" ids=[] names=x,"y,z"}');
    expect(parsePipeline('')).toEqual([]);
  });
  it('expands aliases', () => {
    const p = parsePipeline('ps-other,ps-alias');
    expect(printPipeline(p)).toBe('ps-other,ps-func{level=3},ps-mod');
    const e = err('ps-mod, ps-broken');
    expect([e.column, e.detail]).toEqual([9, "in pipeline 'ps-broken': " + unknownPassMessage('nope')]);
    expect(err('ps-alias{x=1}').detail).toBe("pipeline 'ps-alias' takes no options");
  });
  it('reports unknown passes with a suggestion and the valid names', () => {
    const e = err('ps-mod,ps-fnuc');
    expect(e.column).toBe(8);
    expect(e.detail).toBe(unknownPassMessage('ps-fnuc'));
    expect(e.detail).toMatch(/^unknown pass 'ps-fnuc'; did you mean 'ps-func'\? valid passes: ps-alias, ps-broken, ps-func, ps-mod, ps-other$/);
    expect(formatDiagnostic(e.diagnostics[0]!)).toMatch(/^<pass-pipeline>:1:8: error: unknown pass/);
  });
  it('reports unknown options, bad values and syntax errors with columns', () => {
    const u = err('ps-func{levle=2}');
    expect(u.column).toBe(9);
    expect(u.detail).toBe("unknown option 'levle' for pass 'ps-func'; valid options: fast, ids, label, level, mode, names, scale");
    const v = err('ps-func{level=x}');
    expect(v.detail).toBe("invalid value 'x' for option 'level': expected an integer");
    expect(v.column).toBe(15);
    expect(err('ps-func{mode=c}').detail).toMatch(/expected one of 'a', 'b'/);
    expect(err('ps-func{fast=maybe}').detail).toMatch(/expected true or false/);
    expect(err('ps-func{ids=1,x}').detail).toMatch(/list of int/);
    expect(err('ps-mod{x=1}').detail).toBe("pass 'ps-mod' has no options (got 'x')");
    expect(err('ps-mod ps-other').column).toBe(8);
    expect(err('ps-func{level=1').detail).toBe("expected '}'");
    expect(err('func.func(ps-mod)').detail).toMatch(/cannot be nested in 'func.func'/);
    expect(err('foo.bar(ps-mod)').detail).toMatch(/unknown pipeline anchor/);
    expect(err('builtin.module(ps-mod').detail).toBe("expected ')'");
  });
});
