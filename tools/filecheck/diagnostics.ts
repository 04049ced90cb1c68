/**
 * Source buffers and LLVM-SourceMgr-style diagnostic rendering for the TypeScript FileCheck:
 * `file:line:col: error: message`, then the source line and a caret line (with `~` under ranges).
 * Also the whitespace canonicalisation FileCheck applies to both the check file and the input, and
 * the conversion to "byte strings" (one char per UTF-8 byte) the engine works on, as LLVM does.
 */

/** The severity printed in a diagnostic header. */
export type DiagKind = 'error' | 'warning' | 'remark' | 'note';

const TAB_STOP = 8;

/** A named text buffer with offset to line/column mapping. */
export class SourceFile {
  private lineStarts: number[] | null = null;

  /**
   * @param name  the name printed in diagnostics (`<stdin>`, a path, `command line`)
   * @param text  the buffer contents (already canonicalised when FileCheck does so)
   */
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  private starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const t = this.text;
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
    return starts;
  }

  /** 0-based index of the line containing `pos` (lines are separated by `\n`). */
  private lineIndex(pos: number): number {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based line number and 1-based column (in bytes: texts are byte strings) of an offset. */
  lineCol(pos: number): { line: number; col: number } {
    const idx = this.lineIndex(pos);
    // Lines are counted by '\n' only, but (as in LLVM) columns restart after a '\r' as well.
    let colStart = this.starts()[idx] ?? 0;
    const cr = this.text.lastIndexOf('\r', pos - 1);
    if (pos > 0 && cr >= colStart) colStart = cr + 1;
    return { line: idx + 1, col: pos - colStart + 1 };
  }

  /**
   * Renders one diagnostic in LLVM's format. `ranges` are [start, end) offsets highlighted with `~`
   * where they intersect the line of `pos`.
   */
  format(pos: number, kind: DiagKind, message: string, ranges: ReadonlyArray<readonly [number, number]> = []): string {
    const { line, col } = this.lineCol(pos);
    const out = `${this.name}:${line}:${col}: ${kind}: ${message}\n`;
    const t = this.text;
    let lineStart = pos;
    while (lineStart > 0 && t[lineStart - 1] !== '\n' && t[lineStart - 1] !== '\r') lineStart--;
    let lineEnd = pos;
    while (lineEnd < t.length && t[lineEnd] !== '\n' && t[lineEnd] !== '\r') lineEnd++;
    const lineText = t.slice(lineStart, lineEnd);
    // Like LLVM, lines with non-ASCII characters are echoed without a caret line.
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(lineText)) return out + expandTabs(lineText) + '\n';
    const n = lineText.length;
    const caret: string[] = new Array<string>(n + 1).fill(' ');
    for (const [rs, re] of ranges) {
      if (rs > lineEnd || re < lineStart) continue;
      const a = Math.max(rs, lineStart) - lineStart;
      const b = Math.min(Math.min(re, lineEnd) - lineStart, n + 1);
      for (let i = a; i < b; i++) caret[i] = '~';
    }
    caret[Math.min(col - 1, n)] = '^';
    const caretText = caret.join('').replace(/ +$/, '');
    return out + expandTabs(lineText) + '\n' + expandCaretTabs(caretText, lineText) + '\n';
  }
}

/** A source position: a buffer and an offset into it. */
export interface SourceLoc {
  readonly file: SourceFile;
  readonly pos: number;
}

/** Formats a diagnostic at a location (see {@link SourceFile.format}). */
export function formatDiag(
  loc: SourceLoc,
  kind: DiagKind,
  message: string,
  ranges: ReadonlyArray<readonly [number, number]> = [],
): string {
  return loc.file.format(loc.pos, kind, message, ranges);
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) {
    if (ch !== '\t') {
      out += ch;
      continue;
    }
    do out += ' ';
    while (out.length % TAB_STOP !== 0);
  }
  return out;
}

function expandCaretTabs(caret: string, line: string): string {
  if (!line.includes('\t')) return caret;
  let out = '';
  for (let i = 0; i < caret.length; i++) {
    const c = caret[i] ?? ' ';
    if (i >= line.length || line[i] !== '\t') {
      out += c;
      continue;
    }
    do out += c;
    while (out.length % TAB_STOP !== 0);
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Converts text to a byte string: one char (0..255) per UTF-8 byte, so that offsets, columns,
 * `.` in regexes and edit distances count bytes exactly like LLVM FileCheck.
 */
export function toByteString(s: string): string {
  return ASCII_ONLY.test(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

/** Inverse of {@link toByteString}: decodes a byte string as UTF-8. */
export function fromByteString(s: string): string {
  return ASCII_ONLY.test(s) ? s : Buffer.from(s, 'latin1').toString('utf8');
}

/**
 * FileCheck's buffer canonicalisation: drops the `\r` of every `\r\n`, and (unless `strict`) folds
 * each run of spaces and tabs into one space.
 */
export function canonicalizeText(text: string, strictWhitespace: boolean): string {
  let t = text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text;
  if (!strictWhitespace) t = t.replace(/[ \t]+/g, ' ');
  return t;
}

/** Error raised while reading a check file or options; `message` is fully rendered stderr text. */
export class FileCheckSetupError extends Error {
  /**
   * @param rendered  the complete diagnostic text
   * @param exitCode  the status LLVM FileCheck exits with for this problem (normally 2)
   */
  constructor(
    rendered: string,
    readonly exitCode = 2,
  ) {
    super(rendered);
    this.name = 'FileCheckSetupError';
  }
}
