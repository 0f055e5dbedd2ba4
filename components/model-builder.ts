import { html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { formatDuration, formatInteger, formatNumber } from '../src/format';
import { analyzeSpec, type LayerAnalysis, type ModelAnalysis } from '../src/model/analyze';
import {
  defaultInsertAfter,
  draftSpec,
  insertLayer,
  moveLayer,
  nameAfterEdit,
  presetOf,
  PRESET_IDS,
  removeLayer,
  toDraft,
  updateLayer,
  type Draft,
  type DraftLayer,
} from '../src/model/draft';
import type { ThroughputKey } from '../src/model/estimate';
import { LAYER_NAMES, LAYER_TYPES, PRESETS, type LayerType, type ModelSpec, type PresetId } from '../src/model/spec';
import { LabCell } from './lab-cell';
import { LabStateController } from './lab-context';
import './layer-row';
import type { LayerChangeDetail, LayerMoveDetail, LayerRemoveDetail } from './layer-row';
import { layerListStyles, modelBuilderStyles } from './model-builder.styles';
import { epochEstimateFor } from './model-cost';
import './model-cost';
import { LAYER_COLORS } from './model-diagram';
import './model-diagram';
import type { ModelImportDetail } from './model-export';
import './model-export';
import { throughputKeyFor } from './model-hardware';
import { ReorderController } from './reorder-controller';

/**
 * The model cell: edit the CNN layer by layer, see each tensor's shape, the parameters and the cost, and export it.
 * The lab state's `modelSpec` always holds the last valid model; an impossible draft stays in the editor, with the
 * message on the offending layer, until it is fixed. The draft is analysed once per edit and the result shared by
 * the rows, the diagram, the cost table and the status.
 */
export class ModelBuilder extends LabCell {
  static override properties = {
    ...LabCell.properties,
    draft: { state: true },
    name: { state: true },
    announcement: { state: true },
    addType: { state: true },
    addAfter: { state: true },
    throughputKey: { state: true },
  };

  declare draft: Draft | null;
  declare name: string;
  declare announcement: string;
  declare addType: LayerType;
  /** Index to insert after (-1: at the start); null: just before the first Flatten. */
  declare addAfter: number | null;
  declare throughputKey: ThroughputKey | null;

  private readonly lab = new LabStateController(this, ['modelSpec', 'backend', 'trainSettings'], (key) => {
    if (key === 'modelSpec') this.syncFromState();
    if (key === 'backend') void this.updateThroughput();
  });
  private readonly reorder = new ReorderController(this, {
    keys: () => (this.draft ?? []).map((d) => d.key),
    move: (from, to) => this.move(from, to),
    row: (key) => this.renderRoot.querySelector<HTMLElement>(`li[data-key="${key}"]`),
    focusControl: (row, control) => row.querySelector('layer-row')?.focusControl(control) ?? Promise.resolve(false),
  });
  /** The spec this cell last put into the lab state, to tell its own changes from others'. */
  private lastCommitted = '';
  private analyzed: { draft: Draft; analysis: ModelAnalysis } | null = null;
  private committedAnalyzed: { spec: ModelSpec; analysis: ModelAnalysis } | null = null;

  constructor() {
    super();
    this.draft = null;
    this.name = '';
    this.announcement = '';
    this.addType = 'conv2d';
    this.addAfter = null;
    this.throughputKey = null;
  }

  // ---- state ----

  /** The draft's analysis, computed once per draft (an edit makes a new draft). */
  private analysisOf(draft: Draft): ModelAnalysis {
    if (this.analyzed?.draft !== draft) this.analyzed = { draft, analysis: analyzeSpec(draftSpec(draft, this.name)) };
    return this.analyzed.analysis;
  }

  private committedAnalysis(spec: ModelSpec): ModelAnalysis {
    if (this.committedAnalyzed?.spec !== spec) this.committedAnalyzed = { spec, analysis: analyzeSpec(spec) };
    return this.committedAnalyzed.analysis;
  }

  private syncFromState(): void {
    const spec = this.lab.get('modelSpec');
    if (!spec) return;
    const json = JSON.stringify(spec);
    if (json === this.lastCommitted && this.draft) return;
    this.lastCommitted = json;
    this.draft = toDraft(spec.layers);
    this.name = spec.name;
  }

  private async updateThroughput(): Promise<void> {
    const active = this.lab.get('backend')?.active;
    this.throughputKey = active ? await throughputKeyFor(active) : null;
  }

  private commit(spec: ModelSpec): void {
    this.lastCommitted = JSON.stringify(spec);
    this.lab.state?.set('modelSpec', spec);
  }

  /** Takes a new draft; if it can be built, it becomes the lab's model spec. */
  private change(draft: Draft, name = this.name): void {
    const edited = draft !== this.draft;
    this.draft = draft;
    // A preset that has been edited is no longer that preset.
    this.name = edited ? nameAfterEdit(name) : name;
    if (this.analysisOf(draft).valid) this.commit(draftSpec(draft, this.name));
  }

  private loadPreset(id: PresetId): void {
    const spec = PRESETS[id].spec;
    this.draft = toDraft(spec.layers);
    this.name = spec.name;
    this.addAfter = null;
    this.commit(spec);
    this.announcement = `Loaded the ${PRESETS[id].label} preset: ${spec.layers.length} layers.`;
  }

  private revert(): void {
    const spec = this.lab.get('modelSpec');
    if (!spec) return;
    this.draft = toDraft(spec.layers);
    this.name = spec.name;
    this.announcement = 'Back to the last valid model.';
  }

  private move(from: number, to: number): void {
    const draft = moveLayer(this.draft ?? [], from, to);
    if (!draft) return;
    this.announcement = `Moved ${LAYER_NAMES[draft[to].spec.type]} from position ${from + 1} to ${to + 1} of ${draft.length}.`;
    this.change(draft);
  }

  private removeAt(index: number): void {
    const { draft, removed, neighbour } = removeLayer(this.draft ?? [], index);
    if (neighbour) this.reorder.focusLater(neighbour.key);
    this.addAfter = null;
    this.announcement = `Removed layer ${index + 1}, ${LAYER_NAMES[removed.spec.type]}. ${draft.length} layers left.`;
    this.change(draft);
  }

  private insertAt(): number {
    const draft = this.draft ?? [];
    return Math.min(this.addAfter ?? defaultInsertAfter(draft), draft.length - 1);
  }

  private add(): void {
    const { draft, item, at } = insertLayer(this.draft ?? [], this.insertAt(), this.addType);
    this.reorder.focusLater(item.key);
    this.addAfter = null;
    this.announcement = `Added ${LAYER_NAMES[this.addType]} as layer ${at + 1} of ${draft.length}.`;
    this.change(draft);
  }

  private importSpec({ spec }: ModelImportDetail): void {
    this.addAfter = null;
    this.change(toDraft(spec.layers), spec.name);
    this.announcement = `Loaded “${spec.name}” from JSON: ${spec.layers.length} layers.`;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (!this.draft && this.lab.get('modelSpec')) {
      this.syncFromState();
      void this.updateThroughput();
    }
    // Reflects whether the draft can be built: 'error' while the editor holds an impossible model.
    if (this.draft) this.status = this.analysisOf(this.draft).valid ? 'ready' : 'error';
  }

  // ---- rendering ----

  static override styles = [LabCell.cellStyles, modelBuilderStyles, layerListStyles];

  private renderLayer(item: DraftLayer, info: LayerAnalysis, total: number) {
    const i = info.index;
    const drop = this.reorder.dropAt;
    const dropClass = drop?.key === item.key ? (drop.before ? ' drop-before' : ' drop-after') : '';
    const errorId = `layer-error-${item.key}`;
    return html`<li
      class="layer${info.error ? ' invalid' : ''}${dropClass}"
      style="--type-color: ${LAYER_COLORS[item.spec.type]}"
      data-key=${item.key}
      data-control="row"
      tabindex="0"
      aria-label=${`Layer ${i + 1} of ${total}: ${info.description}`}
      aria-describedby=${info.error ? errorId : 'reorder-hint'}
      @keydown=${(e: KeyboardEvent) => this.reorder.onKeydown(e, i)}
      @dragstart=${(e: DragEvent) => this.reorder.onDragStart(e, item.key)}
      @dragend=${this.reorder.onDragEnd}
      @dragover=${(e: DragEvent) => this.reorder.onDragOver(e, item.key)}
      @drop=${this.reorder.onDrop}
    >
      <layer-row .layer=${item.spec} .info=${info} .index=${i} .total=${total} .layerKey=${item.key}></layer-row>
      ${info.error ? html`<p class="layer-error" id=${errorId} data-testid="layer-error">⚠ ${info.error}</p>` : nothing}
    </li>`;
  }

  private renderAdd(analysis: ModelAnalysis) {
    const after = this.insertAt();
    return html`<div class="add" role="group" aria-label="Add a layer">
      <label for="add-type">New layer</label>
      <select id="add-type" .value=${this.addType} @change=${(e: Event) => (this.addType = (e.target as HTMLSelectElement).value as LayerType)}>
        ${LAYER_TYPES.map((t) => html`<option value=${t} ?selected=${t === this.addType}>${LAYER_NAMES[t]}</option>`)}
      </select>
      <label for="add-after">after</label>
      <select id="add-after" .value=${String(after)} @change=${(e: Event) => (this.addAfter = Number((e.target as HTMLSelectElement).value))}>
        <option value="-1" ?selected=${after === -1}>the input image (first)</option>
        ${analysis.layers.map((l) => html`<option value=${l.index} ?selected=${l.index === after}>${l.index + 1}. ${l.description}</option>`)}
      </select>
      <button class="primary" @click=${this.add}>Add layer</button>
    </div>`;
  }

  override render() {
    const draft = this.draft;
    const committed = this.lab.get('modelSpec');
    if (!draft || !committed) {
      return html`<h2 class="cell-title">Model builder</h2>
        <p class="placeholder">Waiting for the lab…</p>`;
    }
    const spec = draftSpec(draft, this.name);
    const analysis = this.analysisOf(draft);
    const activePreset = presetOf(spec);
    const estimate = analysis.valid ? epochEstimateFor(analysis.multiplyAdds, this.lab.get('backend')?.active, this.throughputKey, this.lab.get('trainSettings')) : null;
    const train = this.lab.get('trainSettings') ?? null;

    return html`<h2 class="cell-title">Model builder</h2>
      <div class="toolbar">
        <div class="presets" role="group" aria-labelledby="presets-label">
          <span id="presets-label">Preset:</span>
          ${PRESET_IDS.map(
            (id) => html`<button aria-pressed=${String(activePreset === id)} title=${PRESETS[id].summary} @click=${() => this.loadPreset(id)}>
              ${PRESETS[id].label}
            </button>`,
          )}
        </div>
        <div class="name">
          <label for="model-name">Name</label>
          <input id="model-name" maxlength="60" .value=${this.name} @input=${(e: Event) => this.change(draft, (e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <p class="summary" role="status" data-testid="model-summary">
        ${analysis.valid
          ? html`<strong>${draft.length}</strong> layers · <strong>${formatInteger(analysis.totalParams)}</strong> parameters ·
              <strong>${formatNumber(analysis.multiplyAdds / 1e6, 2)} M</strong> multiply-adds per image${estimate
                ? html` · ${formatDuration(estimate.estimate.seconds)} per epoch on ${estimate.label}`
                : nothing}`
          : html`This draft cannot be built; the lab keeps the last valid model (${committed.layers.length} layers,
              ${formatInteger(this.committedAnalysis(committed).totalParams)} parameters).`}
      </p>
      ${analysis.valid
        ? nothing
        : html`<div class="alert" role="alert">
            ${analysis.problems.length === 1 ? 'One problem' : `${analysis.problems.length} problems`}:
            ${analysis.problems.map((p) => html`<div>${p.message}</div>`)}
            <button @click=${this.revert}>Undo to the last valid model</button>
          </div>`}
      <div class="workspace">
        <section aria-labelledby="layers-title">
          <h3 id="layers-title">Layers</h3>
          <p class="kbd-hint" id="reorder-hint">Drag ⠿ to reorder, or press Alt+↑ / Alt+↓ on a layer.</p>
          <ol
            class="layers"
            aria-labelledby="layers-title"
            @layer-change=${(e: CustomEvent<LayerChangeDetail>) => this.change(updateLayer(draft, e.detail.index, e.detail.patch))}
            @layer-move=${(e: CustomEvent<LayerMoveDetail>) => this.reorder.moveFocused(e.detail.from, e.detail.to, e.detail.control)}
            @layer-remove=${(e: CustomEvent<LayerRemoveDetail>) => this.removeAt(e.detail.index)}
          >
            ${repeat(
              draft,
              (d) => d.key,
              (d, i) => this.renderLayer(d, analysis.layers[i], draft.length),
            )}
          </ol>
          ${this.renderAdd(analysis)}
        </section>
        <section class="diagram" aria-labelledby="diagram-title">
          <h3 id="diagram-title">Tensor shapes</h3>
          <model-diagram .analysis=${analysis}></model-diagram>
        </section>
      </div>
      <model-cost .analysis=${analysis} .estimate=${estimate}></model-cost>
      <model-export
        .spec=${analysis.valid ? spec : committed}
        ?draft-valid=${analysis.valid}
        .trainSettings=${train}
        @model-import=${(e: CustomEvent<ModelImportDetail>) => this.importSpec(e.detail)}
      ></model-export>
      <div class="visually-hidden" role="status" aria-live="polite" data-testid="announcer">${this.announcement}</div>`;
  }
}

customElements.define('model-builder', ModelBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'model-builder': ModelBuilder;
  }
}
