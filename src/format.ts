/**
 * Numbers, percentages and durations as the lab writes them: one locale everywhere, so "1,234.5" never turns into
 * "1.234,5" in one cell and not the next.
 */
export const LOCALE = 'en-US';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = formatters.get(key);
  if (!f) {
    // signDisplay 'negative': a value that rounds to zero is "0", never "-0".
    f = new Intl.NumberFormat(LOCALE, { signDisplay: 'negative', ...options });
    formatters.set(key, f);
  }
  return f;
}

/** A whole number with thousands separators: 60000 → "60,000" (rounded to the nearest integer). */
export function formatInteger(n: number): string {
  return formatter('int', { maximumFractionDigits: 0 }).format(n);
}

/** A number with exactly `digits` decimals and thousands separators: (1234.5, 2) → "1,234.50". */
export function formatNumber(n: number, digits: number): string {
  return formatter(`n${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

/** A fraction as a percentage with `digits` decimals: (0.9962) → "99.6%". */
export function formatPercent(fraction: number, digits = 1): string {
  return formatter(`p${digits}`, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(fraction);
}

/** An estimated duration, rounded as a person would say it: "about 4 min", "about 2 h 10 min", "under a second". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours >= 48) return `about ${Math.round(hours / 24)} days`;
  return `about ${hours} h${rest ? ` ${rest} min` : ''}`;
}

/** A measured duration, to the second: "3 min 12 s", "1 h 5 min". (Estimates use formatDuration.) */
export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
