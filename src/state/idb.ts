import { createStore, del, get, set, type UseStore } from 'idb-keyval';

/** Larger things (run history, drawings) persist in IndexedDB; trained models use tfjs' own indexeddb:// store. */
let store: UseStore | null = null;
function db(): UseStore | null {
  if (typeof indexedDB === 'undefined') return null;
  return (store ??= createStore('digit-lab', 'state'));
}

export async function loadPersisted<T>(key: string): Promise<T | undefined> {
  const s = db();
  return s ? get<T>(key, s) : undefined;
}

export async function savePersisted<T>(key: string, value: T): Promise<void> {
  const s = db();
  if (s) await set(key, value, s);
}

export async function deletePersisted(key: string): Promise<void> {
  const s = db();
  if (s) await del(key, s);
}
