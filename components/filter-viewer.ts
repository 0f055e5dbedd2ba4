import { interpolateRdBu } from 'd3';
import { css, html, nothing, svg } from 'lit';
import { convFilters, kernelImage, type ConvFilters } from '../src/inspect/filters';
import type { LabModel } from '../src/model/lab-model';
import { ensureModel } from '../src/state/actions';
import { modelBaseUrl } from './config';
import { lookupColour, paintImage } from './draw-paint';
import { LabCell } from './lab-cell';
import { LabStateController } from './lab-context';

/** Negative weights blue, positive red, zero white: reversed RdBu so "more ink helps" reads as warm. */
const diverging = lookupColour((t) => interpolateRdBu(1 - t));

/**
 * Every convolution layer's kernels as small images in a diverging colour scale (one per output channel, for a
 * chosen input channel), with a legend. Marked stale and refreshed whenever the lab's model changes.
 */
export class FilterViewer extends LabCell {
  static properties = {
    ...LabCell.properties,
    filters: { state: true },
    stale: { type: Boolean, reflect: true },
    inputChannel: { state: true },
    shownModel: { state: true },
  };

  declare filters: ConvFilters[] | null;
  declare stale: boolean;
  /** Chosen input channel per conv layer (by layer index). */
  declare inputChannel: Record<number, number>;
  declare shownModel: LabModel | null;

  private readonly lab = new LabStateController(this, ['model'], () => this.onModelChanged());
  private runId = 0;

  constructor() {
    super();
    this.filters = null;
    this.stale = false;
    this.inputChannel = {};
    this.shownModel = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  private async start(): Promise<void> {
    await this.updateComplete;
    const state = this.lab.state;
    if (!state) return;
    await this.busyWhile(async () => {
      await ensureModel(state, modelBaseUrl());
      if (!this.filters) await this.refresh();
    });
  }

  private onModelChanged(): void {
    if (this.filters) this.stale = true;
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    const labModel = this.lab.get('model');
    if (!labModel) return;
    const id = ++this.runId;
    this.status = 'busy';
    try {
      const filters = await convFilters(labModel.model);
      // A newer model arrived while reading this one: its own refresh paints the result.
      if (id !== this.runId) return;
      this.filters = filters;
      this.shownModel = labModel;
      this.stale = false;
      this.clearError();
      this.status = 'ready';
    } catch (error) {
      if (id === this.runId) this.fail(error);
    }
  }

  protected override updated(): void {
    this.paint();
  }

  private paint(): void {
    for (const f of this.filters ?? []) {
      const inChannel = Math.min(this.inputChannel[f.layerIndex] ?? 0, f.inChannels - 1);
      const canvases = this.renderRoot.querySelectorAll<HTMLCanvasElement>(`canvas[data-layer="${f.layerIndex}"]`);
      canvases.forEach((canvas, out) => {
        const image = kernelImage(f, out, inChannel);
        const scale = f.maxAbs || 1;
        paintImage(canvas, Array.from(image, (v) => (v / scale + 1) / 2), f.kernelWidth, f.kernelHeight, diverging);
      });
    }
  }

  static styles = [
    LabCell.cellStyles,
    css`
      :host([stale]) .layers {
        opacity: 0.45;
        transition: opacity 0.2s;
      }
      .stale-note {
        display: inline-block;
        padding: 0.15rem 0.6rem;
        border-radius: 999px;
        background: #fff8c5;
        border: 1px solid #d4a72c;
        font-size: 0.85rem;
      }
      .model-note {
        font-size: 0.85rem;
        color: var(--lab-muted, #57606a);
        margin: 0 0 0.75rem;
      }
      section {
        margin: 1rem 0 1.5rem;
      }
      h3 {
        font-size: 1rem;
        margin: 0 0 0.4rem;
      }
      .layer-head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.25rem;
        align-items: baseline;
        margin-bottom: 0.5rem;
      }
      .layer-head label {
        font-size: 0.9rem;
      }
      .grid {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      figure {
        margin: 0;
        text-align: center;
      }
      figcaption {
        font-size: 0.75rem;
        color: var(--lab-muted, #57606a);
      }
      canvas {
        width: 48px;
        height: 48px;
        image-rendering: pixelated;
        border: 1px solid #d0d7de;
        border-radius: 3px;
        display: block;
      }
      .legend {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        font-size: 0.8rem;
        color: var(--lab-muted, #57606a);
        font-variant-numeric: tabular-nums;
      }
      .explain {
        font-size: 0.85rem;
        color: var(--lab-muted, #57606a);
        margin: 0.25rem 0 0;
      }
    `,
  ];

  private legend(maxAbs: number, id: number) {
    const stops = Array.from({ length: 11 }, (_, i) => i / 10);
    const gradientId = `legend-${id}`;
    return html`<div class="legend" aria-label="Colour legend: blue is negative, white zero, red positive">
      <span>−${maxAbs.toFixed(2)}</span>
      <svg width="160" height="14" role="img" aria-hidden="true">
        <defs>
          <linearGradient id=${gradientId}>
            ${stops.map((t) => {
              const [r, g, b] = diverging(t);
              return svg`<stop offset=${`${t * 100}%`} stop-color=${`rgb(${r},${g},${b})`}></stop>`;
            })}
          </linearGradient>
        </defs>
        <rect width="160" height="14" rx="3" fill=${`url(#${gradientId})`} stroke="#d0d7de"></rect>
        <line x1="80" x2="80" y1="0" y2="14" stroke="#57606a" stroke-width="1"></line>
      </svg>
      <span>+${maxAbs.toFixed(2)}</span>
      <span>(0 in the middle)</span>
    </div>`;
  }

  override render() {
    const current = this.lab.get('model');
    return html`<h2 class="cell-title">Learned filters</h2>
      <p class="model-note">
        ${this.shownModel ? html`Model: ${this.shownModel.description}.` : current ? nothing : 'Loading the model…'}
        ${this.stale ? html`<span class="stale-note" role="status">The model changed: updating the filters…</span>` : nothing}
      </p>
      ${this.renderError()}
      ${this.filters && this.filters.length === 0
        ? html`<p class="placeholder">This model has no convolution layers, so there are no filters to show.</p>`
        : nothing}
      <div class="layers">
        ${(this.filters ?? []).map((f, i) => {
          const inChannel = Math.min(this.inputChannel[f.layerIndex] ?? 0, f.inChannels - 1);
          const selectId = `in-${f.layerIndex}`;
          return html`<section data-testid="filter-layer">
            <div class="layer-head">
              <h3>Convolution ${i + 1} <small>(${f.layerName}: ${f.outChannels} filters of ${f.kernelHeight}×${f.kernelWidth}×${f.inChannels})</small></h3>
              ${f.inChannels > 1
                ? html`<label for=${selectId}>Input channel</label>
                    <select
                      id=${selectId}
                      @change=${(e: Event) => (this.inputChannel = { ...this.inputChannel, [f.layerIndex]: Number((e.target as HTMLSelectElement).value) })}
                    >
                      ${Array.from({ length: f.inChannels }, (_, c) => html`<option value=${c} ?selected=${c === inChannel}>${c + 1} of ${f.inChannels}</option>`)}
                    </select>`
                : nothing}
            </div>
            ${this.legend(f.maxAbs, f.layerIndex)}
            <p class="explain">
              ${f.inChannels > 1
                ? `Each square is one filter's weights on input channel ${inChannel + 1} (a feature map of the layer before).`
                : 'Each square is one filter: red weights add the pixel under them, blue ones subtract it.'}
            </p>
            <div class="grid">
              ${Array.from(
                { length: f.outChannels },
                (_, out) => html`<figure>
                  <canvas data-layer=${f.layerIndex} role="img" aria-label="Filter ${out + 1} of ${f.layerName}"></canvas>
                  <figcaption>${out + 1}</figcaption>
                </figure>`,
              )}
            </div>
          </section>`;
        })}
      </div>`;
  }
}

customElements.define('filter-viewer', FilterViewer);

declare global {
  interface HTMLElementTagNameMap {
    'filter-viewer': FilterViewer;
  }
}
