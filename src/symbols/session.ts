/**
 * The page's side of teaching new symbols, one per lab state (like the lab's trainer): the class set and the taught
 * model, kept in IndexedDB; teaching in the training worker (LabTrainer.trainHead), installing the extended model on
 * the page as soon as its head is trained; reading a drawing or a line with it; the one-file download and upload.
 * No DOM here; the cell subscribes. The Draw lesson can read with the taught model through `read()` and `labels`.
 */
import type { GrayImage } from '../draw/preprocess';
import type { LabModel } from '../model/lab-model';
import type { LabState } from '../state/lab-state';
import { yieldToEventLoop } from '../train/yield';
import { StorageRefused } from '../state/model-store';
import { addClass, addExample, DIGIT_NAMES, EMPTY_CLASS_SET, fewestExamples, removeClass, removeExample, type ClassSet } from './class-set';
import { readSymbolFile, writeSymbolFile, type SymbolFile, type TaughtModel } from './file';
import { measured } from './measured';
import { readLineWith, readSymbol, type LineResult, type SymbolReading } from './reader';
import { STARTER_ORIGIN, STARTER_PER_CLASS, starterSet } from './starter';
import { restoreSymbols, saveClassSet, saveDrawChoice, saveTaught } from './store';
import { TaughtReader } from './taught-reader';
import { TeachRunner, type HeadTrainer, type TeachEnd, type TeachingStatus } from './teach-runner';
import { TeachError } from './teach-protocol';
import { DEFAULT_TEACH, MIN_EXAMPLES, type TeachSettings } from './teach-settings';
import { ChangeNotifier } from '../state/change-notifier';

export class SymbolSession extends ChangeNotifier {
  classSet: ClassSet = EMPTY_CLASS_SET;
  /** Something the learner should know about storage (refused, damaged), or null. */
  storageNote: string | null = null;
  /** What a loaded file replaced, until the learner keeps it (Put back). */
  private replaced: { classSet: ClassSet; taught: TaughtModel | null } | null = null;
  private readonly reader = new TaughtReader();
  private readonly teacher: TeachRunner;
  private restoring: Promise<void> | null = null;

  constructor(now: () => number = () => performance.now()) {
    super();
    this.teacher = new TeachRunner({ install: (taught, onBase) => this.reader.install(taught, onBase), keep: (taught) => this.keepTaught(taught), emit: () => this.emit() }, now);
  }

  /** The taught model that reads, or null before teaching (the lab's model reads digits only). */
  get taught(): TaughtModel | null {
    return this.reader.taught;
  }

  /** How teaching goes while it runs, or null. */
  get teaching(): TeachingStatus | null {
    return this.teacher.status;
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
          if (!this.taught) await this.reader.install(kept.taught);
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
  async teach(base: LabModel, trainer: HeadTrainer, settings: TeachSettings = DEFAULT_TEACH, checkDigits = true): Promise<TeachEnd> {
    const refusal = this.cannotTeach;
    if (refusal) throw new TeachError(refusal);
    return this.teacher.teach(base, this.classSet, trainer, settings, checkDigits);
  }

  /** Has the training worker compute what Teach will need for `base` ahead of it (TeachRunner.prepare). */
  prepare(base: LabModel, trainer: HeadTrainer, settings: TeachSettings = DEFAULT_TEACH): Promise<void> {
    return this.teacher.prepare(base, trainer, settings);
  }

  /** Stops teaching (at the engine's next batch): before the model is ready nothing changes; after, the checks end. */
  stopTeaching(): void {
    this.teacher.stop();
  }

  /**
   * One drawing read by the taught model, or by `current` (the lab's model, digits only) before any teaching. Pass
   * the lab's current model: a taught model that shares its body with an older one is rebuilt whole first.
   */
  async read(pixels: ArrayLike<number>, current: LabModel | null): Promise<SymbolReading | null> {
    const predictor = await this.reader.predictor(current);
    return predictor ? readSymbol(predictor, this.labels ?? DIGIT_NAMES, pixels) : null;
  }

  /** A line of handwriting read by the taught model (or the digits model before teaching). */
  async readLine(ink: GrayImage, current: LabModel | null): Promise<LineResult | null> {
    const predictor = await this.reader.predictor(current);
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
    if (file.taught) await this.reader.install(file.taught);
    else this.reader.drop();
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
    if (before.taught) await this.reader.install(before.taught);
    else this.reader.drop();
    this.classSet = before.classSet;
    this.replaced = null;
    this.emit();
    await Promise.all([saveClassSet(before.classSet), saveTaught(before.taught)]).catch(() => {});
  }

  /** Forgets the taught model (the classes stay); the network reads digits only again. */
  async forgetModel(): Promise<void> {
    this.stopTeaching();
    this.reader.drop();
    this.emit();
    await saveTaught(null).catch(() => {});
  }

  /** Frees the taught model (the lab is going away). */
  dispose(): void {
    this.stopTeaching();
    this.reader.drop();
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
