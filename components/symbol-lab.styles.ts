import { css } from 'lit';

/** <symbol-lab>: classes, pad and answer side by side on a wide screen, stacked on a phone; the steps below. */
export const symbolLabStyles = css`
  .layout {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem 1.5rem;
    align-items: flex-start;
  }
  .classes {
    flex: 1 1 14rem;
    max-width: 20rem;
  }
  .draw {
    flex: 0 1 280px;
  }
  .result {
    flex: 1 1 14rem;
    min-width: 12rem;
  }
  h3 {
    margin: 1.25rem 0 0.5rem;
    font-size: 1rem;
  }
  .layout h3 {
    margin-top: 0;
  }
  .result .note {
    margin-top: var(--lab-space-2);
  }
`;
