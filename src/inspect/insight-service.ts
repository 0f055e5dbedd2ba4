/**
 * The inspection worker's work (src/inspect/insight.worker.ts): heavy passes over many images for the lab's current
 * model — fitting the "not a digit" check, and the embeddings of the 60,000 training digits for the mistake
 * microscope. It owns its own tfjs backend and a copy of the model; no worker globals, so tests run it in-process.
 *
 * Why a worker of its own and not the training worker: the training engine runs one job at a time, so an embedding
 * would wait behind a run (or a run behind 60,000 embeddings), and its handle is private to the lab's trainer.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName, type BackendOptions, type BackendPreference } from '../backend/backend';
import { modelFromData, type ModelData } from '../model/artifacts';
import { chainLayers } from './activations';
import { calibrateDigitCheck, type DigitCheck } from './digit-check';
import { embedImages, embeddingSize } from './embedding';

export class InsightService {
  private loaded: { key: string; model: tf.LayersModel } | null = null;
  private busy: Promise<unknown> = Promise.resolve();

  async start(preference: BackendPreference, options: BackendOptions = {}): Promise<BackendName> {
    return (await initBackend(preference, options)).active;
  }

  /** One job at a time on the backend. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.busy.then(work, work);
    this.busy = next.catch(() => undefined);
    return next;
  }

  /** Makes `data` the model to work on (rebuilt only when `key` changes; the previous one is freed). */
  setModel(key: string, data: ModelData): Promise<void> {
    return this.exclusive(async () => {
      if (this.loaded?.key === key) return;
      const model = await modelFromData(data);
      this.loaded?.model.dispose();
      this.loaded = { key, model };
    });
  }

  private layers(key: string): tf.layers.Layer[] {
    if (this.loaded?.key !== key) throw new Error('the inspection engine holds another model; send this one first');
    return chainLayers(this.loaded.model);
  }

  /** Fits the "not a digit" check for the model (training images: at least the calibration's count). */
  calibrate(key: string, trainImages: Uint8Array, onProgress?: (fraction: number) => void): Promise<DigitCheck> {
    return this.exclusive(() => calibrateDigitCheck(this.layers(key), trainImages, { onProgress }));
  }

  /** The last hidden layer's values for `count` images: count × size numbers. */
  embed(key: string, images: Uint8Array, count: number): Promise<{ size: number; values: Float32Array }> {
    return this.exclusive(async () => {
      const layers = this.layers(key);
      return { size: embeddingSize(layers), values: await embedImages(layers, images, count, { batchSize: 250 }) };
    });
  }

  tensors(): number {
    return tf.memory().numTensors;
  }

  dispose(): void {
    this.loaded?.model.dispose();
    this.loaded = null;
  }
}
