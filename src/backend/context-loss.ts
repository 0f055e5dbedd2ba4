import * as tf from '@tensorflow/tfjs';

/**
 * Calls `onLost` when the WebGL backend loses its context (tfjs only logs a warning; a run must stop). Works on the
 * page's canvas and on a worker's OffscreenCanvas alike. Returns the function that stops watching; on other
 * backends it watches nothing.
 */
export function watchContextLoss(onLost: () => void): () => void {
  if (tf.getBackend() !== 'webgl') return () => {};
  const backend = tf.backend() as unknown as { getGPGPUContext?: () => { gl: WebGLRenderingContext } };
  const canvas = backend.getGPGPUContext?.().gl.canvas as EventTarget | undefined;
  if (!canvas || typeof canvas.addEventListener !== 'function') return () => {};
  const handler = (event: Event) => {
    event.preventDefault();
    onLost();
  };
  canvas.addEventListener('webglcontextlost', handler);
  return () => canvas.removeEventListener('webglcontextlost', handler);
}

/**
 * Loses the WebGL backend's context on purpose, as a GPU reset would (the `WEBGL_lose_context` extension): how the
 * lab's tests, and a curious learner through `window.digitLab`, check that a lost context stops a run cleanly.
 * Returns whether there was a WebGL context to lose.
 */
export function loseWebglContext(): boolean {
  if (tf.getBackend() !== 'webgl') return false;
  const backend = tf.backend() as unknown as { getGPGPUContext?: () => { gl: WebGLRenderingContext } };
  const extension = backend.getGPGPUContext?.().gl.getExtension('WEBGL_lose_context');
  extension?.loseContext();
  return Boolean(extension);
}
