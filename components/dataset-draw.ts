/** Painting 28×28 digits on canvases: shared by the dataset and augmentation cells. */

const SIZE = 28;

/**
 * Paints one digit at its own resolution (the canvas is 28×28; CSS scales it with `image-rendering: pixelated`).
 * `scale` is what full ink is in `pixels`: 255 for the data set's bytes, 1 for tensors' floats.
 */
export function paintDigit(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, scale: number, offset = 0): void {
  if (canvas.width !== SIZE) canvas.width = SIZE;
  if (canvas.height !== SIZE) canvas.height = SIZE;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(SIZE, SIZE);
  const data = image.data;
  const k = 255 / scale;
  for (let p = 0; p < SIZE * SIZE; p++) {
    // White ink on black: the digit exactly as the network receives it.
    const v = Math.max(0, Math.min(255, Math.round(pixels[offset + p] * k)));
    data[p * 4] = v;
    data[p * 4 + 1] = v;
    data[p * 4 + 2] = v;
    data[p * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

/**
 * Paints a digit enlarged on a canvas of any size (nearest neighbour, so each pixel is a crisp square), and outlines
 * one pixel if asked.
 */
export function paintDigitLarge(
  canvas: HTMLCanvasElement,
  pixels: ArrayLike<number>,
  scale: number,
  highlight: { x: number; y: number } | null = null,
): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const small = document.createElement('canvas');
  paintDigit(small, pixels, scale);
  context.imageSmoothingEnabled = false;
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
  if (highlight) {
    const cell = canvas.width / SIZE;
    context.strokeStyle = '#ff8c00';
    context.lineWidth = 2;
    context.strokeRect(highlight.x * cell + 1, highlight.y * cell + 1, cell - 2, cell - 2);
  }
}

/** The pixel (x, y) under a pointer event on a canvas showing a 28×28 digit, or null outside it. */
export function pixelUnderPointer(canvas: HTMLCanvasElement, event: PointerEvent | MouseEvent): { x: number; y: number } | null {
  const rect = canvas.getBoundingClientRect();
  const x = Math.floor(((event.clientX - rect.left) / rect.width) * SIZE);
  const y = Math.floor(((event.clientY - rect.top) / rect.height) * SIZE);
  return x >= 0 && x < SIZE && y >= 0 && y < SIZE ? { x, y } : null;
}
