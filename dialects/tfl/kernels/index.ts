/**
 * The tfl dialect's interpreter kernels, collected into one registry keyed by op name. Each kernel
 * file documents its type combinations and whether the `tflite` and `tflm` flavours differ.
 */
import type { KernelDef } from '../../../src/interp/kernel.js';
import type { KernelRegistry } from '../../../src/interp/interpreter.js';
import { activationKernels } from './activations.js';
import { batchMatmulKernels } from './batch-matmul.js';
import { concatKernels } from './concat.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { fullyConnectedKernels } from './fully-connected.js';
import { lstmKernels } from './lstm/index.js';
import { padKernels } from './pad.js';
import { poolKernels } from './pool.js';
import { quantizeKernels } from './quantize.js';
import { reduceKernels } from './reduce.js';
import { rnnKernels } from './rnn.js';
import { shapeKernels } from './shape.js';
import { sliceKernels } from './slice.js';
import { softmaxKernels } from './softmax.js';
import { svdfKernels } from './svdf.js';
import { transposeConvKernels } from './transpose-conv.js';
import { unaryKernels } from './unary.js';
import { variableKernels } from './variables.js';

/** Every tfl kernel. */
export const tflKernelList: readonly KernelDef[] = [
  ...activationKernels,
  ...batchMatmulKernels,
  ...concatKernels,
  ...convKernels,
  ...elementwiseKernels,
  ...fullyConnectedKernels,
  ...lstmKernels,
  ...padKernels,
  ...poolKernels,
  ...quantizeKernels,
  ...reduceKernels,
  ...rnnKernels,
  ...shapeKernels,
  ...sliceKernels,
  ...softmaxKernels,
  ...svdfKernels,
  ...transposeConvKernels,
  ...unaryKernels,
  ...variableKernels,
];

/** The tfl kernels by op name. */
export const tflKernels: KernelRegistry = (() => {
  const m = new Map<string, KernelDef>();
  for (const k of tflKernelList) {
    if (m.has(k.op)) throw new Error(`two kernels for '${k.op}'`);
    m.set(k.op, k);
  }
  return m;
})();
