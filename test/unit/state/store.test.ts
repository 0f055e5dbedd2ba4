import { describe, expect, it, vi } from 'vitest';
import { createLabState } from '../../../src/state/lab-state';
import { Store } from '../../../src/state/store';
import { applyStoredSettings, applyUrlParams, SETTINGS_STORAGE_KEY, storeSettings, writeUrlParams } from '../../../src/state/url-state';
import { DEFAULT_TRAIN } from '../../../src/train/settings';
import { SMALL_SPEC } from '../../../src/model/spec';

describe('Store', () => {
  it('versions each key and notifies subscribers of that key only', () => {
    const store = new Store({ a: 1, b: 'x' });
    const onA = vi.fn();
    const unsubscribe = store.subscribe(['a'], onA);
    store.set('a', 2);
    store.set('b', 'y');
    expect(store.version('a')).toBe(1);
    expect(store.version('b')).toBe(1);
    expect(onA).toHaveBeenCalledTimes(1);
    expect(onA).toHaveBeenCalledWith('a', 2, 1);
    unsubscribe();
    store.set('a', 3);
    expect(onA).toHaveBeenCalledTimes(1);
    expect(store.listenerCount('a')).toBe(0);
  });

  it('disposes a value it replaces, but not when set to the same object', () => {
    const first = { dispose: vi.fn() };
    const store = new Store<{ model: { dispose(): void } | null }>({ model: first });
    store.set('model', first);
    expect(first.dispose).not.toHaveBeenCalled();
    store.set('model', null);
    expect(first.dispose).toHaveBeenCalledTimes(1);
  });
});

describe('URL state', () => {
  it('round-trips the small settings through the query string', () => {
    const a = createLabState();
    a.set('modelSpec', SMALL_SPEC);
    a.update('augmentation', { rotation: 25 });
    a.update('trainSettings', { epochs: 3, learningRate: 0.01 });
    const params = writeUrlParams(a, new URLSearchParams());
    const b = createLabState();
    applyUrlParams(b, new URLSearchParams(params.toString()));
    expect(b.get('modelSpec')).toEqual(SMALL_SPEC);
    expect(b.get('augmentation').rotation).toBe(25);
    expect(b.get('trainSettings')).toEqual(a.get('trainSettings'));
  });

  it('ignores malformed values and keeps the defaults', () => {
    const state = createLabState();
    const before = state.get('modelSpec');
    applyUrlParams(state, new URLSearchParams('model=%7Bnot-json&aug=42&train=%7B%22epochs%22%3A%22many%22%7D'));
    expect(state.get('modelSpec')).toBe(before);
    expect(state.get('trainSettings').epochs).toBe(1);
  });

  it('holds training settings from a link to the form’s limits (no batch size 0, no unknown optimizer)', () => {
    for (const bad of [{ optimizer: 'nadam' }, { batchSize: 0 }, { validationSplit: 7 }, { learningRate: -1 }]) {
      const state = createLabState();
      applyUrlParams(state, new URLSearchParams({ train: JSON.stringify({ ...DEFAULT_TRAIN, ...bad }) }));
      expect(state.get('trainSettings')).toEqual(DEFAULT_TRAIN);
    }
  });
});

describe('settings kept in the browser', () => {
  const memoryStorage = () => {
    const items = new Map<string, string>();
    return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
  };

  it('a bare address brings back the last settings; a URL’s query wins over them', () => {
    const storage = memoryStorage();
    const first = createLabState();
    first.update('trainSettings', { epochs: 4, seed: 99 });
    first.set('modelSpec', SMALL_SPEC);
    storeSettings(first, storage);

    const bare = createLabState();
    applyStoredSettings(bare, new URLSearchParams(), storage);
    expect(bare.get('trainSettings')).toEqual(first.get('trainSettings'));
    expect(bare.get('modelSpec')).toEqual(SMALL_SPEC);

    const linked = createLabState();
    const params = new URLSearchParams({ train: JSON.stringify({ ...DEFAULT_TRAIN, epochs: 2 }) });
    applyUrlParams(linked, params);
    applyStoredSettings(linked, params, storage);
    expect(linked.get('trainSettings').epochs).toBe(2);
    expect(linked.get('modelSpec')).toEqual(SMALL_SPEC);
  });

  it('ignores damaged stored settings', () => {
    const storage = memoryStorage();
    storage.setItem(SETTINGS_STORAGE_KEY, '{"train": "{\\"batchSize\\": 0}", "model": 42');
    const state = createLabState();
    applyStoredSettings(state, new URLSearchParams(), storage);
    expect(state.get('trainSettings')).toEqual(DEFAULT_TRAIN);
    storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ train: JSON.stringify({ ...DEFAULT_TRAIN, batchSize: 0 }) }));
    applyStoredSettings(state, new URLSearchParams(), storage);
    expect(state.get('trainSettings')).toEqual(DEFAULT_TRAIN);
  });
});

