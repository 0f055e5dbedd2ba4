import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFromData, modelToData, type ModelData } from '../../../src/model/artifacts';
import { addClass, addExample, EMPTY_CLASS_SET } from '../../../src/symbols/class-set';
import { extendModelData, outputUnits } from '../../../src/symbols/extended-model';
import { splitHead } from '../../../src/symbols/features';
import { readSymbolFile, writeSymbolFile, type TaughtModel } from '../../../src/symbols/file';
import { widenHead } from '../../../src/symbols/head';

let base: ModelData;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 6, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })],
  });
  base = await modelToData(model);
  model.dispose();
});

const image = (seed: number) => Float32Array.from({ length: 784 }, (_, i) => ((i * 7 + seed * 13) % 17) / 16);

async function taughtModel(): Promise<TaughtModel> {
  const model = await modelFromData(base);
  const { head } = await splitHead(model);
  model.dispose();
  const wide = widenHead(head, 12);
  wide.kernel.forEach((_, i) => (wide.kernel[i] += ((i % 5) - 2) * 0.1));
  wide.bias[10] = 0.5;
  return {
    data: extendModelData(base, wide),
    classNames: ['+', '×'],
    report: { baseDescription: 'a test model', taughtAt: 1, examples: [1, 1], heldOut: null, digits: null, seconds: { ready: 1, heldOut: null, digits: null } },
  };
}

describe('the extended model', () => {
  it('is the base model with a wider last layer carrying the new head, and leaves the base as it was', async () => {
    const model = await modelFromData(base);
    const { head } = await splitHead(model);
    const wide = widenHead(head, 12);
    wide.bias[11] = 3;
    const extended = await modelFromData(extendModelData(base, wide));
    expect(outputUnits(base)).toBe(10);
    expect(extended.outputs[0].shape).toEqual([null, 12]);
    const [k, b] = extended.layers.at(-1)!.getWeights();
    expect(Array.from(await k.data())).toEqual(Array.from(wide.kernel));
    expect(Array.from(await b.data())).toEqual(Array.from(wide.bias));
    // Every other layer keeps the base's weights: the first ten outputs' scores are the base's.
    const x = tf.tensor4d(image(1), [1, 28, 28, 1]);
    const [p10, p12] = [model.predict(x) as tf.Tensor, extended.predict(x) as tf.Tensor];
    const [a, e] = [await p10.data(), await p12.data()];
    const scale = Array.from(e.slice(0, 10)).reduce((s, v) => s + v, 0);
    a.forEach((v, i) => expect(e[i] / scale).toBeCloseTo(v, 5));
    tf.dispose([x, p10, p12]);
    model.dispose();
    extended.dispose();
  });
});

describe('the class-set file', () => {
  it('holds the classes, drawings and taught model, and reads back the same', async () => {
    let set = addClass(addClass(EMPTY_CLASS_SET, '+'), '×');
    set = addExample(addExample(set, '+', image(1)), '×', image(2));
    const taught = await taughtModel();
    const text = writeSymbolFile({ classSet: set, taught }, new Date(0));
    const back = readSymbolFile(text);
    expect(back.classSet).toEqual(set);
    expect(back.taught!.classNames).toEqual(['+', '×']);
    expect(back.taught!.report).toEqual(taught.report);
    expect(new Uint8Array(back.taught!.data.weightData)).toEqual(new Uint8Array(taught.data.weightData));
    expect(readSymbolFile(writeSymbolFile({ classSet: set, taught: null })).taught).toBeNull();
  });

  it('refuses files that are not class sets, or are damaged or unsafe, with a clear message', async () => {
    const taught = await taughtModel();
    const good = JSON.parse(writeSymbolFile({ classSet: addClass(EMPTY_CLASS_SET, '+'), taught: { ...taught, classNames: ['+', '×'] } }));
    const refuse = (value: unknown) => () => readSymbolFile(typeof value === 'string' ? value : JSON.stringify(value), 'x.json');
    expect(refuse('not json {')).toThrow('“x.json” is not a Digit Lab class set: it is not JSON. Choose a file saved with “Download class set”.');
    expect(refuse({ hello: 1 })).toThrow('“x.json” is not a Digit Lab class set. Choose a file saved with “Download class set”.');
    expect(refuse({ ...good, version: 99 })).toThrow(/saved by a newer version of Digit Lab/);
    expect(refuse({ ...good, classes: [{ name: '<script>alert(1)</script>', examples: [] }] })).toThrow('“x.json”: The class set has a class name the lab refuses: Class names cannot contain < or >: HTML is not allowed in a name.');
    expect(refuse({ ...good, classes: [{ name: 'A'.repeat(10240), examples: [] }] })).toThrow(/10,240 characters long/);
    expect(refuse({ ...good, classes: [{ name: 'ok', examples: ['AAAA'] }] })).toThrow(/not a 28×28 image/);
    expect(refuse({ ...good, classes: [{ name: 'ok', examples: ['%%%'] }] })).toThrow(/not valid base64/);
    expect(refuse({ ...good, model: { ...good.model, classNames: ['+'] } })).toThrow('The file’s model answers 12 classes but names 10 digits and 1 class of its own.');
    expect(refuse({ ...good, model: { ...good.model, weightData: good.model.weightData.slice(0, 400) } })).toThrow(/the file is damaged/);
    expect(refuse({ ...good, model: { ...good.model, classNames: ['<b>', 'x'] } })).toThrow(/HTML/);
  });
});
