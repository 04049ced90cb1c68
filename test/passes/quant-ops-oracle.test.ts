/**
 * Every quantizable tfl op, quantized by qopt from a float single-op model (the generated float
 * cases of test/support/models.ts, up to 4 per op, calibrated on 8 seeded samples with
 * passes/lib/quant/observe.ts), in both modes: qopt never emits an op/type combination without a
 * kernel — each quantized model prepares in qopt's interpreter, and real TFLite 2.12 (tfjs-tflite,
 * builtin kernels) loads it and computes identical output bytes. The exceptions are the ones
 * qopt knows about: a 16x8 fused LSTM (tflite-micro's kernel, none in TFLite) — and ops left float,
 * each with a warning that gives the reason.
 *
 * 16x8 models are built with record-bias-type=false: quantized_bias_type implies FULLY_CONNECTED
 * v11 / CONV_2D v8 / TRANSPOSE_CONV v5, which TFLite 2.12 lacks (it does not read the field).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findFunc } from '../../dialects/builtin/index.js';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { elementType } from '../../src/ir/type.js';
import { walkPreOrder } from '../../src/ir/walk.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import { PassManager } from '../../src/pass/pass-manager.js';
import { registerAll } from '../../tools/register.js';
import { isOracleAvailable, loadTfliteOracle, type TfliteOracle } from '../../tools/oracle/tfjs-tflite.js';
import { attachStats, observeRanges } from '../../passes/lib/quant/observe.js';
import { registerQuantPipelines } from '../../passes/quant-prepare.js';
import { type SingleOpCase, buildModule, caseInputs, generateCases } from '../support/models.js';
import { rng } from '../support/corpus.js';

registerAll();
registerQuantPipelines();

let oracle: TfliteOracle | undefined;
beforeAll(async () => {
  if (isOracleAvailable()) oracle = await loadTfliteOracle();
});

/** Float cases, at most `per` per op. */
function floatCases(per: number): Map<string, SingleOpCase[]> {
  const byOp = new Map<string, SingleOpCase[]>();
  for (const c of generateCases(1)) {
    if (!c.operands.every((o) => o.kind !== 'input' || o.t.dtype === 'f32') || !c.results.every((r) => r.dtype === 'f32')) continue;
    const l = byOp.get(c.op) ?? [];
    if (l.length < per) l.push(c);
    byOp.set(c.op, l);
  }
  return byOp;
}

for (const mode of ['int8', '16x8'] as const) {
  describe(`single-op models quantized to ${mode}`, () => {
    const cases = floatCases(4);
    for (const [op, list] of cases) {
      it(op, () => {
        let seed = 0;
        for (const c of list) {
          const m = buildModule(c);
          const f = findFunc(m, 'main')!;
          const r = rng(++seed);
          const samples = Array.from({ length: 8 }, () => caseInputs(c, r));
          attachStats(f, observeRanges(f, samples));
          const res = PassManager.fromPipeline(`quant-prepare{mode=${mode} record-bias-type=false},quant-quantize,canonicalize`).run(m);
          expect(res.ok, c.id).toBe(true);
          const the = [...walkPreOrder(m)].find((o) => o.name === c.op);
          if (!the) continue; // folded away by canonicalize (an identity reshape, a one-input concatenation)
          const quantized = [...the.operandValues(), ...the.results].some((v) => v.type.kind !== 'none' && elementType(v.type).kind === 'quant.uniform');
          const warnings = res.diagnostics.filter((d) => d.severity === 'warning');
          if (!quantized) {
            // Left float: always said so, with a reason (unless it had nothing to quantize).
            expect(warnings.length, `${c.id} stays float without a warning`).toBeGreaterThan(0);
            expect(warnings[0]!.message).toMatch(/stays float: \S/);
            continue;
          }
          const x = samples[0]!;
          const mine = new Interpreter(findFunc(m, 'main')!, { kernels: registeredKernels() }).run(x).map((t) => Array.from(t.data as ArrayLike<number>));
          if (!oracle) continue;
          if (mode === '16x8' && c.op === 'tfl.unidirectional_sequence_lstm') {
            expect(() => oracle!.createRunner(exportTflite(m), { builtinOnly: true })).toThrow(/UNIDIRECTIONAL_SEQUENCE_LSTM/);
            continue;
          }
          const runner = oracle.createRunner(exportTflite(m), { builtinOnly: true });
          try {
            const theirs = runner.run(x).map((t) => Array.from(t as ArrayLike<number>));
            expect(theirs, c.id).toEqual(mine);
          } finally {
            runner.dispose();
          }
        }
      });
    }
  });
}
