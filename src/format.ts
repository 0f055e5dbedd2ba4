/** Numbers for the page, in one locale. (Placeholder until the shared formatter lands; same signatures.) */
const LOCALE = 'en-US';
export const formatInteger = (n: number): string => Math.round(n).toLocaleString(LOCALE);
export const formatNumber = (n: number, digits: number): string => n.toLocaleString(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const formatPercent = (fraction: number, digits = 1): string => `${(fraction * 100).toFixed(digits)}%`;
