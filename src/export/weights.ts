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

/** Keras class names in snake case, as Keras 3 names layers (and their paths in a weights file). */
const KERAS_LAYER_PATH: Record<LayerSpec['type'], string> = {
  conv2d: 'conv2d',
  activation: 'activation',
  maxPool2d: 'max_pooling2d',
  avgPool2d: 'average_pooling2d',
  batchNorm: 'batch_normalization',
  dropout: 'dropout',
  flatten: 'flatten',
  dense: 'dense',
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
  const seen = new Map<string, number>();
  const slots: KerasWeightSlot[] = [];
  analysis.layers.forEach((info, layerIndex) => {
    const base = KERAS_LAYER_PATH[info.layer.type];
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const kerasLayer = count === 0 ? base : `${base}_${count}`;
    variablesOf(info.layer, info.inputShape ?? []).forEach(({ variable, shape }, index) => {
      slots.push({ layerIndex, kerasLayer, variable, index, shape, name: `${kerasLayer}/${variable}` });
    });
  });
  return slots;
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
