/**
 * The lab's one software-GPU detector. A GPU backend that renders in software (SwiftShader, llvmpipe, a WebGPU
 * fallback adapter) trains 10-50× slower than WASM with the lab's kernels (DESIGN.md): the backend choice skips it
 * and the epoch estimate uses the software throughput.
 */
import * as tf from '@tensorflow/tfjs';

export const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** Whether a WebGL renderer or WebGPU adapter description names a software rasteriser. */
export function isSoftwareRenderer(description: string): boolean {
  return SOFTWARE_RENDERER.test(description);
}

/** The fields of a WebGPU adapter this detector reads (navigator.gpu has no types in this project's DOM lib). */
export interface GpuAdapterFacts {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
}

/** Whether a WebGPU adapter is a software one. No adapter counts as software: there is no hardware GPU to use. */
export function isSoftwareAdapter(adapter: GpuAdapterFacts | null | undefined): boolean {
  if (!adapter) return true;
  const info = adapter.info;
  if (adapter.isFallbackAdapter === true || info?.isFallbackAdapter === true) return true;
  return isSoftwareRenderer(`${info?.vendor ?? ''} ${info?.architecture ?? ''} ${info?.description ?? ''}`);
}

type GL = WebGLRenderingContext | WebGL2RenderingContext;

function rendererOf(gl: GL): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** The WebGL renderer's name: from tfjs's own context when WebGL is the active backend, else from a throwaway one. */
function webglRenderer(): string | null {
  if (tf.getBackend() === 'webgl') {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: GL } }).gpgpu?.gl;
    if (gl) return rendererOf(gl);
  }
  if (typeof OffscreenCanvas === 'undefined') return null;
  const canvas = new OffscreenCanvas(1, 1);
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as GL | null;
  if (!gl) return null;
  try {
    return rendererOf(gl);
  } finally {
    // Browsers allow only a few contexts: free the probe's at once.
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

let adapterAnswer: Promise<GpuAdapterFacts | null> | null = null;

/**
 * The WebGPU adapter this page would get, or null (asked once per page: where there is none, every request makes
 * the browser log a warning, and tfjs's WebGPU start-up adds two more).
 */
export function webgpuAdapter(): Promise<GpuAdapterFacts | null> {
  adapterAnswer ??= (async () => {
    const gpu = (globalThis.navigator as (Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }) | undefined)?.gpu;
    return ((await gpu?.requestAdapter().catch(() => null)) as GpuAdapterFacts | null | undefined) ?? null;
  })();
  return adapterAnswer;
}

const answers = new Map<'webgl' | 'webgpu', Promise<boolean>>();

/**
 * Whether WebGL or WebGPU on this device renders in software. Asked once per page (the answer does not change); a
 * probe that fails counts as hardware (the backend's own start-up decides whether it works at all).
 */
export function gpuIsSoftware(name: 'webgl' | 'webgpu'): Promise<boolean> {
  let answer = answers.get(name);
  if (!answer) {
    answer = (async () => {
      try {
        if (name === 'webgpu') return isSoftwareAdapter(await webgpuAdapter());
        const renderer = webglRenderer();
        return renderer !== null && isSoftwareRenderer(renderer);
      } catch {
        return false;
      }
    })();
    answers.set(name, answer);
  }
  return answer;
}

let signature: Promise<string> | null = null;

/**
 * What makes one device train faster than another, in one line: cores, cross-origin isolation (threads), the
 * WebGL renderer and the WebGPU adapter. Measurements kept under it are re-taken when any of these change.
 */
export function deviceSignature(): Promise<string> {
  signature ??= (async () => {
    const cores = (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency ?? 1;
    const isolated = globalThis.crossOriginIsolated === true;
    let gl: string | null = null;
    try {
      gl = webglRenderer();
    } catch {
      gl = null;
    }
    const adapter = await webgpuAdapter().catch(() => null);
    const info = adapter?.info;
    const gpu = adapter ? [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'adapter' : 'none';
    return `${cores} cores, ${isolated ? 'isolated' : 'not isolated'}, webgl: ${gl ?? 'none'}, webgpu: ${gpu}`;
  })();
  return signature;
}
