import { css, html, LitElement, nothing } from 'lit';
import { buttonStyles, fieldStyles, noteStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** Detail of `symbol-file-load`: the file the learner chose. */
export interface SymbolFileLoadDetail {
  file: File;
}

/**
 * Keeping and sharing a class set: download it with its taught model as one file, load such a file (a teacher's),
 * and put back what a loaded file replaced. The host sets `message` (what happened) and `problem` (why a file was
 * refused, shown in role="alert").
 *
 * @fires symbol-file-download - no detail.
 * @fires symbol-file-load - {@link SymbolFileLoadDetail}.
 * @fires symbol-file-putback - no detail.
 */
export class SymbolFile extends LitElement {
  static override properties = {
    canDownload: { attribute: false },
    canPutBack: { attribute: false },
    message: { attribute: false },
    problem: { attribute: false },
  };

  declare canDownload: boolean;
  declare canPutBack: boolean;
  declare message: string | null;
  declare problem: string | null;

  static override styles = [
    tokens,
    buttonStyles,
    fieldStyles,
    noteStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: var(--lab-space-3);
        align-items: flex-end;
      }
      .field label {
        font-weight: 400;
      }
      .done {
        color: var(--lab-success);
        font-size: var(--lab-font-small);
      }
    `,
  ];

  constructor() {
    super();
    this.canDownload = false;
    this.canPutBack = false;
    this.message = null;
    this.problem = null;
  }

  private fire(type: 'symbol-file-download' | 'symbol-file-putback'): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }

  private pick(event: Event): void {
    const field = event.target as HTMLInputElement;
    const file = field.files?.[0];
    field.value = '';
    if (file) this.dispatchEvent(new CustomEvent<SymbolFileLoadDetail>('symbol-file-load', { detail: { file }, bubbles: true, composed: true }));
  }

  override render() {
    return html`<div class="row">
        <button ?disabled=${!this.canDownload} @click=${() => this.fire('symbol-file-download')}>Download class set</button>
        <div class="field">
          <label for="load">Load a class set (.json)</label>
          <input id="load" type="file" accept=".json,application/json" @change=${this.pick} />
        </div>
        ${this.canPutBack ? html`<button @click=${() => this.fire('symbol-file-putback')}>Put back the classes you had</button>` : nothing}
      </div>
      <p class="hint">One file holds your classes, their drawings and the taught model: hand it to someone and they read your symbols too.</p>
      ${this.message ? html`<p class="done">${this.message}</p>` : nothing} ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}`;
  }
}

customElements.define('symbol-file', SymbolFile);

declare global {
  interface HTMLElementTagNameMap {
    'symbol-file': SymbolFile;
  }
  interface HTMLElementEventMap {
    'symbol-file-load': CustomEvent<SymbolFileLoadDetail>;
  }
}
