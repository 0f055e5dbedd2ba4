import { css } from 'lit';
import { buttonStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** <dataset-stats>: two charts side by side, the mean images below. */
export const datasetStatsStyles = [
  tokens,
  buttonStyles,
  css`
  :host {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(20rem, 100%), 1fr));
    gap: 1.25rem;
    margin-top: 1.5rem;
  }
  figure {
    margin: 0;
  }
  figcaption {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
    margin-top: 0.3rem;
  }
  figure h3 {
    font-size: 0.95rem;
    margin: 0 0 0.4rem;
  }
  svg {
    width: 100%;
    height: auto;
    font-size: 11px;
  }
  svg .axis-label,
  svg .legend {
    font-size: 11px;
    fill: var(--lab-text);
  }
  .means {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(4.6rem, 1fr));
    gap: 0.4rem;
  }
  .means .count {
    font-size: var(--lab-font-tiny);
    color: var(--lab-muted);
  }
  .means button {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.15rem;
    padding: 0.3rem;
    background: var(--lab-cell-bg);
  }
  .means button[aria-pressed='true'] {
    border-color: var(--lab-highlight);
    background: color-mix(in srgb, var(--lab-highlight) 10%, var(--lab-cell-bg));
  }
  .means canvas {
    width: 48px;
    height: 48px;
    image-rendering: pixelated;
  }
  .muted {
    color: var(--lab-muted);
    font-size: var(--lab-font-small);
    margin: 0;
  }
  .wide {
    grid-column: 1 / -1;
  }
`,
];
