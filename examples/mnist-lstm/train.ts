/**
 * Trains the MNIST LSTM classifier in Node with tfjs-core (CPU backend), writes it as a qopt IR
 * module exported to `.tflite`, and checks the export: qopt's interpreter against tfjs's forward
 * pass, and real TFLite against qopt's interpreter.
 *
 *   node dist/examples/mnist-lstm/train.js [--force]
 *
 * Deterministic: seeded initialization and shuffling, single-threaded CPU kernels, so the same
 * config gives the same weights. The output (examples/mnist-lstm/out/mnist_lstm_float.tflite plus a
 * .json with the config hash and the measurements) is reused when its hash matches the config's.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { exportTflite } from '../../src/flatbuffer/export.js';
import { importTflite } from '../../src/flatbuffer/import.js';
import { Interpreter } from '../../src/interp/interpreter.js';
import { registeredKernels } from '../../src/interp/kernel-registry.js';
import { verify } from '../../src/ir/verify.js';
import { registerAll } from '../../tools/register.js';
import { CLASSES, type DigitSet, PIXELS, SIDE, head, image, splitDigits } from './data.js';
import { buildFloatModule, weightsFromModule } from './model.js';
import { type LstmWeights, crossEntropy, disposeVariables, fromVariables, loadTf, logits, predict, timeSteps, toVariables, variableList } from './tfjs.js';

/** Everything that determines the trained weights. */
export interface TrainConfig {
  /** LSTM units. */
  readonly units: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Adam learning rate. */
  readonly learningRate: number;
  /** Seed of the initialization and the shuffling. */
  readonly seed: number;
  /** Held-out digits per class (never trained on). */
  readonly evalPerClass: number;
  /** Training digits per class (0 = all that are not held out). */
  readonly trainPerClass: number;
}

/** The demo's configuration: about a minute of training on two cores. */
export const DEFAULT_CONFIG: TrainConfig = Object.freeze({
  units: 32,
  epochs: 2,
  batchSize: 64,
  learningRate: 0.01,
  seed: 1,
  evalPerClass: 200,
  trainPerClass: 0,
});

/** Bump when the training code changes what a config produces. */
const TRAINER_VERSION = 2;

/** What a training run measured (stored next to the model). */
export interface TrainInfo {
  readonly hash: string;
  readonly config: TrainConfig;
  readonly trainSamples: number;
  readonly evalSamples: number;
  readonly steps: number;
  /** Wall-clock training time. */
  readonly seconds: number;
  /** CPU time of the training (user + system; the wall time is longer on a busy machine). */
  readonly cpuSeconds: number;
  /** Mean loss of the last epoch. */
  readonly finalLoss: number;
  /** tfjs accuracy over the held-out digits. */
  readonly evalAccuracy: number;
}

/** A built (or cached) float model. */
export interface FloatModel {
  readonly bytes: Uint8Array;
  readonly weights: LstmWeights;
  readonly info: TrainInfo;
  readonly cached: boolean;
  readonly tflitePath: string;
}

/** The repository root (the folder with qopt's package.json), from this file's location. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'qopt') return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** examples/mnist-lstm/out in the repository. */
export function defaultOutDir(): string {
  return join(repoRoot(), 'examples', 'mnist-lstm', 'out');
}

/** A small seeded generator (mulberry32): uniform in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The config's hash (with the data and library versions that also decide the result). */
export function configHash(config: TrainConfig, mnistVersion: string, tfVersion: string): string {
  const keys = Object.keys(config).sort() as (keyof TrainConfig)[];
  const canonical = JSON.stringify({ trainer: TRAINER_VERSION, mnist: mnistVersion, tfjs: tfVersion, config: keys.map((k) => [k, config[k]]) });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** Glorot-uniform initial weights (forget-gate bias 1), from the seed. */
export function initialWeights(units: number, inputSize: number, classes: number, seed: number): LstmWeights {
  const r = rng(seed);
  const uniform = (n: number, limit: number) => Float32Array.from({ length: n }, () => (2 * r() - 1) * limit);
  const b = new Float32Array(4 * units);
  b.fill(1, units, 2 * units);
  return {
    units,
    inputSize,
    classes,
    wx: uniform(4 * units * inputSize, Math.sqrt(6 / (inputSize + 4 * units))),
    wh: uniform(4 * units * units, Math.sqrt(6 / (units + 4 * units))),
    b,
    wd: uniform(classes * units, Math.sqrt(6 / (units + classes))),
    bd: new Float32Array(classes),
  };
}

/** Accuracy of probabilities [n, classes] against labels. */
export function accuracy(probs: Float32Array, labels: Uint8Array, classes = CLASSES): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (argmax(probs, i * classes, classes) === labels[i]) ok++;
  return labels.length ? ok / labels.length : 0;
}

/** Index of the largest of `n` values from `off`. */
export function argmax(a: ArrayLike<number>, off: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if ((a[off + j] as number) > (a[off + best] as number)) best = j;
  return best;
}

/** Trains on `train` with tfjs; returns the weights and the training measurements. */
export async function trainWeights(
  config: TrainConfig,
  train: DigitSet,
  log: (line: string) => void = () => {},
): Promise<{ weights: LstmWeights; steps: number; seconds: number; cpuSeconds: number; finalLoss: number }> {
  const tf = await loadTf();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const vars = toVariables(initialWeights(config.units, SIDE, CLASSES, config.seed));
  const varList = variableList(vars);
  const optimizer = tf.train.adam(config.learningRate);
  const r = rng(config.seed + 1);
  const order = Array.from({ length: train.count }, (_, i) => i);
  const bs = config.batchSize;
  const batches = Math.floor(train.count / bs);
  if (batches === 0) throw new Error(`${train.count} training digits are fewer than one batch of ${bs}`);
  const xb = new Float32Array(bs * PIXELS);
  const yb = new Float32Array(bs * CLASSES);
  let steps = 0;
  let finalLoss = NaN;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    for (let bi = 0; bi < batches; bi++) {
      yb.fill(0);
      for (let k = 0; k < bs; k++) {
        const s = order[bi * bs + k]!;
        xb.set(image(train, s), k * PIXELS);
        yb[k * CLASSES + train.labels[s]!] = 1;
      }
      const cost = optimizer.minimize(() => crossEntropy(logits(vars, timeSteps(xb, bs, SIDE, SIDE)), tf.tensor2d(yb, [bs, CLASSES])), true, varList);
      lossSum += (cost!.dataSync() as Float32Array)[0]!;
      cost!.dispose();
      steps++;
    }
    finalLoss = lossSum / batches;
    log(`  epoch ${epoch + 1}/${config.epochs}: mean loss ${finalLoss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const weights = fromVariables(vars);
  disposeVariables(vars);
  optimizer.dispose();
  const cpu = process.cpuUsage(cpu0);
  return { weights, steps, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, finalLoss };
}

/** The float model's .tflite bytes (built with qopt's IR builder, verified, exported). */
export function exportFloatModel(weights: LstmWeights): Uint8Array {
  registerAll();
  const module = buildFloatModule(weights, SIDE);
  const errs = verify(module);
  if (errs.length) throw new Error(`the built module does not verify:\n${errs.map((e) => e.message).join('\n')}`);
  return exportTflite(module);
}

/** Options of {@link buildOrLoadFloatModel}. */
export interface BuildOptions {
  readonly config?: TrainConfig;
  readonly outDir?: string;
  /** Train even when a model with the same config hash exists. */
  readonly force?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * The float model for a config: read from `outDir` when its stored hash matches, else trained,
 * evaluated with tfjs on the held-out digits, exported and written (`mnist_lstm_float.tflite` and
 * `mnist_lstm_float.json`).
 */
export async function buildOrLoadFloatModel(o: BuildOptions = {}): Promise<FloatModel> {
  const config = o.config ?? DEFAULT_CONFIG;
  const outDir = o.outDir ?? defaultOutDir();
  const log = o.log ?? (() => {});
  const tf = await loadTf();
  const split = splitDigits(config);
  const hash = configHash(config, split.version, tf.version_core);
  const tflitePath = join(outDir, 'mnist_lstm_float.tflite');
  const infoPath = join(outDir, 'mnist_lstm_float.json');
  if (!o.force && existsSync(tflitePath) && existsSync(infoPath)) {
    try {
      const info = JSON.parse(readFileSync(infoPath, 'utf8')) as TrainInfo;
      if (info.hash === hash) {
        const bytes = new Uint8Array(readFileSync(tflitePath));
        registerAll();
        const weights = weightsFromModule(importTflite(bytes, tflitePath));
        log(`using the trained model in ${relative(process.cwd(), tflitePath)} (config hash ${hash}; --force to retrain)`);
        return { bytes, weights, info, cached: true, tflitePath };
      }
    } catch {
      // unreadable or stale: train again
    }
  }
  log(
    `training: LSTM ${config.units} units -> dense ${CLASSES} -> softmax on ${split.train.count} MNIST digits, ` +
      `${config.epochs} epochs of batches of ${config.batchSize} (tfjs-core ${tf.version_core}, cpu backend)`,
  );
  const trained = await trainWeights(config, split.train, log);
  const vars = toVariables(trained.weights);
  const probs = predict(vars, split.eval.images, split.eval.count, SIDE, SIDE);
  disposeVariables(vars);
  const info: TrainInfo = {
    hash,
    config,
    trainSamples: split.train.count,
    evalSamples: split.eval.count,
    steps: trained.steps,
    seconds: Math.round(trained.seconds * 10) / 10,
    cpuSeconds: Math.round(trained.cpuSeconds * 10) / 10,
    finalLoss: trained.finalLoss,
    evalAccuracy: accuracy(probs, split.eval.labels),
  };
  log(`trained in ${info.seconds} s (${info.cpuSeconds} s CPU, ${info.steps} steps); tfjs accuracy on ${info.evalSamples} held-out digits: ${(100 * info.evalAccuracy).toFixed(2)}%`);
  const bytes = exportFloatModel(trained.weights);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(tflitePath, bytes);
  writeFileSync(infoPath, `${JSON.stringify(info, null, 2)}\n`);
  log(`wrote ${relative(process.cwd(), tflitePath)} (${bytes.length} bytes)`);
  return { bytes, weights: trained.weights, info, cached: false, tflitePath };
}

/** Outcome of {@link checkFloatModel}. */
export interface CheckResult {
  readonly samples: number;
  /** max |qopt interpreter − tfjs| over all outputs. */
  readonly maxDiffTfjs: number;
  /** max |real TFLite − qopt interpreter|, or undefined when TFLite could not run. */
  readonly maxDiffTflite: number | undefined;
  readonly tfliteError?: string;
}

/**
 * Checks an exported float model on `digits`: it imports and verifies, qopt's interpreter (state
 * reset per image) agrees with tfjs's forward pass of `weights`, and real TFLite agrees with qopt.
 */
export async function checkFloatModel(bytes: Uint8Array, weights: LstmWeights, digits: DigitSet): Promise<CheckResult> {
  registerAll();
  const module = importTflite(bytes, 'mnist_lstm_float.tflite');
  const errs = verify(module);
  if (errs.length) throw new Error(`the exported model does not verify after import:\n${errs.map((e) => e.message).join('\n')}`);
  const interp = new Interpreter(module.regions[0]!.blocks[0]!.first!, { kernels: registeredKernels() });
  const ours = new Float32Array(digits.count * CLASSES);
  for (let i = 0; i < digits.count; i++) {
    interp.reset();
    ours.set(interp.run([image(digits, i)])[0]!.data as Float32Array, i * CLASSES);
  }
  await loadTf();
  const vars = toVariables(weights);
  const ref = predict(vars, digits.images, digits.count, SIDE, SIDE);
  disposeVariables(vars);
  const maxDiff = (a: Float32Array, b: ArrayLike<number>) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
  const maxDiffTfjs = maxDiff(ours, ref);
  try {
    const { loadTfliteOracle } = await import('../../tools/oracle/tfjs-tflite.js');
    const runner = (await loadTfliteOracle()).createRunner(bytes);
    const theirs = new Float32Array(digits.count * CLASSES);
    try {
      for (let i = 0; i < digits.count; i++) {
        runner.reset();
        theirs.set(runner.run([image(digits, i)])[0] as Float32Array, i * CLASSES);
      }
    } finally {
      runner.dispose();
    }
    return { samples: digits.count, maxDiffTfjs, maxDiffTflite: maxDiff(theirs, ours) };
  } catch (e) {
    return { samples: digits.count, maxDiffTfjs, maxDiffTflite: undefined, tfliteError: (e as Error).message };
  }
}

/** The tolerance of the float checks (probabilities). */
export const FLOAT_TOLERANCE = 1e-5;

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const model = await buildOrLoadFloatModel({ force, log: (l) => console.log(l) });
  const split = splitDigits(model.info.config);
  const check = await checkFloatModel(model.bytes, model.weights, head(split.eval, 100));
  console.log(`check on ${check.samples} held-out digits: max |qopt - tfjs| = ${check.maxDiffTfjs.toExponential(2)}`);
  if (check.maxDiffTflite !== undefined) console.log(`                                   max |TFLite - qopt| = ${check.maxDiffTflite.toExponential(2)}`);
  else console.log(`real TFLite not run: ${check.tfliteError}`);
  const bad = check.maxDiffTfjs > FLOAT_TOLERANCE || (check.maxDiffTflite ?? 0) > FLOAT_TOLERANCE;
  if (bad) {
    console.error(`FAILED: a difference exceeds ${FLOAT_TOLERANCE}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
