import { describe, expect, it } from 'vitest';
import { formatResult, operatorFor, readLine } from '../../../src/symbols/arithmetic';
import { prepareSegments, segmentLine } from '../../../src/symbols/segment';
import { paintStrokes } from '../../../src/symbols/raster';
import { linePaths } from './strokes';

const LINE_W = 840;
const LINE_H = 280;

function paintLine(text: string) {
  const strokes = linePaths(text, LINE_W / LINE_H).map((path) => ({ kind: 'stroke' as const, size: 22, points: path.map(([x, y]): [number, number] => [x * LINE_W, y * LINE_H]) }));
  return paintStrokes(strokes, LINE_W, LINE_H);
}

describe('splitting a line into characters', () => {
  it('"12+7=" gives five characters left to right; the two bars of "=" stay one character', () => {
    const segments = segmentLine(paintLine('12+7='));
    expect(segments).toHaveLength(5);
    const xs = segments.map((s) => s.box.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    // The "=" is wider than tall and holds two bars: ink in its top and bottom thirds, none in the middle row.
    const equals = segments[4];
    expect(equals.box.width).toBeGreaterThan(equals.box.height);
    const row = (y: number) => equals.image.data.subarray(y * equals.box.width, (y + 1) * equals.box.width).some((v) => v > 0.5);
    expect(row(2)).toBe(true);
    expect(row(Math.floor(equals.box.height / 2))).toBe(false);
    expect(row(equals.box.height - 3)).toBe(true);
    // Each is prepared like MNIST: 28×28 with its longer side 20 px.
    for (const pixels of prepareSegments(segments)) expect(pixels).toHaveLength(784);
  });

  it('keeps only a character’s own ink, drops specks, and finds nothing on an empty line', () => {
    const image = paintLine('1+');
    image.data[5] = 1; // a one-pixel speck in the corner
    expect(segmentLine(image)).toHaveLength(2);
    expect(segmentLine(paintLine(''))).toEqual([]);
    // "÷": a bar and two dots in the same columns are one character.
    expect(segmentLine(paintLine('÷'))).toHaveLength(1);
  });
});

describe('reading a line as a sum', () => {
  it('works out "12+7=" as "12 + 7 = 19", × and ÷ before + and −', () => {
    expect(readLine(['1', '2', '+', '7', '='])).toEqual({ text: '12 + 7 = 19', value: 19, note: null });
    expect(readLine(['2', '+', '3', '×', '4', '='])).toMatchObject({ text: '2 + 3 × 4 = 14', value: 14 });
    expect(readLine(['8', '-', '2', '÷', '4'])).toMatchObject({ text: '8 − 2 ÷ 4 = 7.5', value: 7.5 });
    expect(readLine(['−', '3', 'x', '3', '='])).toMatchObject({ value: -9 });
    expect(readLine(['1', '÷', '3', '='])).toMatchObject({ text: '1 ÷ 3 = 0.333333' });
  });

  it('checks an answer written after "=", and says why a line is no sum', () => {
    expect(readLine(['3', '+', '4', '=', '7'])).toMatchObject({ text: '3 + 4 = 7', note: 'The answer written is right.' });
    expect(readLine(['3', '+', '4', '=', '8'])).toMatchObject({ note: 'The answer written is wrong: it is 7.' });
    expect(readLine(['1', '+', '+', '2'])).toMatchObject({ value: null, note: 'Not a sum I can work out: A number is missing before “+”.' });
    expect(readLine(['4', '÷', '0', '='])).toMatchObject({ value: null, note: 'Not a sum I can work out: It divides by zero, which has no answer.' });
    expect(readLine(['1', '+'])).toMatchObject({ note: 'Not a sum I can work out: A number is missing after “+”.' });
    expect(readLine(['1', '2'])).toEqual({ text: '12', value: null, note: null });
    expect(readLine(['A', '+', '1'])).toEqual({ text: 'A + 1', value: null, note: null });
    expect(readLine([])).toEqual({ text: '', value: null, note: null });
  });

  it('knows operators by their usual spellings', () => {
    expect(['+', '-', '−', 'x', '*', '×', '/', ':', '÷', '='].map(operatorFor)).toEqual(['+', '−', '−', '×', '×', '×', '÷', '÷', '÷', '=']);
    expect(operatorFor('A')).toBeNull();
    expect(formatResult(19)).toBe('19');
    expect(formatResult(0.1 + 0.2)).toBe('0.3');
  });
});
