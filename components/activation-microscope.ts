import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { MnistDataset } from '../src/data/mnist';
import { formatElapsed, formatInteger, formatNumber, formatPercent } from '../src/format';
import type { Neighbour } from '../src/inspect/embedding';
import type { InspectedImage } from '../src/inspect/input';
import { blendSaliency, type Contrast } from '../src/inspect/saliency';
import { activationMicroscopeStyles } from './activation-microscope.styles';
import { paintDigit } from './digit-painter';
import { buttonStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** What the microscope shows about the nearest training digits. */
export interface NeighbourView {
  neighbours: Neighbour[];
  /** Training digits searched (all of them once the one-time embedding is done). */
  searched: number;
  total: number;
}

/** The one-time embedding of the training digits, as far as it has got. */
export interface EmbeddingState {
  progress: { done: number; total: number } | null;
  /** Seconds the whole embedding took (null while it runs or before it started). */
  seconds: number | null;
  origin: 'computed' | 'stored' | null;
}

/**
 * The mistake microscope for one input: the network's top answers, why the top one and not the runner-up (the
 * contrast map: red ink speaks for the top digit, blue for the runner-up), and its nearest training digits in the
 * network's last hidden layer, labels shown (a mistake often sits among training digits of the wrong class).
 *
 * @fires microscope-find-neighbours - the learner asked for the nearest training digits (the one-time embedding).
 */
export class ActivationMicroscope extends LitElement {
  static properties = {
    image: { attribute: false },
    probabilities: { attribute: false },
    contrast: { attribute: false },
    neighbours: { attribute: false },
    embedding: { attribute: false },
    mnist: { attribute: false },
  };

  declare image: InspectedImage | null;
  declare probabilities: readonly number[];
  declare contrast: Contrast | null;
  declare neighbours: NeighbourView | null;
  declare embedding: EmbeddingState;
  /** MNIST, to paint the neighbours and read their labels. */
  declare mnist: MnistDataset | null;

  static styles = [tokens, buttonStyles, activationMicroscopeStyles];

  constructor() {
    super();
    this.image = null;
    this.probabilities = [];
    this.contrast = null;
    this.neighbours = null;
    this.embedding = { progress: null, seconds: null, origin: null };
    this.mnist = null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.contrast');
    if (canvas && this.image && this.contrast && (changed.has('image') || changed.has('contrast'))) {
      // The blend reads the canvas back on every update: the first getContext fixes that it is read often.
      canvas.getContext('2d', { willReadFrequently: true });
      paintDigit(canvas, this.image.pixels, { scale: 1, range: 1 });
      const ctx = canvas.getContext('2d');
      if (ctx) {
        const picture = ctx.getImageData(0, 0, canvas.width, canvas.height);
        blendSaliency(picture.data, this.contrast.map);
        ctx.putImageData(picture, 0, 0);
      }
    }
    const dataset = this.mnist;
    if (!dataset) return;
    for (const c of this.renderRoot.querySelectorAll<HTMLCanvasElement>('ul.neighbours canvas')) {
      const index = Number(c.dataset.index);
      if (c.dataset.painted === String(index)) continue;
      paintDigit(c, dataset.image('train', index), { scale: 1 });
      c.dataset.painted = String(index);
    }
  }

  private top(): { digit: number; p: number }[] {
    return this.probabilities
      .map((p, digit) => ({ digit, p }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 3);
  }

  private renderNeighbours() {
    const { progress, seconds, origin } = this.embedding;
    const view = this.neighbours;
    const dataset = this.mnist;
    const status = progress
      ? `Working out how the network sees each of the ${formatInteger(progress.total)} training digits, once for this model: ${formatInteger(progress.done)} done.`
      : seconds !== null
        ? origin === 'stored'
          ? 'The training digits’ embeddings were kept in this browser from before.'
          : `The training digits’ embeddings took ${formatElapsed(seconds * 1000)}, once for this model.`
        : '';
    const label = this.image?.label ?? null;
    return html`<section>
      <h3>Its nearest training digits, as the network sees them</h3>
      <p class="note">
        Nearest in the network's last hidden layer: the digits it finds most alike. A mistake often sits among training
        digits of the class it was mistaken for.
      </p>
      ${!view && !progress
        ? html`<button @click=${() => this.dispatchEvent(new CustomEvent('microscope-find-neighbours', { bubbles: true, composed: true }))}>
            Find its nearest training digits
          </button>`
        : nothing}
      <p class="note" role="status" data-testid="neighbour-status">${status}</p>
      ${view && dataset
        ? html`<ul class="neighbours" aria-label="Nearest training digits">
              ${view.neighbours.map((n) => {
                const l = dataset.label('train', n.index);
                return html`<li>
                  <canvas width="28" height="28" data-index=${n.index} role="img" aria-label="Training digit ${formatInteger(n.index)}, labelled ${l}"></canvas>
                  <span class=${label !== null && l !== label ? 'other' : ''}>a ${l}</span><br />
                  <span class="note">distance ${formatNumber(n.distance, 1)}</span>
                </li>`;
              })}
            </ul>
            ${view.searched < view.total
              ? html`<p class="note">Among the first ${formatInteger(view.searched)} of ${formatInteger(view.total)} training digits so far.</p>`
              : nothing}`
        : nothing}
    </section>`;
  }

  render() {
    const contrast = this.contrast;
    if (!this.image || !contrast) return nothing;
    return html`<h3>Why did it say that?</h3>
      <div class="row">
        <section>
          <h3>Its top answers</h3>
          <ol class="top" data-testid="top-answers">
            ${this.top().map(({ digit, p }) => html`<li>${digit}: ${formatPercent(p)}</li>`)}
          </ol>
        </section>
        <section>
          <h3>Why ${contrast.digit} and not ${contrast.rival}</h3>
          <canvas class="contrast" role="img" aria-label="Why ${contrast.digit} and not ${contrast.rival}: red ink speaks for ${contrast.digit}, blue for ${contrast.rival}"></canvas>
        </section>
        <p class="legend">
          <span class="red">Red</span>: ink here makes it more a ${contrast.digit} than a ${contrast.rival}.
          <span class="blue">Blue</span>: ink here makes it more a ${contrast.rival}.
        </p>
      </div>
      ${this.renderNeighbours()}`;
  }
}

customElements.define('activation-microscope', ActivationMicroscope);

declare global {
  interface HTMLElementTagNameMap {
    'activation-microscope': ActivationMicroscope;
  }
  interface HTMLElementEventMap {
    'microscope-find-neighbours': CustomEvent<undefined>;
  }
}
