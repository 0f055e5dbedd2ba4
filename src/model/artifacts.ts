import * as tf from '@tensorflow/tfjs';

/**
 * A model as plain data: its topology (tfjs Layers JSON), weight manifest and weights in one buffer. This is what
 * travels from the training worker to the page (the buffer transferred, not copied) and what IndexedDB keeps for
 * every run, so a model can be rebuilt on any backend.
 */
export interface ModelData {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/** The model's topology and weights as plain data (no tensors kept). */
export async function modelToData(model: tf.LayersModel): Promise<ModelData> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) throw new Error('tfjs saved no weights for this model.');
  return {
    modelTopology: artifacts.modelTopology as object,
    weightSpecs: artifacts.weightSpecs,
    weightData: tf.io.CompositeArrayBuffer.join(artifacts.weightData),
  };
}

/** Rebuilds a model from plain data on the active backend. The caller owns (and disposes) it. */
export async function modelFromData(data: ModelData): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: data.modelTopology, weightSpecs: data.weightSpecs, weightData: data.weightData }));
}

/** Whether a value read back from storage still has the shape of model data (storage can be damaged). */
export function isModelData(value: unknown): value is ModelData {
  const v = value as Partial<ModelData> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.modelTopology === 'object' &&
    v.modelTopology !== null &&
    Array.isArray(v.weightSpecs) &&
    v.weightData instanceof ArrayBuffer
  );
}
