import { css, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { IMAGE_SIZE, type MnistDataset, type Split } from '../src/data/mnist';
import { backgroundFraction, histogramBins, splitStats, type SplitStats } from '../src/data/stats';
import { ensureDataset } from '../src/state/actions';
import type { DigitRef } from '../src/state/lab-state';
import { dataBaseUrl } from './config';
import { drawClassBalance, drawHistogram } from './dataset-charts';
import { paintDigit, paintDigitLarge, pixelUnderPointer } from './dataset-draw';
import { LabStateController } from './lab-context';
import { LabCell } from './lab-cell';

const COLUMNS = 10;
const ROWS = 6;
const PAGE_SIZE = COLUMNS * ROWS;
const LARGE = 224;
const SPLIT_NAMES: Record<Split, string> = { train: 'Training', test: 'Test' };

const count = (n: number) => n.toLocaleString('en-US');

/** Which images the grid pages through: a whole split, or one class of it. */
interface View {
  length: number;
  at(position: number): number;
}

/**
 * Browse all 70,000 digits a page at a time (60 canvases in the page, never 70,000 nodes), by split and class;
 * the class balance, the mean image of each class and the pixel histogram; any digit up close with the value of the
 * pixel under the pointer. The grid is one tab stop; arrow keys move the selection, across pages.
 */
export class DatasetExplorer extends LabCell {
  static override properties = {
    ...LabCell.properties,
    split: { state: true },
    digit: { state: true },
    page: { state: true },
    focusPosition: { state: true },
    pageText: { state: true },
    pageError: { state: true },
    hover: { state: true },
    stats: { state: true },
  };

  declare split: Split;
  declare digit: number | null;
  declare page: number;
  declare focusPosition: number;
  declare pageText: string | null;
  declare pageError: string | null;
  declare hover: { x: number; y: number } | null;
  declare stats: Partial<Record<Split, SplitStats>>;

  private readonly lab = new LabStateController(this, ['dataset', 'datasetLoad', 'selectedDigit']);
  private readonly classIndices = new Map<string, Int32Array>();
  private moveFocus = false;
  private chartsDrawnFor = '';
  private statsRequested: MnistDataset | null = null;

  constructor() {
    super();
    this.split = 'train';
    this.digit = null;
    this.page = 0;
    this.focusPosition = 0;
    this.pageText = null;
    this.pageError = null;
    this.hover = null;
    this.stats = {};
  }

  static override styles = [
    LabCell.cellStyles,
    css`
      .controls {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1.25rem;
        margin-bottom: 0.9rem;
      }
      .control {
        display: flex;
        align-items: center;
        gap: 0.4rem;
      }
      select,
      input {
        font: inherit;
        padding: 0.2rem 0.3rem;
      }
      input.page {
        width: 4.5rem;
        text-align: right;
      }
      input[aria-invalid='true'] {
        border-color: #cf222e;
        outline-color: #cf222e;
      }
      .field-error {
        color: #82071e;
        font-size: 0.85rem;
        flex-basis: 100%;
        margin: 0;
      }
      .browse {
        display: grid;
        grid-template-columns: max-content minmax(14rem, 1fr);
        gap: 1.25rem;
        align-items: start;
      }
      [role='grid'] {
        display: grid;
        gap: 4px;
        padding: 4px;
        border-radius: 8px;
        background: #f6f8fa;
        outline: none;
      }
      [role='row'] {
        display: grid;
        grid-template-columns: repeat(${COLUMNS}, 42px);
        gap: 4px;
      }
      [role='gridcell'] {
        display: flex;
        flex-direction: column;
        align-items: center;
        padding: 2px 0 1px;
        border-radius: 5px;
        border: 2px solid transparent;
        cursor: pointer;
        font-size: 0.72rem;
        line-height: 1.1;
        color: var(--lab-muted, #57606a);
      }
      [role='gridcell']:hover {
        border-color: #8c959f;
      }
      [role='gridcell']:focus-visible {
        outline: 3px solid #0969da;
        outline-offset: 1px;
      }
      [role='gridcell'][aria-selected='true'] {
        border-color: #ff8c00;
        background: #fff4e5;
        color: #1f2328;
        font-weight: 600;
      }
      [role='gridcell'].empty {
        cursor: default;
      }
      canvas.digit {
        width: 34px;
        height: 34px;
        image-rendering: pixelated;
        border-radius: 2px;
      }
      .detail {
        display: flex;
        flex-direction: column;
        gap: 0.4rem;
      }
      .detail canvas {
        width: ${LARGE}px;
        height: ${LARGE}px;
        border-radius: 4px;
        cursor: crosshair;
        touch-action: none;
      }
      .detail h3 {
        margin: 0;
        font-size: 1.05rem;
      }
      .readout {
        font-variant-numeric: tabular-nums;
        min-height: 1.5em;
        margin: 0;
      }
      .hint,
      .muted {
        color: var(--lab-muted, #57606a);
        font-size: 0.85rem;
        margin: 0;
      }
      .stats {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr));
        gap: 1.25rem;
        margin-top: 1.5rem;
      }
      figure {
        margin: 0;
      }
      figcaption {
        font-size: 0.85rem;
        color: var(--lab-muted, #57606a);
        margin-top: 0.3rem;
      }
      figure h3 {
        font-size: 0.95rem;
        margin: 0 0 0.4rem;
      }
      svg {
        width: 100%;
        height: auto;
        font-size: 11px;
      }
      svg .axis-label,
      svg .legend {
        font-size: 11px;
        fill: #1f2328;
      }
      .means {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(4.6rem, 1fr));
        gap: 0.4rem;
      }
      .means .count {
        font-size: 0.75rem;
        color: var(--lab-muted, #57606a);
      }
      .means button {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: 0.15rem;
        padding: 0.3rem;
        background: #fff;
      }
      .means button[aria-pressed='true'] {
        border-color: #ff8c00;
        background: #fff4e5;
      }
      .means canvas {
        width: 48px;
        height: 48px;
        image-rendering: pixelated;
      }
      .wide {
        grid-column: 1 / -1;
      }
      progress {
        width: 12rem;
      }
      @media (max-width: 900px) {
        .browse {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const dataset = this.lab.get('dataset');
    const load = this.lab.get('datasetLoad');
    // The data set may not be asked for yet when the cell appears: ask (ensureDataset loads it once for the lab).
    if (!dataset && load?.status === 'idle') this.load();
    if (!dataset) this.status = load?.status === 'error' ? 'error' : 'busy';
    else if (!this.errorMessage) this.status = 'ready';
  }

  private load(): void {
    const state = this.lab.state;
    if (!state || state.get('dataset')) return;
    ensureDataset(state, dataBaseUrl()).catch(() => {
      /* shown from datasetLoad */
    });
  }

  private retry(): void {
    this.load();
  }

  private view(dataset: MnistDataset): View {
    if (this.digit === null) {
      const n = dataset.split(this.split).count;
      return { length: n, at: (i) => i };
    }
    const key = `${this.split}:${this.digit}`;
    let indices = this.classIndices.get(key);
    if (!indices) this.classIndices.set(key, (indices = dataset.indicesOfClass(this.split, this.digit)));
    const list = indices;
    return { length: list.length, at: (i) => list[i] };
  }

  private pageCount(view: View): number {
    return Math.max(1, Math.ceil(view.length / PAGE_SIZE));
  }

  private goToPage(page: number, focusPosition = this.focusPosition): void {
    const dataset = this.lab.get('dataset');
    if (!dataset) return;
    const view = this.view(dataset);
    this.page = Math.min(Math.max(0, page), this.pageCount(view) - 1);
    const onPage = Math.min(PAGE_SIZE, view.length - this.page * PAGE_SIZE);
    this.focusPosition = Math.min(focusPosition, Math.max(0, onPage - 1));
    this.pageText = null;
    this.pageError = null;
  }

  private chooseSplit(event: Event): void {
    this.split = (event.target as HTMLSelectElement).value === 'test' ? 'test' : 'train';
    this.goToPage(0, 0);
  }

  private chooseDigit(value: string): void {
    this.digit = value === 'all' ? null : Number(value);
    this.goToPage(0, 0);
  }

  private commitPage(event: Event): void {
    const dataset = this.lab.get('dataset');
    if (!dataset) return;
    const input = event.target as HTMLInputElement;
    const pages = this.pageCount(this.view(dataset));
    const text = input.value.trim();
    const page = Number(text);
    if (!/^\d+$/.test(text) || page < 1 || page > pages) {
      this.pageText = input.value;
      this.pageError = `“${text}” is not a page: enter a whole number from 1 to ${count(pages)}.`;
      return;
    }
    this.goToPage(page - 1);
  }

  private select(ref: DigitRef, focus: boolean): void {
    this.lab.state?.set('selectedDigit', ref);
    this.hover = null;
    this.moveFocus = focus;
  }

  private selectPosition(global: number): void {
    const dataset = this.lab.get('dataset');
    if (!dataset) return;
    const view = this.view(dataset);
    if (view.length === 0) return;
    const g = Math.min(Math.max(0, global), view.length - 1);
    this.page = Math.floor(g / PAGE_SIZE);
    this.focusPosition = g % PAGE_SIZE;
    this.pageText = null;
    this.pageError = null;
    this.select({ split: this.split, index: view.at(g) }, true);
  }

  private onGridKey(event: KeyboardEvent): void {
    const start = this.page * PAGE_SIZE + this.focusPosition;
    const moves: Record<string, number> = {
      ArrowRight: start + 1,
      ArrowLeft: start - 1,
      ArrowDown: start + COLUMNS,
      ArrowUp: start - COLUMNS,
      Home: this.page * PAGE_SIZE,
      End: this.page * PAGE_SIZE + PAGE_SIZE - 1,
      PageDown: start + PAGE_SIZE,
      PageUp: start - PAGE_SIZE,
    };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.selectPosition(start);
      return;
    }
    if (!(event.key in moves)) return;
    event.preventDefault();
    this.selectPosition(moves[event.key]);
  }

  private onPointer(event: PointerEvent): void {
    this.hover = pixelUnderPointer(event.currentTarget as HTMLCanvasElement, event);
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dataset = this.lab.get('dataset');
    if (!dataset) return;
    this.requestStats(dataset);
    const root = this.renderRoot;
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[data-index]')) {
      const key = `${canvas.dataset.split}:${canvas.dataset.index}`;
      if (canvas.dataset.painted === key) continue;
      paintDigit(canvas, dataset.image(canvas.dataset.split as Split, Number(canvas.dataset.index)), 255);
      canvas.dataset.painted = key;
    }
    const selected = this.lab.get('selectedDigit');
    const large = root.querySelector<HTMLCanvasElement>('canvas.large');
    if (large && selected) paintDigitLarge(large, dataset.image(selected.split, selected.index), 255, this.hover);
    const stats = this.stats[this.split];
    if (stats) {
      for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[data-mean]')) {
        paintDigit(canvas, stats.meanImages[Number(canvas.dataset.mean)], 1);
      }
    }
    this.drawCharts();
    if (this.moveFocus) {
      this.moveFocus = false;
      root.querySelector<HTMLElement>('[role="gridcell"][tabindex="0"]')?.focus();
    }
  }

  private requestStats(dataset: MnistDataset): void {
    if (this.statsRequested === dataset) return;
    this.statsRequested = dataset;
    // The test split first: it is six times smaller, so its charts appear at once.
    for (const split of ['test', 'train'] as const) {
      splitStats(dataset, split).then(
        (stats) => {
          this.stats = { ...this.stats, [split]: stats };
        },
        (error: unknown) => this.fail(error),
      );
    }
  }

  private drawCharts(): void {
    const { train, test } = this.stats;
    const current = this.stats[this.split];
    const key = `${train ? 1 : 0}${test ? 1 : 0}:${this.split}`;
    if (key === this.chartsDrawnFor) return;
    const balance = this.renderRoot.querySelector<SVGSVGElement>('svg.balance');
    const histogram = this.renderRoot.querySelector<SVGSVGElement>('svg.histogram');
    if (train && test && balance) drawClassBalance(balance, train.classCounts, test.classCounts);
    if (current && histogram) drawHistogram(histogram, histogramBins(current.pixelCounts, 15, 1), SPLIT_NAMES[this.split].toLowerCase());
    if (balance && histogram) this.chartsDrawnFor = key;
  }

  private renderLoading() {
    const load = this.lab.get('datasetLoad');
    if (load?.status === 'error') {
      return html`<div class="alert" role="alert">Could not load MNIST: ${load.error}</div>
        <button @click=${this.retry}>Retry loading MNIST</button>`;
    }
    const percent = Math.round((load?.progress.fraction ?? 0) * 100);
    return html`<p class="control">
      <label for="explorer-progress">Loading MNIST (${percent}%)</label>
      <progress id="explorer-progress" max="100" .value=${percent}></progress>
    </p>`;
  }

  private renderControls(dataset: MnistDataset, view: View) {
    const pages = this.pageCount(view);
    const classCounts = this.stats[this.split]?.classCounts ?? dataset.classCounts(this.split);
    return html`<div class="controls">
      <span class="control">
        <label for="split">Split</label>
        <select id="split" @change=${this.chooseSplit} .value=${live(this.split)}>
          <option value="train" ?selected=${this.split === 'train'}>Training (${count(dataset.train.count)})</option>
          <option value="test" ?selected=${this.split === 'test'}>Test (${count(dataset.test.count)})</option>
        </select>
      </span>
      <span class="control">
        <label for="digit">Digit</label>
        <select id="digit" .value=${live(this.digit === null ? 'all' : String(this.digit))} @change=${(e: Event) => this.chooseDigit((e.target as HTMLSelectElement).value)}>
          <option value="all" ?selected=${this.digit === null}>All digits</option>
          ${classCounts.map(
            (n, d) => html`<option value=${d} ?selected=${this.digit === d}>${d} only (${count(n)})</option>`,
          )}
        </select>
      </span>
      <span class="control">
        <button @click=${() => this.goToPage(this.page - 1)} ?disabled=${this.page === 0}>Previous page</button>
        <label for="page">Page</label>
        <input
          id="page"
          class="page"
          inputmode="numeric"
          autocomplete="off"
          .value=${live(this.pageText ?? String(this.page + 1))}
          aria-invalid=${this.pageError ? 'true' : 'false'}
          aria-describedby="page-error"
          @change=${this.commitPage}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.commitPage(e)}
        />
        <span>of ${count(pages)}</span>
        <button @click=${() => this.goToPage(this.page + 1)} ?disabled=${this.page >= pages - 1}>Next page</button>
      </span>
      <p class="field-error" id="page-error">${this.pageError ?? nothing}</p>
    </div>`;
  }

  private renderGrid(view: View) {
    const selected = this.lab.get('selectedDigit');
    const first = this.page * PAGE_SIZE;
    const rows = [];
    for (let r = 0; r < ROWS; r++) {
      const cells = [];
      for (let c = 0; c < COLUMNS; c++) {
        const position = r * COLUMNS + c;
        const global = first + position;
        if (global >= view.length) {
          cells.push(html`<div role="gridcell" class="empty" aria-disabled="true"></div>`);
          continue;
        }
        const index = view.at(global);
        const label = this.lab.get('dataset')?.label(this.split, index);
        const isSelected = selected?.split === this.split && selected.index === index;
        cells.push(html`<div
          role="gridcell"
          tabindex=${position === this.focusPosition ? 0 : -1}
          aria-selected=${isSelected ? 'true' : 'false'}
          aria-label="${SPLIT_NAMES[this.split]} image ${count(index)}, label ${label}"
          data-index=${index}
          data-label=${String(label)}
          @click=${() => this.selectPosition(global)}
        >
          <canvas class="digit" width="28" height="28" data-split=${this.split} data-index=${index} aria-hidden="true"></canvas>
          <span>${label}</span>
        </div>`);
      }
      rows.push(html`<div role="row" aria-rowindex=${this.page * ROWS + r + 1}>${cells}</div>`);
    }
    const what = this.digit === null ? 'all digits' : `${this.digit}s only`;
    return html`<div
      role="grid"
      aria-label="${SPLIT_NAMES[this.split]} images, ${what}, page ${this.page + 1} of ${count(this.pageCount(view))}"
      aria-rowcount=${Math.ceil(view.length / COLUMNS)}
      @keydown=${this.onGridKey}
    >
      ${rows}
    </div>`;
  }

  private renderDetail(dataset: MnistDataset) {
    const selected = this.lab.get('selectedDigit');
    if (!selected || selected.index >= dataset.split(selected.split).count) {
      return html`<div class="detail"><p class="muted">Click a digit to see it up close.</p></div>`;
    }
    const label = dataset.label(selected.split, selected.index);
    const hover = this.hover;
    const value = hover ? dataset.image(selected.split, selected.index)[hover.y * IMAGE_SIZE + hover.x] : null;
    return html`<div class="detail">
      <h3 data-testid="selected-digit">${SPLIT_NAMES[selected.split]} image ${count(selected.index)} · label ${label}</h3>
      <canvas
        class="large"
        width=${LARGE}
        height=${LARGE}
        role="img"
        aria-label="The selected digit, a ${label}, enlarged"
        @pointermove=${this.onPointer}
        @pointerdown=${this.onPointer}
        @pointerleave=${() => (this.hover = null)}
      ></canvas>
      <p class="readout" data-testid="pixel-readout">
        ${hover ? html`Pixel (x ${hover.x}, y ${hover.y}): <strong>${value}</strong> of 255` : html`<span class="hint">Point at the digit to read a pixel’s value.</span>`}
      </p>
      <p class="visually-hidden" role="status">Selected ${SPLIT_NAMES[selected.split].toLowerCase()} image ${count(selected.index)}, label ${label}.</p>
      <p class="hint">Arrow keys move through the grid, across pages; Page Up and Page Down turn pages.</p>
    </div>`;
  }

  private renderStats() {
    const current = this.stats[this.split];
    const both = this.stats.train && this.stats.test;
    const splitName = SPLIT_NAMES[this.split].toLowerCase();
    return html`<div class="stats">
      <figure>
        <h3>Class balance</h3>
        <svg class="balance" aria-label="Class balance chart"></svg>
        <figcaption>${both ? 'Each digit’s share of its split. Hover a bar for the count.' : 'Counting the classes…'}</figcaption>
      </figure>
      <figure>
        <h3>Pixel intensities (${splitName} split)</h3>
        <svg class="histogram" aria-label="Pixel intensity histogram"></svg>
        <figcaption data-testid="background-share">
          ${current
            ? html`${(backgroundFraction(current.pixelCounts) * 100).toFixed(1)}% of all pixels are pure background (0) and are left
              out; the bars share out the rest.`
            : 'Counting pixels…'}
        </figcaption>
      </figure>
      <figure class="wide">
        <h3>Mean image of each class (${splitName} split)</h3>
        ${current
          ? html`<div class="means">
              ${current.meanImages.map(
                (_, d) => html`<button
                  aria-pressed=${this.digit === d ? 'true' : 'false'}
                  title="Show only ${d}s"
                  @click=${() => this.chooseDigit(this.digit === d ? 'all' : String(d))}
                >
                  <canvas width="28" height="28" data-mean=${d} aria-hidden="true"></canvas>
                  <strong>${d}</strong>
                  <span class="count">${count(current.classCounts[d])}</span>
                </button>`,
              )}
            </div>`
          : html`<p class="muted">Averaging ${splitName} images…</p>`}
        <figcaption>The average of every image of a class: bright where most writers put ink. Click one to browse that class.</figcaption>
      </figure>
    </div>`;
  }

  override render() {
    const dataset = this.lab.get('dataset');
    if (!dataset) {
      return html`<h2 class="cell-title">Dataset explorer</h2>
        ${this.renderLoading()}`;
    }
    const view = this.view(dataset);
    return html`<h2 class="cell-title">Dataset explorer</h2>
      ${this.renderError()} ${this.renderControls(dataset, view)}
      <div class="browse">
        ${view.length ? this.renderGrid(view) : html`<p class="muted">No images.</p>`} ${this.renderDetail(dataset)}
      </div>
      ${this.renderStats()}`;
  }
}

customElements.define('dataset-explorer', DatasetExplorer);

declare global {
  interface HTMLElementTagNameMap {
    'dataset-explorer': DatasetExplorer;
  }
}
