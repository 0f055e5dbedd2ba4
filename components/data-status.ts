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
      /* A phone's one-line header: a short label and bar while loading; the counts are in the Dataset lesson. */
      @media (max-width: 760px) {
        :host {
          font-size: 0.8rem;
          gap: 0.35rem;
        }
        label {
          min-width: 0;
          overflow: hidden;
          text-overflow: ellipsis;
          white-space: nowrap;
        }
        progress {
          flex: none;
          width: 4rem;
        }
        [data-testid='dataset-counts'] {
          display: none;
        }
        button {
          min-height: 44px;
        }
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
