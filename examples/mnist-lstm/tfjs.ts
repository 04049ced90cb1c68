/**
 * TensorFlow.js (tfjs-core 4.9.0 with the CPU backend) for the MNIST LSTM example: loading it, the
 * gradients training needs, and the model's forward pass.
 *
 * tfjs-core alone has no kernels: the CPU backend is the separate `@tensorflow/tfjs-backend-cpu`
 * package (same version). tfjs-core's own gradient definitions ship only as ES modules with
 * extension-less imports (dist/register_all_gradients.js), which Node cannot load, and none of its
 * bundles include them; so this file registers, through tfjs-core's public `registerGradient`, the
 * gradients of the six kernels on the model's path to its weights (BatchMatMul, Add, Multiply,
 * SplitV, Sigmoid, Tanh), and the loss has a custom gradient. The tape, optimizer and kernels are tfjs's.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Float weights of the classifier, in TFLite's layout (which the tfjs model computes with, on
 * transposed activations): all four gates stacked, gate g (input, forget, cell, output) unit r in
 * row g·units + r.
 */
export interface LstmWeights {
  readonly units: number;
  readonly inputSize: number;
  readonly classes: number;
  /** [4·units, inputSize]. */
  readonly wx: Float32Array;
  /** [4·units, units]. */
  readonly wh: Float32Array;
  /** [4·units]. */
  readonly b: Float32Array;
  /** [classes, units]. */
  readonly wd: Float32Array;
  /** [classes]. */
  readonly bd: Float32Array;
}

/**
 * The weights as tfjs variables. The gate bias is the last column of `wxb` ([4·units, inputSize + 1])
 * and the input steps carry a row of ones, so z = Wxb·[x; 1] needs no broadcast add (slow on tfjs's
 * CPU backend).
 */
export interface TfWeights {
  readonly units: number;
  readonly wxb: tf.Variable;
  readonly wh: tf.Variable;
  readonly wd: tf.Variable;
  readonly bd: tf.Variable;
}

const BACKEND_PACKAGE = '@tensorflow/tfjs-backend-cpu';

let loading: Promise<typeof tf> | undefined;

/** tfjs-core with the CPU backend active and the gradients registered (once). */
export function loadTf(): Promise<typeof tf> {
  loading ??= (async () => {
    // Silences the "looks like you are running TensorFlow.js in Node.js" banner.
    tf.env().set('PROD', true);
    if (!tf.findBackend('cpu')) {
      try {
        // A variable specifier: the build does not need the package, only running does.
        const name: string = BACKEND_PACKAGE;
        await import(name);
      } catch (e) {
        throw new Error(
          `the MNIST LSTM example needs ${BACKEND_PACKAGE}@${tf.version_core} (tfjs-core has no kernels of its own): ` +
            `npm install --no-save ${BACKEND_PACKAGE}@${tf.version_core} (${(e as Error).message.split('\n')[0]})`,
        );
      }
    }
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs: the cpu backend failed to initialize');
    registerGradients();
    return tf;
  })();
  return loading;
}

/** Whether the CPU backend package can be resolved (for tests that skip without it). */
export async function tfBackendAvailable(): Promise<boolean> {
  try {
    await loadTf();
    return true;
  } catch {
    loading = undefined;
    return false;
  }
}

/** Sums `g` down to `shape` (the inverse of broadcasting `shape` up to g's shape). */
function unbroadcast(g: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const extra = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < extra || (shape[i - extra] === 1 && g.shape[i] !== 1)) axes.push(i);
  const s = axes.length ? tf.sum(g, axes) : g;
  return tf.reshape(s, [...shape]);
}

let gradientsRegistered = false;

/** Registers the gradients of the kernels the model uses (d loss / d input, from the kernels' math). */
function registerGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      if (a.rank !== 2 || b.rank !== 2) throw new Error('the example registers the BatchMatMul gradient for rank-2 operands only');
      const ta = attrs.transposeA === true;
      const tb = attrs.transposeB === true;
      // y = op(a)·op(b): d op(a) = g·op(b)ᵀ, d op(b) = op(a)ᵀ·g, transposed back where op transposes.
      return {
        a: () => (ta ? tf.matMul(b, g, tb, true) : tf.matMul(g, b, false, !tb)),
        b: () => (tb ? tf.matMul(g, a, true, ta) : tf.matMul(a, g, !ta, false)),
      };
    },
  });
  tf.registerGradient({
    kernelName: tf.Add,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return { a: () => unbroadcast(dy as tf.Tensor, a.shape), b: () => unbroadcast(dy as tf.Tensor, b.shape) };
    },
  });
  tf.registerGradient({
    kernelName: tf.Multiply,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return {
        a: () => unbroadcast(tf.mul(dy as tf.Tensor, b), a.shape),
        b: () => unbroadcast(tf.mul(dy as tf.Tensor, a), b.shape),
      };
    },
  });
  tf.registerGradient({
    kernelName: tf.Sigmoid,
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved as [tf.Tensor];
      return { x: () => tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(1, y))) };
    },
  });
  tf.registerGradient({
    kernelName: tf.Tanh,
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved as [tf.Tensor];
      return { x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(y))) };
    },
  });
  tf.registerGradient({
    kernelName: tf.SplitV,
    gradFunc: (dy, _saved, attrs) => ({ x: () => tf.concat(dy as tf.Tensor[], attrs.axis as number) }),
  });
}

/** Mean softmax cross-entropy of logits [B, C] against one-hot labels [B, C], with its gradient. */
export function crossEntropy(logits: tf.Tensor2D, onehot: tf.Tensor2D): tf.Scalar {
  const f = tf.customGrad((...args: (tf.Tensor | ((ts: tf.Tensor[]) => void))[]) => {
    const [z, y, save] = args as [tf.Tensor2D, tf.Tensor2D, (ts: tf.Tensor[]) => void];
    save([z, y]);
    const value = tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(z)), 1))) as tf.Scalar;
    return {
      value,
      // d mean(CE) / d z = (softmax(z) - y) / B.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zz, yy] = saved as [tf.Tensor2D, tf.Tensor2D];
        const scale = tf.div(dy, zz.shape[0]);
        return [tf.mul(tf.sub(tf.softmax(zz), yy), scale), tf.zerosLike(yy)];
      },
    };
  });
  return f(logits, onehot) as tf.Scalar;
}

/** The weights as tfjs variables. */
export function toVariables(w: LstmWeights): TfWeights {
  const { units: u, inputSize: n, classes: k } = w;
  const wxb = new Float32Array(4 * u * (n + 1));
  for (let r = 0; r < 4 * u; r++) {
    wxb.set(w.wx.subarray(r * n, (r + 1) * n), r * (n + 1));
    wxb[r * (n + 1) + n] = w.b[r]!;
  }
  return {
    units: u,
    wxb: tf.variable(tf.tensor2d(wxb, [4 * u, n + 1]), true, 'wxb'),
    wh: tf.variable(tf.tensor2d(w.wh, [4 * u, u]), true, 'wh'),
    wd: tf.variable(tf.tensor2d(w.wd, [k, u]), true, 'wd'),
    bd: tf.variable(tf.tensor1d(w.bd), true, 'bd'),
  };
}

/** The variables, for an optimizer. */
export function variableList(v: TfWeights): tf.Variable[] {
  return [v.wxb, v.wh, v.wd, v.bd];
}

/** Frees the variables. */
export function disposeVariables(v: TfWeights): void {
  for (const x of variableList(v)) x.dispose();
}

/** Reads the variables back. */
export function fromVariables(v: TfWeights): LstmWeights {
  const u = v.units;
  const n = v.wxb.shape[1]! - 1;
  const k = v.wd.shape[0]!;
  const wxb = v.wxb.dataSync() as Float32Array;
  const wx = new Float32Array(4 * u * n);
  const b = new Float32Array(4 * u);
  for (let r = 0; r < 4 * u; r++) {
    wx.set(wxb.subarray(r * (n + 1), r * (n + 1) + n), r * n);
    b[r] = wxb[r * (n + 1) + n]!;
  }
  return { units: u, inputSize: n, classes: k, wx, b, wh: v.wh.dataSync() as Float32Array, wd: v.wd.dataSync() as Float32Array, bd: v.bd.dataSync() as Float32Array };
}

/**
 * Transposed input steps with a row of ones: `steps` tensors [features + 1, B], step t = row t of
 * every image as a column. `images` holds B images of steps × features values.
 */
export function timeSteps(images: Float32Array, batch: number, steps: number, features: number): tf.Tensor2D[] {
  const out: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    const a = new Float32Array((features + 1) * batch);
    for (let b = 0; b < batch; b++) {
      const row = (b * steps + t) * features;
      for (let k = 0; k < features; k++) a[k * batch + b] = images[row + k]!;
    }
    a.fill(1, features * batch);
    out.push(tf.tensor2d(a, [features + 1, batch]));
  }
  return out;
}

/**
 * The classifier's logits [B, classes]: an LSTM (gates i, f, g, o; sigmoid gates, tanh cell
 * activation and hidden activation, zero initial state) over the steps, then a dense layer on the
 * last hidden state. The state is kept transposed ([units, B]) so that the gates are row blocks of
 * z = Wxb·[xᵀ; 1] + Wh·hᵀ (contiguous: tfjs's CPU slices them cheaply).
 */
export function logits(v: TfWeights, steps: readonly tf.Tensor2D[]): tf.Tensor2D {
  const u = v.units;
  const batch = steps[0]!.shape[1];
  let h: tf.Tensor2D = tf.zeros([u, batch]);
  let c: tf.Tensor2D = tf.zeros([u, batch]);
  for (const x of steps) {
    const z = tf.add(tf.matMul(v.wxb, x), tf.matMul(v.wh, h)) as tf.Tensor2D;
    const [zi, zf, zg, zo] = tf.split(z, 4, 0) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const i = tf.sigmoid(zi);
    const f = tf.sigmoid(zf);
    const g = tf.tanh(zg);
    const o = tf.sigmoid(zo);
    c = tf.add(tf.mul(f, c), tf.mul(i, g));
    h = tf.mul(o, tf.tanh(c));
  }
  // hᵀ·Wdᵀ = [B, classes].
  return tf.add(tf.matMul(h, v.wd, true, true), v.bd);
}
/** Softmax probabilities [count, classes] of `count` images (tfjs forward pass, in chunks). */
export function predict(v: TfWeights, images: Float32Array, count: number, steps: number, features: number, chunk = 500): Float32Array {
  const k = v.wd.shape[0]!;
  const out = new Float32Array(count * k);
  for (let s = 0; s < count; s += chunk) {
    const n = Math.min(chunk, count - s);
    const p = tf.tidy(() => tf.softmax(logits(v, timeSteps(images.subarray(s * steps * features, (s + n) * steps * features), n, steps, features))));
    out.set(p.dataSync() as Float32Array, s * k);
    p.dispose();
  }
  return out;
}
