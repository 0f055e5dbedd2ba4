import { css } from 'lit';

export const modelCostStyles = css`
  :host {
    display: block;
  }
  /* On a phone the table scrolls sideways inside the cell instead of spilling out of it. */
  .scroll {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.9rem;
    margin-top: 0.5rem;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding-bottom: 0.4rem;
  }
  th,
  td {
    padding: 0.25rem 0.5rem;
    border-bottom: 1px solid var(--lab-surface-hover);
    text-align: left;
  }
  td.n,
  th.n {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  tfoot td,
  tfoot th {
    font-weight: 700;
    border-top: 2px solid var(--lab-border);
  }
  tr.invalid td {
    color: var(--lab-danger-text);
  }
  .estimate {
    margin: 0.6rem 0 0;
    font-size: 0.92rem;
  }
  .estimate small {
    display: block;
    color: var(--lab-muted);
  }
`;
