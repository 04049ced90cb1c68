// The layered DAG layout and the capped graph drawing.
import { describe, expect, it } from 'vitest';
import { drawGraph } from '../../src/compare/compare.js';
import { buildGraph } from '../../src/compare/graph.js';
import { layeredLayout } from '../../src/compare/layout.js';
import { entryFunc } from '../../src/driver/run-main.js';
import { parseSource } from '../../src/syntax/parser.js';
import { registerAll } from '../../tools/register.js';

registerAll();

describe('compare graph layout', () => {
  it('lays out a 50,000-node chain without recursion', () => {
    const n = 50_000;
    const edges = Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const);
    const l = layeredLayout(n, edges);
    expect(l.layer[n - 1]).toBe(n - 1);
    let increasing = true;
    for (let i = 1; i < n; i++) if (!(l.y[i]! > l.y[i - 1]!)) increasing = false;
    expect(increasing).toBe(true);
    expect(l.height).toBeGreaterThan(l.y[n - 1]! + l.nodeHeight);
  });

  it('puts nodes on longest-path layers without overlaps', () => {
    // 0 -> 1 -> 3, 0 -> 2 -> 3, 0 -> 3, 4 isolated
    const l = layeredLayout(5, [
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
      [0, 3],
    ]);
    expect(l.layer).toEqual([0, 1, 1, 2, 0]);
    expect(Math.abs(l.x[1]! - l.x[2]!)).toBeGreaterThanOrEqual(l.nodeWidth);
    expect(Math.abs(l.x[0]! - l.x[4]!)).toBeGreaterThanOrEqual(l.nodeWidth);
    for (const x of l.x) expect(x + l.nodeWidth).toBeLessThanOrEqual(l.width);
  });

  it('uncrosses edges with barycenter sweeps', () => {
    // Sources 0, 1; their children were numbered the other way round.
    const l = layeredLayout(4, [
      [0, 3],
      [1, 2],
    ]);
    expect(Math.sign(l.x[3]! - l.x[2]!)).toBe(Math.sign(l.x[0]! - l.x[1]!));
  });

  it('survives cycles and bad edges', () => {
    const l = layeredLayout(3, [
      [0, 1],
      [1, 2],
      [2, 0],
      [5, 1],
      [1, 1],
    ]);
    expect(l.x).toHaveLength(3);
  });

  it('caps the drawing of big graphs', () => {
    const ops = Array.from({ length: 1000 }, (_, i) => `  %${i + 1} = "tfl.relu"(%${i === 0 ? 'arg0' : i}) : (tensor<2xf32>) -> tensor<2xf32>`).join('\n');
    const src = `func.func @main(%arg0: tensor<2xf32>) -> tensor<2xf32> {\n${ops}\n  return %1000 : tensor<2xf32>\n}`;
    const g = buildGraph(entryFunc(parseSource(src, 'chain.mlir'), 'main'));
    const d = drawGraph(g, 100);
    expect(d.total).toBe(1001);
    expect(d.shown).toBe(100);
    expect(d.nodes).toHaveLength(100);
    expect(d.edges).toHaveLength(99);
    expect(d.nodes[0]!.op).toBe('input');
    expect(drawGraph(g, 5000).shown).toBe(1001);
  });
});
