/**
 * The pass registry of qopt: every shipped pass (one per file, file name = CLI name) and the
 * pipeline aliases, registered together by `registerAllPasses()`.
 */
import type { PassDef } from '../src/pass/pass.js';
import { canonicalizePass } from './canonicalize.js';
import { csePass } from './cse.js';
import { dcePass } from './dce.js';
import { quantCalibratePass } from './quant-calibrate.js';
import { quantInsertCalibrationPass } from './quant-insert-calibration.js';
import { quantMixedPass } from './quant-mixed.js';
import { quantPreparePass } from './quant-prepare.js';
import { quantQuantizePass } from './quant-quantize.js';
import { requantize16x8Pass } from './requantize-16x8.js';
import { symbolDcePass } from './symbol-dce.js';
import { tflFusePass } from './tfl-fuse.js';
import { tflInferShapesPass } from './tfl-infer-shapes.js';
import { tflMaterializeBiasPass } from './tfl-materialize-bias.js';
import { tflUnrollLstmPass } from './tfl-unroll-lstm.js';
import { registerPass, registerPipelineAlias } from '../src/pass/registry.js';

export { canonicalizePass, csePass, dcePass, symbolDcePass };

/** All generic (dialect-independent) passes. */
export const genericPasses: readonly PassDef[] = [canonicalizePass, csePass, dcePass, symbolDcePass] as readonly PassDef[];

/** Registers the generic passes. */
export function registerGenericPasses(): void {
  for (const p of genericPasses) registerPass(p);
}

/** Every pass qopt ships, generic and dialect-specific. */
export const allShippedPasses: readonly PassDef[] = [
  ...genericPasses,
  quantInsertCalibrationPass,
  quantCalibratePass,
  quantPreparePass,
  quantQuantizePass,
  quantMixedPass,
  requantize16x8Pass,
  tflFusePass,
  tflInferShapesPass,
  tflMaterializeBiasPass,
  tflUnrollLstmPass,
] as readonly PassDef[];

let registered = false;

/** Registers every shipped pass and pipeline alias (idempotent). */
export function registerAllPasses(): void {
  if (registered) return;
  registered = true;
  for (const p of allShippedPasses) registerPass(p);
  registerPipelineAlias(
    'quantize-int8',
    'Calibrate and quantize to int8 (int8 activations and weights, int32 biases; float I/O)',
    'quant-insert-calibration,quant-calibrate,quant-prepare{mode=int8},quant-quantize,canonicalize',
  );
  registerPipelineAlias(
    'quantize-16x8',
    'Calibrate and quantize to 16x8 (int16 activations, int8 weights, int64 biases; float I/O)',
    'quant-insert-calibration,quant-calibrate,quant-prepare{mode=16x8},quant-quantize,canonicalize',
  );
  registerPipelineAlias(
    'quantize-mixed',
    'Calibrate and quantize with per-tensor 8/16-bit activations chosen under an accuracy budget (float I/O)',
    'quant-insert-calibration,quant-calibrate,quant-mixed,canonicalize',
  );
  registerPipelineAlias('unroll', 'Unroll float LSTM/RNN sequence ops into per-step primitive ops (tfl-unroll-lstm)', 'tfl-unroll-lstm');
  registerPipelineAlias(
    'requantize-16x8-pipeline',
    'canonicalize, requantize-16x8, canonicalize: an int8 model to a clean 16x8 model',
    'canonicalize,requantize-16x8,canonicalize',
  );
}
