import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { dropIndex } from '../src/model/draft';

/** Where a dragged row would land: before or after the row with `key`. */
export interface DropTarget {
  key: number;
  before: boolean;
}

export interface ReorderOptions {
  /** The rows' keys in their current order. */
  keys(): readonly number[];
  /** Moves the row at `from` to `to`; `control` is what should have the focus afterwards ('row' for the row). */
  move(from: number, to: number, control: string): void;
  /** The row element for `key` (it has tabindex and receives the focus for 'row'). */
  row(key: number): HTMLElement | null;
  /** Focuses `control` inside a row; resolves false when it cannot (missing, disabled). Default: the row only. */
  focusControl?(row: HTMLElement, control: string): Promise<boolean>;
}

/**
 * Reordering a list by keyboard (Alt+↑ / Alt+↓ on a row or any control inside it) and by dragging a handle, with the
 * focus kept on the moved row's control. The host renders the rows with these handlers and `dropAt` for the marker.
 */
export class ReorderController implements ReactiveController {
  /** The drop marker while dragging, for the host to render. */
  dropAt: DropTarget | null = null;
  private dragKey: number | null = null;
  private pendingFocus: { key: number; control: string } | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ReorderOptions,
  ) {
    host.addController(this);
  }

  /** After the next render, focus `control` in the row with `key` (or the row itself). */
  focusLater(key: number, control = 'row'): void {
    this.pendingFocus = { key, control };
  }

  /** Moves and keeps the moved row's control focused. */
  moveFocused(from: number, to: number, control: string): void {
    const key = this.options.keys()[from];
    if (key === undefined || to < 0 || to >= this.options.keys().length || from === to) return;
    this.focusLater(key, control);
    this.options.move(from, to, control);
  }

  readonly onKeydown = (event: KeyboardEvent, index: number): void => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    // The innermost element, across shadow roots: an input inside a row keeps the focus.
    const origin = event.composedPath()[0] as HTMLElement | undefined;
    this.moveFocused(index, index + (event.key === 'ArrowUp' ? -1 : 1), origin?.dataset?.control ?? 'row');
  };

  readonly onDragStart = (event: DragEvent, key: number): void => {
    this.dragKey = key;
    const row = this.options.row(key);
    if (event.dataTransfer) {
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', String(key));
      if (row) event.dataTransfer.setDragImage(row, 16, 16);
    }
  };

  readonly onDragOver = (event: DragEvent, key: number): void => {
    if (this.dragKey === null) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const before = event.clientY < rect.top + rect.height / 2;
    if (this.dropAt?.key !== key || this.dropAt.before !== before) {
      this.dropAt = { key, before };
      this.host.requestUpdate();
    }
  };

  readonly onDrop = (event: DragEvent): void => {
    event.preventDefault();
    const keys = this.options.keys();
    const from = keys.indexOf(this.dragKey ?? -1);
    const target = this.dropAt;
    this.onDragEnd();
    if (from < 0 || !target) return;
    this.moveFocused(from, dropIndex(from, keys.indexOf(target.key), target.before), 'row');
  };

  readonly onDragEnd = (): void => {
    this.dragKey = null;
    if (this.dropAt) {
      this.dropAt = null;
      this.host.requestUpdate();
    }
  };

  hostUpdated(): void {
    const focus = this.pendingFocus;
    if (!focus) return;
    this.pendingFocus = null;
    const row = this.options.row(focus.key);
    if (!row) return;
    if (focus.control === 'row' || !this.options.focusControl) {
      row.focus();
      return;
    }
    void this.options.focusControl(row, focus.control).then((done) => {
      if (!done) row.focus();
    });
  }
}
