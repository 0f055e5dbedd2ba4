// The lab's app icons, drawn at build time (no image files to keep in the repository): a white handwritten 7 on the
// lab's blue, as PNG. `any` icons have rounded corners on a transparent ground; `maskable` ones fill the square and
// keep the digit inside the central 80% safe zone that launchers may crop to a circle.
import { crc32, deflateSync } from 'node:zlib';

export type IconPurpose = 'any' | 'maskable';

const BLUE: [number, number, number] = [0x1f, 0x6f, 0xeb];
const WHITE: [number, number, number] = [0xff, 0xff, 0xff];

/** The 7 as two strokes in a unit square (x right, y down), with a little slant like the pad's handwriting. */
const SEVEN: [number, number, number, number][] = [
  [0.3, 0.3, 0.72, 0.3],
  [0.72, 0.3, 0.44, 0.76],
];
const STROKE = 0.1;

function segmentDistance(px: number, py: number, [x0, y0, x1, y1]: [number, number, number, number]): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}

/** How much of a pixel of side `pixel` (unit-square lengths) a shape covers, from the distance inside its edge. */
const coverage = (inside: number, pixel: number): number => Math.max(0, Math.min(1, 0.5 + inside / pixel));

/** Coverage (0–1) of the pixel centred at (x, y) in the unit square: the background shape, and the digit on it. */
function shade(x: number, y: number, pixel: number, purpose: IconPurpose): { background: number; ink: number } {
  // Rounded square for `any` (distance inside its edge); the whole square for `maskable`.
  let background = 1;
  if (purpose === 'any') {
    const radius = 0.2;
    const cx = Math.max(radius, Math.min(1 - radius, x));
    const cy = Math.max(radius, Math.min(1 - radius, y));
    background = coverage(radius - Math.hypot(x - cx, y - cy), pixel);
  }
  // The maskable digit is drawn smaller, inside the safe zone.
  const scale = purpose === 'maskable' ? 0.8 : 1;
  const ux = (x - 0.5) / scale + 0.5;
  const uy = (y - 0.5) / scale + 0.5;
  const distance = Math.min(...SEVEN.map((s) => segmentDistance(ux, uy, s)));
  return { background, ink: coverage((STROKE / 2 - distance) * scale, pixel) };
}

/** RGBA pixels of a `size`×`size` icon, anti-aliased by each pixel's coverage. */
export function iconPixels(size: number, purpose: IconPurpose): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const { background, ink } = shade((px + 0.5) / size, (py + 0.5) / size, 1 / size, purpose);
      const o = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(BLUE[c] + (WHITE[c] - BLUE[c]) * ink);
      rgba[o + 3] = Math.round(background * 255);
    }
  }
  return rgba;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG (8-bit RGBA) of width×height pixels. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method variants, no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The icons the web app manifest and index.html name, by file name under icons/. */
export const ICONS: { file: string; size: number; purpose: IconPurpose }[] = [
  { file: 'icon-192.png', size: 192, purpose: 'any' },
  { file: 'icon-512.png', size: 512, purpose: 'any' },
  { file: 'maskable-512.png', size: 512, purpose: 'maskable' },
  { file: 'apple-touch-icon-180.png', size: 180, purpose: 'maskable' },
];

export const iconPng = (size: number, purpose: IconPurpose): Buffer => encodePng(iconPixels(size, purpose), size, size);
