import { css } from 'lit';

/** <symbol-classes>: a compact list of classes with their counts, and the add field below. */
export const symbolClassesStyles = css`
  :host {
    display: block;
  }
  fieldset {
    border: 1px solid var(--lab-border);
    border-radius: var(--lab-radius);
    margin: 0 0 var(--lab-space-3);
    padding: var(--lab-space-2) var(--lab-space-3);
  }
  legend {
    font-weight: 600;
    font-size: 0.9rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    display: flex;
    align-items: center;
    gap: var(--lab-space-2);
    padding: 2px 0;
  }
  .choice {
    display: flex;
    align-items: center;
    gap: var(--lab-space-2);
    flex: 1 1 auto;
    min-width: 0;
  }
  .name {
    font-size: 1.2rem;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .count {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
    white-space: nowrap;
  }
  button.remove {
    padding: 0.1rem 0.5rem;
    font-size: var(--lab-font-small);
  }
  .row {
    display: flex;
    gap: var(--lab-space-2);
  }
  .row input {
    flex: 1 1 auto;
    min-width: 0;
  }
  .row button {
    flex: none;
  }
`;
