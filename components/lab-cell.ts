import { TaskStatus } from '@lit/task';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { buttonStyles, fieldStyles, noteStyles, visuallyHiddenStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

// Older imports take the shared style from here.
export { visuallyHiddenStyles };

export type CellStatus = 'idle' | 'busy' | 'ready' | 'error';

/** What a cell's status can follow: a `@lit/task` Task, or anything that reports a status and an error the same way. */
export interface StatusSource {
  readonly status: TaskStatus | CellStatus;
  readonly error: unknown;
}

const TASK_STATUS: Record<TaskStatus, CellStatus> = {
  [TaskStatus.INITIAL]: 'idle',
  [TaskStatus.PENDING]: 'busy',
  [TaskStatus.COMPLETE]: 'ready',
  [TaskStatus.ERROR]: 'error',
};

const asCellStatus = (status: TaskStatus | CellStatus): CellStatus => (typeof status === 'number' ? TASK_STATUS[status] : status);

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Base of every interactive cell: reflects `status` (idle | busy | ready | error) as an attribute, shows an error
 * in role="alert", and gives a consistent frame. A cell that runs its work through `@lit/task` calls
 * `statusFrom(task, …)` once and its status follows the task.
 */
export class LabCell extends LitElement {
  static properties = {
    status: { type: String, reflect: true },
    errorMessage: { state: true },
  };

  declare status: CellStatus;
  declare errorMessage: string | null;

  private statusSources: readonly StatusSource[] = [];
  private lastDerived = '';

  static cellStyles = css`
    ${tokens}
    ${buttonStyles}
    ${fieldStyles}
    ${noteStyles}
    ${visuallyHiddenStyles}
    :host {
      display: block;
      margin: 1.5rem 0;
      padding: 1rem 1.25rem;
      border: 1px solid var(--lab-border);
      border-radius: var(--lab-radius-lg);
      background: var(--lab-cell-bg);
      box-shadow: 0 1px 2px var(--lab-shadow);
    }
    .cell-title {
      margin: 0 0 0.75rem;
      font-size: 0.8rem;
      font-weight: 600;
      letter-spacing: 0.06em;
      text-transform: uppercase;
      color: var(--lab-muted);
    }
    .placeholder {
      color: var(--lab-muted);
      font-style: italic;
    }
    @media (max-width: 760px) {
      :host {
        margin: 1rem 0;
        padding: 0.75rem;
      }
    }
  `;

  static styles = [LabCell.cellStyles];

  constructor() {
    super();
    this.status = 'idle';
    this.errorMessage = null;
  }

  /**
   * Derives `status` and the error shown from `sources` (tasks, the model controller): any error → error, else any
   * busy → busy, else the last source's status. It is re-derived whenever a source changes, so an error the cell
   * reports itself with `fail()` stays until then.
   */
  protected statusFrom(...sources: StatusSource[]): void {
    this.statusSources = sources;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (!this.statusSources.length) return;
    const statuses = this.statusSources.map((s) => asCellStatus(s.status));
    const failed = this.statusSources.find((_source, i) => statuses[i] === 'error');
    const key = statuses.join() + (failed ? `:${errorText(failed.error)}` : '');
    if (key === this.lastDerived) return;
    this.lastDerived = key;
    if (failed) {
      this.fail(failed.error);
      return;
    }
    this.clearError();
    this.status = statuses.includes('busy') ? 'busy' : statuses[statuses.length - 1];
  }

  /** Shows an error in the cell and marks it `error`. */
  protected fail(error: unknown): void {
    this.errorMessage = errorText(error);
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
