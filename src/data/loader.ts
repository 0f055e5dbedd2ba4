import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { formatInteger } from '../format';
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

const MANIFEST_VERSION = 2;
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

interface Received {
  /** The bytes as they came over the network. */
  received: Uint8Array;
  /** The decompressed payload (the same bytes when the host had already decompressed them). */
  payload: Uint8Array;
  gzip: boolean;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/**
 * Downloads one file, decompressing gzip while it arrives (download and decompression overlap). A host may have
 * decoded the gzip already (Content-Encoding); then the bytes are the payload itself.
 */
async function fetchFile(
  url: string,
  name: string,
  fetchFn: typeof fetch,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
): Promise<Received> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new DataFormatError(`${name}: could not be fetched (${(error as Error).message})`);
  }
  if (!response.ok) throw new DataFormatError(`${name}: the server answered ${response.status} ${response.statusText}`);
  const body = response.body ?? new Blob([await response.arrayBuffer()]).stream();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let writer: WritableStreamDefaultWriter<BufferSource> | null = null;
  let payloadPromise: Promise<ArrayBuffer> | null = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total === 0 && value.length >= 2 && value[0] === GZIP_MAGIC[0] && value[1] === GZIP_MAGIC[1]) {
        const gunzip = new DecompressionStream('gzip');
        writer = gunzip.writable.getWriter();
        payloadPromise = new Response(gunzip.readable).arrayBuffer();
        payloadPromise.catch(() => {}); // awaited below; avoids an unhandled rejection while still writing
      }
      chunks.push(value);
      total += value.length;
      onBytes(value.length);
      if (writer) await writer.write(value as Uint8Array<ArrayBuffer>);
    }
    const received = concat(chunks, total);
    if (!writer || !payloadPromise) return { received, payload: received, gzip: false };
    await writer.close();
    return { received, payload: new Uint8Array(await payloadPromise), gzip: true };
  } catch (error) {
    if (signal?.aborted) throw error;
    if (error instanceof DataFormatError) throw error;
    throw new DataFormatError(`${name}: the compressed data is corrupt or truncated (${(error as Error).message})`);
  }
}

/**
 * Checks one downloaded file against the manifest and returns its payload. Gzip data is verified by the SHA-256 of
 * the compressed bytes (5× less to hash) plus gzip's own CRC and the payload size; data a host already decompressed
 * is verified by the payload's SHA-256.
 */
async function verifyFile(file: ManifestFile, { received, payload, gzip }: Received): Promise<Uint8Array> {
  if (payload.length !== file.bytes) {
    throw new DataFormatError(
      `${file.path}: expected ${formatInteger(file.bytes)} bytes, found ${formatInteger(payload.length)}` +
        (payload.length < file.bytes ? ' (the file is truncated)' : ''),
    );
  }
  const digest = await sha256Hex(received);
  if (digest !== (gzip ? file.gzipSha256 : file.sha256)) {
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
  const { payload: manifestBytes } = await fetchFile(options.baseUrl + 'manifest.json', 'manifest.json', fetchFn, options.signal, () => {});
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
      const received = await fetchFile(options.baseUrl + file.path, file.path, fetchFn, options.signal, (n) => {
        downloaded += n;
        report({ fraction: 0.8 * Math.min(1, downloaded / totalGzip), stage: 'Downloading MNIST' });
      });
      return [key, received] as const;
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
