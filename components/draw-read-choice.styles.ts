import { css } from 'lit';

/** <draw-read-choice>: two radio choices in a small framed group, like the class list of lesson 7. */
export const drawReadChoiceStyles = css`
  :host {
    display: block;
    margin: 0 0 var(--lab-space-3);
  }
  fieldset {
    border: 1px solid var(--lab-border);
    border-radius: var(--lab-radius);
    margin: 0;
    padding: var(--lab-space-2) var(--lab-space-3);
  }
  legend {
    font-weight: 600;
    font-size: 0.9rem;
  }
  label {
    display: flex;
    gap: var(--lab-space-2);
    align-items: center;
    min-height: 2rem;
  }
  .hint {
    margin: var(--lab-space-1) 0 0;
  }
  .names {
    overflow-wrap: anywhere;
  }
  @media (pointer: coarse) {
    label {
      min-height: 44px;
    }
  }
`;
