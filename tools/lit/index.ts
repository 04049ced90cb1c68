/**
 * Library API of qopt's small lit: test discovery (`discoverLitTests`) and running one test file
 * (`runLitFile`) — RUN lines are substituted, parsed as shell pipelines and executed with in-process
 * builtins first and real processes otherwise; the result carries a lit-style failure report.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { type BuiltinRegistry, type ShellState, runList } from './exec.js';
import { ShellSyntaxError, parseShell } from './shell.js';
import { evalFeatureExpr, parseDirectives, substitute } from './test-file.js';

export type { BuiltinCommand, BuiltinRegistry, CommandIO, CommandResult } from './exec.js';

/** Outcome of one test file. */
export interface LitResult {
  /** The test file (as passed in). */
  file: string;
  status: 'PASS' | 'FAIL' | 'UNSUPPORTED';
  /** Lit-style log: each RUN line as executed, the commands' stdout/stderr and exit statuses. */
  output: string;
}

/** Options of {@link runLitFile}. */
export interface LitOptions {
  /** Available features for `REQUIRES:` / `UNSUPPORTED:`. */
  features?: Iterable<string>;
  /** Extra substitutions (`['%qopt', '...']`), applied before the built-in ones. */
  substitutions?: readonly (readonly [string, string])[];
  /** Working directory of the commands (default: the test file's directory). */
  cwd?: string;
  /** Extra environment for external commands. */
  env?: Record<string, string>;
  /** Keep the per-test temporary directory instead of deleting it afterwards. */
  keepTemps?: boolean;
  /** Timeout for each external process in milliseconds (default 60 s). */
  timeoutMs?: number;
}

const SKIP_DIRS = new Set(['Output', 'node_modules', '.git']);

/**
 * Lists test files under `paths`: files given explicitly are always included; directories are
 * searched recursively for files with one of `extensions` (default `.mlir`), skipping hidden
 * directories, `Output` and `node_modules`. The result is sorted and de-duplicated.
 */
export function discoverLitTests(paths: readonly string[], extensions: readonly string[] = ['.mlir']): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) walk(p);
      } else if (entry.isFile() && extensions.includes(extname(entry.name))) {
        found.add(p);
      }
    }
  };
  for (const p of paths) {
    const st = statSync(p);
    if (st.isDirectory()) walk(p);
    else found.add(p);
  }
  return [...found].sort();
}

/** Runs all RUN lines of one test file (stopping at the first failing line). */
export async function runLitFile(path: string, builtins: BuiltinRegistry, opts: LitOptions = {}): Promise<LitResult> {
  const file = resolve(path);
  const log: string[] = [];
  const result = (status: LitResult['status']): LitResult => ({ file: path, status, output: log.join('\n') + (log.length ? '\n' : '') });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    log.push(`error: cannot read test file: ${(e as Error).message}`);
    return result('FAIL');
  }
  const d = parseDirectives(text);
  const features = new Set(opts.features ?? []);
  try {
    const missing = d.requires.filter((r) => !evalFeatureExpr(r, features));
    if (missing.length) {
      log.push(`Test requires the following unavailable features: ${missing.join(', ')}`);
      return result('UNSUPPORTED');
    }
    const excluded = d.unsupported.filter((u) => evalFeatureExpr(u, features));
    if (excluded.length) {
      log.push(`Test does not support the following features and/or targets: ${excluded.join(', ')}`);
      return result('UNSUPPORTED');
    }
  } catch (e) {
    log.push(`error: ${(e as Error).message}`);
    return result('FAIL');
  }
  if (d.errors.length) {
    log.push(...d.errors);
    return result('FAIL');
  }
  if (d.runLines.length === 0) {
    log.push("Test has no 'RUN:' line");
    return result('FAIL');
  }

  const tmpRoot = mkdtempSync(join(tmpdir(), 'qopt-lit-'));
  const tmpDir = join(tmpRoot, 'Output');
  mkdirSync(tmpDir, { recursive: true });
  const state: ShellState = {
    cwd: opts.cwd ? resolve(opts.cwd) : dirname(file),
    env: opts.env ?? {},
    builtins,
    timeoutMs: opts.timeoutMs ?? 60_000,
    log,
  };
  const values = {
    file,
    dir: dirname(file),
    tmp: join(tmpDir, basename(file) + '.tmp'),
    tmpDir,
    extra: opts.substitutions ?? [],
  };
  try {
    for (const run of d.runLines) {
      const cmd = substitute(run.command, values);
      log.push(`# RUN: at line ${run.line}`);
      log.push(cmd);
      let code: number;
      try {
        code = await runList(parseShell(cmd), state);
      } catch (e) {
        if (!(e instanceof ShellSyntaxError)) throw e;
        log.push(`# error: ${e.message}`);
        return result('FAIL');
      }
      if (code !== 0) {
        log.push(`# RUN line at line ${run.line} failed with exit status ${code}`);
        return result('FAIL');
      }
    }
    return result('PASS');
  } finally {
    if (!opts.keepTemps) rmSync(tmpRoot, { recursive: true, force: true });
  }
}
