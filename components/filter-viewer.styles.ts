import { css } from 'lit';

/** The filter cell: a stale result fades until the new model's filters replace it. */
export const filterViewerStyles = css`
  :host([stale]) .layers {
    opacity: 0.45;
    transition: opacity 0.2s;
  }
`;
