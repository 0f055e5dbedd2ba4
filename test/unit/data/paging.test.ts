import { beforeAll, describe, expect, it } from 'vitest';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadMnistFromIdx } from '../../../src/data/node';
import { digitView, keyTarget, pageCount, pageRange, pageSize, parsePageNumber, placeOf, turnTo } from '../../../src/data/paging';

const shape = { columns: 10, rows: 6 };
const size = pageSize(shape);

describe('paging a list of digits', () => {
  it('counts pages, with one empty page for an empty list', () => {
    expect(size).toBe(60);
    expect(pageCount(60000, size)).toBe(1000);
    expect(pageCount(60001, size)).toBe(1001);
    expect(pageCount(59, size)).toBe(1);
    expect(pageCount(0, size)).toBe(1);
  });

  it('gives the positions on a page, the last one short', () => {
    expect(pageRange(6265, size, 0)).toEqual({ start: 0, end: 60 });
    expect(pageRange(6265, size, 104)).toEqual({ start: 6240, end: 6265 });
    expect(pageRange(0, size, 0)).toEqual({ start: 0, end: 0 });
  });

  it('turns to a page clamped to the list, keeping the focus on a cell the page has', () => {
    expect(turnTo(6265, size, 3, 17)).toEqual({ page: 3, focus: 17 });
    expect(turnTo(6265, size, -1, 17)).toEqual({ page: 0, focus: 17 });
    // Past the end: the last page, which has 25 cells.
    expect(turnTo(6265, size, 5000, 40)).toEqual({ page: 104, focus: 24 });
    expect(turnTo(0, size, 2, 5)).toEqual({ page: 0, focus: 0 });
  });

  it('finds the page and cell of a position, clamped to the list', () => {
    expect(placeOf(60000, size, 0)).toEqual({ page: 0, focus: 0 });
    expect(placeOf(60000, size, 60)).toEqual({ page: 1, focus: 0 });
    expect(placeOf(60000, size, 59999)).toEqual({ page: 999, focus: 59 });
    expect(placeOf(60000, size, 70000)).toEqual({ page: 999, focus: 59 });
    expect(placeOf(60000, size, -5)).toEqual({ page: 0, focus: 0 });
    expect(placeOf(0, size, 0)).toBeNull();
  });

  it('moves the selection with arrows, Home/End and Page Up/Down, across pages', () => {
    const at = { page: 1, focus: 0 }; // position 60
    expect(keyTarget('ArrowRight', at, shape)).toBe(61);
    expect(keyTarget('ArrowLeft', at, shape)).toBe(59);
    expect(keyTarget('ArrowDown', at, shape)).toBe(70);
    expect(keyTarget('ArrowUp', at, shape)).toBe(50);
    expect(keyTarget('Home', { page: 1, focus: 33 }, shape)).toBe(60);
    expect(keyTarget('End', { page: 1, focus: 3 }, shape)).toBe(119);
    expect(keyTarget('PageDown', at, shape)).toBe(120);
    expect(keyTarget('PageUp', at, shape)).toBe(0);
    expect(keyTarget('a', at, shape)).toBeNull();
    expect(keyTarget('Enter', at, shape)).toBeNull();
  });

  it('reads a typed page number, or says why it is not one', () => {
    const count = (n: number) => n.toLocaleString('en-US');
    expect(parsePageNumber('1', 1000, count)).toEqual({ page: 0 });
    expect(parsePageNumber(' 1000 ', 1000, count)).toEqual({ page: 999 });
    expect(parsePageNumber('abc', 1000, count)).toEqual({ error: '“abc” is not a page: enter a whole number from 1 to 1,000.' });
    for (const bad of ['0', '1001', '2.5', '-3', '', '1e2']) expect(parsePageNumber(bad, 1000, count)).toHaveProperty('error');
  });
});

describe('a view of the data set', () => {
  let dataset: MnistDataset;
  beforeAll(async () => {
    dataset = await loadMnistFromIdx();
  });

  it('is the whole split, or only one class of it (in data set order)', () => {
    const all = digitView(dataset, 'test', null);
    expect(all.length).toBe(10000);
    expect(all.at(123)).toBe(123);
    const sevens = digitView(dataset, 'test', 7);
    expect(sevens.length).toBe(dataset.classCounts('test')[7]);
    const indices = Array.from({ length: sevens.length }, (_, i) => sevens.at(i));
    expect(indices.every((index) => dataset.label('test', index) === 7)).toBe(true);
    expect(indices.every((index, i) => i === 0 || index > indices[i - 1])).toBe(true);
  });
});
