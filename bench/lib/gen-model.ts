/**
 * A generated large model for the benches, built as IR with the Builder: a chain of tfl.add /
 * tfl.relu / tfl.fully_connected on 1x16 f32 tensors whose constants are partly shared (one add
 * operand, most FC weights) and partly distinct (every 10th FC gets its own weights and bias, every
 * other add its own 16-element operand).
 */
import { denseAttr, stringAttr } from '../../src/ir/attribute.js';
import { Builder } from '../../src/ir/builder.js';
import { nameLoc } from '../../src/ir/location.js';
import type { Operation } from '../../src/ir/operation.js';
import { f32, tensorType } from '../../src/ir/type.js';
import type { Value } from '../../src/ir/value.js';
import { createFunc, createModule } from '../../dialects/builtin/index.js';
import { rng } from '../../test/support/corpus.js';

/** Little-endian bytes of seeded random floats in [-1, 1). */
function randomF32Bytes(n: number, r: () => number): Uint8Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r() * 2 - 1;
  return new Uint8Array(a.buffer);
}

/** The generated chain (see the module comment) with about `n` non-constant ops. */
export function generateModel(n: number): Operation {
  const D = 16;
  const t = tensorType([1, D], f32());
  const wt = tensorType([D, D], f32());
  const bt = tensorType([D], f32());
  const r = rng(0xf1a7);
  const module = createModule();
  const f = createFunc('main', [t], [t], module, nameLoc('main'));
  const block = f.regions[0]!.blocks[0]!;
  const b = new Builder();
  b.setInsertionPointToEnd(block);
  const konst = (type: typeof t, bytes: Uint8Array, name: string): Value =>
    b.createOne('tfl.pseudo_const', [], type, { value: denseAttr(type, bytes) }, nameLoc(name));
  const sharedAdd = konst(t, randomF32Bytes(D, r), 'shared_add');
  const sharedW = konst(wt, randomF32Bytes(D * D, r), 'shared_w');
  const sharedB = konst(bt, randomF32Bytes(D, r), 'shared_b');
  let prev: Value = block.args[0]!;
  let fc = 0;
  for (let i = 0; i < n; i++) {
    const name = `v${i}`;
    switch (i % 3) {
      case 0: {
        // Alternate between the shared operand and a distinct one.
        const rhs = i % 6 === 0 ? sharedAdd : konst(t, randomF32Bytes(D, r), `c${i}`);
        prev = b.createOne('tfl.add', [prev, rhs], t, { fused_activation_function: stringAttr('NONE') }, nameLoc(name));
        break;
      }
      case 1:
        prev = b.createOne('tfl.relu', [prev], t, {}, nameLoc(name));
        break;
      default: {
        const distinct = fc++ % 10 === 0;
        const w = distinct ? konst(wt, randomF32Bytes(D * D, r), `w${i}`) : sharedW;
        const bias = distinct ? konst(bt, randomF32Bytes(D, r), `b${i}`) : sharedB;
        prev = b.createOne('tfl.fully_connected', [prev, w, bias], t, { fused_activation_function: stringAttr('NONE') }, nameLoc(name));
      }
    }
  }
  b.create({ name: 'func.return', operands: [prev] });
  return module;
}

