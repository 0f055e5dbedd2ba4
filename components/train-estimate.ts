import { Task } from '@lit/task';
import { html, LitElement, nothing } from 'lit';
import { formatDuration } from '../src/format';
import type { ModelSpec } from '../src/model/spec';
import type { RunEstimate } from '../src/train/calibration';
import type { LabTrainer } from '../src/train/lab-trainer';
import type { TrainSettings } from '../src/train/settings';

/**
 * "≈ 45 s on this device": the run's length from throughput measured here for this network, batch size and
 * backend (a short probe in the training worker the first time), never from constants. A newer request supersedes
 * an older one (its result is dropped).
 */
export class TrainEstimate extends LitElement {
  static properties = {
    trainer: { attribute: false },
    spec: { attribute: false },
    settings: { attribute: false },
    backend: { type: String },
  };

  declare trainer: LabTrainer | null;
  declare spec: ModelSpec | null;
  declare settings: TrainSettings | null;
  /** The page's backend preference: a change re-measures. */
  declare backend: string;

  constructor() {
    super();
    this.trainer = null;
    this.spec = null;
    this.settings = null;
    this.backend = '';
  }

  readonly task = new Task(this, {
    task: async ([trainer, spec, settings], { signal }): Promise<RunEstimate | null> => {
      if (!trainer || !spec || !settings) return null;
      // Let a burst of typing settle before measuring.
      await new Promise((resolve) => setTimeout(resolve, 300));
      signal.throwIfAborted();
      return trainer.estimate(spec, settings, signal);
    },
    args: () => [this.trainer, this.spec, this.settings, this.backend] as const,
  });

  /** The latest estimate, or null while measuring. */
  get value(): RunEstimate | null {
    return this.task.value ?? null;
  }

  override render() {
    return this.task.render({
      pending: () => html`<span data-testid="train-estimate">measuring this device’s speed…</span>`,
      complete: (estimate) =>
        estimate
          ? html`<span data-testid="train-estimate" data-seconds=${estimate.seconds.toFixed(1)} title=${`Training ${formatDuration(estimate.trainingSeconds)}, validation and test ${formatDuration(estimate.scoringSeconds)}; ${estimate.basis}.`}
              >≈ ${formatDuration(estimate.seconds).replace(/^about /, '')} on this device</span
            >`
          : nothing,
      error: (error) => html`<span data-testid="train-estimate">time unknown (${(error as Error).message})</span>`,
    });
  }
}

customElements.define('train-estimate', TrainEstimate);

declare global {
  interface HTMLElementTagNameMap {
    'train-estimate': TrainEstimate;
  }
}
