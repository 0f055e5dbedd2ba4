import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { formatPercent } from '../src/format';
import type { InspectedImage } from '../src/inspect/input';
import { blendSaliency, type Saliency } from '../src/inspect/saliency';
import { paintDigit } from './digit-painter';
import { saliencyViewStyles } from './saliency-view.styles';
import { noteStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/**
 * One input as the network sees it, with the saliency of its top class laid over it in red, and what the network
 * reads (in role="status"). Shows what it is given; computes nothing.
 */
export class SaliencyView extends LitElement {
  static properties = {
    image: { attribute: false },
    saliency: { attribute: false },
    showSaliency: { type: Boolean, attribute: 'show-saliency' },
  };

  declare image: InspectedImage | null;
  /** The top class, its confidence and the saliency map (from the same pass as the layers). */
  declare saliency: Saliency | null;
  declare showSaliency: boolean;

  static styles = [tokens, noteStyles, saliencyViewStyles];

  constructor() {
    super();
    this.image = null;
    this.saliency = null;
    this.showSaliency = true;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!(changed.has('image') || changed.has('saliency') || changed.has('showSaliency'))) return;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.input');
    if (!canvas || !this.image) return;
    // The blend reads the canvas back on every update: the first getContext fixes that it is read often.
    canvas.getContext('2d', { willReadFrequently: true });
    paintDigit(canvas, this.image.pixels, { scale: 1, range: 1 });
    const map = this.showSaliency ? this.saliency?.map : undefined;
    const ctx = canvas.getContext('2d');
    if (!map || !ctx) return;
    const picture = ctx.getImageData(0, 0, canvas.width, canvas.height);
    blendSaliency(picture.data, map);
    ctx.putImageData(picture, 0, 0);
  }

  render() {
    const image = this.image;
    const saliency = this.saliency;
    if (!image || !saliency) return nothing;
    return html`<figure>
        <canvas class="input" role="img" aria-label="${image.caption}${this.showSaliency ? ', with the pixels that drove the prediction in red' : ''}"></canvas>
        <figcaption class="note">${image.caption}${image.label !== null ? `, labelled ${image.label}` : ''}</figcaption>
      </figure>
      <div>
        <p role="status" data-testid="activation-prediction">
          The network reads a <strong>${saliency.digit}</strong> (${formatPercent(saliency.confidence)} sure).
        </p>
        ${this.showSaliency
          ? html`<p class="note explain">
              Saliency: red pixels are those where a small change would most change the score of “${saliency.digit}” (the gradient of
              that class's score with respect to each input pixel).
            </p>`
          : nothing}
      </div>`;
  }
}

customElements.define('saliency-view', SaliencyView);

declare global {
  interface HTMLElementTagNameMap {
    'saliency-view': SaliencyView;
  }
}
