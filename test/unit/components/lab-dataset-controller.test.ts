// LabDatasetController against a real lab state, on a stand-in host (./fake-host). MNIST comes from the prepared
// files; a failing fetch stands for a broken network.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LabDatasetController, type LabDatasetOptions } from '../../../components/lab-dataset-controller';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { createLabState } from '../../../src/state/lab-state';
import { FakeHost } from './fake-host';

function setup(options?: LabDatasetOptions) {
  const state = createLabState();
  const host = new FakeHost(state);
  // Only what the controller reads: the page's address (config.ts resolves the data's URL against it).
  vi.stubGlobal('document', { baseURI: 'http://127.0.0.1:9/' });
  const controller = new LabDatasetController(host.element, options);
  host.connect();
  return { state, host, controller };
}

let dataset: MnistDataset;
beforeAll(async () => {
  dataset = await loadPreparedMnist();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('LabDatasetController', () => {
  it('follows the lab’s data set: ready once loaded, re-rendering the host when it arrives', () => {
    const { state, host, controller } = setup();
    expect(controller.status).toBe('busy');
    expect(controller.dataset).toBeNull();
    const before = host.updates;
    state.set('dataset', dataset);
    expect(host.updates).toBeGreaterThan(before);
    expect(controller.dataset).toBe(dataset);
    expect(controller.status).toBe('ready');
    return expect(controller.ensure()).resolves.toBe(dataset);
  });

  it('eager: asks for MNIST once when nobody has; a failed download shows as an error, and retry asks again', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('network down');
    });
    vi.stubGlobal('fetch', fetch);
    const { state, host, controller } = setup({ load: 'eager' });
    host.update();
    expect(state.get('datasetLoad').status).toBe('loading');
    host.update(); // loading already: no second request
    await vi.waitFor(() => expect(controller.status).toBe('error'));
    expect(controller.loadState?.error).toMatch(/network down/);
    const calls = fetch.mock.calls.length;
    expect(calls).toBeGreaterThan(0);
    // An error is not asked again by itself (no retry loop); the learner's Retry does.
    host.update();
    expect(fetch.mock.calls.length).toBe(calls);
    controller.retry();
    expect(state.get('datasetLoad').status).toBe('loading');
    await vi.waitFor(() => expect(controller.status).toBe('error'));
    expect(fetch.mock.calls.length).toBeGreaterThan(calls);
  });

  it('lazy: waits for ensure(); outside the lab ensure() rejects with a clear message', async () => {
    const { state, host } = setup({ load: 'lazy' });
    host.update();
    expect(state.get('datasetLoad').status).toBe('idle');
    const lonely = new FakeHost();
    const outside = new LabDatasetController(lonely.element);
    lonely.connect();
    await expect(outside.ensure()).rejects.toThrow('The cell is not inside the lab, so it has no data set.');
  });
});
