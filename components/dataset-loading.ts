import { html, LitElement } from 'lit';
import { datasetLoadingStyles } from './dataset-loading.styles';
import { LabDatasetController } from './lab-dataset-controller';

/**
 * What a cell shows until MNIST is there: the download's progress, or its error (role="alert") with a button that
 * tries again. Follows the lab's one download, so every cell that shows it tells the same story.
 */
export class DatasetLoading extends LitElement {
  private readonly data = new LabDatasetController(this, { load: 'lazy' });

  static override styles = datasetLoadingStyles;

  override render() {
    const load = this.data.loadState;
    if (load?.status === 'error') {
      return html`<div class="alert" role="alert">Could not load MNIST: ${load.error}</div>
        <button @click=${() => this.data.retry()}>Retry loading MNIST</button>`;
    }
    const percent = Math.round((load?.progress.fraction ?? 0) * 100);
    return html`<p>
      <label for="progress">Loading MNIST (${percent}%)</label>
      <progress id="progress" max="100" .value=${percent}></progress>
    </p>`;
  }
}

customElements.define('dataset-loading', DatasetLoading);

declare global {
  interface HTMLElementTagNameMap {
    'dataset-loading': DatasetLoading;
  }
}
