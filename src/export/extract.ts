/**
 * A tfjs model's weights as plain arrays in Keras 3's order. tfjs' `model.getWeights()` lists every layer's
 * trainable weights first and the batch-norm moving statistics after all of them; Keras keeps each layer's
 * variables together (gamma, beta, moving_mean, moving_variance). So this walks layer by layer.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LabModel } from '../model/lab-model';
import { variableName } from '../model/variable-name';
import { kerasLayerPaths, type KerasWeight } from './weights';

/**
 * Copies every weight of `model` (built from a lab spec) into plain Float32Arrays, layer by layer, named like
 * Keras names them. Reads with `await data()` (never blocks the page) and creates no tensor.
 */
export async function extractKerasWeights(model: tf.LayersModel): Promise<KerasWeight[]> {
  const paths = kerasLayerPaths(model.layers.map((layer) => layer.getClassName()));
  const out: KerasWeight[] = [];
  for (const [i, layer] of model.layers.entries()) {
    const kerasLayer = paths[i];
    // layer.weights: this layer's trainable then non-trainable variables, each in creation order (as Keras).
    for (const variable of layer.weights) {
      const tensor = variable.read();
      const values = await tensor.data();
      if (!(values instanceof Float32Array)) throw new TypeError(`${variable.name} is not float32`);
      // A copy: some backends hand out their own buffer.
      out.push({ name: `${kerasLayer}/${variableName(variable.originalName)}`, shape: [...tensor.shape], values: values.slice() });
    }
  }
  return out;
}

/** The lab's current model's weights for Keras (the training cell's `weights` provider for `<run-export>`). */
export function kerasWeightsOfLabModel(lab: LabModel): Promise<KerasWeight[]> {
  return extractKerasWeights(lab.model);
}
