/**
 * Sample datasets for calibration and evaluation: a `.npy` whose leading axis is samples, an `.npz`
 * with one array per model input (by name), a folder of `.npy` files (one sample each, sorted by
 * name), or a folder of PNG images (grayscale or RGB, scaled by a stated normalization).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { type DType, type TensorInfo, type TypedArray, allocTyped, numElements } from '../interp/kernel.js';
import { type NpyArray, decodeNpy } from './npy.js';
import { decodeNpz } from './npz.js';

/** How PNG pixels become values: x = p * scale + offset (default p/255). */
export interface PngNormalization {
  readonly scale: number;
  readonly offset: number;
}

/** A dataset: `count` samples, each one typed array per model input. */
export interface Dataset {
  readonly count: number;
  /** The inputs of sample `i`, in model-input order (views, not copies, where possible). */
  sample(i: number): TypedArray[];
  /** Where the data came from (for messages). */
  readonly source: string;
}

/** An error about a dataset file, naming it. */
export class DatasetError extends Error {}

function fail(path: string, msg: string): never {
  throw new DatasetError(`${path}: ${msg}`);
}

function convert(a: NpyArray, dtype: DType, path: string): TypedArray {
  if (a.dtype === dtype) return a.data;
  // Float data for a float model given as f64 is accepted; anything else must match.
  if (dtype === 'f32' && (a.dtype === 'f64' || a.dtype === 'f16')) {
    const out = new Float32Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Number(a.data[i]);
    return out;
  }
  fail(path, `data is ${a.dtype}, the model input is ${dtype}`);
}

/** Splits an array whose leading axis is samples into per-sample views. */
function splitSamples(a: NpyArray, info: TensorInfo, path: string): TypedArray[] {
  const per = numElements(info.shape);
  const data = convert(a, info.dtype, path);
  if (a.shape.length === info.shape.length && data.length === per) return [data];
  if (a.shape.length === info.shape.length + 1 && numElements(a.shape.slice(1)) === per) {
    const n = a.shape[0]!;
    return Array.from({ length: n }, (_, i) => data.subarray(i * per, (i + 1) * per) as TypedArray);
  }
  // Also accept [N, ...] where the model has a leading batch of 1 that the data omits.
  if (info.shape[0] === 1 && a.shape.length === info.shape.length && numElements(a.shape.slice(1)) === per) {
    const n = a.shape[0]!;
    return Array.from({ length: n }, (_, i) => data.subarray(i * per, (i + 1) * per) as TypedArray);
  }
  fail(path, `shape [${a.shape.join(',')}] does not fit model input '${info.name}' [${info.shape.join(',')}] (give samples on a leading axis)`);
}

function fromPerInput(perInput: TypedArray[][], source: string): Dataset {
  const count = perInput[0]?.length ?? 0;
  perInput.forEach((s, i) => {
    if (s.length !== count) throw new DatasetError(`${source}: input ${i} has ${s.length} samples, input 0 has ${count}`);
  });
  return { count, source, sample: (i) => perInput.map((s) => s[i]!) };
}

function readPng(path: string, info: TensorInfo, norm: PngNormalization): TypedArray {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(path));
  } catch (e) {
    fail(path, `not a readable PNG (${(e as Error).message})`);
  }
  const n = numElements(info.shape);
  const channels = n / (png.width * png.height);
  if (!Number.isInteger(channels) || (channels !== 1 && channels !== 3))
    fail(path, `${png.width}x${png.height} image does not fit model input '${info.name}' [${info.shape.join(',')}]`);
  const out = allocTyped(info.dtype, n);
  for (let p = 0; p < png.width * png.height; p++)
    for (let c = 0; c < channels; c++) {
      const v = channels === 1 ? png.data[p * 4]! : png.data[p * 4 + c]!;
      const x = v * norm.scale + norm.offset;
      out[p * channels + c] = info.dtype === 'f32' ? x : Math.round(x);
    }
  return out;
}

/**
 * Loads a dataset for a model with the given inputs. PNG folders need a single image input;
 * `png` gives the normalization (default p/255).
 */
export function loadDataset(path: string, inputs: readonly TensorInfo[], png: PngNormalization = { scale: 1 / 255, offset: 0 }): Dataset {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new DatasetError(`${path}: no such file or folder`);
  }
  if (st.isDirectory()) {
    const files = readdirSync(path).sort();
    const npys = files.filter((f) => f.endsWith('.npy'));
    const pngs = files.filter((f) => f.toLowerCase().endsWith('.png'));
    if (npys.length) {
      if (inputs.length !== 1) fail(path, `a folder of .npy files needs a single-input model (this one has ${inputs.length}); use an .npz`);
      const samples = npys.flatMap((f) => splitSamples(decodeNpy(new Uint8Array(readFileSync(join(path, f))), join(path, f)), inputs[0]!, join(path, f)));
      return fromPerInput([samples], path);
    }
    if (pngs.length) {
      if (inputs.length !== 1) fail(path, `a folder of PNG images needs a single-input model`);
      return fromPerInput([pngs.map((f) => readPng(join(path, f), inputs[0]!, png))], path);
    }
    fail(path, 'folder has no .npy or .png files');
  }
  const bytes = new Uint8Array(readFileSync(path));
  if (path.endsWith('.npz')) {
    const arrays = decodeNpz(bytes, path);
    const per = inputs.map((info, i) => {
      const a = arrays.get(info.name) ?? arrays.get(`arr_${i}`) ?? (inputs.length === 1 && arrays.size === 1 ? [...arrays.values()][0] : undefined);
      if (!a) fail(path, `no array for model input '${info.name}' (arrays: ${[...arrays.keys()].join(', ')})`);
      return splitSamples(a, info, `${path}:${info.name}`);
    });
    return fromPerInput(per, path);
  }
  if (path.endsWith('.npy')) {
    if (inputs.length !== 1) fail(path, `an .npy holds one input; this model has ${inputs.length} (use an .npz)`);
    return fromPerInput([splitSamples(decodeNpy(bytes, path), inputs[0]!, path)], path);
  }
  if (path.toLowerCase().endsWith('.png')) return fromPerInput([[readPng(path, inputs[0]!, png)]], path);
  fail(path, 'unsupported dataset format (use .npy, .npz, a folder of .npy files or of PNG images)');
}
