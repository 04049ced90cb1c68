/**
 * Registers everything qopt ships: the builtin/func, tfl and quant dialects, all passes and
 * pipelines, and the tfl interpreter kernels. Idempotent.
 */
import { registerBuiltinDialects } from '../dialects/builtin/index.js';
import { registerQuantDialect } from '../dialects/quant/index.js';
import { quantKernels } from '../dialects/quant/kernels.js';
import { tflKernelList } from '../dialects/tfl/kernels/index.js';
import { TflDialect } from '../dialects/tfl/index.js';
import { registerAllPasses } from '../passes/index.js';
import { registerKernels } from '../src/interp/kernel-registry.js';
import { registerDialect } from '../src/ir/registry.js';

let done = false;

/** Registers all dialects, passes and kernels (once). */
export function registerAll(): void {
  if (done) return;
  done = true;
  registerBuiltinDialects();
  registerDialect(TflDialect);
  registerQuantDialect();
  registerAllPasses();
  registerKernels(tflKernelList);
  registerKernels(quantKernels);
}
