import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from '../data/mnist';
import { validateSpec } from './analyze';
import type { LayerSpec, ModelSpec } from './spec';

/**
 * Initializers seeded per layer when the model has a seed (same seed → same starting weights), else tfjs's own
 * random seeds.
 */
function initializer(kind: 'heNormal' | 'glorotUniform', seed: number | undefined) {
  if (seed === undefined) return kind;
  return kind === 'heNormal' ? tf.initializers.heNormal({ seed }) : tf.initializers.glorotUniform({ seed });
}

/** One tfjs layer for one spec entry; `seed` (when given) makes its starting weights reproducible. */
function makeLayer(layer: LayerSpec, first: boolean, seed?: number): tf.layers.Layer {
  const inputShape = first ? { inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] } : {};
  switch (layer.type) {
    case 'conv2d':
      return tf.layers.conv2d({
        ...inputShape,
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: layer.strides,
        padding: layer.padding,
        activation: layer.activation ?? 'linear',
        kernelInitializer: initializer('heNormal', seed),
      });
    case 'activation':
      return tf.layers.activation({ ...inputShape, activation: layer.activation });
    case 'maxPool2d':
      return tf.layers.maxPooling2d({ ...inputShape, poolSize: layer.poolSize, strides: layer.strides ?? layer.poolSize, padding: layer.padding ?? 'valid' });
    case 'avgPool2d':
      return tf.layers.averagePooling2d({ ...inputShape, poolSize: layer.poolSize, strides: layer.strides ?? layer.poolSize, padding: layer.padding ?? 'valid' });
    case 'batchNorm':
      return tf.layers.batchNormalization({ ...inputShape });
    case 'dropout':
      return tf.layers.dropout({ ...inputShape, rate: layer.rate });
    case 'flatten':
      return tf.layers.flatten({ ...inputShape });
    case 'dense':
      return tf.layers.dense({ ...inputShape, units: layer.units, activation: layer.activation ?? 'linear', kernelInitializer: initializer(layer.activation === 'softmax' ? 'glorotUniform' : 'heNormal', seed) });
  }
}

/**
 * Builds an uncompiled tf.LayersModel for 28×28×1 inputs from a spec. The caller disposes it.
 * Throws the first validation problem (which names the layer) for a spec that cannot work.
 */
export interface BuildOptions {
  /** Seeds every layer's initializer (layer i gets seed + i): the same seed gives the same starting weights. */
  seed?: number;
}

export function buildModel(spec: ModelSpec, options: BuildOptions = {}): tf.Sequential {
  const problems = validateSpec(spec);
  if (problems.length) throw new Error(problems[0].message);
  const model = tf.sequential({ name: spec.name.replace(/[^\w]/g, '_') || 'model' });
  try {
    const { seed } = options;
    spec.layers.forEach((layer, i) => model.add(makeLayer(layer, i === 0, seed === undefined ? undefined : (seed + i * 7919) >>> 0)));
    const out = model.outputs[0].shape;
    if (out.length !== 2 || out[1] !== NUM_CLASSES) {
      throw new Error(`the model's output has shape [${out.slice(1).join(', ')}], not the ${NUM_CLASSES} classes of MNIST`);
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
