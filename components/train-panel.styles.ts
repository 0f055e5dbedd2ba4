import { css } from 'lit';

/** The hyperparameter form (<train-settings-form>). */
export const trainFormStyles = css`
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
  .field label {
    display: block;
    font-weight: 600;
    font-size: 0.9rem;
  }
  .field input[type='text'],
  .field select {
    font: inherit;
    width: 100%;
    box-sizing: border-box;
    padding: 0.25rem 0.4rem;
    border: 1px solid var(--lab-control-border, #8c959f);
    border-radius: 6px;
  }
  .field input[aria-invalid='true'] {
    border-color: var(--lab-danger, #cf222e);
    background: var(--lab-danger-bg, #fff5f5);
  }
  .hint {
    font-size: 0.75rem;
    color: var(--lab-muted, #57606a);
  }
  .field-error {
    font-size: 0.8rem;
    color: var(--lab-danger-text, #82071e);
    margin-top: 0.2rem;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.4rem;
    font-weight: 600;
    font-size: 0.9rem;
  }
`;

/** The training cell's own layout (<train-panel>). */
export const trainPanelStyles = css`
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin: 0.5rem 0;
  }
  .model-line,
  .hint {
    font-size: 0.9rem;
    color: var(--lab-muted, #57606a);
    margin: 0 0 0.75rem;
  }
  .note {
    padding: 0.5rem 0.75rem;
    border-radius: 6px;
    background: var(--lab-info-bg, #ddf4ff);
    border: 1px solid var(--lab-info-border, #b6e3ff);
    margin: 0.75rem 0;
  }
  .confirm {
    padding: 0.6rem 0.8rem;
    border-radius: 6px;
    background: var(--lab-warning-bg, #fff8c5);
    border: 1px solid var(--lab-warning-border, #d4a72c);
    margin: 0.75rem 0;
  }
  .confirm .controls {
    margin-bottom: 0;
  }
  h3 {
    font-size: 1rem;
    margin: 1.5rem 0 0.5rem;
    border-top: 1px solid var(--lab-border, #d8dee4);
    padding-top: 1rem;
  }
`;

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
export const trainCurvesStyles = css`
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
    font-size: 0.75rem;
    color: var(--lab-muted, #57606a);
  }
  .chart {
    min-width: 0;
    overflow-x: auto;
  }
`;
