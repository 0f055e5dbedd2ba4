import { css } from 'lit';

/** <draw-pad>: the pad and its controls beside the answer, the preparation steps below. */
export const drawPadStyles = css`
  .layout {
    display: flex;
    flex-wrap: wrap;
    gap: 1.25rem 2rem;
    align-items: flex-start;
  }
  .pad-wrap {
    position: relative;
    width: min(280px, 100%);
  }
  canvas.pad {
    display: block;
    width: 100%;
    aspect-ratio: 1;
    /* The paper: ink is drawn dark on it. */
    background: var(--lab-cell-bg);
    border: 2px solid var(--lab-control-border);
    border-radius: 8px;
    touch-action: none;
    cursor: crosshair;
  }
  canvas.pad:focus-visible {
    outline: 3px solid var(--lab-accent);
    outline-offset: 2px;
  }
  .pad-wrap.dragging canvas.pad {
    border-color: var(--lab-accent);
    background: var(--lab-accent-bg);
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 0.75rem;
    align-items: center;
    margin-top: 0.6rem;
    max-width: 280px;
  }
  .controls label {
    display: flex;
    gap: 0.4rem;
    align-items: center;
    font-size: 0.9rem;
  }
  .controls label.file {
    flex-direction: column;
    align-items: flex-start;
  }
  .hint,
  .file-note,
  lab-model-badge {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
    margin: 0.4rem 0 0;
    max-width: 280px;
  }
  .file-note {
    color: var(--lab-success);
  }
  .result {
    flex: 1 1 260px;
    min-width: 240px;
  }
  .steps-title {
    margin-top: 1.25rem;
  }
  .look-inside {
    margin-top: 0.6rem;
  }
`;
