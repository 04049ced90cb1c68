/**
 * Rewrite patterns: small, local, convergent rewrites rooted at one op name, applied by the greedy
 * driver. Each pattern carries a one-line `before -> after` doc string and an explicit benefit.
 */
import type { Builder } from '../ir/builder.js';
import type { Operation } from '../ir/operation.js';

/** A rewrite pattern. */
export interface RewritePattern {
  /** Stable name, for debugging and `--debug-patterns`. */
  readonly name: string;
  /** The op name the pattern is rooted at; undefined matches any op. */
  readonly root?: string;
  /** Higher benefit patterns are tried first. */
  readonly benefit: number;
  /** One line: `before -> after`. */
  readonly doc: string;
  /** Matches at `op` and, if it applies, rewrites through `rw` and returns true. */
  matchAndRewrite(op: Operation, rw: Builder): boolean;
}

/** Declares a pattern rooted at an op name. */
export function opPattern(
  root: string,
  doc: string,
  matchAndRewrite: (op: Operation, rw: Builder) => boolean,
  opts: { name?: string; benefit?: number } = {},
): RewritePattern {
  return Object.freeze({ name: opts.name ?? `${root}:${doc}`, root, benefit: opts.benefit ?? 1, doc, matchAndRewrite });
}

/** Patterns indexed by root op name, each list sorted by decreasing benefit. */
export class PatternSet {
  private readonly byRoot = new Map<string, RewritePattern[]>();
  private readonly any: RewritePattern[] = [];
  constructor(patterns: Iterable<RewritePattern> = []) {
    for (const p of patterns) this.add(p);
  }
  /** Adds a pattern. */
  add(p: RewritePattern): void {
    const list = p.root === undefined ? this.any : this.byRoot.get(p.root) ?? [];
    list.push(p);
    list.sort((a, b) => b.benefit - a.benefit);
    if (p.root !== undefined) this.byRoot.set(p.root, list);
  }
  /** Patterns that may match `op`, best first. */
  forOp(op: Operation): readonly RewritePattern[] {
    const specific = this.byRoot.get(op.name);
    if (!specific) return this.any;
    if (this.any.length === 0) return specific;
    return [...specific, ...this.any].sort((a, b) => b.benefit - a.benefit);
  }
  /** Number of patterns. */
  get size(): number {
    let n = this.any.length;
    for (const l of this.byRoot.values()) n += l.length;
    return n;
  }
}
