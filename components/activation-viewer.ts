import { initialState, Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import type { MnistDataset, Split } from '../src/data/mnist';
import { digitInput, drawingInput, type InputSource, type InspectedImage } from '../src/inspect/input';
import { inspectInput, type Inspection } from '../src/inspect/saliency';
import type { LabModel } from '../src/model/lab-model';
import type { DigitPick } from './activation-input-picker';
import { activationViewerStyles } from './activation-viewer.styles';
import { LabCell, type CellStatus } from './lab-cell';
import { LabStateController } from './lab-context';
import { LabDatasetController } from './lab-dataset-controller';
import { LabModelController } from './lab-model-controller';
import './activation-input-picker';
import './activation-layer';
import './dataset-loading';
import './lab-model-badge';
import './saliency-view';

/** One inspected input as shown: every layer's output and the saliency, with the input and the model. */
interface ShownInspection extends Inspection {
  image: InspectedImage;
  model: LabModel;
}

type InspectArgs = readonly [LabModel | null, InputSource, Float32Array | null, MnistDataset | null, Split, number];

/**
 * One input followed through the network: the input with its saliency (`<saliency-view>`), then every layer's output
 * (`<activation-layer>` each), for a data-set digit or the current drawing (`<activation-input-picker>`), naming the
 * model (`<lab-model-badge>`). Layers and saliency come from one forward pass, run as a `@lit/task`: a result for an
 * input or model that was replaced meanwhile is dropped, never painted over a newer one.
 */
export class ActivationViewer extends LabCell {
  static properties = {
    ...LabCell.properties,
    source: { type: String, reflect: true },
    showSaliency: { state: true },
    stale: { type: Boolean, reflect: true },
    inputError: { state: true },
  };

  /** Which input to show: a data-set digit or the drawing from the draw pad. */
  declare source: InputSource;
  declare showSaliency: boolean;
  /** What is shown belongs to a model the lab has since replaced (a new pass is under way). */
  declare stale: boolean;
  /** Why the digit number typed was refused (the shown digit stays). */
  declare inputError: string | null;

  private readonly lab = new LabStateController(this, ['drawing', 'selectedDigit']);
  /** MNIST is asked for only while a data-set digit is followed. */
  private readonly data = new LabDatasetController(this, { load: 'lazy' });
  private readonly labModel = new LabModelController(this);
  private userChoseSource = false;

  /** MNIST, when a data-set digit is followed: busy while it loads. */
  private readonly mnist: { status: CellStatus; error: string | null } = { status: 'ready', error: null };

  private readonly inspection: Task<InspectArgs, ShownInspection> = new Task(this, {
    // Only what the chosen source reads: a new drawing does not re-run a data-set digit, nor the reverse.
    args: (): InspectArgs => {
      const model = this.labModel.model;
      if (this.source === 'drawing') return [model, 'drawing', this.lab.get('drawing') ?? null, null, 'train', 0];
      const digit = this.lab.get('selectedDigit');
      return [model, 'digit', null, this.data.dataset, digit?.split ?? 'train', digit?.index ?? 0];
    },
    task: async ([current, source, drawing, dataset, split, index], { signal }) => {
      const image = source === 'drawing' ? (drawing ? drawingInput(drawing) : null) : dataset ? digitInput(dataset, { split, index }) : null;
      if (!image) return initialState;
      const model = current ?? (await this.labModel.load(signal));
      const inspection = await inspectInput(model.model, image.pixels, signal);
      return { ...inspection, image, model };
    },
  });

  constructor() {
    super();
    this.source = 'digit';
    this.showSaliency = true;
    this.stale = false;
    this.inputError = null;
    this.statusFrom(this.mnist, this.labModel, this.inspection);
  }

  static styles = [LabCell.cellStyles, activationViewerStyles];

  override connectedCallback(): void {
    // An author who sets source="…" chose it; otherwise follow the drawing once there is one.
    if (this.hasAttribute('source')) this.userChoseSource = true;
    super.connectedCallback();
  }

  override willUpdate(changed: PropertyValues): void {
    const state = this.lab.state;
    if (state && !this.userChoseSource && this.source === 'digit' && state.get('drawing')) this.source = 'drawing';
    const needsData = this.source === 'digit' && !this.data.dataset;
    if (needsData && this.data.loadState?.status === 'idle') this.data.retry();
    this.mnist.error = needsData && this.data.status === 'error' ? `Could not load MNIST: ${this.data.loadState?.error}` : null;
    this.mnist.status = this.mnist.error ? 'error' : needsData ? 'busy' : 'ready';
    const shown = this.inspection.value;
    if (shown && shown.model !== this.labModel.shownModel) this.labModel.markFresh(shown.model);
    this.stale = this.labModel.stale;
    super.willUpdate(changed);
  }

  private chooseSource(event: CustomEvent<{ source: InputSource }>): void {
    this.userChoseSource = true;
    this.inputError = null;
    this.source = event.detail.source;
  }

  private chooseDigit(event: CustomEvent<DigitPick>): void {
    this.inputError = null;
    this.lab.state?.set('selectedDigit', event.detail);
  }

  override render() {
    const dataset = this.data.dataset;
    const selected = this.lab.get('selectedDigit');
    const shown = this.inspection.value;
    return html`<h2 class="cell-title">Feature maps</h2>
      <activation-input-picker
        .source=${this.source}
        .split=${selected?.split ?? 'train'}
        .index=${selected?.index ?? 0}
        .counts=${dataset ? { train: dataset.train.count, test: dataset.test.count } : null}
        .showSaliency=${this.showSaliency}
        @activation-source-change=${this.chooseSource}
        @activation-digit-change=${this.chooseDigit}
        @activation-digit-invalid=${(e: CustomEvent<{ message: string }>) => (this.inputError = e.detail.message)}
        @activation-saliency-change=${(e: CustomEvent<{ show: boolean }>) => (this.showSaliency = e.detail.show)}
      ></activation-input-picker>
      <lab-model-badge .model=${shown?.model}></lab-model-badge>
      ${this.stale ? html`<p class="note"><span class="stale-note" role="status">The model changed: updating…</span></p>` : nothing}
      ${this.mnist.error ? nothing : this.renderError()} ${this.inputError ? html`<div class="alert" role="alert">${this.inputError}</div>` : nothing}
      ${this.source === 'digit' && !dataset ? html`<dataset-loading></dataset-loading>` : nothing}
      ${this.source === 'drawing' && !this.lab.get('drawing')
        ? html`<p class="placeholder">No drawing yet: draw a digit on the pad in the <a href="#/draw">Draw</a> lesson (or pick a data-set digit above).</p>`
        : nothing}
      ${shown
        ? html`<div class="layers">
            <saliency-view .image=${shown.image} .saliency=${shown.saliency} .showSaliency=${this.showSaliency}></saliency-view>
            ${shown.activations.layers.map((layer, i) => html`<activation-layer .layer=${layer} .position=${i + 1}></activation-layer>`)}
          </div>`
        : nothing}`;
  }
}

customElements.define('activation-viewer', ActivationViewer);

declare global {
  interface HTMLElementTagNameMap {
    'activation-viewer': ActivationViewer;
  }
}
