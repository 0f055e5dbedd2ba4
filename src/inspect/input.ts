import { formatInteger } from '../format';
import type { MnistDataset, Split } from '../data/mnist';

/** What the activation viewer follows: a data-set digit or the learner's drawing. */
export type InputSource = 'digit' | 'drawing';

/** One image to inspect, 784 values in [0, 1], with what to call it. */
export interface InspectedImage {
  pixels: Float32Array;
  caption: string;
  /** The data set's label, or null for a drawing. */
  label: number | null;
}

/** A data-set digit as the network sees it: "Training digit #7", bytes scaled to [0, 1]. */
export function digitInput(dataset: MnistDataset, { split, index }: { split: Split; index: number }): InspectedImage {
  const pixels = Float32Array.from(dataset.image(split, index), (v) => v / 255);
  const caption = `${split === 'test' ? 'Test' : 'Training'} digit #${formatInteger(index)}`;
  return { pixels, caption, label: dataset.label(split, index) };
}

/** The drawing from the draw pad (already prepared as MNIST). */
export function drawingInput(drawing: Float32Array): InspectedImage {
  return { pixels: drawing, caption: 'Your drawing (prepared as MNIST)', label: null };
}

export type ParsedIndex = { ok: true; index: number } | { ok: false; message: string };

/** Reads a digit number typed by the learner; refuses anything but a whole number inside the split. */
export function parseDigitIndex(text: string, count: number): ParsedIndex {
  const trimmed = text.trim();
  const index = Number(trimmed);
  if (trimmed === '' || !Number.isInteger(index) || index < 0 || index >= count) {
    return { ok: false, message: `Pick a digit number from 0 to ${formatInteger(count - 1)}.` };
  }
  return { ok: true, index };
}
