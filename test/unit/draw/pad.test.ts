import { describe, expect, it } from 'vitest';
import { cellCentre, gridCentre, moveCursor, toPad } from '../../../src/draw/pad';

describe('pad input rules', () => {
  it('moves the keyboard cursor inside the grid', () => {
    expect(gridCentre(14)).toEqual([7, 7]);
    expect(moveCursor([7, 7], 'ArrowUp', 14)).toEqual([7, 6]);
    expect(moveCursor([0, 7], 'ArrowLeft', 14)).toEqual([0, 7]);
    expect(moveCursor([13, 13], 'ArrowDown', 14)).toEqual([13, 13]);
    expect(moveCursor([13, 3], 'ArrowRight', 14)).toEqual([13, 3]);
    expect(moveCursor([3, 3], 'Space', 14)).toBeNull();
    expect(cellCentre([0, 13], 20)).toEqual([10, 270]);
  });

  it('maps a pointer on a pad shown at any size to pad pixels', () => {
    expect(toPad(150, 250, { left: 100, top: 200, width: 140, height: 140 }, 280)).toEqual([100, 100]);
  });
});
