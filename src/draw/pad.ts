/**
 * What is on the drawing pad, as data: brush strokes and pictures, in the order they were made (so Undo removes the
 * last), and the keyboard's grid cursor. The cell paints these; the rules live here.
 */
import type { GrayImage } from './preprocess';

/** A point in pad pixels. */
export type Point = [number, number];

export interface PadStroke {
  kind: 'stroke';
  /** Brush width in pad pixels. */
  size: number;
  points: Point[];
}

/** A picture (a loaded file or a sample digit), stretched over the whole pad. */
export interface PadPictureItem {
  kind: 'picture';
  ink: GrayImage;
}

/** One undoable thing on the pad. */
export type PadItem = PadStroke | PadPictureItem;

const ARROWS: Record<string, Point> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** The keyboard cursor's start: the middle cell of a grid×grid pad. */
export function gridCentre(grid: number): Point {
  return [Math.floor(grid / 2), Math.floor(grid / 2)];
}

/** Where an arrow key moves the cursor (kept inside the grid), or null for any other key. */
export function moveCursor(cursor: Point, key: string, grid: number): Point | null {
  const move = ARROWS[key];
  if (!move) return null;
  const clamp = (v: number) => Math.max(0, Math.min(grid - 1, v));
  return [clamp(cursor[0] + move[0]), clamp(cursor[1] + move[1])];
}

/** The centre of grid cell `cell` in pad pixels. */
export function cellCentre(cell: Point, cellSize: number): Point {
  return [(cell[0] + 0.5) * cellSize, (cell[1] + 0.5) * cellSize];
}

/** A pointer's position on the pad, from its position in a box on screen showing the pad at any size. */
export function toPad(clientX: number, clientY: number, box: { left: number; top: number; width: number; height: number }, pad: number): Point {
  return [((clientX - box.left) / box.width) * pad, ((clientY - box.top) / box.height) * pad];
}
