#!/usr/bin/env node
/**
 * The `filecheck` command: `filecheck CHECKFILE [flags] < input`. Reads stdin (unless --input-file),
 * runs the in-process FileCheck and exits with its status (0 pass, 1 mismatch, 2 usage/setup error).
 */
import { readFileSync } from 'node:fs';
import { runFileCheckCommand } from './index.js';

function readStdin(args: readonly string[]): string {
  // Only read stdin when no --input-file (other than '-') was given.
  const hasInputFile = args.some((a, i) => {
    const m = /^--?input-file(?:=(.*))?$/.exec(a);
    if (!m) return false;
    const v = m[1] ?? args[i + 1];
    return v !== undefined && v !== '-';
  });
  if (hasInputFile) return '';
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

const args = process.argv.slice(2);
const result = runFileCheckCommand(args, { stdin: readStdin(args), cwd: process.cwd() });
if (result.stdout) process.stdout.write(result.stdout);
if (result.stderr) process.stderr.write(result.stderr);
process.exitCode = result.code;
