import { css } from 'lit';

/** <symbol-gallery>: a row of small white-on-black thumbnails per class, each with a small Delete button. */
export const symbolGalleryStyles = css`
  :host {
    display: block;
  }
  section {
    margin: 0 0 var(--lab-space-3);
  }
  h4 {
    margin: 0 0 var(--lab-space-1);
    font-size: var(--lab-font-small);
    font-weight: 400;
    color: var(--lab-muted);
  }
  h4 .name {
    font-size: 1.05rem;
    font-weight: 600;
    color: var(--lab-text);
    margin-right: var(--lab-space-1);
  }
  ol {
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-1);
    margin: 0;
    padding: 0;
  }
  li {
    position: relative;
  }
  canvas {
    display: block;
    width: 42px;
    height: 42px;
    image-rendering: pixelated;
    border-radius: 4px;
    background: #000;
  }
  li button {
    position: absolute;
    top: -4px;
    right: -4px;
    width: 1.3rem;
    height: 1.3rem;
    padding: 0;
    line-height: 1;
    font-size: 0.85rem;
    border-radius: var(--lab-radius-pill);
    background: var(--lab-cell-bg);
  }
`;
