/** Reading a picture file (PNG, JPEG, SVG, …) into ink on the drawing pad, with messages a learner can act on. */
import { fitInSquare, pictureOnPad, type PadPicture } from '../src/draw/picture';

/** A picture that cannot be used; the message says why and what to do. */
export class PictureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PictureError';
  }
}

/**
 * The size pictures are read at: large enough that a digit covering 1% of a photo still has ~60 px to its side,
 * small enough that finding the ink stays quick (a phone photo has millions of pixels).
 */
export const READ_SIZE = 640;

/** An SVG is drawn through an <img> (createImageBitmap refuses SVG files in Chromium). */
async function svgImage(file: File): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

const isSvg = (file: File) => file.type === 'image/svg+xml' || /\.svg$/i.test(file.name);

/**
 * Decodes `file`, draws it at up to READ_SIZE a side on white (transparent parts are paper), finds the ink and puts
 * the digit on the size×size pad. Throws PictureError when the file is not an image, cannot be decoded, or holds
 * no ink.
 */
export async function readPicture(file: File, size: number): Promise<PadPicture> {
  if (!file.type.startsWith('image/') && !isSvg(file)) {
    throw new PictureError(`“${file.name}” is not an image. Pick a PNG or JPEG picture of a digit.`);
  }
  let source: ImageBitmap | HTMLImageElement;
  let natural: { width: number; height: number };
  try {
    if (isSvg(file)) {
      const image = await svgImage(file);
      // An SVG with no width and height of its own has no natural size: draw it at the reading size.
      natural = image.naturalWidth > 0 && image.naturalHeight > 0 ? { width: image.naturalWidth, height: image.naturalHeight } : { width: READ_SIZE, height: READ_SIZE };
      source = image;
    } else {
      source = await createImageBitmap(file);
      natural = { width: source.width, height: source.height };
    }
  } catch {
    throw new PictureError(
      isSvg(file)
        ? `“${file.name}” could not be drawn: it is not a valid SVG picture. Try a PNG or JPEG.`
        : `“${file.name}” could not be read as an image; it may be damaged. Try a PNG or JPEG.`,
    );
  }
  const { width, height } = fitInSquare(natural.width, natural.height, READ_SIZE);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new PictureError('This browser cannot read pictures here (no 2D canvas).');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, width, height);
  if ('close' in source) source.close();
  const picture = pictureOnPad(ctx.getImageData(0, 0, width, height).data, width, height, size);
  if (picture.blank) {
    throw new PictureError(`No digit found in “${file.name}”: the picture looks blank. Try a photo with dark ink on light paper.`);
  }
  return picture;
}
