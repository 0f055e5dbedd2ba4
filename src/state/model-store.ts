import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import { isModelData, type ModelData } from '../model/artifacts';

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

/** A kept model, or null when there is none or what is stored is damaged (then it is forgotten). */
export async function loadModelData(key: ModelKey): Promise<ModelData | null> {
  const memory = inMemory.get(key);
  if (memory) return memory;
  const s = db();
  if (!s) return null;
  const value: unknown = await get(key, s);
  if (value === undefined) return null;
  if (!isModelData(value)) {
    await del(key, s).catch(() => {});
    return null;
  }
  inMemory.set(key, value);
  return value;
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
