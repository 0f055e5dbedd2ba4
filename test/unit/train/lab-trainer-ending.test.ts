import { describe, expect, it, vi } from 'vitest';
import type { MnistDataset } from '../../../src/data/mnist';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src/model/spec';
import { createLabState } from '../../../src/state/lab-state';
import type { TrainingEngine } from '../../../src/train/engine';
import { LabTrainer, STOP_GRACE_MS } from '../../../src/train/lab-trainer';
import { DEFAULT_TRAIN } from '../../../src/train/settings';
import type { RunEvent, ThroughputProbe } from '../../../src/train/trainer';

const TINY: ModelSpec = { version: MODEL_SPEC_VERSION, name: 'tiny', layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] };
const probe: ThroughputProbe = { trainImagesPerSecond: 1000, inferImagesPerSecond: 5000, setupSeconds: 0, backend: 'webgl' };
const progress = { epoch: 1, epochs: 1, batch: 3, batchesPerEpoch: 30, loss: 1.2, accuracy: 0.6, imagesSeen: 96, imagesTotal: 900, imagesPerSecond: 100, secondsLeft: 8 };

/** An engine whose run streams three batches and then never finishes on its own (a hung GPU, a step that will not yield). */
function stuckEngine() {
  let emit: (event: RunEvent) => void = () => {};
  const engine = {
    location: 'worker',
    start: async () => ({ backend: 'webgl', detail: '', fallbackReason: null }),
    ensureDataset: async () => {},
    run: (_request: unknown, onEvent: (event: RunEvent) => void) => {
      emit = onEvent;
      for (let i = 0; i < 3; i++) onEvent({ type: 'batch', progress: { ...progress, batch: i + 1 } });
      return new Promise(() => {});
    },
    pause: async () => {},
    resume: async () => {},
    stop: () => new Promise<void>(() => {}),
    probe: async () => probe,
    memory: async () => ({ numTensors: 0, numBytes: 0 }),
    loseContext: async () => true,
    terminate: vi.fn(),
  };
  return { engine: engine as unknown as TrainingEngine & { terminate: ReturnType<typeof vi.fn> }, emit: (event: RunEvent) => emit(event) };
}

function lab(engine: TrainingEngine) {
  const state = createLabState({ modelSpec: TINY, backend: { active: 'webgl', preference: 'webgl', available: ['webgl'], status: 'ready', error: null } });
  return { state, trainer: new LabTrainer(state, { createEngine: () => engine, dataset: async () => ({}) as MnistDataset }) };
}

const settings = { ...DEFAULT_TRAIN, trainSize: 1000, augment: false };
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe('the page ends a run the engine cannot end', () => {
  it('a lost GPU context ends the run at once: kept as interrupted with its curves, worker ended, Train free again', async () => {
    const { engine, emit } = stuckEngine();
    const { state, trainer } = lab(engine);
    const running = trainer.train(settings);
    await until(() => trainer.live?.phase === 'training');
    const asked = performance.now();
    emit({ type: 'context-lost' });
    const finished = await running;
    expect(performance.now() - asked).toBeLessThan(1000);
    expect(finished.record.outcome).toBe('context-lost');
    expect(finished.record.message).toMatch(/^Training was interrupted at epoch 1, batch 3: the GPU context was lost/);
    expect(finished.record.curves.loss).toHaveLength(3);
    expect(finished.record.modelKept).toBe('none');
    expect(finished.installed).toBe(false);
    expect(engine.terminate).toHaveBeenCalledOnce();
    expect(state.get('runs')).toHaveLength(1);
    expect(state.get('training').phase).toBe('idle');
    expect(trainer.busy).toBe(false);
  });

  it('Stop ends a worker that does not take it up within the grace period, keeping the run without weights', async () => {
    const { engine } = stuckEngine();
    const { trainer } = lab(engine);
    const running = trainer.train(settings);
    await until(() => trainer.live?.phase === 'training');
    const asked = performance.now();
    void trainer.stop();
    const finished = await running;
    const took = performance.now() - asked;
    expect(took).toBeGreaterThanOrEqual(STOP_GRACE_MS - 50);
    expect(took).toBeLessThan(STOP_GRACE_MS + 1000);
    expect(finished.record.outcome).toBe('stopped');
    expect(finished.record.message).toMatch(/did not stop within 3 s, so it was ended: this run’s weights were not kept\.$/);
    expect(engine.terminate).toHaveBeenCalledOnce();
  });

  it('Stop before training has begun ends the run at once', async () => {
    const { engine } = stuckEngine();
    engine.probe = () => new Promise(() => {}); // measuring this device never ends
    const { trainer } = lab(engine);
    const running = trainer.train(settings);
    await until(() => trainer.live !== null);
    await trainer.stop();
    const finished = await running;
    expect(finished.record.outcome).toBe('stopped');
    expect(finished.record.message).toBe('Stopped by you. Training had not begun.');
  });
});
