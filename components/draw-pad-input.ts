import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { cellCentre, gridCentre, moveCursor, toPad, type PadItem, type PadStroke, type Point } from '../src/draw/pad';
import { alphaToInk } from '../src/draw/picture';
import type { GrayImage } from '../src/draw/preprocess';
import { paintImage } from './draw-paint';

/** The colour of ink on the pad (dark on the white pad, as on paper). */
const INK: [number, number, number] = [17, 17, 17];
const INK_CSS = `rgb(${INK.join(' ')})`;
const CURSOR_CSS = 'rgb(31 111 235 / 90%)';

export interface PadInputOptions {
  /** The pad's side in canvas pixels. */
  size: number;
  /** Keyboard grid: `grid`×`grid` cells over the pad. */
  grid: number;
  /** The brush width now, in pad pixels. */
  brush: () => number;
  /**
   * The drawing changed: `final` when a stroke (or keyboard paint) is complete, false while a stroke is drawn;
   * `since` is when the learner finished the input (event time), for the latency figure.
   */
  onInput: (final: boolean, since?: number) => void;
}

/**
 * The drawing pad's input: pointer (mouse, touch, pen; coalesced moves; one pointer at a time), keyboard (arrow keys move a
 * grid cursor, Space/Enter paint, Shift + arrow paints a line) and what is on the pad (strokes and pictures, for
 * Undo). Bind the pad canvas with Lit's `ref(controller.canvasRef)`; the controller listens on it and paints it.
 */
export class PadInputController implements ReactiveController {
  private canvas: HTMLCanvasElement | null = null;
  private itemList: PadItem[] = [];
  private current: PadStroke | null = null;
  private keyboardStroke: PadStroke | null = null;
  private activePointer: number | null = null;
  private cursor: Point | null = null;
  /** Each picture's ink as a canvas, made once per picture (not on every redraw). */
  private readonly pictureCanvases = new WeakMap<GrayImage, HTMLCanvasElement>();

  constructor(
    host: ReactiveControllerHost,
    private readonly options: PadInputOptions,
  ) {
    host.addController(this);
  }

  /** What is on the pad, oldest first. */
  get items(): readonly PadItem[] {
    return this.itemList;
  }

  /**
   * For `ref()`: attaches the listeners to the pad canvas; Lit calls it with undefined when the host leaves the page
   * (the listeners go) and with the canvas again when it comes back.
   */
  readonly canvasRef = (element?: Element): void => {
    if (element === this.canvas) return;
    this.detach();
    if (element instanceof HTMLCanvasElement) {
      this.canvas = element;
      for (const [type, listener] of this.listeners) element.addEventListener(type, listener as EventListener);
      this.redraw();
    }
  };

  /** Replaces everything on the pad with a picture (a loaded file or a sample digit). */
  setPicture(ink: GrayImage): void {
    this.itemList = [{ kind: 'picture', ink }];
    this.redraw();
  }

  /** Removes the last stroke or picture. */
  undo(): void {
    this.itemList.pop();
    this.redraw();
  }

  clear(): void {
    this.itemList = [];
    this.redraw();
  }

  /** The ink on the pad (its alpha channel: the pad is transparent, ink opaque), without the keyboard cursor. */
  readInk(): GrayImage {
    const { size } = this.options;
    const ctx = this.context();
    if (!ctx) return alphaToInk(new Uint8ClampedArray(size * size * 4), size, size);
    const cursor = this.cursor;
    if (cursor) this.paint(ctx, null);
    const { data } = ctx.getImageData(0, 0, size, size);
    if (cursor) this.paint(ctx, cursor);
    return alphaToInk(data, size, size);
  }

  redraw(): void {
    const ctx = this.context();
    if (ctx) this.paint(ctx, this.cursor);
  }

  /** A stroke cut off by the host leaving the page ends there (its pointer-up will never come). */
  hostDisconnected(): void {
    this.activePointer = null;
    this.current = null;
    this.cursor = null;
  }

  private context(): CanvasRenderingContext2D | null {
    return this.canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
  }

  private detach(): void {
    if (!this.canvas) return;
    for (const [type, listener] of this.listeners) this.canvas.removeEventListener(type, listener as EventListener);
    this.canvas = null;
  }

  private paint(ctx: CanvasRenderingContext2D, cursor: Point | null): void {
    const { size, grid } = this.options;
    ctx.clearRect(0, 0, size, size);
    for (const item of this.itemList) {
      if (item.kind === 'picture') ctx.drawImage(this.pictureCanvas(item.ink), 0, 0, size, size);
      else paintStroke(ctx, item);
    }
    if (cursor) {
      const cell = size / grid;
      ctx.save();
      ctx.strokeStyle = CURSOR_CSS;
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(cursor[0] * cell + 1, cursor[1] * cell + 1, cell - 2, cell - 2);
      ctx.restore();
    }
  }

  /** A picture's ink as dark pixels on a transparent canvas, so it draws on the pad like strokes. */
  private pictureCanvas(ink: GrayImage): HTMLCanvasElement {
    let canvas = this.pictureCanvases.get(ink);
    if (!canvas) {
      canvas = document.createElement('canvas');
      paintImage(canvas, ink.data, ink.width, ink.height, (v) => [...INK, Math.round(v * 255)]);
      this.pictureCanvases.set(ink, canvas);
    }
    return canvas;
  }

  private toPad(event: PointerEvent): Point {
    return toPad(event.clientX, event.clientY, this.canvas!.getBoundingClientRect(), this.options.size);
  }

  private readonly onPointerDown = (event: PointerEvent): void => {
    if (this.activePointer !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.activePointer = event.pointerId;
    this.canvas!.setPointerCapture(event.pointerId);
    // Every stroke has the brush's width, whatever the pressure: MNIST's pen strokes are of even width, and touch
    // screens report pressure very differently.
    this.current = { kind: 'stroke', size: this.options.brush(), points: [this.toPad(event)] };
    this.itemList.push(this.current);
    this.redraw();
    this.options.onInput(false);
  };

  private readonly onPointerMove = (event: PointerEvent): void => {
    if (event.pointerId !== this.activePointer || !this.current) return;
    const events = event.getCoalescedEvents?.() ?? [];
    for (const e of events.length ? events : [event]) this.current.points.push(this.toPad(e));
    this.redraw();
    this.options.onInput(false);
  };

  private readonly onPointerUp = (event: PointerEvent): void => {
    if (event.pointerId !== this.activePointer) return;
    this.activePointer = null;
    this.current = null;
    this.options.onInput(true, event.timeStamp);
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const { grid } = this.options;
    const cursor = this.cursor ?? gridCentre(grid);
    const moved = moveCursor(cursor, event.key, grid);
    if (moved) {
      event.preventDefault();
      this.cursor = moved;
      // Shift + arrow paints as it moves, continuing the last keyboard stroke.
      if (event.shiftKey) this.paintCell(moved, true);
      else this.redraw();
    } else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      this.cursor = cursor;
      this.paintCell(cursor, false);
    }
  };

  private readonly onBlur = (): void => {
    this.cursor = null;
    this.redraw();
  };

  private paintCell(cell: Point, extend: boolean): void {
    const cellSize = this.options.size / this.options.grid;
    const point = cellCentre(cell, cellSize);
    if (extend && this.keyboardStroke && this.itemList.at(-1) === this.keyboardStroke) {
      this.keyboardStroke.points.push(point);
    } else {
      this.keyboardStroke = { kind: 'stroke', size: Math.max(this.options.brush(), cellSize), points: [point] };
      this.itemList.push(this.keyboardStroke);
    }
    this.redraw();
    this.options.onInput(true);
  }

  private readonly listeners: [string, (event: never) => void][] = [
    ['pointerdown', this.onPointerDown],
    ['pointermove', this.onPointerMove],
    ['pointerup', this.onPointerUp],
    ['pointercancel', this.onPointerUp],
    ['keydown', this.onKeyDown],
    ['blur', this.onBlur],
  ];
}

/** One brush stroke: a dot for a single point, else a round-capped line through the points. */
function paintStroke(ctx: CanvasRenderingContext2D, stroke: PadStroke): void {
  ctx.fillStyle = INK_CSS;
  ctx.strokeStyle = INK_CSS;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = stroke.size;
  const [first, ...rest] = stroke.points;
  ctx.beginPath();
  if (rest.length === 0) {
    ctx.arc(first[0], first[1], stroke.size / 2, 0, Math.PI * 2);
    ctx.fill();
  } else {
    ctx.moveTo(first[0], first[1]);
    for (const [x, y] of rest) ctx.lineTo(x, y);
    ctx.stroke();
  }
}
