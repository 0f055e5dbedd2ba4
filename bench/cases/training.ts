// Training throughput of the small and classic nets per backend, in Chromium (bench.html). On wasm it runs twice:
// with the threads the page allows (it is cross-origin isolated) and with one thread.
import * as tf from '@tensorflow/tfjs';
import type { BenchCase } from '../types';
import { trainingFigures } from '../training-throughput';
import { restartWasm } from '../../src/backend/backend';

async function wasmThreads(): Promise<number> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return wasm.getThreadsCount();
}

export const cases: Record<string, BenchCase> = {
  training: async ({ backend }) => {
    const detail: Record<string, unknown> = { crossOriginIsolated: globalThis.crossOriginIsolated === true };
    if (backend === 'wasm') {
      detail.threads = await wasmThreads();
      detail.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    }
    const figures = await trainingFigures(detail, backend === 'cpu');
    if (backend === 'wasm' && (detail.threads as number) > 1) {
      await restartWasm(1);
      figures.push(...(await trainingFigures({ ...detail, threads: await wasmThreads() })));
    }
    return figures;
  },
};
