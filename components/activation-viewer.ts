import { initialState, Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import type { MnistDataset, Split } from '../src/data/mnist';
import { layerBlocks } from '../src/inspect/blocks';
import { judge, type DigitVerdict } from '../src/inspect/digit-check';
import { highlightFilter, subscribeFocus, takeInspection } from '../src/inspect/focus';
import { digitInput, drawingInput, type InputSource, type InspectedImage } from '../src/inspect/input';
import { inspectInput, type Inspection, type SaliencyMethod } from '../src/inspect/saliency';
import type { LabModel } from '../src/model/lab-model';
import type { DigitPick } from './activation-input-picker';
import { InsightController } from './activation-insight';
import type { MapHoverDetail } from './activation-layer';
import type { EmbeddingState, NeighbourView } from './activation-microscope';
import { activationViewerStyles } from './activation-viewer.styles';
import { LabCell, type CellStatus } from './lab-cell';
import { LabStateController } from './lab-context';
import { LabDatasetController } from './lab-dataset-controller';
import { LabModelController } from './lab-model-controller';
import './activation-block';
import './activation-input-picker';
import './activation-microscope';
import './dataset-loading';
import './lab-model-badge';
import './saliency-view';

/** One inspected input as shown: every layer's output and the saliency, with the input and the model. */
interface ShownInspection extends Inspection {
  image: InspectedImage;
  model: LabModel;
}

type InspectArgs = readonly [LabModel | null, InputSource, Float32Array | null, MnistDataset | null, Split, number, SaliencyMethod];

/** Blocks shown open at first: the first convolution and the answer (the rest open on a click). */
const OPEN_KINDS = new Set(['output']);

/**
 * One input followed through the network: the input with its saliency (`<saliency-view>`), the mistake microscope
 * (`<activation-microscope>`: top answers, why this digit and not the runner-up, nearest training digits), then the
 * network block by block (`<activation-block>` each, collapsible), for a data-set digit or the current drawing
 * (`<activation-input-picker>`), naming the model (`<lab-model-badge>`). Everything comes from one batched pass, run
 * as a `@lit/task`: a result for an input or model that was replaced meanwhile is dropped, never painted over a newer
 * one. A request to inspect a digit or the drawing (the mistakes gallery, the draw pad) is taken up on arrival.
 */
export class ActivationViewer extends LabCell {
  static properties = {
    ...LabCell.properties,
    source: { type: String, reflect: true },
    showSaliency: { state: true },
    method: { state: true },
    stale: { type: Boolean, reflect: true },
    inputError: { state: true },
  };

  /** Which input to show: a data-set digit or the drawing from the draw pad. */
  declare source: InputSource;
  declare showSaliency: boolean;
  declare method: SaliencyMethod;
  /** What is shown belongs to a model the lab has since replaced (a new pass is under way). */
  declare stale: boolean;
  /** Why the digit number typed was refused (the shown digit stays). */
  declare inputError: string | null;

  private readonly lab = new LabStateController(this, ['drawing', 'selectedDigit']);
  /** MNIST, when a data-set digit is followed (and for the neighbours' pictures). */
  private readonly data = new LabDatasetController(this, { load: 'lazy' });
  private readonly labModel = new LabModelController(this);
  private readonly insight = new InsightController(this);
  private userChoseSource = false;
  private unsubscribeFocus: (() => void) | null = null;
  /** The last neighbour search, kept while neither the input nor the embedded count changed. */
  private neighbourMemo: { embedding: Float32Array; searched: number; view: NeighbourView | null } | null = null;

  /** MNIST, when a data-set digit is followed: busy while it loads. */
  private readonly mnist: { status: CellStatus; error: string | null } = { status: 'ready', error: null };

  private readonly inspection: Task<InspectArgs, ShownInspection> = new Task(this, {
    // Only what the chosen source reads: a new drawing does not re-run a data-set digit, nor the reverse.
    args: (): InspectArgs => {
      const model = this.labModel.model;
      if (this.source === 'drawing') return [model, 'drawing', this.lab.get('drawing') ?? null, null, 'train', 0, this.method];
      const digit = this.lab.get('selectedDigit');
      return [model, 'digit', null, this.data.dataset, digit?.split ?? 'train', digit?.index ?? 0, this.method];
    },
    task: async ([current, source, drawing, dataset, split, index, method], { signal }) => {
      const image = source === 'drawing' ? (drawing ? drawingInput(drawing) : null) : dataset ? digitInput(dataset, { split, index }) : null;
      if (!image) return initialState;
      const model = current ?? (await this.labModel.load(signal));
      const inspection = await inspectInput(model.model, image.pixels, { signal, method });
      // A drawing is also checked for "not a digit" when the model's check is at hand (it is not fitted from here).
      if (image.label === null) await this.insight.value?.knownCheck(model).catch(() => null);
      return { ...inspection, image, model };
    },
  });

  constructor() {
    super();
    this.source = 'digit';
    this.showSaliency = true;
    this.method = 'integrated';
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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribeFocus?.();
    this.unsubscribeFocus = null;
  }

  /** Takes up a request from another cell: show this digit or the drawing, and find its neighbours. */
  private takeRequest(): void {
    const state = this.lab.state;
    const target = state ? takeInspection(state) : null;
    if (!state || !target) return;
    this.userChoseSource = true;
    this.inputError = null;
    this.source = target.kind === 'drawing' ? 'drawing' : 'digit';
    this.findNeighbours();
    void this.updateComplete.then(() => this.scrollIntoView({ block: 'start' }));
  }

  override willUpdate(changed: PropertyValues): void {
    const state = this.lab.state;
    if (state && !this.unsubscribeFocus) {
      this.insight.attach(state);
      this.unsubscribeFocus = subscribeFocus(state, () => this.takeRequest());
      this.takeRequest();
    }
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

  /** Starts (once per model) the embedding of the training digits in the inspection worker. */
  private findNeighbours(): void {
    const insight = this.insight.value;
    const model = this.labModel.model;
    if (!insight || !model) {
      void this.labModel.load().then(() => this.findNeighbours(), () => {});
      return;
    }
    void this.data.ensure().catch(() => {});
    insight.embeddings(model).catch((error: unknown) => {
      if ((error as Error).name !== 'AbortError') this.errorMessage = `Could not find the nearest training digits: ${(error as Error).message}`;
    });
  }

  private neighbourView(shown: ShownInspection): NeighbourView | null {
    const insight = this.insight.value;
    const current = insight?.current;
    const searched = current && current.model === shown.model ? current.embeddings.count : 0;
    const memo = this.neighbourMemo;
    if (memo && memo.embedding === shown.embedding && memo.searched === searched) return memo.view;
    const view = insight?.neighbours(shown.model, shown.embedding) ?? null;
    this.neighbourMemo = { embedding: shown.embedding, searched, view };
    return view;
  }

  private embeddingState(model: LabModel): EmbeddingState {
    const insight = this.insight.value;
    const current = insight?.current;
    const mine = current && current.model === model ? current.embeddings : null;
    return { progress: insight?.progress.embedding ?? null, seconds: mine?.seconds ?? null, origin: mine?.origin ?? null };
  }

  /** The "not a digit" verdict for a drawing, when the model's check is known (it is not fitted from here). */
  private verdict(shown: ShownInspection): DigitVerdict | null {
    if (shown.image.label !== null) return null;
    const check = this.insight.value?.readyCheck(shown.model);
    return check ? judge(check, shown.features) : null;
  }

  private renderLayers(shown: ShownInspection) {
    const layers = shown.activations.layers;
    const blocks = layerBlocks(layers.map((l) => l.info));
    const firstConv = blocks.findIndex((b) => b.kind === 'conv');
    return html`<div class="layers" @activation-map-hover=${(e: CustomEvent<MapHoverDetail>) => this.lab.state && highlightFilter(this.lab.state, e.detail.filter)}>
      <p class="note">The network block by block (each opens with a click). A block is a layer with the batch normalisation, activation and dropout that follow it.</p>
      ${blocks.map(
        (block, i) => html`<activation-block .block=${block} .layers=${layers} .position=${i + 1} .open=${i === firstConv || OPEN_KINDS.has(block.kind)}></activation-block>`,
      )}
    </div>`;
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
        .method=${this.method}
        @activation-source-change=${this.chooseSource}
        @activation-digit-change=${this.chooseDigit}
        @activation-digit-invalid=${(e: CustomEvent<{ message: string }>) => (this.inputError = e.detail.message)}
        @activation-saliency-change=${(e: CustomEvent<{ show: boolean }>) => (this.showSaliency = e.detail.show)}
        @activation-method-change=${(e: CustomEvent<{ method: SaliencyMethod }>) => (this.method = e.detail.method)}
      ></activation-input-picker>
      <lab-model-badge .model=${shown?.model}></lab-model-badge>
      ${this.stale ? html`<p class="note"><span class="stale-note" role="status">The model changed: updating…</span></p>` : nothing}
      ${this.mnist.error ? nothing : this.renderError()} ${this.inputError ? html`<div class="alert" role="alert">${this.inputError}</div>` : nothing}
      ${this.source === 'digit' && !dataset ? html`<dataset-loading></dataset-loading>` : nothing}
      ${this.source === 'drawing' && !this.lab.get('drawing')
        ? html`<p class="placeholder">No drawing yet: draw a digit on the pad in the <a href="#/draw">Draw</a> lesson (or pick a data-set digit above).</p>`
        : nothing}
      ${shown
        ? html`<div class="shown">
              <saliency-view .image=${shown.image} .saliency=${shown.saliency} .showSaliency=${this.showSaliency} .verdict=${this.verdict(shown)}></saliency-view>
              <activation-microscope
                .image=${shown.image}
                .probabilities=${shown.activations.probabilities}
                .contrast=${shown.contrast}
                .neighbours=${this.neighbourView(shown)}
                .embedding=${this.embeddingState(shown.model)}
                .mnist=${dataset}
                @microscope-find-neighbours=${() => this.findNeighbours()}
              ></activation-microscope>
            </div>
            ${this.renderLayers(shown)}`
        : nothing}`;
  }
}

customElements.define('activation-viewer', ActivationViewer);

declare global {
  interface HTMLElementTagNameMap {
    'activation-viewer': ActivationViewer;
  }
}
