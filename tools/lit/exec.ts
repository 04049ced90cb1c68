/**
 * Execution of parsed RUN lines: pipelines run stage by stage (stdout feeding the next stdin) with
 * pipefail semantics, `not` / `not --crash` inversion, redirections, in-process builtins supplied by
 * the caller, a few shell builtins (echo, true, false, :, cd, env) and spawnSync for everything else.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ShCommand, type ShList, type ShPipeline, quoteArg } from './shell.js';

/** What a command receives: its standard input and working directory. */
export interface CommandIO {
  stdin: string;
  cwd: string;
}

/** What a command produces. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An in-process command (e.g. `filecheck`, `qopt`). Throwing counts as a crash. */
export type BuiltinCommand = (args: string[], io: CommandIO) => Promise<CommandResult>;

/** Builtins by command name. */
export type BuiltinRegistry = ReadonlyMap<string, BuiltinCommand> | Readonly<Record<string, BuiltinCommand>>;

/** Looks a builtin up in either registry representation. */
export function lookupBuiltin(reg: BuiltinRegistry, name: string): BuiltinCommand | undefined {
  if (reg instanceof Map) return reg.get(name);
  const rec = reg as Readonly<Record<string, BuiltinCommand>>;
  return Object.prototype.hasOwnProperty.call(rec, name) ? rec[name] : undefined;
}

/** Mutable per-test shell state (cwd persists across RUN lines, as in lit's internal shell). */
export interface ShellState {
  cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly builtins: BuiltinRegistry;
  /** Timeout for external processes, in milliseconds. */
  readonly timeoutMs: number;
  /** Log lines in lit's failure-report style. */
  readonly log: string[];
}

interface StageResult extends CommandResult {
  crashed: boolean;
}

/** Executes a command list; returns the exit status of the last pipeline run. */
export async function runList(list: ShList, st: ShellState): Promise<number> {
  let code = await runPipeline(list.first, st);
  for (const { op, pipeline } of list.rest) {
    if (op === '&&' && code !== 0) continue;
    if (op === '||' && code === 0) continue;
    code = await runPipeline(pipeline, st);
  }
  return code;
}

function logBlock(st: ShellState, title: string, text: string): void {
  if (!text) return;
  st.log.push(`# .---${title}${'-'.repeat(Math.max(3, 24 - title.length))}`);
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  for (const l of body.split('\n')) st.log.push(`# | ${l}`);
  st.log.push('# `-----------------------------');
}

async function runPipeline(p: ShPipeline, st: ShellState): Promise<number> {
  let stdin = '';
  let status = 0;
  for (let k = 0; k < p.commands.length; k++) {
    const cmd = p.commands[k];
    if (!cmd) continue;
    const last = k === p.commands.length - 1;
    st.log.push(`# executed command: ${cmd.argv.map(quoteArg).join(' ')}`);
    let r: StageResult;
    let out: { toNext: string; shownStdout: string; shownStderr: string };
    try {
      const input = inputFor(cmd, stdin, st.cwd);
      const sinks = openRedirects(cmd, st.cwd);
      r = await runCommand(cmd.argv, cmd.env, input, st);
      out = routeOutput(sinks, r);
    } catch (e) {
      r = { code: 1, stdout: '', stderr: `${(e as Error).message}\n`, crashed: false };
      out = { toNext: '', shownStdout: '', shownStderr: r.stderr };
    }
    // Only the last stage's stdout is the pipeline's output; earlier stages feed the next stage.
    if (last) logBlock(st, 'command stdout', out.shownStdout);
    logBlock(st, 'command stderr', out.shownStderr);
    if (r.code !== 0) {
      st.log.push(`# error: command failed with exit status: ${r.code}`);
      status = r.code; // pipefail: the last failing stage decides
    }
    stdin = out.toNext;
  }
  return status;
}

function inputFor(cmd: ShCommand, piped: string, cwd: string): string {
  let input = piped;
  for (const r of cmd.redirects) if (r.kind === 'in') input = readFileSync(resolve(cwd, r.path), 'utf8');
  return input;
}

type Sink = { kind: 'pipe' } | { kind: 'stderr' } | { kind: 'file'; path: string };

/** Resolves output redirections (truncating/creating files in order, before the command runs, as a shell does). */
function openRedirects(cmd: ShCommand, cwd: string): { fd1: Sink; fd2: Sink } {
  let fd1: Sink = { kind: 'pipe' };
  let fd2: Sink = { kind: 'stderr' };
  for (const red of cmd.redirects) {
    if (red.kind === 'in') continue;
    if (red.kind === 'dup') {
      if (red.fd === 2) fd2 = fd1;
      else fd1 = fd2;
      continue;
    }
    const path = resolve(cwd, red.path);
    if (!red.append) writeFileSync(path, '');
    else appendFileSync(path, '');
    const sink: Sink = { kind: 'file', path };
    if (red.kind === 'both') {
      fd1 = sink;
      fd2 = sink;
    } else if (red.fd === 1) fd1 = sink;
    else fd2 = sink;
  }
  return { fd1, fd2 };
}

/** Sends a command's stdout/stderr to where its redirections point. */
function routeOutput(sinks: { fd1: Sink; fd2: Sink }, r: CommandResult): { toNext: string; shownStdout: string; shownStderr: string } {
  const { fd1, fd2 } = sinks;
  let toNext = '';
  let shownStderr = '';
  const emit = (sink: Sink, text: string): void => {
    if (!text) return;
    if (sink.kind === 'pipe') toNext += text;
    else if (sink.kind === 'stderr') shownStderr += text;
    else appendFileSync(sink.path, text);
  };
  emit(fd1, r.stdout);
  emit(fd2, r.stderr);
  return { toNext, shownStdout: toNext, shownStderr };
}

/** Runs one command (handling `not`, `env`, builtins, shell builtins, external programs). */
async function runCommand(argv: string[], env: Record<string, string>, stdin: string, st: ShellState): Promise<StageResult> {
  const [name, ...args] = argv;
  if (name === undefined) return { code: 0, stdout: '', stderr: '', crashed: false };
  if (name === 'not') {
    let rest = args;
    let crash = false;
    if (rest[0] === '--crash') {
      crash = true;
      rest = rest.slice(1);
    }
    if (rest.length === 0) return { code: 1, stdout: '', stderr: 'not: missing command\n', crashed: false };
    const r = await runCommand(rest, env, stdin, st);
    const ok = crash ? r.crashed : r.code !== 0 && !r.crashed;
    return { ...r, code: ok ? 0 : 1, crashed: false };
  }
  if (name === 'env') {
    let k = 0;
    const extra: Record<string, string> = { ...env };
    while (k < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[k] ?? '')) {
      const a = args[k] ?? '';
      const eq = a.indexOf('=');
      extra[a.slice(0, eq)] = a.slice(eq + 1);
      k++;
    }
    if (k < args.length) return runCommand(args.slice(k), extra, stdin, st);
  }
  const builtin = lookupBuiltin(st.builtins, name);
  if (builtin) {
    try {
      const r = await builtin(args, { stdin, cwd: st.cwd });
      return { ...r, crashed: false };
    } catch (e) {
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      return { code: 134, stdout: '', stderr: `${name} crashed: ${msg}\n`, crashed: true };
    }
  }
  const shell = shellBuiltin(name, args, st);
  if (shell) return shell;
  return spawnExternal(name, args, env, stdin, st);
}

function shellBuiltin(name: string, args: string[], st: ShellState): StageResult | null {
  const ok = (stdout = ''): StageResult => ({ code: 0, stdout, stderr: '', crashed: false });
  switch (name) {
    case 'true':
    case ':':
      return ok();
    case 'false':
      return { code: 1, stdout: '', stderr: '', crashed: false };
    case 'echo': {
      let rest = args;
      let newline = true;
      let escapes = false;
      while (rest[0] !== undefined && /^-[neE]+$/.test(rest[0])) {
        if (rest[0].includes('n')) newline = false;
        if (rest[0].includes('e')) escapes = true;
        if (rest[0].includes('E')) escapes = false;
        rest = rest.slice(1);
      }
      let text = rest.join(' ');
      if (escapes) text = text.replace(/\\([nt\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
      return ok(text + (newline ? '\n' : ''));
    }
    case 'cd': {
      const target = resolve(st.cwd, args[0] ?? '.');
      try {
        if (!statSync(target).isDirectory()) throw new Error('not a directory');
      } catch {
        return { code: 1, stdout: '', stderr: `cd: ${args[0] ?? ''}: No such file or directory\n`, crashed: false };
      }
      st.cwd = target;
      return ok();
    }
    default:
      return null;
  }
}

function spawnExternal(name: string, args: string[], env: Record<string, string>, stdin: string, st: ShellState): StageResult {
  const r = spawnSync(name, args, {
    input: stdin,
    cwd: st.cwd,
    env: { ...process.env, ...st.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: st.timeoutMs,
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { code: 127, stdout: '', stderr: `${name}: command not found\n`, crashed: false };
    if (code === 'ETIMEDOUT') {
      return { code: 124, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${name}: timed out after ${st.timeoutMs} ms\n`, crashed: false };
    }
    return { code: 126, stdout: '', stderr: `${name}: ${r.error.message}\n`, crashed: false };
  }
  if (r.signal) {
    return { code: 128 + signalNumber(r.signal), stdout: r.stdout ?? '', stderr: r.stderr ?? '', crashed: true };
  }
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', crashed: false };
}

function signalNumber(sig: NodeJS.Signals): number {
  const table: Partial<Record<NodeJS.Signals, number>> = { SIGABRT: 6, SIGSEGV: 11, SIGKILL: 9, SIGTERM: 15, SIGBUS: 7, SIGFPE: 8, SIGILL: 4 };
  return table[sig] ?? 1;
}
