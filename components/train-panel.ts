import { TaskStatus } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { formatDuration, formatInteger } from '../src/format';
import { backendSettled } from '../src/state/actions';
import { CONFIRM_ABOVE_SECONDS, costRefusal, estimateRefusal, estimateRun, quickerTrainSize, type RunEstimate } from '../src/train/calibration';
import type { FinishedRun } from '../src/train/finished-run';
import type { LabTrainer } from '../src/train/lab-trainer';
import { chooseShipped, useRunModel } from '../src/train/lab-models';
import { parseTrainSettings, settingsToInput, type TrainSettings, type TrainSettingsErrors, type TrainSettingsInput } from '../src/train/settings';
import { labDataset } from './config';
import { LabCell } from './lab-cell';
import { LabStateController } from './lab-context';
import { trainPanelStyles } from './train-panel.styles';
import { TrainerController } from './trainer-controller';
import type { SettingsSuggestion } from './train-batch-advice';
import type { SettingsChangeDetail } from './train-settings-form';
import type { TrainEstimate } from './train-estimate';
import './model-files';
import './run-export';
import './train-batch-advice';
import './train-curves';
import './train-estimate';
import './train-history';
import './train-progress';
import './train-results';
import './train-settings-form';

/** A long run waiting for the learner's go-ahead, with a quicker alternative. */
interface PendingConfirm {
  settings: TrainSettings;
  estimate: RunEstimate;
  quicker: { trainSize: number; estimate: RunEstimate } | null;
}

/**
 * The training cell: hyperparameters and an honest estimate, Train/Pause/Resume/Stop, live curves, test results,
 * the lab's model and the run history. Training runs in the training worker (src/train/lab-trainer.ts); this
 * element only shows it, so the page never freezes and a run goes on while the learner visits other lessons.
 */
export class TrainPanel extends LabCell {
  static properties = {
    ...LabCell.properties,
    form: { state: true },
    fieldErrors: { state: true },
    confirming: { state: true },
    notice: { state: true },
    checking: { state: true },
  };

  declare form: TrainSettingsInput | null;
  declare fieldErrors: TrainSettingsErrors;
  declare confirming: PendingConfirm | null;
  declare notice: string | null;
  /** Train was asked for and the run's cost is being checked (measured the first time). */
  declare checking: boolean;

  private readonly lab = new LabStateController(this, ['dataset', 'trainSettings', 'modelSpec', 'augmentation', 'backend', 'model', 'training', 'runs']);
  private readonly trainerRef = new TrainerController(this);

  static styles = [LabCell.cellStyles, trainPanelStyles];

  constructor() {
    super();
    this.form = null;
    this.fieldErrors = {};
    this.confirming = null;
    this.notice = null;
    this.checking = false;
  }

  private get trainer(): LabTrainer | null {
    const state = this.lab.state;
    return state ? this.trainerRef.attach(state) : null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const state = this.lab.state;
    if (!this.form && state) {
      this.form = settingsToInput(state.get('trainSettings'));
      // Values the form shows are checked as soon as it shows them, not only on Train.
      const parsed = parseTrainSettings(this.form);
      this.fieldErrors = parsed.ok ? {} : parsed.errors;
    }
    const trainer = this.trainer;
    if (trainer) this.status = trainer.busy ? 'busy' : this.status === 'busy' ? 'ready' : this.status;
  }

  private get busy(): boolean {
    return this.trainer?.busy ?? false;
  }

  private onSettings(event: CustomEvent<SettingsChangeDetail>): void {
    this.applyForm(event.detail);
  }

  /** The GPU batch advice's button: those fields in the form, checked like typing them. */
  private onSuggest(event: CustomEvent<SettingsSuggestion>): void {
    if (!this.form) return;
    const input = { ...this.form, ...event.detail };
    const parsed = parseTrainSettings(input);
    this.applyForm({ input, settings: parsed.ok ? parsed.settings : null, errors: parsed.ok ? {} : parsed.errors });
  }

  /** The form as typed or suggested; valid settings become the lab's. */
  private applyForm({ input, settings, errors }: SettingsChangeDetail): void {
    this.form = input;
    this.fieldErrors = errors;
    this.confirming = null;
    if (settings) this.lab.state?.set('trainSettings', settings);
  }

  /** Train: refuses invalid settings, asks first when the measured estimate is long, then runs. */
  private async requestTrain(): Promise<void> {
    if (!this.form || this.busy || this.checking) return;
    const parsed = parseTrainSettings(this.form);
    if (!parsed.ok) {
      this.fieldErrors = parsed.errors;
      this.fail(`Nothing was started: ${Object.values(parsed.errors).join(' ')}`);
      return;
    }
    const spec = this.lab.get('modelSpec');
    const trainer = this.trainer;
    if (!spec || !trainer) return;
    // The cost gates Train: refused above the caps with the reason, confirmed above a few minutes.
    const refusal = costRefusal(spec, parsed.settings);
    if (refusal) return this.fail(`Nothing was started: ${refusal}`);
    // The estimate shown (measured for these settings) when there is one; else it is measured now, never skipped.
    const shown = this.renderRoot.querySelector<TrainEstimate>('train-estimate');
    let estimate = shown?.task.status === TaskStatus.COMPLETE ? shown.value : null;
    if (!estimate) {
      this.checking = true;
      estimate = await trainer.estimate(spec, parsed.settings).catch(() => null);
      this.checking = false;
    }
    const tooLong = estimate && estimateRefusal(estimate);
    if (tooLong) return this.fail(`Nothing was started: ${tooLong}`);
    if (estimate && estimate.seconds > CONFIRM_ABOVE_SECONDS) {
      const calibration = await trainer.calibrationFor(spec, parsed.settings);
      const size = quickerTrainSize(spec, parsed.settings, calibration);
      const quicker = size ? { trainSize: size, estimate: estimateRun(spec, { ...parsed.settings, epochs: 1, trainSize: size }, calibration) } : null;
      this.confirming = { settings: parsed.settings, estimate, quicker };
      return;
    }
    await this.train(parsed.settings);
  }

  private async useQuicker(): Promise<void> {
    const pending = this.confirming;
    if (!pending?.quicker) return;
    const settings = { ...pending.settings, epochs: 1, trainSize: pending.quicker.trainSize };
    this.form = settingsToInput(settings);
    this.lab.state?.set('trainSettings', settings);
    this.confirming = null;
    await this.train(settings);
  }

  private async train(settings: TrainSettings): Promise<void> {
    const state = this.lab.state;
    const trainer = this.trainer;
    if (!state || !trainer) return;
    this.confirming = null;
    this.fieldErrors = {};
    this.notice = null;
    this.clearError();
    state.set('trainSettings', settings);
    this.status = 'busy';
    try {
      const finished = await trainer.train(settings);
      const outcome = finished.record.outcome;
      if (outcome === 'diverged' || outcome === 'context-lost') this.fail(finished.record.message);
      else this.status = 'ready';
    } catch (error) {
      this.fail(error);
    }
  }

  private async backToPrevious(finished: FinishedRun): Promise<void> {
    const state = this.lab.state;
    if (!state || !finished.previous) return;
    try {
      if (finished.previous.runId) await useRunModel(state, finished.previous.runId, { dataset: labDataset(state) });
      else await chooseShipped(state);
      this.notice = `The lab uses ${finished.previous.description} again.`;
    } catch (error) {
      this.fail(error);
    }
  }

  /** After a lost GPU context: the same settings again on WebAssembly, which needs no GPU (the shell switches backend). */
  private async continueOnWasm(settings: TrainSettings): Promise<void> {
    const state = this.lab.state;
    if (!state) return;
    this.dispatchEvent(new CustomEvent('backend-request', { detail: { preference: 'wasm' }, bubbles: true, composed: true }));
    await backendSettled(state);
    if (state.get('backend').active !== 'wasm') return;
    this.form = settingsToInput(settings);
    await this.requestTrain();
  }

  private renderContextLost(finished: FinishedRun | null) {
    if (!finished || this.busy || finished.record.outcome !== 'context-lost' || this.lab.get('backend')?.active === 'wasm') return nothing;
    return html`<p class="note">
      <button @click=${() => this.continueOnWasm(finished.record.settings)}>Continue on WebAssembly</button> trains these settings again without the GPU.
    </p>`;
  }

  private renderOutcome(finished: FinishedRun | null) {
    if (!finished || this.busy) return nothing;
    const { record } = finished;
    if (record.outcome === 'diverged' || record.outcome === 'context-lost') return nothing;
    const current = this.lab.get('model');
    const replaced = finished.installed && current?.runId === record.id && finished.previous;
    return html`<p class="note info" role="status" data-testid="train-outcome">
      ${record.message}
      ${finished.installed ? ' The lab now uses this run’s model in every lesson.' : record.outcome === 'stopped' ? ' The lab keeps its previous model; “Use this model” in the history switches to this one.' : ''}
      ${finished.storageNote ?? ''}
      ${replaced ? html`<button @click=${() => this.backToPrevious(finished)}>Go back to ${finished.previous!.description}</button>` : nothing}
    </p>`;
  }

  private renderConfirm() {
    const pending = this.confirming;
    if (!pending) return nothing;
    return html`<div class="confirm" role="alertdialog" aria-label="Long run" data-testid="train-confirm">
      <p>This run would take <strong>${formatDuration(pending.estimate.seconds)}</strong> on this device (${pending.estimate.basis}).</p>
      <div class="controls">
        <button class="primary" @click=${() => this.train(pending.settings)}>Train anyway</button>
        ${pending.quicker
          ? html`<button @click=${this.useQuicker}>Use ${formatInteger(pending.quicker.trainSize)} images, 1 epoch (${formatDuration(pending.quicker.estimate.seconds)})</button>`
          : nothing}
        <button @click=${() => (this.confirming = null)}>Cancel</button>
      </div>
    </div>`;
  }

  override render() {
    const trainer = this.trainer;
    const spec = this.lab.get('modelSpec');
    const settings = this.lab.get('trainSettings');
    const live = trainer?.live ?? null;
    const finished = trainer?.last ?? null;
    const shown = live ?? finished?.live ?? null;
    const paused = live?.paused ?? false;
    const busy = this.busy;
    return html`<h2 class="cell-title">Training</h2>
      <p class="model-line">
        Model to train: <strong>${spec?.name ?? '—'}</strong> (${spec?.layers.length ?? 0} layers, set in the Model lesson) · trains in a background
        worker on ${live?.backend ?? trainer?.choice?.label ?? this.lab.get('backend')?.active ?? '…'}
      </p>
      ${trainer?.choice?.reason ? html`<p class="note" data-testid="backend-choice">${trainer.choice.reason}</p>` : nothing}
      <train-settings-form .input=${this.form} .errors=${this.fieldErrors} ?disabled=${busy} @settings-change=${this.onSettings}></train-settings-form>
      <train-batch-advice .backend=${trainer?.choice?.backend ?? null} .settings=${Object.keys(this.fieldErrors).length > 0 ? null : (settings ?? null)} ?disabled=${busy} @settings-suggest=${this.onSuggest}></train-batch-advice>
      <details class="export">
        <summary>Take these settings to Python (Keras notebook or script)</summary>
        <run-export .spec=${spec ?? null} .settings=${settings ?? null} .augmentation=${this.lab.get('augmentation') ?? null} label="current settings"></run-export>
        <p class="note">Every finished run in the history below exports with its trained weights too.</p>
      </details>
      <div class="controls">
        <button class="primary" ?disabled=${busy || this.checking} @click=${this.requestTrain}>Train</button>
        <button ?disabled=${!live || live.phase !== 'training' || live.pausing} @click=${() => (paused ? trainer?.resume() : trainer?.pause())}>${paused ? 'Resume' : 'Pause'}</button>
        <button ?disabled=${!busy} @click=${() => trainer?.stop()}>Stop</button>
        <span class="note"
          ><train-estimate .trainer=${trainer} .spec=${spec ?? null} .settings=${busy ? null : (settings ?? null)} backend=${this.lab.get('backend')?.preference ?? ''}></train-estimate
        ></span>
      </div>
      ${this.renderConfirm()} ${this.renderError()} ${this.renderContextLost(finished)}
      <train-progress .run=${live} .version=${trainer?.version ?? 0}></train-progress>
      ${this.renderOutcome(finished)} ${this.notice ? html`<p class="note info" role="status">${this.notice}</p>` : nothing}
      <train-curves .run=${shown} .version=${trainer?.version ?? 0}></train-curves>
      <train-results .evaluation=${busy ? null : (finished?.test ?? null)} .mnist=${this.lab.get('dataset') ?? null}></train-results>

      <h3>Your model</h3>
      <model-files ?disabled=${busy}></model-files>

      <h3>Run history</h3>
      <train-history ?disabled=${busy} @rerun=${(e: CustomEvent<{ settings: TrainSettings }>) => this.rerun(e.detail.settings)}></train-history>`;
  }

  /** "Rerun with these settings": the history row has already put its spec and augmentation into the lab. */
  private async rerun(settings: TrainSettings): Promise<void> {
    this.form = settingsToInput(settings);
    await this.requestTrain();
  }
}

customElements.define('train-panel', TrainPanel);

declare global {
  interface HTMLElementTagNameMap {
    'train-panel': TrainPanel;
  }
}
