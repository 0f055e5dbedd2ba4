import { describe, expect, it } from 'vitest';
import { analyzeSpec } from '../../../src/model/analyze';
import { estimateEpoch, formatDuration } from '../../../src/model/estimate';
import { specToJson, specToKeras } from '../../../src/model/export';
import { parseModelSpec, parseValidModelSpec } from '../../../src/model/parse';
import { CLASSIC_SPEC, DENSE_ONLY_SPEC, SMALL_SPEC, type ModelSpec } from '../../../src/model/spec';
import { createLabState } from '../../../src/state/lab-state';
import { applyUrlParams, writeUrlParams } from '../../../src/state/url-state';

const urlWith = (model: unknown) => new URLSearchParams({ model: typeof model === 'string' ? model : JSON.stringify(model) });

describe('the model spec in the URL', () => {
  it('round-trips each preset and an edited spec', () => {
    const edited: ModelSpec = { ...SMALL_SPEC, name: 'mine', layers: [...SMALL_SPEC.layers.slice(0, 4), { type: 'dropout', rate: 0.3 }, ...SMALL_SPEC.layers.slice(4)] };
    for (const spec of [CLASSIC_SPEC, SMALL_SPEC, DENSE_ONLY_SPEC, edited]) {
      const a = createLabState({ modelSpec: spec });
      const b = createLabState();
      applyUrlParams(b, new URLSearchParams(writeUrlParams(a, new URLSearchParams()).toString()));
      expect(b.get('modelSpec')).toEqual(spec);
    }
  });

  it('leaves the default for a malformed or impossible spec', () => {
    const bad: unknown[] = [
      '{"version":1',
      { version: 2, name: 'x', layers: SMALL_SPEC.layers },
      { version: 1, name: 'x', layers: 'flatten' },
      { version: 1, name: 'x', layers: [{ type: 'lstm', units: 3 }, ...DENSE_ONLY_SPEC.layers] },
      { version: 1, name: 'x', layers: [{ type: 'conv2d', filters: '8', kernelSize: 3, strides: 1, padding: 'same' }, ...DENSE_ONLY_SPEC.layers] },
      { version: 1, name: 'x', layers: [{ type: 'conv2d', filters: 8, kernelSize: 3, strides: 1, padding: 'full' }, ...DENSE_ONLY_SPEC.layers] },
      { version: 1, name: 'x', layers: [{ type: 'dense', units: 10, activation: 'softmax' }] },
      { version: 1, name: 'x', layers: [{ type: 'flatten' }, { type: 'dropout', rate: 1 }, { type: 'dense', units: 10, activation: 'softmax' }] },
      { version: 1, name: 'x', layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'magic' }] },
      { version: 1, name: 'x', layers: [] },
    ];
    for (const model of bad) {
      const state = createLabState();
      applyUrlParams(state, urlWith(model));
      expect(state.get('modelSpec'), JSON.stringify(model)).toBe(CLASSIC_SPEC);
    }
  });

  it('keeps only the known fields of each layer', () => {
    const raw = { version: 1, name: '  tidy  ', extra: 1, layers: [{ type: 'flatten', units: 5 }, { type: 'dense', units: 10, activation: 'softmax', evil: '<script>' }] };
    expect(parseValidModelSpec(raw)).toEqual({ version: 1, name: 'tidy', layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] });
    // Well-formed but impossible: parsed (the editor can show it), not valid.
    const impossible = { version: 1, name: 'x', layers: [{ type: 'dense', units: 10, activation: 'softmax' }] };
    expect(parseModelSpec(impossible)).not.toBeNull();
    expect(parseValidModelSpec(impossible)).toBeNull();
  });
});

describe('export', () => {
  it('writes Keras code with one line per layer, the same settings, and the optimizer', () => {
    const code = specToKeras(CLASSIC_SPEC, { optimizer: 'sgd', learningRate: 0.01, momentum: 0.9 });
    expect(code).toContain('keras.Input(shape=(28, 28, 1)),');
    expect(code.match(/^ {8}layers\./gm)).toHaveLength(CLASSIC_SPEC.layers.length);
    expect(code).toContain('layers.Conv2D(32, 3, strides=1, padding="same", kernel_initializer="he_normal"),');
    expect(code).toContain('layers.MaxPooling2D(pool_size=2, strides=2, padding="valid"),');
    expect(code).toContain('layers.Dropout(0.25),');
    expect(code).toContain('layers.Dense(10, activation="softmax"),');
    expect(code).toContain('optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),');
    expect(code).toContain('loss="sparse_categorical_crossentropy"');
    expect(specToKeras(SMALL_SPEC)).toContain('layers.Conv2D(8, 5, strides=1, padding="valid", activation="relu", kernel_initializer="he_normal"),');
  });

  it('keeps a name with a line break inside the comment, and strips it when parsing', () => {
    const code = specToKeras({ ...SMALL_SPEC, name: 'x\nimport os' });
    expect(code).not.toMatch(/^import os/m);
    expect(parseModelSpec({ ...SMALL_SPEC, name: 'a\nb' })?.name).toBe('a b');
  });

  it('writes JSON that parses back to the same spec', () => {
    for (const spec of [CLASSIC_SPEC, SMALL_SPEC, DENSE_ONLY_SPEC]) expect(parseValidModelSpec(JSON.parse(specToJson(spec)))).toEqual(spec);
  });
});

describe('time per epoch', () => {
  it('reproduces the measured small-net epoch on software WebGL within 25%', () => {
    // DESIGN.md: one epoch of the small net on software WebGL took 280 s (54,000 images, batch 128: 227 images/s).
    const e = estimateEpoch(analyzeSpec(SMALL_SPEC).multiplyAdds, 'webgl-software', 54_000, 128);
    expect(e.seconds).toBeGreaterThan(280 * 0.75);
    expect(e.seconds).toBeLessThan(280 * 1.25);
  });

  it('reproduces the measured classic-net rate on software WebGL within 25% (2.9 images/s)', () => {
    const e = estimateEpoch(analyzeSpec(CLASSIC_SPEC).multiplyAdds, 'webgl-software', 54_000, 128);
    const measured = 54_000 / 2.9;
    expect(e.seconds / measured).toBeGreaterThan(0.75);
    expect(e.seconds / measured).toBeLessThan(1.25);
  });

  it('reproduces the classic-net rate measured on WebAssembly with the lab kernels within a factor of 2 (about 50 images/s)', () => {
    const e = estimateEpoch(analyzeSpec(CLASSIC_SPEC).multiplyAdds, 'wasm', 54_000, 64);
    const measured = 54_000 / 50;
    expect(e.seconds / measured).toBeGreaterThan(0.5);
    expect(e.seconds / measured).toBeLessThan(2);
  });

  it('formats durations for people', () => {
    expect(formatDuration(0.2)).toBe('under a second');
    expect(formatDuration(42)).toBe('about 42 s');
    expect(formatDuration(280)).toBe('about 5 min');
    expect(formatDuration(5 * 3600 + 20 * 60)).toBe('about 5 h 20 min');
  });
});
