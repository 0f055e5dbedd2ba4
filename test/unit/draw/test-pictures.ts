/**
 * Photos of a written digit, made in the tests: a glyph inked onto paper under seven hard conditions — a small digit
 * on a large page, the digit edge to edge, a lighting gradient, a vignette, a dark table around the sheet, a dust
 * speck, grey pencil on grey noisy paper. Grey values 0 (black) – 1 (white), as RGBA bytes for the picture reader.
 */
import { seededRandom, type Random } from '../../../src/data/random';
import { grayImage, type GrayImage } from '../../../src/draw/preprocess';
import { drawGlyph, type Glyph } from '../../../src/draw/strokes';

export const CONDITIONS = ['small', 'edge', 'gradient', 'vignette', 'border', 'speck', 'grey-noise'] as const;
export type Condition = (typeof CONDITIONS)[number];

export interface TestPicture {
  gray: GrayImage;
  rgba: Uint8ClampedArray;
}

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** The digit `glyph` photographed under `condition` (seeded: the same arguments give the same picture). */
export function testPicture(glyph: Glyph, condition: Condition, seed = 1): TestPicture {
  const random = seededRandom(seed);
  const [width, height] = condition === 'small' ? [640, 480] : [480, 360];
  const coverage = grayImage(width, height);
  if (condition === 'small') {
    // 36 px tall on a 640×480 page, off-centre: about 0.3% of the picture.
    drawGlyph(coverage, glyph, { x: 420, y: 90, width: 26, height: 36 }, 0.1);
  } else if (condition === 'edge') {
    drawGlyph(coverage, glyph, { x: (width - height * 0.75) / 2, y: 0, width: height * 0.75, height }, 0.1);
  } else {
    drawGlyph(coverage, glyph, { x: width / 2 - 80, y: height / 2 - 110, width: 160, height: 220 }, 0.1);
  }
  const gray = grayImage(width, height);
  const paper = condition === 'grey-noise' ? 0.6 : 0.92;
  const inkTone = condition === 'grey-noise' ? 0.6 : 0.15; // ink brightness as a share of the paper under it
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let light = 1;
      if (condition === 'gradient') light = 1 - 0.55 * (x / width);
      if (condition === 'vignette') light = 1 - 0.6 * Math.min(1, ((x / width - 0.5) ** 2 + (y / height - 0.5) ** 2) / 0.5);
      let v = paper * light * (1 - coverage.data[y * width + x] * (1 - inkTone));
      if (condition === 'border') {
        const margin = 0.12;
        const onPage = x > width * margin && x < width * (1 - margin) && y > height * margin && y < height * (1 - margin);
        if (!onPage) v = 0.18;
      }
      if (condition === 'grey-noise') v += 0.05 * normal(random);
      gray.data[y * width + x] = Math.max(0, Math.min(1, v));
    }
  }
  if (condition === 'speck') {
    // A dust speck far from the digit.
    for (let y = 40; y < 48; y++) for (let x = 30; x < 38; x++) if ((x - 34) ** 2 + (y - 44) ** 2 <= 16) gray.data[y * width + x] = 0.1;
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const v = Math.round(gray.data[p] * 255);
    rgba.set([v, v, v, 255], p * 4);
  }
  return { gray, rgba };
}
