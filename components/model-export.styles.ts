import { css } from 'lit';

export const modelExportStyles = css`
  :host {
    display: block;
    margin-top: 1.25rem;
  }
  h3 {
    font-size: 1rem;
    margin: 0 0 0.5rem;
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    align-items: center;
  }
  button[aria-pressed='true'] {
    background: var(--lab-accent-bg);
    border-color: var(--lab-accent-strong);
  }
  .copy-note {
    font-size: 0.88rem;
    color: var(--lab-success);
  }
  pre {
    max-height: 22rem;
    overflow: auto;
    background: var(--lab-surface);
    border: 1px solid var(--lab-border);
    border-radius: var(--lab-radius);
    padding: 0.6rem 0.8rem;
    font-size: 0.8rem;
    line-height: 1.45;
  }
  .import {
    margin-top: 0.5rem;
  }
  .import summary {
    cursor: pointer;
    font-weight: 600;
  }
  .import-body {
    display: grid;
    gap: 0.4rem;
    margin-top: 0.5rem;
  }
  .import textarea {
    font: 0.8rem ui-monospace, monospace;
    width: 100%;
    box-sizing: border-box;
  }
  .import-error {
    margin: 0.35rem 0 0;
    color: var(--lab-danger-text);
    font-size: 0.88rem;
    font-weight: 500;
  }
`;
