import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFormatError, parseIdx } from '../../../src/data/idx';
import { mnistIdxDir } from '../../../src/data/node';

describe('parseIdx on the original MNIST files', () => {
  it('reads the training labels: 60,000 of them, the first is 5', async () => {
    const bytes = new Uint8Array(await readFile(join(mnistIdxDir(), 'train-labels-idx1-ubyte')));
    const labels = parseIdx(bytes, 'train-labels', 1);
    expect(labels.shape).toEqual([60000]);
    expect(labels.data[0]).toBe(5);
  });

  it('reads the test images as 10,000 × 28 × 28', async () => {
    const bytes = new Uint8Array(await readFile(join(mnistIdxDir(), 't10k-images-idx3-ubyte')));
    expect(parseIdx(bytes, 'test-images', 3).shape).toEqual([10000, 28, 28]);
  });

  it('rejects a corrupted magic number, naming the file', () => {
    const bytes = Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 7]);
    expect(() => parseIdx(bytes, 'labels.idx', 1)).toThrow(DataFormatError);
    expect(() => parseIdx(bytes, 'labels.idx', 1)).toThrow(/labels\.idx: bad IDX magic number/);
  });

  it('rejects a short file', () => {
    const header = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 10, 1, 2, 3]);
    expect(() => parseIdx(header, 'short.idx', 1)).toThrow(/short\.idx: expected 18 bytes .* found 11 \(file is truncated\)/);
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'tiny.idx')).toThrow(/too short/);
  });

  it('rejects the wrong number of dimensions', () => {
    const bytes = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 1, 7]);
    expect(() => parseIdx(bytes, 'x.idx', 3)).toThrow(/expected 3 dimensions, found 1/);
  });
});
