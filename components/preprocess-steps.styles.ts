import { css } from 'lit';
import { tokens } from './styles/tokens';

/** <preprocess-steps>: a row of small black frames, one per step, with captions. */
export const preprocessStepsStyles = [
  tokens,
  css`
    :host {
      display: block;
    }
    .steps {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      margin-top: 1.25rem;
    }
    figure {
      margin: 0;
      text-align: center;
    }
    figcaption {
      font-size: 0.8rem;
      color: var(--lab-muted);
      max-width: 96px;
    }
    .frame {
      width: 84px;
      height: 84px;
      display: flex;
      align-items: center;
      justify-content: center;
      /* Black as MNIST's background: the frame is part of the picture, not a theme colour. */
      background: #000;
      border-radius: 4px;
      margin: 0 auto;
    }
    canvas.step {
      display: block;
      image-rendering: pixelated;
    }
    .steps-empty {
      color: var(--lab-muted);
      font-style: italic;
      font-size: 0.9rem;
    }
  `,
];
