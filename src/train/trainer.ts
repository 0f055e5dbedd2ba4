/**
 * The training engine that runs inside the training worker (src/train/training.worker.ts): it owns its own tfjs
 * backend and a copy of MNIST, trains, validates and scores the test set, and hands back the weights as plain data.
 * It has no worker globals of its own, so tests and the benchmark's page-thread figure run it in-process.
 */
import * as tf from '@tensorflow/tfjs';
import type { AugmentSettings } from '../augment/settings';
import { activeBackendDetail, BACKEND_LABELS, initBackend, restartWasm, useBackend, type BackendName, type BackendOptions, type BackendPreference } from '../backend/backend';
import { loseWebglContext, watchContextLoss } from '../backend/context-loss';
import { deviceSignature, gpuIsSoftware } from '../backend/gpu-info';
import { MnistDataset, type SplitData } from '../data/mnist';
import { modelToData, type ModelData } from '../model/artifacts';
import type { ModelSpec } from '../model/spec';
import { teachHead } from '../symbols/teach';
import type { HeadEvent, HeadOutcome, HeadRequest } from '../symbols/teach-protocol';
import { fastestMeasured, type BackendMeasurement, type BackendPick } from './backend-pick';
import { workloadKey } from './calibration';
import { PARALLEL_WORKERS, type GradientPeer } from './data-parallel';
import { canStartGradientWorker, startGradientWorker } from './gradient-peer';
import { TrainControl } from './control';
import type { TestEvaluation } from './evaluate';
import type { EpochMetrics, TrainProgress, TrainResult } from './loop';
import { measureThroughput, type ThroughputProbe } from './probe';
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
  /** 1 or 2 workers, for benchmarks and tests; by default whichever measured faster here (WASM only). */
  workers?: number;
  /** WASM threads of this worker, for benchmarks (one core against all); by default its share of the cores. */
  threads?: number;
}

/** What the engine streams while a run goes on. */
export type RunEvent =
  | { type: 'initial-validation'; loss: number; accuracy: number }
  | { type: 'batch'; progress: TrainProgress }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'phase'; phase: 'calibrating' | 'testing' }
  | { type: 'test-progress'; fraction: number }
  /** How the backend runs this run (WASM: threads, and "2 workers" when batches are split), before training. */
  | { type: 'engine'; detail: string }
  /** Sent the moment the GPU context is lost: the page ends the run (tfjs may never finish the batch in hand). */
  | { type: 'context-lost' };

export interface RunOutcome {
  train: TrainResult;
  test: TestEvaluation | null;
  /** The trained weights, or null when there is no model to keep (nothing learned, or the GPU context was lost). */
  model: ModelData | null;
  backend: BackendName;
  /** Workers that trained it: 2 when each batch was split between the training worker and a gradient worker. */
  workers?: number;
}

export type { ThroughputProbe };

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


/** Data-parallel training's setting: where the gradient peer comes from, and the cores to share (tests set both). */
export interface ParallelOptions {
  /** Starts a gradient peer on WASM with `options.wasmThreads` threads: a worker (gradient-peer.ts) by default. */
  startPeer?: (options: BackendOptions) => Promise<GradientPeer & { terminate(): void }>;
  /** Cores of this device (navigator.hardwareConcurrency by default). */
  cores?: number;
}

export class TrainerService {
  private dataset: MnistDataset | null = null;
  private control: TrainControl | null = null;
  private info: EngineInfo | null = null;
  private options: BackendOptions = {};
  private busy: Promise<unknown> = Promise.resolve();
  /** Whether splitting batches across workers measured faster, per workload (WASM only). */
  private readonly splitFaster = new Map<string, boolean>();
  private peer: Promise<GradientPeer & { terminate(): void }> | null = null;

  private readonly cores: number;
  private readonly startPeer: ((options: BackendOptions) => Promise<GradientPeer & { terminate(): void }>) | null;

  constructor(
    private readonly yieldNow: () => Promise<void> = yieldToEventLoop,
    parallel: ParallelOptions = {},
  ) {
    this.cores = parallel.cores ?? (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency ?? 1;
    this.startPeer = parallel.startPeer ?? (canStartGradientWorker() ? startGradientWorker : null);
  }

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
        const peer = (await this.shouldSplit(request)) ? await this.gradientPeer() : undefined;
        this.info = { ...info, detail: activeBackendDetail() + (peer ? `, ${PARALLEL_WORKERS} workers` : '') };
        onEvent({ type: 'engine', detail: this.info.detail });
        const result = await trainAndEvaluate({
          peer,
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
        return { train: result.train, test: result.test, model, backend: info.backend, workers: peer ? PARALLEL_WORKERS : 1 };
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

  /** Pauses at the end of the batch in hand; resolves once that batch has been reported (see TrainControl). */
  async pause(): Promise<void> {
    const control = this.control;
    if (!control) return;
    control.pause();
    await control.batchSettled();
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
          measurements.push({ backend, trainImagesPerSecond: probe.trainImagesPerSecond, note: null, ...(probe.workers && probe.workers > 1 ? { workers: probe.workers } : {}) });
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

  /** Whether data-parallel training could run here: WASM, several cores, and workers that can start workers. */
  private canSplit(): boolean {
    return tf.getBackend() === 'wasm' && this.cores >= PARALLEL_WORKERS && this.startPeer !== null;
  }

  /** Threads per worker: every core for one worker (at most 8), a share each for several. */
  private threadsFor(workers: number): number {
    return Math.max(1, Math.floor(Math.min(this.cores, 8 * workers) / workers));
  }

  private gradientPeer(): Promise<GradientPeer & { terminate(): void }> {
    if (!this.startPeer) return Promise.reject(new Error('No gradient worker can start here.'));
    const started = (this.peer ??= this.startPeer({ ...this.options, wasmThreads: this.threadsFor(PARALLEL_WORKERS) }));
    started.catch(() => {
      if (this.peer === started) this.peer = null;
    });
    return started;
  }

  /**
   * Whether to split this workload's batches across workers, measured once per workload (both ways, a few seconds),
   * and the WASM backend restarted with the threads that way needs. False where it cannot run.
   */
  private async shouldSplit({ spec, settings, augmentation, workers, threads }: RunRequest): Promise<boolean> {
    if (!this.canSplit()) return false;
    if (workers === undefined && !this.splitFaster.has(workloadKey(spec, settings))) await this.measure(spec, settings, augmentation);
    const split = workers === undefined ? this.splitFaster.get(workloadKey(spec, settings)) === true : workers >= PARALLEL_WORKERS;
    await restartWasm(threads ?? this.threadsFor(split ? PARALLEL_WORKERS : 1));
    return split;
  }

  /**
   * The probe on the active backend (callers hold the backend: see `exclusive`). On WASM with several cores it
   * measures one worker with every core against two workers splitting each batch, keeps which was faster for this
   * workload (runs use it), and returns the faster.
   */
  private async measure(spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings): Promise<ThroughputProbe> {
    if (!this.canSplit()) return this.measureOnce(spec, settings, augmentation, null);
    await restartWasm(this.threadsFor(1));
    const single = await this.measureOnce(spec, settings, augmentation, null);
    let split: ThroughputProbe | null = null;
    try {
      await restartWasm(this.threadsFor(PARALLEL_WORKERS));
      split = await this.measureOnce(spec, settings, augmentation, await this.gradientPeer());
    } catch {
      // No second worker here (a browser that refuses nested workers, memory): one worker it is.
    }
    const faster = split && split.trainImagesPerSecond > single.trainImagesPerSecond ? split : single;
    this.splitFaster.set(workloadKey(spec, settings), faster === split);
    await restartWasm(this.threadsFor(faster.workers ?? 1));
    return faster;
  }

  private measureOnce(spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings, peer: GradientPeer | null): Promise<ThroughputProbe> {
    return measureThroughput({ dataset: this.ready().dataset, spec, settings, augmentation, peer, yieldNow: this.yieldNow });
  }

  memory(): MemoryReport {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }
}
