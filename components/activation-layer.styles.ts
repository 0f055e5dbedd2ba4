import { css } from 'lit';

/** One layer's output: a heading, then feature maps, bars, or a note. */
export const activationLayerStyles = css`
  :host {
    display: block;
  }
  .layer {
    margin: var(--lab-space-4) 0;
    padding-top: var(--lab-space-3);
    border-top: 1px solid var(--lab-border);
  }
  h3 {
    font-size: 0.95rem;
    margin: 0 0 0.2rem;
  }
  h3 small {
    font-weight: normal;
    color: var(--lab-muted);
    overflow-wrap: anywhere;
  }
  .hover {
    font-size: 0.8rem;
    color: var(--lab-muted);
    min-height: 1.2em;
    margin: 0 0 0.3rem;
    font-variant-numeric: tabular-nums;
  }
  .maps {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  .maps canvas {
    width: var(--map-size, 56px);
    height: var(--map-size, 56px);
    image-rendering: pixelated;
    border-radius: 2px;
    cursor: crosshair;
  }
  .maps canvas:focus-visible {
    outline: 2px solid var(--lab-accent);
  }
  /* 256 bars with their gaps need ~512 px: on a narrow screen they scroll inside the cell instead of widening the
     page (contain: its content does not size the layers around it). */
  .vector {
    contain: inline-size;
    display: flex;
    align-items: flex-end;
    gap: 1px;
    height: 60px;
    max-width: 100%;
    overflow-x: auto;
    border-bottom: 1px solid var(--lab-control-border);
  }
  .vector span {
    flex: 1 1 0;
    min-width: 1px;
    max-width: 14px;
    background: #8250df;
  }
  .vector span.neg {
    background: var(--lab-danger);
  }
`;
