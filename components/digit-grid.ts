import { html, LitElement, type PropertyValues } from 'lit';
import type { MnistDataset, Split } from '../src/data/mnist';
import { keyTarget, pageCount, pageSize, placeOf, type DigitView, type GridPlace, type GridShape } from '../src/data/paging';
import { formatInteger } from '../src/format';
import type { DigitRef } from '../src/state/lab-state';
import { paintDigit } from './digit-painter';
import { digitGridStyles } from './digit-grid.styles';
import { SPLIT_NAMES } from './lab-dataset-controller';

/** Detail of `digit-select`: the digit chosen in the grid and where it is in the list. */
export interface DigitSelectDetail {
  digit: DigitRef;
  /** Position in the list the grid pages through. */
  position: number;
  /** The page and cell that show it (the page may be another one than the grid shows now). */
  place: GridPlace;
}

export type DigitSelectEvent = CustomEvent<DigitSelectDetail>;

/**
 * One page of digits as an ARIA grid: a single tab stop; arrow keys, Home/End and Page Up/Down move the selection,
 * across pages; Enter, Space or a click select. It paints only the digits of its page (never 70,000 nodes).
 * The host decides which page shows: it listens for `digit-select` and sets `page` and `focusCell`.
 *
 * @fires digit-select - {@link DigitSelectDetail} when the learner picks a digit by click or key (bubbles, composed).
 */
export class DigitGrid extends LitElement {
  static override properties = {
    mnist: { attribute: false },
    split: {},
    digit: { attribute: false },
    view: { attribute: false },
    shape: { attribute: false },
    page: { type: Number },
    focusCell: { type: Number },
    selected: { attribute: false },
  };

  /** The data set (named so as not to shadow HTMLElement.dataset). */
  declare mnist: MnistDataset | null;
  declare split: Split;
  /** The class shown, or null for all digits (for the grid's name). */
  declare digit: number | null;
  declare view: DigitView | null;
  declare shape: GridShape;
  declare page: number;
  /** The cell of the page that holds the tab stop. */
  declare focusCell: number;
  declare selected: DigitRef | null;

  static override styles = digitGridStyles;

  /** Set when the learner chose from the grid: the tab stop follows the choice once the host has re-rendered. */
  private moveFocus = false;

  constructor() {
    super();
    this.mnist = null;
    this.split = 'train';
    this.digit = null;
    this.view = null;
    this.shape = { columns: 10, rows: 6 };
    this.page = 0;
    this.focusCell = 0;
    this.selected = null;
  }

  private choose(position: number): void {
    const view = this.view;
    if (!view) return;
    const size = pageSize(this.shape);
    const place = placeOf(view.length, size, position);
    if (!place) return;
    const listPosition = place.page * size + place.focus;
    this.moveFocus = true;
    const detail: DigitSelectDetail = { digit: { split: this.split, index: view.at(listPosition) }, position: listPosition, place };
    this.dispatchEvent(new CustomEvent<DigitSelectDetail>('digit-select', { detail, bubbles: true, composed: true }));
  }

  private onKey(event: KeyboardEvent): void {
    const place = { page: this.page, focus: this.focusCell };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.choose(place.page * pageSize(this.shape) + place.focus);
      return;
    }
    const target = keyTarget(event.key, place, this.shape);
    if (target === null) return;
    event.preventDefault();
    this.choose(target);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dataset = this.mnist;
    if (dataset) {
      for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-index]')) {
        const key = `${canvas.dataset.split}:${canvas.dataset.index}`;
        if (canvas.dataset.painted === key) continue;
        paintDigit(canvas, dataset.image(canvas.dataset.split as Split, Number(canvas.dataset.index)), { scale: 1 });
        canvas.dataset.painted = key;
      }
    }
    if (this.moveFocus) {
      this.moveFocus = false;
      this.renderRoot.querySelector<HTMLElement>('[role="gridcell"][tabindex="0"]')?.focus();
    }
  }

  override render() {
    const { mnist: dataset, view, shape } = this;
    if (!dataset || !view) return html``;
    const size = pageSize(shape);
    const first = this.page * size;
    const splitName = SPLIT_NAMES[this.split];
    const rows = Array.from({ length: shape.rows }, (_, r) => {
      const cells = Array.from({ length: shape.columns }, (_, c) => {
        const position = r * shape.columns + c;
        const listPosition = first + position;
        if (listPosition >= view.length) return html`<div role="gridcell" class="empty" aria-disabled="true"></div>`;
        const index = view.at(listPosition);
        const label = dataset.label(this.split, index);
        const isSelected = this.selected?.split === this.split && this.selected.index === index;
        return html`<div
          role="gridcell"
          tabindex=${position === this.focusCell ? 0 : -1}
          aria-selected=${isSelected ? 'true' : 'false'}
          aria-label="${splitName} image ${formatInteger(index)}, label ${label}"
          data-index=${index}
          data-label=${String(label)}
          @click=${() => this.choose(listPosition)}
        >
          <canvas class="digit" width="28" height="28" data-split=${this.split} data-index=${index} aria-hidden="true"></canvas>
          <span>${label}</span>
        </div>`;
      });
      return html`<div role="row" aria-rowindex=${this.page * shape.rows + r + 1}>${cells}</div>`;
    });
    const what = this.digit === null ? 'all digits' : `${this.digit}s only`;
    return html`<div
      role="grid"
      style="--columns: ${shape.columns}"
      aria-label="${splitName} images, ${what}, page ${this.page + 1} of ${formatInteger(pageCount(view.length, size))}"
      aria-rowcount=${Math.ceil(view.length / shape.columns)}
      @keydown=${this.onKey}
    >
      ${rows}
    </div>`;
  }
}

customElements.define('digit-grid', DigitGrid);

declare global {
  interface HTMLElementTagNameMap {
    'digit-grid': DigitGrid;
  }
  interface HTMLElementEventMap {
    'digit-select': DigitSelectEvent;
  }
}
