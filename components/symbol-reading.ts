import { html, LitElement } from 'lit';
import { formatPercent } from '../src/format';
import type { SymbolReading } from '../src/symbols/reader';
import { digitPredictionStyles } from './digit-prediction.styles';

/**
 * The network's answer over the digits and the learner's classes: the top class in large type, and one labelled
 * confidence bar (role="meter") per class. Like <digit-prediction>, with the class names from the reading. The big
 * line is hidden from screen readers: the host announces the answer once, in role="status".
 */
export class SymbolReadingView extends LitElement {
  static override properties = {
    reading: { attribute: false },
    placeholder: {},
  };

  declare reading: SymbolReading | null;
  declare placeholder: string;

  static override styles = digitPredictionStyles;

  constructor() {
    super();
    this.reading = null;
    this.placeholder = '';
  }

  override render() {
    const r = this.reading;
    return html`<p class="big" aria-hidden="true">
        ${r ? html`It reads <strong>${r.label}</strong> <span>${formatPercent(r.confidence)} sure</span>` : this.placeholder}
      </p>
      ${r
        ? html`<div class="bars" aria-label="Confidence for each class">
            ${r.labels.map((label, i) => {
              const p = r.probabilities[i];
              return html`<span>${label}</span>
                <div
                  class="bar ${i === r.index ? 'top' : ''}"
                  role="meter"
                  aria-label="Confidence for ${label}"
                  aria-valuemin="0"
                  aria-valuemax="100"
                  aria-valuenow=${Math.round(p * 100)}
                >
                  <span style="width: ${(p * 100).toFixed(1)}%"></span>
                </div>
                <span class="pct">${formatPercent(p)}</span>`;
            })}
          </div>`
        : ''}`;
  }
}

customElements.define('symbol-reading', SymbolReadingView);

declare global {
  interface HTMLElementTagNameMap {
    'symbol-reading': SymbolReadingView;
  }
}
