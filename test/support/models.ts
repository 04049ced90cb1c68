/**
 * A generator of single-op TFL modules for differential testing against real TFLite (the pieces live
 * in ./models/: case description and IR building, helpers, one file per group of op families, the
 * family table). This barrel is the public API the tests import; `generateCases(seed)` draws seeded
 * random shapes, scales, zero points, weights, activations, strides and paddings for every family.
 */
export {
  type Elem,
  type InputGen,
  type OperandSpec,
  type QSpec,
  type SingleOpCase,
  type TensorSpec,
  B,
  F,
  I,
  IA,
  S,
  buildModule,
  caseInputs,
  elementTypeOf,
  tensorTypeOf,
} from './models/case.js';
export { CASE_COUNTS, generateCases } from './models/index.js';
