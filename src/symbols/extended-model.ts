/**
 * The extended model as plain data: the lab model's own topology and weights with its last dense layer widened to
 * the ten digits plus the learner's classes, carrying the new head's weights. Built without tensors (a topology
 * edit and a new weight buffer), so it is what IndexedDB keeps and what the class-set file holds; tfjs loads it as
 * an ordinary model (src/model/artifacts modelFromData), the same layers as the lab model, one output per class.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelData } from '../model/artifacts';
import { ExtendError, type HeadWeights } from './features';

interface LayerJson {
  class_name: string;
  config: { name?: string; units?: number; activation?: string } & Record<string, unknown>;
}

/** The topology's list of layers (Sequential models; tfjs writes {config: {layers}}, older Keras a bare list). */
function topologyLayers(topology: object): LayerJson[] {
  const t = topology as { class_name?: string; config?: { layers?: unknown } | unknown[]; model_config?: object };
  if (t.model_config) return topologyLayers(t.model_config);
  if (t.class_name !== 'Sequential') throw new ExtendError('Only a plain stack of layers (a Sequential model) can be extended.');
  const layers = Array.isArray(t.config) ? t.config : (t.config as { layers?: unknown } | undefined)?.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new ExtendError('The model’s topology lists no layers.');
  return layers as LayerJson[];
}

const dtypeBytes = (spec: tf.io.WeightsManifestEntry): number => {
  if (spec.quantization) throw new ExtendError('A model with quantized weights cannot be extended.');
  if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw new ExtendError(`A model with ${spec.dtype} weights cannot be extended.`);
  return 4;
};

/** How many outputs the model's last layer has, from its topology (no tensors). */
export function outputUnits(data: ModelData): number {
  const last = topologyLayers(data.modelTopology).at(-1)!;
  return Number(last.config.units);
}

/**
 * `base` with its last dense softmax layer replaced by `head` (same layer name, `head.classes` units). The base is
 * not changed.
 */
export function extendModelData(base: ModelData, head: HeadWeights): ModelData {
  const topology = structuredClone(base.modelTopology) as object;
  const layers = topologyLayers(topology);
  const last = layers.at(-1)!;
  if (last.class_name !== 'Dense' || last.config.activation !== 'softmax' || typeof last.config.name !== 'string') {
    throw new ExtendError('The model does not end with a dense softmax layer.');
  }
  const name = last.config.name;
  last.config.units = head.classes;
  const replaced: Record<string, { shape: number[]; values: Float32Array }> = {
    [`${name}/kernel`]: { shape: [head.features, head.classes], values: head.kernel },
    [`${name}/bias`]: { shape: [head.classes], values: head.bias },
  };
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  let found = 0;
  for (const spec of base.weightSpecs) {
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * dtypeBytes(spec);
    const swap = replaced[spec.name];
    if (swap) {
      if (spec.dtype !== 'float32') throw new ExtendError('The model’s last layer does not hold float weights.');
      if (spec.shape.length === 2 && spec.shape[0] !== swap.shape[0]) throw new ExtendError(`The new head reads ${head.features} features but the model’s last layer reads ${spec.shape[0]}.`);
      weightSpecs.push({ ...spec, shape: swap.shape });
      parts.push(new Uint8Array(swap.values.buffer, swap.values.byteOffset, swap.values.byteLength));
      found++;
    } else {
      weightSpecs.push({ ...spec });
      parts.push(new Uint8Array(base.weightData, offset, bytes));
    }
    offset += bytes;
  }
  if (offset !== base.weightData.byteLength) throw new ExtendError('The model’s weights do not match its manifest.');
  if (found !== 2) throw new ExtendError(`The weights of the last layer (“${name}”) were not found in the model.`);
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    weightData.set(p, at);
    at += p.byteLength;
  }
  return { modelTopology: topology, weightSpecs, weightData: weightData.buffer };
}
