/**
 * @deprecated Use `paintDigit` from './digit-painter' (the lab's one digit painter). This adapter keeps the old
 * signature for callers not yet moved (augment-preview); it paints through the one painter and has no loop of its own.
 */
import { paintDigit as paintOneDigit } from './digit-painter';

/** Paints one digit at 28×28; `scale` is what full ink is in `pixels` (255 for bytes, 1 for floats). */
export function paintDigit(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, scale: number, offset = 0): void {
  paintOneDigit(canvas, pixels, { scale: 1, range: scale, offset });
}
