import { sanitizeAugmentSettings } from '../augment/settings';
import { parseValidModelSpec } from '../model/parse';
import { validateTrainSettings } from '../train/settings';
import { loadPersisted, savePersisted } from './idb';
import type { LabState, RunRecord } from './lab-state';
import { deleteModelData, runModelKey, storedModelKeys } from './model-store';

const RUNS_KEY = 'runs';
const OUTCOMES = new Set(['completed', 'stopped', 'diverged', 'context-lost', 'error']);

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/** One stored run checked field by field; null when it is damaged. Optional newer fields are dropped if malformed. */
export function parseRunRecord(raw: unknown): RunRecord | null {
  const r = raw as Partial<Record<keyof RunRecord, unknown>> | null;
  if (typeof r !== 'object' || r === null) return null;
  if (typeof r.id !== 'string' || typeof r.startedAt !== 'number' || typeof r.modelName !== 'string') return null;
  if (typeof r.backend !== 'string' || typeof r.message !== 'string' || !OUTCOMES.has(r.outcome as string)) return null;
  if (typeof r.durationMs !== 'number' || typeof r.imagesSeen !== 'number') return null;
  if (r.testAccuracy !== null && typeof r.testAccuracy !== 'number') return null;
  if (typeof r.settings !== 'object' || r.settings === null) return null;
  const settings = validateTrainSettings(r.settings as never);
  if (!settings.ok) return null;
  const curves = r.curves as Partial<RunRecord['curves']> | null;
  if (typeof curves !== 'object' || curves === null || !isNumberArray(curves.loss) || !isNumberArray(curves.accuracy) || !Array.isArray(curves.epochs)) return null;
  const record = { ...(r as RunRecord), settings: settings.settings };
  record.spec = r.spec === undefined ? undefined : (parseValidModelSpec(r.spec) ?? undefined);
  record.augmentation = r.augmentation === undefined ? undefined : (sanitizeAugmentSettings(r.augmentation) ?? undefined);
  if (r.modelKept !== undefined && !['browser', 'memory', 'none'].includes(r.modelKept as string)) record.modelKept = 'none';
  return record;
}

export interface RestoredRuns {
  runs: RunRecord[];
  /** A sentence for the page when something was lost or cannot be kept; null when all is well. */
  notice: string | null;
}

/** Reads the run history, keeping every intact run and saying what was dropped. */
export async function loadRunHistory(): Promise<RestoredRuns> {
  let raw: unknown;
  try {
    raw = await loadPersisted<unknown>(RUNS_KEY);
  } catch {
    return { runs: [], notice: 'This browser refused to read the run history: runs will not be kept after a reload.' };
  }
  if (raw === undefined) return { runs: [], notice: null };
  if (!Array.isArray(raw)) return { runs: [], notice: 'The stored run history was damaged and could not be read: it starts again empty.' };
  const runs = raw.map(parseRunRecord).filter((r): r is RunRecord => r !== null);
  const dropped = raw.length - runs.length;
  return {
    runs,
    notice: dropped > 0 ? `${dropped} damaged run${dropped === 1 ? ' was' : 's were'} dropped from the stored history; the other ${runs.length} ${runs.length === 1 ? 'is' : 'are'} kept.` : null,
  };
}

/**
 * Restores the history into the state and keeps it stored on every change; weights of runs no longer in the history
 * are deleted. Resolves to the notice to show (or null).
 */
export async function keepRunHistory(state: LabState, onNotice: (notice: string) => void): Promise<void> {
  const { runs, notice } = await loadRunHistory();
  if (runs.length && state.get('runs').length === 0) state.set('runs', runs);
  if (notice) onNotice(notice);
  let warned = false;
  state.subscribe(['runs'], (_key, current) => {
    savePersisted(RUNS_KEY, current).catch(() => {
      if (warned) return;
      warned = true;
      onNotice('This browser refused to store the run history: runs will not be kept after a reload.');
    });
    void dropOrphanModels(current);
  });
}

async function dropOrphanModels(runs: RunRecord[]): Promise<void> {
  const wanted = new Set(runs.map((r) => runModelKey(r.id)));
  for (const key of await storedModelKeys()) if (key.startsWith('run:') && !wanted.has(key as `run:${string}`)) await deleteModelData(key as `run:${string}`);
}
