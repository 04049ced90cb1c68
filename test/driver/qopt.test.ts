// The qopt driver end to end (in process): input formats, pipelines, errors, atomic output.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/driver/io.js';
import { runQopt } from '../../src/driver/qopt-main.js';
import { registerAll } from '../../tools/register.js';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';
import { HAVE_CORPUS, NO_CORPUS, CORPUS_DIR } from '../support/corpus.js';

registerAll();
const dir = mkdtempSync(join(tmpdir(), 'qopt-driver-'));

const MODEL = `func.func @main(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = "tfl.relu"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %1 = "tfl.relu"(%arg0) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %2 = "tfl.add"(%0, %1) {fused_activation_function = "NONE"} : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %2 : tensor<1x4xf32>
}
`;

async function qopt(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO(stdin, dir);
  const code = await runQopt(args, io);
  return { code, out: io.out, err: io.err };
}

describe('qopt driver', () => {
  it('prints, runs passes and reads stdin', async () => {
    const r = await qopt(['--passes=cse'], MODEL);
    expect(r.code).toBe(0);
    expect(r.out.match(/tfl\.relu/g)?.length).toBe(1);
    expect(r.out).toContain('module {');
  });
  it('lists passes in --help', async () => {
    const r = await qopt(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/canonicalize\s+\S/);
    expect(r.out).toContain('max-iterations');
  });
  it('rejects unknown passes and options with the valid ones listed', async () => {
    const r = await qopt(['--passes=cse,canonicalise'], MODEL);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown pass 'canonicalise'.*canonicalize/);
    const r2 = await qopt(['--passes=canonicalize{bogus=1}'], MODEL);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/bogus/);
  });
  it('reports parse errors with the source line and a caret, exit 1', async () => {
    const r = await qopt([], 'func.func @f() {\n  "tfl.relu"(%x) : (tensor<1xf32>) -> tensor<1xf32>\n  return\n}\n');
    expect(r.code).toBe(1);
    expect(r.err).toContain("<stdin>:2:14: error: use of undeclared SSA value name '%x'");
    expect(r.err).toContain('             ^');
  });
  it('never leaves a partial output file on failure', async () => {
    const out = join(dir, 'never.tflite');
    const r = await qopt(['-', '-o', out], 'func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {\n  %0 = "foo.bar"(%a) : (tensor<2xf32>) -> tensor<2xf32>\n  return %0 : tensor<2xf32>\n}\n');
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
  it('round-trips MLIR -> tflite -> MLIR and runs the model', async () => {
    const src = join(dir, 'm.mlir');
    writeFileSync(src, MODEL);
    const tfl = join(dir, 'm.tflite');
    expect((await qopt([src, '--passes=cse', '-o', tfl])).code).toBe(0);
    const printed = await qopt([tfl]);
    expect(printed.code).toBe(0);
    expect(printed.out).toContain('"tfl.add"');
    const x = join(dir, 'x.npy');
    writeFileSync(x, encodeNpy({ dtype: 'f32', shape: [1, 4], data: new Float32Array([-1, 2, -3, 4]) }));
    const y = join(dir, 'y.npy');
    const run = await qopt(['run', tfl, '--input', x, '--output', y]);
    expect(run.code).toBe(0);
    expect(Array.from(decodeNpy(new Uint8Array(readFileSync(y))).data as Float32Array)).toEqual([0, 4, 0, 8]);
  });
  it('runs a dataset (extra leading axis) one sample per invoke', async () => {
    const src = join(dir, 'd.mlir');
    writeFileSync(src, MODEL);
    const x = join(dir, 'xs.npy');
    writeFileSync(x, encodeNpy({ dtype: 'f32', shape: [3, 1, 4], data: new Float32Array([1, 1, 1, 1, 2, 2, 2, 2, -1, -1, -1, -1]) }));
    const y = join(dir, 'ys.npy');
    expect((await qopt(['run', src, '--input', x, '--output', y])).code).toBe(0);
    const out = decodeNpy(new Uint8Array(readFileSync(y)));
    expect(out.shape).toEqual([3, 1, 4]);
    expect(Array.from(out.data as Float32Array)).toEqual([2, 2, 2, 2, 4, 4, 4, 4, 0, 0, 0, 0]);
  });
  it('gives a clear error for inputs of the wrong shape or type', async () => {
    const src = join(dir, 'e.mlir');
    writeFileSync(src, MODEL);
    const x = join(dir, 'bad.npy');
    writeFileSync(x, encodeNpy({ dtype: 'f32', shape: [5], data: new Float32Array(5) }));
    const r = await qopt(['run', src, '--input', x]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.npy: error: model input 0 .* needs 4 elements/);
    const xi = join(dir, 'bad-int.npy');
    writeFileSync(xi, encodeNpy({ dtype: 'i32', shape: [1, 4], data: new Int32Array(4) }));
    const r2 = await qopt(['run', src, '--input', xi]);
    expect(r2.err).toMatch(/is f32\[1,4\], the data is i32\[1,4\]/);
  });
  it('--split-input-file and --verify-diagnostics check expected errors', async () => {
    const text = `func.func @ok(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
// -----
func.func @bad(%a: tensor<2xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{type of return operand 0}}
  return %a : tensor<2xf32>
}
`;
    const r = await qopt(['--split-input-file', '--verify-diagnostics'], text);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const wrong = text.replace('type of return operand 0', 'something else');
    const r2 = await qopt(['--split-input-file', '--verify-diagnostics'], wrong);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/expected error "something else" was not produced/);
    expect(r2.err).toMatch(/<stdin>:7:3: error: unexpected error: 'func.return' op type of return operand 0/);
  });
  it('--print-ir-after-all and --timing report on stderr', async () => {
    const r = await qopt(['--passes=cse,dce', '--print-ir-after-all', '--timing'], MODEL);
    expect(r.code).toBe(0);
    expect(r.err).toContain("IR after 'cse'");
    expect(r.err).toMatch(/cse/);
  });
});

describe.skipIf(!HAVE_CORPUS)('qopt on corpus models', () => {
  it('imports a .tflite and writes it back', async () => {
    const out = join(dir, 'hw.tflite');
    const r = await qopt([join(CORPUS_DIR, 'hello_world/hello_world_int8.tflite'), '-o', out]);
    expect(r.code).toBe(0);
    const printed = await qopt([out, '--mlir-print-debuginfo']);
    expect(printed.out).toContain('loc("sequential/dense/MatMul")');
  });
});
if (!HAVE_CORPUS) it.skip(NO_CORPUS, () => {});
