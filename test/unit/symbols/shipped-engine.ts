import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import type { LabModel } from '../../../src/model/lab-model';
import { loadShippedModel } from '../../../src/model/shipped';
import { createInProcessEngine, type TrainingEngine } from '../../../src/train/engine';
import { withFirstTestDigits } from '../data/test-digits';
import { SHIPPED_BASE, shippedModelFetch } from '../inspect/shipped-fixture';

/**
 * What the symbol tests teach on: the shipped classic network on WASM, and the engine the training worker runs
 * (in-process here) holding MNIST with only its first `testDigits` test digits. The caller disposes `base`.
 */
export async function openShippedEngine(testDigits: number): Promise<{ base: LabModel; dataset: MnistDataset; engine: TrainingEngine }> {
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  const base = await loadShippedModel(SHIPPED_BASE, { fetch: shippedModelFetch });
  const dataset = withFirstTestDigits(await loadPreparedMnist(), testDigits);
  const engine = createInProcessEngine({ wasmPaths: nodeWasmPaths() });
  await engine.start('wasm');
  await engine.ensureDataset(dataset);
  return { base, dataset, engine };
}
