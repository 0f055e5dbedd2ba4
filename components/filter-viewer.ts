import { html } from 'lit';
import { LabCell } from './lab-cell';

/** Placeholder until this cell is built: says honestly what it will hold. */
export class FilterViewer extends LabCell {
  override render() {
    return html`<h2 class="cell-title">Learned filters</h2>
      <p class="placeholder">Not built yet. Coming here: every convolution kernel of the current model as a small image.</p>`;
  }
}

customElements.define('filter-viewer', FilterViewer);

declare global {
  interface HTMLElementTagNameMap {
    'filter-viewer': FilterViewer;
  }
}
