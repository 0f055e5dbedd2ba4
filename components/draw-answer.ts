import { html, type TemplateResult } from 'lit';
import { formatPercent } from '../src/format';
import type { Prediction } from '../src/inspect/predict';

/** The Draw pad's answer, as the pad holds it. */
export interface PadAnswer {
  result: Prediction | null;
  /** The answer's name: "0"…"9", or a taught class such as "+". */
  label: string | null;
  /** The names of the classes read when the taught model reads (digits first), or null for the ten digits. */
  labels: string[] | null;
  /** The "not a digit" check says the drawing is unlike any digit the network learned. */
  notDigit: boolean;
}

/** The answer in a sentence, for screen readers (empty while there is none). */
export function answerSentence({ result, label, labels, notDigit }: PadAnswer): string {
  if (!result) return '';
  if (notDigit) return `This does not look like a digit to the network (its best guess would be ${label}).`;
  return `The network reads ${labels ? `“${label}”` : `a ${label}`} (${formatPercent(result.confidence)} sure).`;
}

/** The line over the pad (hidden from screen readers, which hear `answerSentence`); `loading`: the model is loading. */
export function answerLine({ result, label, notDigit }: PadAnswer, loading: boolean): TemplateResult | string {
  if (!result) return loading ? 'Loading the model…' : 'Draw a digit below.';
  return notDigit ? html`Not a digit <span>(best guess ${label})</span>` : html`It reads <strong>${label}</strong> <span>${formatPercent(result.confidence)} sure</span>`;
}
