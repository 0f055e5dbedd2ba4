import { css, html, nothing, type PropertyValues } from 'lit';
import { IMAGE_SIZE } from '../src/data/mnist';
import { EmptyDrawingError, grayImage, inkBoundingBox, luminance, pictureToInk, preprocess, type GrayImage, type PreprocessSteps } from '../src/draw/preprocess';
import { predictDigit, type Prediction } from '../src/inspect/predict';
import { warmUp } from '../src/model/shipped';
import { ensureDataset, ensureModel } from '../src/state/actions';
import { dataBaseUrl, modelBaseUrl } from './config';
import { paintImage } from './draw-paint';
import { LabCell } from './lab-cell';
import { LabStateController } from './lab-context';

/** Pad size in canvas pixels: ten times MNIST, so a drawn digit is scaled down much as MNIST's were. */
const PAD = 280;
/** The keyboard grid: 14×14 cells of 20 px. */
const GRID = 14;
const CELL = PAD / GRID;
/** Live predictions while drawing, at most this often. */
const THROTTLE_MS = 80;
const INK = '#111';

type Point = [number, number];
/** One undoable thing on the pad: a brush stroke, or a picture (a loaded file or a sample digit). */
type PadItem = { kind: 'stroke'; size: number; points: Point[] } | { kind: 'picture'; ink: GrayImage };

/**
 * A drawing pad: draw with mouse, touch or pen (or the keyboard), or drop a picture; the drawing is prepared as
 * MNIST was and the current model reads it live.
 */
export class DrawPad extends LabCell {
  static properties = {
    ...LabCell.properties,
    prediction: { type: Number, reflect: true },
    confidence: { type: Number, reflect: true },
    brush: { state: true },
    result: { state: true },
    steps: { state: true },
    announcement: { state: true },
    cursor: { state: true },
    fileMessage: { state: true },
    dragging: { state: true },
  };

  declare prediction: number | null;
  declare confidence: number | null;
  declare brush: number;
  declare result: Prediction | null;
  declare steps: PreprocessSteps | null;
  declare announcement: string;
  declare cursor: Point | null;
  declare fileMessage: string | null;
  declare dragging: boolean;

  /** Milliseconds from the end of the last stroke to its prediction on screen (read by the benchmark). */
  lastLatencyMs: number | null = null;

  private readonly lab = new LabStateController(this, ['model'], () => this.onModelChanged());
  private items: PadItem[] = [];
  private current: (PadItem & { kind: 'stroke' }) | null = null;
  private activePointer: number | null = null;
  private runId = 0;
  private inFlight: Promise<void> | null = null;
  private pending: { final: boolean; since: number } | null = null;
  private throttleTimer: ReturnType<typeof setTimeout> | null = null;
  private lastRun = 0;

  constructor() {
    super();
    this.prediction = null;
    this.confidence = null;
    this.brush = 22;
    this.result = null;
    this.steps = null;
    this.announcement = '';
    this.cursor = null;
    this.fileMessage = null;
    this.dragging = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadModel();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.throttleTimer) clearTimeout(this.throttleTimer);
    this.runId++;
  }

  private get pad(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas.pad');
  }

  private async loadModel(): Promise<void> {
    await this.updateComplete;
    const state = this.lab.state;
    if (!state) return;
    await this.busyWhile(async () => {
      await ensureModel(state, modelBaseUrl());
      this.clearError();
      this.status = 'ready';
      if (this.items.length) this.schedule(true);
    });
  }

  /** A new model (trained, uploaded): read the drawing again, or at least compile its kernels before the first stroke. */
  private onModelChanged(): void {
    const labModel = this.lab.get('model');
    if (this.items.length) this.schedule(true);
    else if (labModel && labModel.source !== 'shipped') void warmUp(labModel.model).catch(() => {});
  }

  // ---- drawing ----

  private toPad(event: PointerEvent): Point {
    const rect = this.pad!.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * PAD, ((event.clientY - rect.top) / rect.height) * PAD];
  }

  private onPointerDown(event: PointerEvent): void {
    if (this.activePointer !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.activePointer = event.pointerId;
    this.pad!.setPointerCapture(event.pointerId);
    // Pen pressure widens the stroke a little; mouse and touch report 0.5.
    const size = event.pointerType === 'pen' && event.pressure > 0 ? this.brush * (0.6 + 0.8 * event.pressure) : this.brush;
    this.current = { kind: 'stroke', size, points: [this.toPad(event)] };
    this.items.push(this.current);
    this.redraw();
    this.schedule(false);
  }

  private onPointerMove(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer || !this.current) return;
    const events = event.getCoalescedEvents?.() ?? [event];
    for (const e of events.length ? events : [event]) this.current.points.push(this.toPad(e));
    this.redraw();
    this.schedule(false);
  }

  private onPointerUp(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    this.activePointer = null;
    this.current = null;
    this.schedule(true, event.timeStamp);
  }

  private onKeyDown(event: KeyboardEvent): void {
    const moves: Record<string, Point> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const cursor = this.cursor ?? [Math.floor(GRID / 2), Math.floor(GRID / 2)];
    if (event.key in moves) {
      event.preventDefault();
      const [dx, dy] = moves[event.key];
      const next: Point = [Math.max(0, Math.min(GRID - 1, cursor[0] + dx)), Math.max(0, Math.min(GRID - 1, cursor[1] + dy))];
      this.cursor = next;
      // Shift + arrow paints as it moves, continuing the last keyboard stroke.
      if (event.shiftKey) this.paintCell(next, true);
      else this.redraw();
    } else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      this.cursor = cursor;
      this.paintCell(cursor, false);
    }
  }

  private keyboardStroke: (PadItem & { kind: 'stroke' }) | null = null;

  private paintCell(cell: Point, extend: boolean): void {
    const point: Point = [(cell[0] + 0.5) * CELL, (cell[1] + 0.5) * CELL];
    if (extend && this.keyboardStroke && this.items.at(-1) === this.keyboardStroke) {
      this.keyboardStroke.points.push(point);
    } else {
      this.keyboardStroke = { kind: 'stroke', size: Math.max(this.brush, CELL), points: [point] };
      this.items.push(this.keyboardStroke);
    }
    this.redraw();
    this.schedule(true);
  }

  private redraw(): void {
    const canvas = this.pad;
    const ctx = canvas?.getContext('2d', { willReadFrequently: true });
    if (!canvas || !ctx) return;
    ctx.clearRect(0, 0, PAD, PAD);
    for (const item of this.items) {
      if (item.kind === 'picture') {
        ctx.drawImage(inkCanvas(item.ink), 0, 0, PAD, PAD);
        continue;
      }
      ctx.fillStyle = INK;
      ctx.strokeStyle = INK;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      ctx.lineWidth = item.size;
      const [first, ...rest] = item.points;
      if (rest.length === 0) {
        ctx.beginPath();
        ctx.arc(first[0], first[1], item.size / 2, 0, Math.PI * 2);
        ctx.fill();
      } else {
        ctx.beginPath();
        ctx.moveTo(first[0], first[1]);
        for (const [x, y] of rest) ctx.lineTo(x, y);
        ctx.stroke();
      }
    }
    if (this.cursor) {
      ctx.save();
      ctx.globalCompositeOperation = 'source-over';
      ctx.strokeStyle = 'rgb(31 111 235 / 90%)';
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(this.cursor[0] * CELL + 1, this.cursor[1] * CELL + 1, CELL - 2, CELL - 2);
      ctx.restore();
    }
  }

  /** The ink on the pad (alpha channel: the pad is transparent, ink opaque), without the keyboard cursor. */
  private readInk(): GrayImage {
    const hadCursor = this.cursor;
    if (hadCursor) {
      this.cursor = null;
      this.redraw();
    }
    const ctx = this.pad!.getContext('2d', { willReadFrequently: true })!;
    const { data } = ctx.getImageData(0, 0, PAD, PAD);
    if (hadCursor) {
      this.cursor = hadCursor;
      this.redraw();
    }
    const ink = grayImage(PAD, PAD);
    for (let p = 0; p < PAD * PAD; p++) ink.data[p] = data[p * 4 + 3] / 255;
    return ink;
  }

  // ---- prediction ----

  /**
   * Asks for a prediction: `final` ones (end of a stroke, undo, a picture) run as soon as the previous one is done;
   * live ones while drawing run at most every THROTTLE_MS. Only the newest request is kept.
   */
  private schedule(final: boolean, since = performance.now()): void {
    this.pending = { final: final || (this.pending?.final ?? false), since: final ? since : (this.pending?.since ?? since) };
    if (this.inFlight) return;
    const wait = this.pending.final ? 0 : Math.max(0, this.lastRun + THROTTLE_MS - performance.now());
    if (this.throttleTimer) clearTimeout(this.throttleTimer);
    if (wait === 0) this.runPending();
    else this.throttleTimer = setTimeout(() => this.runPending(), wait);
  }

  private runPending(): void {
    this.throttleTimer = null;
    const request = this.pending;
    if (!request || this.inFlight) return;
    this.pending = null;
    this.lastRun = performance.now();
    this.inFlight = this.predict(request.final, request.since).finally(() => {
      this.inFlight = null;
      if (this.pending) this.schedule(this.pending.final, this.pending.since);
    });
  }

  private async predict(final: boolean, since: number): Promise<void> {
    const id = ++this.runId;
    const state = this.lab.state;
    const labModel = state?.get('model');
    if (this.items.length === 0) {
      this.showEmpty();
      return;
    }
    let steps: PreprocessSteps;
    try {
      steps = preprocess(this.readInk());
    } catch (error) {
      if (error instanceof EmptyDrawingError) this.showEmpty();
      else this.fail(error);
      return;
    }
    this.steps = steps;
    if (!labModel) return;
    try {
      const result = await predictDigit(labModel.model, steps.centred.data);
      // A newer drawing (or a newer model) has been asked about meanwhile: this answer is stale.
      if (id !== this.runId || state?.get('model') !== labModel) return;
      this.result = result;
      this.prediction = result.digit;
      this.confidence = Math.round(result.confidence * 1000) / 1000;
      if (this.status === 'error') this.clearError();
      this.status = 'ready';
      if (final) {
        this.announcement = `The network reads a ${result.digit} (${percent(result.confidence)} sure).`;
        await this.updateComplete;
        this.lastLatencyMs = performance.now() - since;
        this.dispatchEvent(new CustomEvent('draw-prediction', { detail: { ...result, latencyMs: this.lastLatencyMs }, bubbles: true, composed: true }));
        // Shared only once the answer is on screen: cells that follow the drawing (feature maps) start their work now.
        if (id === this.runId) state?.set('drawing', steps.centred.data);
      }
    } catch (error) {
      if (id === this.runId) this.fail(error);
    }
  }

  private showEmpty(): void {
    this.runId++;
    this.steps = null;
    this.result = null;
    this.prediction = null;
    this.confidence = null;
    this.announcement = this.items.length ? 'There is no ink to read yet.' : 'The pad is empty.';
    this.lab.state?.set('drawing', null);
  }

  // ---- buttons, files, samples ----

  private undo(): void {
    this.items.pop();
    this.redraw();
    this.schedule(true);
  }

  private clear(): void {
    this.items = [];
    this.fileMessage = null;
    this.redraw();
    this.schedule(true);
  }

  private async loadSample(): Promise<void> {
    const state = this.lab.state;
    if (!state) return;
    try {
      const dataset = await ensureDataset(state, dataBaseUrl());
      const index = Math.floor(Math.random() * dataset.test.count);
      const ink = grayImage(IMAGE_SIZE, IMAGE_SIZE, Float32Array.from(dataset.image('test', index), (v) => v / 255));
      this.items = [{ kind: 'picture', ink }];
      this.fileMessage = `Loaded test digit #${index.toLocaleString('en')} (labelled ${dataset.label('test', index)}).`;
      this.redraw();
      this.schedule(true);
    } catch (error) {
      this.fail(error);
    }
  }

  private onFilePicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void this.loadFile(file);
    input.value = '';
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    const file = event.dataTransfer?.files[0];
    if (file) void this.loadFile(file);
  }

  private async loadFile(file: File): Promise<void> {
    if (!file.type.startsWith('image/')) {
      this.fileMessage = null;
      this.fail(new Error(`“${file.name}” is not an image. Pick a PNG or JPEG picture of a digit.`));
      return;
    }
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      this.fail(new Error(`“${file.name}” could not be read as an image; it may be damaged. Try a PNG or JPEG.`));
      return;
    }
    // Scale the picture to fit the pad (a phone photo has millions of pixels; the pad needs 78,400).
    const scale = PAD / Math.max(bitmap.width, bitmap.height);
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = PAD;
    canvas.height = PAD;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const { data } = ctx.getImageData(0, 0, width, height);
    const { image, inverted } = pictureToInk(luminance(data, width, height));
    // Centre the picture on the square pad.
    const ink = grayImage(PAD, PAD);
    const left = Math.floor((PAD - width) / 2);
    const top = Math.floor((PAD - height) / 2);
    for (let y = 0; y < height; y++) ink.data.set(image.data.subarray(y * width, (y + 1) * width), (top + y) * PAD + left);
    this.clearError();
    if (!inkBoundingBox(ink)) {
      this.fail(new Error(`No digit found in “${file.name}”: the picture looks blank. Try a photo with dark ink on light paper.`));
      return;
    }
    this.items = [{ kind: 'picture', ink }];
    this.fileMessage = `Loaded “${file.name}”${inverted ? ' (dark ink on a light background: inverted to white on black, as MNIST is)' : ''}.`;
    this.redraw();
    this.schedule(true);
  }

  // ---- rendering ----

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('steps')) this.paintSteps();
  }

  protected override firstUpdated(): void {
    this.redraw();
  }

  private paintSteps(): void {
    const s = this.steps;
    const canvases = this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.step');
    if (!s || canvases.length < 4) return;
    const images = [s.raw, s.cropped, s.scaled, s.centred];
    images.forEach((img, i) => {
      paintImage(canvases[i], img.data, img.width, img.height);
      // Keep each step's proportions inside its 84 px frame.
      const scale = 84 / Math.max(img.width, img.height);
      canvases[i].style.width = `${Math.max(1, Math.round(img.width * scale))}px`;
      canvases[i].style.height = `${Math.max(1, Math.round(img.height * scale))}px`;
    });
  }

  static styles = [
    LabCell.cellStyles,
    css`
      .layout {
        display: flex;
        flex-wrap: wrap;
        gap: 1.25rem 2rem;
        align-items: flex-start;
      }
      .pad-wrap {
        position: relative;
        width: min(280px, 100%);
      }
      canvas.pad {
        display: block;
        width: 100%;
        aspect-ratio: 1;
        background: #fff;
        border: 2px solid #8c959f;
        border-radius: 8px;
        touch-action: none;
        cursor: crosshair;
      }
      canvas.pad:focus-visible {
        outline: 3px solid #1f6feb;
        outline-offset: 2px;
      }
      .pad-wrap.dragging canvas.pad {
        border-color: #1f6feb;
        background: #ddf4ff;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 0.75rem;
        align-items: center;
        margin-top: 0.6rem;
        max-width: 280px;
      }
      .controls label.file {
        flex-direction: column;
        align-items: flex-start;
      }
      .controls label {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        font-size: 0.9rem;
      }
      .hint,
      .model-note,
      .file-note {
        font-size: 0.85rem;
        color: var(--lab-muted, #57606a);
        margin: 0.4rem 0 0;
        max-width: 280px;
      }
      .file-note {
        color: #1a7f37;
      }
      .result {
        flex: 1 1 260px;
        min-width: 240px;
      }
      .big {
        font-size: 1.1rem;
        margin: 0 0 0.6rem;
        min-height: 1.6em;
      }
      .big strong {
        font-size: 2rem;
        vertical-align: middle;
        margin: 0 0.2rem;
      }
      .bars {
        display: grid;
        grid-template-columns: 1.2rem 1fr 3.5rem;
        gap: 3px 0.5rem;
        align-items: center;
        font-variant-numeric: tabular-nums;
        font-size: 0.9rem;
      }
      .bar {
        height: 0.9rem;
        background: #eaeef2;
        border-radius: 3px;
        overflow: hidden;
      }
      .bar > span {
        display: block;
        height: 100%;
        background: #8c959f;
        transition: width 80ms linear;
      }
      .bar.top > span {
        background: #1f6feb;
      }
      .pct {
        text-align: right;
        color: var(--lab-muted, #57606a);
      }
      .steps {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-top: 1.25rem;
      }
      figure {
        margin: 0;
        text-align: center;
      }
      figcaption {
        font-size: 0.8rem;
        color: var(--lab-muted, #57606a);
        max-width: 96px;
      }
      .frame {
        width: 84px;
        height: 84px;
        display: flex;
        align-items: center;
        justify-content: center;
        background: #000;
        border-radius: 4px;
        margin: 0 auto;
      }
      canvas.step {
        display: block;
        image-rendering: pixelated;
      }
      .steps-empty {
        color: var(--lab-muted, #57606a);
        font-style: italic;
        font-size: 0.9rem;
      }
    `,
  ];

  override render() {
    const labModel = this.lab.get('model');
    const r = this.result;
    return html`<h2 class="cell-title">Draw a digit</h2>
      <div class="layout">
        <div>
          <div
            class="pad-wrap ${this.dragging ? 'dragging' : ''}"
            @dragover=${(e: DragEvent) => {
              e.preventDefault();
              this.dragging = true;
            }}
            @dragleave=${() => (this.dragging = false)}
            @drop=${this.onDrop}
          >
            <canvas
              class="pad"
              width=${PAD}
              height=${PAD}
              tabindex="0"
              role="img"
              aria-label="Drawing pad. Draw a digit with the mouse, a finger or a pen. With the keyboard: arrow keys move, Space paints, Shift and an arrow paint while moving."
              aria-describedby="kbd-hint"
              @pointerdown=${this.onPointerDown}
              @pointermove=${this.onPointerMove}
              @pointerup=${this.onPointerUp}
              @pointercancel=${this.onPointerUp}
              @keydown=${this.onKeyDown}
              @blur=${() => {
                this.cursor = null;
                this.redraw();
              }}
            ></canvas>
          </div>
          <div class="controls">
            <label>Brush size
              <input type="range" min="8" max="40" step="1" .value=${String(this.brush)} @input=${(e: Event) => (this.brush = Number((e.target as HTMLInputElement).value))} />
            </label>
            <button @click=${this.undo}>Undo</button>
            <button @click=${this.clear}>Clear</button>
            <button @click=${this.loadSample}>Load a sample digit</button>
            <label class="file">Or use a picture (PNG or JPEG)
              <input type="file" accept="image/png,image/jpeg,image/*" @change=${this.onFilePicked} />
            </label>
          </div>
          <p class="hint" id="kbd-hint">Keyboard: focus the pad, move with the arrow keys, paint with Space (Shift + arrows paints a line). You can also drop a picture on the pad.</p>
          ${this.fileMessage ? html`<p class="file-note">${this.fileMessage}</p>` : nothing}
          ${this.renderError()}
        </div>
        <div class="result">
          <p class="big" aria-hidden="true">
            ${r ? html`It reads <strong>${r.digit}</strong> <span>${percent(r.confidence)} sure</span>` : this.status === 'busy' ? 'Loading the model…' : 'Draw a digit to see what the network reads.'}
          </p>
          <div class="visually-hidden" role="status">${this.announcement}</div>
          <div class="bars" aria-label="Confidence for each digit">
            ${Array.from({ length: 10 }, (_, d) => {
              const p = r?.probabilities[d] ?? 0;
              return html`<span>${d}</span>
                <div class="bar ${r && d === r.digit ? 'top' : ''}" role="meter" aria-label="Confidence for ${d}" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(p * 100)}>
                  <span style="width: ${(p * 100).toFixed(1)}%"></span>
                </div>
                <span class="pct">${r ? percent(p) : '–'}</span>`;
            })}
          </div>
          <p class="model-note">${labModel ? html`Model: ${labModel.description}.` : 'Model: loading…'}</p>
        </div>
      </div>
      <h3 class="cell-title" style="margin-top: 1.25rem">What the network sees</h3>
      ${this.steps
        ? html`<div class="steps">
            ${[
              ['Your drawing', 'raw'],
              [`Cropped to the ink (${this.steps.box.width}×${this.steps.box.height})`, 'cropped'],
              [`Scaled to ${this.steps.scaled.width}×${this.steps.scaled.height}`, 'scaled'],
              ['Centred by mass in 28×28: the input', 'centred'],
            ].map(([caption, key]) => html`<figure><div class="frame"><canvas class="step" data-step=${key} aria-label=${caption}></canvas></div><figcaption>${caption}</figcaption></figure>`)}
          </div>`
        : html`<p class="steps-empty">The four preparation steps appear here once there is ink on the pad.</p>`}`;
  }
}

function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** A picture's ink as dark pixels on a transparent canvas, so it draws on the pad like strokes. */
function inkCanvas(ink: GrayImage): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = ink.width;
  canvas.height = ink.height;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(ink.width, ink.height);
  for (let p = 0; p < ink.data.length; p++) {
    image.data[p * 4] = 17;
    image.data[p * 4 + 1] = 17;
    image.data[p * 4 + 2] = 17;
    image.data[p * 4 + 3] = Math.round(ink.data[p] * 255);
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

customElements.define('draw-pad', DrawPad);

declare global {
  interface HTMLElementTagNameMap {
    'draw-pad': DrawPad;
  }
}
