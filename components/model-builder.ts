import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { BACKEND_LABELS } from '../src/backend/backend';
import { analyzeSpec, formatShape, LIMITS, type LayerAnalysis, type ModelAnalysis } from '../src/model/analyze';
import { formatDuration, formatInteger, formatNumber } from '../src/format';
import { estimateEpoch, type ThroughputKey } from '../src/model/estimate';
import { specToJson, specToKeras } from '../src/model/export';
import { parseModelSpec } from '../src/model/parse';
import {
  ACTIVATIONS,
  defaultLayer,
  LAYER_NAMES,
  LAYER_TYPES,
  MODEL_SPEC_VERSION,
  PRESETS,
  type Activation,
  type LayerSpec,
  type LayerType,
  type ModelSpec,
  type PresetId,
} from '../src/model/spec';
import { LabCell } from './lab-cell';
import { LabStateController } from './lab-context';
import { LAYER_COLORS } from './model-diagram';
import { throughputKeyFor } from './model-hardware';
import './model-diagram';

interface DraftLayer {
  /** Stable identity, so a row's DOM (and focus) follows the layer when it moves. */
  key: number;
  spec: LayerSpec;
}

type ExportFormat = 'keras' | 'json';

const PRESET_IDS = Object.keys(PRESETS) as PresetId[];
const PRESET_NAMES = new Set(PRESET_IDS.map((id) => PRESETS[id].spec.name));

/** What a layer does, for the rows that have no settings. */
const LAYER_HINTS: Partial<Record<LayerType, string>> = {
  batchNorm: 'Rescales each channel to mean 0, spread 1; learns its own scale and shift.',
  flatten: 'Unrolls height × width × channels into one list of numbers for the dense layers.',
};

let nextKey = 1;
const toDraft = (layers: LayerSpec[]): DraftLayer[] => layers.map((spec) => ({ key: nextKey++, spec: { ...spec } }));
const sameLayers = (a: ModelSpec, b: ModelSpec) => JSON.stringify(a.layers) === JSON.stringify(b.layers);

/**
 * The model cell: edit the CNN layer by layer, see each tensor's shape, the parameters and the cost, and export it.
 * The lab state's `modelSpec` always holds the last valid model; an impossible draft stays in the editor, with the
 * message on the offending layer, until it is fixed.
 */
export class ModelBuilder extends LabCell {
  static override properties = {
    ...LabCell.properties,
    draft: { state: true },
    name: { state: true },
    announcement: { state: true },
    exportFormat: { state: true },
    exportNote: { state: true },
    importError: { state: true },
    addType: { state: true },
    addAfter: { state: true },
    dropAt: { state: true },
    throughputKey: { state: true },
  };

  declare draft: DraftLayer[] | null;
  declare name: string;
  declare announcement: string;
  declare exportFormat: ExportFormat;
  declare exportNote: string;
  declare importError: string;
  declare addType: LayerType;
  /** Index to insert after (-1: at the start); null: just before the first Flatten. */
  declare addAfter: number | null;
  declare dropAt: { key: number; before: boolean } | null;
  declare throughputKey: ThroughputKey | null;

  private readonly lab = new LabStateController(this, ['modelSpec', 'backend', 'trainSettings'], (key) => {
    if (key === 'modelSpec') this.syncFromState();
    if (key === 'backend') void this.updateThroughput();
  });
  /** The spec this cell last put into the lab state, to tell its own changes from others'. */
  private lastCommitted = '';
  private dragKey: number | null = null;
  private pendingFocus: { key: number; control: string } | null = null;

  constructor() {
    super();
    this.draft = null;
    this.name = '';
    this.announcement = '';
    this.exportFormat = 'keras';
    this.exportNote = '';
    this.importError = '';
    this.addType = 'conv2d';
    this.addAfter = null;
    this.dropAt = null;
    this.throughputKey = null;
  }

  // ---- state ----

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

  private draftSpec(): ModelSpec {
    return { version: MODEL_SPEC_VERSION, name: this.name.trim() || 'custom', layers: (this.draft ?? []).map((d) => d.spec) };
  }

  /** Takes a new draft; if it can be built, it becomes the lab's model spec. */
  private change(draft: DraftLayer[], name = this.name): void {
    const edited = draft !== this.draft;
    this.draft = draft;
    // A preset that has been edited is no longer that preset.
    this.name = edited && PRESET_NAMES.has(name) ? 'custom' : name;
    const spec = this.draftSpec();
    if (analyzeSpec(spec).valid) {
      this.lastCommitted = JSON.stringify(spec);
      this.lab.state?.set('modelSpec', spec);
    }
  }

  private loadPreset(id: PresetId): void {
    const spec = PRESETS[id].spec;
    this.draft = toDraft(spec.layers);
    this.name = spec.name;
    this.addAfter = null;
    this.lastCommitted = JSON.stringify(spec);
    this.lab.state?.set('modelSpec', spec);
    this.announcement = `Loaded the ${PRESETS[id].label} preset: ${spec.layers.length} layers.`;
  }

  private revert(): void {
    const spec = this.lab.get('modelSpec');
    if (!spec) return;
    this.draft = toDraft(spec.layers);
    this.name = spec.name;
    this.announcement = 'Back to the last valid model.';
  }

  private updateLayer(index: number, patch: Partial<LayerSpec>): void {
    const draft = [...(this.draft ?? [])];
    draft[index] = { ...draft[index], spec: { ...draft[index].spec, ...patch } as LayerSpec };
    this.change(draft);
  }

  private move(from: number, to: number, control: string): void {
    const draft = [...(this.draft ?? [])];
    if (to < 0 || to >= draft.length || from === to) return;
    const [item] = draft.splice(from, 1);
    draft.splice(to, 0, item);
    this.pendingFocus = { key: item.key, control };
    this.announcement = `Moved ${LAYER_NAMES[item.spec.type]} from position ${from + 1} to ${to + 1} of ${draft.length}.`;
    this.change(draft);
  }

  private removeLayer(index: number): void {
    const draft = [...(this.draft ?? [])];
    const [removed] = draft.splice(index, 1);
    const neighbour = draft[Math.min(index, draft.length - 1)];
    if (neighbour) this.pendingFocus = { key: neighbour.key, control: 'row' };
    this.addAfter = null;
    this.announcement = `Removed layer ${index + 1}, ${LAYER_NAMES[removed.spec.type]}. ${draft.length} layers left.`;
    this.change(draft);
  }

  private defaultInsertAfter(): number {
    const draft = this.draft ?? [];
    const flatten = draft.findIndex((d) => d.spec.type === 'flatten');
    return flatten >= 0 ? flatten - 1 : draft.length - 1;
  }

  private add(): void {
    const draft = [...(this.draft ?? [])];
    const after = Math.min(this.addAfter ?? this.defaultInsertAfter(), draft.length - 1);
    const item = { key: nextKey++, spec: defaultLayer(this.addType) };
    draft.splice(after + 1, 0, item);
    this.pendingFocus = { key: item.key, control: 'row' };
    this.addAfter = null;
    this.announcement = `Added ${LAYER_NAMES[this.addType]} as layer ${after + 2} of ${draft.length}.`;
    this.change(draft);
  }

  // ---- events ----

  private onRowKeydown(event: KeyboardEvent, index: number): void {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const control = (event.target as HTMLElement).dataset.control ?? 'row';
    this.move(index, index + (event.key === 'ArrowUp' ? -1 : 1), control);
  }

  private onDragStart(event: DragEvent, key: number): void {
    this.dragKey = key;
    const row = (event.target as HTMLElement).closest('li');
    if (event.dataTransfer) {
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', String(key));
      if (row) event.dataTransfer.setDragImage(row, 16, 16);
    }
  }

  private onDragOver(event: DragEvent, key: number): void {
    if (this.dragKey === null) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const before = event.clientY < rect.top + rect.height / 2;
    if (this.dropAt?.key !== key || this.dropAt.before !== before) this.dropAt = { key, before };
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    const draft = this.draft ?? [];
    const from = draft.findIndex((d) => d.key === this.dragKey);
    const target = this.dropAt;
    this.onDragEnd();
    if (from < 0 || !target) return;
    let to = draft.findIndex((d) => d.key === target.key) + (target.before ? 0 : 1);
    if (to > from) to -= 1;
    this.move(from, to, 'row');
  }

  private onDragEnd(): void {
    this.dragKey = null;
    this.dropAt = null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (!this.draft && this.lab.get('modelSpec')) {
      this.syncFromState();
      void this.updateThroughput();
    }
    // Reflects whether the draft can be built: 'error' while the editor holds an impossible model.
    if (this.draft) this.status = analyzeSpec(this.draftSpec()).valid ? 'ready' : 'error';
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const focus = this.pendingFocus;
    if (!focus) return;
    this.pendingFocus = null;
    const row = this.renderRoot.querySelector<HTMLElement>(`li[data-key="${focus.key}"]`);
    const control = row?.querySelector<HTMLElement>(`[data-control="${focus.control}"]`);
    const target = control && !(control as HTMLButtonElement).disabled ? control : row;
    target?.focus();
  }

  /** Loads a spec from JSON text; an impossible one goes into the editor with its messages, like any draft. */
  private importJson(text: string, source: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      this.importError = `${source} is not valid JSON (${error instanceof Error ? error.message : String(error)}). Nothing was changed.`;
      return;
    }
    const spec = parseModelSpec(raw);
    if (!spec) {
      this.importError = `${source} is not a Digit Lab model: it needs "version": ${MODEL_SPEC_VERSION} and a "layers" list of known layers with their settings. Nothing was changed.`;
      return;
    }
    this.importError = '';
    this.addAfter = null;
    this.change(toDraft(spec.layers), spec.name);
    this.announcement = `Loaded “${spec.name}” from JSON: ${spec.layers.length} layers.`;
  }

  private async importFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      this.importJson(await file.text(), file.name);
    } catch {
      this.importError = `Could not read ${file.name}. Nothing was changed.`;
    }
    input.value = '';
  }

  // ---- export ----

  private exportText(spec: ModelSpec): string {
    const train = this.lab.get('trainSettings');
    return this.exportFormat === 'keras'
      ? specToKeras(spec, train ? { optimizer: train.optimizer, learningRate: train.learningRate } : undefined)
      : specToJson(spec);
  }

  private async copy(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.exportNote = `Copied the ${what} to the clipboard.`;
    } catch {
      const code = this.renderRoot.querySelector('pre');
      if (code) getSelection()?.selectAllChildren(code);
      this.exportNote = `The browser did not allow copying; the ${what} is selected, press Ctrl+C (⌘C on a Mac).`;
    }
  }

  private download(spec: ModelSpec): void {
    const text = this.exportText(spec);
    const base = spec.name.replace(/[^\w-]+/g, '_') || 'model';
    const file = this.exportFormat === 'keras' ? `${base}.py` : `${base}.json`;
    const url = URL.createObjectURL(new Blob([text], { type: this.exportFormat === 'keras' ? 'text/x-python' : 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    this.exportNote = `Downloaded ${file}.`;
  }

  // ---- rendering ----

  static override styles = [
    LabCell.cellStyles,
    css`
      :host {
        container-type: inline-size;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        margin-bottom: 0.75rem;
      }
      .presets {
        display: flex;
        gap: 0.4rem;
        align-items: center;
      }
      .presets button[aria-pressed='true'] {
        background: #ddf4ff;
        border-color: #0969da;
        color: #0550ae;
        font-weight: 600;
      }
      .name label {
        margin-right: 0.3rem;
      }
      .summary {
        margin: 0.25rem 0 0.75rem;
        font-size: 0.95rem;
      }
      .summary strong {
        font-variant-numeric: tabular-nums;
      }
      .workspace {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 21rem;
        gap: 1.25rem;
        align-items: start;
      }
      /* Side by side only when the cell itself is wide enough, whatever the window. */
      @container (max-width: 54rem) {
        .workspace {
          grid-template-columns: 1fr;
        }
        .diagram {
          position: static;
        }
      }
      .diagram {
        position: sticky;
        top: 4.5rem;
        border: 1px solid var(--lab-border, #d8dee4);
        border-radius: 8px;
        padding: 0.5rem 0.75rem;
        background: #fcfdfe;
      }
      h3 {
        font-size: 1rem;
        margin: 0 0 0.5rem;
      }
      ol.layers {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li.layer {
        position: relative;
        border: 1px solid var(--lab-border, #d8dee4);
        border-left: 5px solid var(--type-color);
        border-radius: 6px;
        padding: 0.35rem 0.6rem 0.45rem;
        margin-bottom: 0.35rem;
        background: #fff;
      }
      li.layer:focus-visible,
      li.layer:focus-within {
        outline: 2px solid #0969da33;
      }
      li.layer.invalid {
        border-color: #cf222e;
        border-left-color: #cf222e;
        background: #fff8f8;
      }
      li.drop-before {
        box-shadow: 0 -3px 0 #0969da;
      }
      li.drop-after {
        box-shadow: 0 3px 0 #0969da;
      }
      .head {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .handle {
        cursor: grab;
        color: #8c959f;
        user-select: none;
        font-size: 1.1rem;
        line-height: 1;
        padding: 0 0.1rem;
      }
      .num {
        color: var(--lab-muted, #57606a);
        font-variant-numeric: tabular-nums;
        min-width: 1.4rem;
      }
      .type {
        font-weight: 600;
      }
      .out {
        color: var(--lab-muted, #57606a);
        font-size: 0.85rem;
        font-variant-numeric: tabular-nums;
        margin-right: auto;
      }
      .head button {
        padding: 0.1rem 0.45rem;
        font-size: 0.8rem;
      }
      .fields {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem 0.9rem;
        margin: 0.3rem 0 0 1.9rem;
        font-size: 0.88rem;
      }
      .fields .field {
        display: inline-flex;
        align-items: center;
        gap: 0.3rem;
      }
      .fields input {
        width: 4.2rem;
        font: inherit;
      }
      .fields select {
        font: inherit;
      }
      .hint {
        margin: 0.2rem 0 0 1.9rem;
        font-size: 0.85rem;
        color: var(--lab-muted, #57606a);
      }
      .layer-error {
        margin: 0.35rem 0 0 1.9rem;
        color: #82071e;
        font-size: 0.88rem;
        font-weight: 500;
      }
      .add {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem 0.6rem;
        margin-top: 0.6rem;
        padding: 0.6rem;
        border: 1px dashed #8c959f;
        border-radius: 6px;
      }
      .add select {
        font: inherit;
        max-width: 16rem;
      }
      .kbd-hint {
        font-size: 0.85rem;
        color: var(--lab-muted, #57606a);
        margin: 0 0 0.4rem;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.9rem;
        margin-top: 0.5rem;
      }
      caption {
        text-align: left;
        font-weight: 600;
        padding-bottom: 0.4rem;
      }
      th,
      td {
        padding: 0.25rem 0.5rem;
        border-bottom: 1px solid #eaeef2;
        text-align: left;
      }
      td.n,
      th.n {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      tfoot td,
      tfoot th {
        font-weight: 700;
        border-top: 2px solid #d0d7de;
      }
      tr.invalid td {
        color: #82071e;
      }
      .estimate {
        margin: 0.6rem 0 0;
        font-size: 0.92rem;
      }
      .estimate small {
        display: block;
        color: var(--lab-muted, #57606a);
      }
      .export {
        margin-top: 1.25rem;
      }
      .export .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
      }
      .export button[aria-pressed='true'] {
        background: #ddf4ff;
        border-color: #0969da;
      }
      pre {
        max-height: 22rem;
        overflow: auto;
        background: #f6f8fa;
        border: 1px solid #d0d7de;
        border-radius: 6px;
        padding: 0.6rem 0.8rem;
        font-size: 0.8rem;
        line-height: 1.45;
      }
      .import {
        margin-top: 0.5rem;
      }
      .import summary {
        cursor: pointer;
        font-weight: 600;
      }
      .import-body {
        display: grid;
        gap: 0.4rem;
        margin-top: 0.5rem;
      }
      .import textarea {
        font: 0.8rem ui-monospace, monospace;
        width: 100%;
        box-sizing: border-box;
      }
      .import-error {
        margin-left: 0;
      }
      .note {
        font-size: 0.88rem;
        color: #1a7f37;
      }
    `,
  ];

  /** Rows' controls get ids from the layer's stable key, so a label stays tied to its input when layers move. */
  private renderNumber(
    at: { index: number; key: number },
    label: string,
    control: string,
    value: number,
    onValue: (v: number) => void,
    limits: { min: number; max: number; step?: number },
  ): TemplateResult {
    const id = `f-${at.key}-${control}`;
    // `value` as an attribute: the browser keeps what the user types (even "0." mid-edit); new layers get new rows.
    return html`<span class="field"
      ><label for=${id}>${label}<span class="visually-hidden"> (layer ${at.index + 1})</span></label>
      <input
        id=${id}
        type="number"
        data-control=${control}
        min=${limits.min}
        max=${limits.max}
        step=${limits.step ?? 1}
        value=${Number.isNaN(value) ? '' : String(value)}
        @input=${(e: Event) => onValue((e.target as HTMLInputElement).valueAsNumber)}
    /></span>`;
  }

  private renderSelect<T extends string>(
    at: { index: number; key: number },
    label: string,
    control: string,
    value: T,
    options: readonly { value: T; text: string }[],
    onValue: (v: T) => void,
  ): TemplateResult {
    const id = `f-${at.key}-${control}`;
    return html`<span class="field"
      ><label for=${id}>${label}<span class="visually-hidden"> (layer ${at.index + 1})</span></label>
      <select id=${id} data-control=${control} .value=${value} @change=${(e: Event) => onValue((e.target as HTMLSelectElement).value as T)}>
        ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.text}</option>`)}
      </select></span
    >`;
  }

  private activationOptions(allowNone: boolean) {
    const options = ACTIVATIONS.filter((a) => a !== 'linear').map((a) => ({ value: a as string, text: a }));
    return allowNone ? [{ value: 'linear', text: 'none (linear)' }, ...options] : [...options, { value: 'linear', text: 'linear' }];
  }

  private renderFields(item: DraftLayer, i: number) {
    const layer = item.spec;
    const at = { index: i, key: item.key };
    const set = (patch: Partial<LayerSpec>) => this.updateLayer(i, patch);
    const win = { min: 1, max: LIMITS.window };
    const padding = (value: 'valid' | 'same') =>
      this.renderSelect(at, 'Padding', 'padding', value, [
        { value: 'same', text: 'same (keep size)' },
        { value: 'valid', text: 'valid (shrink)' },
      ], (v) => set({ padding: v }));
    const activation = (value: Activation | undefined, allowNone: boolean) =>
      this.renderSelect(at, 'Activation', 'activation', value ?? 'linear', this.activationOptions(allowNone), (v) =>
        set({ activation: v as Activation }),
      );
    switch (layer.type) {
      case 'conv2d':
        return html`<div class="fields">
          ${this.renderNumber(at, 'Filters', 'filters', layer.filters, (v) => set({ filters: v }), { min: 1, max: LIMITS.filters })}
          ${this.renderNumber(at, 'Kernel', 'kernelSize', layer.kernelSize, (v) => set({ kernelSize: v }), win)}
          ${this.renderNumber(at, 'Stride', 'strides', layer.strides, (v) => set({ strides: v }), win)} ${padding(layer.padding)}
          ${activation(layer.activation, true)}
        </div>`;
      case 'activation':
        return html`<div class="fields">${activation(layer.activation, false)}</div>`;
      case 'maxPool2d':
      case 'avgPool2d':
        return html`<div class="fields">
          ${this.renderNumber(at, 'Pool size', 'poolSize', layer.poolSize, (v) => set({ poolSize: v }), win)}
          ${this.renderNumber(at, 'Stride', 'strides', layer.strides ?? layer.poolSize, (v) => set({ strides: v }), win)}
          ${padding(layer.padding ?? 'valid')}
        </div>`;
      case 'dropout':
        return html`<div class="fields">
          ${this.renderNumber(at, 'Rate', 'rate', layer.rate, (v) => set({ rate: v }), { min: 0, max: 0.95, step: 0.05 })}
        </div>`;
      case 'dense':
        return html`<div class="fields">
          ${this.renderNumber(at, 'Units', 'units', layer.units, (v) => set({ units: v }), { min: 1, max: LIMITS.units })}
          ${activation(layer.activation, true)}
        </div>`;
      default:
        return html`<p class="hint">${LAYER_HINTS[layer.type]}</p>`;
    }
  }

  private renderLayer(item: DraftLayer, info: LayerAnalysis, total: number) {
    const i = info.index;
    const name = LAYER_NAMES[item.spec.type];
    const dropClass = this.dropAt?.key === item.key ? (this.dropAt.before ? ' drop-before' : ' drop-after') : '';
    const errorId = `layer-error-${item.key}`;
    return html`<li
      class="layer${info.error ? ' invalid' : ''}${dropClass}"
      style="--type-color: ${LAYER_COLORS[item.spec.type]}"
      data-key=${item.key}
      data-control="row"
      tabindex="0"
      aria-label=${`Layer ${i + 1} of ${total}: ${info.description}`}
      aria-describedby=${info.error ? errorId : 'reorder-hint'}
      @keydown=${(e: KeyboardEvent) => this.onRowKeydown(e, i)}
      @dragover=${(e: DragEvent) => this.onDragOver(e, item.key)}
      @drop=${this.onDrop}
    >
      <div class="head">
        <span
          class="handle"
          draggable="true"
          title="Drag to move this layer (or Alt+↑ / Alt+↓)"
          aria-hidden="true"
          @dragstart=${(e: DragEvent) => this.onDragStart(e, item.key)}
          @dragend=${this.onDragEnd}
          >⠿</span
        >
        <span class="num">${i + 1}</span>
        <span class="type">${name}</span>
        <span class="out" data-testid="layer-output">→ ${info.outputShape ? formatShape(info.outputShape) : '?'}</span>
        <button data-control="up" ?disabled=${i === 0} aria-label=${`Move layer ${i + 1} (${name}) up`} title="Move up (Alt+↑)" @click=${() => this.move(i, i - 1, 'up')}>
          ↑ Up
        </button>
        <button
          data-control="down"
          ?disabled=${i === total - 1}
          aria-label=${`Move layer ${i + 1} (${name}) down`}
          title="Move down (Alt+↓)"
          @click=${() => this.move(i, i + 1, 'down')}
        >
          ↓ Down
        </button>
        <button data-control="remove" aria-label=${`Remove layer ${i + 1} (${name})`} @click=${() => this.removeLayer(i)}>Remove</button>
      </div>
      ${this.renderFields(item, i)}
      ${info.error ? html`<p class="layer-error" id=${errorId} data-testid="layer-error">⚠ ${info.error}</p>` : nothing}
    </li>`;
  }

  private renderAdd(draft: DraftLayer[], analysis: ModelAnalysis) {
    const after = Math.min(this.addAfter ?? this.defaultInsertAfter(), draft.length - 1);
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
          <th scope="row" colspan="3">Total${analysis.totalParams !== analysis.trainableParams
              ? html` <small>(${formatInteger(analysis.trainableParams)} trained by the optimizer; batch norm's moving averages are not)</small>`
              : nothing}</th>
          <td class="n" data-testid="param-total">${formatInteger(analysis.totalParams)}</td>
          <td class="n" data-testid="madd-total">${formatInteger(analysis.multiplyAdds)}</td>
        </tr>
      </tfoot>
    </table>`;
  }

  private epochEstimate(analysis: ModelAnalysis) {
    const backend = this.lab.get('backend');
    const train = this.lab.get('trainSettings');
    const key = this.throughputKey;
    if (!backend?.active || !key || !train) return null;
    const images = Math.round(train.trainSize * (1 - train.validationSplit));
    const estimate = estimateEpoch(analysis.multiplyAdds, key, images, train.batchSize);
    const label = `${BACKEND_LABELS[backend.active]}${key.endsWith('software') ? ' (software, no GPU)' : ''}`;
    return { estimate, label, images, batchSize: train.batchSize };
  }

  private renderEstimate(analysis: ModelAnalysis) {
    const e = this.epochEstimate(analysis);
    if (!e) return html`<p class="estimate">Time per epoch: waiting for the backend to start…</p>`;
    const { estimate, label } = e;
    const a = estimate.assumption;
    return html`<p class="estimate" data-testid="epoch-estimate">
      Estimated time per epoch on <strong>${label}</strong>: <strong>${formatDuration(estimate.seconds)}</strong>
      <small
        >${formatInteger(e.images)} images × ${formatNumber(estimate.trainingFlopPerImage / 1e6, 1)} MFLOP each to train (3 passes × 2 FLOP per
        multiply-add) at ${a.gflops} GFLOP/s (${a.source}), plus ${a.batchOverheadMs} ms per batch of ${e.batchSize}. A rough guide:
        real speed depends on your device.</small
      >
    </p>`;
  }

  private renderExport(spec: ModelSpec, draftValid: boolean) {
    const text = this.exportText(spec);
    const what = this.exportFormat === 'keras' ? 'Keras code' : 'JSON';
    return html`<section class="export" aria-labelledby="export-title">
      <h3 id="export-title">Export${draftValid ? '' : ' (the last valid model)'}</h3>
      <div class="buttons">
        <button aria-pressed=${String(this.exportFormat === 'keras')} @click=${() => ((this.exportFormat = 'keras'), (this.exportNote = ''))}>
          Keras (Python)
        </button>
        <button aria-pressed=${String(this.exportFormat === 'json')} @click=${() => ((this.exportFormat = 'json'), (this.exportNote = ''))}>JSON</button>
        <button @click=${() => this.copy(text, what)}>Copy ${what}</button>
        <button @click=${() => this.download(spec)}>Download ${what}</button>
        <button @click=${() => this.copy(location.href, 'link to this model')}>Copy link</button>
        <span class="note" role="status">${this.exportNote}</span>
      </div>
      <pre data-testid="export-code" aria-label=${what}><code>${text}</code></pre>
      <details class="import">
        <summary>Load a model from JSON</summary>
        <div class="import-body">
          <label for="import-json">Paste a model's JSON</label>
          <textarea id="import-json" rows="5" spellcheck="false" placeholder='{"version": 1, "name": "…", "layers": […]}'></textarea>
          <div class="buttons">
            <button
              @click=${() => this.importJson(this.renderRoot.querySelector<HTMLTextAreaElement>('#import-json')?.value ?? '', 'The pasted text')}
            >
              Load pasted JSON
            </button>
            <label for="import-file">or open a .json file</label>
            <input id="import-file" type="file" accept=".json,application/json" @change=${this.importFile} />
          </div>
          ${this.importError ? html`<p class="layer-error import-error" role="alert">${this.importError}</p>` : nothing}
        </div>
      </details>
    </section>`;
  }

  override render() {
    const draft = this.draft;
    const committed = this.lab.get('modelSpec');
    if (!draft || !committed) {
      return html`<h2 class="cell-title">Model builder</h2>
        <p class="placeholder">Waiting for the lab…</p>`;
    }
    const spec = this.draftSpec();
    const analysis = analyzeSpec(spec);
    const committedAnalysis = analysis.valid ? analysis : analyzeSpec(committed);
    const activePreset = PRESET_IDS.find((id) => sameLayers(PRESETS[id].spec, spec));
    const estimate = analysis.valid ? this.epochEstimate(analysis) : null;

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
          <input
            id="model-name"
            maxlength="60"
            .value=${this.name}
            @input=${(e: Event) => this.change(this.draft ?? [], (e.target as HTMLInputElement).value)}
          />
        </div>
      </div>
      <p class="summary" role="status" data-testid="model-summary">
        ${analysis.valid
          ? html`<strong>${draft.length}</strong> layers · <strong>${formatInteger(analysis.totalParams)}</strong> parameters ·
              <strong>${formatNumber(analysis.multiplyAdds / 1e6, 2)} M</strong> multiply-adds per image${estimate
                ? html` · ${formatDuration(estimate.estimate.seconds)} per epoch on ${estimate.label}`
                : nothing}`
          : html`This draft cannot be built; the lab keeps the last valid model (${committed.layers.length} layers,
              ${formatInteger(committedAnalysis.totalParams)} parameters).`}
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
          <ol class="layers" aria-labelledby="layers-title">
            ${repeat(
              draft,
              (d) => d.key,
              (d, i) => this.renderLayer(d, analysis.layers[i], draft.length),
            )}
          </ol>
          ${this.renderAdd(draft, analysis)}
        </section>
        <section class="diagram" aria-labelledby="diagram-title">
          <h3 id="diagram-title">Tensor shapes</h3>
          <model-diagram .analysis=${analysis}></model-diagram>
        </section>
      </div>
      ${this.renderTable(analysis)} ${analysis.valid ? this.renderEstimate(analysis) : nothing}
      ${this.renderExport(analysis.valid ? spec : committed, analysis.valid)}
      <div class="visually-hidden" role="status" aria-live="polite" data-testid="announcer">${this.announcement}</div>`;
  }
}

customElements.define('model-builder', ModelBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'model-builder': ModelBuilder;
  }
}
