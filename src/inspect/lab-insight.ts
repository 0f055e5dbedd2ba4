/**
 * What the lab knows about its current model beyond its answers, one per lab state: the "not a digit" check and the
 * embeddings of the 60,000 training digits (the mistake microscope's neighbours). Both are computed once per model in
 * the inspection worker (src/inspect/insight-engine.ts), kept in memory and in IndexedDB; the shipped model's check
 * ships with it (data/model/digit-check.json). No DOM here; cells subscribe.
 */
import { sha256Hex } from '../data/loader';
import { IMAGE_PIXELS, type MnistDataset } from '../data/mnist';
import { modelToData } from '../model/artifacts';
import type { LabModel } from '../model/lab-model';
import type { LabState } from '../state/lab-state';
import { CALIBRATION, isDigitCheck, type DigitCheck } from './digit-check';
import { nearestNeighbours, type Neighbour } from './embedding';
import type { InsightEngine } from './insight-engine';
import { ChangeNotifier } from '../state/change-notifier';

/** The shipped check file: the check and the fingerprint of the model it was fitted for. */
export interface ShippedDigitCheck {
  fingerprint: string;
  check: DigitCheck;
}

/** Embeddings of the training digits for one model (filled chunk by chunk). */
export interface TrainingEmbeddings {
  fingerprint: string;
  size: number;
  /** How many rows are computed so far (of `total`). */
  count: number;
  total: number;
  values: Float32Array;
  /** Seconds the whole computation took (null while it goes on; the time it took when computed, if from storage). */
  seconds: number | null;
  /** Where these came from: computed now, or read back from this browser's storage. */
  origin: 'computed' | 'stored';
}

/** Where the two computations stand, for the cells. */
export interface InsightProgress {
  /** Fitting the check for a model that has none: 0–1, or null. */
  calibrating: number | null;
  /** The training digits' embeddings: how many of how many, or null when not started. */
  embedding: { done: number; total: number } | null;
}

export interface Storage {
  load<T>(key: string): Promise<T | undefined>;
  save<T>(key: string, value: T): Promise<void>;
}

export interface LabInsightOptions {
  createEngine: () => InsightEngine;
  dataset: () => Promise<MnistDataset>;
  /** The shipped check file's URL (model/digit-check.json), or null. */
  shippedCheckUrl: string | null;
  fetch?: typeof fetch;
  storage?: Storage | null;
  now?: () => number;
  /** Images per worker call while embedding (progress is reported between calls). */
  chunk?: number;
}

/** A model's fingerprint: SHA-256 of its topology and weights (the same model gives the same one anywhere). */
export async function modelFingerprint(model: LabModel['model']): Promise<string> {
  const data = await modelToData(model);
  const topology = new TextEncoder().encode(JSON.stringify(data.modelTopology));
  const bytes = new Uint8Array(topology.length + data.weightData.byteLength);
  bytes.set(topology);
  bytes.set(new Uint8Array(data.weightData), topology.length);
  return (await sha256Hex(bytes)).slice(0, 32);
}

const EMBEDDINGS_KEY = 'inspect:embeddings';
const checkKey = (fingerprint: string) => `inspect:digit-check:${fingerprint}`;

export class LabInsight extends ChangeNotifier {
  private engine: InsightEngine | null = null;
  private started: Promise<unknown> | null = null;
  private sentKey: string | null = null;
  private readonly fingerprints = new WeakMap<LabModel, Promise<string>>();
  private readonly checks = new WeakMap<LabModel, Promise<DigitCheck>>();
  private readonly readyChecks = new WeakMap<LabModel, DigitCheck>();
  private readonly embeddingJobs = new WeakMap<LabModel, Promise<TrainingEmbeddings>>();
  private shipped: Promise<ShippedDigitCheck | null> | null = null;
  /** The embeddings being filled or done, for the model they belong to. */
  current: { model: LabModel; embeddings: TrainingEmbeddings } | null = null;
  progress: InsightProgress = { calibrating: null, embedding: null };

  constructor(
    private readonly state: LabState,
    private readonly options: LabInsightOptions,
  ) {
    super();
  }

  private now(): number {
    return (this.options.now ?? (() => performance.now()))();
  }

  fingerprint(model: LabModel): Promise<string> {
    let pending = this.fingerprints.get(model);
    if (!pending) this.fingerprints.set(model, (pending = modelFingerprint(model.model)));
    return pending;
  }

  /** The engine with its backend started (the lab's preference) and `model` loaded into it. */
  private async engineFor(model: LabModel): Promise<{ engine: InsightEngine; key: string }> {
    const engine = (this.engine ??= this.options.createEngine());
    this.started ??= engine.start(this.state.get('backend').preference).catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    await this.started;
    const key = await this.fingerprint(model);
    if (this.sentKey !== key) {
      await engine.setModel(key, await modelToData(model.model));
      this.sentKey = key;
    }
    return { engine, key };
  }

  private loadShipped(): Promise<ShippedDigitCheck | null> {
    const url = this.options.shippedCheckUrl;
    if (!url) return Promise.resolve(null);
    const fetchFn = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    return (this.shipped ??= fetchFn(url)
      .then((r) => (r.ok ? (r.json() as Promise<unknown>) : null))
      .then((value) => {
        const file = value as Partial<ShippedDigitCheck> | null;
        return file && typeof file.fingerprint === 'string' && isDigitCheck(file.check) ? (file as ShippedDigitCheck) : null;
      })
      .catch(() => null));
  }

  /**
   * The "not a digit" check for `model`: from memory, the shipped file (when it was fitted for this very model),
   * this browser's storage, or fitted now in the worker (about 6,000 forward passes; progress in `progress`).
   */
  digitCheck(model: LabModel): Promise<DigitCheck> {
    let pending = this.checks.get(model);
    if (!pending) {
      pending = this.knownCheck(model).then((known) => known ?? this.fitCheck(model));
      pending.then(
        (check) => this.readyChecks.set(model, check),
        () => this.checks.delete(model),
      );
      this.checks.set(model, pending);
    }
    return pending;
  }

  /** The check when it needs no fitting (shipped with the model, or kept from before), else null. Quick. */
  async knownCheck(model: LabModel): Promise<DigitCheck | null> {
    const ready = this.readyChecks.get(model);
    if (ready) return ready;
    const fingerprint = await this.fingerprint(model);
    const shipped = await this.loadShipped();
    const stored = shipped?.fingerprint === fingerprint ? null : await this.options.storage?.load<unknown>(checkKey(fingerprint)).catch(() => undefined);
    const check = shipped?.fingerprint === fingerprint ? shipped.check : isDigitCheck(stored) ? stored : null;
    if (check) this.readyChecks.set(model, check);
    return check;
  }

  /** The check for `model` if it is already at hand (no waiting, no work), else null. */
  readyCheck(model: LabModel): DigitCheck | null {
    return this.readyChecks.get(model) ?? null;
  }

  private async fitCheck(model: LabModel): Promise<DigitCheck> {
    const fingerprint = await this.fingerprint(model);
    const dataset = await this.options.dataset();
    const { engine, key } = await this.engineFor(model);
    this.progress = { ...this.progress, calibrating: 0 };
    this.emit();
    try {
      const images = dataset.train.images.slice(0, (CALIBRATION.fitted + CALIBRATION.heldOut) * IMAGE_PIXELS);
      const check = await engine.calibrate(key, images, (fraction) => {
        this.progress = { ...this.progress, calibrating: fraction };
        this.emit();
      });
      await this.options.storage?.save(checkKey(fingerprint), check).catch(() => {});
      return check;
    } finally {
      this.progress = { ...this.progress, calibrating: null };
      this.emit();
    }
  }

  /**
   * The embeddings of every training digit for `model`, computed once (in chunks, in the worker) or read back from
   * storage. `current` fills as chunks arrive, so neighbours can be shown among the digits done so far.
   */
  embeddings(model: LabModel): Promise<TrainingEmbeddings> {
    let pending = this.embeddingJobs.get(model);
    if (!pending) {
      pending = this.computeEmbeddings(model);
      pending.catch(() => this.embeddingJobs.delete(model));
      this.embeddingJobs.set(model, pending);
    }
    return pending;
  }

  private isCurrent(model: LabModel): boolean {
    return this.state.get('model') === model;
  }

  private async computeEmbeddings(model: LabModel): Promise<TrainingEmbeddings> {
    const fingerprint = await this.fingerprint(model);
    const stored = await this.options.storage?.load<TrainingEmbeddings>(EMBEDDINGS_KEY).catch(() => undefined);
    if (stored && stored.fingerprint === fingerprint && stored.values instanceof Float32Array && stored.count === stored.total) {
      const embeddings = { ...stored, origin: 'stored' as const };
      this.current = { model, embeddings };
      this.emit();
      return embeddings;
    }
    const dataset = await this.options.dataset();
    const total = dataset.train.count;
    const chunk = this.options.chunk ?? 5000;
    const started = this.now();
    let embeddings: TrainingEmbeddings | null = null;
    this.progress = { ...this.progress, embedding: { done: 0, total } };
    this.emit();
    try {
      for (let start = 0; start < total; start += chunk) {
        // A model the lab has replaced is not worth finishing.
        if (!this.isCurrent(model)) throw new DOMException('the lab model changed', 'AbortError');
        const count = Math.min(chunk, total - start);
        const { engine, key } = await this.engineFor(model);
        const part = await engine.embed(key, dataset.train.images.slice(start * IMAGE_PIXELS, (start + count) * IMAGE_PIXELS), count);
        embeddings ??= { fingerprint, size: part.size, count: 0, total, values: new Float32Array(total * part.size), seconds: null, origin: 'computed' };
        embeddings.values.set(part.values, start * part.size);
        embeddings.count = start + count;
        this.current = { model, embeddings };
        this.progress = { ...this.progress, embedding: { done: embeddings.count, total } };
        this.emit();
      }
    } finally {
      this.progress = { ...this.progress, embedding: null };
      this.emit();
    }
    const done = embeddings!;
    done.seconds = (this.now() - started) / 1000;
    this.emit();
    await this.options.storage?.save(EMBEDDINGS_KEY, done).catch(() => {});
    return done;
  }

  /** The `k` training digits nearest to `embedding` among those embedded so far for `model`, or null if none yet. */
  neighbours(model: LabModel, embedding: ArrayLike<number>, k = 8): { neighbours: Neighbour[]; searched: number; total: number } | null {
    const current = this.current;
    if (!current || current.model !== model || current.embeddings.count === 0) return null;
    const { values, size, count, total } = current.embeddings;
    if (embedding.length !== size) return null;
    return { neighbours: nearestNeighbours(values, size, count, embedding, k), searched: count, total };
  }

  /** Tensors held in the inspection worker (for the memory checks), or null before it started. */
  async engineTensors(): Promise<number | null> {
    return this.engine ? this.engine.tensors() : null;
  }

  dispose(): void {
    this.engine?.terminate();
    this.engine = null;
    this.started = null;
    this.sentKey = null;
  }
}

const insights = new WeakMap<LabState, LabInsight>();

/** The one LabInsight of a lab state (created on first use). */
export function labInsight(state: LabState, options: () => LabInsightOptions): LabInsight {
  let insight = insights.get(state);
  if (!insight) insights.set(state, (insight = new LabInsight(state, options())));
  return insight;
}
