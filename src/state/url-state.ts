import { sanitizeAugmentSettings } from '../augment/settings';
import { parseValidModelSpec } from '../model/parse';
import { DEFAULT_TRAIN, validateTrainSettings, type TrainSettings } from '../train/settings';
import type { LabState, LabStateMap } from './lab-state';

/** How one small setting travels in the URL's query string, so any setup is a shareable link. */
export interface UrlField<K extends keyof LabStateMap> {
  param: string;
  encode(value: LabStateMap[K]): string;
  /** Returns null for anything malformed: the default then stays. */
  decode(text: string): LabStateMap[K] | null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Keeps only the keys of `defaults` whose value in `raw` has the same type. */
function mergeTyped<T extends object>(defaults: T, raw: unknown): T | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = (raw as Record<string, unknown>)[key as string];
    if (value !== undefined && typeof value === typeof defaults[key] && (typeof value !== 'number' || Number.isFinite(value))) {
      out[key] = value as T[keyof T];
    }
  }
  return out;
}

export const URL_FIELDS: { [K in 'augmentation' | 'modelSpec' | 'trainSettings']: UrlField<K> } = {
  augmentation: {
    param: 'aug',
    encode: (v) => JSON.stringify(v),
    // Each field is checked against the limits the augmentation cell enforces.
    decode: (t) => sanitizeAugmentSettings(parseJson(t)),
  },
  modelSpec: {
    param: 'model',
    encode: (v) => JSON.stringify(v),
    // Only a well-formed spec that can be built and trained is taken; anything else leaves the default.
    decode: (t) => parseValidModelSpec(parseJson(t)),
  },
  trainSettings: {
    param: 'train',
    encode: (v) => JSON.stringify(v),
    // Typed fields are merged over the defaults, then held to the same limits as the form (no batch size 0).
    decode: (t) => {
      const merged = mergeTyped<TrainSettings>(DEFAULT_TRAIN, parseJson(t));
      if (!merged) return null;
      const checked = validateTrainSettings(merged);
      return checked.ok ? checked.settings : null;
    },
  },
};

type UrlKey = keyof typeof URL_FIELDS;
const URL_KEYS = Object.keys(URL_FIELDS) as UrlKey[];

/** Applies the settings found in `params` to the state; malformed ones are ignored. */
export function applyUrlParams(state: LabState, params: URLSearchParams): void {
  for (const key of URL_KEYS) {
    const text = params.get(URL_FIELDS[key].param);
    if (text === null) continue;
    const value = (URL_FIELDS[key] as UrlField<UrlKey>).decode(text);
    if (value !== null) state.set(key, value as never);
  }
}

/** Writes the state's URL settings into `params` (others are left alone). */
export function writeUrlParams(state: LabState, params: URLSearchParams): URLSearchParams {
  for (const key of URL_KEYS) {
    const field = URL_FIELDS[key] as UrlField<UrlKey>;
    params.set(field.param, field.encode(state.get(key)));
  }
  return params;
}

export const URL_STATE_KEYS: readonly UrlKey[] = URL_KEYS;

/** Where the last settings are kept in this browser, so a bare address (no query) restores them. */
export const SETTINGS_STORAGE_KEY = 'digit-lab:settings';

/** The small storage the settings use (localStorage in the page); tests pass their own. */
export interface SettingsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * Applies settings kept in the browser for every key the URL's query does not carry (a URL's query always wins).
 * Malformed stored values are ignored, as in a URL.
 */
export function applyStoredSettings(state: LabState, params: URLSearchParams, storage: SettingsStorage | null): void {
  if (!storage) return;
  let stored: unknown;
  try {
    stored = JSON.parse(storage.getItem(SETTINGS_STORAGE_KEY) ?? 'null');
  } catch {
    return;
  }
  if (typeof stored !== 'object' || stored === null) return;
  for (const key of URL_KEYS) {
    const field = URL_FIELDS[key] as UrlField<UrlKey>;
    if (params.has(field.param)) continue;
    const text = (stored as Record<string, unknown>)[field.param];
    if (typeof text !== 'string') continue;
    const value = field.decode(text);
    if (value !== null) state.set(key, value as never);
  }
}

/** Keeps the state's URL settings in the browser; storage that refuses is ignored (the URL still carries them). */
export function storeSettings(state: LabState, storage: SettingsStorage | null): void {
  if (!storage) return;
  const out: Record<string, string> = {};
  for (const key of URL_KEYS) out[URL_FIELDS[key].param] = URL_FIELDS[key].encode(state.get(key) as never);
  try {
    storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(out));
  } catch {
    /* private mode or full: the URL still carries the settings */
  }
}
