/**
 * The global kernel registry: dialects register their kernels at startup; the driver and passes
 * that run the interpreter (calibration) look kernels up here without importing any dialect.
 */
import type { KernelRegistry } from './interpreter.js';
import type { KernelDef } from './kernel.js';

const kernels = new Map<string, KernelDef>();

/** Registers kernels (a second kernel for the same op replaces nothing and throws). */
export function registerKernels(defs: Iterable<KernelDef>): void {
  for (const k of defs) {
    const existing = kernels.get(k.op);
    if (existing === k) continue;
    if (existing) throw new Error(`two kernels registered for '${k.op}'`);
    kernels.set(k.op, k);
  }
}

/** The registered kernels. */
export function registeredKernels(): KernelRegistry {
  return kernels;
}
