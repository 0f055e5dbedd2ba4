import { html, LitElement } from 'lit';
import { MAX_CLASSES, MAX_NAME_LENGTH } from '../src/symbols/class-set';
import { symbolClassesStyles } from './symbol-classes.styles';
import { buttonStyles, fieldStyles, noteStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** One class as the list shows it. */
export interface ClassSummary {
  name: string;
  count: number;
}

/** Detail of the class events: the class's name (for `symbol-class-add`, the name as typed). */
export interface SymbolClassDetail {
  name: string;
}

/**
 * The learner's classes: which one the pad's drawings go into (radio buttons, with how many drawings each has), a
 * Delete button per class, and a field to add one. A refused name is shown under the field (`error`, set by the
 * host) in role="alert"; what was typed stays, so it can be corrected.
 *
 * @fires symbol-class-add - {@link SymbolClassDetail} with the name typed.
 * @fires symbol-class-select - {@link SymbolClassDetail}.
 * @fires symbol-class-remove - {@link SymbolClassDetail}.
 */
export class SymbolClasses extends LitElement {
  static override properties = {
    classes: { attribute: false },
    selected: { attribute: false },
    error: { attribute: false },
  };

  declare classes: ClassSummary[];
  declare selected: string | null;
  /** Why the name typed was refused, or null. */
  declare error: string | null;

  static override styles = [tokens, buttonStyles, fieldStyles, noteStyles, symbolClassesStyles];

  constructor() {
    super();
    this.classes = [];
    this.selected = null;
    this.error = null;
  }

  private fire(type: 'symbol-class-add' | 'symbol-class-select' | 'symbol-class-remove', name: string): void {
    this.dispatchEvent(new CustomEvent<SymbolClassDetail>(type, { detail: { name }, bubbles: true, composed: true }));
  }

  /** Clears the name field (the host calls it once a class was added). */
  clearName(): void {
    const field = this.renderRoot.querySelector<HTMLInputElement>('#new-class');
    if (field) field.value = '';
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const field = this.renderRoot.querySelector<HTMLInputElement>('#new-class');
    this.fire('symbol-class-add', field?.value ?? '');
  }

  override render() {
    return html`${this.classes.length
        ? html`<fieldset>
            <legend>Draw examples of</legend>
            <ul>
              ${this.classes.map(
                (c) =>
                  html`<li>
                    <label class="choice"
                      ><input type="radio" name="class" .checked=${c.name === this.selected} @change=${() => this.fire('symbol-class-select', c.name)} /><span
                        class="name"
                        >${c.name}</span
                      ></label
                    >
                    <span class="count">${c.count} drawing${c.count === 1 ? '' : 's'}</span>
                    <button class="remove" aria-label="Delete class “${c.name}”" @click=${() => this.fire('symbol-class-remove', c.name)}>Delete</button>
                  </li>`,
              )}
            </ul>
          </fieldset>`
        : html`<p class="note">No classes of your own yet: add one, e.g. + or ×.</p>`}
      <form class="field add" @submit=${this.submit}>
        <label for="new-class">New class name</label>
        <div class="row">
          <input
            id="new-class"
            autocomplete="off"
            placeholder="e.g. +"
            aria-invalid=${this.error ? 'true' : 'false'}
            aria-describedby="new-class-help"
            @input=${() => this.error && (this.error = null)}
          />
          <button type="submit">Add class</button>
        </div>
        ${this.error
          ? html`<p class="field-error" id="new-class-help" role="alert">${this.error}</p>`
          : html`<p class="hint" id="new-class-help">A symbol or a word, up to ${MAX_NAME_LENGTH} characters; up to ${MAX_CLASSES} classes beside the digits.</p>`}
      </form>`;
  }
}

customElements.define('symbol-classes', SymbolClasses);

declare global {
  interface HTMLElementTagNameMap {
    'symbol-classes': SymbolClasses;
  }
  interface HTMLElementEventMap {
    'symbol-class-add': CustomEvent<SymbolClassDetail>;
    'symbol-class-select': CustomEvent<SymbolClassDetail>;
    'symbol-class-remove': CustomEvent<SymbolClassDetail>;
  }
}
