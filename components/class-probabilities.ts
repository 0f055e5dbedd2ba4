import { html, LitElement } from 'lit';
import { formatPercent } from '../src/format';
import { classProbabilitiesStyles } from './class-probabilities.styles';
import { tokens } from './styles/tokens';

/** The network's answer as one labelled bar per class, with its percentage; the top class stands out. */
export class ClassProbabilities extends LitElement {
  static properties = {
    probabilities: { attribute: false },
  };

  /** One probability per class (0–1), class i at index i. */
  declare probabilities: ArrayLike<number>;

  static styles = [tokens, classProbabilitiesStyles];

  constructor() {
    super();
    this.probabilities = [];
  }

  render() {
    const values = Array.from(this.probabilities);
    const top = values.indexOf(Math.max(...values));
    return html`<div class="probs" data-testid="probabilities">
      ${values.map(
        (p, d) =>
          html`<span>${d}</span>
            <div class="bar ${d === top ? 'top' : ''}"><span style="width:${(p * 100).toFixed(1)}%"></span></div>
            <span>${formatPercent(p)}</span>`,
      )}
    </div>`;
  }
}

customElements.define('class-probabilities', ClassProbabilities);

declare global {
  interface HTMLElementTagNameMap {
    'class-probabilities': ClassProbabilities;
  }
}
