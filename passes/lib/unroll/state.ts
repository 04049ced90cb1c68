/**
 * How an unrolled recurrent op's state (the variable activation/cell state tensors the fused op
 * updated in place) becomes explicit. Two representations:
 *
 * - `resource` (`keep-state=true`, the default): every state tensor becomes a TFLite resource
 *   variable. At the op's position `tfl.var_handle {shared_name}` + `tfl.read_variable` give the
 *   state the first step starts from; after the last step `tfl.assign_variable` writes the final
 *   state back. A `tfl.call_once` at the top of the function runs a new initialiser function
 *   (`@<func>_unroll_state_init`) that assigns every variable its stored initial value (the
 *   variable constant's contents), once per interpreter — exactly TFLite's variable-tensor
 *   lifetime, so a streaming model (one step per invoke) keeps working. TFLite runs this form
 *   (VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE / CALL_ONCE are builtins).
 * - `arguments` (`keep-state=false`): the state is plain data. Each variable state becomes a new
 *   function argument (the initial state, appended after the existing ones, named
 *   `<op>/<which>_state`) and its final value a new function result (appended); the caller carries
 *   the state between invokes. A state operand that is not a constant is used as is.
 *
 * Several ops updating the same state tensor see each other's updates in program order in both
 * forms (the second reads what the first wrote).
 */
import { type Attribute, type DenseElementsAttr, arrayAttr, dictGet, dictionaryAttr, integerAttr, stringAttr, symbolRefAttr, typeAttr } from '../../../src/ir/attribute.js';
import type { Builder } from '../../../src/ir/builder.js';
import { type Location, nameLoc } from '../../../src/ir/location.js';
import type { Operation } from '../../../src/ir/operation.js';
import { getOpDef } from '../../../src/ir/registry.js';
import { type Type, functionType, i32, opaqueType, tensorType } from '../../../src/ir/type.js';
import type { Value } from '../../../src/ir/value.js';
import { createFunc, findFunc, funcName, funcType, moduleBody } from '../../../dialects/builtin/index.js';

/** The two state representations. */
export type StateMode = 'resource' | 'arguments';

/** `tensor<!tf_type.resource>`: the type of a resource variable handle. */
export function resourceType(): Type {
  return tensorType([], opaqueType('tf_type', 'resource'));
}

/** The dense initial value of a state operand when a constant op defines it. */
export function constantStateValue(v: Value): DenseElementsAttr | undefined {
  const d = v.definingOp;
  if (!d || !(getOpDef(d.name)?.traits.includes('ConstantLike') ?? false)) return undefined;
  const a = d.attr('value');
  return a?.kind === 'dense' ? a : undefined;
}

interface ResourceVar {
  readonly sharedName: string;
  readonly type: Type;
  readonly initial: DenseElementsAttr;
}

/** A value read at the start of an op's unrolling, plus what `write` needs. */
export interface StateRead {
  readonly value: Value;
  readonly handle: Value | undefined;
}

/** Threads recurrent state through one function. */
export class StateThreading {
  /** Resource variables by state operand value (insertion order = init order). */
  private readonly vars = new Map<Value, ResourceVar>();
  /** Arguments mode: the current value of each state, and the states to return. */
  private readonly current = new Map<Value, Value>();
  private readonly finals = new Map<Value, { value: Value; name: string }>();
  private readonly newArgNames: string[] = [];
  private readonly usedNames: Set<string>;

  constructor(
    readonly mode: StateMode,
    private readonly module: Operation,
    private readonly func: Operation,
  ) {
    this.usedNames = new Set();
    const body = module.regions[0]?.blocks[0];
    if (body)
      for (const f of body.ops())
        for (const r of f.regions)
          for (const bl of r.blocks)
            for (const o of bl.ops()) {
              if (o.name !== 'tfl.var_handle') continue;
              const n = o.attr('shared_name');
              if (n?.kind === 'string') this.usedNames.add(n.value);
            }
  }

  /** Why a state operand cannot be threaded in this mode, if it cannot. */
  check(state: Value): string | undefined {
    if (this.mode === 'resource' && !this.vars.has(state) && !constantStateValue(state))
      return 'with keep-state=true every state operand must be a (variable) constant; use keep-state=false to pass the state in and out';
    return undefined;
  }

  private uniqueName(base: string): string {
    let n = base;
    for (let k = 1; this.usedNames.has(n); k++) n = `${base}_${k}`;
    this.usedNames.add(n);
    return n;
  }

  /** Emits (at the builder's insertion point) what gives the state's value before the op. */
  read(b: Builder, state: Value, name: string, loc: Location): StateRead {
    if (this.mode === 'resource') {
      let v = this.vars.get(state);
      if (!v) {
        v = { sharedName: this.uniqueName(name), type: state.type, initial: constantStateValue(state)! };
        this.vars.set(state, v);
      }
      const handle = b.createOne('tfl.var_handle', [], resourceType(), { shared_name: stringAttr(v.sharedName) }, nameLoc(`${locString(loc)}/handle`));
      const value = b.createOne('tfl.read_variable', [handle], state.type, {}, loc);
      return { value, handle };
    }
    const cur = this.current.get(state);
    if (cur) return { value: cur, handle: undefined };
    if (!constantStateValue(state)) return { value: state, handle: undefined };
    const block = this.func.regions[0]!.blocks[0]!;
    const arg = block.addArgument(state.type, nameLoc(name));
    b.changed = true;
    this.newArgNames.push(name);
    this.current.set(state, arg);
    return { value: arg, handle: undefined };
  }

  /** Emits (at the builder's insertion point) what stores the state's value after the op. */
  write(b: Builder, state: Value, read: StateRead, final: Value, name: string, loc: Location): void {
    if (this.mode === 'resource') {
      b.create({ name: 'tfl.assign_variable', operands: [read.handle!, final], loc });
      return;
    }
    this.current.set(state, final);
    this.finals.set(state, { value: final, name });
  }

  /** Completes the function: the initialiser and its call (resource), or the new signature (arguments). */
  finish(b: Builder): void {
    if (this.mode === 'resource') this.finishResources(b);
    else this.finishArguments(b);
  }

  private finishResources(b: Builder): void {
    if (this.vars.size === 0) return;
    const base = `${funcName(this.func) || 'func'}_unroll_state_init`;
    let name = base;
    for (let k = 1; findFunc(this.module, name); k++) name = `${base}_${k}`;
    const init = createFunc(name, [], [], undefined, nameLoc(name));
    init.setAttr('sym_visibility', stringAttr('private'));
    const block = init.regions[0]!.blocks[0]!;
    const saved = b.insertionPoint;
    // Insert the (empty) function right after this one, then fill it.
    b.setInsertionPointAfter(this.func);
    b.insert(init);
    b.setInsertionPointToEnd(block);
    for (const v of this.vars.values()) {
      const l = nameLoc(`${v.sharedName}/init`);
      const h = b.createOne('tfl.var_handle', [], resourceType(), { shared_name: stringAttr(v.sharedName) }, nameLoc(`${v.sharedName}/init_handle`));
      const c = b.createOne('tfl.pseudo_const', [], v.type, { value: v.initial }, nameLoc(`${v.sharedName}/initial_value`));
      b.create({ name: 'tfl.assign_variable', operands: [h, c], loc: l });
    }
    b.create({ name: 'func.return', operands: [], loc: nameLoc(`${name}/return`) });
    const entry = this.func.regions[0]!.blocks[0]!;
    b.setInsertionPointToStart(entry);
    b.create({ name: 'tfl.call_once', attributes: { init_subgraph_index: symbolRefAttr(name) }, loc: nameLoc(`${name}/call_once`) });
    b.restoreInsertionPoint(saved);
  }

  private finishArguments(b: Builder): void {
    const f = this.func;
    const block = f.regions[0]!.blocks[0]!;
    const ret = block.last;
    if (!ret || ret.name !== 'func.return') throw new Error('unroll: function without a func.return');
    const finals = [...this.finals.values()];
    if (finals.length > 0) b.modifyInPlace(ret, () => ret.setOperands([...ret.operandValues(), ...finals.map((x) => x.value)]));
    const ft = funcType(f);
    const inputs = block.args.map((a) => a.type);
    const results = [...ft.results, ...finals.map((x) => x.value.type)];
    b.modifyInPlace(f, () => {
      f.setAttr('function_type', typeAttr(functionType(inputs, results)));
      const extend = (key: string, n: number): Attribute | undefined => {
        const a = f.attr(key);
        if (a?.kind !== 'array') return undefined;
        return arrayAttr([...a.elements, ...Array.from({ length: n }, () => dictionaryAttr([]))]);
      };
      const argAttrs = extend('arg_attrs', this.newArgNames.length);
      if (argAttrs) f.setAttr('arg_attrs', argAttrs);
      const resAttrs = extend('res_attrs', finals.length);
      if (resAttrs) f.setAttr('res_attrs', resAttrs);
      const entry = f.attr('tf.entry_function');
      if (entry?.kind === 'dictionary') {
        const join = (key: string, extra: readonly string[]): [string, Attribute] => {
          const a = dictGet(entry, key);
          const old = a?.kind === 'string' && a.value !== '' ? a.value.split(',') : [];
          return [key, stringAttr([...old, ...extra].join(','))];
        };
        const rest = entry.entries.filter(([k]) => k !== 'inputs' && k !== 'outputs');
        f.setAttr('tf.entry_function', dictionaryAttr([...rest, join('inputs', this.newArgNames), join('outputs', finals.map((x) => x.name))]));
      }
    });
    this.extendSignatureDefs(b, ft.inputs.length, ft.results.length, finals.map((x) => x.name));
  }

  /** Adds the new inputs/outputs to the module's `tfl.signature_defs` entry for this function. */
  private extendSignatureDefs(b: Builder, firstArg: number, firstResult: number, resultNames: readonly string[]): void {
    const sigs = this.module.attr('tfl.signature_defs');
    if (sigs?.kind !== 'array') return;
    const fname = funcName(this.func);
    let touched = false;
    const updated = sigs.elements.map((s) => {
      if (s.kind !== 'dictionary') return s;
      const fn = dictGet(s, 'function');
      if (fn?.kind !== 'string' || fn.value !== fname) return s;
      touched = true;
      const grow = (d: Attribute | undefined, names: readonly string[], first: number): Attribute => {
        const entries = d?.kind === 'dictionary' ? [...d.entries] : [];
        names.forEach((n, i) => entries.push([n, integerAttr(first + i, i32())]));
        return dictionaryAttr(entries);
      };
      return dictionaryAttr(
        s.entries.map(([k, v]): [string, Attribute] =>
          k === 'inputs' ? [k, grow(v, this.newArgNames, firstArg)] : k === 'outputs' ? [k, grow(v, resultNames, firstResult)] : [k, v],
        ),
      );
    });
    if (touched) b.modifyInPlace(this.module, () => this.module.setAttr('tfl.signature_defs', arrayAttr(updated)));
  }
}

function locString(loc: Location): string {
  return loc.kind === 'name' ? loc.name : 'state';
}

/** Whether anything in the module refers to `@name` (calls, call_once, control flow bodies). */
export function isFunctionReferenced(module: Operation, name: string): boolean {
  const refers = (a: Attribute): boolean => {
    switch (a.kind) {
      case 'symbol_ref':
        return a.root === name;
      case 'array':
        return a.elements.some(refers);
      case 'dictionary':
        return a.entries.some(([, v]) => refers(v));
      default:
        return false;
    }
  };
  const stack: Operation[] = [...moduleBody(module).ops()];
  while (stack.length > 0) {
    const op = stack.pop()!;
    for (const [, a] of op.attributes) if (refers(a)) return true;
    for (const r of op.regions) for (const bl of r.blocks) for (const o of bl.ops()) stack.push(o);
  }
  return false;
}
