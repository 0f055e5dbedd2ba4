import { html } from 'lit';
import { LabCell } from './lab-cell';

/** Placeholder until this cell is built: says honestly what it will hold. */
export class TrainPanel extends LabCell {
  override render() {
    return html`<h2 class="cell-title">Training</h2>
      <p class="placeholder">Not built yet. Coming here: live training with loss and accuracy curves, hyperparameters, pause, stop and retrain.</p>`;
  }
}

customElements.define('train-panel', TrainPanel);

declare global {
  interface HTMLElementTagNameMap {
    'train-panel': TrainPanel;
  }
}
