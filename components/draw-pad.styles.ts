import { css } from 'lit';

/**
 * <draw-pad>: the pad and its controls beside the answer, the preparation steps below. Where the answer would wrap
 * under the pad (a phone), its line moves right above the pad, so it stays in sight while drawing.
 */
export const drawPadStyles = css`
  .layout {
    container: draw-layout / inline-size;
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
    /* A finger draws: no scrolling, zooming, text selection or long-press menu from the pad. */
    touch-action: none;
    user-select: none;
    -webkit-user-select: none;
    -webkit-touch-callout: none;
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
  /* One line of fixed height: the pad must not move while the answer changes under a finger. */
  .pad-answer {
    display: none;
    margin: 0 0 0.4rem;
    height: 2.5rem;
    white-space: nowrap;
    align-items: center;
    gap: 0.3rem;
    font-size: 1.05rem;
  }
  .pad-answer strong {
    font-size: 2rem;
    line-height: 1;
  }
  .pad-answer span {
    color: var(--lab-muted);
  }
  /* 280 px pad + gap + the answer column's 240 px: narrower than this, the answer would wrap under the pad. */
  @container draw-layout (max-width: 551px) {
    .pad-answer {
      display: flex;
    }
    digit-prediction::part(answer) {
      display: none;
    }
    .result {
      min-width: 0;
    }
  }
  @media (pointer: coarse) {
    .controls button {
      min-width: 44px;
    }
  }
`;
