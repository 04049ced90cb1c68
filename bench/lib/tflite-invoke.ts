/**
 * Timing real TFLite through the tfjs-tflite oracle. `OracleRunner.run()` copies inputs in and
 * outputs out through emscripten vectors on every call (≈ 20–300 µs of JS glue), which would swamp
 * small models; the benches time TFLite's `Invoke` alone instead: one `run()` stores the inputs,
 * then the emscripten runner's `Infer()` is called directly. That is the same work qopt's
 * `Interpreter.invoke()` does (inputs already in place, outputs left in place).
 */
import type { OracleRunner } from '../../tools/oracle/tfjs-tflite.js';
import type { TypedArray } from '../../src/interp/kernel.js';

interface EmRunnerLike {
  Infer(): boolean;
}

/**
 * Stores `inputs` with one `run()` (returning its outputs) and gives a function that invokes TFLite
 * once more on the same inputs. Falls back to `run()` when the runner's internals are not there
 * (`direct` is then false).
 */
export function tfliteInvoker(runner: OracleRunner, inputs: readonly TypedArray[]): { outputs: TypedArray[]; invoke: () => void; direct: boolean } {
  const outputs = runner.run(inputs);
  const em = (runner as unknown as { runner?: EmRunnerLike }).runner;
  if (em && typeof em.Infer === 'function') {
    return {
      outputs,
      direct: true,
      invoke: () => {
        if (!em.Infer()) throw new Error('TFLite Invoke failed');
      },
    };
  }
  return { outputs, direct: false, invoke: () => void runner.run(inputs) };
}
