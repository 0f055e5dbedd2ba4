import { html, LitElement, type PropertyValues } from 'lit';
import { IMAGE_SIZE, type MnistDataset } from '../src/data/mnist';
import { formatInteger } from '../src/format';
import type { DigitRef } from '../src/state/lab-state';
import { DIGIT_SIZE, paintDigit } from './digit-painter';
import { digitDetailStyles } from './digit-detail.styles';
import { SPLIT_NAMES } from './lab-dataset-controller';

/** Canvas pixels per digit pixel in the enlarged view (224 px square). */
const ZOOM = 8;
const LARGE = DIGIT_SIZE * ZOOM;

/**
 * One digit up close: its split, index and label, enlarged, and the value of the pixel under the pointer (mouse,
 * touch or pen). Announces the selection to screen readers.
 */
export class DigitDetail extends LitElement {
  static override properties = {
    mnist: { attribute: false },
    selected: { attribute: false },
    hover: { state: true },
  };

  /** The data set (named so as not to shadow HTMLElement.dataset). */
  declare mnist: MnistDataset | null;
  declare selected: DigitRef | null;
  declare hover: { x: number; y: number } | null;

  static override styles = digitDetailStyles;

  constructor() {
    super();
    this.mnist = null;
    this.selected = null;
    this.hover = null;
  }

  /** The selected digit when it exists in the data set. */
  private get digit(): DigitRef | null {
    const { mnist: dataset, selected } = this;
    return dataset && selected && selected.index < dataset.split(selected.split).count ? selected : null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    // A new digit: the pixel read out belonged to the old one.
    if (changed.has('selected')) this.hover = null;
  }

  protected override updated(): void {
    const digit = this.digit;
    const large = this.renderRoot.querySelector<HTMLCanvasElement>('canvas.large');
    if (large && digit && this.mnist) paintDigit(large, this.mnist.image(digit.split, digit.index), { scale: ZOOM, highlight: this.hover });
  }

  /** The digit pixel under the pointer, or null outside the digit. */
  private onPointer(event: PointerEvent): void {
    const rect = (event.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const x = Math.floor(((event.clientX - rect.left) / rect.width) * DIGIT_SIZE);
    const y = Math.floor(((event.clientY - rect.top) / rect.height) * DIGIT_SIZE);
    this.hover = x >= 0 && x < DIGIT_SIZE && y >= 0 && y < DIGIT_SIZE ? { x, y } : null;
  }

  override render() {
    const digit = this.digit;
    if (!digit || !this.mnist) return html`<p class="muted">Click a digit to see it up close.</p>`;
    const label = this.mnist.label(digit.split, digit.index);
    const hover = this.hover;
    const value = hover ? this.mnist.image(digit.split, digit.index)[hover.y * IMAGE_SIZE + hover.x] : null;
    const splitName = SPLIT_NAMES[digit.split];
    return html`<h3 data-testid="selected-digit">${splitName} image ${formatInteger(digit.index)} · label ${label}</h3>
      <canvas
        class="large"
        width=${LARGE}
        height=${LARGE}
        role="img"
        aria-label="The selected digit, a ${label}, enlarged"
        @pointermove=${this.onPointer}
        @pointerdown=${this.onPointer}
        @pointerleave=${() => (this.hover = null)}
      ></canvas>
      <p class="readout" data-testid="pixel-readout">
        ${hover ? html`Pixel (x ${hover.x}, y ${hover.y}): <strong>${value}</strong> of 255` : html`<span class="hint">Point at the digit to read a pixel’s value.</span>`}
      </p>
      <p class="visually-hidden" role="status">Selected ${splitName.toLowerCase()} image ${formatInteger(digit.index)}, label ${label}.</p>
      <p class="hint">Arrow keys move through the grid, across pages; Page Up and Page Down turn pages.</p>`;
  }
}

customElements.define('digit-detail', DigitDetail);

declare global {
  interface HTMLElementTagNameMap {
    'digit-detail': DigitDetail;
  }
}
