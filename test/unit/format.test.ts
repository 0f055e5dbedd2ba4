import { describe, expect, it } from 'vitest';
import { formatDuration, formatElapsed, formatInteger, formatNumber, formatPercent } from '../../src/format';

describe('formatInteger', () => {
  it('groups thousands with commas whatever the machine locale', () => {
    expect(formatInteger(60000)).toBe('60,000');
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatInteger(7)).toBe('7');
  });
  it('rounds to a whole number and never writes -0', () => {
    expect(formatInteger(2.6)).toBe('3');
    expect(formatInteger(-0.2)).toBe('0');
    expect(formatInteger(-1500)).toBe('-1,500');
  });
});

describe('formatNumber', () => {
  it('writes exactly the given decimals, with grouping', () => {
    expect(formatNumber(1234.5, 2)).toBe('1,234.50');
    expect(formatNumber(0.123456, 3)).toBe('0.123');
    expect(formatNumber(2, 0)).toBe('2');
  });
  it('writes a negative that rounds to zero as 0', () => {
    expect(formatNumber(-0.0001, 2)).toBe('0.00');
    expect(formatNumber(-0.5, 2)).toBe('-0.50');
  });
});

describe('formatPercent', () => {
  it('turns a fraction into a percentage, one decimal by default', () => {
    expect(formatPercent(0.9962)).toBe('99.6%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatPercent(0.12345, 2)).toBe('12.35%');
  });
});

describe('formatDuration (estimates)', () => {
  it('rounds as a person would say it', () => {
    expect(formatDuration(0.2)).toBe('under a second');
    expect(formatDuration(42)).toBe('about 42 s');
    expect(formatDuration(280)).toBe('about 5 min');
    expect(formatDuration(2 * 3600)).toBe('about 2 h');
    expect(formatDuration(5 * 3600 + 20 * 60)).toBe('about 5 h 20 min');
    expect(formatDuration(72 * 3600)).toBe('about 3 days');
    expect(formatDuration(Infinity)).toBe('unknown');
  });
});

describe('formatElapsed (measured)', () => {
  it('keeps the seconds under an hour, the minutes above', () => {
    expect(formatElapsed(400)).toBe('0 s');
    expect(formatElapsed(42_000)).toBe('42 s');
    expect(formatElapsed(192_000)).toBe('3 min 12 s');
    expect(formatElapsed(3_900_000)).toBe('1 h 5 min');
  });
});
