/**
 * The greedy search of quant-mixed: start from all-int8 and promote, one at a time, the candidate
 * (tensor and its same-scale followers) whose 16-bit promotion most improves the objective on the
 * evaluation samples, until the budget is met (or no candidate helps / the layer or size limit is hit).
 * The objective is the output SQNR against float, or — with an accuracy budget (labelled samples) —
 * the top-1 accuracy, ties broken by the output SQNR.
 */
import type { Operation } from '../../../src/ir/operation.js';
import type { QuantConfig } from '../quant/driver.js';
import { type Analysis, type EvalData, evaluate } from './evaluate.js';
import { type MixedPlan, type PlanCost, type PlanStep, initialPlan, int16Keys, promote } from './plan.js';

/** Budget of the search. */
export interface Budget {
  /** Allowed output-SQNR drop (dB) against all-16x8; undefined: none. */
  readonly maxSqnrDrop?: number;
  /** Maximum number of 16-bit ops; undefined: none. */
  readonly max16BitLayers?: number;
  /** Maximum constant + arena bytes; undefined: none. */
  readonly maxSize?: number;
  /** Allowed top-1 accuracy drop (fraction) against all-16x8; needs labels; undefined: none. */
  readonly maxAccuracyDrop?: number;
}

/** The search result. */
export interface SearchResult {
  readonly plan: MixedPlan;
  readonly int8: PlanCost;
  readonly int16: PlanCost;
  readonly chosen: PlanCost;
  readonly met: boolean;
  readonly evaluations: number;
}

const strip = (c: PlanCost & { diagnostics?: unknown }): PlanCost => {
  const { diagnostics: _d, ...rest } = c;
  return rest;
};

/**
 * How candidates are re-evaluated each round: `greedy` evaluates every remaining candidate on top of
 * the current plan (candidates x rounds evaluations); `lazy` (CELF) keeps each candidate's last
 * measured gain as a bound, re-evaluates only the candidate with the largest bound, and accepts it
 * when its fresh gain is still the largest — the same choice as greedy when gains only shrink as the
 * plan grows, at about candidates + a few per round evaluations. It stops only after a fully fresh
 * round finds nothing that helps, as greedy does; where a promotion makes another one worth more, it
 * may pick a different (still improving) candidate than greedy. `auto` is lazy above
 * {@link LAZY_ABOVE} candidates.
 */
export type SearchMode = 'greedy' | 'lazy' | 'auto';

/** Candidate count above which `auto` searches lazily (an unrolled LSTM has hundreds). */
export const LAZY_ABOVE = 64;

/** Runs the greedy search. */
export function greedySearch(
  func: Operation,
  name: string,
  cfg: QuantConfig,
  a: Analysis,
  data: EvalData,
  budget: Budget,
  flags: Record<string, unknown>,
  mode: SearchMode = 'auto',
): SearchResult {
  const lazy = mode === 'lazy' || (mode === 'auto' && a.candidates.length > LAZY_ABOVE);
  let evaluations = 0;
  const run = (keys: ReadonlySet<string>): PlanCost => {
    evaluations++;
    return strip(evaluate(func, cfg, keys, a.capable16, data, flags));
  };
  const int8 = run(new Set());
  const int16 = run(new Set(a.tensors.keys()));
  const target = budget.maxSqnrDrop !== undefined ? int16.sqnrDb - budget.maxSqnrDrop : Infinity;
  const byAccuracy = budget.maxAccuracyDrop !== undefined;
  if (byAccuracy && int16.accuracy === undefined) throw new Error('max-accuracy-drop needs labelled evaluation samples (labels=)');
  // Accuracies are multiples of 1/n: compare with a tolerance well below one sample.
  const EPS = 1e-9;
  const accTarget = byAccuracy ? (int16.accuracy ?? 0) - budget.maxAccuracyDrop! : -Infinity;
  const meets = (c: PlanCost): boolean =>
    (budget.maxSqnrDrop === undefined || c.sqnrDb >= target) && (!byAccuracy || (c.accuracy ?? 0) >= accTarget - EPS);
  /** Whether `a` is better than `b` for the objective. */
  const better = (a: PlanCost, b: PlanCost): boolean => {
    if (byAccuracy) {
      const d = (a.accuracy ?? 0) - (b.accuracy ?? 0);
      if (Math.abs(d) > EPS) return d > 0;
    }
    return a.sqnrDb > b.sqnrDb;
  };
  const fits = (c: PlanCost): boolean =>
    (budget.max16BitLayers === undefined || c.int16Ops <= budget.max16BitLayers) &&
    (budget.maxSize === undefined || c.constantBytes + c.arenaBytes <= budget.maxSize);
  let plan = initialPlan(name, a.tensors);
  let current = int8;
  const steps: PlanStep[] = [];
  const done = new Set<string>();
  // Without an SQNR or accuracy budget (only layer / size limits), promote while it helps and fits.
  const hasTarget = budget.maxSqnrDrop !== undefined || byAccuracy;
  /**
   * Lazy mode: every candidate's last measured gain over the plan it was measured on (and the round),
   * used as an upper bound of its gain now; only the best bound is re-measured.
   */
  interface Estimate {
    readonly keys: readonly string[];
    readonly key: string;
    readonly cost: PlanCost;
    readonly gainAcc: number;
    readonly gainDb: number;
    readonly round: number;
  }
  const estimates: Estimate[] = [];
  let round = 0;
  const estimate = (keys: readonly string[], key: string, cost: PlanCost): Estimate => ({
    keys,
    key,
    cost,
    gainAcc: (cost.accuracy ?? 0) - (current.accuracy ?? 0),
    gainDb: cost.sqnrDb - current.sqnrDb,
    round,
  });
  const largerGain = (x: Estimate, y: Estimate): boolean => {
    if (byAccuracy && Math.abs(x.gainAcc - y.gainAcc) > EPS) return x.gainAcc > y.gainAcc;
    return x.gainDb > y.gainDb;
  };
  const pickLazily = (): { keys: readonly string[]; key: string; cost: PlanCost } | undefined => {
    const on = int16Keys(plan);
    if (round === 0) {
      for (const c of a.candidates) {
        const keys = new Set([...on, ...c.keys]);
        if (keys.size === on.size) continue;
        const cost = run(keys);
        if (fits(cost)) estimates.push(estimate(c.keys, c.key, cost));
      }
    }
    for (;;) {
      // The largest gain bound first (candidate order for ties).
      let bi = -1;
      for (let i = 0; i < estimates.length; i++) if (bi < 0 || largerGain(estimates[i]!, estimates[bi]!)) bi = i;
      if (bi < 0) return undefined;
      const e = estimates[bi]!;
      if (e.round === round) {
        const stale = estimates.filter((x) => x.round !== round);
        // Gains are not always diminishing (a promotion can make another worth it): before giving up
        // on a round whose best fresh candidate does not help, measure every stale one as greedy would.
        if (!better(e.cost, current) && stale.length > 0) {
          for (let i = estimates.length - 1; i >= 0; i--) {
            const x = estimates[i]!;
            if (x.round === round) continue;
            const keys = new Set([...on, ...x.keys]);
            const cost = keys.size === on.size ? undefined : run(keys);
            if (!cost || !fits(cost)) estimates.splice(i, 1);
            else estimates[i] = estimate(x.keys, x.key, cost);
          }
          continue;
        }
        estimates.splice(bi, 1);
        return e;
      }
      const keys = new Set([...on, ...e.keys]);
      if (keys.size === on.size) {
        estimates.splice(bi, 1);
        continue;
      }
      const cost = run(keys);
      if (!fits(cost)) {
        estimates.splice(bi, 1);
        continue;
      }
      estimates[bi] = estimate(e.keys, e.key, cost);
    }
  };
  while (!hasTarget || !meets(current)) {
    let best: { keys: readonly string[]; key: string; cost: PlanCost } | undefined;
    const on = int16Keys(plan);
    if (lazy) {
      best = pickLazily();
      round++;
      if (!best || !better(best.cost, current)) break;
    }
    for (const c of lazy ? [] : a.candidates) {
      if (done.has(c.key)) continue;
      const keys = new Set(on);
      for (const k of c.keys) keys.add(k);
      if (keys.size === on.size) continue;
      const cost = run(keys);
      if (!fits(cost)) continue;
      if (!best || better(cost, best.cost)) best = { keys: c.keys, key: c.key, cost };
    }
    if (!best || !better(best.cost, current)) break;
    done.add(best.key);
    const [next, patches] = promote(plan, best.keys);
    steps.push({
      keys: best.keys,
      sqnrDb: best.cost.sqnrDb,
      gainDb: best.cost.sqnrDb - current.sqnrDb,
      ...(best.cost.accuracy !== undefined ? { accuracy: best.cost.accuracy } : {}),
      patches,
    });
    plan = next;
    current = best.cost;
  }
  const budgetRecord: Record<string, number> = {};
  if (budget.maxSqnrDrop !== undefined) budgetRecord['max-output-sqnr-drop'] = budget.maxSqnrDrop;
  if (budget.max16BitLayers !== undefined) budgetRecord['max-16bit-layers'] = budget.max16BitLayers;
  if (budget.maxSize !== undefined) budgetRecord['max-size'] = budget.maxSize;
  if (budget.maxAccuracyDrop !== undefined) budgetRecord['max-accuracy-drop'] = budget.maxAccuracyDrop;
  plan = { ...plan, steps, budget: budgetRecord, costs: { int8, int16, chosen: current } };
  const met = !hasTarget || meets(current);
  return { plan, int8, int16, chosen: current, met, evaluations };
}
