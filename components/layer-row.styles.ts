import { css } from 'lit';

export const layerRowStyles = css`
  :host {
    display: block;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.5rem;
  }
  .handle {
    cursor: grab;
    color: var(--lab-control-border);
    user-select: none;
    font-size: 1.1rem;
    line-height: 1;
    padding: 0 0.1rem;
  }
  .num {
    color: var(--lab-muted);
    font-variant-numeric: tabular-nums;
    min-width: 1.4rem;
  }
  .type {
    font-weight: 600;
  }
  .out {
    color: var(--lab-muted);
    font-size: var(--lab-font-small);
    font-variant-numeric: tabular-nums;
    margin-right: auto;
  }
  /* The buttons wrap together onto a line of their own when the row is narrow. */
  .actions {
    display: flex;
    gap: 0.5rem;
    margin-left: auto;
  }
  .head button {
    padding: 0.1rem 0.45rem;
    font-size: 0.8rem;
  }
  .fields {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem 0.9rem;
    margin: 0.3rem 0 0 1.9rem;
    font-size: 0.88rem;
  }
  .field {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
  }
  .fields input {
    width: 4.2rem;
    font: inherit;
  }
  .fields select {
    font: inherit;
  }
  .hint {
    margin: 0.2rem 0 0 1.9rem;
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
  }
  /* A finger needs a target of at least 44 px (WCAG 2.5.5). */
  @media (pointer: coarse) {
    .fields input,
    .fields select {
      min-height: 44px;
    }
  }
`;
