import { html, LitElement, nothing } from 'lit';
import { isGpuBackend, type BackendName } from '../src/backend/backend';
import { formatInteger } from '../src/format';
import { GPU_BATCH_SIZE, scaledLearningRate, type TrainSettings } from '../src/train/settings';
import { partStyles } from './styles/controls.styles';

/** Detail of `settings-suggest`: fields the learner chose to take from the advice. */
export type SettingsSuggestion = Pick<TrainSettings, 'batchSize' | 'learningRate'>;

/**
 * On a GPU: why a larger batch trains faster, what it changes, and a button that sets the GPU batch with the
 * learning rate scaled for it (src/train/settings.ts scaledLearningRate). Nothing on a CPU backend.
 * @fires settings-suggest - {SettingsSuggestion} when the learner takes the suggestion.
 */
export class TrainBatchAdvice extends LitElement {
  static properties = {
    backend: { attribute: false },
    settings: { attribute: false },
    disabled: { type: Boolean },
  };

  declare backend: BackendName | null;
  declare settings: TrainSettings | null;
  declare disabled: boolean;

  static styles = partStyles;

  constructor() {
    super();
    this.backend = null;
    this.settings = null;
    this.disabled = false;
  }

  override render() {
    const { backend, settings } = this;
    if (!backend || !isGpuBackend(backend) || !settings || settings.batchSize >= GPU_BATCH_SIZE) return nothing;
    const trainImages = settings.trainSize - Math.round(settings.trainSize * settings.validationSplit);
    if (trainImages < GPU_BATCH_SIZE) return nothing;
    const rate = scaledLearningRate(settings, GPU_BATCH_SIZE);
    const factor = GPU_BATCH_SIZE / settings.batchSize;
    const updates = Math.ceil(trainImages / GPU_BATCH_SIZE) * settings.epochs;
    const rule = settings.optimizer === 'sgd' ? `${formatInteger(factor)}× (plain SGD: the linear rule)` : `√${formatInteger(factor)} ≈ ${Math.sqrt(factor).toFixed(1)}× (the square-root rule for Adam and RMSprop)`;
    return html`<p class="note info" data-testid="gpu-batch-advice">
      Training on a GPU: with a batch of ${formatInteger(settings.batchSize)} the card finishes each step faster than the page can hand it the
      next, so it sits mostly idle. A batch of ${formatInteger(GPU_BATCH_SIZE)} trains many more images per second. Each batch is one update, so the same images then make
      ${formatInteger(factor)}× fewer updates (${formatInteger(updates)} here): the learning rate goes up by ${rule}, and more images or epochs
      make up the rest.
      <button ?disabled=${this.disabled} @click=${() => this.suggest({ batchSize: GPU_BATCH_SIZE, learningRate: rate })}>
        Use batch ${formatInteger(GPU_BATCH_SIZE)}, learning rate ${rate}
      </button>
    </p>`;
  }

  private suggest(detail: SettingsSuggestion): void {
    this.dispatchEvent(new CustomEvent<SettingsSuggestion>('settings-suggest', { detail, bubbles: true, composed: true }));
  }
}

customElements.define('train-batch-advice', TrainBatchAdvice);

declare global {
  interface HTMLElementTagNameMap {
    'train-batch-advice': TrainBatchAdvice;
  }
  interface HTMLElementEventMap {
    'settings-suggest': CustomEvent<SettingsSuggestion>;
  }
}
