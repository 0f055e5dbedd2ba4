import { css } from 'lit';
import { buttonStyles, noteStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** <dataset-loading>: a labelled progress bar, or the alert and its retry button. */
export const datasetLoadingStyles = [
  tokens,
  buttonStyles,
  noteStyles,
  css`
    :host {
      display: block;
    }
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
