import { initialState, Task } from '@lit/task';
import { html, nothing } from 'lit';
import type { GrayImage } from '../src/draw/preprocess';
import { formatPercent } from '../src/format';
import { MAX_FILE_BYTES } from '../src/symbols/file';
import { asPrediction, type LineResult, type SymbolReading } from '../src/symbols/reader';
import { STARTER_ORIGIN, STARTER_PER_CLASS, STARTER_SYMBOLS } from '../src/symbols/starter';
import { DEFAULT_TEACH } from '../src/symbols/teach-settings';
import { errorText, LabCell, type CellStatus, type StatusSource } from './lab-cell';
import './digit-prediction';
import './lab-model-badge';
import { LabModelController } from './lab-model-controller';
import './symbol-classes';
import type { SymbolClasses } from './symbol-classes';
import './symbol-file';
import './symbol-gallery';
import { symbolLabStyles } from './symbol-lab.styles';
import './symbol-line';
import './symbol-pad';
import { SymbolSessionController } from './symbol-session-controller';
import './symbol-teach';
import type { SymbolTeachDetail } from './symbol-teach';

/**
 * Lesson 7's cell: the learner names classes beyond the digits (<symbol-classes>), draws examples on the draw cell's
 * pad (<symbol-pad>, <symbol-gallery>), teaches the lab's network a new head in the training worker
 * (<symbol-teach>), reads drawings with it (<digit-prediction> with the classes' names) and whole lines as sums (<symbol-line>), and keeps or
 * shares the class set as one file (<symbol-file>). The engine is src/symbols (one session per lab); no tensors here.
 *
 * Reflects `prediction` (the class the pad's drawing is read as) and `confidence`, like <draw-pad>.
 */
export class SymbolLab extends LabCell {
  static properties = {
    ...LabCell.properties,
    prediction: { type: String, reflect: true },
    confidence: { type: Number, reflect: true },
    selected: { state: true },
    nameError: { state: true },
    announcement: { state: true },
    fileMessage: { state: true },
    starterMessage: { state: true },
    fileProblem: { state: true },
    teachError: { state: true },
  };

  declare prediction: string | null;
  declare confidence: number | null;
  /** The class the pad's drawings go into. */
  declare selected: string | null;
  declare nameError: string | null;
  declare announcement: string;
  declare fileMessage: string | null;
  /** What the starter set is and where it comes from, once loaded. */
  declare starterMessage: string | null;
  declare fileProblem: string | null;
  declare teachError: string | null;

  private readonly labModel = new LabModelController(this, {
    onModelChanged: () => {
      this.readAgain();
      this.prepareTeaching();
    },
  });
  private readonly symbols = new SymbolSessionController(this, () => this.labModel.load(), () => this.onSessionChange());
  private drawing: Float32Array | null = null;
  private line: GrayImage | null = null;
  private taughtShown: unknown = null;

  private readonly reading = new Task(this, {
    autoRun: false,
    task: async ([pixels]: readonly [Float32Array | null], { signal }) => this.read(pixels, signal),
  });
  private readonly lineReading = new Task(this, {
    autoRun: false,
    task: async ([ink]: readonly [GrayImage | null], { signal }) => {
      const session = this.symbols.value;
      if (!ink || !session) return initialState;
      const result = await session.readLine(ink, await this.labModel.load(signal));
      return signal.aborted ? initialState : result;
    },
  });

  /** Teaching, as a status source: busy until the model is ready to read (the checks after it run quietly). */
  private readonly teaching: StatusSource;

  static styles = [LabCell.cellStyles, symbolLabStyles];

  constructor() {
    super();
    this.prediction = null;
    this.confidence = null;
    this.selected = null;
    this.nameError = null;
    this.announcement = '';
    this.fileMessage = null;
    this.starterMessage = null;
    this.fileProblem = null;
    this.teachError = null;
    const status = (): CellStatus => {
      if (this.teachError) return 'error';
      const t = this.symbols.value?.teaching;
      if (t && !t.checking) return 'busy';
      return this.labModel.model ? 'ready' : 'idle';
    };
    const error = () => this.teachError;
    this.teaching = {
      get status() {
        return status();
      },
      get error() {
        return error();
      },
    };
    this.statusFrom(this.labModel, this.reading, this.lineReading, this.teaching);
  }

  private async read(pixels: Float32Array | null, signal: AbortSignal): Promise<SymbolReading | typeof initialState> {
    const session = this.symbols.value;
    if (!pixels || !session) {
      this.prediction = null;
      this.confidence = null;
      this.announcement = 'The pad is empty.';
      return initialState;
    }
    const result = await session.read(pixels, await this.labModel.load(signal));
    if (signal.aborted || !result) return initialState;
    this.prediction = result.label;
    this.confidence = Math.round(result.confidence * 1000) / 1000;
    this.announcement = `The network reads “${result.label}” (${formatPercent(result.confidence)} sure).`;
    // The Inside view (<activation-viewer source="drawing">) follows the drawing.
    this.labModel.state?.set('drawing', pixels);
    return result;
  }

  private readAgain(): void {
    if (this.drawing) void this.reading.run([this.drawing]);
    if (this.line) void this.lineReading.run([this.line]);
  }

  private onSessionChange(): void {
    const session = this.symbols.value;
    if (!session) return;
    if (!this.selected || !session.classSet.classes.some((c) => c.name === this.selected)) this.selected = session.classSet.classes[0]?.name ?? null;
    this.prepareTeaching();
    // A new taught model (or none): read what is on the pads again with it.
    if (session.taught !== this.taughtShown) {
      this.taughtShown = session.taught;
      if (session.taught) this.announcement = `Taught: the network now reads 0–9 and ${session.taught.classNames.join(' ')}.`;
      this.readAgain();
    }
  }

  /** Once there are classes to teach, the training worker starts and computes its digit features ahead of Teach. */
  private prepareTeaching(): void {
    const session = this.symbols.value;
    const model = this.labModel.model;
    if (session?.classSet.classes.length && model && !this.symbols.runGoingOn) void session.prepare(model, this.symbols.trainer());
  }

  private addClass(event: CustomEvent<{ name: string }>): void {
    try {
      this.symbols.value?.addClass(event.detail.name);
      this.nameError = null;
      this.selected = this.symbols.value?.classSet.classes.at(-1)?.name ?? null;
      (event.target as SymbolClasses).clearName();
    } catch (error) {
      this.nameError = errorText(error);
    }
  }

  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.fail(error);
    }
  }

  private async teach(event: CustomEvent<SymbolTeachDetail>): Promise<void> {
    const session = this.symbols.value;
    if (!session) return;
    this.teachError = null;
    const { copies, digitsPerClass, checkDigits, unfreeze } = event.detail;
    try {
      const base = await this.labModel.load();
      const outcome = await session.teach(base, this.symbols.trainer(), { ...DEFAULT_TEACH, copies, digitsPerClass, unfreeze }, checkDigits);
      if (outcome === 'stopped') this.announcement = 'Stopped before the new head was ready: nothing was taught.';
    } catch (error) {
      this.teachError = `Nothing was taught: ${errorText(error)}`;
    }
  }

  private async loadStarter(): Promise<void> {
    const session = this.symbols.value;
    if (!session) return;
    try {
      this.starterMessage = await session.loadStarter();
      this.announcement = this.starterMessage;
    } catch (error) {
      this.fail(error);
    }
  }

  private download(): void {
    const session = this.symbols.value;
    if (!session) return;
    const url = URL.createObjectURL(new Blob([session.fileText()], { type: 'application/json' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: 'digit-lab-symbols.json' });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    this.fileMessage = 'Saved digit-lab-symbols.json to your downloads.';
    this.fileProblem = null;
  }

  private async load(file: File): Promise<void> {
    const session = this.symbols.value;
    if (!session) return;
    this.fileMessage = null;
    this.fileProblem = null;
    try {
      if (file.size > MAX_FILE_BYTES) throw new Error(`“${file.name}” is ${Math.round(file.size / 1048576)} MB: a class set file is at most ${MAX_FILE_BYTES / 1048576} MB.`);
      this.fileMessage = await session.loadFile(await file.text(), file.name);
    } catch (error) {
      this.fileProblem = `${errorText(error)} Nothing was changed.`;
    }
  }

  override render() {
    const session = this.symbols.value;
    const classes = session?.classSet.classes ?? [];
    const blocked = session?.cannotTeach ?? (this.symbols.runGoingOn ? 'A training run is going on: teach once it has finished.' : null);
    const pending = this.reading.value === undefined && !this.labModel.model;
    const reading = (this.reading.value as SymbolReading | undefined) ?? null;
    return html`<h2 class="cell-title">Teach the network your own symbols</h2>
      <div class="layout">
        <section class="classes" aria-labelledby="h-classes">
          <h3 id="h-classes">1. Your classes</h3>
          <symbol-classes
            .classes=${classes.map((c) => ({ name: c.name, count: c.examples.length }))}
            .selected=${this.selected}
            .error=${this.nameError}
            @symbol-class-add=${this.addClass}
            @symbol-class-select=${(e: CustomEvent<{ name: string }>) => (this.selected = e.detail.name)}
            @symbol-class-remove=${(e: CustomEvent<{ name: string }>) => this.guard(() => session?.removeClass(e.detail.name))}
          ></symbol-classes>
          ${classes.length === 0
            ? html`<button @click=${this.loadStarter}>Start with the starter set (${STARTER_SYMBOLS.join(' ')})</button>
                <p class="hint">${STARTER_PER_CLASS} drawings of each, ${STARTER_ORIGIN}.</p>`
            : nothing}
          ${this.starterMessage && classes.length ? html`<p class="note">${this.starterMessage}</p>` : nothing}
        </section>
        <section class="draw" aria-labelledby="h-draw">
          <h3 id="h-draw">2. Draw examples</h3>
          <symbol-pad
            .target=${this.selected}
            @symbol-pad-change=${(e: CustomEvent<{ pixels: Float32Array | null }>) => void this.reading.run([(this.drawing = e.detail.pixels)])}
            @symbol-pad-add=${(e: CustomEvent<{ pixels: Float32Array }>) => this.guard(() => this.selected && session?.addExample(this.selected, e.detail.pixels))}
          ></symbol-pad>
        </section>
        <section class="result" aria-label="What the network reads">
          <digit-prediction
            .result=${reading ? asPrediction(reading) : null}
            .labels=${reading?.labels ?? session?.labels ?? null}
            .placeholder=${pending ? 'Loading the model…' : 'Draw on the pad to see what the network reads.'}
          ></digit-prediction>
          <div class="visually-hidden" role="status">${this.announcement}</div>
          <p class="note">${session?.taught
              ? `Reading with your taught model (0–9 and ${session.taught.classNames.join(' ')}${session.taught.report.unfrozen ? ', its last convolution block unfrozen' : ''}).`
              : 'Reading with the digits model: it can only answer 0–9.'}</p>
          <lab-model-badge></lab-model-badge>
        </section>
      </div>
      ${this.renderError()}
      <h3>Your drawings</h3>
      <symbol-gallery .classes=${classes} @symbol-example-remove=${(e: CustomEvent<{ name: string; index: number }>) => this.guard(() => session?.removeExample(e.detail.name, e.detail.index))}></symbol-gallery>
      <h3>3. Teach</h3>
      <symbol-teach
        .status=${session?.teaching ?? null}
        .taught=${session?.taught ?? null}
        .stale=${session?.stale ?? false}
        .blocked=${blocked}
        @symbol-teach=${this.teach}
        @symbol-teach-stop=${() => session?.stopTeaching()}
        @symbol-forget-model=${() => void session?.forgetModel()}
      ></symbol-teach>
      <h3>4. Read a whole line</h3>
      <symbol-line
        .result=${(this.lineReading.value as LineResult | undefined) ?? null}
        placeholder="Write a sum such as 12+7= on the line."
        @symbol-line-change=${(e: CustomEvent<{ ink: GrayImage }>) => void this.lineReading.run([(this.line = e.detail.ink)])}
      ></symbol-line>
      <h3>Keep and share</h3>
      <symbol-file
        .canDownload=${classes.length > 0}
        .canPutBack=${session?.canPutBack ?? false}
        .message=${this.fileMessage}
        .problem=${this.fileProblem}
        @symbol-file-download=${this.download}
        @symbol-file-load=${(e: CustomEvent<{ file: File }>) => void this.load(e.detail.file)}
        @symbol-file-putback=${() => void session?.putBack().then(() => (this.fileMessage = 'The classes you had are back.'))}
      ></symbol-file>
      ${session?.storageNote ? html`<p class="note info">${session.storageNote}</p>` : nothing}`;
  }
}

customElements.define('symbol-lab', SymbolLab);

declare global {
  interface HTMLElementTagNameMap {
    'symbol-lab': SymbolLab;
  }
}
