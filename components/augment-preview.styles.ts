import { css } from 'lit';

/** The augmentation cell: settings on the left, the preview on the right (stacked on narrow screens). */
export const augmentPreviewStyles = css`
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 1.5rem;
    align-items: start;
  }
  /* As wide as the pictures need; a long message (a failed download) wraps instead of squeezing the settings. */
  .side {
    max-width: 20rem;
  }
  @media (max-width: 900px) {
    .layout {
      grid-template-columns: 1fr;
    }
  }
`;
