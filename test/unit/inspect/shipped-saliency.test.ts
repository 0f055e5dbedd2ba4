// The saliency maps of the shipped model on 30 MNIST test digits: how much of each map's mass lies on or next to
// the ink (the figure the issue asked for, today's plain gradient against the new default). WASM: minutes on cpu.
// 30 digits, not 100: the means are far from their bars (integrated 1.00 against ≥ 0.8, the gradient 0.41 against
// < 0.6 on 100 digits), and integrated gradients cost about a second a digit here.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { loadPreparedMnist } from '../../../src/data/node';
import type { MnistDataset } from '../../../src/data/mnist';
import { inkShare, inspectInput, type SaliencyMethod } from '../../../src/inspect/saliency';
import type { LabModel } from '../../../src/model/lab-model';
import { loadShippedModel } from '../../../src/model/shipped';
import { SHIPPED_BASE, shippedModelFetch } from './shipped-fixture';

let lab: LabModel;
let dataset: MnistDataset;

beforeAll(async () => {
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  lab = await loadShippedModel(SHIPPED_BASE, { fetch: shippedModelFetch });
  dataset = await loadPreparedMnist();
});

afterAll(async () => {
  lab.dispose();
  await tf.setBackend('cpu');
});

/** Mean share of the saliency (and of the contrast map) on or next to ink, over the first `count` test digits. */
async function meanInkShare(method: SaliencyMethod, count: number): Promise<{ saliency: number; contrast: number; msPerDigit: number }> {
  let saliency = 0;
  let contrast = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const pixels = Float32Array.from(dataset.image('test', i), (v) => v / 255);
    const result = await inspectInput(lab.model, pixels, { method });
    saliency += inkShare(result.saliency.map, pixels);
    contrast += inkShare(result.contrast.map, pixels);
  }
  return { saliency: saliency / count, contrast: contrast / count, msPerDigit: (performance.now() - started) / count };
}

describe('saliency on the shipped model', () => {
  it('the default (integrated gradients) puts ≥ 80% of its mass on or next to the ink of 30 test digits; today\'s gradient does not', async () => {
    const before = tf.memory().numTensors;
    const today = await meanInkShare('gradient', 30);
    const integrated = await meanInkShare('integrated', 30);
    // Reported figures (and the other two methods on 10 digits).
    const smooth = await meanInkShare('smoothgrad', 10);
    const occlusion = await meanInkShare('occlusion', 10);
    console.log(JSON.stringify({ inkShare: { gradient30: today, integrated30: integrated, smoothgrad10: smooth, occlusion10: occlusion } }));
    expect(tf.memory().numTensors).toBe(before);
    expect(integrated.saliency).toBeGreaterThanOrEqual(0.8);
    expect(integrated.contrast).toBeGreaterThanOrEqual(0.8);
    expect(today.saliency).toBeLessThan(0.6);
    expect(occlusion.saliency).toBeGreaterThan(today.saliency);
    // Integrated gradients: ~0.5–1 s a digit here (33 rows forward and back).
  }, 420_000);

  it('a clear "inkShare" measure: all on the ink is 1, all on the background far from it is 0', () => {
    const pixels = new Float32Array(784);
    pixels[14 * 28 + 14] = 1;
    const onInk = new Float32Array(784);
    onInk[14 * 28 + 15] = 1; // next to the ink
    expect(inkShare(onInk, pixels)).toBe(1);
    const far = new Float32Array(784);
    far[0] = -1;
    expect(inkShare(far, pixels)).toBe(0);
  });
});
