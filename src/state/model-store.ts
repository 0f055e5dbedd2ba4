import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import { isModelData, type ModelData } from '../model/artifacts';
import { checkManifestFits, checkTopologyLimits, summariseTopology } from '../model/topology';

/**
 * Where every run's trained weights are kept (IndexedDB, a database of their own: a classic model is 3.5 MB), with
 * an in-memory copy while the page lives, so "Use this model" works even when the browser refuses to store them.
 */
let store: UseStore | null = null;
function db(): UseStore | null {
  if (typeof indexedDB === 'undefined') return null;
  return (store ??= createStore('digit-lab-models', 'models'));
}

const inMemory = new Map<string, ModelData>();

export type ModelKey = `run:${string}` | 'uploaded';

export const runModelKey = (runId: string): ModelKey => `run:${runId}`;

/** Why a model could not be stored, in the learner's words. */
export class StorageRefused extends Error {
  override name = 'StorageRefused';
}

function describeStorageError(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError') return 'this browser’s storage is full';
  return `this browser refused to store it (${(error as Error)?.message ?? String(error)})`;
}

/** Keeps a model; throws StorageRefused (the in-memory copy is still kept) when the browser will not store it. */
export async function saveModelData(key: ModelKey, data: ModelData): Promise<void> {
  inMemory.set(key, data);
  const s = db();
  if (!s) throw new StorageRefused('this browser has no IndexedDB here');
  try {
    await set(key, data, s);
  } catch (error) {
    throw new StorageRefused(describeStorageError(error));
  }
}

/** What is stored under a key is damaged (it has been removed); the message says so. */
export class StoredModelDamaged extends Error {
  override name = 'StoredModelDamaged';
}

/** The browser would not read its storage; the message says so. */
export class StorageUnreadable extends Error {
  override name = 'StorageUnreadable';
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Why stored model data cannot be used, or null when it is intact: its shape, its topology (read as plain data,
 * nothing built, held to the lab's limits), and weights that fit the topology byte for byte.
 */
export function modelDataProblem(value: unknown): string | null {
  if (!isModelData(value)) return 'it is not a model any more';
  try {
    const summary = summariseTopology(value.modelTopology);
    checkTopologyLimits(summary);
    checkManifestFits(summary, value.weightSpecs);
  } catch (error) {
    return (error as Error).message;
  }
  let bytes = 0;
  for (const spec of value.weightSpecs) {
    const size = DTYPE_BYTES[spec.dtype];
    if (size === undefined || spec.quantization) return `its weight “${spec.name}” has a type the lab does not store`;
    bytes += spec.shape.reduce((a, b) => a * b, 1) * size;
  }
  return bytes === value.weightData.byteLength ? null : `its weights have ${value.weightData.byteLength.toLocaleString('en-US')} bytes where ${bytes.toLocaleString('en-US')} are needed`;
}

/**
 * A kept model, or null when none is kept. What is stored is checked before it is used: damaged data is removed and
 * StoredModelDamaged thrown; storage the browser will not read throws StorageUnreadable.
 */
export async function loadModelData(key: ModelKey): Promise<ModelData | null> {
  const memory = inMemory.get(key);
  if (memory) return memory;
  const s = db();
  if (!s) return null;
  let value: unknown;
  try {
    value = await get(key, s);
  } catch (error) {
    throw new StorageUnreadable(`This browser refused to read the stored model (${(error as Error)?.message ?? String(error)}).`);
  }
  if (value === undefined) return null;
  const problem = modelDataProblem(value);
  if (problem) {
    await del(key, s).catch(() => {});
    throw new StoredModelDamaged(`The stored model was damaged (${problem}) and has been removed from this browser.`);
  }
  const data = value as ModelData;
  inMemory.set(key, data);
  return data;
}

export async function deleteModelData(key: ModelKey): Promise<void> {
  inMemory.delete(key);
  const s = db();
  if (s) await del(key, s).catch(() => {});
}

/** Keys of every stored model (to drop the weights of runs no longer in the history). */
export async function storedModelKeys(): Promise<string[]> {
  const s = db();
  const stored = s ? ((await keys(s).catch(() => [])) as string[]) : [];
  return [...new Set([...stored, ...inMemory.keys()])];
}
