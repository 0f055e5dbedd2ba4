import { interpolateInferno } from 'd3';
import { css, html, nothing, type PropertyValues } from 'lit';
import { IMAGE_SIZE } from '../src/data/mnist';
import { layerActivations, type Activations, type LayerActivation } from '../src/inspect/activations';
import { saliencyMap, type Saliency } from '../src/inspect/saliency';
import type { LabModel } from '../src/model/lab-model';
import { ensureDataset, ensureModel } from '../src/state/actions';
import { dataBaseUrl, modelBaseUrl } from './config';
import { greyColour, lookupColour, paintImage } from './draw-paint';
import { LabCell } from './lab-cell';
import { LabStateController } from './lab-context';

const heat = lookupColour(interpolateInferno);

type Source = 'digit' | 'drawing';

interface InputImage {
  pixels: Float32Array;
  caption: string;
  label: number | null;
}

const LAYER_TITLES: Record<string, string> = {
  Conv2D: 'Convolution',
  MaxPooling2D: 'Max pooling',
  AveragePooling2D: 'Average pooling',
  BatchNormalization: 'Batch normalisation',
  Activation: 'Activation',
  Dropout: 'Dropout',
  Flatten: 'Flatten',
  Dense: 'Dense',
};

/**
 * One input followed through the network: every layer's feature maps as grids, vectors as bars, the softmax as ten
 * labelled bars, and a saliency overlay on the input. Follows the chosen data-set digit or the current drawing.
 */
export class ActivationViewer extends LabCell {
  static properties = {
    ...LabCell.properties,
    source: { type: String, reflect: true },
    acts: { state: true },
    saliency: { state: true },
    input: { state: true },
    showSaliency: { state: true },
    stale: { type: Boolean, reflect: true },
    hover: { state: true },
    shownModel: { state: true },
  };

  /** Which input to show: a data-set digit or the drawing from the draw pad. */
  declare source: Source;
  declare acts: Activations | null;
  declare saliency: Saliency | null;
  declare input: InputImage | null;
  declare showSaliency: boolean;
  declare stale: boolean;
  /** What the pointer is over, per layer: "channel 3: −0.12 … 2.31". */
  declare hover: Record<number, string>;
  declare shownModel: LabModel | null;

  private readonly lab = new LabStateController(this, ['model', 'drawing', 'selectedDigit', 'dataset'], (key) => this.onStateChanged(key));
  private runId = 0;
  private userChoseSource = false;

  constructor() {
    super();
    this.source = 'digit';
    this.acts = null;
    this.saliency = null;
    this.input = null;
    this.showSaliency = true;
    this.stale = false;
    this.hover = {};
    this.shownModel = null;
  }

  override connectedCallback(): void {
    // An author who sets source="…" chose it; otherwise follow the drawing once there is one.
    if (this.hasAttribute('source')) this.userChoseSource = true;
    super.connectedCallback();
    void this.start();
  }

  private async start(): Promise<void> {
    await this.updateComplete;
    const state = this.lab.state;
    if (!state) return;
    if (!this.userChoseSource && state.get('drawing')) this.source = 'drawing';
    await this.busyWhile(async () => {
      await Promise.all([ensureModel(state, modelBaseUrl()), this.source === 'digit' ? ensureDataset(state, dataBaseUrl()) : null]);
      await this.refresh();
    });
  }

  private onStateChanged(key: 'model' | 'drawing' | 'selectedDigit' | 'dataset'): void {
    if (key === 'model' && this.acts) this.stale = true;
    if (key === 'drawing' && this.lab.get('drawing') && !this.userChoseSource) this.source = 'drawing';
    if (key === 'model' || (key === 'drawing' && this.source === 'drawing') || (key !== 'drawing' && this.source === 'digit')) {
      void this.refresh();
    }
  }

  private currentInput(): InputImage | null {
    const state = this.lab.state;
    if (!state) return null;
    if (this.source === 'drawing') {
      const drawing = state.get('drawing');
      return drawing ? { pixels: drawing, caption: 'Your drawing (prepared as MNIST)', label: null } : null;
    }
    const dataset = state.get('dataset');
    if (!dataset) return null;
    const { split, index } = state.get('selectedDigit');
    const pixels = Float32Array.from(dataset.image(split, index), (v) => v / 255);
    return { pixels, caption: `${split === 'test' ? 'Test' : 'Training'} digit #${index.toLocaleString('en')}`, label: dataset.label(split, index) };
  }

  private async refresh(): Promise<void> {
    const labModel = this.lab.get('model');
    const input = this.currentInput();
    const id = ++this.runId;
    if (!labModel) return;
    if (!input) {
      this.acts = null;
      this.saliency = null;
      this.input = null;
      this.status = 'idle';
      return;
    }
    this.status = 'busy';
    try {
      const acts = await layerActivations(labModel.model, input.pixels);
      const saliency = await saliencyMap(labModel.model, input.pixels);
      // A newer input or model was asked for meanwhile: never paint an old answer over a newer one.
      if (id !== this.runId) return;
      this.acts = acts;
      this.saliency = saliency;
      this.input = input;
      this.shownModel = labModel;
      this.stale = false;
      this.hover = {};
      this.clearError();
      this.status = 'ready';
    } catch (error) {
      if (id === this.runId) this.fail(error);
    }
  }

  private chooseSource(source: Source): void {
    this.userChoseSource = true;
    this.source = source;
    const state = this.lab.state;
    if (source === 'digit' && state && !state.get('dataset')) {
      this.status = 'busy';
      ensureDataset(state, dataBaseUrl()).catch((error: unknown) => this.fail(error));
    }
    void this.refresh();
  }

  private chooseDigit(event: Event): void {
    const input = event.target as HTMLInputElement;
    const index = Number(input.value);
    const state = this.lab.state;
    const dataset = state?.get('dataset');
    if (!state || !dataset) return;
    const split = state.get('selectedDigit').split;
    const count = dataset.split(split).count;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      this.fail(new Error(`Pick a digit number from 0 to ${(count - 1).toLocaleString('en')}.`));
      return;
    }
    this.clearError();
    state.set('selectedDigit', { split, index });
  }

  private randomDigit(): void {
    const state = this.lab.state;
    const dataset = state?.get('dataset');
    if (!state || !dataset) return;
    this.clearError();
    state.set('selectedDigit', { split: 'test', index: Math.floor(Math.random() * dataset.test.count) });
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Hovering only changes a caption: repaint the maps only when what they show changed.
    if (changed.has('acts') || changed.has('input') || changed.has('showSaliency') || changed.has('saliency')) this.paint();
  }

  private paint(): void {
    const input = this.input;
    if (!input) return;
    const inputCanvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.input');
    if (inputCanvas) {
      const sal = this.showSaliency ? this.saliency?.map : undefined;
      paintImage(inputCanvas, input.pixels, IMAGE_SIZE, IMAGE_SIZE, greyColour);
      if (sal) {
        // Saliency in red over the grey digit: the stronger the gradient, the redder.
        const ctx = inputCanvas.getContext('2d')!;
        const img = ctx.getImageData(0, 0, IMAGE_SIZE, IMAGE_SIZE);
        for (let p = 0; p < sal.length; p++) {
          // Weak gradients stay transparent so the strongest pixels stand out.
          const a = Math.min(1, Math.max(0, (sal[p] - 0.1) / 0.6));
          img.data[p * 4] = Math.round(img.data[p * 4] * (1 - a) + 255 * a);
          img.data[p * 4 + 1] = Math.round(img.data[p * 4 + 1] * (1 - a) + 40 * a);
          img.data[p * 4 + 2] = Math.round(img.data[p * 4 + 2] * (1 - a) + 40 * a);
        }
        ctx.putImageData(img, 0, 0);
      }
    }
    this.acts?.layers.forEach((layer, li) => {
      if (layer.kind !== 'maps') return;
      const [h, w] = layer.shape;
      // One colour scale per layer, so maps of one layer compare directly.
      const lo = Math.min(...layer.ranges.map((r) => r.min));
      const hi = Math.max(...layer.ranges.map((r) => r.max));
      const span = hi - lo || 1;
      this.renderRoot.querySelectorAll<HTMLCanvasElement>(`canvas[data-layer="${li}"]`).forEach((canvas, c) => {
        paintImage(canvas, Array.from(layer.channels[c], (v) => (v - lo) / span), w, h, heat);
      });
    });
  }

  static styles = [
    LabCell.cellStyles,
    css`
      :host([stale]) .layers {
        opacity: 0.45;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.25rem;
        align-items: center;
        margin-bottom: 0.75rem;
        font-size: 0.9rem;
      }
      .controls label {
        display: flex;
        gap: 0.4rem;
        align-items: center;
      }
      input[type='number'] {
        width: 6rem;
        font: inherit;
      }
      .note {
        font-size: 0.85rem;
        color: var(--lab-muted, #57606a);
        margin: 0 0 0.75rem;
      }
      .stale-note {
        display: inline-block;
        padding: 0.1rem 0.6rem;
        border-radius: 999px;
        background: #fff8c5;
        border: 1px solid #d4a72c;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        gap: 1rem 2rem;
        align-items: flex-start;
      }
      canvas.input {
        width: 140px;
        height: 140px;
        image-rendering: pixelated;
        border-radius: 4px;
        background: #000;
        display: block;
      }
      .layer {
        margin: 1rem 0;
        padding-top: 0.75rem;
        border-top: 1px solid var(--lab-border, #d8dee4);
      }
      .layer h3 {
        font-size: 0.95rem;
        margin: 0 0 0.2rem;
      }
      .layer h3 small {
        font-weight: normal;
        color: var(--lab-muted, #57606a);
      }
      .hover {
        font-size: 0.8rem;
        color: var(--lab-muted, #57606a);
        min-height: 1.2em;
        margin: 0 0 0.3rem;
        font-variant-numeric: tabular-nums;
      }
      .maps {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
      }
      .maps canvas {
        width: var(--map-size, 56px);
        height: var(--map-size, 56px);
        image-rendering: pixelated;
        border-radius: 2px;
        cursor: crosshair;
      }
      .maps canvas:focus-visible {
        outline: 2px solid #1f6feb;
      }
      .vector {
        display: flex;
        align-items: flex-end;
        gap: 1px;
        height: 60px;
        max-width: 100%;
        border-bottom: 1px solid #8c959f;
      }
      .vector span {
        flex: 1 1 0;
        min-width: 1px;
        max-width: 14px;
        background: #8250df;
      }
      .vector span.neg {
        background: #cf222e;
      }
      .probs {
        display: grid;
        grid-template-columns: 1.2rem minmax(0, 320px) 3.5rem;
        gap: 2px 0.5rem;
        align-items: center;
        font-size: 0.85rem;
        font-variant-numeric: tabular-nums;
      }
      .probs .bar {
        height: 0.8rem;
        background: #eaeef2;
        border-radius: 3px;
        overflow: hidden;
      }
      .probs .bar span {
        display: block;
        height: 100%;
        background: #8c959f;
      }
      .probs .bar.top span {
        background: #1f6feb;
      }
    `,
  ];

  private renderLayer(layer: LayerActivation, li: number) {
    const title = LAYER_TITLES[layer.className] ?? layer.className;
    const shape = layer.shape.join('×');
    const head = html`<h3>${li + 1}. ${title}${layer.activation && layer.activation !== 'linear' ? ` (${layer.activation})` : ''} <small>${layer.layerName} → ${shape}</small></h3>`;
    if (layer.className === 'Dropout') {
      return html`<div class="layer">${head}<p class="note">Dropout only acts while training; when predicting it passes its input through unchanged.</p></div>`;
    }
    if (layer.kind === 'maps') {
      const [h, , c] = layer.shape;
      const size = Math.max(28, Math.min(84, h * 3));
      return html`<div class="layer" data-testid="layer-maps">
        ${head}
        <p class="hover" aria-live="off">${this.hover[li] ?? `${c} feature maps; point at one (or focus it) to read its values.`}</p>
        <div class="maps" style="--map-size: ${size}px">
          ${layer.channels.map((_, ch) => {
            const r = layer.ranges[ch];
            const text = `Channel ${ch + 1} of ${c}: values ${fmt(r.min)} … ${fmt(r.max)}`;
            const show = () => (this.hover = { ...this.hover, [li]: text });
            return html`<canvas data-layer=${li} tabindex="0" role="img" aria-label=${text} title=${text} @mouseenter=${show} @focus=${show}></canvas>`;
          })}
        </div>
      </div>`;
    }
    const values = layer.channels[0];
    const r = layer.ranges[0];
    if (layer.activation === 'softmax' && values.length === 10) {
      const top = this.acts?.digit ?? -1;
      return html`<div class="layer">
        ${head}
        <div class="probs" data-testid="probabilities">
          ${Array.from(values, (p, d) => html`<span>${d}</span><div class="bar ${d === top ? 'top' : ''}"><span style="width:${(p * 100).toFixed(1)}%"></span></div><span>${(p * 100).toFixed(1)}%</span>`)}
        </div>
      </div>`;
    }
    if (layer.className === 'Flatten' || values.length > 512) {
      return html`<div class="layer">${head}<p class="note">Lays the maps out as one list of ${values.length.toLocaleString('en')} numbers for the dense layer that follows (range ${fmt(r.min)} … ${fmt(r.max)}).</p></div>`;
    }
    const scale = Math.max(Math.abs(r.min), Math.abs(r.max)) || 1;
    return html`<div class="layer">
      ${head}
      <p class="hover">${values.length} units, values ${fmt(r.min)} … ${fmt(r.max)}</p>
      <div class="vector" role="img" aria-label="${values.length} units, values ${fmt(r.min)} to ${fmt(r.max)}">
        ${Array.from(values, (v, i) => html`<span class=${v < 0 ? 'neg' : ''} style="height:${((Math.abs(v) / scale) * 100).toFixed(1)}%" title="unit ${i + 1}: ${fmt(v)}"></span>`)}
      </div>
    </div>`;
  }

  override render() {
    const dataset = this.lab.get('dataset');
    const drawing = this.lab.get('drawing');
    const selected = this.lab.get('selectedDigit');
    const acts = this.acts;
    return html`<h2 class="cell-title">Feature maps</h2>
      <div class="controls" role="group" aria-label="Input">
        <label><input type="radio" name="source" .checked=${this.source === 'digit'} @change=${() => this.chooseSource('digit')} /> A data-set digit</label>
        <label><input type="radio" name="source" .checked=${this.source === 'drawing'} @change=${() => this.chooseSource('drawing')} /> My drawing</label>
        ${this.source === 'digit'
          ? html`<label>Digit number (${selected?.split === 'test' ? 'test' : 'training'} set)
                <input type="number" min="0" step="1" .value=${String(selected?.index ?? 0)} ?disabled=${!dataset} @change=${this.chooseDigit} />
              </label>
              <button @click=${this.randomDigit} ?disabled=${!dataset}>Pick a random test digit</button>`
          : nothing}
        <label><input type="checkbox" .checked=${this.showSaliency} @change=${(e: Event) => (this.showSaliency = (e.target as HTMLInputElement).checked)} /> Show saliency</label>
      </div>
      <p class="note">
        ${this.shownModel ? html`Model: ${this.shownModel.description}.` : 'Loading the model…'}
        ${this.stale ? html`<span class="stale-note" role="status">The model changed: updating…</span>` : nothing}
      </p>
      ${this.renderError()}
      ${this.source === 'drawing' && !drawing
        ? html`<p class="placeholder">No drawing yet: draw a digit on the pad in the <a href="#/draw">Draw</a> lesson (or pick a data-set digit above).</p>`
        : nothing}
      ${acts && this.input
        ? html`<div class="layers">
            <div class="top">
              <figure style="margin:0">
                <canvas class="input" role="img" aria-label="${this.input.caption}${this.showSaliency ? ', with the pixels that drove the prediction in red' : ''}"></canvas>
                <figcaption class="note">${this.input.caption}${this.input.label !== null ? `, labelled ${this.input.label}` : ''}</figcaption>
              </figure>
              <div>
                <p role="status" data-testid="activation-prediction">The network reads a <strong>${acts.digit}</strong> (${(acts.confidence * 100).toFixed(1)}% sure).</p>
                ${this.showSaliency
                  ? html`<p class="note" style="max-width:28rem">Saliency: red pixels are those where a small change would most change the score of “${acts.digit}” (the gradient of that class's score with respect to each input pixel).</p>`
                  : nothing}
              </div>
            </div>
            ${acts.layers.map((layer, li) => this.renderLayer(layer, li))}
          </div>`
        : nothing}`;
  }
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

customElements.define('activation-viewer', ActivationViewer);

declare global {
  interface HTMLElementTagNameMap {
    'activation-viewer': ActivationViewer;
  }
}
