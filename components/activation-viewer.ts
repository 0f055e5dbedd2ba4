import { html } from 'lit';
import { LabCell } from './lab-cell';

/** Placeholder until this cell is built: says honestly what it will hold. */
export class ActivationViewer extends LabCell {
  override render() {
    return html`<h2 class="cell-title">Feature maps</h2>
      <p class="placeholder">Not built yet. Coming here: the feature maps of every layer for any digit or your drawing.</p>`;
  }
}

customElements.define('activation-viewer', ActivationViewer);

declare global {
  interface HTMLElementTagNameMap {
    'activation-viewer': ActivationViewer;
  }
}
