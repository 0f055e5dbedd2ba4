import { describe, expect, it } from 'vitest';
import { DEFAULT_AUGMENT } from '../../../src/augment/settings';
import { createLabState } from '../../../src/state/lab-state';
import { applyStoredSettings, applyUrlParams, SETTINGS_STORAGE_KEY } from '../../../src/state/url-state';
import { CLASSIC_SPEC, MODEL_SPEC_VERSION, SMALL_SPEC } from '../../../src/model/spec';
import { DEFAULT_TRAIN } from '../../../src/train/settings';

const conv = (filters: number) => ({ type: 'conv2d', filters, kernelSize: 3, strides: 1, padding: 'same' });

describe('a refused setting in a link says which and why, in one notice', () => {
  it('names a model with a billion filters, ten thousand layers, an unknown layer, or deep JSON', () => {
    const cases: [string, RegExp][] = [
      [JSON.stringify({ version: MODEL_SPEC_VERSION, name: 'x', layers: [conv(1e9), { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] }), /the model cannot be built: Layer 1 .*filters must be a whole number from 1 to 512/],
      [JSON.stringify({ version: MODEL_SPEC_VERSION, name: 'x', layers: Array.from({ length: 10_000 }, () => ({ type: 'flatten' })) }), /the model has 10,000 layers; the lab builds models of up to 200/],
      [JSON.stringify({ version: MODEL_SPEC_VERSION, name: 'x', layers: [{ type: 'flatten' }, { type: 'lstm', units: 3 }] }), /layer 2 of the model \(type “lstm”\) is not a layer the lab knows/],
      ['['.repeat(100_000) + ']'.repeat(100_000), /the model is not a Digit Lab model spec/],
    ];
    for (const [model, reason] of cases) {
      const state = createLabState();
      const problems = applyUrlParams(state, new URLSearchParams({ model }));
      expect(problems).toHaveLength(1);
      expect(state.get('modelSpec')).toBe(CLASSIC_SPEC);
      expect(state.get('notices')).toHaveLength(1);
      expect(state.get('notices')[0]).toMatch(/^In the link you opened, a setting was refused, and the lab’s default used instead: /);
      expect(state.get('notices')[0]).toMatch(reason);
    }
  });

  it('keeps what is valid, names each refused value, and gathers them in one notice', () => {
    const state = createLabState();
    applyUrlParams(
      state,
      new URLSearchParams({
        model: JSON.stringify(SMALL_SPEC),
        // 1e999 is valid JSON that reads as Infinity.
        aug: JSON.stringify({ ...DEFAULT_AUGMENT, zoom: 0.3 }).replace('"rotation":10', '"rotation":1e999'),
        train: JSON.stringify({ ...DEFAULT_TRAIN, batchSize: 0, epochs: 3, learningRate: 'fast' }),
      }),
    );
    expect(state.get('modelSpec')).toEqual(SMALL_SPEC);
    expect(state.get('augmentation')).toEqual({ ...DEFAULT_AUGMENT, zoom: 0.3 });
    expect(state.get('trainSettings')).toEqual({ ...DEFAULT_TRAIN, epochs: 3 });
    expect(state.get('notices')).toEqual([
      'In the link you opened, 3 settings were refused, and the lab’s default used instead: augmentation rotation Infinity is not a number from 0 to 180; ' +
        'batch size must be from 1 to 1,024 (got 0); training setting learningRate “fast” is not a number.',
    ]);
  });

  it('says NaN in a link is not JSON, and a clean link gives no notice', () => {
    const state = createLabState();
    applyUrlParams(state, new URLSearchParams({ aug: '{"rotation":NaN}' }));
    expect(state.get('notices')[0]).toContain('the augmentation settings are not valid JSON (NaN and Infinity are not numbers there)');
    const clean = createLabState();
    expect(applyUrlParams(clean, new URLSearchParams({ model: JSON.stringify(SMALL_SPEC), train: JSON.stringify(DEFAULT_TRAIN) }))).toEqual([]);
    expect(clean.get('notices')).toEqual([]);
  });

  it('names damaged settings kept in the browser', () => {
    const items = new Map([[SETTINGS_STORAGE_KEY, JSON.stringify({ train: JSON.stringify({ ...DEFAULT_TRAIN, epochs: 0 }) })]]);
    const state = createLabState();
    applyStoredSettings(state, new URLSearchParams(), { getItem: (k) => items.get(k) ?? null, setItem: () => {} });
    expect(state.get('notices')).toEqual([
      'In the settings kept in this browser from your last visit, a setting was refused, and the lab’s default used instead: epochs must be from 1 to 50 (got 0).',
    ]);
  });
});
