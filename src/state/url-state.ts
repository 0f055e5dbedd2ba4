import { sanitizeAugmentSettings } from '../augment/settings';
import { parseValidModelSpec } from '../model/parse';
import { DEFAULT_TRAIN, type TrainSettings } from '../train/settings';
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
    decode: (t) => mergeTyped<TrainSettings>(DEFAULT_TRAIN, parseJson(t)),
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
