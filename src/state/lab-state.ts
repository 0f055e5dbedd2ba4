import { DEFAULT_AUGMENT, type AugmentSettings } from '../augment/settings';
import type { LoadProgress } from '../data/loader';
import type { MnistDataset, Split } from '../data/mnist';
import type { LabModel } from '../model/lab-model';
import { CLASSIC_SPEC, type ModelSpec } from '../model/spec';
import type { RunSummary } from '../train/session';
import { DEFAULT_TRAIN, type TrainSettings } from '../train/settings';
import type { BackendName, BackendPreference } from '../backend/backend';
import { Store } from './store';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface DatasetLoadState {
  status: LoadStatus;
  progress: LoadProgress;
  error: string | null;
}

export interface BackendState {
  /** The tfjs backend in use, once initialised. */
  active: BackendName | null;
  preference: BackendPreference;
  /** Backends that initialised on this machine. */
  available: BackendName[];
  status: LoadStatus;
  error: string | null;
}

export interface DigitRef {
  split: Split;
  index: number;
}

/** Where a run's trained weights are: kept in IndexedDB, only in this page's memory, or not at all. */
export type RunModelKept = 'browser' | 'memory' | 'none';

/** A finished (or stopped) training run, kept in the history: settings, curves, test accuracy, duration, backend. */
export interface RunRecord extends RunSummary {
  id: string;
  startedAt: number;
  /** The network and augmentation it trained with ("Rerun with these settings"). Absent in runs from older versions. */
  spec?: ModelSpec;
  augmentation?: AugmentSettings;
  modelKept?: RunModelKept;
}

export type RunPhase = 'starting' | 'training' | 'calibrating' | 'testing';

/** Whether a run is going on (the backend selector and Train are locked meanwhile). */
export interface TrainingStatus {
  runId: string | null;
  phase: RunPhase | 'idle';
  paused: boolean;
  /** 0–1 over the whole run, for the header. */
  fraction: number;
}

/** Everything the cells share. */
export interface LabStateMap {
  dataset: MnistDataset | null;
  datasetLoad: DatasetLoadState;
  backend: BackendState;
  /** The digit picked in the explorer; the augmentation and inside-the-network cells show it. */
  selectedDigit: DigitRef;
  augmentation: AugmentSettings;
  modelSpec: ModelSpec;
  trainSettings: TrainSettings;
  /** The current model (shipped, trained or uploaded); replacing it disposes the old one. */
  model: LabModel | null;
  runs: RunRecord[];
  training: TrainingStatus;
  /** The current drawing, preprocessed to 28×28 in [0, 1], or null. */
  drawing: Float32Array | null;
  /**
   * Sentences the learner should read that belong to no cell: a refused setting in the link, a damaged stored
   * record and what was lost with it. Shown once at the top of the page.
   */
  notices: string[];
}

export type LabState = Store<LabStateMap>;
export type LabKey = keyof LabStateMap;

export function createLabState(overrides: Partial<LabStateMap> = {}): LabState {
  return new Store<LabStateMap>({
    dataset: null,
    datasetLoad: { status: 'idle', progress: { fraction: 0, stage: '' }, error: null },
    backend: { active: null, preference: 'auto', available: [], status: 'idle', error: null },
    selectedDigit: { split: 'train', index: 0 },
    augmentation: DEFAULT_AUGMENT,
    modelSpec: CLASSIC_SPEC,
    trainSettings: DEFAULT_TRAIN,
    model: null,
    runs: [],
    training: { runId: null, phase: 'idle', paused: false, fraction: 0 },
    drawing: null,
    notices: [],
    ...overrides,
  });
}

/** Adds a notice for the page (the same sentence is shown once). */
export function addNotice(state: LabState, notice: string): void {
  const notices = state.get('notices');
  if (!notices.includes(notice)) state.set('notices', [...notices, notice]);
}
