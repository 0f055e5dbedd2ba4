import { css } from 'lit';
import { partStyles } from './styles/controls.styles';

/** <dataset-loading>: a labelled progress bar, or the alert and its retry button. */
export const datasetLoadingStyles = [
  ...partStyles,
  css`
    p {
      display: flex;
      align-items: center;
      gap: 0.4rem;
    }
    progress {
      width: 12rem;
    }
  `,
];
