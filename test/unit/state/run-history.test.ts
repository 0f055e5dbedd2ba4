import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../../src/state/run-history';
import type { RunRecord } from '../../../src/state/lab-state';
import { CLASSIC_SPEC } from '../../../src/model/spec';
import { DEFAULT_TRAIN } from '../../../src/train/settings';

const GOOD: RunRecord = {
  id: 'r1',
  startedAt: 1,
  settings: { ...DEFAULT_TRAIN },
  modelName: 'classic',
  backend: 'WebAssembly',
  outcome: 'completed',
  message: 'Trained.',
  durationMs: 1000,
  imagesSeen: 900,
  testAccuracy: 0.9,
  curves: { loss: [1, 0.5], accuracy: [0.5, 0.9], epochs: [] },
  spec: CLASSIC_SPEC,
  modelKept: 'browser',
};

describe('stored runs are checked on read', () => {
  it('keeps an intact run as it was', () => {
    expect(parseRunRecord(GOOD)).toEqual(GOOD);
  });

  it.each([
    ['null', null],
    ['a number', 1],
    ['no id', { ...GOOD, id: undefined }],
    ['settings that are not settings', { ...GOOD, settings: 'garbage' }],
    ['settings out of range', { ...GOOD, settings: { ...DEFAULT_TRAIN, batchSize: 0 } }],
    ['an unknown outcome', { ...GOOD, outcome: 'exploded' }],
    ['curves without numbers', { ...GOOD, curves: { loss: ['x'], accuracy: [], epochs: [] } }],
    ['an accuracy that is text', { ...GOOD, testAccuracy: '90%' }],
  ])('drops a damaged run: %s', (_name, raw) => {
    expect(parseRunRecord(raw)).toBeNull();
  });

  it('drops only the optional parts that are damaged', () => {
    const run = parseRunRecord({ ...GOOD, spec: { layers: 'nonsense' }, modelKept: 'attic', batchNormMeasured: 'yes' })!;
    expect(run.spec).toBeUndefined();
    expect(run.modelKept).toBe('none');
    // Unknown: "Use this model" measures a stopped run's statistics again.
    expect(run.batchNormMeasured).toBeUndefined();
    expect(parseRunRecord({ ...GOOD, batchNormMeasured: false })!.batchNormMeasured).toBe(false);
    expect(run.id).toBe('r1');
  });
});
