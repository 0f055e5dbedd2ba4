import { describe, expect, it } from 'vitest';
import { CLASSIC_SPEC, SMALL_SPEC } from '../../../src/model/spec';
import { calibrationKey, CalibrationBook, estimateRun, quickerTrainSize, type Calibration } from '../../../src/train/calibration';
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

  it('learns from a run: the next estimate carries measured ÷ estimated', () => {
    const book = new CalibrationBook();
    book.setProbe('k', probe);
    book.recordRun('k', 100, 130);
    expect(book.get('k')!.correction).toBeCloseTo(1.3);
    // The next run was estimated with the correction: 130 estimated, 117 measured → 1.3 × 0.9.
    book.recordRun('k', 130, 117);
    expect(book.get('k')!.correction).toBeCloseTo(1.17);
  });
});
