import { css, html, LitElement } from 'lit';
import { formatInteger } from '../src/format';
import { ensureDataset } from '../src/state/actions';
import { dataBaseUrl } from './config';
import { LabStateController } from './lab-context';
import { tokens } from './styles/tokens';

/** The data set's loading progress, then its size; an error with a retry button if loading failed. */
export class DataStatus extends LitElement {
  private readonly lab = new LabStateController(this, ['datasetLoad', 'dataset']);

  static styles = [
    tokens,
    css`
      :host {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        font-size: 0.9rem;
      }
      progress {
        width: 9rem;
      }
      .error {
        color: var(--lab-danger-text);
        max-width: 32rem;
      }
      button {
        font: inherit;
      }
    `,
  ];

  private retry(): void {
    const state = this.lab.state;
    if (state) ensureDataset(state, dataBaseUrl()).catch(() => {});
  }

  override render() {
    const load = this.lab.get('datasetLoad');
    const dataset = this.lab.get('dataset');
    if (dataset) {
      return html`<span data-testid="dataset-counts">MNIST: <strong>${formatInteger(dataset.train.count)}</strong> training ·
        <strong>${formatInteger(dataset.test.count)}</strong> test images</span>`;
    }
    if (load?.status === 'error') {
      return html`<span class="error" role="alert">Could not load MNIST: ${load.error}</span>
        <button @click=${this.retry}>Retry</button>`;
    }
    const percent = Math.round((load?.progress.fraction ?? 0) * 100);
    return html`<label for="data-progress">${load?.progress.stage || 'MNIST'}</label>
      <progress id="data-progress" max="100" .value=${percent} aria-valuetext="${percent}%"></progress>`;
  }
}

customElements.define('data-status', DataStatus);
