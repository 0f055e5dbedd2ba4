/**
 * Data-parallel training on several CPU cores: each training step's batch is split between this thread and a peer
 * (a second worker with its own WASM backend, src/train/gradient.worker.ts). Each computes the gradients of the mean
 * loss over its part, the gradients are averaged (weighted by the parts' sizes, so the average is the gradient of the
 * mean loss over the whole batch), and both apply that same average with optimizers that started alike: the two
 * copies of the weights stay identical, step after step, without sending weights back and forth.
 *
 * What changes in the maths: batch normalisation normalises each part with that part's own mean and variance (as
 * when training on several GPUs), and each copy's moving statistics follow its own part; the lab re-measures them
 * over training images at every epoch's end (batchnorm.ts, the two threads measuring half each), so the model scores
 * with statistics of the whole data and both copies hold the same.
 *
 * The gradients travel as one flat Float32Array per step each way (the classic net: 872k numbers, 3.5 MB), moved,
 * not copied, between workers (transferred buffers).
 */
import * as tf from '@tensorflow/tfjs';
import { createTrainableModel, type OptimizerSettings, type TrainableModel } from '../model/compile';
import type { ModelSpec } from '../model/spec';
import { ActivationWalk, imageChunks, setMovingStats, type LayerMoments, type LayerStats, type RecalibrationPeer } from './batchnorm';
import { seedDropout } from './loop';
import { applyFlatGradients, shardGradients } from './step';

/** The most workers data-parallel training uses: the training worker and a gradient worker. */
export const PARALLEL_WORKERS = 2;

/** A peer's part of one step: its gradients (flat, trainable weights in order), and its loss and hits. */
export interface PeerShard {
  grads: Float32Array;
  /** Mean loss over the peer's images. */
  loss: number;
  /** How many of the peer's images the network got right. */
  hits: number;
}

export interface PeerSetup {
  spec: ModelSpec;
  optimizer: OptimizerSettings;
  /** The run's seed: the peer draws its own dropout masks from it. */
  seed: number;
  /** The starting weights, flat (all weights in order: moving statistics included). */
  weights: Float32Array;
}

/**
 * The other side of a data-parallel step: a worker (gradient.worker.ts) or, in tests, this thread. It also measures
 * half of the images of the end-of-epoch batch-norm measurement (batchnorm.ts).
 */
export interface GradientPeer extends RecalibrationPeer {
  init(setup: PeerSetup): Promise<void>;
  /** Gradients over `count` images (pixels 0-1, [count, 28, 28, 1] flat; one-hot labels [count, 10] flat). */
  gradients(images: Float32Array, labels: Float32Array, count: number, step: number): Promise<PeerShard>;
  /** Applies the step's averaged gradients (flat): the same update as this thread's. */
  apply(grads: Float32Array): Promise<void>;
  /** Frees the peer's model; it can be initialised again. */
  release(): Promise<void>;
}

/** Gives the peer's dropout other masks than this thread's (the parts hold different images anyway). */
const PEER_DROPOUT_SALT = 0x2545f491;

/** A model's weights (all, or the trainable ones) as one flat array; `setFlatWeights` takes all of them back. */
export async function flatWeights(model: tf.LayersModel, trainableOnly = false): Promise<Float32Array> {
  const weights = trainableOnly ? model.trainableWeights : model.weights;
  const flat = tf.tidy(() => tf.concat(weights.map((w) => tf.reshape(w.read(), [-1]))));
  try {
    return (await flat.data()) as Float32Array;
  } finally {
    flat.dispose();
  }
}

export function setFlatWeights(model: tf.LayersModel, flat: Float32Array): void {
  const sizes = model.weights.map((w) => tf.util.sizeFromShape(w.shape as number[]));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== flat.length) throw new Error(`The weights hold ${flat.length} numbers; this network has ${total}.`);
  let at = 0;
  const tensors = model.weights.map((w, i) => {
    const t = tf.tensor(flat.subarray(at, at + sizes[i]), w.shape as number[]);
    at += sizes[i];
    return t;
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/**
 * The peer's side, on whichever thread it runs: its own copy of the network and optimizer, gradients on request,
 * and the averaged update applied as told. gradient.worker.ts exposes one; tests call one directly.
 */
export class PeerTrainer implements GradientPeer {
  private trainable: TrainableModel | null = null;
  private seed = 0;
  private walk: ActivationWalk | null = null;

  async init(setup: PeerSetup): Promise<void> {
    await this.release();
    const trainable = createTrainableModel(setup.spec, { ...setup.optimizer, seed: setup.seed });
    try {
      setFlatWeights(trainable.model, setup.weights);
    } catch (error) {
      trainable.dispose();
      throw error;
    }
    this.trainable = trainable;
    this.seed = setup.seed;
  }

  private get ready(): TrainableModel {
    if (!this.trainable) throw new Error('The gradient peer has no network: call init first.');
    return this.trainable;
  }

  async gradients(images: Float32Array, labels: Float32Array, count: number, step: number): Promise<PeerShard> {
    const { model } = this.ready;
    seedDropout(model, this.seed ^ PEER_DROPOUT_SALT, step);
    const xs = tf.tensor4d(images, [count, 28, 28, 1]);
    const ys = tf.tensor2d(labels, [count, labels.length / count]);
    try {
      const shard = shardGradients(model, xs, ys);
      try {
        const [grads, loss, hits] = await Promise.all([shard.grads.data(), shard.loss.data(), shard.hits.data()]);
        return { grads: grads as Float32Array, loss: loss[0], hits: hits[0] };
      } finally {
        tf.dispose([shard.grads, shard.loss, shard.hits]);
      }
    } finally {
      tf.dispose([xs, ys]);
    }
  }

  async apply(grads: Float32Array): Promise<void> {
    const { model, optimizer } = this.ready;
    const flat = tf.tensor1d(grads);
    try {
      applyFlatGradients(model, optimizer, flat);
    } finally {
      flat.dispose();
    }
  }

  async recalibrationStart(images: Float32Array, count: number): Promise<void> {
    const { model } = this.ready;
    this.walk?.dispose();
    const xs = tf.tensor4d(images, [count, 28, 28, 1]);
    try {
      this.walk = new ActivationWalk(model, imageChunks(xs));
    } finally {
      xs.dispose();
    }
  }

  async recalibrationMoments(layer: number, previous: LayerStats | null): Promise<LayerMoments> {
    const { model } = this.ready;
    if (!this.walk) throw new Error('The gradient peer has no images to measure: call recalibrationStart first.');
    if (previous) setMovingStats(model.layers[previous.layer], previous);
    await this.walk.advanceTo(layer);
    return this.walk.moments();
  }

  async recalibrationEnd(last: LayerStats | null): Promise<void> {
    if (last && this.trainable) setMovingStats(this.trainable.model.layers[last.layer], last);
    this.walk?.dispose();
    this.walk = null;
  }

  /** All of the peer's weights, flat (tests check they stay equal to this thread's). */
  allWeights(): Promise<Float32Array> {
    return flatWeights(this.ready.model);
  }

  /** The peer's trainable weights, flat (tests check they stay equal to this thread's). */
  trainableWeights(): Promise<Float32Array> {
    return flatWeights(this.ready.model, true);
  }

  async release(): Promise<void> {
    this.walk?.dispose();
    this.walk = null;
    this.trainable?.dispose();
    this.trainable = null;
  }
}

/** Parts smaller than this are not split off: batch norm needs a few images per part. */
export const MIN_PEER_IMAGES = 2;

/**
 * This thread's side of data-parallel training for one run: `step` replaces `model.trainOnBatch` (same return: the
 * batch's loss and accuracy). The peer gets the batch's second half; a batch too small to split is trained here
 * alone, and the peer still applies the same update.
 */
export class DataParallelTrainer {
  private pendingApply: Promise<void> = Promise.resolve();

  private constructor(
    private readonly model: tf.LayersModel,
    private readonly optimizer: tf.Optimizer,
    private readonly peer: GradientPeer,
  ) {}

  /** Sends the network's starting weights and settings to the peer. */
  static async open(trainable: TrainableModel, peer: GradientPeer, optimizer: OptimizerSettings, seed: number): Promise<DataParallelTrainer> {
    await peer.init({ spec: trainable.spec, optimizer, seed, weights: await flatWeights(trainable.model) });
    return new DataParallelTrainer(trainable.model, trainable.optimizer, peer);
  }

  /** One training step on (xs, ys); dropout is seeded by the caller (seedDropout) as for trainOnBatch. */
  async step(xs: tf.Tensor, ys: tf.Tensor, step: number): Promise<[number, number]> {
    const n = xs.shape[0];
    const peerCount = Math.floor(n / 2) >= MIN_PEER_IMAGES ? Math.floor(n / 2) : 0;
    const ownCount = n - peerCount;
    // The peer's part goes first, so that both threads compute at once.
    let peerShard: Promise<PeerShard> | null = null;
    if (peerCount > 0) {
      const [images, labels] = await Promise.all([sliceData(xs, ownCount, peerCount), sliceData(ys, ownCount, peerCount)]);
      await this.pendingApply;
      peerShard = this.peer.gradients(images, labels, peerCount, step);
    }
    const ownXs = peerCount > 0 ? tf.slice(xs, 0, ownCount) : xs;
    const ownYs = peerCount > 0 ? tf.slice(ys, 0, ownCount) : ys;
    let own: ReturnType<typeof shardGradients>;
    try {
      own = shardGradients(this.model, ownXs, ownYs);
    } catch (error) {
      // Let the peer finish its part before the error ends the run (the peer is reused by the next one).
      await peerShard?.catch(() => undefined);
      throw error;
    } finally {
      if (ownXs !== xs) tf.dispose([ownXs, ownYs]);
    }
    let average: tf.Tensor1D | null = null;
    try {
      const theirs = peerShard ? await peerShard : null;
      // Weighted by the parts' sizes: the gradient of the mean loss over the whole batch.
      average = theirs
        ? tf.tidy(() => tf.div(tf.add(tf.mul(own.grads, ownCount), tf.mul(tf.tensor1d(theirs.grads), peerCount)), n) as tf.Tensor1D)
        : own.grads;
      const averaged = (await average.data()) as Float32Array;
      // Same update on both sides; the peer's runs while this thread applies its own.
      const applied = this.peer.apply(averaged);
      // Awaited before the next step or at close; a failure surfaces there, not as an unhandled rejection.
      applied.catch(() => undefined);
      this.pendingApply = applied;
      applyFlatGradients(this.model, this.optimizer, average);
      const [ownLoss, ownHits] = await Promise.all([own.loss.data(), own.hits.data()]);
      const loss = (ownLoss[0] * ownCount + (theirs ? theirs.loss * peerCount : 0)) / n;
      const accuracy = (ownHits[0] + (theirs?.hits ?? 0)) / n;
      return [loss, accuracy];
    } finally {
      tf.dispose([own.grads, own.loss, own.hits]);
      if (average && average !== own.grads) average.dispose();
    }
  }

  /** The peer, to share the end-of-epoch batch-norm measurement (batchnorm.ts) once its last update is applied. */
  get recalibrationPeer(): RecalibrationPeer {
    return {
      recalibrationStart: async (images, count) => {
        await this.pendingApply;
        return this.peer.recalibrationStart(images, count);
      },
      recalibrationMoments: (layer, previous) => this.peer.recalibrationMoments(layer, previous),
      recalibrationEnd: (last) => this.peer.recalibrationEnd(last),
    };
  }

  /** Waits for the peer's last update and frees its network. */
  async close(): Promise<void> {
    try {
      await this.pendingApply;
    } finally {
      await this.peer.release();
    }
  }
}

/** Rows [from, from + count) of a tensor's first axis, as a fresh Float32Array (ready to transfer). */
async function sliceData(t: tf.Tensor, from: number, count: number): Promise<Float32Array> {
  const part = tf.slice(t, from, count);
  try {
    return Float32Array.from(await part.data());
  } finally {
    part.dispose();
  }
}
