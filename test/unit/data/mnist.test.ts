import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError } from '../../../src/data/idx';
import { loadMnist } from '../../../src/data/loader';
import { MnistDataset } from '../../../src/data/mnist';
import { fileFetch, loadMnistFromIdx, loadPreparedMnist } from '../../../src/data/node';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

let dataset: MnistDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadMnistFromIdx();
});

describe('MNIST from the original IDX files', () => {
  it('has 60,000 training and 10,000 test images', () => {
    expect(dataset.train.count).toBe(60000);
    expect(dataset.test.count).toBe(10000);
    expect(dataset.train.images.length).toBe(60000 * 784);
  });

  it('has the known class counts of the training set', () => {
    const counts = dataset.classCounts('train');
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(dataset.classCounts('test').reduce((a, b) => a + b)).toBe(10000);
  });

  it('starts with a 5 and uses the full 0–255 pixel range', () => {
    expect(dataset.label('train', 0)).toBe(5);
    let min = 255;
    let max = 0;
    for (const v of dataset.train.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 255]);
  });

  it('splits train/validation reproducibly by seed', () => {
    const a = dataset.trainValidationSplit(0.1, 7, 2000);
    const b = dataset.trainValidationSplit(0.1, 7, 2000);
    const c = dataset.trainValidationSplit(0.1, 8, 2000);
    expect(a.validation.length).toBe(200);
    expect(a.train.length).toBe(1800);
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.train)).not.toEqual(Array.from(c.train));
    const overlap = new Set(a.train);
    expect(Array.from(a.validation).some((i) => overlap.has(i))).toBe(false);
    expect(() => dataset.trainValidationSplit(1, 1)).toThrow(RangeError);
  });

  it('makes float tensors one batch at a time, and leaves none behind', () => {
    const before = tf.memory().numTensors;
    const indices = Int32Array.from({ length: 250 }, (_, i) => i);
    let seen = 0;
    for (const batch of dataset.batches('train', indices, 100, 3)) {
      expect(batch.xs.shape.slice(1)).toEqual([28, 28, 1]);
      const sums = tf.tidy(() => batch.ys.sum(1));
      expect(Array.from(sums.dataSync())).toEqual(new Array(batch.indices.length).fill(1));
      const max = batch.xs.max();
      expect(max.dataSync()[0]).toBeLessThanOrEqual(1);
      tf.dispose([sums, max, batch.xs, batch.ys]);
      seen += batch.indices.length;
    }
    expect(seen).toBe(250);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the prepared data/ files through the browser loader', () => {
  it('loads and verifies all 70,000 images', async () => {
    const prepared = await loadPreparedMnist();
    expect(prepared.train.count).toBe(60000);
    expect(prepared.test.count).toBe(10000);
    // Compare bytes directly: a deep equality on 47 MB would walk every element as an object key.
    expect(Buffer.compare(prepared.train.images, dataset.train.images)).toBe(0);
    expect(Buffer.compare(prepared.test.labels, dataset.test.labels)).toBe(0);
  });

  it('accepts files a host has already decompressed, verified by the payload checksum', async () => {
    const dir = resolve('data/mnist');
    const { gunzipSync } = await import('node:zlib');
    const decoding = (async (input: RequestInfo | URL) => {
      const raw = new Uint8Array(await readFile(resolve(dir, String(input))));
      return new Response(String(input).endsWith('.u8z') ? new Uint8Array(gunzipSync(raw)) : raw);
    }) as typeof fetch;
    const loaded = await loadMnist({ baseUrl: '', fetch: decoding });
    expect(loaded.test.count).toBe(10000);
  });

  it('rejects a truncated file with a message naming it', async () => {
    const dir = resolve('data/mnist');
    const real = fileFetch(dir);
    const truncating = (async (input: RequestInfo | URL) => {
      if (String(input).endsWith('test-labels.u8z')) {
        const raw = new Uint8Array(await readFile(resolve(dir, 'test-labels.u8z')));
        return new Response(raw.subarray(0, raw.length - 100));
      }
      return real(input);
    }) as typeof fetch;
    await expect(loadMnist({ baseUrl: '', fetch: truncating })).rejects.toThrow(/test-labels\.u8z/);
  });

  it('rejects a corrupt file (right size, wrong bytes) by checksum', async () => {
    const dir = resolve('data/mnist');
    const real = fileFetch(dir);
    const corrupting = (async (input: RequestInfo | URL) => {
      if (String(input).endsWith('train-labels.u8z')) {
        const { gzipSync, gunzipSync } = await import('node:zlib');
        const raw = gunzipSync(await readFile(resolve(dir, 'train-labels.u8z')));
        raw[10] = (raw[10] + 1) % 10;
        return new Response(new Uint8Array(gzipSync(raw)));
      }
      return real(input);
    }) as typeof fetch;
    const error = await loadMnist({ baseUrl: '', fetch: corrupting }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect((error as Error).message).toMatch(/train-labels\.u8z: checksum mismatch/);
  });
});
