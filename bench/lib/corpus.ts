/**
 * Locating the shared model corpus from the benches, both as TypeScript (tsx) and compiled (dist/):
 * `$QOPT_CORPUS` when set, else `shared/corpus` beside the repository (found by walking up to the
 * directory with qopt's package.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'qopt') return dir;
      } catch {
        // not ours: keep walking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
    dir = up;
  }
}

/** The repository root (the directory with qopt's package.json). */
export const REPO_ROOT = repoRoot();
/** The shared corpus. */
export const CORPUS_DIR = process.env['QOPT_CORPUS'] ? path.resolve(process.env['QOPT_CORPUS']) : path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
/** Whether the corpus (its manifest) is present. */
export const HAVE_CORPUS = fs.existsSync(path.join(CORPUS_DIR, 'manifest.json'));

/** All corpus .tflite paths relative to the corpus root, sorted. */
export function corpusModels(): string[] {
  if (!HAVE_CORPUS) return [];
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.tflite')) out.push(path.relative(CORPUS_DIR, p).split(path.sep).join('/'));
    }
  };
  visit(CORPUS_DIR);
  return out.sort();
}

/** Reads a corpus file into a fresh (16-byte aligned) Uint8Array. */
export function readCorpus(rel: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(CORPUS_DIR, rel)));
}
