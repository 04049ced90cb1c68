/**
 * FileCheck conformance suite: every case in test/tools/filecheck-cases must produce its stored
 * outcome with our FileCheck, and — when an LLVM FileCheck is on PATH — the same exit status (and,
 * for LLVM 22, byte-identical diagnostics) as LLVM's FileCheck.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LLVM_FILECHECK_NAMES,
  allCases,
  findLlvmFileCheck,
  llvmMajorVersion,
  normalizeStderr,
  outcome,
  runLlvm,
  runOurs,
} from './filecheck-cases/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'qopt-filecheck-conf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => join(scratch, String(counter++));

/** Diagnostics are compared byte for byte only against the reference major version. */
const REFERENCE_LLVM = 22;

describe('filecheck conformance cases: table sanity', () => {
  it('has at least 60 cases with unique names', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(allCases.map((c) => c.name)).size).toBe(allCases.length);
  });

  it('covers every directive and flag with both passing and failing cases', () => {
    const features: Record<string, (text: string, args: string) => boolean> = {
      'CHECK:': (t) => /CHECK:/.test(t),
      'CHECK-NEXT': (t) => t.includes('-NEXT:'),
      'CHECK-SAME': (t) => t.includes('-SAME:'),
      'CHECK-NOT': (t) => t.includes('-NOT:'),
      'CHECK-DAG': (t) => t.includes('-DAG:'),
      'CHECK-LABEL': (t) => t.includes('-LABEL:'),
      'CHECK-EMPTY': (t) => t.includes('-EMPTY:'),
      'CHECK-COUNT': (t) => t.includes('-COUNT-'),
      '{{regex}}': (t) => t.includes('{{'),
      '[[VAR]]': (t) => t.includes('[['),
      '--check-prefix(es)': (_t, a) => a.includes('--check-prefix'),
      '--match-full-lines': (_t, a) => a.includes('--match-full-lines'),
      '--strict-whitespace': (_t, a) => a.includes('--strict-whitespace'),
      '--implicit-check-not': (_t, a) => a.includes('--implicit-check-not'),
      '-D': (_t, a) => a.includes('-D'),
      '--allow-empty': (_t, a) => a.includes('--allow-empty'),
    };
    for (const [feature, has] of Object.entries(features)) {
      const using = allCases.filter((c) => has(c.check, (c.args ?? []).join(' ')));
      expect(using.some((c) => c.expect === 'pass'), `${feature}: a passing case`).toBe(true);
      expect(using.some((c) => c.expect !== 'pass'), `${feature}: a failing case`).toBe(true);
    }
  });
});

describe('filecheck conformance cases: stored expectations', () => {
  for (const c of allCases) {
    it(c.name, () => {
      const r = runOurs(c, freshDir());
      expect(outcome(r.code), r.stderr).toBe(c.expect);
    });
  }
});

const llvm = findLlvmFileCheck();
describe('filecheck conformance cases: against LLVM FileCheck', () => {
  if (!llvm) {
    it.skip(`LLVM FileCheck not installed (looked for ${LLVM_FILECHECK_NAMES.join(', ')} on PATH): comparison not run`, () => {});
    return;
  }
  const version = llvmMajorVersion(llvm);
  for (const c of allCases) {
    if (c.minLlvm !== undefined && version < c.minLlvm) {
      it.skip(`${c.name} (needs LLVM >= ${c.minLlvm}, found ${version} at ${llvm})`, () => {});
      continue;
    }
    it(c.name, () => {
      const dir = freshDir();
      const theirs = runLlvm(llvm, c, dir);
      const ours = runOurs(c, dir);
      expect(outcome(theirs.code), `LLVM (${llvm}) disagrees with the stored expectation:\n${theirs.stderr}`).toBe(c.expect);
      expect(ours.code, `exit status differs from LLVM\n--- llvm\n${theirs.stderr}--- ours\n${ours.stderr}`).toBe(theirs.code);
      if (version === REFERENCE_LLVM && c.diagDivergence === undefined) {
        expect(normalizeStderr(ours.stderr)).toBe(normalizeStderr(theirs.stderr));
      }
    });
  }
});
