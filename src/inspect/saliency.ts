import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../data/mnist';
import { seededRandom, type Random } from '../data/random';
import { chainLayers, readActivations, runChain, type Activations } from './activations';
import { featureTaps, joinFeatures, networkFeatures } from './digit-check';
import { embeddingLayerIndex } from './embedding';

/**
 * How the saliency is measured. Integrated gradients (the default) average the gradient along the way from a black
 * picture to the input and multiply it by the ink: each pixel's share of the score, the shares adding up to the
 * score's change from black, so the map sits on the strokes that drove the answer. SmoothGrad averages the gradient
 * over copies with a little noise, the plain gradient is the lab's old map (both say where a change of ink would
 * matter most, on the background too); occlusion hides one small square at a time and measures how much the score
 * drops.
 */
export type SaliencyMethod = 'integrated' | 'smoothgrad' | 'gradient' | 'occlusion';

export const SALIENCY_METHODS: Readonly<Record<SaliencyMethod, string>> = {
  integrated: 'Integrated gradients (which ink drove it)',
  smoothgrad: 'SmoothGrad (gradient averaged over noisy copies)',
  gradient: 'Plain gradient',
  occlusion: 'Occlusion (hide a square, watch the score)',
};

export interface Saliency {
  method: SaliencyMethod;
  /** The class explained (the top prediction). */
  digit: number;
  confidence: number;
  /**
   * How much each of the 784 pixels matters to the top class's score, scaled so the largest size is 1. Integrated
   * gradients are signed (negative: ink that speaks against the class); the other methods give sizes only.
   */
  map: Float32Array;
  /** The largest size before scaling (0: the prediction depends on no pixel). */
  maxGradient: number;
  /** Integrated gradients: the map's unscaled sum (the top score's change from a black picture, up to the steps' error). */
  total: number;
}

/** "Why 9 and not 7": what separates the top class from the runner-up. */
export interface Contrast {
  digit: number;
  rival: number;
  /** Signed, scaled to [-1, 1]: positive where ink speaks for `digit`, negative where it speaks for `rival`. */
  map: Float32Array;
}

/** One input followed through the network once: every layer's output, the saliency, and what the checks need. */
export interface Inspection {
  activations: Activations;
  saliency: Saliency;
  contrast: Contrast;
  /** The last hidden layer's values (the microscope's neighbours are found there). */
  embedding: Float32Array;
  /** The "not a digit" check's numbers for this input (src/inspect/digit-check.ts). */
  features: Float32Array;
}

export interface InspectOptions {
  method?: SaliencyMethod;
  /** SmoothGrad: how many noisy copies; integrated gradients: how many steps from black to the input. */
  samples?: number;
  /** SmoothGrad: the noise's standard deviation, as a share of the pixel range (0–1). */
  noise?: number;
  /** Occlusion: the hidden square's side and its step, in pixels. */
  patch?: number;
  stride?: number;
  /** Where the noise comes from (seeded by default, so the same input gives the same map). */
  random?: Random;
  signal?: AbortSignal;
}

export const SMOOTHGRAD_SAMPLES = 16;
export const INTEGRATED_STEPS = 16;
export const SMOOTHGRAD_NOISE = 0.15;

/** A normal deviate from two uniform ones (Box–Muller). */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** The batch the pass runs on: the input itself first, then the copies the method needs. */
function buildBatch(pixels: ArrayLike<number>, method: SaliencyMethod, options: InspectOptions): { batch: Float32Array; rows: number; group: number } {
  if (pixels.length !== IMAGE_PIXELS) throw new RangeError(`an input must have ${IMAGE_PIXELS} pixels, not ${pixels.length}`);
  const clean = Float32Array.from(pixels);
  if (method === 'occlusion') {
    const patch = options.patch ?? 5;
    const stride = options.stride ?? 2;
    const positions = Math.floor((IMAGE_SIZE - patch) / stride) + 1;
    const rows = 1 + positions * positions;
    const batch = new Float32Array(rows * IMAGE_PIXELS);
    for (let r = 0; r < rows; r++) batch.set(clean, r * IMAGE_PIXELS);
    for (let py = 0; py < positions; py++) {
      for (let px = 0; px < positions; px++) {
        const base = (1 + py * positions + px) * IMAGE_PIXELS;
        for (let y = py * stride; y < py * stride + patch; y++) batch.fill(0, base + y * IMAGE_SIZE + px * stride, base + y * IMAGE_SIZE + px * stride + patch);
      }
    }
    return { batch, rows, group: positions };
  }
  // Gradient methods: [input, top-class copies…, contrast copies…]: noisy copies (SmoothGrad), the input scaled from
  // black (integrated gradients, midpoints of n equal steps), or the input once (plain gradient).
  const n = method === 'smoothgrad' ? (options.samples ?? SMOOTHGRAD_SAMPLES) : method === 'integrated' ? (options.samples ?? INTEGRATED_STEPS) : 1;
  const sigma = method === 'smoothgrad' ? (options.noise ?? SMOOTHGRAD_NOISE) : 0;
  const random = options.random ?? seededRandom(1);
  const rows = 1 + 2 * n;
  const batch = new Float32Array(rows * IMAGE_PIXELS);
  batch.set(clean, 0);
  for (let i = 0; i < n; i++) {
    const at = (1 + i) * IMAGE_PIXELS;
    const alpha = method === 'integrated' ? (i + 0.5) / n : 1;
    for (let p = 0; p < IMAGE_PIXELS; p++) batch[at + p] = alpha * clean[p] + (sigma ? sigma * gaussian(random) : 0);
    // The contrast copies see the same noise: their average is then the gradient of the difference.
    batch.copyWithin((1 + n + i) * IMAGE_PIXELS, at, at + IMAGE_PIXELS);
  }
  return { batch, rows, group: n };
}

interface PassResult {
  /** Row 0's output of every layer. */
  outputs: tf.Tensor[];
  /** Row 0's network features for the digit check. */
  features: tf.Tensor;
  /** The top two classes of row 0. */
  order: tf.Tensor;
  /** Gradient methods: the gradient of each row's objective; occlusion: every row's logits. */
  signal: tf.Tensor;
}

/** One forward pass over the batch (and for the gradient methods its backward pass). */
function runPass(layers: tf.layers.Layer[], batch: Float32Array, rows: number, group: number, method: SaliencyMethod): PassResult {
  const taps = featureTaps(layers);
  let kept: Omit<PassResult, 'signal'> | null = null;
  const keepRowZero = (outputs: tf.Tensor[], logits: tf.Tensor2D) => {
    const rowZero = outputs.map((t) => tf.keep(t.slice(0, 1)));
    // Top two by argMax (topk has no gradient, and this runs on the gradient's tape): the runner-up is the argMax
    // once the top class is pushed far down.
    const classes = logits.shape[1];
    const first = logits.slice(0, 1);
    const top = tf.argMax(first, 1) as tf.Tensor1D;
    const rival = tf.argMax(tf.sub(first, tf.mul(tf.oneHot(top, classes), 1e9)), 1) as tf.Tensor1D;
    const order = tf.keep(tf.concat([top, rival]));
    kept = { outputs: rowZero, features: tf.keep(networkFeatures(rowZero, taps)), order };
  };
  const signal = tf.tidy(() => {
    const x = tf.tensor4d(batch, [rows, IMAGE_SIZE, IMAGE_SIZE, 1]);
    if (method === 'occlusion') {
      const pass = runChain(layers, x, true);
      const logits = pass.logits as tf.Tensor2D;
      keepRowZero(pass.outputs, logits);
      return logits;
    }
    const grad = tf.grad((input: tf.Tensor) => {
      const pass = runChain(layers, input, true);
      const logits = pass.logits as tf.Tensor2D;
      keepRowZero(pass.outputs, logits);
      // Which class each row differentiates: none for row 0, the top class, then top minus runner-up.
      const [top, rival] = tf.split(tf.oneHot(kept!.order.reshape([2]), logits.shape[1]), 2);
      const weights = tf.concat([tf.zerosLike(top), tf.tile(top, [group, 1]), tf.tile(tf.sub(top, rival), [group, 1])]);
      return tf.sum(tf.mul(logits, weights));
    });
    return grad(x);
  });
  return { ...kept!, signal };
}

/** Scales a map so its largest absolute value is 1 (an all-zero map stays zero). */
function scaled(values: Float32Array): { map: Float32Array; max: number } {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  if (!Number.isFinite(max)) throw new Error('the saliency is not a number for this input; the model may be broken');
  if (max > 0) for (let i = 0; i < values.length; i++) values[i] /= max;
  return { map: values, max };
}

/**
 * The maps from the gradients: the mean over the top copies (its size, or times the ink for integrated gradients)
 * and the mean over the contrast copies (signed; times the ink for integrated gradients).
 */
function gradientMaps(grad: Float32Array, group: number, times: ArrayLike<number> | null): { saliency: Float32Array; contrast: Float32Array } {
  const saliency = new Float32Array(IMAGE_PIXELS);
  const contrast = new Float32Array(IMAGE_PIXELS);
  for (let i = 0; i < group; i++) {
    const top = (1 + i) * IMAGE_PIXELS;
    const rival = (1 + group + i) * IMAGE_PIXELS;
    for (let p = 0; p < IMAGE_PIXELS; p++) {
      saliency[p] += grad[top + p] / group;
      contrast[p] += grad[rival + p] / group;
    }
  }
  for (let p = 0; p < IMAGE_PIXELS; p++) {
    if (times) {
      saliency[p] *= times[p];
      contrast[p] *= times[p];
    } else {
      saliency[p] = Math.abs(saliency[p]);
    }
  }
  return { saliency, contrast };
}

/** The maps from occlusion: how much hiding each square lowers the top score, and the top-minus-rival margin. */
function occlusionMaps(logits: Float32Array, classes: number, positions: number, options: InspectOptions, top: number, rival: number): { saliency: Float32Array; contrast: Float32Array } {
  const patch = options.patch ?? 5;
  const stride = options.stride ?? 2;
  const saliency = new Float32Array(IMAGE_PIXELS);
  const contrast = new Float32Array(IMAGE_PIXELS);
  const covered = new Float32Array(IMAGE_PIXELS);
  const baseTop = logits[top];
  const baseMargin = logits[top] - logits[rival];
  for (let py = 0; py < positions; py++) {
    for (let px = 0; px < positions; px++) {
      const row = (1 + py * positions + px) * classes;
      const drop = Math.max(0, baseTop - logits[row + top]);
      const marginDrop = baseMargin - (logits[row + top] - logits[row + rival]);
      for (let y = py * stride; y < py * stride + patch; y++) {
        for (let x = px * stride; x < px * stride + patch; x++) {
          saliency[y * IMAGE_SIZE + x] += drop;
          contrast[y * IMAGE_SIZE + x] += marginDrop;
          covered[y * IMAGE_SIZE + x]++;
        }
      }
    }
  }
  for (let p = 0; p < IMAGE_PIXELS; p++) {
    if (!covered[p]) continue;
    saliency[p] /= covered[p];
    contrast[p] /= covered[p];
  }
  return { saliency, contrast };
}

/**
 * Follows one image through the network ONCE — a single batched forward pass (and backward pass) gives every layer's
 * output, the saliency of the top class, the contrast with the runner-up, the embedding and the digit-check numbers.
 * `signal` drops a superseded request: it rejects with the signal's reason, and nothing leaks.
 */
export async function inspectInput(model: tf.LayersModel, pixels: ArrayLike<number>, options: InspectOptions = {}): Promise<Inspection> {
  options.signal?.throwIfAborted();
  const method = options.method ?? 'integrated';
  const layers = chainLayers(model);
  const { batch, rows, group } = buildBatch(pixels, method, options);
  const pass = runPass(layers, batch, rows, group, method);
  try {
    const activations = await readActivations(layers, pass.outputs);
    const [order, signal, features, embedding] = await Promise.all([pass.order.data(), pass.signal.data(), pass.features.data(), pass.outputs[embeddingLayerIndex(layers)].data()]);
    const [top, rival] = Array.from(order);
    const maps =
      method === 'occlusion'
        ? occlusionMaps(signal as Float32Array, signal.length / rows, group, options, top, rival)
        : gradientMaps(signal as Float32Array, group, method === 'integrated' ? pixels : null);
    let total = 0;
    for (const v of maps.saliency) total += v;
    const saliency = scaled(maps.saliency);
    options.signal?.throwIfAborted();
    return {
      activations,
      saliency: { method, digit: top, confidence: activations.probabilities[top], map: saliency.map, maxGradient: saliency.max, total },
      contrast: { digit: top, rival, map: scaled(maps.contrast).map },
      embedding: Float32Array.from(embedding as Float32Array),
      features: joinFeatures(features as Float32Array, pixels),
    };
  } finally {
    tf.dispose([...pass.outputs, pass.features, pass.order, pass.signal]);
  }
}

/** Which pixels drove the top prediction (the saliency alone, from the same single pass). */
export async function saliencyMap(model: tf.LayersModel, pixels: ArrayLike<number>, options: InspectOptions = {}): Promise<Saliency> {
  return (await inspectInput(model, pixels, options)).saliency;
}

/**
 * The share of a saliency map's mass on or next to the ink: pixels of at least `inkLevel`, and their 8 neighbours.
 * A map that explains a digit by its strokes scores high; speckle over the background scores low.
 */
export function inkShare(map: ArrayLike<number>, pixels: ArrayLike<number>, inkLevel = 0.1): number {
  let total = 0;
  let near = 0;
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      const m = Math.abs(map[y * IMAGE_SIZE + x]);
      total += m;
      let ink = false;
      for (let dy = -1; dy <= 1 && !ink; dy++) {
        for (let dx = -1; dx <= 1 && !ink; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          ink = yy >= 0 && yy < IMAGE_SIZE && xx >= 0 && xx < IMAGE_SIZE && pixels[yy * IMAGE_SIZE + xx] >= inkLevel;
        }
      }
      if (ink) near += m;
    }
  }
  return total > 0 ? near / total : 0;
}

/** Below this share of the largest value a pixel stays uncoloured, so the strongest pixels stand out. */
const SALIENCY_FLOOR = 0.1;
/** From floor + this span on, a pixel is fully coloured. */
const SALIENCY_SPAN = 0.6;
const SALIENCY_RED: readonly [number, number, number] = [255, 40, 40];
const CONTRAST_BLUE: readonly [number, number, number] = [40, 120, 255];

/**
 * Lays a saliency map over an RGBA picture of the digit (in place): the stronger, the redder. A signed map (a
 * contrast) colours its negative side blue. `rgba` holds 4 bytes per pixel of `map`.
 */
export function blendSaliency(rgba: Uint8ClampedArray, map: ArrayLike<number>): void {
  if (rgba.length !== map.length * 4) throw new RangeError(`${rgba.length / 4} pixels to colour, but the map has ${map.length}`);
  for (let p = 0; p < map.length; p++) {
    const colour = map[p] < 0 ? CONTRAST_BLUE : SALIENCY_RED;
    const a = Math.min(1, Math.max(0, (Math.abs(map[p]) - SALIENCY_FLOOR) / SALIENCY_SPAN));
    for (let k = 0; k < 3; k++) rgba[p * 4 + k] = Math.round(rgba[p * 4 + k] * (1 - a) + colour[k] * a);
  }
}
