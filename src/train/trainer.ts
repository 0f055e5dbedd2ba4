/**
 * The training engine that runs inside the training worker (src/train/training.worker.ts): it owns its own tfjs
 * backend and a copy of MNIST, trains, validates and scores the test set, and hands back the weights as plain data.
 * It has no worker globals of its own, so tests and the benchmark's page-thread figure run it in-process.
 */
import * as tf from '@tensorflow/tfjs';
import type { AugmentSettings } from '../augment/settings';
import { augmentBatch } from '../augment/augment';
import { activeBackendDetail, BACKEND_LABELS, initBackend, useBackend, type BackendName, type BackendOptions, type BackendPreference } from '../backend/backend';
import { loseWebglContext, watchContextLoss } from '../backend/context-loss';
import { deviceSignature, gpuIsSoftware } from '../backend/gpu-info';
import { MnistDataset, type SplitData } from '../data/mnist';
import { seededRandom } from '../data/random';
import { createTrainableModel } from '../model/compile';
import { modelToData, type ModelData } from '../model/artifacts';
import type { ModelSpec } from '../model/spec';
import { teachHead, type HeadEvent, type HeadOutcome, type HeadRequest } from '../symbols/teach';
import { fastestMeasured, type BackendMeasurement, type BackendPick } from './backend-pick';
import { TrainControl } from './control';
import type { TestEvaluation } from './evaluate';
import type { EpochMetrics, TrainProgress, TrainResult } from './loop';
import { trainAndEvaluate } from './session';
import type { TrainSettings } from './settings';
import { yieldToEventLoop } from './yield';

export interface EngineInfo {
  backend: BackendName;
  /** How the backend runs (WASM: SIMD, threads), for the page. */
  detail: string;
  fallbackReason: string | null;
  /** The device in one line (cores, isolation, GPU): the key under which measurements are kept. */
  device: string;
}

export interface RunRequest {
  spec: ModelSpec;
  settings: TrainSettings;
  augmentation: AugmentSettings;
  /** Test images to score at the end (all 10,000 by default). */
  testLimit?: number;
}

/** What the engine streams while a run goes on. */
export type RunEvent =
  | { type: 'initial-validation'; loss: number; accuracy: number }
  | { type: 'batch'; progress: TrainProgress }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'phase'; phase: 'calibrating' | 'testing' }
  | { type: 'test-progress'; fraction: number }
  /** Sent the moment the GPU context is lost: the page ends the run (tfjs may never finish the batch in hand). */
  | { type: 'context-lost' };

export interface RunOutcome {
  train: TrainResult;
  test: TestEvaluation | null;
  /** The trained weights, or null when there is no model to keep (nothing learned, or the GPU context was lost). */
  model: ModelData | null;
  backend: BackendName;
}

export interface ThroughputProbe {
  /** Training images per second at the run's batch size (augmentation included when on). */
  trainImagesPerSecond: number;
  /** Inference images per second (validation, test), batches of 500. */
  inferImagesPerSecond: number;
  /** Seconds for the first batch beyond a steady one: building the model, compiling kernels. */
  setupSeconds: number;
  backend: BackendName;
}

/** A backend pick with the winner's full probe (it seeds the estimate's calibration: no second probe). */
export interface PickOutcome {
  pick: BackendPick;
  probe: ThroughputProbe | null;
  info: EngineInfo;
}

export interface MemoryReport {
  numTensors: number;
  numBytes: number;
}

/** Plain bytes of both splits (what the page sends once; the worker keeps its own copy). */
export interface DatasetBytes {
  train: SplitData;
  test: SplitData;
}

const PROBE_SECONDS = 1.5;
const PROBE_MIN_BATCHES = 3;
const PROBE_INFER_IMAGES = 500;

export class TrainerService {
  private dataset: MnistDataset | null = null;
  private control: TrainControl | null = null;
  private info: EngineInfo | null = null;
  private options: BackendOptions = {};
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly yieldNow: () => Promise<void> = yieldToEventLoop) {}

  /** Starts the backend by the same rules as the page; calling again with another preference switches. */
  async start(preference: BackendPreference, options: BackendOptions = {}): Promise<EngineInfo> {
    this.options = options;
    const choice = await initBackend(preference, options);
    this.info = { backend: choice.active, detail: activeBackendDetail(), fallbackReason: choice.fallbackReason, device: await deviceSignature() };
    return this.info;
  }

  hasDataset(): boolean {
    return this.dataset !== null;
  }

  setDataset(bytes: DatasetBytes): void {
    this.dataset = new MnistDataset(bytes.train, bytes.test);
  }

  /** Runs one after another: a probe and a run never share the backend at once. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.busy.then(work, work);
    this.busy = next.catch(() => undefined);
    return next;
  }

  private ready(): { dataset: MnistDataset; info: EngineInfo } {
    if (!this.info) throw new Error('The training engine has not started its backend yet.');
    if (!this.dataset) throw new Error('The training engine has no data set yet.');
    return { dataset: this.dataset, info: this.info };
  }

  /** Trains a fresh model from the spec, streams progress through `onEvent`, and returns the outcome with weights. */
  run(request: RunRequest, onEvent: (event: RunEvent) => void): Promise<RunOutcome> {
    // Stop must work from the moment the run is asked for, even while an earlier probe still holds the backend.
    const control = (this.control = new TrainControl());
    return this.exclusive(async () => {
      const { dataset, info } = this.ready();
      try {
        const result = await trainAndEvaluate({
          spec: request.spec,
          dataset,
          settings: request.settings,
          augmentation: request.augmentation,
          control,
          testLimit: request.testLimit,
          watchContextLoss: (onLost) =>
            watchContextLoss(() => {
              onLost();
              onEvent({ type: 'context-lost' });
            }),
          yieldToPage: this.yieldNow,
          onInitialValidation: (v) => onEvent({ type: 'initial-validation', ...v }),
          onBatch: (progress) => onEvent({ type: 'batch', progress }),
          onEpoch: (metrics) => onEvent({ type: 'epoch', metrics }),
          onPhase: (phase) => onEvent({ type: 'phase', phase }),
          onTestProgress: (fraction) => onEvent({ type: 'test-progress', fraction }),
        });
        let model: ModelData | null = null;
        try {
          if (result.trainable && result.train.imagesSeen > 0) model = await modelToData(result.trainable.model);
        } finally {
          result.trainable?.dispose();
        }
        return { train: result.train, test: result.test, model, backend: info.backend };
      } finally {
        if (this.control === control) this.control = null;
      }
    });
  }

  /**
   * Teaches the lab model new classes: a new head on its frozen body (src/symbols/teach.ts), streaming the head as
   * soon as it is trained, then its held-out accuracy and its score on the test digits. Stop, or any newer run or
   * request, ends it at the next batch.
   */
  trainHead(request: HeadRequest, onEvent: (event: HeadEvent) => void): Promise<HeadOutcome> {
    const control = (this.control = new TrainControl());
    return this.exclusive(async () => {
      const { dataset } = this.ready();
      try {
        return await teachHead(request, { dataset, onEvent, yieldNow: this.yieldNow, shouldStop: () => control.stopped || this.control !== control });
      } finally {
        if (this.control === control) this.control = null;
      }
    });
  }

  pause(): void {
    this.control?.pause();
  }

  resume(): void {
    this.control?.resume();
  }

  stop(reason?: string): void {
    this.control?.stop(reason);
  }

  /**
   * Measures this device: training images/s for this spec at this batch size (with augmentation when on) and
   * inference images/s, on real training images. Takes a few seconds; every tensor is freed.
   */
  probe(spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings): Promise<ThroughputProbe> {
    return this.exclusive(() => this.measure(spec, settings, augmentation));
  }

  /**
   * "Fastest available" by measurement: probes this network at this batch size on every backend that starts here
   * (WebAssembly first, then the GPUs; the plain-JavaScript CPU only when nothing else runs) and leaves the worker
   * on the fastest. A GPU that renders in software is not measured when WebAssembly runs: its first step alone
   * compiles for up to a minute, and it trains 10-50× slower (DESIGN.md). Takes a few seconds per backend.
   */
  pickFastest(spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings): Promise<PickOutcome> {
    return this.exclusive(async () => {
      this.ready();
      const measurements: BackendMeasurement[] = [];
      const probes = new Map<BackendName, ThroughputProbe>();
      const skip = (backend: BackendName, note: string) => measurements.push({ backend, trainImagesPerSecond: null, note });
      for (const backend of ['wasm', 'webgpu', 'webgl', 'cpu'] as const) {
        if (backend === 'cpu' && probes.size > 0) {
          skip(backend, 'not measured, WebAssembly runs the same work faster');
          continue;
        }
        if (!(await useBackend(backend, this.options))) {
          skip(backend, 'not available here');
          continue;
        }
        if ((backend === 'webgl' || backend === 'webgpu') && probes.has('wasm') && (await gpuIsSoftware(backend))) {
          skip(backend, 'renders in software here, not measured');
          continue;
        }
        try {
          const probe = await this.measure(spec, settings, augmentation);
          probes.set(backend, probe);
          measurements.push({ backend, trainImagesPerSecond: probe.trainImagesPerSecond, note: null });
        } catch (error) {
          skip(backend, `failed (${String((error as Error)?.message ?? error).split('\n')[0]})`);
        }
      }
      const fastest = fastestMeasured(measurements);
      // Nothing measured (every probe failed): the usual order decides, and says so.
      const choice = fastest ? { active: fastest, fallbackReason: null } : await initBackend('auto', this.options);
      if (fastest && !(await useBackend(fastest, this.options))) throw new Error(`${BACKEND_LABELS[fastest]} stopped working after it was measured.`);
      const info: EngineInfo = { backend: choice.active, detail: activeBackendDetail(), fallbackReason: choice.fallbackReason, device: await deviceSignature() };
      this.info = info;
      const pick: BackendPick = { backend: choice.active, measurements, device: info.device, measuredAt: Date.now() };
      return { pick, probe: probes.get(choice.active) ?? null, info };
    });
  }

  /** Loses the WebGL context on purpose, as a GPU reset would (tests; window.digitLab). False on other backends. */
  loseContext(): boolean {
    return loseWebglContext();
  }

  /** The probe itself, on the active backend (callers hold the backend: see `exclusive`). */
  private async measure(spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings): Promise<ThroughputProbe> {
    const { dataset } = this.ready();
    // The active backend, which pickFastest switches between probes.
    const backend = tf.getBackend() as BackendName;
    const now = () => performance.now();
    const buildStart = now();
    const trainable = createTrainableModel(spec, { optimizer: settings.optimizer, learningRate: settings.learningRate, seed: settings.seed });
    const random = seededRandom(settings.seed);
    const indices = Int32Array.from({ length: Math.max(settings.batchSize, PROBE_INFER_IMAGES) }, (_, i) => i);
    const batch = dataset.batch('train', indices.subarray(0, settings.batchSize));
    try {
      const step = async () => {
        const xs = settings.augment ? augmentBatch(batch.xs, augmentation, random) : batch.xs;
        try {
          await trainable.model.trainOnBatch(xs, batch.ys);
        } finally {
          if (xs !== batch.xs) xs.dispose();
        }
      };
      await step();
      const firstBatchSeconds = (now() - buildStart) / 1000;
      let batches = 0;
      const start = now();
      while (batches < PROBE_MIN_BATCHES || now() - start < PROBE_SECONDS * 1000) {
        await step();
        batches++;
        await this.yieldNow();
      }
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
      };
    } finally {
      tf.dispose([batch.xs, batch.ys]);
      trainable.dispose();
    }
  }

  memory(): MemoryReport {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }
}
