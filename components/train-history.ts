import { css, html, LitElement, nothing } from 'lit';
import type { RunRecord } from '../src/state/lab-state';
import { resample } from '../src/train/curves';
import { OPTIMIZER_LABELS, type TrainSettings } from '../src/train/settings';
import { LabStateController } from './lab-context';
import { drawLines } from './train-vis';

/** 101 points: point i is i% of the run (tfjs-vis plots by index). */
const OVERLAY_POINTS = 101;

/** Runs saved by older versions of the lab may lack fields: show only complete ones. */
export function isCompleteRun(run: RunRecord): boolean {
  return typeof run.settings === 'object' && run.settings !== null && Array.isArray(run.curves?.loss) && typeof run.durationMs === 'number';
}

/** A measured duration, to the second: "3 min 12 s". (Estimates use formatDuration in src/model/estimate.) */
export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const OUTCOME_LABELS: Record<RunRecord['outcome'], string> = {
  completed: 'finished',
  stopped: 'stopped',
  diverged: 'diverged',
  'context-lost': 'GPU lost',
  error: 'failed',
};

type Row = { label: string; value: (run: RunRecord) => string };

const ROWS: Row[] = [
  { label: 'Model', value: (r) => r.modelName },
  { label: 'Optimizer', value: (r) => OPTIMIZER_LABELS[r.settings.optimizer] ?? r.settings.optimizer },
  { label: 'Learning rate', value: (r) => String(r.settings.learningRate) },
  { label: 'Batch size', value: (r) => String(r.settings.batchSize) },
  { label: 'Epochs', value: (r) => String(r.settings.epochs) },
  { label: 'Training images', value: (r) => r.settings.trainSize.toLocaleString('en-US') },
  { label: 'Validation split', value: (r) => `${Math.round(r.settings.validationSplit * 100)}%` },
  { label: 'Augmentation', value: (r) => (r.settings.augment ? 'on' : 'off') },
  { label: 'Backend', value: (r) => r.backend },
  { label: 'Outcome', value: (r) => OUTCOME_LABELS[r.outcome] ?? r.outcome },
  { label: 'Duration', value: (r) => formatElapsed(r.durationMs) },
  { label: 'Validation accuracy', value: (r) => { const v = r.curves.epochs.at(-1)?.valAccuracy; return v == null ? '—' : `${(v * 100).toFixed(1)}%`; } },
  { label: 'Test accuracy', value: (r) => (r.testAccuracy === null ? '—' : `${(r.testAccuracy * 100).toFixed(1)}%`) },
];

/** The run history: every run's settings and results, curves overlaid, settings side by side. */
export class TrainHistory extends LitElement {
  static properties = { selected: { state: true } };
  declare selected: Set<string>;

  private readonly lab = new LabStateController(this, ['runs']);

  constructor() {
    super();
    this.selected = new Set();
  }

  static styles = css`
    :host {
      display: block;
    }
    ol {
      list-style: none;
      padding: 0;
      margin: 0.5rem 0;
    }
    li {
      padding: 0.25rem 0;
    }
    label {
      cursor: pointer;
    }
    .acc {
      font-weight: 600;
      font-variant-numeric: tabular-nums;
    }
    .muted {
      color: #57606a;
      font-size: 0.9rem;
    }
    table {
      border-collapse: collapse;
      font-size: 0.85rem;
      margin: 0.75rem 0;
    }
    th,
    td {
      border-bottom: 1px solid #d8dee4;
      padding: 0.25rem 0.6rem;
      text-align: left;
    }
    td.differs {
      background: #fff8c5;
      font-weight: 600;
    }
    button {
      font: inherit;
      padding: 0.25rem 0.7rem;
      border-radius: 6px;
      border: 1px solid #8c959f;
      background: #f6f8fa;
      cursor: pointer;
    }
    .chart {
      min-height: 1px;
    }
  `;

  private get runs(): RunRecord[] {
    return (this.lab.get('runs') ?? []).filter(isCompleteRun);
  }

  private toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  private clear(): void {
    if (!confirm('Delete the whole run history? Your current model stays.')) return;
    this.lab.state?.set('runs', []);
    this.selected = new Set();
  }

  protected override updated(): void {
    const chart = this.renderRoot.querySelector<HTMLElement>('#overlay');
    const chosen = this.runs.filter((r) => this.selected.has(r.id));
    if (!chart) return;
    const key = chosen.map((r) => r.id).join();
    if (chart.dataset.drawn === key) return;
    chart.dataset.drawn = key;
    chart.replaceChildren();
    if (chosen.length === 0) return;
    const series = chosen.map((r) => ({ name: `run ${this.runs.indexOf(r) + 1}`, values: resample(r.curves.loss, OVERLAY_POINTS) }));
    void drawLines(chart, series, { xLabel: '% of the run', yLabel: 'training loss (smoothed)' }).catch(() => {});
  }

  private renderCompare(chosen: RunRecord[]) {
    if (chosen.length === 0) return html`<p class="muted">Tick runs to overlay their loss curves and compare their settings side by side.</p>`;
    return html`<table aria-label="Selected runs side by side">
      <thead>
        <tr>
          <th scope="col">Setting</th>
          ${chosen.map((r) => html`<th scope="col">Run ${this.runs.indexOf(r) + 1}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${ROWS.map((row) => {
          const values = chosen.map(row.value);
          const differs = new Set(values).size > 1;
          return html`<tr>
            <th scope="row">${row.label}</th>
            ${values.map((v) => html`<td class=${differs ? 'differs' : ''}>${v}</td>`)}
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  override render() {
    const runs = this.runs;
    if (runs.length === 0) return html`<p class="muted" data-testid="run-history-empty">No runs yet: your runs will be listed here, and kept when you reload.</p>`;
    const chosen = runs.filter((r) => this.selected.has(r.id));
    return html`
      <ol aria-label="Training runs" data-testid="run-history">
        ${runs.map((run, i) => {
          const s: TrainSettings = run.settings;
          return html`<li>
            <label>
              <input type="checkbox" .checked=${this.selected.has(run.id)} @change=${(e: Event) => this.toggle(run.id, (e.target as HTMLInputElement).checked)} />
              Run ${i + 1}: ${run.modelName}, ${OPTIMIZER_LABELS[s.optimizer] ?? s.optimizer} at ${s.learningRate}, ${s.trainSize.toLocaleString('en-US')} images ×
              ${s.epochs} epoch${s.epochs === 1 ? '' : 's'} —
              <span class="acc">${run.testAccuracy === null ? OUTCOME_LABELS[run.outcome] : `${(run.testAccuracy * 100).toFixed(1)}% test accuracy`}</span>
              <span class="muted">(${formatElapsed(run.durationMs)} on ${run.backend})</span>
            </label>
          </li>`;
        })}
      </ol>
      <div id="overlay" class="chart" data-testid="overlay-chart"></div>
      ${this.renderCompare(chosen)}
      ${runs.length > 0 ? html`<button @click=${this.clear}>Clear history</button>` : nothing}
    `;
  }
}

customElements.define('train-history', TrainHistory);

declare global {
  interface HTMLElementTagNameMap {
    'train-history': TrainHistory;
  }
}
