/**
 * Paired, interleaved timing of several runtimes on one model. The machine may be shared and its
 * load may change within seconds, so the runtimes take turns: each round runs one batch of each
 * (batches sized for ~budget/10), and ratios are taken within a round, where all saw the same load.
 */

/** A runtime to time: runs `n` invokes and resolves to the elapsed milliseconds. */
export type BatchRunner = (n: number) => number | Promise<number>;

/** Result for one runtime. */
export interface PairedTiming {
  /** Median per-invoke time over rounds (ms). */
  readonly ms: number;
  /** Per-invoke time in each round (ms). */
  readonly rounds: readonly number[];
  readonly iterations: number;
}

/** Options of {@link measurePaired}. */
export interface PairedOptions {
  /** Measuring time per runtime (ms), after warm-up. Default 400. */
  readonly budgetMs?: number;
  /** Rounds wanted (default 10); never fewer than `minRounds` (default 5). */
  readonly rounds?: number;
  readonly minRounds?: number;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Times every runner in interleaved rounds (see the module comment). */
export async function measurePaired(runners: readonly BatchRunner[], opts: PairedOptions = {}): Promise<PairedTiming[]> {
  const budget = opts.budgetMs ?? 400;
  const wanted = opts.rounds ?? 10;
  const minRounds = opts.minRounds ?? 5;
  // Warm-up: single invokes for ~budget/4 (at least 3), which also estimates the invoke time.
  const per: number[] = [];
  for (const r of runners) {
    let n = 0;
    let spent = 0;
    while (n < 3 || spent < budget / 4) {
      spent += await r(1);
      n++;
      if (n >= 3 && spent > budget) break;
    }
    per.push(spent / n);
  }
  const sizes = per.map((t) => Math.max(1, Math.round(budget / wanted / Math.max(t, 1e-6))));
  const rounds: number[][] = runners.map(() => []);
  const spent = runners.map(() => 0);
  for (let k = 0; ; k++) {
    for (let i = 0; i < runners.length; i++) {
      const ms = await runners[i]!(sizes[i]!);
      rounds[i]!.push(ms / sizes[i]!);
      spent[i]! += ms;
    }
    const done = k + 1 >= minRounds && spent.every((s) => s >= budget);
    const capped = k + 1 >= minRounds && spent.some((s) => s >= budget * 4);
    if (done || capped) break;
  }
  return runners.map((_, i) => ({ ms: median(rounds[i]!), rounds: rounds[i]!, iterations: rounds[i]!.length * sizes[i]! }));
}

/** Median of the per-round ratios a/b of two paired timings. */
export function pairedRatio(a: PairedTiming | undefined, b: PairedTiming | undefined): number | undefined {
  if (!a || !b || a.rounds.length !== b.rounds.length) return undefined;
  return median(a.rounds.map((x, i) => x / b.rounds[i]!));
}
