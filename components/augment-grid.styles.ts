import { css } from 'lit';

/** The chosen digit, large, above a 4×4 grid of its augmentations. */
export const augmentGridStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    gap: var(--lab-space-4);
  }
  figure {
    margin: 0;
  }
  figcaption {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
    margin-top: 0.35rem;
    max-width: 15rem;
  }
  canvas {
    image-rendering: pixelated;
    border-radius: 3px;
    display: block;
  }
  canvas.original {
    width: 112px;
    height: 112px;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(4, 56px);
    gap: 5px;
  }
  .grid canvas {
    width: 56px;
    height: 56px;
  }
`;
