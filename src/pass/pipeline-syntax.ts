/**
 * Pass pipeline text: the flat `--passes=` form (`a,b{k=v x="y z"},c`) and MLIR's nested form
 * (`builtin.module(func.func(a,b{k=v}),c)`). Aliases are expanded here; errors carry the column.
 * Printing is canonical: explicitly set options only, in schema order.
 */
import { DiagnosticError, errorDiag } from '../ir/diagnostic.js';
import { fileLoc } from '../ir/location.js';
import {
  checkOptionValue,
  formatOptionValue,
  parseOptionValue,
  resolveOptions,
  unknownOptionMessage,
} from './options.js';
import type { OptionValue, PassAnchor, PassDef } from './pass.js';
import { getPass, getPipelineAlias, unknownPassMessage } from './registry.js';

/** One configured pass in a pipeline. */
export interface PassInstance {
  readonly pass: PassDef;
  /** Every option, defaults filled in. */
  readonly options: Readonly<Record<string, OptionValue>>;
  /** Only the options given explicitly (what printing shows). */
  readonly explicit: Readonly<Record<string, OptionValue>>;
}

/** A pipeline syntax or option error at a 1-based column of the pipeline text. */
export class PipelineSyntaxError extends DiagnosticError {
  constructor(
    readonly column: number,
    readonly detail: string,
    source = '<pass-pipeline>',
  ) {
    super([errorDiag(fileLoc(source, 1, column), detail)]);
    this.name = 'PipelineSyntaxError';
  }
}

/** Builds an instance from JS option values (`addPass`); throws an Error on unknown/mistyped options. */
export function makePassInstance(pass: PassDef, given: Readonly<Record<string, unknown>> = {}): PassInstance {
  const explicit: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(given)) {
    const spec = pass.options[k];
    if (!spec) throw new Error(unknownOptionMessage(pass, k));
    const parsed = typeof v === 'string' && spec.kind !== 'string' && spec.kind !== 'enum' ? parseOptionValue(k, spec, v) : v;
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) throw new Error(String(parsed.error));
    const err = checkOptionValue(k, spec, parsed);
    if (err) throw new Error(err);
    explicit[k] = parsed as OptionValue;
  }
  return Object.freeze({ pass, options: Object.freeze(resolveOptions(pass.options, explicit)), explicit: Object.freeze(explicit) });
}

const IDENT = /[A-Za-z0-9_.\-]/;

class PipelineParser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly source: string,
    readonly expanding: ReadonlySet<string>,
  ) {}
  fail(message: string, at = this.pos): never {
    throw new PipelineSyntaxError(at + 1, message, this.source);
  }
  ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  ident(what: string): string {
    this.ws();
    const start = this.pos;
    while (this.pos < this.text.length && IDENT.test(this.text[this.pos]!)) this.pos++;
    if (this.pos === start) this.fail(this.pos >= this.text.length ? `expected ${what}` : `expected ${what}, found '${this.peek()}'`);
    return this.text.slice(start, this.pos);
  }
  /** list := elem (',' elem)*, ended by `close` (or end of text). */
  list(ctx: PassAnchor | undefined, close: string, out: PassInstance[]): void {
    this.ws();
    if (this.peek() === close || (close === '' && this.pos >= this.text.length)) return;
    for (;;) {
      this.elem(ctx, out);
      this.ws();
      if (this.peek() !== ',') break;
      this.pos++;
    }
    this.ws();
    if (close === '' ? this.pos < this.text.length : this.peek() !== close)
      this.fail(this.pos >= this.text.length ? `expected '${close}'` : `expected ',' or ${close ? `'${close}'` : 'end of pipeline'}, found '${this.peek()}'`);
  }
  elem(ctx: PassAnchor | undefined, out: PassInstance[]): void {
    this.ws();
    const start = this.pos;
    const name = this.ident('a pass name');
    this.ws();
    if (this.peek() === '(') {
      if (name !== 'builtin.module' && name !== 'func.func')
        this.fail(`unknown pipeline anchor '${name}'; expected 'builtin.module' or 'func.func'`, start);
      if (name === 'builtin.module' && ctx !== undefined) this.fail(`'builtin.module' cannot be nested in '${ctx}'`, start);
      if (name === 'func.func' && ctx === 'func.func') this.fail(`'func.func' cannot be nested in 'func.func'`, start);
      this.pos++;
      this.list(name, ')', out);
      this.pos++;
      return;
    }
    const alias = getPipelineAlias(name);
    if (alias && !getPass(name)) {
      if (this.peek() === '{') this.fail(`pipeline '${name}' takes no options`);
      if (this.expanding.has(name)) this.fail(`pipeline alias '${name}' expands to itself`, start);
      try {
        const inner = new PipelineParser(alias.pipeline, this.source, new Set([...this.expanding, name]));
        inner.list(ctx, '', out);
      } catch (e) {
        if (e instanceof PipelineSyntaxError) this.fail(`in pipeline '${name}': ${e.detail}`, start);
        throw e;
      }
      return;
    }
    const pass = getPass(name);
    if (!pass) this.fail(unknownPassMessage(name), start);
    if (ctx === 'func.func' && pass.anchor !== 'func.func')
      this.fail(`pass '${name}' runs on '${pass.anchor}' and cannot be nested in 'func.func'`, start);
    const explicit: Record<string, OptionValue> = {};
    if (this.peek() === '{') {
      this.pos++;
      this.options(pass, explicit);
    }
    out.push(Object.freeze({ pass, options: Object.freeze(resolveOptions(pass.options, explicit)), explicit: Object.freeze(explicit) }));
  }
  /** options := (key ('=' value)?)* '}' */
  options(pass: PassDef, explicit: Record<string, OptionValue>): void {
    for (;;) {
      this.ws();
      if (this.peek() === '}') {
        this.pos++;
        return;
      }
      if (this.pos >= this.text.length) this.fail(`expected '}'`);
      const keyAt = this.pos;
      const key = this.ident('an option name');
      const spec = pass.options[key];
      if (!spec) this.fail(unknownOptionMessage(pass, key), keyAt);
      let raw = 'true';
      const valueAt = this.pos + 1;
      if (this.peek() === '=') {
        this.pos++;
        raw = this.value();
      } else if (spec.kind !== 'bool') this.fail(`option '${key}' needs a value ('${key}=...')`, keyAt);
      const v = parseOptionValue(key, spec, raw);
      if (typeof v === 'object' && 'error' in v) this.fail(v.error, valueAt);
      explicit[key] = v;
    }
  }
  /** A quoted string, a bracketed list or a bare token up to whitespace or '}'. */
  value(): string {
    const start = this.pos;
    let depth = 0;
    let quote = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (quote) {
        if (c === '\\') this.pos++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && depth > 0) depth--;
      else if (depth === 0 && (c === '}' || /\s/.test(c))) break;
      this.pos++;
    }
    if (quote) this.fail('unterminated quoted option value', start);
    if (this.pos === start) this.fail('expected an option value');
    return this.text.slice(start, this.pos);
  }
}

/** Parses either pipeline form; throws PipelineSyntaxError. */
export function parsePipeline(text: string, source = '<pass-pipeline>'): PassInstance[] {
  const out: PassInstance[] = [];
  const p = new PipelineParser(text, source, new Set());
  p.list(undefined, '', out);
  return out;
}

function printInstance(i: PassInstance): string {
  const opts = Object.keys(i.pass.options)
    .filter((k) => i.explicit[k] !== undefined)
    .map((k) => `${k}=${formatOptionValue(i.explicit[k]!)}`);
  return opts.length ? `${i.pass.name}{${opts.join(' ')}}` : i.pass.name;
}

/**
 * Prints a pipeline: `flat` gives `a,b{k=v}`; `mlir` gives `builtin.module(func.func(a),b)`, grouping
 * consecutive func-anchored passes.
 */
export function printPipeline(pipeline: readonly PassInstance[], form: 'flat' | 'mlir' = 'flat'): string {
  if (form === 'flat') return pipeline.map(printInstance).join(',');
  const parts: string[] = [];
  let group: string[] = [];
  const flush = (): void => {
    if (group.length) parts.push(`func.func(${group.join(',')})`);
    group = [];
  };
  for (const i of pipeline) {
    if (i.pass.anchor === 'func.func') group.push(printInstance(i));
    else {
      flush();
      parts.push(printInstance(i));
    }
  }
  flush();
  return `builtin.module(${parts.join(',')})`;
}
