/**
 * In-process CPU profiling for the benches: V8's sampling profiler through `node:inspector` (the
 * same data as `node --cpu-prof`), summarized as the hottest functions by self time, with file:line
 * mapped to the TypeScript source when a source map is loaded (tsx, or node --enable-source-maps).
 */
import { Session } from 'node:inspector';
import * as fs from 'node:fs';
import { SourceMap, findSourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './corpus.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
}

/** One function's share of the samples. */
export interface HotFunction {
  readonly name: string;
  /** repository-relative file:line (or a node: / native marker). */
  readonly where: string;
  readonly samples: number;
  /** Fraction of all samples (0..1). */
  readonly share: number;
}

function post<T>(s: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

const mapCache = new Map<string, SourceMap | undefined>();

/** The source map of a compiled file: the loaded one (tsx, --enable-source-maps) or its `.js.map`. */
function sourceMapOf(file: string): SourceMap | undefined {
  const loaded = findSourceMap(file);
  if (loaded) return loaded;
  if (!mapCache.has(file)) {
    let m: SourceMap | undefined;
    try {
      if (fs.existsSync(`${file}.map`)) m = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      m = undefined;
    }
    mapCache.set(file, m);
  }
  return mapCache.get(file);
}

function locate(f: ProfileNode['callFrame']): string {
  if (f.url === '') return '(native)';
  if (!f.url.startsWith('file://')) return `${f.url}:${f.lineNumber + 1}`;
  const file = fileURLToPath(f.url);
  let where = path.relative(REPO_ROOT, file);
  let line = f.lineNumber + 1;
  const entry = (f.lineNumber >= 0 ? sourceMapOf(file)?.findEntry(f.lineNumber, f.columnNumber) : undefined) as
    | { originalSource?: string; originalLine?: number }
    | undefined;
  if (entry?.originalSource && entry.originalLine !== undefined) {
    const src = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
    where = path.relative(REPO_ROOT, src);
    line = entry.originalLine + 1;
  }
  return `${where}:${line}`;
}

/** Profiles `run` (sampling every `intervalUs` µs); returns what it returned and the hot functions. */
export async function profile<T>(run: () => T, intervalUs = 100): Promise<{ result: T; hot: HotFunction[]; ms: number }> {
  const s = new Session();
  s.connect();
  try {
    await post(s, 'Profiler.enable');
    await post(s, 'Profiler.setSamplingInterval', { interval: intervalUs });
    await post(s, 'Profiler.start');
    const t0 = performance.now();
    const result = run();
    const ms = performance.now() - t0;
    const { profile: p } = await post<{ profile: Profile }>(s, 'Profiler.stop');
    const byId = new Map(p.nodes.map((x) => [x.id, x]));
    const counts = new Map<string, { name: string; where: string; samples: number }>();
    let total = 0;
    for (const id of p.samples ?? []) {
      const f = byId.get(id)!.callFrame;
      const name = f.functionName || '(anonymous)';
      const where = locate(f);
      const key = `${name} ${where}`;
      const e = counts.get(key) ?? { name, where, samples: 0 };
      e.samples++;
      counts.set(key, e);
      total++;
    }
    const hot = [...counts.values()].sort((a, b) => b.samples - a.samples).map((e) => ({ ...e, share: total ? e.samples / total : 0 }));
    return { result, hot, ms };
  } finally {
    s.disconnect();
  }
}
