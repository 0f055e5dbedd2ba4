/**
 * The page's handle on the training engine. In the browser the engine runs in a module Web Worker with its own
 * tfjs backend (the page never freezes while it trains); where there are no module workers (Node, tests, the
 * benchmark's page-thread figure) the same TrainerService runs in-process behind the same interface.
 */
import * as Comlink from 'comlink';
import type { AugmentSettings } from '../augment/settings';
import type { BackendOptions, BackendPreference } from '../backend/backend';
import type { MnistDataset } from '../data/mnist';
import type { ModelSpec } from '../model/spec';
import type { HeadEvent, HeadOutcome, HeadRequest } from '../symbols/teach';
import type { TrainSettings } from './settings';
import { TrainerService, type EngineInfo, type MemoryReport, type PickOutcome, type RunEvent, type RunOutcome, type RunRequest, type ThroughputProbe } from './trainer';

export type EngineLocation = 'worker' | 'page';

export interface TrainingEngine {
  readonly location: EngineLocation;
  start(preference: BackendPreference): Promise<EngineInfo>;
  /** Sends the data set once (a copy: the page keeps its own for display). */
  ensureDataset(dataset: MnistDataset): Promise<void>;
  run(request: RunRequest, onEvent: (event: RunEvent) => void): Promise<RunOutcome>;
  /** Teaches the lab model new classes (a new head on its frozen body); see TrainerService.trainHead. */
  trainHead(request: HeadRequest, onEvent: (event: HeadEvent) => void): Promise<HeadOutcome>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(reason?: string): Promise<void>;
  probe(spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings): Promise<ThroughputProbe>;
  /** Measures every backend that starts here on this network and switches to the fastest (see TrainerService). */
  pickFastest(spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings): Promise<PickOutcome>;
  memory(): Promise<MemoryReport>;
  /** Loses the engine's WebGL context on purpose (tests): resolves to whether there was one. */
  loseContext(): Promise<boolean>;
  /** Ends the worker (its backend and every tensor in it go with it). */
  terminate(): void;
}

/** What both kinds of engine share: the service (in-process or a Comlink proxy of it). */
type Service = {
  [K in keyof TrainerService]: TrainerService[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

class ServiceEngine implements TrainingEngine {
  private sentDataset: MnistDataset | null = null;

  constructor(
    readonly location: EngineLocation,
    private readonly service: Service,
    private readonly backendOptions: BackendOptions,
    private readonly pack: <T>(value: T, transfer: Transferable[]) => T,
    private readonly callback: <F extends (...args: never[]) => unknown>(f: F) => F,
    private readonly end: () => void,
  ) {}

  start(preference: BackendPreference): Promise<EngineInfo> {
    return this.service.start(preference, this.backendOptions);
  }

  async ensureDataset(dataset: MnistDataset): Promise<void> {
    if (this.sentDataset === dataset && (await this.service.hasDataset())) return;
    const copy = (split: MnistDataset['train']) => ({ images: split.images.slice(), labels: split.labels.slice(), count: split.count });
    const bytes = { train: copy(dataset.train), test: copy(dataset.test) };
    const buffers = [bytes.train.images.buffer, bytes.train.labels.buffer, bytes.test.images.buffer, bytes.test.labels.buffer];
    await this.service.setDataset(this.pack(bytes, buffers));
    this.sentDataset = dataset;
  }

  run(request: RunRequest, onEvent: (event: RunEvent) => void): Promise<RunOutcome> {
    return this.service.run(request, this.callback(onEvent));
  }

  trainHead(request: HeadRequest, onEvent: (event: HeadEvent) => void): Promise<HeadOutcome> {
    return this.service.trainHead(request, this.callback(onEvent));
  }

  pause(): Promise<void> {
    return this.service.pause();
  }

  resume(): Promise<void> {
    return this.service.resume();
  }

  stop(reason?: string): Promise<void> {
    return this.service.stop(reason);
  }

  probe(spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings): Promise<ThroughputProbe> {
    return this.service.probe(spec, settings, augmentation);
  }

  pickFastest(spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings): Promise<PickOutcome> {
    return this.service.pickFastest(spec, settings, augmentation);
  }

  memory(): Promise<MemoryReport> {
    return this.service.memory();
  }

  loseContext(): Promise<boolean> {
    return this.service.loseContext();
  }

  terminate(): void {
    this.end();
  }
}

/** The engine in a module Web Worker (the lab's normal case). */
export function createWorkerEngine(backendOptions: BackendOptions = {}): TrainingEngine {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'digit-lab-training' });
  const remote = Comlink.wrap<TrainerService>(worker) as unknown as Service;
  return new ServiceEngine('worker', remote, backendOptions, Comlink.transfer, Comlink.proxy, () => worker.terminate());
}

/** The same engine on this thread: shares the page's tfjs backend (tests, Node, the benchmark's page-thread figure). */
export function createInProcessEngine(backendOptions: BackendOptions = {}, service = new TrainerService()): TrainingEngine {
  const asService = new Proxy(service, {
    get: (target, key) => {
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? (...args: unknown[]) => Promise.resolve(value.apply(target, args)) : value;
    },
  }) as unknown as Service;
  return new ServiceEngine('page', asService, backendOptions, (v) => v, (f) => f, () => {});
}

/** Whether this environment can start a module worker. */
export function canUseWorker(): boolean {
  return typeof Worker !== 'undefined' && typeof window !== 'undefined';
}
