import { Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { MnistDataset, Split } from '../src/data/mnist';
import { digitView, pageCount, pageSize, parsePageNumber, turnTo, type DigitView, type GridShape } from '../src/data/paging';
import { splitStats } from '../src/data/stats';
import { formatInteger } from '../src/format';
import './dataset-loading';
import './dataset-stats';
import type { DigitClassSelectEvent } from './dataset-stats';
import { datasetExplorerStyles } from './dataset-explorer.styles';
import './digit-detail';
import './digit-grid';
import type { DigitSelectEvent } from './digit-grid';
import { LabCell } from './lab-cell';
import { LabStateController } from './lab-context';
import { LabDatasetController } from './lab-dataset-controller';

/** Ten columns by six rows: 60 canvases in the page at a time. */
const SHAPE: GridShape = { columns: 10, rows: 6 };
const PAGE_SIZE = pageSize(SHAPE);

/**
 * Browse all 70,000 digits a page at a time (60 canvases in the page, never 70,000 nodes), by split and class;
 * the class balance, the mean image of each class and the pixel histogram; any digit up close with the value of the
 * pixel under the pointer. Composed of <digit-grid>, <digit-detail> and <dataset-stats>; the paging maths is
 * src/data/paging.ts.
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
  };

  declare split: Split;
  declare digit: number | null;
  declare page: number;
  declare focusPosition: number;
  /** What the learner typed in the page box while it is not a page; null shows the current page. */
  declare pageText: string | null;
  declare pageError: string | null;

  private readonly data = new LabDatasetController(this);
  private readonly lab = new LabStateController(this, ['selectedDigit']);
  // The test split first: it is six times smaller, so its charts appear at once.
  private readonly testStats = this.statsTask('test');
  private readonly trainStats = this.statsTask('train');

  static override styles = [LabCell.cellStyles, datasetExplorerStyles];

  constructor() {
    super();
    this.split = 'train';
    this.digit = null;
    this.page = 0;
    this.focusPosition = 0;
    this.pageText = null;
    this.pageError = null;
  }

  /** Class counts, mean images and pixel histogram of one split (computed once per data set, in chunks). */
  private statsTask(split: Split) {
    return new Task(this, {
      args: () => [this.data.dataset] as const,
      task: ([dataset]) => (dataset ? splitStats(dataset, split) : null),
    });
  }

  override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const statsError = this.testStats.error ?? this.trainStats.error;
    if (statsError && !this.errorMessage) this.fail(statsError);
    if (this.data.status !== 'ready') this.status = this.data.status;
    else if (!this.errorMessage) this.status = 'ready';
  }

  private view(dataset: MnistDataset): DigitView {
    return digitView(dataset, this.split, this.digit);
  }

  private goToPage(page: number, focus = this.focusPosition): void {
    const dataset = this.data.dataset;
    if (!dataset) return;
    const place = turnTo(this.view(dataset).length, PAGE_SIZE, page, focus);
    this.page = place.page;
    this.focusPosition = place.focus;
    this.pageText = null;
    this.pageError = null;
  }

  private chooseSplit(event: Event): void {
    this.split = (event.target as HTMLSelectElement).value === 'test' ? 'test' : 'train';
    this.goToPage(0, 0);
  }

  private chooseDigit(digit: number | null): void {
    this.digit = digit;
    this.goToPage(0, 0);
  }

  private commitPage(event: Event): void {
    const dataset = this.data.dataset;
    if (!dataset) return;
    const input = event.target as HTMLInputElement;
    const parsed = parsePageNumber(input.value, pageCount(this.view(dataset).length, PAGE_SIZE), formatInteger);
    if ('error' in parsed) {
      this.pageText = input.value;
      this.pageError = parsed.error;
      return;
    }
    this.goToPage(parsed.page);
  }

  private onDigitSelect(event: DigitSelectEvent): void {
    const { digit, place } = event.detail;
    this.page = place.page;
    this.focusPosition = place.focus;
    this.pageText = null;
    this.pageError = null;
    this.lab.state?.set('selectedDigit', digit);
  }

  private renderControls(dataset: MnistDataset, view: DigitView) {
    const pages = pageCount(view.length, PAGE_SIZE);
    const stats = this.split === 'train' ? this.trainStats.value : this.testStats.value;
    const classCounts = stats?.classCounts ?? dataset.classCounts(this.split);
    return html`<div class="controls">
      <span class="control">
        <label for="split">Split</label>
        <select id="split" @change=${this.chooseSplit} .value=${live(this.split)}>
          <option value="train" ?selected=${this.split === 'train'}>Training (${formatInteger(dataset.train.count)})</option>
          <option value="test" ?selected=${this.split === 'test'}>Test (${formatInteger(dataset.test.count)})</option>
        </select>
      </span>
      <span class="control">
        <label for="digit">Digit</label>
        <select
          id="digit"
          .value=${live(this.digit === null ? 'all' : String(this.digit))}
          @change=${(e: Event) => {
            const value = (e.target as HTMLSelectElement).value;
            this.chooseDigit(value === 'all' ? null : Number(value));
          }}
        >
          <option value="all" ?selected=${this.digit === null}>All digits</option>
          ${classCounts.map((n, d) => html`<option value=${d} ?selected=${this.digit === d}>${d} only (${formatInteger(n)})</option>`)}
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
        <span>of ${formatInteger(pages)}</span>
        <button @click=${() => this.goToPage(this.page + 1)} ?disabled=${this.page >= pages - 1}>Next page</button>
      </span>
      <p class="field-error" id="page-error">${this.pageError ?? nothing}</p>
    </div>`;
  }

  override render() {
    const dataset = this.data.dataset;
    if (!dataset) {
      return html`<h2 class="cell-title">Dataset explorer</h2>
        <dataset-loading></dataset-loading>`;
    }
    const view = this.view(dataset);
    const selected = this.lab.get('selectedDigit') ?? null;
    return html`<h2 class="cell-title">Dataset explorer</h2>
      ${this.renderError()} ${this.renderControls(dataset, view)}
      <div class="browse">
        ${view.length
          ? html`<digit-grid
              .mnist=${dataset}
              .split=${this.split}
              .digit=${this.digit}
              .view=${view}
              .shape=${SHAPE}
              .page=${this.page}
              .focusCell=${this.focusPosition}
              .selected=${selected}
              @digit-select=${this.onDigitSelect}
            ></digit-grid>`
          : html`<p class="muted">No images.</p>`}
        <digit-detail .mnist=${dataset} .selected=${selected}></digit-detail>
      </div>
      <dataset-stats
        .train=${this.trainStats.value ?? null}
        .test=${this.testStats.value ?? null}
        .split=${this.split}
        .digit=${this.digit}
        @digit-class-select=${(e: DigitClassSelectEvent) => this.chooseDigit(e.detail.digit)}
      ></dataset-stats>`;
  }
}

customElements.define('dataset-explorer', DatasetExplorer);

declare global {
  interface HTMLElementTagNameMap {
    'dataset-explorer': DatasetExplorer;
  }
}
