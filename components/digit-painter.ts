/** One painter for 28×28 digits: the data set's bytes, tensors' floats, drawings, augmented batches. */

export const DIGIT_SIZE = 28;

export interface PaintDigitOptions {
  /** Canvas pixels per digit pixel (nearest neighbour: crisp squares). 1 paints at 28×28 and lets CSS scale it. */
  scale: number;
  /** Black ink on white instead of MNIST's white on black. */
  invert?: boolean;
  /**
   * What full ink is in `pixels`: 255 for bytes, 1 for floats. Default: 255 for Uint8Array/Uint8ClampedArray, else 1.
   */
  range?: number;
  /** Where the digit starts in `pixels` (a batch of digits in one array). Default 0. */
  offset?: number;
  /** One pixel to outline (e.g. under the pointer). */
  highlight?: { x: number; y: number } | null;
}

const isBytes = (pixels: ArrayLike<number>): boolean => pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray;

/**
 * Paints one 28×28 digit. Given a canvas, sizes it to 28·scale square (only if it differs, so an unchanged canvas is
 * not cleared twice); given a context, paints at its top-left corner and leaves its size alone.
 */
export function paintDigit(
  target: HTMLCanvasElement | CanvasRenderingContext2D,
  pixels: ArrayLike<number>,
  options: PaintDigitOptions,
): void {
  const scale = Math.max(1, Math.round(options.scale));
  const side = DIGIT_SIZE * scale;
  let ctx: CanvasRenderingContext2D | null;
  if ('getContext' in target) {
    if (target.width !== side) target.width = side;
    if (target.height !== side) target.height = side;
    ctx = target.getContext('2d');
  } else {
    ctx = target;
  }
  if (!ctx) return;
  const image = ctx.createImageData(side, side);
  const data = image.data;
  const k = 255 / (options.range ?? (isBytes(pixels) ? 255 : 1));
  const offset = options.offset ?? 0;
  for (let y = 0; y < DIGIT_SIZE; y++) {
    for (let x = 0; x < DIGIT_SIZE; x++) {
      const ink = Math.max(0, Math.min(255, Math.round(pixels[offset + y * DIGIT_SIZE + x] * k))) || 0;
      const v = options.invert ? 255 - ink : ink;
      for (let dy = 0; dy < scale; dy++) {
        let p = ((y * scale + dy) * side + x * scale) * 4;
        for (let dx = 0; dx < scale; dx++, p += 4) {
          data[p] = v;
          data[p + 1] = v;
          data[p + 2] = v;
          data[p + 3] = 255;
        }
      }
    }
  }
  ctx.putImageData(image, 0, 0);
  if (options.highlight) {
    const { x, y } = options.highlight;
    ctx.strokeStyle = getComputedHighlight(ctx);
    ctx.lineWidth = 2;
    ctx.strokeRect(x * scale + 1, y * scale + 1, scale - 2, scale - 2);
  }
}

/** The `--lab-highlight` token where the canvas sits in the page, orange otherwise. */
function getComputedHighlight(ctx: CanvasRenderingContext2D): string {
  const canvas = ctx.canvas as HTMLCanvasElement | OffscreenCanvas;
  const value = 'isConnected' in canvas && canvas.isConnected ? getComputedStyle(canvas).getPropertyValue('--lab-highlight').trim() : '';
  return value || '#ff8c00';
}
