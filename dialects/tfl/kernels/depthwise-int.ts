/**
 * Fast exact accumulation for integer `tfl.depthwise_conv_2d`: the input is copied once per invoke
 * into a padded float64 buffer holding x + inputOffset (0 in the padding, which is what the reference
 * kernel's skipped taps contribute), so every tap is in range; sums are exact integers, so any order
 * gives the reference result. With int8 inputs two sums share one multiply (SWAR, see packed-dot.ts):
 * pairs of output channels of one input channel (depth multiplier >= 2) or pairs of output columns.
 */

import type { TypedArray } from '../../../src/interp/kernel.js';
import { packingFor } from '../../../src/interp/packed-dot.js';
import type { ConvGeom } from './conv.js';

type Mode = 'channels' | 'columns' | 'plain';

/** Integer depthwise accumulation into `acc` (NHWC, no bias) for one geometry and depth multiplier. */
export class DepthwiseIntFast {
  private readonly Hp: number;
  private readonly Wp: number;
  private readonly xp: Float64Array;
  private readonly mode: Mode;
  private readonly scale: number;
  /** Filter as used by the loops (packed channel pairs, or the original layout as float64). */
  private wt: Float64Array;
  private wtOf: TypedArray | undefined;
  /** Pairs of output columns packed (columns mode): xq[i] = xp[i] + xp[i + colStep] * scale. */
  private readonly xq: Float64Array | undefined;
  private readonly pairs: number;
  /** No padding and nothing beyond the input: plain mode reads the input itself (see runPlain). */
  private readonly direct: boolean;
  /** inputOffset * (sum of channel c's taps), added when the input is read directly. */
  private corr: Float64Array;

  constructor(
    private readonly g: ConvGeom,
    private readonly mult: number,
    private readonly inputOffset: number,
    i16: boolean,
  ) {
    const { batches, inC, kH, kW, outH, outW, strideH, strideW, dilH, dilW, inH, inW, padH, padW } = g;
    this.Hp = Math.max((outH - 1) * strideH + (kH - 1) * dilH + 1, inH + padH);
    this.Wp = Math.max((outW - 1) * strideW + (kW - 1) * dilW + 1, inW + padW);
    // One extra padded column step so the column pairs of the last output column stay in range.
    const n = batches * this.Hp * this.Wp * inC + strideW * inC;
    this.xp = new Float64Array(n);
    const maxX = i16 ? 32768 + Math.abs(inputOffset) : 128 + Math.abs(inputOffset);
    const taps = kH * kW;
    const packing = i16 ? undefined : packingFor(taps, maxX * 128);
    const fits = packing !== undefined && packing.chunk >= taps;
    // Column pairs cost one packing pass over the padded input; they pay off when each input value
    // is used by several taps (e.g. 3x3 stride 1), not for a 2x2 stride-2 filter.
    const reuse = (taps * outH * outW) / (this.Hp * this.Wp);
    this.mode = !fits ? 'plain' : mult >= 2 ? 'channels' : outW >= 2 && reuse >= 4 ? 'columns' : 'plain';
    this.scale = fits ? packing.scale : 1;
    this.pairs = Math.ceil(mult / 2);
    this.xq = this.mode === 'columns' ? new Float64Array(n) : undefined;
    this.wt = new Float64Array(0);
    this.direct = this.mode === 'plain' && padH === 0 && padW === 0 && this.Hp === inH && this.Wp === inW;
    this.corr = new Float64Array(0);
  }

  /** Declares `w` (the filter's constant data) constant, so its layout is built once. */
  constFilter(w: TypedArray): void {
    this.layout(w);
  }

  /** Accumulates sum w * (x + inputOffset) for every output element into `acc` (overwritten). */
  run(x: TypedArray, w: TypedArray, acc: Float64Array): void {
    if (this.wtOf !== w) this.layout(w);
    if (this.direct) {
      // sum w * (x + off) = sum w * x + off * sum w: every tap is inside the input.
      this.runPlain(x as Int8Array | Int16Array, acc, this.corr);
      return;
    }
    this.fillPadded(x);
    switch (this.mode) {
      case 'channels':
        this.runChannelPairs(acc);
        return;
      case 'columns':
        this.runColumnPairs(acc);
        return;
      case 'plain':
        this.runPlain(this.xp, acc, undefined);
        return;
    }
  }

  private layout(w: TypedArray): void {
    const { kH, kW, inC, outC } = this.g;
    const taps = kH * kW;
    if (this.mode === 'channels') {
      // [ic][tap][pair]: channel ic*mult + 2p (low) and + 2p + 1 (high, 0 past the multiplier).
      const { mult, pairs, scale } = this;
      const wt = new Float64Array(inC * pairs * taps);
      for (let ic = 0; ic < inC; ic++) {
        for (let p = 0; p < pairs; p++) {
          const c = ic * mult + 2 * p;
          for (let t = 0; t < taps; t++) {
            const hi = 2 * p + 1 < mult ? (w[t * outC + c + 1] as number) : 0;
            wt[(ic * taps + t) * pairs + p] = (w[t * outC + c] as number) + hi * scale;
          }
        }
      }
      this.wt = wt;
    } else {
      this.wt = Float64Array.from(w as ArrayLike<number>);
    }
    if (this.direct) {
      const corr = new Float64Array(outC);
      for (let t = 0; t < taps; t++) for (let c = 0; c < outC; c++) corr[c] = (corr[c] as number) + (w[t * outC + c] as number);
      for (let c = 0; c < outC; c++) corr[c] = (corr[c] as number) * this.inputOffset;
      this.corr = corr;
    }
    this.wtOf = w;
  }

  private fillPadded(x: TypedArray): void {
    const { batches, inH, inW, inC, padH, padW, strideW } = this.g;
    const { Hp, Wp, xp, inputOffset: off } = this;
    const rowLen = inW * inC;
    for (let b = 0; b < batches; b++) {
      for (let y = 0; y < inH; y++) {
        const s = (b * inH + y) * rowLen;
        const d = ((b * Hp + y + padH) * Wp + padW) * inC;
        for (let i = 0; i < rowLen; i++) xp[d + i] = (x[s + i] as number) + off;
      }
    }
    const xq = this.xq;
    if (xq) {
      const step = strideW * inC;
      const S = this.scale;
      const n = xp.length - step;
      for (let i = 0; i < n; i++) xq[i] = (xp[i] as number) + (xp[i + step] as number) * S;
    }
  }

  /**
   * Depth multiplier >= 2: one multiply per tap serves two output channels of one input channel; four
   * channel pairs are summed side by side so the adds do not wait on each other.
   */
  private runChannelPairs(acc: Float64Array): void {
    const { batches, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW } = this.g;
    const { Hp, Wp, xp, wt, pairs, mult, scale: S } = this;
    const invS = 1 / S;
    const taps = kH * kW;
    const rowStep = dilH * Wp * inC;
    const colStep = dilW * inC;
    const split = (a: number, c: number, hasHi: boolean): void => {
      const hi = Math.round(a * invS);
      acc[c] = a - hi * S;
      if (hasHi) acc[c + 1] = hi;
    };
    for (let b = 0; b < batches; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const p0 = ((b * Hp + oy * strideH) * Wp + ox * strideW) * inC;
          const o0 = ((b * outH + oy) * outW + ox) * outC;
          for (let ic = 0; ic < inC; ic++) {
            const c0 = o0 + ic * mult;
            let p = 0;
            for (; p + 4 <= pairs; p += 4) {
              let a0 = 0;
              let a1 = 0;
              let a2 = 0;
              let a3 = 0;
              let wi = ic * taps * pairs + p;
              for (let ky = 0; ky < kH; ky++) {
                let xi = p0 + ky * rowStep + ic;
                for (let kx = 0; kx < kW; kx++, xi += colStep, wi += pairs) {
                  const xv = xp[xi] as number;
                  a0 += xv * (wt[wi] as number);
                  a1 += xv * (wt[wi + 1] as number);
                  a2 += xv * (wt[wi + 2] as number);
                  a3 += xv * (wt[wi + 3] as number);
                }
              }
              split(a0, c0 + 2 * p, true);
              split(a1, c0 + 2 * p + 2, true);
              split(a2, c0 + 2 * p + 4, true);
              split(a3, c0 + 2 * p + 6, 2 * p + 7 < mult);
            }
            for (; p < pairs; p++) {
              let a = 0;
              let wi = ic * taps * pairs + p;
              for (let ky = 0; ky < kH; ky++) {
                let xi = p0 + ky * rowStep + ic;
                for (let kx = 0; kx < kW; kx++, xi += colStep, wi += pairs) a += (xp[xi] as number) * (wt[wi] as number);
              }
              split(a, c0 + 2 * p, 2 * p + 1 < mult);
            }
          }
        }
      }
    }
  }

  /** int8, multiplier 1: one multiply per tap serves two horizontally adjacent output pixels. */
  private runColumnPairs(acc: Float64Array): void {
    const { batches, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW, inC } = this.g;
    const { Hp, Wp, wt, scale: S } = this;
    const xq = this.xq as Float64Array;
    const invS = 1 / S;
    const rowStep = dilH * Wp * inC;
    const colStep = dilW * inC;
    for (let b = 0; b < batches; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox += 2) {
          const both = ox + 1 < outW;
          const p0 = ((b * Hp + oy * strideH) * Wp + ox * strideW) * inC;
          const o0 = ((b * outH + oy) * outW + ox) * outC;
          let c = 0;
          for (; c + 4 <= outC; c += 4) {
            let a0 = 0;
            let a1 = 0;
            let a2 = 0;
            let a3 = 0;
            for (let ky = 0; ky < kH; ky++) {
              let xi = p0 + ky * rowStep + c;
              let wi = ky * kW * outC + c;
              for (let kx = 0; kx < kW; kx++, xi += colStep, wi += outC) {
                a0 += (xq[xi] as number) * (wt[wi] as number);
                a1 += (xq[xi + 1] as number) * (wt[wi + 1] as number);
                a2 += (xq[xi + 2] as number) * (wt[wi + 2] as number);
                a3 += (xq[xi + 3] as number) * (wt[wi + 3] as number);
              }
            }
            let h = Math.round(a0 * invS);
            acc[o0 + c] = a0 - h * S;
            if (both) acc[o0 + outC + c] = h;
            h = Math.round(a1 * invS);
            acc[o0 + c + 1] = a1 - h * S;
            if (both) acc[o0 + outC + c + 1] = h;
            h = Math.round(a2 * invS);
            acc[o0 + c + 2] = a2 - h * S;
            if (both) acc[o0 + outC + c + 2] = h;
            h = Math.round(a3 * invS);
            acc[o0 + c + 3] = a3 - h * S;
            if (both) acc[o0 + outC + c + 3] = h;
          }
          for (; c < outC; c++) {
            let a = 0;
            for (let ky = 0; ky < kH; ky++) {
              let xi = p0 + ky * rowStep + c;
              let wi = ky * kW * outC + c;
              for (let kx = 0; kx < kW; kx++, xi += colStep, wi += outC) a += (xq[xi] as number) * (wt[wi] as number);
            }
            const h = Math.round(a * invS);
            acc[o0 + c] = a - h * S;
            if (both) acc[o0 + outC + c] = h;
          }
        }
      }
    }
  }

  /**
   * No packing (int16 inputs, bounds too wide, or little reuse): one sum per output channel, taps
   * innermost, over the padded input `xp` — or over the input itself when nothing is padded, with
   * `corr` adding the offset's share.
   */
  private runPlain(xp: Float64Array | Int8Array | Int16Array, acc: Float64Array, corr: Float64Array | undefined): void {
    const { batches, inC, kH, kW, outH, outW, outC, strideH, strideW, dilH, dilW } = this.g;
    const { Hp, Wp, wt, mult } = this;
    const rowStep = dilH * Wp * inC;
    const colStep = dilW * inC;
    if (mult === 1) {
      // Channels innermost: contiguous runs of input and filter, long loops even for 2x2 filters.
      for (let b = 0; b < batches; b++) {
        for (let oy = 0; oy < outH; oy++) {
          for (let ox = 0; ox < outW; ox++) {
            const p0 = ((b * Hp + oy * strideH) * Wp + ox * strideW) * inC;
            const o0 = ((b * outH + oy) * outW + ox) * outC;
            if (corr) for (let c = 0; c < outC; c++) acc[o0 + c] = corr[c] as number;
            else acc.fill(0, o0, o0 + outC);
            for (let ky = 0; ky < kH; ky++) {
              for (let kx = 0; kx < kW; kx++) {
                const xi = p0 + ky * rowStep + kx * colStep - o0;
                const wi = (ky * kW + kx) * outC - o0;
                for (let o = o0, e = o0 + outC; o < e; o++) acc[o] = (acc[o] as number) + (xp[xi + o] as number) * (wt[wi + o] as number);
              }
            }
          }
        }
      }
      return;
    }
    for (let b = 0; b < batches; b++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          const p0 = ((b * Hp + oy * strideH) * Wp + ox * strideW) * inC;
          const o0 = ((b * outH + oy) * outW + ox) * outC;
          for (let c = 0; c < outC; c++) {
            const ic = mult === 1 ? c : Math.floor(c / mult);
            let a = 0;
            for (let ky = 0; ky < kH; ky++) {
              let xi = p0 + ky * rowStep + ic;
              let wi = ky * kW * outC + c;
              for (let kx = 0; kx < kW; kx++, xi += colStep, wi += outC) a += (xp[xi] as number) * (wt[wi] as number);
            }
            acc[o0 + c] = corr ? a + (corr[c] as number) : a;
          }
        }
      }
    }
  }
}
