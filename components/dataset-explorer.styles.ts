import { css } from 'lit';

/** <dataset-explorer>: the split/class/page controls above the grid and the enlarged digit. */
export const datasetExplorerStyles = css`
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1.25rem;
    margin-bottom: 0.9rem;
  }
  .control {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
  }
  select,
  input {
    font: inherit;
    padding: 0.2rem 0.3rem;
  }
  input.page {
    width: 4.5rem;
    text-align: right;
  }
  /* The shared .field-error, on a line of its own under the controls. */
  .field-error {
    flex-basis: 100%;
    margin: 0;
  }
  .browse {
    display: grid;
    grid-template-columns: max-content minmax(14rem, 1fr);
    gap: 1.25rem;
    align-items: start;
  }
  .muted {
    color: var(--lab-muted);
    font-size: var(--lab-font-small);
    margin: 0;
  }
  @media (max-width: 900px) {
    .browse {
      grid-template-columns: minmax(0, 1fr);
    }
  }
`;
