import { css } from 'lit';

/** The builder's own parts: toolbar, summary, the layer list's rows (their frame; the row content is <layer-row>). */
export const modelBuilderStyles = css`
  :host {
    container-type: inline-size;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
    margin-bottom: 0.75rem;
  }
  .presets {
    display: flex;
    gap: 0.4rem;
    align-items: center;
  }
  .presets button[aria-pressed='true'] {
    background: var(--lab-accent-bg);
    border-color: var(--lab-accent-strong);
    color: var(--lab-accent-text);
    font-weight: 600;
  }
  .name label {
    margin-right: 0.3rem;
  }
  .summary {
    margin: 0.25rem 0 0.75rem;
    font-size: 0.95rem;
  }
  .summary strong {
    font-variant-numeric: tabular-nums;
  }
  .workspace {
    display: grid;
    grid-template-columns: minmax(0, 1fr) 21rem;
    gap: 1.25rem;
    align-items: start;
  }
  /* Side by side only when the cell itself is wide enough, whatever the window. */
  @container (max-width: 54rem) {
    .workspace {
      /* minmax(0, …): a long row wraps instead of pushing the list out of the cell on a phone. */
      grid-template-columns: minmax(0, 1fr);
    }
    .diagram {
      position: static;
    }
  }
  .diagram {
    position: sticky;
    top: 4.5rem;
    border: 1px solid var(--lab-border);
    border-radius: 8px;
    padding: 0.5rem 0.75rem;
    background: var(--lab-cell-bg);
  }
  h3 {
    font-size: 1rem;
    margin: 0 0 0.5rem;
  }
  .kbd-hint {
    font-size: var(--lab-font-small);
    color: var(--lab-muted);
    margin: 0 0 0.4rem;
  }
`;

export const layerListStyles = css`
  ol.layers {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li.layer {
    position: relative;
    border: 1px solid var(--lab-border);
    border-left: 5px solid var(--type-color);
    border-radius: var(--lab-radius);
    padding: 0.35rem 0.6rem 0.45rem;
    margin-bottom: 0.35rem;
    background: var(--lab-cell-bg);
  }
  li.layer:focus-visible,
  li.layer:focus-within {
    outline: 2px solid color-mix(in srgb, var(--lab-accent-strong) 20%, transparent);
  }
  li.layer.invalid {
    border-color: var(--lab-danger);
    border-left-color: var(--lab-danger);
    background: var(--lab-danger-field-bg);
  }
  li.drop-before {
    box-shadow: 0 -3px 0 var(--lab-accent-strong);
  }
  li.drop-after {
    box-shadow: 0 3px 0 var(--lab-accent-strong);
  }
  .layer-error {
    margin: 0.35rem 0 0 1.9rem;
    color: var(--lab-danger-text);
    font-size: 0.88rem;
    font-weight: 500;
  }
  .add {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem 0.6rem;
    margin-top: 0.6rem;
    padding: 0.6rem;
    border: 1px dashed var(--lab-control-border);
    border-radius: var(--lab-radius);
  }
  .add select {
    font: inherit;
    max-width: 16rem;
  }
`;
