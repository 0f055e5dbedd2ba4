import { initialState, Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { augmentDigit, digitCaption, type AugmentPreviewResult } from '../src/augment/preview';
import type { BackendName } from '../src/backend/backend';
import type { MnistDataset } from '../src/data/mnist';
import type { DigitRef } from '../src/state/lab-state';
import { DEFAULT_AUGMENT, type AugmentSettings } from '../src/augment/settings';
import { AUGMENT_GRID_COUNT } from './augment-grid';
import { augmentPreviewStyles } from './augment-preview.styles';
import type { AugmentSettingsChange } from './augment-settings-form';
import { LabCell, type CellStatus } from './lab-cell';
import { LabStateController } from './lab-context';
import { LabDatasetController } from './lab-dataset-controller';
import './augment-grid';
import './augment-settings-form';
import './dataset-loading';

/** One preview as shown: the augmentations with the digit they came from. */
interface ShownPreview extends AugmentPreviewResult {
  original: Uint8Array;
  label: number;
  caption: string;
  enabled: boolean;
}

type PreviewArgs = readonly [MnistDataset | null | undefined, DigitRef | undefined, AugmentSettings, number, BackendName | null | undefined];

/**
 * The augmentation settings of the lab and one chosen digit beside a grid of its random augmentations. Composes
 * `<augment-settings-form>` (a slider being dragged is previewed at once and put in the lab state, and so the URL,
 * on release) and `<augment-grid>` (the pictures), and runs the preview as a `@lit/task`: a result that newer
 * settings superseded is dropped (its run is aborted), never painted over a newer one.
 */
export class AugmentPreview extends LabCell {
  static override properties = {
    ...LabCell.properties,
    seed: { state: true },
    draft: { state: true },
  };

  /** Seed of the random augmentations ("Re-roll" moves it on). */
  declare seed: number;
  /** Slider values while a slider is dragged: previewed at once, put in the lab state (and URL) on release. */
  declare draft: Partial<AugmentSettings>;

  private readonly lab = new LabStateController(this, ['augmentation', 'selectedDigit', 'backend']);
  private readonly data = new LabDatasetController(this);

  /** What the preview waits for, MNIST and the tfjs backend, as a status source: busy while either starts. */
  private readonly inputs: { status: CellStatus; error: string | null } = { status: 'busy', error: null };

  private readonly preview: Task<PreviewArgs, ShownPreview> = new Task(this, {
    args: (): PreviewArgs => {
      const backend = this.lab.get('backend');
      const active = backend?.status === 'ready' ? backend.active : null;
      return [this.data.dataset, this.lab.get('selectedDigit'), this.settings, this.seed, active];
    },
    task: async ([dataset, digit, settings, seed, backend], { signal }) => {
      // Waiting for MNIST or a backend (or switching backends): keep what is shown.
      if (!dataset || !digit || !backend) return this.preview.value ?? initialState;
      const original = dataset.image(digit.split, digit.index);
      const result = await augmentDigit(original, settings, AUGMENT_GRID_COUNT, seed, signal);
      const label = dataset.label(digit.split, digit.index);
      return { ...result, original, label, caption: digitCaption(digit.split, digit.index, label), enabled: settings.enabled };
    },
  });

  constructor() {
    super();
    this.seed = 1;
    this.draft = {};
    this.statusFrom(this.inputs, this.preview);
  }

  static override styles = [LabCell.cellStyles, augmentPreviewStyles];

  private settingsMemo: { base: AugmentSettings | null; draft: Partial<AugmentSettings> | null; settings: AugmentSettings } = {
    base: null,
    draft: null,
    settings: DEFAULT_AUGMENT,
  };

  /** The lab's settings with a dragged slider's value in them; the same object until either changes (the task's argument). */
  private get settings(): AugmentSettings {
    const base = this.lab.get('augmentation') ?? DEFAULT_AUGMENT;
    if (base !== this.settingsMemo.base || this.draft !== this.settingsMemo.draft) {
      this.settingsMemo = { base, draft: this.draft, settings: { ...base, ...this.draft } };
    }
    return this.settingsMemo.settings;
  }

  private onSettings(event: CustomEvent<AugmentSettingsChange>): void {
    const { patch, final } = event.detail;
    if (!final) {
      this.draft = { ...this.draft, ...patch };
      return;
    }
    const draft = { ...this.draft };
    for (const key of Object.keys(patch) as (keyof AugmentSettings)[]) delete draft[key];
    this.draft = draft;
    this.lab.state?.update('augmentation', patch);
  }

  private anotherDigit(): void {
    const dataset = this.data.dataset;
    if (!dataset) return;
    this.lab.state?.set('selectedDigit', { split: 'train', index: Math.floor(Math.random() * dataset.train.count) });
  }

  override willUpdate(changed: PropertyValues): void {
    const backend = this.lab.get('backend');
    const load = this.data.loadState;
    this.inputs.error =
      this.data.status === 'error' ? `Could not load MNIST: ${load?.error}` : backend?.status === 'error' ? `No tfjs backend is running: ${backend.error}` : null;
    this.inputs.status = this.inputs.error ? 'error' : this.data.status === 'ready' && backend?.status === 'ready' ? 'ready' : 'busy';
    super.willUpdate(changed);
  }

  private renderSide() {
    // Progress, or the download's error with a button to try again.
    if (!this.data.dataset) return html`<dataset-loading></dataset-loading>`;
    const backend = this.lab.get('backend');
    if (backend?.status === 'error') return nothing;
    const result = this.preview.value ?? null;
    const note =
      backend?.status !== 'ready'
        ? 'Starting the tfjs backend…'
        : this.settings.enabled
          ? 'What training sees: each time the digit comes round, a new random variant. Hover one for what was done to it.'
          : 'Augmentation is off: training sees the digit exactly as it is, every time.';
    return html`<augment-grid .original=${result?.original ?? null} .label=${result?.label ?? null} .caption=${result?.caption ?? '—'} .result=${result} .note=${note}></augment-grid>
      <p class="visually-hidden" role="status">
        ${result ? `Showing ${AUGMENT_GRID_COUNT} ${result.enabled ? 'random augmentations' : 'unchanged copies'} of ${result.caption}.` : ''}
      </p>`;
  }

  override render() {
    const hasData = !!this.data.dataset;
    // A failed download is shown once, by <dataset-loading> with its Retry button.
    const error = this.data.status === 'error' ? nothing : this.renderError();
    return html`<h2 class="cell-title">Augmentation preview</h2>
      ${error}
      <div class="layout">
        <augment-settings-form .settings=${this.settings} @augment-settings-change=${this.onSettings}>
          <button slot="actions" class="primary" @click=${() => (this.seed += 1)} ?disabled=${!hasData}>Re-roll augmentations</button>
          <button slot="actions" @click=${this.anotherDigit} ?disabled=${!hasData}>Show another digit</button>
        </augment-settings-form>
        <div class="side">${this.renderSide()}</div>
      </div>`;
  }
}

customElements.define('augment-preview', AugmentPreview);

declare global {
  interface HTMLElementTagNameMap {
    'augment-preview': AugmentPreview;
  }
}
