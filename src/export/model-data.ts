/**
 * Keras weights straight from a saved tfjs model (the ModelData every run keeps in IndexedDB), without building
 * it: the topology says which layers there are, in order; the weight manifest says where each array lies in the
 * one weight buffer. Pure data in, plain arrays out: no backend, no tensor.
 */
import type { ModelData } from '../model/artifacts';
import { loadModelData, runModelKey } from '../state/model-store';
import { ExportError } from './python';
import { KERAS_VARIABLES, kerasLayerPaths, type KerasWeight } from './weights';

interface TopologyLayer {
  class_name?: unknown;
  config?: { name?: unknown };
}

/** The layers of a tfjs Sequential topology (as model.save writes it, or wrapped in a model.json's model_config). */
function topologyLayers(topology: object): { className: string; name: string }[] {
  const root = ((topology as { model_config?: object }).model_config ?? topology) as { config?: { layers?: unknown } | unknown[] };
  const layers = Array.isArray(root.config) ? root.config : root.config?.layers;
  if (!Array.isArray(layers)) throw new ExportError('The saved model has no list of layers, so its weights cannot be exported.');
  return (layers as TopologyLayer[]).map((layer) => {
    if (typeof layer?.class_name !== 'string' || typeof layer.config?.name !== 'string') {
      throw new ExportError('The saved model describes a layer without a class or a name, so its weights cannot be exported.');
    }
    return { className: layer.class_name, name: layer.config.name };
  });
}

/**
 * The weights of a saved tfjs model in Keras 3's order and names (each batch norm's four arrays together), copied
 * out of the weight buffer. Throws ExportError when the data is damaged or not plain float32.
 */
export function kerasWeightsFromModelData(data: ModelData): KerasWeight[] {
  const arrays = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const spec of data.weightSpecs) {
    if (spec.dtype !== 'float32' || spec.quantization) throw new ExportError(`The saved weight ${spec.name} is not plain float32, so it cannot be exported.`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > data.weightData.byteLength) throw new ExportError('The saved weights are shorter than their manifest says: the stored model is damaged.');
    arrays.set(spec.name, { shape: [...spec.shape], values: new Float32Array(data.weightData.slice(offset, offset + size * 4)) });
    offset += size * 4;
  }
  const layers = topologyLayers(data.modelTopology);
  const paths = kerasLayerPaths(layers.map((l) => l.className));
  const out: KerasWeight[] = [];
  layers.forEach((layer, i) => {
    for (const variable of KERAS_VARIABLES[layer.className] ?? []) {
      const array = arrays.get(`${layer.name}/${variable}`);
      if (!array) throw new ExportError(`The saved model has no ${variable} for its layer ${layer.name}: the stored model is damaged.`);
      out.push({ name: `${paths[i]}/${variable}`, ...array });
    }
  });
  return out;
}

/**
 * A run's trained weights from this browser's storage, as Keras weights: what `<run-export>`'s `weights` provider
 * returns for a run in the history. Throws ExportError when the run's weights were not kept.
 */
export async function loadRunKerasWeights(runId: string): Promise<KerasWeight[]> {
  const data = await loadModelData(runModelKey(runId));
  if (!data) throw new ExportError('This run’s trained weights are not kept in this browser any more, so they cannot be downloaded. Train it again to get them.');
  return kerasWeightsFromModelData(data);
}
