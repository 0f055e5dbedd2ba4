import { html, LitElement, nothing } from 'lit';
import { formatNumber, formatPercent } from '../src/format';
import { blockMeans, niceStride, smooth } from '../src/train/curves';
import type { LiveRun } from '../src/train/live-run';
import type { ChartSeries } from './line-chart';
import { trainCurvesStyles } from './train-panel.styles';
import './line-chart';

const CHART_POINTS = 300;
/** Redraw at most this often while a run goes on (the last state is always drawn). */
const REDRAW_MS = 500;

const FAINT = '#9ecbff';

/** Live training curves (loss and accuracy per batch), the per-epoch validation chart and table. */
export class TrainCurves extends LitElement {
  static properties = { run: { attribute: false }, version: { type: Number } };
  declare run: LiveRun | null;
  /** The trainer's change counter: the run object is updated in place, so this is what says "redraw". */
  declare version: number;
  static styles = trainCurvesStyles;
  private lastDraw = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    super();
    this.run = null;
    this.version = 0;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Batches arrive many times a second: render at most every REDRAW_MS, and once more for the last one. */
  protected override shouldUpdate(): boolean {
    const now = performance.now();
    if (now - this.lastDraw >= REDRAW_MS || this.run?.phase !== 'training') {
      this.lastDraw = now;
      return true;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.requestUpdate();
    }, REDRAW_MS);
    return false;
  }

  private batchSeries(values: number[]): ChartSeries[] {
    // Average blocks of a round number of batches and say so on the axis.
    const stride = niceStride(values.length, CHART_POINTS);
    const xs = (n: number) => Array.from({ length: n }, (_, i) => (i + 0.5) * stride);
    const smoothed = blockMeans(smooth(values), stride);
    const raw = blockMeans(values, stride);
    return [
      { name: 'per batch', values: raw, x: xs(raw.length), color: FAINT, faint: true },
      { name: 'smoothed', values: smoothed, x: xs(smoothed.length), color: '#1f6feb' },
    ];
  }

  override render() {
    const run = this.run;
    if (!run) return nothing;
    const epochs = run.epochs;
    const epochX = [0, ...epochs.map((e) => e.epoch)];
    const cell = (x: number | null, percent = false) => (x === null ? '—' : percent ? formatPercent(x) : formatNumber(x, 3));
    return html`<div class="charts" data-testid="train-charts">
        <div>
          <p class="chart-title">Training loss per batch</p>
          <line-chart data-testid="loss-chart" .series=${this.batchSeries(run.loss)} x-label="batch" y-label="training loss"></line-chart>
        </div>
        <div>
          <p class="chart-title">Training accuracy per batch</p>
          <line-chart data-testid="accuracy-chart" .series=${this.batchSeries(run.accuracy)} .yDomain=${[0, 1]} x-label="batch" y-label="training accuracy"></line-chart>
        </div>
      </div>
      <p class="chart-title">Per epoch: validation on held-back images (epoch 0 = before training)</p>
      ${epochs.length === 0 || !run.initial
        ? html`<p class="hint">Appears when the first epoch ends.</p>`
        : html`<line-chart
              .series=${[
                { name: 'validation accuracy', values: [run.initial.accuracy, ...epochs.map((e) => e.valAccuracy ?? Number.NaN)], x: epochX },
                { name: 'validation loss', values: [run.initial.loss, ...epochs.map((e) => e.valLoss ?? Number.NaN)], x: epochX, color: '#d1242f' },
              ]}
              x-label="epoch"
              integer-x
              y-label="validation"
              height="180"
            ></line-chart>
            <div class="table-wrap">
              <table data-testid="epoch-table">
                <thead>
                  <tr>
                    ${['Epoch', 'Training loss', 'Training accuracy', 'Validation loss', 'Validation accuracy'].map((h) => html`<th scope="col">${h}</th>`)}
                  </tr>
                </thead>
                <tbody>
                  ${epochs.map(
                    (e) => html`<tr>
                      <td>${e.epoch}</td>
                      <td>${cell(e.loss)}</td>
                      <td>${cell(e.accuracy, true)}</td>
                      <td>${cell(e.valLoss)}</td>
                      <td>${cell(e.valAccuracy, true)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}`;
  }
}

customElements.define('train-curves', TrainCurves);

declare global {
  interface HTMLElementTagNameMap {
    'train-curves': TrainCurves;
  }
}
