import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LabModel } from '../src/model/lab-model';
import type { LabState } from '../src/state/lab-state';
import { ensureModel } from '../src/state/actions';
import { modelBaseUrl } from './config';
import type { CellStatus, StatusSource } from './lab-cell';
import { LabStateController } from './lab-context';

export interface LabModelControllerOptions {
  /** Load the lab's model (the shipped one when the lab has none) as soon as the host is in the page. Default true. */
  autoLoad?: boolean;
  /** Runs when the lab's model is replaced (trained, uploaded), before the host re-renders. */
  onModelChanged?: (model: LabModel | null) => void;
}

/** Rejects with an AbortError when `signal` aborts; `work` itself goes on (it is shared with other cells). */
function abortable<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The lab's current model for a cell: loads it through `ensureModel` (once for the whole lab), follows it when it
 * is replaced, and says whether what the cell shows is stale.
 *
 * With `@lit/task`, give the task `args: () => [this.labModel.model]` and, in the task, `await
 * this.labModel.load(signal)` when the model is still null; call `markFresh(model)` once the result for `model` is
 * ready. The controller is itself a status source for `LabCell.statusFrom`.
 */
export class LabModelController implements ReactiveController, StatusSource {
  private readonly lab: LabStateController<'model'>;
  private shown: LabModel | null = null;
  private pending: Promise<LabModel> | null = null;
  private wantsLoad = false;
  private _loading = false;
  private _error: string | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: LabModelControllerOptions = {},
  ) {
    this.lab = new LabStateController(host, ['model'], () => this.options.onModelChanged?.(this.model));
    host.addController(this);
  }

  /** The lab state, once the host is inside <lab-app>. */
  get state(): LabState | undefined {
    return this.lab.state;
  }

  /** The lab's current model, or null while none is loaded. */
  get model(): LabModel | null {
    return this.lab.get('model') ?? null;
  }

  /** True while the model is being loaded for this host. */
  get loading(): boolean {
    return this._loading;
  }

  /** Why the last load failed, or null. */
  get error(): string | null {
    return this._error;
  }

  /** As a status source: busy while loading, error after a failed load, ready once there is a model. */
  get status(): CellStatus {
    if (this._loading) return 'busy';
    if (this._error) return 'error';
    return this.model ? 'ready' : 'idle';
  }

  /** The model the host last rendered a result for (see markFresh). */
  get shownModel(): LabModel | null {
    return this.shown;
  }

  /** True when the lab's model changed since the host last rendered a result (a result exists and is older). */
  get stale(): boolean {
    return this.shown !== null && this.shown !== this.model;
  }

  /** The host has rendered a result for `model` (default: the current one). */
  markFresh(model: LabModel | null = this.model): void {
    this.shown = model;
  }

  /**
   * Resolves with the lab's model, loading the shipped one if the lab has none. `signal` abandons the wait (the
   * promise rejects with the signal's reason); the shared load goes on for the other cells.
   */
  load(signal?: AbortSignal): Promise<LabModel> {
    const current = this.model;
    if (current) return Promise.resolve(current);
    const state = this.state;
    if (!state) return Promise.reject(new Error('This cell is not inside the lab, so it has no model to load.'));
    if (!this.pending) {
      this._loading = true;
      this._error = null;
      this.host.requestUpdate();
      this.pending = ensureModel(state, modelBaseUrl()).then(
        (model) => {
          this.settle(null);
          return model;
        },
        (error: unknown) => {
          this.settle(error instanceof Error ? error.message : String(error));
          throw error;
        },
      );
    }
    return abortable(this.pending, signal);
  }

  private settle(error: string | null): void {
    this.pending = null;
    this._loading = false;
    this._error = error;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.wantsLoad = this.options.autoLoad ?? true;
  }

  hostUpdated(): void {
    // Load once the host is in the page and has the lab state (the context arrives on connect).
    if (!this.wantsLoad || !this.state) return;
    this.wantsLoad = false;
    if (!this.model) void this.load().catch(() => {});
  }

  hostDisconnected(): void {
    this.wantsLoad = false;
  }
}
