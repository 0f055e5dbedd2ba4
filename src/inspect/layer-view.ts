import { formatNumber } from '../format';
import type { LayerActivation } from './activations';

/**
 * How the activation viewer shows one layer's output, decided from the numbers alone (no DOM): feature maps as
 * grids, the softmax as ten labelled bars, a short vector as bars, a long one (a flatten) as one sentence, dropout as
 * a note (it does nothing when predicting).
 */
export type LayerView =
  | { kind: 'dropout' }
  | { kind: 'maps'; /** CSS pixels per map. */ size: number; /** One colour scale for the whole layer. */ range: { min: number; max: number } }
  | { kind: 'probabilities' }
  | { kind: 'long-vector'; range: { min: number; max: number } }
  | { kind: 'vector'; range: { min: number; max: number }; /** Largest |value|: the full bar height. */ scale: number };

/** Vectors longer than this are summarised, not drawn as bars. */
export const MAX_VECTOR_BARS = 512;

/** The smallest and largest value over all channels. */
export function overallRange(ranges: readonly { min: number; max: number }[]): { min: number; max: number } {
  if (!ranges.length) return { min: 0, max: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (const r of ranges) {
    min = Math.min(min, r.min);
    max = Math.max(max, r.max);
  }
  return { min, max };
}

/** Maps are drawn 3 CSS px per value, within 28–84 px, so small late maps stay visible and early ones fit. */
export function mapSize(height: number): number {
  return Math.max(28, Math.min(84, height * 3));
}

export function layerView(layer: LayerActivation): LayerView {
  if (layer.className === 'Dropout') return { kind: 'dropout' };
  if (layer.kind === 'maps') return { kind: 'maps', size: mapSize(layer.shape[0]), range: overallRange(layer.ranges) };
  const values = layer.channels[0];
  const range = layer.ranges[0];
  if (layer.activation === 'softmax' && values.length === 10) return { kind: 'probabilities' };
  if (layer.className === 'Flatten' || values.length > MAX_VECTOR_BARS) return { kind: 'long-vector', range };
  return { kind: 'vector', range, scale: Math.max(Math.abs(range.min), Math.abs(range.max)) || 1 };
}

/** Values in [0, 1] on their layer's colour scale (a layer with one value everywhere paints at the bottom of it). */
export function normalise(values: ArrayLike<number>, range: { min: number; max: number }): Float32Array {
  const span = range.max - range.min || 1;
  return Float32Array.from(values, (v) => (v - range.min) / span);
}

/** One activation value as the viewer writes it: two decimals, whole numbers from 100 on ("-0.12", "231"). */
export function formatActivation(value: number): string {
  return formatNumber(value, Math.abs(value) >= 100 ? 0 : 2);
}
