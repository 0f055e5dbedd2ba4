import type { BackendName } from '../src/backend/backend';
import type { ThroughputKey } from '../src/model/estimate';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

let webglSoftware: boolean | null = null;
let webgpuSoftware: Promise<boolean> | null = null;

/** Whether WebGL here is a software rasteriser (then it is about a hundred times slower than a GPU). */
function isWebglSoftware(): boolean {
  if (webglSoftware !== null) return webglSoftware;
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return (webglSoftware = false);
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    webglSoftware = SOFTWARE_RENDERER.test(renderer);
    // Free the probe's context at once: browsers allow only a few.
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  } catch {
    webglSoftware = false;
  }
  return webglSoftware;
}

/** Whether the WebGPU adapter is a fallback (software) one. */
function isWebgpuSoftware(): Promise<boolean> {
  webgpuSoftware ??= (async () => {
    // navigator.gpu has no types in this project's DOM lib; read only the two fields used.
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const adapter = (await gpu?.requestAdapter().catch(() => null)) as
      | { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string } }
      | null
      | undefined;
    if (!adapter) return false;
    const info = adapter.info;
    return Boolean(info?.isFallbackAdapter ?? adapter.isFallbackAdapter) || SOFTWARE_RENDERER.test(`${info?.vendor} ${info?.architecture}`);
  })();
  return webgpuSoftware;
}

/** Which throughput assumption fits the backend in use on this device. */
export async function throughputKeyFor(backend: BackendName): Promise<ThroughputKey> {
  if (backend === 'webgl') return isWebglSoftware() ? 'webgl-software' : 'webgl';
  if (backend === 'webgpu') return (await isWebgpuSoftware()) ? 'webgpu-software' : 'webgpu';
  return backend;
}
