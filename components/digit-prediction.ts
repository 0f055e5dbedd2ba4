import { html, LitElement, nothing } from 'lit';
import { formatPercent } from '../src/format';
import type { DigitVerdict } from '../src/inspect/digit-check';
import type { Prediction } from '../src/inspect/predict';
import { digitPredictionStyles } from './digit-prediction.styles';

const DIGITS = Array.from({ length: 10 }, (_, d) => String(d));

/**
 * The network's answer, big ("It reads 7, 99.8% sure"), and its confidence for each of the ten digits as bars
 * (role="meter"), or for every class when `labels` names more (the digits and the learner's own symbols). When the
 * "not a digit" check says the input is unlike any digit the network learned, the big line says so instead and the
 * bars are shown faded: they still add up to 100%, because a softmax has no "none of these". The big line is hidden
 * from screen readers: the host announces the answer once, in role="status".
 *
 * @csspart answer - the big line, for a host that shows the answer elsewhere on a narrow screen.
 */
export class DigitPrediction extends LitElement {
  static override properties = {
    result: { attribute: false },
    verdict: { attribute: false },
    checking: {},
    placeholder: {},
    labels: { attribute: false },
  };

  declare result: Prediction | null;
  /** The "not a digit" check's answer for `result`, or null while there is none. */
  declare verdict: DigitVerdict | null;
  /** What the check is doing while it has no answer yet ("Fitting the check for this model: 40%"), or empty. */
  declare checking: string;
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
    this.verdict = null;
    this.checking = '';
    this.placeholder = '';
    this.labels = null;
  }

  private nameOf(index: number): string {
    return (this.labels ?? DIGITS)[index] ?? String(index);
  }

  private headline() {
    const r = this.result;
    if (!r) return this.placeholder;
    if (this.verdict && !this.verdict.isDigit) {
      return html`<span class="not-digit">This does not look like a digit</span>
        <span class="guess">(its best guess would be ${this.nameOf(r.digit)}, “${formatPercent(r.confidence)} sure”)</span>`;
    }
    return html`It reads <strong>${this.nameOf(r.digit)}</strong> <span>${formatPercent(r.confidence)} sure</span>`;
  }

  override render() {
    const r = this.result;
    const names = this.labels ?? DIGITS;
    const unsure = !!(r && this.verdict && !this.verdict.isDigit);
    return html`<p class="big" part="answer" aria-hidden="true">${this.headline()}</p>
      ${unsure
        ? html`<p class="why">
            It is further from every digit this network learned than 99.5% of real digits are. The bars still add up to
            100%: the network has no “none of these” answer.
          </p>`
        : nothing}
      ${this.checking && r ? html`<p class="why" data-testid="digit-check-progress">${this.checking}</p>` : nothing}
      <div class="bars ${unsure ? 'unsure' : ''}" aria-label="Confidence for each ${this.labels ? 'class' : 'digit'}">
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
