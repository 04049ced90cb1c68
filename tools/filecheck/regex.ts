/**
 * POSIX extended regular expressions (the dialect LLVM's FileCheck uses, compiled with REG_NEWLINE)
 * translated to JavaScript RegExps: validation with LLVM's error wording, escaping, and a matcher that
 * emulates POSIX leftmost-longest overall matches where JS backtracking could pick a shorter one.
 */

/** Characters that are special in an ERE and are escaped by {@link escapeEre}. */
const ERE_META = '()^$|*+?.[]\\{}';

/** Escapes every ERE metacharacter of `s` with a backslash (like llvm::Regex::escape). */
export function escapeEre(s: string): string {
  let out = '';
  for (const ch of s) out += ERE_META.includes(ch) ? '\\' + ch : ch;
  return out;
}

/** Result of translating an ERE. */
export type EreTranslation =
  | { readonly ok: true; readonly js: string; readonly groups: number; readonly mayBeShort: boolean }
  | { readonly ok: false; readonly error: string };

const JS_SPECIAL = '\\^$.|?*+()[]{}/-';
const DUP_MAX = 255;

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  upper: 'A-Z',
  lower: 'a-z',
  digit: '0-9',
  alnum: '0-9a-zA-Z',
  xdigit: '0-9A-Fa-f',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
};

function jsLiteral(ch: string, icase = false): string {
  if (icase && /[A-Za-z]/.test(ch)) return `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
  if (JS_SPECIAL.includes(ch)) return '\\' + ch;
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  return ch;
}

function classChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x10000) return '\\u' + code.toString(16).padStart(4, '0');
  return ch; // astral: leave as is (rare in check files)
}

class EreError extends Error {}

/**
 * Parses an ERE and produces an equivalent JS regex source. With `strict`, back-references must
 * name an already closed group (as regcomp requires); otherwise they are taken as given.
 */
export function translateEre(src: string, strict = true, icase = false): EreTranslation {
  try {
    const p = new EreParser(src, strict, icase);
    const js = p.parseAll();
    return { ok: true, js, groups: p.groups, mayBeShort: p.mayBeShort };
  } catch (e) {
    if (e instanceof EreError) return { ok: false, error: e.message };
    throw e;
  }
}

class EreParser {
  private i = 0;
  groups = 0;
  mayBeShort = false;
  private readonly closed = new Set<number>();

  /**
   * @param s       the ERE
   * @param strict  require back-references to name closed groups
   * @param icase   ASCII-only case-insensitive matching (REG_ICASE in the C locale)
   */
  constructor(
    private readonly s: string,
    private readonly strict: boolean,
    private readonly icase: boolean,
  ) {}

  private more(): boolean {
    return this.i < this.s.length;
  }
  private peek(off = 0): string {
    return this.s[this.i + off] ?? '';
  }

  parseAll(): string {
    const out = this.parseAlternation(0);
    if (this.more()) {
      // Only a stray ')' can stop the top-level parse early.
      throw new EreError('parentheses not balanced');
    }
    return out;
  }

  /** alternation := branch ('|' branch)* ; stops at ')' when depth > 0 */
  private parseAlternation(depth: number): string {
    const branches: string[] = [];
    for (;;) {
      const start = this.i;
      const b = this.parseBranch(depth);
      if (this.i === start) throw new EreError('empty (sub)expression');
      branches.push(b);
      if (this.peek() === '|') {
        this.mayBeShort = true;
        this.i++;
        continue;
      }
      break;
    }
    return branches.join('|');
  }

  private parseBranch(depth: number): string {
    let out = '';
    while (this.more()) {
      const c = this.peek();
      if (c === '|') break;
      if (c === ')') {
        if (depth > 0) break;
        throw new EreError('parentheses not balanced');
      }
      out += this.parseExpr(depth);
    }
    return out;
  }

  /** One atom plus its optional repetition. */
  private parseExpr(depth: number): string {
    const c = this.peek();
    this.i++;
    let atom: string;
    let wasCaret = false;
    let isGroup = false;
    switch (c) {
      case '(': {
        if (!this.more()) throw new EreError('parentheses not balanced');
        const n = ++this.groups;
        let inner = '';
        if (this.peek() !== ')') inner = this.parseAlternation(depth + 1);
        if (this.peek() !== ')') throw new EreError('parentheses not balanced');
        this.i++;
        this.closed.add(n);
        atom = '(' + inner + ')';
        isGroup = true;
        break;
      }
      case '*':
      case '+':
      case '?':
        throw new EreError('repetition-operator operand invalid');
      case '{':
        if (/[0-9]/.test(this.peek())) throw new EreError('repetition-operator operand invalid');
        atom = '\\{';
        break;
      case '^':
        atom = '(?<![^\\n])';
        wasCaret = true;
        break;
      case '$':
        atom = '(?![^\\n])';
        break;
      case '.':
        atom = '[^\\n]';
        break;
      case '[':
        atom = this.parseBracket();
        break;
      case '\\': {
        if (!this.more()) throw new EreError('trailing backslash (\\)');
        const e = this.peek();
        this.i++;
        if (e >= '1' && e <= '9') {
          const n = e.charCodeAt(0) - 48;
          if (this.strict && !this.closed.has(n)) throw new EreError('invalid backreference number');
          atom = '(?:\\' + n + ')';
        } else {
          atom = jsLiteral(e, this.icase);
        }
        break;
      }
      default: {
        // Take a whole code point so astral characters survive.
        const cp = this.s.codePointAt(this.i - 1) ?? 0;
        const ch = String.fromCodePoint(cp);
        this.i += ch.length - 1;
        atom = jsLiteral(ch, this.icase);
      }
    }
    if (!this.more()) return atom;
    const q = this.peek();
    const isBound = q === '{' && /[0-9]/.test(this.peek(1));
    if (!(q === '*' || q === '+' || q === '?' || isBound)) return atom;
    if (wasCaret) throw new EreError('repetition-operator operand invalid');
    this.i++;
    let quant: string;
    if (q === '{') {
      const lo = this.parseCount();
      let hi: number | null = lo;
      if (this.peek() === ',') {
        this.i++;
        if (/[0-9]/.test(this.peek())) {
          hi = this.parseCount();
          if (lo > hi) throw new EreError('invalid repetition count(s)');
        } else hi = null;
      }
      if (this.peek() !== '}') {
        while (this.more() && this.peek() !== '}') this.i++;
        if (!this.more()) throw new EreError('braces not balanced');
        throw new EreError('invalid repetition count(s)');
      }
      this.i++;
      quant = hi === null ? `{${lo},}` : lo === hi ? `{${lo}}` : `{${lo},${hi}}`;
      this.mayBeShort = true;
    } else {
      quant = q;
      if (q === '?' || isGroup) this.mayBeShort = true;
    }
    // A second repetition operator directly after the first is an error in regcomp.
    if (this.more()) {
      const n = this.peek();
      if (n === '*' || n === '+' || n === '?' || (n === '{' && /[0-9]/.test(this.peek(1)))) {
        throw new EreError('repetition-operator operand invalid');
      }
    }
    // Anchors and groups need wrapping before a JS quantifier can apply.
    const needsWrap = atom.startsWith('(?') && !atom.startsWith('(?:\\');
    return (needsWrap ? '(?:' + atom + ')' : atom) + quant;
  }

  private parseCount(): number {
    let digits = '';
    while (/[0-9]/.test(this.peek()) && digits.length <= 3) {
      digits += this.peek();
      this.i++;
    }
    const n = digits.length === 0 ? -1 : Number(digits);
    if (n < 0 || n > DUP_MAX) throw new EreError('invalid repetition count(s)');
    return n;
  }

  /** Parses a bracket expression after its '['; returns a JS character class. */
  private parseBracket(): string {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const items: string[] = [];
    if (this.peek() === ']') {
      items.push(classChar(']'));
      this.i++;
    } else if (this.peek() === '-') {
      items.push(classChar('-'));
      this.i++;
    }
    while (this.more() && this.peek() !== ']' && !(this.peek() === '-' && this.peek(1) === ']')) {
      items.push(this.parseBracketTerm());
    }
    if (this.peek() === '-') {
      this.i++;
      items.push(classChar('-'));
    }
    if (this.peek() !== ']') throw new EreError('brackets ([ ]) not balanced');
    this.i++;
    if (negated) return '[^' + items.join('') + '\\n]';
    return '[' + items.join('') + ']';
  }

  private parseBracketTerm(): string {
    const c = this.peek();
    if (c === '-') throw new EreError('invalid character range');
    if (c === '[' && this.peek(1) === ':') {
      this.i += 2;
      const end = this.s.indexOf(':]', this.i);
      if (end === -1) throw new EreError('brackets ([ ]) not balanced');
      const name = this.s.slice(this.i, end);
      const cls = CLASSES[name];
      if (cls === undefined) throw new EreError('invalid character class');
      this.i = end + 2;
      if (this.icase && (name === 'upper' || name === 'lower')) return CLASSES['alpha'] ?? cls;
      return cls;
    }
    const start = this.parseBracketChar();
    if (this.peek() === '-' && this.peek(1) !== ']' && this.more()) {
      this.i++;
      if (!this.more()) throw new EreError('brackets ([ ]) not balanced');
      const end = this.parseBracketChar();
      const lo = start.codePointAt(0) ?? 0;
      const hi = end.codePointAt(0) ?? 0;
      if (lo > hi) throw new EreError('invalid character range');
      return classChar(start) + '-' + classChar(end) + (this.icase ? swappedCaseRange(lo, hi) : '');
    }
    const c0 = start.codePointAt(0) ?? 0;
    return classChar(start) + (this.icase ? swappedCaseRange(c0, c0) : '');
  }

  /** A single (possibly collating-symbol or equivalence-class) character inside brackets. */
  private parseBracketChar(): string {
    if (this.peek() === '[' && (this.peek(1) === '.' || this.peek(1) === '=')) {
      const kind = this.peek(1);
      this.i += 2;
      const end = this.s.indexOf(kind + ']', this.i);
      if (end === -1) throw new EreError('brackets ([ ]) not balanced');
      const name = this.s.slice(this.i, end);
      this.i = end + 2;
      if ([...name].length !== 1) throw new EreError('invalid collating element');
      return name;
    }
    const cp = this.s.codePointAt(this.i) ?? 0;
    const ch = String.fromCodePoint(cp);
    this.i += ch.length;
    return ch;
  }
}

/** The other-case counterparts of the ASCII letters in [lo, hi], as class ranges. */
function swappedCaseRange(lo: number, hi: number): string {
  let out = '';
  const add = (a: number, b: number, delta: number): void => {
    const s = Math.max(lo, a);
    const e = Math.min(hi, b);
    if (s <= e) out += classChar(String.fromCharCode(s + delta)) + '-' + classChar(String.fromCharCode(e + delta));
  };
  add(0x41, 0x5a, 0x20);
  add(0x61, 0x7a, -0x20);
  return out;
}

/** A compiled pattern ready for matching against buffers. */
export interface CompiledEre {
  /** The translated JS source and flags. */
  readonly js: string;
  readonly flags: string;
  /** Unanchored search regex. */
  readonly search: RegExp;
  /** Sticky regex that must end with exactly one character left in the subject. */
  readonly exactOneLeft: RegExp | null;
  /** Sticky regex that must end at the end of the subject. */
  readonly exactAtEnd: RegExp | null;
}

/** A successful match: absolute offsets and the captured groups (index 0 is the whole match). */
export interface EreMatch {
  readonly index: number;
  readonly end: number;
  readonly groups: ReadonlyArray<string | undefined>;
}

const compileCache = new Map<string, CompiledEre | string>();

/**
 * Compiles an ERE into JS regexes; returns an error string when it is invalid (like regcomp, a
 * back-reference to a group that is not yet closed is an error). Results are cached.
 */
export function compileEre(ere: string, ignoreCase: boolean): CompiledEre | string {
  const key = (ignoreCase ? 'i:' : 's:') + ere;
  const cached = compileCache.get(key);
  if (cached !== undefined) return cached;
  let result: CompiledEre | string;
  const t = translateEre(ere, true, ignoreCase);
  if (!t.ok) result = t.error;
  else {
    // Case-insensitivity is compiled into the pattern (ASCII only); JS's 'i' flag would also fold
    // bytes >= 0x80 of the byte strings we match on.
    const flags = '';
    try {
      result = {
        js: t.js,
        flags,
        search: new RegExp(t.js, flags),
        exactOneLeft: t.mayBeShort ? new RegExp(`(?:${t.js})(?=[^](?![^]))`, flags + 'y') : null,
        exactAtEnd: t.mayBeShort ? new RegExp(`(?:${t.js})(?![^])`, flags + 'y') : null,
      };
    } catch (e) {
      result = (e as Error).message;
    }
  }
  if (compileCache.size > 5000) compileCache.clear();
  compileCache.set(key, result);
  return result;
}

/**
 * Finds the leftmost match of `re` in `text[start, end)`, where `^` matches at `start` and `$` at
 * `end` (the buffer is treated as the whole subject, as FileCheck does). Among matches at the
 * leftmost position the longest one within that line is returned, emulating POSIX semantics.
 */
export function execEre(re: CompiledEre, text: string, start: number, end: number): EreMatch | null {
  const sub = start === 0 && end === text.length ? text : text.slice(start, end);
  const m = re.search.exec(sub);
  if (!m) return null;
  const s = m.index;
  const e0 = s + m[0].length;
  let groups: ReadonlyArray<string | undefined> = Array.from(m);
  let best = e0;
  if (re.exactOneLeft && re.exactAtEnd) {
    let lineEnd = sub.indexOf('\n', e0);
    if (lineEnd === -1) lineEnd = sub.length;
    if (e0 < lineEnd) {
      const lineStart = s === 0 ? 0 : sub.lastIndexOf('\n', s - 1) + 1;
      for (let e = lineEnd; e > e0; e--) {
        const atEnd = e >= sub.length;
        const seg = sub.slice(lineStart, atEnd ? sub.length : e + 1);
        const r = atEnd ? re.exactAtEnd : re.exactOneLeft;
        r.lastIndex = s - lineStart;
        const mm = r.exec(seg);
        if (mm) {
          best = e;
          groups = Array.from(mm);
          break;
        }
      }
    }
  }
  return { index: start + s, end: start + best, groups };
}

/**
 * Offsets of every capture group of a known match [matchPos, matchEnd) found by {@link execEre}
 * in `text[start, end)`; undefined for groups that did not participate.
 */
export function groupSpans(
  re: CompiledEre,
  text: string,
  start: number,
  end: number,
  matchPos: number,
  matchEnd: number,
): ReadonlyArray<readonly [number, number] | undefined> {
  const sub = text.slice(start, end);
  const e = matchEnd - start;
  const atEnd = e >= sub.length;
  const seg = sub.slice(0, atEnd ? sub.length : e + 1);
  const r = new RegExp(`(?:${re.js})` + (atEnd ? '(?![^])' : '(?=[^](?![^]))'), re.flags + 'dy');
  r.lastIndex = matchPos - start;
  const m = r.exec(seg);
  if (!m?.indices) return [];
  return Array.from(m.indices, (p) => (p ? ([start + p[0], start + p[1]] as const) : undefined));
}
