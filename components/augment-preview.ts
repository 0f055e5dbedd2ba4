import { html } from 'lit';
import { LabCell } from './lab-cell';

/** Placeholder until this cell is built: says honestly what it will hold. */
export class AugmentPreview extends LabCell {
  override render() {
    return html`<h2 class="cell-title">Augmentation preview</h2>
      <p class="placeholder">Not built yet. Coming here: rotation, shift, shear and zoom controls with a live grid of what training will see.</p>`;
  }
}

customElements.define('augment-preview', AugmentPreview);

declare global {
  interface HTMLElementTagNameMap {
    'augment-preview': AugmentPreview;
  }
}
