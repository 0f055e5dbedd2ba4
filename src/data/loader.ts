import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { DataFormatError } from './idx';
import { IMAGE_PIXELS, MnistDataset, NUM_CLASSES } from './mnist';

/** data/mnist/manifest.json, written by scripts/prepare-data.mjs. */
export interface DataManifest {
  version: number;
  files: Record<DataFileKey, ManifestFile>;
}
export type DataFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';
export interface ManifestFile {
  path: string;
  shape: number[];
  bytes: number;
  sha256: string;
  gzipBytes: number;
  gzipSha256: string;
}

export interface LoadProgress {
  /** 0–1 over the whole data set. */
  fraction: number;
  /** What is happening now, for the page. */
  stage: string;
}

export interface LoadOptions {
  /** URL of the folder holding manifest.json, with a trailing slash. */
  baseUrl: string;
  fetch?: typeof fetch;
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
}

const MANIFEST_VERSION = 1;
const FILE_KEYS: DataFileKey[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];
const GZIP_MAGIC = [0x1f, 0x8b];

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** SHA-256 with WebCrypto where the page is a secure context, else a small, audited JS implementation. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return hex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
  return hex(nobleSha256(bytes));
}

async function gunzip(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  // A host may have decoded the gzip already (Content-Encoding); then the bytes are the payload itself.
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new DataFormatError(`${name}: the compressed data is corrupt (${(error as Error).message})`);
  }
}

function checkManifest(manifest: unknown): DataManifest {
  const m = manifest as Partial<DataManifest> | null;
  if (!m || m.version !== MANIFEST_VERSION || typeof m.files !== 'object' || m.files === null) {
    throw new DataFormatError(`manifest.json: not a version ${MANIFEST_VERSION} Digit Lab data manifest`);
  }
  for (const key of FILE_KEYS) {
    const f = m.files[key];
    if (!f || typeof f.path !== 'string' || typeof f.bytes !== 'number' || typeof f.sha256 !== 'string') {
      throw new DataFormatError(`manifest.json: entry "${key}" is missing or incomplete`);
    }
  }
  return m as DataManifest;
}

async function fetchBytes(
  url: string,
  name: string,
  fetchFn: typeof fetch,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new DataFormatError(`${name}: could not be fetched (${(error as Error).message})`);
  }
  if (!response.ok) throw new DataFormatError(`${name}: the server answered ${response.status} ${response.statusText}`);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    onBytes(value.length);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * Checks one downloaded file against the manifest and returns its payload. Gzip data is verified by the SHA-256 of
 * the compressed bytes (5× less to hash) plus gzip's own CRC and the payload size; data a host already decompressed
 * is verified by the payload's SHA-256.
 */
async function verifyFile(file: ManifestFile, received: Uint8Array): Promise<Uint8Array> {
  const isGzip = received[0] === GZIP_MAGIC[0] && received[1] === GZIP_MAGIC[1];
  const [payload, digest] = await Promise.all([
    gunzip(received, file.path),
    sha256Hex(received),
  ]);
  if (payload.length !== file.bytes) {
    throw new DataFormatError(
      `${file.path}: expected ${file.bytes.toLocaleString('en-US')} bytes, found ${payload.length.toLocaleString('en-US')}` +
        (payload.length < file.bytes ? ' (the file is truncated)' : ''),
    );
  }
  if (digest !== (isGzip ? file.gzipSha256 : file.sha256)) {
    throw new DataFormatError(`${file.path}: checksum mismatch, the file is corrupt`);
  }
  return payload;
}

/**
 * Loads all of MNIST from the prepared files: downloads with progress, decompresses, and verifies each file's size,
 * SHA-256 and content against the manifest. Any failure throws a DataFormatError naming the file; nothing is
 * returned half-loaded.
 */
export async function loadMnist(options: LoadOptions): Promise<MnistDataset> {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const report = options.onProgress ?? (() => {});
  report({ fraction: 0, stage: 'Reading the manifest' });
  const manifestBytes = await fetchBytes(options.baseUrl + 'manifest.json', 'manifest.json', fetchFn, options.signal, () => {});
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch {
    throw new DataFormatError('manifest.json: not valid JSON');
  }
  const manifest = checkManifest(manifestJson);

  // Downloading is most of the wait; decompressing and verifying get the last 20%.
  const totalGzip = FILE_KEYS.reduce((sum, k) => sum + (manifest.files[k].gzipBytes || manifest.files[k].bytes), 0);
  let downloaded = 0;
  const payloads = await Promise.all(
    FILE_KEYS.map(async (key) => {
      const file = manifest.files[key];
      const compressed = await fetchBytes(options.baseUrl + file.path, file.path, fetchFn, options.signal, (n) => {
        downloaded += n;
        report({ fraction: 0.8 * Math.min(1, downloaded / totalGzip), stage: 'Downloading MNIST' });
      });
      return [key, compressed] as const;
    }),
  );
  const bytes = {} as Record<DataFileKey, Uint8Array>;
  let verified = 0;
  await Promise.all(
    payloads.map(async ([key, received]) => {
      bytes[key] = await verifyFile(manifest.files[key], received);
      verified++;
      report({ fraction: 0.8 + (0.2 * verified) / FILE_KEYS.length, stage: 'Verifying' });
    }),
  );
  for (const key of ['trainLabels', 'testLabels'] as const) {
    if (bytes[key].some((v) => v >= NUM_CLASSES)) throw new DataFormatError(`${manifest.files[key].path}: a label is not a digit 0–9`);
  }
  const dataset = new MnistDataset(
    { images: bytes.trainImages, labels: bytes.trainLabels, count: bytes.trainLabels.length },
    { images: bytes.testImages, labels: bytes.testLabels, count: bytes.testLabels.length },
  );
  if (dataset.train.images.length !== dataset.train.count * IMAGE_PIXELS) throw new DataFormatError('train images do not match labels');
  report({ fraction: 1, stage: 'Ready' });
  return dataset;
}
