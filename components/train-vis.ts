import * as tfvis from '@tensorflow/tfjs-vis';

/** tfjs-vis charts drawn into the cell's own containers (not only the visor). */

export interface Series {
  name: string;
  values: readonly number[];
  color?: string;
}

export interface LineOptions {
  xLabel: string;
  yLabel: string;
  height?: number;
  yAxisDomain?: [number, number];
}

const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7ea4', '#57606a'];

function widthOf(container: HTMLElement): number {
  return Math.max(240, container.clientWidth || container.parentElement?.clientWidth || 480);
}

/** Draws one line per series (same length); tfjs-vis puts point i at x = i, whatever x it is given. */
export async function drawLines(container: HTMLElement, series: readonly Series[], options: LineOptions): Promise<void> {
  const shown = series.filter((s) => s.values.length > 0);
  if (shown.length === 0) return;
  await tfvis.render.linechart(
    container,
    { values: shown.map((s) => s.values.map((y, i) => ({ x: i, y }))), series: shown.map((s) => s.name) },
    {
      xLabel: options.xLabel,
      yLabel: options.yLabel,
      width: widthOf(container),
      height: options.height ?? 220,
      yAxisDomain: options.yAxisDomain,
      zoomToFit: options.yAxisDomain === undefined,
      // Vega orders the legend (and so the colour range) by series name.
      seriesColors: shown
        .map((s, i) => ({ name: s.name, color: s.color ?? COLORS[i % COLORS.length] }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((s) => s.color),
      fontSize: 12,
    },
  );
}

export async function drawConfusion(container: HTMLElement, confusion: number[][]): Promise<void> {
  const labels = confusion.map((_, i) => String(i));
  await tfvis.render.confusionMatrix(container, { values: confusion, tickLabels: labels }, {
    width: Math.min(widthOf(container), 460),
    height: 420,
    shadeDiagonal: false,
    colorMap: 'blues',
    fontSize: 12,
  });
}

export async function drawBars(container: HTMLElement, values: { digit: number; value: number }[], yLabel: string): Promise<void> {
  await tfvis.render.barchart(container, values.map((v) => ({ index: v.digit, value: v.value })), {
    width: Math.min(widthOf(container), 460),
    height: 220,
    xLabel: 'Digit',
    yLabel,
    color: '#1f6feb',
    fontSize: 12,
  });
}

export async function drawTable(container: HTMLElement, headers: string[], rows: (string | number)[][]): Promise<void> {
  await tfvis.render.table(container, { headers, values: rows }, { fontSize: 13 });
}

/**
 * Runs `draw` at most once per `intervalMs`, never two at a time, and always once more after the last request:
 * charts follow training without slowing it.
 */
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private again = false;
  private last = 0;

  constructor(
    private readonly draw: () => Promise<void>,
    private readonly intervalMs = 1000,
  ) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.last + this.intervalMs - performance.now());
    this.timer = setTimeout(() => void this.run(), wait);
  }

  /** Draws now (e.g. at the end of a run). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running) await new Promise((r) => setTimeout(r, 20));
    await this.run();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.again = false;
  }

  private async run(): Promise<void> {
    this.timer = null;
    this.running = true;
    this.last = performance.now();
    try {
      await this.draw();
    } catch {
      // A chart that fails to draw must never stop training; the next request tries again.
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      this.request();
    }
  }
}
