/**
 * Unit tests of qopt-lit: RUN-line shell parsing (quotes, pipes, lists, redirections), directive
 * parsing and substitutions, execution with in-process builtins and real processes (`not`,
 * pipefail, %t), failure reports, discovery and the CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultBuiltins } from '../../tools/lit/builtins.js';
import { type BuiltinCommand, discoverLitTests, runLitFile } from '../../tools/lit/index.js';
import { parseShell, tokenize } from '../../tools/lit/shell.js';
import { evalFeatureExpr, parseDirectives, substitute } from '../../tools/lit/test-file.js';

const scratch = mkdtempSync(join(tmpdir(), 'qopt-lit-unit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;
function testFile(body: string, name = `t${n++}.mlir`): string {
  const p = join(scratch, name);
  writeFileSync(p, body);
  return p;
}

describe('shell parsing', () => {
  it('keeps single-quoted pipelines specs intact', () => {
    const l = parseShell(`qopt %s --pass-pipeline='builtin.module(func.func(a,b{k=v}))' | filecheck %s`);
    expect(l.first.commands).toHaveLength(2);
    expect(l.first.commands[0]?.argv).toEqual(['qopt', '%s', '--pass-pipeline=builtin.module(func.func(a,b{k=v}))']);
    expect(l.first.commands[1]?.argv).toEqual(['filecheck', '%s']);
  });

  it('handles double quotes, escapes and quoted operators', () => {
    expect(tokenize(`echo "a | b" 'c && d' e\\ f "x\\"y" "\\n"`).map((t) => t.v)).toEqual([
      'echo',
      'a | b',
      'c && d',
      'e f',
      'x"y',
      '\\n',
    ]);
  });

  it('parses lists and redirections', () => {
    const l = parseShell('a < in.txt > out.txt 2>&1 && b 2> err.txt || c >> log; d &> all');
    expect(l.first.commands[0]?.redirects).toEqual([
      { kind: 'in', path: 'in.txt' },
      { kind: 'out', fd: 1, path: 'out.txt', append: false },
      { kind: 'dup', fd: 2, to: 1 },
    ]);
    expect(l.rest.map((r) => r.op)).toEqual(['&&', '||', ';']);
    expect(l.rest[0]?.pipeline.commands[0]?.redirects).toEqual([{ kind: 'out', fd: 2, path: 'err.txt', append: false }]);
    expect(l.rest[2]?.pipeline.commands[0]?.redirects).toEqual([{ kind: 'both', path: 'all', append: false }]);
  });

  it('collects leading environment assignments', () => {
    const c = parseShell('FOO=1 BAR="x y" tool arg=2').first.commands[0];
    expect(c?.env).toEqual({ FOO: '1', BAR: 'x y' });
    expect(c?.argv).toEqual(['tool', 'arg=2']);
  });

  it('rejects malformed lines', () => {
    expect(() => parseShell("echo 'oops")).toThrow(/unterminated single quote/);
    expect(() => parseShell('a | | b')).toThrow(/empty command/);
    expect(() => parseShell('a >')).toThrow(/missing file name/);
  });
});

describe('directives and substitutions', () => {
  it('joins RUN continuations and finds REQUIRES/UNSUPPORTED', () => {
    const d = parseDirectives(
      ['// RUN: qopt %s \\', '// RUN:   --opt | filecheck %s', '// RUN: true', '// REQUIRES: a, b && !c', '// UNSUPPORTED: win'].join('\n'),
    );
    expect(d.runLines).toEqual([
      { line: 1, command: 'qopt %s --opt | filecheck %s' },
      { line: 3, command: 'true' },
    ]);
    expect(d.requires).toEqual(['a', 'b && !c']);
    expect(d.unsupported).toEqual(['win']);
  });

  it('ignores RUN: inside other words', () => {
    expect(parseDirectives('// XRUN: nope\n// RUN: yes\n').runLines).toEqual([{ line: 2, command: 'yes' }]);
  });

  it('reports a dangling continuation', () => {
    expect(parseDirectives('// RUN: a \\\n').errors).toHaveLength(1);
  });

  it('evaluates feature expressions', () => {
    const f = new Set(['x86', 'asserts']);
    expect(evalFeatureExpr('x86 && asserts', f)).toBe(true);
    expect(evalFeatureExpr('!x86 || (asserts && arm)', f)).toBe(false);
    expect(evalFeatureExpr('true', f)).toBe(true);
    expect(() => evalFeatureExpr('x86 &&', f)).toThrow();
  });

  it('substitutes %s %S %t %T %% and extras', () => {
    const v = { file: '/d/x.mlir', dir: '/d', tmp: '/t/Output/x.mlir.tmp', tmpDir: '/t/Output', extra: [['%qopt', 'node q.js'] as const] };
    expect(substitute('%qopt %s -o %t.out; ls %S %T; printf 100%%s', v)).toBe(
      'node q.js /d/x.mlir -o /t/Output/x.mlir.tmp.out; ls /d /t/Output; printf 100%s',
    );
  });
});

/** Test builtins: `upper` uppercases stdin, `args` prints its arguments, `fail` exits 3, `boom` throws. */
const builtins = new Map<string, BuiltinCommand>([
  ...defaultBuiltins(),
  ['upper', async (_a, io) => ({ code: 0, stdout: io.stdin.toUpperCase(), stderr: '' })],
  ['args', async (a) => ({ code: 0, stdout: a.join('\n') + '\n', stderr: '' })],
  ['fail', async () => ({ code: 3, stdout: 'partial\n', stderr: 'fail: something broke\n' })],
  [
    'boom',
    async () => {
      throw new Error('kaboom');
    },
  ],
]);

describe('runLitFile', () => {
  it('pipes builtin output into filecheck', async () => {
    const f = testFile(['// RUN: echo hello world | upper | filecheck %s', '// CHECK: HELLO WORLD'].join('\n'));
    const r = await runLitFile(f, builtins);
    expect(r.output).toContain('# RUN: at line 1');
    expect(r.status).toBe('PASS');
  });

  it('passes substituted, quoted arguments through', async () => {
    const f = testFile(
      ["// RUN: args %s '--p=builtin.module(func.func(a,b{k=v}))' | filecheck %s", '// CHECK: {{.*}}.mlir', '// CHECK-NEXT: --p=builtin.module(func.func(a,b{k=v}))'].join('\n'),
    );
    const r = await runLitFile(f, builtins);
    expect(r.status, r.output).toBe('PASS');
  });

  it('inverts exit status with not', async () => {
    const pass = testFile(['// RUN: not fail', '// RUN: echo abc | not filecheck %s', '// CHECK: xyz'].join('\n'));
    expect((await runLitFile(pass, builtins)).status).toBe('PASS');
    const failing = testFile('// RUN: not echo hi\n');
    expect((await runLitFile(failing, builtins)).status).toBe('FAIL');
  });

  it('treats a throwing builtin as a crash', async () => {
    expect((await runLitFile(testFile('// RUN: not --crash boom\n'), builtins)).status).toBe('PASS');
    expect((await runLitFile(testFile('// RUN: not boom\n'), builtins)).status).toBe('FAIL');
    const r = await runLitFile(testFile('// RUN: boom\n'), builtins);
    expect(r.status).toBe('FAIL');
    expect(r.output).toContain('kaboom');
  });

  it('reports failures with the command, its output and exit status', async () => {
    const f = testFile(['// RUN: true', '// RUN: echo abc | filecheck %s', '// RUN: echo never-run', '// CHECK: xyz'].join('\n'));
    const r = await runLitFile(f, builtins);
    expect(r.status).toBe('FAIL');
    expect(r.output).toContain(`# RUN: at line 2\necho abc | filecheck ${f}\n`);
    expect(r.output).toContain(`# executed command: filecheck ${f}`);
    expect(r.output).toContain('# | ' + f + ':4:11: error: CHECK: expected string not found in input');
    expect(r.output).toContain('# error: command failed with exit status: 1');
    expect(r.output).not.toContain('never-run');
  });

  it('shows stdout and stderr of a failing command', async () => {
    const r = await runLitFile(testFile('// RUN: fail\n'), builtins);
    expect(r.status).toBe('FAIL');
    expect(r.output).toContain('# .---command stdout');
    expect(r.output).toContain('# | partial');
    expect(r.output).toContain('# | fail: something broke');
    expect(r.output).toContain('exit status: 3');
  });

  it('uses pipefail semantics', async () => {
    expect((await runLitFile(testFile('// RUN: false | true\n'), builtins)).status).toBe('FAIL');
    expect((await runLitFile(testFile('// RUN: fail | not fail\n'), builtins)).status).toBe('FAIL');
    expect((await runLitFile(testFile('// RUN: false || true\n'), builtins)).status).toBe('PASS');
  });

  it('runs external commands and redirections through %t', async () => {
    const f = testFile(
      [
        '// RUN: echo "x y" > %t && cat %t | filecheck %s',
        '// RUN: printf "a\\nb\\n" > %t.2 && cmp %t.2 %t.2 && test -s %t.2',
        '// RUN: not cmp %t %t.2',
        '// RUN: cat < %t > %t.3 && filecheck %s --input-file %t.3',
        '// RUN: not fail 2>&1 | filecheck %s --check-prefix=ERR',
        '// RUN: fail 2> %t.err; filecheck %s --check-prefix=ERR --input-file %t.err',
        '// CHECK: x y',
        '// ERR: fail: something broke',
      ].join('\n'),
    );
    const r = await runLitFile(f, builtins);
    expect(r.status, r.output).toBe('PASS');
  });

  it('gives each test its own %t and cleans it up', async () => {
    const f1 = testFile('// RUN: echo %t > %t.name && test ! -e %t.other\n');
    const f2 = testFile('// RUN: args %t\n');
    const r1 = await runLitFile(f1, builtins, { keepTemps: true });
    const r2 = await runLitFile(f2, builtins);
    const t1 = /echo (\S+) >/.exec(r1.output)?.[1];
    const t2 = /args (\S+)/.exec(r2.output)?.[1];
    expect(t1 && t2 && t1 !== t2).toBe(true);
    expect(existsSync(`${t1}.name`)).toBe(true);
    expect(t2 && existsSync(resolve(t2, '..'))).toBe(false);
    rmSync(resolve(t1 ?? '', '../..'), { recursive: true, force: true });
  });

  it('reports unknown commands', async () => {
    const r = await runLitFile(testFile('// RUN: definitely-not-a-command-xyz\n'), builtins);
    expect(r.status).toBe('FAIL');
    expect(r.output).toContain('definitely-not-a-command-xyz: command not found');
    expect(r.output).toContain('exit status: 127');
  });

  it('handles REQUIRES and UNSUPPORTED', async () => {
    const req = testFile('// REQUIRES: gpu\n// RUN: false\n');
    expect((await runLitFile(req, builtins)).status).toBe('UNSUPPORTED');
    expect((await runLitFile(req, builtins, { features: ['gpu'] })).status).toBe('FAIL');
    const uns = testFile('// UNSUPPORTED: slow || windows\n// RUN: true\n');
    expect((await runLitFile(uns, builtins, { features: ['slow'] })).status).toBe('UNSUPPORTED');
    expect((await runLitFile(uns, builtins)).status).toBe('PASS');
  });

  it('fails tests without RUN lines', async () => {
    const r = await runLitFile(testFile('// CHECK: x\n'), builtins);
    expect(r.status).toBe('FAIL');
    expect(r.output).toContain("no 'RUN:' line");
  });

  it('joins continued RUN lines before executing', async () => {
    const f = testFile(['// RUN: echo one \\', '// RUN:   two | filecheck %s', '// CHECK: one two'].join('\n'));
    expect((await runLitFile(f, builtins)).status).toBe('PASS');
  });
});

describe('discovery and CLI', () => {
  const root = join(scratch, 'suite');
  mkdirSync(join(root, 'sub', 'Output'), { recursive: true });
  mkdirSync(join(root, '.hidden'), { recursive: true });
  writeFileSync(join(root, 'a.mlir'), '// RUN: echo a | filecheck %s\n// CHECK: a\n');
  writeFileSync(join(root, 'sub', 'b.mlir'), '// RUN: echo b | filecheck %s\n// CHECK: zzz\n');
  writeFileSync(join(root, 'sub', 'c.txt'), '// RUN: false\n');
  writeFileSync(join(root, 'sub', 'Output', 'd.mlir'), '// RUN: false\n');
  writeFileSync(join(root, '.hidden', 'e.mlir'), '// RUN: false\n');

  it('finds .mlir files recursively, skipping Output and hidden directories', () => {
    expect(discoverLitTests([root])).toEqual([join(root, 'a.mlir'), join(root, 'sub', 'b.mlir')]);
    expect(discoverLitTests([join(root, 'sub', 'c.txt')])).toEqual([join(root, 'sub', 'c.txt')]);
    expect(discoverLitTests([root], ['.txt'])).toEqual([join(root, 'sub', 'c.txt')]);
  });

  it('prints PASS/FAIL lines and a summary, exiting 1 on failure', () => {
    const cli = resolve(__dirname, '../../tools/lit/cli.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, '-v', root], { encoding: 'utf8', cwd: resolve(__dirname, '../..') });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^PASS: .*a\.mlir$/m);
    expect(r.stdout).toMatch(/^FAIL: .*b\.mlir$/m);
    expect(r.stdout).toContain('error: CHECK: expected string not found in input');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('1 passed, 1 failed');
    const ok = spawnSync(process.execPath, ['--import', 'tsx', cli, join(root, 'a.mlir')], { encoding: 'utf8', cwd: resolve(__dirname, '../..') });
    expect(ok.status).toBe(0);
    expect(ok.stdout.trimEnd().split('\n').pop()).toBe('1 passed, 0 failed');
  });
});
