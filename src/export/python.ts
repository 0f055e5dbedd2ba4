/**
 * Writing learner-controlled text and numbers into generated Python and Markdown so that nothing can inject code:
 * text only ever becomes a string literal or a comment, numbers only finite literals, identifiers a fixed alphabet.
 */

/** Thrown when a value cannot be written safely; the message says which setting and why. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/**
 * A Python string literal for any text: ASCII only, every quote, backslash, control character and non-ASCII
 * character escaped, so the literal is one token whatever the text (no line break, no closing quote, no
 * encoding tricks).
 */
export function pyString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Every character that some editor, Python's str.splitlines or a terminal treats as a line break or control. */
const LINE_BREAKS_AND_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g;

/**
 * Text that is safe inside a Python `#` comment: one line, no control characters, and no PEP 263 encoding
 * declaration (`coding: utf-7` on line 1 or 2 would make Python re-read the whole file in another encoding).
 */
export function pyCommentText(text: string): string {
  return text
    .replace(LINE_BREAKS_AND_CONTROLS, ' ')
    .replace(/coding[:=]/gi, (m) => `${m.slice(0, -1)} ${m.slice(-1)}`)
    .trimEnd();
}

/** A Python identifier-like name made of ASCII letters, digits and underscores (Keras refuses '/' in names). */
export function pyIdentifier(text: string, fallback = 'model'): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_').replace(/^_+|_+$/g, '');
  if (!cleaned) return fallback;
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/**
 * A Python number literal for a finite number: integers as integers, others in JavaScript's shortest round-trip
 * form (which Python reads identically: `0.003`, `1e-7`). Anything else (NaN, infinity, a string) is refused.
 */
export function pyNumber(value: unknown, what: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ExportError(`${what} must be a finite number, not ${describeValue(value)}.`);
  }
  if (Object.is(value, -0)) return '0';
  return String(value);
}

/** A whole number literal within [min, max]. */
export function pyInteger(value: unknown, what: string, min: number, max: number): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ExportError(`${what} must be a whole number from ${min} to ${max}, not ${describeValue(value)}.`);
  }
  return String(value);
}

/** The value, shortened, for an error message (never interpolated into code). */
function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/**
 * Text safe inside Markdown prose: one line, HTML-significant characters as entities, and Markdown's punctuation
 * backslash-escaped, so a name can neither add HTML, a link, an image nor a heading.
 */
export function markdownText(text: string): string {
  return text
    .replace(LINE_BREAKS_AND_CONTROLS, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+\-.!|~"'$]/g, (m) => `\\${m}`)
    .trim();
}
