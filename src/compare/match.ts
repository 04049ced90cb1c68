/**
 * Which tensor of the test model corresponds to which tensor of the reference model. In order of
 * trust: function inputs and outputs by position; exact location names; shared parts of TFLite's
 * fused names (`a;b;c`); then structure — an unmatched op whose operands are matched is paired
 * with the test op of the same kind that consumes the corresponding tensors. Matching works on
 * classes (tensors linked by quantize/dequantize ops), so a converter's extra conversions never
 * stand in the way. Generic names (`tfl.quantize`, `tensor_7`) only match across ops of one kind.
 */
import { getOpDef } from '../ir/registry.js';
import type { ModelGraph } from './graph.js';

/** How a pair was found. */
export type MatchKind = 'input' | 'output' | 'name' | 'part' | 'structure';

/** A reference class paired with a test class. */
export interface ClassMatch {
  readonly ref: number;
  readonly test: number;
  readonly by: MatchKind;
}

/** The pairs, and the non-constant classes left without a partner. */
export interface MatchResult {
  readonly pairs: ClassMatch[];
  readonly unmatchedRef: number[];
  readonly unmatchedTest: number[];
}

/** Options of {@link matchGraphs}. */
export interface MatchOptions {
  /** Also pair constants (weights, biases) as operands of paired ops. */
  readonly weights?: boolean;
}

interface ClassInfo {
  readonly kind: 'input' | 'result' | 'const';
  readonly elements: number;
  readonly names: readonly string[];
  readonly parts: ReadonlySet<string>;
  readonly weakParts: ReadonlySet<string>;
  readonly opKinds: ReadonlySet<string>;
  readonly order: number;
}

function classInfos(g: ModelGraph): ClassInfo[] {
  return g.classes.map((members) => {
    const ts = members.map((i) => g.tensors[i]!);
    const kind = ts.some((t) => t.kind === 'input') ? 'input' : ts.every((t) => t.kind === 'const') ? 'const' : 'result';
    const parts = new Set<string>();
    const weakParts = new Set<string>();
    for (const t of ts)
      for (const p of t.parts) {
        parts.add(p);
        if (t.weakName) weakParts.add(p);
      }
    const opKinds = new Set(ts.filter((t) => !t.conversion).map((t) => t.opName));
    if (opKinds.size === 0) for (const t of ts) opKinds.add(t.opName);
    const names = ts.filter((t) => !t.synthetic).map((t) => t.name);
    return { kind, elements: ts[0]!.elements, names, parts, weakParts, opKinds, order: members[0]! };
  });
}

function shareKind(a: ClassInfo, b: ClassInfo): boolean {
  for (const k of a.opKinds) if (b.opKinds.has(k)) return true;
  return false;
}

/** Pairs the classes of `test` with those of `ref`. */
export function matchGraphs(ref: ModelGraph, test: ModelGraph, opts: MatchOptions = {}): MatchResult {
  const R = classInfos(ref);
  const T = classInfos(test);
  const byRef = new Map<number, ClassMatch>();
  const byTest = new Map<number, number>();
  const link = (r: number, t: number, by: MatchKind): boolean => {
    if (byRef.has(r) || byTest.has(t)) return false;
    if (R[r]!.elements !== T[t]!.elements) return false;
    byRef.set(r, { ref: r, test: t, by });
    byTest.set(t, r);
    return true;
  };
  const wanted = (c: ClassInfo): boolean => c.kind !== 'const';

  // 1. Inputs and outputs by position.
  ref.inputs.forEach((ti, k) => {
    const t = test.inputs[k];
    if (t !== undefined) link(ref.classOf[ti]!, test.classOf[t]!, 'input');
  });
  ref.outputs.forEach((ti, k) => {
    const t = test.outputs[k];
    if (t !== undefined) link(ref.classOf[ti]!, test.classOf[t]!, 'output');
  });

  // 2. Exact names.
  const byName = new Map<string, number[]>();
  const byPart = new Map<string, number[]>();
  T.forEach((c, i) => {
    if (!wanted(c)) return;
    for (const n of new Set(c.names)) byName.set(n, [...(byName.get(n) ?? []), i]);
    for (const p of c.parts) byPart.set(p, [...(byPart.get(p) ?? []), i]);
  });
  const pick = (r: ClassInfo, cands: number[]): number | undefined => {
    let best: number | undefined;
    for (const t of cands) {
      if (best === undefined) best = t;
      else {
        const sb = shareKind(r, T[best]!);
        const st = shareKind(r, T[t]!);
        if ((st && !sb) || (st === sb && T[t]!.order > T[best]!.order)) best = t;
      }
    }
    return best;
  };
  R.forEach((r, ri) => {
    if (!wanted(r) || byRef.has(ri)) return;
    const cands = new Set<number>();
    for (const n of r.names)
      for (const t of byName.get(n) ?? []) {
        const tc = T[t]!;
        if (byTest.has(t) || tc.elements !== r.elements) continue;
        if ((r.weakParts.has(n) || tc.weakParts.has(n)) && !shareKind(r, tc)) continue;
        cands.add(t);
      }
    const t = pick(r, [...cands]);
    if (t !== undefined) link(ri, t, 'name');
  });

  // 3. Shared parts of fused names; a test tensor claimed by several reference tensors goes to
  // the last of them (a fused op's output is the output of the last op it absorbed).
  const proposals = new Map<number, number>();
  R.forEach((r, ri) => {
    if (!wanted(r) || byRef.has(ri)) return;
    const score = new Map<number, number>();
    for (const p of r.parts)
      for (const t of byPart.get(p) ?? []) {
        const tc = T[t]!;
        if (byTest.has(t) || tc.elements !== r.elements) continue;
        if ((r.weakParts.has(p) || tc.weakParts.has(p)) && !shareKind(r, tc)) continue;
        score.set(t, (score.get(t) ?? 0) + 1);
      }
    let top = 0;
    for (const s of score.values()) top = Math.max(top, s);
    if (top === 0) return;
    const t = pick(r, [...score].filter(([, s]) => s === top).map(([t]) => t));
    if (t === undefined) return;
    const prev = proposals.get(t);
    if (prev === undefined || R[prev]!.order < r.order) proposals.set(t, ri);
  });
  for (const [t, ri] of proposals) link(ri, t, 'part');

  // 4. Structure: follow matched operands to the consumer of the same kind.
  for (let pass = 0; pass < 3; pass++) {
    let changed = false;
    for (const rop of ref.ops) {
      if (rop.conversion) continue;
      const resClasses = rop.results.map((x) => ref.classOf[x]!);
      if (resClasses.every((c) => byRef.has(c))) continue;
      const testOps = new Set<number>();
      for (const x of rop.operands) {
        if (x < 0) continue;
        const m = byRef.get(ref.classOf[x]!);
        if (!m) continue;
        for (const member of test.classes[m.test]!) for (const u of test.users[member]!) testOps.add(u);
      }
      let best: number | undefined;
      let bestScore = -1;
      for (const u of [...testOps].sort((a, b) => a - b)) {
        const top = test.ops[u]!;
        if (top.conversion || top.name !== rop.name || top.results.length !== rop.results.length) continue;
        if (top.results.some((x) => byTest.has(test.classOf[x]!))) continue;
        let s = 0;
        rop.operands.forEach((x, i) => {
          const y = top.operands[i];
          if (x >= 0 && y !== undefined && y >= 0 && byRef.get(ref.classOf[x]!)?.test === test.classOf[y]) s++;
        });
        if (s > bestScore) {
          bestScore = s;
          best = u;
        }
      }
      if (best === undefined) continue;
      const top = test.ops[best]!;
      rop.results.forEach((x, i) => {
        const y = top.results[i];
        if (y !== undefined && link(ref.classOf[x]!, test.classOf[y]!, 'structure')) changed = true;
      });
    }
    if (!changed) break;
  }

  // 5. Weights: constant operands of paired ops of one kind, by operand position.
  if (opts.weights) {
    for (const m of [...byRef.values()]) {
      for (const rt of ref.classes[m.ref]!) {
        const rop = ref.ops[ref.tensors[rt]!.producer];
        if (!rop || rop.conversion) continue;
        for (const tt of test.classes[m.test]!) {
          const top = test.ops[test.tensors[tt]!.producer];
          if (!top || top.conversion || top.name !== rop.name) continue;
          // State operands (LSTM/SVDF variables) change as the model runs: not weights.
          const stateful = new Set(getOpDef(rop.name)?.statefulOperands ?? []);
          rop.operands.forEach((x, i) => {
            const y = top.operands[i];
            if (x < 0 || y === undefined || y < 0 || stateful.has(i)) return;
            if (ref.tensors[x]!.kind === 'const' && test.tensors[y]!.kind === 'const') link(ref.classOf[x]!, test.classOf[y]!, 'structure');
          });
        }
      }
    }
  }

  const pairs = [...byRef.values()].sort((a, b) => R[a.ref]!.order - R[b.ref]!.order);
  const unmatchedRef = R.map((c, i) => (wanted(c) && !byRef.has(i) ? i : -1)).filter((i) => i >= 0);
  const unmatchedTest = T.map((c, i) => (wanted(c) && !byTest.has(i) ? i : -1)).filter((i) => i >= 0);
  return { pairs, unmatchedRef, unmatchedTest };
}
