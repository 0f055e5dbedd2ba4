import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from '../data/mnist';

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

/** Checks that a loaded model reads 28×28×1 images and answers 10 classes with finite numbers. */
export async function checkCompatible(model: tf.LayersModel): Promise<void> {
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  const want = [IMAGE_SIZE, IMAGE_SIZE, 1];
  if (model.inputs.length !== 1 || input.length !== 4 || input.slice(1).some((d, i) => d !== want[i])) {
    throw new ModelFileError(`This model takes inputs of shape [${input.slice(1).join(', ')}]; Digit Lab needs 28×28 images with one channel ([28, 28, 1]).`);
  }
  if (model.outputs.length !== 1 || output.length !== 2 || output[1] !== NUM_CLASSES) {
    throw new ModelFileError(`This model answers with shape [${output.slice(1).join(', ')}]; Digit Lab needs 10 outputs, one per digit.`);
  }
  const probe = tf.tidy(() => (model.predict(tf.zeros([1, IMAGE_SIZE, IMAGE_SIZE, 1])) as tf.Tensor).sum());
  const value = (await probe.data())[0];
  probe.dispose();
  if (!Number.isFinite(value)) throw new ModelFileError('This model answers NaN or infinity: its weights are broken.');
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

/** Saves the model as tfjs files through the browser's downloads: digit-lab-model.json and its weights. */
export async function downloadModel(model: tf.LayersModel): Promise<void> {
  await model.save('downloads://digit-lab-model');
}
