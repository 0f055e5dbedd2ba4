import { html, LitElement, type TemplateResult } from 'lit';
import { formatShape, LIMITS, type LayerAnalysis } from '../src/model/analyze';
import { ACTIVATIONS, LAYER_NAMES, type Activation, type LayerSpec, type LayerType } from '../src/model/spec';
import { layerRowStyles } from './layer-row.styles';
import { buttonStyles, visuallyHiddenStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** A layer's settings changed (`patch` holds only what changed). */
export interface LayerChangeDetail {
  index: number;
  patch: Partial<LayerSpec>;
}
/** The learner asked to move a layer; `control` names the control that should keep the focus after the move. */
export interface LayerMoveDetail {
  from: number;
  to: number;
  control: string;
}
export interface LayerRemoveDetail {
  index: number;
}

/** What a layer does, for the rows that have no settings. */
const LAYER_HINTS: Partial<Record<LayerType, string>> = {
  batchNorm: 'Rescales each channel to mean 0, spread 1; learns its own scale and shift.',
  flatten: 'Unrolls height × width × channels into one list of numbers for the dense layers.',
};

const PADDINGS = [
  { value: 'same', text: 'same (keep size)' },
  { value: 'valid', text: 'valid (shrink)' },
] as const;

function activationOptions(allowNone: boolean): { value: string; text: string }[] {
  const options = ACTIVATIONS.filter((a) => a !== 'linear').map((a) => ({ value: a as string, text: a }));
  return allowNone ? [{ value: 'linear', text: 'none (linear)' }, ...options] : [...options, { value: 'linear', text: 'linear' }];
}

/**
 * One layer of the model editor: its number, type and output shape, move and remove buttons, and its settings.
 * The list around it (model-builder) owns the order, the drag and drop, and the layer's error message.
 *
 * @fires layer-change - {LayerChangeDetail} a setting was edited
 * @fires layer-move - {LayerMoveDetail} the Up or Down button was pressed
 * @fires layer-remove - {LayerRemoveDetail} the Remove button was pressed
 */
export class LayerRow extends LitElement {
  static properties = {
    layer: { attribute: false },
    info: { attribute: false },
    index: { type: Number },
    total: { type: Number },
    layerKey: { type: Number, attribute: 'layer-key' },
  };

  declare layer: LayerSpec | null;
  declare info: LayerAnalysis | null;
  /** 0-based position in the list. */
  declare index: number;
  declare total: number;
  /** The layer's stable key: controls' ids come from it, so a label stays tied to its input when layers move. */
  declare layerKey: number;

  static styles = [tokens, buttonStyles, visuallyHiddenStyles, layerRowStyles];

  constructor() {
    super();
    this.layer = null;
    this.info = null;
    this.index = 0;
    this.total = 1;
    this.layerKey = 0;
  }

  /** Focuses the control named `control` (its data-control); false when it is missing or disabled. */
  async focusControl(control: string): Promise<boolean> {
    await this.updateComplete;
    const target = this.renderRoot.querySelector<HTMLElement>(`[data-control="${control}"]`);
    if (!target || (target as HTMLButtonElement).disabled) return false;
    target.focus();
    return true;
  }

  private emit<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  private set(patch: Partial<LayerSpec>): void {
    this.emit<LayerChangeDetail>('layer-change', { index: this.index, patch });
  }

  private move(to: number, control: string): void {
    this.emit<LayerMoveDetail>('layer-move', { from: this.index, to, control });
  }

  private field(label: string, control: string, input: (id: string) => TemplateResult): TemplateResult {
    const id = `f-${this.layerKey}-${control}`;
    return html`<span class="field"
      ><label for=${id}>${label}<span class="visually-hidden"> (layer ${this.index + 1})</span></label>${input(id)}</span
    >`;
  }

  private number(label: string, control: string, value: number, onValue: (v: number) => void, limits: { min: number; max: number; step?: number }) {
    // `value` as an attribute: the browser keeps what the user types (even "0." mid-edit); new layers get new rows.
    return this.field(
      label,
      control,
      (id) => html`<input
        id=${id}
        type="number"
        data-control=${control}
        min=${limits.min}
        max=${limits.max}
        step=${limits.step ?? 1}
        value=${Number.isNaN(value) ? '' : String(value)}
        @input=${(e: Event) => onValue((e.target as HTMLInputElement).valueAsNumber)}
      />`,
    );
  }

  private select<T extends string>(label: string, control: string, value: T, options: readonly { value: T; text: string }[], onValue: (v: T) => void) {
    return this.field(
      label,
      control,
      (id) => html`<select id=${id} data-control=${control} .value=${value} @change=${(e: Event) => onValue((e.target as HTMLSelectElement).value as T)}>
        ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.text}</option>`)}
      </select>`,
    );
  }

  private renderFields(layer: LayerSpec) {
    const win = { min: 1, max: LIMITS.window };
    const padding = (value: 'valid' | 'same') => this.select('Padding', 'padding', value, PADDINGS, (v) => this.set({ padding: v }));
    const activation = (value: Activation | undefined, allowNone: boolean) =>
      this.select('Activation', 'activation', value ?? 'linear', activationOptions(allowNone), (v) => this.set({ activation: v as Activation }));
    switch (layer.type) {
      case 'conv2d':
        return html`<div class="fields">
          ${this.number('Filters', 'filters', layer.filters, (v) => this.set({ filters: v }), { min: 1, max: LIMITS.filters })}
          ${this.number('Kernel', 'kernelSize', layer.kernelSize, (v) => this.set({ kernelSize: v }), win)}
          ${this.number('Stride', 'strides', layer.strides, (v) => this.set({ strides: v }), win)} ${padding(layer.padding)}
          ${activation(layer.activation, true)}
        </div>`;
      case 'activation':
        return html`<div class="fields">${activation(layer.activation, false)}</div>`;
      case 'maxPool2d':
      case 'avgPool2d':
        return html`<div class="fields">
          ${this.number('Pool size', 'poolSize', layer.poolSize, (v) => this.set({ poolSize: v }), win)}
          ${this.number('Stride', 'strides', layer.strides ?? layer.poolSize, (v) => this.set({ strides: v }), win)}
          ${padding(layer.padding ?? 'valid')}
        </div>`;
      case 'dropout':
        return html`<div class="fields">
          ${this.number('Rate', 'rate', layer.rate, (v) => this.set({ rate: v }), { min: 0, max: 0.95, step: 0.05 })}
        </div>`;
      case 'dense':
        return html`<div class="fields">
          ${this.number('Units', 'units', layer.units, (v) => this.set({ units: v }), { min: 1, max: LIMITS.units })}
          ${activation(layer.activation, true)}
        </div>`;
      default:
        return html`<p class="hint">${LAYER_HINTS[layer.type]}</p>`;
    }
  }

  render() {
    const layer = this.layer;
    if (!layer) return html``;
    const i = this.index;
    const name = LAYER_NAMES[layer.type];
    const shape = this.info?.outputShape;
    return html`<div class="head">
        <span class="handle" draggable="true" title="Drag to move this layer (or Alt+↑ / Alt+↓)" aria-hidden="true">⠿</span>
        <span class="num">${i + 1}</span>
        <span class="type">${name}</span>
        <span class="out" data-testid="layer-output">→ ${shape ? formatShape(shape) : '?'}</span>
        <span class="actions">
          <button data-control="up" ?disabled=${i === 0} aria-label=${`Move layer ${i + 1} (${name}) up`} title="Move up (Alt+↑)" @click=${() => this.move(i - 1, 'up')}>
            ↑ Up
          </button>
          <button
            data-control="down"
            ?disabled=${i === this.total - 1}
            aria-label=${`Move layer ${i + 1} (${name}) down`}
            title="Move down (Alt+↓)"
            @click=${() => this.move(i + 1, 'down')}
          >
            ↓ Down
          </button>
          <button data-control="remove" aria-label=${`Remove layer ${i + 1} (${name})`} @click=${() => this.emit<LayerRemoveDetail>('layer-remove', { index: i })}>
            Remove
          </button>
        </span>
      </div>
      ${this.renderFields(layer)}`;
  }
}

customElements.define('layer-row', LayerRow);

declare global {
  interface HTMLElementTagNameMap {
    'layer-row': LayerRow;
  }
  interface HTMLElementEventMap {
    'layer-change': CustomEvent<LayerChangeDetail>;
    'layer-move': CustomEvent<LayerMoveDetail>;
    'layer-remove': CustomEvent<LayerRemoveDetail>;
  }
}
