/** Augmentation settings, with the meaning of Keras' ImageDataGenerator. */
export interface AugmentSettings {
  enabled: boolean;
  /** rotation_range: degrees, uniform in [-r, r]. */
  rotation: number;
  /** width_shift_range: fraction of the width, uniform in [-w, w]. */
  widthShift: number;
  /** height_shift_range: fraction of the height. */
  heightShift: number;
  /** shear_range: degrees (Keras ≥ 2.2 reads shear_range in degrees). */
  shear: number;
  /** zoom_range: scale uniform in [1 - z, 1 + z]. */
  zoom: number;
}

export const DEFAULT_AUGMENT: AugmentSettings = {
  enabled: true,
  rotation: 10,
  widthShift: 0.1,
  heightShift: 0.1,
  shear: 10,
  zoom: 0.1,
};

export type AugmentRangeKey = Exclude<keyof AugmentSettings, 'enabled'>;

export interface AugmentLimit {
  min: number;
  max: number;
  /** A sensible slider step. */
  step: number;
  /** The ImageDataGenerator argument it stands for. */
  keras: string;
}

/**
 * What the lab accepts. Beyond these the digit leaves the frame (shift > 0.5), flips into another digit (rotation
 * > 180 repeats itself), or collapses (shear near 90°, zoom near 1 gives a scale near 0).
 */
export const AUGMENT_LIMITS: Record<AugmentRangeKey, AugmentLimit> = {
  rotation: { min: 0, max: 180, step: 1, keras: 'rotation_range' },
  widthShift: { min: 0, max: 0.5, step: 0.01, keras: 'width_shift_range' },
  heightShift: { min: 0, max: 0.5, step: 0.01, keras: 'height_shift_range' },
  shear: { min: 0, max: 45, step: 1, keras: 'shear_range' },
  zoom: { min: 0, max: 0.5, step: 0.01, keras: 'zoom_range' },
};

export const AUGMENT_RANGE_KEYS = Object.keys(AUGMENT_LIMITS) as AugmentRangeKey[];

export type ParsedValue = { ok: true; value: number } | { ok: false; message: string };

/** Reads what a learner typed for one range; refuses anything that is not a number inside the limits. */
export function parseAugmentValue(key: AugmentRangeKey, text: string): ParsedValue {
  const { min, max } = AUGMENT_LIMITS[key];
  const trimmed = text.trim();
  const range = `enter a number from ${min} to ${max}`;
  // Number('') is 0 and Number('0x10') is 16: accept plain decimals only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) {
    return { ok: false, message: trimmed === '' ? `Empty: ${range}.` : `“${trimmed}” is not a number: ${range}.` };
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < min || value > max) {
    return { ok: false, message: `${trimmed} is out of range: ${range}.` };
  }
  return { ok: true, value };
}

/** Whether `value` is an accepted setting for `key`. */
export function isValidAugmentValue(key: AugmentRangeKey, value: unknown): value is number {
  const { min, max } = AUGMENT_LIMITS[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

/**
 * Settings from untrusted input (a shared URL): each valid field is kept, each missing or invalid one falls back to
 * its default. Returns null when `raw` is not an object at all.
 */
export function sanitizeAugmentSettings(raw: unknown): AugmentSettings | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const out: AugmentSettings = { ...DEFAULT_AUGMENT };
  if (typeof r.enabled === 'boolean') out.enabled = r.enabled;
  for (const key of AUGMENT_RANGE_KEYS) {
    const value = r[key];
    if (isValidAugmentValue(key, value)) out[key] = value;
  }
  return out;
}

/** True when the settings change nothing: augmentation off, or every range zero. */
export function isIdentityAugment(settings: AugmentSettings): boolean {
  return !settings.enabled || AUGMENT_RANGE_KEYS.every((key) => settings[key] === 0);
}
