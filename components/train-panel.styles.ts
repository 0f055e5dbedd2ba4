import { css } from 'lit';
import { fieldStyles, partStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** The hyperparameter form (<train-settings-form>): the shared field styles in a grid. */
export const trainFormStyles = [
  tokens,
  fieldStyles,
  css`
    :host {
      display: block;
    }
    .settings {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
      gap: 0.75rem 1rem;
      border: none;
      padding: 0;
      margin: 0 0 1rem;
    }
    .check {
      display: flex;
      align-items: center;
      gap: 0.4rem;
      font-weight: 600;
      font-size: 0.9rem;
    }
  `,
];

/** The training cell's own layout (<train-panel>). */
export const trainPanelStyles = css`
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin: 0.5rem 0;
  }
  .model-line {
    font-size: 0.9rem;
    color: var(--lab-muted);
    margin: 0 0 0.75rem;
  }
  .confirm {
    padding: 0.6rem 0.8rem;
    border-radius: var(--lab-radius);
    background: var(--lab-warning-bg);
    border: 1px solid var(--lab-warning-border);
    margin: 0.75rem 0;
  }
  .export {
    margin: 0 0 0.75rem;
  }
  .export summary {
    cursor: pointer;
    color: var(--lab-accent-text);
    font-size: 0.9rem;
  }
  .confirm .controls {
    margin-bottom: 0;
  }
  h3 {
    font-size: 1rem;
    margin: 1.5rem 0 0.5rem;
    border-top: 1px solid var(--lab-border-subtle);
    padding-top: 1rem;
  }
`;

/** "Your model" (<model-files>): the shared controls and messages, files in a row. */
export const modelFilesStyles = [
  ...partStyles,
  css`
    .files {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem 1.5rem;
      align-items: end;
    }
    label {
      display: block;
      font-size: 0.9rem;
      font-weight: 600;
    }
    input[type='file'] {
      max-width: 100%;
    }
    .hint {
      font-size: var(--lab-font-small);
      color: var(--lab-muted);
    }
  `,
];

/** Progress line and bar (<train-progress>). */
export const trainProgressStyles = css`
  :host {
    display: block;
    margin: 0.75rem 0;
  }
  progress {
    width: 100%;
    height: 0.9rem;
  }
  .text {
    font-size: 0.9rem;
    font-variant-numeric: tabular-nums;
  }
`;

/** Live curves (<train-curves>). */
export const trainCurvesStyles = [tokens, css`
  :host {
    display: block;
  }
  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(18rem, 100%), 1fr));
    gap: 0.5rem 1.25rem;
  }
  .chart-title {
    font-size: 0.85rem;
    font-weight: 600;
    margin: 0.75rem 0 0.25rem;
  }
  .hint {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
  }
  .table-wrap {
    overflow-x: auto;
    max-width: 100%;
  }
  table {
    border-collapse: collapse;
    font-size: 0.85rem;
    margin: 0.5rem 0;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    border-bottom: 1px solid var(--lab-border-subtle);
    padding: 0.25rem 0.6rem;
    text-align: left;
  }
`];
