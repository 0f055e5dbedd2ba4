/** One measured figure: printed by `npm run bench` as a JSON line. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** The target, where the issue sets one, and whether it is met. */
  target?: string;
  met?: boolean;
  [detail: string]: unknown;
}

/** An in-page benchmark: runs inside bench.html (built site, headless Chromium) against the engine in src/. */
export type BenchCase = (options: { backend: string }) => Promise<BenchFigure[]>;
