// Training throughput of the small and classic nets in Node, on wasm (with the lab's kernels) and cpu.
// Prints one JSON line per figure. Run alone: npx tsx bench/node/training.ts [wasm,cpu]
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../src/backend/backend';
import { nodeWasmPaths } from '../../src/backend/node-wasm';
import { trainingFigures } from '../training-throughput';

const backends = (process.argv[2] ?? 'wasm,cpu').split(',') as BackendName[];

for (const backend of backends) {
  const choice = await initBackend(backend, { wasmPaths: nodeWasmPaths() });
  if (choice.active !== backend) {
    console.log(JSON.stringify({ where: 'node', name: 'training throughput', requested: backend, error: choice.fallbackReason }));
    continue;
  }
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  // cpu in Node is ~100× slower than wasm: one short run is enough to show it.
  const figures = await trainingFigures({ simd: backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : undefined }, backend === 'cpu');
  const cpu = process.cpuUsage(cpuStart);
  // The machine is shared: the share of a core this process got says how much the wall clock was stretched.
  const coreShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallStart);
  for (const f of figures) console.log(JSON.stringify({ where: 'node', backend: tf.getBackend(), coreShare: Math.round(coreShare * 100) / 100, ...f }));
}
