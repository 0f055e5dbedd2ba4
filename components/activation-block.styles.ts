import { css } from 'lit';

/** One block of the network: a collapsible heading, the block's output, and its inner steps on demand. */
export const activationBlockStyles = css`
  :host {
    display: block;
  }
  details.block {
    border-top: 1px solid var(--lab-border);
    padding: var(--lab-space-2) 0;
  }
  summary {
    cursor: pointer;
    font-weight: 600;
    font-size: 0.95rem;
    padding: 0.2rem 0;
  }
  summary small {
    font-weight: normal;
    color: var(--lab-muted);
  }
  .steps-line {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
    margin: 0 0 0.2rem;
  }
  details.inner {
    margin: 0 0 0 1rem;
  }
  details.inner > summary {
    font-weight: normal;
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
  }
`;
