/**
 * Test pictures made here, with no canvas: three stroke "fonts" for the digits 0–9 (sans, serif, a slanted hand), drawn
 * with the lab's own stroke primitives (src/draw/strokes.ts). A glyph is a list of polylines in a box 0.6 wide and
 * 1 tall (y down).
 */
import { arc, slant, type Glyph, type StrokePoint as P } from '../../../src/draw/strokes';

const line = (...points: P[]): P[] => points;

/** Sans: plain strokes, round bowls. */
const SANS: Glyph[] = [
  [arc(0.3, 0.5, 0.26, 0.47, 0, 360, 40)],
  [line([0.12, 0.2], [0.34, 0]), line([0.34, 0], [0.34, 1])],
  [[...arc(0.3, 0.27, 0.26, 0.25, 190, 380), [0.03, 1], [0.58, 1]]],
  [arc(0.3, 0.25, 0.24, 0.24, 200, 450), arc(0.3, 0.73, 0.27, 0.27, 270, 520)],
  [line([0.46, 1], [0.46, 0], [0.02, 0.7], [0.6, 0.7])],
  [[[0.55, 0], [0.1, 0], [0.07, 0.46], ...arc(0.3, 0.68, 0.28, 0.3, 225, 510)]],
  [[...arc(0.33, 0.55, 0.28, 0.53, 295, 180, 20), ...arc(0.31, 0.71, 0.26, 0.28, 180, 540, 30)]],
  [line([0.02, 0], [0.58, 0], [0.22, 1])],
  [arc(0.3, 0.25, 0.22, 0.24, 0, 360, 30), arc(0.3, 0.72, 0.27, 0.28, 0, 360, 30)],
  [arc(0.3, 0.29, 0.26, 0.28, 0, 360, 30), [...arc(0.3, 0.45, 0.26, 0.53, 0, 115, 20)]],
];

/** Serif: a 1 with a base, a 7 with a nose, a closed 4, strokes of the bowls closer to a book face. */
const SERIF: Glyph[] = [
  [arc(0.3, 0.5, 0.23, 0.48, 0, 360, 40)],
  [line([0.1, 0.18], [0.32, 0], [0.32, 1]), line([0.1, 1], [0.54, 1])],
  [[...arc(0.3, 0.26, 0.25, 0.25, 200, 360), ...arc(0.3, 0.26, 0.25, 0.6, 0, 55, 10), [0.04, 1], [0.58, 1], [0.58, 0.9]]],
  [line([0.06, 0], [0.54, 0], [0.28, 0.4]), arc(0.29, 0.7, 0.28, 0.3, 270, 515)],
  [line([0.44, 1], [0.44, 0], [0.02, 0.72], [0.6, 0.72]), line([0.3, 1], [0.58, 1])],
  [[[0.56, 0], [0.12, 0], [0.08, 0.44], ...arc(0.29, 0.69, 0.28, 0.31, 230, 505)]],
  [[...arc(0.35, 0.5, 0.26, 0.5, 290, 180, 20), ...arc(0.31, 0.72, 0.25, 0.27, 180, 540, 30)]],
  [line([0.03, 0.14], [0.03, 0], [0.58, 0], [0.25, 1])],
  [[...arc(0.3, 0.25, 0.21, 0.24, 90, 450, 30)], [...arc(0.3, 0.73, 0.26, 0.27, 270, 630, 30)]],
  [arc(0.3, 0.28, 0.25, 0.28, 0, 360, 30), [...arc(0.22, 0.35, 0.33, 0.65, 0, 100, 20)]],
];

/** Hand: rounder, an open 4, a straight-tailed 9, slanted by the caller. */
const HAND: Glyph[] = [
  [arc(0.3, 0.5, 0.28, 0.48, -80, 285, 40)],
  [line([0.3, 0.02], [0.3, 1])],
  [[...arc(0.3, 0.3, 0.27, 0.28, 180, 360), ...arc(0.05, 0.3, 0.52, 0.7, 0, 80, 12), [0.6, 0.96]]],
  [[...arc(0.28, 0.26, 0.25, 0.24, 210, 440)], [...arc(0.27, 0.73, 0.29, 0.27, 280, 510)]],
  [line([0.08, 0], [0.03, 0.62], [0.6, 0.62]), line([0.46, 0.3], [0.46, 1])],
  [line([0.1, 0.02], [0.08, 0.45]), line([0.1, 0.02], [0.55, 0.02]), [...arc(0.3, 0.68, 0.28, 0.3, 220, 500)]],
  [[[0.48, 0], ...arc(0.34, 0.68, 0.27, 0.3, 230, 180, 4), ...arc(0.3, 0.7, 0.26, 0.28, 180, 545, 30)]],
  [line([0.02, 0.02], [0.58, 0.02], [0.3, 1])],
  [[...arc(0.3, 0.26, 0.22, 0.25, 90, 450, 30)], [...arc(0.3, 0.73, 0.28, 0.27, 270, 630, 30)]],
  [arc(0.3, 0.28, 0.26, 0.27, 0, 360, 30), line([0.56, 0.28], [0.52, 1])],
];

export const DIGIT_FONTS = { sans: SANS, serif: SERIF, hand: HAND } as const;
export type FontName = keyof typeof DIGIT_FONTS;
export const FONT_NAMES = Object.keys(DIGIT_FONTS) as FontName[];

/** The digit `d` in a font: slanted for the hand. */
export function digitGlyph(font: FontName, d: number): Glyph {
  const glyph = DIGIT_FONTS[font][d];
  return font === 'hand' ? slant(glyph, 0.12) : glyph;
}
