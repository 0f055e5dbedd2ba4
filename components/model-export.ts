import { html, LitElement, nothing } from 'lit';
import { parseSpecText } from '../src/model/draft';
import { specToJson, specToKeras } from '../src/model/export';
import type { ModelSpec } from '../src/model/spec';
import type { TrainSettings } from '../src/train/settings';
import { modelExportStyles } from './model-export.styles';
import { buttonStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

export type ExportFormat = 'keras' | 'json';

/** A model read from pasted or opened JSON; `source` names where it came from. */
export interface ModelImportDetail {
  spec: ModelSpec;
  source: string;
}

/**
 * The model as Keras (Python) code or the lab's JSON, to copy or download; a copyable link; and loading a model from
 * JSON. The code comes from src/model/export.ts: this element only shows it.
 *
 * @fires model-import - {ModelImportDetail} a valid model was read from pasted text or a file
 */
export class ModelExport extends LitElement {
  static properties = {
    spec: { attribute: false },
    draftValid: { type: Boolean, attribute: 'draft-valid' },
    trainSettings: { attribute: false },
    format: { state: true },
    note: { state: true },
    importError: { state: true },
  };

  declare spec: ModelSpec | null;
  /** False while the editor holds an impossible draft: then `spec` is the last valid model, and the title says so. */
  declare draftValid: boolean;
  /** The Keras code compiles with these optimizer settings. */
  declare trainSettings: Pick<TrainSettings, 'optimizer' | 'learningRate'> | null;
  declare format: ExportFormat;
  declare note: string;
  declare importError: string;

  static styles = [tokens, buttonStyles, modelExportStyles];

  constructor() {
    super();
    this.spec = null;
    this.draftValid = true;
    this.trainSettings = null;
    this.format = 'keras';
    this.note = '';
    this.importError = '';
  }

  private text(spec: ModelSpec): string {
    const train = this.trainSettings;
    return this.format === 'keras' ? specToKeras(spec, train ? { optimizer: train.optimizer, learningRate: train.learningRate } : undefined) : specToJson(spec);
  }

  private get what(): string {
    return this.format === 'keras' ? 'Keras code' : 'JSON';
  }

  private choose(format: ExportFormat): void {
    this.format = format;
    this.note = '';
  }

  private async copy(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.note = `Copied the ${what} to the clipboard.`;
    } catch {
      const code = this.renderRoot.querySelector('pre');
      if (code) getSelection()?.selectAllChildren(code);
      this.note = `The browser did not allow copying; the ${what} is selected, press Ctrl+C (⌘C on a Mac).`;
    }
  }

  private download(spec: ModelSpec): void {
    const keras = this.format === 'keras';
    const base = spec.name.replace(/[^\w-]+/g, '_') || 'model';
    const file = keras ? `${base}.py` : `${base}.json`;
    const url = URL.createObjectURL(new Blob([this.text(spec)], { type: keras ? 'text/x-python' : 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    this.note = `Downloaded ${file}.`;
  }

  private importText(text: string, source: string): void {
    const parsed = parseSpecText(text, source);
    if (!parsed.ok) {
      this.importError = parsed.message;
      return;
    }
    this.importError = '';
    this.dispatchEvent(new CustomEvent<ModelImportDetail>('model-import', { detail: { spec: parsed.spec, source }, bubbles: true, composed: true }));
  }

  private async importFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      this.importText(await file.text(), file.name);
    } catch {
      this.importError = `Could not read ${file.name}. Nothing was changed.`;
    }
    input.value = '';
  }

  render() {
    const spec = this.spec;
    if (!spec) return nothing;
    const text = this.text(spec);
    const what = this.what;
    return html`<section aria-labelledby="export-title">
      <h3 id="export-title">Export${this.draftValid ? '' : ' (the last valid model)'}</h3>
      <div class="buttons">
        <button aria-pressed=${String(this.format === 'keras')} @click=${() => this.choose('keras')}>Keras (Python)</button>
        <button aria-pressed=${String(this.format === 'json')} @click=${() => this.choose('json')}>JSON</button>
        <button @click=${() => this.copy(text, what)}>Copy ${what}</button>
        <button @click=${() => this.download(spec)}>Download ${what}</button>
        <button @click=${() => this.copy(location.href, 'link to this model')}>Copy link</button>
        <span class="copy-note" role="status">${this.note}</span>
      </div>
      <pre data-testid="export-code" aria-label=${what} tabindex="0"><code>${text}</code></pre>
      <details class="import">
        <summary>Load a model from JSON</summary>
        <div class="import-body">
          <label for="import-json">Paste a model's JSON</label>
          <textarea id="import-json" rows="5" spellcheck="false" placeholder='{"version": 1, "name": "…", "layers": […]}'></textarea>
          <div class="buttons">
            <button @click=${() => this.importText(this.renderRoot.querySelector<HTMLTextAreaElement>('#import-json')?.value ?? '', 'The pasted text')}>
              Load pasted JSON
            </button>
            <label for="import-file">or open a .json file</label>
            <input id="import-file" type="file" accept=".json,application/json" @change=${this.importFile} />
          </div>
          ${this.importError ? html`<p class="import-error" role="alert">${this.importError}</p>` : nothing}
        </div>
      </details>
    </section>`;
  }
}

customElements.define('model-export', ModelExport);

declare global {
  interface HTMLElementTagNameMap {
    'model-export': ModelExport;
  }
  interface HTMLElementEventMap {
    'model-import': CustomEvent<ModelImportDetail>;
  }
}
