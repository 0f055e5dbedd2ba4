import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICONS, iconPixels, iconPng } from '../../../scripts/pwa-icons';

/** Reads back an 8-bit RGBA PNG with no filters (what encodePng writes): its size and pixels. */
function decode(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8, 10)]).toEqual([8, 6]);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(data));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) rgba.set(rows.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  return { width, height, rgba };
}

describe('app icons', () => {
  it('are PNGs of the sizes the manifest names, that decode to the pixels drawn', () => {
    for (const icon of ICONS) {
      const { width, height, rgba } = decode(iconPng(icon.size, icon.purpose));
      expect([width, height]).toEqual([icon.size, icon.size]);
      // Compared as buffers: a deep equality over a million array entries takes many seconds.
      expect(Buffer.compare(Buffer.from(rgba), Buffer.from(iconPixels(icon.size, icon.purpose)))).toBe(0);
    }
  });

  it('show a white 7 on the lab blue; an `any` icon has transparent corners, a maskable one fills the square', () => {
    const size = 192;
    const at = (rgba: Uint8Array, x: number, y: number) => [...rgba.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
    const any = iconPixels(size, 'any');
    expect(at(any, 0, 0)[3]).toBe(0);
    expect(at(any, 96, 20)).toEqual([0x1f, 0x6f, 0xeb, 255]);
    // On the 7's top bar, and on its stem.
    expect(at(any, 96, Math.round(0.3 * size))).toEqual([255, 255, 255, 255]);
    expect(at(any, Math.round(0.58 * size), Math.round(0.53 * size))).toEqual([255, 255, 255, 255]);
    const maskable = iconPixels(size, 'maskable');
    expect(at(maskable, 0, 0)).toEqual([0x1f, 0x6f, 0xeb, 255]);
  });
});
