import * as tf from '@tensorflow/tfjs';

/** The pool holds at least twice the largest mask asked for, so masks start at many different places. */
const POOL_HEADROOM = 2;
const MIN_POOL = 1 << 20;

/** The parts of tfjs-layers' Dropout layer this reads (its typings keep them protected). */
interface DropoutLayer {
  rate: number;
  seed?: number;
  getNoiseShape(input: tf.Tensor): number[] | null;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

/**
 * Dropout masks cut from random numbers made once per run and kept on the GPU.
 *
 * tfjs makes a dropout mask's random numbers in JavaScript and uploads them, every step: for the classic net at
 * batch 256 that is 2.5 million numbers, ~45 ms of the page's time per step (measured in Node), while the GPU waits.
 * Here every mask is a window of one pool of uniform random numbers, at an offset drawn from the layer's seed for
 * the step (loop.ts seedDropout): the same seed gives the same masks; consecutive steps take unrelated windows, so
 * each unit is kept with probability 1 - rate, step after step, as with fresh numbers.
 */
export class DeviceDropout {
  private pool: tf.Tensor1D | null = null;
  private readonly restore: (() => void)[] = [];

  private constructor(private readonly seed: number) {}

  /** Gives the model's dropout layers device-side masks while training; `dispose()` puts tfjs's own back. */
  static install(model: tf.LayersModel, seed: number): DeviceDropout {
    const dropout = new DeviceDropout(seed);
    for (const candidate of model.layers) {
      if (candidate.getClassName() !== 'Dropout') continue;
      const layer = candidate as unknown as DropoutLayer;
      const own = layer.call;
      layer.call = (inputs, kwargs) => {
        const input = Array.isArray(inputs) ? inputs[0] : inputs;
        if (kwargs?.training !== true || !(layer.rate > 0 && layer.rate < 1)) return own.call(layer, inputs, kwargs);
        return tf.tidy(() => tf.mul(input, dropout.mask(layer.getNoiseShape(input) ?? input.shape, layer.rate, layer.seed ?? 0)));
      };
      dropout.restore.push(() => (layer.call = own));
    }
    return dropout;
  }

  /** 0 or 1 / (1 - rate) per element (tfjs's scaling), shaped `shape`. */
  private mask(shape: number[], rate: number, stepSeed: number): tf.Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    const pool = this.poolFor(size);
    // An offset from the step's seed, anywhere the window fits (Knuth's multiplicative hash spreads nearby seeds).
    const offset = Math.imul(stepSeed >>> 0, 2654435761) >>> 0;
    const start = offset % (pool.size - size + 1);
    const keep = 1 - rate;
    return tf.div(tf.floor(tf.add(tf.reshape(tf.slice(pool, start, size), shape), keep)), keep);
  }

  private poolFor(size: number): tf.Tensor1D {
    if (!this.pool || this.pool.size < POOL_HEADROOM * size) {
      this.pool?.dispose();
      const poolSize = Math.max(MIN_POOL, 2 ** Math.ceil(Math.log2(POOL_HEADROOM * size)));
      // Made once in JavaScript (the same way tfjs makes each mask) and uploaded once.
      const pool = tf.keep(tf.randomUniform([poolSize], 0, 1, 'float32', this.seed) as tf.Tensor1D);
      this.pool = pool;
      return pool;
    }
    return this.pool;
  }

  dispose(): void {
    for (const put of this.restore.splice(0)) put();
    this.pool?.dispose();
    this.pool = null;
  }
}
