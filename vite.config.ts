import { defineConfig, type Plugin } from 'vite';

// tfjs's threaded WASM backend starts its workers from `factory.toString()`, and the factory reads `_scriptDir`
// from its enclosing closure, which the bundle renames: every worker then fails ("e is not defined") and the
// backend never starts. Declaring the variable inside the factory makes the function self-contained.
const tfjsWasmThreads: Plugin = {
  name: 'tfjs-wasm-threads',
  transform(code, id) {
    if (!id.includes('tfjs-backend-wasm-threaded-simd.js')) return null;
    return code.replace(
      'function(WasmBackendModuleThreadedSimd) {',
      "function(WasmBackendModuleThreadedSimd) {\n  var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;",
    );
  },
};

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative URLs: the built site works from any static host under any sub-path.
  base: './',
  plugins: [tfjsWasmThreads],
  // data/ (prepared MNIST and the shipped model) is served as-is at the site root: ./mnist/…, ./model/…
  publicDir: 'data',
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 5000,
    // bench.html is the in-page benchmark harness (npm run bench); it ships nothing the lab itself loads.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  // The training worker is a module worker that loads backends on demand (code-split chunks).
  worker: { format: 'es', plugins: () => [tfjsWasmThreads] },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
