import { interpolateRdBu } from 'd3';
import { html, LitElement, nothing, svg, type PropertyValues } from 'lit';
import { formatNumber } from '../src/format';
import { kernelImage, type ConvFilters } from '../src/inspect/filters';
import { lookupColour, paintImage } from './draw-paint';
import { filterLayerStyles } from './filter-layer.styles';
import { tokens } from './styles/tokens';

/** Negative weights blue, positive red, zero white: reversed RdBu so "more ink helps" reads as warm. */
const diverging = lookupColour((t) => interpolateRdBu(1 - t));

const LEGEND_STOPS = Array.from({ length: 11 }, (_, i) => i / 10);

/**
 * One convolution layer's kernels as small images on a diverging colour scale (one per output channel, for a
 * chosen input channel), with a legend. `ordinal` numbers it among the model's convolutions.
 */
export class FilterLayer extends LitElement {
  static properties = {
    filters: { attribute: false },
    ordinal: { type: Number },
    highlight: { type: Number },
    inputChannel: { state: true },
  };

  declare filters: ConvFilters | null;
  /** 1 for the model's first convolution, 2 for the second, … */
  declare ordinal: number;
  /** The filter to mark (0-based; the one that made a feature map the learner points at), or null. */
  declare highlight: number | null;
  /** The input channel whose weights are shown (a feature map of the layer before). */
  declare inputChannel: number;

  static styles = [tokens, filterLayerStyles];

  constructor() {
    super();
    this.filters = null;
    this.ordinal = 1;
    this.highlight = null;
    this.inputChannel = 0;
  }

  /** The chosen channel, within this layer's inputs (a new model may have fewer). */
  private get channel(): number {
    return Math.min(this.inputChannel, (this.filters?.inChannels ?? 1) - 1);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const f = this.filters;
    if (!f || !(changed.has('filters') || changed.has('inputChannel'))) return;
    const scale = f.maxAbs || 1;
    this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas').forEach((canvas, out) => {
      const image = kernelImage(f, out, this.channel);
      paintImage(canvas, Array.from(image, (v) => (v / scale + 1) / 2), f.kernelWidth, f.kernelHeight, diverging);
    });
  }

  private legend(maxAbs: number) {
    const bound = formatNumber(maxAbs, 2);
    return html`<div class="legend" aria-label="Colour legend: blue is negative, white zero, red positive">
      <span>−${bound}</span>
      <svg width="160" height="14" role="img" aria-hidden="true">
        <defs>
          <linearGradient id="legend-gradient">
            ${LEGEND_STOPS.map((t) => {
              const [r, g, b] = diverging(t);
              return svg`<stop offset=${`${t * 100}%`} stop-color=${`rgb(${r},${g},${b})`}></stop>`;
            })}
          </linearGradient>
        </defs>
        <rect width="160" height="14" rx="3" fill="url(#legend-gradient)"></rect>
        <line x1="80" x2="80" y1="0" y2="14" stroke-width="1"></line>
      </svg>
      <span>+${bound}</span>
      <span>(0 in the middle)</span>
    </div>`;
  }

  render() {
    const f = this.filters;
    if (!f) return nothing;
    const channel = this.channel;
    return html`<div class="layer-head">
        <h3 title=${`tfjs layer ${f.layerName}`}>Convolution ${this.ordinal} · ${f.outChannels} filters ${f.kernelHeight}×${f.kernelWidth} <small>(each ${f.kernelHeight}×${f.kernelWidth}×${f.inChannels}: ${f.inChannels === 1 ? 'it looks at the picture' : `one slice per feature map of the layer before`})</small></h3>
        ${f.inChannels > 1
          ? html`<label for="input-channel">Input channel</label>
              <select id="input-channel" @change=${(e: Event) => (this.inputChannel = Number((e.target as HTMLSelectElement).value))}>
                ${Array.from({ length: f.inChannels }, (_, c) => html`<option value=${c} ?selected=${c === channel}>${c + 1} of ${f.inChannels}</option>`)}
              </select>`
          : nothing}
      </div>
      ${this.legend(f.maxAbs)}
      <p class="explain">
        ${f.inChannels > 1
          ? `Each square is one filter's weights on input channel ${channel + 1} (a feature map of the layer before).`
          : 'Each square is one filter: red weights add the pixel under them, blue ones subtract it.'}
      </p>
      <div class="grid">
        ${Array.from(
          { length: f.outChannels },
          (_, out) => html`<figure class=${out === this.highlight ? 'highlight' : ''}>
            <canvas role="img" aria-label="Filter ${out + 1} of convolution ${this.ordinal}" aria-current=${out === this.highlight ? 'true' : 'false'}></canvas>
            <figcaption>${out + 1}</figcaption>
          </figure>`,
        )}
      </div>`;
  }
}

customElements.define('filter-layer', FilterLayer);

declare global {
  interface HTMLElementTagNameMap {
    'filter-layer': FilterLayer;
  }
}
