import { html, LitElement, nothing } from 'lit';
import { BACKEND_LABELS, type BackendName } from '../src/backend/backend';
import { formatDuration, formatInteger, formatNumber } from '../src/format';
import { formatShape, type ModelAnalysis } from '../src/model/analyze';
import { estimateEpoch, type EpochEstimate, type ThroughputKey } from '../src/model/estimate';
import type { TrainSettings } from '../src/train/settings';
import { modelCostStyles } from './model-cost.styles';
import { tokens } from './styles/tokens';

/** An epoch estimate with what it assumed, as the cost view and the builder's summary show it. */
export interface EpochEstimateView {
  estimate: EpochEstimate;
  /** The backend in words, e.g. "WebGL (software, no GPU)". */
  label: string;
  images: number;
  batchSize: number;
}

/** How long one epoch of the training settings takes for `multiplyAdds` per image; null until the backend is known. */
export function epochEstimateFor(
  multiplyAdds: number,
  backend: BackendName | null | undefined,
  key: ThroughputKey | null,
  train: Pick<TrainSettings, 'trainSize' | 'validationSplit' | 'batchSize'> | null | undefined,
): EpochEstimateView | null {
  if (!backend || !key || !train) return null;
  const images = Math.round(train.trainSize * (1 - train.validationSplit));
  const estimate = estimateEpoch(multiplyAdds, key, images, train.batchSize);
  const label = `${BACKEND_LABELS[backend]}${key.endsWith('software') ? ' (software, no GPU)' : ''}`;
  return { estimate, label, images, batchSize: train.batchSize };
}

/**
 * What a model costs: the layer-by-layer table (output shape, parameters, multiply-adds for one image) and, for a
 * model that can be built, the estimated time per training epoch.
 */
export class ModelCost extends LitElement {
  static properties = {
    analysis: { attribute: false },
    estimate: { attribute: false },
  };

  declare analysis: ModelAnalysis | null;
  /** The epoch estimate; null while the backend starts. Not shown for a model that cannot be built. */
  declare estimate: EpochEstimateView | null;

  static styles = [tokens, modelCostStyles];

  constructor() {
    super();
    this.analysis = null;
    this.estimate = null;
  }

  private renderTable(analysis: ModelAnalysis) {
    return html`<table>
      <caption>
        Layer by layer (for one image)
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Layer</th>
          <th scope="col">Output shape</th>
          <th scope="col" class="n">Parameters</th>
          <th scope="col" class="n">Multiply-adds</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td></td>
          <td>Input image</td>
          <td>${formatShape(analysis.inputShape)}</td>
          <td class="n">0</td>
          <td class="n">0</td>
        </tr>
        ${analysis.layers.map(
          (l) => html`<tr class=${l.error ? 'invalid' : ''}>
            <td>${l.index + 1}</td>
            <td>${l.description}</td>
            <td>${l.outputShape ? formatShape(l.outputShape) : '—'}</td>
            <td class="n">${l.outputShape || l.params ? formatInteger(l.params) : '—'}</td>
            <td class="n">${l.outputShape || l.multiplyAdds ? formatInteger(l.multiplyAdds) : '—'}</td>
          </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colspan="3">
            Total${analysis.totalParams !== analysis.trainableParams
              ? html` <small>(${formatInteger(analysis.trainableParams)} trained by the optimizer; batch norm's moving averages are not)</small>`
              : nothing}
          </th>
          <td class="n" data-testid="param-total">${formatInteger(analysis.totalParams)}</td>
          <td class="n" data-testid="madd-total">${formatInteger(analysis.multiplyAdds)}</td>
        </tr>
      </tfoot>
    </table>`;
  }

  private renderEstimate() {
    const e = this.estimate;
    if (!e) return html`<p class="estimate">Time per epoch: waiting for the backend to start…</p>`;
    const a = e.estimate.assumption;
    return html`<p class="estimate" data-testid="epoch-estimate">
      Estimated time per epoch on <strong>${e.label}</strong>: <strong>${formatDuration(e.estimate.seconds)}</strong>
      <small
        >${formatInteger(e.images)} images × ${formatNumber(e.estimate.trainingFlopPerImage / 1e6, 1)} MFLOP each to train (3 passes × 2 FLOP per
        multiply-add) at ${a.gflops} GFLOP/s (${a.source}), plus ${a.batchOverheadMs} ms per batch of ${e.batchSize}. A rough guide: real speed
        depends on your device.</small
      >
    </p>`;
  }

  render() {
    const analysis = this.analysis;
    if (!analysis) return nothing;
    return html`<div class="scroll">${this.renderTable(analysis)}</div>
      ${analysis.valid ? this.renderEstimate() : nothing}`;
  }
}

customElements.define('model-cost', ModelCost);

declare global {
  interface HTMLElementTagNameMap {
    'model-cost': ModelCost;
  }
}
