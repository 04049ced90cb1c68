/**
 * `qopt --help`: usage, options, and every registered pass and pipeline alias with its summary and
 * options — generated from the registries, so it is always current.
 */
import { allPasses, allPipelineAliases } from '../pass/registry.js';
import { formatOptionValue } from '../pass/options.js';

const USAGE = `OVERVIEW: qopt — a quantizing MLIR-style compiler for TensorFlow Lite models

USAGE: qopt [options] [input.mlir|input.tflite|-]
       qopt run model.tflite|model.mlir [--input x.npy]... [--output out.npy|out.npz] [options]
       qopt compare reference.tflite test.tflite... --data DATA [--labels y.npy] [--json|--csv|--html FILE] (per-layer quantization error; qopt compare --help)

Input is MLIR text or a .tflite flatbuffer (detected by its TFL3 identifier); '-' or no input
reads stdin. Output is MLIR text, or a .tflite with --emit=tflite (the default when -o ends in .tflite).

OPTIONS:
  -o <file>                     Write the result to <file> (atomically; nothing is written on failure)
  --emit=mlir|tflite            Output format
  --passes=<pipeline>           Passes to run: a,b{opt=v other=w},c
  --pass-pipeline=<pipeline>    MLIR syntax: 'builtin.module(func.func(a,b),c)'
  --split-input-file            Process each '// -----' chunk separately
  --verify-diagnostics          Check diagnostics against expected-error/-warning/-note/-remark comments
  --no-verify-each              Do not run the verifier after each pass
  --print-ir-after-all          Print the IR after every pass (stderr)
  --print-ir-after-change       Print the IR after passes that changed it
  --print-ir-before=<names>     Print the IR before the named passes (comma-separated)
  --print-ir-after=<names>      Print the IR after the named passes
  --timing, --mlir-timing       Report per-pass wall time
  --mlir-print-debuginfo        Print locations
  --mlir-print-op-generic       Print every op in generic form
  --allow-unregistered-dialect  Accept ops of unknown dialects
  --kernels=tflite|tflm         Interpreter kernels for passes that run the model (and for 'run')
  --calibration-data=<path>     Data for calibration passes (.npy, .npz, a folder of .npy or PNG)
  --strict                      Turn quantization fallbacks into errors
  -h, --help                    This help
`;

/** The full help text. */
export function helpText(): string {
  const out = [USAGE, 'PASSES:'];
  for (const p of allPasses()) {
    out.push(`  ${p.name.padEnd(30)}${p.summary}`);
    for (const [name, spec] of Object.entries(p.options)) {
      const dflt = spec.default !== undefined ? ` (default: ${formatOptionValue(spec.default as never)})` : '';
      out.push(`      ${`${name}=<${spec.kind}>`.padEnd(26)}${spec.help ?? ''}${dflt}`);
    }
  }
  const aliases = allPipelineAliases();
  if (aliases.length) {
    out.push('', 'PIPELINES:');
    for (const a of aliases) out.push(`  ${a.name.padEnd(30)}${a.summary}`, `      = ${a.pipeline}`);
  }
  return `${out.join('\n')}\n`;
}
