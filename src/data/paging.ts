/**
 * Paging through a list of digits shown as a grid, one page at a time: how many pages, where a page starts, which
 * page and cell a position falls on, where a key moves the selection, and what a typed page number means. Plain
 * numbers in and out, so the dataset explorer's grid and its tests share one definition.
 */
import type { MnistDataset, Split } from './mnist';

/** The grid a page is laid out in. */
export interface GridShape {
  columns: number;
  rows: number;
}

/** A place in the list: the page shown and the cell on it that holds the focus (0 … page size − 1). */
export interface GridPlace {
  page: number;
  focus: number;
}

/** Which images the grid pages through: a whole split, or one class of it. */
export interface DigitView {
  length: number;
  /** The data set index of the image at `position` in the list. */
  at(position: number): number;
}

export function pageSize(shape: GridShape): number {
  return shape.columns * shape.rows;
}

/** Pages needed for `length` items; an empty list still has one (empty) page. */
export function pageCount(length: number, size: number): number {
  return Math.max(1, Math.ceil(length / size));
}

/** The positions [start, end) shown on `page`. */
export function pageRange(length: number, size: number, page: number): { start: number; end: number } {
  const start = page * size;
  return { start, end: Math.max(start, Math.min(length, start + size)) };
}

/**
 * Turning to `page` keeping the focus on cell `focus`: the page is clamped to the list, and the focus to the cells
 * that page really has (the last page may be short).
 */
export function turnTo(length: number, size: number, page: number, focus: number): GridPlace {
  const clampedPage = clamp(Math.floor(page), 0, pageCount(length, size) - 1);
  const onPage = Math.min(size, length - clampedPage * size);
  return { page: clampedPage, focus: clamp(Math.floor(focus), 0, Math.max(0, onPage - 1)) };
}

/** The place of list position `position` (clamped to the list), or null for an empty list. */
export function placeOf(length: number, size: number, position: number): GridPlace | null {
  if (length <= 0) return null;
  const p = clamp(Math.floor(position), 0, length - 1);
  return { page: Math.floor(p / size), focus: p % size };
}

/** The list position a key asks to select from `place` (arrows, Home/End, Page Up/Down), or null for other keys. */
export function keyTarget(key: string, place: GridPlace, shape: GridShape): number | null {
  const size = pageSize(shape);
  const first = place.page * size;
  const at = first + place.focus;
  switch (key) {
    case 'ArrowRight':
      return at + 1;
    case 'ArrowLeft':
      return at - 1;
    case 'ArrowDown':
      return at + shape.columns;
    case 'ArrowUp':
      return at - shape.columns;
    case 'Home':
      return first;
    case 'End':
      return first + size - 1;
    case 'PageDown':
      return at + size;
    case 'PageUp':
      return at - size;
    default:
      return null;
  }
}

/** What a typed page number means: the page (0-based) or why it is not one. */
export type PageInput = { page: number } | { error: string };

/** Reads a page number typed by a learner (1-based, whole, within 1…pages). */
export function parsePageNumber(text: string, pages: number, formatCount: (n: number) => string = String): PageInput {
  const trimmed = text.trim();
  const page = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || page < 1 || page > pages) {
    return { error: `“${trimmed}” is not a page: enter a whole number from 1 to ${formatCount(pages)}.` };
  }
  return { page: page - 1 };
}

/** Class index lists are costly to find (a pass over the labels): kept per data set, split and digit. */
const classIndices = new WeakMap<MnistDataset, Map<string, Int32Array>>();

/** The images of `split`, or only those labelled `digit` when one is given. */
export function digitView(dataset: MnistDataset, split: Split, digit: number | null): DigitView {
  if (digit === null) return { length: dataset.split(split).count, at: (i) => i };
  let byDataset = classIndices.get(dataset);
  if (!byDataset) classIndices.set(dataset, (byDataset = new Map()));
  const key = `${split}:${digit}`;
  let indices = byDataset.get(key);
  if (!indices) byDataset.set(key, (indices = dataset.indicesOfClass(split, digit)));
  const list = indices;
  return { length: list.length, at: (i) => list[i] };
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, value));
}
