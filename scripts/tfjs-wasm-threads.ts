// Build-time patches to tfjs's threaded WASM backend (the Emscripten factory, tfjs-backend-wasm-threaded-simd.js),
// applied by the tfjs-wasm-threads plugin in vite.config.ts. Kept apart from the config so that tests can run them.

/**
 * tfjs starts its thread workers from `factory.toString()`, and the factory reads `_scriptDir` from its enclosing
 * closure, which the bundle renames: every worker then fails ("e is not defined") and the backend never starts.
 * Declaring the variable inside the factory makes the function self-contained.
 */
const SCRIPT_DIR = {
  original: 'function(WasmBackendModuleThreadedSimd) {',
  patched:
    "function(WasmBackendModuleThreadedSimd) {\n  var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;",
};

/**
 * tfjs's C++ (backend.cc) takes half of navigator.hardwareConcurrency as its count of cores, assuming two
 * hyperthreads per core, and caps any thread count asked for (`setThreadsCount`) at that half: on a 2-core machine
 * every request gets 1 thread and the second core idles. Reporting twice the count to that one function lets
 * `setThreadsCount(n)` (src/backend/backend.ts) have up to every core; the default stays ours to choose there.
 */
export const CORE_COUNT = {
  original: 'return navigator["hardwareConcurrency"]}',
  patched: 'return 2*navigator["hardwareConcurrency"]}',
};

export function patchTfjsWasmThreads(code: string): string {
  if (!code.includes(SCRIPT_DIR.original) || !code.includes(CORE_COUNT.original)) {
    throw new Error('tfjs-backend-wasm changed: update scripts/tfjs-wasm-threads.ts (the tfjs-wasm-threads plugin).');
  }
  return code.replace(SCRIPT_DIR.original, SCRIPT_DIR.patched).replace(CORE_COUNT.original, CORE_COUNT.patched);
}
