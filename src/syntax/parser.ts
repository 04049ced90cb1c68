/**
 * The MLIR text parser: generic op form (`%0 = "tfl.add"(%a, %b) {…} : (…) -> …`), blocks and
 * regions, forward references, the custom forms of `module`, `func.func`, `return` and `call`,
 * aliases and locations. Every error is a located DiagnosticError; nothing else escapes.
 */
import { type Attribute, typeAttr, stringAttr, symbolRefAttr, arrayAttr, dictionaryAttr } from '../ir/attribute.js';
import type { Block } from '../ir/block.js';
import { DiagnosticError, errorDiag } from '../ir/diagnostic.js';
import { type Location, UnknownLoc } from '../ir/location.js';
import { Operation } from '../ir/operation.js';
import type { Region } from '../ir/region.js';
import { type Type, functionType } from '../ir/type.js';
import type { Value } from '../ir/value.js';
import { Cursor } from './cursor.js';
import { type LocAliasRef, parseLoc, tryParseLoc } from './parse-location.js';
import { type Aliases, newAliases, parseAttr, parseAttrDict, parseType, parseTypeList } from './parse-type-attr.js';

/** Parser options. */
export interface ParseOptions {
  /** Line number of the first line (for `--split-input-file` chunks). */
  readonly firstLine?: number;
  /** Record file:line:col locations for ops without an explicit `loc(...)` (default true). */
  readonly recordPositions?: boolean;
}

const FORWARD_REF = 'builtin.unresolved_forward_ref';

interface Scope {
  readonly values: Map<string, Value[]>;
  readonly forward: Map<string, { values: Value[]; pos: number }>;
  readonly blocks: Map<string, { block: Block; defined: boolean; pos: number }>;
  readonly parent: Scope | undefined;
  /** Isolated scopes (functions) do not see outer names. */
  readonly isolated: boolean;
}

function newScope(parent: Scope | undefined, isolated: boolean): Scope {
  return { values: new Map(), forward: new Map(), blocks: new Map(), parent, isolated };
}

class Parser {
  readonly c: Cursor;
  readonly aliases: Aliases = newAliases();
  readonly locAliases = new Map<string, Location>();
  readonly locRefs: LocAliasRef[] = [];
  readonly locFixups: { target: { loc: Location }; ref: LocAliasRef }[] = [];
  readonly recordPositions: boolean;
  scope: Scope = newScope(undefined, true);

  constructor(text: string, file: string, opts: ParseOptions) {
    this.c = new Cursor(text, file, opts.firstLine ?? 1);
    this.recordPositions = opts.recordPositions ?? true;
  }

  // ---- values ----
  private lookup(name: string, index: number, type: Type, pos: number): Value {
    for (let s: Scope | undefined = this.scope; s; s = s.isolated ? undefined : s.parent) {
      const vs = s.values.get(name);
      if (vs) {
        const v = vs[index];
        if (!v) this.c.error(`result number ${index} is out of range for '%${name}' (${vs.length} results)`, pos);
        if (v.type !== type)
          this.c.error(`use of value '%${name}' expects different type than prior uses: '${typeText(type)}' vs '${typeText(v.type)}'`, pos);
        return v;
      }
    }
    // Forward reference in the innermost scope.
    let f = this.scope.forward.get(name);
    if (!f) {
      f = { values: [], pos };
      this.scope.forward.set(name, f);
    }
    let v = f.values[index];
    if (!v) {
      v = Operation.create({ name: FORWARD_REF, resultTypes: [type] }).result(0);
      f.values[index] = v;
    } else if (v.type !== type)
      this.c.error(`use of value '%${name}' expects different type than prior uses: '${typeText(type)}' vs '${typeText(v.type)}'`, pos);
    return v;
  }

  private define(name: string, values: Value[], pos: number): void {
    if (this.scope.values.has(name)) this.c.error(`redefinition of SSA value '%${name}'`, pos);
    // Forward references may live in this scope or, for nested regions, were recorded where used.
    const f = this.scope.forward.get(name);
    if (f) {
      f.values.forEach((fv, i) => {
        const real = values[i];
        if (!real) this.c.error(`use of value '%${name}#${i}' is out of range`, f.pos);
        if (real.type !== fv.type)
          this.c.error(`definition of SSA value '%${name}#${i}' has type ${typeText(real.type)}, but a prior use expects ${typeText(fv.type)}`, pos);
        fv.replaceAllUsesWith(real);
      });
      this.scope.forward.delete(name);
    }
    this.scope.values.set(name, values);
  }

  private popScope(): void {
    const s = this.scope;
    // Unresolved names in a nested (non-isolated) scope may be defined later in the parent.
    for (const [name, f] of s.forward) {
      if (s.isolated || !s.parent) this.c.error(`use of undeclared SSA value name '%${name}'`, f.pos);
      const pf = s.parent.forward.get(name);
      if (!pf) s.parent.forward.set(name, f);
      else
        f.values.forEach((v, i) => {
          const pv = pf.values[i];
          if (pv) v.replaceAllUsesWith(pv);
          else pf.values[i] = v;
        });
    }
    for (const [name, b] of s.blocks) if (!b.defined) this.c.error(`reference to an undefined block '^${name}'`, b.pos);
    this.scope = s.parent!;
  }

  private parseValueUse(): { name: string; index: number; pos: number } {
    this.c.skip();
    const pos = this.c.pos;
    if (!this.c.eat('%')) this.c.error('expected SSA operand');
    const name = this.c.suffixId();
    if (!name) this.c.error('expected SSA value name', pos);
    let index = 0;
    if (this.c.text[this.c.pos] === '#') {
      this.c.pos++;
      index = this.c.expectInteger('result number');
    }
    return { name, index, pos };
  }

  private blockRef(name: string, pos: number): Block {
    let e = this.scope.blocks.get(name);
    if (!e) {
      e = { block: new (this.blockClass())(), defined: false, pos };
      this.scope.blocks.set(name, e);
    }
    return e.block;
  }
  private blockClassCache: (new () => Block) | undefined;
  private blockClass(): new () => Block {
    if (!this.blockClassCache) {
      const tmp = Operation.create({ name: 'x', regions: 1 });
      this.blockClassCache = tmp.regions[0]!.addBlock().constructor as new () => Block;
    }
    return this.blockClassCache;
  }

  // ---- top level ----
  parseTopLevel(): Operation {
    const c: Cursor = this.c;
    const tops: Operation[] = [];
    const holder = Operation.create({ name: 'builtin.module', regions: 1, loc: c.locAt(0) });
    const block = holder.regions[0]!.addBlock();
    while (!c.atEnd()) {
      if (c.peek() === '#' || c.peek() === '!') {
        const save = c.pos;
        const sigil = c.text[c.pos]!;
        c.pos++;
        const name = c.suffixId();
        if (name && !name.includes('.') && c.eat('=')) {
          if (sigil === '!') this.aliases.types.set(name, parseType(c, this.aliases));
          else if (c.lookingAt('loc(')) this.locAliases.set(name, parseLoc(c, this.locRefs));
          else this.aliases.attrs.set(name, parseAttr(c, this.aliases));
          continue;
        }
        c.pos = save;
        c.error('expected operation or alias definition');
      }
      const op = this.parseOperation(block);
      tops.push(op);
    }
    this.resolveLocAliases();
    const first = tops[0];
    if (tops.length === 1 && first && first.name === 'builtin.module') {
      block.unlink(first);
      return first;
    }
    return holder;
  }

  private resolveLocAliases(): void {
    const resolve = (l: Location, depth = 0): Location => {
      if (depth > 100) this.c.error('location alias cycle');
      if ('aliasOf' in l) {
        const r = l as LocAliasRef;
        const t = this.locAliases.get(r.aliasOf);
        if (!t) this.c.error(`undefined symbol alias id '${r.aliasOf}'`, r.pos);
        return resolve(t, depth + 1);
      }
      if (l.kind === 'name' && l.child) return { kind: 'name', name: l.name, child: resolve(l.child, depth + 1) };
      if (l.kind === 'fused') return { kind: 'fused', locs: l.locs.map((x) => resolve(x, depth + 1)) };
      return l;
    };
    for (const f of this.locFixups) f.target.loc = resolve(f.target.loc);
  }

  private setLoc(target: { loc: Location }, l: Location): void {
    target.loc = l;
    if (this.locRefs.length > 0) this.locFixups.push({ target, ref: this.locRefs[this.locRefs.length - 1]! });
  }

  // ---- operations ----
  /** Parses one operation and appends it to `block`. */
  parseOperation(block: Block): Operation {
    const c: Cursor = this.c;
    c.skip();
    const start = c.pos;
    const results: { name: string; count: number; pos: number }[] = [];
    if (c.peek() === '%') {
      do {
        c.skip();
        const pos = c.pos;
        c.expect('%');
        const name = c.suffixId();
        if (!name) c.error('expected SSA value name', pos);
        let count = 1;
        if (c.text[c.pos] === ':') {
          c.pos++;
          count = c.expectInteger('result count');
          if (count < 1) c.error('expected named operation to have at least 1 result', pos);
        }
        results.push({ name, count, pos });
      } while (c.eat(','));
      c.expect('=', 'after SSA result list');
    }
    c.skip();
    const opPos = c.pos;
    let op: Operation;
    if (c.peek() === '"') op = this.parseGenericOp(block);
    else op = this.parseCustomOp(block, opPos);
    const nres = results.reduce((a, r) => a + r.count, 0);
    if (results.length > 0 && nres !== op.results.length)
      c.error(`operation defines ${op.results.length} results but was provided ${nres} to bind`, start);
    let k = 0;
    for (const r of results) {
      this.define(r.name, op.results.slice(k, k + r.count), r.pos);
      k += r.count;
    }
    const before = this.locRefs.length;
    const l = tryParseLoc(c, this.locRefs);
    if (l) {
      op.loc = l;
      if (this.locRefs.length > before) this.locFixups.push({ target: op, ref: this.locRefs[before]! });
    } else if (this.recordPositions) op.loc = c.locAt(opPos);
    return op;
  }

  private parseOperandList(close: string): { name: string; index: number; pos: number }[] {
    const out: { name: string; index: number; pos: number }[] = [];
    if (this.c.eat(close)) return out;
    do out.push(this.parseValueUse());
    while (this.c.eat(','));
    this.c.expect(close, 'to end operand list');
    return out;
  }

  private parseGenericOp(block: Block): Operation {
    const c: Cursor = this.c;
    const namePos = c.pos;
    const name = c.string()!;
    if (!/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z0-9_$.]+)?$/.test(name)) c.error(`invalid operation name '${name}'`, namePos);
    c.expect('(', 'to start operand list');
    const uses = this.parseOperandList(')');
    const successors: Block[] = [];
    if (c.eat('[')) {
      do {
        c.skip();
        const p = c.pos;
        c.expect('^');
        const b = c.suffixId();
        if (!b) c.error('expected block name', p);
        successors.push(this.blockRef(b, p));
        if (c.eat('(')) c.error('successor operands are not supported; use block arguments via branch operands', p);
      } while (c.eat(','));
      c.expect(']');
    }
    const attrs: [string, Attribute][] = [];
    if (c.lookingAt('<{')) {
      c.pos++;
      const d = parseAttrDict(c, this.aliases);
      c.expect('>', 'to close properties');
      for (const [k, v] of d.entries) attrs.push([k, v]);
    }
    const op = Operation.create({ name, loc: c.locAt(namePos), successors });
    block.append(op);
    if (c.lookingAt('(')) {
      const save = c.pos;
      c.pos++;
      if (c.peek() === '{') {
        do this.parseRegion(op.addRegion(), [], false);
        while (c.eat(','));
        c.expect(')', 'to close region list');
      } else c.pos = save;
    }
    if (c.peek() === '{') {
      const d = parseAttrDict(c, this.aliases);
      for (const [k, v] of d.entries) {
        if (attrs.some(([ek]) => ek === k)) c.error(`duplicate key '${k}' in properties and attributes`);
        attrs.push([k, v]);
      }
    }
    for (const [k, v] of attrs) op.attributes.set(k, v);
    c.expect(':', 'followed by operation type');
    const tpos = c.pos;
    const ft = parseType(c, this.aliases, 'function type');
    if (ft.kind !== 'function') c.error('expected function type', tpos);
    if (ft.inputs.length !== uses.length)
      c.error(`expected ${uses.length} operand type${uses.length === 1 ? '' : 's'} but had ${ft.inputs.length}`, tpos);
    op.setOperands(uses.map((u, i) => this.lookup(u.name, u.index, ft.inputs[i]!, u.pos)));
    this.addResults(op, ft.results);
    return op;
  }

  private addResults(op: Operation, types: readonly Type[]): void {
    op.addResults(types);
  }

  /** Parses `{ ... }` into `region`; `entryArgs` are pre-declared entry block arguments. */
  private parseRegion(
    region: Region,
    entryArgs: { name: string; type: Type; loc: Location; pos: number }[],
    isolated: boolean,
  ): void {
    const c: Cursor = this.c;
    c.expect('{', 'to begin region');
    this.scope = newScope(this.scope, isolated);
    let current: Block | undefined;
    if (entryArgs.length > 0 || !c.lookingAt('^')) {
      if (!c.lookingAt('}') || entryArgs.length > 0) {
        current = region.addBlock();
        for (const a of entryArgs) this.define(a.name, [current.addArgument(a.type, a.loc)], a.pos);
      }
    }
    while (!c.eat('}')) {
      if (c.atEnd()) c.error("expected '}' to close region");
      if (c.lookingAt('^')) {
        const p = c.pos;
        c.pos++;
        const name = c.suffixId();
        if (!name) c.error('expected block name', p);
        if (current && current === region.blocks[0] && entryArgs.length > 0 && current.size === 0)
          c.error('invalid block name in region with named arguments', p);
        const entry = this.scope.blocks.get(name);
        if (entry?.defined) c.error(`redefinition of block '^${name}'`, p);
        const b = this.blockRef(name, p);
        this.scope.blocks.get(name)!.defined = true;
        region.appendBlock(b);
        if (c.eat('(')) {
          if (!c.eat(')')) {
            do {
              const u = this.parseValueUse();
              c.expect(':');
              const t = parseType(c, this.aliases);
              const l = tryParseLoc(c, this.locRefs) ?? c.locAt(u.pos);
              this.define(u.name, [b.addArgument(t, l)], u.pos);
            } while (c.eat(','));
            c.expect(')');
          }
        }
        c.expect(':', 'after block name');
        current = b;
        continue;
      }
      if (!current) current = region.addBlock();
      this.parseOperation(current);
    }
    this.popScope();
  }

  // ---- custom forms ----
  private parseCustomOp(block: Block, pos: number): Operation {
    const c: Cursor = this.c;
    const name = c.ident();
    if (!name) c.error('expected operation name in quotes or a custom operation', pos);
    switch (name) {
      case 'module':
      case 'builtin.module':
        return this.parseModule(block, pos);
      case 'func.func':
      case 'func':
        return this.parseFunc(block, pos);
      case 'return':
      case 'func.return':
        return this.parseReturn(block, pos);
      case 'call':
      case 'func.call':
        return this.parseCall(block, pos);
      default:
        c.error(`custom op '${name}' is unknown (use the generic form "${name}"(...))`, pos);
    }
  }

  private parseModule(block: Block, pos: number): Operation {
    const c: Cursor = this.c;
    const op = Operation.create({ name: 'builtin.module', regions: 1, loc: c.locAt(pos) });
    block.append(op);
    if (c.peek() === '@') {
      c.pos++;
      const n = c.text[c.pos] === '"' ? c.string() : c.suffixId();
      if (n === undefined) c.error('expected module name');
      op.setAttr('sym_name', stringAttr(n));
    }
    if (c.eatKeyword('attributes')) for (const [k, v] of parseAttrDict(c, this.aliases).entries) op.setAttr(k, v);
    this.parseRegion(op.regions[0]!, [], true);
    if (op.regions[0]!.blocks.length === 0) op.regions[0]!.addBlock();
    return op;
  }

  private parseFunc(block: Block, pos: number): Operation {
    const c: Cursor = this.c;
    const op = Operation.create({ name: 'func.func', regions: 1, loc: c.locAt(pos) });
    block.append(op);
    for (const vis of ['private', 'public', 'nested'])
      if (c.eatKeyword(vis)) {
        op.setAttr('sym_visibility', stringAttr(vis));
        break;
      }
    c.skip();
    const npos = c.pos;
    if (!c.eat('@')) c.error('expected function name (@name)', npos);
    const fname = c.text[c.pos] === '"' ? c.string() : c.suffixId();
    if (fname === undefined) c.error('expected function name', npos);
    op.setAttr('sym_name', stringAttr(fname));
    c.expect('(', 'in function signature');
    const args: { name: string; type: Type; loc: Location; pos: number }[] = [];
    const inputs: Type[] = [];
    const argAttrs: Attribute[] = [];
    let named: boolean | undefined;
    if (!c.eat(')')) {
      do {
        c.skip();
        const p = c.pos;
        const isNamed = c.peek() === '%';
        if (named !== undefined && named !== isNamed) c.error('expected SSA identifier', p);
        named = isNamed;
        let argName = '';
        if (isNamed) {
          const u = this.parseValueUse();
          argName = u.name;
          c.expect(':');
        }
        const t = parseType(c, this.aliases);
        inputs.push(t);
        argAttrs.push(c.peek() === '{' ? parseAttrDict(c, this.aliases) : dictionaryAttr([]));
        const l = tryParseLoc(c, this.locRefs) ?? (this.recordPositions ? c.locAt(p) : UnknownLoc);
        if (isNamed) args.push({ name: argName, type: t, loc: l, pos: p });
      } while (c.eat(','));
      c.expect(')', 'to close function arguments');
    }
    const results: Type[] = [];
    const resAttrs: Attribute[] = [];
    if (c.eat('->')) {
      if (c.peek() === '(') {
        c.pos++;
        if (!c.eat(')')) {
          do {
            results.push(parseType(c, this.aliases));
            resAttrs.push(c.peek() === '{' ? parseAttrDict(c, this.aliases) : dictionaryAttr([]));
          } while (c.eat(','));
          c.expect(')', 'to close function results');
        }
      } else {
        results.push(parseType(c, this.aliases));
        resAttrs.push(dictionaryAttr([]));
      }
    }
    op.setAttr('function_type', typeAttr(functionType(inputs, results)));
    if (argAttrs.some((a) => a.kind === 'dictionary' && a.entries.length > 0)) op.setAttr('arg_attrs', arrayAttr(argAttrs));
    if (resAttrs.some((a) => a.kind === 'dictionary' && a.entries.length > 0)) op.setAttr('res_attrs', arrayAttr(resAttrs));
    if (c.eatKeyword('attributes'))
      for (const [k, v] of parseAttrDict(c, this.aliases).entries) {
        if (k === 'sym_name' || k === 'function_type') c.error(`'${k}' is an inferred attribute and should not be specified`);
        op.setAttr(k, v);
      }
    if (c.peek() === '{') {
      if (named === false) c.error('expected SSA identifiers for function arguments of a function with a body', npos);
      this.parseRegion(op.regions[0]!, args, true);
      if (op.regions[0]!.blocks.length === 0) c.error('expected a non-empty function body', npos);
    }
    return op;
  }

  private parseReturn(block: Block, pos: number): Operation {
    const c: Cursor = this.c;
    const op = Operation.create({ name: 'func.return', loc: c.locAt(pos) });
    block.append(op);
    c.skip();
    if (c.peek() === '%') {
      const uses: { name: string; index: number; pos: number }[] = [];
      do uses.push(this.parseValueUse());
      while (c.eat(','));
      c.expect(':', 'and types for return operands');
      const types: Type[] = [];
      do types.push(parseType(c, this.aliases));
      while (types.length < uses.length && c.eat(','));
      if (types.length !== uses.length) c.error(`expected ${uses.length} types for return operands`);
      op.setOperands(uses.map((u, i) => this.lookup(u.name, u.index, types[i]!, u.pos)));
    }
    return op;
  }

  private parseCall(block: Block, pos: number): Operation {
    const c: Cursor = this.c;
    c.skip();
    const p = c.pos;
    if (!c.eat('@')) c.error('expected callee symbol', p);
    const callee = c.text[c.pos] === '"' ? c.string() : c.suffixId();
    if (callee === undefined) c.error('expected callee symbol', p);
    c.expect('(');
    const uses = this.parseOperandList(')');
    const op = Operation.create({ name: 'func.call', attributes: { callee: symbolRefAttr(callee) }, loc: c.locAt(pos) });
    block.append(op);
    if (c.peek() === '{') for (const [k, v] of parseAttrDict(c, this.aliases).entries) op.setAttr(k, v);
    c.expect(':', 'followed by callee type');
    const tpos = c.pos;
    const ft = parseType(c, this.aliases);
    if (ft.kind !== 'function') c.error('expected function type', tpos);
    if (ft.inputs.length !== uses.length) c.error(`expected ${uses.length} operand types but had ${ft.inputs.length}`, tpos);
    op.setOperands(uses.map((u, i) => this.lookup(u.name, u.index, ft.inputs[i]!, u.pos)));
    this.addResults(op, ft.results);
    return op;
  }
}

function typeText(t: Type): string {
  // Lazy import cycle avoidance: printer imports nothing from the parser.
  return printTypeRef(t);
}
let printTypeRef: (t: Type) => string = (t) => t.kind;
/** Lets the printer module provide type printing for parser messages. */
export function setTypePrinter(f: (t: Type) => string): void {
  printTypeRef = f;
}

/**
 * Parses MLIR text into a `builtin.module` (top-level ops without a module are wrapped in one).
 * Throws a DiagnosticError with a located message on any malformed input.
 */
export function parseSource(text: string, file = '<stdin>', opts: ParseOptions = {}): Operation {
  const p = new Parser(text, file, opts);
  try {
    return p.parseTopLevel();
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    const msg = e instanceof RangeError ? 'input too deeply nested' : `parse failure: ${(e as Error).message}`;
    throw new DiagnosticError([errorDiag(p.c.locAt(Math.min(p.c.pos, p.c.text.length)), msg)]);
  }
}
