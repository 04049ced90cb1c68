/**
 * The family table of the single-op case generator: which generator makes how many cases of which
 * kernel family, from which seeded stream, in which order. `generateCases(seed)` runs it.
 */
import type { SingleOpCase } from './case.js';
import type { DrawCase } from './build-helpers.js';
import { drawBatchMatmul, drawConv, drawDepthwise, drawFullyConnected, drawFullyConnectedI8I16, drawTransposeConv } from './conv-like.js';
import { drawConcat, drawPad, drawShape, drawSlice } from './data-movement.js';
import { drawActivation, drawElementwise, drawQuantize, drawSoftmax, drawUnary } from './elementwise.js';
import { drawPool, drawReduce } from './pool-reduce.js';
import { Rand } from './rand.js';
import { drawLstm, drawRnn, drawSvdf } from './recurrent.js';

/** One row of the family table. */
interface FamilyRow {
  /** Key in {@link CASE_COUNTS}. */
  readonly key: string;
  /** `SingleOpCase.family` of its cases (several rows may share one). */
  readonly family: string;
  /** Index of its random stream (seed * 1000 + stream): rows never share a stream. */
  readonly stream: number;
  readonly count: number;
  readonly draw: DrawCase;
}

/** The families, in generation order (streams were numbered as families were added). */
const FAMILIES: readonly FamilyRow[] = [
  { key: 'conv', family: 'conv', stream: 1, count: 180, draw: drawConv },
  { key: 'depthwise', family: 'conv', stream: 2, count: 135, draw: drawDepthwise },
  { key: 'transposeConv', family: 'transpose-conv', stream: 3, count: 90, draw: drawTransposeConv },
  { key: 'fullyConnected', family: 'fully-connected', stream: 4, count: 180, draw: drawFullyConnected },
  { key: 'fullyConnectedI8I16', family: 'fully-connected', stream: 18, count: 18, draw: drawFullyConnectedI8I16 },
  { key: 'batchMatmul', family: 'batch-matmul', stream: 5, count: 90, draw: drawBatchMatmul },
  { key: 'pool', family: 'pool', stream: 6, count: 144, draw: drawPool },
  { key: 'reduce', family: 'reduce', stream: 7, count: 144, draw: drawReduce },
  { key: 'elementwise', family: 'elementwise', stream: 8, count: 315, draw: drawElementwise },
  { key: 'unary', family: 'unary', stream: 9, count: 96, draw: drawUnary },
  { key: 'activations', family: 'activations', stream: 10, count: 252, draw: drawActivation },
  { key: 'softmax', family: 'softmax', stream: 11, count: 90, draw: drawSoftmax },
  { key: 'quantize', family: 'quantize', stream: 12, count: 96, draw: drawQuantize },
  { key: 'shape', family: 'shape', stream: 13, count: 216, draw: drawShape },
  { key: 'slice', family: 'slice', stream: 14, count: 144, draw: drawSlice },
  { key: 'concat', family: 'concat', stream: 15, count: 72, draw: drawConcat },
  { key: 'pad', family: 'pad', stream: 16, count: 72, draw: drawPad },
  { key: 'svdf', family: 'svdf', stream: 17, count: 30, draw: drawSvdf },
  { key: 'rnn', family: 'rnn', stream: 19, count: 36, draw: drawRnn },
  { key: 'lstm', family: 'lstm', stream: 20, count: 36, draw: drawLstm },
];

/** How many cases of each family {@link generateCases} makes. */
export const CASE_COUNTS: Readonly<Record<string, number>> = Object.freeze(Object.fromEntries(FAMILIES.map((f) => [f.key, f.count])));

/** Runs one family: draws cases 0..count-1 from its own stream, drawing again where asked to. */
function familyCases(row: FamilyRow, seed: number): SingleOpCase[] {
  const r = new Rand(seed * 1000 + row.stream);
  const out: SingleOpCase[] = [];
  while (out.length < row.count) {
    const c = row.draw(r, out.length);
    if (c) out.push({ id: c.id, family: row.family, op: c.op, operands: c.operands, results: c.results, attrs: c.attrs });
  }
  return out;
}

/** Every generated case, deterministic for a seed. Each family draws from its own stream. */
export function generateCases(seed = 1): SingleOpCase[] {
  return FAMILIES.flatMap((row) => familyCases(row, seed));
}
