// eslint-disable-next-line no-restricted-imports -- lead removes this (issue 11)
import * as tf from '@tensorflow/tfjs';
import { css, html, nothing, type PropertyValues } from 'lit';
import { BACKEND_LABELS, type BackendName } from '../src/backend/backend';
import { formatDuration } from '../src/model/estimate';
import { LabModel } from '../src/model/lab-model';
import { ensureDataset } from '../src/state/actions';
import type { RunRecord } from '../src/state/lab-state';
import { TrainControl } from '../src/train/control';
import { blockMeans, niceStride, smooth } from '../src/train/curves';
import type { TestEvaluation } from '../src/train/evaluate';
import type { EpochMetrics, TrainOutcomeKind, TrainProgress } from '../src/train/loop';
import { ModelFileError, modelFromFiles, saveLabModel } from '../src/train/model-io';
import { summariseRun, trainAndEvaluate } from '../src/train/session';
import {
  OPTIMIZER_LABELS,
  OPTIMIZERS,
  parseTrainSettings,
  settingsToInput,
  TRAIN_LIMITS,
  type TrainSettingsErrors,
  type TrainSettingsInput,
} from '../src/train/settings';
import { dataBaseUrl } from './config';
import { LabCell } from './lab-cell';
import { LabStateController } from './lab-context';
import { drawLines, drawTable, Throttle } from './train-vis';
import './train-history';
import './train-results';

type Phase = 'idle' | 'training' | 'testing';
type NumericField = keyof typeof TRAIN_LIMITS;

const CHART_POINTS = 300;
const FIELDS: { key: NumericField; hint: string }[] = [
  { key: 'epochs', hint: 'passes over the training images' },
  { key: 'batchSize', hint: 'images per weight update' },
  { key: 'learningRate', hint: 'step size, e.g. 0.001' },
  { key: 'validationSplit', hint: 'fraction held back, 0–0.5' },
  { key: 'trainSize', hint: '1,000 to 60,000' },
];

/** Listens for the loss of the WebGL backend's context: tfjs only logs a warning, the run must stop. */
function watchWebglContext(onLost: () => void): () => void {
  if (tf.getBackend() !== 'webgl') return () => {};
  const backend = tf.backend() as unknown as { getGPGPUContext?: () => { gl: WebGLRenderingContext } };
  const canvas = backend.getGPGPUContext?.().gl.canvas;
  if (!canvas || !('addEventListener' in canvas)) return () => {};
  const handler = (event: Event) => {
    event.preventDefault();
    onLost();
  };
  canvas.addEventListener('webglcontextlost', handler);
  return () => canvas.removeEventListener('webglcontextlost', handler);
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating time left';
  return `${formatDuration(seconds)} left`;
}

/** The training cell: hyperparameters, Train/Pause/Resume/Stop, live curves, test results, model files and history. */
export class TrainPanel extends LabCell {
  static properties = {
    ...LabCell.properties,
    form: { state: true },
    fieldErrors: { state: true },
    phase: { state: true },
    paused: { state: true },
    progress: { state: true },
    testFraction: { state: true },
    evaluation: { state: true },
    outcome: { state: true },
    outcomeMessage: { state: true },
    modelMessage: { state: true },
    modelError: { state: true },
    saved: { state: true },
  };

  declare form: TrainSettingsInput | null;
  declare fieldErrors: TrainSettingsErrors;
  declare phase: Phase;
  declare paused: boolean;
  declare progress: TrainProgress | null;
  declare testFraction: number;
  declare evaluation: TestEvaluation | null;
  declare outcome: TrainOutcomeKind | null;
  declare outcomeMessage: string | null;
  declare modelMessage: string | null;
  declare modelError: string | null;
  /** Whether the current model is stored in IndexedDB yet (a reload brings it back). */
  declare saved: 'saving' | 'saved' | 'failed' | null;

  private readonly lab = new LabStateController(this, ['dataset', 'trainSettings', 'modelSpec', 'augmentation', 'backend', 'model']);
  private control: TrainControl | null = null;
  private live = { loss: [] as number[], accuracy: [] as number[], epochs: [] as EpochMetrics[], initial: null as { loss: number; accuracy: number } | null };
  private readonly charts = new Throttle(() => this.drawCharts(), 1000);

  constructor() {
    super();
    this.form = null;
    this.fieldErrors = {};
    this.phase = 'idle';
    this.paused = false;
    this.progress = null;
    this.testFraction = 0;
    this.evaluation = null;
    this.outcome = null;
    this.outcomeMessage = null;
    this.modelMessage = null;
    this.modelError = null;
    this.saved = null;
  }

  static styles = [
    LabCell.cellStyles,
    css`
      .settings {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
        gap: 0.75rem 1rem;
        border: none;
        padding: 0;
        margin: 0 0 1rem;
      }
      .field label {
        display: block;
        font-weight: 600;
        font-size: 0.9rem;
      }
      .field input[type='text'],
      .field select {
        font: inherit;
        width: 100%;
        box-sizing: border-box;
        padding: 0.25rem 0.4rem;
        border: 1px solid #8c959f;
        border-radius: 6px;
      }
      .field input[aria-invalid='true'] {
        border-color: #cf222e;
        background: #fff5f5;
      }
      .hint {
        font-size: 0.75rem;
        color: var(--lab-muted, #57606a);
      }
      .field-error {
        font-size: 0.8rem;
        color: #82071e;
        margin-top: 0.2rem;
      }
      .check {
        display: flex;
        align-items: center;
        gap: 0.4rem;
        font-weight: 600;
        font-size: 0.9rem;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin: 0.5rem 0;
      }
      .model-line {
        font-size: 0.9rem;
        color: var(--lab-muted, #57606a);
        margin: 0 0 0.75rem;
      }
      .progress {
        margin: 0.75rem 0;
      }
      .progress progress {
        width: 100%;
        height: 0.9rem;
      }
      .progress-text {
        font-size: 0.9rem;
        font-variant-numeric: tabular-nums;
      }
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr));
        gap: 0.5rem 1.25rem;
      }
      .chart-title {
        font-size: 0.85rem;
        font-weight: 600;
        margin: 0.75rem 0 0.25rem;
      }
      .note {
        padding: 0.5rem 0.75rem;
        border-radius: 6px;
        background: #ddf4ff;
        border: 1px solid #b6e3ff;
        margin: 0.75rem 0;
      }
      h3 {
        font-size: 1rem;
        margin: 1.5rem 0 0.5rem;
        border-top: 1px solid var(--lab-border, #d8dee4);
        padding-top: 1rem;
      }
      .files {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem 1.5rem;
        align-items: end;
      }
      .files label {
        display: block;
        font-size: 0.9rem;
        font-weight: 600;
      }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Leaving the lesson ends the run cleanly (tensors freed, run kept in the history).
    this.control?.stop('Stopped because you left the training page.');
    this.charts.cancel();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const state = this.lab.state;
    if (!this.form && state) this.form = settingsToInput(state.get('trainSettings'));
  }

  private get busy(): boolean {
    return this.phase !== 'idle';
  }

  private edit(key: keyof TrainSettingsInput, value: string | boolean): void {
    if (!this.form) return;
    this.form = { ...this.form, [key]: value };
    const parsed = parseTrainSettings(this.form);
    if (parsed.ok) {
      this.fieldErrors = {};
      this.lab.state?.set('trainSettings', parsed.settings);
    } else {
      this.fieldErrors = parsed.errors;
    }
  }

  private async train(): Promise<void> {
    const state = this.lab.state;
    if (!state || !this.form || this.busy) return;
    const parsed = parseTrainSettings(this.form);
    if (!parsed.ok) {
      this.fieldErrors = parsed.errors;
      this.fail(`Nothing was started: ${Object.values(parsed.errors).join(' ')}`);
      return;
    }
    const settings = parsed.settings;
    state.set('trainSettings', settings);
    this.fieldErrors = {};
    this.clearError();
    this.outcome = null;
    this.outcomeMessage = null;
    this.evaluation = null;
    this.progress = null;
    this.testFraction = 0;
    this.live = { loss: [], accuracy: [], epochs: [], initial: null };
    this.clearCharts();
    this.status = 'busy';
    this.phase = 'training';
    const control = (this.control = new TrainControl());
    const spec = state.get('modelSpec');
    const startedAt = Date.now();
    try {
      const dataset = await ensureDataset(state, dataBaseUrl());
      const backend = tf.getBackend();
      const result = await trainAndEvaluate({
        spec,
        dataset,
        settings,
        augmentation: state.get('augmentation'),
        control,
        watchContextLoss: watchWebglContext,
        onBatch: (p) => {
          this.progress = p;
          this.live.loss.push(p.loss);
          this.live.accuracy.push(p.accuracy);
          this.charts.request();
        },
        onInitialValidation: (v) => (this.live.initial = v),
        onEpoch: (m) => {
          this.live.epochs.push(m);
          this.requestUpdate();
          this.charts.request();
          if (m.epoch === settings.epochs) this.phase = 'testing';
        },
        onTestProgress: (f) => {
          this.phase = 'testing';
          this.testFraction = f;
        },
      });
      await this.charts.flush();
      const summary = summariseRun(spec, settings, BACKEND_LABELS[backend as BackendName] ?? backend, result);
      const record: RunRecord = { id: `${startedAt}-${Math.random().toString(36).slice(2, 8)}`, startedAt, ...summary };
      state.set('runs', [...state.get('runs'), record]);
      // A run stopped by hand does not replace a model the lab already has: stopping should never lose good work.
      const keepPrevious = result.train.outcome === 'stopped' && state.get('model') !== null;
      if (result.trainable && result.train.imagesSeen > 0 && !keepPrevious) {
        // The lab's model is for inference from here on: the optimizer's state can go now.
        result.trainable.optimizer.dispose();
        const accuracy = result.test ? `, ${(result.test.accuracy * 100).toFixed(1)}% test accuracy` : ` (${OUTCOME_NOTE[result.train.outcome]})`;
        const labModel = new LabModel(result.trainable.model, 'trained', `${spec.name} net trained on ${result.train.imagesSeen.toLocaleString('en-US')} images${accuracy}`, spec);
        state.set('model', labModel);
        void this.save(labModel);
      } else {
        result.trainable?.dispose();
      }
      this.evaluation = result.test;
      this.outcome = result.train.outcome;
      this.outcomeMessage = keepPrevious ? `${result.train.message.split('. ')[0]}. The lab keeps its previous model.` : result.train.message;
      if (result.train.outcome === 'diverged' || result.train.outcome === 'context-lost') this.fail(result.train.message);
      else this.status = 'ready';
    } catch (error) {
      this.fail(control.stopped ? control.reason : error);
    } finally {
      this.control = null;
      this.phase = 'idle';
      this.paused = false;
    }
  }

  private togglePause(): void {
    const control = this.control;
    if (!control) return;
    if (control.paused) control.resume();
    else control.pause();
    this.paused = control.paused;
  }

  private stop(): void {
    this.control?.stop();
    this.paused = false;
  }

  private clearCharts(): void {
    for (const id of ['loss-chart', 'accuracy-chart', 'epoch-chart', 'epoch-table']) this.renderRoot.querySelector(`#${id}`)?.replaceChildren();
  }

  private async drawCharts(): Promise<void> {
    const root = this.renderRoot;
    const lossEl = root.querySelector<HTMLElement>('#loss-chart');
    const accEl = root.querySelector<HTMLElement>('#accuracy-chart');
    const n = this.live.loss.length;
    if (!lossEl || !accEl || n < 2) return;
    // tfjs-vis plots point i at x = i: average blocks of a round number of batches and say so on the axis.
    const stride = niceStride(n, CHART_POINTS);
    const line = (values: number[]) => blockMeans(values, stride);
    const xLabel = stride === 1 ? 'batch' : `batch (×${stride})`;
    await drawLines(
      lossEl,
      [
        { name: 'smoothed', values: line(smooth(this.live.loss)) },
        { name: 'per batch', values: line(this.live.loss), color: '#9ecbff' },
      ],
      { xLabel, yLabel: 'training loss' },
    );
    await drawLines(
      accEl,
      [
        { name: 'smoothed', values: line(smooth(this.live.accuracy)) },
        { name: 'per batch', values: line(this.live.accuracy), color: '#9ecbff' },
      ],
      { xLabel, yLabel: 'training accuracy', yAxisDomain: [0, 1] },
    );
    const epochs = this.live.epochs;
    const epochChart = root.querySelector<HTMLElement>('#epoch-chart');
    const initial = this.live.initial;
    if (epochChart && initial && epochs.length > 0) {
      // Point 0 is the untrained network, so even one epoch draws a line and x is the epoch number.
      await drawLines(
        epochChart,
        [
          { name: 'validation accuracy', values: [initial.accuracy, ...epochs.map((e) => e.valAccuracy ?? 0)] },
          { name: 'validation loss', values: [initial.loss, ...epochs.map((e) => e.valLoss ?? 0)], color: '#d1242f' },
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

  private savedFor: LabModel | null = null;

  private async save(labModel: LabModel): Promise<void> {
    this.savedFor = labModel;
    this.saved = 'saving';
    try {
      await saveLabModel(labModel);
      if (this.lab.get('model') === labModel) this.saved = 'saved';
    } catch {
      this.saved = 'failed';
    }
  }

  private renderSaved() {
    if (this.savedFor !== this.lab.get('model')) return nothing;
    switch (this.saved) {
      case 'saving':
        return html` · <span class="hint">saving in this browser…</span>`;
      case 'saved':
        return html` · <span class="hint" data-testid="model-saved">kept in this browser</span>`;
      case 'failed':
        return html` · <span class="hint">could not be saved in this browser (storage refused): it is used until you reload</span>`;
      default:
        return nothing;
    }
  }

  private async download(): Promise<void> {
    const labModel = this.lab.get('model');
    if (!labModel) return;
    this.modelError = null;
    try {
      await labModel.model.save('downloads://digit-lab-model');
      this.modelMessage = 'Downloaded digit-lab-model.json and digit-lab-model.weights.bin: choose both to load the model back.';
    } catch (error) {
      this.modelError = `Could not download the model: ${(error as Error).message}`;
    }
  }

  private async loadFiles(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    this.modelError = null;
    this.modelMessage = null;
    if (files.length === 0) return;
    const jsonFiles = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
    if (jsonFiles.length !== 1) {
      this.modelError =
        jsonFiles.length === 0
          ? 'Choose the model’s .json file together with its weights (.bin) file; no .json file was chosen.'
          : 'Choose exactly one model .json file (with its weights file).';
      return;
    }
    try {
      const weights = new Map<string, ArrayBuffer>();
      for (const f of files) if (f !== jsonFiles[0]) weights.set(f.name, await f.arrayBuffer());
      const model = await modelFromFiles(await jsonFiles[0].text(), weights);
      const labModel = new LabModel(model, 'uploaded', `loaded from ${jsonFiles[0].name}`);
      this.lab.state?.set('model', labModel);
      this.modelMessage = `Loaded ${jsonFiles[0].name}: it is now the lab’s model.`;
      void this.save(labModel);
    } catch (error) {
      this.modelError = error instanceof ModelFileError ? `${error.message} The current model is unchanged.` : `Could not load this model: ${(error as Error).message}. The current model is unchanged.`;
    }
  }

  private renderField(key: NumericField, hint: string) {
    const form = this.form!;
    const error = this.fieldErrors[key];
    const id = `train-${key}`;
    return html`<div class="field">
      <label for=${id}>${TRAIN_LIMITS[key].label}</label>
      <input
        id=${id}
        type="text"
        inputmode="decimal"
        autocomplete="off"
        .value=${String(form[key])}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby="${id}-hint ${error ? `${id}-error` : ''}"
        ?disabled=${this.busy}
        @input=${(e: Event) => this.edit(key, (e.target as HTMLInputElement).value)}
      />
      <div class="hint" id="${id}-hint">${hint}</div>
      ${error ? html`<div class="field-error" id="${id}-error">${error}</div>` : nothing}
    </div>`;
  }

  private renderProgress() {
    const p = this.progress;
    if (this.phase === 'testing') {
      return html`<div class="progress">
        <progress max="1" .value=${this.testFraction} aria-label="Test progress"></progress>
        <div class="progress-text" role="status">Measuring accuracy on all 10,000 test images… ${Math.round(this.testFraction * 100)}%</div>
      </div>`;
    }
    if (this.phase !== 'training') return nothing;
    const text = p
      ? `Epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batchesPerEpoch} · ${Math.round(p.imagesPerSecond).toLocaleString('en-US')} images/s · ${this.paused ? 'paused' : formatSeconds(p.secondsLeft)}`
      : 'Preparing the data and the model (the first batch compiles the GPU programs)…';
    return html`<div class="progress">
      <progress max="1" .value=${p ? p.imagesSeen / p.imagesTotal : 0} aria-label="Training progress"></progress>
      <div class="progress-text" data-testid="train-progress">${text}</div>
    </div>`;
  }

  override render() {
    const form = this.form;
    const spec = this.lab.get('modelSpec');
    const current = this.lab.get('model');
    const hasCurves = this.phase !== 'idle' || this.outcome !== null;
    return html`<h2 class="cell-title">Training</h2>
      <p class="model-line">
        Model to train: <strong>${spec?.name ?? '—'}</strong> (${spec?.layers.length ?? 0} layers, set in the Model lesson) ·
        backend: ${this.lab.get('backend')?.active ?? '…'}
      </p>
      ${form
        ? html`<fieldset class="settings" aria-label="Hyperparameters">
            ${FIELDS.map((f) => this.renderField(f.key, f.hint))}
            <div class="field">
              <label for="train-optimizer">Optimizer</label>
              <select id="train-optimizer" ?disabled=${this.busy} @change=${(e: Event) => this.edit('optimizer', (e.target as HTMLSelectElement).value)}>
                ${OPTIMIZERS.map((o) => html`<option value=${o} ?selected=${form.optimizer === o}>${OPTIMIZER_LABELS[o]}</option>`)}
              </select>
              <div class="hint">how the weights are nudged</div>
            </div>
            <div class="field">
              <label class="check"
                ><input type="checkbox" .checked=${form.augment} ?disabled=${this.busy} @change=${(e: Event) => this.edit('augment', (e.target as HTMLInputElement).checked)} />
                Augmentation</label
              >
              <div class="hint">random rotate/shift/zoom from the Augmentation lesson</div>
            </div>
          </fieldset>`
        : nothing}
      <div class="controls">
        <button class="primary" ?disabled=${this.busy} @click=${this.train}>Train</button>
        <button ?disabled=${this.phase !== 'training'} @click=${this.togglePause}>${this.paused ? 'Resume' : 'Pause'}</button>
        <button ?disabled=${!this.busy} @click=${this.stop}>Stop</button>
      </div>
      ${this.renderError()} ${this.renderProgress()}
      ${this.outcomeMessage && this.outcome !== 'diverged' && this.outcome !== 'context-lost'
        ? html`<p class="note" role="status" data-testid="train-outcome">${this.outcomeMessage}</p>`
        : nothing}
      <div class="charts" ?hidden=${!hasCurves} data-testid="train-charts">
        <div>
          <p class="chart-title">Training loss per batch</p>
          <div id="loss-chart" data-testid="loss-chart"></div>
        </div>
        <div>
          <p class="chart-title">Training accuracy per batch</p>
          <div id="accuracy-chart" data-testid="accuracy-chart"></div>
        </div>
      </div>
      <div ?hidden=${!hasCurves}>
        <p class="chart-title">Per epoch: validation on held-back images (epoch 0 = before training)</p>
        ${this.live.epochs.length === 0 ? html`<p class="hint">Appears when the first epoch ends.</p>` : nothing}
        <div id="epoch-chart"></div>
        <div id="epoch-table" data-testid="epoch-table"></div>
      </div>
      <train-results .evaluation=${this.evaluation} .mnist=${this.lab.get('dataset') ?? null}></train-results>

      <h3>Your model</h3>
      <p>Current model: <strong data-testid="current-model">${current ? `${current.description} (${current.source})` : 'none trained yet'}</strong>${current ? nothing : html` — until you train one, the Inside and Draw lessons use the pre-trained model shipped with the lab.`}${current ? this.renderSaved() : nothing}</p>
      <div class="files">
        <button ?disabled=${!current || this.busy} @click=${this.download}>Download model</button>
        <div>
          <label for="model-files">Load a model (model.json and its weights .bin file)</label>
          <input id="model-files" type="file" multiple accept=".json,.bin" ?disabled=${this.busy} @change=${this.loadFiles} />
        </div>
      </div>
      ${this.modelError ? html`<div class="alert" role="alert" data-testid="model-error">${this.modelError}</div>` : nothing}
      ${this.modelMessage ? html`<p role="status">${this.modelMessage}</p>` : nothing}

      <h3>Run history</h3>
      <train-history></train-history>`;
  }
}

const OUTCOME_NOTE: Record<TrainOutcomeKind, string> = {
  completed: 'finished',
  stopped: 'stopped early',
  diverged: 'diverged; last good weights',
  'context-lost': 'GPU lost',
};

customElements.define('train-panel', TrainPanel);

declare global {
  interface HTMLElementTagNameMap {
    'train-panel': TrainPanel;
  }
}
