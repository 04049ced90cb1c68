/**
 * `symbol-dce`: erases private `func.func`s that nothing live references. Public functions and
 * ops outside functions are roots; references are found in every (nested) SymbolRefAttr.
 */
import type { Attribute } from '../src/ir/attribute.js';
import type { Operation } from '../src/ir/operation.js';
import { walkPreOrder } from '../src/ir/walk.js';
import { definePass } from '../src/pass/pass.js';

function collectRefs(a: Attribute, out: string[]): void {
  const stack = [a];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'symbol_ref') out.push(x.root);
    else if (x.kind === 'array') stack.push(...x.elements);
    else if (x.kind === 'dictionary') for (const [, v] of x.entries) stack.push(v);
  }
}

/** Symbol names referenced by ops nested in `op` (its own attributes included unless `skipSelf`). */
function referencedSymbols(op: Operation, skipSelf: boolean): string[] {
  const out: string[] = [];
  for (const o of walkPreOrder(op)) {
    if (o === op && skipSelf) continue;
    for (const a of o.attributes.values()) collectRefs(a, out);
  }
  return out;
}

function isPrivate(f: Operation): boolean {
  const v = f.attr('sym_visibility');
  return v?.kind === 'string' && v.value === 'private';
}

/** The symbol DCE pass. */
export const symbolDcePass = definePass({
  name: 'symbol-dce',
  summary: 'Erase private functions that are never referenced',
  anchor: 'builtin.module',
  options: {},
  run(module) {
    const body = module.regions[0]?.blocks[0];
    if (!body) return { changed: false };
    const funcs = new Map<string, Operation>();
    const live = new Set<string>();
    const work: string[] = [];
    for (const op of body.ops()) {
      const name = op.attr('sym_name');
      if (op.name === 'func.func' && name?.kind === 'string') {
        funcs.set(name.value, op);
        if (!isPrivate(op)) work.push(name.value);
      } else work.push(...referencedSymbols(op, false));
    }
    for (const a of module.attributes.values()) {
      const refs: string[] = [];
      collectRefs(a, refs);
      work.push(...refs);
    }
    while (work.length > 0) {
      const n = work.pop()!;
      if (live.has(n)) continue;
      live.add(n);
      const f = funcs.get(n);
      if (f) work.push(...referencedSymbols(f, false));
    }
    let changed = false;
    for (const [n, f] of funcs)
      if (!live.has(n)) {
        f.erase();
        changed = true;
      }
    return { changed };
  },
});
