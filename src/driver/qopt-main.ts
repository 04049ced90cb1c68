/**
 * The qopt driver as a library function: `runQopt(argv, io)` parses options, reads MLIR or
 * .tflite input, runs the pass pipeline (verifying after each pass), and prints or writes the result.
 * `tools/qopt.ts` is a thin main over it, as mlir-opt is over MlirOptMain.
 */
import { Command, CommanderError, Option } from 'commander';
import { type Diagnostic, DiagnosticError, errorDiag } from '../ir/diagnostic.js';
import { fileLoc } from '../ir/location.js';
import type { Operation } from '../ir/operation.js';
import { verify } from '../ir/verify.js';
import { exportTflite } from '../flatbuffer/export.js';
import { importTflite, isTfliteModel } from '../flatbuffer/import.js';
import { PassManager } from '../pass/pass-manager.js';
import { parseSource } from '../syntax/parser.js';
import { printOp } from '../syntax/printer.js';
import { renderDiagnostic } from './diagnostics.js';
import { helpText } from './help.js';
import type { QoptIO } from './io.js';
import { runCompareCommand } from './compare-main.js';
import { runRunCommand } from './run-main.js';
import { splitInput } from './split-input.js';
import { checkDiagnostics } from './verify-diagnostics.js';

/** Parsed options of the optimizer mode. */
export interface OptOptions {
  output?: string;
  emit?: 'mlir' | 'tflite';
  passes?: string;
  passPipeline?: string;
  splitInputFile?: boolean;
  verifyDiagnostics?: boolean;
  verifyEach: boolean;
  printIrAfterAll?: boolean;
  printIrAfterChange?: boolean;
  printIrBefore?: string;
  printIrAfter?: string;
  timing?: boolean;
  mlirTiming?: boolean;
  mlirPrintDebuginfo?: boolean;
  mlirPrintOpGeneric?: boolean;
  allowUnregisteredDialect?: boolean;
  kernels?: 'tflite' | 'tflm';
  calibrationData?: string;
  strict?: boolean;
}

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function optCommand(io: QoptIO): Command {
  const c = new Command('qopt')
    .argument('[input]', 'input file (.mlir or .tflite), - for stdin')
    .option('-o, --output <file>')
    .addOption(new Option('--emit <format>').choices(['mlir', 'tflite']))
    .option('--passes <pipeline>')
    .option('--pass-pipeline <pipeline>')
    .option('--split-input-file')
    .option('--verify-diagnostics')
    .option('--no-verify-each')
    .option('--print-ir-after-all')
    .option('--print-ir-after-change')
    .option('--print-ir-before <names>')
    .option('--print-ir-after <names>')
    .option('--timing')
    .option('--mlir-timing')
    .option('--mlir-print-debuginfo')
    .option('--mlir-print-op-generic')
    .option('--allow-unregistered-dialect')
    .addOption(new Option('--kernels <flavour>').choices(['tflite', 'tflm']))
    .option('--calibration-data <path>')
    .option('--strict')
    .helpOption(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  return c;
}

/** Runs qopt with command-line arguments (without the node/script prefix). Returns the exit code. */
export async function runQopt(argv: readonly string[], io: QoptIO): Promise<number> {
  try {
    if (argv[0] === 'compare') return await runCompareCommand(argv.slice(1), io);
    if (argv.includes('-h') || argv.includes('--help')) {
      io.stdout(helpText());
      return 0;
    }
    if (argv[0] === 'run') return await runRunCommand(argv.slice(1), io);
    const cmd = optCommand(io);
    cmd.parse([...argv], { from: 'user' });
    return await optMain(cmd.args[0], cmd.opts() as OptOptions, io);
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    if (e instanceof DiagnosticError) {
      for (const d of e.diagnostics) io.stderr(`${renderDiagnostic(d, new Map())}\n`);
      return 1;
    }
    io.stderr(`qopt: error: ${(e as Error).message}\n`);
    if (process.env.QOPT_DEBUG) io.stderr(`${(e as Error).stack}\n`);
    return 1;
  }
}

async function readInput(input: string | undefined, io: QoptIO): Promise<{ name: string; bytes: Uint8Array }> {
  if (input === undefined || input === '-') return { name: '<stdin>', bytes: await io.readStdin() };
  try {
    return { name: input, bytes: io.readFile(input) };
  } catch (e) {
    throw new DiagnosticError([errorDiag(fileLoc(input, 0, 0), `could not open input file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)]);
  }
}

interface ChunkResult {
  readonly diagnostics: Diagnostic[];
  readonly module?: Operation;
  readonly ok: boolean;
}

async function optMain(input: string | undefined, o: OptOptions, io: QoptIO): Promise<number> {
  const { name, bytes } = await readInput(input, io);
  const emit = o.emit ?? (o.output?.endsWith('.tflite') ? 'tflite' : 'mlir');
  const sources = new Map<string, string>();
  const pipelineText = o.passPipeline ?? o.passes;
  // Parse the pipeline once, up front: an unknown pass is an error before any input is read.
  if (pipelineText !== undefined && pipelineText.trim() !== '') PassManager.fromPipeline(pipelineText);
  const printOpts = { debugInfo: o.mlirPrintDebuginfo, generic: o.mlirPrintOpGeneric };
  const results: ChunkResult[] = [];
  const processModule = (module: Operation, diagnostics: Diagnostic[]): ChunkResult => {
    const v = verify(module, { allowUnregistered: o.allowUnregisteredDialect });
    if (v.length) return { diagnostics: [...diagnostics, ...v], ok: false };
    if (pipelineText !== undefined && pipelineText.trim() !== '') {
      const pm = PassManager.fromPipeline(pipelineText, {
        verifyEach: o.verifyEach,
        allowUnregistered: o.allowUnregisteredDialect,
        printIrAfterAll: o.printIrAfterAll,
        printIrAfterChange: o.printIrAfterChange,
        printIrBefore: o.printIrBefore?.split(','),
        printIrAfter: o.printIrAfter?.split(','),
        timing: o.timing || o.mlirTiming,
        print: (op) => printOp(op, printOpts),
        log: (t) => io.stderr(t.endsWith('\n') ? t : `${t}\n`),
        flags: { kernels: o.kernels ?? 'tflite', calibrationData: o.calibrationData, strict: o.strict ?? false, io, inputName: name },
      });
      const r = pm.run(module);
      diagnostics.push(...r.diagnostics);
      if (!r.ok) return { diagnostics, ok: false };
    }
    return { diagnostics, module, ok: true };
  };
  if (isTfliteModel(bytes)) {
    if (o.splitInputFile) throw new DiagnosticError([errorDiag(fileLoc(name, 0, 0), '--split-input-file needs MLIR text input')]);
    results.push(processModule(importTflite(bytes, name), []));
  } else {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    sources.set(name, text);
    const chunks = o.splitInputFile ? splitInput(text) : [{ text, firstLine: 1 }];
    for (const chunk of chunks) {
      // Chunks keep the whole file's line numbers: pad with the lines before them.
      const padded = '\n'.repeat(chunk.firstLine - 1) + chunk.text;
      try {
        results.push(processModule(parseSource(padded, name), []));
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw e;
        results.push({ diagnostics: [...e.diagnostics], ok: false });
      }
    }
    if (o.verifyDiagnostics) {
      const problems: string[] = [];
      chunks.forEach((chunk, i) => {
        const padded = '\n'.repeat(chunk.firstLine - 1) + chunk.text;
        problems.push(...checkDiagnostics(name, padded, results[i]!.diagnostics));
      });
      for (const p of problems) io.stderr(`${p}\n`);
      if (problems.length) return 1;
      const outs = results.filter((r) => r.module).map((r) => printOp(r.module!, printOpts));
      writeOut(outs.join('// -----\n'), o, io);
      return 0;
    }
  }
  let failed = false;
  for (const r of results) {
    for (const d of r.diagnostics) io.stderr(`${renderDiagnostic(d, sources)}\n`);
    if (!r.ok) failed = true;
  }
  if (failed) return 1;
  if (emit === 'tflite') {
    if (results.length !== 1) throw new Error('--emit=tflite needs a single module');
    const out = exportTflite(results[0]!.module!);
    if (!o.output) throw new Error('--emit=tflite needs -o <file> (binary output is not written to a terminal)');
    io.writeFile(o.output, out);
    return 0;
  }
  writeOut(results.map((r) => printOp(r.module!, printOpts)).join('// -----\n'), o, io);
  return 0;
}

function writeOut(text: string, o: OptOptions, io: QoptIO): void {
  if (o.output && o.output !== '-') io.writeFile(o.output, text);
  else io.stdout(text);
}
