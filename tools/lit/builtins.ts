/**
 * The default in-process builtins of qopt-lit: `filecheck` (the TypeScript FileCheck) and `qopt`
 * (the library driver with every dialect, pass and kernel registered) — no process per RUN stage.
 */
import { memoryIO } from '../../src/driver/io.js';
import { runQopt } from '../../src/driver/qopt-main.js';
import { runFileCheckCommand } from '../filecheck/index.js';
import { registerAll } from '../register.js';
import type { BuiltinCommand } from './exec.js';

/** `filecheck ARGS`: LLVM-compatible FileCheck running in-process. */
export const filecheckBuiltin: BuiltinCommand = async (args, io) => runFileCheckCommand(args, io);

/** `qopt ARGS`: the qopt driver running in-process. */
export const qoptBuiltin: BuiltinCommand = async (args, io) => {
  registerAll();
  const mio = memoryIO(io.stdin, io.cwd);
  const code = await runQopt(args, mio);
  return { code, stdout: mio.out, stderr: mio.err };
};

/** Builtins available to RUN lines by default. */
export function defaultBuiltins(): Map<string, BuiltinCommand> {
  return new Map<string, BuiltinCommand>([
    ['filecheck', filecheckBuiltin],
    ['FileCheck', filecheckBuiltin],
    ['qopt', qoptBuiltin],
  ]);
}
