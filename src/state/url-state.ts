import { AUGMENT_LIMITS, AUGMENT_RANGE_KEYS, sanitizeAugmentSettings } from '../augment/settings';
import { validateSpec } from '../model/analyze';
import { parseModelSpec } from '../model/parse';
import { MODEL_SPEC_VERSION } from '../model/spec';
import { DEFAULT_TRAIN, parseTrainSettings, type TrainSettings, type TrainSettingsInput } from '../train/settings';
import { addNotice, type LabState, type LabStateMap } from './lab-state';

/** A setting read from text: the value to use (null: keep the default) and why anything in it was refused. */
export interface Decoded<T> {
  value: T | null;
  /** Sentences naming each refused part and why; empty when all of it was taken. */
  problems: string[];
}

/** How one small setting travels in the URL's query string, so any setup is a shareable link. */
export interface UrlField<K extends keyof LabStateMap> {
  param: string;
  /** What the setting is called in a notice ("the model"). */
  label: string;
  encode(value: LabStateMap[K]): string;
  /** Returns null for anything malformed: the default then stays. */
  decode(text: string): LabStateMap[K] | null;
  /** Like decode, saying what was refused and why. */
  read(text: string): Decoded<LabStateMap[K]>;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A value as a learner can read it back in a notice, short. */
const shown = (v: unknown): string => {
  const text = typeof v === 'string' ? `“${v}”` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

function readAugmentation(text: string): Decoded<LabStateMap['augmentation']> {
  const json = parseJson(text);
  if (!json.ok) return { value: null, problems: ['the augmentation settings are not valid JSON (NaN and Infinity are not numbers there)'] };
  const value = sanitizeAugmentSettings(json.value);
  if (!value || !isRecord(json.value)) return { value: null, problems: ['the augmentation settings are not a set of named values'] };
  const raw = json.value;
  const problems: string[] = [];
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') problems.push(`augmentation “enabled” ${shown(raw.enabled)} is not true or false`);
  for (const key of AUGMENT_RANGE_KEYS) {
    if (raw[key] === undefined || value[key] === raw[key]) continue;
    const { min, max } = AUGMENT_LIMITS[key];
    problems.push(`augmentation ${key} ${shown(raw[key])} is not a number from ${min} to ${max}`);
  }
  return { value, problems };
}

function readModelSpec(text: string): Decoded<LabStateMap['modelSpec']> {
  const json = parseJson(text);
  if (!json.ok) return { value: null, problems: ['the model is not valid JSON'] };
  const raw = json.value;
  if (!isRecord(raw)) return { value: null, problems: ['the model is not a Digit Lab model spec'] };
  if (raw.version !== MODEL_SPEC_VERSION) return { value: null, problems: [`the model spec has version ${shown(raw.version)}; this lab reads version ${MODEL_SPEC_VERSION}`] };
  if (!Array.isArray(raw.layers)) return { value: null, problems: ['the model spec has no list of layers'] };
  if (raw.layers.length > 200) return { value: null, problems: [`the model has ${raw.layers.length.toLocaleString('en-US')} layers; the lab builds models of up to 200`] };
  const spec = parseModelSpec(raw);
  if (!spec) {
    // Which layer is malformed: each one alone through the same parser.
    const bad = raw.layers.findIndex((layer) => !parseModelSpec({ version: MODEL_SPEC_VERSION, layers: [layer] }));
    const type = isRecord(raw.layers[bad]) ? raw.layers[bad].type : undefined;
    return { value: null, problems: [`layer ${bad + 1} of the model (${typeof type === 'string' ? `type ${shown(type)}` : 'no type'}) is not a layer the lab knows, or lacks a setting`] };
  }
  const problems = validateSpec(spec);
  if (problems.length > 0) return { value: null, problems: [`the model cannot be built: ${problems.slice(0, 2).map((p) => p.message).join(' ')}`] };
  return { value: spec, problems: [] };
}

function readTrainSettings(text: string): Decoded<TrainSettings> {
  const json = parseJson(text);
  if (!json.ok) return { value: null, problems: ['the training settings are not valid JSON (NaN and Infinity are not numbers there)'] };
  if (!isRecord(json.value)) return { value: null, problems: ['the training settings are not a set of named values'] };
  const raw = json.value;
  // Each field on its own: a valid one is taken, a refused one keeps its default and is named.
  const input: TrainSettingsInput = { ...DEFAULT_TRAIN };
  const problems: string[] = [];
  for (const key of Object.keys(DEFAULT_TRAIN) as (keyof TrainSettings)[]) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== typeof DEFAULT_TRAIN[key]) {
      problems.push(`training setting ${key} ${shown(value)} is not a ${typeof DEFAULT_TRAIN[key]}`);
      continue;
    }
    const alone = parseTrainSettings({ ...DEFAULT_TRAIN, [key]: value } as TrainSettingsInput);
    const error = alone.ok ? undefined : alone.errors[key];
    if (error) problems.push(error.replace(/\.$/, ''));
    else (input as Record<string, unknown>)[key] = value;
  }
  let parsed = parseTrainSettings(input);
  if (!parsed.ok) {
    // Fields fine alone may clash (a batch larger than the images): those keep their defaults too.
    for (const [key, error] of Object.entries(parsed.errors)) {
      problems.push(error.replace(/\.$/, ''));
      (input as Record<string, unknown>)[key] = DEFAULT_TRAIN[key as keyof TrainSettings];
    }
    parsed = parseTrainSettings(input);
  }
  return { value: parsed.ok ? parsed.settings : null, problems };
}

export const URL_FIELDS: { [K in 'augmentation' | 'modelSpec' | 'trainSettings']: UrlField<K> } = {
  augmentation: {
    param: 'aug',
    label: 'augmentation',
    encode: (v) => JSON.stringify(v),
    // Each field is checked against the limits the augmentation cell enforces; a refused one keeps its default.
    decode: (t) => readAugmentation(t).value,
    read: readAugmentation,
  },
  modelSpec: {
    param: 'model',
    label: 'model',
    encode: (v) => JSON.stringify(v),
    // Only a well-formed spec that can be built and trained is taken; anything else leaves the default.
    decode: (t) => readModelSpec(t).value,
    read: readModelSpec,
  },
  trainSettings: {
    param: 'train',
    label: 'training settings',
    encode: (v) => JSON.stringify(v),
    // Each field is held to the same limits as the form (no batch size 0); a refused one keeps its default.
    decode: (t) => readTrainSettings(t).value,
    read: readTrainSettings,
  },
};

type UrlKey = keyof typeof URL_FIELDS;
const URL_KEYS = Object.keys(URL_FIELDS) as UrlKey[];

/** One sentence for the page about everything refused in one place (the link, or the settings kept here). */
function refusalNotice(where: string, problems: string[]): string {
  const list = problems.map((p) => p.charAt(0).toLowerCase() + p.slice(1));
  return `${where} ${problems.length === 1 ? 'a setting was' : `${problems.length} settings were`} refused, and the lab’s default used instead: ${list.join('; ')}.`;
}

/**
 * Applies the settings found in `params` to the state; what is refused keeps its default and is named in one notice
 * (the lab state's `notices`). Returns the problems found.
 */
export function applyUrlParams(state: LabState, params: URLSearchParams): string[] {
  const problems: string[] = [];
  for (const key of URL_KEYS) {
    const text = params.get(URL_FIELDS[key].param);
    if (text === null) continue;
    const { value, problems: refused } = (URL_FIELDS[key] as UrlField<UrlKey>).read(text);
    problems.push(...refused);
    if (value !== null) state.set(key, value as never);
  }
  if (problems.length > 0) addNotice(state, refusalNotice('In the link you opened,', problems));
  return problems;
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
  const refused: string[] = [];
  for (const key of URL_KEYS) {
    const field = URL_FIELDS[key] as UrlField<UrlKey>;
    if (params.has(field.param)) continue;
    const text = (stored as Record<string, unknown>)[field.param];
    if (typeof text !== 'string') continue;
    const { value, problems } = field.read(text);
    if (value !== null) state.set(key, value as never);
    refused.push(...problems);
  }
  // Settings this lab wrote itself: a refusal means the stored copy was damaged (or an older lab wrote it).
  if (refused.length > 0) addNotice(state, refusalNotice('In the settings kept in this browser from your last visit,', refused));
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
