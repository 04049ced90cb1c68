/**
 * Arena planning: every intermediate tensor gets an offset in one buffer so that tensors alive at
 * the same time never overlap. Two placements are computed and the smaller arena wins:
 * - a linear scan in execution order with a best-fit free list (O(n log n)-ish, fine for 100k-op
 *   unrolled graphs);
 * - greedy by size (largest tensor first, each at the lowest offset that does not collide with the
 *   already placed tensors alive at the same time), the strategy of TFLite's and TFLM's arena
 *   planners, which usually lands on or near the lower bound. Overlapping tensors are found through
 *   a time-bucket index; the strategy gives up (the linear scan stands) past a work limit, so
 *   pathological graphs stay fast.
 * Also reports the lower bound: the largest total of simultaneously live tensors.
 */

/** A tensor to place: bytes, first step that writes it, last step that reads it. */
export interface Lifetime {
  readonly bytes: number;
  readonly first: number;
  readonly last: number;
}

/** Result of planning. */
export interface MemoryPlan {
  readonly offsets: number[];
  readonly arenaBytes: number;
  readonly lowerBound: number;
}

const ALIGN = 16;
const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/** Places tensors in one arena by liveness. */
export function planMemory(tensors: readonly Lifetime[]): MemoryPlan {
  const linear = linearScan(tensors);
  const greedy = greedyBySize(tensors);
  return greedy && greedy.arenaBytes < linear.arenaBytes ? { ...greedy, lowerBound: linear.lowerBound } : linear;
}

/** Linear scan in execution order with a best-fit free list. */
function linearScan(tensors: readonly Lifetime[]): MemoryPlan {
  const offsets = new Array<number>(tensors.length).fill(0);
  // Events: allocate at `first`, free after `last`.
  const byFirst = tensors.map((_, i) => i).sort((a, b) => tensors[a]!.first - tensors[b]!.first || a - b);
  const byLast = tensors.map((_, i) => i).sort((a, b) => tensors[a]!.last - tensors[b]!.last || a - b);
  let free: { off: number; size: number }[] = [];
  let top = 0;
  let live = 0;
  let lowerBound = 0;
  let li = 0;
  for (const i of byFirst) {
    const t = tensors[i]!;
    // Release everything whose last use is before this tensor's first write.
    while (li < byLast.length && tensors[byLast[li]!]!.last < t.first) {
      const j = byLast[li++]!;
      const tj = tensors[j]!;
      if (tj.first > tj.last) continue;
      release(free, offsets[j]!, align(tj.bytes));
      live -= tj.bytes;
      // Shrink the top when the highest block is free.
      free = free.filter((b) => {
        if (b.off + b.size === top) {
          top = b.off;
          return false;
        }
        return true;
      });
    }
    const size = align(t.bytes);
    let best = -1;
    for (let k = 0; k < free.length; k++)
      if (free[k]!.size >= size && (best < 0 || free[k]!.size < free[best]!.size)) best = k;
    if (best >= 0) {
      const b = free[best]!;
      offsets[i] = b.off;
      if (b.size === size) free.splice(best, 1);
      else free[best] = { off: b.off + size, size: b.size - size };
    } else {
      offsets[i] = top;
      top += size;
    }
    live += t.bytes;
    lowerBound = Math.max(lowerBound, live);
  }
  let arena = 0;
  tensors.forEach((t, i) => (arena = Math.max(arena, offsets[i]! + align(t.bytes))));
  return { offsets, arenaBytes: arena, lowerBound };
}

function release(free: { off: number; size: number }[], off: number, size: number): void {
  free.push({ off, size });
  free.sort((a, b) => a.off - b.off);
  // Coalesce neighbours.
  for (let k = free.length - 2; k >= 0; k--) {
    const a = free[k]!;
    const b = free[k + 1]!;
    if (a.off + a.size === b.off) {
      free[k] = { off: a.off, size: a.size + b.size };
      free.splice(k + 1, 1);
    }
  }
}

/** Buckets of execution steps for the overlap index of {@link greedyBySize}. */
const BUCKET = 32;
/** Work limit of {@link greedyBySize} (overlap candidates visited), relative to the tensor count. */
const GREEDY_WORK_PER_TENSOR = 200;

/**
 * Greedy by size (see the module comment); undefined when it gave up. Tensors are live over
 * [first, last] (clamped to the last real step: graph outputs are marked live "forever").
 */
function greedyBySize(tensors: readonly Lifetime[]): MemoryPlan | undefined {
  const n = tensors.length;
  if (n === 0) return { offsets: [], arenaBytes: 0, lowerBound: 0 };
  let maxStep = 0;
  for (const t of tensors) maxStep = Math.max(maxStep, t.first);
  const first = new Int32Array(n);
  const last = new Int32Array(n);
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = tensors[i]!;
    first[i] = t.first;
    last[i] = Math.max(t.first, Math.min(t.last, maxStep + 1));
    size[i] = align(t.bytes);
  }
  const budget = GREEDY_WORK_PER_TENSOR * n + 1e6;
  // Registering every tensor in the buckets it spans must itself stay within the budget.
  let span = 0;
  for (let i = 0; i < n; i++) span += Math.floor(last[i]! / BUCKET) - Math.floor(first[i]! / BUCKET) + 1;
  if (span > budget) return undefined;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => size[b]! - size[a]! || first[a]! - first[b]! || a - b);
  const buckets: number[][] = Array.from({ length: Math.floor((maxStep + 1) / BUCKET) + 1 }, () => []);
  const offsets = new Array<number>(n).fill(0);
  const seen = new Int32Array(n).fill(-1);
  let work = 0;
  let arena = 0;
  const near: number[] = [];
  for (const i of order) {
    const f = first[i]!;
    const l = last[i]!;
    near.length = 0;
    for (let b = Math.floor(f / BUCKET); b <= Math.floor(l / BUCKET); b++) {
      const bucket = buckets[b]!;
      work += bucket.length + 1;
      for (const j of bucket) {
        if (seen[j] === i) continue;
        seen[j] = i;
        if (first[j]! <= l && f <= last[j]! && size[j]! > 0) near.push(j);
      }
    }
    if (work > budget) return undefined;
    near.sort((a, b) => offsets[a]! - offsets[b]!);
    const sz = size[i]!;
    let off = 0;
    for (const j of near) {
      if (off + sz <= offsets[j]!) break;
      off = Math.max(off, offsets[j]! + size[j]!);
    }
    offsets[i] = off;
    arena = Math.max(arena, off + sz);
    for (let b = Math.floor(f / BUCKET); b <= Math.floor(l / BUCKET); b++) buckets[b]!.push(i);
  }
  return { offsets, arenaBytes: arena, lowerBound: 0 };
}
