/**
 * Pass option values: parsing option text against a pass's schema (type checks, enum values, list
 * elements), filling defaults, and printing values so pipelines re-parse to the same thing.
 */
import type { ListElementKind, OptionSchema, OptionSpec, OptionValue, PassDef } from './pass.js';

/** Splits a list value (`a,b`, `[a, b]` or `{a,b}`) at top-level commas, honouring quotes. */
export function splitList(raw: string): string[] {
  let s = raw.trim();
  if ((s.startsWith('[') && s.endsWith(']')) || (s.startsWith('{') && s.endsWith('}'))) s = s.slice(1, -1);
  if (s.trim() === '') return [];
  const out: string[] = [];
  let cur = '';
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\' && i + 1 < s.length) cur += c + s[++i]!;
      else {
        if (c === quote) quote = '';
        cur += c;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      cur += c;
    } else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out.map(unquote);
}

/** Removes surrounding quotes (and backslash escapes) from a quoted string. */
export function unquote(s: string): string {
  const q = s[0];
  if ((q === '"' || q === "'") && s.length >= 2 && s.endsWith(q)) return s.slice(1, -1).replace(/\\(.)/g, '$1');
  return s;
}

function parseScalar(kind: ListElementKind | 'bool', raw: string): number | string | boolean | undefined {
  switch (kind) {
    case 'int': {
      if (!/^[+-]?(\d+|0[xX][0-9a-fA-F]+)$/.test(raw)) return undefined;
      const neg = raw.startsWith('-');
      const n = Number(raw.replace(/^[+-]/, ''));
      return Number.isSafeInteger(n) ? (neg ? -n : n) : undefined;
    }
    case 'float': {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|nan)$/i.test(raw)) return undefined;
      const l = raw.toLowerCase().replace(/^\+/, '');
      return l === 'inf' ? Infinity : l === '-inf' ? -Infinity : l.endsWith('nan') ? NaN : Number(raw);
    }
    case 'bool':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : undefined;
    case 'string':
      return raw;
  }
}

const kindNoun: Record<string, string> = { int: 'an integer', float: 'a number', bool: 'true or false' };

/** Parses option text for one spec; returns the value or an error message. */
export function parseOptionValue(name: string, spec: OptionSpec, raw: string): OptionValue | { error: string } {
  const bad = (what: string): { error: string } => ({
    error: `invalid value '${raw}' for option '${name}': expected ${what}`,
  });
  switch (spec.kind) {
    case 'int':
    case 'float':
    case 'bool': {
      const v = parseScalar(spec.kind, unquote(raw));
      return v === undefined ? bad(kindNoun[spec.kind]!) : (v as OptionValue);
    }
    case 'string':
      return unquote(raw);
    case 'enum': {
      const v = unquote(raw);
      const values = spec.values ?? [];
      return values.includes(v) ? v : bad(`one of ${values.map((x) => `'${x}'`).join(', ')}`);
    }
    case 'list': {
      const of = spec.of ?? 'string';
      const out: (string | number)[] = [];
      for (const e of splitList(raw)) {
        const v = parseScalar(of, e);
        if (v === undefined || typeof v === 'boolean') return bad(`a comma-separated list of ${of} values`);
        out.push(v);
      }
      return out;
    }
  }
}

/** Checks a JS value (from `addPass`) against a spec; returns an error message when it does not fit. */
export function checkOptionValue(name: string, spec: OptionSpec, v: unknown): string | undefined {
  const ok =
    spec.kind === 'int'
      ? Number.isSafeInteger(v)
      : spec.kind === 'float'
        ? typeof v === 'number'
        : spec.kind === 'bool'
          ? typeof v === 'boolean'
          : spec.kind === 'string'
            ? typeof v === 'string'
            : spec.kind === 'enum'
              ? typeof v === 'string' && (spec.values ?? []).includes(v)
              : Array.isArray(v) && v.every((e) => (spec.of ?? 'string') === 'string' ? typeof e === 'string' : typeof e === 'number');
  return ok ? undefined : `invalid value ${JSON.stringify(v)} for option '${name}' (${spec.kind})`;
}

/** The error for an option a pass does not have. */
export function unknownOptionMessage(pass: PassDef, name: string): string {
  const names = Object.keys(pass.options).sort();
  return names.length === 0
    ? `pass '${pass.name}' has no options (got '${name}')`
    : `unknown option '${name}' for pass '${pass.name}'; valid options: ${names.join(', ')}`;
}

/** Fills defaults under explicitly given values. */
export function resolveOptions(schema: OptionSchema, given: Readonly<Record<string, OptionValue>>): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const [k, spec] of Object.entries(schema)) out[k] = given[k] ?? spec.default;
  return out;
}

function quoteIfNeeded(s: string): string {
  return s === '' || /[\s{}()[\],="'\\]/.test(s) ? `"${s.replace(/["\\]/g, '\\$&')}"` : s;
}

/** Prints a value so `parseOptionValue` reads it back. */
export function formatOptionValue(v: OptionValue): string {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : v.map((e) => quoteIfNeeded(String(e))).join(',');
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return typeof v === 'string' ? quoteIfNeeded(v) : String(v);
}
