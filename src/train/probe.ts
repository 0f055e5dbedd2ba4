import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../augment/augment';
import type { AugmentSettings } from '../augment/settings';
import { isGpuBackend, type BackendName } from '../backend/backend';
import type { MnistDataset } from '../data/mnist';
import { seededRandom } from '../data/random';
import { createTrainableModel } from '../model/compile';
import type { ModelSpec } from '../model/spec';
import { DeviceDropout } from './device-dropout';
import { DataParallelTrainer, PARALLEL_WORKERS, type GradientPeer } from './data-parallel';
import { ReadbackPacer, readScalars } from './readback';
import type { TrainSettings } from './settings';
import { trainStepOnDevice } from './step';

export interface ThroughputProbe {
  /** Training images per second at the run's batch size (augmentation included when on). */
  trainImagesPerSecond: number;
  /** Inference images per second (validation, test), batches of 500. */
  inferImagesPerSecond: number;
  /** Seconds for the first batch beyond a steady one: building the model, compiling kernels. */
  setupSeconds: number;
  backend: BackendName;
  /** 2 where splitting each batch between two workers measured faster (WASM on several cores), else 1. */
  workers?: number;
}

const PROBE_SECONDS = 1.5;
const PROBE_MIN_BATCHES = 3;
const PROBE_INFER_IMAGES = 500;

export interface ProbeRequest {
  dataset: MnistDataset;
  spec: ModelSpec;
  settings: TrainSettings;
  augmentation: AugmentSettings;
  /** Splits each batch with this gradient worker (data-parallel), or null for one worker. */
  peer: GradientPeer | null;
  yieldNow: () => Promise<void>;
}

/**
 * A short measured probe on the active backend: a fresh network of this spec trains a few batches at the run's
 * batch size the way a run does (loop.ts), then scores 500 images. Estimates and the backend pick rest on it.
 */
export async function measureThroughput({ dataset, spec, settings, augmentation, peer, yieldNow }: ProbeRequest): Promise<ThroughputProbe> {
  // The active backend, which pickFastest switches between probes.
  const backend = tf.getBackend() as BackendName;
  const now = () => performance.now();
  const buildStart = now();
  const trainable = createTrainableModel(spec, { optimizer: settings.optimizer, learningRate: settings.learningRate, seed: settings.seed });
  const random = seededRandom(settings.seed);
  const indices = Int32Array.from({ length: Math.max(settings.batchSize, PROBE_INFER_IMAGES) }, (_, i) => i);
  const batch = dataset.batch('train', indices.subarray(0, settings.batchSize));
  let parallel: DataParallelTrainer | null = null;
  const unread: tf.Tensor[] = [];
  let dropout: DeviceDropout | null = null;
  try {
    parallel = peer ? await DataParallelTrainer.open(trainable, peer, { optimizer: settings.optimizer, learningRate: settings.learningRate }, settings.seed) : null;
    if (!parallel && isGpuBackend(backend)) dropout = DeviceDropout.install(trainable.model, settings.seed);
    let steps = 0;
    // Steps as a run takes them (loop.ts): on a GPU the losses are read every few batches, not after each.
    const pacer = new ReadbackPacer('auto', isGpuBackend(backend));
    let unreadSince = now();
    const readUnread = () => readScalars(unread.splice(0));
    const step = async () => {
      const xs = settings.augment ? augmentBatch(batch.xs, augmentation, random) : batch.xs;
      try {
        if (parallel) await parallel.step(xs, batch.ys, steps++);
        else {
          const { loss, hits } = trainStepOnDevice(trainable.model, trainable.optimizer, xs, batch.ys);
          hits.dispose();
          unread.push(loss);
        }
      } finally {
        if (xs !== batch.xs) xs.dispose();
      }
    };
    await step();
    await readUnread();
    const firstBatchSeconds = (now() - buildStart) / 1000;
    // A second step before timing: right after the backend restarts, WASM's thread pool and the kernels' caches are
    // still warming up, and the few batches timed would otherwise overstate a whole run (by 25% on the classic net).
    await step();
    await readUnread();
    let batches = 0;
    const start = now();
    unreadSince = start;
    while (batches < PROBE_MIN_BATCHES || now() - start < PROBE_SECONDS * 1000) {
      await step();
      batches++;
      if (pacer.due(unread.length)) {
        const count = unread.length;
        await readUnread();
        pacer.measured(count, now() - unreadSince);
        unreadSince = now();
      }
      await yieldNow();
    }
    await readUnread();
    const trainSeconds = (now() - start) / 1000;
    const trainImagesPerSecond = (batches * settings.batchSize) / trainSeconds;
    const inferBatch = dataset.batch('train', indices.subarray(0, PROBE_INFER_IMAGES));
    let inferSeconds: number;
    try {
      const predict = async () => {
        const out = trainable.model.predict(inferBatch.xs) as tf.Tensor;
        await out.data();
        out.dispose();
      };
      await predict(); // compiles the inference kernels
      const t0 = now();
      await predict();
      inferSeconds = (now() - t0) / 1000;
    } finally {
      tf.dispose([inferBatch.xs, inferBatch.ys]);
    }
    return {
      trainImagesPerSecond,
      inferImagesPerSecond: PROBE_INFER_IMAGES / inferSeconds,
      setupSeconds: Math.max(0, firstBatchSeconds - settings.batchSize / trainImagesPerSecond),
      backend,
      workers: parallel ? PARALLEL_WORKERS : 1,
    };
  } finally {
    tf.dispose([batch.xs, batch.ys, ...unread]);
    dropout?.dispose();
    await parallel?.close();
    trainable.dispose();
  }
}
