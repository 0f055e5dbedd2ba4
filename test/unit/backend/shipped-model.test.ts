import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadPreparedMnist } from '../../../src/data/node';

const dir = resolve('data/model');

/** Loads data/model the way a browser does from model.json: the weights files named in its manifest. */
async function loadShipped(): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(dir, p))));
  const weightData = tf.io.concatenateArrayBuffers(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }));
}

describe('the shipped model (data/model)', () => {
  it('takes [null, 28, 28, 1] images, outputs a softmax over 10 digits, and reads real test digits', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const model = await loadShipped();
    expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    const data = await loadPreparedMnist();
    const { xs, ys } = data.batch('test', Int32Array.from({ length: 200 }, (_, i) => i));
    const [sums, correct] = tf.tidy(() => {
      const p = model.predict(xs) as tf.Tensor2D;
      return [p.sum(1), tf.equal(p.argMax(1), ys.argMax(1)).sum()];
    });
    const total = (await sums.data()) as Float32Array;
    expect(Math.max(...Array.from(total, (s: number) => Math.abs(s - 1)))).toBeLessThan(1e-4);
    expect((await correct.data())[0]).toBeGreaterThanOrEqual(194);
    tf.dispose([xs, ys, sums, correct]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has a report with its test accuracy on all 10,000 test images, epochs, time and backend', async () => {
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
    expect(report.testImages).toBe(10000);
    expect(report.testAccuracy).toBeGreaterThan(0.97);
    expect(report.epochs).toBeGreaterThan(0);
    expect(report.trainSeconds).toBeGreaterThan(0);
    expect(report.backend).toBe('wasm');
  });
});
