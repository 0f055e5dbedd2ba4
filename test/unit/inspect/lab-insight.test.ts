// The lab's insight into its model: the "not a digit" check (shipped, kept, or fitted in the engine) and the
// training digits' embeddings for the mistake microscope (once per model, in chunks, kept), with the in-process
// engine (the browser uses the same service in a worker). Also the requests between cells (src/inspect/focus.ts).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { IMAGE_PIXELS, MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { embeddingLayerIndex, nearestNeighbours } from '../../../src/inspect/embedding';
import { highlightedFilter, highlightFilter, requestInspection, subscribeFocus, takeInspection } from '../../../src/inspect/focus';
import { createInProcessInsightEngine, type InsightEngine } from '../../../src/inspect/insight-engine';
import { LabInsight, type Storage } from '../../../src/inspect/lab-insight';
import { inspectInput } from '../../../src/inspect/saliency';
import { buildModel } from '../../../src/model/build';
import { LabModel } from '../../../src/model/lab-model';
import { loadShippedModel } from '../../../src/model/shipped';
import { SMALL_SPEC } from '../../../src/model/spec';
import { createLabState, type LabState } from '../../../src/state/lab-state';
import { SHIPPED_BASE, shippedModelFetch } from './shipped-fixture';

let full: MnistDataset;
/** The first 1,000 training digits (and every test digit): embeddings of all 60,000 take minutes in Node. */
let few: MnistDataset;
let shipped: LabModel;

function memoryStorage(): Storage & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    load: async <T>(key: string) => values.get(key) as T | undefined,
    save: async <T>(key: string, value: T) => void values.set(key, value),
  };
}

function insightFor(state: LabState, dataset: MnistDataset, storage: Storage, engine: InsightEngine, chunk = 400): LabInsight {
  return new LabInsight(state, {
    createEngine: () => engine,
    dataset: async () => dataset,
    shippedCheckUrl: `${SHIPPED_BASE}digit-check.json`,
    fetch: shippedModelFetch,
    storage,
    chunk,
  });
}

beforeAll(async () => {
  full = await loadPreparedMnist();
  const n = 1000;
  few = new MnistDataset({ images: full.train.images.slice(0, n * IMAGE_PIXELS), labels: full.train.labels.slice(0, n), count: n }, full.test);
  const engine = createInProcessInsightEngine({ wasmPaths: nodeWasmPaths() });
  await engine.start('wasm');
  shipped = await loadShippedModel(SHIPPED_BASE, { fetch: shippedModelFetch });
});

afterAll(async () => {
  shipped.dispose();
  await tf.setBackend('cpu');
});

describe('the training digits\' embeddings', () => {
  it('are computed once, chunk by chunk, found again in storage, and give the nearest training digits', async () => {
    const state = createLabState({ model: shipped });
    const storage = memoryStorage();
    const engine = createInProcessInsightEngine({ wasmPaths: nodeWasmPaths() });
    const embed = vi.spyOn(engine, 'embed');
    const insight = insightFor(state, few, storage, engine);
    const seen: number[] = [];
    insight.subscribe(() => {
      const done = insight.progress.embedding?.done;
      if (done !== undefined && !seen.includes(done)) seen.push(done);
    });
    const job = insight.embeddings(shipped);
    expect(insight.embeddings(shipped)).toBe(job);
    const embeddings = await job;
    expect(seen).toEqual([0, 400, 800, 1000]);
    expect(embed).toHaveBeenCalledTimes(3);
    expect(embeddings).toMatchObject({ count: 1000, total: 1000, size: 256, origin: 'computed' });
    expect(embeddings.values).toHaveLength(1000 * 256);
    expect(embeddings.seconds).toBeGreaterThan(0);
    expect(insight.progress.embedding).toBeNull();

    // A test digit's neighbours: mostly of its own class; the same as a brute-force search.
    const pixels = Float32Array.from(full.image('test', 0), (v) => v / 255);
    const { embedding } = await inspectInput(shipped.model, pixels, { method: 'gradient' });
    const found = insight.neighbours(shipped, embedding, 8)!;
    expect(found.searched).toBe(1000);
    const labels = found.neighbours.map((n) => few.label('train', n.index));
    expect(labels.filter((l) => l === full.label('test', 0)).length).toBeGreaterThanOrEqual(6);
    const brute = Array.from({ length: 1000 }, (_, row) => ({ row, d: Math.hypot(...Array.from(embedding, (v, j) => v - embeddings.values[row * 256 + j])) })).sort((a, b) => a.d - b.d);
    expect(found.neighbours.map((n) => n.index)).toEqual(brute.slice(0, 8).map((b) => b.row));
    expect(found.neighbours[0].distance).toBeCloseTo(brute[0].d, 3);

    // Another page load: read back from storage, no forward pass.
    const again = insightFor(state, few, storage, engine);
    embed.mockClear();
    const stored = await again.embeddings(shipped);
    expect(stored.origin).toBe('stored');
    expect(embed).not.toHaveBeenCalled();
    expect(again.neighbours(shipped, embedding, 8)!.neighbours).toEqual(found.neighbours);
  });

  it('stops when the lab model is replaced, and gives no neighbours for another model', async () => {
    const small = new LabModel(buildModel(SMALL_SPEC), 'trained', 'small test model');
    const state = createLabState({ model: small });
    const insight = insightFor(state, few, memoryStorage(), createInProcessInsightEngine({ wasmPaths: nodeWasmPaths() }), 100);
    const job = insight.embeddings(small);
    insight.subscribe(() => {
      if ((insight.progress.embedding?.done ?? 0) >= 100 && state.get('model') === small) {
        const other = new LabModel(small.model, 'trained', 'same weights, new identity');
        (small as unknown as { dispose(): void }).dispose = () => {};
        state.set('model', other);
      }
    });
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
    expect(insight.neighbours(state.get('model')!, new Float32Array(784), 3)).toBeNull();
    state.get('model')!.dispose();
  });

  it('finds the embedding layer and brute-force-equal neighbours', () => {
    const layers = buildModel(SMALL_SPEC).layers;
    expect(layers[embeddingLayerIndex(layers)].getClassName()).toBe('Flatten');
    const values = Float32Array.from([0, 0, 1, 1, 5, 5, 2, 2]);
    expect(nearestNeighbours(values, 2, 4, [1.2, 1.2], 2).map((n) => n.index)).toEqual([1, 3]);
    expect(nearestNeighbours(values, 2, 2, [4, 4], 5).map((n) => n.index)).toEqual([1, 0]);
    expect(() => nearestNeighbours(values, 2, 4, [1], 1)).toThrow(RangeError);
  });
});

describe('the "not a digit" check for the lab\'s model', () => {
  it('is the shipped file for the shipped model (nothing fitted), and fitted once in the engine for a new one', async () => {
    const storage = memoryStorage();
    const engine = createInProcessInsightEngine({ wasmPaths: nodeWasmPaths() });
    const calibrate = vi.spyOn(engine, 'calibrate');
    const state = createLabState({ model: shipped });
    const insight = insightFor(state, full, storage, engine);
    const known = await insight.knownCheck(shipped);
    expect(known).not.toBeNull();
    expect(await insight.digitCheck(shipped)).toBe(known);
    expect(insight.readyCheck(shipped)).toBe(known);
    expect(calibrate).not.toHaveBeenCalled();

    const small = new LabModel(buildModel(SMALL_SPEC), 'trained', 'small test model');
    expect(await insight.knownCheck(small)).toBeNull();
    const fractions: number[] = [];
    insight.subscribe(() => {
      const f = insight.progress.calibrating;
      if (f !== null) fractions.push(f);
    });
    const fitted = await insight.digitCheck(small);
    expect(calibrate).toHaveBeenCalledTimes(1);
    expect(fractions[0]).toBe(0);
    expect(fractions[fractions.length - 1]).toBeCloseTo(1, 5);
    // The held-out digits count twice: as MNIST has them and as the pad shows them.
    expect(fitted.calibration.heldOutDigits).toBe(4000);
    expect(insight.progress.calibrating).toBeNull();
    // Kept: a later page load finds it without fitting.
    const again = insightFor(state, full, storage, engine);
    expect(await again.knownCheck(small)).toEqual(fitted);
    expect(calibrate).toHaveBeenCalledTimes(1);
    small.dispose();
  });
});

describe('requests between cells', () => {
  it('a request to inspect a test digit selects it and is taken once; a hovered map highlights its filter', () => {
    const state = createLabState();
    let calls = 0;
    const unsubscribe = subscribeFocus(state, () => calls++);
    requestInspection(state, { kind: 'digit', split: 'test', index: 42 });
    expect(state.get('selectedDigit')).toEqual({ split: 'test', index: 42 });
    expect(takeInspection(state)).toEqual({ kind: 'digit', split: 'test', index: 42 });
    expect(takeInspection(state)).toBeNull();
    requestInspection(state, { kind: 'drawing' });
    expect(state.get('selectedDigit')).toEqual({ split: 'test', index: 42 });
    highlightFilter(state, { layerName: 'conv2d_Conv2D2', channel: 3 });
    highlightFilter(state, { layerName: 'conv2d_Conv2D2', channel: 3 });
    expect(highlightedFilter(state)).toEqual({ layerName: 'conv2d_Conv2D2', channel: 3 });
    expect(calls).toBe(3);
    unsubscribe();
    highlightFilter(state, null);
    expect(calls).toBe(3);
    expect(highlightedFilter(state)).toBeNull();
  });
});
