/**
 * The page's side of one Teach at a time: sends the request to the lab's trainer (the engine in the training worker),
 * follows its events, and has the session install the taught model as soon as its head is trained, while the checks
 * (held-out, test digits) go on. Also asks the worker to prepare the digit sample's features ahead of Teach.
 */
import { modelToData } from '../model/artifacts';
import type { LabModel } from '../model/lab-model';
import { flattenExamples, type ClassSet } from './class-set';
import { extendModelData } from './extended-model';
import type { HeadWeights } from './features';
import type { TaughtModel, TeachReport } from './file';
import { HeadStopped } from './head';
import { measured } from './measured';
import { TeachError, type HeadEvent, type HeadOutcome, type HeadRequest, type TeachPhase } from './teach-protocol';
import type { TeachSettings } from './teach-settings';

/** What teaching needs from the lab's trainer (LabTrainer): the engine in the training worker. */
export interface HeadTrainer {
  readonly busy: boolean;
  trainHead(request: HeadRequest, onEvent: (event: HeadEvent) => void, signal?: AbortSignal): Promise<HeadOutcome>;
}

export interface TeachingStatus {
  phase: TeachPhase | 'starting' | 'installing';
  /** 0–1 within the phase, when known. */
  fraction: number | null;
  /** True once the model is ready: what remains are the checks (held-out, test digits). */
  checking: boolean;
}

/** How a Teach ended: taught, stopped before the model was ready (nothing changed), or replaced by a newer Teach. */
export type TeachEnd = 'taught' | 'stopped' | 'replaced';

/** What a Teach changes in the session it runs for. */
export interface TeachTarget {
  /** Makes a taught model the one that reads (`onBase`: through the lab model's own body, right after its head is trained). */
  install(taught: TaughtModel, onBase?: { base: LabModel; head: HeadWeights }): Promise<void>;
  /** Keeps a taught model in the browser; a refusal is noted for the learner, never thrown. */
  keep(taught: TaughtModel): Promise<void>;
  /** Tells the session's views that something changed. */
  emit(): void;
}

let modelCounter = 0;
const baseKeys = new WeakMap<LabModel, string>();
/** A name for a lab model, so the worker knows when it may reuse the features it computed for it. */
function baseKeyOf(model: LabModel): string {
  let key = baseKeys.get(model);
  if (!key) baseKeys.set(model, (key = `${Date.now().toString(36)}-${++modelCounter}`));
  return key;
}

export class TeachRunner {
  /** How the current Teach goes, or null when none runs. */
  status: TeachingStatus | null = null;
  private run: { abort: AbortController } | null = null;
  private prepared: LabModel | null = null;
  private readonly target: TeachTarget;
  private readonly now: () => number;

  constructor(target: TeachTarget, now: () => number) {
    this.target = target;
    this.now = now;
  }

  /**
   * Teaches `base` the classes of `classSet` (already checked by the session), taking over from a Teach that still
   * runs. Throws TeachError while a training run goes on.
   */
  async teach(base: LabModel, classSet: ClassSet, trainer: HeadTrainer, settings: TeachSettings, checkDigits: boolean): Promise<TeachEnd> {
    if (trainer.busy) throw new TeachError('A training run is going on: teach new classes once it has finished, or stop it.');
    this.run?.abort.abort();
    const run = { abort: new AbortController() };
    this.run = run;
    const current = () => this.run === run;
    const started = this.now();
    const classNames = classSet.classes.map((c) => c.name);
    this.status = { phase: 'starting', fraction: null, checking: false };
    this.target.emit();
    let taught: TaughtModel | null = null;
    let installing: Promise<void> = Promise.resolve();
    try {
      const baseData = await measured('request', () => modelToData(base.model));
      const { images, labels } = flattenExamples(classSet);
      const request: HeadRequest = { baseKey: baseKeyOf(base), base: baseData, classNames, images, labels, settings, checkDigits };
      const seconds = () => (this.now() - started) / 1000;
      const requested = seconds();
      const onEvent = (event: HeadEvent) => {
        if (!current()) return;
        if (event.type === 'phase' || event.type === 'progress') {
          this.status = { phase: event.phase, fraction: event.type === 'progress' ? event.fraction : null, checking: taught !== null };
        } else if (event.type === 'head') {
          const headAt = seconds();
          const report: TeachReport = { baseDescription: base.description, taughtAt: Date.now(), examples: classSet.classes.map((c) => c.examples.length), heldOut: null, digits: null, seconds: { ready: NaN, heldOut: null, digits: null } };
          const next: TaughtModel = { data: extendModelData(baseData, event.head), classNames, report };
          taught = next;
          this.status = { phase: 'installing', fraction: null, checking: false };
          installing = this.target.install(next, { base, head: event.head }).then(() => {
            next.report.seconds.ready = seconds();
            next.report.steps = { ...event.steps, request: requested, engine: headAt - requested, install: next.report.seconds.ready - headAt };
            if (current()) this.status = { phase: 'held-out', fraction: 0, checking: true };
            this.target.emit();
            return this.target.keep(next);
          });
        } else if (event.type === 'held-out' && taught) {
          taught.report.heldOut = event.heldOut;
          taught.report.seconds.heldOut = seconds();
        } else if (event.type === 'digits' && taught) {
          taught.report.digits = event.digits;
          taught.report.seconds.digits = seconds();
        } else if (event.type === 'unfrozen' && taught) {
          // The model with its last convolution block trained too reads from now on (built whole: its body changed).
          const frozen: TaughtModel = taught;
          const next: TaughtModel = { data: event.model, classNames, report: { ...frozen.report, unfrozen: event.report } };
          taught = next;
          installing = installing.then(() => this.target.install(next)).then(() => {
            this.target.emit();
            return this.target.keep(next);
          });
        }
        this.target.emit();
      };
      await trainer.trainHead(request, onEvent, run.abort.signal);
      await installing;
      if (taught) await this.target.keep(taught);
      return current() ? 'taught' : 'replaced';
    } catch (error) {
      await installing.catch(() => {});
      // A teaching stopped by the learner or by a newer one is not a failure.
      if (!current()) return 'replaced';
      // (From the worker the error comes back as a plain Error with its name.)
      if (error instanceof HeadStopped || (error as Error)?.name === 'HeadStopped' || run.abort.signal.aborted) return taught ? 'taught' : 'stopped';
      throw error;
    } finally {
      if (current()) {
        this.run = null;
        this.status = null;
        this.target.emit();
      }
    }
  }

  /**
   * Has the training worker compute the features of its MNIST digit sample for `base` ahead of Teach (once per
   * base model), while the learner draws. Quietly does nothing when the worker is busy, and gives way to Teach.
   */
  async prepare(base: LabModel, trainer: HeadTrainer, settings: TeachSettings): Promise<void> {
    if (this.prepared === base || this.run || trainer.busy) return;
    this.prepared = base;
    try {
      const request: HeadRequest = {
        baseKey: baseKeyOf(base),
        base: await modelToData(base.model),
        classNames: [],
        images: new Uint8Array(0),
        labels: new Uint8Array(0),
        settings,
        checkDigits: false,
        prepareOnly: true,
      };
      await trainer.trainHead(request, () => {});
    } catch {
      // Stopped by Teach or a training run, or the worker could not start: Teach computes the features itself.
      if (this.prepared === base) this.prepared = null;
    }
  }

  /** Stops teaching (at the engine's next batch): before the model is ready nothing changes; after, the checks end. */
  stop(): void {
    this.run?.abort.abort();
  }
}
