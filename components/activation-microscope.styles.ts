import { css } from 'lit';

/** The mistake microscope: top answers, the contrast map, and the nearest training digits in a row. */
export const activationMicroscopeStyles = css`
  :host {
    display: block;
    margin: var(--lab-space-4) 0;
    padding-top: var(--lab-space-3);
    border-top: 1px solid var(--lab-border);
  }
  h3 {
    font-size: 0.95rem;
    margin: 0 0 0.4rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--lab-space-4) 2rem;
    align-items: flex-start;
  }
  ol.top {
    margin: 0;
    padding-left: 1.2rem;
    font-variant-numeric: tabular-nums;
  }
  canvas.contrast {
    width: 112px;
    height: 112px;
    image-rendering: pixelated;
    border-radius: 4px;
    background: #000;
    display: block;
  }
  .legend {
    font-size: var(--lab-font-small);
    max-width: 18rem;
  }
  .red {
    color: #d1242f;
    font-weight: 600;
  }
  .blue {
    color: #1f6feb;
    font-weight: 600;
  }
  ul.neighbours {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(4.2rem, 1fr));
    gap: 0.5rem;
    list-style: none;
    padding: 0;
    margin: 0.4rem 0;
  }
  ul.neighbours li {
    text-align: center;
    font-size: 0.75rem;
  }
  ul.neighbours canvas {
    width: 56px;
    height: 56px;
    image-rendering: pixelated;
    border-radius: 4px;
    display: block;
    margin: 0 auto 0.2rem;
  }
  .other {
    color: var(--lab-danger);
    font-weight: 600;
  }
  .note {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
  }
`;
