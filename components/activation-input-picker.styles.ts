import { css } from 'lit';

/** One wrapping row of input controls. */
export const activationInputPickerStyles = css`
  :host {
    display: block;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-2) 1.25rem;
    align-items: center;
    margin-bottom: var(--lab-space-3);
    font-size: 0.9rem;
  }
  label {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    align-items: center;
    /* A long choice (the saliency method) shrinks to the row on a phone instead of running off it. */
    min-width: 0;
    max-width: 100%;
  }
  select {
    min-width: 0;
    max-width: 100%;
    font: inherit;
  }
  input[type='number'] {
    width: 6rem;
    font: inherit;
  }
  /* A finger needs a target of at least 44 px (WCAG 2.5.5). */
  @media (pointer: coarse) {
    label,
    select,
    input[type='number'] {
      min-height: 44px;
    }
  }
`;
