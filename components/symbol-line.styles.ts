import { css } from 'lit';

/**
 * <symbol-line>: the square line pad shown through a 3:1 window on its middle band (margin-top in % is a share of the
 * width), the characters found outlined over it, their 28×28 views below, then the reading.
 */
export const symbolLineStyles = css`
  :host {
    display: block;
  }
  .line-wrap {
    position: relative;
    width: 100%;
    max-width: 840px;
    aspect-ratio: 3 / 1;
    overflow: hidden;
    border: 2px solid var(--lab-control-border);
    border-radius: 8px;
    background: var(--lab-cell-bg);
    box-sizing: border-box;
  }
  .line-wrap:focus-within {
    outline: 3px solid var(--lab-accent);
    outline-offset: 2px;
  }
  canvas.line {
    display: block;
    width: 100%;
    margin-top: -33.3333%;
    touch-action: none;
    cursor: crosshair;
  }
  canvas.line:focus {
    outline: none;
  }
  .box {
    position: absolute;
    border: 1px dashed var(--lab-highlight);
    pointer-events: none;
  }
  .controls {
    display: flex;
    gap: var(--lab-space-2);
    margin: var(--lab-space-2) 0;
  }
  .chars {
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-2);
    margin: 0 0 var(--lab-space-2);
    padding: 0;
  }
  .chars li {
    display: grid;
    justify-items: center;
    gap: 2px;
    font-weight: 600;
  }
  canvas.char {
    width: 42px;
    height: 42px;
    image-rendering: pixelated;
    background: #000;
    border-radius: 4px;
  }
  .reading {
    font-size: 1.6rem;
    font-weight: 600;
    margin: 0 0 var(--lab-space-2);
    min-height: 1.5em;
  }
  .reading.empty {
    font-size: inherit;
    font-weight: 400;
    font-style: italic;
    color: var(--lab-muted);
  }
`;
