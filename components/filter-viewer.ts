import { Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { convFilters, type ConvFilters } from '../src/inspect/filters';
import { highlightedFilter, subscribeFocus } from '../src/inspect/focus';
import type { LabModel } from '../src/model/lab-model';
import { filterViewerStyles } from './filter-viewer.styles';
import { LabCell } from './lab-cell';
import { LabModelController } from './lab-model-controller';
import './filter-layer';
import './lab-model-badge';

/** The filters shown, with the model they were read from. */
interface ShownFilters {
  filters: ConvFilters[];
  model: LabModel;
}

/**
 * Every convolution layer's kernels (`<filter-layer>` each), naming the model they come from (`<lab-model-badge>`).
 * Marked stale and re-read whenever the lab's model changes; reading runs as a `@lit/task`, so a result for a model
 * that was replaced meanwhile is dropped.
 */
export class FilterViewer extends LabCell {
  static properties = {
    ...LabCell.properties,
    stale: { type: Boolean, reflect: true },
  };

  /** The filters shown belong to a model the lab has since replaced (a new reading is under way). */
  declare stale: boolean;

  private readonly labModel = new LabModelController(this);
  private unsubscribeFocus: (() => void) | null = null;

  private readonly reading = new Task<readonly [LabModel | null], ShownFilters>(this, {
    args: () => [this.labModel.model],
    task: async ([current], { signal }) => {
      const model = current ?? (await this.labModel.load(signal));
      const filters = await convFilters(model.model);
      signal.throwIfAborted();
      return { filters, model };
    },
  });

  constructor() {
    super();
    this.stale = false;
    this.statusFrom(this.labModel, this.reading);
  }

  static styles = [LabCell.cellStyles, filterViewerStyles];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribeFocus?.();
    this.unsubscribeFocus = null;
  }

  override willUpdate(changed: PropertyValues): void {
    // Hovering a feature map (in the activation cell) highlights the filter that made it here.
    const state = this.labModel.state;
    if (state && !this.unsubscribeFocus) this.unsubscribeFocus = subscribeFocus(state, () => this.requestUpdate());
    const shown = this.reading.value;
    if (shown && shown.model !== this.labModel.shownModel) this.labModel.markFresh(shown.model);
    this.stale = this.labModel.stale;
    super.willUpdate(changed);
  }

  override render() {
    const shown = this.reading.value;
    return html`<h2 class="cell-title">Learned filters</h2>
      <lab-model-badge .model=${shown?.model}></lab-model-badge>
      ${this.stale ? html`<p class="note"><span class="stale-note" role="status">The model changed: updating the filters…</span></p>` : nothing}
      ${this.renderError()}
      ${shown && shown.filters.length === 0 ? html`<p class="placeholder">This model has no convolution layers, so there are no filters to show.</p>` : nothing}
      <div class="layers">
        ${(shown?.filters ?? []).map((f, i) => {
          const lit = this.labModel.state ? highlightedFilter(this.labModel.state) : null;
          return html`<filter-layer data-testid="filter-layer" .filters=${f} .ordinal=${i + 1} .highlight=${lit?.layerName === f.layerName ? lit.channel : null}></filter-layer>`;
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
