import { html, LitElement, nothing } from 'lit';
import { OPTIMIZER_LABELS, OPTIMIZERS, parseTrainSettings, TRAIN_LIMITS, type TrainSettings, type TrainSettingsErrors, type TrainSettingsInput } from '../src/train/settings';
import { trainFormStyles } from './train-panel.styles';

type NumericField = keyof typeof TRAIN_LIMITS;

const FIELDS: { key: NumericField; hint: string }[] = [
  { key: 'epochs', hint: 'passes over the training images' },
  { key: 'batchSize', hint: 'images per weight update' },
  { key: 'learningRate', hint: 'step size, e.g. 0.001' },
  { key: 'validationSplit', hint: 'fraction held back, 0–0.5' },
  { key: 'trainSize', hint: '1,000 to 60,000' },
  { key: 'seed', hint: 'same seed, same settings → the same run' },
];

/** Detail of `settings-change`: the form as typed, and the parsed settings when every field is valid. */
export interface SettingsChangeDetail {
  input: TrainSettingsInput;
  settings: TrainSettings | null;
  errors: TrainSettingsErrors;
}

/**
 * The hyperparameter form. Every field is checked as it is typed; errors show beside the field.
 * @fires settings-change - {SettingsChangeDetail} on every edit.
 */
export class TrainSettingsForm extends LitElement {
  static properties = {
    input: { attribute: false },
    errors: { attribute: false },
    disabled: { type: Boolean },
  };

  declare input: TrainSettingsInput | null;
  declare errors: TrainSettingsErrors;
  declare disabled: boolean;

  static styles = trainFormStyles;

  constructor() {
    super();
    this.input = null;
    this.errors = {};
    this.disabled = false;
  }

  private edit(key: keyof TrainSettingsInput, value: string | boolean): void {
    if (!this.input) return;
    const input = { ...this.input, [key]: value };
    const parsed = parseTrainSettings(input);
    this.input = input;
    this.errors = parsed.ok ? {} : parsed.errors;
    const detail: SettingsChangeDetail = { input, settings: parsed.ok ? parsed.settings : null, errors: this.errors };
    this.dispatchEvent(new CustomEvent<SettingsChangeDetail>('settings-change', { detail, bubbles: true, composed: true }));
  }

  private renderField(key: NumericField, hint: string) {
    const error = this.errors[key];
    const id = `train-${key}`;
    return html`<div class="field">
      <label for=${id}>${TRAIN_LIMITS[key].label}</label>
      <input
        id=${id}
        type="text"
        inputmode="decimal"
        autocomplete="off"
        .value=${String(this.input![key])}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby="${id}-hint ${error ? `${id}-error` : ''}"
        ?disabled=${this.disabled}
        @input=${(e: Event) => this.edit(key, (e.target as HTMLInputElement).value)}
      />
      <div class="hint" id="${id}-hint">${hint}</div>
      ${error ? html`<div class="field-error" id="${id}-error">${error}</div>` : nothing}
    </div>`;
  }

  override render() {
    const input = this.input;
    if (!input) return nothing;
    return html`<fieldset class="settings" aria-label="Hyperparameters">
      ${FIELDS.map((f) => this.renderField(f.key, f.hint))}
      <div class="field">
        <label for="train-optimizer">Optimizer</label>
        <select id="train-optimizer" ?disabled=${this.disabled} @change=${(e: Event) => this.edit('optimizer', (e.target as HTMLSelectElement).value)}>
          ${OPTIMIZERS.map((o) => html`<option value=${o} ?selected=${input.optimizer === o}>${OPTIMIZER_LABELS[o]}</option>`)}
        </select>
        <div class="hint">how the weights are nudged</div>
        ${this.errors.optimizer ? html`<div class="field-error">${this.errors.optimizer}</div>` : nothing}
      </div>
      <div class="field">
        <label class="check"
          ><input type="checkbox" .checked=${input.augment} ?disabled=${this.disabled} @change=${(e: Event) => this.edit('augment', (e.target as HTMLInputElement).checked)} />
          Augmentation</label
        >
        <div class="hint">random rotate/shift/zoom from the Augmentation lesson</div>
      </div>
    </fieldset>`;
  }
}

customElements.define('train-settings-form', TrainSettingsForm);

declare global {
  interface HTMLElementTagNameMap {
    'train-settings-form': TrainSettingsForm;
  }
  interface HTMLElementEventMap {
    'settings-change': CustomEvent<SettingsChangeDetail>;
  }
}
