// Node only (scripts, benchmarks, tests): where the tfjs WASM binaries lie in node_modules.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** `wasmPaths` for `initBackend` in Node: each tfjs WASM binary by file name. */
export function nodeWasmPaths(): Record<string, string> {
  const dir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/';
  const files = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  return Object.fromEntries(files.map((file) => [file, dir + file]));
}
