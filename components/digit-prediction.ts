import { html, LitElement } from 'lit';
import { formatPercent } from '../src/format';
import type { Prediction } from '../src/inspect/predict';
import { digitPredictionStyles } from './digit-prediction.styles';

const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));

/**
 * The network's answer, big ("It reads 7, 99.8% sure"), and its confidence for each of the ten digits as bars
 * (role="meter"), or for every class when `labels` names more (the digits and the learner's own symbols). The big
 * line is hidden from screen readers: the host announces the answer once, in role="status".
 *
 * @csspart answer - the big line, for a host that shows the answer elsewhere on a narrow screen.
 */
export class DigitPrediction extends LitElement {
  static override properties = {
    result: { attribute: false },
    placeholder: {},
    labels: { attribute: false },
  };

  declare result: Prediction | null;
  /** What the big line says while there is no answer. */
  declare placeholder: string;
  /**
   * The name of each output when the model answers more than the ten digits (lesson 7's taught classes: "0"…"9",
   * then e.g. "+"), or null for the ten digits. `result.digit` is then the index of the top class.
   */
  declare labels: readonly string[] | null;

  static override styles = digitPredictionStyles;

  constructor() {
    super();
    this.result = null;
    this.placeholder = '';
    this.labels = null;
  }

  override render() {
    const r = this.result;
    const names = this.labels ?? DIGITS;
    return html`<p class="big" part="answer" aria-hidden="true">
        ${r ? html`It reads <strong>${names[r.digit] ?? r.digit}</strong> <span>${formatPercent(r.confidence)} sure</span>` : this.placeholder}
      </p>
      <div class="bars" aria-label="Confidence for each ${this.labels ? 'class' : 'digit'}">
        ${names.map((name, d) => {
          const p = r?.probabilities[d] ?? 0;
          return html`<span class="name">${name}</span>
            <div
              class="bar ${r && d === r.digit ? 'top' : ''}"
              role="meter"
              aria-label="Confidence for ${name}"
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
