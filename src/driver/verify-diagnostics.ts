/**
 * `--verify-diagnostics`: checks the diagnostics a run produced against `expected-error`,
 * `expected-warning`, `expected-note` and `expected-remark` comments in the input (`@+N`, `@-N`,
 * `@above`, `@below`, and `-re` with `{{regex}}` pieces), as MLIR's source manager handler does.
 */
import { type Diagnostic, type Severity } from '../ir/diagnostic.js';
import { filePosition } from '../ir/location.js';

interface Expectation {
  readonly severity: Severity;
  readonly line: number;
  readonly pattern: string;
  readonly regex?: RegExp;
  readonly commentLine: number;
  matched: boolean;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds a regex from text with `{{re}}` pieces. */
function expectationRegex(body: string): RegExp {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const open = body.indexOf('{{', i);
    if (open < 0) {
      out += escapeRe(body.slice(i));
      break;
    }
    out += escapeRe(body.slice(i, open));
    const close = body.indexOf('}}', open + 2);
    if (close < 0) {
      out += escapeRe(body.slice(open));
      break;
    }
    out += `(?:${body.slice(open + 2, close)})`;
    i = close + 2;
  }
  return new RegExp(out);
}

const EXPECT_RE = /expected-(error|warning|note|remark)(-re)?(?:@([-+]\d+|above|below))?\s*(?:(\d+)\s*)?\{\{(.*)\}\}\s*$/;

/** Reads expectations from the text (line numbers relative to `firstLine`). */
export function parseExpectations(text: string, firstLine = 1): Expectation[] | { error: string; line: number } {
  const lines = text.split('\n');
  const out: Expectation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!raw.includes('expected-')) continue;
    const m = EXPECT_RE.exec(raw);
    if (!m) {
      if (/expected-(error|warning|note|remark)/.test(raw)) return { error: 'expected-* directive needs a {{message}}', line: i + firstLine };
      continue;
    }
    const lineNo = i + firstLine;
    let target = lineNo;
    const where = m[3];
    if (where === 'above' || where === 'below') {
      // The next/previous line without an expected-* directive.
      let j = i;
      do j += where === 'below' ? 1 : -1;
      while (j >= 0 && j < lines.length && /expected-(error|warning|note|remark)/.test(lines[j]!));
      target = j + firstLine;
    } else if (where) target = lineNo + Number(where);
    const count = m[4] ? Number(m[4]) : 1;
    const body = m[5]!;
    for (let k = 0; k < count; k++)
      out.push({
        severity: m[1] as Severity,
        line: target,
        pattern: body,
        regex: m[2] ? expectationRegex(body) : undefined,
        commentLine: lineNo,
        matched: false,
      });
  }
  return out;
}

/** Result of checking: the errors to report (empty when everything matched). */
export function checkDiagnostics(
  file: string,
  text: string,
  diags: readonly Diagnostic[],
  firstLine = 1,
): string[] {
  const exp = parseExpectations(text, firstLine);
  if (!Array.isArray(exp)) return [`${file}:${exp.line}:1: error: ${exp.error}`];
  const problems: string[] = [];
  const flat: Diagnostic[] = [];
  for (const d of diags) {
    flat.push(d);
    for (const n of d.notes) flat.push(n);
  }
  for (const d of flat) {
    const pos = filePosition(d.loc);
    const line = pos?.line;
    const hit = exp.find(
      (e) =>
        !e.matched &&
        e.severity === d.severity &&
        e.line === line &&
        (e.regex ? e.regex.test(d.message) : d.message.includes(e.pattern)),
    );
    if (hit) hit.matched = true;
    else {
      const where = pos ? `${pos.file}:${pos.line}:${pos.col}` : file;
      problems.push(`${where}: error: unexpected ${d.severity}: ${d.message}`);
    }
  }
  for (const e of exp)
    if (!e.matched) problems.push(`${file}:${e.commentLine}:1: error: expected ${e.severity} "${e.pattern}" was not produced`);
  return problems;
}
