import { css } from 'lit';

/** <symbol-pad>: the draw cell's pad styles, with the Add button on a line of its own. */
export const symbolPadStyles = css`
  :host {
    display: block;
  }
  .controls .add {
    flex-basis: 100%;
  }
`;
