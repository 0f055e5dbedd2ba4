/**
 * The page's handle on the inspection engine: a module Web Worker where there is one (the page stays responsive
 * through 60,000 forward passes), else the same InsightService on this thread (Node, tests).
 */
import * as Comlink from 'comlink';
import type { BackendName, BackendOptions, BackendPreference } from '../backend/backend';
import type { ModelData } from '../model/artifacts';
import type { DigitCheck } from './digit-check';
import { InsightService } from './insight-service';

export interface InsightEngine {
  readonly location: 'worker' | 'page';
  start(preference: BackendPreference): Promise<BackendName>;
  /** Sends the model (its weights copied; the page keeps its own). */
  setModel(key: string, data: ModelData): Promise<void>;
  calibrate(key: string, trainImages: Uint8Array, onProgress?: (fraction: number) => void): Promise<DigitCheck>;
  embed(key: string, images: Uint8Array, count: number): Promise<{ size: number; values: Float32Array }>;
  tensors(): Promise<number>;
  terminate(): void;
}

type Remote = {
  start(preference: BackendPreference, options: BackendOptions): Promise<BackendName>;
  setModel(key: string, data: ModelData): Promise<void>;
  calibrate(key: string, images: Uint8Array, onProgress?: (fraction: number) => void): Promise<DigitCheck>;
  embed(key: string, images: Uint8Array, count: number): Promise<{ size: number; values: Float32Array }>;
  tensors(): Promise<number>;
};

/** The engine in a module worker. */
export function createWorkerInsightEngine(options: BackendOptions = {}): InsightEngine {
  const worker = new Worker(new URL('./insight.worker.ts', import.meta.url), { type: 'module', name: 'digit-lab-inspection' });
  const remote = Comlink.wrap<Remote>(worker);
  return {
    location: 'worker',
    start: (preference) => remote.start(preference, options),
    setModel: (key, data) => remote.setModel(key, { ...data, weightData: data.weightData.slice(0) }),
    calibrate: (key, images, onProgress) => remote.calibrate(key, images, onProgress ? Comlink.proxy(onProgress) : undefined),
    embed: (key, images, count) => remote.embed(key, Comlink.transfer(images, [images.buffer]), count),
    tensors: () => remote.tensors(),
    terminate: () => worker.terminate(),
  };
}

/** The same engine on this thread, sharing the page's backend (Node, tests). */
export function createInProcessInsightEngine(options: BackendOptions = {}, service = new InsightService()): InsightEngine {
  return {
    location: 'page',
    start: (preference) => service.start(preference, options),
    setModel: (key, data) => service.setModel(key, data),
    calibrate: (key, images, onProgress) => service.calibrate(key, images, onProgress),
    embed: (key, images, count) => service.embed(key, images, count),
    tensors: async () => service.tensors(),
    terminate: () => service.dispose(),
  };
}
