/**
 * Parsing of lit test-file directives: `RUN:` lines (joined across trailing-backslash
 * continuations), `REQUIRES:` / `UNSUPPORTED:` feature expressions, and lit's `%` substitutions.
 */

/** A RUN command with the line it starts on. */
export interface RunLine {
  readonly line: number;
  readonly command: string;
}

/** Directives found in a test file. */
export interface TestDirectives {
  readonly runLines: RunLine[];
  /** Each entry is one comma-separated clause of a REQUIRES line. */
  readonly requires: string[];
  readonly unsupported: string[];
  /** Problems such as a dangling continuation. */
  readonly errors: string[];
}

const KEYWORD_RE = /(?:^|[^A-Za-z0-9_-])(RUN|REQUIRES|UNSUPPORTED):(.*)$/;

/** Extracts the lit directives of a test file. */
export function parseDirectives(text: string): TestDirectives {
  const runLines: RunLine[] = [];
  const requires: string[] = [];
  const unsupported: string[] = [];
  const errors: string[] = [];
  let continuing = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const m = KEYWORD_RE.exec(raw);
    if (!m) return;
    const kw = m[1] ?? '';
    const body = (m[2] ?? '').trimEnd();
    if (kw === 'RUN') {
      const content = body.trim();
      const prev = runLines[runLines.length - 1];
      if (continuing && prev) {
        runLines[runLines.length - 1] = { line: prev.line, command: prev.command + ' ' + stripContinuation(content) };
      } else {
        runLines.push({ line: idx + 1, command: stripContinuation(content) });
      }
      continuing = content.endsWith('\\');
      return;
    }
    const clauses = body
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c.length > 0);
    (kw === 'REQUIRES' ? requires : unsupported).push(...clauses);
  });
  if (continuing) errors.push("Test has unterminated RUN lines (with '\\')");
  return { runLines, requires, unsupported, errors };
}

function stripContinuation(s: string): string {
  return s.endsWith('\\') ? s.slice(0, -1).trimEnd() : s;
}

/**
 * Evaluates a lit boolean feature expression (`a && !b || (c)`, `true`, `false`) against a set
 * of features. Throws on syntax errors.
 */
export function evalFeatureExpr(expr: string, features: ReadonlySet<string>): boolean {
  const toks = expr.match(/\s*(&&|\|\||!|\(|\)|[-+=._a-zA-Z0-9]+|\S)/g)?.map((t) => t.trim()) ?? [];
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek() === '||') {
      i++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (peek() === '&&') {
      i++;
      const r = notExpr();
      v = v && r;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (peek() === '!') {
      i++;
      return !notExpr();
    }
    const t = peek();
    if (t === '(') {
      i++;
      const v = orExpr();
      if (peek() !== ')') throw new Error(`missing ')' in feature expression: ${expr}`);
      i++;
      return v;
    }
    if (t === undefined || !/^[-+=._a-zA-Z0-9]+$/.test(t)) throw new Error(`bad feature expression: ${expr}`);
    i++;
    if (t === 'true') return true;
    if (t === 'false') return false;
    return features.has(t);
  };
  const v = orExpr();
  if (i !== toks.length) throw new Error(`bad feature expression: ${expr}`);
  return v;
}

/** Values for lit's `%` substitutions. */
export interface SubstitutionValues {
  /** The test file (absolute). */
  readonly file: string;
  /** Its directory. */
  readonly dir: string;
  /** Per-test temporary path (`%t`). */
  readonly tmp: string;
  /** Per-test temporary directory (`%T`). */
  readonly tmpDir: string;
  /** Extra substitutions, applied first, in order. */
  readonly extra: readonly (readonly [string, string])[];
}

/** Applies `%s %S %p %t %T %basename_t %{pathsep} %%` and the extra substitutions to a RUN line. */
export function substitute(command: string, v: SubstitutionValues): string {
  const PLACEHOLDER = '\u0000PERCENT\u0000';
  let s = command.replace(/%%/g, PLACEHOLDER);
  for (const [k, val] of v.extra) s = s.split(k).join(val);
  const base = v.file.split(/[\\/]/).pop() ?? v.file;
  s = s.replace(/%(basename_t|\{pathsep\}|[sSptT])/g, (_m, key: string) => {
    switch (key) {
      case 's':
        return v.file;
      case 'S':
      case 'p':
        return v.dir;
      case 't':
        return v.tmp;
      case 'T':
        return v.tmpDir;
      case 'basename_t':
        return base + '.tmp';
      default:
        return ':';
    }
  });
  return s.split(PLACEHOLDER).join('%');
}
