// Unfreezing the last convolution block of the shipped classic network (issue 14, "optionally unfreeze the last conv
// block, and compare"): in Node on the WASM backend, through the engine the training worker runs (in-process here).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, type MnistDataset } from '../../../src/data/mnist';
import { preprocess } from '../../../src/draw/preprocess';
import { modelFromData, modelToData } from '../../../src/model/artifacts';
import type { LabModel } from '../../../src/model/lab-model';
import { addClass, addExample, EMPTY_CLASS_SET, flattenExamples, type ClassSet } from '../../../src/symbols/class-set';
import { splitHead } from '../../../src/symbols/features';
import { splitLastConvBlock } from '../../../src/symbols/fine-tune';
import { modelPredictor, readSymbol } from '../../../src/symbols/reader';
import type { HeadEvent } from '../../../src/symbols/teach-protocol';
import { DEFAULT_TEACH } from '../../../src/symbols/teach-settings';
import type { TrainingEngine } from '../../../src/train/engine';
import { FIRST_TEST_DIGITS, SHIPPED_RIGHT_OF_FIRST_TEST_DIGITS } from '../data/test-digits';
import { openShippedEngine } from './shipped-engine';
import { otherStyleDrawing, paintDrawing, taughtDrawing, type Drawing, type Shape } from './strokes';

let dataset: MnistDataset;
let base: LabModel;
let engine: TrainingEngine;

/**
 * The comparison scores the test split three ways (base, frozen, unfrozen) and this test a fourth: on the first 2,000
 * test digits, as the same counts prove the same (the shipped model's 10,000-digit score: shipped-accuracy.test.ts).
 */
const TEST_DIGITS = FIRST_TEST_DIGITS;

const prepared = (drawing: Drawing) => preprocess(paintDrawing(drawing)).centred.data;

beforeAll(async () => {
  ({ base, dataset, engine } = await openShippedEngine(TEST_DIGITS));
});

afterAll(async () => {
  base.dispose();
  await tf.setBackend('cpu');
});

describe('the last convolution block, unfrozen', () => {
  it('is the last Conv2D and its batch norm; the layers before and after stay frozen', async () => {
    const { body } = await splitHead(base.model);
    const split = splitLastConvBlock(body);
    expect(split.block.map((l) => l.getClassName())).toEqual(['Conv2D', 'BatchNormalization']);
    expect(split.prefix.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(3);
    expect(split.rest.map((l) => l.getClassName())).toEqual(['Activation', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense', 'BatchNormalization', 'Activation', 'Dropout']);
  });

  it('is refused, before any teaching, for a network with no convolution layer', async () => {
    const dense = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 16, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    try {
      const { body } = await splitHead(dense);
      expect(() => splitLastConvBlock(body)).toThrow('The lab’s model has no convolution layer to unfreeze.');
      const events: HeadEvent[] = [];
      const request = { baseKey: 'dense', base: await modelToData(dense), classNames: ['+'], images: new Uint8Array(3 * IMAGE_PIXELS).fill(255), labels: new Uint8Array(3), settings: { ...DEFAULT_TEACH, unfreeze: true }, checkDigits: false };
      await expect(engine.trainHead(request, (e) => events.push(e))).rejects.toThrow('no convolution layer to unfreeze');
      expect(events.filter((e) => e.type === 'head')).toEqual([]);
    } finally {
      dense.dispose();
    }
  });

  it('teaches + and × with the block trained too, compares with the frozen body on the same fold and the test digits, and frees every tensor', async () => {
    let set: ClassSet = EMPTY_CLASS_SET;
    for (const shape of ['+', '×'] as Shape[]) {
      set = addClass(set, shape);
      for (let i = 1; i <= 12; i++) set = addExample(set, shape, prepared(taughtDrawing(shape, i)));
    }
    const { images, labels } = flattenExamples(set);
    const events: HeadEvent[] = [];
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    await engine.trainHead(
      { baseKey: 'shipped-unfreeze', base: await modelToData(base.model), classNames: ['+', '×'], images, labels, settings: { ...DEFAULT_TEACH, unfreeze: true }, checkDigits: true },
      (event) => events.push(event),
    );
    const wall = (performance.now() - t0) / 1000;
    const after = tf.memory().numTensors;
    const unfrozen = events.find((e) => e.type === 'unfrozen');
    if (unfrozen?.type !== 'unfrozen') throw new Error('no unfrozen model came back');
    const r = unfrozen.report;
    console.log(`[figure] unfrozen last conv block (Node/WASM, + and × from 12 drawings each): ${r.seconds.toFixed(1)} s for the comparison and the model (all teaching ${wall.toFixed(1)} s); held-out drawings frozen ${r.heldOut.drawings.frozen}/${r.heldOut.drawings.count}, unfrozen ${r.heldOut.drawings.unfrozen}/${r.heldOut.drawings.count}; held-out digits frozen ${r.heldOut.digits.frozen}/${r.heldOut.digits.count}, unfrozen ${r.heldOut.digits.unfrozen}/${r.heldOut.digits.count}; test digits base ${r.digits!.base}, frozen ${r.digits!.frozen}, unfrozen ${r.digits!.unfrozen} of ${r.digits!.count}`);
    expect(after).toBe(before);
    expect(r.heldOut.drawings.count).toBe(6);
    expect(r.heldOut.digits.count).toBe(80);
    expect(r.digits!.count).toBe(TEST_DIGITS);
    // The base model's score from the comparison's features is the model's own, read whole.
    expect(r.digits!.base).toBe(SHIPPED_RIGHT_OF_FIRST_TEST_DIGITS);

    // The model that comes back: the ten digits and the two classes, the block changed, the layers before it not.
    const model = await modelFromData(unfrozen.model);
    try {
      const weights = (m: tf.LayersModel, name: string) => m.getLayer(name).getWeights()[0].data();
      const same = async (name: string) => {
        const [a, b] = [await weights(base.model, name), await weights(model, name)];
        return a.every((v, i) => v === b[i]);
      };
      expect(await same('conv2d_Conv2D1')).toBe(true);
      expect(await same('conv2d_Conv2D3')).toBe(true);
      expect(await same('dense_Dense1')).toBe(true);
      expect(await same('conv2d_Conv2D4')).toBe(false);
      const predictor = modelPredictor(model);
      const names = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '×'];
      const read = async (d: Drawing) => (await readSymbol(predictor, names, prepared(d))).label;
      const plus: string[] = [];
      const times: string[] = [];
      for (let i = 0; i < 10; i++) {
        plus.push(await read(otherStyleDrawing('+', i)));
        times.push(await read(otherStyleDrawing('×', i)));
      }
      console.log(`[figure] unfrozen model, other styles: + ${plus.filter((l) => l === '+').length}/10, × ${times.filter((l) => l === '×').length}/10`);
      expect(plus.filter((l) => l === '+').length).toBeGreaterThanOrEqual(9);
      expect(times.filter((l) => l === '×').length).toBeGreaterThanOrEqual(9);
      // Its own score on the test digits, read whole, is the one reported.
      let right = 0;
      for (let start = 0; start < TEST_DIGITS; start += 1000) {
        const batch = Float32Array.from(dataset.test.images.subarray(start * IMAGE_PIXELS, (start + 1000) * IMAGE_PIXELS), (v) => v / 255);
        const p = await predictor.predict(batch);
        for (let i = 0; i < 1000; i++) {
          const row = p.subarray(i * 12, (i + 1) * 12);
          if (row.indexOf(Math.max(...row)) === dataset.test.labels[start + i]) right++;
        }
      }
      expect(right).toBe(r.digits!.unfrozen);
    } finally {
      model.dispose();
    }
  }, 600_000);
});
