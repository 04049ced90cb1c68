/**
 * Arena planning: every intermediate tensor gets an offset in one buffer so that tensors alive at
 * the same time never overlap. Linear scan in execution order with a best-fit free list
 * (O(n log n)-ish, fine for 100k-op unrolled graphs); reports the arena size and the lower bound
 * (the largest total of simultaneously live tensors).
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
