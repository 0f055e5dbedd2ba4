import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { ICONS, iconPng } from './scripts/pwa-icons';
import { patchTfjsWasmThreads } from './scripts/tfjs-wasm-threads';

// tfjs's threaded WASM backend, patched so that its workers start from a bundle and it may use every core: see
// scripts/tfjs-wasm-threads.ts.
const tfjsWasmThreads: Plugin = {
  name: 'tfjs-wasm-threads',
  transform(code, id) {
    if (!id.includes('tfjs-backend-wasm-threaded-simd.js')) return null;
    return patchTfjsWasmThreads(code);
  },
};

// tfjs's threaded WASM backend starts each thread as a worker from a blob: URL and has it importScripts() another
// blob: the backend's own source. A strict Content-Security-Policy (script-src 'self', worker-src 'self') refuses
// both, and the backend never starts. In the built site both become plain files next to the bundle, loaded from
// their own URLs ('self'). (The dev server keeps tfjs's blobs.)
const require = createRequire(import.meta.url);
const wasmOut = (file: string) => require.resolve(`@tensorflow/tfjs-backend-wasm/wasm-out/${file}`);
const tfjsWasmVersion = (require('@tensorflow/tfjs-backend-wasm/package.json') as { version: string }).version;
export const WASM_THREAD_FILES = {
  worker: `tfjs-backend-wasm-threaded-simd-${tfjsWasmVersion}.worker.js`,
  main: `tfjs-backend-wasm-threaded-simd-${tfjsWasmVersion}.main.js`,
};
const tfjsWasmThreadFiles: Plugin = {
  name: 'tfjs-wasm-thread-files',
  apply: 'build',
  transform(code, id) {
    if (!/tfjs-backend-wasm[\\/]dist[\\/]backend_wasm\.js$/.test(id)) return null;
    const workerBlob = /const response = wasmWorkerContents[^;]*;\s*const blob = new Blob\(\[response\][^;]*;\s*return URL\.createObjectURL\(blob\);/;
    const mainBlob = /factoryConfig\.mainScriptUrlOrBlob = new Blob\(\[[^\]]*\], \{ type: 'text\/javascript' \}\);/;
    if (!workerBlob.test(code) || !mainBlob.test(code)) this.error('tfjs-backend-wasm changed: update the tfjs-wasm-thread-files plugin in vite.config.ts.');
    // The names are variables: Vite must not try to resolve them at build time (they are emitted below).
    const files = `const digitLabWasmThreadFiles = ${JSON.stringify(WASM_THREAD_FILES)};\n`;
    return (
      files +
      code
        .replace(workerBlob, 'return new URL(digitLabWasmThreadFiles.worker, import.meta.url).href;')
        .replace(mainBlob, 'factoryConfig.mainScriptUrlOrBlob = new URL(digitLabWasmThreadFiles.main, import.meta.url).href;')
    );
  },
  generateBundle() {
    // What tfjs put in the blobs, byte for byte (its worker source escapes newlines the same way).
    const { wasmWorkerContents } = require(wasmOut('tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
    this.emitFile({ type: 'asset', fileName: `assets/${WASM_THREAD_FILES.worker}`, source: wasmWorkerContents.replace(/\n/g, '\\n') });
    this.emitFile({ type: 'asset', fileName: `assets/${WASM_THREAD_FILES.main}`, source: readFileSync(wasmOut('tfjs-backend-wasm-threaded-simd.js'), 'utf8') });
  },
};


// The app icons, drawn at build time into icons/ (see scripts/pwa-icons.ts), and the headers file that Netlify and
// Cloudflare Pages read from the published folder (deploy/_headers: cross-origin isolation, caching).
const siteFiles: Plugin = {
  name: 'digit-lab-site-files',
  apply: 'build',
  generateBundle() {
    for (const icon of ICONS) this.emitFile({ type: 'asset', fileName: `icons/${icon.file}`, source: iconPng(icon.size, icon.purpose) });
    this.emitFile({ type: 'asset', fileName: '_headers', source: readFileSync('deploy/_headers', 'utf8') });
  },
};

/**
 * Installable and offline (vite-plugin-pwa, Workbox): src/offline/sw.ts precaches what the build lists here, keeps
 * the MNIST files when they are first loaded, and adds the isolation headers to its responses. The lab registers it
 * and asks before a new version takes over (components/offline-controller.ts).
 */
const pwa = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src/offline',
  filename: 'sw.ts',
  injectRegister: false,
  registerType: 'prompt',
  manifest: {
    name: 'Digit Lab — train a CNN on MNIST in your browser',
    short_name: 'Digit Lab',
    description: 'Train a convolutional network on the real MNIST data set in your browser, and look inside it.',
    start_url: './',
    scope: './',
    display: 'standalone',
    background_color: '#fbfcfd',
    theme_color: '#1f6feb',
    icons: ICONS.filter((i) => !i.file.startsWith('apple')).map((i) => ({
      src: `icons/${i.file}`,
      sizes: `${i.size}x${i.size}`,
      type: 'image/png',
      purpose: i.purpose,
    })),
  },
  includeManifestIcons: false,
  injectManifest: {
    // The app shell, every chunk (the training worker and what it loads included), the WASM binaries, the icons, the
    // shipped model and the data manifest (the web app manifest is added by the plugin). Not the MNIST files (kept on
    // first load) nor the benchmark page.
    globPatterns: ['index.html', 'assets/*.{js,css,wasm}', 'icons/*.png', 'model/*.{json,bin}', 'mnist/manifest.json'],
    // h5wasm (the Keras export's HDF5 writer, 4.8 MB, 1 MB compressed) and the inspection worker (Inside's nearest
    // training digits, a model's own "not a digit" check: 0.2 MB compressed) are kept when first used instead, so
    // that a first visit stays under 2 MB of app.
    globIgnores: ['**/bench-*.js', '**/hdf5_hl-*.js', '**/insight.worker-*.js'],
    // The largest: the shipped model's weights (3.5 MB).
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
  },
});

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative URLs: the built site works from any static host under any sub-path.
  base: './',
  plugins: [tfjsWasmThreads, tfjsWasmThreadFiles, siteFiles, pwa],
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
  worker: { format: 'es', plugins: () => [tfjsWasmThreads, tfjsWasmThreadFiles] },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
