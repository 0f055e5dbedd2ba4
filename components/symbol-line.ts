import { html, LitElement, nothing } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { formatPercent } from '../src/format';
import type { GrayImage } from '../src/draw/preprocess';
import type { LineResult } from '../src/symbols/reader';
import { cropRows } from '../src/symbols/segment';
import { paintDigit } from './digit-painter';
import { PadInputController } from './draw-pad-input';
import { symbolLineStyles } from './symbol-line.styles';
import { buttonStyles, noteStyles, visuallyHiddenStyles } from './styles/controls.styles';
import { tokens } from './styles/tokens';

/**
 * The line pad is the draw cell's square pad input (PadInputController) with only its middle band shown: 840 pad
 * pixels wide, the band a third as tall, so a character written on the line is as big, in pad pixels, as one on the
 * square pad. (PadInputController takes one size; a width and a height would make the hidden part unnecessary.)
 */
export const LINE_WIDTH = 840;
export const LINE_HEIGHT = 280;
const BAND_TOP = (LINE_WIDTH - LINE_HEIGHT) / 2;
const GRID = 42;

/** Detail of `symbol-line-change`: the ink on the line (LINE_WIDTH × LINE_HEIGHT). */
export interface SymbolLineChangeDetail {
  ink: GrayImage;
}

/**
 * A wide pad to write a whole line ("12+7="): the host reads it (`result`): each character found is outlined on the
 * line and shown as the network sees it with what it was read as, and the line is worked out as a sum.
 *
 * @fires symbol-line-change - {@link SymbolLineChangeDetail} when a stroke (or undo, clear) is complete.
 */
export class SymbolLine extends LitElement {
  static override properties = {
    result: { attribute: false },
    placeholder: {},
  };

  declare result: LineResult | null;
  declare placeholder: string;

  private readonly input = new PadInputController(this, { size: LINE_WIDTH, grid: GRID, brush: () => 22, onInput: (final) => final && this.changed() });

  static override styles = [tokens, buttonStyles, noteStyles, visuallyHiddenStyles, symbolLineStyles];

  constructor() {
    super();
    this.result = null;
    this.placeholder = '';
  }

  private changed(): void {
    const ink = cropRows(this.input.readInk(), BAND_TOP, LINE_HEIGHT);
    this.dispatchEvent(new CustomEvent<SymbolLineChangeDetail>('symbol-line-change', { detail: { ink }, bubbles: true, composed: true }));
  }

  protected override updated(): void {
    const characters = this.result?.characters ?? [];
    this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.char').forEach((canvas, i) => {
      if (characters[i]) paintDigit(canvas, characters[i].pixels, { scale: 1 });
    });
  }

  override render() {
    const r = this.result;
    const pct = (v: number, of: number) => `${((100 * v) / of).toFixed(2)}%`;
    return html`<div class="line-wrap">
        <canvas
          ${ref(this.input.canvasRef)}
          class="line"
          width=${LINE_WIDTH}
          height=${LINE_WIDTH}
          tabindex="0"
          role="img"
          aria-label="Line pad. Write several symbols in a row, such as 12+7=. With the keyboard: arrow keys move, Space paints, Shift and an arrow paint while moving."
        ></canvas>
        ${r?.characters.map(
          (c) =>
            html`<div
              class="box"
              aria-hidden="true"
              style="left:${pct(c.box.x, LINE_WIDTH)};top:${pct(c.box.y, LINE_HEIGHT)};width:${pct(c.box.width, LINE_WIDTH)};height:${pct(c.box.height, LINE_HEIGHT)}"
            ></div>`,
        )}
      </div>
      <div class="controls">
        <button @click=${() => (this.input.undo(), this.changed())}>Undo</button>
        <button @click=${() => (this.input.clear(), this.changed())}>Clear line</button>
      </div>
      ${r && r.characters.length
        ? html`<ol class="chars" aria-label="Characters found">
            ${r.characters.map(
              (c, i) =>
                html`<li>
                  <canvas class="char" width="28" height="28" role="img" aria-label="Character ${i + 1}, read as ${c.label} (${formatPercent(c.confidence)} sure)"></canvas>
                  <span>${c.label}</span>
                </li>`,
            )}
          </ol>`
        : nothing}
      <p class="reading ${r?.reading.text ? '' : 'empty'}" role="status" aria-label="Line reading" data-testid="line-reading">${r ? r.reading.text || 'The line is empty.' : this.placeholder}</p>
      ${r?.reading.note ? html`<p class="note">${r.reading.note}</p>` : nothing}`;
  }
}

customElements.define('symbol-line', SymbolLine);

declare global {
  interface HTMLElementTagNameMap {
    'symbol-line': SymbolLine;
  }
  interface HTMLElementEventMap {
    'symbol-line-change': CustomEvent<SymbolLineChangeDetail>;
  }
}
