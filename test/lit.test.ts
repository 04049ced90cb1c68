// Runs every lit test under lit-tests/ (RUN lines with qopt and filecheck, in process) as a vitest case.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultBuiltins } from '../tools/lit/builtins.js';
import { discoverLitTests, runLitFile } from '../tools/lit/index.js';
import { CORPUS_DIR, HAVE_CORPUS, REPO_ROOT } from './support/corpus.js';

const root = join(REPO_ROOT, 'lit-tests');
const files = existsSync(root) ? discoverLitTests([root]) : [];
const features = new Set<string>(HAVE_CORPUS ? ['corpus'] : []);

describe('lit', () => {
  it('finds lit tests', () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    it(relative(root, f), async () => {
      const r = await runLitFile(f, defaultBuiltins(), { features, substitutions: [['%corpus', CORPUS_DIR]] });
      if (r.status === 'FAIL') throw new Error(`lit FAIL ${relative(root, f)}\n${r.output}`);
      expect(['PASS', 'UNSUPPORTED']).toContain(r.status);
    });
  }
});
