/**
 * Shape, parameter and cost inference for a model spec, in plain TypeScript (no tfjs), so the page can show it
 * live on every keystroke. The rules match tfjs-layers exactly (unit tests compare with the built model), plus the
 * lab's own rules for a model that can learn MNIST: flatten before dense, ten softmax outputs, sane sizes.
 */
import { IMAGE_SIZE, NUM_CLASSES } from '../data/mnist';
import { formatInteger } from '../format';
import { describeLayer, LAYER_NAMES, type LayerSpec, type ModelSpec } from './spec';

/** A tensor's shape for one image (no batch axis): [height, width, channels] or [units]. */
export type Shape = number[];

export const INPUT_SHAPE: Shape = [IMAGE_SIZE, IMAGE_SIZE, 1];

/** Limits that keep a model trainable in a browser tab. */
export const LIMITS = {
  filters: 512,
  units: 4096,
  window: IMAGE_SIZE,
  totalParams: 20_000_000,
} as const;

export interface LayerAnalysis {
  index: number;
  layer: LayerSpec;
  /** e.g. "Conv 2D 32 · 3×3 same". */
  description: string;
  inputShape: Shape | null;
  /** Null when it cannot be worked out (this layer or one before it is impossible). */
  outputShape: Shape | null;
  /** All weights, as tfjs `countParams()` counts them (batch norm's moving statistics included). */
  params: number;
  trainableParams: number;
  /** Multiply-adds for one image in the forward pass. */
  multiplyAdds: number;
  /** What is wrong with this layer, in words that name it; null when it is fine. */
  error: string | null;
}

export interface SpecProblem {
  /** Index of the offending layer, or null for the model as a whole. */
  layer: number | null;
  message: string;
}

export interface ModelAnalysis {
  inputShape: Shape;
  layers: LayerAnalysis[];
  totalParams: number;
  trainableParams: number;
  multiplyAdds: number;
  problems: SpecProblem[];
  valid: boolean;
}

export const formatShape = (shape: Shape): string => shape.join('×');

const isWhole = (n: unknown, min: number, max: number): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

/** tfjs-layers' convOutputLength (dilation 1). */
export function convOutputLength(input: number, window: number, padding: 'valid' | 'same', stride: number): number {
  const length = padding === 'same' ? input : input - window + 1;
  return Math.floor((length + stride - 1) / stride);
}

/** Checks one layer's own settings, independent of its input. */
function settingsProblem(layer: LayerSpec): string | null {
  const whole = (value: unknown, what: string, min: number, max: number) =>
    isWhole(value, min, max) ? null : `${what} must be a whole number from ${min} to ${max}.`;
  switch (layer.type) {
    case 'conv2d':
      if (layer.filters === 0) return 'zero filters means it outputs nothing. Give it at least 1 filter.';
      return (
        whole(layer.filters, 'The number of filters', 1, LIMITS.filters) ??
        whole(layer.kernelSize, 'The kernel size', 1, LIMITS.window) ??
        whole(layer.strides, 'The stride', 1, LIMITS.window) ??
        (layer.padding === 'valid' || layer.padding === 'same' ? null : 'Padding must be "valid" or "same".')
      );
    case 'maxPool2d':
    case 'avgPool2d':
      return (
        whole(layer.poolSize, 'The pool size', 1, LIMITS.window) ??
        (layer.strides === undefined ? null : whole(layer.strides, 'The stride', 1, LIMITS.window)) ??
        (layer.padding === undefined || layer.padding === 'valid' || layer.padding === 'same' ? null : 'Padding must be "valid" or "same".')
      );
    case 'dropout':
      return typeof layer.rate === 'number' && layer.rate >= 0 && layer.rate < 1
        ? null
        : `The dropout rate must be at least 0 and below 1 (it is the fraction of values switched off), not ${Number.isNaN(layer.rate) ? 'empty' : layer.rate}.`;
    case 'dense':
      if (layer.units === 0) return 'zero units means it outputs nothing. Give it at least 1 unit.';
      return whole(layer.units, 'The number of units', 1, LIMITS.units);
    default:
      return null;
  }
}

interface Step {
  output: Shape;
  params: number;
  trainable: number;
  multiplyAdds: number;
}

/** One layer's effect on a shape, or a message saying why it cannot take that input. */
function step(layer: LayerSpec, input: Shape): Step | string {
  const flat = input.length === 1;
  const product = input.reduce((a, b) => a * b, 1);
  const needsImage = (what: string) =>
    `${what} needs an image-shaped input (height×width×channels) but gets a flat list of ${input[0]} numbers. Move it before the Flatten layer.`;
  switch (layer.type) {
    case 'conv2d': {
      if (flat) return needsImage('A convolution');
      const [h, w, c] = input;
      const oh = convOutputLength(h, layer.kernelSize, layer.padding, layer.strides);
      const ow = convOutputLength(w, layer.kernelSize, layer.padding, layer.strides);
      if (oh <= 0 || ow <= 0) {
        return `A ${layer.kernelSize}×${layer.kernelSize} kernel does not fit in the ${h}×${w} input, so the output would be ${Math.max(oh, 0)}×${Math.max(ow, 0)}. Use a smaller kernel, "same" padding, or fewer pooling layers before it.`;
      }
      const weights = layer.kernelSize * layer.kernelSize * c * layer.filters;
      const params = weights + layer.filters;
      return { output: [oh, ow, layer.filters], params, trainable: params, multiplyAdds: oh * ow * weights };
    }
    case 'maxPool2d':
    case 'avgPool2d': {
      if (flat) return needsImage('Pooling');
      const [h, w, c] = input;
      const strides = layer.strides ?? layer.poolSize;
      const padding = layer.padding ?? 'valid';
      const oh = convOutputLength(h, layer.poolSize, padding, strides);
      const ow = convOutputLength(w, layer.poolSize, padding, strides);
      if (oh <= 0 || ow <= 0) {
        return `Pooling ${layer.poolSize}×${layer.poolSize} shrinks the ${h}×${w} input to ${Math.max(oh, 0)}×${Math.max(ow, 0)}: nothing is left. Remove a pooling layer or use a smaller window.`;
      }
      return { output: [oh, ow, c], params: 0, trainable: 0, multiplyAdds: 0 };
    }
    case 'batchNorm': {
      const channels = input[input.length - 1];
      // gamma and beta learn; the moving mean and variance are weights too, but not trained by the optimizer.
      return { output: input, params: 4 * channels, trainable: 2 * channels, multiplyAdds: product };
    }
    case 'flatten':
      if (flat) return `The input is already flat (${input[0]} numbers). Remove this Flatten layer.`;
      return { output: [product], params: 0, trainable: 0, multiplyAdds: 0 };
    case 'dense': {
      if (!flat) {
        return `A dense layer needs a flat input but gets a ${formatShape(input)} image-shaped tensor. Add a Flatten layer before it.`;
      }
      const params = input[0] * layer.units + layer.units;
      return { output: [layer.units], params, trainable: params, multiplyAdds: input[0] * layer.units };
    }
    case 'activation':
    case 'dropout':
      return { output: input, params: 0, trainable: 0, multiplyAdds: 0 };
  }
}

const layerName = (index: number, layer: LayerSpec) => `Layer ${index + 1} (${LAYER_NAMES[layer.type] ?? 'unknown'})`;

/** Infers every layer's output shape, parameters and multiply-adds, and says what (if anything) makes it impossible. */
export function analyzeSpec(spec: ModelSpec): ModelAnalysis {
  const problems: SpecProblem[] = [];
  const layers: LayerAnalysis[] = [];
  let shape: Shape | null = INPUT_SHAPE;
  spec.layers.forEach((layer, index) => {
    const info: LayerAnalysis = {
      index,
      layer,
      description: LAYER_NAMES[layer.type] ? describeLayer(layer) : 'Unknown layer',
      inputShape: shape,
      outputShape: null,
      params: 0,
      trainableParams: 0,
      multiplyAdds: 0,
      error: null,
    };
    const setting = LAYER_NAMES[layer.type] ? settingsProblem(layer) : `Unknown layer type "${String(layer.type)}".`;
    if (setting) {
      info.error = `${layerName(index, layer)}: ${setting}`;
      // A bad rate does not change the shape, so later layers can still be inferred; any other bad setting does.
      shape = layer.type === 'dropout' ? shape : null;
      info.outputShape = shape;
    } else if (shape) {
      const result = step(layer, shape);
      if (typeof result === 'string') {
        info.error = `${layerName(index, layer)}: ${result}`;
        shape = null;
      } else {
        Object.assign(info, {
          outputShape: result.output,
          params: result.params,
          trainableParams: result.trainable,
          multiplyAdds: result.multiplyAdds,
        });
        shape = result.output;
      }
    }
    if (info.error) problems.push({ layer: index, message: info.error });
    layers.push(info);
  });

  const last = layers[layers.length - 1];
  if (!last) {
    problems.push({ layer: null, message: 'The model has no layers. Add a Flatten and a Dense 10 softmax layer, or load a preset.' });
  } else if (shape) {
    const outputsClasses = shape.length === 1 && shape[0] === NUM_CLASSES;
    const softmax =
      (last.layer.type === 'dense' || last.layer.type === 'activation') && last.layer.activation === 'softmax';
    if (!outputsClasses) {
      const message = `${layerName(last.index, last.layer)}: the model must end with ${NUM_CLASSES} outputs, one per digit, but this last layer outputs ${shape.length === 1 ? `${shape[0]} numbers` : `a ${formatShape(shape)} tensor`}. End with Flatten then Dense ${NUM_CLASSES} softmax.`;
      last.error = last.error ?? message;
      problems.push({ layer: last.index, message });
    } else if (!softmax) {
      const message = `${layerName(last.index, last.layer)}: the last layer must turn the ${NUM_CLASSES} scores into probabilities. Give it the softmax activation.`;
      last.error = last.error ?? message;
      problems.push({ layer: last.index, message });
    }
  }

  const totalParams = layers.reduce((s, l) => s + l.params, 0);
  if (totalParams > LIMITS.totalParams) {
    problems.push({
      layer: null,
      message: `The model has ${formatInteger(totalParams)} parameters; the lab allows at most ${formatInteger(LIMITS.totalParams)} so training fits in the browser's memory. Shrink the first dense layer or add pooling before it.`,
    });
  }
  return {
    inputShape: INPUT_SHAPE,
    layers,
    totalParams,
    trainableParams: layers.reduce((s, l) => s + l.trainableParams, 0),
    multiplyAdds: layers.reduce((s, l) => s + l.multiplyAdds, 0),
    problems,
    valid: problems.length === 0,
  };
}

/** The problems that make a spec impossible to build or train; empty when it is fine. */
export function validateSpec(spec: ModelSpec): SpecProblem[] {
  return analyzeSpec(spec).problems;
}
