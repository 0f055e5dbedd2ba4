import { html, LitElement, type PropertyValues } from 'lit';
import { describeParams, type AugmentPreviewResult } from '../src/augment/preview';
import { IMAGE_PIXELS } from '../src/data/mnist';
import { augmentGridStyles } from './augment-grid.styles';
import { paintDigit } from './digit-painter';
import { tokens } from './styles/tokens';

/** Images in the grid. */
export const AUGMENT_GRID_COUNT = 16;

/**
 * One digit beside a grid of its random augmentations, each painted white on black as the network sees it, with
 * what was done to it as its tooltip. Shows what it is given; computes nothing.
 */
export class AugmentGrid extends LitElement {
  static properties = {
    original: { attribute: false },
    label: { type: Number },
    caption: { type: String },
    result: { attribute: false },
    note: { type: String },
  };

  /** The chosen digit's 784 bytes (0–255), or null while there is none. */
  declare original: Uint8Array | null;
  declare label: number | null;
  /** Which digit it is, e.g. "training image 0, label 5" ("—" when none). */
  declare caption: string;
  /** The augmentations to show: AUGMENT_GRID_COUNT images of 784 floats (0–1) one after another. */
  declare result: AugmentPreviewResult | null;
  /** A line under the grid: what the learner looks at. */
  declare note: string;

  static styles = [tokens, augmentGridStyles];

  constructor() {
    super();
    this.original = null;
    this.label = null;
    this.caption = '—';
    this.result = null;
    this.note = '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    const original = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.original');
    if (changed.has('original') && original && this.original) paintDigit(original, this.original, { scale: 1 });
    const result = this.result;
    // Canvases are repainted only when the result changes (a re-render for a caption keeps them).
    if (!changed.has('result') || !result) return;
    this.renderRoot.querySelectorAll<HTMLCanvasElement>('.grid canvas').forEach((canvas, i) => {
      paintDigit(canvas, result.pixels, { scale: 1, range: 1, offset: i * IMAGE_PIXELS });
    });
  }

  render() {
    const result = this.result;
    return html`<figure>
        <canvas class="original" width="28" height="28" role="img" aria-label="The original digit, a ${this.label}"></canvas>
        <figcaption data-testid="augment-digit">
          Original: ${this.caption}. Pick another in the <a href="#/dataset">dataset explorer</a>.
        </figcaption>
      </figure>
      <figure>
        <div class="grid" role="img" aria-label="${AUGMENT_GRID_COUNT} random augmentations of the digit" data-testid="augment-grid">
          ${Array.from(
            { length: AUGMENT_GRID_COUNT },
            (_, i) => html`<canvas width="28" height="28" title=${result?.params[i] ? describeParams(result.params[i]) : ''}></canvas>`,
          )}
        </div>
        <figcaption>${this.note}</figcaption>
      </figure>`;
  }
}

customElements.define('augment-grid', AugmentGrid);

declare global {
  interface HTMLElementTagNameMap {
    'augment-grid': AugmentGrid;
  }
}
