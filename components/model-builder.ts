import { html } from 'lit';
import { LabCell } from './lab-cell';

/** Placeholder until this cell is built: says honestly what it will hold. */
export class ModelBuilder extends LabCell {
  override render() {
    return html`<h2 class="cell-title">Model builder</h2>
      <p class="placeholder">Not built yet. Coming here: the CNN layer by layer, with output shapes and parameter counts live.</p>`;
  }
}

customElements.define('model-builder', ModelBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'model-builder': ModelBuilder;
  }
}
