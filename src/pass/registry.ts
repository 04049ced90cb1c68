/**
 * The pass registry and named pipeline aliases (expanded when a pipeline is parsed). Unknown names
 * get a "did you mean" suggestion chosen by edit distance plus the sorted list of valid names.
 */
import type { PassDef } from './pass.js';

const passes = new Map<string, PassDef>();
const aliases = new Map<string, PipelineAlias>();

/** A named pipeline, e.g. `quantize-int8` = `canonicalize,cse,...`. */
export interface PipelineAlias {
  readonly name: string;
  readonly summary: string;
  readonly pipeline: string;
}

function checkFree(name: string): void {
  if (passes.has(name) || aliases.has(name)) throw new Error(`pass or pipeline '${name}' is already registered`);
}

/** Registers a pass (idempotent for the same object). */
export function registerPass(def: PassDef): void {
  if (passes.get(def.name) === def) return;
  checkFree(def.name);
  passes.set(def.name, def);
}

/** Registers a pipeline alias whose text is parsed (and checked) when used. */
export function registerPipelineAlias(name: string, summary: string, pipeline: string): void {
  const existing = aliases.get(name);
  if (existing && existing.pipeline === pipeline && existing.summary === summary) return;
  checkFree(name);
  aliases.set(name, Object.freeze({ name, summary, pipeline }));
}

/** A registered pass by CLI name. */
export function getPass(name: string): PassDef | undefined {
  return passes.get(name);
}

/** A registered pipeline alias. */
export function getPipelineAlias(name: string): PipelineAlias | undefined {
  return aliases.get(name);
}

/** All passes, sorted by name. */
export function allPasses(): PassDef[] {
  return [...passes.values()].sort((a, b) => cmp(a.name, b.name));
}

/** All pipeline aliases, sorted by name. */
export function allPipelineAliases(): PipelineAlias[] {
  return [...aliases.values()].sort((a, b) => cmp(a.name, b.name));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Levenshtein distance (two rows). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest candidate within a distance proportional to the name's length, if any. */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** `unknown pass 'x'; did you mean 'y'? valid passes: a, b, c`. */
export function unknownPassMessage(name: string): string {
  const names = [...passes.keys(), ...aliases.keys()].sort(cmp);
  const s = suggestName(name, names);
  return `unknown pass '${name}'${s ? `; did you mean '${s}'?` : ';'} valid passes: ${names.join(', ')}`;
}
