import { html, LitElement, nothing } from 'lit';
import type { Split } from '../src/data/mnist';
import { parseDigitIndex, type InputSource } from '../src/inspect/input';
import { SALIENCY_METHODS, type SaliencyMethod } from '../src/inspect/saliency';
import { activationInputPickerStyles } from './activation-input-picker.styles';
import { buttonStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** A digit of the data set, picked by number or at random. */
export interface DigitPick {
  split: Split;
  index: number;
}

/**
 * The activation viewer's input controls: a data-set digit (by number, or a random test digit) or the drawing, and
 * whether to lay the saliency over it. It validates what is typed and reports choices; the cell decides.
 *
 * @fires activation-source-change - `{ source: InputSource }`: the learner chose a data-set digit or the drawing.
 * @fires activation-digit-change - {@link DigitPick}: a valid digit number was entered, or a random test digit picked.
 * @fires activation-digit-invalid - `{ message }`: the number typed is not a digit of the split (the shown digit stays).
 * @fires activation-saliency-change - `{ show: boolean }`: the saliency overlay was switched on or off.
 * @fires activation-method-change - `{ method: SaliencyMethod }`: another way of measuring the saliency was chosen.
 */
export class ActivationInputPicker extends LitElement {
  static properties = {
    source: { type: String },
    split: { type: String },
    index: { type: Number },
    counts: { attribute: false },
    showSaliency: { type: Boolean, attribute: 'show-saliency' },
    method: { type: String },
  };

  declare source: InputSource;
  /** The split and number of the digit shown. */
  declare split: Split;
  declare index: number;
  /** How many digits each split has; null while MNIST is not loaded (the digit controls are disabled). */
  declare counts: Record<Split, number> | null;
  declare showSaliency: boolean;
  declare method: SaliencyMethod;

  static styles = [tokens, buttonStyles, activationInputPickerStyles];

  constructor() {
    super();
    this.source = 'digit';
    this.split = 'train';
    this.index = 0;
    this.counts = null;
    this.showSaliency = true;
    this.method = 'integrated';
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  private onNumber(event: Event): void {
    if (!this.counts) return;
    const parsed = parseDigitIndex((event.target as HTMLInputElement).value, this.counts[this.split]);
    if (parsed.ok) this.emit<DigitPick>('activation-digit-change', { split: this.split, index: parsed.index });
    else this.emit('activation-digit-invalid', { message: parsed.message });
  }

  private onRandom(): void {
    if (!this.counts) return;
    this.emit<DigitPick>('activation-digit-change', { split: 'test', index: Math.floor(Math.random() * this.counts.test) });
  }

  render() {
    const disabled = !this.counts;
    return html`<div class="controls" role="group" aria-label="Input">
      <label>
        <input type="radio" name="source" .checked=${this.source === 'digit'} @change=${() => this.emit('activation-source-change', { source: 'digit' })} />
        A data-set digit
      </label>
      <label>
        <input type="radio" name="source" .checked=${this.source === 'drawing'} @change=${() => this.emit('activation-source-change', { source: 'drawing' })} />
        My drawing
      </label>
      ${this.source === 'digit'
        ? html`<label>Digit number (${this.split === 'test' ? 'test' : 'training'} set)
              <input type="number" min="0" step="1" .value=${String(this.index)} ?disabled=${disabled} @change=${this.onNumber} />
            </label>
            <button @click=${this.onRandom} ?disabled=${disabled}>Pick a random test digit</button>`
        : nothing}
      <label>
        <input type="checkbox" .checked=${this.showSaliency} @change=${(e: Event) => this.emit('activation-saliency-change', { show: (e.target as HTMLInputElement).checked })} />
        Show saliency
      </label>
      <label>Saliency method
        <select @change=${(e: Event) => this.emit('activation-method-change', { method: (e.target as HTMLSelectElement).value as SaliencyMethod })}>
          ${(Object.keys(SALIENCY_METHODS) as SaliencyMethod[]).map((m) => html`<option value=${m} ?selected=${m === this.method}>${SALIENCY_METHODS[m]}</option>`)}
        </select>
      </label>
    </div>`;
  }
}

customElements.define('activation-input-picker', ActivationInputPicker);

declare global {
  interface HTMLElementTagNameMap {
    'activation-input-picker': ActivationInputPicker;
  }
  interface HTMLElementEventMap {
    'activation-source-change': CustomEvent<{ source: InputSource }>;
    'activation-digit-change': CustomEvent<DigitPick>;
    'activation-digit-invalid': CustomEvent<{ message: string }>;
    'activation-saliency-change': CustomEvent<{ show: boolean }>;
    'activation-method-change': CustomEvent<{ method: SaliencyMethod }>;
  }
}
