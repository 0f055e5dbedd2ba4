/** Curve helpers for the charts and the run history: plain arrays in, plain arrays out. */

/** Exponential moving average with bias correction (as TensorBoard smooths), so the start is not pulled to 0. */
export function smooth(values: readonly number[], weight = 0.9): number[] {
  const out: number[] = [];
  let avg = 0;
  for (let i = 0; i < values.length; i++) {
    avg = weight * avg + (1 - weight) * values[i];
    out.push(avg / (1 - weight ** (i + 1)));
  }
  return out;
}

/** At most `points` values evenly spread over the curve (first and last kept), for storage and overlays. */
export function downsample(values: readonly number[], points: number): number[] {
  if (values.length <= points) return [...values];
  const out: number[] = [];
  for (let i = 0; i < points; i++) out.push(values[Math.round((i * (values.length - 1)) / (points - 1))]);
  return out;
}

/** The curve at `points` evenly spaced fractions of the run, linearly interpolated: runs of any length overlay. */
export function resample(values: readonly number[], points: number): number[] {
  if (values.length === 0) return [];
  if (values.length === 1) return new Array<number>(points).fill(values[0]);
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    const at = (i * (values.length - 1)) / (points - 1);
    const lo = Math.floor(at);
    const hi = Math.min(lo + 1, values.length - 1);
    out.push(values[lo] + (values[hi] - values[lo]) * (at - lo));
  }
  return out;
}

/** A "nice" stride (1, 2, 5, 10, 20, 50, …) so that `length / stride` is at most `points`. */
export function niceStride(length: number, points: number): number {
  const min = Math.max(1, Math.ceil(length / points));
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const step of [1, 2, 5]) if (step * magnitude >= min) return step * magnitude;
  }
}

/** Means of consecutive blocks of `stride` values: point i stands for items i·stride … (i+1)·stride − 1. */
export function blockMeans(values: readonly number[], stride: number): number[] {
  const out: number[] = [];
  for (let start = 0; start < values.length; start += stride) {
    const block = values.slice(start, start + stride);
    out.push(block.reduce((a, b) => a + b, 0) / block.length);
  }
  return out;
}
