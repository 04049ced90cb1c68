/**
 * The FileCheck matching algorithm: CHECK-LABEL partitioning of the input into blocks, in-order
 * matching of positive checks (with -COUNT repeats and -NEXT/-SAME/-EMPTY line constraints),
 * CHECK-DAG groups with non-overlapping matches, and CHECK-NOT exclusion between matches.
 */
import type { CheckString, DagNotEntry, FileCheckRequest } from './check-file.js';
import { type SourceFile, formatDiag } from './diagnostics.js';
import { type Pattern, type PatternMatch, type VarContext, checkDescription } from './pattern.js';

interface Span {
  readonly pos: number;
  readonly len: number;
}

/** Runs all checks over the (canonicalised) input; diagnostics are appended to `out`. */
export function checkInput(
  input: SourceFile,
  checks: readonly CheckString[],
  req: FileCheckRequest,
  ctx: VarContext,
  out: string[],
): boolean {
  return new Matcher(input, req, ctx, out).run(checks);
}

class Matcher {
  private readonly text: string;

  constructor(
    private readonly input: SourceFile,
    private readonly req: FileCheckRequest,
    private readonly ctx: VarContext,
    private readonly out: string[],
  ) {
    this.text = input.text;
  }

  private note(pos: number, msg: string, ranges: ReadonlyArray<readonly [number, number]> = []): void {
    this.out.push(formatDiag({ file: this.input, pos }, 'note', msg, ranges));
  }

  private error(pat: Pattern, msg: string): void {
    this.out.push(formatDiag({ file: pat.file, pos: pat.pos }, 'error', msg));
  }

  run(checks: readonly CheckString[]): boolean {
    let failed = false;
    let i = 0;
    let j = 0;
    const e = checks.length;
    let bufStart = 0;
    const bufEnd = this.text.length;
    for (;;) {
      let regionStart: number;
      let regionEnd: number;
      if (j === e) {
        regionStart = bufStart;
        regionEnd = bufEnd;
      } else {
        const label = checks[j];
        if (!label || label.pattern.type.kind !== 'label') {
          j++;
          continue;
        }
        const r = this.check(label, bufStart, bufEnd, true);
        if (!r) return false;
        regionStart = bufStart;
        regionEnd = r.pos + r.len;
        bufStart = regionEnd;
        j++;
      }
      if (i !== 0 && this.req.enableVarScope) this.ctx.clearLocalVars();
      for (; i !== j; i++) {
        const cs = checks[i];
        if (!cs) break;
        const r = this.check(cs, regionStart, regionEnd, false);
        if (!r) {
          failed = true;
          i = j;
          break;
        }
        regionStart = r.pos + r.len;
      }
      if (j === e) break;
    }
    return !failed;
  }

  /** Matches one check string within [start, end); returns its (first-match) span or null on failure. */
  private check(cs: CheckString, start: number, end: number, labelScan: boolean): Span | null {
    let lastPos = start;
    const notStrings: DagNotEntry[] = [];
    if (!labelScan) {
      const r = this.checkDag(cs, start, end, notStrings);
      if (r === null) return null;
      lastPos = r;
    }
    const pat = cs.pattern;
    let lastMatchEnd = lastPos;
    let firstMatchPos = 0;
    for (let n = 1; n <= pat.type.count; n++) {
      const m = pat.match(this.text, lastMatchEnd, end, this.ctx);
      if (!this.report(true, cs.prefix, pat, n, lastMatchEnd, end, m)) return null;
      if (!m.ok) return null;
      if (n === 1) firstMatchPos = m.pos;
      lastMatchEnd = m.pos + m.len;
    }
    const matchLen = lastMatchEnd - firstMatchPos;
    if (!labelScan) {
      if (this.checkNext(cs, lastPos, firstMatchPos)) return null;
      if (this.checkSame(cs, lastPos, firstMatchPos)) return null;
      if (this.checkNot(lastPos, firstMatchPos, notStrings)) return null;
    }
    return { pos: firstMatchPos, len: matchLen };
  }

  /** Prints what LLVM prints for a match result; returns false when it is an error. */
  private report(
    expected: boolean,
    prefix: string,
    pat: Pattern,
    matchedCount: number,
    bufStart: number,
    bufEnd: number,
    m: PatternMatch,
  ): boolean {
    const countSuffix = pat.type.count > 1 ? ` (${matchedCount} out of ${pat.type.count})` : '';
    const desc = checkDescription(pat.type, prefix);
    if (m.ok) {
      if (expected) return true;
      this.error(pat, `${desc}: excluded string found in input${countSuffix}`);
      this.note(m.pos, 'found here', [[m.pos, m.pos + m.len]]);
      for (const n of pat.substitutionNotes(this.ctx)) this.note(m.pos, n);
      for (const v of pat.capturedVars(this.text)) this.note(v.start, `captured var "${v.name}"`, [[v.start, v.end]]);
      return false;
    }
    const patternError = m.errors.length !== 0;
    if (!expected && !patternError) return true;
    this.out.push(...m.errors);
    if (!patternError) {
      this.error(pat, `${desc}: expected string not found in input${countSuffix}`);
      this.note(bufStart, 'scanning from here');
    }
    for (const n of pat.substitutionNotes(this.ctx)) this.note(bufStart, n);
    if (expected) this.fuzzy(pat, bufStart, bufEnd);
    return false;
  }

  /** The "possible intended match here" heuristic. */
  private fuzzy(pat: Pattern, start: number, end: number): void {
    const size = Math.min(4096, end - start);
    if (4096 * 2048 < size * pat.exampleLength()) return;
    const buffer = this.text.slice(start, end);
    let lines = 0;
    let best = -1;
    let bestQuality = 0;
    for (let i = 0; i < size; i++) {
      const c = buffer[i];
      if (c === '\n') lines++;
      if (c === ' ' || c === '\t') continue;
      const quality = pat.matchDistance(buffer.slice(i)) + lines / 100;
      if (quality < bestQuality || best === -1) {
        best = i;
        bestQuality = quality;
      }
    }
    if (best > 0 && bestQuality < 50) this.note(start + best, 'possible intended match here');
  }

  /** Counts newlines (`\n`, `\r`, `\r\n`, `\n\r`) in [start, end); also returns the offset after the first. */
  private countNewlines(start: number, end: number): { count: number; firstAfter: number } {
    let count = 0;
    let firstAfter = -1;
    let i = start;
    const t = this.text;
    while (i < end) {
      const c = t[i];
      if (c !== '\n' && c !== '\r') {
        i++;
        continue;
      }
      count++;
      const d = t[i + 1];
      if (i + 1 < end && (d === '\n' || d === '\r') && d !== c) i++;
      i++;
      if (count === 1) firstAfter = i;
    }
    return { count, firstAfter };
  }

  private checkNext(cs: CheckString, start: number, end: number): boolean {
    const kind = cs.pattern.type.kind;
    if (kind !== 'next' && kind !== 'empty') return false;
    const name = cs.prefix + (kind === 'empty' ? '-EMPTY' : '-NEXT');
    const { count, firstAfter } = this.countNewlines(start, end);
    if (count === 0) {
      this.error(cs.pattern, `${name}: is on the same line as previous match`);
      this.note(end, "'next' match was here");
      this.note(start, 'previous match ended here');
      return true;
    }
    if (count !== 1) {
      this.error(cs.pattern, `${name}: is not on the line after the previous match`);
      this.note(end, "'next' match was here");
      this.note(start, 'previous match ended here');
      this.note(firstAfter, 'non-matching line after previous match is here');
      return true;
    }
    return false;
  }

  private checkSame(cs: CheckString, start: number, end: number): boolean {
    if (cs.pattern.type.kind !== 'same') return false;
    if (this.countNewlines(start, end).count !== 0) {
      this.error(cs.pattern, `${cs.prefix}-SAME: is not on the same line as the previous match`);
      this.note(end, "'next' match was here");
      this.note(start, 'previous match ended here');
      return true;
    }
    return false;
  }

  /** Verifies that no CHECK-NOT pattern occurs in [start, end); reports every one that does. */
  private checkNot(start: number, end: number, notStrings: readonly DagNotEntry[]): boolean {
    let failed = false;
    for (const n of notStrings) {
      const m = n.pattern.match(this.text, start, end, this.ctx);
      if (!this.report(false, n.prefix, n.pattern, 1, start, end, m)) failed = true;
    }
    return failed;
  }

  /** Matches the CHECK-DAG groups (and CHECK-NOTs between them) in front of a check. */
  private checkDag(cs: CheckString, start: number, end: number, notStrings: DagNotEntry[]): number | null {
    const list = cs.dagNot;
    if (list.length === 0) return start;
    let startPos = start;
    let ranges: { pos: number; end: number }[] = [];
    for (let idx = 0; idx < list.length; idx++) {
      const entry = list[idx];
      if (!entry) continue;
      const pat = entry.pattern;
      if (pat.type.kind === 'not') {
        notStrings.push(entry);
        continue;
      }
      let matchPos = startPos;
      let mi = 0;
      for (;;) {
        const m = pat.match(this.text, matchPos, end, this.ctx);
        if (!m.ok) {
          this.report(true, entry.prefix, pat, 1, matchPos, end, m);
          return null;
        }
        const r = { pos: m.pos, end: m.pos + m.len };
        if (this.req.allowDeprecatedDagOverlap) {
          // Track one range covering the whole group; overlaps are allowed.
          const block = ranges[0];
          if (!block) ranges.push(r);
          else ranges[0] = { pos: Math.min(block.pos, r.pos), end: Math.max(block.end, r.end) };
          break;
        }
        let overlap = false;
        for (; mi < ranges.length; mi++) {
          const old = ranges[mi];
          if (old && r.pos < old.end) {
            overlap = old.pos < r.end;
            break;
          }
        }
        if (!overlap) {
          ranges.splice(mi, 0, r);
          break;
        }
        matchPos = ranges[mi]?.end ?? r.end;
        mi++;
      }
      const next = list[idx + 1];
      if (!next || next.pattern.type.kind === 'not') {
        const first = ranges[0];
        const last = ranges[ranges.length - 1];
        if (notStrings.length !== 0 && first) {
          if (this.checkNot(startPos, first.pos, notStrings)) return null;
          notStrings.length = 0;
        }
        if (last) startPos = last.end;
        ranges = [];
      }
    }
    return startPos;
  }
}
