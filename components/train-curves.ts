import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { blockMeans, niceStride, smooth } from '../src/train/curves';
import type { LiveRun } from '../src/train/lab-trainer';
import { trainCurvesStyles } from './train-panel.styles';
import { drawLines, drawTable, Throttle } from './train-vis';

const CHART_POINTS = 300;

/** Live training curves (loss and accuracy per batch), the per-epoch validation chart and table. */
export class TrainCurves extends LitElement {
  static properties = { run: { attribute: false } };
  declare run: LiveRun | null;
  static styles = trainCurvesStyles;
  private readonly charts = new Throttle(() => this.draw(), 1000);
  private drawnFor: LiveRun | null = null;

  constructor() {
    super();
    this.run = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.charts.cancel();
  }

  /** Redraw now (the run has ended); resolves when drawn. */
  flush(): Promise<void> {
    return this.charts.flush();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('run') && this.run !== this.drawnFor) {
      this.drawnFor = this.run;
      for (const el of this.renderRoot.querySelectorAll<HTMLElement>('.chart')) el.replaceChildren();
    }
    if (this.run) this.charts.request();
  }

  private async draw(): Promise<void> {
    const run = this.run;
    const root = this.renderRoot;
    const lossEl = root.querySelector<HTMLElement>('#loss-chart');
    const accEl = root.querySelector<HTMLElement>('#accuracy-chart');
    if (!run || !lossEl || !accEl || run.loss.length < 2) return;
    // tfjs-vis plots point i at x = i: average blocks of a round number of batches and say so on the axis.
    const stride = niceStride(run.loss.length, CHART_POINTS);
    const line = (values: number[]) => blockMeans(values, stride);
    const xLabel = stride === 1 ? 'batch' : `batch (×${stride})`;
    await drawLines(
      lossEl,
      [
        { name: 'smoothed', values: line(smooth(run.loss)) },
        { name: 'per batch', values: line(run.loss), color: '#9ecbff' },
      ],
      { xLabel, yLabel: 'training loss' },
    );
    await drawLines(
      accEl,
      [
        { name: 'smoothed', values: line(smooth(run.accuracy)) },
        { name: 'per batch', values: line(run.accuracy), color: '#9ecbff' },
      ],
      { xLabel, yLabel: 'training accuracy', yAxisDomain: [0, 1] },
    );
    const epochs = run.epochs;
    const epochChart = root.querySelector<HTMLElement>('#epoch-chart');
    if (epochChart && run.initial && epochs.length > 0) {
      // Point 0 is the untrained network, so even one epoch draws a line and x is the epoch number.
      await drawLines(
        epochChart,
        [
          { name: 'validation accuracy', values: [run.initial.accuracy, ...epochs.map((e) => e.valAccuracy ?? 0)] },
          { name: 'validation loss', values: [run.initial.loss, ...epochs.map((e) => e.valLoss ?? 0)], color: '#d1242f' },
        ],
        { xLabel: 'epoch', yLabel: 'validation', height: 200 },
      );
    }
    const table = root.querySelector<HTMLElement>('#epoch-table');
    if (table && epochs.length > 0) {
      const f = (x: number | null, percent = false) => (x === null ? '—' : percent ? `${(x * 100).toFixed(1)}%` : x.toFixed(3));
      await drawTable(
        table,
        ['Epoch', 'Training loss', 'Training accuracy', 'Validation loss', 'Validation accuracy'],
        epochs.map((e) => [e.epoch, f(e.loss), f(e.accuracy, true), f(e.valLoss), f(e.valAccuracy, true)]),
      );
    }
  }

  override render() {
    const run = this.run;
    if (!run) return nothing;
    return html`<div class="charts" data-testid="train-charts">
        <div>
          <p class="chart-title">Training loss per batch</p>
          <div id="loss-chart" class="chart" data-testid="loss-chart"></div>
        </div>
        <div>
          <p class="chart-title">Training accuracy per batch</p>
          <div id="accuracy-chart" class="chart" data-testid="accuracy-chart"></div>
        </div>
      </div>
      <p class="chart-title">Per epoch: validation on held-back images (epoch 0 = before training)</p>
      ${run.epochs.length === 0 ? html`<p class="hint">Appears when the first epoch ends.</p>` : nothing}
      <div id="epoch-chart" class="chart"></div>
      <div id="epoch-table" class="chart" data-testid="epoch-table"></div>`;
  }
}

customElements.define('train-curves', TrainCurves);

declare global {
  interface HTMLElementTagNameMap {
    'train-curves': TrainCurves;
  }
}
