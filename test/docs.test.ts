// docs/passes.md and docs/ops.md are generated from the registries; they must match the code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opsMarkdown, passesMarkdown } from '../tools/gen-docs.js';
import { registerAll } from '../tools/register.js';
import { REPO_ROOT } from './support/corpus.js';

registerAll();

describe('generated docs are current (regenerate with: npm run build && npm run docs)', () => {
  it('docs/passes.md', () => expect(readFileSync(join(REPO_ROOT, 'docs', 'passes.md'), 'utf8')).toBe(passesMarkdown()));
  it('docs/ops.md', () => expect(readFileSync(join(REPO_ROOT, 'docs', 'ops.md'), 'utf8')).toBe(opsMarkdown()));
});
