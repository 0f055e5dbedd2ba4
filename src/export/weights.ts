/**
 * A trained model's weights as plain data, in the order and under the names Keras 3 uses for the same model, and
 * the checks that a set of weights fits a spec. No tfjs here: components hand these arrays around.
 */
import { analyzeSpec } from '../model/analyze';
import type { LayerSpec, ModelSpec } from '../model/spec';
import { ExportError } from './python';

/** One weight array: `name` is Keras' layer and variable ("conv2d_1/kernel"), values in row-major (C) order. */
export interface KerasWeight {
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

/** Where one array goes in a Keras 3 `.weights.h5` file, and what shape it must have. */
export interface KerasWeightSlot {
  /** Index of the layer in the spec. */
  layerIndex: number;
  /** Keras' automatic layer path in a Sequential: the class name in snake case, numbered from the second on. */
  kerasLayer: string;
  /** Keras' (and tfjs') variable name: kernel, bias, gamma, beta, moving_mean, moving_variance. */
  variable: string;
  /** Position of the variable in its layer (the dataset name in the file). */
  index: number;
  shape: number[];
  name: string;
}

/** The Keras (and tfjs) class of each layer type. */
const KERAS_CLASS: Record<LayerSpec['type'], string> = {
  conv2d: 'Conv2D',
  activation: 'Activation',
  maxPool2d: 'MaxPooling2D',
  avgPool2d: 'AveragePooling2D',
  batchNorm: 'BatchNormalization',
  dropout: 'Dropout',
  flatten: 'Flatten',
  dense: 'Dense',
};

/** Per layer type, its variables in Keras' order (tfjs keeps the same order within a layer). */
function variablesOf(layer: LayerSpec, input: number[]): { variable: string; shape: number[] }[] {
  const channels = input[input.length - 1];
  switch (layer.type) {
    case 'conv2d':
      // Both store the kernel as [height, width, in channels, filters] (HWIO).
      return [
        { variable: 'kernel', shape: [layer.kernelSize, layer.kernelSize, channels, layer.filters] },
        { variable: 'bias', shape: [layer.filters] },
      ];
    case 'dense':
      return [
        { variable: 'kernel', shape: [channels, layer.units] },
        { variable: 'bias', shape: [layer.units] },
      ];
    case 'batchNorm':
      return ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((variable) => ({ variable, shape: [channels] }));
    default:
      return [];
  }
}

/** Every weight array the spec's model has, in Keras' order. Throws ExportError for a spec that cannot be built. */
export function kerasWeightSlots(spec: ModelSpec): KerasWeightSlot[] {
  const analysis = analyzeSpec(spec);
  if (!analysis.valid) throw new ExportError(`This model cannot be exported: ${analysis.problems[0].message}`);
  const paths = kerasLayerPaths(analysis.layers.map((info) => KERAS_CLASS[info.layer.type]));
  const slots: KerasWeightSlot[] = [];
  analysis.layers.forEach((info, layerIndex) => {
    const kerasLayer = paths[layerIndex];
    variablesOf(info.layer, info.inputShape ?? []).forEach(({ variable, shape }, index) => {
      slots.push({ layerIndex, kerasLayer, variable, index, shape, name: `${kerasLayer}/${variable}` });
    });
  });
  return slots;
}

/** Keras' variable names per tfjs/Keras layer class, in the order both keep them within a layer. */
export const KERAS_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  Conv2D: ['kernel', 'bias'],
  Dense: ['kernel', 'bias'],
  BatchNormalization: ['gamma', 'beta', 'moving_mean', 'moving_variance'],
};

/**
 * Keras 3's automatic path for each layer of a Sequential model, from the layers' class names in order: the class
 * name in snake case, numbered from the second of a kind (Conv2D, Conv2D, Dense → conv2d, conv2d_1, dense).
 */
export function kerasLayerPaths(classNames: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return classNames.map((className) => {
    // keras.src.utils.naming.to_snake_case: MaxPooling2D → max_pooling2d, BatchNormalization → batch_normalization.
    const base = className
      .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}_${count}`;
  });
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((n, i) => n === b[i]);

/**
 * Checks that `weights` are exactly the spec's model's weights (names, shapes, sizes, finite values) and returns
 * them paired with their slots. Throws ExportError saying what does not fit.
 */
export function matchWeightsToSpec(spec: ModelSpec, weights: readonly KerasWeight[]): { slot: KerasWeightSlot; weight: KerasWeight }[] {
  const slots = kerasWeightSlots(spec);
  if (weights.length !== slots.length) {
    throw new ExportError(`These weights do not belong to this model: it has ${slots.length} weight arrays, the weights have ${weights.length}.`);
  }
  return slots.map((slot, i) => {
    const weight = weights[i];
    if (weight.name !== slot.name || !sameShape(weight.shape, slot.shape)) {
      throw new ExportError(
        `These weights do not belong to this model: array ${i + 1} is ${weight.name} [${weight.shape.join('×')}], the model expects ${slot.name} [${slot.shape.join('×')}].`,
      );
    }
    const size = slot.shape.reduce((a, b) => a * b, 1);
    if (!(weight.values instanceof Float32Array) || weight.values.length !== size) {
      throw new ExportError(`The weights of ${slot.name} hold ${weight.values?.length ?? 0} numbers instead of ${size}.`);
    }
    if (!weight.values.every(Number.isFinite)) {
      throw new ExportError(`The weights of ${slot.name} contain NaN or infinite values (the run diverged), so they are not worth exporting.`);
    }
    return { slot, weight };
  });
}
