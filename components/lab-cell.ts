import { css, html, LitElement, nothing } from 'lit';

/** Text for screen readers only. */
export const visuallyHiddenStyles = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

export type CellStatus = 'idle' | 'busy' | 'ready' | 'error';

/**
 * Base of every interactive cell: reflects `status` (idle | busy | ready | error) as an attribute, shows an error
 * in role="alert", and gives a consistent frame.
 */
export class LabCell extends LitElement {
  static properties = {
    status: { type: String, reflect: true },
    errorMessage: { state: true },
  };

  declare status: CellStatus;
  declare errorMessage: string | null;

  static cellStyles = css`
    ${visuallyHiddenStyles}
    :host {
      display: block;
      margin: 1.5rem 0;
      padding: 1rem 1.25rem;
      border: 1px solid var(--lab-border, #d8dee4);
      border-radius: 10px;
      background: var(--lab-cell-bg, #fff);
      box-shadow: 0 1px 2px rgb(0 0 0 / 4%);
    }
    .cell-title {
      margin: 0 0 0.75rem;
      font-size: 0.8rem;
      font-weight: 600;
      letter-spacing: 0.06em;
      text-transform: uppercase;
      color: var(--lab-muted, #57606a);
    }
    .alert {
      margin: 0.75rem 0;
      padding: 0.6rem 0.8rem;
      border-radius: 6px;
      background: #ffebe9;
      border: 1px solid #ffcecb;
      color: #82071e;
    }
    .placeholder {
      color: var(--lab-muted, #57606a);
      font-style: italic;
    }
    button {
      font: inherit;
      padding: 0.35rem 0.9rem;
      border-radius: 6px;
      border: 1px solid #8c959f;
      background: #f6f8fa;
      cursor: pointer;
    }
    button:hover:not(:disabled) {
      background: #eaeef2;
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    button.primary {
      background: #1f6feb;
      border-color: #1f6feb;
      color: #fff;
    }
  `;

  static styles = [LabCell.cellStyles];

  constructor() {
    super();
    this.status = 'idle';
    this.errorMessage = null;
  }

  /** Shows an error in the cell and marks it `error`. */
  protected fail(error: unknown): void {
    this.errorMessage = error instanceof Error ? error.message : String(error);
    this.status = 'error';
  }

  /** Marks the cell busy while `work` runs; a failure is shown in the cell. `work` sets the final status. */
  protected async busyWhile(work: () => Promise<void>): Promise<void> {
    this.status = 'busy';
    try {
      await work();
    } catch (error) {
      this.fail(error);
    }
  }

  protected clearError(): void {
    this.errorMessage = null;
  }

  protected renderError() {
    return this.errorMessage ? html`<div class="alert" role="alert">${this.errorMessage}</div>` : nothing;
  }
}
