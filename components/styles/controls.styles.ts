import { css } from 'lit';
import { tokens } from './tokens';

/** Buttons: plain, `.primary`, disabled. */
export const buttonStyles = css`
  button {
    font: inherit;
    padding: 0.35rem 0.9rem;
    border-radius: var(--lab-radius);
    border: 1px solid var(--lab-control-border);
    background: var(--lab-surface);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--lab-surface-hover);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button.primary {
    background: var(--lab-accent);
    border-color: var(--lab-accent);
    color: var(--lab-on-accent);
  }
  button.primary:hover:not(:disabled) {
    background: var(--lab-accent-strong);
  }
  /* A finger needs a target of at least 44 px (WCAG 2.5.5). */
  @media (pointer: coarse) {
    button,
    input[type='file'] {
      min-height: 44px;
    }
    input[type='file']::file-selector-button {
      padding: 0.6rem 0.9rem;
    }
  }
`;

/**
 * Form fields. Wrap a label and its control in `.field`; put help in `.hint` and a field's problem in `.field-error`
 * (tie it to the control with aria-describedby and set aria-invalid="true").
 */
export const fieldStyles = css`
  .field label {
    display: block;
    font-weight: 600;
    font-size: 0.9rem;
  }
  .field input:not([type='checkbox']):not([type='radio']):not([type='range']):not([type='file']),
  .field select {
    font: inherit;
    width: 100%;
    box-sizing: border-box;
    padding: 0.25rem 0.4rem;
    border: 1px solid var(--lab-control-border);
    border-radius: var(--lab-radius);
  }
  .hint {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
  }
  [aria-invalid='true'] {
    border-color: var(--lab-danger);
    outline-color: var(--lab-danger);
    background: var(--lab-danger-field-bg);
  }
  .field-error {
    margin: 0.2rem 0 0;
    font-size: var(--lab-font-small);
    color: var(--lab-danger-text);
  }
  /* A finger needs a target of at least 44 px (WCAG 2.5.5); a checkbox's target is its label. */
  @media (pointer: coarse) {
    select,
    input:not([type='checkbox']):not([type='radio']):not([type='file']) {
      min-height: 44px;
    }
    input[type='checkbox'],
    input[type='radio'] {
      width: 1.25rem;
      height: 1.25rem;
    }
    label:has(> input[type='checkbox']),
    label:has(> input[type='radio']) {
      min-height: 44px;
    }
  }
`;

/**
 * Messages: `.note` (small muted remark), `.note.info` (boxed information), `.alert` (an error, with role="alert"),
 * `.stale-note` (a pill saying the result shown belongs to an older model or input).
 */
export const noteStyles = css`
  .note {
    margin: 0 0 var(--lab-space-3);
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
  }
  .note.info {
    padding: var(--lab-space-2) var(--lab-space-3);
    border-radius: var(--lab-radius);
    background: var(--lab-accent-bg);
    border: 1px solid var(--lab-accent-border);
    margin: var(--lab-space-3) 0;
    font-size: inherit;
    color: inherit;
  }
  .alert {
    margin: var(--lab-space-3) 0;
    padding: 0.6rem 0.8rem;
    border-radius: var(--lab-radius);
    background: var(--lab-danger-bg);
    border: 1px solid var(--lab-danger-border);
    color: var(--lab-danger-text);
  }
  .stale-note {
    display: inline-block;
    padding: 0.1rem 0.6rem;
    border-radius: var(--lab-radius-pill);
    background: var(--lab-warning-bg);
    border: 1px solid var(--lab-warning-border);
    font-size: var(--lab-font-small);
  }
`;

/** Text for screen readers only. */
export const visuallyHiddenStyles = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** What most sub-elements start from: the tokens, buttons and messages, as a block. */
export const partStyles = [
  tokens,
  buttonStyles,
  noteStyles,
  css`
    :host {
      display: block;
    }
  `,
];
