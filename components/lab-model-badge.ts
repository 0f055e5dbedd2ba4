import { css, html, LitElement } from 'lit';
import { formatPercent } from '../src/format';
import type { LabModel } from '../src/model/lab-model';
import { LabStateController } from './lab-context';
import { tokens } from './styles/tokens';

/** "Model: <description> — 99.6% on the 10,000 test digits." (the accuracy only when the description lacks it). */
export function modelBadgeText(model: LabModel | null): string {
  if (!model) return 'Model: loading…';
  const description = model.description.replace(/\.$/, '');
  const accuracy = model.testAccuracy === null ? null : formatPercent(model.testAccuracy);
  const withAccuracy = accuracy && !description.includes(accuracy) ? `${description} — ${accuracy} on the 10,000 test digits` : description;
  return `Model: ${withAccuracy}.`;
}

/**
 * One line naming the lab's current model and its test accuracy, for every cell that uses the model. Follows the
 * lab state by default; a cell that shows results of an older model sets `.model` to the one it shows.
 */
export class LabModelBadge extends LitElement {
  static properties = {
    model: { attribute: false },
  };

  /** The model to name; undefined (the default) follows the lab's current model. */
  declare model: LabModel | null | undefined;

  private readonly lab = new LabStateController(this, ['model']);

  constructor() {
    super();
    this.model = undefined;
  }

  static styles = [
    tokens,
    css`
      :host {
        display: block;
        margin: 0 0 var(--lab-space-3);
        font-size: var(--lab-font-small);
        color: var(--lab-muted);
      }
    `,
  ];

  render() {
    const model = this.model === undefined ? (this.lab.get('model') ?? null) : this.model;
    return html`<span data-testid="model-badge">${modelBadgeText(model)}</span>`;
  }
}

customElements.define('lab-model-badge', LabModelBadge);

declare global {
  interface HTMLElementTagNameMap {
    'lab-model-badge': LabModelBadge;
  }
}
