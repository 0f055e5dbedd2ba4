import { css, html, LitElement } from 'lit';
import { tokens } from './styles/tokens';

/**
 * A confusion matrix as a table: one row per true class, one column per class read, the count in each cell, shaded
 * by the share of its row; the diagonal (read right) in the accent colour, mistakes in the danger colour.
 */
export class SymbolConfusion extends LitElement {
  static override properties = {
    labels: { attribute: false },
    counts: { attribute: false },
    caption: {},
  };

  declare labels: readonly string[];
  /** counts[true][read]. */
  declare counts: readonly (readonly number[])[];
  declare caption: string;

  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        overflow-x: auto;
        /* Scrolls sideways on a phone instead of widening the page (the table's width does not count outside). */
        contain: inline-size;
      }
      table {
        border-collapse: collapse;
        font-size: var(--lab-font-tiny);
        font-variant-numeric: tabular-nums;
      }
      caption {
        text-align: left;
        font-size: var(--lab-font-small);
        color: var(--lab-muted);
        margin-bottom: var(--lab-space-1);
      }
      th,
      td {
        min-width: 1.5rem;
        padding: 2px 3px;
        text-align: center;
        border: 1px solid var(--lab-border-subtle);
      }
      th {
        font-weight: 600;
        background: var(--lab-surface);
      }
      td.right {
        background: color-mix(in srgb, var(--lab-accent) calc(var(--share) * 60%), transparent);
      }
      td.wrong {
        background: color-mix(in srgb, var(--lab-danger) calc(var(--share) * 100% + 15%), transparent);
        color: var(--lab-danger-text);
        font-weight: 600;
      }
    `,
  ];

  constructor() {
    super();
    this.labels = [];
    this.counts = [];
    this.caption = '';
  }

  override render() {
    return html`<table>
      <caption>
        ${this.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col"><span title="true class (rows) read as (columns)">true ↓ read →</span></th>
          ${this.labels.map((l) => html`<th scope="col">${l}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${this.counts.map((row, t) => {
          const total = row.reduce((a, b) => a + b, 0) || 1;
          return html`<tr>
            <th scope="row">${this.labels[t]}</th>
            ${row.map((n, r) => html`<td class=${n === 0 ? '' : r === t ? 'right' : 'wrong'} style="--share: ${n / total}">${n || ''}</td>`)}
          </tr>`;
        })}
      </tbody>
    </table>`;
  }
}

customElements.define('symbol-confusion', SymbolConfusion);

declare global {
  interface HTMLElementTagNameMap {
    'symbol-confusion': SymbolConfusion;
  }
}
