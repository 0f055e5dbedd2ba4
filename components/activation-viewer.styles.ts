import { css } from 'lit';

/** The activation cell: a stale result fades until the new model's answer replaces it. */
export const activationViewerStyles = css`
  :host([stale]) .layers {
    opacity: 0.45;
  }
`;
