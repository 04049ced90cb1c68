/**
 * Child process of `bench/interp.ts`: holds a {@link QoptSession} in a fresh V8 so that earlier
 * models' JIT type feedback does not slow the kernels down, and answers the parent's commands:
 * `{ kernels: file }` -> `{ ops }` (kernel overrides), `{ prepare: rel, flavour }` -> QoptPrepared,
 * `{ batch: n }` -> `{ ms }`, `{ exit: true }`.
 */
import type { KernelFlavour } from '../../src/interp/kernel.js';
import { QoptSession, kernelsWithOverrides } from './qopt-model.js';

type Command = { kernels: string } | { prepare: string; flavour: KernelFlavour } | { batch: number } | { exit: true };

const session = new QoptSession();
process.on('message', (c: Command) => {
  if ('kernels' in c) {
    kernelsWithOverrides(c.kernels).then(
      (k) => {
        session.kernels = k.kernels;
        process.send!({ ops: k.ops });
      },
      (e: unknown) => process.send!({ error: e instanceof Error ? e.message : String(e) }),
    );
  } else if ('prepare' in c) process.send!({ prepared: session.prepare(c.prepare, c.flavour) });
  else if ('batch' in c) process.send!({ ms: session.batch(c.batch) });
  else process.exit(0);
});
