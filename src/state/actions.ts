import { initBackend, type BackendOptions, type BackendPreference } from '../backend/backend';
import { loadMnist } from '../data/loader';
import type { MnistDataset } from '../data/mnist';
import type { LabModel } from '../model/lab-model';
import { loadShippedModel } from '../model/shipped';
import type { LabState } from './lab-state';

/** Loads in flight, per lab state (two labs on one page, or tests, never share a half-finished load). */
const datasetLoads = new WeakMap<LabState, Promise<MnistDataset>>();
const modelLoads = new WeakMap<LabState, Promise<LabModel>>();

/**
 * Loads MNIST once for the whole lab (every cell that needs it calls this). Progress and errors go into the state;
 * after an error a later call tries again.
 */
export function ensureDataset(state: LabState, baseUrl: string, fetchFn?: typeof fetch): Promise<MnistDataset> {
  const existing = state.get('dataset');
  if (existing) return Promise.resolve(existing);
  const pending = datasetLoads.get(state);
  if (pending) return pending;
  state.set('datasetLoad', { status: 'loading', progress: { fraction: 0, stage: 'Starting' }, error: null });
  let lastReport = 0;
  // After one file fails, the other downloads still report progress: they must not hide the error.
  let settled = false;
  const load = loadMnist({
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
      datasetLoads.delete(state);
      const message = error instanceof Error ? error.message : String(error);
      state.set('datasetLoad', { status: 'error', progress: { fraction: 0, stage: 'Failed' }, error: message });
      throw error;
    },
  );
  datasetLoads.set(state, load);
  return load;
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

/** Resolves once the backend has started (or failed and fallen back), so a model loads onto the right one. */
export function backendSettled(state: LabState): Promise<void> {
  const settled = () => state.get('backend').status === 'ready' || state.get('backend').status === 'error';
  if (settled()) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = state.subscribe(['backend'], () => {
      if (!settled()) return;
      unsubscribe();
      resolve();
    });
  });
}

/**
 * Makes sure the lab has a model: loads the shipped pre-trained one (once, shared by every cell) when the state
 * holds none. A trained or uploaded model already in the state is kept.
 */
export function ensureModel(state: LabState, baseUrl: string): Promise<LabModel> {
  const existing = state.get('model');
  if (existing) return Promise.resolve(existing);
  const pending = modelLoads.get(state);
  if (pending) return pending;
  const load = backendSettled(state)
    .then(() => loadShippedModel(baseUrl))
    .then(
      (loaded) => {
        modelLoads.delete(state);
        // Another model (trained, uploaded) may have arrived while this one loaded: it wins.
        const current = state.get('model');
        if (current) {
          loaded.dispose();
          return current;
        }
        state.set('model', loaded);
        return loaded;
      },
      (error: unknown) => {
        modelLoads.delete(state);
        throw error;
      },
    );
  modelLoads.set(state, load);
  return load;
}
