import { html, LitElement, nothing } from 'lit';
import type { LabState } from '../src/state/lab-state';
import { chooseShipped, describeAccuracy, useUploadedModel } from '../src/train/lab-models';
import { checkUploadSizes, downloadModel, ModelFileError, modelFromFiles } from '../src/train/model-io';
import { LabStateController } from './lab-context';
import { modelFilesStyles } from './train-panel.styles';

/**
 * "Your model": which model the lab uses (with its test accuracy), download it, load one from files, or go back to
 * the shipped model. Errors in role="alert"; nothing changes when a file is refused.
 */
export class ModelFiles extends LitElement {
  static properties = {
    disabled: { type: Boolean },
    message: { state: true },
    error: { state: true },
    kept: { state: true },
  };

  declare disabled: boolean;
  declare message: string | null;
  declare error: string | null;
  /** Whether the uploaded model is kept in this browser. */
  declare kept: boolean | null;

  private readonly lab = new LabStateController(this, ['model']);

  static styles = modelFilesStyles;

  constructor() {
    super();
    this.disabled = false;
    this.message = null;
    this.error = null;
    this.kept = null;
  }

  private get state(): LabState | undefined {
    return this.lab.state;
  }

  private async download(): Promise<void> {
    const labModel = this.lab.get('model');
    if (!labModel) return;
    this.error = null;
    try {
      await downloadModel(labModel.model);
      this.message = 'Downloaded digit-lab-model.json and digit-lab-model.weights.bin: choose both to load the model back.';
    } catch (error) {
      this.error = `Could not download the model: ${(error as Error).message}`;
    }
  }

  private async restoreShipped(): Promise<void> {
    if (!this.state) return;
    this.error = null;
    await chooseShipped(this.state);
    this.message = 'The lab uses the pre-trained model shipped with it again.';
  }

  private async loadFiles(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    this.error = null;
    this.message = null;
    if (files.length === 0 || !this.state) return;
    const jsonFiles = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
    if (jsonFiles.length !== 1) {
      this.error =
        jsonFiles.length === 0
          ? 'Choose the model’s .json file together with its weights (.bin) file; no .json file was chosen.'
          : 'Choose exactly one model .json file (with its weights file).';
      return;
    }
    try {
      // Sizes first: a file is read whole into memory.
      checkUploadSizes(jsonFiles[0].size, files.filter((f) => f !== jsonFiles[0]).map((f) => f.size));
      const weights = new Map<string, ArrayBuffer>();
      for (const f of files) if (f !== jsonFiles[0]) weights.set(f.name, await f.arrayBuffer());
      const model = await modelFromFiles(await jsonFiles[0].text(), weights);
      this.message = `Loaded ${jsonFiles[0].name}: it is now the lab’s model.`;
      this.kept = null;
      this.kept = await useUploadedModel(this.state, model, `loaded from ${jsonFiles[0].name}`);
    } catch (error) {
      this.error = error instanceof ModelFileError ? `${error.message} The current model is unchanged.` : `Could not load this model: ${(error as Error).message}. The current model is unchanged.`;
    }
  }

  override render() {
    const current = this.lab.get('model');
    const keptNote =
      current?.source === 'uploaded' && this.kept !== null
        ? this.kept
          ? html` · <span class="hint" data-testid="model-saved">kept in this browser</span>`
          : html` · <span class="hint">could not be saved in this browser (storage refused): it is used until you reload</span>`
        : current?.source === 'trained'
          ? html` · <span class="hint" data-testid="model-saved">kept in this browser with its run</span>`
          : nothing;
    return html`<p>
        Current model: <strong data-testid="current-model">${current ? `${current.description} (${current.source})` : 'the pre-trained model shipped with the lab'}</strong>
        ${current ? html`<span class="hint">— ${describeAccuracy(current.testAccuracy)}</span>` : nothing}${keptNote}
      </p>
      <div class="files">
        <button ?disabled=${!current || this.disabled} @click=${this.download}>Download model</button>
        <button ?disabled=${!current || current.source === 'shipped' || this.disabled} @click=${this.restoreShipped}>Restore the shipped model</button>
        <div>
          <label for="model-files">Load a model (model.json and its weights .bin file)</label>
          <input id="model-files" type="file" multiple accept=".json,.bin" ?disabled=${this.disabled} @change=${this.loadFiles} />
        </div>
      </div>
      ${this.error ? html`<div class="alert" role="alert" data-testid="model-error">${this.error}</div>` : nothing}
      ${this.message ? html`<p role="status">${this.message}</p>` : nothing}`;
  }
}

customElements.define('model-files', ModelFiles);

declare global {
  interface HTMLElementTagNameMap {
    'model-files': ModelFiles;
  }
}
