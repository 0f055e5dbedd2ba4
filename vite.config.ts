import { defineConfig } from 'vite';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative URLs: the built site works from any static host under any sub-path.
  base: './',
  // data/ (prepared MNIST and the shipped model) is served as-is at the site root: ./mnist/…, ./model/…
  publicDir: 'data',
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // bench.html is the in-page benchmark harness (npm run bench); it ships nothing the lab itself loads.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
