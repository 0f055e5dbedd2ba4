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
  if (r.batchNormMeasured !== undefined && typeof r.batchNormMeasured !== 'boolean') record.batchNormMeasured = undefined;
  if (r.modelKept !== undefined && !['browser', 'memory', 'none'].includes(r.modelKept as string)) record.modelKept = 'none';
  return record;
}

export interface RestoredRuns {
  runs: RunRecord[];
  /** A sentence for the page when something was lost or cannot be kept; null when all is well. */
  notice: string | null;
}

/** "run 2 (started 2025-11-27 05:01)" for a damaged entry, with the date when it can still be read. */
function describeEntry(raw: unknown, index: number): string {
  const startedAt = (raw as { startedAt?: unknown } | null)?.startedAt;
  const date = typeof startedAt === 'number' && Number.isFinite(startedAt) ? new Date(startedAt) : null;
  const when = date && !Number.isNaN(date.getTime()) ? ` (started ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : '';
  return `run ${index + 1}${when}`;
}

/** Reads the run history, keeping every intact run and saying what was dropped. */
export async function loadRunHistory(): Promise<RestoredRuns & { damaged: boolean }> {
  let raw: unknown;
  try {
    raw = await loadPersisted<unknown>(RUNS_KEY);
  } catch {
    return { runs: [], damaged: false, notice: 'This browser refused to read the run history: runs will not be kept after a reload in this browser.' };
  }
  if (raw === undefined) return { runs: [], damaged: false, notice: null };
  if (!Array.isArray(raw)) {
    return {
      runs: [],
      damaged: true,
      notice: 'The stored run history was damaged (it is not a list of runs) and could not be read: its runs and their models are lost. New runs are kept as usual.',
    };
  }
  const runs: RunRecord[] = [];
  const lost: string[] = [];
  raw.forEach((entry, i) => {
    const run = parseRunRecord(entry);
    if (run) runs.push(run);
    else lost.push(describeEntry(entry, i));
  });
  if (lost.length === 0) return { runs, damaged: false, notice: null };
  const kept = runs.length === 0 ? 'no intact run was left' : `the other ${runs.length} ${runs.length === 1 ? 'is' : 'are'} kept`;
  return {
    runs,
    damaged: true,
    notice: `${lost.length} damaged run${lost.length === 1 ? ' was' : 's were'} dropped from the stored history (${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', …' : ''}); ${kept}.`,
  };
}

/**
 * Restores the history into the state and keeps it stored on every change; weights of runs no longer in the history
 * are deleted. Resolves to the notice to show (or null).
 */
export async function keepRunHistory(state: LabState, onNotice: (notice: string) => void): Promise<void> {
  const { runs, notice, damaged } = await loadRunHistory();
  if (runs.length && state.get('runs').length === 0) state.set('runs', runs);
  if (notice) onNotice(notice);
  // What was dropped is named once: the cleaned history replaces the damaged one.
  if (damaged) await savePersisted(RUNS_KEY, state.get('runs')).catch(() => {});
  let warned = false;
  state.subscribe(['runs'], (_key, current) => {
    savePersisted(RUNS_KEY, current).catch(() => {
      if (warned) return;
      warned = true;
      onNotice('This browser refused to store the run history: runs will not be kept after a reload in this browser. Everything works until then.');
    });
    void dropOrphanModels(current);
  });
}

async function dropOrphanModels(runs: RunRecord[]): Promise<void> {
  const wanted = new Set(runs.map((r) => runModelKey(r.id)));
  for (const key of await storedModelKeys()) if (key.startsWith('run:') && !wanted.has(key as `run:${string}`)) await deleteModelData(key as `run:${string}`);
}
