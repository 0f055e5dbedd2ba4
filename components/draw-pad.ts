import { initialState, Task } from '@lit/task';
import { html, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { EmptyDrawingError, preprocess, type PreprocessSteps } from '../src/draw/preprocess';
import { LatestRequestThrottle, type ReadRequest } from '../src/draw/throttle';
import { predictWithFeatures, type DigitVerdict } from '../src/inspect/digit-check';
import { requestInspection } from '../src/inspect/focus';
import type { Prediction } from '../src/inspect/predict';
import { warmUp } from '../src/model/shipped';
import './digit-prediction';
import { answerLine, answerSentence } from './draw-answer';
import { DrawDigitCheckController } from './draw-digit-check';
import './draw-read-choice';
import { DrawSymbolsController } from './draw-symbols-controller';
import { PadInputController } from './draw-pad-input';
import { PadPicturesController } from './draw-pad-pictures';
import { drawPadStyles } from './draw-pad.styles';
import { LabCell } from './lab-cell';
import './lab-model-badge';
import { LabModelController } from './lab-model-controller';
import './preprocess-steps';

/** Pad size in canvas pixels: ten times MNIST, so a drawn digit is scaled down much as MNIST's were. */
const PAD = 280;
/** The keyboard grid: 14×14 cells of 20 px. */
const GRID = 14;
/** Live predictions while drawing, at most this often. */
const THROTTLE_MS = 80;

/** Detail of `draw-prediction`: the network's answer for the finished drawing, and how long it took to show. */
export interface DrawPredictionDetail extends Prediction {
  /** The answer's name: the digit, or one of the classes taught in lesson 7 (then `digit` is its index, 10 and up). */
  label: string;
  /** Milliseconds from the end of the input (stroke, key, picture) to the answer on screen. */
  latencyMs: number;
  /** The "not a digit" check's answer: false when the input is unlike any digit; null while the check is not ready. */
  isDigit: boolean | null;
}

export type DrawPredictionEvent = CustomEvent<DrawPredictionDetail>;

/**
 * A drawing pad: draw with mouse, touch or pen (or the keyboard), or drop a picture; the drawing is prepared as
 * MNIST was (<preprocess-steps>) and the lab's model reads it live (<digit-prediction>, named by <lab-model-badge>).
 * Reads run through a `@lit/task` with an AbortSignal, throttled while drawing; an answer a newer drawing or model
 * has overtaken is dropped.
 *
 * @fires draw-prediction - {@link DrawPredictionDetail} once the answer for a finished input is on screen (bubbles,
 *   composed). The drawing is shared in the lab state (`drawing`) right after.
 */
export class DrawPad extends LabCell {
  static properties = {
    ...LabCell.properties,
    prediction: { type: Number, reflect: true },
    label: { type: String, reflect: true },
    labels: { state: true },
    confidence: { type: Number, reflect: true },
    notDigit: { type: Boolean, reflect: true, attribute: 'not-digit' },
    verdict: { state: true },
    brush: { state: true },
    result: { state: true },
    steps: { state: true },
    announcement: { state: true },
  };

  /** The index of the answer: the digit, or 10 and up for a class taught in lesson 7 (its best guess, also when the check says "not a digit"). */
  declare prediction: number | null;
  /** The answer's name: "0"…"9", or a taught class such as "+". */
  declare label: string | null;
  /** The names of the classes read when the taught model reads (digits first), or null for the ten digits. */
  declare labels: string[] | null;
  declare confidence: number | null;
  /** The "not a digit" check says the drawing is unlike any digit the network learned. */
  declare notDigit: boolean;
  declare verdict: DigitVerdict | null;
  declare brush: number;
  declare result: Prediction | null;
  declare steps: PreprocessSteps | null;
  declare announcement: string;

  /** Milliseconds from the end of the last input to its prediction on screen (read by the benchmark). */
  lastLatencyMs: number | null = null;

  private readonly labModel = new LabModelController(this, { onModelChanged: (model) => this.onModelChanged(model !== null) });
  private readonly symbols = new DrawSymbolsController(this, () => this.labModel.load(), () => this.input.items.length && this.readAgain());
  private readonly digitCheck = new DrawDigitCheckController(this, {
    state: () => this.labModel.state,
    model: () => this.labModel.model,
    onLateVerdict: (verdict) => {
      if (!this.result) return;
      this.setVerdict(verdict);
      this.announcement = answerSentence(this);
    },
  });
  private readonly input = new PadInputController(this, { size: PAD, grid: GRID, brush: () => this.brush, onInput: (final, since) => this.throttle.request(final, since) });
  private readonly pictures = new PadPicturesController(this, {
    input: this.input,
    size: PAD,
    onPicture: () => this.readAgain(),
    clearError: () => this.clearError(),
    fail: (error) => this.fail(error),
  });
  private readonly reading = new Task(this, {
    autoRun: false,
    task: ([request]: readonly [ReadRequest], { signal }) => this.read(request, signal),
  });
  private readonly throttle = new LatestRequestThrottle((request) => this.reading.run([request]), THROTTLE_MS);

  static styles = [LabCell.cellStyles, drawPadStyles];

  constructor() {
    super();
    this.prediction = null;
    this.label = null;
    this.labels = null;
    this.confidence = null;
    this.notDigit = false;
    this.verdict = null;
    this.brush = 22;
    this.result = null;
    this.steps = null;
    this.announcement = '';
    // Busy while the model loads, an error if it or a read fails; otherwise ready once the model is there.
    this.statusFrom(this.reading, this.labModel);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.throttle.cancel();
    this.reading.abort();
  }

  /** A new model (trained, uploaded): read the drawing again, or at least compile its kernels before the first stroke. */
  private onModelChanged(hasModel: boolean): void {
    if (this.input.items.length) this.throttle.request(true);
    else if (hasModel && this.labModel.model?.source !== 'shipped') void warmUp(this.labModel.model!.model).catch(() => {});
  }

  /** Starts over with a new input: a read in flight for the old one is abandoned, and the new one is read at once. */
  private readAgain(): void {
    this.reading.abort();
    this.throttle.request(true);
  }

  /**
   * Reads the drawing: prepares it as MNIST was, asks the lab's model (waiting for it to load) and shows the answer.
   * Returns initialState when there is nothing to read or the read was abandoned.
   */
  private async read(request: ReadRequest, signal: AbortSignal): Promise<Prediction | typeof initialState> {
    let steps: PreprocessSteps;
    try {
      steps = preprocess(this.input.readInk());
    } catch (error) {
      if (!(error instanceof EmptyDrawingError)) throw error;
      this.showEmpty();
      return initialState;
    }
    this.steps = steps;
    let labModel;
    try {
      labModel = await this.labModel.load(signal);
    } catch (error) {
      // Abandoned while the model loads: not a failure (a failed load shows through the model controller).
      if (signal.aborted) return initialState;
      throw error;
    }
    // Digits and the classes taught in lesson 7, unless there are none or the learner chose digits only. The "not a
    // digit" check judges the lab model's own features, so it speaks only when the ten digits are read.
    const symbols = await this.symbols.read(steps.centred.data, labModel);
    const checked = symbols ? null : await predictWithFeatures(labModel.model, steps.centred.data);
    const result: Prediction = symbols?.prediction ?? checked!;
    const check = checked ? await this.digitCheck.known(labModel) : null;
    // A newer drawing or a newer model has been asked about meanwhile: this answer is stale.
    if (signal.aborted || this.labModel.model !== labModel) return initialState;
    this.result = result;
    this.labels = symbols?.labels ?? null;
    this.prediction = result.digit;
    this.label = this.labels?.[result.digit] ?? String(result.digit);
    this.confidence = Math.round(result.confidence * 1000) / 1000;
    this.setVerdict(this.digitCheck.verdictFor(labModel, checked, check));
    this.labModel.markFresh(labModel);
    if (request.final) {
      this.announcement = answerSentence(this);
      await this.updateComplete;
      this.lastLatencyMs = performance.now() - request.since;
      const detail: DrawPredictionDetail = { ...result, label: this.label ?? String(result.digit), latencyMs: this.lastLatencyMs, isDigit: this.verdict ? this.verdict.isDigit : null };
      this.dispatchEvent(new CustomEvent<DrawPredictionDetail>('draw-prediction', { detail, bubbles: true, composed: true }));
      // Shared only once the answer is on screen: cells that follow the drawing (feature maps) start their work now.
      if (!signal.aborted) this.labModel.state?.set('drawing', steps.centred.data);
    }
    return result;
  }

  private setVerdict(verdict: DigitVerdict | null): void {
    this.verdict = verdict;
    this.notDigit = verdict ? !verdict.isDigit : false;
  }

  /** Opens the drawing in Inside: the top classes, why this digit and not the next, its nearest training digits. */
  private lookInside(): void {
    const state = this.labModel.state;
    if (!state) return;
    requestInspection(state, { kind: 'drawing' });
    location.hash = '#/inside';
  }

  private showEmpty(): void {
    this.steps = null;
    this.result = null;
    this.prediction = null;
    this.label = null;
    this.confidence = null;
    this.setVerdict(null);
    this.announcement = this.input.items.length ? 'There is no ink to read yet.' : 'The pad is empty.';
    this.labModel.state?.set('drawing', null);
  }

  private undo(): void {
    this.input.undo();
    this.pictures.afterUndo();
    this.readAgain();
  }

  private clear(): void {
    this.input.clear();
    this.pictures.clear();
    this.readAgain();
  }

  override render() {
    const placeholder = this.labModel.loading ? 'Loading the model…' : 'Draw a digit to see what the network reads.';
    const taught = this.symbols.classNames;
    const r = this.result;
    return html`<h2 class="cell-title">Draw a digit</h2>
      <div class="layout">
        <div>
          <p class="pad-answer" aria-hidden="true">
            ${answerLine(this, this.labModel.loading)}
          </p>
          <div class="pad-wrap ${this.pictures.dragging ? 'dragging' : ''}" @dragover=${this.pictures.onDragOver} @dragleave=${this.pictures.onDragLeave} @drop=${this.pictures.onDrop}>
            <canvas
              ${ref(this.input.canvasRef)}
              class="pad"
              width=${PAD}
              height=${PAD}
              tabindex="0"
              role="img"
              aria-label="Drawing pad. Draw a digit with the mouse, a finger or a pen. With the keyboard: arrow keys move, Space paints, Shift and an arrow paint while moving."
              aria-describedby="kbd-hint"
            ></canvas>
          </div>
          <div class="controls">
            <label>Brush size
              <input type="range" min="8" max="40" step="1" .value=${String(this.brush)} @input=${(e: Event) => (this.brush = Number((e.target as HTMLInputElement).value))} />
            </label>
            <button @click=${this.undo}>Undo</button>
            <button @click=${this.clear}>Clear</button>
            <button @click=${this.pictures.loadSample}>Load a sample digit</button>
            <label class="file">Or use a picture (PNG, JPEG or SVG)
              <input type="file" accept="image/png,image/jpeg,image/svg+xml,image/*" @change=${this.pictures.onFilePicked} />
            </label>
          </div>
          <p class="hint" id="kbd-hint">Keyboard: focus the pad, move with the arrow keys, paint with Space (Shift + arrows paints a line). You can also drop a picture on the pad.</p>
          ${this.pictures.message ? html`<p class="file-note">${this.pictures.message}</p>` : nothing}
          ${this.renderError()}
        </div>
        <div class="result">
          ${taught
            ? html`<draw-read-choice
                .classNames=${taught}
                .withClasses=${this.symbols.withClasses}
                @draw-read-choice=${(e: CustomEvent<{ withClasses: boolean }>) => (this.symbols.withClasses = e.detail.withClasses)}
              ></draw-read-choice>`
            : nothing}
          <digit-prediction .result=${r} .labels=${this.labels} .verdict=${this.verdict} .checking=${this.digitCheck.checkingText(this.verdict)} .placeholder=${placeholder}></digit-prediction>
          <div class="visually-hidden" role="status">${this.announcement}</div>
          <lab-model-badge></lab-model-badge>
          ${this.result ? html`<button class="look-inside" @click=${this.lookInside}>Why did it say that? Look inside</button>` : nothing}
        </div>
      </div>
      <h3 class="cell-title steps-title">What the network sees</h3>
      <preprocess-steps .steps=${this.steps} .picture=${this.pictures.steps}></preprocess-steps>`;
  }
}

customElements.define('draw-pad', DrawPad);

declare global {
  interface HTMLElementTagNameMap {
    'draw-pad': DrawPad;
  }
  interface HTMLElementEventMap {
    'draw-prediction': DrawPredictionEvent;
  }
}
