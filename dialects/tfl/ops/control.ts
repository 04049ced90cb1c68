/**
 * Structured control flow of the tfl dialect: tfl.while (cond and body regions over loop-carried
 * values), tfl.if (then and else regions), their tfl.yield terminator, and tfl.call_once (runs a
 * session initialiser function once).
 */
import type { Block } from '../../../src/ir/block.js';
import { type OpDef, defineOp } from '../../../src/ir/op-def.js';
import type { Operation } from '../../../src/ir/operation.js';
import { printType } from '../../../src/syntax/print-type-attr.js';
import { elemOf, shapeOf, staticNumElements } from '../verify-helpers.js';
import { optBoolAttr } from './common.js';

function yieldCount(b: Block | undefined): number | undefined {
  const t = b?.last;
  return t && t.name === 'tfl.yield' ? t.operands.length : undefined;
}

function verifyRegionYields(op: Operation, index: number, what: string, count: number, args: number): string | undefined {
  const b = op.regions[index]?.blocks[0];
  if (!b) return undefined;
  if (b.args.length !== args) return `${what} region must have ${args} argument${args === 1 ? '' : 's'}, got ${b.args.length}`;
  const n = yieldCount(b);
  if (n === undefined) return `${what} region must end with tfl.yield`;
  if (n !== count) return `${what} region must yield ${count} value${count === 1 ? '' : 's'}, got ${n}`;
  return undefined;
}

/** The symbol form (as imported from TFLite): the named functions must exist with the right arity. */
function verifySymbolForm(op: Operation, names: readonly [string, string]): string | undefined {
  for (const n of names) if (op.attr(n)?.kind !== 'symbol_ref') return `without regions, requires symbol attribute '${n}'`;
  return undefined;
}

function verifyWhile(op: Operation): string | undefined {
  if (op.regions.length === 0) return verifySymbolForm(op, ['cond_subgraph_index', 'body_subgraph_index']);
  const n = op.operands.length;
  if (op.results.length !== n) return `expects as many results (${op.results.length}) as operands (${n})`;
  for (let i = 0; i < n; i++) {
    const a = op.operand(i).type;
    const r = op.result(i).type;
    if (a !== r && elemOf(op.operand(i)) !== elemOf(op.result(i)))
      return `result #${i} type (${printType(r)}) does not match operand #${i} type (${printType(a)})`;
  }
  const cond = verifyRegionYields(op, 0, 'cond', 1, n);
  if (cond) return cond;
  const body = verifyRegionYields(op, 1, 'body', n, n);
  if (body) return body;
  const condYield = op.regions[0]?.blocks[0]?.last;
  if (condYield?.name === 'tfl.yield' && condYield.operands.length === 1) {
    const c = condYield.operand(0);
    const e = elemOf(c);
    if (!(e.kind === 'integer' && e.width === 1)) return 'cond region must yield an i1 tensor';
  }
  return undefined;
}

/** `tfl.while`: loops `body` while `cond` holds, carrying the operand values. */
export const WhileOp = defineOp({
  name: 'tfl.while',
  summary: 'While loop',
  description:
    'Carries its operands through the loop: `cond` (one block taking the carried values) yields an i1; while it is true, `body` maps the carried values to new ones. The results are the final carried values.',
  operands: [{ name: 'input', variadic: true }],
  results: [{ name: 'output', variadic: true }],
  attrs: {
    is_stateless: optBoolAttr(false, 'the loop has no side effects'),
    cond_subgraph_index: { kind: 'symbol', optional: true, description: 'symbol form: the condition function' },
    body_subgraph_index: { kind: 'symbol', optional: true, description: 'symbol form: the body function' },
  },
  traits: [],
  regions: [2, 0],
  verify: verifyWhile,
});

/** `tfl.if`: runs `then` or `else` on a boolean condition. */
export const IfOp = defineOp({
  name: 'tfl.if',
  summary: 'If-then-else',
  description: 'Runs the then region when the one-element i1 cond is true, else the else region; both yield the results.',
  operands: [{ name: 'cond' }, { name: 'inputs', variadic: true }],
  results: [{ name: 'results', variadic: true }],
  attrs: {
    then_subgraph_index: { kind: 'symbol', optional: true, description: 'symbol form: the then function' },
    else_subgraph_index: { kind: 'symbol', optional: true, description: 'symbol form: the else function' },
  },
  traits: [],
  regions: [2, 0],
  verify: (op) => {
    if (op.regions.length === 0) return verifySymbolForm(op, ['then_subgraph_index', 'else_subgraph_index']);
    const e = elemOf(op.operand(0));
    if (!(e.kind === 'integer' && e.width === 1)) return 'cond must have i1 elements';
    const n = staticNumElements(shapeOf(op.operand(0)));
    if (n !== undefined && n !== 1) return `cond must have one element, got ${n}`;
    const k = op.results.length;
    const elseRegion = op.regions[1];
    if (k > 0 && elseRegion && elseRegion.blocks.length === 0) return 'else region must not be empty when the op has results';
    return verifyRegionYields(op, 0, 'then', k, 0) ?? verifyRegionYields(op, 1, 'else', k, 0);
  },
});

/** Ops whose regions tfl.yield terminates. */
export const YIELD_PARENTS: ReadonlySet<string> = new Set(['tfl.while', 'tfl.if']);

/** `tfl.yield`: terminates the regions of tfl.while and tfl.if. */
export const YieldOp = defineOp({
  name: 'tfl.yield',
  summary: 'Region terminator',
  description: 'Returns its operands from a tfl.while cond/body or a tfl.if branch.',
  operands: [{ name: 'operands', variadic: true }],
  results: [],
  attrs: {},
  traits: ['Pure', 'Terminator', 'ReturnLike'],
  verify: (op) => {
    const p = op.parentOp;
    if (p && !YIELD_PARENTS.has(p.name)) return `expects parent op to be one of ${[...YIELD_PARENTS].map((n) => `'${n}'`).join(', ')}`;
    return undefined;
  },
});

/** `tfl.call_once`: invokes a session initialiser once. */
export const CallOnceOp = defineOp({
  name: 'tfl.call_once',
  summary: 'Call an initialiser once',
  description: 'Invokes the initialiser function (session_init_function, or the init_subgraph_index symbol) the first time the model runs.',
  operands: [],
  results: [],
  attrs: {
    session_init_function: { kind: 'string', optional: true, description: 'name of the initialiser function (TF form)' },
    init_subgraph_index: { kind: 'symbol', optional: true, description: 'the initialiser function (as imported from TFLite)' },
  },
  traits: [],
  verify: (op) =>
    op.attr('session_init_function') === undefined && op.attr('init_subgraph_index') === undefined
      ? 'requires session_init_function or init_subgraph_index'
      : undefined,
});

/** The control-flow ops. */
export const CONTROL_OPS: readonly OpDef[] = [WhileOp, IfOp, YieldOp, CallOnceOp];
