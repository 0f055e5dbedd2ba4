import { html, LitElement } from 'lit';
import type { Split } from '../src/data/mnist';
import { backgroundFraction, histogramBins, type SplitStats } from '../src/data/stats';
import { formatInteger, formatPercent } from '../src/format';
import { drawClassBalance, drawHistogram } from './dataset-charts';
import { paintDigit } from './digit-painter';
import { datasetStatsStyles } from './dataset-stats.styles';
import { SPLIT_NAMES } from './lab-dataset-controller';

/** Detail of `digit-class-select`: the class to browse, or null for all digits. */
export interface DigitClassSelectDetail {
  digit: number | null;
}

export type DigitClassSelectEvent = CustomEvent<DigitClassSelectDetail>;

/**
 * What the data set looks like as a whole: the class balance of both splits, the pixel histogram and the mean image
 * of each class of the split shown. Each mean image is a button that browses its class (pressed again: all digits).
 * A plain view: the host computes the statistics and passes them in.
 *
 * @fires digit-class-select - {@link DigitClassSelectDetail} when a mean image is clicked (bubbles, composed).
 */
export class DatasetStats extends LitElement {
  static override properties = {
    train: { attribute: false },
    test: { attribute: false },
    split: {},
    digit: { attribute: false },
  };

  declare train: SplitStats | null;
  declare test: SplitStats | null;
  declare split: Split;
  /** The class browsed now (its mean image shows pressed), or null. */
  declare digit: number | null;

  static override styles = datasetStatsStyles;

  /** Which statistics the charts were last drawn from, so a re-render does not redraw them. */
  private chartsDrawnFor = '';

  constructor() {
    super();
    this.train = null;
    this.test = null;
    this.split = 'train';
    this.digit = null;
  }

  private get current(): SplitStats | null {
    return this.split === 'train' ? this.train : this.test;
  }

  private chooseClass(digit: number): void {
    const detail: DigitClassSelectDetail = { digit: this.digit === digit ? null : digit };
    this.dispatchEvent(new CustomEvent<DigitClassSelectDetail>('digit-class-select', { detail, bubbles: true, composed: true }));
  }

  protected override updated(): void {
    const current = this.current;
    if (current) {
      for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-mean]')) {
        paintDigit(canvas, current.meanImages[Number(canvas.dataset.mean)], { scale: 1 });
      }
    }
    this.drawCharts();
  }

  private drawCharts(): void {
    const { train, test, current } = this;
    const key = `${train ? 1 : 0}${test ? 1 : 0}:${this.split}`;
    if (key === this.chartsDrawnFor) return;
    const balance = this.renderRoot.querySelector<SVGSVGElement>('svg.balance');
    const histogram = this.renderRoot.querySelector<SVGSVGElement>('svg.histogram');
    if (train && test && balance) drawClassBalance(balance, train.classCounts, test.classCounts);
    if (current && histogram) drawHistogram(histogram, histogramBins(current.pixelCounts, 15, 1), SPLIT_NAMES[this.split].toLowerCase());
    if (balance && histogram) this.chartsDrawnFor = key;
  }

  override render() {
    const current = this.current;
    const splitName = SPLIT_NAMES[this.split].toLowerCase();
    return html`<figure>
        <h3>Class balance</h3>
        <svg class="balance" aria-label="Class balance chart"></svg>
        <figcaption>${this.train && this.test ? 'Each digit’s share of its split. Hover a bar for the count.' : 'Counting the classes…'}</figcaption>
      </figure>
      <figure>
        <h3>Pixel intensities (${splitName} split)</h3>
        <svg class="histogram" aria-label="Pixel intensity histogram"></svg>
        <figcaption data-testid="background-share">
          ${current
            ? html`${formatPercent(backgroundFraction(current.pixelCounts))} of all pixels are pure background (0) and are left
              out; the bars share out the rest.`
            : 'Counting pixels…'}
        </figcaption>
      </figure>
      <figure class="wide">
        <h3>Mean image of each class (${splitName} split)</h3>
        ${current
          ? html`<div class="means">
              ${current.meanImages.map(
                (_, d) => html`<button aria-pressed=${this.digit === d ? 'true' : 'false'} title="Show only ${d}s" @click=${() => this.chooseClass(d)}>
                  <canvas width="28" height="28" data-mean=${d} aria-hidden="true"></canvas>
                  <strong>${d}</strong>
                  <span class="count">${formatInteger(current.classCounts[d])}</span>
                </button>`,
              )}
            </div>`
          : html`<p class="muted">Averaging ${splitName} images…</p>`}
        <figcaption>The average of every image of a class: bright where most writers put ink. Click one to browse that class.</figcaption>
      </figure>`;
  }
}

customElements.define('dataset-stats', DatasetStats);

declare global {
  interface HTMLElementTagNameMap {
    'dataset-stats': DatasetStats;
  }
  interface HTMLElementEventMap {
    'digit-class-select': DigitClassSelectEvent;
  }
}
