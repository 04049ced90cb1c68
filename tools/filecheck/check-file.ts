/**
 * Reading a FileCheck check file: finding `PREFIX:` / `PREFIX-NEXT:` / ... directives (and comment
 * prefixes such as `COM:` and `RUN:`), parsing their patterns, and grouping CHECK-DAG/CHECK-NOT
 * directives (plus `--implicit-check-not` patterns) in front of the positive check that follows them.
 */
import { FileCheckSetupError, SourceFile, formatDiag } from './diagnostics.js';
import {
  type CheckType,
  FatalPatternError,
  Pattern,
  PatternDiagError,
  type PatternOptions,
  type VarContext,
} from './pattern.js';

/** Everything that controls how the check file is read and matched. */
export interface FileCheckRequest extends PatternOptions {
  readonly checkPrefixes: readonly string[];
  readonly commentPrefixes: readonly string[];
  readonly isDefaultCheckPrefix: boolean;
  readonly implicitCheckNot: readonly string[];
  readonly allowUnusedPrefixes: boolean;
  readonly enableVarScope: boolean;
  readonly allowDeprecatedDagOverlap: boolean;
}

/** A CHECK-DAG or CHECK-NOT pattern waiting in front of a positive check. */
export interface DagNotEntry {
  readonly pattern: Pattern;
  readonly prefix: string;
}

/** A positive check (CHECK, -NEXT, -SAME, -LABEL, -EMPTY, -COUNT, or the implicit EOF check). */
export interface CheckString {
  readonly pattern: Pattern;
  readonly prefix: string;
  /** Offset of the pattern text in the check file (for error carets). */
  readonly loc: number;
  readonly dagNot: readonly DagNotEntry[];
}

const PLAIN: CheckType = { kind: 'plain', count: 1, literal: false };

function isPartOfWord(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_-]/.test(c);
}

interface FoundType {
  readonly type: CheckType;
  /** Offset just after the directive's colon (or where an error should point). */
  readonly after: number;
  readonly none?: boolean;
}

/** Determines which directive (if any) `prefix` at `pos` starts. */
function findCheckType(text: string, pos: number, prefix: string, commentPrefixes: readonly string[]): FoundType {
  const none = { type: PLAIN, after: -1, none: true };
  if (text.length - pos <= prefix.length) return none;
  let i = pos + prefix.length;
  if (commentPrefixes.includes(prefix)) {
    return text[i] === ':' ? { type: { kind: 'comment', count: 1, literal: false }, after: i + 1 } : none;
  }
  const consumeModifiers = (kind: CheckType['kind'], count: number): FoundType => {
    if (text[i] === ':') return { type: { kind, count, literal: false }, after: i + 1 };
    if (text[i] !== '{') return none;
    i++;
    let literal = false;
    for (;;) {
      while (/\s/.test(text[i] ?? 'x')) i++;
      if (!text.startsWith('LITERAL', i)) return none;
      literal = true;
      i += 'LITERAL'.length;
      while (/\s/.test(text[i] ?? 'x')) i++;
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (!text.startsWith('}:', i)) return none;
    return { type: { kind, count, literal }, after: i + 2 };
  };
  if (text[i] === ':') return { type: PLAIN, after: i + 1 };
  if (text[i] === '{') return consumeModifiers('plain', 1);
  let misspelled = false;
  if (text[i] === '_') misspelled = true;
  else if (text[i] !== '-') return none;
  i++;
  const wrap = (r: FoundType): FoundType =>
    misspelled && !r.none ? { type: { kind: 'misspelled', count: 1, literal: false }, after: r.after } : r;
  if (text.startsWith('COUNT-', i)) {
    i += 'COUNT-'.length;
    const m = /^[0-9]+/.exec(text.slice(i, i + 20));
    const bad = (at: number): FoundType => wrap({ type: { kind: 'badcount', count: 1, literal: false }, after: at });
    if (!m) return bad(i);
    const count = Number(m[0]);
    i += m[0].length;
    if (count <= 0 || count > 0x7fffffff) return bad(i);
    if (text[i] !== ':' && text[i] !== '{') return bad(i);
    return wrap(consumeModifiers('plain', count));
  }
  for (const combo of ['DAG-NOT:', 'NOT-DAG:', 'NEXT-NOT:', 'NOT-NEXT:', 'SAME-NOT:', 'NOT-SAME:', 'EMPTY-NOT:', 'NOT-EMPTY:']) {
    if (text.startsWith(combo, i)) return wrap({ type: { kind: 'badnot', count: 1, literal: false }, after: i });
  }
  const kinds: [string, CheckType['kind']][] = [
    ['NEXT', 'next'],
    ['SAME', 'same'],
    ['NOT', 'not'],
    ['DAG', 'dag'],
    ['LABEL', 'label'],
    ['EMPTY', 'empty'],
  ];
  for (const [word, kind] of kinds) {
    if (text.startsWith(word, i)) {
      i += word.length;
      return wrap(consumeModifiers(kind, 1));
    }
  }
  return none;
}

/** Finds, from `from`, the earliest occurrence of any prefix (longest first on ties). */
class PrefixMatcher {
  private readonly entries: { prefix: string; pos: number }[];
  constructor(
    prefixes: readonly string[],
    private readonly text: string,
  ) {
    this.entries = prefixes.map((p) => ({ prefix: p, pos: text.indexOf(p) })).sort((a, b) => b.prefix.length - a.prefix.length);
  }
  match(from: number): { prefix: string; pos: number } | null {
    let best: { prefix: string; pos: number } | null = null;
    for (const e of this.entries) {
      if (e.pos !== -1 && e.pos < from) e.pos = this.text.indexOf(e.prefix, from);
      if (e.pos !== -1 && (best === null || e.pos < best.pos)) best = { prefix: e.prefix, pos: e.pos };
    }
    return best;
  }
}

/**
 * Reads all directives of a (canonicalised) check file. Throws {@link FileCheckSetupError} with the
 * rendered diagnostics when the check file is invalid. `implicitErrors` collects non-fatal
 * diagnostics printed while parsing `--implicit-check-not` patterns.
 */
export function readCheckFile(
  checkFile: SourceFile,
  req: FileCheckRequest,
  ctx: VarContext,
  implicitErrors: string[],
): CheckString[] {
  const text = checkFile.text;
  const implicit: DagNotEntry[] = [];
  for (const pat of req.implicitCheckNot) {
    const head = "-implicit-check-not='";
    const file = new SourceFile('command line', head + pat + "'");
    const p = new Pattern({ kind: 'not', count: 1, literal: false }, file, head.length, null);
    try {
      p.parse(pat, 'IMPLICIT-CHECK', req, ctx);
    } catch (e) {
      if (!(e instanceof PatternDiagError)) throw e;
      implicitErrors.push(formatDiag({ file, pos: e.pos }, 'error', e.message) + (e.logged ? '\n' : ''));
      p.broken = true;
    }
    implicit.push({ pattern: p, prefix: 'IMPLICIT-CHECK' });
  }

  const checks: CheckString[] = [];
  let dagNot: DagNotEntry[] = [...implicit];
  const matcher = new PrefixMatcher([...req.checkPrefixes, ...req.commentPrefixes], text);
  const notFound = new Set(req.checkPrefixes);
  const distinct = notFound.size;
  let lineNumber = 1;
  let cur = 0;
  const fail = (pos: number, msg: string): never => {
    throw new FileCheckSetupError(formatDiag({ file: checkFile, pos }, 'error', msg));
  };

  for (;;) {
    // Find the next usable prefix.
    let found: { prefix: string; pos: number; ft: FoundType } | null = null;
    while (cur < text.length) {
      const m = matcher.match(cur);
      if (!m) break;
      const skipped = text.slice(cur, m.pos);
      for (let k = skipped.indexOf('\n'); k !== -1; k = skipped.indexOf('\n', k + 1)) lineNumber++;
      cur = m.pos;
      if (skipped.length === 0 || !isPartOfWord(skipped[skipped.length - 1])) {
        const ft = findCheckType(text, m.pos, m.prefix, req.commentPrefixes);
        if (!ft.none) {
          found = { prefix: m.prefix, pos: m.pos, ft };
          break;
        }
      }
      let k = m.pos + m.prefix.length;
      while (k < text.length && isPartOfWord(text[k])) k++;
      cur = k;
    }
    if (!found) break;
    const { prefix, pos: prefixPos, ft } = found;
    if (ft.type.kind !== 'comment') notFound.delete(prefix);
    cur = ft.after;
    if (ft.type.kind === 'misspelled') fail(prefixPos, `misspelled directive '${text.slice(prefixPos, ft.after)}'`);
    if (ft.type.kind === 'badnot') fail(cur, `unsupported -NOT combo on prefix '${prefix}'`);
    if (ft.type.kind === 'badcount') fail(cur, `invalid count in -COUNT specification on prefix '${prefix}'`);
    if (!(req.strictWhitespace && req.matchFullLines)) {
      while (cur < text.length && (text[cur] === ' ' || text[cur] === '\t')) cur++;
    }
    let eol = cur;
    while (eol < text.length && text[eol] !== '\n' && text[eol] !== '\r') eol++;
    const patternPos = cur;
    const patternText = text.slice(cur, eol);
    cur = eol;
    if (ft.type.kind === 'comment') continue;

    const p = new Pattern(ft.type, checkFile, patternPos, lineNumber);
    try {
      p.parse(patternText, prefix, req, ctx);
    } catch (e) {
      if (!(e instanceof PatternDiagError)) throw e;
      const rendered = formatDiag({ file: checkFile, pos: e.pos }, 'error', e.message) + (e.logged ? '\n' : '');
      throw new FileCheckSetupError(rendered, e instanceof FatalPatternError ? 1 : 2);
    }
    if (ft.type.kind === 'label' && p.hasVariable()) {
      fail(prefixPos, `found '${prefix}-LABEL:' with variable definition or use`);
    }
    const kind = ft.type.kind;
    if ((kind === 'next' || kind === 'same' || kind === 'empty') && checks.length === 0) {
      const word = kind === 'next' ? 'NEXT' : kind === 'empty' ? 'EMPTY' : 'SAME';
      fail(prefixPos, `found '${prefix}-${word}' without previous '${prefix}: line`);
    }
    if (kind === 'dag' || kind === 'not') {
      dagNot.push({ pattern: p, prefix });
      continue;
    }
    checks.push({ pattern: p, prefix, loc: patternPos, dagNot });
    dagNot = [...implicit];
  }

  const noPrefixesFound = notFound.size === distinct;
  const someUnused = !req.allowUnusedPrefixes && notFound.size !== 0;
  if ((noPrefixesFound || someUnused) && (implicit.length === 0 || !req.isDefaultCheckPrefix)) {
    const missing = [...notFound].sort().map((p) => `'${p}:'`);
    throw new FileCheckSetupError(
      `error: no check strings found with prefix${notFound.size > 1 ? 'es ' : ' '}${missing.join(', ')}\n`,
    );
  }
  if (dagNot.length !== 0) {
    const eof = new Pattern({ kind: 'eof', count: 1, literal: false }, checkFile, cur, lineNumber + 1);
    checks.push({ pattern: eof, prefix: req.checkPrefixes[0] ?? 'CHECK', loc: cur, dagNot });
  }
  return checks;
}
