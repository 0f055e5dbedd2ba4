// In-page benchmark harness (bench.html). Every module in ./cases exports `cases: Record<string, BenchCase>`;
// scripts/bench.mjs lists them with window.benchList() and runs each with window.runBench(name, backend).
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendPreference } from '../src/backend/backend';
import { WASM_PATHS } from '../src/backend/wasm-paths';
import type { BenchCase, BenchFigure } from './types';

const modules = import.meta.glob<{ cases: Record<string, BenchCase> }>('./cases/*.ts', { eager: true });
const cases: Record<string, BenchCase> = {};
for (const m of Object.values(modules)) Object.assign(cases, m.cases);

declare global {
  interface Window {
    benchList(): string[];
    runBench(name: string, backend: BackendPreference): Promise<BenchFigure[]>;
  }
}

window.benchList = () => Object.keys(cases);
window.runBench = async (name, backend) => {
  const choice = await initBackend(backend, { wasmPaths: WASM_PATHS });
  const figures = await cases[name]({ backend: choice.active });
  return figures.map((f) => ({ backend: tf.getBackend(), ...f }));
};
