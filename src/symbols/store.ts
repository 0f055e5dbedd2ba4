/**
 * Where the class set and the taught model are kept in the browser: IndexedDB (a database of their own, through
 * idb-keyval, as src/state/model-store.ts keeps the runs' weights). A browser that refuses to store them still lets
 * the learner work: the caller keeps them in memory and says so.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { isModelData } from '../model/artifacts';
import { StorageRefused } from '../state/model-store';
import { parseClassSet, type ClassSet } from './class-set';
import type { TaughtModel } from './file';

let store: UseStore | null = null;
function db(): UseStore | null {
  if (typeof indexedDB === 'undefined') return null;
  return (store ??= createStore('digit-lab-symbols', 'symbols'));
}

const CLASSES_KEY = 'classes';
const MODEL_KEY = 'model';

async function put(key: string, value: unknown): Promise<void> {
  const s = db();
  if (!s) throw new StorageRefused('this browser has no IndexedDB here');
  try {
    await set(key, value, s);
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    throw new StorageRefused(name === 'QuotaExceededError' ? 'this browser’s storage is full' : `this browser refused to store it (${(error as Error)?.message ?? String(error)})`);
  }
}

export const saveClassSet = (classSet: ClassSet): Promise<void> => put(CLASSES_KEY, classSet);

/** The taught model, or null to forget it. */
export async function saveTaught(taught: TaughtModel | null): Promise<void> {
  if (taught) return put(MODEL_KEY, taught);
  const s = db();
  if (s) await del(MODEL_KEY, s);
}

export interface Restored {
  classSet: ClassSet | null;
  taught: TaughtModel | null;
  /** What was found damaged and forgotten, in words, or null. */
  damaged: string | null;
}

function isTaught(value: unknown): value is TaughtModel {
  const v = value as Partial<TaughtModel> | null;
  return typeof v === 'object' && v !== null && isModelData(v.data) && Array.isArray(v.classNames) && typeof v.report === 'object';
}

/** What this browser kept; damaged entries are forgotten (and named in `damaged`). */
export async function restoreSymbols(): Promise<Restored> {
  const s = db();
  if (!s) return { classSet: null, taught: null, damaged: null };
  const [rawClasses, rawModel] = await Promise.all([get<unknown>(CLASSES_KEY, s), get<unknown>(MODEL_KEY, s)]);
  const damaged: string[] = [];
  let classSet: ClassSet | null = null;
  if (rawClasses !== undefined) {
    try {
      classSet = parseClassSet(rawClasses);
    } catch {
      damaged.push('the class set');
      await del(CLASSES_KEY, s).catch(() => {});
    }
  }
  let taught: TaughtModel | null = null;
  if (rawModel !== undefined) {
    if (isTaught(rawModel)) taught = rawModel;
    else {
      damaged.push('the taught model');
      await del(MODEL_KEY, s).catch(() => {});
    }
  }
  return { classSet, taught, damaged: damaged.length ? `The stored ${damaged.join(' and ')} ${damaged.length > 1 ? 'were' : 'was'} damaged and has been forgotten.` : null };
}
