/**
 * The page's side of teaching new symbols, one per lab state (like the lab's trainer): the class set and the taught
 * model, kept in IndexedDB; teaching in the training worker (LabTrainer.trainHead), installing the extended model on
 * the page as soon as its head is trained; reading a drawing or a line with it; the one-file download and upload.
 * No DOM here; the cell subscribes. The Draw lesson can read with the taught model through `read()` and `labels`.
 */
import type * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../data/mnist';
import type { GrayImage } from '../draw/preprocess';
import { modelFromData, modelToData } from '../model/artifacts';
import type { LabModel } from '../model/lab-model';
import { warmUp } from '../model/shipped';
import type { LabState } from '../state/lab-state';
import { yieldToEventLoop } from '../train/yield';
import { StorageRefused } from '../state/model-store';
import { addClass, addExample, DIGIT_NAMES, EMPTY_CLASS_SET, fewestExamples, flattenExamples, removeClass, removeExample, type ClassSet } from './class-set';
import { extendModelData } from './extended-model';
import type { HeadWeights } from './features';
import { readSymbolFile, writeSymbolFile, type SymbolFile, type TaughtModel, type TeachReport } from './file';
import { HeadStopped } from './head';
import { headOnBody, modelPredictor, readLineWith, readSymbol, type LineResult, type Predictor, type SymbolReading } from './reader';
import { STARTER_ORIGIN, STARTER_PER_CLASS, starterSet } from './starter';
import { restoreSymbols, saveClassSet, saveDrawChoice, saveTaught } from './store';
import { TeachError, type HeadEvent, type HeadOutcome, type HeadRequest, type TeachPhase } from './teach-protocol';
import { DEFAULT_TEACH, MIN_EXAMPLES, type TeachSettings } from './teach-settings';
import { ChangeNotifier } from '../state/change-notifier';

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

/** Times a step of the page's share of teaching as a performance measure "digit-lab:symbols-<name>" (for the e2e figures). */
async function measured<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    performance.measure(`digit-lab:symbols-${name}`, { start, end: performance.now() });
  }
}

let modelCounter = 0;
const baseKeys = new WeakMap<LabModel, string>();
/** A name for a lab model, so the worker knows when it may reuse the features it computed for it. */
function baseKeyOf(model: LabModel): string {
  let key = baseKeys.get(model);
  if (!key) baseKeys.set(model, (key = `${Date.now().toString(36)}-${++modelCounter}`));
  return key;
}

export class SymbolSession extends ChangeNotifier {
  classSet: ClassSet = EMPTY_CLASS_SET;
  taught: TaughtModel | null = null;
  teaching: TeachingStatus | null = null;
  /** Something the learner should know about storage (refused, damaged), or null. */
  storageNote: string | null = null;
  /** What a loaded file replaced, until the learner keeps it (Put back). */
  private replaced: { classSet: ClassSet; taught: TaughtModel | null } | null = null;
  /** The taught model built whole on the page (kept, loaded, or rebuilt), or null. */
  private model: tf.LayersModel | null = null;
  /** Right after teaching: the lab model whose body reads, with the new head. */
  private shared: { base: LabModel; predictor: Predictor } | null = null;
  private rebuilding: Promise<void> | null = null;
  private restoring: Promise<void> | null = null;
  private teachRun: { id: number; abort: AbortController } | null = null;
  private teachCounter = 0;
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    super();
    this.now = now;
  }

  /**
   * Brings back what this browser kept (once): the classes at once, the taught model once `backendReady` resolves
   * (a model built before the lab's backend has started would land on another backend).
   */
  restore(backendReady: Promise<unknown> = Promise.resolve()): Promise<void> {
    this.restoring ??= (async () => {
      try {
        const kept = await restoreSymbols();
        if (kept.classSet && this.classSet === EMPTY_CLASS_SET) this.classSet = kept.classSet;
        if (kept.drawWithClasses !== null && !this.drawChosen) this.drawWithClasses = kept.drawWithClasses;
        this.storageNote = kept.damaged;
        this.emit();
        if (kept.taught && !this.taught) {
          await backendReady;
          if (!this.taught) await this.install(kept.taught);
        }
      } catch (error) {
        this.storageNote = `What this browser kept could not be read (${(error as Error).message}).`;
      }
      this.emit();
    })();
    return this.restoring;
  }

  /** The names of the taught model's outputs: the digits, then its classes; null before teaching. */
  get labels(): string[] | null {
    return this.taught ? [...DIGIT_NAMES, ...this.taught.classNames] : null;
  }

  /**
   * Whether the Draw lesson reads with the taught model (digits and the learner's classes) or with the lab model
   * alone (digits only). Kept in the browser with the classes.
   */
  drawWithClasses = true;
  /** The learner chose on this page (what the browser kept then no longer applies). */
  private drawChosen = false;

  /** The Draw lesson's choice: digits and the taught classes, or digits only. */
  setDrawWithClasses(value: boolean): void {
    this.drawChosen = true;
    if (value === this.drawWithClasses) return;
    this.drawWithClasses = value;
    this.emit();
    // Only a preference: a browser that refuses to keep it loses nothing else.
    saveDrawChoice(value).catch(() => {});
  }

  /** What the Draw lesson reads with: the taught classes' names (digits first) when taught and chosen, else null (digits only). */
  get drawLabels(): string[] | null {
    return this.drawWithClasses ? this.labels : null;
  }

  /** True when the classes or drawings changed since the model was taught. */
  get stale(): boolean {
    const t = this.taught;
    if (!t) return false;
    const now = this.classSet.classes;
    return now.length !== t.classNames.length || now.some((c, i) => c.name !== t.classNames[i] || c.examples.length !== t.report.examples[i]);
  }

  /** A message for why Teach cannot run yet, or null. */
  get cannotTeach(): string | null {
    if (this.classSet.classes.length === 0) return 'Add a class of your own first.';
    const fewest = fewestExamples(this.classSet);
    if (fewest < MIN_EXAMPLES) return `Draw at least ${MIN_EXAMPLES} examples of every class (one has ${fewest}).`;
    return null;
  }

  private change(classSet: ClassSet): void {
    this.classSet = classSet;
    this.replaced = null;
    this.emit();
    saveClassSet(classSet).then(
      () => {
        if (this.storageNote?.startsWith('Your classes')) this.storageNote = null;
      },
      (error: unknown) => {
        this.storageNote = `Your classes are kept only until you reload: ${error instanceof StorageRefused ? error.message : String(error)}. Download them to keep them.`;
        this.emit();
      },
    );
  }

  /** Adds a class (throws ClassSetError with the reason for a refused name; nothing changes then). */
  addClass(name: string): void {
    this.change(addClass(this.classSet, name));
  }

  removeClass(name: string): void {
    this.change(removeClass(this.classSet, name));
  }

  addExample(name: string, pixels: ArrayLike<number>): void {
    this.change(addExample(this.classSet, name, pixels));
  }

  removeExample(name: string, index: number): void {
    this.change(removeExample(this.classSet, name, index));
  }

  /**
   * Makes `taught` the model that reads. Right after teaching (`onBase`) it reads through the lab model's own body,
   * already on the page and warm, and the new head: nothing is built. Otherwise (kept in the browser, loaded from a
   * file, or the lab's model has changed since) the whole extended model is built; building and its first prediction
   * each take a task of their own, so the page answers in between. The model it replaces is freed.
   */
  private async install(taught: TaughtModel, onBase?: { base: LabModel; head: HeadWeights }): Promise<void> {
    if (onBase) {
      this.dropModel();
      this.shared = { base: onBase.base, predictor: headOnBody(onBase.base.model, onBase.head) };
      this.taught = taught;
      return;
    }
    await yieldToEventLoop();
    const model = await measured('build', () => modelFromData(taught.data));
    await yieldToEventLoop();
    try {
      const outputs = model.outputs[0]?.shape?.[1];
      if (outputs !== NUM_CLASSES + taught.classNames.length) throw new Error(`the model answers ${outputs} classes, not ${NUM_CLASSES + taught.classNames.length}`);
      await measured('first-prediction', () => warmUp(model));
    } catch (error) {
      model.dispose();
      throw error;
    }
    this.dropModel();
    this.model = model;
    this.taught = taught;
  }

  /** What reads now: the taught model (rebuilt whole if the lab model it shared has been replaced), else `fallback`. */
  private async predictor(fallback: LabModel | null): Promise<Predictor | null> {
    const taught = this.taught;
    if (taught && this.shared) {
      if (this.shared.base === fallback) return this.shared.predictor;
      this.rebuilding ??= this.install(taught).finally(() => (this.rebuilding = null));
      await this.rebuilding;
    }
    if (this.model && this.taught) return modelPredictor(this.model);
    return fallback ? modelPredictor(fallback.model) : null;
  }

  private async keepTaught(taught: TaughtModel): Promise<void> {
    try {
      await yieldToEventLoop();
      await measured('store', () => saveTaught(taught));
    } catch (error) {
      this.storageNote = `The taught model is kept only until you reload: ${error instanceof StorageRefused ? error.message : String(error)}. Download it to keep it.`;
    }
  }

  /**
   * Teaches the lab model the classes: resolves once the model is ready to read and its checks (held-out accuracy,
   * test digits) are done, with how it ended: 'taught', 'stopped' (by Stop before the model was ready: nothing
   * changed) or 'replaced' (a newer Teach took over). Throws TeachError for a set that cannot be taught yet, and the
   * trainer's refusal while a training run goes on.
   */
  async teach(base: LabModel, trainer: HeadTrainer, settings: TeachSettings = DEFAULT_TEACH, checkDigits = true): Promise<'taught' | 'stopped' | 'replaced'> {
    const refusal = this.cannotTeach;
    if (refusal) throw new TeachError(refusal);
    if (trainer.busy) throw new TeachError('A training run is going on: teach new classes once it has finished, or stop it.');
    this.teachRun?.abort.abort();
    const run = { id: ++this.teachCounter, abort: new AbortController() };
    this.teachRun = run;
    const current = () => this.teachRun === run;
    const started = this.now();
    const classSet = this.classSet;
    const classNames = classSet.classes.map((c) => c.name);
    this.teaching = { phase: 'starting', fraction: null, checking: false };
    this.emit();
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
          this.teaching = { phase: event.phase, fraction: event.type === 'progress' ? event.fraction : null, checking: taught !== null };
        } else if (event.type === 'head') {
          const headAt = seconds();
          const report: TeachReport = { baseDescription: base.description, taughtAt: Date.now(), examples: classSet.classes.map((c) => c.examples.length), heldOut: null, digits: null, seconds: { ready: NaN, heldOut: null, digits: null } };
          const next: TaughtModel = { data: extendModelData(baseData, event.head), classNames, report };
          taught = next;
          this.teaching = { phase: 'installing', fraction: null, checking: false };
          installing = this.install(next, { base, head: event.head }).then(() => {
            next.report.seconds.ready = seconds();
            next.report.steps = { ...event.steps, request: requested, engine: headAt - requested, install: next.report.seconds.ready - headAt };
            if (current()) this.teaching = { phase: 'held-out', fraction: 0, checking: true };
            this.emit();
            return this.keepTaught(next);
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
          installing = installing.then(() => this.install(next)).then(() => {
            this.emit();
            return this.keepTaught(next);
          });
        }
        this.emit();
      };
      await trainer.trainHead(request, onEvent, run.abort.signal);
      await installing;
      if (taught) await this.keepTaught(taught);
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
        this.teachRun = null;
        this.teaching = null;
        this.emit();
      }
    }
  }

  private prepared: LabModel | null = null;

  /**
   * Has the training worker compute the features of its MNIST digit sample for `base` ahead of Teach (once per
   * base model), while the learner draws. Quietly does nothing when the worker is busy, and gives way to Teach.
   */
  async prepare(base: LabModel, trainer: HeadTrainer, settings: TeachSettings = DEFAULT_TEACH): Promise<void> {
    if (this.prepared === base || this.teachRun || trainer.busy) return;
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
  stopTeaching(): void {
    this.teachRun?.abort.abort();
  }

  /**
   * One drawing read by the taught model, or by `current` (the lab's model, digits only) before any teaching. Pass
   * the lab's current model: a taught model that shares its body with an older one is rebuilt whole first.
   */
  async read(pixels: ArrayLike<number>, current: LabModel | null): Promise<SymbolReading | null> {
    const predictor = await this.predictor(current);
    return predictor ? readSymbol(predictor, this.labels ?? DIGIT_NAMES, pixels) : null;
  }

  /** A line of handwriting read by the taught model (or the digits model before teaching). */
  async readLine(ink: GrayImage, current: LabModel | null): Promise<LineResult | null> {
    const predictor = await this.predictor(current);
    return predictor ? readLineWith(predictor, this.labels ?? DIGIT_NAMES, ink) : null;
  }

  /** The class set and the taught model as one file's text. */
  fileText(): string {
    return writeSymbolFile({ classSet: this.classSet, taught: this.taught });
  }

  /**
   * Loads a class-set file in place of the current classes and model (checked completely first: a bad file
   * changes nothing). What it replaced can be put back until the next change. Returns a summary for the learner.
   */
  async loadFile(text: string, fileName: string): Promise<string> {
    const file = readSymbolFile(text, fileName);
    await this.replaceWith(file);
    const drawings = file.classSet.classes.reduce((n, c) => n + c.examples.length, 0);
    const names = file.classSet.classes.map((c) => c.name).join(' ');
    return `Loaded “${fileName}”: ${file.classSet.classes.length} class${file.classSet.classes.length === 1 ? '' : 'es'} (${names || 'none'}), ${drawings} drawing${drawings === 1 ? '' : 's'}${file.taught ? ', and its taught model' : ', no taught model'}.`;
  }

  /** Takes the starter set (+ − × ÷ =, drawn by a program) in place of the current classes; Put back undoes it. */
  async loadStarter(): Promise<string> {
    const classSet = starterSet();
    await this.replaceWith({ classSet, taught: null });
    return `Loaded the starter set: ${classSet.classes.map((c) => c.name).join(' ')}, ${STARTER_PER_CLASS} drawings each, ${STARTER_ORIGIN}. Teach it, or add drawings of your own.`;
  }

  /** Puts a checked class set (and its model) in place of the current ones, keeping those for Put back. */
  private async replaceWith(file: SymbolFile): Promise<void> {
    const before = { classSet: this.classSet, taught: this.taught };
    if (file.taught) await this.install(file.taught);
    else this.dropModel();
    this.stopTeaching();
    this.classSet = file.classSet;
    this.replaced = before.classSet.classes.length || before.taught ? before : null;
    this.emit();
    await Promise.all([saveClassSet(file.classSet), saveTaught(file.taught)]).catch((error: unknown) => {
      this.storageNote = `The loaded classes are kept only until you reload: ${error instanceof Error ? error.message : String(error)}.`;
    });
  }

  /** Whether a loaded file replaced classes that can be put back. */
  get canPutBack(): boolean {
    return this.replaced !== null;
  }

  /** Puts back the classes and model a loaded file replaced. */
  async putBack(): Promise<void> {
    const before = this.replaced;
    if (!before) return;
    if (before.taught) await this.install(before.taught);
    else this.dropModel();
    this.classSet = before.classSet;
    this.replaced = null;
    this.emit();
    await Promise.all([saveClassSet(before.classSet), saveTaught(before.taught)]).catch(() => {});
  }

  private dropModel(): void {
    this.model?.dispose();
    this.model = null;
    this.shared = null;
    this.taught = null;
  }

  /** Forgets the taught model (the classes stay); the network reads digits only again. */
  async forgetModel(): Promise<void> {
    this.stopTeaching();
    this.dropModel();
    this.emit();
    await saveTaught(null).catch(() => {});
  }

  /** Frees the taught model (the lab is going away). */
  dispose(): void {
    this.stopTeaching();
    this.dropModel();
    this.unsubscribeAll();
  }
}

const sessions = new WeakMap<LabState, SymbolSession>();

/** The one symbol session of a lab state (created on first use). */
export function symbolSession(state: LabState): SymbolSession {
  let session = sessions.get(state);
  if (!session) sessions.set(state, (session = new SymbolSession()));
  return session;
}
