/**
 * `tfl-infer-shapes`: refines unranked and dynamic result types to the shapes the ops' shape
 * functions infer (`OpDef.inferResultShapes`, through src/ir/shape-inference.ts), keeping element
 * and quantized types (and `qtype`, which restates them); function result types and func.call results
 * follow the refined values.
 */
import { typeAttr } from '../src/ir/attribute.js';
import { Builder } from '../src/ir/builder.js';
import { locName } from '../src/ir/location.js';
import type { Operation } from '../src/ir/operation.js';
import { declaredShape, inferResultShapes, needsShape, refineType } from '../src/ir/shape-inference.js';
import { type Type, functionType } from '../src/ir/type.js';
import { walkPreOrder } from '../src/ir/walk.js';
import { type PassContext, definePass } from '../src/pass/pass.js';
import { findFunc, funcType } from '../dialects/builtin/index.js';

/** The attribute in which tfl ops (quantize, pseudo_qconst) restate their result type. */
const MIRRORED_TYPE_ATTR = 'qtype';

/** How one sweep went: whether a type changed, or the first error (op and message). */
type Sweep = { readonly changed: boolean } | { readonly error: { readonly op: Operation; readonly message: string } };

/** `result #1 ('name')` for messages. */
function resultText(op: Operation, i: number): string {
  const n = locName(op.loc);
  return n === undefined ? `result #${i}` : `result #${i} ('${n}')`;
}

/** Refines the results of `op` that lack a static shape by its shape function. */
function refineOp(op: Operation, b: Builder): Sweep {
  const first = op.results.findIndex((r) => needsShape(r.type));
  if (first < 0) return { changed: false };
  const inferred = inferResultShapes(op);
  if (inferred === undefined) return { changed: false };
  if (typeof inferred === 'string') return { error: { op, message: `cannot infer the shape of ${resultText(op, first)}: ${inferred}` } };
  let changed = false;
  for (let i = 0; i < op.results.length; i++) {
    const r = op.result(i);
    const s = inferred[i];
    if (!s || !needsShape(r.type)) continue;
    const t = refineType(r.type, s);
    if (typeof t === 'string') return { error: { op, message: `cannot refine ${resultText(op, i)}: ${t}` } };
    if (t === r.type) continue;
    const old = r.type;
    b.modifyInPlace(op, () => {
      r.type = t;
      // An attribute that restates the result type (tfl.quantize's qtype) follows it.
      const q = op.attr(MIRRORED_TYPE_ATTR);
      if (q?.kind === 'type' && q.value === old) op.setAttr(MIRRORED_TYPE_ATTR, typeAttr(t));
    });
    changed = true;
  }
  return { changed };
}

/** A func.call's results take the callee's result types where those refine them. */
function refineCall(call: Operation, module: Operation, b: Builder): boolean {
  const callee = call.attr('callee');
  const target = callee?.kind === 'symbol_ref' ? findFunc(module, callee.root) : undefined;
  if (!target) return false;
  const results = funcType(target).results;
  let changed = false;
  call.results.forEach((r, i) => {
    const want = results[i];
    const s = want ? declaredShape(want) : undefined;
    if (!want || !s || want === r.type || refineType(r.type, s) !== want) return;
    b.modifyInPlace(call, () => (r.type = want));
    changed = true;
  });
  return changed;
}

/** Makes the function's result types those of the values it returns. */
function refineSignature(func: Operation, b: Builder): boolean {
  const body = func.regions[0]?.blocks[0];
  const ret = body?.terminator;
  if (!body || ret?.name !== 'func.return') return false;
  const ft = funcType(func);
  const results: Type[] = ret.operands.map((o) => o.value.type);
  const nt = functionType(ft.inputs, results);
  if (nt === ft) return false;
  b.modifyInPlace(func, () => func.setAttr('function_type', typeAttr(nt)));
  return true;
}

/** Refines every function of `module` to a fixed point; false after reporting an error. */
export function inferShapes(module: Operation, ctx?: PassContext, b: Builder = new Builder()): { changed: boolean; ok: boolean } {
  const funcs = (module.regions[0]?.blocks[0]?.opsArray() ?? []).filter((o) => o.name === 'func.func');
  let changed = false;
  // Each round moves refined types across at least one more call edge; funcs.length + 1 rounds suffice.
  for (let round = 0; round <= funcs.length; round++) {
    let roundChanged = false;
    for (const f of funcs) {
      for (const op of walkPreOrder(f)) {
        if (op === f) continue;
        if (op.name === 'func.call') {
          roundChanged = refineCall(op, module, b) || roundChanged;
          continue;
        }
        const r = refineOp(op, b);
        if ('error' in r) {
          ctx?.emitError(r.error.op.loc, `'${r.error.op.name}' op ${r.error.message}`);
          return { changed, ok: false };
        }
        roundChanged = r.changed || roundChanged;
      }
      roundChanged = refineSignature(f, b) || roundChanged;
    }
    changed ||= roundChanged;
    if (!roundChanged) break;
  }
  return { changed, ok: true };
}

/** The shape inference pass. */
export const tflInferShapesPass = definePass({
  name: 'tfl-infer-shapes',
  summary: 'Refine unranked and dynamic result types to the shapes the ops infer',
  description:
    'Runs each op\'s shape function (OpDef.inferResultShapes, or the SameOperandsAndResultShape trait) in program order ' +
    'and refines result types that are unranked or have dynamic dims — such as TFLite tensors stored without a shape, ' +
    "which TFLite only sizes at Prepare — keeping their element and quantized types (tfl.quantize's qtype follows). " +
    'Results that cannot be inferred ' +
    '(no shape function, non-constant shape operands) stay as they are; a shape function that finds its operands ' +
    'inconsistent, or an inferred shape that conflicts with a declared static dim, is an error naming the op and the ' +
    'tensor. Function result types follow the values they return, and func.call results follow their callees. On ' +
    'export the refined tensors get their shapes and signature defs keep their tensor indices.',
  anchor: 'builtin.module',
  options: {},
  run(module, ctx) {
    const r = inferShapes(module, ctx);
    return { changed: r.changed };
  },
});
