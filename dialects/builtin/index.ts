/**
 * The builtin and func dialects: `builtin.module`, `func.func`, `func.return` and `func.call`,
 * with their verifiers (return types match the function type; calls name existing functions).
 */
import { typeAttr, stringAttr } from '../../src/ir/attribute.js';
import { Block } from '../../src/ir/block.js';
import { type Location, UnknownLoc } from '../../src/ir/location.js';
import { type Dialect, defineOp } from '../../src/ir/op-def.js';
import { Operation } from '../../src/ir/operation.js';
import { registerDialect } from '../../src/ir/registry.js';
import { type FunctionType, type Type, functionType } from '../../src/ir/type.js';

/** `builtin.module`: a symbol table of functions. */
export const ModuleOp = defineOp({
  name: 'builtin.module',
  summary: 'A top-level container of functions',
  operands: [],
  results: [],
  attrs: { sym_name: { kind: 'string', optional: true } },
  traits: ['IsolatedFromAbove', 'SymbolTable', 'NoTerminator', 'SingleBlock'],
  regions: 1,
  verify(op) {
    const r = op.regions[0]!;
    if (r.blocks.length !== 1) return 'expects one block in its body';
    if (r.blocks[0]!.args.length !== 0) return 'expects a body block without arguments';
    const names = new Set<string>();
    for (const inner of r.blocks[0]!.ops()) {
      const n = inner.attr('sym_name');
      if (n?.kind === 'string') {
        if (names.has(n.value)) return `redefinition of symbol named '${n.value}'`;
        names.add(n.value);
      }
    }
    return undefined;
  },
});

/** The function type of a `func.func` op. */
export function funcType(op: Operation): FunctionType {
  const t = op.attr('function_type');
  if (t?.kind !== 'type' || t.value.kind !== 'function') throw new Error(`'${op.name}' has no function_type`);
  return t.value;
}

/** The symbol name of a `func.func` op. */
export function funcName(op: Operation): string {
  const n = op.attr('sym_name');
  return n?.kind === 'string' ? n.value : '';
}

/** `func.func`: a function with a body region. */
export const FuncOp = defineOp({
  name: 'func.func',
  summary: 'A function: a symbol with a typed body region',
  operands: [],
  results: [],
  attrs: {
    sym_name: { kind: 'string' },
    function_type: { kind: 'type' },
    sym_visibility: { kind: 'string', optional: true },
    arg_attrs: { kind: 'array', optional: true },
    res_attrs: { kind: 'array', optional: true },
  },
  traits: ['IsolatedFromAbove', 'Symbol'],
  regions: 1,
  verify(op) {
    const t = op.attr('function_type');
    if (t?.kind !== 'type' || t.value.kind !== 'function') return "requires a 'function_type' of function type";
    const body = op.regions[0]!;
    if (body.blocks.length === 0) return undefined; // external declaration
    const entry = body.blocks[0]!;
    const ft = t.value;
    if (entry.args.length !== ft.inputs.length)
      return `entry block must have ${ft.inputs.length} arguments to match function signature`;
    for (let i = 0; i < entry.args.length; i++)
      if (entry.args[i]!.type !== ft.inputs[i])
        return `type of entry block argument #${i} does not match the function signature`;
    return undefined;
  },
});

/** `func.return`: returns values from a function. */
export const ReturnOp = defineOp({
  name: 'func.return',
  summary: 'Returns from a function',
  operands: [{ name: 'operands', variadic: true }],
  results: [],
  attrs: {},
  traits: ['Pure', 'Terminator', 'ReturnLike'],
  verify(op) {
    const f = op.parentOp;
    if (!f || f.name !== 'func.func') return "expects parent op 'func.func'";
    const ft = funcType(f);
    if (op.operands.length !== ft.results.length)
      return `has ${op.operands.length} operands, but enclosing function (@${funcName(f)}) returns ${ft.results.length}`;
    for (let i = 0; i < ft.results.length; i++)
      if (op.operand(i).type !== ft.results[i])
        return `type of return operand ${i} doesn't match function result type in function @${funcName(f)}`;
    return undefined;
  },
});

/** `func.call`: calls a function by symbol. */
export const CallOp = defineOp({
  name: 'func.call',
  summary: 'Calls a function by symbol name',
  operands: [{ name: 'operands', variadic: true }],
  results: [{ name: 'results', variadic: true }],
  attrs: { callee: { kind: 'symbol' } },
  traits: [],
  verify(op) {
    const callee = op.attr('callee');
    if (callee?.kind !== 'symbol_ref') return "requires a 'callee' symbol reference";
    let module: Operation | undefined = op.parentOp;
    while (module && module.name !== 'builtin.module') module = module.parentOp;
    if (!module) return undefined;
    const target = findFunc(module, callee.root);
    if (!target) return `'${callee.root}' does not reference a valid function`;
    const ft = funcType(target);
    if (ft.inputs.length !== op.operands.length) return 'incorrect number of operands for callee';
    for (let i = 0; i < ft.inputs.length; i++)
      if (ft.inputs[i] !== op.operand(i).type) return `operand type mismatch: operand #${i}`;
    if (ft.results.length !== op.results.length) return 'incorrect number of results for callee';
    for (let i = 0; i < ft.results.length; i++)
      if (ft.results[i] !== op.result(i).type) return `result type mismatch at index ${i}`;
    return undefined;
  },
});

/** The builtin + func dialects (registered together). */
export const BuiltinDialect: Dialect = { name: 'builtin', summary: 'Modules', ops: [ModuleOp] };
export const FuncDialect: Dialect = { name: 'func', summary: 'Functions, calls and returns', ops: [FuncOp, ReturnOp, CallOp] };

/** Registers builtin and func. */
export function registerBuiltinDialects(): void {
  registerDialect(BuiltinDialect);
  registerDialect(FuncDialect);
}

/** The functions of a module, in order. */
export function moduleFuncs(module: Operation): Operation[] {
  const b = module.regions[0]?.blocks[0];
  return b ? b.opsArray().filter((o) => o.name === 'func.func') : [];
}

/** Looks up a function by name. */
export function findFunc(module: Operation, name: string): Operation | undefined {
  return moduleFuncs(module).find((f) => funcName(f) === name);
}

/** The body block of a module. */
export function moduleBody(module: Operation): Block {
  const b = module.regions[0]?.blocks[0];
  if (!b) throw new Error('module has no body block');
  return b;
}

/** Creates an empty module. */
export function createModule(loc: Location = UnknownLoc): Operation {
  const m = Operation.create({ name: 'builtin.module', regions: 1, loc });
  m.regions[0]!.addBlock();
  return m;
}

/** Creates a function with an entry block whose arguments match `inputs`; appends it to `module` if given. */
export function createFunc(
  name: string,
  inputs: readonly Type[],
  results: readonly Type[],
  module?: Operation,
  loc: Location = UnknownLoc,
): Operation {
  const f = Operation.create({
    name: 'func.func',
    attributes: { sym_name: stringAttr(name), function_type: typeAttr(functionType(inputs, results)) },
    regions: 1,
    loc,
  });
  const entry = f.regions[0]!.addBlock();
  for (const t of inputs) entry.addArgument(t, loc);
  if (module) moduleBody(module).append(f);
  return f;
}
