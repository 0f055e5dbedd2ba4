import { html } from 'lit';
import { LabCell } from './lab-cell';

/** Placeholder until this cell is built: says honestly what it will hold. */
export class DatasetExplorer extends LabCell {
  override render() {
    return html`<h2 class="cell-title">Dataset explorer</h2>
      <p class="placeholder">Not built yet. Coming here: browse all 70,000 digits by split and class, class balance, the mean digit of each class, pixel statistics, and any digit up close.</p>`;
  }
}

customElements.define('dataset-explorer', DatasetExplorer);

declare global {
  interface HTMLElementTagNameMap {
    'dataset-explorer': DatasetExplorer;
  }
}
