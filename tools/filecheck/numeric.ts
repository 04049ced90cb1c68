/**
 * FileCheck numeric substitution blocks (`[[#...]]` and legacy `[[@LINE+n]]`): parsing of format
 * specifiers, variable definitions, `==` constraints and expressions (+, -, add/sub/mul/div/min/max),
 * evaluation with bigints, and conversion between values and their matched text.
 */

/** A parse or evaluation error located at an offset of the check file. */
export class PatternDiagError extends Error {
  /**
   * @param pos      offset in the pattern's buffer the caret points at
   * @param message  the diagnostic text
   * @param logged   LLVM reports this one through its Error machinery, which adds a blank line
   */
  constructor(
    readonly pos: number,
    message: string,
    readonly logged = false,
  ) {
    super(message);
  }
}

/** Numeric matching format (`%u`, `%d`, `%x`, `%X`), `null` kind meaning "no format". */
export interface NumFormat {
  readonly kind: 'u' | 'd' | 'x' | 'X' | null;
  readonly precision: number;
  readonly alt: boolean;
}

const NO_FORMAT: NumFormat = { kind: null, precision: 0, alt: false };
/** The default unsigned decimal format. */
export const UNSIGNED: NumFormat = { kind: 'u', precision: 0, alt: false };

function sameFormat(a: NumFormat, b: NumFormat): boolean {
  return a.kind === b.kind && a.precision === b.precision && a.alt === b.alt;
}

/** Printable name of a format, as used in LLVM's messages. */
export function formatName(f: NumFormat): string {
  return f.kind === null ? '<none>' : '%' + f.kind;
}

/** A numeric variable (shared by every pattern that mentions it). */
export class NumericVariable {
  value: bigint | null = null;
  constructor(
    readonly name: string,
    readonly format: NumFormat,
    readonly defLine: number | null,
  ) {}
}

/** A numeric expression tree. */
export type NumExpr =
  | { readonly kind: 'lit'; readonly value: bigint; readonly text: string }
  | { readonly kind: 'var'; readonly variable: NumericVariable; readonly name: string; readonly pos: number }
  | {
      readonly kind: 'op';
      readonly fn: (a: bigint, b: bigint) => bigint | null;
      readonly l: NumExpr;
      readonly r: NumExpr;
      readonly text: string;
      readonly pos: number;
    };

/** Evaluation failure: an undefined variable (with its check-file offset) or an overflow. */
export type EvalError = { readonly undefinedVar: string; readonly pos: number } | { readonly overflow: true };

/** Evaluates an expression; returns the value or the list of errors. */
export function evalExpr(e: NumExpr): bigint | EvalError[] {
  switch (e.kind) {
    case 'lit':
      return e.value;
    case 'var':
      return e.variable.value ?? [{ undefinedVar: e.name, pos: e.pos }];
    case 'op': {
      const l = evalExpr(e.l);
      const r = evalExpr(e.r);
      if (typeof l !== 'bigint' || typeof r !== 'bigint') {
        return [...(typeof l === 'bigint' ? [] : l), ...(typeof r === 'bigint' ? [] : r)];
      }
      const v = e.fn(l, r);
      return v === null ? [{ overflow: true }] : v;
    }
  }
}

function implicitFormat(e: NumExpr): NumFormat {
  switch (e.kind) {
    case 'lit':
      return NO_FORMAT;
    case 'var':
      return e.variable.format;
    case 'op': {
      const l = implicitFormat(e.l);
      const r = implicitFormat(e.r);
      if (l.kind !== null && r.kind !== null && !sameFormat(l, r)) {
        throw new PatternDiagError(
          e.pos,
          `implicit format conflict between '${exprText(e.l)}' (${formatName(l)}) and '${exprText(e.r)}' (${formatName(r)}), need an explicit format specifier`,
          true,
        );
      }
      return l.kind !== null ? l : r;
    }
  }
}

function exprText(e: NumExpr): string {
  return e.kind === 'var' ? e.name : e.text;
}

/** Regex (ERE) matching any value of a format. */
export function wildcardRegex(f: NumFormat): string {
  const pre = f.alt ? '0x' : '';
  const prec = (s: string): string => `${pre}${s}{${f.precision}}`;
  switch (f.kind) {
    case 'd':
      return f.precision ? prec('-?([1-9][0-9]*)?[0-9]') : '-?[0-9]+';
    case 'x':
      return f.precision ? prec('([1-9a-f][0-9a-f]*)?[0-9a-f]') : pre + '[0-9a-f]+';
    case 'X':
      return f.precision ? prec('([1-9A-F][0-9A-F]*)?[0-9A-F]') : pre + '[0-9A-F]+';
    default:
      return f.precision ? prec('([1-9][0-9]*)?[0-9]') : '[0-9]+';
  }
}

/** The text a value must appear as in the input, or null on overflow (negative unsigned). */
export function matchingString(v: bigint, f: NumFormat): string | null {
  if (f.kind !== 'd' && v < 0n) return null;
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let digits = f.kind === 'x' ? abs.toString(16) : f.kind === 'X' ? abs.toString(16).toUpperCase() : abs.toString();
  if (f.precision > digits.length) digits = '0'.repeat(f.precision - digits.length) + digits;
  return (neg ? '-' : '') + (f.alt ? '0x' : '') + digits;
}

/** Parses matched text back into a value according to a format. */
export function valueFromString(s: string, f: NumFormat): bigint {
  let t = s;
  const neg = t.startsWith('-');
  if (neg) t = t.slice(1);
  if (f.alt && t.startsWith('0x')) t = t.slice(2);
  const hex = f.kind === 'x' || f.kind === 'X';
  const v = t.length === 0 ? 0n : BigInt(hex ? '0x' + t : t);
  return neg ? -v : v;
}

/** Numeric-variable table shared across the check file. */
export interface NumericContext {
  readonly numerics: Map<string, NumericVariable>;
  readonly definedStrings: Set<string>;
  readonly lineVariable: NumericVariable;
}

/** Result of parsing a numeric block. */
export interface NumericBlock {
  readonly expr: NumExpr | null;
  readonly format: NumFormat;
  readonly defined: NumericVariable | null;
}

const SPACE = /^[ \t]*/;

/**
 * Parses the text of a numeric substitution block (after `#`). `base` is the check-file offset of
 * `text[0]`; `line` the check line number (for same-line-definition errors).
 */
export function parseNumericBlock(
  text: string,
  base: number,
  legacy: boolean,
  line: number | null,
  ctx: NumericContext,
): NumericBlock {
  const p = new NumParser(text, base, line, ctx);
  return p.parseBlock(legacy);
}

type Allowed = 'any' | 'linevar' | 'legacyLiteral';

class NumParser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly base: number,
    private readonly line: number | null,
    private readonly ctx: NumericContext,
  ) {}

  private err(at: number, msg: string): never {
    throw new PatternDiagError(this.base + at, msg, true);
  }
  private skipSpace(): void {
    this.i += SPACE.exec(this.s.slice(this.i))?.[0].length ?? 0;
  }
  private rest(): string {
    return this.s.slice(this.i);
  }

  parseBlock(legacy: boolean): NumericBlock {
    let explicit: NumFormat | null = null;
    let precision = 0;
    const comma = this.s.indexOf(',');
    const paren = this.s.indexOf('(');
    if (comma !== -1 && (paren === -1 || comma < paren)) {
      explicit = this.parseFormat(comma);
      precision = explicit.precision;
      this.i = comma + 1;
    }
    let defText: string | null = null;
    let defStart = 0;
    const colon = this.s.indexOf(':', this.i);
    let exprEnd = this.s.length;
    if (colon !== -1) {
      defText = this.s.slice(this.i, colon);
      defStart = this.i;
      this.i = colon + 1;
    }
    this.skipSpace();
    let constraint = false;
    if (this.rest().startsWith('==')) {
      constraint = true;
      this.i += 2;
    }
    this.skipSpace();
    let expr: NumExpr | null = null;
    if (this.i >= exprEnd) {
      if (constraint) this.err(this.i, 'empty numeric expression should not have a constraint');
    } else {
      while (exprEnd > this.i && (this.s[exprEnd - 1] === ' ' || this.s[exprEnd - 1] === '\t')) exprEnd--;
      const outerStart = this.i;
      const stop = exprEnd;
      expr = this.parseOperand(legacy ? 'linevar' : 'any', !constraint, stop);
      while (this.i < stop) {
        expr = this.parseBinop(outerStart, expr, legacy, stop);
        if (legacy && this.i < stop) {
          this.err(this.i, `unexpected characters at end of expression '${this.s.slice(this.i, stop)}'`);
        }
      }
    }
    let format: NumFormat;
    if (explicit && explicit.kind !== null) format = explicit;
    else if (expr) {
      const f = implicitFormat(expr);
      format = f.kind !== null ? f : { kind: 'u', precision, alt: false };
    } else format = { kind: 'u', precision, alt: false };
    let defined: NumericVariable | null = null;
    if (defText !== null) defined = this.parseDefinition(defText, defStart, format);
    return { expr, format, defined };
  }

  private parseFormat(end: number): NumFormat {
    let j = 0;
    while (j < end && (this.s[j] === ' ' || this.s[j] === '\t')) j++;
    let e = end;
    while (e > j && (this.s[e - 1] === ' ' || this.s[e - 1] === '\t')) e--;
    if (this.s[j] !== '%') this.err(j, 'invalid matching format specification in expression');
    j++;
    const altAt = j;
    const alt = this.s[j] === '#';
    if (alt) j++;
    let precision = 0;
    if (this.s[j] === '.') {
      j++;
      const m = /^[0-9]+/.exec(this.s.slice(j, e));
      if (!m) this.err(j, 'invalid precision in format specifier');
      precision = Number(m[0]);
      j += m[0].length;
    }
    let kind: NumFormat['kind'] = null;
    if (j < e) {
      const c = this.s[j];
      if (c === 'u' || c === 'd' || c === 'x' || c === 'X') kind = c;
      else this.err(j, 'invalid format specifier in expression');
      j++;
    }
    if (alt && kind !== 'x' && kind !== 'X') this.err(altAt, 'alternate form only supported for hex values');
    while (j < e && (this.s[j] === ' ' || this.s[j] === '\t')) j++;
    if (j < e) this.err(j, 'invalid matching format specification in expression');
    return { kind, precision, alt };
  }

  private parseDefinition(text: string, start: number, format: NumFormat): NumericVariable {
    let j = 0;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
    const v = parseVariableName(text.slice(j));
    if ('error' in v) this.err(start + j + v.at, v.error);
    if (v.pseudo) this.err(start + j, 'definition of pseudo numeric variable unsupported');
    if (this.ctx.definedStrings.has(v.name)) {
      this.err(start + j, `string variable with name '${v.name}' already exists`);
    }
    let k = j + v.name.length;
    while (k < text.length && (text[k] === ' ' || text[k] === '\t')) k++;
    if (k < text.length) this.err(start + k, 'unexpected characters after numeric variable name');
    const existing = this.ctx.numerics.get(v.name);
    if (existing && !sameFormat(existing.format, format)) {
      this.err(start + k, 'format different from previous variable definition');
    }
    const nv = new NumericVariable(v.name, format, this.line);
    return nv;
  }

  private parseOperand(allowed: Allowed, maybeConstraint: boolean, stop: number): NumExpr {
    const startI = this.i;
    if (this.s[this.i] === '(') {
      if (allowed !== 'any') this.err(this.i, 'parenthesized expression not permitted here');
      return this.parseParen(stop);
    }
    if (allowed === 'linevar' || allowed === 'any') {
      const v = parseVariableName(this.s.slice(this.i, stop));
      if (!('error' in v)) {
        const namePos = this.i;
        this.i += v.name.length;
        const save = this.i;
        this.skipSpace();
        if (this.s[this.i] === '(' && this.i < stop) {
          if (allowed !== 'any') this.err(namePos, 'unexpected function call');
          return this.parseCall(v.name, namePos, stop);
        }
        this.i = save;
        return this.variableUse(v.name, v.pseudo, namePos);
      }
      if (allowed === 'linevar') this.err(this.i + v.at, v.error);
    }
    const m = (allowed === 'legacyLiteral' ? /^-?[0-9]+/ : /^-?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)/).exec(
      this.s.slice(this.i, stop),
    );
    if (m) {
      this.i += m[0].length;
      const neg = m[0].startsWith('-');
      const body = neg ? m[0].slice(1) : m[0];
      let v: bigint;
      if (/^0[0-7]+$/.test(body)) v = BigInt('0o' + body.slice(1));
      else v = BigInt(body);
      return { kind: 'lit', value: neg ? -v : v, text: m[0] };
    }
    return this.err(startI, `invalid ${maybeConstraint ? 'matching constraint or ' : ''}operand format`);
  }

  private variableUse(name: string, pseudo: boolean, pos: number): NumExpr {
    if (pseudo && name !== '@LINE') this.err(pos, `invalid pseudo numeric variable '${name}'`);
    let variable = pseudo ? this.ctx.lineVariable : this.ctx.numerics.get(name);
    if (!variable) {
      variable = new NumericVariable(name, UNSIGNED, null);
      this.ctx.numerics.set(name, variable);
    }
    if (variable.defLine !== null && this.line !== null && variable.defLine === this.line && !pseudo) {
      this.err(pos, `numeric variable '${name}' defined earlier in the same CHECK directive`);
    }
    return { kind: 'var', variable, name, pos: this.base + pos };
  }

  private parseParen(stop: number): NumExpr {
    this.i++; // '('
    this.skipSpace();
    if (this.i >= stop) this.err(this.i, 'missing operand in expression');
    let e = this.parseOperand('any', false, stop);
    this.skipSpace();
    while (this.i < stop && this.s[this.i] !== ')') {
      e = this.parseBinop(this.i, e, false, stop);
      this.skipSpace();
    }
    if (this.s[this.i] !== ')' || this.i >= stop) this.err(this.i, "missing ')' at end of nested expression");
    this.i++;
    return e;
  }

  private parseBinop(outerStart: number, left: NumExpr, legacy: boolean, stop: number): NumExpr {
    this.skipSpace();
    if (this.i >= stop) return left;
    const opPos = this.i;
    const op = this.s[this.i];
    this.i++;
    let fn: (a: bigint, b: bigint) => bigint | null;
    if (op === '+') fn = (a, b) => a + b;
    else if (op === '-') fn = (a, b) => a - b;
    else return this.err(opPos, `unsupported operation '${op ?? ''}'`);
    this.skipSpace();
    if (this.i >= stop) this.err(this.i, 'missing operand in expression');
    const right = this.parseOperand(legacy ? 'legacyLiteral' : 'any', false, stop);
    return { kind: 'op', fn, l: left, r: right, text: this.s.slice(outerStart, this.i), pos: this.base + outerStart };
  }

  private parseCall(name: string, namePos: number, stop: number): NumExpr {
    const fns: Record<string, (a: bigint, b: bigint) => bigint | null> = {
      add: (a, b) => a + b,
      sub: (a, b) => a - b,
      mul: (a, b) => a * b,
      div: (a, b) => (b === 0n ? null : a / b),
      max: (a, b) => (a > b ? a : b),
      min: (a, b) => (a < b ? a : b),
    };
    const fn = fns[name];
    if (!fn) this.err(namePos, `call to undefined function '${name}'`);
    this.i++; // '('
    this.skipSpace();
    const args: NumExpr[] = [];
    while (this.i < stop && this.s[this.i] !== ')') {
      if (this.s[this.i] === ',') this.err(this.i, 'missing argument');
      const outer = this.i;
      let arg = this.parseOperand('any', false, stop);
      while (this.i < stop) {
        this.skipSpace();
        if (this.s[this.i] === ',' || this.s[this.i] === ')') break;
        arg = this.parseBinop(outer, arg, false, stop);
      }
      args.push(arg);
      this.skipSpace();
      if (this.s[this.i] !== ',') break;
      this.i++;
      this.skipSpace();
      if (this.s[this.i] === ')') this.err(this.i, 'missing argument');
    }
    if (this.s[this.i] !== ')' || this.i >= stop) this.err(this.i, "missing ')' at end of call expression");
    this.i++;
    const [a, b] = args;
    if (args.length !== 2 || !a || !b) {
      this.err(namePos, `function '${name}' takes 2 arguments but ${args.length} given`);
    }
    return { kind: 'op', fn, l: a, r: b, text: this.s.slice(namePos, this.i), pos: this.base + namePos };
  }
}

/** Result of {@link parseVariableName}. */
export type VarNameResult = { name: string; pseudo: boolean } | { error: string; at: number };

/** Parses a FileCheck variable name (`$global`, `@PSEUDO` or `[A-Za-z_][A-Za-z0-9_]*`) at the start of `s`. */
export function parseVariableName(s: string): VarNameResult {
  if (s.length === 0) return { error: 'empty variable name', at: 0 };
  const pseudo = s[0] === '@';
  let i = s[0] === '$' || pseudo ? 1 : 0;
  if (i === s.length) return { error: `empty ${pseudo ? 'pseudo ' : 'global '}variable name`, at: i };
  if (!/[A-Za-z_]/.test(s[i] ?? '')) return { error: 'invalid variable name', at: 0 };
  i++;
  while (i < s.length && /[A-Za-z0-9_]/.test(s[i] ?? '')) i++;
  return { name: s.slice(0, i), pseudo };
}
