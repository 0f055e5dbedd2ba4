import { interpolateInferno } from 'd3';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { LayerActivation } from '../src/inspect/activations';
import { formatActivation, layerView, normalise } from '../src/inspect/layer-view';
import { formatInteger } from '../src/format';
import { activationLayerStyles } from './activation-layer.styles';
import { lookupColour, paintImage } from './draw-paint';
import { noteStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';
import './class-probabilities';

const heat = lookupColour(interpolateInferno);

/** Detail of `activation-map-hover`: the filter that made the map under the pointer, or null when it left. */
export interface MapHoverDetail {
  filter: { layerName: string; channel: number } | null;
}

/**
 * One layer's output for the input being followed: feature maps as heat-coloured images on one scale per layer
 * (values on hover or focus), a vector as bars, the softmax as ten labelled bars, a flatten or dropout as a sentence.
 * `heading` names it in words; `filterLayer` is the convolution whose filter c made map c (hovering a map says so).
 *
 * @fires activation-map-hover - {@link MapHoverDetail} when the pointer or focus enters a map (null when it leaves).
 */
export class ActivationLayer extends LitElement {
  static properties = {
    layer: { attribute: false },
    heading: {},
    filterLayer: { attribute: 'filter-layer' },
    block: { type: Number },
    hover: { state: true },
  };

  declare layer: LayerActivation | null;
  /** What the layer is, in words ("Convolution 2 · 32 filters 3×3, after ReLU"). */
  declare heading: string;
  /** The convolution layer whose filters made these maps (its tfjs name), or null. */
  declare filterLayer: string | null;
  /** Which block of the network this is (0 = the first), for tests and styling. */
  declare block: number;
  /** What the pointer (or focus) is over: "Channel 3 of 32: values -0.12 … 2.31". */
  declare hover: string | null;

  static styles = [tokens, noteStyles, activationLayerStyles];

  constructor() {
    super();
    this.layer = null;
    this.heading = '';
    this.filterLayer = null;
    this.block = 0;
    this.hover = null;
  }

  private hoverFilter(channel: number | null): void {
    if (!this.filterLayer) return;
    const filter = channel === null ? null : { layerName: this.filterLayer, channel };
    this.dispatchEvent(new CustomEvent<MapHoverDetail>('activation-map-hover', { detail: { filter }, bubbles: true, composed: true }));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('layer')) this.hover = null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Hovering only changes a caption: repaint the maps only when the layer changed.
    const layer = this.layer;
    if (!changed.has('layer') || !layer) return;
    const view = layerView(layer);
    if (view.kind !== 'maps') return;
    const [h, w] = layer.shape;
    this.renderRoot.querySelectorAll<HTMLCanvasElement>('.maps canvas').forEach((canvas, c) => {
      paintImage(canvas, normalise(layer.channels[c], view.range), w, h, heat);
    });
  }

  render() {
    const layer = this.layer;
    if (!layer) return nothing;
    const view = layerView(layer);
    const head = html`<h3 title=${`tfjs layer ${layer.layerName}`}>${this.heading} <small>→ ${layer.shape.join('×')}</small></h3>`;
    const range = (r: { min: number; max: number }, to = '…') => `${formatActivation(r.min)} ${to} ${formatActivation(r.max)}`;
    switch (view.kind) {
      case 'dropout':
        return html`<div class="layer">${head}<p class="note">Dropout only acts while training; when predicting it passes its input through unchanged.</p></div>`;
      case 'maps': {
        const c = layer.shape[2];
        return html`<div class="layer" data-testid="layer-maps">
          ${head}
          <p class="hover" aria-live="off">${this.hover ?? `${c} feature maps; point at one (or focus it) to read its values.`}</p>
          <div class="maps" style="--map-size: ${view.size}px" @mouseleave=${() => this.hoverFilter(null)}>
            ${layer.ranges.map((r, ch) => {
              const text = `Channel ${ch + 1} of ${c}: values ${range(r)}`;
              const made = this.filterLayer ? ` — made by filter ${ch + 1}, highlighted under Learned filters` : '';
              const show = () => {
                this.hover = text + made;
                this.hoverFilter(ch);
              };
              return html`<canvas data-layer=${this.block} tabindex="0" role="img" aria-label=${text} title=${text} @mouseenter=${show} @focus=${show} @blur=${() => this.hoverFilter(null)}></canvas>`;
            })}
          </div>
        </div>`;
      }
      case 'probabilities':
        return html`<div class="layer">${head}<class-probabilities .probabilities=${layer.channels[0]}></class-probabilities></div>`;
      case 'long-vector':
        return html`<div class="layer">
          ${head}
          <p class="note">
            Lays the maps out as one list of ${formatInteger(layer.channels[0].length)} numbers for the dense layer that follows (range
            ${range(view.range)}).
          </p>
        </div>`;
      case 'vector': {
        const values = layer.channels[0];
        return html`<div class="layer">
          ${head}
          <p class="hover">${values.length} units, values ${range(view.range)}</p>
          <div class="vector" role="img" aria-label="${values.length} units, values ${range(view.range, 'to')}">
            ${Array.from(
              values,
              (v, i) =>
                html`<span class=${v < 0 ? 'neg' : ''} style="height:${((Math.abs(v) / view.scale) * 100).toFixed(1)}%" title="unit ${i + 1}: ${formatActivation(v)}"></span>`,
            )}
          </div>
        </div>`;
      }
    }
  }
}

customElements.define('activation-layer', ActivationLayer);

declare global {
  interface HTMLElementTagNameMap {
    'activation-layer': ActivationLayer;
  }
  interface HTMLElementEventMap {
    'activation-map-hover': CustomEvent<MapHoverDetail>;
  }
}
