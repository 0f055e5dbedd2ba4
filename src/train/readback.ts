import * as tf from '@tensorflow/tfjs';

/** On a GPU, read the losses back about this often: the curves still move smoothly, and Pause answers in time. */
export const READBACK_TARGET_MS = 150;
/** At most this many batches wait unread (bounds the GPU queue, the work lost to a NaN, and Stop's delay). */
export const MAX_UNREAD_BATCHES = 32;

/**
 * How many batches run between two reads of their losses. Reading after every batch is what `trainOnBatch` does: on
 * a GPU that stalls the queue each batch (the GPU idles while the page reads and then queues the next batch). On
 * a GPU backend 'auto' lets batches run unread for about READBACK_TARGET_MS, measured; on a CPU backend (where a
 * kernel has finished when it returns) reading costs nothing, and 'auto' reads every batch.
 */
export class ReadbackPacer {
  private unreadLimit = 1;

  constructor(
    private readonly every: number | 'auto',
    private readonly gpu: boolean,
  ) {
    if (every !== 'auto' && !(Number.isInteger(every) && every >= 1)) throw new RangeError(`readback every ${every} batches: must be a whole number from 1`);
    if (every !== 'auto') this.unreadLimit = every;
  }

  /** Whether `unread` batches are enough to read now. */
  due(unread: number): boolean {
    return unread >= this.unreadLimit;
  }

  /** After a read: `batches` batches took `ms` from the first one's start to their values in hand. */
  measured(batches: number, ms: number): void {
    if (this.every !== 'auto' || !this.gpu || batches === 0 || !(ms > 0)) return;
    const perBatch = ms / batches;
    this.unreadLimit = Math.max(1, Math.min(MAX_UNREAD_BATCHES, Math.round(READBACK_TARGET_MS / perBatch)));
  }
}

/** Reads scalars from the device in one transfer (one wait for the queue), and frees them. */
export async function readScalars(scalars: tf.Tensor[]): Promise<Float32Array> {
  if (scalars.length === 0) return new Float32Array(0);
  const stacked = tf.stack(scalars);
  tf.dispose(scalars);
  try {
    return (await stacked.data()) as Float32Array;
  } finally {
    stacked.dispose();
  }
}
