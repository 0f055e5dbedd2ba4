import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CORE_COUNT, patchTfjsWasmThreads } from '../../../scripts/tfjs-wasm-threads';

const factorySource = readFileSync(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'), 'utf8');

/** Runs the factory's `_emscripten_num_logical_cores` as the browser would, on a machine with `cores` cores. */
function logicalCores(source: string, cores: number): number {
  const body = /function _emscripten_num_logical_cores\(\)\{[^}]*\}/.exec(source)?.[0];
  if (!body) throw new Error('no _emscripten_num_logical_cores in the factory');
  // The function text comes from tfjs's own file in node_modules; evaluating it is the point of the test.
  return new Function('ENVIRONMENT_IS_NODE', 'navigator', `${body}; return _emscripten_num_logical_cores();`)(false, { hardwareConcurrency: cores }) as number;
}

describe('patchTfjsWasmThreads', () => {
  it("lets tfjs's halving of the core count still reach every core (2 cores: 2 threads, not 1)", () => {
    const patched = patchTfjsWasmThreads(factorySource);
    // backend.cc caps threads at logical cores / 2.
    expect(Math.floor(logicalCores(factorySource, 2) / 2)).toBe(1);
    expect(Math.floor(logicalCores(patched, 2) / 2)).toBe(2);
    expect(Math.floor(logicalCores(patched, 16) / 2)).toBe(16);
  });

  it('declares _scriptDir inside the factory, so it runs from its own source text', () => {
    const patched = patchTfjsWasmThreads(factorySource);
    expect(patched).toContain("function(WasmBackendModuleThreadedSimd) {\n  var _scriptDir =");
    expect(patched).toContain(CORE_COUNT.patched);
  });

  it('refuses a tfjs whose factory no longer matches, instead of building a backend with one thread', () => {
    expect(() => patchTfjsWasmThreads(factorySource.replace(CORE_COUNT.original, 'return 4}'))).toThrow(/tfjs-backend-wasm changed/);
  });
});
