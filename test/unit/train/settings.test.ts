import { describe, expect, it } from 'vitest';
import { blockMeans, downsample, niceStride, resample, smooth } from '../../../src/train/curves';
import { DEFAULT_TRAIN, parseTrainSettings, scaledLearningRate, settingsToInput, validateTrainSettings } from '../../../src/train/settings';

const form = (patch: Record<string, string | boolean> = {}) => ({ ...settingsToInput(DEFAULT_TRAIN), ...patch });

describe('parseTrainSettings', () => {
  it('accepts the defaults and typed text', () => {
    expect(validateTrainSettings(DEFAULT_TRAIN)).toEqual({ ok: true, settings: DEFAULT_TRAIN });
    const parsed = parseTrainSettings(form({ learningRate: ' 0.01 ', trainSize: '2,000', epochs: '3', optimizer: 'rmsprop' }));
    expect(parsed).toEqual({ ok: true, settings: { ...DEFAULT_TRAIN, learningRate: 0.01, trainSize: 2000, epochs: 3, optimizer: 'rmsprop' } });
  });

  it('refuses text that is not a number, with the field and the allowed range', () => {
    const parsed = parseTrainSettings(form({ learningRate: 'abc' }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toEqual({ learningRate: 'Learning rate “abc” is not a number: enter a number from 0.000001 to 10.' });
    }
  });

  it('refuses values out of range, fractions where whole numbers belong, and empty fields, all at once', () => {
    const parsed = parseTrainSettings(form({ trainSize: '500', epochs: '1.5', batchSize: '', validationSplit: '0.9', learningRate: '0' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.trainSize).toBe('Training images must be from 1,000 to 60,000 (got 500).');
    expect(parsed.errors.epochs).toBe('Epochs must be a whole number (got 1.5).');
    expect(parsed.errors.batchSize).toMatch(/Batch size is empty/);
    expect(parsed.errors.validationSplit).toBe('Validation split must be from 0 to 0.5 (got 0.9).');
    expect(parsed.errors.learningRate).toMatch(/must be from/);
  });

  it('refuses an unknown optimizer and a batch larger than the training images', () => {
    const parsed = parseTrainSettings(form({ optimizer: 'lbfgs', trainSize: '1000', validationSplit: '0.5', batchSize: '600' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.optimizer).toMatch(/Unknown optimizer “lbfgs”/);
    expect(parsed.errors.batchSize).toBe('Batch size 600 is larger than the 500 training images left after validation.');
  });
});

describe('curves', () => {
  it('smooths without pulling the start towards zero', () => {
    expect(smooth([2, 2, 2])).toEqual([2, 2, 2].map(() => expect.closeTo(2, 10)));
    const s = smooth([1, 0, 1, 0, 1, 0], 0.5);
    expect(Math.max(...s.slice(2)) - Math.min(...s.slice(2))).toBeLessThan(0.5);
  });

  it('downsamples keeping the ends, and resamples runs of any length to the same points', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const d = downsample(values, 5);
    expect(d).toEqual([0, 250, 500, 749, 999].map((v) => expect.closeTo(v, 0)));
    expect(downsample([1, 2], 5)).toEqual([1, 2]);
    expect(resample([0, 10], 3)).toEqual([0, 5, 10]);
    expect(resample([7], 4)).toEqual([7, 7, 7, 7]);
  });

  it('averages blocks of a round number of batches so a long run fits the chart', () => {
    expect(niceStride(250, 300)).toBe(1);
    expect(niceStride(1875, 300)).toBe(10);
    expect(niceStride(5625, 300)).toBe(20);
    expect(blockMeans([1, 3, 5, 7, 9], 2)).toEqual([2, 6, 9]);
  });
});

describe('scaledLearningRate', () => {
  it('grows the rate by √k for Adam and RMSprop and by k for SGD, in two significant digits, within the limits', () => {
    expect(scaledLearningRate({ learningRate: 0.003, batchSize: 32, optimizer: 'adam' }, 256)).toBe(0.0085);
    expect(scaledLearningRate({ learningRate: 0.001, batchSize: 64, optimizer: 'rmsprop' }, 256)).toBe(0.002);
    expect(scaledLearningRate({ learningRate: 0.01, batchSize: 64, optimizer: 'sgd' }, 256)).toBe(0.04);
    expect(scaledLearningRate({ learningRate: 0.003, batchSize: 256, optimizer: 'adam' }, 256)).toBe(0.003);
    expect(scaledLearningRate({ learningRate: 5, batchSize: 1, optimizer: 'sgd' }, 256)).toBe(10);
  });
});
