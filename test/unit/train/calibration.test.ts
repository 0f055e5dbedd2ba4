import { describe, expect, it } from 'vitest';
import { CLASSIC_SPEC, SMALL_SPEC } from '../../../src/model/spec';
import { calibrationKey, CalibrationBook, costRefusal, estimateRefusal, estimateRun, quickerTrainSize, trainingFlopPerImage, type Calibration } from '../../../src/train/calibration';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src/model/spec';
import { DEFAULT_TRAIN } from '../../../src/train/settings';

const probe = { trainImagesPerSecond: 100, inferImagesPerSecond: 500, setupSeconds: 2, backend: 'wasm' as const };
const calibration: Calibration = { probe, correction: 1, measuredAt: 0 };

describe('estimates from measured throughput', () => {
  it('adds setup, training, validation per epoch, batch-norm statistics and the test', () => {
    const settings = { ...DEFAULT_TRAIN, trainSize: 6000, validationSplit: 0.1, epochs: 2 };
    const e = estimateRun(CLASSIC_SPEC, settings, calibration);
    // 2 × 5,400 / 100 = 108 s training; 600 × 3 + 2 × 512 + 10,000 = 12,824 scored at 500/s.
    expect(e.trainingSeconds).toBeCloseTo(108);
    expect(e.scoringSeconds).toBeCloseTo(12824 / 500);
    expect(e.seconds).toBeCloseTo(2 + 108 + 12824 / 500);
    // No batch norm in the small net: no statistics pass.
    expect(estimateRun(SMALL_SPEC, settings, calibration).scoringSeconds).toBeCloseTo(11800 / 500);
  });

  it('a correction from the last run scales the estimate (within ½× to 2×)', () => {
    const settings = { ...DEFAULT_TRAIN, trainSize: 6000 };
    const base = estimateRun(CLASSIC_SPEC, settings, calibration).seconds;
    expect(estimateRun(CLASSIC_SPEC, settings, { ...calibration, correction: 1.2 }).seconds).toBeCloseTo(base * 1.2);
    expect(estimateRun(CLASSIC_SPEC, settings, { ...calibration, correction: 9 }).seconds).toBeCloseTo(base * 2);
  });

  it('offers the largest round training-set size that fits a minute', () => {
    const settings = { ...DEFAULT_TRAIN, trainSize: 60000, epochs: 5 };
    const size = quickerTrainSize(CLASSIC_SPEC, settings, calibration)!;
    expect(estimateRun(CLASSIC_SPEC, { ...settings, epochs: 1, trainSize: size }, calibration).seconds).toBeLessThanOrEqual(60);
    expect(estimateRun(CLASSIC_SPEC, { ...settings, epochs: 1, trainSize: size + 1000 }, calibration).seconds).toBeGreaterThan(60);
    // Too slow for anything to fit a minute: the smallest run is still offered, being quicker…
    const slow = { ...calibration, probe: { ...probe, trainImagesPerSecond: 5 } };
    expect(quickerTrainSize(CLASSIC_SPEC, settings, slow)).toBe(1000);
    // …unless it is not quicker than what was asked.
    expect(quickerTrainSize(CLASSIC_SPEC, { ...settings, epochs: 1, trainSize: 1000 }, slow)).toBeNull();
  });

  it('keys by network, batch size, augmentation and backend, not by the network’s name', () => {
    const key = calibrationKey(CLASSIC_SPEC, DEFAULT_TRAIN, 'wasm');
    expect(calibrationKey({ ...CLASSIC_SPEC, name: 'renamed' }, DEFAULT_TRAIN, 'wasm')).toBe(key);
    expect(calibrationKey(SMALL_SPEC, DEFAULT_TRAIN, 'wasm')).not.toBe(key);
    expect(calibrationKey(CLASSIC_SPEC, { ...DEFAULT_TRAIN, batchSize: 64 }, 'wasm')).not.toBe(key);
    expect(calibrationKey(CLASSIC_SPEC, { ...DEFAULT_TRAIN, augment: !DEFAULT_TRAIN.augment }, 'wasm')).not.toBe(key);
    expect(calibrationKey(CLASSIC_SPEC, DEFAULT_TRAIN, 'webgl')).not.toBe(key);
  });

  it('learns from a run, half a step at a time: the next estimate carries √(measured ÷ estimated)', () => {
    const book = new CalibrationBook();
    book.setProbe('k', probe);
    book.recordRun('k', 100, 169);
    expect(book.get('k')!.correction).toBeCloseTo(1.3);
    // The next run was estimated with the correction: 130 estimated, 130 measured → the correction stays.
    book.recordRun('k', 130, 130);
    expect(book.get('k')!.correction).toBeCloseTo(1.3);
    // 130 estimated, 105.3 measured (0.81×) → 1.3 × 0.9.
    book.recordRun('k', 130, 105.3);
    expect(book.get('k')!.correction).toBeCloseTo(1.17);
  });
});

describe('the cost cap', () => {
  // The shared link: five convolutions of 512 filters, "about 6 days per epoch".
  const heavy: ModelSpec = {
    version: MODEL_SPEC_VERSION,
    name: 'heavy',
    layers: [
      ...Array.from({ length: 5 }, () => ({ type: 'conv2d' as const, filters: 512, kernelSize: 3, strides: 1, padding: 'same' as const, activation: 'relu' as const })),
      { type: 'flatten' as const },
      { type: 'dense' as const, units: 10, activation: 'softmax' as const },
    ],
  };

  it('knows the classic net costs about 115 MFLOP per training image', () => {
    expect(trainingFlopPerImage(CLASSIC_SPEC) / 1e6).toBeCloseTo(115, -1);
  });

  it('refuses a network too costly per image before anything is measured, in the learner’s terms', () => {
    const reason = costRefusal(heavy, { ...DEFAULT_TRAIN, trainSize: 1000 })!;
    expect(reason).toMatch(/^One training image costs \d+ GFLOP through this network, \d+ times the classic net; Digit Lab trains networks of up to 2\.00 GFLOP per image\./);
    expect(reason).toContain('Even at the fastest any browser has trained in our measurements (about 60 GFLOP/s, a data-centre GPU) this run would take about');
    expect(reason).toContain('Use fewer filters, or pool earlier.');
  });

  it('refuses a run longer than the cap even at the fastest speed, and passes ordinary runs', () => {
    expect(costRefusal(CLASSIC_SPEC, DEFAULT_TRAIN)).toBeNull();
    expect(costRefusal(CLASSIC_SPEC, { ...DEFAULT_TRAIN, epochs: 15 })).toBeNull();
    expect(costRefusal(SMALL_SPEC, { ...DEFAULT_TRAIN, epochs: 50 })).toBeNull();
    const wide: ModelSpec = {
      ...heavy,
      layers: [{ type: 'conv2d', filters: 64, kernelSize: 3, strides: 1, padding: 'same' }, { type: 'conv2d', filters: 256, kernelSize: 3, strides: 1, padding: 'same' }, ...heavy.layers.slice(5)],
    };
    // All 60,000 images: the lab's default of 5,000 would stay under the cap.
    expect(costRefusal(wide, { ...DEFAULT_TRAIN, trainSize: 60000, epochs: 50 })).toMatch(/this run would take about \d+ h.* Digit Lab refuses runs over 4 h\. Train on fewer images or for fewer epochs\./);
  });

  it('refuses a measured estimate above the cap', () => {
    const e = { seconds: 6 * 86400, trainingSeconds: 6 * 86400, scoringSeconds: 0, basis: 'measured on this device' };
    expect(estimateRefusal(e)).toMatch(/^This run would take about 6 days on this device \(measured on this device\); Digit Lab refuses runs over 4 h/);
    expect(estimateRefusal({ ...e, seconds: 3 * 3600 })).toBeNull();
  });
});
