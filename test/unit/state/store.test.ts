import { describe, expect, it, vi } from 'vitest';
import { createLabState } from '../../../src/state/lab-state';
import { Store } from '../../../src/state/store';
import { applyUrlParams, writeUrlParams } from '../../../src/state/url-state';
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
});
