#!/usr/bin/env node
/**
 * The `qopt-lit` command: `qopt-lit [-v] [-a] [--filter=RE] [--features=a,b] PATHS...` discovers
 * `.mlir` tests, runs them with the default builtins, prints `PASS:`/`FAIL:` lines and a summary,
 * and exits 1 when any test failed.
 */
import { relative } from 'node:path';
import { defaultBuiltins } from './builtins.js';
import { type LitResult, discoverLitTests, runLitFile } from './index.js';

const USAGE = `usage: qopt-lit [-v] [-a] [--filter=REGEX] [--features=a,b] [--keep-temps] PATHS...

  -v, --verbose     print the output of failing tests
  -a, --show-all    print the output of every test
  --filter=REGEX    only run tests whose path matches REGEX
  --features=a,b    features available to REQUIRES:/UNSUPPORTED:
  --keep-temps      keep the per-test %t directories
`;

async function main(argv: string[]): Promise<number> {
  let verbose = false;
  let showAll = false;
  let keepTemps = false;
  let filter: RegExp | null = null;
  const features: string[] = [];
  const paths: string[] = [];
  for (const a of argv) {
    if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '-a' || a === '--show-all') showAll = true;
    else if (a === '--keep-temps') keepTemps = true;
    else if (a.startsWith('--filter=')) filter = new RegExp(a.slice('--filter='.length));
    else if (a.startsWith('--features=')) features.push(...a.slice('--features='.length).split(',').filter(Boolean));
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      process.stderr.write(`qopt-lit: unknown option '${a}'\n${USAGE}`);
      return 2;
    } else paths.push(a);
  }
  if (paths.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  let tests: string[];
  try {
    tests = discoverLitTests(paths);
  } catch (e) {
    process.stderr.write(`qopt-lit: ${(e as Error).message}\n`);
    return 2;
  }
  if (filter) tests = tests.filter((t) => filter.test(t));
  if (tests.length === 0) {
    process.stderr.write('qopt-lit: no tests found\n');
    return 1;
  }
  const builtins = defaultBuiltins();
  const counts = { PASS: 0, FAIL: 0, UNSUPPORTED: 0 };
  const failures: LitResult[] = [];
  for (const t of tests) {
    const r = await runLitFile(t, builtins, { features, keepTemps });
    counts[r.status]++;
    const name = relative(process.cwd(), t) || t;
    process.stdout.write(`${r.status}: ${name}\n`);
    if ((r.status === 'FAIL' && verbose) || showAll) {
      const banner = '*'.repeat(20);
      process.stdout.write(`${banner} TEST '${name}' ${r.status === 'FAIL' ? 'FAILED' : r.status} ${banner}\n${r.output}${banner}\n`);
    }
    if (r.status === 'FAIL') failures.push(r);
  }
  if (failures.length && !verbose) {
    process.stdout.write(`\nFailed tests (${failures.length}) (rerun with -v for details):\n`);
    for (const f of failures) process.stdout.write(`  ${relative(process.cwd(), f.file) || f.file}\n`);
  }
  let summary = `${counts.PASS} passed, ${counts.FAIL} failed`;
  if (counts.UNSUPPORTED) summary += `, ${counts.UNSUPPORTED} unsupported`;
  process.stdout.write(summary + '\n');
  return counts.FAIL ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`qopt-lit: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
