/**
 * Unit tests of the TypeScript FileCheck pieces: ERE translation and matching, diagnostic
 * rendering, argument parsing, pattern parsing, the library API (error locations) and the CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceFile, canonicalizeText, fromByteString, toByteString } from '../../tools/filecheck/diagnostics.js';
import { parseFileCheckArgs, runFileCheck, runFileCheckCommand } from '../../tools/filecheck/index.js';
import { Pattern, VarContext, editDistance } from '../../tools/filecheck/pattern.js';
import { compileEre, escapeEre, execEre, translateEre } from '../../tools/filecheck/regex.js';

const scratch = mkdtempSync(join(tmpdir(), 'qopt-filecheck-unit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function ere(src: string, text: string, start = 0, end = text.length): [number, number] | null {
  const c = compileEre(src, false);
  if (typeof c === 'string') throw new Error(c);
  const m = execEre(c, text, start, end);
  return m ? [m.index, m.end] : null;
}

describe('regex (POSIX ERE -> JS)', () => {
  it('escapes every ERE metacharacter', () => {
    expect(escapeEre('a.b*c(d)[e]{f}|g^h$i+j?k\\')).toBe('a\\.b\\*c\\(d\\)\\[e\\]\\{f\\}\\|g\\^h\\$i\\+j\\?k\\\\');
  });

  it('reports regcomp-style errors', () => {
    const err = (s: string): string | undefined => {
      const t = translateEre(s);
      return t.ok ? undefined : t.error;
    };
    expect(err('a**')).toBe('repetition-operator operand invalid');
    expect(err('*a')).toBe('repetition-operator operand invalid');
    expect(err('(a')).toBe('parentheses not balanced');
    expect(err('a)')).toBe('parentheses not balanced');
    expect(err('[a')).toBe('brackets ([ ]) not balanced');
    expect(err('')).toBe('empty (sub)expression');
    expect(err('a|')).toBe('empty (sub)expression');
    expect(err('a{2,1}')).toBe('invalid repetition count(s)');
    expect(err('a{1')).toBe('braces not balanced');
    expect(err('[z-a]')).toBe('invalid character range');
    expect(err('[[:nope:]]')).toBe('invalid character class');
    expect(err('a\\')).toBe('trailing backslash (\\)');
    expect(err('(a)\\2')).toBe('invalid backreference number');
    expect(err('()')).toBeUndefined();
    expect(err('a{,2}')).toBeUndefined(); // '{' not followed by a digit is literal
  });

  it('counts capture groups', () => {
    const t = translateEre('(a)(b(c))');
    expect(t.ok && t.groups).toBe(3);
  });

  it('treats backslash escapes as literals (\\d is "d")', () => {
    expect(ere('\\d', '5d')).toEqual([1, 2]);
    expect(ere('a\\.b', 'axb a.b')).toEqual([4, 7]);
  });

  it('keeps bracket backslashes literal and honours POSIX classes', () => {
    expect(ere('[\\]', 'a\\')).toEqual([1, 2]);
    expect(ere('[[:digit:]]+', 'ab123c')).toEqual([2, 5]);
    expect(ere('[]x]+', 'a]x]b')).toEqual([1, 4]);
  });

  it('never lets . or [^...] match a newline', () => {
    expect(ere('a.b', 'a\nb')).toBeNull();
    expect(ere('a[^x]b', 'a\nb')).toBeNull();
  });

  it('anchors ^ and $ at line boundaries and at the window edges', () => {
    expect(ere('^b', 'ab')).toBeNull();
    expect(ere('^b', 'ab', 1)).toEqual([1, 2]); // window start counts as a line start
    expect(ere('a$', 'ab\na')).toEqual([3, 4]);
    expect(ere('a$', 'ab', 0, 1)).toEqual([0, 1]); // window end counts as a line end
  });

  it('returns the leftmost-longest match like POSIX', () => {
    expect(ere('a|ab', 'xabc')).toEqual([1, 3]);
    expect(ere('(a|ab)(c|bcd)', 'abcd')).toEqual([0, 4]);
    expect(ere('x?(xy)?', 'xy')).toEqual([0, 2]);
  });
});

describe('diagnostics', () => {
  it('renders header, source line and caret with 1-based line/column', () => {
    const f = new SourceFile('in.txt', 'first\n  second line\n');
    expect(f.format(8, 'error', 'boom')).toBe('in.txt:2:3: error: boom\n  second line\n  ^\n');
  });

  it('marks ranges with ~ and expands tabs', () => {
    const f = new SourceFile('x', 'ab\tcdef\n');
    expect(f.format(3, 'note', 'found here', [[3, 6]])).toBe('x:1:4: note: found here\nab      cdef\n        ^~~\n');
  });

  it('omits the caret for non-ASCII lines and counts columns in bytes', () => {
    const f = new SourceFile('x', toByteString('été x\n'));
    expect(fromByteString(f.format(6, 'note', 'n'))).toBe('x:1:7: note: n\nété x\n');
    const r = runFileCheck('CHECK: x\nCHECK: zz\n', 'k', 'été x\n');
    expect(r.stderr.endsWith('<stdin>:1:8: note: scanning from here\nété x\n')).toBe(true);
  });

  it('matches bytes like LLVM (a dot matches one byte of a multi-byte character)', () => {
    // "[^a]" matches the first byte of "é", so the next search starts in the middle of it.
    const r = runFileCheck('CHECK: {{[^a]}}\nCHECK: zz\n', 'k', 'é\n');
    expect(r.stderr).toContain('<stdin>:1:2: note: scanning from here');
  });

  it('is case-insensitive for ASCII only', () => {
    expect(runFileCheck('CHECK: {{Ab[c-d]}}\n', 'k', 'aBC\n', { ignoreCase: true }).ok).toBe(true);
    expect(runFileCheck('CHECK: {{é}}\n', 'k', 'É\n', { ignoreCase: true }).ok).toBe(false);
  });

  it('canonicalises CRLF and horizontal whitespace', () => {
    expect(canonicalizeText('a \t b\r\nc\t\n', false)).toBe('a b\nc \n');
    expect(canonicalizeText('a \t b\r\n', true)).toBe('a \t b\n');
  });
});

describe('argument parsing', () => {
  it('accepts LLVM spellings', () => {
    const p = parseFileCheckArgs([
      'c.mlir',
      '--check-prefix=A',
      '-check-prefixes=B,C',
      '--input-file',
      'in.txt',
      '-DX=1',
      '-D',
      'Y=2',
      '--implicit-check-not=bad',
      '--implicit-check-not',
      'worse',
      '--match-full-lines',
      '--strict-whitespace',
      '--allow-empty',
      '--dump-input=fail',
      '-v',
    ]);
    expect(p.errors).toEqual([]);
    expect(p.checkFile).toBe('c.mlir');
    expect(p.inputFile).toBe('in.txt');
    expect(p.options.checkPrefixes).toEqual(['A', 'B', 'C']);
    expect(p.options.defines).toEqual(['X=1', 'Y=2']);
    expect(p.options.implicitCheckNot).toEqual(['bad', 'worse']);
    expect(p.options.matchFullLines && p.options.strictWhitespace && p.options.allowEmpty).toBe(true);
  });

  it('reports unknown options and a missing check file', () => {
    expect(parseFileCheckArgs(['--bogus', 'c']).errors[0]).toMatch(/Unknown command line argument '--bogus'/);
    expect(parseFileCheckArgs([]).errors[0]).toMatch(/Not enough positional/);
  });
});

describe('pattern parsing', () => {
  const opts = { strictWhitespace: false, matchFullLines: false, ignoreCase: false };
  const parse = (text: string, kind: 'plain' | 'not' = 'plain'): Pattern => {
    const file = new SourceFile('c', text);
    const p = new Pattern({ kind, count: 1, literal: false }, file, 0, 1);
    p.parse(text, 'CHECK', opts, new VarContext());
    return p;
  };

  it('keeps plain text as a fixed string', () => {
    const p = parse('a.b[c');
    expect(p.fixedStr).toBe('a.b[c');
    expect(p.regexStr).toBe('');
  });

  it('builds an ERE with escaped literals, regex pieces and captures', () => {
    const p = parse('%[[V:[0-9]+]] = {{add|sub}}.x');
    expect(p.regexStr).toBe('%([0-9]+) = (add|sub)\\.x');
    expect(p.varDefs.get('V')).toBe(1);
  });

  it('turns a same-line use into a back-reference', () => {
    expect(parse('[[X:a+]]-[[X]]').regexStr).toBe('(a+)-\\1');
  });

  it('records substitutions for variables defined elsewhere', () => {
    const p = parse('x [[Y]] z');
    expect(p.hasVariable()).toBe(true);
    expect(p.regexStr).toBe('x  z');
  });

  it('computes LLVM edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('runFileCheck', () => {
  it('passes and fails', () => {
    expect(runFileCheck('CHECK: b\n', 'c', 'a b c\n').ok).toBe(true);
    const r = runFileCheck('CHECK: z\n', 'c', 'a b c\n');
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBe(1);
  });

  it('points the error at the failing CHECK line and the input position', () => {
    const check = ['// RUN: qopt %s | filecheck %s', '// CHECK: func @main', '// CHECK-NEXT: tfl.add', ''].join('\n');
    const input = 'module\nfunc @main\n  tfl.mul\n  tfl.add\n';
    const r = runFileCheck(check, 'test.mlir', input);
    expect(r.ok).toBe(false);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('test.mlir:3:16: error: CHECK-NEXT: is not on the line after the previous match');
    expect(lines[1]).toBe('// CHECK-NEXT: tfl.add');
    expect(lines[2]).toBe('               ^');
    // Input whitespace is canonicalised, so "  tfl.add" becomes " tfl.add" (column 2).
    expect(lines[3]).toBe("<stdin>:4:2: note: 'next' match was here");
    expect(r.stderr).toContain('<stdin>:2:11: note: previous match ended here');
    expect(r.stderr).toContain('<stdin>:3:1: note: non-matching line after previous match is here');
  });

  it('reports "scanning from here" at the search start', () => {
    const r = runFileCheck('CHECK: a\nCHECK: nothere\n', 'k.txt', 'xx a yy\nzz\n');
    expect(r.stderr).toMatch(/^k\.txt:2:8: error: CHECK: expected string not found in input\nCHECK: nothere\n {7}\^\n<stdin>:1:5: note: scanning from here\n/);
  });

  it('reports an excluded match with its range', () => {
    const r = runFileCheck('CHECK: a\nCHECK-NOT: bad\nCHECK: z\n', 'k', 'a\nvery bad\nz\n');
    expect(r.stderr).toContain('k:2:12: error: CHECK-NOT: excluded string found in input');
    expect(r.stderr).toContain('<stdin>:2:6: note: found here\nvery bad\n     ^~~\n');
  });

  it('fails with status 2 and a message when there are no check strings', () => {
    const r = runFileCheck('nothing\n', 'k', 'x\n');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("error: no check strings found with prefix 'CHECK:'\n");
  });

  it('uses the input name and command line in the empty-input error', () => {
    const r = runFileCheck('CHECK: a\n', 'k', '', { inputName: 'out.txt', commandLine: 'filecheck k' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("FileCheck error: 'out.txt' is empty.\nFileCheck command line:  filecheck k\n");
  });

  it('supports options through the API', () => {
    expect(runFileCheck('X: a\n', 'k', 'a\n', { checkPrefixes: ['X'] }).ok).toBe(true);
    expect(runFileCheck('CHECK: [[V]]\n', 'k', '42\n', { defines: ['V=42'] }).ok).toBe(true);
    expect(runFileCheck('CHECK: a\n', 'k', 'a\nbad\n', { implicitCheckNot: ['bad'] }).ok).toBe(false);
    expect(runFileCheck('CHECK: a\n', 'k', 'a b\n', { matchFullLines: true }).ok).toBe(false);
    expect(runFileCheck('CHECK: A\n', 'k', 'a\n', { ignoreCase: true }).ok).toBe(true);
  });

  it('handles large inputs quickly', () => {
    const input: string[] = [];
    const check: string[] = [];
    for (let i = 0; i < 5000; i++) {
      input.push(`  %${i} = "tfl.add"(%arg0, %${i}) : (tensor<1x${i}xf32>) -> tensor<1x${i}xf32>`);
      check.push(i % 2 === 0 ? `// CHECK: %[[V${i}:[0-9]+]] = "tfl.add"({{.*}}) {{.*}} -> tensor<1x${i}xf32>` : '// CHECK-NOT: tfl.sub');
    }
    const t0 = performance.now();
    const r = runFileCheck(check.join('\n') + '\n', 'k', input.join('\n') + '\n');
    expect(r.stderr).toBe('');
    expect(r.ok).toBe(true);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

describe('runFileCheckCommand', () => {
  it('reads the check file relative to cwd and the input from --input-file', () => {
    writeFileSync(join(scratch, 'c.txt'), 'CHECK: hello\n');
    writeFileSync(join(scratch, 'in.txt'), 'hello world\n');
    const r = runFileCheckCommand(['c.txt', '--input-file', 'in.txt'], { stdin: '', cwd: scratch });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const bad = runFileCheckCommand(['c.txt', '--input-file=in.txt', '--check-prefix=NOPE'], { stdin: '', cwd: scratch });
    expect(bad.code).toBe(2);
  });

  it('names the input file in diagnostics', () => {
    writeFileSync(join(scratch, 'c2.txt'), 'CHECK: absent\n');
    writeFileSync(join(scratch, 'in2.txt'), 'hello\n');
    const r = runFileCheckCommand(['c2.txt', '--input-file=in2.txt'], { stdin: '', cwd: scratch });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('in2.txt:1:1: note: scanning from here');
  });

  it('reports missing files with status 2', () => {
    const r = runFileCheckCommand(['nope.txt'], { stdin: 'x', cwd: scratch });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("Could not open check file 'nope.txt': No such file or directory\n");
  });

  it('accepts -D with a separate value (an extension over LLVM)', () => {
    writeFileSync(join(scratch, 'c3.txt'), 'CHECK: [[A]]\n');
    expect(runFileCheckCommand(['c3.txt', '-D', 'A=7'], { stdin: '7\n', cwd: scratch }).code).toBe(0);
  });
});

describe('filecheck CLI', () => {
  const cli = resolve(__dirname, '../../tools/filecheck/cli.ts');
  const run = (args: string[], input: string): { status: number | null; stderr: string } => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
      input,
      encoding: 'utf8',
      cwd: resolve(__dirname, '../..'),
    });
    return { status: r.status, stderr: r.stderr };
  };

  it('exits 0 on success and 1 with diagnostics on failure', () => {
    writeFileSync(join(scratch, 'cli.txt'), '// CHECK: ok\n');
    expect(run([join(scratch, 'cli.txt')], 'all ok\n').status).toBe(0);
    const bad = run([join(scratch, 'cli.txt')], 'nope\n');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('error: CHECK: expected string not found in input');
  });
});
