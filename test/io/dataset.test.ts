// Datasets for calibration/evaluation: .npy with a samples axis, .npz by input name, folders, PNGs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { DatasetError, loadDataset } from '../../src/io/dataset.js';
import type { TensorInfo } from '../../src/interp/kernel.js';
import { encodeNpy } from '../../src/io/npy.js';
import { encodeNpz } from '../../src/io/npz.js';

const dir = mkdtempSync(join(tmpdir(), 'qopt-ds-'));
const x: TensorInfo = { name: 'x', dtype: 'f32', shape: [1, 4] };
const y: TensorInfo = { name: 'y', dtype: 'i8', shape: [2] };

describe('loadDataset', () => {
  it('splits an .npy on its leading axis', () => {
    const p = join(dir, 'a.npy');
    writeFileSync(p, encodeNpy({ dtype: 'f32', shape: [3, 1, 4], data: new Float32Array(12).map((_, i) => i) }));
    const d = loadDataset(p, [x]);
    expect(d.count).toBe(3);
    expect(Array.from(d.sample(2)[0]!)).toEqual([8, 9, 10, 11]);
  });
  it('reads one array per input from an .npz, by name', () => {
    const p = join(dir, 'b.npz');
    writeFileSync(
      p,
      encodeNpz({
        y: { dtype: 'i8', shape: [2, 2], data: new Int8Array([1, 2, 3, 4]) },
        x: { dtype: 'f32', shape: [2, 1, 4], data: new Float32Array(8) },
      }),
    );
    const d = loadDataset(p, [x, y]);
    expect(d.count).toBe(2);
    expect(Array.from(d.sample(1)[1]!)).toEqual([3, 4]);
  });
  it('reads a folder of PNGs with a normalization', () => {
    const f = join(dir, 'pngs');
    mkdirSync(f);
    for (let k = 0; k < 2; k++) {
      const png = new PNG({ width: 2, height: 2 });
      for (let i = 0; i < 4; i++) png.data.set([k * 100 + i, 0, 0, 255], i * 4);
      writeFileSync(join(f, `s${k}.png`), PNG.sync.write(png));
    }
    const d = loadDataset(f, [{ name: 'img', dtype: 'f32', shape: [1, 2, 2] }], { scale: 1 / 255, offset: 0 });
    expect(d.count).toBe(2);
    expect(d.sample(1)[0]![3]).toBeCloseTo(103 / 255, 6);
  });
  it('gives clear errors naming the file', () => {
    const p = join(dir, 'bad.npy');
    writeFileSync(p, encodeNpy({ dtype: 'f32', shape: [5], data: new Float32Array(5) }));
    expect(() => loadDataset(p, [x])).toThrow(DatasetError);
    expect(() => loadDataset(p, [x])).toThrow(/bad\.npy: shape \[5\] does not fit model input 'x' \[1,4\]/);
    expect(() => loadDataset(join(dir, 'missing.npy'), [x])).toThrow(/missing\.npy: no such file/);
  });
});
