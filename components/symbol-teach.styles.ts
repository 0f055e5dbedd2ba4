import { css } from 'lit';

/** <symbol-teach>: settings in a row, the actions, a progress line, the report. */
export const symbolTeachStyles = css`
  :host {
    display: block;
  }
  .settings {
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-2) var(--lab-space-4);
    align-items: flex-start;
  }
  .settings .field {
    flex: 1 1 12rem;
    max-width: 18rem;
  }
  .settings .hint {
    margin: 0.15rem 0 0;
  }
  .check {
    flex-basis: 100%;
    font-size: 0.9rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-2);
    margin: var(--lab-space-3) 0;
  }
  .progress {
    display: grid;
    gap: var(--lab-space-1);
    font-size: var(--lab-font-small);
    margin-bottom: var(--lab-space-3);
  }
  progress {
    width: min(24rem, 100%);
  }
  .report p {
    margin: 0 0 var(--lab-space-2);
  }
  symbol-confusion {
    margin: var(--lab-space-2) 0 var(--lab-space-3);
  }
`;
