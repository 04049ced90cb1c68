/**
 * Library API of the TypeScript FileCheck: `runFileCheck` (check text + input text -> pass/fail and
 * LLVM-style stderr), `runFileCheckCommand` (a full `filecheck ARGS` invocation with file I/O, used by
 * the CLI and the in-process lit builtin) and re-exports of the argument parser.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type FileCheckRequest, readCheckFile } from './check-file.js';
import {
  FileCheckSetupError,
  SourceFile,
  canonicalizeText,
  formatDiag,
  fromByteString,
  toByteString,
} from './diagnostics.js';
import { checkInput } from './matcher.js';
import { type NumExpr, PatternDiagError, evalExpr, parseNumericBlock, parseVariableName } from './numeric.js';
import { FILECHECK_USAGE, type FileCheckOptions, parseFileCheckArgs } from './options.js';
import { VarContext } from './pattern.js';

export { FILECHECK_USAGE, parseFileCheckArgs } from './options.js';
export type { FileCheckOptions, ParsedFileCheckArgs } from './options.js';

/** Outcome of a FileCheck run. */
export interface FileCheckResult {
  /** True when every check passed (exit status 0). */
  ok: boolean;
  /** 0 = pass, 1 = check failure, 2 = invalid check file / options / empty input (as LLVM). */
  exitCode: number;
  /** Everything FileCheck would print to stderr. */
  stderr: string;
}

const PREFIX_RE = /^[a-zA-Z0-9_-]*$/;

function validatePrefixes(kind: string, seen: Set<string>, prefixes: readonly string[]): string | null {
  for (const p of prefixes) {
    if (p.length === 0) return `error: supplied ${kind} prefix must not be the empty string\n`;
    if (!PREFIX_RE.test(p)) {
      return `error: supplied ${kind} prefix must start with a letter and contain only alphanumeric characters, hyphens, and underscores: '${p}'\n`;
    }
    if (seen.has(p)) return `error: supplied ${kind} prefix must be unique among check and comment prefixes: '${p}'\n`;
    seen.add(p);
  }
  return null;
}

/** Applies `-D` definitions; returns rendered errors (empty on success). */
function defineCmdlineVariables(defines: readonly string[], ctx: VarContext): string {
  if (defines.length === 0) return '';
  let bufText = '';
  const spans: { start: number; len: number; numeric: boolean }[] = [];
  defines.forEach((d, k) => {
    const head = `Global define #${k + 1}: `;
    const eq = d.indexOf('=');
    if (d.startsWith('#')) {
      bufText += head + d + ' (parsed as: [[';
      spans.push({ start: bufText.length, len: d.length, numeric: true });
      bufText += d.slice(0, eq) + ':' + d.slice(eq + 1) + ']])\n';
    } else {
      bufText += head;
      spans.push({ start: bufText.length, len: d.length, numeric: false });
      bufText += d + '\n';
    }
  });
  const file = new SourceFile('Global defines', bufText);
  let errors = '';
  for (const sp of spans) {
    const def = bufText.slice(sp.start, sp.start + sp.len);
    try {
      if (sp.numeric) {
        const block = parseNumericBlock(def.slice(1), sp.start + 1, false, null, ctx);
        if (!block.defined) continue;
        const v = block.expr ? evalOrThrow(block.expr) : 0n;
        block.defined.value = v;
        ctx.numerics.set(block.defined.name, block.defined);
        continue;
      }
      const eq = def.indexOf('=');
      const name = def.slice(0, eq);
      const v = parseVariableName(name);
      if ('error' in v) throw new PatternDiagError(sp.start + v.at, v.error, true);
      if (v.pseudo || v.name.length !== name.length) {
        throw new PatternDiagError(sp.start, `invalid name in string variable definition '${name}'`, true);
      }
      if (ctx.numerics.has(v.name)) {
        throw new PatternDiagError(sp.start, `numeric variable with name '${v.name}' already exists`, true);
      }
      ctx.strings.set(v.name, def.slice(eq + 1));
      ctx.definedStrings.add(v.name);
    } catch (e) {
      if (e instanceof PatternDiagError) errors += formatDiag({ file, pos: e.pos }, 'error', e.message) + '\n';
      else if (e instanceof PlainError) errors += e.message + '\n';
      else throw e;
    }
  }
  return errors;
}

class PlainError extends Error {}

function evalOrThrow(expr: NumExpr): bigint {
  const r = evalExpr(expr);
  if (typeof r === 'bigint') return r;
  const first = r[0];
  if (first && 'undefinedVar' in first) throw new PlainError(`undefined variable: ${first.undefinedVar}`);
  throw new PlainError('unable to represent numeric value');
}

/**
 * Runs FileCheck on in-memory texts. `checkFileName` is only used in diagnostics; the input buffer
 * is named by `options.inputName` (default `<stdin>`).
 */
export function runFileCheck(
  checkText: string,
  checkFileName: string,
  inputText: string,
  options: FileCheckOptions = {},
): FileCheckResult {
  const b = toByteString;
  const list = (xs: string[] | undefined): string[] | undefined => xs?.map(b);
  const r = runOnBytes(b(checkText), b(checkFileName), b(inputText), {
    ...options,
    checkPrefixes: list(options.checkPrefixes),
    commentPrefixes: list(options.commentPrefixes),
    implicitCheckNot: list(options.implicitCheckNot),
    defines: list(options.defines),
    inputName: options.inputName === undefined ? undefined : b(options.inputName),
    commandLine: options.commandLine === undefined ? undefined : b(options.commandLine),
  });
  return { ...r, stderr: fromByteString(r.stderr) };
}

/** {@link runFileCheck} on byte strings (see `toByteString`); stderr is a byte string too. */
function runOnBytes(checkText: string, checkFileName: string, inputText: string, options: FileCheckOptions): FileCheckResult {
  const fail = (stderr: string, exitCode = 2): FileCheckResult => ({ ok: false, exitCode, stderr });
  const seen = new Set<string>();
  if (!options.checkPrefixes || options.checkPrefixes.length === 0) seen.add('CHECK');
  if (!options.commentPrefixes || options.commentPrefixes.length === 0) ['COM', 'RUN'].forEach((p) => seen.add(p));
  const prefixErr =
    validatePrefixes('check', seen, options.checkPrefixes ?? []) ??
    validatePrefixes('comment', seen, options.commentPrefixes ?? []);
  if (prefixErr) return fail(prefixErr);
  for (const d of options.defines ?? []) {
    const eq = d.indexOf('=');
    if (eq === -1) return fail(`Missing equal sign in command-line definition '-D${d}'\n`);
    if (eq === 0) return fail(`Missing variable name in command-line definition '-D${d}'\n`);
  }
  const isDefaultCheckPrefix = !options.checkPrefixes || options.checkPrefixes.length === 0;
  const req: FileCheckRequest = {
    checkPrefixes: isDefaultCheckPrefix ? ['CHECK'] : (options.checkPrefixes ?? []),
    commentPrefixes:
      options.commentPrefixes && options.commentPrefixes.length > 0 ? options.commentPrefixes : ['COM', 'RUN'],
    isDefaultCheckPrefix,
    implicitCheckNot: options.implicitCheckNot ?? [],
    allowUnusedPrefixes: options.allowUnusedPrefixes ?? false,
    enableVarScope: options.enableVarScope ?? false,
    allowDeprecatedDagOverlap: options.allowDeprecatedDagOverlap ?? false,
    strictWhitespace: options.strictWhitespace ?? false,
    matchFullLines: options.matchFullLines ?? false,
    ignoreCase: options.ignoreCase ?? false,
  };
  const ctx = new VarContext();
  const defineErrors = defineCmdlineVariables(options.defines ?? [], ctx);
  if (defineErrors) return fail(defineErrors);

  const checkFile = new SourceFile(checkFileName, canonicalizeText(checkText, req.strictWhitespace));
  const implicitErrors: string[] = [];
  let checks;
  try {
    checks = readCheckFile(checkFile, req, ctx, implicitErrors);
  } catch (e) {
    if (e instanceof FileCheckSetupError) return fail(implicitErrors.join('') + e.message, e.exitCode);
    throw e;
  }
  const inputName = options.inputName ?? '<stdin>';
  if (inputText.length === 0 && !options.allowEmpty) {
    const cmd = options.commandLine ?? `filecheck ${checkFileName}`;
    return fail(`${implicitErrors.join('')}FileCheck error: '${inputName}' is empty.\nFileCheck command line:  ${cmd}\n`);
  }
  const input = new SourceFile(inputName, canonicalizeText(inputText, req.strictWhitespace));
  const out: string[] = [...implicitErrors];
  const ok = checkInput(input, checks, req, ctx, out);
  return { ok, exitCode: ok ? 0 : 1, stderr: out.join('') };
}

/** Result of a command invocation (as used by lit builtins). */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `filecheck ARGS` in-process: reads the check file (relative to `cwd`) and the input from
 * `--input-file` or `stdin`, and returns the exit code and output streams.
 */
export function runFileCheckCommand(args: readonly string[], io: { stdin: string; cwd: string }): CommandResult {
  const parsed = parseFileCheckArgs(args);
  if (parsed.help) return { code: 0, stdout: FILECHECK_USAGE, stderr: '' };
  if (parsed.version) return { code: 0, stdout: 'qopt filecheck (LLVM FileCheck compatible)\n', stderr: '' };
  if (parsed.errors.length !== 0) return { code: 2, stdout: '', stderr: parsed.errors.join('\n') + '\n' };
  const checkPath = parsed.checkFile ?? '';
  // Files are read as raw bytes (latin1 = one char per byte), exactly what the engine works on.
  let checkText: string;
  try {
    checkText = readFileSync(resolve(io.cwd, checkPath), 'latin1');
  } catch (e) {
    return { code: 2, stdout: '', stderr: `Could not open check file '${checkPath}': ${errnoMessage(e)}\n` };
  }
  let inputText: string;
  let inputName = '<stdin>';
  if (parsed.inputFile !== null && parsed.inputFile !== '-') {
    inputName = parsed.inputFile;
    try {
      inputText = readFileSync(resolve(io.cwd, parsed.inputFile), 'latin1');
    } catch (e) {
      return { code: 2, stdout: '', stderr: `Could not open input file '${parsed.inputFile}': ${errnoMessage(e)}\n` };
    }
  } else inputText = toByteString(io.stdin);
  const b = toByteString;
  const o = parsed.options;
  const r = runOnBytes(checkText, b(checkPath), inputText, {
    ...o,
    checkPrefixes: o.checkPrefixes?.map(b),
    commentPrefixes: o.commentPrefixes?.map(b),
    implicitCheckNot: o.implicitCheckNot?.map(b),
    defines: o.defines?.map(b),
    inputName: b(inputName),
    commandLine: b(['filecheck', ...args].join(' ')),
  });
  return { code: r.exitCode, stdout: '', stderr: fromByteString(r.stderr) };
}

function errnoMessage(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EISDIR') return 'Is a directory';
  if (code === 'EACCES') return 'Permission denied';
  return (e as Error).message;
}
