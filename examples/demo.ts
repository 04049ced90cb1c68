/**
 * The built-in end-to-end example (`npm run demo`): builds a small float model with qopt's own IR
 * builder, optimizes it, exports a .tflite, runs it in qopt's interpreter and in real TFLite
 * (tfjs-tflite, when installed), and prints both outputs and whether they agree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFunc, createModule } from '../dialects/builtin/index.js';
import { exportTflite } from '../src/flatbuffer/export.js';
import { importTflite } from '../src/flatbuffer/import.js';
import { denseAttr, floatAttr, stringAttr } from '../src/ir/attribute.js';
import { Builder } from '../src/ir/builder.js';
import { nameLoc } from '../src/ir/location.js';
import { f32, tensorType } from '../src/ir/type.js';
import { verify } from '../src/ir/verify.js';
import { Interpreter } from '../src/interp/interpreter.js';
import { registeredKernels } from '../src/interp/kernel-registry.js';
import { PassManager } from '../src/pass/pass-manager.js';
import { printOp } from '../src/syntax/printer.js';
import { registerAll } from '../tools/register.js';

registerAll();

function weights(shape: number[], seed: number): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    a[i] = (s / 2147483648 - 0.5) * 0.8;
  }
  return new Uint8Array(a.buffer);
}

/** A 2-layer MLP: x[1,8] -> FC(16) -> relu -> FC(4) -> softmax. */
function buildModel() {
  const m = createModule();
  const t = (s: number[]) => tensorType(s, f32());
  const f = createFunc('main', [t([1, 8])], [t([1, 4])], m);
  const b = new Builder();
  b.setInsertionPointToEnd(f.regions[0]!.blocks[0]!);
  const x = f.regions[0]!.blocks[0]!.args[0]!;
  const cst = (shape: number[], seed: number, name: string) =>
    b.createOne('tfl.pseudo_const', [], t(shape), { value: denseAttr(t(shape), weights(shape, seed)) }, nameLoc(name));
  const none = { fused_activation_function: stringAttr('NONE'), weights_format: stringAttr('DEFAULT') };
  const h = b.createOne('tfl.fully_connected', [x, cst([16, 8], 1, 'w1'), cst([16], 2, 'b1')], t([1, 16]), none, nameLoc('dense1'));
  const r = b.createOne('tfl.relu', [h], t([1, 16]), {}, nameLoc('relu1'));
  const o = b.createOne('tfl.fully_connected', [r, cst([4, 16], 3, 'w2'), cst([4], 4, 'b2')], t([1, 4]), none, nameLoc('dense2'));
  const sm = b.createOne('tfl.softmax', [o], t([1, 4]), { beta: floatAttr(1, f32()) }, nameLoc('probs'));
  b.create({ name: 'func.return', operands: [sm] });
  return m;
}

async function main(): Promise<void> {
  const out = join(process.cwd(), 'demo-out');
  mkdirSync(out, { recursive: true });
  const module = buildModel();
  const errs = verify(module);
  if (errs.length) throw new Error(errs.map((e) => e.message).join('\n'));
  const pm = PassManager.fromPipeline('canonicalize,cse', { print: (op) => printOp(op) });
  const r = pm.run(module);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  writeFileSync(join(out, 'demo.mlir'), printOp(module, { debugInfo: true }));
  const bytes = exportTflite(module);
  writeFileSync(join(out, 'demo.tflite'), bytes);
  console.log(`wrote demo-out/demo.mlir and demo-out/demo.tflite (${bytes.length} bytes)`);
  const input = new Float32Array([0.5, -1, 0.25, 2, -0.75, 1, 0, -0.5]);
  const reimported = importTflite(bytes, 'demo.tflite');
  const interp = new Interpreter(reimported.regions[0]!.blocks[0]!.first!, { kernels: registeredKernels() });
  const ours = interp.run([input])[0]!.data as Float32Array;
  console.log(`qopt interpreter: [${Array.from(ours, (v) => v.toFixed(6)).join(', ')}]  (arena ${interp.arenaBytes} B)`);
  try {
    const { loadTfliteOracle } = await import('../tools/oracle/tfjs-tflite.js');
    const oracle = await loadTfliteOracle();
    const runner = oracle.createRunner(bytes);
    const theirs = runner.run([input])[0] as Float32Array;
    console.log(`real TFLite:      [${Array.from(theirs, (v) => v.toFixed(6)).join(', ')}]`);
    const maxDiff = Math.max(...Array.from(ours, (v, i) => Math.abs(v - theirs[i]!)));
    console.log(`max |difference| = ${maxDiff.toExponential(2)}`);
  } catch (e) {
    console.log(`real TFLite not run: ${(e as Error).message}`);
  }
}

await main();
