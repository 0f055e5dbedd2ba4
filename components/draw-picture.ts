/** Reading a picture file (PNG, JPEG, …) into ink on the drawing pad, with messages a learner can act on. */
import { fitInSquare, pictureOnPad, type PadPicture } from '../src/draw/picture';

/** A picture that cannot be used; the message says why and what to do. */
export class PictureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PictureError';
  }
}

/**
 * Decodes `file`, scales it to fit the size×size pad (a phone photo has millions of pixels; the pad needs 78,400) and
 * turns it into ink centred on the pad. Throws PictureError when the file is not an image, cannot be decoded or
 * holds no ink.
 */
export async function readPicture(file: File, size: number): Promise<PadPicture> {
  if (!file.type.startsWith('image/')) {
    throw new PictureError(`“${file.name}” is not an image. Pick a PNG or JPEG picture of a digit.`);
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PictureError(`“${file.name}” could not be read as an image; it may be damaged. Try a PNG or JPEG.`);
  }
  const { width, height } = fitInSquare(bitmap.width, bitmap.height, size);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new PictureError('This browser cannot read pictures here (no 2D canvas).');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const picture = pictureOnPad(ctx.getImageData(0, 0, width, height).data, width, height, size);
  if (picture.blank) {
    throw new PictureError(`No digit found in “${file.name}”: the picture looks blank. Try a photo with dark ink on light paper.`);
  }
  return picture;
}
