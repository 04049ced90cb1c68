/**
 * All FileCheck conformance cases, plus helpers that run one case with our in-process FileCheck or
 * with an installed LLVM FileCheck binary (found on PATH), in a scratch directory.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runFileCheckCommand } from '../../../tools/filecheck/index.js';
import { basicCases } from './basics.js';
import { dagNotCases } from './dag-not.js';
import { directiveCases } from './directives.js';
import { flagCases } from './flags.js';
import { regexVarCases } from './regex-vars.js';
import type { FileCheckCase } from './types.js';

export type { Expectation, FileCheckCase } from './types.js';

/** Every conformance case. */
export const allCases: FileCheckCase[] = [...basicCases, ...directiveCases, ...dagNotCases, ...regexVarCases, ...flagCases];

/** The LLVM FileCheck binaries we look for, in order of preference. */
export const LLVM_FILECHECK_NAMES = ['FileCheck-22', 'FileCheck-14', 'FileCheck'];

/** Absolute path of the first LLVM FileCheck found on PATH, or null. */
export function findLlvmFileCheck(): string | null {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter((d) => d.length > 0);
  for (const name of LLVM_FILECHECK_NAMES) {
    for (const d of dirs) {
      const p = join(d, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Major version reported by `bin --version` (e.g. 22 for "LLVM version 22.1.8"), or 0 if unknown. */
export function llvmMajorVersion(bin: string): number {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const m = /LLVM version (\d+)/.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  return m ? Number(m[1]) : 0;
}

/** Exit status and stderr of one run. */
export interface CaseRun {
  code: number;
  stderr: string;
}

function prepare(c: FileCheckCase, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'check.txt'), c.check);
  const args = ['check.txt', ...(c.args ?? [])];
  if (c.inputFile) {
    writeFileSync(join(dir, 'input.txt'), c.input);
    args.push('--input-file', 'input.txt');
  }
  return args;
}

/** Runs a case with our FileCheck (in-process). */
export function runOurs(c: FileCheckCase, dir: string): CaseRun {
  const args = prepare(c, dir);
  const r = runFileCheckCommand(args, { stdin: c.inputFile ? '' : c.input, cwd: dir });
  return { code: r.code, stderr: r.stderr };
}

/** Runs a case with an LLVM FileCheck binary (without its input dump). */
export function runLlvm(bin: string, c: FileCheckCase, dir: string): CaseRun {
  const args = prepare(c, dir);
  const r = spawnSync(bin, [...args, '--dump-input=never'], {
    cwd: dir,
    input: c.inputFile ? '' : c.input,
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stderr: r.stderr };
}

/** Normalises tool-specific details (program name in the echoed command line). */
export function normalizeStderr(s: string): string {
  return s.replace(/^FileCheck command line: .*$/m, 'FileCheck command line: <cmd>');
}

/** Maps an exit status to the expectation vocabulary. */
export function outcome(code: number): 'pass' | 'fail' | 'error' {
  return code === 0 ? 'pass' : code === 1 ? 'fail' : 'error';
}
