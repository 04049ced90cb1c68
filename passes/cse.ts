/**
 * `cse`: common subexpression elimination of Pure ops (same name, operands, attributes and result
 * types), scoped by dominance: ops in nested regions may reuse values from enclosing blocks, never
 * the reverse; isolated ops (functions) start a fresh scope. The first occurrence is kept.
 */
import type { Block } from '../src/ir/block.js';
import type { Operation } from '../src/ir/operation.js';
import { getOpDef } from '../src/ir/registry.js';
import type { Value } from '../src/ir/value.js';
import { definePass } from '../src/pass/pass.js';

/** A hash scope chained to its enclosing scope. */
interface Scope {
  readonly table: Map<string, Operation>;
  readonly parent: Scope | undefined;
}

class Cse {
  private readonly ids = new WeakMap<Value, number>();
  private nextId = 1;
  erased = 0;

  private id(v: Value): number {
    let n = this.ids.get(v);
    if (n === undefined) this.ids.set(v, (n = this.nextId++));
    return n;
  }

  /** The structural key of a CSE candidate, or undefined when the op may not be merged. */
  private key(op: Operation): string | undefined {
    if (op.regions.length > 0 || op.successors.length > 0 || op.results.length === 0) return undefined;
    const def = getOpDef(op.name);
    if (!def || !(def.traits.includes('Pure') || def.traits.includes('ConstantLike'))) return undefined;
    if (def.traits.includes('Terminator')) return undefined;
    const operands = op.operands.map((o) => this.id(o.value));
    if (def.traits.includes('Commutative')) operands.sort((a, b) => a - b);
    const attrs = [...op.attributes].map(([k, a]) => `${k}=${a.id}`).sort();
    const types = op.results.map((r) => r.type.id);
    return `${op.name}(${operands.join(',')}){${attrs.join(',')}}:${types.join(',')}`;
  }

  private lookup(scope: Scope | undefined, k: string): Operation | undefined {
    for (let s = scope; s; s = s.parent) {
      const hit = s.table.get(k);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Processes a block and the regions nested in it (iteratively over nesting). */
  run(entry: Block, outer: Scope | undefined): void {
    const blocks: { block: Block; parent: Scope | undefined }[] = [{ block: entry, parent: outer }];
    while (blocks.length > 0) {
      const { block, parent } = blocks.pop()!;
      let scope: Scope = { table: new Map(), parent };
      for (const op of block.ops()) {
        const k = this.key(op);
        if (k !== undefined) {
          const existing = this.lookup(scope, k);
          if (existing) {
            op.results.forEach((r, i) => r.replaceAllUsesWith(existing.result(i)));
            op.erase();
            this.erased++;
            continue;
          }
          scope.table.set(k, op);
        }
        const isolated = getOpDef(op.name)?.traits.includes('IsolatedFromAbove') ?? false;
        if (op.regions.length === 0) continue;
        for (const r of op.regions)
          for (const b of r.blocks) blocks.push({ block: b, parent: isolated ? undefined : scope });
        // Nested blocks see only what precedes `op`: later ops go into a child scope.
        scope = { table: new Map(), parent: scope };
      }
    }
  }
}

/** Runs CSE on every block nested in `root`; returns how many ops were erased. */
export function eliminateCommonSubexpressions(root: Operation): number {
  const cse = new Cse();
  for (const r of root.regions) for (const b of r.blocks) cse.run(b, undefined);
  return cse.erased;
}

/** The CSE pass. */
export const csePass = definePass({
  name: 'cse',
  summary: 'Merge identical pure ops (dominance-scoped)',
  anchor: 'func.func',
  options: {},
  run(op) {
    return { changed: eliminateCommonSubexpressions(op) > 0 };
  },
});
