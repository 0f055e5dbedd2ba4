import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MnistDataset, Split } from '../src/data/mnist';
import { ensureDataset } from '../src/state/actions';
import type { DatasetLoadState } from '../src/state/lab-state';
import { dataBaseUrl } from './config';
import { LabStateController } from './lab-context';

/** The splits' names as the lab shows them. */
export const SPLIT_NAMES: Record<Split, string> = { train: 'Training', test: 'Test' };

export interface LabDatasetOptions {
  /**
   * 'eager': ask for MNIST as soon as the cell is in the lab (cells that show the data set);
   * 'lazy': only when `ensure()` is called (cells that need it for one action, e.g. a sample digit).
   */
  load?: 'eager' | 'lazy';
}

/**
 * The lab's MNIST for a cell: one way to ask for it (`ensureDataset`, loaded once for the whole lab), follow its
 * progress and retry after a failure. Re-renders the host when the data set or its loading state changes.
 */
export class LabDatasetController implements ReactiveController {
  private readonly lab: LabStateController<'dataset' | 'datasetLoad'>;
  private readonly eager: boolean;

  constructor(host: ReactiveControllerHost & HTMLElement, options: LabDatasetOptions = {}) {
    this.eager = (options.load ?? 'eager') === 'eager';
    this.lab = new LabStateController(host, ['dataset', 'datasetLoad']);
    host.addController(this);
  }

  /** The data set once loaded. */
  get dataset(): MnistDataset | null {
    return this.lab.get('dataset') ?? null;
  }

  /** Progress and error of the lab's one download, or undefined outside the lab. */
  get loadState(): DatasetLoadState | undefined {
    return this.lab.get('datasetLoad');
  }

  /** 'ready' once loaded, 'error' after a failed download, otherwise 'busy'. */
  get status(): 'busy' | 'ready' | 'error' {
    if (this.dataset) return 'ready';
    return this.loadState?.status === 'error' ? 'error' : 'busy';
  }

  /** The data set, loading it if nobody has yet; rejects with the download's error. */
  ensure(): Promise<MnistDataset> {
    const state = this.lab.state;
    if (!state) return Promise.reject(new Error('The cell is not inside the lab, so it has no data set.'));
    try {
      return ensureDataset(state, dataBaseUrl());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Asks again after a failed download; the outcome shows in `loadState`. */
  retry(): void {
    this.ensure().catch(() => {
      /* shown from loadState */
    });
  }

  hostUpdate(): void {
    // The data set may not be asked for yet when the cell appears (another lesson opened first): ask once.
    if (this.eager && !this.dataset && this.loadState?.status === 'idle') this.retry();
  }
}
