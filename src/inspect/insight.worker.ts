/// <reference lib="webworker" />
// The inspection worker: a module Web Worker with its own tfjs backend, for the passes over thousands of images that
// would freeze the page (the "not a digit" check's calibration, the training digits' embeddings). Results travel
// back transferred, not copied.
import * as Comlink from 'comlink';
import type { ModelData } from '../model/artifacts';
import { InsightService } from './insight-service';

const service = new InsightService();

Comlink.expose({
  start: service.start.bind(service),
  setModel: (key: string, data: ModelData) => service.setModel(key, data),
  calibrate: (key: string, images: Uint8Array, onProgress?: (fraction: number) => void) => service.calibrate(key, images, onProgress),
  embed: async (key: string, images: Uint8Array, count: number) => {
    const result = await service.embed(key, images, count);
    return Comlink.transfer(result, [result.values.buffer]);
  },
  tensors: () => service.tensors(),
});
