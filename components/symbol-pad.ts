import { html, LitElement, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { EmptyDrawingError, preprocess } from '../src/draw/preprocess';
import { PadInputController } from './draw-pad-input';
import { drawPadStyles } from './draw-pad.styles';
import { readPicture } from './draw-picture';
import { errorText } from './lab-cell';
import { symbolPadStyles } from './symbol-pad.styles';
import { buttonStyles, fieldStyles, noteStyles, visuallyHiddenStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/** Pad size in canvas pixels, as the draw cell's: ten times MNIST. */
const PAD = 280;
const GRID = 14;

/** Detail of `symbol-pad-change`: the drawing prepared as MNIST (28×28 in [0, 1]), or null when the pad is empty. */
export interface SymbolPadChangeDetail {
  pixels: Float32Array | null;
}

/** Detail of `symbol-pad-add`: the drawing to add to the chosen class. */
export interface SymbolPadAddDetail {
  pixels: Float32Array;
}

/**
 * The pad for a symbol's examples: the draw cell's input (mouse, touch, pen, keyboard; PadInputController) and its
 * MNIST preparation, with Undo, Clear, a picture file, and "Add to “name”" for the chosen class.
 *
 * @fires symbol-pad-change - {@link SymbolPadChangeDetail} when a stroke (or undo, clear, picture) is complete.
 * @fires symbol-pad-add - {@link SymbolPadAddDetail} on "Add to …"; the pad is cleared after.
 */
export class SymbolPad extends LitElement {
  static override properties = {
    target: { attribute: false },
    brush: { state: true },
    message: { state: true },
    problem: { state: true },
  };

  /** The class a drawing is added to, or null (no class yet: the Add button is off). */
  declare target: string | null;
  declare brush: number;
  declare message: string | null;
  declare problem: string | null;

  private readonly input = new PadInputController(this, { size: PAD, grid: GRID, brush: () => this.brush, onInput: (final) => final && this.changed() });

  static override styles = [tokens, buttonStyles, fieldStyles, noteStyles, visuallyHiddenStyles, drawPadStyles, symbolPadStyles];

  constructor() {
    super();
    this.target = null;
    this.brush = 22;
    this.message = null;
    this.problem = null;
  }

  /** The drawing prepared as MNIST, or null when there is no ink. */
  private pixels(): Float32Array | null {
    try {
      return preprocess(this.input.readInk()).centred.data;
    } catch (error) {
      if (error instanceof EmptyDrawingError) return null;
      throw error;
    }
  }

  private changed(): void {
    this.problem = null;
    this.dispatchEvent(new CustomEvent<SymbolPadChangeDetail>('symbol-pad-change', { detail: { pixels: this.pixels() }, bubbles: true, composed: true }));
  }

  private add(): void {
    const pixels = this.pixels();
    if (!pixels) {
      this.problem = 'The pad is empty: draw the symbol first.';
      return;
    }
    this.dispatchEvent(new CustomEvent<SymbolPadAddDetail>('symbol-pad-add', { detail: { pixels }, bubbles: true, composed: true }));
    this.message = null;
    this.input.clear();
    this.changed();
  }

  private async pickFile(event: Event): Promise<void> {
    const field = event.target as HTMLInputElement;
    const file = field.files?.[0];
    field.value = '';
    if (!file) return;
    try {
      const picture = await readPicture(file, PAD);
      this.input.setPicture(picture.ink);
      this.message = `Loaded “${file.name}”${picture.inverted ? ' (dark ink on a light background: inverted)' : ''}.`;
      this.changed();
    } catch (error) {
      this.problem = errorText(error);
    }
  }

  override render() {
    const name = this.target;
    return html`<div class="pad-wrap">
        <canvas
          ${ref(this.input.canvasRef)}
          class="pad"
          width=${PAD}
          height=${PAD}
          tabindex="0"
          role="img"
          aria-label="Symbol pad. Draw a symbol with the mouse, a finger or a pen. With the keyboard: arrow keys move, Space paints, Shift and an arrow paint while moving."
        ></canvas>
      </div>
      <div class="controls">
        <label>Brush size <input type="range" min="8" max="40" step="1" .value=${String(this.brush)} @input=${(e: Event) => (this.brush = Number((e.target as HTMLInputElement).value))} /></label>
        <button @click=${() => (this.input.undo(), this.changed())}>Undo</button>
        <button @click=${() => (this.input.clear(), this.changed())}>Clear</button>
        <button class="primary add" ?disabled=${!name} @click=${this.add}>${name ? `Add to “${name}”` : 'Add to a class'}</button>
        <label class="file">Or use a picture (PNG or JPEG) <input type="file" accept="image/png,image/jpeg,image/*" @change=${this.pickFile} /></label>
      </div>
      ${name ? nothing : html`<p class="hint">Add a class first: the drawing goes into the class you choose.</p>`}
      ${this.message ? html`<p class="file-note">${this.message}</p>` : nothing}
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}`;
  }
}

customElements.define('symbol-pad', SymbolPad);

declare global {
  interface HTMLElementTagNameMap {
    'symbol-pad': SymbolPad;
  }
  interface HTMLElementEventMap {
    'symbol-pad-change': CustomEvent<SymbolPadChangeDetail>;
    'symbol-pad-add': CustomEvent<SymbolPadAddDetail>;
  }
}
