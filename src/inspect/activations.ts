import * as tf from '@tensorflow/tfjs';
import type { LayerInfo } from './blocks';
import { inputTensor, topClass } from './predict';

/** One layer's output for one input, as plain numbers. */
export interface LayerActivation {
  layerName: string;
  /** tfjs class name: Conv2D, MaxPooling2D, Dense, … */
  className: string;
  /** Output shape without the batch dimension: [h, w, c] for feature maps, [n] for vectors. */
  shape: number[];
  kind: 'maps' | 'vector';
  /** For maps: one h×w image per channel (row-major). For vectors: one array with every value. */
  channels: Float32Array[];
  /** Per channel (or for the whole vector): smallest and largest value. */
  ranges: { min: number; max: number }[];
  /** The activation function the layer applies, when it has one (softmax marks the probabilities). */
  activation: string | null;
  /** What names the layer in words (filters, kernel, units, …). */
  info: LayerInfo;
}

export interface Activations {
  layers: LayerActivation[];
  probabilities: number[];
  digit: number;
  confidence: number;
}

/** Layers of a plain stack, in order. The lab's models are all chains (Sequential); others are refused. */
export function chainLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  for (const layer of layers) {
    if (layer.inboundNodes.length > 0 && layer.inboundNodes[0].inboundLayers.length > 1) {
      throw new Error(`layer ${layer.name} has several inputs; only a plain stack of layers can be shown layer by layer`);
    }
  }
  return layers;
}

/**
 * Applies the chain to `x` once (inference mode: dropout off, batch norm on its moving averages) and returns every
 * layer's output. With `withLogits`, also the class scores before the softmax, from the same pass: their gradient
 * stays informative when the network is sure, where the gradient of a probability near 1 is nearly zero. Call inside
 * tf.tidy (or tf.grad).
 */
export function runChain(layers: tf.layers.Layer[], x: tf.Tensor, withLogits = false): { outputs: tf.Tensor[]; logits: tf.Tensor | null } {
  const outputs: tf.Tensor[] = [];
  let logits: tf.Tensor | null = null;
  let h = x;
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    if (last && withLogits && layer.getConfig().activation === 'softmax') {
      if (layer.getClassName() === 'Dense') {
        // The dense layer's own sum before its softmax: one small matrix product beside the layer's output.
        const [kernel, bias] = layer.getWeights();
        const z = tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D);
        logits = bias ? tf.add(z, bias) : z;
      } else {
        // An Activation('softmax') layer: its input already is the logits.
        logits = h;
      }
    }
    h = layer.apply(h, { training: false }) as tf.Tensor;
    outputs.push(h);
  });
  return { outputs, logits: withLogits ? (logits ?? h) : null };
}

const numbers = (value: unknown): number[] | undefined => (Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : typeof value === 'number' ? [value, value] : undefined);

/** A layer's kind and size, as plain data (for its name in words). */
export function layerInfo(layer: tf.layers.Layer): LayerInfo {
  const config = layer.getConfig();
  const shape = layer.outputShape as (number | null)[];
  const outputSize = Array.isArray(shape) ? shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1) : undefined;
  return {
    className: layer.getClassName(),
    activation: typeof config.activation === 'string' ? config.activation : null,
    filters: typeof config.filters === 'number' ? config.filters : undefined,
    kernelSize: numbers(config.kernelSize),
    units: typeof config.units === 'number' ? config.units : undefined,
    poolSize: numbers(config.poolSize),
    rate: typeof config.rate === 'number' ? config.rate : undefined,
    outputSize,
  };
}

function rangeOf(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length ? { min, max } : { min: 0, max: 0 };
}

function layerActivation(layer: tf.layers.Layer, shape: number[], values: Float32Array): LayerActivation {
  const info = layerInfo(layer);
  const base = { layerName: layer.name, className: info.className, shape, activation: info.activation, info };
  if (shape.length === 3) {
    const [h, w, c] = shape;
    const channels = Array.from({ length: c }, () => new Float32Array(h * w));
    for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) channels[k][p] = values[p * c + k];
    return { ...base, kind: 'maps', channels, ranges: channels.map(rangeOf) };
  }
  return { ...base, kind: 'vector', channels: [values], ranges: [rangeOf(values)] };
}

/** The ten probabilities as numbers, refusing a broken model's NaN. */
export function readProbabilities(values: ArrayLike<number>): number[] {
  const probabilities = Array.from(values);
  if (probabilities.some((p) => !Number.isFinite(p))) throw new Error('the model gave a non-number (NaN) for this input; it may be broken');
  return probabilities;
}

/** Reads every layer's output tensor into plain arrays (the tensors stay the caller's to dispose). */
export async function readActivations(layers: tf.layers.Layer[], outputs: tf.Tensor[]): Promise<Activations> {
  const values = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
  const result = layers.map((layer, i) => layerActivation(layer, outputs[i].shape.slice(1), values[i]));
  const probabilities = readProbabilities(values[values.length - 1]);
  return { layers: result, probabilities, ...topClass(probabilities) };
}

/**
 * Runs one 28×28 image through the model layer by layer and returns every layer's output. Every intermediate tensor
 * is disposed before this resolves.
 */
export async function layerActivations(model: tf.LayersModel, pixels: ArrayLike<number>): Promise<Activations> {
  const layers = chainLayers(model);
  const outputs = tf.tidy(() => runChain(layers, inputTensor(pixels)).outputs);
  try {
    return await readActivations(layers, outputs);
  } finally {
    tf.dispose(outputs);
  }
}
