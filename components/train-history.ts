import { css, html, LitElement, nothing } from 'lit';
import { tableWrapStyles } from './styles/controls.styles';
import type { RunRecord } from '../src/state/lab-state';
import { resample } from '../src/train/curves';
import { loadRunKerasWeights } from '../src/export/model-data';
import type { KerasWeight } from '../src/export/weights';
import { formatElapsed, formatInteger, formatPercent } from '../src/format';
import { measureRunIfStopped, needsBatchNormMeasure, useRunModel } from '../src/train/lab-models';
import { OPTIMIZER_LABELS, type TrainSettings } from '../src/train/settings';
import { labDataset } from './config';
import { LabStateController } from './lab-context';
import './line-chart';
import './run-export';

/** 101 points: point i is i% of the run (tfjs-vis plots by index). */
const OVERLAY_POINTS = 101;

/** Runs saved by older versions of the lab may lack fields: show only complete ones. */
export function isCompleteRun(run: RunRecord): boolean {
  return typeof run.settings === 'object' && run.settings !== null && Array.isArray(run.curves?.loss) && typeof run.durationMs === 'number';
}

const OUTCOME_LABELS: Record<RunRecord['outcome'], string> = {
  completed: 'finished',
  stopped: 'stopped',
  diverged: 'diverged',
  'context-lost': 'interrupted (GPU lost)',
  error: 'failed',
};

type Row = { label: string; value: (run: RunRecord) => string };

const ROWS: Row[] = [
  { label: 'Model', value: (r) => r.modelName },
  { label: 'Optimizer', value: (r) => OPTIMIZER_LABELS[r.settings.optimizer] ?? r.settings.optimizer },
  { label: 'Learning rate', value: (r) => String(r.settings.learningRate) },
  { label: 'Batch size', value: (r) => String(r.settings.batchSize) },
  { label: 'Epochs', value: (r) => String(r.settings.epochs) },
  { label: 'Training images', value: (r) => formatInteger(r.settings.trainSize) },
  { label: 'Validation split', value: (r) => `${Math.round(r.settings.validationSplit * 100)}%` },
  { label: 'Augmentation', value: (r) => (r.settings.augment ? 'on' : 'off') },
  { label: 'Seed', value: (r) => String(r.settings.seed) },
  { label: 'Backend', value: (r) => r.backend },
  { label: 'Outcome', value: (r) => OUTCOME_LABELS[r.outcome] ?? r.outcome },
  { label: 'Duration', value: (r) => formatElapsed(r.durationMs) },
  { label: 'Validation accuracy', value: (r) => { const v = r.curves.epochs.at(-1)?.valAccuracy; return v == null ? '—' : formatPercent(v); } },
  { label: 'Test accuracy', value: (r) => (r.testAccuracy === null ? '—' : formatPercent(r.testAccuracy)) },
];

/** Detail of `rerun`: the settings of the run to repeat (its network and augmentation are already in the lab). */
export interface RerunDetail {
  settings: TrainSettings;
}

/**
 * The run history: every run's settings and results, curves overlaid, settings side by side; any run's model can
 * become the lab's, and any run can be repeated.
 * @fires rerun - {RerunDetail} when the learner asks to run a row's settings again.
 */
export class TrainHistory extends LitElement {
  static properties = { selected: { state: true }, disabled: { type: Boolean }, error: { state: true }, working: { state: true }, note: { state: true } };
  declare selected: Set<string>;
  declare disabled: boolean;
  declare error: string | null;
  /** The run whose model is being loaded. */
  declare working: string | null;
  /** What "Use this model" did besides (a stopped run's batch-norm statistics measured), or null. */
  declare note: string | null;

  private readonly lab = new LabStateController(this, ['runs', 'model']);

  constructor() {
    super();
    this.selected = new Set();
    this.disabled = false;
    this.error = null;
    this.working = null;
    this.note = null;
  }

  private async use(run: RunRecord): Promise<void> {
    const state = this.lab.state;
    if (!state) return;
    this.error = null;
    this.note = null;
    this.working = run.id;
    try {
      ({ note: this.note } = await useRunModel(state, run.id, { dataset: labDataset(state) }));
    } catch (error) {
      this.error = `${(error as Error).message} The lab keeps its current model.`;
    } finally {
      this.working = null;
    }
  }

  /** A run's weights for Keras: a stopped run's batch-norm statistics are measured first, as "Use this model" does. */
  private async exportWeights(run: RunRecord): Promise<KerasWeight[]> {
    const state = this.lab.state;
    if (state) {
      const note = await measureRunIfStopped(state, run.id, { dataset: labDataset(state) });
      if (note) this.note = note;
    }
    return loadRunKerasWeights(run.id);
  }

  private rerun(run: RunRecord): void {
    const state = this.lab.state;
    if (!state) return;
    if (run.spec) state.set('modelSpec', run.spec);
    if (run.augmentation) state.set('augmentation', run.augmentation);
    this.dispatchEvent(new CustomEvent<RerunDetail>('rerun', { detail: { settings: { ...run.settings } }, bubbles: true, composed: true }));
  }

  static styles = [tableWrapStyles, css`
    :host {
      display: block;
    }
    ol {
      list-style: none;
      padding: 0;
      margin: 0.5rem 0;
    }
    li {
      padding: 0.35rem 0;
      border-bottom: 1px solid var(--lab-border, #d8dee4);
    }
    .row-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      margin: 0.25rem 0 0 1.6rem;
      align-items: center;
    }
    .export {
      margin: 0.25rem 0 0 1.6rem;
    }
    .export summary {
      cursor: pointer;
      color: var(--lab-accent-text, #0550ae);
      font-size: 0.9rem;
    }
    .in-use {
      font-weight: 600;
      color: var(--lab-success, #1a7f37);
    }
    .alert {
      padding: 0.5rem 0.75rem;
      border-radius: 6px;
      background: #ffebe9;
      border: 1px solid #ffcecb;
      color: #82071e;
    }
    .note {
      padding: 0.5rem 0.75rem;
      border-radius: 6px;
      background: #ddf4ff;
      border: 1px solid #b6e3ff;
      margin: 0.5rem 0;
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
    /* A finger needs a target of at least 44 px (WCAG 2.5.5). */
    @media (pointer: coarse) {
      button,
      select {
        min-height: 44px;
      }
    }
  `];

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

  private renderCompare(chosen: RunRecord[]) {
    if (chosen.length === 0) return html`<p class="muted">Tick runs to overlay their loss curves and compare their settings side by side.</p>`;
    return html`<div class="table-wrap"><table aria-label="Selected runs side by side">
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
    </table></div>`;
  }

  override render() {
    const runs = this.runs;
    if (runs.length === 0) return html`<p class="muted" data-testid="run-history-empty">No runs yet: your runs will be listed here, and kept when you reload.</p>`;
    const chosen = runs.filter((r) => this.selected.has(r.id));
    const current = this.lab.get('model');
    return html`
      ${this.error ? html`<div class="alert" role="alert">${this.error}</div>` : nothing}
      ${this.note ? html`<p class="note" role="status" data-testid="history-note">${this.note}</p>` : nothing}
      <ol aria-label="Training runs" data-testid="run-history">
        ${runs.map((run, i) => {
          const s: TrainSettings = run.settings;
          const inUse = current?.runId === run.id;
          const hasModel = run.modelKept === 'browser' || run.modelKept === 'memory';
          return html`<li>
            <label>
              <input type="checkbox" .checked=${this.selected.has(run.id)} @change=${(e: Event) => this.toggle(run.id, (e.target as HTMLInputElement).checked)} />
              Run ${i + 1}: ${run.modelName}, ${OPTIMIZER_LABELS[s.optimizer] ?? s.optimizer} at ${s.learningRate}, ${formatInteger(s.trainSize)} images ×
              ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}, seed ${s.seed} —
              <span class="acc">${run.testAccuracy === null ? OUTCOME_LABELS[run.outcome] : `${formatPercent(run.testAccuracy)} test accuracy`}</span>
              ${run.testAccuracy !== null && run.outcome !== 'completed' ? html`<span class="muted">(${OUTCOME_LABELS[run.outcome]})</span>` : nothing}
              <span class="muted">(${formatElapsed(run.durationMs)} on ${run.backend})</span>
            </label>
            <div class="row-actions">
              ${inUse
                ? html`<span class="in-use" data-testid="model-in-use">the lab uses this model</span>`
                : hasModel
                  ? html`<button ?disabled=${this.working !== null} @click=${() => this.use(run)} aria-label="Use the model of run ${i + 1}">
                      ${this.working === run.id ? (needsBatchNormMeasure(run) ? 'Measuring its batch norm…' : 'Loading…') : 'Use this model'}
                    </button>`
                  : html`<span class="muted">${run.imagesSeen > 0 ? 'model not kept' : 'no model: nothing was learned'}</span>`}
              <button ?disabled=${this.disabled || !run.spec} @click=${() => this.rerun(run)} aria-label="Rerun run ${i + 1} with these settings">Rerun with these settings</button>
            </div>
            ${run.spec && run.augmentation
              ? html`<details class="export">
                  <summary>Take run ${i + 1} to Python (Keras)</summary>
                  <run-export
                    .spec=${run.spec}
                    .settings=${run.settings}
                    .augmentation=${run.augmentation}
                    .testAccuracy=${run.testAccuracy}
                    .backend=${run.backend}
                    label="run ${i + 1}"
                    .weights=${hasModel ? () => this.exportWeights(run) : null}
                  ></run-export>
                </details>`
              : nothing}
          </li>`;
        })}
      </ol>

      ${chosen.length > 0
        ? html`<line-chart
            data-testid="overlay-chart"
            .series=${chosen.map((r) => ({ name: `run ${runs.indexOf(r) + 1}`, values: resample(r.curves.loss, OVERLAY_POINTS) }))}
            x-label="% of the run"
            y-label="training loss (smoothed)"
          ></line-chart>`
        : nothing}
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
