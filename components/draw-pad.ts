import { html } from 'lit';
import { LabCell } from './lab-cell';

/** Placeholder until this cell is built: says honestly what it will hold. */
export class DrawPad extends LabCell {
  override render() {
    return html`<h2 class="cell-title">Draw a digit</h2>
      <p class="placeholder">Not built yet. Coming here: a canvas to draw on, the prediction with its confidence, and what the network sees.</p>`;
  }
}

customElements.define('draw-pad', DrawPad);

declare global {
  interface HTMLElementTagNameMap {
    'draw-pad': DrawPad;
  }
}
