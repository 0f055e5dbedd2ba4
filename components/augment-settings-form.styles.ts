import { css } from 'lit';

/** The augmentation settings: an on/off switch, then one row per range (label, slider, text box) with help. */
export const augmentSettingsFormStyles = css`
  :host {
    display: block;
  }
  .switch {
    display: flex;
    align-items: center;
    gap: var(--lab-space-2);
    font-weight: 600;
    margin-bottom: var(--lab-space-3);
  }
  .switch input {
    width: 1.1rem;
    height: 1.1rem;
  }
  .fields {
    display: grid;
    grid-template-columns: minmax(8rem, max-content) minmax(6rem, 1fr) 4.5rem;
    gap: 0.2rem var(--lab-space-3);
    align-items: center;
  }
  .fields.off {
    opacity: 0.6;
  }
  .fields label {
    font-weight: 600;
  }
  .fields .unit {
    font-weight: 400;
    color: var(--lab-muted);
    font-size: var(--lab-font-small);
  }
  .fields input[type='text'] {
    font: inherit;
    width: 100%;
    box-sizing: border-box;
    padding: 0.2rem 0.35rem;
    text-align: right;
  }
  .fields input[aria-invalid='true'] {
    border: 2px solid var(--lab-danger);
  }
  .help {
    grid-column: 1 / -1;
    margin: 0 0 0.45rem;
    font-size: 0.8rem;
    color: var(--lab-muted);
  }
  .help code {
    font-size: 0.95em;
  }
  .fields .field-error {
    grid-column: 1 / -1;
    margin: 0 0 0.4rem;
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-2);
    margin: var(--lab-space-3) 0 var(--lab-space-4);
  }
`;
