/**
 * A character cursor over MLIR text: whitespace and `//` comments, line/column tracking, and the
 * lexical pieces (identifiers, suffix ids, string and number literals). Errors are located diagnostics.
 */
import { DiagnosticError, errorDiag } from '../ir/diagnostic.js';
import { type Location, fileLoc } from '../ir/location.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();
const ID_START = /[A-Za-z_]/;
const ID_CHAR = /[A-Za-z0-9_$.]/;

/** A position in the text. */
export interface Pos {
  readonly offset: number;
}

/** Scans MLIR text. */
export class Cursor {
  pos = 0;
  private lineStarts: number[] | undefined;
  constructor(
    readonly text: string,
    readonly file: string,
    /** Line number of the text's first line (for split-input-file chunks). */
    readonly firstLine = 1,
  ) {}

  /** A location for an offset. */
  locAt(offset: number): Location {
    const { line, col } = this.lineCol(offset);
    return fileLoc(this.file, line, col);
  }
  /** 1-based line and column of an offset. */
  lineCol(offset: number): { line: number; col: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + this.firstLine, col: offset - this.lineStarts[lo]! + 1 };
  }
  /** Throws a located error at an offset (default: current position). */
  error(message: string, offset = this.pos): never {
    throw new DiagnosticError([errorDiag(this.locAt(offset), message)]);
  }
  /** Skips whitespace and comments. */
  skip(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else if (c === 47 && t.charCodeAt(this.pos + 1) === 47) {
        const nl = t.indexOf('\n', this.pos);
        this.pos = nl < 0 ? t.length : nl + 1;
      } else return;
    }
  }
  /** Whether the text is exhausted (after skipping). */
  atEnd(): boolean {
    this.skip();
    return this.pos >= this.text.length;
  }
  /** The next char after skipping (or '' at end). */
  peek(): string {
    this.skip();
    return this.text[this.pos] ?? '';
  }
  /** Whether the text continues with `s` (after skipping). */
  lookingAt(s: string): boolean {
    this.skip();
    return this.text.startsWith(s, this.pos);
  }
  /** Consumes `s` if present. */
  eat(s: string): boolean {
    if (!this.lookingAt(s)) return false;
    this.pos += s.length;
    return true;
  }
  /** Consumes a keyword `kw` only if it is not followed by an identifier char. */
  eatKeyword(kw: string): boolean {
    if (!this.lookingAt(kw)) return false;
    const after = this.text[this.pos + kw.length] ?? '';
    if (ID_CHAR.test(after)) return false;
    this.pos += kw.length;
    return true;
  }
  /** Requires `s`. */
  expect(s: string, what?: string): void {
    if (!this.eat(s)) this.error(`expected '${s}'${what ? ` ${what}` : ''}`);
  }
  /** A bare identifier `[A-Za-z_][A-Za-z0-9_$.]*`, or undefined. */
  ident(): string | undefined {
    this.skip();
    const start = this.pos;
    if (!ID_START.test(this.text[start] ?? '')) return undefined;
    let p = start + 1;
    while (p < this.text.length && ID_CHAR.test(this.text[p]!)) p++;
    this.pos = p;
    return this.text.slice(start, p);
  }
  /** Identifier chars without the leading-char rule (suffix ids after %, ^, #, !). */
  suffixId(): string | undefined {
    const start = this.pos;
    let p = start;
    while (p < this.text.length && /[A-Za-z0-9_$.\-]/.test(this.text[p]!)) p++;
    if (p === start) return undefined;
    this.pos = p;
    return this.text.slice(start, p);
  }
  /** A string literal with MLIR escapes (`\"`, `\\`, `\n`, `\t`, `\XX`). */
  string(): string | undefined {
    this.skip();
    if (this.text.charCodeAt(this.pos) !== 34) return undefined;
    const start = this.pos;
    // Fast path: printable ASCII without escapes.
    let p = start + 1;
    for (; p < this.text.length; p++) {
      const c = this.text.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
        return this.text.slice(start + 1, p);
      }
      if (c === 92 || c < 32 || c > 126) break;
    }
    p = start + 1;
    const bytes: number[] = [];
    while (p < this.text.length) {
      const c = this.text[p]!;
      if (c === '"') {
        this.pos = p + 1;
        return utf8Decoder.decode(new Uint8Array(bytes));
      }
      if (c === '\n') this.error('expected \'"\' in string literal', p);
      if (c === '\\') {
        const n = this.text[p + 1] ?? '';
        if (n === '"' || n === '\\') {
          bytes.push(n.charCodeAt(0));
          p += 2;
        } else if (n === 'n') {
          bytes.push(10);
          p += 2;
        } else if (n === 't') {
          bytes.push(9);
          p += 2;
        } else if (/^[0-9a-fA-F]{2}$/.test(this.text.slice(p + 1, p + 3))) {
          bytes.push(parseInt(this.text.slice(p + 1, p + 3), 16));
          p += 3;
        } else this.error('unknown escape in string literal', p);
        continue;
      }
      const cp = this.text.codePointAt(p)!;
      const ch = String.fromCodePoint(cp);
      for (const b of utf8Encoder.encode(ch)) bytes.push(b);
      p += ch.length;
    }
    this.error('expected \'"\' in string literal', start);
  }
  /**
   * A numeric literal: returns its text (`-12`, `0x1F`, `1.5e-3`, `inf`?) without interpreting it,
   * or undefined.
   */
  number(): string | undefined {
    this.skip();
    const m = /^-?(?:0x[0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) return undefined;
    // "1x2" inside shapes is handled by the shape parser; here a number must not run into an identifier.
    this.pos += m[0].length;
    return m[0];
  }
  /** An integer literal (decimal or hex), or undefined. */
  integer(): number | undefined {
    const save = this.pos;
    const s = this.number();
    if (s === undefined) return undefined;
    if (/[.eE]/.test(s) && !s.includes('0x')) {
      this.pos = save;
      return undefined;
    }
    return Number(s.startsWith('-0x') ? -parseInt(s.slice(3), 16) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : s);
  }
  /** Requires an integer. */
  expectInteger(what: string): number {
    const v = this.integer();
    if (v === undefined) this.error(`expected integer ${what}`);
    return v;
  }
}
