import { initBackend, type BackendOptions, type BackendPreference } from '../backend/backend';
import { loadMnist } from '../data/loader';
import type { MnistDataset } from '../data/mnist';
import type { LabState } from './lab-state';

let datasetPromise: Promise<MnistDataset> | null = null;

/**
 * Loads MNIST once for the whole lab (every cell that needs it calls this). Progress and errors go into the state;
 * after an error a later call tries again.
 */
export function ensureDataset(state: LabState, baseUrl: string, fetchFn?: typeof fetch): Promise<MnistDataset> {
  const existing = state.get('dataset');
  if (existing) return Promise.resolve(existing);
  if (datasetPromise) return datasetPromise;
  state.set('datasetLoad', { status: 'loading', progress: { fraction: 0, stage: 'Starting' }, error: null });
  let lastReport = 0;
  // After one file fails, the other downloads still report progress: they must not hide the error.
  let settled = false;
  datasetPromise = loadMnist({
    baseUrl,
    fetch: fetchFn,
    onProgress: (progress) => {
      if (settled) return;
      // The page needs a handful of updates, not one per network chunk.
      const now = performance.now();
      if (progress.fraction < 1 && now - lastReport < 50) return;
      lastReport = now;
      state.set('datasetLoad', { status: 'loading', progress, error: null });
    },
  }).then(
    (dataset) => {
      settled = true;
      state.set('dataset', dataset);
      state.set('datasetLoad', { status: 'ready', progress: { fraction: 1, stage: 'Ready' }, error: null });
      return dataset;
    },
    (error: unknown) => {
      settled = true;
      datasetPromise = null;
      const message = error instanceof Error ? error.message : String(error);
      state.set('datasetLoad', { status: 'error', progress: { fraction: 0, stage: 'Failed' }, error: message });
      throw error;
    },
  );
  return datasetPromise;
}

/** Starts (or switches) the tfjs backend and records the outcome in the state. */
export async function startBackend(state: LabState, preference: BackendPreference, options: BackendOptions = {}): Promise<void> {
  state.update('backend', { preference, status: 'loading', error: null });
  try {
    const choice = await initBackend(preference, options);
    const available = new Set(state.get('backend').available);
    available.add(choice.active);
    state.update('backend', { active: choice.active, available: [...available], status: 'ready', error: choice.fallbackReason });
  } catch (error) {
    state.update('backend', { status: 'error', error: (error as Error).message });
  }
}
