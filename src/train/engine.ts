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
import type { HeadEvent, HeadOutcome, HeadRequest } from '../symbols/teach-protocol';
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
  /** True once the worker has failed for good (its script did not load, or it crashed): make a new engine. */
  readonly broken: boolean;
}

/** The training worker failed (its script could not load, or it crashed): every call in flight ends with this. */
export class EngineBroken extends Error {
  constructor(detail: string) {
    super(
      `The training worker stopped working (${detail}). Nothing of your lab was lost; Train again to start a new one. ` +
        'If you are offline, the lab may not have finished saving itself for offline use: reload it once while online.',
    );
    this.name = 'EngineBroken';
  }
}

/** What both kinds of engine share: the service (in-process or a Comlink proxy of it). */
type Service = {
  [K in keyof TrainerService]: TrainerService[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

class ServiceEngine implements TrainingEngine {
  private sentDataset: MnistDataset | null = null;
  broken = false;

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

/**
 * Races every call of `remote` against the worker's failure: a worker whose script cannot load, or that throws
 * outside a call, fires `error` on the Worker, and Comlink's calls would otherwise wait for good.
 */
function failFast(worker: Worker, remote: Service, onBroken: () => void): Service {
  const failure = new Promise<never>((_, reject) => {
    const fail = (detail: string) => {
      onBroken();
      reject(new EngineBroken(detail));
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      fail(event.message || 'its script did not load');
    });
    worker.addEventListener('messageerror', () => fail('a message from it could not be read'));
  });
  failure.catch(() => {});
  return new Proxy(remote, {
    get: (target, key) => {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => Promise.race([(value as (...a: unknown[]) => Promise<unknown>)(...args), failure]);
    },
  });
}

/** The engine in a module Web Worker (the lab's normal case). */
export function createWorkerEngine(backendOptions: BackendOptions = {}): TrainingEngine {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'digit-lab-training' });
  const remote = Comlink.wrap<TrainerService>(worker) as unknown as Service;
  let engine: ServiceEngine | null = null;
  const guarded = failFast(worker, remote, () => {
    if (engine) engine.broken = true;
    worker.terminate();
  });
  engine = new ServiceEngine('worker', guarded, backendOptions, Comlink.transfer, Comlink.proxy, () => worker.terminate());
  return engine;
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
