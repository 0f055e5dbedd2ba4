import * as tf from '@tensorflow/tfjs';
import { browserDownloads } from '@tensorflow/tfjs-core/dist/io/browser_files';
import { checkMnistModel, IncompatibleModelError } from '../model/compatible';
import { checkManifestFits, checkTopologyLimits, formatBytes, summariseTopology, TopologyError, TOPOLOGY_LIMITS, type TopologySummary } from '../model/topology';

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

/** The largest files the lab reads: model.json (text) and all weight files together (the parameter cap in float32). */
export const UPLOAD_LIMITS = { jsonBytes: 4_000_000, weightBytes: TOPOLOGY_LIMITS.params * 4 } as const;

/**
 * Refuses files too large to be a model the lab can load, before a byte of them is read (a file is read whole into
 * memory). Throws a ModelFileError with the sizes.
 */
export function checkUploadSizes(jsonBytes: number, weightBytes: readonly number[]): void {
  if (jsonBytes > UPLOAD_LIMITS.jsonBytes) {
    throw new ModelFileError(`model.json has ${formatBytes(jsonBytes)}; a model.json Digit Lab reads has at most ${formatBytes(UPLOAD_LIMITS.jsonBytes)} (its weights go in the .bin file).`);
  }
  const total = weightBytes.reduce((a, b) => a + b, 0);
  if (total > UPLOAD_LIMITS.weightBytes) {
    throw new ModelFileError(
      `The weight files have ${formatBytes(total)}; Digit Lab loads models of up to ${TOPOLOGY_LIMITS.params.toLocaleString('en-US')} parameters (${formatBytes(UPLOAD_LIMITS.weightBytes)}). Nothing was loaded.`,
    );
  }
}

/** The topology read as plain data and held to the lab's limits and to the manifest, as a ModelFileError. */
function inspectTopology(topology: unknown, specs: tf.io.WeightsManifestEntry[], fileBytes: number): TopologySummary {
  try {
    const summary = summariseTopology(topology);
    try {
      checkTopologyLimits(summary);
    } catch (error) {
      throw new TopologyError(`${(error as Error).message} The weight files given have ${formatBytes(fileBytes)}. Nothing was loaded.`);
    }
    checkManifestFits(summary, specs);
    return summary;
  } catch (error) {
    throw error instanceof TopologyError ? new ModelFileError(error.message) : error;
  }
}

/**
 * Tensors that a failed tfjs build leaves behind: its layers' weights are variables, which no tidy scope frees. Returns
 * the function that disposes the variables made since, under the layer names of this topology (another model
 * loading at the same time is left alone).
 */
function variablesMadeSince(layerNames: readonly string[]): () => void {
  const registry = () => (tf.engine() as unknown as { state: { registeredVariables: Record<string, tf.Variable> } }).state.registeredVariables;
  const before = new Set(Object.keys(registry()));
  return () => {
    for (const [name, variable] of Object.entries(registry())) {
      if (!before.has(name) && layerNames.some((layer) => name.startsWith(`${layer}/`) || name.startsWith(`${layer}_`))) variable.dispose();
    }
  };
}

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
  if (paths.length > 1000 || specs.length > 100_000) throw new ModelFileError('model.json lists more weight files or weights than any model Digit Lab reads.');
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
  // Before any byte is copied or any tensor made: the model's own weights, from its topology, against the lab's
  // limits and the manifest (tfjs would allocate them all before noticing).
  inspectTopology(artifacts.modelTopology, specs, got);
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
  const cleanUp = variablesMadeSince(layerNamesOf(artifacts.modelTopology));
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: artifacts.modelTopology, weightSpecs: specs, weightData: weightData.buffer }));
  } catch (error) {
    cleanUp();
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

function layerNamesOf(topology: unknown): string[] {
  const config = (topology as { config?: unknown } | null)?.config;
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers;
  if (!Array.isArray(layers)) return [];
  return layers.map((l) => (l as { config?: { name?: unknown } } | null)?.config?.name).filter((n): n is string => typeof n === 'string' && n.length > 0);
}

/** Saves the model as tfjs files through the browser's downloads: digit-lab-model.json and its weights. */
export async function downloadModel(model: tf.LayersModel): Promise<void> {
  // The handler itself, not the 'downloads://' URL: the bundle dropped the router's registration (a module side
  // effect), and tfjs 4.22 does not re-export browserDownloads from tf.io.
  await model.save(browserDownloads('digit-lab-model'));
}
