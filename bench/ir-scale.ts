/**
 * IR scale benchmark: a generated module of N ops is parsed, verified, canonicalized (+cse) and
 * printed, for N = 10k and 100k; prints a table with times and the 100k/10k ratio (linear ≈ 10).
 * Run: node dist/bench/ir-scale.js
 */
import { PassManager } from '../src/pass/pass-manager.js';
import { verify } from '../src/ir/verify.js';
import { parseSource } from '../src/syntax/parser.js';
import { printOp } from '../src/syntax/printer.js';
import { registerAll } from '../tools/register.js';

registerAll();

/** A chain of elementwise ops with some redundancy for canonicalize/cse to remove. */
export function generateChain(n: number): string {
  const t = 'tensor<1x16xf32>';
  const lines = [`func.func @main(%arg0: ${t}, %arg1: ${t}) -> ${t} {`];
  let prev = '%arg0';
  for (let i = 0; i < n; i++) {
    const name = `%v${i}`;
    switch (i % 4) {
      case 0:
        lines.push(`  ${name} = "tfl.add"(${prev}, %arg1) {fused_activation_function = "NONE"} : (${t}, ${t}) -> ${t}`);
        break;
      case 1:
        lines.push(`  ${name} = "tfl.relu"(${prev}) : (${t}) -> ${t}`);
        break;
      case 2:
        lines.push(`  ${name} = "tfl.mul"(${prev}, %arg1) {fused_activation_function = "NONE"} : (${t}, ${t}) -> ${t}`);
        break;
      default:
        lines.push(`  ${name} = "tfl.tanh"(${prev}) : (${t}) -> ${t}`);
    }
    prev = name;
  }
  lines.push(`  return ${prev} : ${t}`, '}', '');
  return lines.join('\n');
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

function measure(n: number): Record<string, number> {
  const text = generateChain(n);
  const [m, parse] = time(() => parseSource(text, 'gen.mlir'));
  const [diags, ver] = time(() => verify(m));
  if (diags.length) throw new Error(diags[0]!.message);
  const pm = PassManager.fromPipeline('canonicalize,cse', { verifyEach: false });
  const [r, canon] = time(() => pm.run(m));
  if (!r.ok) throw new Error(r.diagnostics[0]!.message);
  const [out, print] = time(() => printOp(m));
  return { ops: n, bytes: text.length, parse, verify: ver, 'canonicalize+cse': canon, print, printedBytes: out.length, heapMB: process.memoryUsage().heapUsed / 1e6 };
}

const small = measure(10_000);
const large = measure(100_000);
console.log('| phase | 10k ops (ms) | 100k ops (ms) | ratio |');
console.log('|---|---:|---:|---:|');
for (const k of ['parse', 'verify', 'canonicalize+cse', 'print']) {
  const a = small[k]!;
  const b = large[k]!;
  console.log(`| ${k} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(1)} |`);
}
console.log(`input ${(large.bytes! / 1e6).toFixed(1)} MB, heap ${large.heapMB!.toFixed(0)} MB after the 100k run`);
