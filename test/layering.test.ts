// Dependencies point one way: src <- dialects <- passes <- tools. A test fails on any import against it.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/corpus.js';

const LAYERS = ['src', 'dialects', 'passes', 'tools'] as const;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('layering', () => {
  for (const [rank, layer] of LAYERS.entries()) {
    it(`${layer}/ imports nothing from ${LAYERS.slice(rank + 1).join(', ') || '(nothing above)'}`, () => {
      const bad: string[] = [];
      for (const f of files(join(REPO_ROOT, layer))) {
        const text = readFileSync(f, 'utf8');
        for (const m of text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)) {
          const target = relative(REPO_ROOT, join(f, '..', m[1]!)).split('/')[0]!;
          const tr = LAYERS.indexOf(target as (typeof LAYERS)[number]);
          if (tr > rank) bad.push(`${relative(REPO_ROOT, f)} -> ${m[1]}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
});
