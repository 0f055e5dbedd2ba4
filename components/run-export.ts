import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { AugmentSettings } from '../src/augment/settings';
import { exportRunNotebook, exportRunScript, runExportFileNames, runExportProblem, type RunExportInput } from '../src/export/keras-run';
import { ExportError } from '../src/export/python';
import type { KerasWeight } from '../src/export/weights';
import type { ModelSpec } from '../src/model/spec';
import type { TrainSettings } from '../src/train/settings';
import type { CellStatus } from './lab-cell';
import { runExportStyles } from './run-export.styles';
import { saveFile } from './run-export-save';

export type RunExportKind = 'notebook' | 'script' | 'weights';

/** Detail of `run-export-saved`: which file the browser was given, and its size. */
export interface RunExportSavedDetail {
  kind: RunExportKind;
  fileName: string;
  bytes: number;
}

/** Supplies a run's trained weights as plain arrays, e.g. `() => loadRunKerasWeights(run.id)` (src/export/model-data.ts). */
export type KerasWeightsProvider = () => Promise<readonly KerasWeight[]>;

const MIME: Record<RunExportKind, string> = {
  notebook: 'application/x-ipynb+json',
  script: 'text/x-python',
  weights: 'application/x-hdf5',
};

const kilobytes = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-US')} KB`;

/**
 * Takes one training run home to Python: "Export as notebook" (.ipynb) and "Export as script" (.py) write Keras 3
 * code that repeats the run; "Download weights for Keras" saves the run's trained weights as a `.weights.h5` file
 * that code loads. Standalone: set the run's `spec`, `settings` and `augmentation`, and for a trained run its
 * `testAccuracy`, `backend` and a `weights` provider. Without `weights` the weights button is disabled and says why.
 *
 * ```html
 * <run-export .spec=${run.spec} .settings=${run.settings} .augmentation=${run.augmentation}
 *   .testAccuracy=${run.testAccuracy} .backend=${run.backend} label="run 3"
 *   .weights=${() => loadRunKerasWeights(run.id)}></run-export>
 * ```
 *
 * Reflects `status` (idle | busy | ready | error); a failure is shown in role="alert", a saved file in role="status".
 *
 * @fires run-export-saved - {RunExportSavedDetail} a file was handed to the browser to save
 */
export class RunExport extends LitElement {
  static properties = {
    spec: { attribute: false },
    settings: { attribute: false },
    augmentation: { attribute: false },
    testAccuracy: { attribute: false },
    backend: { attribute: false },
    label: { type: String },
    weights: { attribute: false },
    status: { type: String, reflect: true },
    busy: { state: true },
    note: { state: true },
    errorMessage: { state: true },
  };

  declare spec: ModelSpec | null;
  declare settings: TrainSettings | null;
  declare augmentation: AugmentSettings | null;
  /** The lab's test accuracy for the run (0–1); the notebook compares the weights it loads with it. */
  declare testAccuracy: number | null;
  /** The tfjs backend the run trained on, named in the notebook. */
  declare backend: string | null;
  /** Tells several runs' files apart, e.g. "run 3" → digit-lab-small-run-3-seed42.ipynb. */
  declare label: string;
  declare weights: KerasWeightsProvider | null;
  declare status: CellStatus;
  declare busy: RunExportKind | null;
  declare note: string;
  declare errorMessage: string;

  static styles = runExportStyles;

  constructor() {
    super();
    this.spec = null;
    this.settings = null;
    this.augmentation = null;
    this.testAccuracy = null;
    this.backend = null;
    this.label = '';
    this.weights = null;
    this.status = 'idle';
    this.busy = null;
    this.note = '';
    this.errorMessage = '';
  }

  private get input(): RunExportInput | null {
    const { spec, settings, augmentation } = this;
    if (!spec || !settings || !augmentation) return null;
    return { spec, settings, augmentation, testAccuracy: this.testAccuracy, backend: this.backend ?? undefined, label: this.label || undefined };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another run (or other settings): what was said about the last one no longer applies.
    if (['spec', 'settings', 'augmentation', 'weights', 'label'].some((key) => changed.has(key as keyof RunExport)) && !this.busy) {
      this.note = '';
      this.errorMessage = '';
      this.status = 'idle';
    }
  }

  private async export(kind: RunExportKind): Promise<void> {
    const input = this.input;
    if (!input || this.busy) return;
    const fileName = runExportFileNames(input)[kind];
    this.busy = kind;
    this.status = 'busy';
    this.errorMessage = '';
    this.note = kind === 'weights' ? 'Preparing the weights file…' : '';
    try {
      const content = await this.content(kind, input);
      const bytes = typeof content === 'string' ? new Blob([content]).size : content.byteLength;
      saveFile(fileName, new Blob([content as BlobPart], { type: MIME[kind] }));
      this.note = `Saved ${fileName} (${kilobytes(bytes)}).`;
      this.status = 'ready';
      this.dispatchEvent(new CustomEvent<RunExportSavedDetail>('run-export-saved', { detail: { kind, fileName, bytes }, bubbles: true, composed: true }));
    } catch (error) {
      const reason = error instanceof ExportError ? error.message : `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
      this.errorMessage = `Could not make ${fileName}. ${reason}`;
      this.note = '';
      this.status = 'error';
    } finally {
      this.busy = null;
    }
  }

  private async content(kind: RunExportKind, input: RunExportInput): Promise<string | Uint8Array> {
    if (kind === 'notebook') return exportRunNotebook(input);
    if (kind === 'script') return exportRunScript(input);
    if (!this.weights) throw new ExportError('This run has no trained weights.');
    const weights = await this.weights();
    // h5wasm (4 MB) is loaded only now, on the first weights download.
    const { encodeKerasWeightsH5 } = await import('../src/export/weights-h5');
    return encodeKerasWeightsH5(input.spec, weights);
  }

  render() {
    const input = this.input;
    if (!input) return nothing;
    const problem = runExportProblem(input);
    const names = runExportFileNames(input);
    const disabled = problem !== null || this.busy !== null;
    const button = (kind: RunExportKind, text: string, off = false) =>
      html`<button type="button" aria-describedby="run-export-hint" ?disabled=${disabled || off} @click=${() => this.export(kind)}>
        ${this.busy === kind ? `${text}…` : text}
      </button>`;
    return html`
      <div class="actions" role="group" aria-label="Take this run to Python">
        ${button('notebook', 'Export as notebook')} ${button('script', 'Export as script')}
        ${button('weights', 'Download weights for Keras', !this.weights)}
      </div>
      <p class="hint" id="run-export-hint">
        Keras 3 code that repeats this run in Python (Jupyter, Colab)${this.weights
          ? html`, and the trained weights as <code>${names.weights}</code>, which the code loads with <code>model.load_weights</code>.`
          : '. No weights to download: these settings have not been trained.'}
      </p>
      ${problem ? html`<p class="note">${problem}</p>` : nothing}
      <p class="saved" role="status">${this.note}</p>
      ${this.errorMessage ? html`<p class="alert" role="alert">${this.errorMessage}</p>` : nothing}
    `;
  }
}

customElements.define('run-export', RunExport);

declare global {
  interface HTMLElementTagNameMap {
    'run-export': RunExport;
  }
  interface HTMLElementEventMap {
    'run-export-saved': CustomEvent<RunExportSavedDetail>;
  }
}
