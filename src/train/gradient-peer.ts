/**
 * The training worker's peer for data-parallel training, in a Web Worker of its own (gradient.worker.ts), and the
 * handle the training worker holds on it. See data-parallel.ts for the maths.
 */
import * as Comlink from 'comlink';
import { useBackend, type BackendOptions } from '../backend/backend';
import { PeerTrainer, type GradientPeer, type PeerSetup, type PeerShard } from './data-parallel';

/** What gradient.worker.ts exposes: a PeerTrainer on a WASM backend it starts itself. */
export class GradientWorkerService extends PeerTrainer {
  async start(options: BackendOptions): Promise<void> {
    if (!(await useBackend('wasm', options))) throw new Error('WebAssembly did not start in the gradient worker.');
  }

  override async gradients(images: Float32Array, labels: Float32Array, count: number, step: number): Promise<PeerShard> {
    const shard = await super.gradients(images, labels, count, step);
    // Read back from a tensor: this worker's own copy, moved to the training worker rather than copied.
    return Comlink.transfer(shard, [shard.grads.buffer]);
  }
}

/** Whether this thread can start a gradient worker (browsers; not Node). */
export function canStartGradientWorker(): boolean {
  return typeof Worker !== 'undefined';
}

/** A gradient peer in its own worker, started with WASM (`options.wasmThreads` threads). `terminate` ends it. */
export async function startGradientWorker(options: BackendOptions): Promise<GradientPeer & { terminate(): void }> {
  const worker = new Worker(new URL('./gradient.worker.ts', import.meta.url), { type: 'module', name: 'digit-lab-gradients' });
  const remote = Comlink.wrap<GradientWorkerService>(worker);
  try {
    await remote.start(options);
  } catch (error) {
    worker.terminate();
    throw error;
  }
  return {
    init: (setup: PeerSetup) => remote.init(Comlink.transfer(setup, [setup.weights.buffer])),
    // The arrays are this thread's own copies (read back from tensors): moved to the worker, not copied.
    gradients: (images, labels, count, step): Promise<PeerShard> => remote.gradients(Comlink.transfer(images, [images.buffer]), Comlink.transfer(labels, [labels.buffer]), count, step),
    apply: (grads: Float32Array) => remote.apply(Comlink.transfer(grads, [grads.buffer])),
    recalibrationStart: (images, count) => remote.recalibrationStart(Comlink.transfer(images, [images.buffer]), count),
    recalibrationMoments: (layer, previous) => remote.recalibrationMoments(layer, previous),
    recalibrationEnd: (last) => remote.recalibrationEnd(last),
    release: () => remote.release(),
    terminate: () => worker.terminate(),
  };
}
