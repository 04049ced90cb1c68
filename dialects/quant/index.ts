/**
 * The quant dialect: casts between float, quantized and storage types, calibration statistics and
 * fake-quant ops. Its types (`!quant.uniform`, `!quant.calibrated`) are parsed and printed by the
 * core syntax layer; this module only declares the ops.
 */
import type { Dialect } from '../../src/ir/op-def.js';
import { registerDialect } from '../../src/ir/registry.js';
import { QUANTFORK_DIALECT_OPS, QUANT_DIALECT_OPS } from './ops.js';

export * from './ops.js';

/** The names of every quant op, sorted. */
export const quantOpNames: readonly string[] = Object.freeze([...QUANT_DIALECT_OPS, ...QUANTFORK_DIALECT_OPS].map((d) => d.name).sort());

/** The quant dialect. */
export const QuantDialect: Dialect = Object.freeze({
  name: 'quant',
  summary: 'Quantization casts, calibration statistics and fake quantization',
  ops: QUANT_DIALECT_OPS,
});

/** The quantfork dialect: calibration statistics (`quantfork.stats`) and fake quantization. */
export const QuantforkDialect: Dialect = Object.freeze({
  name: 'quantfork',
  summary: 'Calibration statistics and fake quantization (TensorFlow quantfork names)',
  ops: QUANTFORK_DIALECT_OPS,
});

/** Registers the quant and quantfork dialects (idempotent). */
export function registerQuantDialect(): void {
  registerDialect(QuantDialect);
  registerDialect(QuantforkDialect);
}
