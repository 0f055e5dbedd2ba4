import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { NUM_CLASSES, type MnistDataset } from '../src/data/mnist';
import { formatInteger, formatPercent } from '../src/format';
import { requestInspection } from '../src/inspect/focus';
import type { TestEvaluation } from '../src/train/evaluate';
import { paintDigit } from './digit-painter';
import { visuallyHiddenStyles } from './lab-cell';
import { LabStateController } from './lab-context';
import { tableWrapStyles } from './styles/controls.styles';
import { drawBars } from './train-vis';

const PAGE = 48;
const pct = (x: number) => formatPercent(x);

/**
 * The end of a run: test accuracy, confusion matrix (click a cell to see those mistakes), per-class accuracy, and a
 * gallery of misclassified test digits, white on black as the network sees them; clicking one opens it in Inside
 * (the mistake microscope: its top answers, why that digit, its nearest training digits).
 */
export class TrainResults extends LitElement {
  static properties = {
    evaluation: { attribute: false },
    mnist: { attribute: false },
    trueFilter: { state: true },
    predictedFilter: { state: true },
    shown: { state: true },
  };

  declare evaluation: TestEvaluation | null;
  declare mnist: MnistDataset | null;
  declare trueFilter: number | null;
  declare predictedFilter: number | null;
  declare shown: number;

  private readonly lab = new LabStateController(this, []);

  constructor() {
    super();
    this.evaluation = null;
    this.mnist = null;
    this.trueFilter = null;
    this.predictedFilter = null;
    this.shown = PAGE;
  }

  static styles = [
    visuallyHiddenStyles,
    tableWrapStyles,
    css`
    :host {
      display: block;
    }
    .summary {
      font-size: 1.1rem;
      margin: 0.5rem 0 1rem;
    }
    .panels {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(20rem, 100%), 1fr));
      gap: 1.25rem;
      align-items: start;
    }
    h3 {
      font-size: 0.95rem;
      margin: 0.5rem 0;
    }
    table.confusion {
      border-collapse: collapse;
      font-size: 0.8rem;
      font-variant-numeric: tabular-nums;
    }
    .confusion th {
      font-weight: 600;
      padding: 0.15rem 0.3rem;
      color: #57606a;
    }
    .confusion td {
      padding: 0;
    }
    .confusion button {
      width: 2.3rem;
      height: 1.9rem;
      border: 1px solid #fff;
      font: inherit;
      cursor: pointer;
      padding: 0;
    }
    .confusion button[aria-pressed='true'] {
      outline: 3px solid #d1242f;
      outline-offset: -3px;
    }
    .axis-note {
      font-size: 0.8rem;
      color: #57606a;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: center;
      margin: 0.5rem 0;
    }
    select,
    button.plain {
      font: inherit;
    }
    .gallery {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(4.6rem, 1fr));
      gap: 0.5rem;
      list-style: none;
      padding: 0;
      margin: 0.5rem 0;
    }
    .gallery li {
      text-align: center;
      font-size: 0.75rem;
      line-height: 1.2;
    }
    .gallery canvas {
      width: 56px;
      height: 56px;
      image-rendering: pixelated;
      border-radius: 4px;
      display: block;
      margin: 0 auto 0.2rem;
    }
    .gallery button {
      font: inherit;
      background: none;
      border: 1px solid transparent;
      border-radius: 6px;
      padding: 0.2rem;
      cursor: pointer;
      width: 100%;
    }
    .gallery button:hover,
    .gallery button:focus-visible {
      border-color: #0969da;
    }
    .wrong {
      color: #d1242f;
      font-weight: 600;
    }
    .muted {
      color: #57606a;
    }
    /* A phone: finger-sized cells; the matrix scrolls sideways in its own box, its row labels stay in view. */
    @media (pointer: coarse) {
      table.confusion {
        display: block;
        max-width: 100%;
        overflow-x: auto;
      }
      .confusion button {
        width: 44px;
        height: 44px;
      }
      .confusion tbody th {
        position: sticky;
        left: 0;
        background: #fff;
      }
      select,
      button.plain {
        min-height: 44px;
      }
    }
  `,
  ];

  private get filtered() {
    const all = this.evaluation?.misclassified ?? [];
    return all.filter((m) => (this.trueFilter === null || m.label === this.trueFilter) && (this.predictedFilter === null || m.predicted === this.predictedFilter));
  }

  private pick(label: number, predicted: number): void {
    const same = this.trueFilter === label && this.predictedFilter === predicted;
    this.trueFilter = same ? null : label;
    this.predictedFilter = same ? null : predicted;
    this.shown = PAGE;
  }

  private clearFilters(): void {
    this.trueFilter = null;
    this.predictedFilter = null;
    this.shown = PAGE;
  }

  private setFilter(which: 'true' | 'predicted', event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const parsed = value === '' ? null : Number(value);
    if (which === 'true') this.trueFilter = parsed;
    else this.predictedFilter = parsed;
    this.shown = PAGE;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('evaluation')) {
      this.trueFilter = null;
      this.predictedFilter = null;
      this.shown = PAGE;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.paintDigits();
    if (changed.has('evaluation') && this.evaluation) {
      const bars = this.renderRoot.querySelector<HTMLElement>('#per-class');
      const perClass = this.evaluation.perClass;
      if (bars) void drawBars(bars, perClass.map((value, digit) => ({ digit, value: Number.isNaN(value) ? 0 : value })), 'Accuracy').catch(() => {});
    }
  }

  private paintDigits(): void {
    const dataset = this.mnist;
    if (!dataset) return;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-index]')) {
      const index = Number(canvas.dataset.index);
      if (canvas.dataset.painted === String(index)) continue;
      // White on black, as the network sees it (and as every other view shows digits).
      paintDigit(canvas, dataset.image('test', index), { scale: 1 });
      canvas.dataset.painted = String(index);
    }
  }

  /** Opens a mistake in Inside (the lesson after this one), where the microscope takes it up. */
  private inspect(index: number): void {
    const state = this.lab.state;
    if (!state) return;
    requestInspection(state, { kind: 'digit', split: 'test', index });
    location.hash = '#/inside';
  }

  private renderConfusion(evaluation: TestEvaluation) {
    const rowTotals = evaluation.confusion.map((row) => row.reduce((a, b) => a + b, 0));
    const maxOff = Math.max(1, ...evaluation.confusion.flatMap((row, t) => row.filter((_, p) => p !== t)));
    const digits = [...Array(NUM_CLASSES).keys()];
    return html`<div class="table-wrap"><table class="confusion" aria-label="Confusion matrix: rows are the true digit, columns the predicted digit">
      <thead>
        <tr>
          <th scope="col"><span class="visually-hidden">true \\ predicted</span></th>
          ${digits.map((d) => html`<th scope="col">${d}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${evaluation.confusion.map(
          (row, t) => html`<tr>
            <th scope="row">${t}</th>
            ${row.map((count, p) => {
              // Mistakes are shaded by count (the diagonal would drown them), the diagonal in green.
              const strength = t === p ? count / Math.max(1, rowTotals[t]) : count / maxOff;
              const bg = t === p ? `rgb(26 127 55 / ${0.15 + 0.6 * strength})` : count === 0 ? '#f6f8fa' : `rgb(209 36 47 / ${0.12 + 0.8 * strength})`;
              const fg = strength > 0.6 ? '#fff' : '#1f2328';
              return html`<td>
                <button
                  style="background:${bg};color:${fg}"
                  aria-pressed=${this.trueFilter === t && this.predictedFilter === p ? 'true' : 'false'}
                  aria-label="${count} test images of ${t} read as ${p}"
                  title="True ${t}, predicted ${p}: ${count}"
                  ?disabled=${t === p || count === 0}
                  @click=${() => this.pick(t, p)}
                >
                  ${count}
                </button>
              </td>`;
            })}
          </tr>`,
        )}
      </tbody>
    </table></div>
    <p class="axis-note">Rows: true digit · columns: predicted digit. Click a red cell to see those mistakes below.</p>`;
  }

  override render() {
    const evaluation = this.evaluation;
    if (!evaluation) return nothing;
    const filtered = this.filtered;
    const digits = [...Array(NUM_CLASSES).keys()];
    return html`
      <p class="summary" role="status" data-testid="test-accuracy">
        Test accuracy: <strong>${pct(evaluation.accuracy)}</strong> (${formatInteger(evaluation.correct)} of
        ${formatInteger(evaluation.count)} test images the network never saw)
      </p>
      <div class="panels">
        <section>
          <h3>Confusion matrix</h3>
          ${this.renderConfusion(evaluation)}
        </section>
        <section>
          <h3>Accuracy per digit</h3>
          <div id="per-class" data-testid="per-class-chart"></div>
          <p class="axis-note">
            Hardest: ${evaluation.perClass
              .map((a, d) => ({ a, d }))
              .sort((x, y) => x.a - y.a)
              .slice(0, 3)
              .map(({ a, d }) => `${d} (${pct(a)})`)
              .join(', ')}
          </p>
        </section>
      </div>
      <section>
        <h3>Misclassified test digits</h3>
        <div class="filters">
          <label>True digit
            <select @change=${(e: Event) => this.setFilter('true', e)} .value=${this.trueFilter === null ? '' : String(this.trueFilter)}>
              <option value="">any</option>
              ${digits.map((d) => html`<option value=${d} ?selected=${this.trueFilter === d}>${d}</option>`)}
            </select>
          </label>
          <label>Predicted
            <select @change=${(e: Event) => this.setFilter('predicted', e)} .value=${this.predictedFilter === null ? '' : String(this.predictedFilter)}>
              <option value="">any</option>
              ${digits.map((d) => html`<option value=${d} ?selected=${this.predictedFilter === d}>${d}</option>`)}
            </select>
          </label>
          <span class="muted" data-testid="mistake-count">${formatInteger(filtered.length)} of ${formatInteger(evaluation.misclassified.length)} mistakes</span>
          ${this.trueFilter !== null || this.predictedFilter !== null
            ? html`<button class="plain" @click=${this.clearFilters}>Show all mistakes</button>`
            : nothing}
        </div>
        <p class="axis-note">Click a mistake to look inside the network: why it said that, and the training digits it found most alike.</p>
        <ul class="gallery" aria-label="Misclassified test digits">
          ${filtered.slice(0, this.shown).map(
            (m) => html`<li>
              <button @click=${() => this.inspect(m.index)} aria-label="Test image ${formatInteger(m.index)}: a ${m.label} read as ${m.predicted}. Open it in Inside">
                <canvas width="28" height="28" data-index=${m.index} aria-hidden="true"></canvas>
                true ${m.label} → <span class="wrong">${m.predicted}</span><br /><span class="muted">${pct(m.confidence)} sure</span>
              </button>
            </li>`,
          )}
        </ul>
        ${filtered.length > this.shown ? html`<button class="plain" @click=${() => (this.shown += PAGE)}>Show ${Math.min(PAGE, filtered.length - this.shown)} more</button>` : nothing}
      </section>
    `;
  }
}

customElements.define('train-results', TrainResults);

declare global {
  interface HTMLElementTagNameMap {
    'train-results': TrainResults;
  }
}
