import { html, LitElement, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import {
  AUGMENT_LIMITS,
  AUGMENT_RANGE_KEYS,
  DEFAULT_AUGMENT,
  parseAugmentValue,
  type AugmentRangeKey,
  type AugmentSettings,
} from '../src/augment/settings';
import { augmentSettingsFormStyles } from './augment-settings-form.styles';
import { buttonStyles, fieldStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** What the learner changed. `final` is false while a slider is dragged (preview it) and true once it is settled. */
export interface AugmentSettingsChange {
  patch: Partial<AugmentSettings>;
  final: boolean;
}

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

const UNITS: Partial<Record<AugmentRangeKey, string>> = { rotation: '°', shear: '°' };

/**
 * The augmentation settings (Keras' meaning: rotation, shifts, shear, zoom, and an on/off switch), each range as a
 * slider and a text box. It shows `settings` and reports changes; it keeps nothing but what it refused: a value
 * that is not a number or out of range stays in its box with a message beside it, and the last valid one is used.
 *
 * @fires augment-settings-change - {@link AugmentSettingsChange}: a slider moved (`final: false`) or a value, the
 *   switch or "Reset to defaults" settled (`final: true`; Reset sends every setting).
 * @slot actions - More buttons, placed before "Reset to defaults".
 */
export class AugmentSettingsForm extends LitElement {
  static properties = {
    settings: { attribute: false },
    texts: { state: true },
    errors: { state: true },
  };

  /** The settings to show (the lab's, with a slider being dragged already in them). */
  declare settings: AugmentSettings;
  /** What the learner typed where it was refused (shown until corrected). */
  declare texts: Partial<Record<AugmentRangeKey, string>>;
  declare errors: Partial<Record<AugmentRangeKey, string>>;

  static styles = [tokens, buttonStyles, fieldStyles, augmentSettingsFormStyles];

  constructor() {
    super();
    this.settings = { ...DEFAULT_AUGMENT };
    this.texts = {};
    this.errors = {};
  }

  private emit(patch: Partial<AugmentSettings>, final: boolean): void {
    this.dispatchEvent(new CustomEvent<AugmentSettingsChange>('augment-settings-change', { detail: { patch, final }, bubbles: true, composed: true }));
  }

  private accept(key: AugmentRangeKey): void {
    this.texts = { ...this.texts, [key]: undefined };
    this.errors = { ...this.errors, [key]: undefined };
  }

  private onSlider(key: AugmentRangeKey, event: Event, final: boolean): void {
    this.accept(key);
    this.emit({ [key]: Number((event.target as HTMLInputElement).value) }, final);
  }

  private onText(key: AugmentRangeKey, event: Event): void {
    const text = (event.target as HTMLInputElement).value;
    const parsed = parseAugmentValue(key, text);
    if (!parsed.ok) {
      this.texts = { ...this.texts, [key]: text };
      this.errors = { ...this.errors, [key]: `${parsed.message} Still using ${this.settings[key]}${UNITS[key] ?? ''}.` };
      return;
    }
    this.accept(key);
    this.emit({ [key]: parsed.value }, true);
  }

  private reset(): void {
    this.texts = {};
    this.errors = {};
    this.emit({ ...DEFAULT_AUGMENT }, true);
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
        @input=${(e: Event) => this.onSlider(key, e, false)}
        @change=${(e: Event) => this.onSlider(key, e, true)}
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

  render() {
    const enabled = this.settings.enabled;
    return html`<div class="switch">
        <input
          type="checkbox"
          role="switch"
          id="augment-enabled"
          .checked=${enabled}
          @change=${(e: Event) => this.emit({ enabled: (e.target as HTMLInputElement).checked }, true)}
        />
        <label for="augment-enabled">Augment training images</label>
      </div>
      <div class="fields ${enabled ? '' : 'off'}">${AUGMENT_RANGE_KEYS.map((key) => this.renderField(key))}</div>
      <div class="actions">
        <slot name="actions"></slot>
        <button @click=${this.reset}>Reset to defaults</button>
      </div>`;
  }
}

customElements.define('augment-settings-form', AugmentSettingsForm);

declare global {
  interface HTMLElementTagNameMap {
    'augment-settings-form': AugmentSettingsForm;
  }
  interface HTMLElementEventMap {
    'augment-settings-change': CustomEvent<AugmentSettingsChange>;
  }
}
