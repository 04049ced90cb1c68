/**
 * One FileCheck pattern: parsing of the text after a directive into a fixed string or an ERE with
 * `{{regex}}` pieces, `[[VAR:regex]]` definitions, `[[VAR]]` uses and `[[#expr]]` numeric blocks,
 * plus matching against a window of the input (with variable substitution and capture).
 */
import { type SourceFile, formatDiag } from './diagnostics.js';
import {
  type NumExpr,
  type NumFormat,
  type NumericContext,
  NumericVariable,
  PatternDiagError,
  UNSIGNED,
  evalExpr,
  matchingString,
  parseNumericBlock,
  parseVariableName,
  valueFromString,
  wildcardRegex,
} from './numeric.js';
import { type CompiledEre, compileEre, escapeEre, execEre, groupSpans, translateEre } from './regex.js';

export { PatternDiagError } from './numeric.js';

/** Directive kinds (LLVM's Check::FileCheckKind). */
export type CheckKind =
  | 'plain'
  | 'next'
  | 'same'
  | 'not'
  | 'dag'
  | 'label'
  | 'empty'
  | 'comment'
  | 'eof'
  | 'misspelled'
  | 'badnot'
  | 'badcount';

/** A directive type: its kind, `-COUNT-n` repeat count and `{LITERAL}` modifier. */
export interface CheckType {
  readonly kind: CheckKind;
  readonly count: number;
  readonly literal: boolean;
}

/** The directive name used in messages, e.g. `CHECK-NEXT`, `CHECK-COUNT`, `CHECK-DAG{LITERAL}`. */
export function checkDescription(t: CheckType, prefix: string): string {
  const mods = t.literal ? '{LITERAL}' : '';
  switch (t.kind) {
    case 'plain':
      return prefix + (t.count > 1 ? '-COUNT' : '') + mods;
    case 'next':
      return prefix + '-NEXT' + mods;
    case 'same':
      return prefix + '-SAME' + mods;
    case 'not':
      return prefix + '-NOT' + mods;
    case 'dag':
      return prefix + '-DAG' + mods;
    case 'label':
      return prefix + '-LABEL' + mods;
    case 'empty':
      return prefix + '-EMPTY' + mods;
    case 'comment':
      return prefix;
    case 'eof':
      return 'implicit EOF';
    case 'misspelled':
      return 'misspelled';
    case 'badnot':
      return 'bad NOT';
    case 'badcount':
      return 'bad COUNT';
  }
}

/** The options that influence pattern parsing and matching. */
export interface PatternOptions {
  readonly strictWhitespace: boolean;
  readonly matchFullLines: boolean;
  readonly ignoreCase: boolean;
}

/** Variable tables shared by all patterns of one FileCheck run. */
export class VarContext implements NumericContext {
  /** String variables with their current values. */
  readonly strings = new Map<string, string>();
  /** Names ever defined as string variables (for string/numeric collision checks). */
  readonly definedStrings = new Set<string>();
  readonly numerics = new Map<string, NumericVariable>();
  readonly lineVariable = new NumericVariable('@LINE', UNSIGNED, null);

  /** Forgets every variable whose name does not start with `$` (for `--enable-var-scope`). */
  clearLocalVars(): void {
    for (const k of [...this.strings.keys()]) if (!k.startsWith('$')) this.strings.delete(k);
    for (const [k, v] of [...this.numerics]) {
      if (!k.startsWith('$')) {
        v.value = null;
        this.numerics.delete(k);
      }
    }
  }
}

interface Substitution {
  /** The text shown in `with "..." equal to ...` notes. */
  readonly fromText: string;
  /** Offset of the variable name / expression in the pattern's file (for error carets). */
  readonly fromPos: number;
  /** Insertion offset into the pattern's ERE. */
  readonly insertIdx: number;
  readonly name?: string;
  readonly expr?: NumExpr;
  readonly format?: NumFormat;
}

/** Outcome of {@link Pattern.match}: a match (absolute offsets) or a failure with rendered pattern errors. */
export type PatternMatch =
  | { readonly ok: true; readonly pos: number; readonly len: number }
  | { readonly ok: false; readonly errors: string[] };

/** The ASCII-only lowercase used for case-insensitive fixed-string search (length preserving). */
function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
let lowerCacheKey = '';
let lowerCacheVal = '';
function lowered(s: string): string {
  if (s !== lowerCacheKey) {
    lowerCacheKey = s;
    lowerCacheVal = asciiLower(s);
  }
  return lowerCacheVal;
}

/** A parsed check pattern. */
export class Pattern {
  fixedStr = '';
  regexStr = '';
  readonly varDefs = new Map<string, number>();
  readonly numericDefs = new Map<string, { variable: NumericVariable; group: number }>();
  readonly substitutions: Substitution[] = [];
  ignoreCase = false;
  /** True when parsing failed (implicit patterns keep going but never match). */
  broken = false;
  /** The last successful regex match, for reporting captured variables. */
  private lastRegexMatch: { re: CompiledEre; start: number; end: number; pos: number; matchEnd: number } | null = null;

  /**
   * @param type        the directive type
   * @param file        the buffer holding the pattern text (check file or `command line`)
   * @param pos         offset of the pattern text in `file` (after leading whitespace)
   * @param lineNumber  check-file line of the directive (for `@LINE`), null for implicit patterns
   */
  constructor(
    readonly type: CheckType,
    readonly file: SourceFile,
    readonly pos: number,
    readonly lineNumber: number | null,
  ) {}

  /** Whether the pattern defines or uses variables (forbidden on CHECK-LABEL). */
  hasVariable(): boolean {
    return this.substitutions.length > 0 || this.varDefs.size > 0;
  }

  /**
   * Parses `text` (which starts at `this.pos` in `this.file`). Throws {@link PatternDiagError} with
   * an offset in `this.file` on malformed input.
   */
  parse(rawText: string, prefix: string, opts: PatternOptions, ctx: VarContext): void {
    const matchFullLinesHere = opts.matchFullLines && this.type.kind !== 'not';
    this.ignoreCase = opts.ignoreCase;
    let text = rawText;
    if (!(opts.strictWhitespace && opts.matchFullLines)) text = text.replace(/[ \t]+$/, '');
    if (text.length === 0 && this.type.kind !== 'empty') {
      throw new PatternDiagError(this.pos, `found empty check string with prefix '${prefix}:'`);
    }
    if (text.length !== 0 && this.type.kind === 'empty') {
      throw new PatternDiagError(this.pos, `found non-empty check string for empty check with prefix '${prefix}:'`);
    }
    if (this.type.kind === 'empty') {
      this.regexStr = '(\n$)';
      return;
    }
    if (this.type.literal) {
      this.fixedStr = text;
      return;
    }
    if (!matchFullLinesHere && (text.length < 2 || (!text.includes('{{') && !text.includes('[[')))) {
      this.fixedStr = text;
      return;
    }
    let re = '';
    if (matchFullLinesHere) re += opts.strictWhitespace ? '^' : '^ *';
    let curParen = 1;
    let off = 0; // offset of `rest` within text
    const at = (i: number): number => this.pos + off + i;
    const addRegex = (ere: string, ereOffset: number): void => {
      const t = translateEre(ere, true);
      if (!t.ok) throw new PatternDiagError(this.pos + ereOffset, 'invalid regex: ' + t.error);
      re += ere;
      curParen += t.groups;
    };
    while (off < text.length) {
      const rest = text.slice(off);
      if (rest.startsWith('{{')) {
        const end = rest.indexOf('}}');
        if (end === -1) throw new PatternDiagError(at(0), "found start of regex string with no end '}}'");
        const hasAlternation = rest.includes('|');
        if (hasAlternation) {
          re += '(';
          curParen++;
        }
        addRegex(rest.slice(2, end), off + 2);
        if (hasAlternation) re += ')';
        off += end + 2;
        continue;
      }
      if (rest.startsWith('[[') && !rest.startsWith('[[[')) {
        const unparsed = rest.slice(2);
        const end = findRegexVarEnd(unparsed, at(2));
        if (end === -1) throw new PatternDiagError(at(0), 'Invalid substitution block, no ]] found');
        let matchStr = unparsed.slice(0, end);
        let matchOff = off + 2; // offset of matchStr within text
        let isNumBlock = false;
        if (matchStr.startsWith('#')) {
          isNumBlock = true;
          matchStr = matchStr.slice(1);
          matchOff++;
        }
        off += 2 + end + 2;
        let isDefinition = false;
        let substNeeded = false;
        let isLegacy = false;
        let defName = '';
        let substName = '';
        let matchRegexp = '';
        let matchRegexpOff = 0;
        let substInsertIdx = re.length;
        let numBlock: ReturnType<typeof parseNumericBlock> | null = null;
        if (!isNumBlock) {
          const varEnd = matchStr.indexOf(':');
          const head = varEnd === -1 ? matchStr : matchStr.slice(0, varEnd);
          const sp = head.search(/[ \t]/);
          if (sp !== -1) throw new PatternDiagError(this.pos + matchOff + sp, 'unexpected whitespace');
          const v = parseVariableName(matchStr);
          if ('error' in v) throw new PatternDiagError(this.pos + matchOff + v.at, v.error, true);
          const after = matchStr.slice(v.name.length);
          isDefinition = varEnd !== -1;
          substNeeded = !isDefinition;
          if (isDefinition) {
            if (v.pseudo || !after.startsWith(':')) {
              throw new PatternDiagError(this.pos + matchOff, 'invalid name in string variable definition');
            }
            if (ctx.numerics.has(v.name)) {
              throw new PatternDiagError(this.pos + matchOff, `numeric variable with name '${v.name}' already exists`);
            }
            defName = v.name;
            matchRegexp = after.slice(1);
            matchRegexpOff = matchOff + v.name.length + 1;
          } else if (v.pseudo) {
            isLegacy = true;
            isNumBlock = true;
          } else {
            if (after.length !== 0) {
              throw new PatternDiagError(this.pos + matchOff, 'invalid name in string variable use');
            }
            substName = v.name;
          }
        }
        if (isNumBlock) {
          numBlock = parseNumericBlock(matchStr, this.pos + matchOff, isLegacy, this.lineNumber, ctx);
          substNeeded = numBlock.expr !== null;
          if (numBlock.defined) {
            isDefinition = true;
            defName = numBlock.defined.name;
          }
          if (!substNeeded) {
            matchRegexp = wildcardRegex(numBlock.format);
            matchRegexpOff = matchOff;
          }
        }
        if (isDefinition) {
          re += '(';
          substInsertIdx++;
          if (isNumBlock && numBlock?.defined) {
            const existing = ctx.numerics.get(defName);
            const variable = existing ?? numBlock.defined;
            this.numericDefs.set(defName, { variable, group: curParen });
            ctx.numerics.set(defName, variable);
          } else {
            this.varDefs.set(defName, curParen);
            ctx.definedStrings.add(defName);
          }
          curParen++;
        }
        if (matchRegexp.length !== 0) addRegex(matchRegexp, matchRegexpOff);
        if (isDefinition) re += ')';
        if (substNeeded) {
          const group = !isNumBlock ? this.varDefs.get(substName) : undefined;
          if (group !== undefined) {
            if (group < 1 || group > 9) {
              throw new PatternDiagError(this.pos + matchOff, "Can't back-reference more than 9 variables");
            }
            re += '\\' + String(group);
          } else if (isNumBlock && numBlock?.expr) {
            this.substitutions.push({
              fromText: matchStr,
              fromPos: this.pos + matchOff,
              insertIdx: substInsertIdx,
              expr: numBlock.expr,
              format: numBlock.format,
            });
          } else {
            this.substitutions.push({ fromText: substName, fromPos: this.pos + matchOff, insertIdx: substInsertIdx, name: substName });
          }
        }
        continue;
      }
      const a = rest.indexOf('{{', 1);
      const b = rest.indexOf('[[', 1);
      const fixedEnd = Math.min(a === -1 ? rest.length : a, b === -1 ? rest.length : b);
      re += escapeEre(rest.slice(0, fixedEnd));
      off += fixedEnd;
    }
    if (matchFullLinesHere) re += opts.strictWhitespace ? '$' : ' *$';
    this.regexStr = re;
  }

  /**
   * Searches `text[start, end)` for this pattern. On success variables defined by the pattern are
   * updated. Failures carry rendered diagnostics for pattern errors (undefined variables, ...).
   */
  match(text: string, start: number, end: number, ctx: VarContext): PatternMatch {
    if (this.type.kind === 'eof') return { ok: true, pos: end, len: 0 };
    if (this.broken) return { ok: false, errors: [] };
    if (this.fixedStr.length !== 0) {
      const f = this.fixedStr;
      // Search only the window: indexOf on the whole text would scan to its end every time.
      const hay = this.ignoreCase ? lowered(text) : text;
      const needle = this.ignoreCase ? asciiLower(f) : f;
      const window = end === hay.length ? hay : hay.slice(0, end);
      const idx = window.indexOf(needle, start);
      if (idx === -1) return { ok: false, errors: [] };
      return { ok: true, pos: idx, len: f.length };
    }
    let ere = this.regexStr;
    if (this.substitutions.length !== 0) {
      if (this.lineNumber !== null) ctx.lineVariable.value = BigInt(this.lineNumber);
      const errors: string[] = [];
      let inserted = 0;
      for (const s of this.substitutions) {
        const v = this.substitutionValue(s, ctx);
        if (typeof v !== 'string') {
          for (const e of v) errors.push(formatDiag({ file: this.file, pos: e.pos }, 'error', e.message));
          continue;
        }
        const at = s.insertIdx + inserted;
        ere = ere.slice(0, at) + v + ere.slice(at);
        inserted += v.length;
      }
      if (errors.length !== 0) return { ok: false, errors };
    }
    if (ere.length === 0) return { ok: false, errors: [] };
    const compiled = compileEre(ere, this.ignoreCase);
    if (typeof compiled === 'string') return { ok: false, errors: [] };
    const m = execEre(compiled, text, start, end);
    if (!m) return { ok: false, errors: [] };
    this.lastRegexMatch = { re: compiled, start, end, pos: m.index, matchEnd: m.end };
    for (const [name, group] of this.varDefs) ctx.strings.set(name, m.groups[group] ?? '');
    for (const [, def] of this.numericDefs) {
      def.variable.value = valueFromString(m.groups[def.group] ?? '', def.variable.format);
    }
    const skip = this.type.kind === 'empty' ? 1 : 0;
    return { ok: true, pos: m.index + skip, len: m.end - m.index - skip };
  }

  /** The regex text (escaped value) for a substitution, or its errors. */
  private substitutionValue(s: Substitution, ctx: VarContext): string | { pos: number; message: string }[] {
    if (s.name !== undefined) {
      const v = ctx.strings.get(s.name);
      if (v === undefined) return [{ pos: s.fromPos, message: `undefined variable: ${s.name}` }];
      return escapeEre(v);
    }
    const r = s.expr ? evalExpr(s.expr) : [];
    if (typeof r !== 'bigint') {
      return r.map((e) =>
        'overflow' in e
          ? { pos: s.fromPos, message: 'unable to substitute variable or numeric expression: overflow error' }
          : { pos: e.pos, message: `undefined variable: ${e.undefinedVar}` },
      );
    }
    const str = matchingString(r, s.format ?? UNSIGNED);
    if (str === null) return [{ pos: s.fromPos, message: 'unable to substitute variable or numeric expression: overflow error' }];
    return str;
  }

  /** `with "X" equal to "value"` notes for every substitution whose value is known. */
  substitutionNotes(ctx: VarContext): string[] {
    const notes: string[] = [];
    for (const s of this.substitutions) {
      let value: string;
      if (s.name !== undefined) {
        const v = ctx.strings.get(s.name);
        if (v === undefined) continue;
        value = quoteForDiag(v);
      } else {
        const r = s.expr ? evalExpr(s.expr) : [];
        if (typeof r !== 'bigint') continue;
        const str = matchingString(r, s.format ?? UNSIGNED);
        if (str === null) continue;
        value = `"${str}"`;
      }
      notes.push(`with "${writeEscaped(s.fromText)}" equal to ${value}`);
    }
    return notes;
  }

  /**
   * Input spans of the variables the last successful match defined, in input order, for LLVM's
   * `captured var "X"` notes.
   */
  capturedVars(text: string): { name: string; start: number; end: number }[] {
    const lm = this.lastRegexMatch;
    if (!lm || (this.varDefs.size === 0 && this.numericDefs.size === 0)) return [];
    const spans = groupSpans(lm.re, text, lm.start, lm.end, lm.pos, lm.matchEnd);
    const out: { name: string; start: number; end: number }[] = [];
    const add = (name: string, group: number): void => {
      const sp = spans[group];
      if (sp) out.push({ name, start: sp[0], end: sp[1] });
    };
    for (const [name, group] of this.varDefs) add(name, group);
    for (const [name, def] of this.numericDefs) add(name, def.group);
    return out.sort((a, b) => a.start - b.start);
  }

  /** LLVM's edit-distance heuristic for "possible intended match" (distance to the pattern text). */
  matchDistance(buffer: string): number {
    const example = this.fixedStr.length !== 0 ? this.fixedStr : this.regexStr;
    let prefix = buffer.slice(0, example.length);
    const nl = prefix.indexOf('\n');
    if (nl !== -1) prefix = prefix.slice(0, nl);
    return editDistance(prefix, example);
  }

  /** Length of the text used by {@link matchDistance}. */
  exampleLength(): number {
    return Math.max(this.fixedStr.length, this.regexStr.length);
  }
}

/** Thrown for the one pattern error on which LLVM FileCheck exits with status 1 immediately. */
export class FatalPatternError extends PatternDiagError {}

/** Finds the `]]` closing a substitution block, honouring `[...]` nesting and backslash escapes. */
function findRegexVarEnd(s: string, basePos: number): number {
  let depth = 0;
  let i = 0;
  while (i < s.length) {
    if (depth === 0 && s.startsWith(']]', i)) return i;
    const c = s[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']') {
      if (depth === 0) throw new FatalPatternError(basePos + i, 'missing closing "]" for regex variable');
      depth--;
    }
    i++;
  }
  return -1;
}

function isPrint(c: number): boolean {
  return c >= 0x20 && c < 0x7f;
}

/** LLVM raw_ostream::write_escaped. */
function writeEscaped(s: string): string {
  let out = '';
  for (const ch of Buffer.from(s, 'utf8')) {
    if (ch === 0x5c) out += '\\\\';
    else if (ch === 0x09) out += '\\t';
    else if (ch === 0x0a) out += '\\n';
    else if (ch === 0x22) out += '\\"';
    else if (isPrint(ch)) out += String.fromCharCode(ch);
    else out += '\\' + ch.toString(8).padStart(3, '0');
  }
  return out;
}

function quoteForDiag(v: string): string {
  const bytes = Buffer.from(v, 'utf8');
  const needs = [...bytes].some((c) => !isPrint(c) || c === 0x22);
  return needs ? `"${writeEscaped(v)}" (escaped value)` : `"${v}"`;
}

/** Levenshtein distance (replacements allowed), as llvm::StringRef::edit_distance. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n] ?? 0;
}
