import { css } from 'lit';

/** The input, large, beside what the network reads. */
export const saliencyViewStyles = css`
  :host {
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-4) 2rem;
    align-items: flex-start;
  }
  figure {
    margin: 0;
  }
  canvas.input {
    width: 140px;
    height: 140px;
    image-rendering: pixelated;
    border-radius: 4px;
    background: #000;
    display: block;
  }
  .explain {
    max-width: 28rem;
  }
`;
