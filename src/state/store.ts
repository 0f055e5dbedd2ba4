/** A typed key/value store with a version number per key, change subscriptions, and disposal of replaced values. */

export interface Disposable {
  dispose(): void;
}

function isDisposable(value: unknown): value is Disposable {
  return typeof value === 'object' && value !== null && typeof (value as Disposable).dispose === 'function';
}

export type Listener<M, K extends keyof M = keyof M> = (key: K, value: M[K], version: number) => void;

export class Store<M extends object> {
  private readonly values: M;
  private readonly versions = new Map<keyof M, number>();
  private readonly listeners = new Map<keyof M, Set<Listener<M>>>();

  constructor(initial: M) {
    this.values = { ...initial };
  }

  get<K extends keyof M>(key: K): M[K] {
    return this.values[key];
  }

  /** 0 until the key is first set; bumps by one on every change. */
  version(key: keyof M): number {
    return this.versions.get(key) ?? 0;
  }

  /**
   * Replaces a value and tells subscribers. A replaced value that has `dispose()` (a model, say) is disposed,
   * unless it is the same object.
   */
  set<K extends keyof M>(key: K, value: M[K]): void {
    const previous = this.values[key];
    if (Object.is(previous, value)) return;
    this.values[key] = value;
    const version = this.version(key) + 1;
    this.versions.set(key, version);
    if (isDisposable(previous)) previous.dispose();
    for (const listener of [...(this.listeners.get(key) ?? [])]) listener(key, value, version);
  }

  /** Updates an object value by merging a patch into a copy. */
  update<K extends keyof M>(key: K, patch: Partial<M[K]>): void {
    this.set(key, { ...this.values[key], ...patch });
  }

  /** Calls `listener` on every change to any of `keys`. Returns the unsubscribe function. */
  subscribe<K extends keyof M>(keys: readonly K[], listener: Listener<M, K>): () => void {
    for (const key of keys) {
      let set = this.listeners.get(key);
      if (!set) this.listeners.set(key, (set = new Set()));
      set.add(listener as Listener<M>);
    }
    return () => {
      for (const key of keys) this.listeners.get(key)?.delete(listener as Listener<M>);
    };
  }

  listenerCount(key: keyof M): number {
    return this.listeners.get(key)?.size ?? 0;
  }
}
