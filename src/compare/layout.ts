/**
 * A simple layered drawing of a DAG (Sugiyama-style, without dummy nodes): longest-path layers
 * from a Kahn topological order, a few barycenter sweeps to reduce crossings, then coordinates.
 * Everything is iterative (no recursion), so a 100k-op chain lays out fine.
 */

/** Sizes of the drawing. */
export interface LayoutOptions {
  readonly nodeWidth?: number;
  readonly nodeHeight?: number;
  readonly gapX?: number;
  readonly gapY?: number;
  /** Barycenter sweeps (each one down and one up). */
  readonly sweeps?: number;
}

/** Where each node goes (top-left corners), and the size of the whole. */
export interface Layout {
  readonly x: number[];
  readonly y: number[];
  readonly layer: number[];
  readonly width: number;
  readonly height: number;
  readonly nodeWidth: number;
  readonly nodeHeight: number;
}

/** Lays out `n` nodes with edges `[from, to]` (edges that would close a cycle are ignored). */
export function layeredLayout(n: number, edges: readonly (readonly [number, number])[], opts: LayoutOptions = {}): Layout {
  const nodeWidth = opts.nodeWidth ?? 150;
  const nodeHeight = opts.nodeHeight ?? 34;
  const gapX = opts.gapX ?? 24;
  const gapY = opts.gapY ?? 30;
  const sweeps = opts.sweeps ?? 4;
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  const indeg = new Array<number>(n).fill(0);
  for (const [a, b] of edges) {
    if (a < 0 || b < 0 || a >= n || b >= n || a === b) continue;
    preds[b]!.push(a);
    succs[a]!.push(b);
    indeg[b]!++;
  }
  // Kahn's order; nodes on cycles (never in SSA, but be safe) are appended in index order.
  const order: number[] = [];
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  const done = new Array<boolean>(n).fill(false);
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h]!;
    order.push(v);
    done[v] = true;
    for (const s of succs[v]!) if (--indeg[s]! === 0) queue.push(s);
  }
  for (let i = 0; i < n; i++) if (!done[i]) order.push(i);
  const pos = new Array<number>(n).fill(-1);
  order.forEach((v, i) => (pos[v] = i));
  // Longest path from the sources, counting only edges that go forward in the order.
  const layer = new Array<number>(n).fill(0);
  for (const v of order) for (const p of preds[v]!) if (pos[p]! < pos[v]!) layer[v] = Math.max(layer[v]!, layer[p]! + 1);
  let layers = 0;
  for (const l of layer) layers = Math.max(layers, l + 1);
  const rows: number[][] = Array.from({ length: layers }, () => []);
  for (const v of order) rows[layer[v]!]!.push(v);
  const slot = new Array<number>(n).fill(0);
  const renumber = (row: number[]): void => row.forEach((v, i) => (slot[v] = i));
  rows.forEach(renumber);
  const sweep = (row: number[], nbrs: number[][]): void => {
    const key = new Map<number, number>();
    for (const v of row) {
      const ns = nbrs[v]!;
      key.set(v, ns.length ? ns.reduce((s, u) => s + slot[u]!, 0) / ns.length : slot[v]!);
    }
    row.sort((a, b) => key.get(a)! - key.get(b)! || slot[a]! - slot[b]!);
    renumber(row);
  };
  for (let s = 0; s < sweeps; s++) {
    for (let l = 1; l < layers; l++) sweep(rows[l]!, preds);
    for (let l = layers - 2; l >= 0; l--) sweep(rows[l]!, succs);
  }
  let widest = 0;
  for (const r of rows) widest = Math.max(widest, r.length);
  const width = Math.max(1, widest) * (nodeWidth + gapX) + gapX;
  const x = new Array<number>(n).fill(0);
  const y = new Array<number>(n).fill(0);
  rows.forEach((row, l) => {
    const rowWidth = row.length * (nodeWidth + gapX) - gapX;
    const left = (width - rowWidth) / 2;
    row.forEach((v, i) => {
      x[v] = left + i * (nodeWidth + gapX);
      y[v] = gapY / 2 + l * (nodeHeight + gapY);
    });
  });
  const height = layers * (nodeHeight + gapY) + gapY / 2;
  return { x, y, layer, width, height, nodeWidth, nodeHeight };
}
