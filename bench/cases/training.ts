// Training throughput of the small and classic nets per backend, in Chromium (bench.html). On wasm it runs twice:
// with the threads the page allows (it is cross-origin isolated) and with one thread. On a GPU backend it also
// measures the lab's own loop (the GPU path: images on the GPU, losses read every few batches) at bigger batches.
import * as tf from '@tensorflow/tfjs';
import type { BenchCase } from '../types';
import { trainingFigures } from '../training-throughput';
import { restartWasm } from '../../src/backend/backend';
import { loadMnist } from '../../src/data/loader';
import { gpuIsSoftware } from '../../src/backend/gpu-info';
import { labLoopFigures, LAB_LOOP_RUNS } from '../lab-loop-throughput';

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
    if (backend === 'webgl' || backend === 'webgpu') {
      const dataset = await loadMnist({ baseUrl: new URL('mnist/', document.baseURI).href });
      // A GPU rendered in software (SwiftShader here) trains the classic net at a few images a second: small net only.
      const software = await gpuIsSoftware(backend);
      figures.push(...(await labLoopFigures(dataset, { ...detail, software }, software ? LAB_LOOP_RUNS.filter((r) => r.spec.name === 'small') : LAB_LOOP_RUNS)));
    }
    return figures;
  },
};
