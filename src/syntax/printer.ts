/**
 * The MLIR text printer: custom forms for `module`, `func.func`, `return` and `call`, the generic
 * form for every other op. Deterministic: SSA names numbered at print, attributes sorted by key,
 * one float format. Output parses back to the same text.
 */
import type { Attribute } from '../ir/attribute.js';
import type { Block } from '../ir/block.js';
import type { Location } from '../ir/location.js';
import type { Operation } from '../ir/operation.js';
import { getOpDef } from '../ir/registry.js';
import type { Value } from '../ir/value.js';
import { setTypePrinter } from './parser.js';
import { printAttr, printAttrDict, printString, printType } from './print-type-attr.js';

setTypePrinter(printType);

/** Printer options. */
export interface PrintOptions {
  /** Print `loc(...)` after ops and arguments (like `--mlir-print-debuginfo`). */
  readonly debugInfo?: boolean;
  /** Print every op (also module/func/return) in generic form. */
  readonly generic?: boolean;
}

interface NameScope {
  nextResult: number;
  nextArg: number;
}

class Printer {
  private readonly out: string[] = [];
  private readonly names = new Map<Value, string>();
  private readonly blockNames = new Map<Block, string>();
  constructor(private readonly opts: PrintOptions) {}

  result(): string {
    return this.out.join('');
  }

  private name(v: Value): string {
    return this.names.get(v) ?? '%<<UNKNOWN SSA VALUE>>';
  }

  private loc(l: Location): string {
    return this.opts.debugInfo ? ` ${printLoc(l)}` : '';
  }

  private sortedAttrs(op: Operation, skip: readonly string[] = []): [string, Attribute][] {
    return [...op.attributes.entries()]
      .filter(([k]) => !skip.includes(k))
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** Pre-assigns names in print order, so uses before definitions (invalid IR) still print. */
  private assign(blocks: readonly Block[], scope: NameScope, skipEntryArgs: boolean): void {
    blocks.forEach((b, i) => this.blockNames.set(b, `^bb${i}`));
    blocks.forEach((b, i) => {
      if (i > 0 || !skipEntryArgs) for (const a of b.args) this.names.set(a, `%arg${scope.nextArg++}`);
      for (const op of b.ops()) {
        if (isIsolated(op)) continue;
        if (op.results.length === 1) this.names.set(op.results[0]!, `%${scope.nextResult++}`);
        else if (op.results.length > 1) {
          const base = `%${scope.nextResult++}`;
          op.results.forEach((r, k) => this.names.set(r, `${base}#${k}`));
        }
        for (const r of op.regions) this.assign(r.blocks, scope, false);
      }
    });
  }

  private nameResults(op: Operation): string {
    if (op.results.length === 0) return '';
    const first = this.name(op.results[0]!);
    return op.results.length === 1 ? `${first} = ` : `${first.slice(0, first.indexOf('#'))}:${op.results.length} = `;
  }

  /** Prints a top-level op (module, func, or any op with its own name scope). */
  printTop(op: Operation): void {
    const scope: NameScope = { nextResult: 0, nextArg: 0 };
    if (!isIsolated(op)) {
      if (op.results.length) this.names.set(op.results[0]!, '%0');
      for (const r of op.regions) this.assign(r.blocks, scope, false);
    }
    this.printOp(op, '', scope);
  }

  printOp(op: Operation, indent: string, scope: NameScope): void {
    if (!this.opts.generic) {
      if (op.name === 'builtin.module') return this.printModule(op, indent);
      if (op.name === 'func.func') return this.printFunc(op, indent);
    }
    const res = this.nameResults(op);
    this.out.push(indent, res);
    if (!this.opts.generic && op.name === 'func.return' && op.parentOp?.name === 'func.func') {
      this.out.push('return');
      if (op.operands.length > 0)
        this.out.push(
          ' ',
          op.operands.map((o) => this.name(o.value)).join(', '),
          ' : ',
          op.operands.map((o) => printType(o.value.type)).join(', '),
        );
      this.out.push(this.loc(op.loc), '\n');
      return;
    }
    if (!this.opts.generic && op.name === 'func.call' && op.attr('callee')?.kind === 'symbol_ref') {
      this.out.push('call ', printAttr(op.attr('callee')!), '(', op.operands.map((o) => this.name(o.value)).join(', '), ')');
      const rest = this.sortedAttrs(op, ['callee']);
      if (rest.length) this.out.push(' ', printAttrDict(rest));
      this.out.push(' : ', this.fnType(op), this.loc(op.loc), '\n');
      return;
    }
    this.out.push(printString(op.name), '(', op.operands.map((o) => this.name(o.value)).join(', '), ')');
    if (op.successors.length) this.out.push(' [', op.successors.map((b) => this.blockNames.get(b) ?? '^<<UNKNOWN BLOCK>>').join(', '), ']');
    if (op.regions.length) {
      this.out.push(' (');
      const inner: NameScope = isIsolated(op) ? { nextResult: 0, nextArg: 0 } : scope;
      op.regions.forEach((r, i) => {
        if (i) this.out.push(', ');
        if (inner !== scope) this.assign(r.blocks, inner, false);
        this.printRegionBody(r.blocks, indent, inner, true);
      });
      this.out.push(')');
    }
    const attrs = this.sortedAttrs(op);
    if (attrs.length) this.out.push(' ', printAttrDict(attrs));
    this.out.push(' : ', this.fnType(op), this.loc(op.loc), '\n');
  }

  private fnType(op: Operation): string {
    const ins = `(${op.operands.map((o) => printType(o.value.type)).join(', ')})`;
    const rs = op.results;
    const single = rs.length === 1 && rs[0]!.type.kind !== 'function';
    return `${ins} -> ${single ? printType(rs[0]!.type) : `(${rs.map((r) => printType(r.type)).join(', ')})`}`;
  }

  /** Prints `{` blocks `}`; entry label only when it has arguments or there are several blocks. */
  private printRegionBody(blocks: readonly Block[], indent: string, scope: NameScope, printEntryLabel: boolean): void {
    this.out.push('{\n');
    blocks.forEach((b, i) => {
      const needLabel = i > 0 || (printEntryLabel && (b.args.length > 0 || blocks.length > 1));
      if (needLabel) {
        const args = b.args.map((a) => `${this.name(a)}: ${printType(a.type)}${this.loc(a.loc)}`).join(', ');
        this.out.push(indent, `^bb${i}`, args ? `(${args})` : '', ':\n');
      }
      for (const op of b.ops()) this.printOp(op, `${indent}  `, scope);
    });
    this.out.push(indent, '}');
  }

  private printModule(op: Operation, indent: string): void {
    this.out.push(indent, 'module');
    const name = op.attr('sym_name');
    if (name?.kind === 'string') this.out.push(' @', symbolName(name.value));
    const attrs = this.sortedAttrs(op, ['sym_name']);
    if (attrs.length) this.out.push(' attributes ', printAttrDict(attrs));
    this.out.push(' {\n');
    const scope: NameScope = { nextResult: 0, nextArg: 0 };
    this.assign(op.regions[0]?.blocks ?? [], scope, false);
    for (const b of op.regions[0]?.blocks ?? []) for (const inner of b.ops()) this.printOp(inner, `${indent}  `, scope);
    this.out.push(indent, '}', this.loc(op.loc), '\n');
  }

  private printFunc(op: Operation, indent: string): void {
    const scope: NameScope = { nextResult: 0, nextArg: 0 };
    const ft = op.attr('function_type');
    const fnName = op.attr('sym_name');
    if (ft?.kind !== 'type' || ft.value.kind !== 'function' || fnName?.kind !== 'string') {
      // Malformed func: fall back to generic form so nothing is lost.
      const res = this.nameResults(op);
      this.out.push(indent, res, printString(op.name), '() (');
      op.regions.forEach((r, i) => {
        if (i) this.out.push(', ');
        this.printRegionBody(r.blocks, indent, { nextResult: 0, nextArg: 0 }, true);
      });
      const attrs = this.sortedAttrs(op);
      this.out.push(')', attrs.length ? ` ${printAttrDict(attrs)}` : '', ' : () -> ()', this.loc(op.loc), '\n');
      return;
    }
    const type = ft.value;
    const vis = op.attr('sym_visibility');
    this.out.push(indent, 'func.func ', vis?.kind === 'string' ? `${vis.value} ` : '', '@', symbolName(fnName.value), '(');
    const argAttrs = op.attr('arg_attrs');
    const resAttrs = op.attr('res_attrs');
    const dictAt = (a: Attribute | undefined, i: number): string => {
      if (a?.kind !== 'array') return '';
      const d = a.elements[i];
      return d?.kind === 'dictionary' && d.entries.length ? ` ${printAttrDict(d.entries)}` : '';
    };
    const entry = op.regions[0]?.blocks[0];
    if (entry) {
      for (const a of entry.args) this.names.set(a, `%arg${scope.nextArg++}`);
      this.assign(op.regions[0]!.blocks, scope, true);
      entry.args.forEach((a, i) => {
        this.out.push(i ? ', ' : '', this.name(a), ': ', printType(a.type), dictAt(argAttrs, i), this.loc(a.loc));
      });
    } else type.inputs.forEach((t, i) => this.out.push(i ? ', ' : '', printType(t), dictAt(argAttrs, i)));
    this.out.push(')');
    if (type.results.length > 0) {
      const simple = type.results.length === 1 && !dictAt(resAttrs, 0) && type.results[0]!.kind !== 'function';
      this.out.push(
        ' -> ',
        simple
          ? printType(type.results[0]!)
          : `(${type.results.map((t, i) => `${printType(t)}${dictAt(resAttrs, i)}`).join(', ')})`,
      );
    }
    const attrs = this.sortedAttrs(op, ['sym_name', 'function_type', 'sym_visibility', 'arg_attrs', 'res_attrs']);
    if (attrs.length) this.out.push(' attributes ', printAttrDict(attrs));
    if (entry) {
      this.out.push(' ');
      const blocks = op.regions[0]!.blocks;
      this.out.push('{\n');
      blocks.forEach((b, i) => {
        if (i > 0) {
          const args = b.args.map((a) => `${this.name(a)}: ${printType(a.type)}`).join(', ');
          this.out.push(indent, `^bb${i}`, args ? `(${args})` : '', ':\n');
        }
        for (const inner of b.ops()) this.printOp(inner, `${indent}  `, scope);
      });
      this.out.push(indent, '}');
    }
    this.out.push(this.loc(op.loc), '\n');
  }
}

function isIsolated(op: Operation): boolean {
  return op.name === 'builtin.module' || op.name === 'func.func' || (getOpDef(op.name)?.traits.includes('IsolatedFromAbove') ?? false);
}

function symbolName(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$.]*$/.test(s) ? s : printString(s);
}

/** Prints a location as `loc(...)`. */
export function printLoc(l: Location): string {
  const body = (x: Location): string => {
    switch (x.kind) {
      case 'unknown':
        return 'unknown';
      case 'name':
        return x.child ? `${printString(x.name)}(${body(x.child)})` : printString(x.name);
      case 'file':
        return `${printString(x.file)}:${x.line}:${x.col}`;
      case 'fused':
        return `fused[${x.locs.map(body).join(', ')}]`;
    }
  };
  return `loc(${body(l)})`;
}

/** Prints an op (usually a module) as MLIR text. */
export function printOp(op: Operation, opts: PrintOptions = {}): string {
  const p = new Printer(opts);
  p.printTop(op);
  return p.result();
}
