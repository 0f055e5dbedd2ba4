import * as tf from '@tensorflow/tfjs';
import type { MnistDataset } from '../data/mnist';

/** Images uploaded per piece: bounds the page's temporary copy (5,000 images: 16 MB) while 60,000 go up. */
const UPLOAD_CHUNK = 5000;

/**
 * A run's training images kept on the device (the GPU), uploaded once; each batch is gathered there, so a training
 * step sends the GPU a few hundred bytes of indices instead of the batch's pixels.
 *
 * Pixels are kept as float32 (0-1), 4 bytes each: tfjs has no 8-bit tensors (WebGL stores int32 as 32-bit floats
 * too), so uint8 would save nothing. All 60,000 images take 188 MB of GPU memory, 5,000 take 16 MB.
 */
export class ResidentImages {
  private constructor(
    private readonly xs: tf.Tensor4D,
    private readonly ys: tf.Tensor2D,
    /** Row in xs/ys of each training-set index, -1 for images not uploaded. */
    private readonly rowOf: Int32Array,
  ) {}

  /** Uploads the training images `indices` (training-set indices) with their one-hot labels. */
  static upload(dataset: MnistDataset, indices: Int32Array): ResidentImages {
    const rowOf = new Int32Array(dataset.train.count).fill(-1);
    indices.forEach((index, row) => (rowOf[index] = row));
    const parts: { xs: tf.Tensor; ys: tf.Tensor }[] = [];
    try {
      for (let start = 0; start < indices.length; start += UPLOAD_CHUNK) {
        const { xs, ys } = dataset.batch('train', indices.subarray(start, start + UPLOAD_CHUNK));
        parts.push({ xs, ys });
      }
      if (parts.length === 1) return new ResidentImages(parts[0].xs as tf.Tensor4D, parts[0].ys as tf.Tensor2D, rowOf);
      const xs = tf.concat(parts.map((p) => p.xs)) as tf.Tensor4D;
      const ys = tf.concat(parts.map((p) => p.ys)) as tf.Tensor2D;
      tf.dispose(parts.flatMap((p) => [p.xs, p.ys]));
      parts.length = 0;
      return new ResidentImages(xs, ys, rowOf);
    } catch (error) {
      tf.dispose(parts.flatMap((p) => [p.xs, p.ys]));
      throw error;
    }
  }

  /** The batch of these training-set indices, gathered on the device; the caller disposes both tensors. */
  batch(indices: Int32Array): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
    const rows = Int32Array.from(indices, (index) => {
      const row = this.rowOf[index];
      if (row < 0) throw new RangeError(`training image ${index} was not uploaded`);
      return row;
    });
    return tf.tidy(() => {
      const at = tf.tensor1d(rows, 'int32');
      return { xs: tf.gather(this.xs, at) as tf.Tensor4D, ys: tf.gather(this.ys, at) as tf.Tensor2D };
    });
  }

  dispose(): void {
    tf.dispose([this.xs, this.ys]);
  }
}
