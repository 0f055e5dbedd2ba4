import { describe, expect, it } from 'vitest';
import {
  AUGMENT_LIMITS,
  DEFAULT_AUGMENT,
  isIdentityAugment,
  parseAugmentValue,
  sanitizeAugmentSettings,
} from '../../../src/augment/settings';
import { URL_FIELDS } from '../../../src/state/url-state';

describe('parseAugmentValue', () => {
  it('refuses non-numbers, negatives and out-of-range values with a message naming the range', () => {
    for (const text of ['abc', '', '  ', '1e', '0x10', '12px', 'NaN', 'Infinity']) {
      const r = parseAugmentValue('rotation', text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.message).toContain('from 0 to 180');
    }
    const negative = parseAugmentValue('rotation', '-5');
    expect(negative).toEqual({ ok: false, message: '-5 is out of range: enter a number from 0 to 180.' });
    expect(parseAugmentValue('rotation', '500').ok).toBe(false);
    expect(parseAugmentValue('widthShift', '0.6').ok).toBe(false);
    const abc = parseAugmentValue('zoom', 'abc');
    expect(abc).toEqual({ ok: false, message: '“abc” is not a number: enter a number from 0 to 0.5.' });
  });

  it('accepts plain decimals inside the limits', () => {
    expect(parseAugmentValue('rotation', ' 12.5 ')).toEqual({ ok: true, value: 12.5 });
    expect(parseAugmentValue('widthShift', '.25')).toEqual({ ok: true, value: 0.25 });
    expect(parseAugmentValue('shear', '45')).toEqual({ ok: true, value: AUGMENT_LIMITS.shear.max });
    expect(parseAugmentValue('zoom', '0')).toEqual({ ok: true, value: 0 });
  });
});

describe('augmentation settings from a URL', () => {
  it('keeps valid fields and replaces invalid ones by their defaults', () => {
    expect(sanitizeAugmentSettings({ rotation: 30, widthShift: 5, shear: -1, zoom: '0.2', enabled: false })).toEqual({
      ...DEFAULT_AUGMENT,
      rotation: 30,
      enabled: false,
    });
    expect(sanitizeAugmentSettings(null)).toBeNull();
    expect(sanitizeAugmentSettings([1, 2])).toBeNull();
  });

  it('the URL decoder refuses out-of-range values', () => {
    const decoded = URL_FIELDS.augmentation.decode(JSON.stringify({ ...DEFAULT_AUGMENT, rotation: 500, heightShift: 0.2 }));
    expect(decoded).toEqual({ ...DEFAULT_AUGMENT, heightShift: 0.2 });
    expect(URL_FIELDS.augmentation.decode('not json')).toBeNull();
  });

  it('knows when settings change nothing', () => {
    expect(isIdentityAugment(DEFAULT_AUGMENT)).toBe(false);
    expect(isIdentityAugment({ ...DEFAULT_AUGMENT, enabled: false })).toBe(true);
    expect(isIdentityAugment({ enabled: true, rotation: 0, widthShift: 0, heightShift: 0, shear: 0, zoom: 0 })).toBe(true);
  });
});
