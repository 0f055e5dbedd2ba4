import { html, LitElement, nothing } from 'lit';
import { formatDuration, formatInteger } from '../src/format';
import type { LiveRun } from '../src/train/live-run';
import { trainProgressStyles } from './train-panel.styles';

function timeLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating time left';
  return `${formatDuration(seconds)} left`;
}

/** The progress bar and line of a run: epoch, batch, speed and time left; then the test. */
export class TrainProgressLine extends LitElement {
  static properties = { run: { attribute: false }, version: { type: Number } };
  declare run: LiveRun | null;
  /** The trainer's change counter: the run object is updated in place, so this is what says "redraw". */
  declare version: number;
  static styles = trainProgressStyles;

  constructor() {
    super();
    this.run = null;
    this.version = 0;
  }

  override render() {
    const run = this.run;
    if (!run) return nothing;
    if (run.phase === 'testing' || run.phase === 'calibrating') {
      const text =
        run.phase === 'calibrating'
          ? 'Setting the batch-norm statistics from 512 training images…'
          : `Measuring accuracy on all 10,000 test images… ${Math.round(run.testFraction * 100)}%`;
      return html`<progress max="1" .value=${run.testFraction} aria-label="Test progress"></progress>
        <div class="text" role="status" data-testid="test-progress">${text}</div>`;
    }
    const p = run.progress;
    const text = p
      ? `Epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batchesPerEpoch} · ${formatInteger(p.imagesPerSecond)} images/s · ${run.paused ? 'paused' : run.pausing ? 'pausing after this batch…' : timeLeft(p.secondsLeft)}`
      : `${run.paused ? 'Paused · ' : ''}Preparing the data and the model in the training worker${run.backend ? ` (${run.backend})` : ''}…`;
    return html`<progress max="1" .value=${p ? p.imagesSeen / p.imagesTotal : 0} aria-label="Training progress"></progress>
      <div class="text" data-testid="train-progress">${text}</div>`;
  }
}

customElements.define('train-progress', TrainProgressLine);

declare global {
  interface HTMLElementTagNameMap {
    'train-progress': TrainProgressLine;
  }
}
