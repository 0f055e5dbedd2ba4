import { html, LitElement } from 'lit';
import type { SymbolClass } from '../src/symbols/class-set';
import { paintDigit } from './digit-painter';
import { symbolGalleryStyles } from './symbol-gallery.styles';
import { buttonStyles, noteStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** Detail of `symbol-example-remove`: which drawing of which class. */
export interface SymbolExampleDetail {
  name: string;
  index: number;
}

/**
 * Every class's drawings as the network sees them (prepared 28×28, white on black), each with a Delete button.
 *
 * @fires symbol-example-remove - {@link SymbolExampleDetail}.
 */
export class SymbolGallery extends LitElement {
  static override properties = {
    classes: { attribute: false },
  };

  declare classes: readonly SymbolClass[];

  static override styles = [tokens, buttonStyles, noteStyles, symbolGalleryStyles];

  constructor() {
    super();
    this.classes = [];
  }

  protected override updated(): void {
    // Each canvas knows its drawing by position: repaint them all (a few hundred 28×28 images at most).
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-class]')) {
      const example = this.classes[Number(canvas.dataset.class)]?.examples[Number(canvas.dataset.index)];
      if (example) paintDigit(canvas, example, { scale: 1 });
    }
  }

  override render() {
    if (!this.classes.length) return html`<p class="note">Your drawings appear here, prepared as the network sees them.</p>`;
    return html`${this.classes.map(
      (c, k) =>
        html`<section aria-label="Drawings of “${c.name}”">
          <h4><span class="name">${c.name}</span> ${c.examples.length} drawing${c.examples.length === 1 ? '' : 's'}</h4>
          ${c.examples.length
            ? html`<ol>
                ${c.examples.map(
                  (_, i) =>
                    html`<li>
                      <canvas data-class=${k} data-index=${i} width="28" height="28" role="img" aria-label="Drawing ${i + 1} of “${c.name}”"></canvas>
                      <button
                        aria-label="Delete drawing ${i + 1} of “${c.name}”"
                        title="Delete"
                        @click=${() => this.dispatchEvent(new CustomEvent<SymbolExampleDetail>('symbol-example-remove', { detail: { name: c.name, index: i }, bubbles: true, composed: true }))}
                      >
                        ×
                      </button>
                    </li>`,
                )}
              </ol>`
            : html`<p class="note">None yet: choose “${c.name}” above and draw it on the pad.</p>`}
        </section>`,
    )}`;
  }
}

customElements.define('symbol-gallery', SymbolGallery);

declare global {
  interface HTMLElementTagNameMap {
    'symbol-gallery': SymbolGallery;
  }
  interface HTMLElementEventMap {
    'symbol-example-remove': CustomEvent<SymbolExampleDetail>;
  }
}
