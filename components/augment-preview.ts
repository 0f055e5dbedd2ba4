import { css, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { AffineParams } from '../src/augment/augment';
import { augmentDigit, type AugmentPreviewResult } from '../src/augment/preview';
import {
  AUGMENT_LIMITS,
  AUGMENT_RANGE_KEYS,
  DEFAULT_AUGMENT,
  parseAugmentValue,
  type AugmentRangeKey,
  type AugmentSettings,
} from '../src/augment/settings';
import { IMAGE_PIXELS } from '../src/data/mnist';
import { ensureDataset } from '../src/state/actions';
import { dataBaseUrl } from './config';
import { paintDigit } from './dataset-draw';
import { LabStateController } from './lab-context';
import { LabCell } from './lab-cell';

const COUNT = 16;

interface FieldText {
  label: string;
  unit: string;
  help: string;
}

const FIELDS: Record<AugmentRangeKey, FieldText> = {
  rotation: { label: 'Rotation range', unit: 'degrees', help: 'turns each image by a random angle between −r and +r' },
  widthShift: { label: 'Width shift', unit: 'fraction of width', help: 'moves it left or right by up to this share of 28 px' },
  heightShift: { label: 'Height shift', unit: 'fraction of height', help: 'moves it up or down by up to this share of 28 px' },
  shear: { label: 'Shear range', unit: 'degrees', help: 'slants it by a random angle between −s and +s' },
  zoom: { label: 'Zoom range', unit: '± scale', help: 'zooms by a random factor between 1 − z and 1 + z' },
};

const SPLIT_NAMES = { train: 'training', test: 'test' } as const;

function signed(n: number, digits: number): string {
  const text = n.toFixed(digits);
  return n >= 0 ? `+${text}` : text.replace('-', '−');
}

/** What was done to one augmented image, for its tooltip. */
function describeParams(p: AffineParams): string {
  return (
    `rotated ${signed(p.rotation, 1)}°, shifted ${signed(p.shiftX * 28, 1)} px across and ${signed(p.shiftY * 28, 1)} px down, ` +
    `sheared ${signed(p.shear, 1)}°, zoom ${p.zoomX.toFixed(2)} × ${p.zoomY.toFixed(2)}`
  );
}

/**
 * The augmentation settings of the lab (rotation, shifts, shear, zoom with Keras' meaning, and an on/off switch),
 * and one chosen digit beside a grid of its random augmentations. Invalid input is refused beside its control and
 * the last valid setting stays.
 */
export class AugmentPreview extends LabCell {
  static override properties = {
    ...LabCell.properties,
    texts: { state: true },
    errors: { state: true },
    seed: { state: true },
    result: { state: true },
    draft: { state: true },
  };

  /** What the learner typed where it was refused (shown until corrected). */
  declare texts: Partial<Record<AugmentRangeKey, string>>;
  declare errors: Partial<Record<AugmentRangeKey, string>>;
  declare seed: number;
  declare result: (AugmentPreviewResult & { key: string; caption: string }) | null;
  /** Slider values while a slider is dragged: previewed at once, put in the lab state (and URL) on release. */
  declare draft: Partial<Record<AugmentRangeKey, number>>;

  private readonly lab = new LabStateController(this, ['augmentation', 'selectedDigit', 'dataset', 'datasetLoad', 'backend']);
  private running = false;
  /** A preview that failed is not retried until its inputs change (no retry loop). */
  private failedKey: string | null = null;

  constructor() {
    super();
    this.texts = {};
    this.errors = {};
    this.seed = 1;
    this.result = null;
    this.draft = {};
  }

  static override styles = [
    LabCell.cellStyles,
    css`
      .switch {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        font-weight: 600;
        margin-bottom: 0.75rem;
      }
      .switch input {
        width: 1.1rem;
        height: 1.1rem;
      }
      .fields {
        display: grid;
        grid-template-columns: minmax(8rem, max-content) minmax(6rem, 1fr) 4.5rem;
        gap: 0.2rem 0.75rem;
        align-items: center;
      }
      .fields.off {
        opacity: 0.6;
      }
      .fields label {
        font-weight: 600;
      }
      .fields .unit {
        font-weight: 400;
        color: var(--lab-muted, #57606a);
        font-size: 0.85rem;
      }
      .fields input[type='text'] {
        font: inherit;
        width: 100%;
        box-sizing: border-box;
        padding: 0.2rem 0.35rem;
        text-align: right;
      }
      .fields input[aria-invalid='true'] {
        border: 2px solid #cf222e;
        background: #fff5f5;
      }
      .help {
        grid-column: 1 / -1;
        margin: 0 0 0.45rem;
        font-size: 0.8rem;
        color: var(--lab-muted, #57606a);
      }
      .help code {
        font-size: 0.95em;
      }
      .field-error {
        grid-column: 1 / -1;
        margin: 0 0 0.4rem;
        color: #82071e;
        font-size: 0.85rem;
        font-weight: 600;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin: 0.75rem 0 1rem;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 1.5rem;
        align-items: start;
      }
      .preview {
        display: flex;
        flex-direction: column;
        gap: 1rem;
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
      figure {
        margin: 0;
      }
      figcaption {
        font-size: 0.85rem;
        color: var(--lab-muted, #57606a);
        margin-top: 0.35rem;
        max-width: 15rem;
      }
      canvas {
        image-rendering: pixelated;
        border-radius: 3px;
        display: block;
      }
      canvas.original {
        width: 112px;
        height: 112px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(4, 56px);
        gap: 5px;
      }
      .grid canvas {
        width: 56px;
        height: 56px;
      }
      .muted {
        color: var(--lab-muted, #57606a);
      }
    `,
  ];

  private get settings(): AugmentSettings {
    return { ...(this.lab.get('augmentation') ?? DEFAULT_AUGMENT), ...this.draft };
  }

  private set(patch: Partial<AugmentSettings>): void {
    this.lab.state?.update('augmentation', patch);
  }

  /** While dragging: preview only (the URL is rewritten on release, not at every pixel of the drag). */
  private onSliderInput(key: AugmentRangeKey, event: Event): void {
    this.texts = { ...this.texts, [key]: undefined };
    this.errors = { ...this.errors, [key]: undefined };
    this.draft = { ...this.draft, [key]: Number((event.target as HTMLInputElement).value) };
  }

  private dropDraft(key: AugmentRangeKey): void {
    if (!(key in this.draft)) return;
    const draft = { ...this.draft };
    delete draft[key];
    this.draft = draft;
  }

  private onSliderChange(key: AugmentRangeKey, event: Event): void {
    this.dropDraft(key);
    this.set({ [key]: Number((event.target as HTMLInputElement).value) });
  }

  private onText(key: AugmentRangeKey, event: Event): void {
    const text = (event.target as HTMLInputElement).value;
    const parsed = parseAugmentValue(key, text);
    if (!parsed.ok) {
      // Refused: say why beside the control; the last valid value stays in the lab state.
      const unit = key === 'rotation' || key === 'shear' ? '°' : '';
      this.texts = { ...this.texts, [key]: text };
      this.errors = { ...this.errors, [key]: `${parsed.message} Still using ${this.settings[key]}${unit}.` };
      return;
    }
    this.texts = { ...this.texts, [key]: undefined };
    this.errors = { ...this.errors, [key]: undefined };
    this.dropDraft(key);
    this.set({ [key]: parsed.value });
  }

  private reset(): void {
    this.draft = {};
    this.texts = {};
    this.errors = {};
    this.lab.state?.set('augmentation', { ...DEFAULT_AUGMENT });
  }

  private anotherDigit(): void {
    const dataset = this.lab.get('dataset');
    if (!dataset) return;
    this.lab.state?.set('selectedDigit', { split: 'train', index: Math.floor(Math.random() * dataset.train.count) });
  }

  override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const load = this.lab.get('datasetLoad');
    if (!this.lab.get('dataset') && load?.status === 'idle' && this.lab.state) {
      ensureDataset(this.lab.state, dataBaseUrl()).catch(() => {
        /* shown from datasetLoad */
      });
    }
    const backend = this.lab.get('backend');
    if (this.errorMessage || load?.status === 'error' || backend?.status === 'error') this.status = 'error';
    else if (!this.result || this.running) this.status = 'busy';
    else this.status = 'ready';
  }

  /** The inputs of the preview, as one key: a result for another key is stale. */
  private previewKey(): string | null {
    const dataset = this.lab.get('dataset');
    const digit = this.lab.get('selectedDigit');
    if (!dataset || !digit || this.lab.get('backend')?.status !== 'ready') return null;
    return JSON.stringify([this.settings, digit.split, digit.index, this.seed, this.lab.get('backend')?.active]);
  }

  /** Runs the preview for the latest inputs; while one run is in flight, newer inputs wait and only the last runs. */
  private async refresh(): Promise<void> {
    if (this.running) return;
    this.running = true;
    let key = this.previewKey();
    try {
      for (; key && key !== this.result?.key && key !== this.failedKey; key = this.previewKey()) {
        const dataset = this.lab.get('dataset');
        const digit = this.lab.get('selectedDigit');
        if (!dataset || !digit) break;
        const pixels = dataset.image(digit.split, digit.index);
        const result = await augmentDigit(pixels, this.settings, COUNT, this.seed);
        const label = dataset.label(digit.split, digit.index);
        const caption = `${SPLIT_NAMES[digit.split]} image ${digit.index.toLocaleString('en-US')}, label ${label}`;
        this.result = { ...result, key, caption };
        this.clearError();
      }
    } catch (error) {
      this.failedKey = key;
      this.fail(error);
    } finally {
      this.running = false;
      this.requestUpdate();
    }
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    const key = this.previewKey();
    if (key && key !== this.result?.key && key !== this.failedKey && !this.running) void this.refresh();
    const dataset = this.lab.get('dataset');
    const digit = this.lab.get('selectedDigit');
    const original = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.original');
    if (dataset && digit && original) paintDigit(original, dataset.image(digit.split, digit.index), 255);
    const result = this.result;
    if (result) {
      this.renderRoot.querySelectorAll<HTMLCanvasElement>('.grid canvas').forEach((canvas, i) => {
        // Canvases are repainted only when their result changes (a re-render keeps them).
        if (canvas.dataset.painted === result.key) return;
        paintDigit(canvas, result.pixels, 1, i * IMAGE_PIXELS);
        canvas.dataset.painted = result.key;
      });
    }
  }

  private renderField(key: AugmentRangeKey) {
    const { label, unit, help } = FIELDS[key];
    const limit = AUGMENT_LIMITS[key];
    const value = this.settings[key];
    const error = this.errors[key];
    return html`
      <label for="${key}-value" id="${key}-label">${label} <span class="unit">(${unit})</span></label>
      <input
        type="range"
        id="${key}-slider"
        aria-labelledby="${key}-label"
        min=${limit.min}
        max=${limit.max}
        step=${limit.step}
        .value=${String(value)}
        @input=${(e: Event) => this.onSliderInput(key, e)}
        @change=${(e: Event) => this.onSliderChange(key, e)}
      />
      <input
        type="text"
        id="${key}-value"
        inputmode="decimal"
        autocomplete="off"
        .value=${live(this.texts[key] ?? String(value))}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby="${key}-error ${key}-help"
        @change=${(e: Event) => this.onText(key, e)}
        @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.onText(key, e)}
      />
      ${error ? html`<p class="field-error" id="${key}-error" data-testid="${key}-error">${error}</p>` : nothing}
      <p class="help" id="${key}-help"><code>${limit.keras}</code>: ${help} (${limit.min}–${limit.max}).</p>
    `;
  }

  private renderPreview() {
    const load = this.lab.get('datasetLoad');
    const dataset = this.lab.get('dataset');
    const backend = this.lab.get('backend');
    if (!dataset) {
      if (load?.status === 'error') {
        return html`<div class="alert" role="alert">Could not load MNIST: ${load.error}</div>
          <button @click=${() => this.lab.state && ensureDataset(this.lab.state, dataBaseUrl()).catch(() => {})}>Retry loading MNIST</button>`;
      }
      const percent = Math.round((load?.progress.fraction ?? 0) * 100);
      return html`<p><label for="augment-progress">Loading MNIST (${percent}%)</label>
        <progress id="augment-progress" max="100" .value=${percent}></progress></p>`;
    }
    if (backend?.status === 'error') return html`<div class="alert" role="alert">No tfjs backend is running: ${backend.error}</div>`;
    const digit = this.lab.get('selectedDigit');
    const label = digit ? dataset.label(digit.split, digit.index) : null;
    const result = this.result;
    const settings = this.settings;
    return html`<div class="preview">
        <figure>
          <canvas class="original" width="28" height="28" role="img" aria-label="The original digit, a ${label}"></canvas>
          <figcaption data-testid="augment-digit">
            Original: ${digit ? `${SPLIT_NAMES[digit.split]} image ${digit.index.toLocaleString('en-US')}, label ${label}` : '—'}.
            Pick another in the <a href="#/dataset">dataset explorer</a>.
          </figcaption>
        </figure>
        <figure>
          <div class="grid" role="img" aria-label="${COUNT} random augmentations of the digit" data-testid="augment-grid">
            ${Array.from({ length: COUNT }, (_, i) => html`<canvas width="28" height="28" title=${result ? describeParams(result.params[i]) : ''}></canvas>`)}
          </div>
          <figcaption>
            ${backend?.status !== 'ready'
              ? 'Starting the tfjs backend…'
              : settings.enabled
                ? 'What training sees: each time the digit comes round, a new random variant. Hover one for what was done to it.'
                : 'Augmentation is off: training sees the digit exactly as it is, every time.'}
          </figcaption>
        </figure>
      </div>
      <p class="visually-hidden" role="status">
        ${result ? `Showing ${COUNT} ${settings.enabled ? 'random augmentations' : 'unchanged copies'} of ${result.caption}.` : ''}
      </p>`;
  }

  override render() {
    const settings = this.settings;
    return html`<h2 class="cell-title">Augmentation preview</h2>
      ${this.renderError()}
      <div class="layout">
      <div class="settings">
      <div class="switch">
        <input
          type="checkbox"
          role="switch"
          id="augment-enabled"
          .checked=${settings.enabled}
          @change=${(e: Event) => this.set({ enabled: (e.target as HTMLInputElement).checked })}
        />
        <label for="augment-enabled">Augment training images</label>
      </div>
      <div class="fields ${settings.enabled ? '' : 'off'}">${AUGMENT_RANGE_KEYS.map((key) => this.renderField(key))}</div>
      <div class="actions">
        <button class="primary" @click=${() => (this.seed += 1)} ?disabled=${!this.lab.get('dataset')}>Re-roll augmentations</button>
        <button @click=${this.anotherDigit} ?disabled=${!this.lab.get('dataset')}>Show another digit</button>
        <button @click=${this.reset}>Reset to defaults</button>
      </div>
      </div>
      <div class="side">${this.renderPreview()}</div>
      </div>`;
  }
}

customElements.define('augment-preview', AugmentPreview);

declare global {
  interface HTMLElementTagNameMap {
    'augment-preview': AugmentPreview;
  }
}
