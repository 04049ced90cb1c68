// A tiny arithmetic dialect for pass and driver tests, namespaced by a prefix so each test file
// registers its own copy (registration is global within a vitest worker).
import { type Attribute, integerAttr } from '../../src/ir/attribute.js';
import { type Dialect, defineOp } from '../../src/ir/op-def.js';
import { registerDialect } from '../../src/ir/registry.js';
import { registerBuiltinDialects } from '../../dialects/builtin/index.js';
import type { RewritePattern } from '../../src/rewrite/pattern.js';

function intOf(a: Attribute | undefined): number | undefined {
  return a?.kind === 'integer' && typeof a.value === 'number' ? a.value : undefined;
}

/** Registers `<p>.const`, `<p>.add` (x+0 -> x, c1+c2 -> c), `<p>.neg`, `<p>.effect`, `<p>.scope`. */
export function registerTestDialect(p: string, extra: { addPatterns?: RewritePattern[] } = {}): Dialect {
  registerBuiltinDialects();
  const d: Dialect = {
    name: p,
    summary: 'test',
    ops: [
      defineOp({
        name: `${p}.const`,
        summary: 'constant',
        operands: [],
        results: [{ name: 'out' }],
        attrs: { value: { kind: 'any' } },
        traits: ['Pure', 'ConstantLike'],
      }),
      defineOp({
        name: `${p}.add`,
        summary: 'add',
        operands: [{ name: 'lhs' }, { name: 'rhs' }],
        results: [{ name: 'out' }],
        attrs: {},
        traits: ['Pure', 'Commutative'],
        fold(op, [a, b]) {
          const x = intOf(a);
          const y = intOf(b);
          if (x !== undefined && y !== undefined) return [integerAttr(x + y, op.result(0).type)];
          if (y === 0) return [op.operand(0)];
          if (x === 0) return [op.operand(1)];
          return undefined;
        },
        canonicalize: extra.addPatterns ?? [],
      }),
      defineOp({
        name: `${p}.neg`,
        summary: 'negate',
        operands: [{ name: 'in' }],
        results: [{ name: 'out' }],
        attrs: {},
        traits: ['Pure'],
      }),
      defineOp({
        name: `${p}.effect`,
        summary: 'side effect',
        operands: [{ name: 'in', variadic: true }],
        results: [{ name: 'out', variadic: true }],
        attrs: {},
        traits: [],
      }),
      defineOp({
        name: `${p}.scope`,
        summary: 'region holder',
        operands: [],
        results: [],
        attrs: {},
        traits: ['NoTerminator', 'SingleBlock'],
        regions: 1,
      }),
    ],
    materializeConstant: (b, value, type, loc) =>
      b.create({ name: `${p}.const`, resultTypes: [type], attributes: { value }, loc }),
  };
  registerDialect(d);
  return d;
}
