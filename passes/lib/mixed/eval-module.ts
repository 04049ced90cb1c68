/**
 * The module a quant-mixed evaluation runs in: a clone of the searched function with clones of the
 * functions it references by symbol, transitively (the unrolled LSTM's state initialiser, called
 * through `tfl.call_once`), under their own names, so that the interpreter resolves the references.
 */
import { createModule, funcName, moduleBody, moduleFuncs } from '../../../dialects/builtin/index.js';
import type { Attribute } from '../../../src/ir/attribute.js';
import type { Operation } from '../../../src/ir/operation.js';
import { walkPreOrder } from '../../../src/ir/walk.js';

/** A function and the functions it calls, cloned into a fresh module. */
export interface EvalModule {
  readonly module: Operation;
  /** The clone of the searched function. */
  readonly entry: Operation;
  /** Clones of the functions the entry references (directly or not), in the original module's order. */
  readonly callees: readonly Operation[];
}

function symbolRefs(a: Attribute, out: Set<string>): void {
  const stack = [a];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'symbol_ref') out.add(x.root);
    else if (x.kind === 'array') stack.push(...x.elements);
    else if (x.kind === 'dictionary') for (const [, v] of x.entries) stack.push(v);
  }
}

/**
 * The functions of `func`'s module that `func` references by symbol, directly or through other
 * referenced functions, in module order (`func` itself excluded; none when `func` has no module).
 */
export function referencedFunctions(func: Operation): Operation[] {
  const module = func.parentOp;
  if (!module) return [];
  const byName = new Map(moduleFuncs(module).map((f) => [funcName(f), f] as const));
  const seen = new Set<Operation>([func]);
  const work = [func];
  while (work.length > 0) {
    const refs = new Set<string>();
    for (const op of walkPreOrder(work.pop()!)) for (const a of op.attributes.values()) symbolRefs(a, refs);
    for (const n of refs) {
      const f = byName.get(n);
      if (f && !seen.has(f)) {
        seen.add(f);
        work.push(f);
      }
    }
  }
  return moduleFuncs(module).filter((f) => f !== func && seen.has(f));
}

/** Clones `func` and the functions it references into a new module (symbol names unchanged). */
export function evaluationModule(func: Operation): EvalModule {
  const module = createModule(func.parentOp?.loc ?? func.loc);
  const body = moduleBody(module);
  const entry = func.clone();
  body.append(entry);
  const callees = referencedFunctions(func).map((f) => {
    const c = f.clone();
    body.append(c);
    return c;
  });
  return { module, entry, callees };
}
