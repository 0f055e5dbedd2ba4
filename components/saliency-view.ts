import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { formatPercent } from '../src/format';
import type { InspectedImage } from '../src/inspect/input';
import type { DigitVerdict } from '../src/inspect/digit-check';
import { blendSaliency, SMOOTHGRAD_SAMPLES, type Saliency, type SaliencyMethod } from '../src/inspect/saliency';
import { paintDigit } from './digit-painter';
import { saliencyViewStyles } from './saliency-view.styles';
import { noteStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** What the overlay means, per method, for the digit `d`. */
function explanation(method: SaliencyMethod, d: number): string {
  switch (method) {
    case 'integrated':
      return `Saliency: red ink raised the score of “${d}”, blue ink lowered it — each pixel's share of the score on the way from a black picture to this one (integrated gradients).`;
    case 'smoothgrad':
      return `Saliency: red pixels are where a small change of ink would most change the score of “${d}”, averaged over ${SMOOTHGRAD_SAMPLES} copies with a little noise (SmoothGrad); on the background too.`;
    case 'gradient':
      return `Saliency: red pixels are those where a small change would most change the score of “${d}” (the gradient of that class's score with respect to each input pixel).`;
    case 'occlusion':
      return `Saliency: red where hiding a small square of the picture lowers the score of “${d}” most (occlusion).`;
  }
}

/**
 * One input as the network sees it, with the saliency of its top class laid over it (red; blue where ink counts
 * against it), and what the network reads (in role="status"). Shows what it is given; computes nothing.
 */
export class SaliencyView extends LitElement {
  static properties = {
    image: { attribute: false },
    saliency: { attribute: false },
    showSaliency: { type: Boolean, attribute: 'show-saliency' },
    verdict: { attribute: false },
  };

  declare image: InspectedImage | null;
  /** The top class, its confidence and the saliency map (from the same pass as the layers). */
  declare saliency: Saliency | null;
  declare showSaliency: boolean;
  /** The "not a digit" check's answer (drawings), or null. */
  declare verdict: DigitVerdict | null;

  static styles = [tokens, noteStyles, saliencyViewStyles];

  constructor() {
    super();
    this.image = null;
    this.saliency = null;
    this.showSaliency = true;
    this.verdict = null;
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
          ${this.verdict && !this.verdict.isDigit
            ? html`This does not look like a digit to the network (its best guess would be <strong>${saliency.digit}</strong>).`
            : html`The network reads a <strong>${saliency.digit}</strong> (${formatPercent(saliency.confidence)} sure).`}
        </p>
        ${this.showSaliency ? html`<p class="note explain">${explanation(saliency.method, saliency.digit)}</p>` : nothing}
      </div>`;
  }
}

customElements.define('saliency-view', SaliencyView);

declare global {
  interface HTMLElementTagNameMap {
    'saliency-view': SaliencyView;
  }
}
