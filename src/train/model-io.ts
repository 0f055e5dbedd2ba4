import * as tf from '@tensorflow/tfjs';
import { checkMnistModel, IncompatibleModelError } from '../model/compatible';
import { LabModel, type ModelSource } from '../model/lab-model';
import type { ModelSpec } from '../model/spec';
import { deletePersisted, loadPersisted, savePersisted } from '../state/idb';

/** A clear message for a model file the lab cannot use; nothing in the lab changes when one is thrown. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = BYTES_PER_DTYPE[dtype];
  if (bytes === undefined) throw new ModelFileError(`model.json uses the weight type “${dtype}”, which Digit Lab cannot read.`);
  return count * bytes;
}

const baseName = (path: string) => path.split('/').pop() ?? path;

/** The lab's compatibility check (src/model/compatible.ts), failing with a ModelFileError. */
export async function checkCompatible(model: tf.LayersModel): Promise<void> {
  try {
    await checkMnistModel(model);
  } catch (error) {
    throw error instanceof IncompatibleModelError ? new ModelFileError(error.message) : error;
  }
}

/**
 * Loads a tfjs Layers model from the text of model.json and its weight files (by file name), with a clear
 * message for a malformed, truncated or incompatible file. The caller owns the returned (uncompiled) model.
 */
export async function modelFromFiles(jsonText: string, weightFiles: ReadonlyMap<string, ArrayBuffer>): Promise<tf.LayersModel> {
  let json: unknown;
  try {
    json = JSON.parse(jsonText);
  } catch {
    throw new ModelFileError('model.json is not valid JSON: choose the model.json file that Digit Lab (or tfjs) saved.');
  }
  const artifacts = json as Partial<tf.io.ModelJSON> | null;
  if (!artifacts || typeof artifacts !== 'object' || !artifacts.modelTopology || !Array.isArray(artifacts.weightsManifest)) {
    throw new ModelFileError('This JSON file is not a tfjs model: it has no “modelTopology” and “weightsManifest”.');
  }
  const paths = artifacts.weightsManifest.flatMap((group) => group.paths ?? []);
  const specs = artifacts.weightsManifest.flatMap((group) => group.weights ?? []);
  const buffers: ArrayBuffer[] = [];
  for (const path of paths) {
    let buffer = weightFiles.get(baseName(path));
    // Browsers rename repeated downloads ("model.weights (1).bin"): one file for one path is unambiguous.
    if (!buffer && paths.length === 1 && weightFiles.size === 1) buffer = [...weightFiles.values()][0];
    if (!buffer) throw new ModelFileError(`model.json needs the weights file “${baseName(path)}”: choose it together with model.json.`);
    buffers.push(buffer);
  }
  let expected: number;
  try {
    expected = specs.reduce((sum, s) => sum + specBytes(s), 0);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError('model.json has a malformed weights manifest.');
  }
  const got = buffers.reduce((sum, b) => sum + b.byteLength, 0);
  if (got !== expected) {
    throw new ModelFileError(
      `The weights file has ${got.toLocaleString('en-US')} bytes but model.json expects ${expected.toLocaleString('en-US')}: it is ${got < expected ? 'truncated' : 'not the one saved with this model.json'}.`,
    );
  }
  const weightData = new Uint8Array(got);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: artifacts.modelTopology, weightSpecs: specs, weightData: weightData.buffer }));
  } catch (error) {
    throw new ModelFileError(`tfjs could not build a model from this model.json: ${(error as Error).message}`);
  }
  try {
    await checkCompatible(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** Where the lab keeps its last trained or uploaded model (tfjs' own IndexedDB store). */
export const SAVED_MODEL_URL = 'indexeddb://digit-lab-current-model';
const SAVED_META_KEY = 'currentModelMeta';

interface SavedModelMeta {
  source: ModelSource;
  description: string;
  spec: ModelSpec | null;
}

/** Saves the lab's model so a reload brings it back. */
export async function saveLabModel(labModel: LabModel): Promise<void> {
  await labModel.model.save(SAVED_MODEL_URL);
  await savePersisted<SavedModelMeta>(SAVED_META_KEY, { source: labModel.source, description: labModel.description, spec: labModel.spec });
}

/** The saved model, or null if there is none (or it cannot be read any more, in which case it is forgotten). */
export async function loadSavedLabModel(): Promise<LabModel | null> {
  const meta = await loadPersisted<SavedModelMeta>(SAVED_META_KEY);
  if (!meta) return null;
  let model: tf.LayersModel | null = null;
  try {
    model = await tf.loadLayersModel(SAVED_MODEL_URL);
    await checkCompatible(model);
    return new LabModel(model, meta.source, meta.description, meta.spec);
  } catch {
    model?.dispose();
    await deletePersisted(SAVED_META_KEY).catch(() => {});
    return null;
  }
}
