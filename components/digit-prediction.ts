import { html, LitElement } from 'lit';
import { formatPercent } from '../src/format';
import type { Prediction } from '../src/inspect/predict';
import { digitPredictionStyles } from './digit-prediction.styles';

/**
 * The network's answer, big ("It reads 7, 99.8% sure"), and its confidence for each of the ten digits as bars
 * (role="meter"). The big line is hidden from screen readers: the host announces the answer once, in role="status".
 *
 * @csspart answer - the big line, for a host that shows the answer elsewhere on a narrow screen.
 */
export class DigitPrediction extends LitElement {
  static override properties = {
    result: { attribute: false },
    placeholder: {},
  };

  declare result: Prediction | null;
  /** What the big line says while there is no answer. */
  declare placeholder: string;

  static override styles = digitPredictionStyles;

  constructor() {
    super();
    this.result = null;
    this.placeholder = '';
  }

  override render() {
    const r = this.result;
    return html`<p class="big" part="answer" aria-hidden="true">
        ${r ? html`It reads <strong>${r.digit}</strong> <span>${formatPercent(r.confidence)} sure</span>` : this.placeholder}
      </p>
      <div class="bars" aria-label="Confidence for each digit">
        ${Array.from({ length: 10 }, (_, d) => {
          const p = r?.probabilities[d] ?? 0;
          return html`<span>${d}</span>
            <div
              class="bar ${r && d === r.digit ? 'top' : ''}"
              role="meter"
              aria-label="Confidence for ${d}"
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${Math.round(p * 100)}
            >
              <span style="width: ${(p * 100).toFixed(1)}%"></span>
            </div>
            <span class="pct">${r ? formatPercent(p) : '–'}</span>`;
        })}
      </div>`;
  }
}

customElements.define('digit-prediction', DigitPrediction);

declare global {
  interface HTMLElementTagNameMap {
    'digit-prediction': DigitPrediction;
  }
}
