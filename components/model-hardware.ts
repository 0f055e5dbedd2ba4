import type { BackendName } from '../src/backend/backend';
import { gpuIsSoftware } from '../src/backend/gpu-info';
import type { ThroughputKey } from '../src/model/estimate';

/** Which throughput assumption fits the backend in use on this device (a software GPU is far slower). */
export async function throughputKeyFor(backend: BackendName): Promise<ThroughputKey> {
  if (backend === 'webgl') return (await gpuIsSoftware('webgl')) ? 'webgl-software' : 'webgl';
  if (backend === 'webgpu') return (await gpuIsSoftware('webgpu')) ? 'webgpu-software' : 'webgpu';
  return backend;
}
